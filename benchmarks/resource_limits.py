"""Peak memory and time of ``transkit segment`` on huge inputs, and of the refusal above the limit.

Inputs (made in a temporary folder):
- the real interview transcript (18 KB) and copies of its body repeated to
  1, 5 and 10 MB (``--sizes``), under its own header;
- a 50 MB transcript: above ``ingest.registry.MAX_SOURCE_BYTES`` (16 MB), so it is
  refused; with ``--lift-limit`` it is also processed with the limit raised,
  which takes many minutes;
- a 20,000-cue SRT: read and linted (``transkit check``) and turned into timed
  subtitles (``transkit segment long.srt``).

Peak memory is each process's own VmHWM (``/proc/self/status`` at exit). For
scale, each row shows MB of memory per MB of input above the start-up baseline,
and the 20,000-cue SRT is also parsed by the ``srt`` library alone.

    .venv/bin/python benchmarks/resource_limits.py [--sizes 1,5,10] [--lift-limit] [--scaling-only]

It also times sentence splitting of one ever longer paragraph (a ``.txt`` without
blank lines, or subtitles without pauses), where the time per doubling shows
whether the cost grows linearly (2x) or with the square of the length (4x).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
MB = 1024 * 1024

PEAK = """
import atexit, os, sys

def _report_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["PEAK_FILE"], "w") as out:
        out.write(peak)

atexit.register(_report_peak)
if os.environ.get("LIFT_LIMIT"):
    import transkit.ingest.registry
    transkit.ingest.registry.MAX_SOURCE_BYTES = 1 << 40
"""
RUN_CLI = PEAK + """
sys.argv = ["transkit", *sys.argv[1:]]
from transkit.cli.app import main
main()
"""
PARSE_SRT = PEAK + """
import srt
with open(sys.argv[1], encoding="utf-8") as handle:
    print(sum(1 for _ in srt.parse(handle.read())))
"""


def measured(script: str, args: list[str], cwd: Path, lift: bool = False) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MB, last stderr line) of one process."""
    peak_file = cwd / ".peak"
    env = dict(os.environ, PEAK_FILE=str(peak_file))
    env.pop("TRANSKIT_DEBUG", None)
    if lift:
        env["LIFT_LIMIT"] = "1"
    start = time.perf_counter()
    command = [sys.executable, "-c", script, *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = int(peak_file.read_text()) / 1024
    lines = done.stderr.strip().splitlines()
    return done.returncode, seconds, peak, lines[-1] if lines else ""


def transcript(path: Path, size: int) -> Path:
    text = INTERVIEW.read_text(encoding="utf-8")
    end = text.index("---", 3) + 4
    header, body = text[:end], text[end:]
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        written = len(header.encode())
        while written < size:
            out.write(body)
            written += len(body.encode())
    return path


def long_srt(path: Path, cues: int) -> Path:
    import srt

    lines = [
        "No, NATO is a defensive alliance.",
        "We have one responsibility, and that is\nto protect and defend our allies.",
        "- Has NATO ever wanted to conquer Russia?\n- No.",
    ]
    path.write_text(
        srt.compose(
            srt.Subtitle(i + 1, timedelta(milliseconds=i * 3000), timedelta(milliseconds=i * 3000 + 2500), lines[i % 3])
            for i in range(cues)
        ),
        encoding="utf-8",
    )
    return path


def scaling() -> None:
    """Time per doubling of one long paragraph: 2x is linear, 4x quadratic."""
    from transkit.ingest.from_subtitles import transcript_from_cues
    from transkit.ingest.subtitles import read_subtitle_file
    from transkit.segment import split_sentences

    body = INTERVIEW.read_text(encoding="utf-8").split("---", 2)[2]
    text = " ".join(
        line.split(":", 1)[-1].strip() for line in body.splitlines() if line.strip() and not line.startswith(">")
    )
    print("\none paragraph of the interview's text repeated, split into sentences (segment.split_sentences):")
    previous = None
    for copies in (1, 2, 4, 8):
        start = time.perf_counter()
        count = len(split_sentences(" ".join([text] * copies)))
        seconds = time.perf_counter() - start
        ratio = f"{seconds / previous:5.1f}x" if previous else ""
        print(f"    {len(text) * copies / 1024:6.0f} KB  {count:6d} sentences  {seconds:7.2f} s  {ratio}")
        previous = seconds
    print("SRT cues without a 2-second pause, read as a transcript (ingest.from_subtitles):")
    previous = None
    with tempfile.TemporaryDirectory() as folder:
        for cues in (2000, 4000, 8000, 16000):
            path = long_srt(Path(folder) / f"{cues}.srt", cues)
            parsed = read_subtitle_file(path)
            start = time.perf_counter()
            _, segments = transcript_from_cues(parsed, str(path))
            seconds = time.perf_counter() - start
            ratio = f"{seconds / previous:5.1f}x" if previous else ""
            print(f"    {cues:6d} cues  {len(segments):6d} sentences  {seconds:7.2f} s  {ratio}")
            previous = seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,5,10", help="transcript sizes in MB ('' for none)")
    parser.add_argument("--lift-limit", action="store_true", help="also process the 50 MB transcript (slow)")
    parser.add_argument("--scaling-only", action="store_true", help="only the long-paragraph timings")
    args = parser.parse_args()
    if args.scaling_only:
        scaling()
        return
    if not Path("/proc/self/status").exists():
        sys.exit("needs Linux (/proc) to read peak memory")

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "interview.md").write_bytes(INTERVIEW.read_bytes())
        code, base_s, base_mb, _ = measured(RUN_CLI, ["segment", "interview.md", "-o", "out0", "--formats", "srt,vtt"], work)
        assert code == 0
        print(f"{'input':34} {'exit':>4} {'seconds':>8} {'peak MB':>8} {'MB/MB input':>12}")
        print(f"{'interview.md (18 KB, baseline)':34} {code:4} {base_s:8.1f} {base_mb:8.0f} {'':>12}")
        for size in [float(s) for s in args.sizes.split(",") if s]:
            name = f"t{size:g}MB.md"
            transcript(work / name, int(size * MB))
            code, seconds, peak, last = measured(RUN_CLI, ["segment", name, "-o", f"out-{size:g}", "--formats", "srt,vtt"], work)
            per_mb = (peak - base_mb) / size
            print(f"{'segment ' + name:34} {code:4} {seconds:8.1f} {peak:8.0f} {per_mb:12.1f}")
        transcript(work / "t50MB.md", 50 * MB)
        code, seconds, peak, last = measured(RUN_CLI, ["segment", "t50MB.md", "-o", "out-50"], work)
        print(f"{'segment t50MB.md (limit 16 MB)':34} {code:4} {seconds:8.1f} {peak:8.0f} {'refused':>12}")
        print(f"    {last}")
        if args.lift_limit:
            code, seconds, peak, last = measured(
                RUN_CLI, ["segment", "t50MB.md", "-o", "out-50", "--formats", "srt,vtt"], work, lift=True
            )
            print(f"{'segment t50MB.md (limit lifted)':34} {code:4} {seconds:8.1f} {peak:8.0f} {(peak - base_mb) / 50:12.1f}")

        srt_path = long_srt(work / "long.srt", 20_000)
        srt_mb = srt_path.stat().st_size / MB
        _, _, bare_mb, _ = measured(PEAK, [], work)
        _, _, cli_mb, _ = measured(RUN_CLI, ["--version"], work)
        code, seconds, peak, _ = measured(PARSE_SRT, [str(srt_path)], work)
        print(f"{'srt.parse long.srt (20,000 cues)':34} {code:4} {seconds:8.1f} {peak:8.0f} {'':>12}")
        srt_parse_mb = peak - bare_mb
        code, seconds, peak, _ = measured(RUN_CLI, ["check", "long.srt"], work)
        print(f"{'transkit check long.srt':34} {code:4} {seconds:8.1f} {peak:8.0f} {'':>12}")
        print(
            f"    above start-up ({bare_mb:.0f} MB bare Python, {cli_mb:.0f} MB transkit --version): "
            f"check {peak - cli_mb:.0f} MB vs srt.parse {srt_parse_mb:.0f} MB ({srt_mb:.1f} MB file)"
        )
        code, seconds, peak, _ = measured(RUN_CLI, ["segment", "long.srt", "-o", "out-srt", "--formats", "srt,vtt"], work)
        print(f"{'transkit segment long.srt':34} {code:4} {seconds:8.1f} {peak:8.0f} {(peak - base_mb) / srt_mb:12.1f}")
    scaling()


if __name__ == "__main__":
    main()
