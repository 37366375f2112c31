"""Where transkit keeps per-user data. Every location can be moved by an env variable.

- models:   $TRANSKIT_MODELS_DIR   or $XDG_DATA_HOME/transkit/models  (~/.local/share/...)
- memory:   $TRANSKIT_MEMORY       or $XDG_CACHE_HOME/transkit/memory.sqlite (~/.cache/...)
"""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(name: str, fallback: str) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else Path.home() / fallback


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / "transkit"


def models_dir() -> Path:
    value = os.environ.get("TRANSKIT_MODELS_DIR")
    return Path(value) if value else data_dir() / "models"


def memory_path() -> Path:
    value = os.environ.get("TRANSKIT_MEMORY")
    return Path(value) if value else _xdg("XDG_CACHE_HOME", ".cache") / "transkit" / "memory.sqlite"
