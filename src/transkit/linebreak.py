"""Where subtitle text may be broken: into the lines of a cue, and a sentence into cues.

Every gap between two words gets a cost (``break_cost``): low after punctuation
and before conjunctions or prepositions, high inside a phrase that should stay
together (article + noun, adjective + noun, first + last name, auxiliary + verb),
and ``FORBIDDEN`` where a language's rules say never (Russian one-letter words
stay with the next word, particles with the previous one). ``break_lines`` picks
the cheapest split of a cue into lines, favouring balanced lines.

Words are separated by ordinary white space only: a no-break space (U+00A0,
U+202F) joins the words around it, and counts as one character like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True)
class BreakRules:
    """Word classes of one language that decide where a break may fall."""

    articles: frozenset[str] = frozenset()  # and other determiners: never end a line
    prepositions: frozenset[str] = frozenset()
    conjunctions: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()  # auxiliary/modal verbs: keep with the verb
    adjectives: frozenset[str] = frozenset()  # common adjectives the suffixes miss
    adjective_suffixes: tuple[str, ...] = ()
    glue_next: frozenset[str] = frozenset()  # never at a line end
    glue_previous: frozenset[str] = frozenset()  # never at a line start
    glue_all_one_letter: bool = False  # every one-letter word sticks to the next
    subjects: frozenset[str] = frozenset()  # subject pronouns: keep with their verb
    adverbs: frozenset[str] = frozenset()  # adverbs that lean on the verb after them
    capitalised_names: bool = True  # two capitalised words in a row are a name


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH = BreakRules(
    articles=_words(
        "a an the this these those my your his her its our their every each no some any another such whose all both"
    ),
    prepositions=_words(
        "of in on at to for with from by about against between into through during before after above below "
        "under over without within along across behind beyond toward towards upon around among since until "
        "like than via per despite"
    ),
    conjunctions=_words(
        "and but or nor so yet because although though while whereas if unless that which who whom where when "
        "whether as"
    ),
    auxiliaries=_words(
        "is are was were be been being am have has had do does did will would shall should can could may might "
        "must it's i'm we're they're you're he's she's that's there's we've they've i've we'll they'll won't "
        "don't doesn't didn't can't cannot isn't aren't wasn't weren't haven't hasn't hadn't wouldn't "
        "shouldn't couldn't not to"
    ),
    adverbs=_words("never always ever just even also only still already"),
    adjectives=_words(
        "new old good best better big biggest great small long short real free high low last first next "
        "other same few many more most much whole own strong strongest full clear hard open "
        "two three four five six seven eight nine ten twelve twenty thirty hundred thousand million"
    ),
    adjective_suffixes=("al", "ive", "ous", "ful", "ic", "ary", "ian", "ean", "ish", "less", "ible", "able"),
    glue_next=_words("i"),
    subjects=_words("we they he she you it who"),
)

_RUSSIAN_ONE_LETTER = "в к с у о и а я"
_RUSSIAN = BreakRules(
    articles=_words("этот эта это эти этого этой этом этих тот та те того той том тех наш наша наше наши нашей нашего"),
    prepositions=_words(
        "в во на за по из изо от до для без под подо над при про через об обо со ко между перед после около "
        "против среди вокруг кроме вместо ради благодаря вопреки из-за из-под"
    ),
    conjunctions=_words(
        "и а но или либо что чтобы если когда потому поэтому как где хотя пока ведь зато однако причём "
        "который которая которое которые которых которым которой которого которую которыми тогда то"
    ),
    auxiliaries=_words("не ни был была было были будет будут буду будем может могут можно нужно надо должен должны"),
    adjective_suffixes=(
        "ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его", "ому", "ему",
        "ую", "юю", "ым", "ыми", "ими",
    ),
    glue_next=_words(_RUSSIAN_ONE_LETTER),
    glue_previous=_words("ли ль же ж бы б"),
    glue_all_one_letter=True,
)

_UKRAINIAN = BreakRules(
    articles=_words("цей ця це ці цього цієї той та ті наш наша наше наші"),
    prepositions=_words("в у на за по з із зі від до для без під над при про через між перед після біля проти серед"),
    conjunctions=_words("і й та а але або що щоб якщо коли тому як де хоча поки який яка яке які"),
    auxiliaries=_words("не ні був була було були буде будуть може можуть треба"),
    glue_next=_words("в у з і й а о я"),
    glue_previous=_words("б би ж же ли"),
    glue_all_one_letter=True,
)

_GERMAN = BreakRules(
    articles=_words(
        "der die das den dem des ein eine einen einem einer eines kein keine keinen dieser diese dieses "
        "unser unsere sein seine ihr ihre"
    ),
    prepositions=_words("in an auf aus bei mit nach von vor zu zum zur über unter für gegen ohne durch um zwischen seit im am vom"),
    conjunctions=_words("und oder aber denn sondern dass weil wenn als ob obwohl damit während"),
    auxiliaries=_words("ist sind war waren hat haben hatte hatten wird werden wurde wurden kann können muss müssen soll sollen will wollen nicht"),
    capitalised_names=False,  # every German noun is capitalised
)

_FRENCH = BreakRules(
    articles=_words("le la les l' un une des du au aux ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes"),
    prepositions=_words("à de d' en dans sur sous pour par avec sans contre entre vers chez depuis pendant"),
    conjunctions=_words("et ou mais donc car que qui quand si parce comme lorsque puisque dont"),
    auxiliaries=_words("est sont était étaient a ont avait avaient sera seront va vont peut peuvent doit doivent ne n' pas"),
    adjectives=_words("bon bonne grand grande nouveau nouvelle meilleur meilleure premier première petit petite même dernier dernière"),
)

_SPANISH = BreakRules(
    articles=_words("el la los las un una unos unas lo este esta estos estas ese esa su sus nuestro nuestra"),
    prepositions=_words("a de en con por para sin sobre entre contra hacia desde hasta del al tras según"),
    conjunctions=_words("y e o u pero que porque cuando si como aunque mientras donde ni"),
    auxiliaries=_words("es son está están ha han había habían fue será puede pueden debe deben va van no se"),
    adjectives=_words("buen buena gran grande nuevo nueva mejor primer primera pequeño pequeña mismo misma último última"),
)

_PORTUGUESE = BreakRules(
    articles=_words("o a os as um uma uns umas este esta estes estas esse essa seu sua seus suas nosso nossa"),
    prepositions=_words("a de em com por para sem sobre entre contra até desde no na nos nas do da dos das ao à aos às pelo pela num numa"),
    conjunctions=_words("e ou mas que porque quando se como embora enquanto onde nem"),
    auxiliaries=_words("é são está estão foi foram será tem têm há havia pode podem deve devem vai vão não"),
    adjectives=_words("bom boa bons boas grande grandes novo nova melhor melhores primeiro primeira pequeno pequena mesmo mesma último última"),
)

RULES: dict[str, BreakRules] = {
    "en": _ENGLISH,
    "ru": _RUSSIAN,
    "uk": _UKRAINIAN,
    "be": _RUSSIAN,
    "de": _GERMAN,
    "fr": _FRENCH,
    "es": _SPANISH,
    "pt": _PORTUGUESE,
}
_GENERIC = BreakRules()


def rules_for(language: str) -> BreakRules:
    return RULES.get(base_language(language), _GENERIC)


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
    best_cost, best = float("inf"), None
    for cut in range(1, len(words)):
        upper, lower = text_length(words[:cut]), text_length(words[cut:])
        if upper > max_chars or lower > max_chars:
            continue
        cost = costs[cut - 1] + _shape_cost([upper, lower])
        if cost < best_cost:
            best_cost, best = cost, (" ".join(words[:cut]), " ".join(words[cut:]))
    return None if best is None else (best, best_cost)


def _cheapest_many_lines(
    words: tuple[str, ...], costs: tuple[float, ...], count: int, max_chars: int
) -> tuple[tuple[str, ...], float] | None:
    """Dynamic programme over line ends; balance is measured against an even split."""
    n = len(words)
    target = (text_length(words) - (count - 1)) / count
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for c in range(1, count + 1):
        for j in range(c, n + 1):
            for i in range(j - 1, c - 2, -1):
                length = text_length(words[i:j])
                if length > max_chars:
                    break
                if best[c - 1][i] == inf:
                    continue
                cost = best[c - 1][i] + (costs[i - 1] if i else 0.0) + _BALANCE_WEIGHT * abs(length - target)
                if cost < best[c][j]:
                    best[c][j], back[c][j] = cost, i
    if best[count][n] == inf:
        return None
    bounds = [n]
    for c in range(count, 0, -1):
        bounds.append(back[c][bounds[-1]])
    bounds.reverse()
    return tuple(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])), best[count][n]


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
