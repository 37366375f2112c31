"""The whole chain on the real interview with the real Firefox en->pt model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import srt

from conftest import BENCH_DIR
from transkit.errors import InputError, UsageError
from transkit.cli.sources import expand_sources
from transkit.pipeline import prepare_project, run_source, segment_source
from transkit.profiles import get_profile
from transkit.runs import RunSettings
from transkit.projectfile import load_project

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
FAST_FORMATS = ("srt", "vtt", "ass", "bi.srt", "md")


def _words(text: str) -> list[str]:
    return re.sub(r"(?m)^- ", "", text).split()


def test_segment_writes_clean_english_subtitles(tmp_path):
    result = segment_source(INTERVIEW, RunSettings(out_dir=tmp_path, formats=("srt", "vtt"), profile="netflix-en"))
    assert result.alignment is None
    (lang,) = result.export.languages
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
    # the engine also translated the title, subtitle, two roles and eight sentences of the notes
    assert portuguese.engine == "firefox" and portuguese.segments == 169 and portuguese.translated == 169 + 12
    project = load_project(first.project_path)
    texts = {t.key: t for t in project.language("pt").texts}
    assert {"title", "subtitle", "role:KM", "role:JS", "note:0.0", "note:1.1"} <= set(texts)
    assert all(t.text.strip() and t.text != t.source for t in texts.values())
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
    bench = BENCH_DIR / "ntrex128-newstest2019.zho-CN.txt"
    if not bench.is_file():
        pytest.skip(f"the benchmark corpus is not there: {bench}")
    lines = bench.read_text(encoding="utf-8").splitlines()[:3]
    source = tmp_path / "news.txt"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["translate", str(source), "--from", "zh", "--to", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    english = (out / "en" / "news.en.srt").read_text(encoding="utf-8")
    assert re.search(r"\b(the|of|and|in)\b", english), english
    assert (out / "zh" / "news.zh.srt").is_file()


def _cli(*args: str):
    from typer.testing import CliRunner

    from transkit.cli.app import app

    return CliRunner().invoke(app, list(args))


def test_segment_profile_is_used_and_recorded(tmp_path):
    for name in ("netflix-en", "bbc"):
        result = _cli("segment", str(INTERVIEW), "--profile", name, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    lines = {}
    for name in ("netflix-en", "bbc"):
        project = json.loads((tmp_path / name / "interview.project.json").read_text(encoding="utf-8"))
        assert project["profile"] == name
        cues = srt.parse((tmp_path / name / "interview.en.srt").read_text(encoding="utf-8"))
        lines[name] = max(len(line) for cue in cues for line in cue.content.splitlines())
    assert lines["bbc"] <= 37 < lines["netflix-en"]  # the BBC's 37 characters a line, Netflix's 42


CHINESE = "北约是一个防御联盟。我们有一个责任，那就是保护和捍卫我们的盟友。\n\n乌克兰有自卫的权利。\n"


@pytest.mark.parametrize("profile", [None, "bbc"])
def test_run_profile_applies_to_any_source_language(tmp_path, profile):
    """`run --from zh --profile bbc` lays out the Chinese source with bbc (it used to apply to "en" only)."""
    source = tmp_path / "news.txt"
    source.write_text(CHINESE, encoding="utf-8")
    out = tmp_path / "out"
    extra = ["--profile", profile] if profile else []
    result = _cli("run", str(source), "--to", "zh", "--from", "zh", *extra, "--formats", "srt", "--no-cache", "-o", str(out))
    assert result.exit_code == 0, result.output
    expected = profile or "netflix"
    manifest = json.loads((out / "news.manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["profiles"] == {"zh": expected}
    project = json.loads((out / "news.project.json").read_text(encoding="utf-8"))
    assert project["profile"] == expected and project["transcript"]["meta"]["language"] == "zh"
    assert (out / "zh" / "news.zh.srt").is_file()


def test_profile_for_prefers_the_source_profile():
    settings = RunSettings(profile="bbc", profiles=(("zh", "netflix-ru"), ("pt", "netflix-en")))
    assert settings.profile_for("zh", "zh").name == "bbc"  # --profile wins for the source language
    assert settings.profile_for("pt", "zh").name == "netflix-en"  # [profiles] for the others
    assert settings.profile_for("zh", "en").name == "netflix-ru"
    assert settings.profile_for("de", "zh").name == "netflix"  # the language's default


def test_export_counts_srt_and_vtt_checks_apart(tmp_path):
    result = segment_source(INTERVIEW, RunSettings(out_dir=tmp_path, formats=("srt", "vtt"), profile="netflix-en"))
    (lang,) = result.export.languages
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
    from transkit.runs import LanguageSummary, RunResult

    lang = LanguageSummary("pt", "firefox", 3, 4, 0, 3, 1, 3, checks=(("srt", 1, 0), ("vtt", 2, 1)))
    print_run_summary([RunResult("a.md", "", (lang,), files_written=(), files_unchanged=())])
    out = capsys.readouterr().out
    assert "SRT check" in out and "VTT check" in out
    assert "1 E, 0 W" in out and "2 E, 1 W" in out


@pytest.mark.model
def test_translate_writes_the_qa_report_of_the_project_it_made(tmp_path, test_models_dir, monkeypatch):
    from transkit.projectfile import load_project
    from transkit.reports import qa_report_bytes

    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))
    plain = tmp_path / "note.txt"
    plain.write_text("Ukraine has the right to self-defense.\n\nNATO is a defensive alliance.\n", encoding="utf-8")
    qa = tmp_path / "qa.json"
    result = _cli("translate", str(plain), "--to", "pt", "-o", str(tmp_path / "out"), "--qa-report", str(qa))
    assert result.exit_code == 0, result.output
    assert f"wrote {qa}" in result.output
    report = json.loads(qa.read_text(encoding="utf-8"))
    assert list(report) == ["pt"] and report["pt"]["segments"] == 2 and report["pt"]["engine"] == "firefox"
    assert qa.read_bytes() == qa_report_bytes(load_project(tmp_path / "out" / "note.project.json"))
