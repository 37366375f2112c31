"""The aligner's plain data: its options, its per-segment placements and its report.

A leaf: run settings (``transkit.runs``) carry ``AlignOptions`` without importing
the aligner, and ``fallback`` uses ``Placed`` without importing its package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..model import Segment


@dataclass(frozen=True)
class AlignOptions:
    """How to align. ``voice``/``speed``: the espeak-ng voice the text is spoken
    with (speed in words per minute). ``min_confidence``: below it a segment is
    re-timed by the fallback. ``end_after_speech_ms`` and ``min_gap_ms`` shape the
    final spans (DESIGN.md section 6)."""

    voice: str = "en-us"
    voices: tuple[tuple[str, str], ...] = ()  # (speaker id, espeak-ng voice) overrides
    voice_candidates: tuple[str, ...] = ("en-us+f3",)  # tried per speaker against ``voice``
    speed: int = 175
    min_confidence: float = 0.5
    snap_ms: int = 200
    end_after_speech_ms: int = 500
    min_gap_ms: int = 83
    head_search_s: float = 120.0


@dataclass(frozen=True)
class SpanNote:
    """A stretch of segments the report draws attention to."""

    kind: str  # "low-confidence" | "fallback" | "unaligned"
    segment_ids: tuple[int, ...]
    start_ms: int
    end_ms: int
    reason: str


@dataclass(frozen=True)
class AlignmentReport:
    audio_path: str
    audio_duration_ms: int
    speech_ms: int
    aligned: int
    fallback: int
    unaligned: int
    mean_confidence: float
    notes: tuple[SpanNote, ...] = ()
    messages: tuple[str, ...] = ()  # whole-recording findings (no speech, text longer than audio...)

    @property
    def ok(self) -> bool:
        return self.fallback == 0 and self.unaligned == 0

    def lines(self) -> list[str]:
        total = self.aligned + self.fallback + self.unaligned
        out = [
            f"{self.aligned}/{total} segments aligned, {self.fallback} by fallback timing, "
            f"{self.unaligned} unaligned; mean confidence {self.mean_confidence:.2f}"
        ]
        out += list(self.messages)
        for note in self.notes:
            ids = _id_range(note.segment_ids)
            out.append(f"{note.kind}: segment{'s' if len(note.segment_ids) > 1 else ''} {ids} "
                       f"({_clock(note.start_ms)}-{_clock(note.end_ms)}): {note.reason}")
        return out


@dataclass(frozen=True)
class AlignmentResult:
    segments: tuple[Segment, ...]
    report: AlignmentReport
    audio_duration_ms: int
    step_seconds: dict[str, float] = field(default_factory=dict, compare=False)  # time spent per step


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _id_range(ids: Sequence[int]) -> str:
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]}-{ids[-1]}"


@dataclass
class Placed:
    """Where the matcher put one segment, and how sure it is (``fallback`` decides the rest)."""

    start_ms: int
    end_ms: int
    confidence: float = 0.0
    reason: str = ""
    stretch: float = 1.0
    words: tuple[tuple[int, int], ...] = ()  # (start, end) ms per word, through the warping path
