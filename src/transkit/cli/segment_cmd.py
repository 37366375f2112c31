"""``transkit segment``: a source transcript -> timed source-language subtitles + project JSON."""

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
        profile: Optional[str] = typer.Option(
            None, "--profile", "-p", help="Style profile: netflix-en, netflix-ru, netflix, bbc (default: the language's)."
        ),
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
        from ..runs import SEGMENT_FORMATS, RunSettings
        from .options import existing_audio, existing_file, parse_formats, profile_name, speech_rate, text_encoding
        from .progress import progress_view
        from .summary import print_segment_result

        cfg = load_config(config)
        settings = RunSettings(
            out_dir=out,
            formats=parse_formats(formats, cfg, SEGMENT_FORMATS),
            profile=profile_name(profile),
            speech_rate=speech_rate(wpm, rate, cfg),
            audio=audio,
            encoding=text_encoding(encoding),
        )
        existing_file(source, "source transcript")
        existing_audio(audio)
        with progress_view() as view:
            result = segment_source(source, settings, view)
        print_segment_result(result)
