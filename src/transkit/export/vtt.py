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
to every cue.
"""

from __future__ import annotations

import re

from ..errors import UsageError
from ..timing import format_vtt
from . import ExportJob, Exporter, display_lines, line_speakers, shown_cues

_LINE_SETTING = re.compile(r"^-?\d+(?:\.\d+)?%?(?:,(?:start|center|end))?$")


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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


def cue_payload(job: ExportJob, lines: tuple[str, ...], speakers: tuple[str, ...]) -> str:
    """The text of one cue with voice spans around each speaker's lines."""
    groups = _voice_groups(lines, speakers)
    parts: list[str] = []
    for speaker, group in groups:
        body = "\n".join(escape_text(line) for line in group)
        name = escape_text(" ".join(job.speaker_name(speaker).split()))
        if not name:
            parts.append(body)
        elif len(groups) == 1:
            parts.append(f"<v {name}>{body}")
        else:
            parts.append(f"<v {name}>{body}</v>")
    return "\n".join(parts)


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
        for number, cue in enumerate(shown_cues(job.track), start=1):
            lines = display_lines(cue)
            timing = f"{format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}{settings}"
            blocks.append(f"{number}\n{timing}\n{cue_payload(job, lines, line_speakers(cue))}")
        return ("\n\n".join(blocks) + "\n").encode("utf-8")
