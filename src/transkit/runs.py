"""What a run is told and what it tells back: settings, progress events, results.

A leaf module of plain frozen dataclasses. The pipeline takes ``RunSettings`` and
returns the result types; the CLI builds the settings and prints the results and
events. Nothing here imports a stage, so the CLI's progress bars and summary
tables (and ``batch``'s worker processes) can use these types without loading the
pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .align.types import AlignmentReport, AlignOptions
from .model import Project
from .profiles import StyleProfile, default_profile_for, get_profile
from .translate.base import TranslateOptions

if TYPE_CHECKING:
    from .segment import SpeechRate

# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class ProgressEvent:
    file: str
    stage: str  # ingest | segment | align | translate | layout | export | check | done | notice
    language: str = ""
    done: int = 0
    total: int = 0
    message: str = ""  # for "notice": something the user should know (a guessed encoding or language)


Progress = Callable[[ProgressEvent], None]


def notify(progress: Progress | None, event: ProgressEvent) -> None:
    if progress is not None:
        progress(event)


# ---------------------------------------------------------------- settings

DEFAULT_FORMATS = ("srt", "vtt", "ass", "bi.srt", "bi.ass", "pdf", "html", "docx", "md")
SEGMENT_FORMATS = ("srt", "vtt")


@dataclass(frozen=True)
class RunSettings:
    """Everything that decides a run's output, with the defaults a user gets.

    ``profile`` is the style profile of the source language, whatever language
    the source turns out to be in (known only once it is read); ``profiles`` are
    per-language choices (a config file's ``[profiles]`` table) for the others
    and, without ``profile``, for the source language too.
    """

    languages: tuple[str, ...] = ()
    out_dir: Path = Path("translations")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    engine: str = "auto"
    translate_options: TranslateOptions = TranslateOptions()
    profile: str | None = None  # style profile of the source language
    profiles: tuple[tuple[str, str], ...] = ()  # (language, profile name) choices
    speech_rate: SpeechRate | None = None  # None = its defaults
    audio: Path | None = None
    align: AlignOptions = AlignOptions()
    source_language: str | None = None  # --from: wins over a header and over detection
    encoding: str | None = None  # --encoding: the sources' text encoding (None = detect)
    glossary: Path | None = None
    use_memory: bool = True
    memory_path: Path | None = None
    models_dir: Path | None = None
    # subtitle sources: True lays each language out afresh inside each sentence's
    # cue span, False keeps the input's cue grid, None: as the project says (kept)
    relayout: bool | None = None
    review: bool = False  # review editions: QA flags marked in the PDF margin
    refuse_uncertain: bool = False  # an uncertain attribution (XX?:) stops the run
    word_times: bool = False  # WebVTT timestamps / ASS karaoke on the source's aligned words

    def profile_for(self, language: str, source_language: str | None = None) -> StyleProfile:
        """The style profile of ``language``; ``profile`` when it is the source language."""
        if self.profile is not None and language == source_language:
            return get_profile(self.profile)
        for lang, name in self.profiles:
            if lang == language:
                return get_profile(name)
        return default_profile_for(language)


_LANGUAGE_TAIL = re.compile(r"(?<=.)\.[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")


def source_stem(source: Path) -> str:
    """The name a source's outputs share: without the suffix, and without a trailing
    language code (``interview`` for interview.md or interview.project.json;
    ``clip.en.srt`` -> ``clip``, so its outputs are ``clip.pt.srt``, not ``clip.en.pt.srt``)."""
    name = source.name
    for suffix in (".project.json", source.suffix):
        if suffix and name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return _LANGUAGE_TAIL.sub("", name)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class LanguageExport:
    language: str
    cues: int
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    check_errors: int
    check_warnings: int
    checks: tuple[tuple[str, int, int], ...] = ()  # (format, errors, warnings)


@dataclass(frozen=True)
class ExportResult:
    project_path: str
    languages: tuple[LanguageExport, ...]
    project_written: bool = False  # False: the project file already held these bytes

    @property
    def files_written(self) -> tuple[str, ...]:
        return tuple(f for lang in self.languages for f in lang.written)

    @property
    def check_errors(self) -> int:
        return sum(lang.check_errors for lang in self.languages)


@dataclass(frozen=True)
class Prepared:
    """A read and timed source: the project and, when it was aligned, the aligner's report."""

    project: Project
    alignment: AlignmentReport | None = None


@dataclass(frozen=True)
class SegmentResult:
    """What ``segment``/``align`` made: the exports and the alignment report (None without audio)."""

    export: ExportResult
    alignment: AlignmentReport | None = None


@dataclass(frozen=True)
class LanguageSummary:
    language: str
    engine: str
    segments: int
    cues: int
    qa_flags: int
    check_errors: int
    check_warnings: int
    translated: int  # sentences the engine translated in this run (0 = all from memory)
    checks: tuple[tuple[str, int, int], ...] = ()  # (format, errors, warnings), SRT and VTT apart


@dataclass(frozen=True)
class RunResult:
    source: str
    project_path: str
    languages: tuple[LanguageSummary, ...]
    files_written: tuple[str, ...]
    files_unchanged: tuple[str, ...]
    stage_seconds: tuple[tuple[str, float], ...] = field(default=())
    alignment: tuple[str, ...] = ()  # with --audio: the aligner's report, line by line
    warnings: tuple[str, ...] = ()  # e.g. uncertain attributions, one line each
    # the flagged translations: (language, id or "id (line N)", kind, flags, source, target)
    flagged: tuple[tuple[str, str, str, str, str, str], ...] = ()
    temp_files_removed: int = 0  # temp files of killed earlier runs removed from the output folders
    notices: tuple[str, ...] = ()  # things the user should know, e.g. a regional tag served by its language's model


@dataclass(frozen=True)
class FileFailure:
    """A file of a batch that failed while the others went on (``run --scheduler``):
    the one-line message (naming the file) and the exit code of its error."""

    source: str
    message: str
    exit_code: int
