"""``transkit align``: time a transcript's sentences from a recording of it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors, split_list


def register(app: typer.Typer) -> None:
    @app.command("align")
    @report_errors
    def align(
        source: Path = typer.Argument(..., help="Source transcript (source format .md)."),
        audio: Path = typer.Argument(..., help="The recording: WAV, MP3, M4A/AAC, FLAC, OGG/Opus, or a MP4/MKV/WebM video."),
        out: Path = typer.Option(Path("translations/en"), "-o", "--out", help="Output folder."),
        profile: Optional[str] = typer.Option(
            None, "--profile", "-p", help="Style profile for the subtitles (default: the language's, netflix-en for English)."
        ),
        formats: Optional[str] = typer.Option(None, "--formats", help="Comma-separated formats (default srt,vtt)."),
        voice: str = typer.Option("en-us", "--voice", help="espeak-ng voice the text is spoken with for matching."),
        speaker_voice: Optional[str] = typer.Option(
            None, "--speaker-voice", help="Voices per speaker, e.g. KM=en-us+f3,JS=en-gb (default: chosen by pitch)."
        ),
        min_confidence: float = typer.Option(0.5, "--min-confidence", help="0 to 1: below this a sentence is re-timed by the fallback."),
        config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml to read defaults from."),
    ) -> None:
        """Align the transcript to the recording and write timed English subtitles.

        Writes SOURCE.project.json (every sentence with its timing source and
        confidence) and the subtitles into the output folder, and prints what could
        not be aligned well. Text that is not in the recording is left out of the
        subtitles and listed as unaligned. The same as `transkit segment SOURCE
        --audio AUDIO`, with the aligner's options.

        Examples:

          transkit align source/interview.md interview.mp4 -o translations/en/

          transkit align source/interview.md interview.mp3 --speaker-voice KM=en-us+f3
        """
        from ..align.types import AlignOptions
        from ..config import load_config
        from ..errors import UsageError
        from ..pipeline import segment_source
        from ..runs import SEGMENT_FORMATS, RunSettings
        from .options import existing_audio, existing_file, number, parse_formats, profile_name, speech_rate
        from .progress import progress_view
        from .summary import print_segment_result

        number(min_confidence, "--min-confidence", "min_confidence")
        voices = []
        for item in split_list(speaker_voice):
            speaker, _, name = item.partition("=")
            if not speaker or not name:
                raise UsageError(f"--speaker-voice expects SPEAKER=VOICE, got {item!r}")
            voices.append((speaker.strip(), name.strip()))
        cfg = load_config(config)
        settings = RunSettings(
            out_dir=out,
            formats=parse_formats(formats, cfg, SEGMENT_FORMATS),
            profile=profile_name(profile),
            speech_rate=speech_rate(None, None, cfg),
            audio=audio,
            align=AlignOptions(voice=voice, voices=tuple(voices), min_confidence=min_confidence),
        )
        existing_file(source, "source transcript")
        existing_audio(audio)
        with progress_view() as view:
            result = segment_source(source, settings, view)
        print_segment_result(result)
