"""``transkit import-edits``: bring a translator's post-edited XLIFF back."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors


def register(app: typer.Typer) -> None:
    @app.command("import-edits")
    @report_errors
    def import_edits(
        xliff: Path = typer.Argument(..., help="Post-edited XLIFF (exported with --formats xliff)."),
        project: Path = typer.Option(..., "--project", "-p", help="The project JSON the XLIFF was exported from."),
        to: Optional[str] = typer.Option(None, "--to", "-t", help="Language (needed when the project has several)."),
        formats: Optional[str] = typer.Option(
            None, "--formats", "-f", help="Re-export these formats right away, e.g. srt,vtt,pdf,html."
        ),
        out: Path = typer.Option(Path("translations"), "--out", "-o", help="Output folder for --formats."),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
    ) -> None:
        """Store post-edited sentences as human translations and update the project.

        The edits go into the translation memory, where they win over any engine's
        output in every later run, and into the project file, so `transkit export`
        uses them too.

        Examples:

          transkit run source/interview.md --to pt --formats xliff

          transkit import-edits translations/pt/interview.en-pt.xlf --project translations/interview.project.json --formats srt,pdf,html
        """
        from ..config import load_config
        from ..pipeline import import_edits
        from ..runs import RunSettings
        from .options import existing_file, parse_formats, profile_choices
        from .summary import print_export_result

        existing_file(xliff, "XLIFF file")
        cfg = load_config(config)
        settings = RunSettings(
            out_dir=out,
            formats=parse_formats(formats, cfg, ()) if formats else (),
            profiles=profile_choices(cfg),
        )
        result = import_edits(xliff, project, to, settings)
        typer.echo(f"{result.changed} post-edited sentences stored as human translations; updated {project}")
        if result.export is not None:
            print_export_result(result.export)
