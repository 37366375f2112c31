"""The only module that chains the stages: ingest -> segment/time (or align) ->
translate -> lay out -> export -> check.

Every command of the CLI makes one call here: ``segment_source`` (segment and
align), ``run_source`` (run and translate; ``batch.run_batch`` for many files),
``export_saved`` (export) and ``import_edits`` (import-edits). Each takes the
source, ``RunSettings`` and an optional progress callback, and returns a result
from ``transkit.runs``; nothing here prints.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import UsageError
from .fsio import removed_temp_files, write_if_changed
from .model import LanguageResult, Project, TextTranslation, Track, Translation
from .profiles import StyleProfile, default_profile_for
from .runs import (
    ExportResult,
    LanguageExport,
    LanguageSummary,
    Prepared,
    Progress,
    ProgressEvent,
    RunResult,
    RunSettings,
    SegmentResult,
    notify,
    source_stem,
)
from .translate.session import OpenTranslators, open_glossary, open_memory

CHECKED_FORMATS = ("srt", "vtt")


# ---------------------------------------------------------------- stages


def prepare(source: Path, settings: RunSettings = RunSettings(), progress: Progress | None = None) -> Prepared:
    """Read a source and time its sentences (estimated, kept from subtitles, or
    aligned to ``settings.audio``); the project and, if aligned, the aligner's report.

    ``source`` is read by the reader its suffix names (``transkit.ingest.registry``:
    the source format .md, a project JSON, subtitle files whose cue grid is kept,
    plain text .txt...). ``settings.source_language`` (--from) says what language
    the source is in; without it, plain text and subtitles get the language
    identified from their text, and a transcript's header is kept (a notice says
    when the text disagrees). ``settings.encoding`` forces the text encoding;
    without it a guessed one is said in a notice.
    """
    from .ingest.registry import read_source, reader_entry

    name = str(source)
    notify(progress, ProgressEvent(name, "ingest"))
    entry = reader_entry(source)
    encoding = settings.encoding
    if entry.text:
        if entry.size_limit:
            from .ingest.registry import _refuse_huge_source

            _refuse_huge_source(source)  # before the encoding is detected on its bytes
        encoding = _source_encoding(source, encoding, progress)
    read = read_source(source, encoding)
    if read.project is not None and settings.audio is None:
        return Prepared(read.project)
    transcript, segments, timing = read.transcript, read.segments, read.timing
    if segments is None:
        from .segment import SpeechRate, segment_transcript

        rate = settings.speech_rate if settings.speech_rate is not None else SpeechRate()
        notify(progress, ProgressEvent(name, "segment"))
        segments = segment_transcript(transcript, rate)
        timing = rate.as_pairs()
    # Only the file name: outputs must not depend on where the command was run from.
    transcript = replace(transcript, source_path=source.name)
    if read.project is None:
        from .ingest.language import choose_language

        spoken = " ".join(p.text for p in transcript.paragraphs if p.kind == "speech")
        declared = transcript.meta.language if read.states_language else None
        chosen, notice = choose_language(spoken, declared=declared, forced=settings.source_language)
        if notice:
            notify(progress, ProgressEvent(name, "notice", message=notice))
        transcript = replace(transcript, meta=replace(transcript.meta, language=chosen))
    report = None
    if settings.audio is not None:
        from .align import align_transcript

        def on_align(done: int, total: int) -> None:
            notify(progress, ProgressEvent(name, "align", done=done, total=total))

        aligned = align_transcript(transcript, segments, settings.audio, progress=on_align, options=settings.align)
        segments, report = tuple(aligned.segments), aligned.report
        timing = (("method", "aligned"), ("audio", Path(settings.audio).name))
    project = Project(transcript=transcript, segments=tuple(segments), timing=timing or (), subtitles=read.grid)
    return Prepared(project, report)


def _source_encoding(source: Path, encoding: str | None, progress: Progress | None) -> str | None:
    """The encoding to read ``source`` in: ``encoding`` if given, else the detected
    one; a guess that was not certain is said in a notice."""
    from .fsio import read_decoded

    decoded = read_decoded(source, "source", encoding)
    if not decoded.confident:
        notify(progress, ProgressEvent(str(source), "notice", message=(
            f"text encoding guessed as {decoded.encoding} - give --encoding if the text looks wrong"
        )))
    return decoded.encoding


def prepare_project(source: Path, settings: RunSettings = RunSettings(), progress: Progress | None = None) -> Project:
    """``prepare`` for callers that want only the project."""
    return prepare(source, settings, progress).project


def open_translators(settings: RunSettings) -> OpenTranslators:
    """The engines of a run, opened as files need them and kept for the next file."""
    return OpenTranslators(settings.engine, settings.translate_options, settings.models_dir)


def texts_to_translate(project: Project) -> list[str]:
    """What ``translate_project`` sends for translation, in order: every segment,
    then the document's own texts (title, roles, notes)."""
    from .doctexts import document_texts

    return [segment.text for segment in project.segments] + [text for _key, text in document_texts(project.transcript)]


def translate_project(
    project: Project,
    languages: Sequence[str],
    settings: RunSettings,
    *,
    label: str = "",
    progress: Progress | None = None,
    translators: OpenTranslators | None = None,
    memory: object | None = None,
) -> tuple[Project, dict[str, int]]:
    """Translate every segment into each language; returns the project and, per
    language, how many sentences the engine translated in this call.

    ``translators`` keeps engines open for the next file of a batch; without it
    each language's engine is opened and closed here. ``memory`` is a memory to
    use instead of the one the settings name (a cluster worker's rows in memory:
    ``translate.memory.CarriedMemory``); it is left open."""
    from .doctexts import document_texts
    from .translate.service import translate_texts

    owned = memory is None
    if owned:
        memory = open_memory(settings.use_memory, settings.memory_path)
    glossary = open_glossary(settings.glossary)
    source_language = project.transcript.meta.language
    # the title, roles and notes go in the same call, so memory, glossary and QA apply to them
    extra = document_texts(project.transcript)
    texts = texts_to_translate(project)
    results = {lang.language: lang for lang in project.languages}
    engine_counts: dict[str, int] = {}
    try:
        for language in languages:
            if language == source_language:
                continue

            def on_batch(done: int, total: int, language: str = language) -> None:
                notify(progress, ProgressEvent(label, "translate", language, done, total))

            notify(progress, ProgressEvent(label, "translate", language, 0, len(texts)))
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
                texts=doc_texts,
                options=(("options", settings.translate_options.key()),),
            )
            engine_counts[language] = batch.engine_sentences
    finally:
        if owned and memory is not None:
            memory.close()
    ordered = tuple(results[lang] for lang in sorted(results))
    return replace(project, languages=ordered), engine_counts


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
    return check_rendered([(str(path), Path(path).read_bytes()) for path in paths], profile)


def check_rendered(files: Iterable[tuple[str, bytes]], profile: StyleProfile) -> tuple[tuple[str, int, int], ...]:
    """The subtitle linter on rendered single-language SRT/VTT files ``(name, bytes)``,
    parsed as a player reads them; ``(format, errors, warnings)`` per format."""
    from .check import check_cues
    from .ingest.subtitles import parse_srt, parse_vtt

    counts: dict[str, tuple[int, int]] = {}
    for name, data in files:
        fmt = name.rsplit(".", 1)[-1].lower()
        parse = parse_vtt if fmt == "vtt" else parse_srt
        report = check_cues(parse(data.decode("utf-8-sig"), name), profile)
        before = counts.get(fmt, (0, 0))
        counts[fmt] = (before[0] + len(report.errors), before[1] + len(report.warnings))
    return tuple((fmt, e, w) for fmt, (e, w) in counts.items())


@dataclass(frozen=True)
class RenderedLanguage:
    """One language's rendered outputs: their paths (relative to the output folder) and the check."""

    language: str
    cues: int
    files: tuple[str, ...]
    checks: tuple[tuple[str, int, int], ...]  # (format, errors, warnings)


@dataclass(frozen=True)
class RenderedProject:
    """Every output of a project as bytes, nothing written yet: ``files`` are
    ``(path relative to the output folder, bytes)`` in the order they are written."""

    files: tuple[tuple[str, bytes], ...]
    languages: tuple[RenderedLanguage, ...]
    project_file: str = ""  # "" when the project JSON is not among the files


def render_project(
    project: Project,
    stem: str,
    languages: Sequence[str],
    formats: Sequence[str],
    *,
    profile_for: Callable[[str], StyleProfile] = default_profile_for,
    flat: bool = False,
    save: bool = False,
    audio: Path | None = None,
    out_dir: Path = Path("."),
    progress: Progress | None = None,
    relayout: bool | None = None,
    review: bool = False,
    word_times: bool = False,
) -> RenderedProject:
    """Lay out and render ``formats`` for each language of a project as bytes (no
    translation, no writing here), and lint the rendered subtitles.

    ``flat`` puts every file straight into the output folder instead of one folder per
    language; ``save`` adds the project JSON, recording the source language's style
    profile. Bilingual formats are rendered for target languages only. ``out_dir`` is
    only used to link ``audio`` relative to where documents will be written.
    ``relayout`` (subtitle sources) lays the translations out afresh (True) or keeps
    the input's cues (False); None: as the project says. ``review`` renders the
    review editions (QA flags marked in the PDF margin); ``word_times``: WebVTT
    timestamps and ASS karaoke tags on the source language's words, where
    alignment timed them.
    """
    from .export import ExportJob, format_name, get_exporter, output_name
    from .projectfile import dumps_project

    if project.subtitles is not None and relayout is not None:
        project = replace(project, subtitles=replace(project.subtitles, relayout=relayout))

    source_language = project.transcript.meta.language
    formats = list(dict.fromkeys(format_name(fmt) for fmt in formats))  # unknown formats fail before any work
    exporters = [get_exporter(fmt) for fmt in formats]
    source_profile = profile_for(source_language)
    project = replace(project, profile=source_profile.name)
    files: list[tuple[str, bytes]] = []
    project_file = ""
    if save:
        project_file = f"{stem}.project.json"
        files.append((project_file, dumps_project(project).encode()))
    keep_grid = project.subtitles is not None and not project.subtitles.relayout
    # the source language of a subtitle source is the input's own cues, whatever the layout
    source_track, source_kept = _track_for(project, source_language, source_profile, project.subtitles is not None)
    results: list[RenderedLanguage] = []
    for language in languages:
        notify(progress, ProgressEvent(stem, "export", language))
        is_source = language == source_language
        profile = source_profile if is_source else profile_for(language)
        track, kept = (source_track, source_kept) if is_source else _track_for(project, language, profile, keep_grid)
        folder = "" if flat else f"{language}/"
        # documents link the recording relative to where they are written
        options = (("audio", os.path.relpath(audio, out_dir / folder)),) if audio else ()
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
        rendered: list[tuple[str, bytes]] = []
        checked: list[tuple[str, bytes]] = []
        for fmt, exporter in zip(formats, exporters):
            if exporter.bilingual and is_source:
                continue
            item = (folder + output_name(stem, language, source_language, fmt), exporter.render(job))
            rendered.append(item)
            if fmt in CHECKED_FORMATS:
                checked.append(item)
        notify(progress, ProgressEvent(stem, "check", language))
        files += rendered
        results.append(
            RenderedLanguage(
                language=language,
                cues=len(track.cues),
                files=tuple(name for name, _ in rendered),
                checks=check_rendered(checked, profile),
            )
        )
    return RenderedProject(files=tuple(files), languages=tuple(results), project_file=project_file)


def write_rendered(files: Iterable[tuple[str, bytes]], out_dir: Path) -> set[str]:
    """Write rendered files under ``out_dir`` (atomically, skipping files that already
    hold the same bytes); the relative paths that were written."""
    return {name for name, data in files if write_if_changed(out_dir / name, data)}


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
    relayout: bool | None = None,
    review: bool = False,
    word_times: bool = False,
) -> ExportResult:
    """``render_project``, then write the files into ``out_dir``."""
    rendered = render_project(
        project, stem, languages, formats,
        profile_for=profile_for, flat=flat, save=save, audio=audio, out_dir=out_dir, progress=progress,
        relayout=relayout, review=review, word_times=word_times,
    )
    written = write_rendered(rendered.files, out_dir)
    return _export_result(rendered, written, out_dir)


def _export_result(rendered: RenderedProject, written: set[str], out_dir: Path) -> ExportResult:
    results = []
    for lang in rendered.languages:
        errors, warnings = sum(c[1] for c in lang.checks), sum(c[2] for c in lang.checks)
        results.append(
            LanguageExport(
                language=lang.language,
                cues=lang.cues,
                written=tuple(str(out_dir / f) for f in lang.files if f in written),
                unchanged=tuple(str(out_dir / f) for f in lang.files if f not in written),
                check_errors=errors,
                check_warnings=warnings,
                checks=lang.checks,
            )
        )
    project_path = str(out_dir / rendered.project_file) if rendered.project_file else ""
    return ExportResult(
        project_path=project_path, languages=tuple(results), project_written=rendered.project_file in written
    )


def _profile_chooser(settings: RunSettings, project: Project) -> Callable[[str], StyleProfile]:
    source_language = project.transcript.meta.language
    return lambda language: settings.profile_for(language, source_language)


# ---------------------------------------------------------------- whole commands


def segment_source(source: Path, settings: RunSettings = RunSettings(), progress: Progress | None = None) -> SegmentResult:
    """Source -> timed (or aligned) source-language subtitles and the project JSON,
    all in ``settings.out_dir``: ``transkit segment`` and ``transkit align``."""
    prepared = prepare(source, settings, progress)
    project = prepared.project
    exported = export_project(
        project,
        source_stem(source),
        settings.out_dir,
        [project.transcript.meta.language],
        settings.formats,
        profile_for=_profile_chooser(settings, project),
        flat=True,
        save=True,
        progress=progress,
        relayout=settings.relayout,
        word_times=settings.word_times,
    )
    return SegmentResult(exported, prepared.alignment)


@dataclass(frozen=True)
class RenderedSource:
    """``render_source``'s answer: the translated project and its outputs as bytes."""

    source: str
    project: Project
    rendered: RenderedProject
    manifest_file: str
    engine_counts: tuple[tuple[str, int], ...]  # (language, sentences the engine translated)
    stage_seconds: tuple[tuple[str, float], ...]
    alignment: tuple[str, ...] = ()  # with audio: the aligner's report, line by line
    warnings: tuple[str, ...] = ()  # e.g. uncertain attributions, one line each
    notices: tuple[str, ...] = ()  # e.g. a regional tag served by its language's model

    @property
    def files(self) -> tuple[tuple[str, bytes], ...]:
        """Every output in writing order: project, each language's files, manifest last."""
        return self.rendered.files


def render_source(
    source: Path,
    settings: RunSettings,
    progress: Progress | None = None,
    *,
    translators: OpenTranslators | None = None,
    memory: object | None = None,
    source_bytes: bytes | None = None,
) -> RenderedSource:
    """ingest -> time -> translate -> lay out -> render -> check, for every language,
    all in memory: nothing is written (``write_source`` writes). A cluster worker
    runs this on its copy of the source; ``run_source`` runs it and writes."""
    from .reports import manifest_bytes

    name = str(source)
    stem = source_stem(source)
    seconds: dict[str, float] = {}

    clock = time.perf_counter()
    prepared = prepare(source, settings, progress)
    project = prepared.project
    from .attribution import refuse_uncertain, uncertain_attributions

    if settings.refuse_uncertain:
        refuse_uncertain(project.transcript, name)
    warnings = uncertain_attributions(project.transcript, name)
    if project.subtitles is not None and settings.relayout is not None:
        # recorded in the project file, so a later `transkit export` lays out the same way
        project = replace(project, subtitles=replace(project.subtitles, relayout=settings.relayout))
    seconds["prepare"] = time.perf_counter() - clock
    source_language = project.transcript.meta.language
    targets = [lang for lang in dict.fromkeys(settings.languages) if lang != source_language]
    notices = regional_fallback_notices(source_language, targets, settings)

    clock = time.perf_counter()
    project, engine_counts = translate_project(
        project, targets, settings, label=name, progress=progress, translators=translators, memory=memory
    )
    seconds["translate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    rendered = render_project(
        project,
        stem,
        [source_language, *targets],
        settings.formats,
        profile_for=_profile_chooser(settings, project),
        save=True,
        audio=settings.audio,
        out_dir=settings.out_dir,
        progress=progress,
        review=settings.review,
        word_times=settings.word_times,
    )
    manifest_file = f"{stem}.manifest.json"
    data = source_bytes if source_bytes is not None else source.read_bytes()
    outputs = [name for name, _ in rendered.files]
    manifest = (manifest_file, manifest_bytes(source.name, data, project, settings, outputs))
    rendered = replace(rendered, files=(*rendered.files, manifest))
    seconds["export+check"] = time.perf_counter() - clock
    return RenderedSource(
        source=name,
        project=project,
        rendered=rendered,
        manifest_file=manifest_file,
        engine_counts=tuple(engine_counts.items()),
        stage_seconds=tuple(seconds.items()),
        alignment=tuple(prepared.alignment.lines()) if prepared.alignment else (),
        warnings=tuple(warnings),
        notices=notices,
    )


def write_source(done: RenderedSource, out_dir: Path, progress: Progress | None = None) -> RunResult:
    """Write a rendered source's files into ``out_dir`` and summarise the run of it."""
    from .reports import flagged_texts

    clock = time.perf_counter()
    removed_before = removed_temp_files()
    written = write_rendered(done.files, out_dir)
    seconds = dict(done.stage_seconds)
    seconds["export+check"] = seconds.get("export+check", 0.0) + time.perf_counter() - clock
    exported = _export_result(done.rendered, written, out_dir)
    order = [name for name, _ in done.files]
    engine_counts = dict(done.engine_counts)
    summaries = []
    for lang in exported.languages:
        result = done.project.language(lang.language)
        summaries.append(
            LanguageSummary(
                language=lang.language,
                engine=result.engine if result else "source",
                segments=len(done.project.segments),
                cues=lang.cues,
                qa_flags=sum(len(t.qa_flags) for t in (*result.translations, *result.texts)) if result else 0,
                check_errors=lang.check_errors,
                check_warnings=lang.check_warnings,
                translated=engine_counts.get(lang.language, 0),
                checks=lang.checks,
            )
        )
    notify(progress, ProgressEvent(done.source, "done"))
    return RunResult(
        source=done.source,
        project_path=exported.project_path,
        languages=tuple(summaries),
        files_written=tuple(str(out_dir / f) for f in order if f in written),
        files_unchanged=tuple(str(out_dir / f) for f in order if f not in written),
        stage_seconds=tuple(seconds.items()),
        alignment=done.alignment,
        warnings=done.warnings,
        temp_files_removed=removed_temp_files() - removed_before,
        notices=done.notices,
        flagged=tuple(
            (f.language, f.id if not f.line else f"{f.id} (line {f.line})", f.kind, ", ".join(f.codes), f.source, f.target)
            for f in flagged_texts(done.project)
        ),
    )


def run_source(
    source: Path,
    settings: RunSettings,
    progress: Progress | None = None,
    *,
    translators: OpenTranslators | None = None,
    qa_report: Path | None = None,
) -> RunResult:
    """ingest -> time -> translate -> lay out -> export -> check, for every language,
    then write; with ``qa_report`` also the QA flags of every translation, as JSON."""
    done = render_source(source, settings, progress, translators=translators)
    result = write_source(done, settings.out_dir, progress)
    if qa_report is not None:
        from .reports import qa_report_bytes

        write_if_changed(qa_report, qa_report_bytes(done.project))
    return result


def export_saved(project_path: Path, settings: RunSettings, progress: Progress | None = None) -> ExportResult:
    """A saved project's outputs again, no translation: ``transkit export``.

    ``settings.languages`` empty: the source language and every translation."""
    from .projectfile import load_project

    project = load_project(project_path)
    return export_project(
        project,
        source_stem(project_path),
        settings.out_dir,
        settings.languages or project.language_codes,
        settings.formats,
        profile_for=_profile_chooser(settings, project),
        audio=settings.audio,
        progress=progress,
        relayout=settings.relayout,
        review=settings.review,
        word_times=settings.word_times,
    )


@dataclass(frozen=True)
class EditsResult:
    """``import_edits``: the updated project, the language, how many sentences
    changed, and the re-export (None when no formats were asked for or nothing changed)."""

    project: Project
    language: str
    changed: int
    export: ExportResult | None = None


def import_edits(
    xliff: Path, project_path: Path, language: str | None, settings: RunSettings, progress: Progress | None = None
) -> EditsResult:
    """Post-edited XLIFF -> memory and project file, then ``settings.formats`` of
    that language again: ``transkit import-edits``."""
    from .postedit import apply_post_edits

    project, language, changed = apply_post_edits(xliff, project_path, language, settings.memory_path)
    exported = None
    if settings.formats and changed:
        exported = export_project(
            project,
            source_stem(project_path),
            settings.out_dir,
            [language],
            settings.formats,
            profile_for=_profile_chooser(settings, project),
            progress=progress,
        )
    return EditsResult(project, language, changed, exported)


def suggest_glossary(source: Path, language: str, settings: RunSettings, progress: Progress | None = None) -> str:
    """A draft glossary CSV for ``source`` into ``language``: its recurring names and
    acronyms with their most frequent rendering (a project file's translation is
    used as it is; a transcript is translated first, through the memory)."""
    from .translate.terms import draft_glossary

    project = prepare_project(source, settings, progress)
    if project.language(language) is None:
        project, _counts = translate_project(project, [language], settings, label=str(source), progress=progress)
    result = project.language(language)
    if result is None:
        raise UsageError(f"{language!r} is the source's own language", hint="give another language with --to")
    by_segment = {t.segment_id: t.text for t in result.translations}
    sources = [s.text for s in project.segments] + [t.source for t in result.texts]
    outputs = [by_segment.get(s.id, "") for s in project.segments] + [t.text for t in result.texts]
    glossary = open_glossary(settings.glossary)
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
            notify(progress, ProgressEvent(name, "mux", container))
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
                notify(progress, ProgressEvent(name, "burn", burn, done=done, total=total))

            with atomic_output(target) as part:
                args = burn_args(ffmpeg, video.resolve(), "burn.ass", "fonts", part.resolve())
                run_ffmpeg(args, target, cwd=tmp, duration_ms=info.duration_ms, progress=on_progress)
            written.append(str(target))
    return MuxResult(str(video), languages, tuple(written))
