"""SIGKILL ``transkit run`` at random moments: no output is ever partial, the source is never touched.

One uninterrupted run of the real interview (real Firefox en->pt model, every
output format) gives the reference files. Then the same run is started again
and again and killed with SIGKILL after a random delay (seeded), sometimes into
a fresh output folder, sometimes over the previous one, sometimes without the
translation memory so that the kill lands during translation. After every kill:

- every output file that exists is complete: byte-identical to the reference
  (outputs are reproducible) and readable as its format (SRT via ``srt``, JSON,
  PDF from ``%PDF`` to ``%%EOF``, DOCX as a sound zip...);
- temporary files are dot-files ``.NAME.tk-PID-*.part`` (SIGKILL leaves them behind;
  they are counted and must never look like an output or appear in a manifest);
  the next run into the folder removes them;
- the source transcript is unchanged (sha256) and the memory passes
  ``PRAGMA integrity_check``.

A last uninterrupted run over the battered folder must give the reference again,
with no temp file left.
The kill moments are random on purpose (seeded): half are drawn over the whole
run, half start from the first "export" progress line the run prints (an event,
so they land among the writes however loaded the machine is).
``TRANSKIT_KILL_CYCLES`` (default 15) and ``TRANSKIT_KILL_SEED`` change the profile;
``TRANSKIT_KILL_BUDGET_S`` (default 45) bounds the time spent killing beyond the
first 5 cycles, which always run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
FORMATS = "srt,vtt,ass,bi.srt,bi.ass,pdf,html,docx,md,tmx,xliff,json"
CYCLES = int(os.environ.get("TRANSKIT_KILL_CYCLES", "15"))
SEED = int(os.environ.get("TRANSKIT_KILL_SEED", "20220407"))
BUDGET_S = float(os.environ.get("TRANSKIT_KILL_BUDGET_S", "45"))

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Run:
    """``transkit run`` in its own process group; stderr progress lines are collected."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        exe = Path(sys.executable).parent / "transkit"
        self.proc = subprocess.Popen(
            [str(exe), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )
        self.lines: list[str] = []
        self.times: list[float] = []  # seconds after start at which each line arrived
        self._started = time.monotonic()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.times.append(time.monotonic() - self._started)
            self.lines.append(line.rstrip("\n"))

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.wait()

    def wait(self, timeout: float = 300) -> int:
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code

    def wait_for_line(self, text: str, timeout: float = 300) -> bool:
        """Block until a stderr line containing ``text`` arrives (True) or the run ends (False)."""
        deadline = time.monotonic() + timeout  # a safety net against a hang, not a measure
        while time.monotonic() < deadline:
            if any(text in line for line in list(self.lines)):
                return True
            if self.proc.poll() is not None:
                self._reader.join(timeout=10)
                return any(text in line for line in self.lines)
            time.sleep(0.01)
        raise AssertionError(f"no {text!r} line within {timeout} s: {self.lines[-5:]}")

    @property
    def stage(self) -> str:
        progress = [line for line in self.lines if line.startswith("transkit: ") and "error" not in line]
        return progress[-1].split(" ", 2)[-1] if progress else "start-up"


def run_args(out: Path, *extra: str) -> list[str]:
    return ["run", "interview.md", "--to", "pt", "--out", str(out), "--formats", FORMATS, *extra]


def outputs(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.startswith("."))


def assert_readable(path: Path) -> None:
    """The file is a complete instance of its format."""
    import srt

    data = path.read_bytes()
    assert data, f"{path} is empty"
    name = path.name
    if name.endswith(".srt"):
        assert list(srt.parse(data.decode("utf-8"))), path
    elif name.endswith(".vtt"):
        assert data.startswith(b"WEBVTT") and data.endswith(b"\n"), path
    elif name.endswith(".ass"):
        assert data.startswith(b"[Script Info]") and b"[Events]" in data and data.endswith(b"\n"), path
    elif name.endswith(".json"):
        json.loads(data)
    elif name.endswith(".pdf"):
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path
    elif name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            assert docx.testzip() is None and "word/document.xml" in docx.namelist(), path
    elif name.endswith(".html"):
        assert data.rstrip().endswith(b"</html>"), path
    elif name.endswith((".tmx", ".xlf")):
        import defusedxml.ElementTree as SafeET

        SafeET.fromstring(data)
    else:
        assert data.endswith(b"\n"), path


def memory_ok(path: Path) -> None:
    if not path.exists():
        return
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def workdir(tmp_path, test_models_dir, monkeypatch) -> Path:
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "memory.sqlite"))
    monkeypatch.delenv("TRANSKIT_DEBUG", raising=False)
    shutil.copy(INTERVIEW, tmp_path / "interview.md")
    return tmp_path


@pytest.mark.model
@pytest.mark.slow
def test_sigkill_never_leaves_a_partial_output(workdir, capsys):
    source = workdir / "interview.md"
    source_digest = sha256(source)

    reference_run = Run(run_args(workdir / "reference"), workdir)
    assert reference_run.wait() == 0, "\n".join(reference_run.lines)
    reference = {name: path.read_bytes() for name, path in outputs(workdir / "reference").items()}
    # a second run with the memory warm times the runs that follow
    clock = time.monotonic()
    timing_run = Run(run_args(workdir / "timing"), workdir)
    assert timing_run.wait() == 0, "\n".join(timing_run.lines)
    full_run_s = time.monotonic() - clock
    assert {n: p.read_bytes() for n, p in outputs(workdir / "timing").items()} == reference, "outputs are not reproducible"
    assert len(reference) >= 14 and any(n.endswith(".pdf") for n in reference), sorted(reference)
    for path in outputs(workdir / "reference").values():
        assert_readable(path)

    # half of the kills aim at the export phase, where files are being written
    first_export = next(t for t, line in zip(timing_run.times, timing_run.lines) if " export " in line)
    export_s = max(full_run_s - first_export, 0.01)
    rng = random.Random(SEED)
    started = time.monotonic()
    kills: list[tuple[str, str, float]] = []
    leftovers: set[str] = set()
    checked_files = 0
    for cycle in range(CYCLES):
        if len(kills) >= 5 and time.monotonic() - started > BUDGET_S:
            break
        mode = rng.choice(("fresh", "fresh", "reuse", "no-cache"))
        out = workdir / ("reused" if mode == "reuse" else f"out{cycle}")
        extra = ("--no-cache",) if mode == "no-cache" else ()
        at_export = rng.random() < 0.5
        delay = rng.uniform(0.0, export_s) if at_export else rng.uniform(0.0, full_run_s)
        run = Run(run_args(out, *extra), workdir)
        if at_export:
            run.wait_for_line(" export ")
        time.sleep(delay)  # the random kill moment (not a wait for a state: any moment must be safe)
        finished = run.proc.poll() is not None
        run.kill()
        kills.append((mode, "finished" if finished else run.stage, delay))

        assert sha256(source) == source_digest, f"cycle {cycle}: the source was modified"
        memory_ok(workdir / "memory.sqlite")
        if not out.exists():
            continue
        for name, path in outputs(out).items():
            assert name in reference, f"cycle {cycle}: unexpected output {name}"
            assert path.read_bytes() == reference[name], f"cycle {cycle} ({run.stage}): {name} is partial or differs"
            assert_readable(path)
            checked_files += 1
        for temp in temp_files(out):
            assert temp.name.endswith(".part") and temp.name.count(".") >= 3, f"odd hidden file {temp}"
            leftovers.add(str(temp.relative_to(workdir)))
        manifest = out / "interview.manifest.json"
        if manifest.exists():
            listed = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
            assert not any(Path(p).name.startswith(".") for p in listed), listed


    # a clean re-run over the most battered folder recovers the reference exactly
    final = Run(run_args(workdir / "reused"), workdir)
    assert final.wait() == 0, "\n".join(final.lines)
    got = {name: path.read_bytes() for name, path in outputs(workdir / "reused").items()}
    assert got == reference
    assert temp_files(workdir / "reused") == [], "the re-run should remove what killed runs left"
    assert sha256(source) == source_digest

    stages: dict[str, int] = {}
    for _, stage, _ in kills:
        key = stage.split(" [")[0].split(" ")[-1]
        stages[key] = stages.get(key, 0) + 1
    with capsys.disabled():
        print(
            f"\nSIGKILL cycles survived: {len(kills)} (seed {SEED}, full run {full_run_s:.1f} s); "
            f"killed during: {dict(sorted(stages.items()))}; complete output files verified: {checked_files}; "
            f"partial outputs: 0; hidden .part temp files left by SIGKILL: {len(leftovers)}"
        )


# files allowed to write directly: fsio itself; model installs, which stage a whole
# folder inside a temporary folder and rename it into place; the Firefox engine's
# pipe to its worker process (a file descriptor, not a file)
DIRECT_WRITERS = {
    "fsio.py", "translate/archive.py", "translate/models/index.py", "translate/models/install.py",
    "translate/firefox_engine.py",
}
_OPENERS = {"open", "io.open", "os.fdopen", "gzip.open", "bz2.open", "lzma.open", "codecs.open"}
_WRITERS = {"write_text", "write_bytes", "NamedTemporaryFile", "mkstemp"}
_SHUTIL_WRITERS = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move"}


def _direct_writes(tree) -> list[tuple[int, str]]:
    import ast

    def dotted(node) -> str:
        if isinstance(node, ast.Attribute):
            return f"{dotted(node.value)}.{node.attr}"
        return node.id if isinstance(node, ast.Name) else ""

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if name in _OPENERS:
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                found.append((node.lineno, f"{name}(..., {mode.value!r})"))
        elif name.split(".")[-1] in _WRITERS or name in _SHUTIL_WRITERS:
            found.append((node.lineno, name))
    return found


def test_every_output_goes_through_fsio():
    """Outside the allowed modules no code writes a file itself: all output is atomic (fsio)."""
    import ast

    source_root = ROOT / "src" / "transkit"
    offenders = []
    for path in sorted(source_root.rglob("*.py")):
        relative = path.relative_to(source_root).as_posix()
        if relative in DIRECT_WRITERS:
            continue
        for line, what in _direct_writes(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{relative}:{line}: {what}")
    assert not offenders, "write through transkit.fsio.atomic_write_*:\n" + "\n".join(offenders)


def test_the_write_scan_finds_direct_writes():
    import ast

    sample = "open(p, 'w')\nPath(p).write_text('x')\nshutil.copyfile(a, b)\nopen(p)\nopen(p, mode='rb')\nmask.copy()\n"
    assert [line for line, _ in _direct_writes(ast.parse(sample))] == [1, 2, 3]


SLOW_WRITER = """
import os, sys, time
from transkit import fsio

real_fsync = os.fsync
def slow_fsync(fd):
    real_fsync(fd)
    print("in-write", flush=True)
    time.sleep(60)
fsio.os.fsync = slow_fsync
fsio.atomic_write_bytes(sys.argv[1], b"1\\n00:00:01,000 --> 00:00:02,000\\nnew\\n" * 1000)
"""


@pytest.mark.parametrize("existing", [False, True])
def test_kill_inside_a_write_leaves_only_a_hidden_temp_file(tmp_path, existing):
    """SIGKILL between writing the temp file and renaming it: the target is absent or still the old file;
    the leftover is a hidden ``.NAME.*.part`` that no glob for outputs or sources picks up."""
    from transkit.cli.sources import expand_sources

    target = tmp_path / "interview.pt.srt"
    old = b"1\n00:00:01,000 --> 00:00:02,000\nold\n"
    if existing:
        target.write_bytes(old)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "in-write"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if existing:
        assert target.read_bytes() == old
    else:
        assert not target.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1 and leftovers[0].startswith(".interview.pt.srt.") and leftovers[0].endswith(".part")
    assert sorted(p.name for p in tmp_path.glob("*.srt")) == (["interview.pt.srt"] if existing else [])
    (tmp_path / "a.md").write_text("x")
    assert [p.name for p in expand_sources([str(tmp_path)])] == ["a.md"]
