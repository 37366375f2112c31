"""Source language: identified by lingua for undeclared inputs; declared values win,
disagreements are said, --from wins over everything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app
from transkit.ingest.language import choose_language, identify_language, same_language
from transkit.pipeline import prepare_project
from transkit.runs import ProgressEvent, RunSettings

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "ntrex128-newstest2019.zho-CN.txt"

# Short subtitle-like files, three lines each (the misread languages and more).
SUBTITLES = {
    "da": ["Tag en kop kaffe, sagde han.", "Hvad laver du her i aften?", "Jeg ved det ikke, men vi ses i morgen."],
    "sv": ["Ta en kopp kaffe, sa han.", "Vad gör du här i kväll?", "Jag vet inte, men vi ses i morgon."],
    "ru": ["Выпей чашку кофе, сказал он.", "Что ты делаешь здесь сегодня вечером?", "Я не знаю, но увидимся завтра."],
    "fr": ["Prends une tasse de café, dit-il.", "Qu'est-ce que tu fais ici ce soir ?", "Je ne sais pas, mais à demain."],
    "es": ["Toma una taza de café, dijo él.", "¿Qué haces aquí esta noche?", "No lo sé, pero nos vemos mañana."],
    "de": ["Trink eine Tasse Kaffee, sagte er.", "Was machst du heute Abend hier?", "Ich weiß es nicht, aber bis morgen."],
    "pt": ["Tome uma xícara de café, disse ele.", "O que você está fazendo aqui esta noite?", "Não sei, mas até amanhã."],
    "en": ["Have a cup of coffee, he said.", "What are you doing here tonight?", "I don't know, but see you tomorrow."],
}


def srt_text(lines: list[str]) -> str:
    return "".join(f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 2:02d},000\n{line}\n\n" for n, line in enumerate(lines, 1))


@pytest.mark.parametrize("language", sorted(SUBTITLES))
def test_a_short_subtitle_file_gets_its_language(tmp_path, language):
    path = tmp_path / "clip.srt"
    path.write_text(srt_text(SUBTITLES[language]), encoding="utf-8")
    notices: list[str] = []
    project = prepare_project(path, progress=lambda e: notices.append(e.message) if e.stage == "notice" else None)
    assert project.transcript.meta.language == language, notices


def test_from_wins_and_declared_languages_are_kept_with_a_notice():
    danish = " ".join(SUBTITLES["da"])
    assert choose_language(danish, forced="nb") == ("nb", "")
    language, notice = choose_language(danish, declared="en")
    assert language == "en" and "'da'" in notice and "--from" in notice
    assert choose_language(" ".join(SUBTITLES["en"]), declared="en") == ("en", "")
    language, notice = choose_language("Ok.")
    assert language == "en" and "too little text" in notice
    # pysrt's invalid.srt: too short for lingua to be sure (it guesses Portuguese)
    language, notice = choose_language("This subtitle is invalid")
    assert language == "en" and "perhaps" in notice


def test_identification_and_aliases():
    assert identify_language("42 --> 43") is None
    found = identify_language(" ".join(SUBTITLES["ru"]))
    assert found is not None and found.language == "ru" and found.sure
    assert same_language("pt-BR", "pt") and same_language("no", "nb") and not same_language("da", "nb")


def test_a_transcript_header_that_disagrees_with_its_text_is_said(tmp_path):
    path = tmp_path / "talk.md"
    body = "\n\n".join(f"A: {line}" for line in SUBTITLES["da"] * 2)
    path.write_text(f"---\ntitle: Talk\nlanguage: en\nspeakers:\n  A: Anna\n---\n\n{body}\n", encoding="utf-8")
    events: list[ProgressEvent] = []
    project = prepare_project(path, progress=events.append)
    assert project.transcript.meta.language == "en"  # declared: kept
    (notice,) = [e.message for e in events if e.stage == "notice"]
    assert "'da'" in notice
    forced = prepare_project(path, RunSettings(source_language="da"))
    assert forced.transcript.meta.language == "da"


@pytest.mark.model
def test_danish_subtitles_without_a_model_are_a_model_error_not_english(tmp_path, test_models_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))
    source = tmp_path / "clip.srt"
    source.write_text(srt_text(SUBTITLES["da"]), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["translate", str(source), "--to", "pt", "-o", str(out)])
    assert result.exit_code == 4, result.output
    assert "da->pt" in result.stderr
    assert not (out / "pt").exists()


@pytest.mark.model
def test_chinese_plain_text_is_recognised_and_translated(tmp_path, test_models_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))
    lines = BENCH.read_text(encoding="utf-8").splitlines()[3:6]
    source = tmp_path / "news.txt"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["translate", str(source), "--to", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    english = (out / "en" / "news.en.srt").read_text(encoding="utf-8")
    assert re.search(r"\b(the|of|and|in|to)\b", english), english
    assert (out / "zh" / "news.zh.srt").is_file()


def test_short_latin_text_needs_a_sure_guess_but_other_scripts_are_never_english():
    # lingua reads the two words of pysubs2's test file as Catalan at 0.67
    language, notice = choose_language("Test subtitle.")
    assert language == "en" and "'ca'" in notice
    assert choose_language("Merci beaucoup.") == ("fr", "")
    russian, notice = choose_language("Привет, как дела?")
    assert russian == "ru"  # unsure of the exact language, sure it is not English
    assert choose_language("你好，你今天怎么样？")[0] == "zh"
