"""A write killed mid-way leaves a temp file; the next write into that folder removes it.

transkit's temp files are named ``.NAME.tk-PID-RANDOM.part`` after their writer. A
later process writing into the same folder removes the ones whose writer is gone
(no such pid, a zombie, or a pid reused by a process that started after the file
was written) and nothing else: not a live writer's temp file, not any file of
another name. ``transkit run`` counts what it removed in its summary.

Every writer here is a real process: it stops inside the write (after the temp
file is fsynced, before the rename), says so on a pipe, and is SIGKILLed there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transkit import fsio

ROOT = Path(__file__).resolve().parent.parent
TEMP = re.compile(r"^\..+\.tk-(\d+)-[A-Za-z0-9_]+\.part$")

# Stops inside the write until stdin closes (or it is killed): a writer caught mid-write.
STUCK_WRITER = """
import os, sys
from transkit import fsio

real_fsync = os.fsync
def stuck_fsync(fd):
    real_fsync(fd)
    print("in-write", flush=True)
    sys.stdin.read()
fsio.os.fsync = stuck_fsync
fsio.atomic_write_bytes(sys.argv[1], b"1\\n00:00:01,000 --> 00:00:02,000\\nnew\\n" * 100)
"""

# One write into a folder from a fresh process; prints what fsio removed.
ONE_WRITE = """
import sys
from transkit import fsio
fsio.atomic_write_bytes(sys.argv[1], b"x\\n")
print(fsio.removed_temp_files())
"""


def stuck_writer(target: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", STUCK_WRITER, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "in-write"  # an event: the temp file is on disk
    return proc


def killed_writer(target: Path) -> Path:
    proc = stuck_writer(target)
    proc.kill()
    proc.wait()
    (leftover,) = temp_files(target.parent)
    return leftover


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if TEMP.match(p.name))


def one_write(target: Path) -> int:
    done = subprocess.run([sys.executable, "-c", ONE_WRITE, str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_temp_name_carries_the_writers_pid(tmp_path):
    proc = stuck_writer(tmp_path / "interview.pt.srt")
    try:
        (temp,) = [p for p in tmp_path.iterdir()]
        match = TEMP.match(temp.name)
        assert match and temp.name.startswith(".interview.pt.srt.tk-") and int(match.group(1)) == proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_killed_writers_leftover_is_removed_by_the_next_write(tmp_path):
    leftover = killed_writer(tmp_path / "interview.pt.srt")
    assert leftover.exists()
    assert one_write(tmp_path / "other.srt") == 1
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.srt"]


def test_unchanged_rewrite_also_cleans_up(tmp_path):
    """A re-run that rewrites nothing (write_if_changed finds the same bytes) still removes debris."""
    target = tmp_path / "interview.pt.srt"
    target.write_bytes(b"same\n")
    leftover = killed_writer(target)
    script = "import sys; from transkit import fsio; print(fsio.write_if_changed(sys.argv[1], b'same\\n'), fsio.removed_temp_files())"
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "1"], done.stderr
    assert not leftover.exists() and target.read_bytes() == b"same\n"


def test_live_writers_temp_file_is_kept(tmp_path):
    target = tmp_path / "interview.pt.srt"
    writer = stuck_writer(target)
    try:
        (temp,) = temp_files(tmp_path)
        assert one_write(tmp_path / "other.srt") == 0
        assert temp.exists()
        writer.stdin.close()  # let it finish: its rename still works
        assert writer.wait(timeout=120) == 0
        assert target.read_bytes().startswith(b"1\n") and not temp.exists()
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()


def test_zombie_writer_counts_as_gone(tmp_path):
    """Killed but not yet reaped by its parent: still a pid, but no longer writing."""
    writer = stuck_writer(tmp_path / "a.srt")
    writer.kill()
    os.waitid(os.P_PID, writer.pid, os.WEXITED | os.WNOWAIT)  # dead, left a zombie
    try:
        (temp,) = temp_files(tmp_path)
        assert fsio.remove_stale_temp_files(tmp_path) == 1 and not temp.exists()
    finally:
        writer.wait()


def test_reused_pid_is_recognised_by_start_time(tmp_path):
    """A temp file older than the live process that now has its pid is debris; a newer one is not."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs Linux /proc to tell a process's start time")
    live = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        old = tmp_path / f".a.srt.tk-{live.pid}-old00001.part"
        new = tmp_path / f".b.srt.tk-{live.pid}-new00001.part"
        old.write_bytes(b"x")
        new.write_bytes(b"x")
        an_hour_ago = time.time() - 3600
        os.utime(old, (an_hour_ago, an_hour_ago))
        assert fsio.remove_stale_temp_files(tmp_path) == 1
        assert not old.exists() and new.exists()
    finally:
        live.stdin.close()
        live.wait()


def test_files_of_other_names_are_never_touched(tmp_path):
    dead = killed_writer(tmp_path / "x.srt")
    dead_pid = TEMP.match(dead.name).group(1)
    others = [
        ".x.srt.a1b2c3d4.part",  # the pid-less names of earlier versions
        f"x.srt.tk-{dead_pid}-abcdefgh.part",  # not hidden
        f".x.srt.tk-{dead_pid}-abcdefgh.partial",
        f".x.srt.tk-{dead_pid}abcdefgh.part",
        ".x.srt.tk-notapid-abcdefgh.part",
        f".tk-{dead_pid}-abcdefgh.part",  # no NAME
        ".interview.md",
        "interview.pt.srt",
        "notes.part",
    ]
    for name in others:
        (tmp_path / name).write_bytes(b"keep")
    folder = tmp_path / f".y.srt.tk-{dead_pid}-abcdefgh.part"  # a folder with the pattern's name
    folder.mkdir()
    assert fsio.remove_stale_temp_files(tmp_path) == 1
    assert not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*others, folder.name])
    assert all((tmp_path / name).read_bytes() == b"keep" for name in others)


@pytest.mark.model
def test_run_removes_a_killed_runs_leftovers_and_says_how_many(tmp_path, test_models_dir):
    """Leftovers of killed writers in the run's output folders are gone after the next ``transkit run``,
    which counts them in its summary (the per-file result and the summary line)."""
    (tmp_path / "clip.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nThe alliance will meet in Brussels.\n\n"
        "2\n00:00:03,500 --> 00:00:06,000\nWe discussed support for Ukraine.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    (out / "pt").mkdir(parents=True)
    leftovers = [killed_writer(out / "clip.project.json"), killed_writer(out / "pt" / "clip.pt.srt")]
    env = {**os.environ, "TRANSKIT_MODELS_DIR": str(test_models_dir / "installed"),
           "TRANSKIT_MEMORY": str(tmp_path / "memory.sqlite")}
    env.pop("TRANSKIT_DEBUG", None)
    cli = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"
    args = [sys.executable, "-c", cli, "run", "clip.srt", "--to", "pt", "--out", "out", "--formats", "srt"]
    done = subprocess.run([*args, "--summary-json", "summary.json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in leftovers)
    assert not [p for p in out.rglob(".*")], sorted(out.rglob(".*"))
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert [result["temp_files_removed"] for result in summary] == [2]
    assert "temp files of killed runs removed: 2" in done.stdout
    again = subprocess.run([*args, "--summary-json", "again.json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "again.json").read_text())[0]["temp_files_removed"] == 0
    assert "temp files" not in again.stdout
