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
        from ..pipeline import export_project, source_stem
        from ..postedit import apply_post_edits
        from .options import existing_file, parse_formats, profile_chooser

        existing_file(xliff, "XLIFF file")
        updated, changed = apply_post_edits(xliff, project, to)
        typer.echo(f"{changed} post-edited sentences stored as human translations; updated {project}")
        if formats and changed:
            cfg = load_config(None)
            language = to or updated.languages[0].language
            result = export_project(
                updated,
                source_stem(project),
                out,
                [language],
                parse_formats(formats, cfg, ()),
                profile_for=profile_chooser(None, cfg),
            )
            for path in result.files_written:
                typer.echo(f"wrote {path}")
