"""Unpack untrusted model archives (zip) safely, and move finished folders into place.

A model package comes from the network or from a user's download folder, so it
is treated as hostile until checked:

- every entry must be a plain file or folder with a relative path that stays
  inside the target (no absolute paths, drive letters, ``..`` components, NUL);
- symlinks, device files and encrypted entries are refused;
- the number of entries and the total unpacked size are capped (zip bombs),
  and the cap is enforced on the bytes actually written, not only on what the
  archive claims.

Everything is unpacked into a fresh temporary folder inside the models folder
(same file system, so the final ``rename`` is atomic); on any failure the
temporary folder is removed, so nothing half-unpacked is ever left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..errors import ModelError, OutputError

MAX_ENTRIES = 5_000
# The largest Argos packages unpack to a few hundred MB; 4 GiB leaves room and
# still stops a zip bomb long before a disk fills.
MAX_UNPACKED_BYTES = 4 * 1024**3
_CHUNK = 1 << 20

TEMP_PREFIX = ".transkit-tmp-"


def check_entries(archive: zipfile.ZipFile, path: str, *, max_entries: int, max_bytes: int) -> list[zipfile.ZipInfo]:
    """Refuse an archive with any unsafe entry; return the entries in archive order."""
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise _unsafe(path, f"it has {len(entries)} entries (limit {max_entries})")
    declared = 0
    for info in entries:
        _check_name(info.filename, path)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _unsafe(path, f"entry '{info.filename}' is a symbolic link")
        if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) and stat.S_IFMT(mode):
            raise _unsafe(path, f"entry '{info.filename}' is not a regular file or folder")
        if info.flag_bits & 0x1:
            raise _unsafe(path, f"entry '{info.filename}' is encrypted")
        declared += info.file_size
        if declared > max_bytes:
            raise _unsafe(path, f"it unpacks to more than {max_bytes} bytes (limit)")
    return entries


def _check_name(name: str, path: str) -> None:
    if not name or "\x00" in name:
        raise _unsafe(path, "an entry has an empty or invalid name")
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise _unsafe(path, f"entry '{name}' has an absolute path")
    if ".." in PurePosixPath(normal).parts:
        raise _unsafe(path, f"entry '{name}' points outside the package ('..')")


def _unsafe(path: str, why: str) -> ModelError:
    return ModelError(
        f"refusing to unpack an unsafe model package: {why}",
        path=path,
        hint="the package is damaged or was tampered with; get it again from a trusted source",
    )


def extract_zip(
    archive_path: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_UNPACKED_BYTES,
) -> None:
    """Unpack ``archive_path`` into the existing, empty folder ``dest`` after checking every entry."""
    path = str(archive_path)
    root = Path(dest).resolve()
    try:
        with zipfile.ZipFile(path) as archive:
            entries = check_entries(archive, path, max_entries=max_entries, max_bytes=max_bytes)
            written = 0
            for info in entries:
                target = (root / info.filename.replace("\\", "/")).resolve()
                if root != target and root not in target.parents:
                    raise _unsafe(path, f"entry '{info.filename}' points outside the package")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as out:
                    for chunk in _entry_chunks(archive, info, path):
                        written += len(chunk)
                        if written > max_bytes:
                            raise _unsafe(path, f"it unpacks to more than {max_bytes} bytes (limit)")
                        out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise ModelError(
            f"not a valid model package (corrupt or truncated zip: {exc})",
            path=path,
            hint="download the package again",
        ) from exc
    except FileExistsError as exc:
        raise _unsafe(path, f"entry '{Path(exc.filename).name}' appears twice") from exc
    except (EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise ModelError(f"cannot unpack model package: {exc}", path=path, hint="download the package again") from exc
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and not Path(path).exists():
            raise ModelError("model package not found", path=path, hint="check the path") from exc
        raise OutputError(f"cannot unpack model package: {exc.strerror or exc}", path=str(dest)) from exc


def _entry_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> Iterator[bytes]:
    """The bytes of one entry; a failure while reading the package is the package's
    fault (corrupt data, bad offsets), not the destination folder's."""
    try:
        with archive.open(info) as src:
            while chunk := src.read(_CHUNK):
                yield chunk
    except (OSError, zlib.error, zipfile.BadZipFile) as exc:
        raise ModelError(
            f"corrupt or truncated model package: entry '{info.filename}' cannot be read ({exc})",
            path=path,
            hint="download the package again",
        ) from exc


@contextlib.contextmanager
def temp_dir_in(parent: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh folder inside ``parent`` (same file system as the final location), always removed afterwards."""
    base = Path(parent)
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=base))
    except OSError as exc:
        raise OutputError(f"cannot write to the models folder: {exc.strerror or exc}", path=str(base)) from exc
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def move_into_place(ready: Path, final: Path) -> None:
    """Atomically make the folder ``ready`` appear at ``final``, replacing what was there.

    ``ready`` must be on the same file system (a folder from ``temp_dir_in``). A
    folder already at ``final`` is first renamed aside and deleted only after the
    new one is in place, so readers see either the old or the new model, never a mix.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    aside: Path | None = None
    try:
        if final.exists() or final.is_symlink():
            aside = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=final.parent))
            os.replace(final, aside / "old")
        os.replace(ready, final)
    except OSError as exc:
        if aside is not None and (aside / "old").exists() and not final.exists():
            os.replace(aside / "old", final)
        raise OutputError(f"cannot install model: {exc.strerror or exc}", path=str(final)) from exc
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)


def remove_stale_temp_dirs(parent: Path, older_than_s: float = 6 * 3600) -> None:
    """Delete temporary folders a killed install left in ``parent``.

    Only old ones: a younger folder may belong to an install running in another process.
    """
    if not parent.is_dir():
        return
    now = time.time()
    for child in parent.iterdir():
        try:
            stale = child.name.startswith(TEMP_PREFIX) and now - child.stat().st_mtime > older_than_s
        except OSError:
            continue
        if stale and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def decompress_file(
    packed: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    method: str,
    max_bytes: int,
    label: str | None = None,
) -> int:
    """Unpack one compressed file (``method`` "zstd", "gzip" or "identity") into the new
    file ``dest``; stop as soon as more than ``max_bytes`` come out (decompression bombs).
    Returns the number of bytes written."""
    where = label or str(packed)
    written = 0
    try:
        with open(packed, "rb") as raw, open(dest, "xb") as out:
            for chunk in _decompressed_chunks(raw, method, where):
                written += len(chunk)
                if written > max_bytes:
                    raise ModelError(
                        f"refusing to unpack: the file unpacks to more than the {max_bytes} bytes declared",
                        path=where,
                        hint="the download was tampered with or the catalogue is wrong; nothing was installed",
                    )
                out.write(chunk)
    except ModelError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot unpack the model file: {exc.strerror or exc}", path=str(dest)) from exc
    return written


def _decompressed_chunks(raw, method: str, where: str) -> Iterator[bytes]:
    if method == "identity":
        while chunk := raw.read(_CHUNK):
            yield chunk
        return
    if method == "gzip":
        import gzip

        try:
            with gzip.GzipFile(fileobj=raw) as stream:
                while chunk := stream.read(_CHUNK):
                    yield chunk
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise _corrupt(where, exc) from exc
        return
    if method == "zstd":
        import zstandard

        try:
            with zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True) as stream:
                while chunk := stream.read(_CHUNK):
                    yield chunk
        except zstandard.ZstdError as exc:
            raise _corrupt(where, exc) from exc
        return
    raise ModelError(f"unknown compression '{method}'", path=where, hint="transkit reads zstd and gzip attachments")


def _corrupt(where: str, exc: Exception) -> ModelError:
    return ModelError(f"corrupt compressed model file ({exc})", path=where, hint="download it again")
