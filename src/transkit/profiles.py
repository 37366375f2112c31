"""Subtitle style profiles (DESIGN.md section 6) and the reading measures they limit.

All numbers are configurable. ``cue_chars``, ``cue_words`` and ``reading_time_ms``
are what the layout aims at and what ``transkit check`` measures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from .errors import UsageError


@dataclass(frozen=True)
class StyleProfile:
    name: str
    max_chars_per_line: int = 42
    max_lines: int = 2
    max_cps: float = 17.0  # characters per second, spaces and punctuation counted
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_ms: int = 83
    max_words_per_second: float | None = None  # the BBC counts words, not characters

    def with_overrides(self, **values: object) -> "StyleProfile":
        return replace(self, **{k: v for k, v in values.items() if v is not None})


PROFILES: dict[str, StyleProfile] = {
    "netflix-en": StyleProfile("netflix-en", max_cps=20.0),
    "netflix-ru": StyleProfile("netflix-ru", max_cps=17.0),
    "netflix": StyleProfile("netflix", max_cps=17.0),
    "bbc": StyleProfile(
        "bbc", max_chars_per_line=37, max_cps=20.0, min_duration_ms=1200, max_words_per_second=3.0
    ),
}


def get_profile(name: str) -> StyleProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UsageError(f"unknown style profile {name!r}", hint=f"choose one of: {known}") from None


def default_profile_for(language: str) -> StyleProfile:
    """English gets netflix-en (20 CPS); every other language the 17 CPS profile."""
    if language == "en":
        return PROFILES["netflix-en"]
    if language == "ru":
        return PROFILES["netflix-ru"]
    return PROFILES["netflix"]


# --- reading measures: what the layout aims at and the checker measures -----

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
