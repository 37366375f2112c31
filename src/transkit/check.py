"""The subtitle linter: every cue measured against a style profile.

Rules and their severities (an *error* makes ``transkit check`` exit non-zero, a
*warning* only with ``--strict``):

==================  ========  ==============================================
rule                severity  when
==================  ========  ==============================================
empty               error     the cue shows no text
bad-order           error     it ends before it starts, or starts before the
                              cue before it
overlap             error     it starts before the previous cue has ended
gap                 warning   it starts less than ``min_gap_ms`` after the
                              previous cue (a flicker, not unreadable)
lines-per-cue       error     more than ``max_lines`` lines
chars-per-line      error     a line longer than ``max_chars_per_line``
min-duration        error     shorter than ``min_duration_ms``
max-duration        error     longer than ``max_duration_ms``
cps                 warning   reading speed above ``max_cps`` by at most
                    error     ``CPS_TOLERANCE`` (10 %); above that, an error
wps                 same      words per second, for profiles that count words
==================  ========  ==============================================

Characters are counted as displayed, spaces and punctuation included, with a
line break counted as the space it replaced; a no-break space is one character.
Cue numbers in messages are 1-based positions in the file or track.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Iterable, Literal, Sequence

from .model import Cue
from .profiles import StyleProfile
from .timing import format_srt

Severity = Literal["error", "warning"]

CPS_TOLERANCE = 0.10  # up to 10 % over the reading speed is a warning, beyond it an error

RULES = (
    "empty",
    "bad-order",
    "overlap",
    "gap",
    "lines-per-cue",
    "chars-per-line",
    "min-duration",
    "max-duration",
    "cps",
    "wps",
)


# --- what the checker measures (the layout aims at the same numbers) -------

def cue_chars(lines: Sequence[str]) -> int:
    """Characters shown, a line break counted as one space."""
    return len(" ".join(lines))


def cue_words(lines: Sequence[str]) -> int:
    """Words shown; a dialogue dash is not a word."""
    return sum(1 for line in lines for word in line.split() if word not in ("-", "\u2013", "\u2014"))


def reading_time_ms(chars: int, words: int, profile: StyleProfile) -> int:
    """The shortest time the profile allows for a cue of this size."""
    need = profile.min_duration_ms
    if profile.max_cps:
        need = max(need, math.ceil(chars * 1000 / profile.max_cps))
    if profile.max_words_per_second:
        need = max(need, math.ceil(words * 1000 / profile.max_words_per_second))
    return need


# --- the report -------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    rule: str
    severity: Severity
    cue_index: int  # 1-based
    start_ms: int
    end_ms: int
    message: str

    def format(self) -> str:
        """``12 00:01:02,300 --> 00:01:04,000 cps: 23.4 chars/s > 20``."""
        return f"{self.cue_index} {_stamp(self.start_ms)} --> {_stamp(self.end_ms)} {self.rule}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cue": self.cue_index,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "start": _stamp(self.start_ms),
            "end": _stamp(self.end_ms),
            "message": self.message,
        }


def _stamp(ms: int) -> str:
    return format_srt(ms) if ms >= 0 else "-" + format_srt(-ms)


@dataclass(frozen=True)
class CheckReport:
    profile: str
    cue_count: int
    violations: tuple[Violation, ...]
    path: str = ""

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, dict[str, int]]:
        """``{rule: {"error": n, "warning": n}}`` for the rules that were broken, in rule order."""
        counts: dict[str, dict[str, int]] = {}
        for rule in RULES:
            found = [v for v in self.violations if v.rule == rule]
            if found:
                counts[rule] = {
                    "error": sum(v.severity == "error" for v in found),
                    "warning": sum(v.severity == "warning" for v in found),
                }
        return counts

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "profile": self.profile,
            "cues": self.cue_count,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "summary": self.summary(),
            "violations": [v.to_dict() for v in self.violations],
        }


# --- the checks ---------------------------------------------------------------

def check_cues(cues: Iterable[Cue], profile: StyleProfile, path: str = "") -> CheckReport:
    """Measure every cue against ``profile``; cues are taken in the given order."""
    cues = tuple(cues)
    found: list[Violation] = []
    previous: Cue | None = None
    for number, cue in enumerate(cues, start=1):
        found.extend(_check_one(number, cue, profile))
        if previous is not None:
            found.extend(_check_pair(number, previous, cue, profile))
        previous = cue
    return CheckReport(profile=profile.name, cue_count=len(cues), violations=tuple(found), path=str(path))


def _check_one(number: int, cue: Cue, profile: StyleProfile) -> list[Violation]:
    def flag(rule: str, severity: Severity, message: str) -> None:
        out.append(Violation(rule, severity, number, cue.start_ms, cue.end_ms, message))

    out: list[Violation] = []
    if cue.end_ms < cue.start_ms:
        flag("bad-order", "error", "ends before it starts")
    lines = tuple(line for line in cue.lines)
    if not any(line.strip() for line in lines):
        flag("empty", "error", "no text")
        return out
    if len(lines) > profile.max_lines:
        flag("lines-per-cue", "error", f"{len(lines)} lines > {profile.max_lines}")
    for line_no, line in enumerate(lines, start=1):
        if len(line) > profile.max_chars_per_line:
            flag("chars-per-line", "error", f"line {line_no} has {len(line)} chars > {profile.max_chars_per_line}")
    duration = cue.end_ms - cue.start_ms
    if duration < 0:
        return out
    if duration < profile.min_duration_ms:
        flag("min-duration", "error", f"{duration} ms < {profile.min_duration_ms} ms")
    if duration > profile.max_duration_ms:
        flag("max-duration", "error", f"{duration} ms > {profile.max_duration_ms} ms")
    out.extend(_speed(number, cue, profile, duration))
    return out


def _speed(number: int, cue: Cue, profile: StyleProfile, duration: int) -> list[Violation]:
    out: list[Violation] = []
    seconds = duration / 1000
    measures = (
        ("cps", cue_chars(cue.lines), profile.max_cps, "chars/s"),
        ("wps", cue_words(cue.lines), profile.max_words_per_second, "words/s"),
    )
    for rule, amount, limit, unit in measures:
        if not limit:
            continue
        rate = amount / seconds if seconds > 0 else math.inf
        if rate > limit + 1e-9:
            severity: Severity = "warning" if rate <= limit * (1 + CPS_TOLERANCE) else "error"
            shown = "inf" if math.isinf(rate) else f"{rate:.1f}"
            out.append(Violation(rule, severity, number, cue.start_ms, cue.end_ms, f"{shown} {unit} > {limit:g}"))
    return out


def _check_pair(number: int, previous: Cue, cue: Cue, profile: StyleProfile) -> list[Violation]:
    def flag(rule: str, severity: Severity, message: str) -> list[Violation]:
        return [Violation(rule, severity, number, cue.start_ms, cue.end_ms, message)]

    if cue.start_ms < previous.start_ms:
        return flag("bad-order", "error", f"starts before cue {number - 1} ({_stamp(previous.start_ms)})")
    gap = cue.start_ms - previous.end_ms
    if gap < 0:
        return flag("overlap", "error", f"overlaps cue {number - 1} by {-gap} ms")
    if gap < profile.min_gap_ms:
        return flag("gap", "warning", f"{gap} ms after cue {number - 1} < {profile.min_gap_ms} ms")
    return []


def check_file(
    path: str | os.PathLike[str], profile: StyleProfile, *, strict_syntax: bool = False, encoding: str | None = None
) -> CheckReport:
    """Read an SRT or VTT file (in ``encoding`` if given) and check it."""
    from .ingest.subtitles import read_subtitle_file

    return check_cues(read_subtitle_file(path, strict=strict_syntax, encoding=encoding), profile, path=str(path))
