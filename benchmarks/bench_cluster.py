"""Batch throughput on a Dask cluster against local processes, and what 1,000 hours would take.

    .venv/bin/python benchmarks/bench_cluster.py [--copies 20] [--pairs 4] [--formats LIST] [--models DIR]

The folder holds ``--copies`` varied copies of the interview (``tests/batch_corpus.py``).
Each run is the real CLI in a subprocess with the real Firefox en->pt model and a
fresh translation memory and output folder:

- ``--jobs 1`` and ``--jobs 2`` (local processes);
- ``--scheduler`` with a ``dask scheduler`` and 1, then 2, ``dask worker --nthreads 1``
  processes started here on 127.0.0.1, each with its own HOME and temp folder
  (the one worker gets both cores for its engine, the two workers one each, as
  ``--jobs 1`` and ``--jobs 2`` divide them);
- a warm re-run of each (everything from the memory: what is left is reading,
  shipping, laying out and writing), whose difference per file between the
  cluster and ``--jobs 1`` is the per-task overhead of the cluster, and the
  round trip of an empty task through the scheduler.

Printed: wall time, files per minute, sentences translated, the load average
beside every run (the machine is shared: two cores, other work), whether the
cluster's files are byte-identical to ``--jobs 1``'s, then an estimate for
1,000 hours of interviews on N machines from the measured cost per word.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ROOT / ".cache" / "test-models" / "installed"
SUBTITLE_FORMATS = "srt,vtt,ass,bi.srt,bi.ass"
CLI = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"
WORDS_PER_HOUR = 150 * 60  # interview speech, about 150 words a minute

sys.path.insert(0, str(ROOT / "tests"))
from batch_corpus import corpus_sentences, write_varied_copies  # noqa: E402


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def transkit_run(work: Path, env: dict[str, str], name: str, extra: list[str], formats: str | None) -> dict:
    summary = work / f"{name}-{time.monotonic_ns()}.json"
    args = [sys.executable, "-c", CLI, "run", "src", "--to", "pt", "--out", name, "--summary-json", str(summary)]
    args += extra + (["--formats", formats] if formats else [])
    load_before = load()
    start = time.perf_counter()
    done = subprocess.run(args, cwd=work, env={**env, "TRANSKIT_MEMORY": str(work / f"{name}.sqlite")},
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"transkit run {' '.join(extra)} failed:\n{done.stderr[-3000:]}")
    results = json.loads(summary.read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "files": len(results),
        "translated": sum(lang["translated"] for r in results for lang in r["languages"]),
        "load": f"{load_before} -> {load()}",
    }


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class LocalCluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, each in its own process group."""

    def __init__(self, work: Path, models: Path, workers: int) -> None:
        import distributed

        self.procs: list[subprocess.Popen] = []
        root = work / f"cluster-{workers}"
        root.mkdir()
        scheduler_file = root / "scheduler.json"
        self._start(root, "scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                        "--scheduler-file", str(scheduler_file)], dict(os.environ))
        self.client = distributed.Client(scheduler_file=str(scheduler_file), timeout=300)  # waits for the file
        self.address = json.loads(scheduler_file.read_text())["address"]
        threads = max(1, (os.cpu_count() or 1) // workers)
        for n in range(workers):
            home = root / f"w{n}"
            for sub in ("home", "tmp", "dask"):
                (home / sub).mkdir(parents=True)
            env = {**os.environ, "HOME": str(home / "home"), "TMPDIR": str(home / "tmp"),
                   "TRANSKIT_MODELS_DIR": str(models), "TRANSKIT_WORKER_THREADS": str(threads)}
            self._start(root, f"w{n}", ["worker", self.address, "--nthreads", "1", "--no-dashboard",
                                        "--local-directory", str(home / "dask")], env)
        self.client.wait_for_workers(workers, timeout=300)

    def _start(self, root: Path, name: str, args: list[str], env: dict[str, str]) -> None:
        with open(root / f"{name}.log", "wb") as log:
            self.procs.append(subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=root, env=env,
                                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True))

    def round_trip(self, count: int = 50) -> float:
        """Mean seconds for an empty task, submitted and awaited one at a time."""
        start = time.perf_counter()
        for n in range(count):
            self.client.submit(int, n, pure=False).result()
        return (time.perf_counter() - start) / count

    def close(self) -> None:
        self.client.close()
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=4, help="question-answer pairs per copy (the interview has 20)")
    parser.add_argument("--formats", default=SUBTITLE_FORMATS, help="formats, or 'default' for transkit run's defaults")
    parser.add_argument("--models", type=Path, default=DEFAULT_MODELS)
    args = parser.parse_args()
    if not (args.models / "firefox").is_dir():
        sys.exit(f"no Firefox models in {args.models} (run scripts/fetch_test_models.py)")
    formats = None if args.formats == "default" else args.formats

    print(f"load average before: {load()}  ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        work = Path(tmp)
        paths = write_varied_copies(work / "src", args.copies, pairs_per_copy=args.pairs)
        copies = corpus_sentences(paths)
        distinct = {text for copy in copies for text in copy if text.strip()}
        total = sum(map(len, copies))
        distinct_words = sum(len(text.split()) for text in distinct)
        print(f"corpus: {len(paths)} files, {total} sentences ({total / len(paths):.0f} per file), "
              f"{len(distinct)} distinct, {distinct_words} words in them; formats: {formats or 'defaults'}\n")
        env = {**os.environ, "TRANSKIT_MODELS_DIR": str(args.models),
               "XDG_DATA_HOME": str(work / "data"), "XDG_CACHE_HOME": str(work / "cache")}

        runs: list[tuple[str, dict]] = []
        round_trips: dict[int, float] = {}
        for jobs in (1, 2):
            name = f"jobs{jobs}"
            runs.append((f"--jobs {jobs}", transkit_run(work, env, name, ["--jobs", str(jobs)], formats)))
            runs.append((f"--jobs {jobs} warm", transkit_run(work, env, name, ["--jobs", str(jobs)], formats)))
        same: dict[str, bool] = {}
        for workers in (1, 2):
            cluster = LocalCluster(work, args.models, workers)
            try:
                name = f"cluster{workers}"
                extra = ["--scheduler", cluster.address]
                runs.append((f"cluster, {workers} worker{'s' * (workers > 1)}", transkit_run(work, env, name, extra, formats)))
                runs.append((f"cluster, {workers} warm", transkit_run(work, env, name, extra, formats)))
                round_trips[workers] = cluster.round_trip()
            finally:
                cluster.close()
            same[name] = tree(work / name) == tree(work / "jobs1")

        print(f"{'run':<22}{'wall s':>8}{'files/min':>10}{'translated':>11}  load average (1, 5, 15 min) before -> after")
        for label, r in runs:
            print(f"{label:<22}{r['wall']:>8.1f}{60 * r['files'] / r['wall']:>10.1f}{r['translated']:>11}  {r['load']}")
        by = dict(runs)
        print(f"\nfiles byte-identical to --jobs 1: {same}")
        for workers in (1, 2):
            warm = by[f"cluster, {workers} warm"]["wall"] - by["--jobs 1 warm"]["wall"]
            print(f"per-task overhead, {workers} worker(s): warm re-run {warm / len(paths):+.2f} s a file against --jobs 1; "
                  f"empty task round trip {1000 * round_trips[workers]:.1f} ms")

        one = by["--jobs 1"]
        seconds_per_word = one["wall"] / distinct_words
        words = 1000 * WORDS_PER_HOUR
        print(f"\nmeasured: {seconds_per_word * 1000:.1f} ms a translated word with --jobs 1 on this machine "
              f"(all stages, {os.cpu_count()} cores, load above)")
        print(f"1,000 hours of interviews ~ {words / 1e6:.1f} M words (150 words a minute), "
              f"~{words * seconds_per_word / 3600:.0f} machine-hours like this one:")
        best = max(60 * by[f"cluster, {w} worker{'s' * (w > 1)}"]["files"] / by[f"cluster, {w} worker{'s' * (w > 1)}"]["wall"]
                   for w in (1, 2))
        per_machine = best / (60 * one["files"] / one["wall"])  # cluster throughput of one machine vs --jobs 1
        for machines in (1, 10, 50, 100):
            hours = words * seconds_per_word / 3600 / (machines * per_machine)
            print(f"  {machines:>3} machines: {hours:8.1f} h ({hours / 24:.1f} days)")
        print("(one file per interview hour: the per-task overhead above is noise next to a file's minutes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
