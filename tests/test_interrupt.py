"""Ctrl-C during a parallel batch (`transkit run --jobs 2`), as a terminal sends it: SIGINT to
the whole process group once the workers are translating.

The run must say at once, in one line, that it is stopping; end its workers and itself
without a traceback from any process; exit 130; and a re-run must resume from the
translation memory and finish the batch. Real CLI in a subprocess, real Firefox en->pt
model, the varied interview copies of ``tests/batch_corpus.py``.

The test waits on events only (rows appearing in the memory, processes ending); its
timeouts are safety nets against a hang. How long the stop took is printed, not asserted.
"""

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

from batch_corpus import distinct_translated_texts, write_varied_copies

CLI = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"
STOPPING = "transkit: stopping (Ctrl-C); finished work is kept, re-run to resume"
SAFETY_S = 600

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _rows(memory: Path) -> int:
    if not memory.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=30) as db:
            return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _wait_until(condition, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + SAFETY_S  # only against a hang
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before {what}")
        assert time.monotonic() < deadline, f"no {what} within {SAFETY_S} s"
        time.sleep(0.02)


def _like_a_terminal() -> None:
    """In the child before exec: Ctrl-C not ignored, whatever this test runner inherited
    (a background job of a script ignores SIGINT, and transkit keeps an ignored SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def test_ctrl_c_stops_a_parallel_batch_at_once_and_a_rerun_resumes(tmp_path, test_models_dir, capsys):
    paths = write_varied_copies(tmp_path / "src", 4, pairs_per_copy=2)
    memory = tmp_path / "memory.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    env.update(TRANSKIT_MODELS_DIR=str(test_models_dir / "installed"), TRANSKIT_MEMORY=str(memory))
    args = [sys.executable, "-c", CLI, "run", "src", "--to", "pt", "--out", "out", "--formats", "srt", "--jobs", "2"]

    run = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, start_new_session=True, preexec_fn=_like_a_terminal)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(run.stderr), daemon=True)
    reader.start()
    try:
        _wait_until(lambda: _rows(memory) > 0, "rows in the translation memory", run)  # workers are translating
        sent = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
        code = run.wait(timeout=SAFETY_S)
        stop_s = time.monotonic() - sent
        reader.join(timeout=SAFETY_S)
        # the workers are gone too (they ignore SIGINT; the parent ends them)
        _wait_until(lambda: not _group_alive(run.pid), "end of every process of the run")
        group_s = time.monotonic() - sent
    finally:
        if run.poll() is None or _group_alive(run.pid):
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    stderr = "".join(lines)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert [line.rstrip("\n") for line in lines].count(STOPPING) == 1, stderr
    assert lines[-1].rstrip("\n") == STOPPING, stderr  # nothing printed after it
    finished = len(list((tmp_path / "out").glob("*.manifest.json")))
    assert finished < len(paths), "the batch had finished before Ctrl-C"
    kept = _rows(memory)
    assert kept > 0

    # resumed with one worker, so that no sentence is translated by two workers at once
    resumed = subprocess.run([*args[:-1], "1", "--summary-json", "summary.json"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=SAFETY_S)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    translated = sum(lang["translated"] for result in summary for lang in result["languages"])
    distinct = distinct_translated_texts(paths)
    assert kept + translated == _rows(memory) == len(distinct)  # nothing translated twice
    assert len(list((tmp_path / "out").glob("*.manifest.json"))) == len(paths)
    assert not [p for p in (tmp_path / "out").rglob(".*")]
    with capsys.disabled():
        print(f"\nCtrl-C with --jobs 2: exit {code} {stop_s:.2f} s after SIGINT, every process gone after "
              f"{group_s:.2f} s; {finished} of {len(paths)} files finished, {kept} sentences kept, "
              f"{translated} translated on resume")
