"""Atomic file output and careful file input: the only module that writes files.

Writes go to a temporary file in the target folder, are flushed and fsynced, then
renamed over the target, so a crash never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import InputError, OutputError


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
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
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write_bytes(target, data)
    return True


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """For a file another program writes (ffmpeg): yields a temporary path in the
    target folder; when the block ends without an exception it is renamed over
    ``path``, otherwise removed, so a failed or interrupted write leaves nothing."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(_why(exc), path=str(target.parent), hint="choose a writable output folder") from exc
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
