"""Audio input for alignment: every container/codec a user may bring decodes to the
same 16 kHz mono samples; broken input fails with an AudioError naming the file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import require_tool
from transkit.align.audio import SAMPLE_RATE, iter_pcm, load_pcm, probe_audio
from transkit.errors import AudioError

pytestmark = [pytest.mark.ffmpeg, pytest.mark.espeak]

# (suffix, ffmpeg output arguments); video containers get a tiny black picture too.
FORMATS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "flac": ["-c:a", "flac"],
    "ogg": ["-c:a", "libvorbis"],
    "opus": ["-c:a", "libopus", "-b:a", "32k"],
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    "mkv": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "libvorbis"],
    "webm": ["-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus"],
}
VIDEO = {"mp4", "mkv", "webm"}


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args], check=True)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    require_tool("ffmpeg")
    require_tool("espeak-ng")
    folder = tmp_path_factory.mktemp("clips")
    speech = folder / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-w", str(speech), "NATO is a defensive alliance, said the Secretary General."],
        check=True,
    )
    # stereo 44.1 kHz master, so every file needs downmixing and resampling
    master = folder / "master.wav"
    _ffmpeg("-i", str(speech), "-ac", "2", "-ar", "44100", str(master))
    out = {"source": master}
    for suffix, codec in FORMATS.items():
        target = folder / f"clip.{suffix}"
        if suffix in VIDEO:
            _ffmpeg("-f", "lavfi", "-i", "color=c=black:s=64x64:r=10", "-i", str(master),
                    "-shortest", *codec, str(target))  # fmt: skip
        else:
            _ffmpeg("-i", str(master), *codec, str(target))
        out[suffix] = target
    return out


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_every_format_decodes_to_the_same_duration(clips, suffix):
    reference = load_pcm(clips["source"])
    samples = load_pcm(clips[suffix])
    assert samples.dtype.name == "float32"
    assert abs(samples.size - reference.size) * 1000 / SAMPLE_RATE <= 50
    # it is the same sound, not silence: loud where the reference is loud
    assert abs(float((samples**2).mean()) - float((reference**2).mean())) < 0.5 * float((reference**2).mean())


def test_downmix_and_resample_once(clips):
    info = probe_audio(clips["source"])
    assert (info.channels, info.sample_rate) == (2, 44100)
    blocks = list(iter_pcm(clips["source"], block_seconds=0.5))
    assert all(b.dtype.name == "int16" and b.ndim == 1 for b in blocks)
    assert max(b.size for b in blocks) == SAMPLE_RATE // 2  # memory per block is bounded


def test_a_window_of_the_recording(clips):
    whole = load_pcm(clips["wav"])
    part = [b for b in iter_pcm(clips["wav"], start_ms=500, duration_ms=1000)]
    assert sum(b.size for b in part) == SAMPLE_RATE
    assert whole.size > 2 * SAMPLE_RATE


def test_missing_file_names_it(tmp_path):
    missing = tmp_path / "nowhere.mp3"
    with pytest.raises(AudioError) as caught:
        load_pcm(missing)
    assert str(missing) in str(caught.value)
    assert "not found" in str(caught.value)


def test_corrupt_file_names_it(tmp_path, ffmpeg):
    bad = tmp_path / "broken.mp3"
    bad.write_bytes(b"this is not audio at all \x00\x01\x02" * 50)
    with pytest.raises(AudioError) as caught:
        load_pcm(bad)
    assert str(bad) in str(caught.value)
    with pytest.raises(AudioError):
        probe_audio(bad)


def test_truncated_file_fails_cleanly_or_decodes_what_is_there(tmp_path, clips):
    data = clips["flac"].read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[:40])  # header only
    with pytest.raises(AudioError) as caught:
        load_pcm(cut)
    assert "cut.flac" in str(caught.value)


def test_video_without_sound_is_refused(tmp_path, ffmpeg):
    silent_video = tmp_path / "picture-only.mp4"
    _ffmpeg("-f", "lavfi", "-i", "color=c=black:s=64x64:d=1:r=10", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", str(silent_video))  # fmt: skip
    with pytest.raises(AudioError) as caught:
        load_pcm(silent_video)
    assert "no audio track" in str(caught.value)
    assert "picture-only.mp4" in str(caught.value)


def test_empty_file_and_folder(tmp_path, ffmpeg):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(AudioError, match="empty"):
        load_pcm(empty)
    with pytest.raises(AudioError, match="folder"):
        load_pcm(tmp_path)
