"""Fuzzing the kept-grid route: whatever a subtitle file holds, reading it either
gives a grid or a one-line error naming the file (and the line where the times
are broken), and a grid written back in its own format - translated or not -
reads again as the same cues at the same times."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transkit.distribute import kept_cues
from transkit.errors import InputError, TranskitError
from transkit.export.kept import KeptCues, render_kept
from transkit.ingest.grid_sentences import transcript_from_grid
from transkit.ingest.subtitle_cues import read_cue_grid
from transkit.profiles import get_profile

FIXTURES = Path(__file__).parent / "fixtures" / "subtitles"
EXAMPLES = max(50, int(os.environ.get("TRANSKIT_FUZZ_EXAMPLES", "1000")) // 4)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
TOKENS = ["-->", "\n\n", "\n", "<i>", "</i>", "<v Ann>", "{\\an8}", "&amp;", "- ", "00:00:01,000", "00:01.000", "WEBVTT", "NOTE", "1", "\u2060", "<", ">", "{", "}"]


@st.composite
def mutated(draw, text: str) -> str:
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if how == "insert":
            piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
            text = text[:at] + piece + text[at:]
        else:
            end = min(len(text), at + draw(st.integers(0, 40)))
            text = text[:at] + (text[at:end] * 2 if how == "duplicate" else "") + text[end:]
    return text


def _property(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            grid = read_cue_grid(path)
        except TranskitError as exc:
            message = str(exc)
            assert len(message.splitlines()) == 1 and exc.exit_code != 1, message
            assert exc.path and Path(exc.path).name == name, message
            return
        try:
            _, segments, grid = transcript_from_grid(grid, name)
        except InputError:
            return  # no text to translate: said in one line
        profile = get_profile("netflix")
        for texts in (None, {s.id: s.text.upper() for s in segments}):
            outs = kept_cues(grid, segments, texts, "pt", profile)
            data = render_kept(KeptCues(grid, outs, "pt"), grid.format)
            again_path = Path(folder) / ("again" + path.suffix)
            again_path.write_bytes(data)
            again = read_cue_grid(again_path)
            assert [(c.start_ms, c.end_ms) for c in again.cues] == [(c.start_ms, c.end_ms) for c in grid.cues]
            if texts is None and grid.format != "ass":
                assert [c.raw for c in again.cues] == [c.raw for c in grid.cues]


@FUZZ
@given(data=st.data())
def test_srt_grid_structured(data):
    _property("styled.en.srt", data.draw(mutated((FIXTURES / "styled.en.srt").read_text(encoding="utf-8"))))


@FUZZ
@given(data=st.data())
def test_vtt_grid_structured(data):
    _property("voices.en.vtt", data.draw(mutated((FIXTURES / "voices.en.vtt").read_text(encoding="utf-8"))))


@FUZZ
@given(data=st.data())
def test_ass_grid_structured(data):
    _property("karaoke.en.ass", data.draw(mutated((FIXTURES / "karaoke.en.ass").read_text(encoding="utf-8"))))


@FUZZ
@given(text=st.text(max_size=300), suffix=st.sampled_from([".srt", ".vtt", ".ass"]))
def test_grid_random_text(text, suffix):
    _property("random" + suffix, text)
