"""Install a Firefox model from the Firefox Translations registry (``registry``), checking
every file against its record before and after unpacking; staged in a temporary folder
and renamed into place like every install (``install``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ...errors import ModelError, NetworkError
from .. import archive
from .catalog import InstalledModel, list_installed, read_firefox_dir, resolve_models_dir
from .index import DEFAULT_TIMEOUT_S, DownloadProgress, download
from .install import FIREFOX_PATTERNS, remove_path, safe_name, tidy, write_firefox_record
from .registry import REGISTRY_HINT, RegistryModel, available_firefox, resolve_registry_url


def install_from_registry(
    source: str,
    target: str,
    *,
    registry_url: str | None = None,
    models_dir: str | os.PathLike[str] | None = None,
    progress: DownloadProgress | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    offer: RegistryModel | None = None,
) -> InstalledModel:
    """Download the newest ``source``->``target`` Firefox model from the registry, verify and install it.

    Before anything is kept, every file is checked: its name must be a Firefox model
    file of this pair, the packed download must have the record's size and SHA-256,
    unpacking stops past the record's unpacked size, and the unpacked file must have
    exactly that size and the record's ``decompressedHash``. All of it happens in a
    temporary folder that is renamed into place at the end, or removed.
    """
    url = resolve_registry_url(registry_url)
    if offer is None:
        offers = available_firefox(url, timeout=timeout)
        matching = [m for m in offers if (m.source, m.target) == (source, target)]
        if not matching:
            offered = ", ".join(m.pair for m in offers) or "none"
            raise ModelError(
                f"the Firefox model registry offers no model for {source}->{target}",
                path=url,
                hint=f"pairs offered: {offered}; see `transkit models available`",
            )
        offer = matching[0]
    _check_registry_names(offer, url)
    root = resolve_models_dir(models_dir)
    tidy(root)
    total = offer.size
    done_before = 0

    def file_progress(done: int, _total: int | None) -> None:
        if progress:
            progress(done_before + done, total)

    with archive.temp_dir_in(root) as tmp:
        staging = tmp / "staging"
        staging.mkdir()
        names: dict[str, str] = {}
        for item in offer.files:
            packed = tmp / f"{item.name}.packed"
            received = download(item.url, packed, timeout=timeout, progress=file_progress,
                                max_bytes=item.size, hint=REGISTRY_HINT)
            got = packed.stat().st_size
            if got != item.size:
                raise NetworkError(f"download incomplete: got {got} of {item.size} bytes", path=item.url,
                                   hint="try again; nothing was installed")
            if received != item.sha256:
                raise ModelError(
                    f"checksum mismatch for {item.name}: expected sha256 {item.sha256}, got {received}",
                    path=item.url,
                    hint="the download was corrupted or tampered with; nothing was installed",
                )
            dest = staging / item.name
            written = archive.decompress_file(packed, dest, method=item.compression, max_bytes=item.unpacked_size,
                                              label=item.url)
            packed.unlink()
            if written != item.unpacked_size:
                raise ModelError(
                    f"{item.name} unpacks to {written} bytes, the registry says {item.unpacked_size}",
                    path=item.url, hint="the download was corrupted or tampered with; nothing was installed",
                )
            unpacked = sha256_of(dest)
            if unpacked != item.unpacked_sha256:
                raise ModelError(
                    f"checksum mismatch for {item.name} after unpacking: "
                    f"expected sha256 {item.unpacked_sha256}, got {unpacked}",
                    path=item.url,
                    hint="the download was corrupted or tampered with; nothing was installed",
                )
            names[item.role] = item.name
            done_before += item.size
        origin = {
            "catalogue": "firefox-registry",
            "registry": url,
            "architecture": offer.architecture,
            "files": {f.name: {"sha256": f.unpacked_sha256, "size": f.unpacked_size} for f in offer.files},
        }
        write_firefox_record(staging, (source, target), offer.version, names, origin)
        final = root / "firefox" / safe_name(f"{source}-{target}")
        archive.move_into_place(staging, final)
    for other in list_installed(root):
        if (other.engine, other.source, other.target) == ("firefox", source, target) and other.path != final:
            remove_path(other.path)
    return read_firefox_dir(final)


def _check_registry_names(offer: RegistryModel, url: str) -> None:
    """Refuse a model whose files are not this pair's Firefox model files (by their names)."""
    code = f"{offer.source}{offer.target}"
    for item in offer.files:
        match = FIREFOX_PATTERNS[item.role].match(item.name)
        if match is None or match.group(1) != code:
            raise ModelError(
                f"the registry's {offer.source}->{offer.target} record names the file '{item.name}', "
                f"which is not a {offer.source}->{offer.target} {item.role} file",
                path=url,
                hint="the registry is wrong or was tampered with; nothing was installed",
            )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
