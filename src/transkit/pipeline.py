"""The only module that chains the stages: ingest -> segment/time (or align) ->
translate -> lay out -> export -> check.

Every function takes plain data and an optional progress callback; nothing here
prints. The CLI turns ``ProgressEvent``s into progress bars.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import InputError, UsageError
from .fsio import removed_temp_files, write_if_changed
from .model import LanguageResult, Project, TextTranslation, Track, Translation
from .profiles import StyleProfile, default_profile_for, get_profile
from .translate.base import TranslateOptions, Translator


@dataclass(frozen=True)
class ProgressEvent:
    file: str
    stage: str  # ingest | segment | align | translate | layout | export | check | done | notice
    language: str = ""
    done: int = 0
    total: int = 0
    message: str = ""  # for "notice": something the user should know (a guessed encoding or language)


Progress = Callable[[ProgressEvent], None]

DEFAULT_FORMATS = ("srt", "vtt", "ass", "bi.srt", "bi.ass", "pdf", "html", "docx", "md")
CHECKED_FORMATS = ("srt", "vtt")
SOURCE_SUFFIXES = (".md",)
SUBTITLE_SUFFIXES = (".srt", ".vtt", ".webvtt", ".ass", ".ssa")


@dataclass(frozen=True)
class RunSettings:
    """Everything that decides a run's output, with the defaults a user gets."""

    languages: tuple[str, ...] = ()
    out_dir: Path = Path("translations")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    engine: str = "auto"
    translate_options: TranslateOptions = TranslateOptions()
    profiles: tuple[tuple[str, str], ...] = ()  # (language, profile name) overrides
    speech_rate: object | None = None  # transkit.segment.SpeechRate; None = its defaults
    audio: Path | None = None
    source_language: str | None = None  # --from: wins over a header and over detection
    encoding: str | None = None  # --encoding: the sources' text encoding (None = detect)
    glossary: Path | None = None
    use_memory: bool = True
    memory_path: Path | None = None
    models_dir: Path | None = None
    review: bool = False  # review editions: QA flags marked in the PDF margin
    refuse_uncertain: bool = False  # an uncertain attribution (XX?:) stops the run
    # subtitle sources: True lays each language out afresh inside each sentence's
    # cue span, False keeps the input's cue grid, None: as the project says (kept)
    relayout: bool | None = None

    def profile_for(self, language: str) -> StyleProfile:
        for lang, name in self.profiles:
            if lang == language:
                return get_profile(name)
        return default_profile_for(language)


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
    warnings: tuple[str, ...] = ()  # e.g. uncertain attributions, one line each
    temp_files_removed: int = 0  # temp files of killed earlier runs removed from the output folders
    notices: tuple[str, ...] = ()  # things the user should know, e.g. a regional tag served by its language's model


def _notify(progress: Progress | None, event: ProgressEvent) -> None:
    if progress is not None:
        progress(event)


# ---------------------------------------------------------------- stages


def prepare_project(
    source: Path,
    *,
    speech_rate: object | None = None,
    audio: Path | None = None,
    language: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> Project:
    """Read a source and time its sentences (estimated, kept from subtitles, or aligned).

    ``source`` may be a transcript in the source format (.md), a project JSON, an
    SRT/VTT file (its cue times are kept) or plain text (.txt). ``language`` says
    what language the source is in; without it, plain text and subtitles get the
    language identified from their text, and a transcript's header is kept (a
    notice says when the text disagrees). ``encoding`` forces the text encoding;
    without it a guessed one is said in a notice.
    """
    from .segment import SpeechRate, segment_transcript

    name = str(source)
    _notify(progress, ProgressEvent(name, "ingest"))
    suffix = source.suffix.lower()
    if suffix != ".json":
        _refuse_huge_source(source)
        encoding = _source_encoding(source, encoding, progress)
    rate = speech_rate if speech_rate is not None else SpeechRate()
    grid = None
    timing: tuple[tuple[str, str], ...] = rate.as_pairs()
    if suffix == ".json":
        from .projectfile import load_project

        project = load_project(source)
        transcript, segments, timing = project.transcript, project.segments, project.timing
        if audio is None:
            return project
    elif suffix in SUBTITLE_SUFFIXES:
        from .ingest.grid_sentences import transcript_from_grid
        from .ingest.subtitle_cues import read_cue_grid

        transcript, segments, grid = transcript_from_grid(read_cue_grid(source, encoding=encoding), name)
        timing = (("method", "subtitles"),)
    else:
        if suffix == ".txt":
            from .fsio import read_text_file
            from .ingest.plain_text import transcript_from_plain_text

            transcript = transcript_from_plain_text(read_text_file(source, "text file", encoding), name)
        else:
            from .ingest import load_transcript

            transcript = load_transcript(source, encoding=encoding)
        _notify(progress, ProgressEvent(name, "segment"))
        segments = segment_transcript(transcript, rate)
    # Only the file name: outputs must not depend on where the command was run from.
    transcript = replace(transcript, source_path=source.name)
    if suffix != ".json":
        from .ingest.language import choose_language

        spoken = " ".join(p.text for p in transcript.paragraphs if p.kind == "speech")
        declared = transcript.meta.language if suffix == ".md" else None
        chosen, notice = choose_language(spoken, declared=declared, forced=language)
        if notice:
            _notify(progress, ProgressEvent(name, "notice", message=notice))
        transcript = replace(transcript, meta=replace(transcript.meta, language=chosen))
    if audio is not None:
        from .align import align_transcript

        def on_align(done: int, total: int) -> None:
            _notify(progress, ProgressEvent(name, "align", done=done, total=total))

        result = align_transcript(transcript, segments, audio, progress=on_align)
        segments = tuple(result.segments)
        timing = (("method", "aligned"), ("audio", Path(audio).name))
    return Project(transcript=transcript, segments=segments, timing=timing, subtitles=grid)


def _source_encoding(source: Path, encoding: str | None, progress: Progress | None) -> str | None:
    """The encoding to read ``source`` in: ``encoding`` if given, else the detected
    one; a guess that was not certain is said in a notice."""
    from .fsio import read_decoded

    decoded = read_decoded(source, "source", encoding)
    if not decoded.confident:
        _notify(progress, ProgressEvent(str(source), "notice", message=(
            f"text encoding guessed as {decoded.encoding} - give --encoding if the text looks wrong"
        )))
    return decoded.encoding


# Laying out subtitles costs about 45 MB of memory and 10-30 s of CPU per MB of
# transcript (benchmarks/resource_limits.py), and 16 MB is some 300 hours of
# speech: a bigger source is refused before it is read. Project files are exempt.
MAX_SOURCE_BYTES = 16 * 1024 * 1024


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


def translate_project(
    project: Project,
    languages: Sequence[str],
    settings: RunSettings,
    *,
    label: str = "",
    progress: Progress | None = None,
    translators: OpenTranslators | None = None,
) -> tuple[Project, dict[str, int]]:
    """Translate every segment into each language; returns the project and, per
    language, how many sentences the engine translated in this call.

    ``translators`` keeps engines open for the next file of a batch; without it
    each language's engine is opened and closed here."""
    from .doctexts import document_texts
    from .translate.service import translate_texts

    memory = _open_memory(settings)
    glossary = _load_glossary(settings.glossary)
    source_language = project.transcript.meta.language
    # the title, roles and notes go in the same call, so memory, glossary and QA apply to them
    extra = document_texts(project.transcript)
    texts = [segment.text for segment in project.segments] + [text for _key, text in extra]
    results = {lang.language: lang for lang in project.languages}
    engine_counts: dict[str, int] = {}
    try:
        for language in languages:
            if language == source_language:
                continue

            def on_batch(done: int, total: int, language: str = language) -> None:
                _notify(progress, ProgressEvent(label, "translate", language, done, total))

            _notify(progress, ProgressEvent(label, "translate", language, 0, len(texts)))
            batch = translate_texts(
                texts,
                source_language,
                language,
                engine=settings.engine,
                options=settings.translate_options,
                memory=memory,
                glossary=glossary,
                progress=on_batch,
                translator=translators.get(source_language, language) if translators else None,
                models_dir=settings.models_dir,
            )
            # A memory hit is a cached engine result: record where the text came from,
            # not whether this run had it cached, so outputs do not depend on the cache.
            translations = tuple(
                Translation(
                    segment_id=segment.id,
                    text=text,
                    origin="human" if origin == "human" else "engine",
                    qa_flags=tuple(flags),
                )
                for segment, text, origin, flags in zip(
                    project.segments, batch.texts, batch.origins, batch.qa_flags
                )
            )
            first = len(project.segments)
            doc_texts = tuple(
                TextTranslation(key, source, text, "human" if origin == "human" else "engine", tuple(flags))
                for (key, source), text, origin, flags in zip(
                    extra, batch.texts[first:], batch.origins[first:], batch.qa_flags[first:]
                )
            )
            results[language] = LanguageResult(
                language=language,
                engine=batch.engine,
                model=batch.model_id,
                model_version=batch.model_version,
                translations=translations,
                options=(("options", settings.translate_options.key()),),
                texts=doc_texts,
            )
            engine_counts[language] = batch.engine_sentences
    finally:
        if memory is not None:
            memory.close()
    ordered = tuple(results[lang] for lang in sorted(results))
    return replace(project, languages=ordered), engine_counts


class OpenTranslators:
    """Translators opened once and kept for every file of a batch in one process:
    opening one loads its model (and may start engine worker processes), which
    otherwise every file of a batch would pay again."""

    def __init__(self, settings: RunSettings) -> None:
        self.settings = settings
        self._open: dict[tuple[str, str], Translator] = {}

    def get(self, source: str, target: str) -> Translator:
        translator = self._open.get((source, target))
        if translator is None:
            from .translate.engines import open_translator

            settings = self.settings
            translator = open_translator(
                source, target, engine=settings.engine, options=settings.translate_options, models_dir=settings.models_dir
            )
            self._open[(source, target)] = translator
        return translator

    def close(self) -> None:
        translators, self._open = list(self._open.values()), {}
        for translator in translators:
            translator.close()

    def __enter__(self) -> "OpenTranslators":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_memory(settings: RunSettings):
    if not settings.use_memory:
        return None
    from .paths import memory_path
    from .translate.memory import TranslationMemory

    return TranslationMemory(settings.memory_path or memory_path())


def _load_glossary(path: Path | None):
    if path is None:
        return None
    from .translate.glossary import load_glossary

    return load_glossary(path)


def build_track(project: Project, language: str, profile: StyleProfile) -> Track:
    """Lay out the cues of one language.

    The source language shows the segments' own text exactly as the transcript
    has it; typography rules are applied to translations only (engines write
    straight quotes and three dots, an editor's transcript is left as written).
    """
    from .layout import layout_track

    texts = None
    if language != project.transcript.meta.language:
        result = project.language(language)
        if result is None:
            raise UsageError(f"the project has no {language!r} translation", hint="translate it first")
        texts = {t.segment_id: t.text for t in result.translations}
    # text that is not in the recording was left unaligned (zero length): no cue for it
    shown = [segment for segment in project.segments if segment.timing != "unaligned"]
    return layout_track(shown, language, profile, texts=texts, typography=texts is not None)


def _track_for(project: Project, language: str, profile: StyleProfile, keep_grid: bool) -> tuple[Track, object | None]:
    """The cues of one language, and for a subtitle source whose grid is kept,
    what the SRT/VTT/ASS writers need to write the input's own cues."""
    if not keep_grid:
        return build_track(project, language, profile), None
    from .distribute import kept_cues, kept_track
    from .export.kept import KeptCues

    grid = project.subtitles
    assert grid is not None
    texts = None
    if language != project.transcript.meta.language:
        result = project.language(language)
        if result is None:
            raise UsageError(f"the project has no {language!r} translation", hint="translate it first")
        texts = {t.segment_id: t.text for t in result.translations}
    cues = kept_cues(grid, project.segments, texts, language, profile)
    return kept_track(grid, cues, language), KeptCues(grid, cues, language)


def check_outputs(paths: Iterable[Path], profile: StyleProfile) -> tuple[int, int]:
    """Run the subtitle linter on written single-language SRT/VTT files, read back
    from disk as a player would; returns (errors, warnings)."""
    from .check import check_cues
    from .ingest.subtitles import read_subtitle_file

    errors = warnings = 0
    for path in paths:
        report = check_cues(read_subtitle_file(path), profile)
        errors += len(report.errors)
        warnings += len(report.warnings)
    return errors, warnings


def check_outputs_by_format(paths: Iterable[Path], profile: StyleProfile) -> tuple[tuple[str, int, int], ...]:
    """``check_outputs`` per format, ``(format, errors, warnings)`` in the order the
    formats come: SRT and VTT hold the same cues, so their counts are not added up."""
    counts: dict[str, tuple[int, int]] = {}
    for path in paths:
        fmt = path.suffix.lstrip(".").lower()
        errors, warnings = check_outputs([path], profile)
        before = counts.get(fmt, (0, 0))
        counts[fmt] = (before[0] + errors, before[1] + warnings)
    return tuple((fmt, e, w) for fmt, (e, w) in counts.items())


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


def export_project(
    project: Project,
    stem: str,
    out_dir: Path,
    languages: Sequence[str],
    formats: Sequence[str],
    *,
    profile_for: Callable[[str], StyleProfile] = default_profile_for,
    flat: bool = False,
    save: bool = False,
    audio: Path | None = None,
    progress: Progress | None = None,
    review: bool = False,
    relayout: bool | None = None,
    word_times: bool = False,
) -> ExportResult:
    """Write ``formats`` for each language of a project (no translation happens here),
    then lint the written subtitles.

    ``flat`` puts every file straight into ``out_dir`` instead of one folder per
    language; ``save`` writes the project JSON beside them; ``review`` writes the
    review editions (QA flags marked in the PDF margin). Bilingual formats are
    written for target languages only. ``relayout`` (subtitle sources) lays the
    translations out afresh (True) or keeps the input's cues (False); None: as
    the project says. ``word_times``: WebVTT timestamps and ASS karaoke tags on the
    source language's words, where alignment timed them.
    """
    from .export import ExportJob, format_name, get_exporter, output_name
    from .projectfile import dumps_project

    if project.subtitles is not None and relayout is not None:
        project = replace(project, subtitles=replace(project.subtitles, relayout=relayout))
    source_language = project.transcript.meta.language
    formats = [format_name(fmt) for fmt in formats]  # unknown formats fail before any work
    exporters = [get_exporter(fmt) for fmt in formats]
    project_path = ""
    project_written = False
    if save:
        path = out_dir / f"{stem}.project.json"
        project_written = write_if_changed(path, dumps_project(project).encode())
        project_path = str(path)
    keep_grid = project.subtitles is not None and not project.subtitles.relayout
    # the source language of a subtitle source is the input's own cues, whatever the layout
    source_track, source_kept = _track_for(
        project, source_language, profile_for(source_language), project.subtitles is not None
    )
    results: list[LanguageExport] = []
    for language in languages:
        _notify(progress, ProgressEvent(stem, "export", language))
        profile = profile_for(language)
        is_source = language == source_language
        track, kept = (source_track, source_kept) if is_source else _track_for(project, language, profile, keep_grid)
        folder = out_dir if flat else out_dir / language
        # documents link the recording relative to where they are written
        options = (("audio", os.path.relpath(audio, folder)),) if audio else ()
        if review:
            options += (("review", "yes"),)
        if word_times:
            options += (("word_times", "1"),)
        job = ExportJob(
            project=project,
            language=language,
            track=track,
            source_track=None if is_source else source_track,
            options=options,
            kept=kept,
        )
        written: list[Path] = []
        unchanged: list[Path] = []
        checked: list[Path] = []
        for fmt, exporter in zip(formats, exporters):
            if exporter.bilingual and is_source:
                continue
            path = folder / output_name(stem, language, source_language, fmt)
            (written if write_if_changed(path, exporter.render(job)) else unchanged).append(path)
            if fmt in CHECKED_FORMATS:
                checked.append(path)
        _notify(progress, ProgressEvent(stem, "check", language))
        checks = check_outputs_by_format(checked, profile)
        errors, warnings = sum(c[1] for c in checks), sum(c[2] for c in checks)
        results.append(
            LanguageExport(
                language=language,
                cues=len(track.cues),
                written=tuple(map(str, written)),
                unchanged=tuple(map(str, unchanged)),
                check_errors=errors,
                check_warnings=warnings,
                checks=checks,
            )
        )
    return ExportResult(project_path=project_path, languages=tuple(results), project_written=project_written)


# ---------------------------------------------------------------- whole runs


_LANGUAGE_TAIL = re.compile(r"(?<=.)\.[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")


def source_stem(source: Path) -> str:
    """The name outputs are made from: without the suffix, and without a trailing
    language code (``clip.en.srt`` -> ``clip``, so its outputs are ``clip.pt.srt``
    and ``clip.en-pt.pdf``, not ``clip.en.pt.srt``)."""
    name = source.name
    for suffix in (".project.json", source.suffix):
        if suffix and name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return _LANGUAGE_TAIL.sub("", name)


def segment_source(
    source: Path,
    out_dir: Path,
    *,
    profile: StyleProfile | None = None,
    speech_rate: object | None = None,
    formats: Sequence[str] = ("srt", "vtt"),
    audio: Path | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    relayout: bool | None = None,
    word_times: bool = False,
) -> ExportResult:
    """Source transcript -> timed source-language subtitles and the project JSON, all in ``out_dir``."""
    project = prepare_project(source, speech_rate=speech_rate, audio=audio, encoding=encoding, progress=progress)
    return export_project(
        project,
        source_stem(source),
        out_dir,
        [project.transcript.meta.language],
        formats,
        profile_for=(lambda _lang: profile) if profile else default_profile_for,
        flat=True,
        save=True,
        progress=progress,
    )


def run_source(
    source: Path,
    settings: RunSettings,
    progress: Progress | None = None,
    *,
    translators: OpenTranslators | None = None,
) -> RunResult:
    """ingest -> time -> translate -> lay out -> export -> check, for every language."""
    name = str(source)
    stem = source_stem(source)
    seconds: dict[str, float] = {}
    removed_before = removed_temp_files()

    clock = time.perf_counter()
    project = prepare_project(
        source,
        speech_rate=settings.speech_rate,
        audio=settings.audio,
        language=settings.source_language,
        encoding=settings.encoding,
        progress=progress,
    )
    if project.subtitles is not None and settings.relayout is not None:
        # recorded in the project file, so a later `transkit export` lays out the same way
        project = replace(project, subtitles=replace(project.subtitles, relayout=settings.relayout))
    seconds["prepare"] = time.perf_counter() - clock
    from .attribution import refuse_uncertain, uncertain_attributions

    if settings.refuse_uncertain:
        refuse_uncertain(project.transcript, name)
    warnings = uncertain_attributions(project.transcript, name)
    source_language = project.transcript.meta.language
    targets = [lang for lang in dict.fromkeys(settings.languages) if lang != source_language]
    notices = regional_fallback_notices(source_language, targets, settings)

    clock = time.perf_counter()
    project, engine_counts = translate_project(
        project, targets, settings, label=name, progress=progress, translators=translators
    )
    seconds["translate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    exported = export_project(
        project,
        stem,
        settings.out_dir,
        [source_language, *targets],
        settings.formats,
        profile_for=settings.profile_for,
        save=True,
        audio=settings.audio,
        progress=progress,
        review=settings.review,
    )
    seconds["export+check"] = time.perf_counter() - clock

    written = [Path(p) for p in exported.files_written]
    unchanged = [Path(p) for lang in exported.languages for p in lang.unchanged]
    project_file = Path(exported.project_path)
    manifest = settings.out_dir / f"{stem}.manifest.json"
    from .reports import manifest_bytes_for

    manifest_bytes = manifest_bytes_for(source, project, settings, [project_file, *written, *unchanged])
    (written if exported.project_written else unchanged).insert(0, project_file)
    (written if write_if_changed(manifest, manifest_bytes) else unchanged).append(manifest)

    summaries = []
    for lang in exported.languages:
        result = project.language(lang.language)
        summaries.append(
            LanguageSummary(
                language=lang.language,
                engine=result.engine if result else "source",
                segments=len(project.segments),
                cues=lang.cues,
                qa_flags=sum(len(t.qa_flags) for t in (*result.translations, *result.texts)) if result else 0,
                check_errors=lang.check_errors,
                check_warnings=lang.check_warnings,
                translated=engine_counts.get(lang.language, 0),
                checks=lang.checks,
            )
        )
    _notify(progress, ProgressEvent(name, "done"))
    return RunResult(
        source=name,
        project_path=exported.project_path,
        languages=tuple(summaries),
        files_written=tuple(map(str, written)),
        files_unchanged=tuple(map(str, unchanged)),
        stage_seconds=tuple(seconds.items()),
        warnings=warnings,
        temp_files_removed=removed_temp_files() - removed_before,
        notices=notices,
    )


def suggest_glossary(source: Path, language: str, settings: RunSettings, progress: Progress | None = None) -> str:
    """A draft glossary CSV for ``source`` into ``language``: its recurring names and
    acronyms with their most frequent rendering (a project file's translation is
    used as it is; a transcript is translated first, through the memory)."""
    from .translate.terms import draft_glossary

    project = prepare_project(source, language=settings.source_language, progress=progress)
    if project.language(language) is None:
        project, _counts = translate_project(project, [language], settings, label=str(source), progress=progress)
    result = project.language(language)
    if result is None:
        raise UsageError(f"{language!r} is the source's own language", hint="give another language with --to")
    by_segment = {t.segment_id: t.text for t in result.translations}
    sources = [s.text for s in project.segments] + [t.source for t in result.texts]
    outputs = [by_segment.get(s.id, "") for s in project.segments] + [t.text for t in result.texts]
    glossary = _load_glossary(settings.glossary)
    skip = [t.source for t in glossary.for_language(language)] if glossary else []
    return draft_glossary(sources, outputs, language, skip)


def regional_fallback_notices(source_language: str, targets: Sequence[str], settings: RunSettings) -> tuple[str, ...]:
    """One line per regional target (pt-BR) that has no model of its own and is translated
    with its language's model (pt); its files keep the tag asked for."""
    from .langtags import is_regional

    notes = []
    for language in targets:
        try:
            if not is_regional(language):
                continue
        except ValueError:
            continue
        from .translate.engines import served_languages

        _, served = served_languages(source_language, language, settings.engine, settings.models_dir)
        if served != language.lower():
            notes.append(
                f"no {source_language}->{language} model installed: {language} is translated with the "
                f"{source_language}->{served} model (files are named {language})"
            )
    return tuple(notes)


def expand_sources(items: Sequence[str]) -> list[Path]:
    """Files, folders (their *.md files) and globs -> a sorted, de-duplicated list."""
    import glob

    found: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in SOURCE_SUFFIXES and p.is_file())
        elif any(ch in item for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(item))
            if not matches:
                raise InputError("no files match this pattern", path=item)
            found += [p for p in matches if p.is_file()]
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("source not found", path=item, hint="give a transcript file, a folder or a glob")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise InputError("no source transcripts (*.md) found", path=", ".join(items))
    stems = [source_stem(p) for p in unique]
    duplicates = {s for s in stems if stems.count(s) > 1}
    if duplicates:
        raise UsageError(
            f"two sources share the name {sorted(duplicates)[0]!r}; their outputs would collide",
            hint="rename one of them",
        )
    return [Path(os.path.relpath(p)) if p.is_relative_to(Path.cwd()) else p for p in unique]


def run_batch(
    sources: Sequence[Path],
    settings: RunSettings,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[RunResult]:
    """Run every source; with ``jobs`` > 1 in that many worker processes.

    Results come back in the order of ``sources`` whatever order workers finish in.
    A failing file stops the batch with its error; finished files are kept and
    a re-run reuses the translation memory.
    """
    if settings.audio is not None and len(sources) > 1:
        raise UsageError("--audio goes with a single source transcript", hint="run one file per recording")
    if jobs <= 1 or len(sources) <= 1:
        with OpenTranslators(settings) as translators:
            return [run_source(source, settings, progress, translators=translators) for source in sources]
    from .batch import run_parallel

    return run_parallel(sources, settings, jobs=jobs, progress=progress)


# ---------------------------------------------------------------- subtitle tracks into the video


@dataclass(frozen=True)
class MuxResult:
    video: str
    languages: tuple[str, ...]  # in track order; the first is the default track
    written: tuple[str, ...]


def mux_video(
    project: Project,
    video: Path,
    out_dir: Path,
    languages: Sequence[str],
    *,
    profile_for: Callable[[str], StyleProfile] = default_profile_for,
    mkv_subtitles: str = "srt",
    burn: str | None = None,
    progress: Progress | None = None,
) -> MuxResult:
    """Put a project's subtitles into ``video``: ``VIDEO.subtitles.mkv`` (SRT or ASS
    tracks) and ``VIDEO.subtitles.mp4`` (mov_text), one track per language, the
    first language the default, picture and sound copied; with ``burn``, also
    ``VIDEO.LANG.burned.mp4`` with that language drawn onto the picture (ASS
    styling, re-encoded)."""
    import tempfile

    from .align.audio import ffmpeg_binary
    from .export import ExportJob, get_exporter
    from .fsio import atomic_output, atomic_write_bytes
    from .video.mux import SubtitleTrack, burn_args, mux_args, probe_video, run_ffmpeg

    if mkv_subtitles not in ("srt", "ass"):
        raise UsageError(f"MKV subtitles must be srt or ass, not {mkv_subtitles!r}")
    languages = tuple(dict.fromkeys(languages))
    if not languages:
        raise UsageError("no languages to put into the video", hint="give --to, e.g. --to pt,en")
    info = probe_video(video)
    ffmpeg = ffmpeg_binary()
    name = video.name
    stem = video.stem
    outputs = {"mkv": out_dir / f"{stem}.subtitles.mkv", "mp4": out_dir / f"{stem}.subtitles.mp4"}
    if burn:
        outputs["burn"] = out_dir / f"{stem}.{burn}.burned.mp4"
    for path in outputs.values():
        if path.resolve() == video.resolve():
            raise UsageError("the output would overwrite the video", hint="choose another output folder")
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix="transkit-mux-") as tmp:
        files: dict[tuple[str, str], Path] = {}
        for n, language in enumerate(dict.fromkeys(languages + ((burn,) if burn else ()))):
            track = build_track(project, language, profile_for(language))
            job = ExportJob(project=project, language=language, track=track)
            for fmt in ("srt", "ass"):
                path = Path(tmp) / f"track{n}.{fmt}"
                atomic_write_bytes(path, get_exporter(fmt).render(job))
                files[(language, fmt)] = path
        for container in ("mkv", "mp4"):
            _notify(progress, ProgressEvent(name, "mux", container))
            fmt = mkv_subtitles if container == "mkv" else "srt"
            tracks = [SubtitleTrack(files[(lang, fmt)], lang) for lang in languages]
            with atomic_output(outputs[container]) as part:
                run_ffmpeg(mux_args(ffmpeg, video, tracks, part, container), outputs[container])
            written.append(str(outputs[container]))
        if burn:
            from importlib import resources

            # libass reads the ASS file's font (DejaVu Sans) from the bundled fonts
            atomic_write_bytes(Path(tmp) / "burn.ass", files[(burn, "ass")].read_bytes())
            for font in Path(str(resources.files("transkit") / "fonts")).glob("DejaVuSans*.ttf"):
                atomic_write_bytes(Path(tmp) / "fonts" / font.name, font.read_bytes())
            target = outputs["burn"]

            def on_progress(done: int, total: int) -> None:
                _notify(progress, ProgressEvent(name, "burn", burn, done=done, total=total))

            with atomic_output(target) as part:
                args = burn_args(ffmpeg, video.resolve(), "burn.ass", "fonts", part.resolve())
                run_ffmpeg(args, target, cwd=tmp, duration_ms=info.duration_ms, progress=on_progress)
            written.append(str(target))
    return MuxResult(str(video), languages, tuple(written))
