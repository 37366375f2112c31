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
        relayout: Optional[bool] = typer.Option(
            None,
            "--relayout/--keep-cues",
            help="Subtitle sources: lay each language out afresh instead of keeping the input's cues (default: as the project says).",
        ),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
    ) -> None:
        """Write subtitles or bilingual documents from a project file.

        Examples:

          transkit export translations/interview.project.json --to pt --formats pdf,html

          transkit export translations/interview.project.json --formats srt,vtt,ass
        """
        from ..config import load_config
        from ..pipeline import export_project, source_stem
        from ..projectfile import load_project
        from .options import parse_formats, parse_languages, profile_chooser
        from .options import relayout as relayout_option

        cfg = load_config(config)
        data = load_project(project)
        languages = parse_languages(to, cfg) if to else tuple(
            [data.transcript.meta.language, *(lang.language for lang in data.languages)]
        )
        result = export_project(
            data,
            source_stem(project),
            out,
            languages,
            parse_formats(formats, cfg, ("srt", "vtt")),
            profile_for=profile_chooser(None, cfg),
            audio=audio,
            relayout=relayout_option(relayout, cfg),
        )
        for lang in result.languages:
            for path in lang.written:
                typer.echo(f"wrote {path}")
            typer.echo(f"{lang.language}: {lang.cues} cues, {len(lang.unchanged)} files unchanged, check errors: {lang.check_errors}")
