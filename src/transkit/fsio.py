"""Atomic file output and careful file input.

Every file a command writes for the user (subtitles, documents, the project, the
manifest, reports) is written here; the model installer stages whole folders and
renames them into place (``translate.archive``), and the translation memory is an
SQLite database.

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

import contextlib
import errno
import os
import re
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .errors import InputError, OutputError, UsageError


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


# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read in, and whether that was certain.

    ``confident`` is False when the encoding was guessed and the guess was close
    (a short file, or several encodings that read almost equally well): the caller
    should then say which encoding it used.
    """

    text: str
    encoding: str
    confident: bool = True


def decode_text(data: bytes, path: str | os.PathLike[str] = "") -> str:
    """Decode text the way a user expects (see ``decode_bytes``); only the text."""
    return decode_bytes(data, path).text


def decode_bytes(data: bytes, path: str | os.PathLike[str] = "", encoding: str | None = None) -> Decoded:
    """Decode user text: ``encoding`` if given, else a BOM, else UTF-8, else the
    encoding charset-normalizer finds.

    Binary data is refused, and so is text no encoding reads cleanly; both with an
    ``InputError`` naming the file and suggesting ``--encoding``. Line ends are
    normalised to ``\\n``.
    """
    if encoding:
        decoded = _forced(data, path, encoding)
    else:
        decoded = _from_bom(data, path) or _utf8(data) or _detected(data, path)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return replace(decoded, text=text)


def _forced(data: bytes, path: str | os.PathLike[str], encoding: str) -> Decoded:
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise UsageError(f"unknown encoding: {encoding!r}", hint="use a Python codec name such as cp1252, gbk, shift_jis") from None
    bom = next((b for b, enc in _BOMS if codecs.lookup(enc).name == name and data.startswith(b)), b"")
    try:
        return Decoded(data[len(bom):].decode(name), name)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {name} text (byte {exc.start})", path=str(path), hint="check --encoding or leave it out to detect"
        ) from exc


def _from_bom(data: bytes, path: str | os.PathLike[str]) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} text",
                    path=str(path),
                    hint=_ENCODING_HINT,
                ) from exc
    return None


def _utf8(data: bytes) -> Decoded | None:
    if b"\x00" in data:
        return None  # UTF-8 text has no NUL; maybe UTF-16/32 without a BOM
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


_ENCODING_HINT = "give its encoding with --encoding NAME (e.g. cp1252, gbk) or convert it to UTF-8"
# charset-normalizer's measure of how garbled a reading is (0 = clean). Short lines
# dense with accents (a Polish subtitle) score up to ~0.2 even when read right.
_MAX_CHAOS = 0.4
# Readings this close to the cleanest are all candidates, and the guess is sure only
# if it is clean and no reading that gives another text comes this close to it.
_RIVAL_CHAOS = 0.1
_SURE_CHAOS = 0.05
# Fewer non-ASCII bytes than this are too little evidence to be sure of any guess.
_SURE_BYTES = 64


def _detected(data: bytes, path: str | os.PathLike[str]) -> Decoded:
    """The encoding charset-normalizer finds, judged on the lines that tell encodings
    apart, then read over the whole file.

    Lines of plain ASCII (timestamps, English) read the same in every candidate, so
    charset-normalizer sees only the others: a Russian line in an English text, the
    words of a subtitle file. UTF-16/32 (NUL bytes) is judged whole.
    """
    sample = data if b"\x00" in data else b"\n".join(line for line in data.splitlines() if _telling(line))
    found = _guess(sample or data, path)
    if sample is data or not sample:
        return found
    try:
        text = data.decode(found.encoding)
    except UnicodeDecodeError:
        return _guess(data, path)
    return replace(found, text=text)


def _telling(line: bytes) -> bool:
    return not line.isascii() or b"\x1b" in line  # ESC: ISO-2022 escapes


def _guess(data: bytes, path: str | os.PathLike[str]) -> Decoded:
    """The reading charset-normalizer finds cleanest, corrected by the language the
    text is in: single-byte code pages often read a short text almost equally
    cleanly (é is é in cp1252 and cp1250; only è or ě differ), and then the code
    page made for the text's language wins (``ingest.language.fitting_reading``)."""
    from charset_normalizer import from_bytes  # imported here: the CLI must start without it

    matches = [m for m in from_bytes(data, threshold=_MAX_CHAOS) if _is_text(str(m))]
    if b"\x00" in data:  # only UTF-16/32 text has NUL bytes, and it has words
        matches = [m for m in matches if m.encoding.startswith("utf_") and _has_words(str(m))]
    if not matches:
        if _is_binary(data):
            raise InputError("looks like a binary file, not text", path=str(path), hint="give a text file")
        raise InputError("cannot tell the text's encoding", path=str(path), hint=_ENCODING_HINT)
    best = matches[0]  # charset-normalizer's order: least chaos, then most coherent
    rivals = [m for m in matches if m.chaos <= best.chaos + _RIVAL_CHAOS]
    chosen, encoding = best, _python_name(best.encoding)
    readings: dict[str, tuple[object, tuple[str, ...]]] = {}
    for match in rivals:  # one per distinct text, with every encoding that gives it
        names = tuple(_python_name(n) for n in (match.encoding, *match.could_be_from_charset))
        first, known = readings.get(str(match), (match, ()))
        readings[str(match)] = (first, known + names)
    if len(readings) > 1:
        from .ingest.language import fitting_reading

        fit = fitting_reading([(text, names) for text, (_, names) in readings.items()])
        if fit is None:
            chosen = None  # no reading fits its language: keep charset-normalizer's, unsure
        else:
            chosen, encoding = list(readings.values())[fit[0]][0], fit[1]
    # Sure: charset-normalizer's own choice, clean, with enough evidence, and no other
    # reading nearly as clean. (KOI8-R and Windows-1251 often read Russian equally
    # cleanly, and so do Shift-JIS and the Korean code page Japanese: then the run
    # says which one it used.)
    evidence = sum(byte >= 0x80 for byte in data)
    confident = chosen is best and len(readings) == 1 and chosen.chaos <= _SURE_CHAOS and evidence >= _SURE_BYTES
    return Decoded(str(chosen or best), encoding, confident)


def _python_name(encoding: str) -> str:
    import codecs

    return codecs.lookup(encoding).name


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _is_text(text: str) -> bool:
    """No control characters other than line ends, tabs and form feeds (so no binary
    data, and no C1 controls that only a wrong code page produces)."""
    return _CONTROL.search(text) is None


def _has_words(text: str) -> bool:
    return bool(re.search(r"\w\w\s+\w\w", text))


def _is_binary(data: bytes) -> bool:
    controls = sum(1 for b in data[:4096] if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0


def read_text_file(path: str | os.PathLike[str], what: str = "file", encoding: str | None = None) -> str:
    return read_decoded(path, what, encoding).text


def read_decoded(path: str | os.PathLike[str], what: str = "file", encoding: str | None = None) -> Decoded:
    """Read and decode a user's text file (see ``decode_bytes``)."""
    return decode_bytes(read_input_bytes(path, what), path, encoding)
