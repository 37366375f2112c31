"""Model management: list installed models, read a package index, install, remove.

Layout of the models folder (``transkit.paths.models_dir()`` unless given)::

    <models_dir>/argos/<package>/     an unpacked Argos package (metadata.json, model/, sentencepiece.model)
    <models_dir>/firefox/<src>-<tgt>/ a Firefox Translations model (model, vocab, lexical shortlist)
                                      described by transkit-model.json

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

import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .. import paths
from ..errors import ModelError, NetworkError, OutputError, UsageError
from ..fsio import atomic_write_text
from . import archive

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_URL_ENV = "TRANSKIT_INDEX_URL"
DEFAULT_TIMEOUT_S = 30.0
ENGINES = ("argos", "firefox")
FIREFOX_META = "transkit-model.json"

MAX_INDEX_BYTES = 32 * 1024**2
MAX_DOWNLOAD_BYTES = 4 * 1024**3
_CHUNK = 1 << 16

# progress(bytes_done, bytes_total or None) while a package downloads
DownloadProgress = Callable[[int, "int | None"], None]

_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
_OFFLINE_HINT = (
    "check the network connection and the index URL (--index-url or $TRANSKIT_INDEX_URL); "
    "without a network, install a package file with `transkit models install --from FILE`"
)


@dataclass(frozen=True)
class InstalledModel:
    engine: str
    source: str
    target: str
    version: str
    path: Path
    size_bytes: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def pair(self) -> str:
        return f"{self.source}->{self.target}"


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


# --------------------------------------------------------------------------- listing


def resolve_models_dir(models_dir: str | os.PathLike[str] | None) -> Path:
    return Path(models_dir) if models_dir is not None else paths.models_dir()


def list_installed(models_dir: str | os.PathLike[str] | None = None) -> list[InstalledModel]:
    """Every usable model in the models folder, sorted by engine, pair and version."""
    root = resolve_models_dir(models_dir)
    found: list[InstalledModel] = []
    for engine, reader in (("argos", _read_argos_dir), ("firefox", _read_firefox_dir)):
        folder = root / engine
        if not folder.is_dir():
            continue
        for child in sorted(folder.iterdir()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            try:
                found.append(reader(child))
            except ModelError:
                continue  # half-copied or foreign folder: not a usable model
    return sorted(found, key=lambda m: (m.engine, m.source, m.target, _version_key(m.version)))


def _read_argos_dir(folder: Path) -> InstalledModel:
    meta = validate_argos_package(folder)
    return InstalledModel(
        engine="argos",
        source=meta["from_code"],
        target=meta["to_code"],
        version=str(meta.get("package_version", "")),
        path=folder,
        size_bytes=_folder_size(folder),
    )


def _read_firefox_dir(folder: Path) -> InstalledModel:
    meta = _load_json(folder / FIREFOX_META)
    files = meta.get("files") if isinstance(meta, dict) else None
    if not isinstance(files, dict) or meta.get("engine") != "firefox":
        raise ModelError("not a transkit Firefox model folder", path=str(folder))
    for name in files.values():
        if not isinstance(name, str) or not (folder / name).is_file():
            raise ModelError(f"model file '{name}' is missing", path=str(folder))
    return InstalledModel(
        engine="firefox",
        source=str(meta.get("source", "")),
        target=str(meta.get("target", "")),
        version=str(meta.get("version", "")),
        path=folder,
        size_bytes=_folder_size(folder),
    )


def validate_argos_package(folder: Path) -> dict:
    """Check that ``folder`` is a complete Argos package; return its metadata."""
    meta = _load_json(folder / "metadata.json")
    if not isinstance(meta, dict):
        raise ModelError("metadata.json is not a JSON object", path=str(folder / "metadata.json"))
    for key in ("from_code", "to_code"):
        code = meta.get(key)
        if not isinstance(code, str) or not _LANG_CODE.match(code):
            raise ModelError(f"metadata.json has no valid '{key}'", path=str(folder / "metadata.json"))
    if not (folder / "model" / "model.bin").is_file():
        raise ModelError("Argos package has no model/model.bin", path=str(folder), hint="the package is incomplete")
    if not any((folder / name).is_file() for name in ("sentencepiece.model", "bpe.model")):
        raise ModelError("Argos package has no sentencepiece.model", path=str(folder), hint="the package is incomplete")
    return meta


def _load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{path.name} is missing", path=str(path.parent)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path.name}: {exc}", path=str(path)) from exc


def _folder_size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def _version_key(version: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[._-]", version))


# --------------------------------------------------------------------------- index


def resolve_index_url(index_url: str | None = None) -> str:
    return index_url or os.environ.get(INDEX_URL_ENV) or DEFAULT_INDEX_URL


def available(index_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT_S) -> list[IndexPackage]:
    """The translation packages a package index offers."""
    url = resolve_index_url(index_url)
    data = _fetch_bytes(url, timeout=timeout, max_bytes=MAX_INDEX_BYTES)
    try:
        entries = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetworkError(f"the package index is not valid JSON: {exc}", path=url, hint=_OFFLINE_HINT) from exc
    if isinstance(entries, dict):
        entries = entries.get("packages")
    if not isinstance(entries, list):
        raise NetworkError("the package index is not a list of packages", path=url, hint=_OFFLINE_HINT)
    packages = [pkg for pkg in (_index_package(entry, url) for entry in entries) if pkg is not None]
    return sorted(packages, key=lambda p: (p.engine, p.source, p.target, _version_key(p.version)))


def _index_package(entry: object, index_url: str) -> IndexPackage | None:
    """An index entry as an ``IndexPackage``; None for entries transkit cannot use."""
    if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
        return None
    source, target = entry.get("from_code"), entry.get("to_code")
    links = entry.get("links")
    if not (isinstance(source, str) and isinstance(target, str) and isinstance(links, list)):
        return None
    if not (_LANG_CODE.match(source) and _LANG_CODE.match(target)):
        return None
    engine = entry.get("engine", "argos")
    if engine not in ENGINES:
        return None
    checksum = entry.get("sha256") or entry.get("checksum")
    if isinstance(checksum, str):
        checksum = checksum.lower().removeprefix("sha256:").strip()
        if not re.fullmatch(r"[0-9a-f]{64}", checksum):
            checksum = None
    else:
        checksum = None
    size = entry.get("size")
    return IndexPackage(
        engine=engine,
        source=source,
        target=target,
        version=str(entry.get("package_version", "")),
        links=tuple(urllib.parse.urljoin(index_url, link) for link in links if isinstance(link, str)),
        sha256=checksum,
        size=size if isinstance(size, int) and size >= 0 else None,
        name=str(entry.get("code") or entry.get("name") or ""),
    )


# --------------------------------------------------------------------------- network


def _open_url(url: str, timeout: float):
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise UsageError(f"unsupported URL scheme '{scheme}'", path=url, hint="use an http(s):// or file:// URL")
    try:
        return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - scheme checked above
    except urllib.error.HTTPError as exc:
        raise NetworkError(f"download failed: HTTP {exc.code} {exc.reason}", path=url, hint=_OFFLINE_HINT) from exc
    except urllib.error.URLError as exc:
        raise _network_error(exc.reason, url, timeout) from exc
    except (OSError, ValueError) as exc:
        raise _network_error(exc, url, timeout) from exc


def _network_error(reason: object, url: str, timeout: float) -> NetworkError:
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
    return NetworkError(f"cannot download: {why}", path=url, hint=_OFFLINE_HINT)


def _fetch_bytes(url: str, *, timeout: float, max_bytes: int) -> bytes:
    with _open_url(url, timeout) as response:
        chunks: list[bytes] = []
        size = 0
        for chunk in _read_chunks(response, url, timeout):
            size += len(chunk)
            if size > max_bytes:
                raise NetworkError(f"download is larger than {max_bytes} bytes", path=url)
            chunks.append(chunk)
    return b"".join(chunks)


def _read_chunks(response, url: str, timeout: float) -> Iterable[bytes]:
    while True:
        try:
            chunk = response.read(_CHUNK)
        except (OSError, ValueError) as exc:  # socket timeout, reset, IncompleteRead
            raise _network_error(exc, url, timeout) from exc
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
) -> str:
    """Stream ``url`` into the new file ``dest``; return the SHA-256 of what was received."""
    digest = hashlib.sha256()
    with _open_url(url, timeout) as response:
        length = response.headers.get("Content-Length") if hasattr(response, "headers") else None
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise NetworkError(f"package is larger than {max_bytes} bytes", path=url)
        done = 0
        if progress:
            progress(0, total)
        try:
            with open(dest, "xb") as out:
                for chunk in _read_chunks(response, url, timeout):
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


# --------------------------------------------------------------------------- install


def install_from_index(
    source: str,
    target: str,
    *,
    engine: str = "argos",
    index_url: str | None = None,
    models_dir: str | os.PathLike[str] | None = None,
    progress: DownloadProgress | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> InstalledModel:
    """Download the newest ``source``->``target`` package for ``engine`` from the index, verify and install it."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'", hint=f"choose one of: {', '.join(ENGINES)}")
    url = resolve_index_url(index_url)
    packages = available(url, timeout=timeout)
    matching = [p for p in packages if (p.engine, p.source, p.target) == (engine, source, target) and p.links]
    if not matching:
        offered = ", ".join(sorted({f"{p.source}->{p.target}" for p in packages if p.engine == engine})) or "none"
        raise ModelError(
            f"the package index offers no {engine} model for {source}->{target}",
            path=url,
            hint=f"{engine} pairs offered: {offered}; see `transkit models available`",
        )
    package = matching[-1]  # newest version (list is sorted)
    root = resolve_models_dir(models_dir)
    _tidy(root)
    with archive.temp_dir_in(root) as tmp:
        download_path = tmp / "package.zip"
        error: NetworkError | None = None
        for link in package.links:
            try:
                received = download(link, download_path, timeout=timeout, progress=progress)
                break
            except NetworkError as exc:
                error = exc
                download_path.unlink(missing_ok=True)
        else:
            assert error is not None
            raise error
        if package.sha256 and received != package.sha256:
            raise ModelError(
                f"checksum mismatch for the {source}->{target} package: "
                f"expected sha256 {package.sha256}, got {received}",
                path=link,
                hint="the download was corrupted or tampered with; nothing was installed",
            )
        return _install_archive(download_path, root, tmp, expect=(engine, source, target))


def install_from_file(
    path: str | os.PathLike[str],
    *,
    models_dir: str | os.PathLike[str] | None = None,
    source: str | None = None,
    target: str | None = None,
) -> InstalledModel:
    """Install an ``.argosmodel``/zip file, an unpacked Argos package folder, or a Firefox model folder.

    ``source``/``target`` name the pair of a Firefox model whose file names do not say it.
    """
    given = Path(path)
    root = resolve_models_dir(models_dir)
    if not given.exists():
        raise ModelError("model package not found", path=str(given), hint="check the path")
    _tidy(root)
    with archive.temp_dir_in(root) as tmp:
        if given.is_dir():
            return _install_folder(given, root, tmp, source=source, target=target)
        return _install_archive(given, root, tmp, expect=None, source=source, target=target)


def _install_archive(
    package: Path,
    root: Path,
    tmp: Path,
    *,
    expect: tuple[str, str, str] | None,
    source: str | None = None,
    target: str | None = None,
) -> InstalledModel:
    unpacked = tmp / "unpacked"
    unpacked.mkdir()
    archive.extract_zip(package, unpacked)
    content = _content_root(unpacked)
    return _install_folder(
        content, root, tmp, source=source, target=target, move=True, label=str(package), expect=expect
    )


def _tidy(root: Path) -> None:
    """Remove what an install killed long ago left behind (hidden temporary folders)."""
    for folder in (root, root / "argos", root / "firefox"):
        archive.remove_stale_temp_dirs(folder)


def _content_root(unpacked: Path) -> Path:
    """The folder holding the model: the archive root, or its only top-level folder."""
    entries = [p for p in unpacked.iterdir() if p.name not in ("__MACOSX", ".DS_Store")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return unpacked


def _install_folder(
    folder: Path,
    root: Path,
    tmp: Path,
    *,
    source: str | None,
    target: str | None,
    move: bool = False,
    label: str | None = None,
    expect: tuple[str, str, str] | None = None,
) -> InstalledModel:
    """Stage a copy of the model in ``tmp``, check it, then move it into place in one rename."""
    staging = tmp / "staging"
    if (folder / "metadata.json").is_file():
        meta = validate_argos_package(folder)
        engine, pair = "argos", (meta["from_code"], meta["to_code"])
        version = str(meta.get("package_version", "")) or "0"
        final = root / "argos" / _safe_name(f"translate-{pair[0]}_{pair[1]}-{version.replace('.', '_')}")
    else:
        files = find_firefox_files(folder, label=label)
        engine, pair = "firefox", _firefox_pair(folder, files, source, target, label=label)
        final = root / "firefox" / _safe_name(f"{pair[0]}-{pair[1]}")
    if expect is not None and (engine, *pair) != expect:
        raise ModelError(
            f"the package holds a {engine} {pair[0]}->{pair[1]} model, not {expect[0]} {expect[1]}->{expect[2]}",
            path=label or str(folder),
            hint="the package index is wrong; nothing was installed",
        )
    if engine == "argos":
        if move:
            os.replace(folder, staging)
        else:
            _copy_tree(folder, staging)
        validate_argos_package(staging)
    else:
        _stage_firefox(folder, files, staging, pair)
    archive.move_into_place(staging, final)
    for other in list_installed(root):
        if (other.engine, other.source, other.target) == (engine, *pair) and other.path != final:
            remove_path(other.path)  # an older version of the same pair would be ambiguous
    reader = _read_argos_dir if engine == "argos" else _read_firefox_dir
    return reader(final)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _copy_tree(src: Path, dest: Path) -> None:
    try:
        shutil.copytree(src, dest, symlinks=False)
    except (OSError, shutil.Error) as exc:
        raise OutputError(f"cannot copy the model: {exc}", path=str(src)) from exc


# --------------------------------------------------------------------------- Firefox model folders

_FIREFOX_PATTERNS = {
    "model": re.compile(r"^model\.([a-z]{4,6})\..*\.bin(\.gz)?$"),
    "vocab": re.compile(r"^vocab\.([a-z]{4,6})\.spm(\.gz)?$"),
    "src_vocab": re.compile(r"^srcvocab\.([a-z]{4,6})\.spm(\.gz)?$"),
    "trg_vocab": re.compile(r"^trgvocab\.([a-z]{4,6})\.spm(\.gz)?$"),
    "shortlist": re.compile(r"^lex\..*?([a-z]{4,6})\.s2t\.bin(\.gz)?$"),
}


def find_firefox_files(folder: Path, *, label: str | None = None) -> dict[str, Path]:
    """The model, vocabulary and shortlist files of a Firefox Translations model folder."""
    where = label or str(folder)
    found: dict[str, Path] = {}
    for child in sorted(folder.iterdir()):
        if not child.is_file():
            continue
        for role, pattern in _FIREFOX_PATTERNS.items():
            if pattern.match(child.name):
                if role in found:
                    raise ModelError(f"two {role} files: {found[role].name} and {child.name}", path=where)
                found[role] = child
    has_vocab = "vocab" in found or ("src_vocab" in found and "trg_vocab" in found)
    if "model" not in found or not has_vocab:
        raise ModelError(
            "not a model package: no Argos metadata.json, and no Firefox model.*.bin with vocab.*.spm",
            path=where,
            hint="give an .argosmodel file, an Argos package folder or a Firefox Translations model folder",
        )
    return found


def _firefox_pair(
    folder: Path, files: dict[str, Path], source: str | None, target: str | None, *, label: str | None
) -> tuple[str, str]:
    if source and target:
        pair = (source, target)
    else:
        existing = folder / FIREFOX_META
        if existing.is_file():
            meta = _load_json(existing)
            pair = (str(meta.get("source", "")), str(meta.get("target", ""))) if isinstance(meta, dict) else ("", "")
        else:
            code = _FIREFOX_PATTERNS["model"].match(files["model"].name).group(1)  # type: ignore[union-attr]
            half = len(code) // 2
            if len(code) % 2:
                raise ModelError(
                    f"cannot tell the language pair from '{files['model'].name}'",
                    path=label or str(folder),
                    hint="give the pair, e.g. `transkit models install en ru --from DIR`",
                )
            pair = (code[:half], code[half:])
    if not all(_LANG_CODE.match(code) for code in pair):
        raise ModelError(f"invalid language pair {pair[0]}->{pair[1]}", path=label or str(folder))
    return pair


def _stage_firefox(folder: Path, files: dict[str, Path], staging: Path, pair: tuple[str, str]) -> None:
    staging.mkdir()
    names: dict[str, str] = {}
    for role, src in files.items():
        name = src.name.removesuffix(".gz")
        dest = staging / name
        if name not in names.values():
            _copy_file(src, dest)
        names[role] = name
    if "vocab" in names:
        shared = names.pop("vocab")
        names.setdefault("src_vocab", shared)
        names.setdefault("trg_vocab", shared)
    version = _firefox_version(folder)
    meta = {
        "engine": "firefox",
        "source": pair[0],
        "target": pair[1],
        "version": version,
        "files": dict(sorted(names.items())),
    }
    atomic_write_text(staging / FIREFOX_META, json.dumps(meta, indent=2, sort_keys=True) + "\n")


def _firefox_version(folder: Path) -> str:
    """The model's version: from an existing record, else model_info.json, else a numeric folder suffix."""
    for name in (FIREFOX_META, "model_info.json"):
        path = folder / name
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(data, dict) and data.get("version") not in (None, ""):
                return str(data["version"])
    suffix = re.search(r"-(\d+)$", folder.name)
    return suffix.group(1) if suffix else ""


def _copy_file(src: Path, dest: Path) -> None:
    """Copy one model file, decompressing ``.gz`` (as Mozilla ships them)."""
    try:
        if src.name.endswith(".gz"):
            with gzip.open(src, "rb") as inp, open(dest, "xb") as out:
                written = 0
                while chunk := inp.read(1 << 20):
                    written += len(chunk)
                    if written > archive.MAX_UNPACKED_BYTES:
                        raise ModelError("compressed model file unpacks too large", path=str(src))
                    out.write(chunk)
        else:
            shutil.copyfile(src, dest)
    except (OSError, EOFError) as exc:
        if isinstance(exc, (gzip.BadGzipFile, EOFError)):
            raise ModelError(f"corrupt compressed model file: {exc}", path=str(src)) from exc
        raise OutputError(f"cannot copy model file: {exc}", path=str(src)) from exc


# --------------------------------------------------------------------------- remove


def remove(
    source: str,
    target: str,
    engine: str | None = None,
    models_dir: str | os.PathLike[str] | None = None,
) -> list[InstalledModel]:
    """Remove the installed model(s) for ``source``->``target`` (of ``engine``, or every engine)."""
    installed = list_installed(models_dir)
    doomed = [m for m in installed if (m.source, m.target) == (source, target) and engine in (None, m.engine)]
    if not doomed:
        have = ", ".join(f"{m.engine} {m.pair}" for m in installed) or "none"
        which = f"{engine} " if engine else ""
        raise ModelError(f"no installed {which}model for {source}->{target}", hint=f"installed: {have}")
    for model in doomed:
        remove_path(model.path)
    return doomed


def remove_path(folder: Path) -> None:
    """Remove a model folder: first renamed aside (readers never see half of it), then deleted."""
    try:
        with archive.temp_dir_in(folder.parent) as trash:
            os.replace(folder, trash / "old")
    except OSError as exc:
        raise OutputError(f"cannot remove model: {exc.strerror or exc}", path=str(folder)) from exc
