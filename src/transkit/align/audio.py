"""Audio in: any file ffmpeg can read, decoded once to 16 kHz mono 16-bit PCM.

The recording is never held whole in memory unless asked for: ``iter_pcm`` streams
it out of one ffmpeg process in fixed-size blocks (downmix and resampling happen
inside ffmpeg), so a two-hour video costs the same memory as a two-minute clip.
ffmpeg is found the way pydub is configured (``pydub.AudioSegment.converter``), and
files are probed with pydub's ffprobe wrapper so a video without an audio track is
refused with a clear message before decoding starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..errors import AudioError

if TYPE_CHECKING:  # numpy is imported inside the functions that need it
    import numpy as np

SAMPLE_RATE = 16_000
BYTES_PER_SAMPLE = 2


@dataclass(frozen=True)
class AudioInfo:
    path: str
    duration_ms: int | None  # from the container; None when it does not say
    codec: str
    channels: int
    sample_rate: int


def ffmpeg_binary() -> str:
    """The ffmpeg program pydub is set up to use, or an ``AudioError`` saying how to get it."""
    try:
        from pydub import AudioSegment

        name = AudioSegment.converter or "ffmpeg"
    except ImportError:  # pragma: no cover - pydub is a dependency
        name = "ffmpeg"
    found = shutil.which(name)
    if not found:
        raise AudioError("ffmpeg is not installed", hint="install ffmpeg (scripts/setup.sh does it)")
    return found


def _check_file(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    if not p.exists():
        raise AudioError("audio file not found", path=str(p), hint="check the path")
    if p.is_dir():
        raise AudioError("expected an audio or video file, found a folder", path=str(p))
    if p.stat().st_size == 0:
        raise AudioError(
            "audio file is empty", path=str(p), hint="give the recording of the interview (an audio or video file)"
        )
    return p


def probe_audio(path: str | os.PathLike[str]) -> AudioInfo:
    """Read the container's description of the first audio stream."""
    p = _check_file(path)
    from pydub.utils import mediainfo_json

    try:
        info = mediainfo_json(str(p))
    except Exception as exc:  # pydub raises plain exceptions for unreadable files
        raise AudioError(
            f"cannot read audio: {exc}".strip(), path=str(p), hint="is it an audio or video file?"
        ) from exc
    streams = [s for s in info.get("streams", ()) if s.get("codec_type") == "audio"]
    if not streams:
        if not info.get("streams"):
            raise AudioError("not an audio or video file ffmpeg can read", path=str(p), hint="the file may be damaged")
        raise AudioError("the file has no audio track", path=str(p), hint="give the recording with sound")
    stream = streams[0]
    duration = stream.get("duration") or info.get("format", {}).get("duration")
    try:
        duration_ms = int(round(float(duration) * 1000)) if duration not in (None, "N/A") else None
    except (TypeError, ValueError):
        duration_ms = None
    return AudioInfo(
        path=str(p),
        duration_ms=duration_ms,
        codec=str(stream.get("codec_name", "")),
        channels=int(stream.get("channels") or 0),
        sample_rate=int(stream.get("sample_rate") or 0),
    )


def iter_pcm(
    path: str | os.PathLike[str],
    *,
    sample_rate: int = SAMPLE_RATE,
    block_seconds: float = 30.0,
    start_ms: int | None = None,
    duration_ms: int | None = None,
) -> Iterator["np.ndarray"]:
    """Yield the recording as int16 mono blocks of ``block_seconds`` (the last one shorter),
    optionally only ``duration_ms`` of it from ``start_ms``.

    Raises ``AudioError`` naming the file if ffmpeg cannot decode it or it holds no sound.
    """
    import numpy as np

    p = _check_file(path)
    window = []
    if start_ms is not None:
        window += ["-ss", f"{start_ms / 1000:.3f}"]
    if duration_ms is not None:
        window += ["-t", f"{duration_ms / 1000:.3f}"]
    command = [
        ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error",
        *window, "-i", str(p), "-vn", "-sn", "-dn",
        "-map", "0:a:0", "-ac", "1", "-ar", str(sample_rate),
        "-f", "s16le", "-acodec", "pcm_s16le", "-",
    ]  # fmt: skip
    block_bytes = max(1, int(block_seconds * sample_rate)) * BYTES_PER_SAMPLE
    total = 0
    with tempfile.TemporaryFile() as errors:
        # stderr goes to a file, not a pipe: a chatty ffmpeg can never block on it.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        try:
            while True:
                data = process.stdout.read(block_bytes)
                if not data:
                    break
                if len(data) % BYTES_PER_SAMPLE:
                    data += process.stdout.read(1)
                total += len(data) // BYTES_PER_SAMPLE
                yield np.frombuffer(data, dtype="<i2")
        finally:
            if process.poll() is None:
                process.stdout.close()
                process.kill()
            process.wait()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip()
    if process.returncode != 0:
        raise AudioError(_explain(message), path=str(p), hint="is it an audio or video file with sound?")
    if total == 0 and start_ms is None:
        raise AudioError("the file holds no audio samples", path=str(p))


def _explain(ffmpeg_stderr: str) -> str:
    lines = [line.strip() for line in ffmpeg_stderr.splitlines() if line.strip()]
    if any("matches no streams" in line or "does not contain any stream" in line for line in lines):
        return "the file has no audio track"
    last = lines[-1] if lines else "unknown error"
    # ffmpeg prefixes lines with the input path; the error already names the file.
    return f"cannot decode audio: {last.split(': ', 1)[-1] if ': ' in last else last}"


def load_pcm(path: str | os.PathLike[str], *, sample_rate: int = SAMPLE_RATE) -> "np.ndarray":
    """The whole recording as one float32 array in [-1, 1] (for short clips and tests)."""
    import numpy as np

    blocks = list(iter_pcm(path, sample_rate=sample_rate))
    return (np.concatenate(blocks).astype(np.float32) / 32768.0) if blocks else np.zeros(0, np.float32)


def audio_duration_ms(path: str | os.PathLike[str], *, sample_rate: int = SAMPLE_RATE) -> int:
    """Duration by decoding (exact, unlike container headers); streams, so memory stays small."""
    samples = sum(len(block) for block in iter_pcm(path, sample_rate=sample_rate))
    return samples * 1000 // sample_rate


def resample(samples: "np.ndarray", from_rate: int, to_rate: int = SAMPLE_RATE) -> "np.ndarray":
    """int16 mono samples from one rate to another, through ffmpeg's resampler."""
    import numpy as np

    if from_rate == to_rate or samples.size == 0:
        return samples
    command = [
        ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error",
        "-f", "s16le", "-ar", str(from_rate), "-ac", "1", "-i", "-",
        "-f", "s16le", "-ar", str(to_rate), "-ac", "1", "-",
    ]  # fmt: skip
    result = subprocess.run(command, input=samples.astype("<i2").tobytes(), capture_output=True, check=False)
    if result.returncode != 0:
        raise AudioError(f"ffmpeg could not resample audio: {result.stderr.decode('utf-8', 'replace').strip()}")
    return np.frombuffer(result.stdout, dtype="<i2")
