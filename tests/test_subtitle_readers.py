"""SRT and WebVTT readers: lenient like a player, strict on request, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transkit.errors import InputError
from transkit.ingest.subtitles import parse_srt, parse_vtt, read_subtitle_file
from transkit.model import Cue
from transkit.timing import format_srt, format_vtt

GOOD_SRT = """1
00:00:01,000 --> 00:00:02,500
Has NATO ever wanted
to conquer or divide Russia?

2
00:00:03,000 --> 00:00:04,000
No.
"""


def test_reads_a_plain_srt():
    cues = parse_srt(GOOD_SRT)
    assert cues == (
        Cue(1000, 2500, ("Has NATO ever wanted", "to conquer or divide Russia?")),
        Cue(3000, 4000, ("No.",)),
    )


def test_srt_without_cue_numbers_is_read_leniently_and_refused_strictly():
    text = "00:00:01,000 --> 00:00:02,000\nOne.\n\n00:00:03,000 --> 00:00:04,000\nTwo.\n"
    assert [c.lines for c in parse_srt(text)] == [("One.",), ("Two.",)]
    with pytest.raises(InputError) as err:
        parse_srt(text, "x.srt", strict=True)
    assert err.value.line == 1 and "cue number missing" in str(err.value)


def test_srt_numbers_out_of_sequence_only_matter_when_strict():
    text = GOOD_SRT.replace("\n2\n", "\n7\n")
    assert len(parse_srt(text)) == 2
    with pytest.raises(InputError) as err:
        parse_srt(text, "x.srt", strict=True)
    assert err.value.line == 6 and "out of sequence" in str(err.value)


@pytest.mark.parametrize(
    "timing, line",
    [
        ("00:00:01,000 --> 00:00:0x,500", 2),
        ("00:00:01,000 -> 00:00:02,500", None),  # no arrow: stray text, see below
        ("00:61:01,000 --> 00:62:02,500", 2),
        ("00:00:01,000 -->", 2),
    ],
)
def test_bad_timestamps_are_an_error_with_the_line(timing, line):
    text = f"1\n{timing}\nHello\n\n2\n00:00:05,000 --> 00:00:06,000\nBye\n"
    if line is None:
        assert [c.lines for c in parse_srt(text)] == [("Bye",)]
        return
    with pytest.raises(InputError) as err:
        parse_srt(text, "bad.srt")
    assert err.value.line == line
    assert str(err.value).startswith(f"bad.srt:{line}: cannot read the cue times")
    assert "00:01:02,300 --> 00:01:04,000" in str(err.value)


def test_garbage_between_blocks_is_skipped_leniently_and_refused_strictly():
    text = GOOD_SRT.replace("\n2\n", "\nSubtitles by somebody\nwww.example.com\n\n2\n")
    assert [c.lines for c in parse_srt(text)] == [
        ("Has NATO ever wanted", "to conquer or divide Russia?"),
        ("No.",),
    ]
    with pytest.raises(InputError) as err:
        parse_srt(text, "x.srt", strict=True)
    assert err.value.line == 6 and "text outside any cue" in str(err.value)


def test_missing_blank_line_between_cues():
    text = "1\n00:00:01,000 --> 00:00:02,000\nOne.\n2\n00:00:03,000 --> 00:00:04,000\nTwo.\n"
    assert [(c.start_ms, c.lines) for c in parse_srt(text)] == [(1000, ("One.",)), (3000, ("Two.",))]
    with pytest.raises(InputError) as err:
        parse_srt(text, "x.srt", strict=True)
    assert err.value.line == 5


def test_srt_dot_before_milliseconds_is_tolerated_unless_strict():
    text = "1\n00:00:01.000 --> 00:00:02.000\nOne.\n"
    assert parse_srt(text)[0].start_ms == 1000
    with pytest.raises(InputError):
        parse_srt(text, strict=True)


def test_srt_formatting_tags_are_stripped_but_literal_angle_brackets_kept():
    text = '1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Italic</i> <font color="#ff0000">red</font>\n5 < 6 > 2\n'
    assert parse_srt(text)[0].lines == ("Italic red", "5 < 6 > 2")


def test_bom_and_crlf(tmp_path: Path):
    path = tmp_path / "windows.srt"
    path.write_bytes("\ufeff".encode() + GOOD_SRT.replace("\n", "\r\n").encode("utf-8"))
    assert read_subtitle_file(path) == parse_srt(GOOD_SRT)
    assert read_subtitle_file(path, strict=True) == parse_srt(GOOD_SRT)


def test_cp1251_file_is_decoded(tmp_path: Path):
    path = tmp_path / "old.srt"
    text = "1\n00:00:01,000 --> 00:00:04,000\nХотело ли НАТО когда-нибудь завоевать\nили расчленить Россию?\n"
    path.write_bytes(text.encode("cp1251"))
    assert read_subtitle_file(path)[0].lines == ("Хотело ли НАТО когда-нибудь завоевать", "или расчленить Россию?")


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"\x00\x01\x02binary\x00", "binary"), (None, "not found")],
)
def test_unreadable_files_are_a_clear_input_error(tmp_path: Path, content, message):
    path = tmp_path / "x.srt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_subtitle_file(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_empty_cue_is_kept_for_the_check_to_flag():
    text = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nText\n"
    assert parse_srt(text)[0].lines == ()


# --- WebVTT -------------------------------------------------------------------------

GOOD_VTT = """WEBVTT

NOTE
Title: the interview
Language: en

STYLE
::cue { color: yellow }

1
00:00.500 --> 00:00:02.000 line:-2
<v Kirill Martynov>Has NATO &amp; <b>Russia</b>
ever been friends?

2
00:00:02.100 --> 00:00:03.900
<v Kirill Martynov>- Is that so?</v>
<v Jens Stoltenberg>- No.</v>
"""


def test_reads_vtt_with_voices_entities_and_settings():
    cues = parse_vtt(GOOD_VTT)
    assert cues == (
        Cue(500, 2000, ("Has NATO & Russia", "ever been friends?"), ("Kirill Martynov", "Kirill Martynov")),
        Cue(2100, 3900, ("- Is that so?", "- No."), ("Kirill Martynov", "Jens Stoltenberg")),
    )
    assert parse_vtt(GOOD_VTT, strict=True) == cues


def test_vtt_without_header_is_lenient_only():
    text = GOOD_VTT.replace("WEBVTT\n\n", "")
    assert len(parse_vtt(text)) == 2
    with pytest.raises(InputError) as err:
        parse_vtt(text, "x.vtt", strict=True)
    assert err.value.line == 1 and "WEBVTT" in str(err.value)


def test_vtt_comma_times_are_lenient_only():
    text = "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nOne.\n"
    assert parse_vtt(text)[0].end_ms == 2000
    with pytest.raises(InputError) as err:
        parse_vtt(text, "x.vtt", strict=True)
    assert err.value.line == 3


def test_vtt_stray_text_and_bad_times():
    stray = "WEBVTT\n\nnot a cue at all\n\n00:01.000 --> 00:02.000\nOne.\n"
    assert len(parse_vtt(stray)) == 1
    with pytest.raises(InputError) as err:
        parse_vtt(stray, "x.vtt", strict=True)
    assert err.value.line == 3
    with pytest.raises(InputError) as err:
        parse_vtt("WEBVTT\n\n00:01.000 --> soon\nOne.\n", "x.vtt")
    assert err.value.line == 3


def test_file_type_by_extension_or_content(tmp_path: Path):
    (tmp_path / "a.vtt").write_text(GOOD_VTT)
    (tmp_path / "a.txt").write_text(GOOD_VTT)
    (tmp_path / "b.txt").write_text(GOOD_SRT)
    assert read_subtitle_file(tmp_path / "a.vtt") == read_subtitle_file(tmp_path / "a.txt") == parse_vtt(GOOD_VTT)
    assert read_subtitle_file(tmp_path / "b.txt") == parse_srt(GOOD_SRT)


# --- round trips ----------------------------------------------------------------------

_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).map(
    str.strip
).filter(lambda s: s and "-->" not in s and "<" not in s and "{" not in s and not s.isdigit())
_CUES = st.lists(
    st.tuples(st.integers(0, 10_000_000), st.integers(1, 20_000), st.lists(_LINE, min_size=1, max_size=3)),
    min_size=1,
    max_size=8,
)


def _sorted_cues(raw) -> list[Cue]:
    cues, t = [], 0
    for gap, length, lines in raw:
        start = t + gap % 5000
        cues.append(Cue(start, start + length, tuple(lines)))
        t = start + length
    return cues


@settings(max_examples=150, deadline=None)
@given(_CUES)
def test_srt_round_trip(raw):
    cues = _sorted_cues(raw)
    text = "\n".join(
        f"{i}\n{format_srt(c.start_ms)} --> {format_srt(c.end_ms)}\n" + "\n".join(c.lines) + "\n"
        for i, c in enumerate(cues, start=1)
    )
    assert list(parse_srt(text, strict=True)) == cues


@settings(max_examples=150, deadline=None)
@given(_CUES)
def test_vtt_round_trip(raw):
    cues = _sorted_cues(raw)
    escape = lambda s: s.replace("&", "&amp;").replace(">", "&gt;")  # noqa: E731
    text = "WEBVTT\n\n" + "\n".join(
        f"{format_vtt(c.start_ms)} --> {format_vtt(c.end_ms)}\n" + "\n".join(map(escape, c.lines)) + "\n"
        for c in cues
    )
    assert [(c.start_ms, c.end_ms, c.lines) for c in parse_vtt(text, strict=True)] == [
        (c.start_ms, c.end_ms, c.lines) for c in cues
    ]
