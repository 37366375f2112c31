"""Integer milliseconds <-> timestamp text. Pure functions, no I/O."""

from __future__ import annotations

import re

from .errors import InputError

_MS_PER_HOUR = 3_600_000
_TIMESTAMP = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")


def _split(ms: int) -> tuple[int, int, int, int]:
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


def parse_timestamp(text: str) -> int:
    """Parse ``HH:MM:SS,mmm``, ``HH:MM:SS.mmm`` or ``MM:SS.mmm`` into ms.

    A fraction of fewer than three digits is a decimal fraction (``.5`` = 500 ms).
    Raises ``InputError`` on anything else.
    """
    match = _TIMESTAMP.match(text)
    if not match:
        raise InputError(f"not a timestamp: {text!r}")
    hours, minutes, seconds, frac = match.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise InputError(f"minutes and seconds must be below 60: {text!r}")
    millis = int(frac.ljust(3, "0")) if frac else 0
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis
