"""``transkit translate``: translate a transcript or project, write the project JSON and subtitles."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors
from .options import encoding_option


def register(app: typer.Typer) -> None:
    @app.command("translate")
    @report_errors
    def translate(
        source: Path = typer.Argument(..., help="Source transcript (.md), project JSON, SRT/VTT or plain text."),
        to: Optional[str] = typer.Option(None, "--to", "-t", help="Target languages, e.g. ru,de,pt."),
        source_language: Optional[str] = typer.Option(
            None, "--from", help="Language of the source (default: a transcript's header, else identified from the text)."
        ),
        out: Path = typer.Option(Path("translations"), "--out", "-o", help="Output folder."),
        engine: Optional[str] = typer.Option(None, "--engine", "-e", help="auto (default), argos or firefox."),
        beam: Optional[int] = typer.Option(None, "--beam", help="Beam size, 1 to 16 (1 = fastest; default 4)."),
        glossary: Optional[Path] = typer.Option(None, "--glossary", help="Glossary CSV: source,target,language."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the translation memory."),
        qa_report: Optional[Path] = typer.Option(None, "--qa-report", help="Write the QA flags per segment as JSON."),
        encoding: Optional[str] = encoding_option(),
        relayout: Optional[bool] = typer.Option(
            None,
            "--relayout/--keep-cues",
            help="Subtitle sources: lay each language out afresh inside each sentence's cue times (default: keep the input's cues).",
        ),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
    ) -> None:
        """Translate a transcript; write the project JSON and SRT/VTT per language
        (and ASS for an ASS/SSA source).

        Sentences are translated whole, in batches, and cached in the translation
        memory, so a re-run translates nothing twice.

        Examples:

          transkit translate source/interview.md --to pt

          transkit translate translations/interview.project.json --to ru --engine argos --qa-report qa.json
        """
        from ..config import load_config
        from ..pipeline import run_source
        from ..runs import RunSettings
        from . import options as opt
        from .progress import progress_view
        from .summary import print_run_summary

        # every option is checked before any work
        cfg = load_config(config)
        languages = opt.require_languages(opt.parse_languages(to, cfg), "translate")
        opt.existing_file(source, "source")
        settings = RunSettings(
            languages=languages,
            out_dir=out,
            # an ASS/SSA source is written as ASS too (its styles and events kept)
            formats=("srt", "vtt", "ass") if source.suffix.lower() in (".ass", ".ssa") else ("srt", "vtt"),
            engine=opt.engine_name(engine, cfg),
            translate_options=opt.translate_options(beam, cfg),
            glossary=opt.glossary_path(glossary, cfg),
            use_memory=not no_cache,
            source_language=opt.source_language(source_language, cfg),
            encoding=opt.text_encoding(encoding),
            relayout=opt.relayout(relayout, cfg),
        )
        with progress_view() as view:
            result = run_source(source, settings, view, qa_report=qa_report)
        for warning in result.warnings:
            typer.echo(f"transkit: warning: {warning}", err=True)
        print_run_summary([result], qa_report, title="transkit translate")
        if qa_report is not None:
            typer.echo(f"wrote {qa_report}")
