"""The whole chain on the real interview with the real Firefox en->pt model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import srt

from transkit.errors import InputError, UsageError
from transkit.pipeline import RunSettings, expand_sources, prepare_project, run_source, segment_source
from transkit.profiles import get_profile

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
FAST_FORMATS = ("srt", "vtt", "ass", "bi.srt", "md")


def _words(text: str) -> list[str]:
    return re.sub(r"(?m)^- ", "", text).split()


def test_segment_writes_clean_english_subtitles(tmp_path):
    result = segment_source(INTERVIEW, tmp_path, profile=get_profile("netflix-en"))
    (lang,) = result.languages
    assert lang.check_errors == 0 and lang.check_warnings == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["interview.en.srt", "interview.en.vtt", "interview.project.json"]
    cues = list(srt.parse((tmp_path / "interview.en.srt").read_text()))
    assert len(cues) == lang.cues > 100
    # nothing lost or reordered: the cue words are the spoken words, in order
    project = prepare_project(INTERVIEW)
    spoken = [w for p in project.transcript.spoken for w in p.text.split()]
    assert [w for cue in cues for w in _words(cue.content)] == spoken


@pytest.fixture
def settings(tmp_path, test_models_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    return RunSettings(
        languages=("pt",),
        out_dir=tmp_path / "out",
        formats=FAST_FORMATS,
        memory_path=tmp_path / "memory.sqlite",
    )


@pytest.mark.model
def test_run_translates_then_reuses_memory_and_rewrites_nothing(settings):
    first = run_source(INTERVIEW, settings)
    english, portuguese = first.languages
    assert (english.language, portuguese.language) == ("en", "pt")
    assert portuguese.engine == "firefox" and portuguese.translated == portuguese.segments == 169
    out = settings.out_dir
    pt_cues = list(srt.parse((out / "pt" / "interview.pt.srt").read_text()))
    assert len(pt_cues) == portuguese.cues
    text = " ".join(c.content for c in pt_cues)
    assert " NATO " in f" {text} " or "OTAN" in text
    assert re.search(r"\b(não|que|para|uma)\b", text), "expected Portuguese text"
    manifest = json.loads((out / "interview.manifest.json").read_text())
    assert manifest["languages"]["pt"]["engine"] == "firefox"
    assert manifest["source_sha256"] and "pt/interview.pt.srt" in manifest["outputs"]

    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = run_source(INTERVIEW, settings)
    assert [lang.translated for lang in second.languages] == [0, 0]
    assert second.files_written == ()
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.model
def test_translate_accepts_srt_and_plain_text(settings, tmp_path):
    first = run_source(INTERVIEW, settings)
    en_srt = settings.out_dir / "en" / "interview.en.srt"
    again = run_source(en_srt, RunSettings(**{**settings.__dict__, "out_dir": tmp_path / "from-srt"}))
    # the sentences rebuilt from the cues are the interview's sentences: all in memory
    assert again.languages[-1].translated == 0
    assert again.languages[-1].segments == first.languages[-1].segments

    plain = tmp_path / "note.txt"
    plain.write_text("Ukraine has the right to self-defense.\n\nNATO is a defensive alliance.\n")
    result = run_source(plain, RunSettings(**{**settings.__dict__, "out_dir": tmp_path / "plain"}))
    assert result.languages[-1].segments == 2
    assert (tmp_path / "plain" / "pt" / "note.pt.srt").is_file()


def test_expand_sources_folders_globs_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    for name in ("a/one.md", "a/two.md", "a/skip.txt", "three.md"):
        (tmp_path / name).write_text("x")
    assert [p.as_posix() for p in expand_sources(["a", "three.md", "a/one.md"])] == [
        "a/one.md",
        "a/two.md",
        "three.md",
    ]
    assert [p.as_posix() for p in expand_sources(["a/t*.md"])] == ["a/two.md"]
    with pytest.raises(InputError, match="no files match"):
        expand_sources(["a/nothing*.md"])
    with pytest.raises(InputError, match="source not found"):
        expand_sources(["missing.md"])
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "one.md").write_text("x")
    with pytest.raises(UsageError, match="share the name 'one'"):
        expand_sources(["a", "b"])


@pytest.mark.model
def test_plain_text_in_another_language_with_from(tmp_path, test_models_dir, monkeypatch):
    from typer.testing import CliRunner

    from transkit.cli.app import app

    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))
    bench = ROOT.parent / "shared" / "bench" / "ntrex128-newstest2019.zho-CN.txt"
    lines = bench.read_text(encoding="utf-8").splitlines()[:3]
    source = tmp_path / "news.txt"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["translate", str(source), "--from", "zh", "--to", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    english = (out / "en" / "news.en.srt").read_text(encoding="utf-8")
    assert re.search(r"\b(the|of|and|in)\b", english), english
    assert (out / "zh" / "news.zh.srt").is_file()


def test_export_counts_srt_and_vtt_checks_apart(tmp_path):
    result = segment_source(INTERVIEW, tmp_path, profile=get_profile("netflix-en"))
    (lang,) = result.languages
    assert lang.checks == (("srt", 0, 0), ("vtt", 0, 0))


def test_check_outputs_by_format_keeps_each_format_apart(tmp_path):
    from transkit.pipeline import check_outputs_by_format

    committed = ROOT / "translations" / "en"
    short = tmp_path / "short.vtt"  # one cue too short for netflix-en: one error, in the VTT only
    short.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:00.400\nNo.\n", encoding="utf-8")
    paths = [committed / "interview.en.srt", committed / "interview.en.vtt", short]
    assert check_outputs_by_format(paths, get_profile("netflix-en")) == (("srt", 0, 0), ("vtt", 1, 0))


def test_run_summary_shows_srt_and_vtt_checks(capsys):
    from transkit.cli.summary import print_run_summary
    from transkit.pipeline import LanguageSummary, RunResult

    lang = LanguageSummary("pt", "firefox", 3, 4, 0, 3, 1, 3, checks=(("srt", 1, 0), ("vtt", 2, 1)))
    print_run_summary([RunResult("a.md", "", (lang,), files_written=(), files_unchanged=())])
    out = capsys.readouterr().out
    assert "SRT check" in out and "VTT check" in out
    assert "1 E, 0 W" in out and "2 E, 1 W" in out
