"""Where subtitle text may be broken: into the lines of a cue, and a sentence into cues.

Every gap between two words gets a cost (``break_cost``): low after punctuation
and before conjunctions or prepositions, high inside a phrase that should stay
together (article + noun, adjective + noun, first + last name, auxiliary + verb),
and ``FORBIDDEN`` where a language's rules say never (Russian one-letter words
stay with the next word, particles with the previous one). The word classes of
each language are data, in ``breakrules``. ``break_lines`` picks the cheapest
split of a cue into lines, favouring balanced lines.

Words are separated by ordinary white space only: a no-break space (U+00A0,
U+202F) joins the words around it, and counts as one character like any other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .breakrules import BreakRules, rules_for
from .textsplit import JoinedLengths, cheapest_partition
from .typography import base_language

FORBIDDEN = 1000.0

_BREAKABLE_SPACE = re.compile(r"[ \t\r\n]+")
_EDGE_PUNCTUATION = "\"'«»„“”‚‘’()[]{}¿¡"
_SENTENCE_END = (".", "!", "?", "…")
_CLAUSE_END = (";", ":", "—", "–")
_CLOSERS = "»”’\")]"
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "u.s.", "u.k.", "u.n.", "e.g.", "i.e.", "no.", "vs."})


def words_of(text: str) -> list[str]:
    """Split on breakable white space only (no-break spaces stay inside words)."""
    return [w for w in _BREAKABLE_SPACE.split(text.strip()) if w]


def text_length(words: list[str] | tuple[str, ...]) -> int:
    """Characters of the words joined by single spaces."""
    return sum(len(w) for w in words) + max(len(words) - 1, 0)


def _bare(word: str) -> str:
    """The word itself: lower case, without quotes, brackets or punctuation around it."""
    return word.strip(_EDGE_PUNCTUATION + ".,;:!?\u2026").lower()


def _ends_with_punctuation(word: str) -> str:
    """The punctuation class the word ends with: 'sentence', 'clause', 'comma' or ''."""
    core = word.rstrip(_CLOSERS)
    if not core or core.lower() in _ABBREVIATIONS:
        return ""
    if core.endswith(_SENTENCE_END):
        return "sentence"
    if core.endswith(_CLAUSE_END) or word in ("—", "–"):
        return "clause"
    if core.endswith(","):
        return "comma"
    return ""


def _is_adjective(bare: str, rules: BreakRules) -> bool:
    if bare in rules.adjectives:
        return True
    return bool(rules.adjective_suffixes) and len(bare) > 4 and bare.endswith(rules.adjective_suffixes)


def _is_capitalised(word: str) -> bool:
    core = word.lstrip(_EDGE_PUNCTUATION)
    return bool(core) and core[0].isupper()


def _is_function_word(bare: str, rules: BreakRules) -> bool:
    return bare in rules.prepositions or bare in rules.conjunctions or bare in rules.articles


def break_cost(left: str, right: str, rules: BreakRules) -> float:
    """Cost of breaking (a line or a cue) between the adjacent words ``left`` and ``right``."""
    glued = _glue_cost(left, right, rules)
    if glued:
        return glued
    punctuation = _ends_with_punctuation(left)
    if punctuation == "sentence":
        return 0.0
    if punctuation == "clause":
        return 0.5
    if punctuation == "comma":
        return 1.0
    return _phrase_cost(left, right, rules)


def _glue_cost(left: str, right: str, rules: BreakRules) -> float:
    """FORBIDDEN (or close) where words must stay together whatever the punctuation."""
    l_bare, r_bare = _bare(left), _bare(right)
    ends_clean = left[-1:].isalpha()
    if ends_clean and (l_bare in rules.glue_next or (rules.glue_all_one_letter and len(l_bare) == 1 and l_bare.isalpha())):
        return FORBIDDEN
    if r_bare in rules.glue_previous and right[:1].isalpha():
        return FORBIDDEN
    if right in ("—", "–", "-") or right.startswith(("—", "–")):
        return 40.0  # a line starting with a dash reads as a change of speaker
    return 0.0


def _phrase_cost(left: str, right: str, rules: BreakRules) -> float:
    l_bare, r_bare = _bare(left), _bare(right)
    if l_bare in rules.articles:
        return 60.0
    if rules.capitalised_names and _is_capitalised(left) and _is_capitalised(right) and _has_letters(l_bare):
        return 50.0
    if l_bare in rules.auxiliaries:
        return 25.0
    if l_bare in rules.subjects and r_bare not in rules.conjunctions and r_bare not in rules.prepositions:
        return 20.0
    if r_bare == "as" and l_bare in ("long", "soon", "well", "far", "much", "many"):
        return 20.0  # "as long as"
    if l_bare in rules.adverbs:
        return 14.0
    if _modifies_next(left, l_bare, r_bare, rules):
        return 20.0
    if l_bare in rules.prepositions:
        return 15.0
    if l_bare in rules.conjunctions:
        return 13.0
    if r_bare in rules.conjunctions:
        return 5.0
    if r_bare in rules.prepositions:
        return 6.0
    if r_bare in rules.auxiliaries:
        return 7.0  # subject | predicate
    return 10.0


def _has_letters(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


def _modifies_next(left: str, l_bare: str, r_bare: str, rules: BreakRules) -> bool:
    """Approximately: a number, adjective or acronym in front of the noun it qualifies
    ("70 years", "military force", "NATO territory")."""
    if not r_bare.isalpha() or _is_function_word(r_bare, rules) or r_bare in rules.auxiliaries or r_bare in rules.adverbs:
        return False
    core = left.strip(_EDGE_PUNCTUATION)
    if l_bare[:1].isdigit():
        return True
    if len(core) >= 2 and core.isupper() and core.isalpha() and r_bare == r_bare.lower():
        return True
    return _is_adjective(l_bare, rules)


# --- lines of one cue -----------------------------------------------------

_BALANCE_WEIGHT = 0.2  # cost per character of difference between line lengths
_TOP_HEAVY_WEIGHT = 0.1  # extra cost per character when the top line is the longer


def gap_costs(words: list[str] | tuple[str, ...], language: str) -> tuple[float, ...]:
    """``costs[i]`` is the cost of a break between ``words[i]`` and ``words[i + 1]``."""
    rules = rules_for(language)
    return tuple(break_cost(a, b, rules) for a, b in zip(words, words[1:]))


def best_lines(
    words: list[str] | tuple[str, ...], language: str, max_chars: int, max_lines: int
) -> tuple[str, ...] | None:
    """The cheapest split of ``words`` into at most ``max_lines`` lines of at most
    ``max_chars`` characters; one line whenever it fits. ``None`` when nothing fits."""
    found = best_lines_and_cost(words, language, max_chars, max_lines)
    return None if found is None else found[0]


def best_lines_and_cost(
    words: list[str] | tuple[str, ...], language: str, max_chars: int, max_lines: int
) -> tuple[tuple[str, ...], float] | None:
    """Like ``best_lines``, with the cost of the chosen breaks (0 for one line)."""
    return _best_lines_cached(tuple(words), base_language(language), max_chars, max_lines)


@lru_cache(maxsize=8192)
def _best_lines_cached(
    words: tuple[str, ...], language: str, max_chars: int, max_lines: int
) -> tuple[tuple[str, ...], float] | None:
    if text_length(words) <= max_chars:
        return (" ".join(words),) if words else (), 0.0
    return lines_for(words, gap_costs(words, language), max_chars, max_lines)


def lines_for(
    words: tuple[str, ...], costs: tuple[float, ...], max_chars: int, max_lines: int
) -> tuple[tuple[str, ...], float] | None:
    """``best_lines_and_cost`` with the gap costs already known (``costs[i]`` is
    the cost of a break after ``words[i]``), for callers that try many spans."""
    if text_length(words) <= max_chars:
        return (" ".join(words),) if words else (), 0.0
    fallback = None
    for count in range(2, max_lines + 1):
        best = _cheapest_split(words, costs, count, max_chars)
        if best is not None and best[1] < FORBIDDEN:
            return best  # the fewest lines that need no forbidden break
        if best is not None and (fallback is None or best[1] < fallback[1]):
            fallback = best
    return fallback


def _cheapest_split(
    words: tuple[str, ...], costs: tuple[float, ...], count: int, max_chars: int
) -> tuple[tuple[str, ...], float] | None:
    """The cheapest split into exactly ``count`` lines of at most ``max_chars``."""
    if count * max_chars < text_length(words) or count > len(words):
        return None
    if count == 2:
        return _cheapest_two_lines(words, costs, max_chars)
    return _cheapest_many_lines(words, costs, count, max_chars)


def _cheapest_two_lines(
    words: tuple[str, ...], costs: tuple[float, ...], max_chars: int
) -> tuple[tuple[str, ...], float] | None:
    best_cost, best_cut = float("inf"), 0
    total = text_length(words)
    upper = -1  # characters of words[:cut] joined by spaces, kept as the cut moves right
    for cut in range(1, len(words)):
        upper += len(words[cut - 1]) + 1
        lower = total - upper - 1
        if upper > max_chars or lower > max_chars:
            continue
        cost = costs[cut - 1] + _shape_cost([upper, lower])
        if cost < best_cost:
            best_cost, best_cut = cost, cut
    if not best_cut:
        return None
    return (" ".join(words[:best_cut]), " ".join(words[best_cut:])), best_cost


def _cheapest_many_lines(
    words: tuple[str, ...], costs: tuple[float, ...], count: int, max_chars: int
) -> tuple[tuple[str, ...], float] | None:
    """The cheapest partition into lines; balance is measured against an even split."""
    lengths = JoinedLengths(words)
    target = (lengths(0, len(words)) - (count - 1)) / count

    def line_cost(i: int, j: int) -> float:
        return _BALANCE_WEIGHT * abs(lengths(i, j) - target)

    found = cheapest_partition(lengths, count, max_chars, line_cost, costs)
    if found is None:
        return None
    cost, bounds = found
    return tuple(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])), cost


def _shape_cost(lengths: list[int]) -> float:
    """Balanced lines are best; a bottom-heavy pyramid is fine, a top-heavy one less so."""
    cost = _BALANCE_WEIGHT * (max(lengths) - min(lengths))
    for upper, lower in zip(lengths, lengths[1:]):
        if upper > lower:
            cost += _TOP_HEAVY_WEIGHT * (upper - lower)
    return cost


def break_lines(text: str, language: str, max_chars: int, max_lines: int) -> tuple[str, ...]:
    """Lines for ``text``; when nothing fits the limits, the least bad split into
    ``max_lines`` lines (the check flags the long line) rather than losing words."""
    words = words_of(text)
    lines = best_lines(words, language, max_chars, max_lines)
    if lines is not None:
        return lines
    return _least_bad_split(tuple(words), base_language(language), max_lines)


def _least_bad_split(words: tuple[str, ...], language: str, max_lines: int) -> tuple[str, ...]:
    count = min(max_lines, len(words))
    if count <= 1:
        return (" ".join(words),) if words else ()
    longest = max(text_length(words) // count + 1, max(len(w) for w in words))
    costs = gap_costs(words, language)
    while True:
        found = _cheapest_split(words, costs, count, longest)
        if found is not None:
            return found[0]
        longest += 1
