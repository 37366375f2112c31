"""Word times of the cues, for word-level output (WebVTT inline timestamps, ASS
karaoke), when the job asks for them (option ``word_times`` = "1").

Only the source language has them: alignment times the words of the recording's
own text. A cue's words are the next words of its sentence (the layout hands a
sentence's words out to its cues in order); a cue of several sentences (short
sentences sharing one cue) or a sentence without word times gets none.
"""

from __future__ import annotations

from ..model import Cue, Track
from . import ExportJob, display_lines


def cue_word_times(job: ExportJob, track: Track) -> dict[int, list[int]]:
    """``id(cue)`` -> the start (ms) of each of its words, in the order of its lines'
    words; empty unless the job asks for word times and they are known."""
    if job.option("word_times") != "1" or track.language != job.source_language:
        return {}
    segments = {s.id: s for s in job.project.segments}
    used: dict[int, int] = {}
    out: dict[int, list[int]] = {}
    for cue in track.cues:
        if len(cue.segment_ids) != 1:
            continue
        if display_lines(cue) != tuple(cue.lines):  # lines with stray breaks: left plain
            count = sum(len(line.split()) for line in cue.lines)
            used[cue.segment_ids[0]] = used.get(cue.segment_ids[0], 0) + count
            continue
        segment = segments.get(cue.segment_ids[0])
        count = sum(len(line.split()) for line in cue.lines)
        first = used.get(cue.segment_ids[0], 0)
        used[cue.segment_ids[0]] = first + count
        if segment is None or len(segment.words) != len(segment.text.split()):
            continue
        tokens = segment.text.split()[first: first + count]
        words = [w for line in cue.lines for w in line.split()]
        if words != tokens:  # the cue's text is not the sentence's own words
            continue
        out[id(cue)] = [a for a, _ in segment.words[first: first + count]]
    return out


def timed_words(cue: Cue, starts: list[int]) -> list[list[tuple[int, str]]]:
    """Per line of the cue, its words with their starts, each kept inside the cue
    and after the word before it."""
    out, k, previous = [], 0, cue.start_ms
    for line in cue.lines:
        row = []
        for word in line.split():
            at = min(max(starts[k], previous), cue.end_ms)
            row.append((at, word))
            previous = at
            k += 1
        out.append(row)
    return out
