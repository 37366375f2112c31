"""The reader registry behind ``pipeline.prepare``: a reader per suffix, any case."""

from __future__ import annotations

import pytest

from conftest import SOURCE_DIR
from transkit.errors import InputError
from transkit.ingest import registry
from transkit.ingest.registry import SourceText, read_source, register_reader
from transkit.model import Metadata, Paragraph, Transcript
from transkit.pipeline import prepare, prepare_project
from transkit.runs import RunSettings

INTERVIEW = SOURCE_DIR / "interview.md"
SRT = "1\n00:00:01,000 --> 00:00:03,500\nNATO is a defensive alliance.\n\n2\n00:00:04,000 --> 00:00:06,000\nWe protect our allies.\n"


@pytest.fixture
def readers(monkeypatch):
    """A copy of the registry for the test to add to."""
    monkeypatch.setattr(registry, "READERS", dict(registry.READERS))
    return registry.READERS


def test_built_in_suffixes():
    assert {".md", ".txt", ".srt", ".vtt", ".json"} <= set(registry.READERS)


@pytest.mark.parametrize("name", ["talk.srt", "TALK.SRT", "talk.Srt"])
def test_suffixes_are_matched_without_case(tmp_path, name):
    path = tmp_path / name
    path.write_text(SRT, encoding="utf-8")
    read = read_source(path)
    assert read.timing == (("method", "subtitles"),) and not read.states_language
    assert [s.start_ms for s in read.segments] == [1000, 4000]  # the cue times are kept


def test_a_new_reader_is_one_registration(tmp_path, readers):
    calls = []

    def read_shouting(path, encoding):
        calls.append(path)
        text = path.read_text(encoding=encoding or "utf-8").replace("!!", ".")
        meta = Metadata(title=path.stem, language="en")
        return SourceText(Transcript(meta, (), (Paragraph(0, "speech", text, "S"),)), states_language=False)

    register_reader(".SHOUT", read_shouting)
    source = tmp_path / "note.shout"
    source.write_text("NATO is a defensive alliance!! We protect our allies!!", encoding="utf-8")
    project = prepare_project(source, RunSettings(source_language="de"))
    assert calls == [source]
    assert [s.text for s in project.segments] == ["NATO is a defensive alliance.", "We protect our allies."]
    assert project.transcript.meta.language == "de"  # the file cannot say: --from decides
    assert project.transcript.source_path == "note.shout"
    assert dict(project.timing)["wpm"]  # timed from the speech rate


def test_a_reader_named_by_module_is_imported_on_first_use(tmp_path, readers):
    register_reader(".notes", "transkit.ingest.registry:read_plain_text")
    source = tmp_path / "a.notes"
    source.write_text("One sentence here.\n\nAnother one there.\n", encoding="utf-8")
    assert len(prepare_project(source).segments) == 2


def test_the_source_format_is_the_default_and_keeps_its_language(tmp_path):
    other = tmp_path / "interview.transcript"
    other.write_bytes(INTERVIEW.read_bytes())
    prepared = prepare(other)
    assert prepared.alignment is None
    assert prepared.project.transcript.meta.language == "en"  # the header's
    assert prepared.project.segments == prepare_project(INTERVIEW).segments
    assert prepare_project(other, RunSettings(source_language="de")).transcript.meta.language == "de"  # --from wins


def test_size_limit_applies_per_reader(tmp_path, readers, monkeypatch):
    monkeypatch.setattr(registry, "MAX_SOURCE_BYTES", 10)
    big = tmp_path / "big.txt"
    big.write_text("x" * 11, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_source(big)
    register_reader(".txt", registry.read_plain_text, size_limit=False)
    assert read_source(big).transcript.paragraphs
