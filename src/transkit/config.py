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
    relayout = false
    # scheduler = "tcp://10.0.0.5:8786"   # run on a Dask cluster (transkit[cluster])

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

_RUN_KEYS = {
    "to", "engine", "formats", "out", "glossary", "beam_size", "jobs", "profile", "compute_type", "relayout", "scheduler",
}


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


_TEXT_KEYS = ("engine", "out", "glossary", "profile", "compute_type", "scheduler")
_COUNT_KEYS = ("beam_size", "jobs")

# The allowed range of every numeric setting, for command-line options and this file alike
# (low, high, what the number is). Beam sizes past 16 cost time without better
# translations on these models; speech rates outside 40-400 wpm are not speech.
RANGES: dict[str, tuple[float, float, str]] = {
    "beam_size": (1, 16, "a beam size"),
    "jobs": (1, 64, "a number of parallel jobs"),
    "wpm": (40, 400, "words per minute"),
    "min_confidence": (0.0, 1.0, "a confidence"),
    "timeout": (0.1, 3600, "seconds"),
}


def out_of_range(key: str, value: Any) -> str | None:
    """None when ``value`` is inside ``RANGES[key]``, else the sentence that says the allowed range."""
    low, high, what = RANGES[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high:
        return None
    return f"must be from {low:g} to {high:g} ({what}), not {value!r}"
_SPEECH_RATE_KEYS = {"wpm", "speakers"}


def _table(data: dict[str, Any], name: str, path: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise UsageError(f"'{name}' must be a section [{name}], not a value", path=path, hint="see the example in the README")
    return dict(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _validate(data: dict[str, Any], path: str) -> Config:
    unknown_tables = set(data) - {"run", "profiles", "speech_rate"}
    if unknown_tables:
        raise UsageError(
            f"unknown section [{sorted(unknown_tables)[0]}]",
            path=path,
            hint="known sections: [run], [profiles], [speech_rate]",
        )
    run = _table(data, "run", path)
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
            raise UsageError(f"[run] {key} must be a list of strings", path=path, hint=f'write {key} = ["..."]')
    for key in _TEXT_KEYS:
        if key in run and not isinstance(run[key], str):
            raise UsageError(f"[run] {key} must be a string, not {run[key]!r}", path=path, hint=f'write {key} = "..."')
    for key in _COUNT_KEYS:
        value = run.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or out_of_range(key, value)):
            low, high, _ = RANGES[key]
            raise UsageError(
                f"[run] {key} must be a whole number from {low} to {high}, not {value!r}", path=path, hint=f"write {key} = 2"
            )
    if "relayout" in run and not isinstance(run["relayout"], bool):
        raise UsageError(f"[run] relayout must be true or false, not {run['relayout']!r}", path=path, hint="write relayout = true")
    if "scheduler" in run:
        run["scheduler"] = scheduler_address(run["scheduler"], path)
    profiles = _table(data, "profiles", path)
    if not all(isinstance(v, str) for v in profiles.values()):
        raise UsageError("[profiles] maps a language code to a profile name", path=path, hint='write ru = "netflix-ru"')
    speech_rate = _table(data, "speech_rate", path)
    unknown = set(speech_rate) - _SPEECH_RATE_KEYS
    if unknown:
        raise UsageError(f"unknown key {sorted(unknown)[0]!r} in [speech_rate]", path=path, hint="known keys: speakers, wpm")
    if "wpm" in speech_rate and (not _is_number(speech_rate["wpm"]) or out_of_range("wpm", speech_rate["wpm"])):
        raise UsageError(
            f"[speech_rate] wpm {out_of_range('wpm', speech_rate['wpm'])}", path=path, hint="write wpm = 150"
        )
    speakers = speech_rate.get("speakers", {})
    if not isinstance(speakers, dict) or not all(_is_number(v) for v in speakers.values()):
        raise UsageError(
            "[speech_rate] speakers maps a speaker tag to words per minute", path=path, hint="write speakers = { JS = 150 }"
        )
    for speaker, wpm in speakers.items():
        if out_of_range("wpm", wpm):
            raise UsageError(f"[speech_rate] rate of {speaker} {out_of_range('wpm', wpm)}", path=path,
                             hint="write speakers = { JS = 150 }")
    return Config(path=path, run=run, profiles=profiles, speech_rate=speech_rate)


_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")


def scheduler_address(value: str, where: str | None = None) -> str:
    """A Dask scheduler address: ``tcp://HOST:PORT`` (or ``HOST:PORT``, taken as tcp)."""
    text = value.strip()
    scheme, sep, rest = text.rpartition("://")
    if not sep:
        scheme, rest = "tcp", text
    host, colon, port = rest.rpartition(":")
    if scheme not in _SCHEMES or not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        what = "[run] scheduler" if where else "--scheduler"
        raise UsageError(
            f"{what} must be a Dask scheduler address like tcp://HOST:8786, not {value!r}",
            path=where,
            hint="the address `dask scheduler` prints",
        )
    return f"{scheme}://{rest}"
