"""The subtitle exporters: golden files, SRT round trips, WebVTT, ASS, bilingual forms.

Golden files live in ``tests/golden/`` and are compared byte for byte. After an
intended change of output, regenerate them and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export_subtitles.py
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pysubs2
import pytest
import srt
from hypothesis import given, settings
from hypothesis import strategies as st

from export_sample import EN_TRACK, GOLDEN_FORMATS, PROJECT, RU_TRACK, SCRIPT_TEXT, STEM, english_job, sample_job
from transkit.errors import UsageError
from transkit.export import ExportJob, get_exporter, output_name
from transkit.export.ass import PALETTE, escape_text as ass_escape
from transkit.export.bilingual import pair_cues
from transkit.export.srt import WORD_JOINER
from transkit.model import Cue, Metadata, Track

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")


def render(fmt: str, job: ExportJob | None = None) -> bytes:
    return get_exporter(fmt).render(job or sample_job())


# --- golden files and the byte-level contract -----------------------------------------


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS)
def test_golden_file(fmt):
    path = GOLDEN_DIR / output_name(STEM, "ru", "en", fmt)
    data = render(fmt)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path.name} missing: run UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    assert data == path.read_bytes(), f"{path.name} differs (UPDATE_GOLDEN=1 regenerates it after review)"


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS)
def test_files_are_utf8_with_unix_line_ends_and_a_final_newline(fmt):
    data = render(fmt)
    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "\r" not in text
    assert text.endswith("\n")
    assert "Россию" in text


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS)
def test_same_project_rebuilt_gives_the_same_bytes(fmt):
    # A structurally equal job built from fresh objects: nothing depends on identity,
    # time or dictionary history.
    job = sample_job()
    rebuilt = ExportJob(
        replace(PROJECT, transcript=replace(PROJECT.transcript)),
        "ru",
        Track("ru", tuple(replace(c) for c in RU_TRACK.cues)),
        Track("en", tuple(replace(c) for c in EN_TRACK.cues)),
    )
    assert render(fmt, job) == render(fmt, rebuilt)


# --- SRT ------------------------------------------------------------------------------


def test_srt_parses_back_to_the_track():
    parsed = list(srt.parse(render("srt").decode("utf-8")))
    assert [s.index for s in parsed] == [1, 2, 3, 4]
    assert [(s.start, s.end) for s in parsed] == [
        (timedelta(milliseconds=c.start_ms), timedelta(milliseconds=c.end_ms)) for c in RU_TRACK.cues
    ]
    assert [s.content.replace(WORD_JOINER, "") for s in parsed] == [c.text for c in RU_TRACK.cues]
    assert parsed[1].content == "- Правда?\n- Нет."


def test_srt_defuses_text_that_looks_like_a_tag():
    text = render("srt").decode("utf-8")
    assert "<script>" not in text
    assert f"<{WORD_JOINER}script>alert(1)<{WORD_JOINER}/script>" in text
    job = replace(sample_job(), track=Track("ru", (Cue(0, 1000, ("1 < 2 and a <b> c",)),)))
    assert f"1 < 2 and a <{WORD_JOINER}b> c" in render("srt", job).decode("utf-8")


def test_srt_drops_blank_lines_and_empty_cues_and_splits_stray_breaks():
    track = Track(
        "en",
        (
            Cue(0, 1000, ("first", "   ", "second\nthird ")),
            Cue(1000, 1500, ("",)),
            Cue(2000, 3000, ("last",)),
        ),
    )
    parsed = list(srt.parse(render("srt", replace(english_job(), track=track)).decode("utf-8")))
    assert [s.content for s in parsed] == ["first\nsecond\nthird", "last"]
    assert [s.index for s in parsed] == [1, 2]


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=WORD_JOINER),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s != "")


@st.composite
def _cues(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    cues, t = [], 0
    for _ in range(count):
        t += draw(st.integers(min_value=0, max_value=50_000_000))
        duration = draw(st.integers(min_value=0, max_value=10_000_000))
        lines = tuple(draw(st.lists(_line, min_size=1, max_size=3)))
        cues.append(Cue(t, t + duration, lines))
        t += duration
    return cues


@settings(max_examples=150, deadline=None)
@given(_cues())
def test_srt_round_trip_property(cues):
    job = replace(english_job(), track=Track("en", tuple(cues)))
    parsed = list(srt.parse(render("srt", job).decode("utf-8")))
    assert len(parsed) == len(cues)
    for sub, cue in zip(parsed, cues):
        assert sub.start == timedelta(milliseconds=cue.start_ms)
        assert sub.end == timedelta(milliseconds=cue.end_ms)
        assert sub.content.replace(WORD_JOINER, "") == "\n".join(cue.lines)


# --- WebVTT ---------------------------------------------------------------------------

_VTT_TIMING = re.compile(r"^(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)( .*)?$")


def _vtt_cues(text: str) -> list[tuple[str, str, str, str]]:
    """(id, timing line, settings, payload) per cue block; NOTE blocks skipped."""
    header, *blocks = text.rstrip("\n").split("\n\n")
    assert header == "WEBVTT"
    cues = []
    for block in blocks:
        if block.startswith("NOTE"):
            assert "-->" not in block
            continue
        ident, timing, *payload = block.split("\n")
        match = _VTT_TIMING.match(timing)
        assert match, timing
        cues.append((ident, timing, match.group(3) or "", "\n".join(payload)))
    return cues


def _unescape(payload: str) -> str:
    text = re.sub(r"</?v[^>]*>", "", payload)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_vtt_structure_text_and_voices():
    text = render("vtt").decode("utf-8")
    assert text.startswith("WEBVTT\n\nNOTE\nTitle: If President Putin wants less NATO — «интервью» & test\nLanguage: ru\n\n")
    cues = _vtt_cues(text)
    assert [c[0] for c in cues] == ["1", "2", "3", "4"]
    assert [c[1].split(" --> ")[0] for c in cues] == ["00:00:00.500", "00:00:02.100", "00:00:04.000", "00:00:06.500"]
    assert [_unescape(c[3]) for c in cues] == [c.text for c in RU_TRACK.cues]
    assert cues[0][3].startswith("<v Kirill Martynov>")
    assert cues[1][3] == "<v Kirill Martynov>- Правда?</v>\n<v Jens Stoltenberg>- Нет.</v>"
    assert all(c[2] == "" for c in cues)  # no cue settings unless asked for


def test_vtt_escapes_markup_characters():
    text = render("vtt").decode("utf-8")
    assert SCRIPT_TEXT not in text
    assert "а &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&amp; «теги» &amp; {скобки}" in text
    body = text.split("\n\n", 2)[2]
    # Every "<" left is a voice tag; every "&" starts an entity.
    assert re.findall(r"<(?!/?v[ >])", body) == []
    assert re.findall(r"&(?!amp;|lt;|gt;)", body) == []


def test_vtt_speakers_unknown_or_missing():
    track = Track("en", (Cue(0, 1000, ("no speaker",)), Cue(1000, 2000, ("a guest",), ("GUEST",))))
    cues = _vtt_cues(render("vtt", replace(english_job(), track=track)).decode("utf-8"))
    assert cues[0][3] == "no speaker"
    assert cues[1][3] == "<v GUEST>a guest"


def test_vtt_note_cannot_end_early_or_hold_an_arrow():
    meta = Metadata(title="A --> B\n\nC", language="en")
    project = replace(PROJECT, transcript=replace(PROJECT.transcript, meta=meta))
    text = render("vtt", ExportJob(project, "en", EN_TRACK)).decode("utf-8")
    assert "NOTE\nTitle: A -> B C\nLanguage: en\n\n" in text
    assert len(_vtt_cues(text)) == len(EN_TRACK.cues)


def test_vtt_line_setting_on_request():
    cues = _vtt_cues(render("vtt", sample_job(options=(("vtt.line", "-2"),))).decode("utf-8"))
    assert {c[2] for c in cues} == {" line:-2"}
    with pytest.raises(UsageError, match="vtt.line"):
        render("vtt", sample_job(options=(("vtt.line", "top; evil"),)))


# --- ASS ------------------------------------------------------------------------------


def _load_ass(data: bytes) -> pysubs2.SSAFile:
    return pysubs2.SSAFile.from_string(data.decode("utf-8"))


def _ass_plain(text: str) -> str:
    text = re.sub(r"\{\\r[^}]*\}", "", text)
    return text.replace("\\N", "\n").replace("\\{", "{").replace("\\}", "}")


def test_ass_reads_back_with_pysubs2():
    subs = _load_ass(render("ass"))
    assert subs.info["PlayResX"] == "1920" and subs.info["PlayResY"] == "1080"
    assert [(e.start, e.end) for e in subs.events] == [(c.start_ms, c.end_ms) for c in RU_TRACK.cues]
    assert [_ass_plain(e.text) for e in subs.events] == [c.text for c in RU_TRACK.cues]
    assert [e.style for e in subs.events] == ["KM", "KM", "JS", "JS"]
    assert subs.events[1].text == "- Правда?\\N{\\rJS}- Нет."
    assert subs.events[1].name == "Kirill Martynov / Jens Stoltenberg"


def test_ass_styles_per_speaker():
    subs = _load_ass(render("ass"))
    km, js = subs.styles["KM"], subs.styles["JS"]
    assert km.primarycolor != js.primarycolor
    assert (js.primarycolor.r, js.primarycolor.g, js.primarycolor.b) == PALETTE[1]
    for style in (km, js):
        assert style.alignment == pysubs2.Alignment.BOTTOM_CENTER
        assert style.fontname == "DejaVu Sans"
        assert style.outline > 0
    six_speakers = Track("en", tuple(Cue(i * 1000, i * 1000 + 900, (f"line {i}",), (f"S{i}",)) for i in range(6)))
    subs = _load_ass(render("ass", replace(english_job(), track=six_speakers)))
    colours = {(subs.styles[f"S{i}"].primarycolor.r, subs.styles[f"S{i}"].primarycolor.g, subs.styles[f"S{i}"].primarycolor.b) for i in range(6)}
    assert len(colours) == 6


def test_ass_escapes_override_characters():
    assert ass_escape("{\\an8}x") == "\\{\\\u2060an8\\}x"
    assert ass_escape("a\\Nb") == "a\\\u2060Nb"
    text = render("ass").decode("utf-8")
    assert "\\{скобки\\}" in text


# --- bilingual ------------------------------------------------------------------------


def test_bilingual_srt_stacks_source_above_target():
    parsed = list(srt.parse(render("bi.srt").decode("utf-8")))
    assert [(s.start, s.end) for s in parsed] == [
        (timedelta(milliseconds=c.start_ms), timedelta(milliseconds=c.end_ms)) for c in RU_TRACK.cues
    ]
    for sub, source, target in zip(parsed, EN_TRACK.cues, RU_TRACK.cues):
        lines = sub.content.replace(WORD_JOINER, "").split("\n")
        assert lines == [f"<i>{line}</i>" for line in source.lines] + list(target.lines)


def test_bilingual_srt_keeps_every_cue_once_when_the_tracks_differ():
    source = Track(
        "en",
        (
            Cue(0, 1000, ("one",)),
            Cue(1100, 1600, ("two",)),
            Cue(1700, 4000, ("three",)),
            Cue(9000, 9500, ("far away",)),
        ),
    )
    target = Track("ru", (Cue(0, 1700, ("один два",)), Cue(1800, 4200, ("три",)), Cue(4300, 5000, ("тишина",))))
    job = ExportJob(PROJECT, "ru", target, source)
    parsed = list(srt.parse(render("bi.srt", job).decode("utf-8")))
    assert [s.content for s in parsed] == [
        "<i>one</i>\n<i>two</i>\nодин два",
        "<i>three</i>\nтри",
        "<i>far away</i>\nтишина",
    ]


@st.composite
def _timeline(draw, max_cues=8):
    cues, t = [], 0
    for _ in range(draw(st.integers(min_value=0, max_value=max_cues))):
        t += draw(st.integers(min_value=0, max_value=3000))
        duration = draw(st.integers(min_value=1, max_value=5000))
        cues.append(Cue(t, t + duration, ("x",)))
        t += duration
    return cues


def _overlap(a: Cue, b: Cue) -> int:
    return min(a.end_ms, b.end_ms) - max(a.start_ms, b.start_ms)


def _gap(a: Cue, b: Cue) -> int:
    return max(b.start_ms - a.end_ms, a.start_ms - b.end_ms, 0)


@settings(max_examples=300, deadline=None)
@given(_timeline(), _timeline())
def test_pairing_gives_every_source_cue_once_in_order_to_its_best_match(source, target):
    groups = pair_cues(source, target)
    assert len(groups) == len(target)
    if not target:
        return
    assert [i for group in groups for i in group] == list(range(len(source)))
    chosen = {i: g for g, group in enumerate(groups) for i in group}
    for i, cue in enumerate(source):
        overlaps = [_overlap(cue, t) for t in target]
        if max(overlaps) > 0:
            assert overlaps[chosen[i]] == max(overlaps)
        else:
            assert _gap(cue, target[chosen[i]]) == min(_gap(cue, t) for t in target)


def test_bilingual_ass_puts_source_at_the_top_and_target_at_the_bottom():
    subs = _load_ass(render("bi.ass"))
    source = [e for e in subs.events if e.style.endswith("source")]
    target = [e for e in subs.events if not e.style.endswith("source")]
    assert [(e.start, e.end, _ass_plain(e.text)) for e in source] == [(c.start_ms, c.end_ms, c.text) for c in EN_TRACK.cues]
    assert [(e.start, e.end, _ass_plain(e.text)) for e in target] == [(c.start_ms, c.end_ms, c.text) for c in RU_TRACK.cues]
    assert subs.styles["JS source"].alignment == pysubs2.Alignment.TOP_CENTER
    assert subs.styles["JS"].alignment == pysubs2.Alignment.BOTTOM_CENTER
    assert subs.styles["JS source"].fontsize < subs.styles["JS"].fontsize
    assert subs.styles["JS source"].primarycolor == subs.styles["JS"].primarycolor
    assert [e.start for e in subs.events] == sorted(e.start for e in subs.events)


@pytest.mark.parametrize("fmt", ["bi.srt", "bi.ass"])
def test_bilingual_needs_a_source_track_and_another_language(fmt):
    with pytest.raises(UsageError, match="source-language"):
        render(fmt, replace(sample_job(), source_track=None))
    with pytest.raises(UsageError, match="other than the source"):
        render(fmt, ExportJob(PROJECT, "en", EN_TRACK, EN_TRACK))
