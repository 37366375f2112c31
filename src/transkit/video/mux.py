"""Subtitle tracks into a video with ffmpeg.

``mux_args`` and ``burn_args`` build ffmpeg's argument lists (pure functions, so
they are unit-tested without running anything); ``probe_video`` reads what a
file holds; ``run_ffmpeg`` runs a command into a temporary file that replaces the
output only when ffmpeg succeeds, reporting progress from ffmpeg's
``-progress pipe:1`` lines.

Soft tracks: every stream of the video is copied as it is (no re-encoding), each
language becomes one subtitle track tagged with its ISO 639-2 code and a title,
and the first language is the default track. Matroska takes SRT or ASS tracks
(ASS keeps the styling); MP4 takes mov_text (plain text). Burning in draws one
language's ASS file onto the picture with libass, which re-encodes the video
(H.264) and copies the audio.

Outputs are byte-reproducible (``-fflags +bitexact``: no muxing date, no
encoder-dependent ids).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..errors import InputError, OutputError
from .languages import track_language, track_title

Progress = Callable[[int, int], None]  # (done ms, total ms)

CONTAINERS = {"mkv": "matroska", "mp4": "mp4"}
# the subtitle codec each container gets, by the subtitle file's format
SUBTITLE_CODECS = {("mkv", "srt"): "srt", ("mkv", "ass"): "ass", ("mp4", "srt"): "mov_text", ("mp4", "ass"): "mov_text"}
QUIET = ("-nostdin", "-hide_banner", "-loglevel", "error", "-y")


@dataclass(frozen=True)
class SubtitleTrack:
    path: Path  # an .srt or .ass file
    language: str  # transkit's language code ("pt")

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".").lower()


@dataclass(frozen=True)
class VideoInfo:
    path: str
    duration_ms: int | None
    video_streams: int
    audio_streams: int
    subtitle_streams: int


def mux_args(
    ffmpeg: str,
    video: Path,
    tracks: Sequence[SubtitleTrack],
    output: Path,
    container: str,
) -> list[str]:
    """ffmpeg arguments that copy the video's picture and sound and add ``tracks``
    as subtitle tracks, the first one the default. The video's own subtitle
    tracks are left out (the new ones replace them)."""
    if container not in CONTAINERS:
        raise ValueError(f"unknown container {container!r}")
    if not tracks:
        raise ValueError("no subtitle tracks")
    args = [ffmpeg, *QUIET, "-i", str(video)]
    for track in tracks:
        args += ["-i", str(track.path)]
    args += ["-map", "0:V", "-map", "0:a?"]
    for n in range(len(tracks)):
        args += ["-map", f"{n + 1}:0"]
    args += ["-c", "copy"]
    for n, track in enumerate(tracks):
        codec = SUBTITLE_CODECS[(container, track.format)]
        title = track_title(track.language)
        args += [f"-c:s:{n}", codec, f"-metadata:s:s:{n}", f"language={track_language(track.language)}"]
        # Matroska players show the title; MP4 players the handler name
        name = "handler_name" if container == "mp4" else "title"
        args += [f"-metadata:s:s:{n}", f"{name}={title}"]
        args += [f"-disposition:s:{n}", "default" if n == 0 else "0"]
    args += ["-fflags", "+bitexact", "-f", CONTAINERS[container], str(output)]
    return args


def burn_args(
    ffmpeg: str,
    video: Path,
    ass_name: str,
    fonts_dir: str,
    output: Path,
    *,
    crf: int = 20,
    preset: str = "veryfast",
) -> list[str]:
    """ffmpeg arguments that draw the ASS file ``ass_name`` onto the picture and
    re-encode it as H.264 in an MP4 (the audio is copied). ``ass_name`` and
    ``fonts_dir`` are plain names relative to ffmpeg's working folder (a filter
    argument would need escaping for ``:``, ``'`` and ``\\`` in real paths)."""
    for name in (ass_name, fonts_dir):
        if any(ch in name for ch in ":'\\,;[]=") or os.sep in name:
            raise ValueError(f"{name!r}: give a plain file name")
    return [
        ffmpeg, *QUIET, "-i", str(video),
        "-map", "0:V:0", "-map", "0:a?",
        "-vf", f"ass={ass_name}:fontsdir={fonts_dir}",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
        "-c:a", "copy", "-sn",
        "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-progress", "pipe:1", "-nostats",
        "-f", "mp4", str(output),
    ]  # fmt: skip


def progress_ms(line: str) -> int | None:
    """The position (ms) in one line of ffmpeg's ``-progress`` output, if it has one."""
    key, _, value = line.strip().partition("=")
    if key == "out_time_us" and value.isdigit():
        return int(value) // 1000
    return None


# ---------------------------------------------------------------- running ffmpeg


def ffprobe_binary() -> str:
    found = shutil.which("ffprobe")
    if not found:
        raise InputError("ffprobe is not installed", hint="install ffmpeg (scripts/setup.sh does it)")
    return found


def probe_video(path: Path) -> VideoInfo:
    """What the file holds; ``InputError`` if it is missing, unreadable or has no picture."""
    if not path.exists():
        raise InputError("video file not found", path=str(path), hint="check the path")
    if path.is_dir():
        raise InputError("expected a video file, found a folder", path=str(path))
    command = [ffprobe_binary(), "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)]
    result = subprocess.run(command, capture_output=True, check=False)
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        info = {}
    streams = info.get("streams") or []
    if result.returncode != 0 or not streams:
        why = _last_line(result.stderr) or "no streams"
        raise InputError(f"not a video file ffmpeg can read: {why}", path=str(path), hint="give an MP4, MKV, WebM or MOV file")
    kinds = [s.get("codec_type") for s in streams]
    pictures = sum(1 for s in streams if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic"))
    if not pictures:
        what = "audio only" if "audio" in kinds else "no video stream"
        raise InputError(f"the file has no picture ({what})", path=str(path), hint="give the video file, not the audio")
    duration = info.get("format", {}).get("duration")
    try:
        duration_ms = int(float(duration) * 1000) if duration else None
    except ValueError:
        duration_ms = None
    return VideoInfo(str(path), duration_ms, pictures, kinds.count("audio"), kinds.count("subtitle"))


def run_ffmpeg(
    args: Sequence[str],
    output: Path,
    *,
    cwd: str | None = None,
    duration_ms: int | None = None,
    progress: Progress | None = None,
) -> None:
    """Run ``args`` (whose last item is the output path ffmpeg writes) and report
    progress from ``-progress pipe:1`` lines; ``OutputError`` naming ``output``
    with ffmpeg's own message if it fails."""
    total = duration_ms or 0
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, cwd=cwd, text=True
            )
        except OSError as exc:
            raise OutputError(f"cannot run ffmpeg: {exc}", path=str(output)) from exc
        assert process.stdout is not None
        for line in process.stdout:
            done = progress_ms(line)
            if done is not None and progress and total:
                progress(min(done, total), total)
        code = process.wait()
        errors.seek(0)
        message = _last_line(errors.read())
    if code != 0:
        raise OutputError(f"ffmpeg failed: {message or f'exit status {code}'}", path=str(output))
    if progress and total:
        progress(total, total)


def _last_line(data: bytes | str | None) -> str:
    if not data:
        return ""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
