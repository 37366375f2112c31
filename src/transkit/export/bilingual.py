"""Bilingual subtitles: the source language and the target language on screen together.

**Bilingual ASS** (``bi.ass``) keeps both tracks as they are: the source cues in
small type at the top of the frame (styles ``<speaker> source``), the target
cues at the bottom in the speaker styles of the plain ASS export. Each language
keeps its own timing, because ASS shows any number of events at once.

**Bilingual SRT** (``bi.srt``) stacks the two languages in one cue, because many
players show only one SRT cue at a time. The target track gives the timing;
each source cue goes with the target cue it overlaps most (the nearest one if it
overlaps none), keeping the order, so every source cue and every target cue
appears exactly once; when both tracks have the same cue times (a subtitle
source whose cue grid is kept) cue goes with cue. A block shows its source lines in italics above the
target lines (text that looks like a tag is defused as in the plain SRT)::

    12
    00:00:41,200 --> 00:00:44,900
    <i>No, NATO is a defensive alliance.</i>
    Não, a NATO é uma aliança defensiva.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from typing import Sequence

from ..model import Cue
from . import ExportJob, Exporter, display_lines, require_source_track, shown_cues
from .ass import SOURCE_FONT_SIZE, add_styles, new_script, script_bytes, speaker_order, track_events
from .srt import compose_srt, defuse_markup, plain_block


def pair_cues(source: Sequence[Cue], target: Sequence[Cue]) -> list[list[int]]:
    """For each target cue, the indexes of the source cues shown with it.

    Both sequences are in time order. Every source index appears exactly once,
    and the indexes never go backwards from one target cue to the next.
    """
    groups: list[list[int]] = [[] for _ in target]
    if not target:
        return groups
    starts = [cue.start_ms for cue in target]
    # Latest end among target cues 0..i, so a backwards scan knows when to stop
    # even if some target cues overlap each other.
    reach = list(accumulate((cue.end_ms for cue in target), max))
    previous = 0
    for index, cue in enumerate(source):
        best = _best_overlap(cue, target, starts, reach)
        if best is None:
            best = _nearest(cue, target, starts)
        best = max(best, previous)
        groups[best].append(index)
        previous = best
    return groups


def _best_overlap(cue: Cue, target: Sequence[Cue], starts: list[int], reach: list[int]) -> int | None:
    best, best_overlap = None, 0
    j = bisect_left(starts, cue.end_ms) - 1
    while j >= 0 and reach[j] > cue.start_ms:
        overlap = min(cue.end_ms, target[j].end_ms) - max(cue.start_ms, target[j].start_ms)
        if overlap > 0 and overlap >= best_overlap:  # ">=": ties go to the earlier cue
            best, best_overlap = j, overlap
        j -= 1
    return best


def _nearest(cue: Cue, target: Sequence[Cue], starts: list[int]) -> int:
    after = bisect_left(starts, cue.end_ms)
    before = after - 1
    if before < 0:
        return 0
    if after >= len(target):
        return before
    gap_before = cue.start_ms - target[before].end_ms
    gap_after = target[after].start_ms - cue.end_ms
    return before if gap_before <= gap_after else after


def stacked_blocks(source: Sequence[Cue], target: Sequence[Cue]) -> list[tuple[int, int, str]]:
    """``(start_ms, end_ms, text)`` blocks of the bilingual SRT."""
    if not target:
        return [(cue.start_ms, cue.end_ms, _source_text(cue)) for cue in source]
    same_grid = [(c.start_ms, c.end_ms) for c in source] == [(c.start_ms, c.end_ms) for c in target]
    groups = [[i] for i in range(len(target))] if same_grid else pair_cues(source, target)
    blocks = []
    for cue, group in zip(target, groups):
        parts = [_source_text(source[i]) for i in group]
        parts.append(plain_block(display_lines(cue)))
        blocks.append((cue.start_ms, cue.end_ms, "\n".join(parts)))
    return blocks


def _source_text(cue: Cue) -> str:
    return "\n".join(f"<i>{defuse_markup(line)}</i>" for line in display_lines(cue))


class BilingualSrtExporter(Exporter):
    name = "bi.srt"
    extension = ".srt"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        source = shown_cues(require_source_track(job, "bilingual SRT"))
        return compose_srt(stacked_blocks(source, shown_cues(job.track))).encode("utf-8")


class BilingualAssExporter(Exporter):
    name = "bi.ass"
    extension = ".ass"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        source_track = require_source_track(job, "bilingual ASS")
        subs = new_script(job)
        speakers = speaker_order(job, [job.track, source_track])
        target_styles = add_styles(subs, speakers)
        source_styles = add_styles(subs, speakers, suffix=" source", default="Source", size=SOURCE_FONT_SIZE, top=True)
        events = track_events(job, source_track, source_styles) + track_events(job, job.track, target_styles)
        # Stable sort: on equal start times the source event stays first.
        subs.events = sorted(events, key=lambda event: event.start)
        return script_bytes(subs)

