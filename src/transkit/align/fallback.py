"""From placed-and-scored segments to final ones: keep the confident alignments
(snapped to speech), re-time the doubtful ones from speech/non-speech detection
and the speech-rate estimate, mark text that is not in the recording as
unaligned, and say per span what happened and why.

Fallback timing for a run of doubtful segments: the time between the confident
neighbours is reduced to its speech (pauses removed) and shared out in
proportion to each segment's estimated speaking time (the duration the
speech-rate model gave it), then each start is put on the nearest speech onset.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from ..model import Segment
from .snap import SpeechMap, keep_gaps, snap_end, snap_start
from .types import AlignOptions, Placed, SpanNote


EDGE_MARGIN_MS = 100


def retime(
    segments: Sequence[Segment],
    placed: Mapping[int, Placed],
    speech: SpeechMap,
    duration_ms: int,
    options: AlignOptions,
) -> tuple[list[Segment], list[SpanNote], list[str]]:

    n = len(segments)
    kind: list[str] = []
    reasons: list[str] = []
    for i, seg in enumerate(segments):
        item = placed.get(i)
        if item is None:
            kind.append("unaligned")
            reasons.append("nothing to pronounce" if not any(c.isalnum() for c in seg.text) else "no speech in the recording")
        elif item.confidence >= options.min_confidence or _trusted_by_neighbours(i, placed, options):
            kind.append("aligned")
            reasons.append(item.reason)
        elif item.reason.startswith("squeezed") or (item.confidence < 0.25 and item.stretch < 0.6):
            kind.append("unaligned")
            reasons.append(item.reason if item.reason.startswith("squeezed") else
                           f"{item.reason}, in {item.stretch:.1f}x the expected time: probably not spoken")
        else:
            kind.append("fallback")
            reasons.append(item.reason or f"low confidence {item.confidence:.2f}")

    spans: list[tuple[int, int] | None] = [None] * n
    for i in range(n):
        if kind[i] == "aligned":
            item = placed[i]
            start = snap_start(item.start_ms, speech, max_shift_ms=options.snap_ms)
            spans[i] = (start, max(start + 1, item.end_ms))

    messages: list[str] = []
    i = 0
    while i < n:
        if kind[i] != "fallback":
            i += 1
            continue
        j = i
        while j < n and kind[j] != "aligned":
            j += 1
        members = [k for k in range(i, j) if kind[k] == "fallback"]
        lo = _previous_end(spans, i) + options.min_gap_ms
        hi = _next_start(spans, j, duration_ms) - options.min_gap_ms
        # Before the first or after the last confident segment, the warping path still
        # tells where the text begins or ends: what lies outside it (music, a jingle,
        # chatter after the interview) is not shared out to the text.
        if all(kind[k] != "aligned" for k in range(i)) and members:
            lo = max(lo, placed[members[0]].start_ms - EDGE_MARGIN_MS)
        if all(kind[k] != "aligned" for k in range(j, n)) and members:
            hi = min(hi, placed[members[-1]].end_ms + EDGE_MARGIN_MS)
        shared = _share_speech(members, segments, speech, lo, hi)
        for k in members:
            if shared.get(k) is None:
                kind[k] = "unaligned"
                reasons[k] = "no speech left for it between its aligned neighbours"
            else:
                kind[k] = "fallback"
                spans[k] = shared[k]
                reasons[k] = f"{reasons[k]}; timed from speech detection and speaking rate"
        i = j

    # Unaligned segments get no time of their own: a zero-length span where they stand.
    for i in range(n):
        if spans[i] is None:
            at = min(max(_previous_end(spans, i), 0), duration_ms)
            spans[i] = (at, at)

    timed = [k for k in range(n) if kind[k] != "unaligned"]
    ends = {}
    for number, k in enumerate(timed):
        start, end = spans[k]  # type: ignore[misc]
        following = spans[timed[number + 1]][0] if number + 1 < len(timed) else duration_ms  # type: ignore[index]
        if k + 1 < n and kind[k + 1] == "unaligned":
            # the time the unspoken text was given goes back to the speech before it
            end = max(end, min(following, (speech.last_speech_before(start, following) or end) + 1))
        ends[k] = snap_end(start, end, speech, after_speech_ms=options.end_after_speech_ms)
    fixed = keep_gaps([(spans[k][0], ends[k]) for k in timed], min_gap_ms=options.min_gap_ms)  # type: ignore[index]
    for k, span in zip(timed, fixed):
        spans[k] = (min(span[0], duration_ms), min(span[1], duration_ms))
    _repair_unaligned_positions(spans, kind)

    out: list[Segment] = []
    for i, seg in enumerate(segments):
        start, end = spans[i]  # type: ignore[misc]
        item = placed.get(i)
        confidence = 0.0 if kind[i] == "unaligned" or item is None else float(item.confidence)
        out.append(replace(seg, start_ms=int(start), end_ms=int(end), timing=kind[i], confidence=round(confidence, 3)))

    notes = _notes(out, kind, reasons, placed, options)
    aligned = kind.count("aligned")
    if n and aligned == 0 and speech.speech_ms() > 0:
        messages.append("no segment could be aligned with confidence: is this the right recording for this text?")
    if n and kind[-1] == "unaligned" and placed and sum(1 for k in kind if k == "unaligned") > 1:
        tail = 0
        for k in reversed(kind):
            if k != "unaligned":
                break
            tail += 1
        if tail > 1:
            messages.append(f"the last {tail} segments were not found: the recording may end before the text does")
    return out, notes, messages


def _trusted_by_neighbours(i: int, placed, options) -> bool:
    """A lone doubtful segment between two confident ones keeps its aligned time: the
    warping path is continuous, so confident neighbours pin it (it is still listed
    as low-confidence). Text squeezed into no time is never kept."""
    item = placed[i]
    if item.reason.startswith("squeezed") or item.confidence < 0.25:
        return False
    good = options.min_confidence + 0.2
    before, after = placed.get(i - 1), placed.get(i + 1)
    return bool(before and after and before.confidence >= good and after.confidence >= good)


def _previous_end(spans, i: int) -> int:
    for k in range(i - 1, -1, -1):
        if spans[k] is not None:
            return spans[k][1]
    return 0


def _next_start(spans, j: int, duration_ms: int) -> int:
    for k in range(j, len(spans)):
        if spans[k] is not None:
            return spans[k][0]
    return duration_ms


def _share_speech(members: list[int], segments: Sequence[Segment], speech: SpeechMap, lo: int, hi: int) -> dict[int, tuple[int, int] | None]:
    """Share the speech between ``lo`` and ``hi`` among ``members`` by estimated length."""
    runs = [(max(s, lo), min(e, hi)) for s, e in zip(speech.starts, speech.ends) if e > lo and s < hi]
    total = sum(e - s for s, e in runs)
    if not members:
        return {}
    if total < 200 * len(members) ** 0.5:
        return {k: None for k in members}
    weights = [max(1, segments[k].end_ms - segments[k].start_ms) or len(segments[k].text) for k in members]
    scale = total / sum(weights)

    def clock(offset: float) -> int:
        """Speech time ``offset`` (ms into the speech of the interval) -> recording time."""
        for s, e in runs:
            if offset <= e - s:
                return int(s + offset)
            offset -= e - s
        return runs[-1][1]

    out: dict[int, tuple[int, int] | None] = {}
    done = 0.0
    for k, weight in zip(members, weights):
        start = clock(done)
        done += weight * scale
        end = clock(done)
        start = snap_start(start, speech, max_shift_ms=300)
        out[k] = (max(lo, start), max(max(lo, start) + 1, end))
    return out


def _repair_unaligned_positions(spans, kind) -> None:
    """Keep zero-length unaligned spans inside the order of their neighbours."""
    last = 0
    for i in range(len(spans)):
        start, end = spans[i]
        if kind[i] == "unaligned":
            spans[i] = (last, last)
        else:
            last = end


def _notes(out: list[Segment], kind, reasons, placed, options) -> list[SpanNote]:

    notes: list[SpanNote] = []
    i = 0
    n = len(out)
    while i < n:
        label = kind[i]
        if label == "aligned":
            confidence = out[i].confidence or 0.0
            if confidence >= min(1.0, options.min_confidence + 0.15):
                i += 1
                continue
            label = "low-confidence"
        j = i + 1
        while j < n and _label(kind[j], out[j], options) == label and reasons[j] == reasons[i]:
            j += 1
        reason = reasons[i] or f"confidence {out[i].confidence:.2f}"
        notes.append(SpanNote(label, tuple(s.id for s in out[i:j]), out[i].start_ms, out[j - 1].end_ms, reason))
        i = j
    return notes


def _label(kind: str, seg: Segment, options) -> str:
    if kind == "aligned" and (seg.confidence or 0.0) < min(1.0, options.min_confidence + 0.15):
        return "low-confidence"
    return kind
