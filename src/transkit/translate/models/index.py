"""Remote catalogues over HTTP: the Argos-style package index, and downloads with timeouts.

The package index is Argos-style JSON: a list of packages, each with
``from_code``, ``to_code``, ``package_version`` and ``links``; transkit also reads an
optional ``sha256`` (or ``checksum``), ``size``, and ``engine`` ("argos", the
default, or "firefox" for a zip of a Firefox model folder). Relative links are
resolved against the index URL. The index URL is ``--index-url``, else
``$TRANSKIT_INDEX_URL``, else the public Argos index.

Downloads use urllib with a timeout on every network operation; an unreachable
host fails at once with a ``NetworkError`` saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ...errors import NetworkError, OutputError, UsageError
from .catalog import LANG_CODE, version_key

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_URL_ENV = "TRANSKIT_INDEX_URL"
DEFAULT_TIMEOUT_S = 30.0
ENGINES = ("argos", "firefox")

MAX_INDEX_BYTES = 32 * 1024**2
MAX_DOWNLOAD_BYTES = 4 * 1024**3
_CHUNK = 1 << 16

# progress(bytes_done, bytes_total or None) while a package downloads
DownloadProgress = Callable[[int, "int | None"], None]

OFFLINE_HINT = (
    "check the network connection and the index URL (--index-url or $TRANSKIT_INDEX_URL); "
    "without a network, install a package file with `transkit models install --from FILE`"
)


@dataclass(frozen=True)
class IndexPackage:
    """One package advertised by a package index."""

    engine: str
    source: str
    target: str
    version: str
    links: tuple[str, ...]
    sha256: str | None = None
    size: int | None = None
    name: str = ""


def resolve_index_url(index_url: str | None = None) -> str:
    return index_url or os.environ.get(INDEX_URL_ENV) or DEFAULT_INDEX_URL


def available(index_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT_S) -> list[IndexPackage]:
    """The translation packages a package index offers."""
    url = resolve_index_url(index_url)
    data = fetch_bytes(url, timeout=timeout, max_bytes=MAX_INDEX_BYTES)
    try:
        entries = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetworkError(f"the package index is not valid JSON: {exc}", path=url, hint=OFFLINE_HINT) from exc
    if isinstance(entries, dict):
        entries = entries.get("packages")
    if not isinstance(entries, list):
        raise NetworkError("the package index is not a list of packages", path=url, hint=OFFLINE_HINT)
    packages = [pkg for pkg in (_index_package(entry, url) for entry in entries) if pkg is not None]
    return sorted(packages, key=lambda p: (p.engine, p.source, p.target, version_key(p.version)))


def _index_package(entry: object, index_url: str) -> IndexPackage | None:
    """An index entry as an ``IndexPackage``; None for entries transkit cannot use."""
    if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
        return None
    source, target = entry.get("from_code"), entry.get("to_code")
    links = entry.get("links")
    if not (isinstance(source, str) and isinstance(target, str) and isinstance(links, list)):
        return None
    if not (LANG_CODE.match(source) and LANG_CODE.match(target)):
        return None
    engine = entry.get("engine", "argos")
    if engine not in ENGINES:
        return None
    size = entry.get("size")
    return IndexPackage(
        engine=engine,
        source=source,
        target=target,
        version=str(entry.get("package_version", "")),
        links=tuple(urllib.parse.urljoin(index_url, link) for link in links if isinstance(link, str)),
        sha256=normalise_sha256(entry.get("sha256") or entry.get("checksum")),
        size=size if isinstance(size, int) and size >= 0 else None,
        name=str(entry.get("code") or entry.get("name") or ""),
    )


def normalise_sha256(value: object) -> str | None:
    """A SHA-256 hex digest in lower case, or None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    value = value.lower().removeprefix("sha256:").strip()
    return value if re.fullmatch(r"[0-9a-f]{64}", value) else None


# --------------------------------------------------------------------------- network


def open_url(url: str, timeout: float, *, hint: str = OFFLINE_HINT):
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise UsageError(f"unsupported URL scheme '{scheme}'", path=url, hint="use an http(s):// or file:// URL")
    try:
        return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - scheme checked above
    except urllib.error.HTTPError as exc:
        raise NetworkError(f"download failed: HTTP {exc.code} {exc.reason}", path=url, hint=hint) from exc
    except urllib.error.URLError as exc:
        raise network_error(exc.reason, url, timeout, hint=hint) from exc
    except (OSError, ValueError) as exc:
        raise network_error(exc, url, timeout, hint=hint) from exc


def network_error(reason: object, url: str, timeout: float, *, hint: str = OFFLINE_HINT) -> NetworkError:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        why = f"no answer within {timeout:g} s"
    elif isinstance(reason, ConnectionRefusedError):
        why = "connection refused (no server there, or offline)"
    elif isinstance(reason, socket.gaierror):
        why = "cannot resolve the host name (offline?)"
    elif isinstance(reason, FileNotFoundError):
        why = "file not found"
    else:
        why = str(reason) or type(reason).__name__
    return NetworkError(f"cannot download: {why}", path=url, hint=hint)


def fetch_bytes(url: str, *, timeout: float, max_bytes: int, hint: str = OFFLINE_HINT) -> bytes:
    with open_url(url, timeout, hint=hint) as response:
        chunks: list[bytes] = []
        size = 0
        for chunk in _read_chunks(response, url, timeout, hint):
            size += len(chunk)
            if size > max_bytes:
                raise NetworkError(f"download is larger than {max_bytes} bytes", path=url)
            chunks.append(chunk)
    return b"".join(chunks)


def _read_chunks(response, url: str, timeout: float, hint: str) -> Iterable[bytes]:
    while True:
        try:
            chunk = response.read(_CHUNK)
        except (OSError, ValueError) as exc:  # socket timeout, reset, IncompleteRead
            raise network_error(exc, url, timeout, hint=hint) from exc
        if not chunk:
            return
        yield chunk


def download(
    url: str,
    dest: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: DownloadProgress | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    hint: str = OFFLINE_HINT,
) -> str:
    """Stream ``url`` into the new file ``dest``; return the SHA-256 of what was received."""
    digest = hashlib.sha256()
    with open_url(url, timeout, hint=hint) as response:
        length = response.headers.get("Content-Length") if hasattr(response, "headers") else None
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise NetworkError(f"package is larger than {max_bytes} bytes", path=url)
        done = 0
        if progress:
            progress(0, total)
        try:
            with open(dest, "xb") as out:
                for chunk in _read_chunks(response, url, timeout, hint):
                    done += len(chunk)
                    if done > max_bytes:
                        raise NetworkError(f"package is larger than {max_bytes} bytes", path=url)
                    digest.update(chunk)
                    out.write(chunk)
                    if progress:
                        progress(done, total)
        except OSError as exc:
            raise OutputError(f"cannot save the download: {exc.strerror or exc}", path=str(dest)) from exc
    if total is not None and done != total:
        raise NetworkError(f"download incomplete: got {done} of {total} bytes", path=url, hint="try again")
    return digest.hexdigest()
