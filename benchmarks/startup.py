"""How fast does ``transkit --help`` start? Compared in the same run with a bare
Python start-up and with importing the heavy libraries transkit keeps out of start-up.

    .venv/bin/python benchmarks/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def timed(cmd: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("transkit --help", [str(VENV_BIN / "transkit"), "--help"]),
        ("transkit run --help", [str(VENV_BIN / "transkit"), "run", "--help"]),
        (
            "import ctranslate2, sentencepiece, fxtranslate, pydub, fpdf",
            [sys.executable, "-c", "import ctranslate2, sentencepiece, fxtranslate, pydub, fpdf"],
        ),
        ("import argostranslate.translate", [sys.executable, "-c", "import argostranslate.translate"]),
    ]
    baseline = None
    print(f"{'command':60} {'median ms':>10} {'min ms':>8} {'x python':>9}")
    for label, cmd in rows:
        median, best = timed(cmd, args.runs)
        baseline = baseline or median
        print(f"{label:60} {median * 1000:10.0f} {best * 1000:8.0f} {median / baseline:9.1f}")


if __name__ == "__main__":
    main()
