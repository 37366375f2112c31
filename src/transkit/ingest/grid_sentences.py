"""A kept cue grid -> a transcript of whole sentences, each knowing its cues.

The parts of the cues (``CuePart``) are joined into paragraphs as
``from_subtitles`` does (a new paragraph after a pause of ``PARAGRAPH_GAP_MS``,
a change of voice, a cue shown at the same time as the one before, or a
sentence end once the paragraph is long); the part of a
dialogue or multi-voice cue is a paragraph of its own, so each line is
translated on its own. Each sentence becomes a ``Segment`` timed from the first
cue it starts in to the end of the last cue it ends in (no interpolation), and
``Piece``s record which stretch of which cue holds which sentence, so a
translation can be put back over exactly those cues.

Cues that are never shown (zero length or less) take no part: they are written
back as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ..model import CueGrid, Metadata, Paragraph, Piece, Segment, SourceCue, Speaker, Transcript

PARAGRAPH_GAP_MS = 2000
PARAGRAPH_MAX_CHARS = 2000  # see from_subtitles: sentence splitting grows with the square of a paragraph
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Unit:
    cue: int
    part: int
    text: str  # the part's text, white space collapsed
    offsets: tuple[int, ...]  # offsets[i]: where text[i] is in the cue's text
    speaker: str
    alone: bool  # from a cue of several parts: never joined with another


def normalized(text: str, start: int, end: int) -> tuple[str, tuple[int, ...]]:
    """``text[start:end]`` with runs of white space as one space, trimmed, and the
    offset in ``text`` of each character kept."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index in range(start, end):
        char = text[index]
        if char.isspace() and char not in "\u00a0\u202f":
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            offsets.append(index - 1)
            pending_space = False
        out.append(char)
        offsets.append(index)
    return "".join(out), tuple(offsets)


def _units(grid: CueGrid) -> list[_Unit]:
    units = []
    for c, cue in enumerate(grid.cues):
        if cue.end_ms <= cue.start_ms:
            continue
        for p, part in enumerate(cue.parts):
            text, offsets = normalized(cue.text, part.start, part.end)
            if text:
                units.append(_Unit(c, p, text, offsets, part.speaker, len(cue.parts) > 1))
    return units


def _simultaneous(first: SourceCue, second: SourceCue) -> bool:
    """Cues shown together for most of the shorter one's time (two texts in two
    places of the screen) are separate texts, not one sentence going on."""
    overlap = min(first.end_ms, second.end_ms) - max(first.start_ms, second.start_ms)
    shorter = min(first.end_ms - first.start_ms, second.end_ms - second.start_ms)
    return overlap > 0 and 2 * overlap >= shorter


def _paragraphs(grid: CueGrid, units: list[_Unit]) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    length = 0
    for unit in units:
        if groups and not unit.alone:
            last = groups[-1][-1]
            gap = grid.cues[unit.cue].start_ms - grid.cues[last.cue].end_ms
            full = length >= PARAGRAPH_MAX_CHARS and _SENTENCE_END.search(last.text)
            if (
                not last.alone
                and gap < PARAGRAPH_GAP_MS
                and unit.speaker == last.speaker
                and not full
                and not _simultaneous(grid.cues[last.cue], grid.cues[unit.cue])
            ):
                groups[-1].append(unit)
                length += len(unit.text) + 1
                continue
        groups.append([unit])
        length = len(unit.text)
    return groups


def _title(path: str) -> str:
    """The file name without suffix or trailing language code (``clip.en.srt`` -> clip)."""
    if not path:
        return "subtitles"
    return re.sub(r"(?<=.)\.[a-z]{2}(?:[-_][A-Za-z]{2,4})?$", "", Path(path).stem)


def transcript_from_grid(grid: CueGrid, path: str = "") -> tuple[Transcript, tuple[Segment, ...], CueGrid]:
    """The transcript, its timed sentences, and the grid with its ``pieces`` filled in."""
    from ..segment import split_sentences

    groups = _paragraphs(grid, _units(grid))
    if not groups:
        raise InputError("no subtitle text found", path=path, hint="give a subtitle file with cues")
    speakers: dict[str, Speaker] = {}
    paragraphs: list[Paragraph] = []
    segments: list[Segment] = []
    pieces: list[Piece] = []
    for group in groups:
        speaker = group[0].speaker
        if speaker:  # a voice the file names; no speaker is made up for the others
            speakers.setdefault(speaker, Speaker(speaker, speaker))
        starts, text = [], ""
        for unit in group:
            if text:
                text += " "
            starts.append(len(text))
            text += unit.text
        index = len(paragraphs)
        paragraphs.append(Paragraph(index, "speech", text, speaker))
        for start, end in split_sentences(text):
            segment_id = len(segments)
            cues: list[int] = []
            for unit, begin in zip(group, starts):
                lo, hi = max(start, begin), min(end, begin + len(unit.text))
                if lo >= hi or not unit.text[lo - begin : hi - begin].strip():
                    continue
                a, b = lo - begin, hi - begin
                pieces.append(Piece(segment_id, unit.cue, unit.part, unit.offsets[a], unit.offsets[b - 1] + 1))
                cues.append(unit.cue)
            begin_ms = min(grid.cues[c].start_ms for c in cues)
            end_ms = max(max(grid.cues[c].end_ms for c in cues), begin_ms + 1)
            segments.append(
                Segment(segment_id, index, speaker, text[start:end], begin_ms, end_ms, start, end, "subtitles")
            )
    title = _title(path)
    transcript = Transcript(Metadata(title=title), tuple(speakers.values()), tuple(paragraphs), path)
    return transcript, tuple(segments), replace(grid, pieces=tuple(pieces))
