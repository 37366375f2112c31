"""An existing SRT/VTT file as a transcript with timed sentences.

Cue texts are joined into paragraphs (a new paragraph after a pause of
``PARAGRAPH_GAP_MS``, a speaker change, or a sentence end once the paragraph
holds ``PARAGRAPH_MAX_CHARS``), split into whole sentences, and each
sentence is timed by interpolating over the characters of the cues it spans — so
a sentence broken over three cues is translated as one sentence and keeps the
time the cues gave it.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from ..errors import InputError
from ..model import Cue, Metadata, Paragraph, Segment, Speaker, Transcript

PARAGRAPH_GAP_MS = 2000
# Sentence splitting costs time growing with the square of a paragraph's length
# (pysbd), and subtitles often run for an hour without a 2-second pause: a run of
# cues is also cut after a cue that ends a sentence once it holds this many characters.
PARAGRAPH_MAX_CHARS = 2000
_DASH = re.compile(r"^[-–—]\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _cue_text(cue: Cue) -> str:
    return " ".join(_DASH.sub("", line).strip() for line in cue.lines if line.strip())


def transcript_from_cues(cues: tuple[Cue, ...], path: str = "") -> tuple[Transcript, tuple[Segment, ...]]:
    from ..segment import split_sentences

    groups: list[list[Cue]] = []
    length = 0  # characters in the last group
    for cue in cues:
        text = _cue_text(cue)
        if not text:
            continue
        speaker = cue.speakers[0] if cue.speakers else "S"
        if groups:
            previous = groups[-1][-1]
            prev_speaker = previous.speakers[0] if previous.speakers else "S"
            full = length >= PARAGRAPH_MAX_CHARS and _SENTENCE_END.search(_cue_text(previous))
            if cue.start_ms - previous.end_ms < PARAGRAPH_GAP_MS and speaker == prev_speaker and not full:
                groups[-1].append(cue)
                length += len(text) + 1
                continue
        groups.append([cue])
        length = len(text)
    if not groups:
        raise InputError("no subtitle text found", path=path, hint="give a subtitle file with cues")

    speakers: dict[str, Speaker] = {}
    paragraphs: list[Paragraph] = []
    segments: list[Segment] = []
    for group in groups:
        speaker = group[0].speakers[0] if group[0].speakers else "S"
        speakers.setdefault(speaker, Speaker(speaker, "Speaker" if speaker == "S" else speaker))
        text, starts, spans = "", [], []
        for cue in group:
            if text:
                text += " "
            starts.append(len(text))
            text += _cue_text(cue)
            spans.append(cue)
        index = len(paragraphs)
        paragraphs.append(Paragraph(index, "speech", text, speaker))
        for start, end in split_sentences(text):
            begin_ms = _time_at(start, starts, spans, text, at_end=False)
            end_ms = max(begin_ms + 1, _time_at(end, starts, spans, text, at_end=True))
            segments.append(
                Segment(len(segments), index, speaker, text[start:end], begin_ms, end_ms, start, end, "subtitles")
            )
    title = Path(path).stem if path else "subtitles"
    transcript = Transcript(Metadata(title=title), tuple(speakers.values()), tuple(paragraphs), path)
    return transcript, tuple(segments)


def _time_at(offset: int, starts: list[int], cues: list[Cue], text: str, *, at_end: bool) -> int:
    """The time at character ``offset``, interpolated inside the cue that holds it."""
    i = max(0, bisect.bisect_right(starts, offset - (1 if at_end else 0)) - 1)
    cue = cues[i]
    begin = starts[i]
    length = len(_cue_text(cue)) or 1
    fraction = min(1.0, max(0.0, (offset - begin) / length))
    return cue.start_ms + round(fraction * (cue.end_ms - cue.start_ms))
