"""The source transcript format: parsing, every refusal, and the writer round trip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transkit.errors import InputError
from transkit.ingest import format_source, load_transcript, parse_source
from transkit.model import Metadata, Paragraph, Speaker, Transcript

ROOT = Path(__file__).resolve().parent.parent

RAW_SEED = ROOT / "source" / "raw" / "meduza-stoltenberg-interview-2022-04-07.txt"

GOOD = """\
---
title: A test: with a colon
publisher: Example Press
url:
date: 2022-04-07
language: en
credit: Interview by Ann Lee
speakers:
  AL: Ann Lee | reporter (interviewer)
  BO: Bob Ode
---

> NOTE: Not spoken.
> Second line of the note.

AL: Why?

BO: Because
of the wrapped line.
BO?: A second paragraph without a blank line before it.

AL: “Curly” — [kept] as is.
"""


def test_parses_header_speakers_notes_and_paragraphs():
    t = parse_source(GOOD, path="x.md")
    assert t.meta == Metadata(
        title="A test: with a colon", language="en", publisher="Example Press", url="", date="2022-04-07",
        extra=(("credit", "Interview by Ann Lee"),),
    )
    assert t.speakers == (Speaker("AL", "Ann Lee", "reporter (interviewer)"), Speaker("BO", "Bob Ode", ""))
    assert [(p.index, p.kind, p.speaker, p.line, p.needs_review) for p in t.paragraphs] == [
        (0, "note", None, 13, False),
        (1, "speech", "AL", 16, False),
        (2, "speech", "BO", 18, False),
        (3, "speech", "BO", 20, True),
        (4, "speech", "AL", 22, False),
    ]
    assert [p.text for p in t.paragraphs] == [
        "Not spoken. Second line of the note.",
        "Why?",
        "Because of the wrapped line.",
        "A second paragraph without a blank line before it.",
        "“Curly” — [kept] as is.",
    ]
    assert t.source_path == "x.md"
    assert [p.index for p in t.spoken] == [1, 2, 3, 4]


def test_load_transcript_handles_bom_and_crlf(tmp_path: Path):
    path = tmp_path / "t.md"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    t = load_transcript(path)
    assert t == replace(parse_source(GOOD), source_path=str(path))


def _header(body: str, speakers: str = "  KM: Kirill Martynov\n", extra: str = "") -> str:
    return f"---\ntitle: T\n{extra}speakers:\n{speakers}---\n{body}"


BAD = [
    # (text, line, words in the message)
    ("Just raw text.\n\nNo header here.\n", 1, "no front matter"),
    ("\n\n", None, "empty"),
    ("---\ntitle: T\nspeakers:\n  KM: K M\n\nKM: never closed\n", 1, "never closed"),
    (_header("\nKM: x\n", extra="this line has no colon\n"), 3, "bad header line"),
    (_header("\nKM: x\n", extra="title: again\n"), 3, "appears twice"),
    (_header("\nKM: x\n", extra="date: 7 April 2022\n"), 3, "bad date"),
    (_header("\nKM: x\n", extra="language: English\n"), 3, "bad language"),
    (_header("\nKM: x\n", extra="  indented: stray\n"), 3, "unexpected indented"),
    ("---\nspeakers:\n  KM: K M\n---\n\nKM: x\n", 4, "no title"),
    ("---\ntitle: T\n---\n\nKM: x\n", 3, "no speakers"),
    ("---\ntitle: T\nspeakers: KM\n---\n\nKM: x\n", 3, "takes indented lines"),
    (_header("\nKM: x\n", speakers="  KM | no colon\n"), 4, "bad speaker line"),
    (_header("\nKM: x\n", speakers="  KM: | only a role\n"), 4, "bad speaker line"),
    (_header("\nKM: x\n", speakers="  KM: A B\n  KM: C D\n"), 5, "declared twice"),
    (_header("\nKM: fine\n\nNo tag here.\n"), 9, "without a speaker tag"),
    (_header("\nKM: fine\n\nJS: who?\n"), 9, "unknown speaker tag 'JS'"),
    (_header("\nKM:\n"), 7, "has no text"),
    (_header("\n> NOTE:\n\nKM: x\n"), 7, "empty note"),
    (_header("\nFirst paragraph.\n\nSecond paragraph.\n"), 7, "no paragraph has a speaker tag"),
    (_header("\n> NOTE: only a note\n"), 7, "only notes"),
    (_header("\n\n"), None, "no paragraphs"),
]


@pytest.mark.parametrize("text,line,words", BAD, ids=[b[2] for b in BAD])
def test_bad_input_is_one_clear_line(text: str, line: int | None, words: str):
    with pytest.raises(InputError) as info:
        parse_source(text, path="source/bad.md")
    err = info.value
    message = str(err)
    assert words in message
    assert err.line == line
    assert message.startswith(f"source/bad.md:{line}: " if line else "source/bad.md: ")
    assert "\n" not in message
    assert err.exit_code == 3


def test_raw_seed_is_refused_with_a_hint_to_import():
    with pytest.raises(InputError) as info:
        parse_source(RAW_SEED.read_text(encoding="utf-8"), path=str(RAW_SEED))
    assert "no front matter" in str(info.value)
    assert "transkit import" in (info.value.hint or "")


def test_unknown_tag_hint_lists_declared_speakers():
    with pytest.raises(InputError) as info:
        parse_source(_header("\nXX: hello\n", speakers="  KM: K M\n  JS: J S\n"))
    assert "JS, KM" in (info.value.hint or "")


def test_writer_refuses_values_it_cannot_hold():
    t = parse_source(GOOD)
    with pytest.raises(ValueError):
        format_source(replace(t, speakers=(Speaker("AL", "Ann | Lee"),)))
    with pytest.raises(ValueError):
        format_source(replace(t, meta=replace(t.meta, title="two\nlines")))
    with pytest.raises(ValueError):
        format_source(replace(t, meta=replace(t.meta, extra=(("title", "again"),))))


# ------------------------------------------------------------------ round trip

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60
).map(str.strip).filter(bool)
_ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,5}", fullmatch=True)


@st.composite
def transcripts(draw) -> Transcript:
    ids = draw(st.lists(_ids, min_size=1, max_size=4, unique=True))
    speakers = tuple(
        Speaker(i, draw(_text.filter(lambda s: "|" not in s)), draw(st.one_of(st.just(""), _text))) for i in ids
    )
    extra_keys = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True), max_size=3, unique=True).map(
            lambda keys: [k for k in keys if k not in ("title", "publisher", "url", "date", "language", "speakers")]
        )
    )
    meta = Metadata(
        title=draw(_text),
        language=draw(st.sampled_from(["en", "ru", "pt-BR", "zh-Hant"])),
        publisher=draw(st.one_of(st.just(""), _text)),
        url=draw(st.one_of(st.just(""), _text)),
        date=draw(st.sampled_from(["", "2022", "2022-04", "2022-04-07"])),
        extra=tuple((k, draw(st.one_of(st.just(""), _text))) for k in extra_keys),
    )
    kinds = draw(st.lists(st.sampled_from(["speech", "note"]), min_size=1, max_size=8))
    kinds[draw(st.integers(0, len(kinds) - 1))] = "speech"
    paragraphs = tuple(
        Paragraph(
            index=i,
            kind=kind,
            text=draw(_text),
            speaker=draw(st.sampled_from(ids)) if kind == "speech" else None,
            needs_review=draw(st.booleans()) if kind == "speech" else False,
        )
        for i, kind in enumerate(kinds)
    )
    return Transcript(meta=meta, speakers=speakers, paragraphs=paragraphs)


@settings(max_examples=200, deadline=None)
@given(transcripts())
def test_format_then_parse_gives_the_transcript_back(t: Transcript):
    text = format_source(t)
    back = parse_source(text)
    assert replace(back, paragraphs=tuple(replace(p, line=0) for p in back.paragraphs)) == t
    lines = text.split("\n")
    for p in back.paragraphs:  # ``line`` points at the line where the paragraph is written
        assert lines[p.line - 1].endswith(p.text)
    assert format_source(back) == text


# --------------------------------------------------------- the bundled interview


def test_bundled_interview_is_clean_and_complete(interview_path: Path):
    t = load_transcript(interview_path)
    assert {s.id: s.name for s in t.speakers} == {"KM": "Kirill Martynov", "JS": "Jens Stoltenberg"}
    assert t.meta.date == "2022-04-07" and t.meta.language == "en" and t.meta.publisher == "Meduza"
    assert not any(p.needs_review for p in t.paragraphs)
    assert [p.kind for p in t.paragraphs[:2]] == ["note", "note"]
    assert all(p.kind == "speech" for p in t.paragraphs[2:])
    # every paragraph is a line of the raw seed, unchanged, and in the seed's order
    seed_lines = [line.strip() for line in RAW_SEED.read_text(encoding="utf-8").split("\n")]
    positions = [seed_lines.index(p.text) for p in t.paragraphs]
    assert positions == sorted(positions)
    # questions are the interviewer's: every paragraph with a question mark is KM's
    assert all(p.speaker == "KM" for p in t.spoken if "?" in p.text)
    assert [p.speaker for p in t.spoken[:2]] == ["KM", "JS"]
