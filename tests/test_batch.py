"""Batch runs of `transkit run` over a folder, as a newsroom uses them: parallel
workers give the same files as one worker, a killed batch resumes without
translating any sentence twice, and a finished batch re-runs without touching a
file. Every run is the real CLI in a subprocess with the real Firefox en->pt model;
the inputs are varied copies of the interview (``tests/batch_corpus.py``)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from batch_corpus import corpus_sentences, distinct_translated_texts, write_varied_copies

CLI = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"
RUN_TIMEOUT_S = 240


@pytest.fixture
def env(test_models_dir: Path) -> dict[str, str]:
    # conftest already points XDG_* at a per-test home; the memory is given per run
    return {**os.environ, "TRANSKIT_MODELS_DIR": str(test_models_dir / "installed")}


def _run_args(out: str, *extra: str) -> list[str]:
    return [sys.executable, "-c", CLI, "run", "src", "--to", "pt", "--out", out, *extra]


def _transkit(cwd: Path, env: dict[str, str], memory: str, out: str, *extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        _run_args(out, *extra),
        cwd=cwd,
        env={**env, "TRANSKIT_MEMORY": str(cwd / memory)},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _memory_rows(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    finally:
        db.close()


def _committed_so_far(path: Path) -> int:
    """Rows in a memory another process is writing (0 before it exists)."""
    if not path.exists():
        return 0
    try:
        return _memory_rows(path)
    except sqlite3.Error:  # the table is not created yet
        return 0


def _summary(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _engine_sentences(summary: list[dict]) -> int:
    return sum(lang["translated"] for result in summary for lang in result["languages"])


def test_corpus_copies_differ_but_share_sentences(tmp_path):
    paths = write_varied_copies(tmp_path / "src", 8, pairs_per_copy=3)
    again = write_varied_copies(tmp_path / "again", 8, pairs_per_copy=3)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]  # deterministic
    copies = corpus_sentences(paths)
    seen: set[str] = set()
    shared = 0
    for sentences in copies:
        new = set(sentences) - seen
        assert new, "every copy must have sentences no earlier copy had"
        shared += len(set(sentences) & seen)
        seen |= set(sentences)
    assert shared > 0, "copies should also repeat some sentences, as real batches do"
    titles = {p.read_text(encoding="utf-8").split("\ntitle: ", 1)[1].split("\n", 1)[0] for p in paths}
    assert len(titles) == len(paths)


@pytest.mark.model
def test_parallel_batch_matches_serial_and_rerun_rewrites_nothing(tmp_path, env):
    paths = write_varied_copies(tmp_path / "src", 4, pairs_per_copy=2)
    names = [p.name for p in paths]

    serial = _transkit(tmp_path, env, "serial.sqlite", "serial", "--jobs", "1", "--summary-json", "serial.json")
    parallel = _transkit(tmp_path, env, "parallel.sqlite", "parallel", "--jobs", "2", "--summary-json", "parallel.json")

    # the default formats (subtitles and bilingual documents), every byte the same
    serial_files = _files(tmp_path / "serial")
    for stem in (p.stem for p in paths):
        for name in (f"en/{stem}.en.ass", f"pt/{stem}.pt.vtt", f"pt/{stem}.en-pt.pdf", f"pt/{stem}.en-pt.docx"):
            assert name in serial_files
    assert _files(tmp_path / "parallel") == serial_files

    # results in source order whatever order the workers finished in
    for summary_file in ("serial.json", "parallel.json"):
        summary = _summary(tmp_path / summary_file)
        assert [Path(result["source"]).name for result in summary] == names
    assert _engine_sentences(_summary(tmp_path / "serial.json")) == len(distinct_translated_texts(paths))

    # one progress line per finished file on stderr (no terminal: plain lines), workers' events included
    for done in (serial, parallel):
        for name in names:
            assert f"transkit: {name} done" in done.stderr
            assert f"transkit: {name} translate [pt]" in done.stderr

    # a finished batch run again: nothing translated, no file rewritten
    before = _mtimes(tmp_path / "serial")
    _transkit(tmp_path, env, "serial.sqlite", "serial", "--jobs", "2", "--summary-json", "rerun.json")
    rerun = _summary(tmp_path / "rerun.json")
    assert _engine_sentences(rerun) == 0
    assert [result["files_written"] for result in rerun] == [[]] * len(paths)
    assert _mtimes(tmp_path / "serial") == before


@pytest.mark.model
def test_killed_batch_resumes_without_translating_twice(tmp_path, env):
    paths = write_varied_copies(tmp_path / "src", 8, pairs_per_copy=3)
    out = tmp_path / "out"
    memory = tmp_path / "memory.sqlite"

    # Start the batch and kill it (with its engine workers) just past half-way: once the
    # file after the first half has its translations committed, typically before its
    # subtitles are written.
    half = len(paths) // 2
    first_half_sentences = len(distinct_translated_texts(paths[:half]))
    with open(tmp_path / "killed.log", "wb") as log:
        job = subprocess.Popen(
            _run_args("out", "--jobs", "1", "--formats", "srt"),
            cwd=tmp_path,
            env={**env, "TRANSKIT_MEMORY": str(memory)},
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + RUN_TIMEOUT_S
        try:
            while job.poll() is None and time.monotonic() < deadline:
                if _committed_so_far(memory) > first_half_sentences:
                    os.killpg(job.pid, signal.SIGKILL)
                    break
                time.sleep(0.02)
        finally:
            if job.poll() is None:
                os.killpg(job.pid, signal.SIGKILL)
            job.wait()
    assert job.returncode == -signal.SIGKILL, (tmp_path / "killed.log").read_text()[-3000:]
    finished = {p.name.removesuffix(".manifest.json") for p in out.glob("*.manifest.json")}
    assert 0 < len(finished) < len(paths)
    committed = _memory_rows(memory)  # sentences the killed run translated and kept

    _transkit(tmp_path, env, "memory.sqlite", "out", "--jobs", "1", "--formats", "srt", "--summary-json", "resume.json")
    resume = _summary(tmp_path / "resume.json")
    resumed = _engine_sentences(resume)

    distinct = len(distinct_translated_texts(paths))
    assert committed > 0 and resumed > 0, "the kill should have split the translation work"
    # every distinct sentence translated exactly once over both runs
    assert committed + resumed == _memory_rows(memory) == distinct
    for result in resume:
        if Path(result["source"]).stem in finished:
            assert _engine_sentences([result]) == 0 and result["files_written"] == []
    in_flight = resume[half]
    if Path(in_flight["source"]).stem not in finished:  # killed between translating and writing
        assert _engine_sentences([in_flight]) == 0 and in_flight["files_written"]

    # the same files as one uninterrupted run with a fresh memory
    _transkit(tmp_path, env, "fresh.sqlite", "fresh", "--jobs", "1", "--formats", "srt", "--summary-json", "fresh.json")
    assert _engine_sentences(_summary(tmp_path / "fresh.json")) == distinct
    assert _files(out) == _files(tmp_path / "fresh")
