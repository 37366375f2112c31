"""``transkit export``: redo any export from a saved project JSON, no translation."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors


def register(app: typer.Typer) -> None:
    @app.command("export")
    @report_errors
    def export(
        project: Path = typer.Argument(..., help="Project JSON written by transkit run/translate/segment."),
        to: Optional[str] = typer.Option(None, "--to", "-t", help="Languages to export (default: all in the project)."),
        formats: str = typer.Option("srt,vtt", "--formats", "-f", help="Formats, e.g. pdf,html,docx,srt."),
        out: Path = typer.Option(Path("translations"), "--out", "-o", help="Output folder."),
        audio: Optional[Path] = typer.Option(None, "--audio", help="Audio file the HTML player links to."),
        review: bool = typer.Option(False, "--review", help="Review editions: QA flags marked in the PDF margin."),
        relayout: Optional[bool] = typer.Option(
            None,
            "--relayout/--keep-cues",
            help="Subtitle sources: lay each language out afresh instead of keeping the input's cues (default: as the project says).",
        ),
        word_times: bool = typer.Option(
            False, "--word-times", help="Aligned projects: word timestamps in WebVTT and karaoke tags in ASS (source language)."
        ),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
    ) -> None:
        """Write subtitles or bilingual documents from a project file.

        Examples:

          transkit export translations/interview.project.json --to pt --formats pdf,html

          transkit export translations/interview.project.json --formats srt,vtt,ass

          transkit export translations/interview.project.json --to pt --formats pdf --review -o review/

          transkit export translations/en/interview.project.json --to en --formats vtt,ass --word-times
        """
        from ..config import load_config
        from ..pipeline import export_saved
        from ..runs import RunSettings
        from .options import parse_formats, parse_languages, profile_choices
        from .options import relayout as relayout_option
        from .summary import print_export_result

        cfg = load_config(config)
        settings = RunSettings(
            languages=parse_languages(to, cfg) if to else (),
            out_dir=out,
            formats=parse_formats(formats, cfg, ("srt", "vtt")),
            profiles=profile_choices(cfg),
            audio=audio,
            review=review,
            relayout=relayout_option(relayout, cfg),
            word_times=word_times,
        )
        print_export_result(export_saved(project, settings))
