"""Batch throughput of ``transkit run FOLDER --to pt``: one worker against two.

    .venv/bin/python benchmarks/bench_batch.py [--copies 20] [--pairs 4] [--formats LIST] [--models DIR]

The folder holds ``--copies`` varied copies of the interview (``tests/batch_corpus.py``:
each copy its own window of question-answer pairs and its own joined sentences, so
copies share some sentences but each has new ones). Runs, each the real CLI in a
subprocess with the real Firefox en->pt model:

- ``--jobs 1`` and ``--jobs 2``, each with a fresh translation memory and output
  folder, alternating for ``--rounds`` rounds (the best round of each counts);
- a warm re-run of the finished ``--jobs 1`` batch with ``--jobs 1`` and with
  ``--jobs 2`` (everything from the memory; files compared and none rewritten).

Printed: wall time, files per minute, CPU time of the run and all its child
processes (steadier than wall time on a shared machine), sentences the engine
translated, files written, and the per-file stage times summed from
``--summary-json``; then the ``--jobs 2`` / ``--jobs 1`` throughput ratio. Formats default to the five subtitle
formats (srt, vtt, ass and the bilingual srt/ass) - a newsroom batch is about
subtitles, and the document exporters are measured in ``bench_run.py``; give
``--formats default`` for ``transkit run``'s own defaults (documents too; slower).
The load average is printed beside every run: the machine has two cores shared
with other work, so ``--jobs 2`` cannot beat ``--jobs 1`` by more than the idle
core it finds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ROOT / ".cache" / "test-models" / "installed"
SUBTITLE_FORMATS = "srt,vtt,ass,bi.srt,bi.ass"
CLI = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"

sys.path.insert(0, str(ROOT / "tests"))
from batch_corpus import corpus_sentences, write_varied_copies  # noqa: E402


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_batch(work: Path, env: dict[str, str], memory: str, out: str, jobs: int, formats: str | None) -> dict:
    summary = work / f"{out}-jobs{jobs}-{time.monotonic_ns()}.json"
    args = [sys.executable, "-c", CLI, "run", "src", "--to", "pt", "--out", out, "--jobs", str(jobs)]
    args += ["--summary-json", str(summary)] + (["--formats", formats] if formats else [])
    load_before = load()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=work, env={**env, "TRANSKIT_MEMORY": str(work / memory)}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    if done.returncode != 0:
        sys.exit(f"transkit run --jobs {jobs} failed:\n{done.stderr[-3000:]}")
    results = json.loads(summary.read_text(encoding="utf-8"))
    stages: dict[str, float] = {}
    for result in results:
        for name, seconds in result["stage_seconds"]:
            stages[name] = stages.get(name, 0.0) + seconds
    return {
        "wall": wall,
        "cpu": cpu,
        "files": len(results),
        "translated": sum(lang["translated"] for r in results for lang in r["languages"]),
        "written": sum(len(r["files_written"]) for r in results),
        "stages": stages,
        "load": f"{load_before} -> {load()}",
    }


def forget(work: Path, name: str) -> None:
    """Remove an earlier round's output folder and memory: the next run starts fresh."""
    shutil.rmtree(work / name, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        (work / f"{name}.sqlite{suffix}").unlink(missing_ok=True)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=4, help="question-answer pairs per copy (the interview has 20)")
    parser.add_argument("--formats", default=SUBTITLE_FORMATS, help="formats, or 'default' for transkit run's defaults")
    parser.add_argument("--models", type=Path, default=DEFAULT_MODELS)
    parser.add_argument("--rounds", type=int, default=2, help="fresh-memory runs of each --jobs setting")
    args = parser.parse_args()
    if not (args.models / "firefox").is_dir():
        sys.exit(f"no Firefox models in {args.models} (run scripts/fetch_test_models.py)")
    formats = None if args.formats == "default" else args.formats

    print(f"load average before: {load()}  ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        paths = write_varied_copies(work / "src", args.copies, pairs_per_copy=args.pairs)
        copies = corpus_sentences(paths)
        distinct = {text for copy in copies for text in copy}
        total = sum(map(len, copies))
        print(
            f"corpus: {len(paths)} copies, {args.pairs} question-answer pairs each, {total} sentences "
            f"({total / len(paths):.0f} per file), {len(distinct)} distinct ({len(distinct) / total:.0%})"
        )
        print(f"formats: {formats or 'transkit run defaults'}\n")
        env = {
            **os.environ,
            "TRANSKIT_MODELS_DIR": str(args.models),
            "XDG_DATA_HOME": str(work / "data"),
            "XDG_CACHE_HOME": str(work / "cache"),
        }
        runs = []
        for round_number in range(args.rounds):
            for jobs, name in ((1, "one"), (2, "two")):
                forget(work, name)
                runs.append((f"fresh memory {round_number + 1}", jobs, run_batch(work, env, f"{name}.sqlite", name, jobs, formats)))
        same = tree(work / "one") == tree(work / "two")
        before = mtimes(work / "one")
        runs.append(("warm re-run", 1, run_batch(work, env, "one.sqlite", "one", 1, formats)))
        runs.append(("warm re-run", 2, run_batch(work, env, "one.sqlite", "one", 2, formats)))
        untouched = mtimes(work / "one") == before

        stage_names = list(dict.fromkeys(name for _l, _j, r in runs for name in r["stages"]))
        head = f"{'run':<16}{'jobs':>5}{'wall s':>8}{'files/min':>10}{'cpu s':>7}{'translated':>11}{'written':>8}"
        print(head + "".join(f"{'sum ' + name + ' s':>20}" for name in stage_names) + "   load average (1, 5, 15 min)")
        for label, jobs, r in runs:
            rate = 60 * r["files"] / r["wall"]
            cells = "".join(f"{r['stages'].get(name, 0.0):>20.1f}" for name in stage_names)
            print(
                f"{label:<16}{jobs:>5}{r['wall']:>8.1f}{rate:>10.1f}{r['cpu']:>7.1f}{r['translated']:>11}{r['written']:>8}"
                f"{cells}   {r['load']}"
            )

        fresh = [(jobs, r) for label, jobs, r in runs if label.startswith("fresh")]
        one = min((r for jobs, r in fresh if jobs == 1), key=lambda r: r["wall"])
        two = min((r for jobs, r in fresh if jobs == 2), key=lambda r: r["wall"])
        warm_one, warm_two = runs[-2][2], runs[-1][2]
        print(
            f"\nfresh memory, best of {args.rounds}: --jobs 1 {60 * one['files'] / one['wall']:.1f} files/min, "
            f"--jobs 2 {60 * two['files'] / two['wall']:.1f} files/min: ratio {one['wall'] / two['wall']:.2f}x"
        )
        print(f"warm re-run: --jobs 2 / --jobs 1 throughput {warm_one['wall'] / warm_two['wall']:.2f}x")
        print(f"warm re-run (jobs 1) / best fresh run (jobs 1) wall time: {warm_one['wall'] / one['wall']:.2f}")
        print(f"distinct sentences {len(distinct)}; engine translated with --jobs 1: {one['translated']}, "
              f"with --jobs 2: {two['translated']} (parallel workers can both miss a shared sentence)")
        print(f"--jobs 2 files byte-identical to --jobs 1: {same}; warm re-runs rewrote nothing: {untouched}")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
