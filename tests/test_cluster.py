"""`transkit run --scheduler` on a real Dask cluster on 127.0.0.1, started here:
`dask scheduler` and `dask worker` processes, each worker with its own HOME, XDG
folders, models folder and temporary folder, and the real Firefox en->pt model.
No disk is shared with the workers in spirit: they get the sources' bytes, and
the client writes every output and the memory.

Every wait is on an event (the scheduler file, workers joining, a progress event
from a worker, a line from the client), never a sleep; every process group is
killed in a finalizer."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from batch_corpus import write_varied_copies

distributed = pytest.importorskip("distributed", reason="needs transkit[cluster] (pip install -e '.[test,cluster]')")

pytestmark = [pytest.mark.model, pytest.mark.slow]

CLI = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"
DEADLINE_S = 600  # only against a hang: every wait below ends on an event
TOPIC = "transkit-progress"


# ---------------------------------------------------------------- a cluster on 127.0.0.1


class Cluster:
    """A scheduler and named workers, each in its own process group."""

    def __init__(self, root: Path, models: Path, scheduler_env: dict[str, str] | None = None) -> None:
        self.root = root
        self.models = models
        self.procs: dict[str, subprocess.Popen] = {}
        self.scheduler_file = root / "scheduler.json"
        self._start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(self.scheduler_file)],
            {**os.environ, **(scheduler_env or {})},
        )
        _wait_for(lambda: _json_ready(self.scheduler_file), "the scheduler file", self.procs["scheduler"], root)
        self.address = json.loads(self.scheduler_file.read_text())["address"]
        self.client = distributed.Client(self.address, timeout=DEADLINE_S, set_as_default=False)

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = open(self.root / f"{name}.log", "wb")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            cwd=self.root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def add_worker(self, name: str, *, with_model: bool = True) -> None:
        """A worker with a HOME, XDG folders, models folder and temp folder of its own."""
        home = self.root / name
        for sub in ("home", "data", "cache", "tmp", "models", "dask"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "HOME": str(home / "home"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "TMPDIR": str(home / "tmp"),
            "TRANSKIT_MODELS_DIR": str(self.models if with_model else home / "models"),
            "TRANSKIT_WORKER_THREADS": "1",
        }
        env.pop("TRANSKIT_MEMORY", None)
        self._start(
            name,
            ["worker", self.address, "--nthreads", "1", "--name", name, "--no-dashboard",
             "--local-directory", str(home / "dask")],
            env,
        )

    def wait_for_workers(self, count: int) -> None:
        self.client.wait_for_workers(count, timeout=DEADLINE_S)

    def worker_name(self, address: str) -> str:
        return self.client.scheduler_info(n_workers=-1)["workers"][address]["name"]

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def close(self) -> None:
        try:
            self.client.close(timeout=10)
        except Exception:  # noqa: BLE001 - tearing down whatever state the test left
            pass
        for name in list(self.procs):
            try:
                os.killpg(self.procs[name].pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.procs[name].wait()


def _json_ready(path: Path) -> bool:
    try:
        return "address" in json.loads(path.read_text())
    except (OSError, ValueError):
        return False


def _wait_for(condition, what: str, proc: subprocess.Popen, root: Path) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if proc.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in root.glob("*.log"))
            raise AssertionError(f"process ended while waiting for {what}:\n{logs}")
        assert time.monotonic() < deadline, f"no {what} after {DEADLINE_S} s"
        time.sleep(0.05)


@pytest.fixture
def make_cluster(tmp_path, test_models_dir):
    clusters: list[Cluster] = []

    def make(name: str = "cluster", scheduler_env: dict[str, str] | None = None) -> Cluster:
        root = tmp_path / name
        root.mkdir()
        cluster = Cluster(root, test_models_dir / "installed", scheduler_env)
        clusters.append(cluster)
        return cluster

    yield make
    for cluster in clusters:
        cluster.close()


class Events:
    """The progress events workers publish, as the test's own client receives them."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.items: list[dict] = []
        self.changed = threading.Condition()
        cluster.client.subscribe_topic(TOPIC, self._on_event)

    def _on_event(self, event) -> None:
        with self.changed:
            self.items.append(dict(event[1]))
            self.changed.notify_all()

    def wait(self, predicate) -> dict:
        with self.changed:
            found = self.changed.wait_for(lambda: next((e for e in self.items if predicate(e)), None), DEADLINE_S)
        assert found, "no such event from the workers"
        return found

    def workers_for(self, file_name: str) -> set[str]:
        with self.changed:
            return {e["worker"] for e in self.items if Path(e["file"]).name == file_name}


# ---------------------------------------------------------------- runs of the CLI


def _args(*extra: str) -> list[str]:
    return [sys.executable, "-c", CLI, "run", "src", "--to", "pt", *extra]


def _env(work: Path, memory: str, models: Path | None) -> dict[str, str]:
    env = {**os.environ, "TRANSKIT_MEMORY": str(work / memory), "CI": "true"}
    if models is not None:
        env["TRANSKIT_MODELS_DIR"] = str(models)
    else:  # the client needs no model of its own
        env["TRANSKIT_MODELS_DIR"] = str(work / "no-models")
    return env


def _run(work: Path, memory: str, *extra: str, models: Path | None = None, check: bool = True):
    done = subprocess.run(
        _args(*extra), cwd=work, env=_env(work, memory, models), capture_output=True, text=True, timeout=DEADLINE_S
    )
    if check:
        assert done.returncode == 0, done.stderr[-4000:]
    return done


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(path: Path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT * FROM translations ORDER BY 1, 2, 3, 4, 5, 6, 7, 8").fetchall()
    finally:
        db.close()


def _translated(summary: Path) -> dict[str, int]:
    data = json.loads(summary.read_text(encoding="utf-8"))
    return {Path(r["source"]).name: sum(lang["translated"] for lang in r["languages"]) for r in data}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The corpus and what `--jobs 1` makes of it with a fresh memory (outputs, memory rows)."""
    from conftest import TEST_MODELS_DIR

    models = TEST_MODELS_DIR / "installed"
    if not models.is_dir():
        pytest.skip(f"test models not fetched into {TEST_MODELS_DIR}")
    work = tmp_path_factory.mktemp("reference")
    paths = write_varied_copies(work / "src", 4, pairs_per_copy=3)
    _run(work, "local.sqlite", "--out", "out", "--jobs", "1", models=models)
    return {"paths": paths, "files": _files(work / "out"), "rows": _rows(work / "local.sqlite")}


def _workdir(tmp_path: Path, reference: dict, name: str = "work") -> Path:
    work = tmp_path / name
    write_varied_copies(work / "src", 4, pairs_per_copy=3)
    assert [p.read_bytes() for p in sorted((work / "src").iterdir())] == [p.read_bytes() for p in reference["paths"]]
    return work


# ---------------------------------------------------------------- the tests


def test_cluster_run_matches_local_run_and_reruns_from_memory(make_cluster, tmp_path, reference):
    cluster = make_cluster()
    cluster.add_worker("alpha")
    cluster.add_worker("beta")
    cluster.wait_for_workers(2)
    events = Events(cluster)
    work = _workdir(tmp_path, reference)

    first = _run(work, "client.sqlite", "--out", "out", "--scheduler", cluster.address, "--summary-json", "first.json")
    assert _files(work / "out") == reference["files"]
    assert _rows(work / "client.sqlite") == reference["rows"]  # the client wrote the workers' rows
    names = [p.name for p in reference["paths"]]
    for name in names:  # progress lines, fed by the workers' events
        assert f"transkit: {name} translate [pt]" in first.stderr
        assert f"transkit: {name} done" in first.stderr
    assert {Path(e["file"]).name for e in events.items} == set(names)
    assert len({e["worker"] for e in events.items}) == 2  # both workers had work
    assert sum(_translated(work / "first.json").values()) > 0

    # again: every sentence comes from the client's memory, no file is rewritten
    before = {p: p.stat().st_mtime_ns for p in (work / "out").rglob("*") if p.is_file()}
    _run(work, "client.sqlite", "--out", "out", "--scheduler", cluster.address, "--summary-json", "again.json")
    assert _translated(work / "again.json") == {name: 0 for name in names}
    assert {p: p.stat().st_mtime_ns for p in (work / "out").rglob("*") if p.is_file()} == before
    assert _rows(work / "client.sqlite") == reference["rows"]


def test_worker_killed_mid_task_its_file_runs_elsewhere(make_cluster, tmp_path, reference):
    cluster = make_cluster()
    cluster.add_worker("alpha")
    cluster.add_worker("beta")
    cluster.wait_for_workers(2)
    events = Events(cluster)
    work = _workdir(tmp_path, reference)

    job = subprocess.Popen(
        _args("--out", "out", "--scheduler", cluster.address),
        cwd=work, env=_env(work, "client.sqlite", None),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        started = events.wait(lambda e: e["stage"] == "translate" and e.get("done") == 0)
        victim = cluster.worker_name(started["worker"])
        cluster.kill(victim)  # SIGKILL, nanny and worker: mid-translation of that file
        _, stderr = job.communicate(timeout=DEADLINE_S)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()
    assert job.returncode == 0, stderr[-4000:]
    assert "Traceback" not in stderr, stderr[-4000:]  # the lost worker is the cluster's business
    killed_file = Path(started["file"]).name
    assert len(events.workers_for(killed_file)) == 2, "the killed worker's file should have run again elsewhere"
    assert _files(work / "out") == reference["files"]
    assert _rows(work / "client.sqlite") == reference["rows"]  # no row lost, none twice


def test_file_that_kills_its_workers_fails_alone(make_cluster, tmp_path, reference):
    # a scheduler that gives up on a task after one dead worker, and sends each
    # worker one task at a time: the killed worker held only the file it ran
    cluster = make_cluster(scheduler_env={
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0",
        "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
    })
    cluster.add_worker("alpha")
    cluster.add_worker("beta")
    cluster.wait_for_workers(2)
    events = Events(cluster)
    work = _workdir(tmp_path, reference)
    for extra in sorted((work / "src").iterdir())[2:]:
        extra.unlink()  # two files, one per worker

    job = subprocess.Popen(
        _args("--out", "out", "--scheduler", cluster.address),
        cwd=work, env=_env(work, "client.sqlite", None),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        started = events.wait(lambda e: e["stage"] == "translate" and e.get("done") == 0)
        cluster.kill(cluster.worker_name(started["worker"]))
        _, stderr = job.communicate(timeout=DEADLINE_S)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()
    bad = Path(started["file"]).name
    good = next(p.name for p in (work / "src").iterdir() if p.name != bad)
    assert job.returncode == 9, stderr[-4000:]
    errors = [line for line in stderr.splitlines() if line.startswith("transkit: error:")]
    assert len(errors) == 1 and bad in errors[0] and "worker" in errors[0], stderr[-4000:]
    out = _files(work / "out")
    assert not [name for name in out if Path(bad).stem + "." in name]  # nothing of the failed file
    expected = {n: b for n, b in reference["files"].items() if Path(good).stem + "." in n}
    assert expected and {n: b for n, b in out.items() if n in expected} == expected
    assert set(out) == set(expected)


def test_worker_without_the_model_fails_its_files_others_finish(make_cluster, tmp_path, reference):
    cluster = make_cluster()
    cluster.add_worker("alpha")
    cluster.add_worker("empty", with_model=False)
    cluster.wait_for_workers(2)
    events = Events(cluster)
    work = _workdir(tmp_path, reference)

    done = _run(work, "client.sqlite", "--out", "out", "--scheduler", cluster.address, check=False)
    assert done.returncode == 4, done.stderr[-4000:]  # a model missing (README exit codes)
    errors = [line for line in done.stderr.splitlines() if line.startswith("transkit: error:")]
    failed = {Path(e["file"]).name for e in events.items if cluster.worker_name(e["worker"]) == "empty"}
    assert failed and len(errors) == len(failed), done.stderr[-4000:]
    for line in errors:
        assert "transkit models install en pt" in line and "on cluster worker empty" in line, line
        assert any(name in line for name in failed), line
    out = _files(work / "out")
    for path in reference["paths"]:
        mine = {n: b for n, b in reference["files"].items() if path.stem + "." in n}
        got = {n: b for n, b in out.items() if path.stem + "." in n}
        assert got == ({} if path.name in failed else mine), path.name


def test_client_killed_rerun_resumes_from_memory(make_cluster, tmp_path, reference):
    cluster = make_cluster()
    cluster.add_worker("alpha")
    cluster.wait_for_workers(1)
    work = _workdir(tmp_path, reference)

    job = subprocess.Popen(
        _args("--out", "out", "--scheduler", cluster.address),
        cwd=work, env=_env(work, "client.sqlite", None),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    finished = ""
    try:
        for line in job.stderr:  # the client's own progress line: a file written
            if line.startswith("transkit: ") and line.rstrip().endswith(" done"):
                finished = line.split()[1]
                os.killpg(job.pid, signal.SIGKILL)
                break
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
        job.wait()
    assert finished, "the client never finished a file"
    kept_texts = {row[2] for row in _rows(work / "client.sqlite")}
    assert 0 < len(kept_texts) < len(reference["rows"])

    _run(work, "client.sqlite", "--out", "out", "--scheduler", cluster.address, "--summary-json", "resume.json")
    translated = _translated(work / "resume.json")
    assert translated[finished] == 0  # its sentences came from the memory
    known = kept_texts  # never sent for translation again
    from transkit.pipeline import prepare_project, texts_to_translate

    for path in reference["paths"]:
        texts = {t for t in texts_to_translate(prepare_project(path)) if t.strip()}
        assert translated[path.name] <= len(texts - known), path.name
    assert _files(work / "out") == reference["files"]
    assert _rows(work / "client.sqlite") == reference["rows"]


def test_glossary_goes_with_the_tasks(make_cluster, tmp_path, test_models_dir):
    """The glossary is read here and sent with each task: the same bytes as a local run with it."""
    cluster = make_cluster()
    cluster.add_worker("alpha")
    cluster.wait_for_workers(1)
    work = tmp_path / "work"
    write_varied_copies(work / "src", 2, pairs_per_copy=1)
    (work / "terms.csv").write_text("source,target,language\nNATO,OTAN,pt\nRussia,Rússia,pt\n", encoding="utf-8")
    glossary = ["--glossary", "terms.csv", "--formats", "srt,bi.srt"]
    _run(work, "local.sqlite", "--out", "local", "--jobs", "1", *glossary, models=test_models_dir / "installed")
    _run(work, "client.sqlite", "--out", "cluster", "--scheduler", cluster.address, *glossary)
    local = _files(work / "local")
    assert any("OTAN" in data.decode("utf-8") for name, data in local.items() if name.endswith(".pt.srt"))
    assert _files(work / "cluster") == local
    assert _rows(work / "client.sqlite") == _rows(work / "local.sqlite")  # keyed by the glossary's fingerprint
