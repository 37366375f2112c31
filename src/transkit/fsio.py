"""Atomic file output and careful file input: the only module that writes files.

Writes go to a temporary file in the target folder, are flushed and fsynced, then
renamed over the target, so a crash never leaves a half-written file.

The temporary file is named ``.NAME.tk-PID-RANDOM.part`` after the process that
writes it. A process killed mid-write (SIGKILL, power loss) leaves that file
behind; the first write (or ``write_if_changed``) of a process into a folder
removes the files of that pattern whose writer is gone, so a killed run leaves
no debris once the next run writes there. Files of any other name are never
touched. ``removed_temp_files()`` counts what this process removed.

Limits of "the writer is gone": the pid is checked on this machine, in this pid
namespace. A pid reused by a newer process is recognised when that process
started after the file was last written (Linux ``/proc``); elsewhere such a file
is kept until the pid is free. Two machines writing into one shared folder are
not supported (the memory and outputs have a single writer by design).
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import threading
from pathlib import Path

from .errors import InputError, OutputError


_TEMP_NAME = re.compile(r"^\..+\.tk-(?P<pid>[0-9]+)-[A-Za-z0-9_]+\.part$")
_swept: set[str] = set()
_swept_lock = threading.Lock()
_removed = 0


def temp_prefix(name: str) -> str:
    """The start of the temporary name a write of ``name`` uses in this process."""
    return f".{name}.tk-{os.getpid()}-"


def removed_temp_files() -> int:
    """How many temp files of killed writers this process has removed so far."""
    return _removed


def remove_stale_temp_files(folder: str | os.PathLike[str]) -> int:
    """Remove ``folder``'s temp files (transkit's pattern only) whose writer is gone; returns the count."""
    global _removed
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if not _writer_gone(int(match.group("pid")), entry.stat(follow_symlinks=False).st_mtime):
                continue
            os.unlink(entry.path)
        except OSError:  # gone already (another process swept it) or not ours to remove
            continue
        removed += 1
    with _swept_lock:
        _removed += removed
    return removed


def _sweep_once(folder: Path) -> None:
    key = os.path.abspath(folder)
    with _swept_lock:
        if key in _swept:
            return
        _swept.add(key)
    remove_stale_temp_files(folder)


def _writer_gone(pid: int, mtime: float) -> bool:
    """True when no live process can still be writing a temp file last modified at ``mtime``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    except (OverflowError, ValueError):
        return True  # not a pid at all
    state = _proc_state(pid)
    if state is None:
        return False  # no /proc: alive as far as we can tell
    status, started = state
    if status in ("Z", "X"):
        return True  # killed, not yet reaped
    # the pid was reused: its process started after the file was last written
    # (one second of margin for clock-tick rounding)
    return started is not None and started > mtime + 1.0


_boot_time: float | None = None


def _proc_state(pid: int) -> tuple[str, float | None] | None:
    """(state letter, start time as a Unix time) of a process from Linux ``/proc``, or None."""
    global _boot_time
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) < 20:
        return None
    try:
        if _boot_time is None:
            with open("/proc/stat", "rb") as handle:
                for line in handle:
                    if line.startswith(b"btime "):
                        _boot_time = float(line.split()[1])
                        break
        ticks = os.sysconf("SC_CLK_TCK")
        started = _boot_time + int(fields[19]) / ticks if _boot_time is not None else None
    except (OSError, ValueError):
        started = None
    return fields[0], started


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _sweep_once(target.parent)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(_why(exc), path=str(target.parent), hint="choose a writable output folder") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(_why(exc), path=str(target), hint="free some space or choose another output folder") from exc
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_if_changed(path: str | os.PathLike[str], data: bytes) -> bool:
    """Write atomically unless the file already holds exactly ``data``; True if written.

    Re-runs then leave unchanged outputs untouched (same mtime), so tools that
    watch the output folder see only what really changed.
    """
    target = Path(path)
    _sweep_once(target.parent)  # also when nothing is rewritten: a re-run cleans up after a killed one
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write_bytes(target, data)
    return True


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "cannot write: the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot write: permission denied or read-only file system"
    return f"cannot write: {exc.strerror or exc}"


def read_input_bytes(path: str | os.PathLike[str], what: str = "file") -> bytes:
    """Read a user-supplied file, turning OS errors into one clear ``InputError``."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} not found", path=str(p), hint="check the path")
    if p.is_dir():
        raise InputError(f"expected a {what}, found a folder", path=str(p), hint=f"give the path of a {what}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=str(p)) from exc
    if not data.strip():
        raise InputError(f"{what} is empty", path=str(p), hint=f"give a non-empty {what}")
    return data


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes, path: str | os.PathLike[str] = "") -> str:
    """Decode text the way a user expects: BOMs honoured, UTF-8 first, then cp1251.

    Binary data (NUL bytes outside UTF-16) is refused with an ``InputError``.
    Line ends are normalised to ``\\n``.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} text", path=str(path)) from exc
            break
    if text is None:
        if b"\x00" in data:
            raise InputError("looks like a binary file, not text", path=str(path), hint="give a UTF-8 text file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes, path: str | os.PathLike[str]) -> str:
    text = data.decode("cp1251", errors="strict") if _plausible_cp1251(data) else None
    if text is None:
        raise InputError(
            "text is neither UTF-8 nor Windows-1251",
            path=str(path),
            hint="convert the file to UTF-8",
        )
    return text


def _plausible_cp1251(data: bytes) -> bool:
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return False
    # Judge by the characters that are not digits, spaces or punctuation-heavy
    # timestamps, so a short cp1251 subtitle file (mostly times) still counts.
    considered = [ch for ch in text if not (ch.isdigit() or ch.isspace() or ch in ":,.->")]
    letters = sum(ch.isalpha() for ch in considered)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    return controls == 0 and letters > len(considered) * 0.5


def read_text_file(path: str | os.PathLike[str], what: str = "file") -> str:
    return decode_text(read_input_bytes(path, what), path)
