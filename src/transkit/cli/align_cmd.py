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
        profile: str = typer.Option("netflix-en", "--profile", "-p", help="Style profile for the subtitles."),
        formats: Optional[str] = typer.Option(None, "--formats", help="Comma-separated formats (default srt,vtt)."),
        voice: str = typer.Option("en-us", "--voice", help="espeak-ng voice the text is spoken with for matching."),
        speaker_voice: Optional[str] = typer.Option(
            None, "--speaker-voice", help="Voices per speaker, e.g. KM=en-us+f3,JS=en-gb (default: chosen by pitch)."
        ),
        min_confidence: float = typer.Option(0.5, "--min-confidence", help="0 to 1: below this a sentence is re-timed by the fallback."),
    ) -> None:
        """Align the transcript to the recording and write timed English subtitles.

        Writes SOURCE.project.json (every sentence with its timing source and
        confidence) and the subtitles into the output folder, and prints what could
        not be aligned well. Text that is not in the recording is left out of the
        subtitles and listed as unaligned.

        Examples:

          transkit align source/interview.md interview.mp4 -o translations/en/

          transkit align source/interview.md interview.mp3 --speaker-voice KM=en-us+f3
        """
        from ..align import AlignOptions, align_transcript
        from ..errors import UsageError
        from ..export import ExportJob, format_name, write_exports
        from ..ingest import load_transcript
        from ..layout import layout_track
        from ..model import Project
        from ..pipeline import ProgressEvent, source_stem
        from ..profiles import get_profile
        from ..projectfile import save_project
        from ..segment import segment_transcript
        from .options import existing_file
        from .progress import progress_view

        chosen_profile = get_profile(profile)
        chosen_formats = [format_name(f) for f in (split_list(formats) or ["srt", "vtt"])]
        from .options import number

        number(min_confidence, "--min-confidence", "min_confidence")
        voices = []
        for item in split_list(speaker_voice):
            speaker, _, name = item.partition("=")
            if not speaker or not name:
                raise UsageError(f"--speaker-voice expects SPEAKER=VOICE, got {item!r}")
            voices.append((speaker.strip(), name.strip()))
        existing_file(source, "source transcript")
        transcript = load_transcript(source)
        segments = segment_transcript(transcript)
        stem = source_stem(source)
        options = AlignOptions(voice=voice, voices=tuple(voices), min_confidence=min_confidence)
        with progress_view() as view:

            def on_progress(done: int, total: int) -> None:
                view(ProgressEvent(str(audio), "align", done=done, total=total))

            result = align_transcript(transcript, segments, audio, progress=on_progress, options=options)
        project = Project(
            transcript=transcript,
            segments=result.segments,
            profile=chosen_profile.name,
            timing=(("method", "aligned"), ("audio", audio.name)),
        )
        spoken = [s for s in result.segments if s.timing != "unaligned"]
        language = transcript.meta.language
        track = layout_track(spoken, language, chosen_profile, typography=False)
        job = ExportJob(project=project, language=language, track=track)
        written = write_exports(job, chosen_formats, out, stem)
        project_path = out / f"{stem}.project.json"
        save_project(project, project_path)
        for line in result.report.lines():
            typer.echo(line)
        for path in (project_path, *written):
            typer.echo(f"wrote {path}")
