"""Model management, one job per module:

- ``catalog``: what is installed (transkit's models folder and Argos Translate's own
  folder), the one version ordering;
- ``index``: remote catalogues over HTTP (the Argos-style package index), downloads
  with timeouts;
- ``registry``: the Firefox Translations model registry (Remote Settings
  ``translations-models-v2``), the second remote catalogue;
- ``install``: install from the index, a file or a folder, and remove;
- ``registry_install``: install from the Firefox registry, every file checked;
- ``choice``: the better model for a pair across both catalogues, installed;
- ``ranking``: which engine's model is better for a pair, from published figures
  kept as data (``transkit/data/model_quality.json``);
- ``languages``: catalogue codes as BCP-47 tags (``transkit/data/model_languages.json``).

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
from .choice import Catalogues, InstallResult, Offer, install_best, read_catalogues
from .install import find_firefox_files, install_from_file, install_from_index, remove, remove_path
from .languages import bcp47, pair_tags
from .ranking import Choice, choose, figure
from .registry import (
    DEFAULT_REGISTRY_URL,
    REGISTRY_URL_ENV,
    RegistryFile,
    RegistryModel,
    available_firefox,
    resolve_registry_url,
)
from .registry_install import install_from_registry

__all__ = [
    "DEFAULT_REGISTRY_URL",
    "REGISTRY_URL_ENV",
    "Catalogues",
    "Choice",
    "InstallResult",
    "Offer",
    "RegistryFile",
    "RegistryModel",
    "available_firefox",
    "bcp47",
    "choose",
    "figure",
    "install_best",
    "install_from_registry",
    "pair_tags",
    "read_catalogues",
    "resolve_registry_url",
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
