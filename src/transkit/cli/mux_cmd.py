"""``transkit mux``: the subtitles as tracks inside the video, or burned into the picture."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors


def register(app: typer.Typer) -> None:
    @app.command("mux")
    @report_errors
    def mux(
        video: Path = typer.Argument(..., help="The video (MP4, MKV, WebM, MOV...)."),
        project: Path = typer.Argument(
            Path("translations"), help="Project JSON, or the output folder holding one (default translations/)."
        ),
        to: Optional[str] = typer.Option(
            None, "--to", "-t", help="Languages, in track order; the first is the default track (default: all)."
        ),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the project's folder)."),
        mkv_subs: str = typer.Option("srt", "--mkv-subs", help="Subtitle format of the MKV tracks: srt or ass."),
        burn: Optional[str] = typer.Option(
            None, "--burn", help="Also write a copy with this language burned into the picture (re-encodes)."
        ),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
    ) -> None:
        """Put the subtitles into the video as one track per language.

        Writes VIDEO.subtitles.mkv (SRT or ASS tracks) and VIDEO.subtitles.mp4
        (mov_text tracks), each track tagged with its ISO 639-2 language and a
        title; picture and sound are copied, not re-encoded. --burn LANG also writes
        VIDEO.LANG.burned.mp4 with that language drawn on the picture in its ASS
        style.

        Examples:

          transkit mux interview.mp4 translations/ --to pt,en

          transkit mux interview.mp4 translations/interview.project.json --to ru,pt --burn ru
        """
        from ..config import load_config
        from ..pipeline import mux_video
        from ..projectfile import load_project
        from ..runs import ProgressEvent, RunSettings
        from .options import parse_languages, profile_choices
        from .progress import progress_view

        cfg = load_config(config)
        project_path = _find_project(project)
        data = load_project(project_path)
        if to:
            languages = parse_languages(to, cfg)
        else:
            languages = data.language_codes
        burn_language = parse_languages(burn, cfg)[0] if burn else None
        with progress_view() as view:

            def on_progress(event: ProgressEvent) -> None:
                view(event)

            result = mux_video(
                data,
                video,
                out or project_path.parent,
                languages,
                profile_for=RunSettings(profiles=profile_choices(cfg)).profile_for,
                mkv_subtitles=mkv_subs.lower(),
                burn=burn_language,
                progress=on_progress,
            )
        for path in result.written:
            typer.echo(f"wrote {path}")
        typer.echo(f"tracks: {', '.join(result.languages)} (default {result.languages[0]})")


def _find_project(path: Path) -> Path:
    """The project JSON itself, or the only ``*.project.json`` in a folder."""
    from ..errors import InputError

    if path.is_dir():
        found = sorted(path.glob("*.project.json"))
        if len(found) != 1:
            what = "no project file" if not found else f"{len(found)} project files"
            raise InputError(f"{what} in the folder", path=str(path), hint="give the project JSON itself")
        return found[0]
    if not path.exists():
        raise InputError("project file not found", path=str(path), hint="run transkit run or translate first")
    return path
