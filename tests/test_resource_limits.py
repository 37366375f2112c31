"""Resource limits: huge inputs are either processed with memory growing about
linearly, or refused before they are read.

- a source transcript above ``ingest.registry.MAX_SOURCE_BYTES`` (16 MB, some 300 hours
  of speech) is refused at once with a clear message, without being read into
  memory (a 50 MB transcript);
- a 20,000-cue SRT is read and checked;
- the peak memory of ``transkit segment`` grows about linearly with the size of
  the transcript (measured as each process's own peak resident memory; the figures for
  5/10/50 MB are in ``benchmarks/resource_limits.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
MB = 1024 * 1024


def big_transcript(path: Path, size: int) -> Path:
    """The interview's body repeated under its header until the file has ``size`` bytes."""
    text = INTERVIEW.read_text(encoding="utf-8")
    end = text.index("---", 3) + 4
    header, body = text[:end], text[end:]
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        written = len(header.encode())
        chunk = body.encode()
        while written < size:
            out.write(body)
            written += len(chunk)
    return path


def big_srt(path: Path, cues: int) -> Path:
    import srt

    lines = [
        "No, NATO is a defensive alliance.",
        "We have one responsibility, and that is\nto protect and defend our allies.",
        "- Has NATO ever wanted to conquer Russia?\n- No.",
    ]
    subtitles = (
        srt.Subtitle(i + 1, timedelta(milliseconds=i * 3000), timedelta(milliseconds=i * 3000 + 2500), lines[i % 3])
        for i in range(cues)
    )
    path.write_text(srt.compose(subtitles), encoding="utf-8")
    return path


# Runs the CLI and, at exit, writes the process's own peak resident memory (VmHWM,
# which exec resets; ru_maxrss would include the memory of the forking parent).
PEAK_WRAPPER = """
import atexit, os, sys

def _report_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["TRANSKIT_PEAK_FILE"], "w") as out:
        out.write(peak)

atexit.register(_report_peak)
sys.argv = ["transkit", *sys.argv[1:]]
from transkit.cli.app import main
main()
"""


def transkit_measured(args: list[str], cwd: Path) -> tuple[int, str, str, float]:
    """Run ``transkit`` and return (exit code, stdout, stderr, peak resident memory in MB)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    peak_file = cwd / f".peak-{os.getpid()}-{threading.get_ident()}"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    env["TRANSKIT_PEAK_FILE"] = str(peak_file)
    done = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1800, check=False,
    )
    peak_kb = int(peak_file.read_text())
    peak_file.unlink()
    return done.returncode, done.stdout, done.stderr, peak_kb / 1024


def test_50mb_transcript_is_refused_before_it_is_read(tmp_path):
    source = big_transcript(tmp_path / "huge.md", 50 * MB)
    code, _, err, peak_mb = transkit_measured(["segment", "huge.md", "-o", "out"], tmp_path)
    assert code == 3, err
    line = err.strip().splitlines()[-1]
    assert line.startswith("transkit: error: huge.md: source is too large") and "limit is 16 MB" in line, line
    assert "split" in line
    assert peak_mb < source.stat().st_size / MB, f"{peak_mb:.0f} MB used to refuse a 50 MB file: it was read"
    assert not (tmp_path / "out").exists()


def test_size_limit_boundary_and_project_files_exempt(tmp_path, monkeypatch):
    from transkit import pipeline
    from transkit.ingest import registry
    from transkit.errors import InputError
    from transkit.projectfile import save_project

    monkeypatch.setattr(registry, "MAX_SOURCE_BYTES", INTERVIEW.stat().st_size)
    project = pipeline.prepare_project(INTERVIEW)  # exactly at the limit: read
    bigger = tmp_path / "bigger.md"
    bigger.write_bytes(INTERVIEW.read_bytes() + b"\n")
    with pytest.raises(InputError, match="too large"):
        pipeline.prepare_project(bigger)
    saved = tmp_path / "interview.project.json"
    save_project(project, saved)
    assert saved.stat().st_size > registry.MAX_SOURCE_BYTES
    assert pipeline.prepare_project(saved) == project  # a project file is not a source: no limit


def test_20000_cue_srt_is_read_and_checked(tmp_path):
    from transkit.ingest.subtitles import read_subtitle_file

    path = big_srt(tmp_path / "long.srt", 20_000)
    cues = read_subtitle_file(path)
    assert len(cues) == 20_000
    assert cues[-1].start_ms == 19_999 * 3000 and cues[2].lines == ("- Has NATO ever wanted to conquer Russia?", "- No.")
    code, out, err, peak_mb = transkit_measured(["check", "long.srt"], tmp_path)
    assert code in (0, 8), err
    assert "20000 cues" in out.replace(",", ""), out[:300]
    assert "Traceback" not in err
    assert peak_mb < 400, f"checking a 20,000-cue SRT took {peak_mb:.0f} MB"


@pytest.mark.slow
def test_segment_memory_grows_about_linearly(tmp_path):
    """Peak memory above the start-up baseline at 256 KB and 1 MB of transcript: about 4x, not 16x."""
    peaks = {}
    for size in (0, 256 * 1024, 1024 * 1024):
        name = f"t{size}.md"
        if size:
            big_transcript(tmp_path / name, size)
        else:
            (tmp_path / name).write_bytes(INTERVIEW.read_bytes())
        code, _, err, peaks[size] = transkit_measured(["segment", name, "-o", f"out{size}", "--formats", "srt"], tmp_path)
        assert code == 0, err
    small, large = peaks[256 * 1024] - peaks[0], peaks[1024 * 1024] - peaks[0]
    assert small > 0 and large > small, peaks
    assert large / small < 4 * 1.6, f"memory grows faster than linearly: {peaks}"
