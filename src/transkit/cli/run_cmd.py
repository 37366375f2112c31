"""``transkit run``: transcripts -> translated subtitles and documents for every language."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import report_errors
from .options import encoding_option


def register(app: typer.Typer) -> None:
    @app.command("run")
    @report_errors
    def run(
        sources: List[str] = typer.Argument(..., help="Transcript files, folders or globs."),
        to: Optional[str] = typer.Option(None, "--to", "-t", help="Target languages, e.g. ru,de,pt."),
        source_language: Optional[str] = typer.Option(
            None, "--from", help="Language of the sources (default: a transcript's header, else identified from the text)."
        ),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default translations/)."),
        formats: Optional[str] = typer.Option(
            None, "--formats", "-f", help="srt,vtt,ass,bi.srt,bi.ass,pdf,html,docx,md,tmx,xliff,json"
        ),
        engine: Optional[str] = typer.Option(None, "--engine", "-e", help="auto, argos or firefox."),
        beam: Optional[int] = typer.Option(None, "--beam", help="Beam size, 1 to 16 (1 = fastest; default 4)."),
        jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Files translated in parallel processes, 1 to 64."),
        scheduler: Optional[str] = typer.Option(
            None,
            "--scheduler",
            help="Run each file as a task on the Dask cluster at this address, e.g. tcp://HOST:8786 "
            "(needs transkit[cluster]; outputs and the memory stay on this machine).",
        ),
        audio: Optional[Path] = typer.Option(None, "--audio", help="Recording to align the subtitles to."),
        glossary: Optional[Path] = typer.Option(None, "--glossary", help="Glossary CSV: source,target,language."),
        profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Style profile for the source language."),
        wpm: Optional[int] = typer.Option(None, "--wpm", help="Speaking rate without audio, 40 to 400 words per minute."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the translation memory."),
        strict: bool = typer.Option(
            False,
            "--strict",
            help="Refuse sources with uncertain attributions (XX?:); exit non-zero when any output has a check violation.",
        ),
        review: bool = typer.Option(False, "--review", help="Review editions: QA flags marked in the PDF margin."),
        qa_report: Optional[Path] = typer.Option(
            None, "--qa-report", help="Write every QA flag as JSON (per language; per file when there are several)."
        ),
        summary_json: Optional[Path] = typer.Option(
            None, "--summary-json", help="Also write the run summary (per file and language) as JSON."
        ),
        encoding: Optional[str] = encoding_option(),
        relayout: Optional[bool] = typer.Option(
            None,
            "--relayout/--keep-cues",
            help="Subtitle sources: lay each language out afresh inside each sentence's cue times (default: keep the input's cues).",
        ),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
    ) -> None:
        """Translate transcripts and write subtitles and bilingual documents.

        ingest -> segment -> time (or align to --audio) -> translate -> lay out ->
        export -> check, for every language. Re-runs reuse the translation memory and
        rewrite only files whose content changed.

        Examples:

          transkit run source/interview.md --to pt

          transkit run source/ --to ru,uk,de,fr,es --jobs 2

          transkit run archive/ --to ru,de --scheduler tcp://10.0.0.5:8786

          transkit run source/interview.md --to ru --audio interview.mp4 --formats srt,vtt,pdf
        """
        from ..batch import run_batch
        from ..config import load_config
        from ..errors import QualityError, UsageError
        from ..runs import DEFAULT_FORMATS, RunSettings
        from . import options as opt
        from .progress import progress_view
        from .sources import expand_sources
        from .summary import print_run_summary

        # every option is checked before any work
        cfg = load_config(config)
        languages = opt.require_languages(opt.parse_languages(to, cfg), "run")
        workers = opt.number(jobs, "--jobs", "jobs") or int(cfg.get("jobs", 1))
        settings = RunSettings(
            languages=languages,
            out_dir=out or Path(cfg.get("out", "translations")),
            formats=opt.parse_formats(formats, cfg, DEFAULT_FORMATS),
            engine=opt.engine_name(engine, cfg),
            translate_options=opt.translate_options(beam, cfg),
            profile=opt.profile_name(profile or cfg.get("profile")),
            profiles=opt.profile_choices(cfg),
            speech_rate=opt.speech_rate(wpm, None, cfg),
            audio=opt.existing_audio(audio),
            glossary=opt.glossary_path(glossary, cfg),
            use_memory=not no_cache,
            source_language=opt.source_language(source_language, cfg),
            review=review,
            refuse_uncertain=strict,
            encoding=opt.text_encoding(encoding),
            relayout=opt.relayout(relayout, cfg),
        )
        files = expand_sources(sources)
        address = scheduler or cfg.get("scheduler")
        failures = ()
        if address:
            from ..cluster import require_distributed, run_cluster
            from ..config import scheduler_address

            if jobs is not None:
                raise UsageError("--jobs is for runs on this machine", hint="with --scheduler, start more workers")
            address = scheduler_address(address)
            require_distributed()
            with progress_view() as view:
                outcome = run_cluster(files, settings, scheduler=address, progress=view)
            results, failures = list(outcome.results), outcome.failures
        else:
            with progress_view() as view:
                results = run_batch(files, settings, jobs=workers, progress=view)
        for result in results:
            for warning in result.warnings:
                typer.echo(f"transkit: warning: {warning}", err=True)
        if qa_report is not None:
            _write_qa_report(qa_report, results)
        print_run_summary(results, qa_report)
        if summary_json is not None:
            from ..fsio import atomic_write_bytes
            from ..reports import summary_json_bytes

            atomic_write_bytes(summary_json, summary_json_bytes(results))
        if failures:
            for failure in failures:
                typer.echo(f"transkit: error: {failure.message}", err=True)
            typer.echo(f"transkit: {len(failures)} of {len(files)} files failed; the others are written", err=True)
            raise typer.Exit(failures[0].exit_code)
        violations = sum(lang.check_errors + lang.check_warnings for r in results for lang in r.languages)
        if strict and violations:
            raise QualityError(f"{violations} subtitle check violations", hint="see the summary above")


def _write_qa_report(path: Path, results) -> None:
    """One source: its report as ``translate --qa-report`` writes it; several: one per source file name."""
    import json

    from ..fsio import atomic_write_bytes
    from ..projectfile import load_project
    from ..reports import qa_report_bytes

    reports = [qa_report_bytes(load_project(Path(r.project_path))) for r in results]
    if len(reports) == 1:
        atomic_write_bytes(path, reports[0])
        return
    data = {Path(r.source).name: json.loads(report) for r, report in zip(results, reports)}
    atomic_write_bytes(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())

