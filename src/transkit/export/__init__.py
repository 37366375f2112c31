"""Exporters: one class per output format behind an explicit registry.

An exporter turns an ``ExportJob`` (the project, one target language, that
language's cue track and, for bilingual formats, the source-language track) into
the bytes of one file; the pipeline names the file (``output_name``) and writes
it (``fsio.write_if_changed``). Format modules are imported only when their format is used, so
the PDF or DOCX libraries never load for a subtitle-only run.

File names (``stem`` "interview", source language "en", target "pt"):

==========  ===========================  ==========================================
format      file                         what it is
==========  ===========================  ==========================================
srt         interview.pt.srt             SubRip subtitles
vtt         interview.pt.vtt             WebVTT with ``<v Speaker>`` voice tags
ass         interview.pt.ass             Advanced SubStation, one style per speaker
bi.srt      interview.en-pt.srt          SubRip, source line(s) in italics above target
bi.ass      interview.en-pt.ass          ASS, source small at the top, target at the bottom
json        interview.project.json       the project file (every language in one file)
pdf         interview.en-pt.pdf          bilingual side-by-side document
html        interview.en-pt.html         bilingual document
docx        interview.en-pt.docx         bilingual document
md          interview.en-pt.md           bilingual document
tmx         interview.en-pt.tmx          translation memory (sentence pairs)
xliff       interview.en-pt.xlf          XLIFF for post-editing
==========  ===========================  ==========================================

Bilingual formats need a target language other than the source language and,
where they show cues, the job's ``source_track``.

Every exporter writes UTF-8 without a byte-order mark, ``\\n`` line ends and a
final newline, and nothing that changes between runs (no dates, no random ids),
so the same job always gives the same bytes. SRT is written with ``\\n`` too: the
original SubRip used ``\\r\\n``, but players and ffmpeg read either, and one line
end for every format keeps diffs and golden files simple (the real-client tests
feed these files to ffmpeg and Chromium).
"""

from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar, Iterable

from ..errors import InputError, UsageError
from ..model import Cue, Project, Track


@dataclass(frozen=True)
class ExportJob:
    """What one export renders: a project seen through one target language."""

    project: Project
    language: str
    track: Track
    source_track: Track | None = None
    options: tuple[tuple[str, str], ...] = ()
    kept: object | None = None  # export.kept.KeptCues: write the input's own cue grid

    def kept_file(self, fmt: str) -> bytes | None:
        """The input's subtitle file in this language, when the job keeps its grid
        and ``fmt`` can hold it; None: render the track as usual."""
        if self.kept is None:
            return None
        from .kept import render_kept

        return render_kept(self.kept, fmt)  # type: ignore[arg-type]

    @property
    def source_language(self) -> str:
        return self.project.transcript.meta.language

    def option(self, key: str, default: str | None = None) -> str | None:
        for name, value in self.options:
            if name == key:
                return value
        return default

    def speaker_name(self, speaker_id: str | None, segment_ids: Iterable[int] = ()) -> str:
        """The display name of a speaker; the bare id when the transcript does not know it.

        Given the segments a cue shows, a speaker whose attribution there is
        uncertain (an ``XX?:`` paragraph) is shown as "Name (?)"."""
        if not speaker_id:
            return ""
        speaker = self.project.transcript.speaker(speaker_id)
        name = speaker.name if speaker and speaker.name else speaker_id
        if any((segment_id, speaker_id) in self._uncertain for segment_id in segment_ids):
            name += " (?)"
        return name

    @cached_property
    def _uncertain(self) -> frozenset[tuple[int, str]]:
        """(segment id, speaker id) of every segment in a paragraph marked for review."""
        review = {p.index for p in self.project.transcript.paragraphs if p.needs_review}
        return frozenset((s.id, s.speaker) for s in self.project.segments if s.paragraph in review)


class Exporter(ABC):
    """Base class of every format. Subclasses set the class attributes and ``render``.

    ``extension`` is the file suffix; ``output_name`` adds the language part in
    front of it. ``language_in_name`` is false for files that hold all
    languages at once (the project JSON).
    """

    name: ClassVar[str]
    extension: ClassVar[str]
    bilingual: ClassVar[bool] = False
    language_in_name: ClassVar[bool] = True

    @abstractmethod
    def render(self, job: ExportJob) -> bytes:
        """The whole file, ready to write."""


@dataclass(frozen=True)
class FormatEntry:
    """Where a format's exporter lives and how its files are named.

    The naming facts are kept here as well as on the class so that file names
    can be worked out without importing the format's module (a test checks that
    both agree).
    """

    module: str
    class_name: str
    extension: str
    bilingual: bool = False
    language_in_name: bool = True


EXPORTERS: dict[str, FormatEntry] = {
    "srt": FormatEntry("transkit.export.srt", "SrtExporter", ".srt"),
    "vtt": FormatEntry("transkit.export.vtt", "VttExporter", ".vtt"),
    "ass": FormatEntry("transkit.export.ass", "AssExporter", ".ass"),
    "bi.srt": FormatEntry("transkit.export.bilingual", "BilingualSrtExporter", ".srt", bilingual=True),
    "bi.ass": FormatEntry("transkit.export.bilingual", "BilingualAssExporter", ".ass", bilingual=True),
    "json": FormatEntry("transkit.export.jsonfile", "JsonExporter", ".project.json", language_in_name=False),
    "pdf": FormatEntry("transkit.export.pdf", "PdfExporter", ".pdf", bilingual=True),
    "html": FormatEntry("transkit.export.html", "HtmlExporter", ".html", bilingual=True),
    "docx": FormatEntry("transkit.export.docx", "DocxExporter", ".docx", bilingual=True),
    "md": FormatEntry("transkit.export.markdown", "MarkdownExporter", ".md", bilingual=True),
    "tmx": FormatEntry("transkit.export.tmx", "TmxExporter", ".tmx", bilingual=True),
    "xliff": FormatEntry("transkit.export.xliff", "XliffExporter", ".xlf", bilingual=True),
}

SUBTITLE_FORMATS: tuple[str, ...] = ("srt", "vtt", "ass", "bi.srt", "bi.ass")
DOCUMENT_FORMATS: tuple[str, ...] = ("pdf", "html", "docx", "md", "tmx", "xliff")

# Other spellings people type for a format.
ALIASES: dict[str, str] = {
    "webvtt": "vtt",
    "subrip": "srt",
    "ssa": "ass",
    "xlf": "xliff",
    "markdown": "md",
    "project": "json",
    "bilingual.srt": "bi.srt",
    "bilingual.ass": "bi.ass",
}

_instances: dict[str, Exporter] = {}


def format_name(name: str) -> str:
    """The registry key for a format name as a user typed it (case, a leading dot, aliases)."""
    key = name.strip().lower().lstrip(".")
    key = ALIASES.get(key, key)
    if key not in EXPORTERS:
        raise UsageError(f"unknown output format {name!r}", hint=f"choose from: {', '.join(EXPORTERS)}")
    return key


def format_entry(name: str) -> FormatEntry:
    return EXPORTERS[format_name(name)]


def get_exporter(name: str) -> Exporter:
    """The exporter of a format, importing its module on first use."""
    key = format_name(name)
    if key not in _instances:
        entry = EXPORTERS[key]
        try:
            module = importlib.import_module(entry.module)
            cls = getattr(module, entry.class_name)
        except (ImportError, AttributeError) as exc:
            raise UsageError(
                f"output format {key!r} is not available: {exc}",
                hint="reinstall transkit with its dependencies (scripts/setup.sh)",
            ) from exc
        _instances[key] = cls()
    return _instances[key]


def format_for_filename(filename: str | os.PathLike[str]) -> str:
    """Guess the format of an output file from its name.

    ``x.vtt`` -> vtt; ``x.en-pt.srt`` (two languages before the suffix) -> bi.srt;
    ``x.project.json`` or ``x.json`` -> json.
    """
    name = Path(filename).name.lower()
    parts = name.split(".")
    if len(parts) < 2:
        raise UsageError(f"cannot tell the output format of {name!r}", hint="give a file name with an extension")
    suffix = "." + parts[-1]
    if suffix == ".json":
        return "json"
    matches = [key for key, entry in EXPORTERS.items() if entry.extension == suffix]
    if not matches:
        if parts[-1] in ALIASES or parts[-1] in EXPORTERS:
            return format_name(parts[-1])
        raise UsageError(f"no output format writes {suffix!r} files", hint=f"choose from: {', '.join(EXPORTERS)}")
    if len(matches) > 1:
        bilingual = len(parts) >= 3 and _is_language_pair(parts[-2])
        matches = [key for key in matches if EXPORTERS[key].bilingual == bilingual]
    return matches[0]


def _is_language_pair(text: str) -> bool:
    left, sep, right = text.partition("-")
    return bool(sep) and left.isalpha() and right.isalpha() and 2 <= len(left) <= 3 and 2 <= len(right) <= 3


def output_name(stem: str, language: str, source_language: str, fmt: str) -> str:
    """The file name of one export, e.g. ``interview.pt.srt`` or ``interview.en-pt.pdf``."""
    key = format_name(fmt)
    entry = EXPORTERS[key]
    if not entry.language_in_name:
        return f"{stem}{entry.extension}"
    if entry.bilingual:
        if language == source_language:
            raise UsageError(
                f"the bilingual format {key!r} needs a target language other than the source ({source_language})",
                hint="leave bilingual formats out for the source language",
            )
        return f"{stem}.{source_language}-{language}{entry.extension}"
    return f"{stem}.{language}{entry.extension}"


# Helpers shared by the subtitle exporters.


def display_lines(cue: Cue) -> tuple[str, ...]:
    """The cue's lines as they should appear: stray line breaks split, blank lines dropped."""
    lines: list[str] = []
    for line in cue.lines:
        for part in line.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            part = part.strip()
            if part:
                lines.append(part)
    return tuple(lines)


def line_speakers(cue: Cue) -> tuple[str, ...]:
    """The speaker id of each of ``display_lines(cue)`` ("" where unknown).

    When a line held a stray line break, its parts keep the line's speaker.
    """
    speakers: list[str] = []
    for index, line in enumerate(cue.lines):
        speaker = cue.speakers[index] if index < len(cue.speakers) else ""
        parts = [p for p in line.replace("\r\n", "\n").replace("\r", "\n").split("\n") if p.strip()]
        speakers.extend([speaker or ""] * len(parts))
    return tuple(speakers)


def shown_cues(track: Track) -> tuple[Cue, ...]:
    """The cues that show something, checked for usable times.

    A cue with no visible text is left out (it would show nothing and breaks
    SRT); a cue that ends before it starts or starts before zero is an error.
    """
    cues: list[Cue] = []
    for number, cue in enumerate(track.cues, start=1):
        if cue.start_ms < 0 or cue.end_ms < cue.start_ms:
            raise InputError(
                f"cue {number} of the {track.language} track has impossible times "
                f"({cue.start_ms} -> {cue.end_ms} ms)",
                hint="run `transkit check` on the subtitles and re-run the layout",
            )
        if display_lines(cue):
            cues.append(cue)
    return tuple(cues)


def require_source_track(job: ExportJob, what: str) -> Track:
    if job.source_track is None:
        raise UsageError(
            f"{what} needs the source-language ({job.source_language}) cues as well",
            hint="lay out the source language too and pass it as the job's source_track",
        )
    if job.language == job.source_language:
        raise UsageError(f"{what} needs a target language other than the source ({job.source_language})")
    return job.source_track
