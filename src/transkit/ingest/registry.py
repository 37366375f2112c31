"""Which reader reads a source file: a registry keyed by file suffix.

A reader takes the path and the text encoding (None: detect) and returns a
``SourceText``: the transcript and, where the file already has them, its timed
segments, how they were timed and (subtitle files) the input's cue grid. Readers
are registered as ``"module:function"`` (imported on first use, so ``--help`` and
runs on other formats never load them) or as a function. Adding a format is one
line::

    register_reader(".ass", "transkit.ingest.ass_reader:read_ass_source")

Suffixes are compared without case. A file whose suffix no reader claims is
read as the documented source format (``docs/source-format.md``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

from ..errors import InputError
from ..model import CueGrid, Project, Segment, Transcript


@dataclass(frozen=True)
class SourceText:
    """What a reader found in a source file.

    ``segments`` None: the transcript still has to be split into sentences and
    timed from the speech rate; otherwise ``timing`` says how their times were
    made. ``states_language`` False: the file cannot say what language it is in
    (plain text, subtitles), so the user's ``--from`` decides. ``project`` is set
    for a saved project file, which already holds everything (translations too).
    """

    transcript: Transcript
    segments: tuple[Segment, ...] | None = None
    timing: tuple[tuple[str, str], ...] | None = None
    states_language: bool = True
    project: Project | None = None
    grid: CueGrid | None = None  # a subtitle file's own cues, kept for its outputs


Reader = Callable[[Path, "str | None"], SourceText]


@dataclass(frozen=True)
class ReaderEntry:
    target: Union[str, Reader]  # "module:function" or the function itself
    size_limit: bool = True  # refuse files above MAX_SOURCE_BYTES before reading
    text: bool = True  # user text in some encoding (False: a file transkit wrote, UTF-8)

    def load(self) -> Reader:
        if callable(self.target):
            return self.target
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


READERS: dict[str, ReaderEntry] = {}


def register_reader(suffix: str, reader: Union[str, Reader], *, size_limit: bool = True, text: bool = True) -> None:
    """Read files ending in ``suffix`` (e.g. ".srt", any case) with ``reader``."""
    key = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    READERS[key] = ReaderEntry(reader, size_limit, text)


def reader_entry(source: Path) -> ReaderEntry:
    return READERS.get(source.suffix.lower(), DEFAULT_READER)


# Laying out subtitles costs about 45 MB of memory and 10-30 s of CPU per MB of
# transcript (benchmarks/resource_limits.py), and 16 MB is some 300 hours of
# speech: a bigger source is refused before it is read. Project files are exempt.
MAX_SOURCE_BYTES = 16 * 1024 * 1024


def read_source(source: Path, encoding: str | None = None) -> SourceText:
    """Read ``source`` with the reader its suffix names (the source format if none)."""
    entry = reader_entry(source)
    if entry.size_limit:
        _refuse_huge_source(source)
    return entry.load()(source, encoding)


def _refuse_huge_source(source: Path) -> None:
    try:
        size = source.stat().st_size
    except OSError:
        return  # a missing or unreadable source is reported by its reader
    if size > MAX_SOURCE_BYTES:
        raise InputError(
            f"source is too large: {size / 2**20:.1f} MB (the limit is {MAX_SOURCE_BYTES // 2**20} MB)",
            path=str(source),
            hint="split it into several files; transkit run takes a folder",
        )


# ---------------------------------------------------------------- the built-in readers


def read_source_format(path: Path, encoding: str | None = None) -> SourceText:
    from .source_format import load_transcript

    return SourceText(load_transcript(path, encoding=encoding))


def read_plain_text(path: Path, encoding: str | None = None) -> SourceText:
    from ..fsio import read_text_file
    from .plain_text import transcript_from_plain_text

    text = read_text_file(path, "text file", encoding)
    return SourceText(transcript_from_plain_text(text, str(path)), states_language=False)


def read_subtitles(path: Path, encoding: str | None = None) -> SourceText:
    from .grid_sentences import transcript_from_grid
    from .subtitle_cues import read_cue_grid

    transcript, segments, grid = transcript_from_grid(read_cue_grid(path, encoding=encoding), str(path))
    return SourceText(transcript, segments, (("method", "subtitles"),), states_language=False, grid=grid)


def read_project_file(path: Path, encoding: str | None = None) -> SourceText:
    from ..projectfile import load_project

    project = load_project(path)
    return SourceText(project.transcript, project.segments, project.timing, project=project, grid=project.subtitles)


DEFAULT_READER = ReaderEntry(read_source_format)
register_reader(".md", read_source_format)
register_reader(".txt", read_plain_text)
for _suffix in (".srt", ".vtt", ".webvtt", ".ass", ".ssa"):
    register_reader(_suffix, read_subtitles)
register_reader(".json", read_project_file, size_limit=False, text=False)
