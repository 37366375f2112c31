"""WebVTT (.vtt) with voice tags.

Layout of the file::

    WEBVTT

    NOTE
    Title: <the transcript's title>
    Language: pt

    1
    00:00:00.500 --> 00:00:02.000
    <v Kirill Martynov>Has NATO ever wanted

    2
    00:00:02.100 --> 00:00:03.900
    <v Kirill Martynov>- Is that so?</v>
    <v Jens Stoltenberg>- No.</v>

A cue of one speaker opens a voice span that runs to the end of the cue; a cue
with a speaker change closes each speaker's span. Text is escaped (``&``, ``<``,
``>``), so nothing in the transcript can turn into markup or end a cue early.

Cue settings are left out by default: bottom-centred is what players do
without them. The job option ``vtt.line`` (a WebVTT ``line`` value such as
``0`` for the top or ``-2`` to stay clear of player controls) adds that setting
to every cue. The option ``word_times`` = "1" puts a timestamp tag before each
word of the source language's cues (``<00:00:01.250>word``) where alignment
timed the words, for players that colour the words as they are spoken.
"""

from __future__ import annotations

import re

from ..errors import UsageError
from ..timing import format_vtt
from . import ExportJob, Exporter, display_lines, line_speakers, shown_cues
from .wordtimes import cue_word_times, timed_words

_LINE_SETTING = re.compile(r"^-?\d+(?:\.\d+)?%?(?:,(?:start|center|end))?$")


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_STAMP = "\x00"  # marks an inline timestamp through escaping


def _with_timestamps(cue, starts: list[int]) -> tuple[str, ...]:
    """The cue's lines with a WebVTT timestamp tag before every word after the
    first (strictly inside the cue, each later than the one before)."""
    lines, last = [], cue.start_ms
    for row in timed_words(cue, starts):
        parts = []
        for at, word in row:
            if last < at < cue.end_ms:
                parts.append(f"{_STAMP}{at}{_STAMP}{word}")
                last = at
            else:
                parts.append(word)
        lines.append(" ".join(parts))
    return tuple(lines)


def _note_text(text: str) -> str:
    # A NOTE ends at a blank line and must not contain "-->".
    return " ".join(text.split()).replace("-->", "->")


def _voice_groups(lines: tuple[str, ...], speakers: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for line, speaker in zip(lines, speakers):
        if groups and groups[-1][0] == speaker:
            groups[-1][1].append(line)
        else:
            groups.append((speaker, [line]))
    return groups


def cue_payload(
    job: ExportJob, lines: tuple[str, ...], speakers: tuple[str, ...], segment_ids: tuple[int, ...] = ()
) -> str:
    """The text of one cue with voice spans around each speaker's lines (an uncertain
    attribution among ``segment_ids`` names its speaker "Name (?)")."""
    groups = _voice_groups(lines, speakers)
    parts: list[str] = []
    for speaker, group in groups:
        body = "\n".join(_stamps(escape_text(line)) for line in group)
        name = escape_text(" ".join(job.speaker_name(speaker, segment_ids).split()))
        if not name:
            parts.append(body)
        elif len(groups) == 1:
            parts.append(f"<v {name}>{body}")
        else:
            parts.append(f"<v {name}>{body}</v>")
    return "\n".join(parts)


def _stamps(text: str) -> str:
    if _STAMP not in text:
        return text
    pieces = text.split(_STAMP)  # text, ms, text, ms, text...
    return "".join(p if i % 2 == 0 else f"<{format_vtt(int(p))}>" for i, p in enumerate(pieces))


def cue_settings(job: ExportJob) -> str:
    line = job.option("vtt.line")
    if line is None:
        return ""
    if not _LINE_SETTING.match(line):
        raise UsageError(f"bad vtt.line value {line!r}", hint="give a line number such as -2 or a percentage such as 10%")
    return f" line:{line}"


class VttExporter(Exporter):
    name = "vtt"
    extension = ".vtt"
    bilingual = False

    def render(self, job: ExportJob) -> bytes:
        kept = job.kept_file("vtt")
        if kept is not None:
            return kept
        blocks = ["WEBVTT"]
        note = ["NOTE"]
        title = _note_text(job.project.transcript.meta.title)
        if title:
            note.append(f"Title: {title}")
        note.append(f"Language: {_note_text(job.language)}")
        blocks.append("\n".join(note))
        settings = cue_settings(job)
        word_starts = cue_word_times(job, job.track)
        for number, cue in enumerate(shown_cues(job.track), start=1):
            lines = display_lines(cue)
            if id(cue) in word_starts:
                lines = _with_timestamps(cue, word_starts[id(cue)])
            timing = f"{format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}{settings}"
            blocks.append(f"{number}\n{timing}\n{cue_payload(job, lines, line_speakers(cue), cue.segment_ids)}")
        return ("\n\n".join(blocks) + "\n").encode("utf-8")
