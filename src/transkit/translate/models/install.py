"""Install and remove models: from the Argos-style index, a file or a folder, always
staged in a temporary folder inside the models folder and moved into place in one
rename (the Firefox registry's installs are in ``registry_install``, the choice
between catalogues in ``choice``).

Archives are unpacked by ``translate.archive`` (no paths outside the target, bounded
size); Firefox model files shipped compressed (``.gz``) are decompressed with the
same bound. On any failure the temporary folder is removed: nothing is left behind.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from pathlib import Path

from ...errors import ModelError, NetworkError, OutputError, UsageError
from ...fsio import atomic_write_text
from .. import archive
from .catalog import (
    FIREFOX_META,
    LANG_CODE,
    InstalledModel,
    list_installed,
    load_json,
    read_argos_dir,
    read_firefox_dir,
    resolve_models_dir,
    validate_argos_package,
)
from .index import ENGINES, DEFAULT_TIMEOUT_S, DownloadProgress, available, download, resolve_index_url
from .languages import bcp47


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
    tidy(root)
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
    tidy(root)
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


def tidy(root: Path) -> None:
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
        final = root / "argos" / safe_name(f"translate-{pair[0]}_{pair[1]}-{version.replace('.', '_')}")
    else:
        files = find_firefox_files(folder, label=label)
        engine, pair = "firefox", _firefox_pair(folder, files, source, target, label=label)
        final = root / "firefox" / safe_name(f"{pair[0]}-{pair[1]}")
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
    reader = read_argos_dir if engine == "argos" else read_firefox_dir
    return reader(final)


def safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _copy_tree(src: Path, dest: Path) -> None:
    try:
        shutil.copytree(src, dest, symlinks=False)
    except (OSError, shutil.Error) as exc:
        raise OutputError(f"cannot copy the model: {exc}", path=str(src)) from exc


# --------------------------------------------------------------------------- Firefox model folders

FIREFOX_PATTERNS = {
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
        for role, pattern in FIREFOX_PATTERNS.items():
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
            meta = load_json(existing)
            pair = (str(meta.get("source", "")), str(meta.get("target", ""))) if isinstance(meta, dict) else ("", "")
        else:
            code = FIREFOX_PATTERNS["model"].match(files["model"].name).group(1)  # type: ignore[union-attr]
            half = len(code) // 2
            if len(code) % 2:
                raise ModelError(
                    f"cannot tell the language pair from '{files['model'].name}'",
                    path=label or str(folder),
                    hint="give the pair, e.g. `transkit models install en ru --from DIR`",
                )
            pair = (code[:half], code[half:])
    if not all(LANG_CODE.match(code) for code in pair):
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
    write_firefox_record(staging, pair, _firefox_version(folder), names)


def write_firefox_record(
    staging: Path, pair: tuple[str, str], version: str, names: dict[str, str], origin: dict | None = None
) -> None:
    """Describe a staged Firefox model folder in ``transkit-model.json`` (the engine reads it)."""
    names = dict(names)
    if "vocab" in names:
        shared = names.pop("vocab")
        names.setdefault("src_vocab", shared)
        names.setdefault("trg_vocab", shared)
    meta = {
        "engine": "firefox",
        "source": pair[0],
        "target": pair[1],
        "language_tags": {"source": bcp47("firefox", pair[0]), "target": bcp47("firefox", pair[1])},
        "version": version,
        "files": dict(sorted(names.items())),
    }
    if origin:
        meta["origin"] = origin
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
