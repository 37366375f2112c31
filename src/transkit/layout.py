"""Timed sentences (and their translations) -> the cues of one language.

Each sentence is laid out over its own segment's time span; words never move
across a sentence boundary. The steps:

1. text: the translation for the segment (or its own English), with the
   language's typography;
2. grouping: a sentence too short to be read in the time it can get shares one
   cue with a neighbouring sentence (same speaker: one text; two speakers: a
   dialogue cue, one ``- `` line each);
3. window: the time a unit may use - its speech, extended into the silence
   after it (never closer than ``min_gap_ms`` to the next sentence) and, if
   that is still too short to read, starting up to ``LEAD_IN_MS`` earlier;
4. splitting: a sentence that does not fit one cue (too many characters, or
   longer than ``max_duration_ms``) is split at the cheapest clause/phrase
   boundaries (``linebreak.break_cost``); each piece gets time in proportion to
   its characters;
5. relaxing: a cue still too fast or too short borrows free time around it and
   the slack of the cue before it; what cannot be fixed is left for
   ``transkit check`` to flag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from .linebreak import best_lines, break_lines, gap_costs, lines_for, text_length, words_of
from .model import Cue, Segment, Track
from .profiles import StyleProfile, cue_chars, cue_words, reading_time_ms
from .textsplit import JoinedLengths, cheapest_partition
from .typography import apply_typography

LEAD_IN_MS = 500  # a cue that needs the time may move this much away from its speech
DIALOGUE_DASH = "- "

_CUE_BREAK_WEIGHT = 3.0  # a bad break between cues is worse than between lines
_CUE_BALANCE_WEIGHT = 0.15  # per character away from an even split
_PER_CUE_COST = 10.0  # fewer cues are better, all else equal
_SHORT_PIECE_COST = 40.0  # a piece whose share of time is under the minimum duration
_STUB_PIECE_COST = 10.0  # a piece under a third of the average length ("But of course,")


@dataclass(frozen=True)
class _Unit:
    """What is laid out together: one sentence, or short sentences sharing one cue."""

    segments: tuple[Segment, ...]
    texts: tuple[str, ...]  # one per segment, typography applied

    @property
    def start_ms(self) -> int:
        return self.segments[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.segments[-1].end_ms

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(s.speaker for s in self.segments)

    @property
    def is_dialogue(self) -> bool:
        return len(set(self.speakers)) > 1


@dataclass
class _Draft:
    """A cue being timed; ``speech_start`` is where its words are first spoken."""

    start: int
    end: int
    lines: tuple[str, ...]
    speakers: tuple[str, ...]
    segment_ids: tuple[int, ...]
    speech_start: int

    @property
    def duration(self) -> int:
        return self.end - self.start

    def needed_ms(self, profile: StyleProfile) -> int:
        return reading_time_ms(cue_chars(self.lines), cue_words(self.lines), profile)

    def freeze(self) -> Cue:
        return Cue(self.start, self.end, self.lines, self.speakers, self.segment_ids)


def layout_track(
    segments: Sequence[Segment],
    language: str,
    profile: StyleProfile,
    texts: Mapping[int, str] | None = None,
    *,
    typography: bool = True,
) -> Track:
    """Lay out the cues of ``language``.

    ``texts`` maps a segment id to its translated sentence (``None``: the
    segments' own text). A segment with no text (empty translation) gets no cue.
    Speakers come from the segments, which carry them.
    """
    units = _group_short_sentences(_units_of(segments, language, texts, typography), language, profile)
    drafts: list[_Draft] = []
    for index, unit in enumerate(units):
        next_start = units[index + 1].start_ms if index + 1 < len(units) else None
        previous_end = drafts[-1].end if drafts else None
        drafts.extend(_layout_unit(unit, language, profile, previous_end, next_start))
    _relax(drafts, profile)
    _keep_gaps(drafts, profile)
    _cap_durations(drafts, profile)
    return Track(language, tuple(d.freeze() for d in drafts))


def _units_of(
    segments: Sequence[Segment], language: str, texts: Mapping[int, str] | None, typography: bool
) -> list[_Unit]:
    units = []
    for segment in sorted(segments, key=lambda s: (s.start_ms, s.id)):
        text = segment.text if texts is None else texts.get(segment.id, "")
        text = apply_typography(text, language) if typography else " ".join(text.split())
        if text:
            units.append(_Unit((segment,), (text,)))
    return units


# --- 2. short sentences share a cue -------------------------------------------

def _group_short_sentences(units: list[_Unit], language: str, profile: StyleProfile) -> list[_Unit]:
    """Let a sentence that cannot get its reading time share one cue with its
    neighbours (forward, or with the cue before it), when they fit one cue.
    Of the groupings that fit, the one closest to enough time wins, then the
    shortest text, so a sentence that has its time stays alone."""
    result: list[_Unit] = []
    i = 0
    while i < len(units):
        options = _grouping_options(units, i, result, language, profile)
        _, group, consumed, replaces_last = min(options, key=lambda o: o[0])
        if replaces_last:
            result[-1] = group
        else:
            result.append(group)
        i += consumed
    return result


def _grouping_options(
    units: list[_Unit], i: int, result: list[_Unit], language: str, profile: StyleProfile
) -> list[tuple[tuple[int, int], _Unit, int, bool]]:
    """(rank, group, units consumed, replaces the last group) for unit ``i``."""
    before = result[-1] if result else None

    def option(group: _Unit, consumed: int, replaces_last: bool) -> tuple[tuple[int, int], _Unit, int, bool]:
        previous = (result[-2] if len(result) > 1 else None) if replaces_last else before
        after = units[i + consumed] if i + consumed < len(units) else None
        deficit = _cue_need(group, language, profile) - _room(group, previous, after, profile)
        return (max(deficit, 0), len(" ".join(group.texts))), group, consumed, replaces_last

    alone = option(units[i], 1, False)
    if alone[0][0] == 0:
        return [alone]
    options = [alone]
    group = units[i]
    for consumed in range(2, len(units) - i + 1):
        group = _merged(group, units[i + consumed - 1])
        if _single_cue_lines(group, language, profile) is None:
            break
        options.append(option(group, consumed, False))
    if before is not None:
        merged = _merged(before, units[i])
        if _single_cue_lines(merged, language, profile) is not None:
            options.append(option(merged, 1, True))
    return [o for o in options if o[1].end_ms - o[1].start_ms <= profile.max_duration_ms] or [alone]


def _merged(first: _Unit, second: _Unit) -> _Unit:
    return _Unit(first.segments + second.segments, first.texts + second.texts)


def _cue_need(unit: _Unit, language: str, profile: StyleProfile) -> int:
    """Reading time of ``unit`` as one cue (as plain text when it does not fit one)."""
    lines = _single_cue_lines(unit, language, profile)
    if lines is None:
        text = " ".join(unit.texts)
        return reading_time_ms(len(text), len(words_of(text)), profile)
    return reading_time_ms(cue_chars(lines), cue_words(lines), profile)


def _room(unit: _Unit, before: _Unit | None, after: _Unit | None, profile: StyleProfile) -> int:
    """The most time a unit could get between its neighbours."""
    earliest = max(0, unit.start_ms - LEAD_IN_MS)
    if before is not None:
        earliest = max(earliest, before.end_ms + profile.min_gap_ms)
    latest = after.start_ms - profile.min_gap_ms if after is not None else unit.end_ms + profile.max_duration_ms
    return latest - min(earliest, unit.start_ms)


def _single_cue_lines(unit: _Unit, language: str, profile: StyleProfile) -> tuple[str, ...] | None:
    """The lines of ``unit`` as one cue, or None when it does not fit one cue."""
    if not unit.is_dialogue:
        return best_lines(words_of(" ".join(unit.texts)), language, profile.max_chars_per_line, profile.max_lines)
    turns = _turns(unit)
    if len(turns) > profile.max_lines:
        return None
    lines = tuple(DIALOGUE_DASH + text for _, text in turns)
    return lines if all(len(line) <= profile.max_chars_per_line for line in lines) else None


def _turns(unit: _Unit) -> list[tuple[str, str]]:
    """(speaker, text) with consecutive sentences of one speaker joined."""
    turns: list[tuple[str, str]] = []
    for speaker, text in zip(unit.speakers, unit.texts):
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, turns[-1][1] + " " + text)
        else:
            turns.append((speaker, text))
    return turns


# --- 3. the time window of a unit ---------------------------------------------

def _window(unit: _Unit, need: int, profile: StyleProfile, previous_end: int | None, next_start: int | None) -> tuple[int, int]:
    start, end = unit.start_ms, unit.end_ms
    latest = next_start - profile.min_gap_ms if next_start is not None else max(end, start + need)
    earliest = max(0, start - LEAD_IN_MS)
    if previous_end is not None:
        earliest = max(earliest, previous_end + profile.min_gap_ms)
    end = min(max(end, start + need), latest)
    if end - start < need and earliest < start:
        start = max(earliest, end - need)
    return start, max(end, start + 1)


# --- 4. one unit -> cues ------------------------------------------------------

def _layout_unit(
    unit: _Unit, language: str, profile: StyleProfile, previous_end: int | None, next_start: int | None
) -> list[_Draft]:
    ids = tuple(s.id for s in unit.segments)
    if len(unit.segments) > 1:
        lines = _single_cue_lines(unit, language, profile)
        assert lines is not None  # grouping only merges what fits
        need = reading_time_ms(cue_chars(lines), cue_words(lines), profile)
        start, end = _window(unit, need, profile, previous_end, next_start)
        speakers = tuple(t[0] for t in _turns(unit)) if unit.is_dialogue else (unit.speakers[0],) * len(lines)
        return [_Draft(start, end, lines, speakers, ids, unit.start_ms)]

    words = words_of(unit.texts[0])
    speaker = unit.speakers[0]
    pieces = split_sentence(words, language, profile, unit.end_ms - unit.start_ms)
    start, end = _window(unit, _pieces_need(pieces, profile), profile, previous_end, next_start)
    if end - start > len(pieces) * profile.max_duration_ms:
        pieces = split_sentence(words, language, profile, end - start)
    drafts = []
    for (piece_start, piece_end), piece in zip(_share_time(start, end, pieces, profile), pieces):
        lines = break_lines(" ".join(piece), language, profile.max_chars_per_line, profile.max_lines)
        drafts.append(_Draft(piece_start, piece_end, lines, (speaker,) * len(lines), ids, max(piece_start, unit.start_ms)))
    return drafts


def _pieces_need(pieces: list[tuple[str, ...]], profile: StyleProfile) -> int:
    needs = [reading_time_ms(text_length(p), len(p), profile) for p in pieces]
    return sum(needs) + profile.min_gap_ms * (len(pieces) - 1)


def split_sentence(
    words: Sequence[str], language: str, profile: StyleProfile, span_ms: int
) -> list[tuple[str, ...]]:
    """Split a sentence into the pieces that become its cues.

    The fewest pieces that each fit ``max_lines`` x ``max_chars_per_line`` and,
    timed in proportion to their characters over ``span_ms``, stay within
    ``max_duration_ms``; among those, the cheapest boundaries (clause and
    phrase breaks) with roughly even pieces. A piece too long for any cue
    (a single over-long word) is kept whole for the check to flag.
    """
    words = tuple(words)
    if not words:
        return []
    sentence = _Sentence(words, gap_costs(words, language), profile)
    span_ms = min(span_ms, len(words) * profile.max_duration_ms)  # a slow word is still one cue
    capacity = profile.max_lines * profile.max_chars_per_line
    fewest = max(1, math.ceil(sentence.length(0, len(words)) / capacity), math.ceil(span_ms / profile.max_duration_ms))
    best: tuple[float, list[tuple[str, ...]]] | None = None
    for count in range(fewest, min(fewest + 3, len(words)) + 1):
        found = _cheapest_pieces(sentence, count, profile, span_ms)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        return _fallback_pieces(words, profile)
    return best[1]


class _Sentence:
    """A sentence's words with what the piece search asks of them again and again."""

    def __init__(self, words: tuple[str, ...], costs: tuple[float, ...], profile: StyleProfile) -> None:
        self.words = words
        self.costs = costs
        self.profile = profile
        self.lengths = JoinedLengths(words)
        self._line_costs: dict[tuple[int, int], float | None] = {}

    def length(self, i: int, j: int) -> int:
        """Characters of ``words[i:j]`` joined by spaces."""
        return self.lengths(i, j)

    def line_cost(self, i: int, j: int) -> float | None:
        """Cost of breaking ``words[i:j]`` into the cue's lines; None when it does not fit."""
        key = (i, j)
        if key not in self._line_costs:
            found = lines_for(
                self.words[i:j], self.costs[i : j - 1], self.profile.max_chars_per_line, self.profile.max_lines
            )
            self._line_costs[key] = None if found is None else found[1]
        return self._line_costs[key]


def _cheapest_pieces(
    sentence: _Sentence, count: int, profile: StyleProfile, span_ms: int
) -> tuple[float, list[tuple[str, ...]]] | None:
    """The cheapest split into exactly ``count`` pieces (``textsplit.cheapest_partition``)."""
    words, n = sentence.words, len(sentence.words)
    total = sentence.length(0, n)
    capacity = profile.max_lines * profile.max_chars_per_line
    usable = max(span_ms - profile.min_gap_ms * (count - 1), 1)
    target = total / count

    def piece_cost(i: int, j: int) -> float | None:
        line_cost = sentence.line_cost(i, j)
        length = sentence.lengths(i, j)
        share = usable * length / total
        if line_cost is None or share > profile.max_duration_ms:
            return None
        cost = line_cost + _CUE_BALANCE_WEIGHT * abs(length - target)
        if share < profile.min_duration_ms and count > 1:
            cost += _SHORT_PIECE_COST
        if length < target / 3:
            cost += _STUB_PIECE_COST
        if j < n:
            cost += _CUE_BREAK_WEIGHT * sentence.costs[j - 1]
        return cost

    found = cheapest_partition(sentence.lengths, count, capacity, piece_cost)
    if found is None:
        return None
    cost, bounds = found
    pieces = [words[a:b] for a, b in zip(bounds, bounds[1:])]
    return cost + _PER_CUE_COST * count, pieces


def _fallback_pieces(words: tuple[str, ...], profile: StyleProfile) -> list[tuple[str, ...]]:
    """Greedy fill when no split fits (a word longer than a line): nothing is lost."""
    capacity = profile.max_lines * profile.max_chars_per_line
    pieces: list[tuple[str, ...]] = []
    current: list[str] = []
    for word in words:
        if current and text_length([*current, word]) > capacity:
            pieces.append(tuple(current))
            current = []
        current.append(word)
    if current:
        pieces.append(tuple(current))
    return pieces


def _share_time(start: int, end: int, pieces: list[tuple[str, ...]], profile: StyleProfile) -> list[tuple[int, int]]:
    """Consecutive (start, end) per piece, in proportion to characters, with
    ``min_gap_ms`` between them and, where the time allows, the minimum duration each."""
    gap = profile.min_gap_ms
    usable = max(end - start - gap * (len(pieces) - 1), len(pieces))
    durations = _proportional([text_length(p) for p in pieces], usable, profile.min_duration_ms)
    spans = []
    t = start
    for duration in durations:
        spans.append((t, t + duration))
        t += duration + gap
    return spans


def _proportional(weights: list[int], total: int, floor: int) -> list[int]:
    """Split ``total`` ms in proportion to ``weights``, raising small shares to
    ``floor`` (taken from the others) when ``total`` allows it. Sums to ``total``."""
    if floor * len(weights) > total:
        floor = 0
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        remaining = total - sum(fixed.values())
        weight = sum(weights[i] for i in free) or 1
        shares = {i: remaining * weights[i] / weight for i in free}
        short = [i for i in free if shares[i] < floor]
        if not short:
            break
        for i in short:
            fixed[i] = floor
    exact = {**{i: float(v) for i, v in fixed.items()}, **shares}
    result, carried = [], 0.0
    for i in range(len(weights)):
        carried += exact[i]
        result.append(round(carried) - sum(result))
    return result


# --- 5. relax what is still too fast or too short ------------------------------

_CASCADE_DEPTH = 3  # how many neighbours a cue may push to win time


def _relax(drafts: list[_Draft], profile: StyleProfile) -> None:
    """Give a cue that is too fast or too short the time it needs: first free
    time (silence) after and before it, then the slack of its neighbours, which
    move at most ``LEAD_IN_MS`` away from their speech."""
    for i, draft in enumerate(drafts):
        for use_slack in (False, True):
            deficit = draft.needed_ms(profile) - draft.duration
            if deficit > 0:
                deficit -= _extend_right(drafts, i, deficit, profile, use_slack, _CASCADE_DEPTH)
            if deficit > 0:
                _extend_left(drafts, i, deficit, profile, use_slack, _CASCADE_DEPTH)


def _slack(draft: _Draft, profile: StyleProfile) -> int:
    return max(0, draft.duration - draft.needed_ms(profile))


def _extend_right(drafts: list[_Draft], i: int, want: int, profile: StyleProfile, use_slack: bool, depth: int) -> int:
    """Move cue ``i``'s end later by up to ``want`` ms; returns how much it moved."""
    cue = drafts[i]
    want = min(want, profile.max_duration_ms - cue.duration)
    if want <= 0:
        return 0
    if i + 1 == len(drafts):
        cue.end += want
        return want
    after = drafts[i + 1]
    take = min(want, max(0, after.start - profile.min_gap_ms - cue.end))
    rest = min(want - take, max(0, after.speech_start + LEAD_IN_MS - after.start))
    if use_slack and rest > 0:
        shift = min(rest, _slack(after, profile))
        if rest > shift and depth > 0:
            shift += _extend_right(drafts, i + 1, rest - shift, profile, use_slack, depth - 1)
        after.start += shift
        take += shift
    cue.end += take
    return take


def _extend_left(drafts: list[_Draft], i: int, want: int, profile: StyleProfile, use_slack: bool, depth: int) -> int:
    """Move cue ``i``'s start earlier by up to ``want`` ms; returns how much it moved."""
    cue = drafts[i]
    want = min(want, profile.max_duration_ms - cue.duration, cue.start - (cue.speech_start - LEAD_IN_MS), cue.start)
    if want <= 0:
        return 0
    if i == 0:
        cue.start -= want
        return want
    before = drafts[i - 1]
    take = min(want, max(0, cue.start - profile.min_gap_ms - before.end))
    rest = want - take
    if use_slack and rest > 0:
        shrink = min(rest, _slack(before, profile))
        if rest > shrink and depth > 0:
            shrink += _extend_left(drafts, i - 1, rest - shrink, profile, use_slack, depth - 1)
        before.end -= shrink
        take += shrink
    cue.start -= take
    return take


def _cap_durations(drafts: list[_Draft], profile: StyleProfile) -> None:
    """A cue over the speech of a very slow sentence leaves the screen after ``max_duration_ms``."""
    for draft in drafts:
        draft.end = min(draft.end, draft.start + profile.max_duration_ms)


def _keep_gaps(drafts: list[_Draft], profile: StyleProfile) -> None:
    """No overlaps and at least ``min_gap_ms`` between cues: the earlier cue ends sooner."""
    for previous, draft in zip(drafts, drafts[1:]):
        limit = draft.start - profile.min_gap_ms
        if previous.end > limit and limit > previous.start:
            previous.end = limit
