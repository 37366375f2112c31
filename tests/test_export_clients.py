"""Real clients read the exported files: ffmpeg (with libass) and headless Chromium.

ffmpeg converts the SRT to ASS, reads the WebVTT, and burns the SRT, the ASS and
the bilingual forms into three seconds of generated video; the frames are then
inspected (dark before the first cue, lit while a cue is on screen, the second
speaker's colour where that speaker talks, the source language at the top of the
bilingual ASS). Chromium loads the WebVTT as a ``<track>`` from a server on
127.0.0.1 and reports the cues it parsed; a broken copy of the file is the
control that shows the check can fail.
"""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import threading
from datetime import timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pysubs2
import pytest
import srt

from export_sample import GOLDEN_FORMATS, RU_TRACK, STEM, sample_job, write_formats

WIDTH, HEIGHT, FPS, SECONDS = 960, 540, 5, 3
FRAME_BYTES = WIDTH * HEIGHT * 3


@pytest.fixture
def exported(tmp_path) -> dict[str, Path]:
    paths = write_formats(sample_job(), GOLDEN_FORMATS, tmp_path, STEM)
    return dict(zip(GOLDEN_FORMATS, paths))


def _run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stderr[-2000:]}"
    return result


def _burn(ffmpeg: str, subtitle: Path) -> np.ndarray:
    """Burn ``subtitle`` into 3 s of black video; return the RGB frames (5 per second)."""
    out = subtitle.with_suffix(subtitle.suffix + ".rgb")
    _run(
        [
            ffmpeg, "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"color=c=black:s={WIDTH}x{HEIGHT}:r={FPS}:d={SECONDS}",
            # RGB throughout, so thin coloured strokes keep their colour (no chroma
            # subsampling); run from the file's folder so the filter needs no path escaping.
            "-vf", f"format=rgb24,subtitles={subtitle.name}",
            "-f", "rawvideo", "-pix_fmt", "rgb24", out.name,
        ],
        cwd=subtitle.parent,
    )
    data = np.frombuffer(out.read_bytes(), dtype=np.uint8)
    assert data.size == FPS * SECONDS * FRAME_BYTES
    return data.reshape(FPS * SECONDS, HEIGHT, WIDTH, 3).astype(int)


def _lit(frame: np.ndarray, rows: range | None = None) -> int:
    part = frame if rows is None else frame[rows.start : rows.stop]
    return int(((part[..., 0] > 200) & (part[..., 1] > 200)).sum())


def _yellow(frame: np.ndarray) -> int:
    r, g, b = frame[..., 0], frame[..., 1], frame[..., 2]
    return int(((r > 180) & (g > 150) & (b < 130)).sum())


def _frame_at(frames: np.ndarray, seconds: float) -> np.ndarray:
    return frames[round(seconds * FPS)]


pytestmark = pytest.mark.ffmpeg


def test_ffmpeg_converts_the_srt_to_ass(ffmpeg, exported):
    srt_path = exported["srt"]
    _run([ffmpeg, "-nostdin", "-v", "error", "-y", "-i", srt_path.name, "converted.ass"], cwd=srt_path.parent)
    subs = pysubs2.load(str(srt_path.parent / "converted.ass"))
    assert [(e.start, e.end) for e in subs.events] == [(c.start_ms, c.end_ms) for c in RU_TRACK.cues]
    assert subs.events[1].plaintext == "- Правда?\n- Нет."
    # The quoted <script> is still text after ffmpeg's tag handling.
    assert "script>alert(1)<" in subs.events[2].plaintext


@pytest.mark.parametrize("fmt", ["srt", "bi.srt"])
def test_ffmpeg_burns_the_srt_into_video(ffmpeg, exported, fmt):
    frames = _burn(ffmpeg, exported[fmt])
    assert _lit(_frame_at(frames, 0.2)) == 0  # before the first cue
    assert _lit(_frame_at(frames, 1.0)) > 100
    assert _lit(_frame_at(frames, 2.6)) > 100


def test_ffmpeg_burns_the_ass_with_speaker_colours(ffmpeg, exported):
    frames = _burn(ffmpeg, exported["ass"])
    assert _lit(_frame_at(frames, 0.2)) == 0
    first, dialogue = _frame_at(frames, 1.0), _frame_at(frames, 2.6)
    assert _lit(first) > 100
    assert _yellow(first) == 0  # Kirill Martynov alone: white
    assert _yellow(dialogue) > 50  # "- Нет." is Jens Stoltenberg's line, in his yellow


def test_ffmpeg_burns_the_bilingual_ass_top_and_bottom(ffmpeg, exported):
    frames = _burn(ffmpeg, exported["bi.ass"])
    top, bottom = range(0, HEIGHT // 3), range(2 * HEIGHT // 3, HEIGHT)
    before, during = _frame_at(frames, 0.2), _frame_at(frames, 1.0)
    assert _lit(before, top) == 0 and _lit(before, bottom) == 0
    assert _lit(during, top) > 50  # English, small, at the top
    assert _lit(during, bottom) > 50  # Russian at the bottom
    assert _lit(during, range(HEIGHT // 3, 2 * HEIGHT // 3)) == 0


def test_ffmpeg_reads_the_vtt(ffmpeg, exported):
    vtt_path = exported["vtt"]
    probe = _run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "json", vtt_path.name],
        cwd=vtt_path.parent,
    )
    streams = json.loads(probe.stdout)["streams"]
    assert streams == [{"codec_name": "webvtt", "codec_type": "subtitle"}]
    _run([ffmpeg, "-nostdin", "-v", "error", "-y", "-i", vtt_path.name, "from_vtt.srt"], cwd=vtt_path.parent)
    parsed = list(srt.parse((vtt_path.parent / "from_vtt.srt").read_text(encoding="utf-8")))
    assert [(s.start, s.end) for s in parsed] == [
        (timedelta(milliseconds=c.start_ms), timedelta(milliseconds=c.end_ms)) for c in RU_TRACK.cues
    ]
    assert parsed[0].content == RU_TRACK.cues[0].text


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"></head><body>
<video id="video" muted preload="auto">
  <track id="good" kind="subtitles" srclang="ru" label="ru" src="{good}" default>
  <track id="broken" kind="subtitles" srclang="ru" label="broken" src="{broken}">
</video>
<pre id="out">pending</pre>
<script>
function report(element) {{
  return new Promise((resolve) => {{
    element.addEventListener('load', () => {{
      const cues = Array.from(element.track.cues || []);
      resolve({{
        status: 'loaded',
        count: cues.length,
        texts: cues.map((c) => c.getCueAsHTML().textContent),
        voices: cues.map((c) => Array.from(c.getCueAsHTML().querySelectorAll('span[title]')).map((s) => s.title)),
        starts: cues.map((c) => Math.round(c.startTime * 1000)),
      }});
    }});
    element.addEventListener('error', () => resolve({{status: 'error', count: 0}}));
    element.track.mode = 'hidden';
  }});
}}
Promise.all([report(document.getElementById('good')), report(document.getElementById('broken'))])
  .then(([good, broken]) => {{ document.getElementById('out').textContent = JSON.stringify({{good, broken}}); }});
</script>
</body></html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.mark.browser
def test_chromium_loads_the_vtt_as_a_track(chromium, exported, tmp_path):
    good = exported["vtt"]
    broken = tmp_path / "broken.vtt"
    broken.write_text(good.read_text(encoding="utf-8").replace("WEBVTT\n", "", 1), encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE.format(good=good.name, broken=broken.name), encoding="utf-8")

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
        result = subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--dump-dom", url,
            ],
            capture_output=True, text=True, timeout=300,
        )
    finally:
        server.shutdown()
        server.server_close()
    match = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert match, f"no result in Chromium's DOM (exit {result.returncode}):\n{result.stderr[-2000:]}"
    report = json.loads(html.unescape(match.group(1)))

    good_report = report["good"]
    assert good_report["status"] == "loaded"
    assert good_report["count"] == len(RU_TRACK.cues)
    assert good_report["texts"] == [c.text for c in RU_TRACK.cues]
    assert good_report["starts"] == [c.start_ms for c in RU_TRACK.cues]
    assert good_report["voices"] == [
        ["Kirill Martynov"],
        ["Kirill Martynov", "Jens Stoltenberg"],
        ["Jens Stoltenberg"],
        ["Jens Stoltenberg"],
    ]
    # The control: without its header the same file is not WebVTT, and Chromium says so.
    assert report["broken"]["status"] == "error" and report["broken"]["count"] == 0
