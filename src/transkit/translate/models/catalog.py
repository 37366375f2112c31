"""What is installed: reading model folders, listing them, and the one version ordering.

Layout of the models folder (``transkit.paths.models_dir()`` unless given)::

    <models_dir>/argos/<package>/     an unpacked Argos package (metadata.json, model/, sentencepiece.model)
    <models_dir>/firefox/<src>-<tgt>/ a Firefox Translations model (model, vocab, lexical shortlist)
                                      described by transkit-model.json

Packages Argos Translate installed itself are found here too (``argos_own_packages``),
read only, in the folder Argos keeps them in.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ... import paths
from ...errors import ModelError

FIREFOX_META = "transkit-model.json"
LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


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


# --------------------------------------------------------------------------- versions

_VERSION_PART = re.compile(r"^(\d*)(.*)$")


def version_key(version: str) -> tuple:
    """Sort key for model versions; a larger key is a newer version.

    Versions are split at ``.``, ``_`` and ``-`` and compared part by part:

    - a part's leading digits compare as a number (``10`` > ``9``);
    - at the same number, a plain release is newer than one with a suffix, which
      marks a pre-release (``9`` > ``9b`` > ``9a``; suffixes compare as text);
    - a part without digits ranks below every numbered part (``a`` < ``2``);
    - a version with more parts is newer than its prefix (``1.9.1`` > ``1.9``).

    So ``1.a`` < ``1.2`` < ``1.9b`` < ``1.9`` < ``1.10``. Both the listing
    (``list_installed``) and the engine choice (``engines._pick``) use this key.
    """
    key = []
    for part in re.split(r"[._-]", version.strip()):
        digits, suffix = _VERSION_PART.match(part).groups()  # type: ignore[union-attr]
        if digits:
            key.append((1, int(digits), 0 if suffix else 1, suffix))
        else:
            key.append((0, 0, 0, suffix))
    return tuple(key)


# --------------------------------------------------------------------------- listing


def resolve_models_dir(models_dir: str | os.PathLike[str] | None) -> Path:
    return Path(models_dir) if models_dir is not None else paths.models_dir()


def list_installed(models_dir: str | os.PathLike[str] | None = None) -> list[InstalledModel]:
    """Every usable model in the models folder, sorted by engine, pair and version (oldest first)."""
    root = resolve_models_dir(models_dir)
    found: list[InstalledModel] = []
    for engine, reader in (("argos", read_argos_dir), ("firefox", read_firefox_dir)):
        found += _read_children(root / engine, reader)
    return sort_models(found)


def sort_models(models: list[InstalledModel]) -> list[InstalledModel]:
    return sorted(models, key=lambda m: (m.engine, m.source, m.target, version_key(m.version)))


def _read_children(folder: Path, reader) -> list[InstalledModel]:
    try:
        children = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []
    found = []
    for child in children:
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            found.append(reader(child))
        except ModelError:
            continue  # half-copied or foreign folder (or an Argos sentence splitter): not a usable model
    return found


def read_argos_dir(folder: Path) -> InstalledModel:
    meta = validate_argos_package(folder)
    return InstalledModel(
        engine="argos",
        source=meta["from_code"],
        target=meta["to_code"],
        version=str(meta.get("package_version", "")),
        path=folder,
        size_bytes=folder_size(folder),
    )


def read_firefox_dir(folder: Path) -> InstalledModel:
    meta = load_json(folder / FIREFOX_META)
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
        size_bytes=folder_size(folder),
    )


def validate_argos_package(folder: Path) -> dict:
    """Check that ``folder`` is a complete Argos package; return its metadata."""
    meta = load_json(folder / "metadata.json")
    if not isinstance(meta, dict):
        raise ModelError("metadata.json is not a JSON object", path=str(folder / "metadata.json"))
    for key in ("from_code", "to_code"):
        code = meta.get(key)
        if not isinstance(code, str) or not LANG_CODE.match(code):
            raise ModelError(f"metadata.json has no valid '{key}'", path=str(folder / "metadata.json"))
    if not (folder / "model" / "model.bin").is_file():
        raise ModelError("Argos package has no model/model.bin", path=str(folder), hint="the package is incomplete")
    if not any((folder / name).is_file() for name in ("sentencepiece.model", "bpe.model")):
        raise ModelError("Argos package has no sentencepiece.model", path=str(folder), hint="the package is incomplete")
    return meta


def load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{path.name} is missing", path=str(path.parent)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path.name}: {exc}", path=str(path)) from exc


def folder_size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


# --------------------------------------------------------------------------- Argos Translate's own folder


def argos_package_dirs() -> list[Path]:
    """Where Argos Translate keeps the packages it installed, worked out as argostranslate
    does ($ARGOS_PACKAGES_DIR, its settings.json, else the XDG data folder) but without
    importing it: that import creates Argos' folders, and discovery must only read."""
    value = os.environ.get("ARGOS_PACKAGES_DIR")
    if not value:
        config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        try:
            settings = json.loads((config / "argos-translate" / "settings.json").read_text(encoding="utf-8"))
            value = settings.get("ARGOS_PACKAGES_DIR") if isinstance(settings, dict) else None
        except (OSError, UnicodeDecodeError, ValueError):
            value = None
    if value:
        return [Path(value)]
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return [data / "argos-translate" / "packages"]


def argos_own_packages() -> list[InstalledModel]:
    """The translation packages in Argos Translate's own folder (its sentence-splitter
    packages and incomplete folders are skipped)."""
    found: list[InstalledModel] = []
    for folder in argos_package_dirs():
        found += _read_children(folder, _read_argos_translation_dir)
    return found


def _read_argos_translation_dir(folder: Path) -> InstalledModel:
    model = read_argos_dir(folder)
    if validate_argos_package(folder).get("type", "translate") != "translate":
        raise ModelError("not a translation package", path=str(folder))
    return model
