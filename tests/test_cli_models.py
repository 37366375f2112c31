"""``transkit models``: list, available, install (index and file), remove, and their errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from local_index import LocalIndex, argos_zh_en_package, firefox_en_pt_package, free_port, index_entry, sha256_file
from transkit.cli.app import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("command", ["list", "available", "install", "remove"])
def test_every_models_command_has_help_with_examples(command):
    result = invoke("models", command, "--help")
    assert result.exit_code == 0, result.output
    assert "Examples" in result.output and f"transkit models {command}" in result.output


def test_list_with_nothing_installed_says_how_to_install(tmp_path):
    result = invoke("models", "list", "--models-dir", str(tmp_path / "models"))
    assert result.exit_code == 0
    assert "no models installed" in result.output and "transkit models install en ru" in result.output


@pytest.mark.model
def test_install_from_file_list_and_remove(test_models_dir, tmp_path):
    root = str(tmp_path / "models")
    package = argos_zh_en_package(test_models_dir, tmp_path)
    result = invoke("models", "install", "--from", str(package), "--models-dir", root)
    assert result.exit_code == 0, result.output
    assert "installed argos zh->en 1.9 (86 MB)" in result.output

    listed = invoke("models", "list", "--models-dir", root)
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[0].split() == ["ENGINE", "PAIR", "TAGS", "VERSION", "SIZE", "FOLDER"]
    assert lines[1].split()[:5] == ["argos", "zh->en", "zh-Hans->en", "1.9", "86"]

    removed = invoke("models", "remove", "zh", "en", "--models-dir", root)
    assert removed.exit_code == 0 and "removed argos zh->en" in removed.output
    again = invoke("models", "remove", "zh", "en", "--models-dir", root)
    assert again.exit_code == 4
    assert "no installed model for zh->en" in again.output and "Traceback" not in again.output


@pytest.mark.model
def test_install_from_a_local_index_and_available(test_models_dir, tmp_path):
    package = firefox_en_pt_package(test_models_dir, tmp_path)
    root = str(tmp_path / "models")
    with LocalIndex() as index:
        index.routes["/en_pt.zip"] = package
        url = index.serve_index([
            index_entry("en", "pt", "/en_pt.zip", version="2", sha256=sha256_file(package), engine="firefox",
                        size=package.stat().st_size),
            index_entry("en", "ru", "/en_ru.argosmodel", version="1.9"),
        ])
        available = invoke("models", "available", "--index-url", url, "--source", "en")
        assert available.exit_code == 0, available.output
        rows = [line.split() for line in available.stdout.splitlines()]
        assert rows[0] == ["ENGINE", "PAIR", "TAGS", "VERSION", "SIZE", "SHA256", "BLEU", "COMET", "CATALOGUE"]
        # the figures are the published FLORES-101 devtest ones (src/transkit/data/model_quality.json)
        assert ["argos", "en->ru", "en->ru", "1.9", "?", "no", "27.6", "0.848", "argos-index"] in rows
        assert ["firefox", "en->pt", "en->pt-BR", "2", "22", "MB", "yes", "50.4", "0.889", "argos-index"] in rows
        assert "could not read the firefox-registry" in available.stderr

        result = invoke("models", "install", "en", "pt", "--engine", "firefox", "--index-url", url, "--models-dir", root)
        assert result.exit_code == 0, result.output
        assert "installed firefox en->pt" in result.output
    listed = invoke("models", "list", "--models-dir", root)
    assert "firefox  en->pt" in listed.output


def test_install_needs_a_pair_or_a_file(tmp_path):
    result = invoke("models", "install", "--models-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "give a language pair or --from" in result.output


def test_install_offline_is_one_line_with_exit_6(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/index.json"
    result = invoke("models", "install", "en", "ru", "--index-url", url, "--models-dir", str(tmp_path))
    assert result.exit_code == 6
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("transkit: error: ") and "connection refused" in lines[0]


def test_index_url_from_environment(tmp_path, monkeypatch):
    with LocalIndex() as index:
        url = index.serve_index([index_entry("uk", "en", "/x.argosmodel", version="1.4")])
        monkeypatch.setenv("TRANSKIT_INDEX_URL", url)
        result = invoke("models", "available")
    assert result.exit_code == 0 and "uk->en" in result.output


def test_tampered_download_exits_4_and_installs_nothing(tmp_path):
    bad = tmp_path / "pkg.argosmodel"
    bad.write_bytes(b"PK not really")
    with LocalIndex() as index:
        index.routes["/pkg.argosmodel"] = bad
        url = index.serve_index([index_entry("en", "ru", "/pkg.argosmodel", sha256="0" * 64)])
        result = invoke("models", "install", "en", "ru", "--index-url", url, "--models-dir", str(tmp_path / "m"))
    assert result.exit_code == 4
    assert "checksum mismatch" in result.output
    assert not any((tmp_path / "m").rglob("*.*"))
