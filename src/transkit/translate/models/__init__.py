"""Model management, one job per module:

- ``catalog``: what is installed (transkit's models folder and Argos Translate's own
  folder), the one version ordering;
- ``index``: remote catalogues over HTTP (the Argos-style package index), downloads
  with timeouts;
- ``install``: install from a catalogue, a file or a folder, and remove.

The public names are importable from ``transkit.translate.models``.
"""

from __future__ import annotations

from .catalog import (
    FIREFOX_META,
    InstalledModel,
    argos_own_packages,
    argos_package_dirs,
    list_installed,
    resolve_models_dir,
    validate_argos_package,
    version_key,
)
from .index import (
    DEFAULT_INDEX_URL,
    DEFAULT_TIMEOUT_S,
    ENGINES,
    INDEX_URL_ENV,
    MAX_DOWNLOAD_BYTES,
    MAX_INDEX_BYTES,
    DownloadProgress,
    IndexPackage,
    available,
    download,
    resolve_index_url,
)
from .install import find_firefox_files, install_from_file, install_from_index, remove, remove_path

__all__ = [
    "DEFAULT_INDEX_URL",
    "DEFAULT_TIMEOUT_S",
    "ENGINES",
    "FIREFOX_META",
    "INDEX_URL_ENV",
    "MAX_DOWNLOAD_BYTES",
    "MAX_INDEX_BYTES",
    "DownloadProgress",
    "IndexPackage",
    "InstalledModel",
    "argos_own_packages",
    "argos_package_dirs",
    "available",
    "download",
    "find_firefox_files",
    "install_from_file",
    "install_from_index",
    "list_installed",
    "remove",
    "remove_path",
    "resolve_index_url",
    "resolve_models_dir",
    "validate_argos_package",
    "version_key",
]
