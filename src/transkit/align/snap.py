"""Put aligned times on the speech itself: starts on speech onsets, ends no later
than ``end_after_speech_ms`` after the speech they belong to, and a minimum gap
between consecutive segments (DESIGN.md section 6).

Works on a per-frame speech mask (``features.speech_mask``) so it is pure and
cheap; all times are integer milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class SpeechMap:
    """Where the recording has speech: sorted, non-overlapping [start, end) ms runs."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    duration_ms: int

    @classmethod
    def from_mask(cls, mask: "np.ndarray", hop_ms: int, window_ms: int, duration_ms: int) -> "SpeechMap":
        from .features import runs

        found = runs(mask, True)
        # A run of frames [a, b) holds speech from about the first window's centre
        # to the last one's.
        starts = tuple(int(a * hop_ms + window_ms // 2) for a, _ in found)
        ends = tuple(min(duration_ms, int((b - 1) * hop_ms + window_ms // 2)) for _, b in found)
        return cls(starts, ends, duration_ms)

    def speech_ms(self) -> int:
        return sum(e - s for s, e in zip(self.starts, self.ends))

    def is_speech(self, ms: int) -> bool:
        from bisect import bisect_right

        i = bisect_right(self.starts, ms) - 1
        return i >= 0 and ms < self.ends[i]

    def nearest_onset(self, ms: int, max_shift_ms: int) -> int | None:
        """The speech onset closest to ``ms`` within ``max_shift_ms``, if any."""
        from bisect import bisect_left

        i = bisect_left(self.starts, ms)
        best = None
        for j in (i - 1, i):
            if 0 <= j < len(self.starts) and abs(self.starts[j] - ms) <= max_shift_ms:
                if best is None or abs(self.starts[j] - ms) < abs(best - ms):
                    best = self.starts[j]
        return best

    def last_speech_before(self, start_ms: int, end_ms: int) -> int | None:
        """End of the last speech inside [start_ms, end_ms), if there is any."""
        from bisect import bisect_left

        i = bisect_left(self.starts, end_ms) - 1
        if i < 0 or self.ends[i] <= start_ms:
            return None
        return min(self.ends[i], end_ms)

    def speech_between(self, start_ms: int, end_ms: int) -> int:
        total = 0
        for s, e in zip(self.starts, self.ends):
            if e <= start_ms:
                continue
            if s >= end_ms:
                break
            total += min(e, end_ms) - max(s, start_ms)
        return total


def snap_start(start_ms: int, speech: SpeechMap, *, max_shift_ms: int = 200) -> int:
    """Move a start onto the nearest speech onset; a start in a pause moves to the
    onset that ends the pause if it is near enough."""
    onset = speech.nearest_onset(start_ms, max_shift_ms)
    return start_ms if onset is None else onset


def snap_end(start_ms: int, end_ms: int, speech: SpeechMap, *, after_speech_ms: int = 500) -> int:
    """Pull an end back to at most ``after_speech_ms`` after the segment's last speech."""
    last = speech.last_speech_before(start_ms, end_ms)
    if last is None:
        return end_ms
    return max(start_ms + 1, min(end_ms, last + after_speech_ms))


def keep_gaps(spans: Sequence[tuple[int, int]], *, min_gap_ms: int, min_duration_ms: int = 1) -> list[tuple[int, int]]:
    """Make spans monotonic and leave ``min_gap_ms`` between one end and the next start,
    shortening the earlier span (never moving a start, which sits on speech)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            start = max(start, out[-1][0] + min_duration_ms + min_gap_ms)
        end = max(end, start + min_duration_ms)
        out.append((start, end))
    for i in range(len(out) - 1):
        start, end = out[i]
        limit = out[i + 1][0] - min_gap_ms
        if end > limit:
            out[i] = (start, max(start + min_duration_ms, limit))
    return out
