"""A sentence's translation -> the cues the source sentence occupies.

Sentences are translated whole; this module puts each translation back over
exactly the stretches of cues (``Piece``s) that held the source sentence, so
the output has the input's cue grid: one cue per input cue, the same times.

``distribute_words`` cuts the translated words into as many pieces as the
source had, at word boundaries: each piece's length follows the source piece's
share of the sentence's characters, breaks fall where ``linebreak.break_cost``
says a break is cheap (after punctuation, before a conjunction), and a piece is
kept within its cue's room (line length x lines of the target profile) where it
can be. Every piece gets at least one word; if the translation has fewer words
than the source had pieces, the pieces left over show an ellipsis rather than
nothing.

``kept_cues`` assembles each cue: its parts in order (a dialogue cue keeps one
part per line, each with its dash), each part's text broken into lines with
``linebreak.break_lines`` under the target profile's limits. Cues no sentence
reached (zero length, no text) are kept as the file has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .linebreak import FORBIDDEN, break_lines, gap_costs, words_of
from .model import Cue, CueGrid, Segment, Track
from .profiles import StyleProfile
from .typography import apply_typography, base_language

ELLIPSIS = "…"
_BALANCE = 1.0  # cost per character away from the source's share
_OVERFLOW = 8.0  # cost per character beyond the cue's room
_WINDOW = 80  # the most words one piece is given
_SLACK = 6  # characters of a cue's room kept free per line break (breaks rarely fall at the exact middle)


def distribute_words(
    text: str,
    shares: Sequence[int],
    language: str,
    capacities: Sequence[int] | None = None,
) -> list[str]:
    """Cut ``text`` into ``len(shares)`` pieces at word boundaries, each about its share."""
    count = len(shares)
    if count == 0:
        return []
    words, joiner, gaps = _tokens(text, language)
    if count == 1:
        return [joiner.join(words).strip() or ELLIPSIS]
    if len(words) < count:
        return _too_few_words([w.strip() for w in words], shares)
    n = len(words)
    prefix = [0]
    for word in words:
        prefix.append(prefix[-1] + len(word))
    total_share = sum(max(s, 1) for s in shares)
    total = prefix[n] + (n - 1) * len(joiner)
    targets = [max(s, 1) / total_share * total for s in shares]
    caps = list(capacities) if capacities is not None else [10**9] * count

    def length(a: int, b: int) -> int:
        return prefix[b] - prefix[a] + (b - a - 1) * len(joiner)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for piece in range(1, count + 1):
        last = piece == count
        lowest_end = n if last else piece
        highest_end = n if last else n - (count - piece)
        for end in range(lowest_end, highest_end + 1):
            for begin in range(end - 1, max(piece - 2, end - _WINDOW - 1), -1):
                before = best[piece - 1][begin]
                if before == inf:
                    continue
                size = length(begin, end)
                cost = before + _BALANCE * abs(size - targets[piece - 1])
                cost += _OVERFLOW * max(0, size - caps[piece - 1])
                if end < n:
                    cost += min(gaps[end - 1], FORBIDDEN)
                if cost < best[piece][end]:
                    best[piece][end], back[piece][end] = cost, begin
    bounds = [n]
    for piece in range(count, 0, -1):
        bounds.append(back[piece][bounds[-1]])
    bounds.reverse()
    return [joiner.join(words[a:b]).strip() for a, b in zip(bounds, bounds[1:])]


# Scripts written without spaces between words: a translation into them is cut
# between characters (a run of Latin letters or digits stays whole), cheapest
# after punctuation.
_UNSPACED = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
_UNSPACED_TOKEN = re.compile(r"\s*(?:[0-9A-Za-zÀ-ɏ'’.-]+|\S)")
_FULL_STOPS = "。！？!?….．"
_PAUSES = "，、；：,;:）」』)"


def _tokens(text: str, language: str) -> tuple[list[str], str, tuple[float, ...]]:
    """The units a translation may be cut between, what joins them, and the cost of each cut."""
    if base_language(language) not in _UNSPACED:
        words = words_of(text)
        return words, " ", gap_costs(words, language)
    tokens = _UNSPACED_TOKEN.findall(text.strip())
    costs = tuple(
        0.0 if token.rstrip()[-1:] in _FULL_STOPS else 1.0 if token.rstrip()[-1:] in _PAUSES else 10.0
        for token in tokens[:-1]
    )
    return tokens, "", costs


def _too_few_words(words: list[str], shares: Sequence[int]) -> list[str]:
    """Each word to the piece holding the same place in the source; the rest an ellipsis."""
    out = [ELLIPSIS] * len(shares)
    total = sum(max(s, 1) for s in shares)
    middles, running = [], 0
    for share in shares:
        middles.append((running + max(share, 1) / 2) / total)
        running += max(share, 1)
    taken: set[int] = set()
    for index, _word in enumerate(words):
        place = (index + 0.5) / len(words)
        free = [p for p in range(len(shares)) if p not in taken]
        choice = min(free, key=lambda p: (abs(middles[p] - place), p))
        taken.add(choice)
    for word, piece in zip(words, sorted(taken)):
        out[piece] = word
    return out


# --- whole cues ---------------------------------------------------------------------


@dataclass(frozen=True)
class PartOut:
    """One part of a translated cue: its dash, its lines, and where each source
    piece's words are in ``"\\n".join(lines)`` (``fragments``, with the source
    offsets they came from in ``sources``)."""

    lead: str
    lines: tuple[str, ...]
    fragments: tuple[tuple[int, int], ...]
    sources: tuple[tuple[int, int], ...]
    speaker: str


@dataclass(frozen=True)
class CueOut:
    """A cue as one language shows it; ``parts`` None: as the file has it."""

    parts: tuple[PartOut, ...] | None
    segment_ids: tuple[int, ...] = ()


def kept_cues(
    grid: CueGrid,
    segments: Sequence[Segment],
    texts: Mapping[int, str] | None,
    language: str,
    profile: StyleProfile,
) -> tuple[CueOut, ...]:
    """Every cue of ``grid`` in ``language``; ``texts`` None: the source's own cues."""
    if texts is None:
        return tuple(CueOut(None) for _ in grid.cues)
    by_segment: dict[int, list[int]] = {}
    for index, piece in enumerate(grid.pieces):
        by_segment.setdefault(piece.segment_id, []).append(index)
    piece_text: dict[int, str] = {}
    for segment in segments:
        indices = by_segment.get(segment.id, [])
        if not indices:
            continue
        translated = apply_typography(texts.get(segment.id, "") or "", language) or segment.text
        shares, caps = [], []
        for index in indices:
            piece = grid.pieces[index]
            cue = grid.cues[piece.cue]
            source = _chars(cue.text[piece.start : piece.end])
            part = cue.parts[piece.part]
            part_chars = _chars(cue.text[part.start : part.end]) or 1
            shares.append(source)
            lines = _lines_per_part(len(cue.parts), profile)
            room = profile.max_chars_per_line * lines - _SLACK * (lines - 1)
            caps.append(max(1, round(room * source / part_chars)))
        for index, words in zip(indices, distribute_words(translated, shares, language, caps)):
            piece_text[index] = words
    by_part: dict[tuple[int, int], list[int]] = {}
    for index, piece in enumerate(grid.pieces):
        by_part.setdefault((piece.cue, piece.part), []).append(index)
    outs: list[CueOut] = []
    for c, cue in enumerate(grid.cues):
        if not any((c, p) in by_part for p in range(len(cue.parts))):
            outs.append(CueOut(None))
            continue
        parts: list[PartOut] = []
        ids: list[int] = []
        allowed = _lines_per_part(len(cue.parts), profile)
        for p, part in enumerate(cue.parts):
            indices = sorted(by_part.get((c, p), []), key=lambda i: grid.pieces[i].start)
            fragments = [piece_text.get(i, "") for i in indices]
            joined = " ".join(f for f in fragments if f)
            lines = break_lines(joined, language, profile.max_chars_per_line, allowed) if joined else ()
            spans, at = [], 0
            for fragment in fragments:
                spans.append((at, at + len(fragment)))
                at += len(fragment) + (1 if fragment else 0)
            sources = tuple((grid.pieces[i].start, grid.pieces[i].end) for i in indices)
            parts.append(PartOut(part.lead, tuple(lines), tuple(spans), sources, part.speaker))
            ids += [grid.pieces[i].segment_id for i in indices if grid.pieces[i].segment_id not in ids]
        outs.append(CueOut(tuple(parts), tuple(ids)))
    return tuple(outs)


def _chars(text: str) -> int:
    """Characters of ``text`` with white space collapsed, as a viewer reads it."""
    return len(" ".join(text.split()))


def _lines_per_part(parts: int, profile: StyleProfile) -> int:
    return max(1, profile.max_lines // max(parts, 1))


def kept_track(grid: CueGrid, outs: Sequence[CueOut], language: str) -> Track:
    """The plain cues (no markup) of a kept grid, for every other exporter and the check."""
    cues = []
    for cue, out in zip(grid.cues, outs):
        if out.parts is None:
            lines = tuple(line.strip() for line in cue.text.split("\n") if line.strip())
            speakers = tuple(_speaker_of_line(cue, n) for n, line in enumerate(cue.text.split("\n")) if line.strip())
            cues.append(Cue(cue.start_ms, cue.end_ms, lines, speakers))
            continue
        lines, speakers = [], []
        for part in out.parts:
            for n, line in enumerate(part.lines or ("",)):
                text = (part.lead.strip() + " " if part.lead and n == 0 else "") + line
                if text.strip():
                    lines.append(text.strip())
                    speakers.append(part.speaker)
        cues.append(Cue(cue.start_ms, cue.end_ms, tuple(lines), tuple(speakers), out.segment_ids))
    return Track(language, tuple(cues))


def _speaker_of_line(cue, number: int) -> str:
    start = sum(len(line) + 1 for line in cue.text.split("\n")[:number])
    speaker = ""
    for part in cue.parts:
        if part.start - len(part.lead) <= start:
            speaker = part.speaker
    return speaker
