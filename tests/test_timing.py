"""transkit.timing: integer ms <-> SRT/VTT/ASS timestamps."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transkit.errors import InputError
from transkit.timing import format_ass, format_clock, format_srt, format_vtt, parse_timestamp

# Up to 99:59:59,999: the widest time the two-digit SRT/VTT hour field shows.
times = st.integers(min_value=0, max_value=100 * 3_600_000 - 1)

SRT_SHAPE = re.compile(r"[0-9]{2}:[0-5][0-9]:[0-5][0-9],[0-9]{3}")
VTT_SHAPE = re.compile(r"[0-9]{2}:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}")


@given(times)
def test_srt_round_trip(ms):
    text = format_srt(ms)
    assert SRT_SHAPE.fullmatch(text), text
    assert parse_timestamp(text) == ms


@given(times)
def test_vtt_round_trip(ms):
    text = format_vtt(ms)
    assert VTT_SHAPE.fullmatch(text), text
    assert parse_timestamp(text) == ms


@given(times)
def test_ass_round_trip_keeps_centiseconds(ms):
    assert parse_timestamp(format_ass(ms)) == ms // 10 * 10


@given(times, times)
def test_formatting_preserves_order(a, b):
    # Subtitle tools compare timestamps as text; zero padding keeps that sound.
    for fmt in (format_srt, format_vtt):
        assert (fmt(a) < fmt(b)) == (a < b)
        assert (fmt(a) == fmt(b)) == (a == b)


@given(times, times)
def test_parsing_preserves_order(a, b):
    assert (parse_timestamp(format_srt(a)) <= parse_timestamp(format_vtt(b))) == (a <= b)


@given(st.integers(min_value=0, max_value=99), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999))
def test_parse_reads_fields(h, m, s, f):
    expected = ((h * 60 + m) * 60 + s) * 1000 + f
    assert parse_timestamp(f"{h:02d}:{m:02d}:{s:02d},{f:03d}") == expected
    assert parse_timestamp(f"  {h}:{m:02d}:{s:02d}.{f:03d}\n") == expected


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("01:02:03,004", 3_723_004),
        ("01:02:03.004", 3_723_004),
        ("02:03.004", 123_004),  # WebVTT without hours
        ("0:00:01.5", 1_500),  # a short fraction is decimal, not milliseconds
        ("0:00:01.05", 1_050),
        ("0:00:07", 7_000),
        ("100:00:00,000", 360_000_000),
    ],
)
def test_parse_examples(text, ms):
    assert parse_timestamp(text) == ms


def test_format_examples():
    assert format_srt(3_723_004) == "01:02:03,004"
    assert format_vtt(3_723_004) == "01:02:03.004"
    assert format_ass(3_723_004) == "1:02:03.00"
    assert format_ass(3_723_999) == "1:02:03.99"
    assert format_clock(65_000) == "1:05"
    assert format_clock(3_723_004) == "1:02:03"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12",
        "00:00:01,000x",
        "00:00:01,0000",  # four fraction digits
        "00:60:00,000",
        "00:00:60,000",
        "-00:00:01,000",
        "00 :00:01,000",
        "00:00:01;000",
        "00:00:01,000 --> 00:00:02,000",
        "\u0661\u0662:\u0660\u0660:\u0660\u0660,\u0660\u0660\u0660",  # Arabic-Indic digits
        "\uff10\uff10:\uff10\uff10:\uff10\uff11,\uff10\uff10\uff10",  # full-width digits
    ],
)
def test_bad_timestamps_raise_input_error(text):
    with pytest.raises(InputError):
        parse_timestamp(text)


@given(st.text(alphabet="0123456789:,. -x\n", max_size=16))
def test_parse_either_succeeds_or_raises_input_error(text):
    try:
        ms = parse_timestamp(text)
    except InputError:
        return
    assert isinstance(ms, int) and ms >= 0
    assert parse_timestamp(format_srt(ms)) == ms


def test_parse_error_names_file_and_line():
    with pytest.raises(InputError) as info:
        parse_timestamp("1:2:3:4", path="talk.srt", line=7)
    assert str(info.value).startswith("talk.srt:7: ")


@pytest.mark.parametrize("bad", [-1, 1.5, True, "00:00:01,000"])
def test_format_rejects_non_times(bad):
    # These come from code, not from users: a bug, reported as such.
    with pytest.raises((ValueError, TypeError)):
        format_srt(bad)
