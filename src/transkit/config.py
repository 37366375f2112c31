"""Project-level defaults from ``transkit.toml``, so a newsroom does not repeat flags.

Looked up as ``--config FILE`` or ``./transkit.toml``. Command-line options win over
the file; the file wins over built-in defaults. Example::

    [run]
    to = ["ru", "de", "pt"]
    engine = "auto"
    formats = ["srt", "vtt", "ass", "pdf"]
    out = "translations"
    glossary = "glossary.csv"
    beam_size = 4
    jobs = 2

    [profiles]
    en = "netflix-en"
    ru = "netflix-ru"

    [speech_rate]
    wpm = 160
    speakers = { JS = 150, KM = 175 }
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .fsio import read_text_file

CONFIG_NAME = "transkit.toml"

_RUN_KEYS = {"to", "engine", "formats", "out", "glossary", "beam_size", "jobs", "profile", "compute_type"}


@dataclass(frozen=True)
class Config:
    path: str = ""
    run: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)
    speech_rate: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.run.get(key, default)


def _toml_loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read ``path`` (an error if missing), or ``./transkit.toml`` if present, else defaults."""
    if path is None:
        candidate = Path.cwd() / CONFIG_NAME
        if not candidate.is_file():
            return Config()
        path = candidate
    text = read_text_file(path, "config file")
    try:
        data = _toml_loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError subclasses ValueError
        raise UsageError(f"invalid TOML: {exc}", path=str(path), hint="fix the config file") from exc
    return _validate(data, str(path))


def _validate(data: dict[str, Any], path: str) -> Config:
    unknown_tables = set(data) - {"run", "profiles", "speech_rate"}
    if unknown_tables:
        raise UsageError(
            f"unknown section [{sorted(unknown_tables)[0]}]",
            path=path,
            hint="known sections: [run], [profiles], [speech_rate]",
        )
    run = dict(data.get("run", {}))
    unknown = set(run) - _RUN_KEYS
    if unknown:
        raise UsageError(
            f"unknown key {sorted(unknown)[0]!r} in [run]",
            path=path,
            hint=f"known keys: {', '.join(sorted(_RUN_KEYS))}",
        )
    for key in ("to", "formats"):
        value = run.get(key)
        if isinstance(value, str):
            run[key] = [v.strip() for v in value.split(",") if v.strip()]
        elif value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise UsageError(f"[run] {key} must be a list of strings", path=path)
    profiles = data.get("profiles", {})
    if not all(isinstance(v, str) for v in profiles.values()):
        raise UsageError("[profiles] maps a language code to a profile name", path=path)
    return Config(path=path, run=run, profiles=dict(profiles), speech_rate=dict(data.get("speech_rate", {})))
