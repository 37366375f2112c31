"""Integer milliseconds <-> timestamp text. Pure functions, no I/O."""

from __future__ import annotations

import operator
import re

from .errors import InputError

_MS_PER_HOUR = 3_600_000
# ASCII digits only: ``\d`` would also accept other scripts' digits ("١٢"), which
# int() converts silently.
_TIMESTAMP = re.compile(r"\s*(?:([0-9]+):)?([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]{1,3}))?\s*", re.ASCII)


def _split(ms: int) -> tuple[int, int, int, int]:
    """Times are whole ms; a float or negative value here is a bug in the caller."""
    if isinstance(ms, bool):
        raise TypeError("time in ms must be an integer, not a bool")
    ms = operator.index(ms)  # ints and numpy integers; floats raise TypeError
    if ms < 0:
        raise ValueError(f"negative time: {ms} ms")
    hours, rest = divmod(ms, _MS_PER_HOUR)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return hours, minutes, seconds, millis


def format_srt(ms: int) -> str:
    """``3723004`` -> ``'01:02:03,004'``."""
    h, m, s, f = _split(ms)
    return f"{h:02d}:{m:02d}:{s:02d},{f:03d}"


def format_vtt(ms: int) -> str:
    """``3723004`` -> ``'01:02:03.004'``."""
    h, m, s, f = _split(ms)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def format_ass(ms: int) -> str:
    """ASS uses centiseconds: ``3723004`` -> ``'1:02:03.00'`` (rounded down)."""
    h, m, s, f = _split(ms)
    return f"{h:d}:{m:02d}:{s:02d}.{f // 10:02d}"


def format_clock(ms: int) -> str:
    """Human-readable ``m:ss`` or ``h:mm:ss`` for reports."""
    h, m, s, _ = _split(ms)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


def parse_timestamp(text: str, *, path: str | None = None, line: int | None = None) -> int:
    """Parse ``HH:MM:SS,mmm``, ``HH:MM:SS.mmm`` or ``MM:SS.mmm`` into ms.

    A fraction of fewer than three digits is a decimal fraction (``.5`` = 500 ms).
    Raises ``InputError`` (naming ``path`` and ``line`` when given) on anything else.
    """
    match = _TIMESTAMP.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise InputError(f"not a timestamp: {text!r}", path=path, line=line, hint="expected HH:MM:SS,mmm")
    hours, minutes, seconds, frac = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise InputError(f"minutes and seconds must be below 60: {text!r}", path=path, line=line)
    millis = int(frac.ljust(3, "0")) if frac else 0
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis
