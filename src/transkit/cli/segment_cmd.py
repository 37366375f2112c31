"""``transkit segment``: a source transcript -> timed English subtitles + project JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors
from .options import encoding_option


def register(app: typer.Typer) -> None:
    @app.command("segment")
    @report_errors
    def segment(
        source: Path = typer.Argument(..., help="Source transcript (source format .md, see docs/source-format.md)."),
        out: Path = typer.Option(Path("translations/en"), "-o", "--out", help="Output folder."),
        profile: str = typer.Option("netflix-en", "--profile", "-p", help="Style profile: netflix-en, netflix-ru, netflix, bbc."),
        wpm: Optional[int] = typer.Option(None, "--wpm", help="Speaking rate for every speaker, 40 to 400 words per minute."),
        rate: Optional[str] = typer.Option(None, "--rate", help="Per-speaker rates, e.g. KM=175,JS=150."),
        formats: Optional[str] = typer.Option(None, "--formats", help="Comma-separated formats (default srt,vtt)."),
        audio: Optional[Path] = typer.Option(None, "--audio", help="Align to this recording instead of estimating times."),
        encoding: Optional[str] = encoding_option(),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml to read defaults from."),
    ) -> None:
        """Split a transcript into sentences, time them and write subtitles.

        Without audio the times come from a speech-rate model (words per minute per
        speaker, pauses at sentence, paragraph and speaker boundaries).

        Examples:

          transkit segment source/interview.md -o translations/en/

          transkit segment source/interview.md --wpm 150 --rate KM=170 --profile bbc
        """
        from ..config import load_config
        from ..pipeline import segment_source
        from ..profiles import get_profile
        from .options import existing_audio, existing_file, parse_formats, speech_rate, text_encoding
        from .progress import progress_view

        cfg = load_config(config)
        chosen = get_profile(profile)
        existing_file(source, "source transcript")
        rate_model = speech_rate(wpm, rate, cfg)
        chosen_formats = parse_formats(formats, cfg, ("srt", "vtt"))
        existing_audio(audio)
        with progress_view() as view:
            result = segment_source(
                source,
                out,
                profile=chosen,
                speech_rate=rate_model,
                formats=chosen_formats,
                audio=audio,
                encoding=text_encoding(encoding),
                progress=view,
            )
        for lang in result.languages:
            typer.echo(f"{lang.language}: {lang.cues} cues, check: {lang.check_errors} errors, {lang.check_warnings} warnings")
        for path in (result.project_path, *result.files_written):
            typer.echo(f"wrote {path}")
