"""``transkit align``: a transcript and a recording in, timed subtitles and the
project JSON out, with a report; bad input ends in one line and exit code 7."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import require_tool
from transkit.cli.app import app

pytestmark = [pytest.mark.ffmpeg, pytest.mark.espeak]
runner = CliRunner()
RATE = 16_000

SOURCE = """---
title: A short test interview
language: en
speakers:
  KM: Kirill Martynov | Interviewer
  JS: Jens Stoltenberg | NATO Secretary General
---

> NOTE: An editor's note that nobody reads out.

KM: Has NATO ever wanted to conquer or divide Russia?

JS: No, NATO is a defensive alliance. We have one responsibility, and that is to protect and defend our allies.
"""
SPOKEN = [
    ("slt", "Has NATO ever wanted to conquer or divide Russia?"),
    ("rms", "No, NATO is a defensive alliance."),
    ("rms", "We have one responsibility, and that is to protect and defend our allies."),
]
PAUSES = [1.0, 0.4]


@pytest.fixture(scope="module")
def interview(tmp_path_factory):
    for tool in ("flite", "espeak-ng", "ffmpeg"):
        require_tool(tool)
    folder = tmp_path_factory.mktemp("cli-align")
    source = folder / "talk.md"
    source.write_text(SOURCE, encoding="utf-8")
    parts, starts, position = [np.zeros(RATE)], [], RATE
    for i, (voice, text) in enumerate(SPOKEN):
        wav = folder / f"s{i}.wav"
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(wav)], check=True)
        with wave.open(str(wav)) as w:
            x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)
        loud = np.flatnonzero(np.abs(x) > 0.02 * np.abs(x).max())
        x = x[loud[0]: loud[-1] + 1]
        if i:
            parts.append(np.zeros(int(PAUSES[i - 1] * RATE)))
            position += parts[-1].size
        starts.append(position * 1000 // RATE)
        parts.append(x)
        position += x.size
    parts.append(np.zeros(RATE))
    track = np.concatenate(parts) + np.random.default_rng(0).normal(0, 20, position + RATE)
    raw = folder / "talk.raw"
    raw.write_bytes(np.clip(track, -32000, 32000).astype("<i2").tobytes())
    audio = folder / "talk.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
                    "-i", str(raw), "-c:a", "libmp3lame", "-b:a", "64k", str(audio)], check=True)  # fmt: skip
    return {"source": source, "audio": audio, "starts": starts, "folder": folder}


def test_align_writes_project_and_subtitles(interview, tmp_path):
    out = tmp_path / "en"
    result = runner.invoke(app, ["align", str(interview["source"]), str(interview["audio"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3/3 segments aligned" in result.output
    project = json.loads((out / "talk.project.json").read_text(encoding="utf-8"))
    segments = project["segments"]
    assert [s["timing"] for s in segments] == ["aligned"] * 3
    assert all(0.5 <= s["confidence"] <= 1.0 for s in segments)
    errors = [abs(s["start_ms"] - t) for s, t in zip(segments, interview["starts"])]
    assert max(errors) <= 250, errors
    assert dict(project["timing"])["method"] == "aligned"
    srt = (out / "talk.en.srt").read_text(encoding="utf-8")
    vtt = (out / "talk.en.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    assert "NATO is a defensive alliance" in srt and "editor's note" not in srt
    first_cue = srt.split("\n")[1]
    first_start = first_cue.split(" --> ")[0]
    h, m, rest = first_start.split(":")
    s, ms = rest.split(",")
    start_ms = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)
    # the first subtitle appears with the first words (layout may lead in a little)
    assert interview["starts"][0] - 600 <= start_ms <= interview["starts"][0] + 250


def test_same_output_twice(interview, tmp_path):
    for name in ("a", "b"):
        result = runner.invoke(app, ["align", str(interview["source"]), str(interview["audio"]), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    for file in ("talk.project.json", "talk.en.srt", "talk.en.vtt"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_align_is_segment_with_audio(interview, tmp_path):
    """`align` and `segment --audio` are one chain: byte for byte the same files."""
    d1, d2 = tmp_path / "d1", tmp_path / "d2"
    source, audio = str(interview["source"]), str(interview["audio"])
    aligned = runner.invoke(app, ["align", source, audio, "-o", str(d1)])
    assert aligned.exit_code == 0, aligned.output
    segmented = runner.invoke(app, ["segment", source, "--audio", audio, "-o", str(d2)])
    assert segmented.exit_code == 0, segmented.output
    names = sorted(p.name for p in d1.iterdir())
    assert names == ["talk.en.srt", "talk.en.vtt", "talk.project.json"]
    assert sorted(p.name for p in d2.iterdir()) == names
    for name in names:
        assert (d1 / name).read_bytes() == (d2 / name).read_bytes(), name
    project = json.loads((d1 / "talk.project.json").read_text(encoding="utf-8"))
    assert project["transcript"]["source_path"] == "talk.md"  # the name, not the path as typed
    # both print the aligner's report and the subtitle check
    for result in (aligned, segmented):
        assert "3/3 segments aligned" in result.output
        assert "en: " in result.output and " cues, check: " in result.output


def test_run_with_audio_is_the_same_chain(interview, tmp_path):
    """`run --audio` (no target language) aligns, prints the report and writes what `align` writes."""
    source, audio = str(interview["source"]), str(interview["audio"])
    aligned = runner.invoke(app, ["align", source, audio, "-o", str(tmp_path / "aligned")])
    assert aligned.exit_code == 0, aligned.output
    ran = runner.invoke(
        app, ["run", source, "--to", "en", "--audio", audio, "--formats", "srt,vtt", "--no-cache", "-o", str(tmp_path / "run")]
    )
    assert ran.exit_code == 0, ran.output
    assert "talk.md: 3/3 segments aligned" in ran.output
    for made, expected in (("talk.project.json", "talk.project.json"), ("en/talk.en.srt", "talk.en.srt"), ("en/talk.en.vtt", "talk.en.vtt")):
        assert (tmp_path / "run" / made).read_bytes() == (tmp_path / "aligned" / expected).read_bytes(), made


def test_align_profile_is_recorded_and_used(interview, tmp_path):
    result = runner.invoke(
        app, ["align", str(interview["source"]), str(interview["audio"]), "--profile", "bbc", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    project = json.loads((tmp_path / "talk.project.json").read_text(encoding="utf-8"))
    assert project["profile"] == "bbc"


def test_missing_audio_is_one_clear_line(interview, tmp_path):
    missing = tmp_path / "nope.mp4"
    result = runner.invoke(app, ["align", str(interview["source"]), str(missing), "-o", str(tmp_path)])
    assert result.exit_code == 7
    assert "nope.mp4" in result.output and "not found" in result.output
    assert "Traceback" not in result.output


def test_not_audio_is_refused(interview, tmp_path):
    result = runner.invoke(app, ["align", str(interview["source"]), str(interview["source"]), "-o", str(tmp_path)])
    assert result.exit_code == 7, result.output
    assert "talk.md" in result.output


def test_bad_speaker_voice_option(interview, tmp_path):
    result = runner.invoke(
        app, ["align", str(interview["source"]), str(interview["audio"]), "--speaker-voice", "KM", "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "SPEAKER=VOICE" in result.output


def test_as_a_subprocess(interview, tmp_path):
    out = tmp_path / "sub"
    done = subprocess.run(
        [sys.executable, "-c", "from transkit.cli.app import main; main()", "align", str(interview["source"]), str(interview["audio"]), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "talk.en.srt").exists()
    assert "wrote" in done.stdout


def test_help_is_documented():
    result = runner.invoke(app, ["align", "--help"])
    assert result.exit_code == 0
    assert "transkit align source/interview.md interview.mp4" in result.output
