"""SubRip (.srt) through the ``srt`` library.

Cues are numbered from 1 in track order; the text is the cue's plain lines.
Lines end with ``\\n`` and every block, the last included, ends with a blank line.

SRT has no escaping, yet players read HTML-like tags in it (ffmpeg drops the
ones it does not know), so a line quoting ``<script>`` would lose that word on
screen. A ``<`` that could open a tag is therefore followed by
an invisible WORD JOINER (U+2060): the text looks the same and stays text.
Braces are written as they are (``{\\an8}`` is a common SRT position tag); a
literal ``{...}`` in speech may be hidden by libass-based players.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable

import srt

from . import ExportJob, Exporter, display_lines, shown_cues
from .escape import WORD_JOINER, defuse_markup  # noqa: F401 - part of this module's interface



def plain_block(lines: tuple[str, ...]) -> str:
    return "\n".join(defuse_markup(line) for line in lines)


def compose_srt(blocks: Iterable[tuple[int, int, str]]) -> str:
    """SRT text of ``(start_ms, end_ms, text)`` blocks, numbered in the given order."""
    subtitles = [
        srt.Subtitle(
            index=number,
            start=timedelta(milliseconds=start_ms),
            end=timedelta(milliseconds=end_ms),
            content=text,
        )
        for number, (start_ms, end_ms, text) in enumerate(blocks, start=1)
    ]
    # reindex=False: the track is already in order, and srt's reindexing would
    # silently drop zero-length cues instead of writing what we were given.
    return srt.compose(subtitles, reindex=False, eol="\n")


class SrtExporter(Exporter):
    name = "srt"
    extension = ".srt"
    bilingual = False

    def render(self, job: ExportJob) -> bytes:
        kept = job.kept_file("srt")
        if kept is not None:
            return kept
        blocks = ((cue.start_ms, cue.end_ms, plain_block(display_lines(cue))) for cue in shown_cues(job.track))
        return compose_srt(blocks).encode("utf-8")
