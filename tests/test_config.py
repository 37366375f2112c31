from __future__ import annotations

import pytest

from transkit.config import load_config
from transkit.errors import UsageError


def test_defaults_without_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config()
    assert cfg.run == {} and cfg.path == ""


def test_reads_transkit_toml_from_working_folder(tmp_path, monkeypatch):
    (tmp_path / "transkit.toml").write_text(
        '[run]\nto = "ru, de"\nformats = ["srt", "pdf"]\njobs = 2\n[profiles]\nru = "netflix-ru"\n'
        "[speech_rate]\nwpm = 150\nspeakers = { JS = 140 }\n"
    )
    monkeypatch.chdir(tmp_path)
    cfg = load_config()
    assert cfg.get("to") == ["ru", "de"]
    assert cfg.get("formats") == ["srt", "pdf"]
    assert cfg.profiles == {"ru": "netflix-ru"}
    assert cfg.speech_rate["speakers"] == {"JS": 140}


@pytest.mark.parametrize(
    "text, message",
    [
        ("[run]\nto = [1, 2]\n", "must be a list of strings"),
        ("[run]\nlanguages = ['ru']\n", "unknown key 'languages'"),
        ("[output]\nx = 1\n", "unknown section [output]"),
        ("[run\n", "invalid TOML"),
    ],
)
def test_bad_config_names_file_and_problem(tmp_path, text, message):
    path = tmp_path / "transkit.toml"
    path.write_text(text)
    with pytest.raises(UsageError) as info:
        load_config(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_explicit_config_is_an_input_error(tmp_path):
    from transkit.errors import InputError

    with pytest.raises(InputError):
        load_config(tmp_path / "nope.toml")
