"""Recurring names and acronyms of one document and how its translation renders them.

Used by QA (``inconsistent-term``: the same source term comes out in two forms,
"NATO" here and "OTAN" there) and by ``transkit glossary suggest`` (a draft
glossary of each term with its most frequent rendering).

Source terms (``source_terms``) recur in the document (in two texts or more):
acronyms (two or more capitals: NATO, USA), capitalised words that are names,
i.e. written with a capital at least once where a sentence does not start (so
"Some" at the start of a sentence is not one, "Russia" is), and names of
several capitalised words ("Novaya Gazeta"), which are recognised only where
the translation keeps them as written.

How a translation renders a term (``rendering``), without an alignment model:
the term itself when the output has it; otherwise the capitalised output word
that is not in the source and looks most like the term (an acronym: another
all-capitals word with mostly the same letters, OTAN for NATO, ONU for UN; a
name: spelling similarity after accents are dropped, Rússia for Russia,
Ucrânia for Ukraine; Cyrillic is compared transliterated, НАТО for NATO,
Россия for Russia); otherwise unknown (a term translated into lower-case
words, "Cold" -> "fria", is not judged). Renderings that differ only by case or
an inflected ending of up to two letters count as one (Russo/Russa,
России/Россию).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence

from .glossary import unspaced_script

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|[\"“”«(—–-]\s*)$")
MIN_OCCURRENCES = 2  # texts a term must occur in to be a term of the document
NAME_SIMILARITY = 0.6
ACRONYM_OVERLAP = 0.6


@dataclass(frozen=True)
class TermRenderings:
    """One source term and what the translation made of it, text by text."""

    term: str
    by_text: tuple[tuple[int, str], ...]  # (text index, rendering) for every text where it was found
    variants: tuple[tuple[str, int], ...]  # (rendering, texts), most frequent first

    @property
    def main(self) -> str:
        return self.variants[0][0]

    @property
    def consistent(self) -> bool:
        return len(self.variants) <= 1

    def describe(self) -> str:
        return ", ".join(f"'{form}' {count}×" for form, count in self.variants)


def is_acronym(word: str) -> bool:
    return len(word) >= 2 and sum(ch.isupper() for ch in word) >= 2 and word.upper() == word


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SPELLING = str.maketrans({"k": "c", "y": "i", "j": "i", "w": "v", "q": "c", "z": "s"})


_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "e", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_LATIN = str.maketrans(_CYRILLIC)


def _latin(word: str) -> str:
    """Cyrillic letters transliterated (НАТО -> NATO), so names compare across scripts."""
    lowered = word.lower().translate(_LATIN)
    return lowered.upper() if word.isupper() else lowered


def _spelling(word: str) -> str:
    """A name's letters with the spelling differences between languages folded away."""
    folded = _fold(_latin(word)).translate(_SPELLING).replace("ph", "f")
    return re.sub(r"(.)\1", r"\1", folded)


def _words(text: str) -> list[tuple[str, int]]:
    """(word, start offset) of each word; hyphenated compounds give their parts (NATO-Russia),
    an English possessive its name (Putin's -> Putin)."""
    return [(_POSSESSIVE.sub("", m.group()), m.start()) for m in _WORD.finditer(text)]


def _capital_runs(text: str, names: set[str]) -> list[tuple[list[str], bool]]:
    """Runs of capitalised words joined by single spaces ("Jens Stoltenberg"), each with
    whether its first word is a name (not just the capital a sentence starts with).
    A sentence-initial word that is not among ``names`` (words the document capitalises
    where no sentence starts) is left out of the run: "The Baltic" -> "Baltic"."""
    runs: list[tuple[list[str], bool]] = []
    current: list[str] = []
    named_start = False
    last_end = -1
    for word, start in _words(text):
        capital = word[0].isupper() and len(word) >= 2
        joined = current and text[last_end:start] == " "
        if capital and joined:
            current.append(word)
        else:
            if current:
                runs.append((current, named_start))
            current, named_start = [], False
            if capital:
                initial = bool(_SENTENCE_START.search(text[:start]))
                if initial and word not in names and not is_acronym(word):
                    last_end = start + len(word)
                    continue  # "The Baltic countries": the run starts at "Baltic"
                current, named_start = [word], is_acronym(word) or not initial
        last_end = start + len(word)
        if not capital:
            last_end = -1
    if current:
        runs.append((current, named_start))
    return runs


def source_terms(texts: Sequence[str], skip: Sequence[str] = ()) -> list[str]:
    """The document's recurring acronyms and names, most frequent first (ties: alphabetical).

    A single word counts where it stands alone, not inside a longer name ("General"
    of "Secretary General" is not a term by itself); a name of several words
    ("Jens Stoltenberg", "Novaya Gazeta") is a term of its own."""
    return list(_terms_and_places(texts, skip))  # no terms in unspaced scripts (no capitals, no word boundaries)


def _terms_and_places(texts: Sequence[str], skip: Sequence[str] = ()) -> dict[str, list[int]]:
    """The terms (see ``source_terms``), most frequent first, each with the texts it occurs in."""
    if any(unspaced_script(ch) for text in texts[:50] for ch in text[:200]):
        return {}
    skipped = {_fold(s) for s in skip}
    names = {
        word
        for text in texts
        for word, start in _words(text)
        if word[0].isupper() and not _SENTENCE_START.search(text[:start])
    }
    in_texts: Counter[str] = Counter()
    places: dict[str, list[int]] = {}
    named: set[str] = set()
    for index, text in enumerate(texts):
        seen: set[str] = set()  # terms standing on their own here
        present: set[str] = set()  # and every capitalised word, also inside longer names
        for run, named_start in _capital_runs(text, names):
            name = " ".join(run)
            present.update(run)
            if _fold(name) in skipped or name == "I":
                continue
            if len(run) == 1 and named_start:
                named.add(name)
            elif len(run) > 1:
                named.add(name)
            seen.add(name)
        in_texts.update(seen)
        for name in seen | present:
            places.setdefault(name, []).append(index)
    terms = [w for w, n in in_texts.items() if w in named and n >= MIN_OCCURRENCES]
    return {term: places[term] for term in sorted(terms, key=lambda w: (-in_texts[w], w))}


def _present(term: str, text: str) -> int:
    flags = 0 if is_acronym(term) else re.IGNORECASE
    return len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", text, flags))


def _acronym_overlap(a: str, b: str) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    return common / max(len(a), len(b))


def rendering(term: str, source: str, output: str) -> list[str]:
    """The forms ``output`` gives ``term`` (which ``source`` contains): [] when not found."""
    wanted = _present(term, source)
    if not wanted:
        return []
    kept = _present(term, output)
    found = [term] if kept else []
    if kept >= wanted or " " in term:  # a name of several words is recognised as written only
        return found
    source_words = {w.casefold() for w, _ in _words(source)}
    best, best_score = "", 0.0
    acronym = is_acronym(term)
    for word, _start in _words(output):
        if not word[0].isupper() or word.casefold() in source_words:
            continue
        if acronym:
            if not is_acronym(word) or abs(len(word) - len(term)) > 1:
                continue
            score = _acronym_overlap(_latin(term), _latin(word))
            if score < ACRONYM_OVERLAP:
                continue
        else:
            if is_acronym(word):
                continue
            a, b = _spelling(term), _spelling(word)
            if a[:1] != b[:1]:
                continue  # a name and its rendering start alike (Ukraine/Ucrânia, Yugoslavia/Iugoslávia)
            score = SequenceMatcher(None, a, b).ratio()
            if score < NAME_SIMILARITY:
                continue
        if score > best_score:
            best, best_score = word, score
    if best:
        found.append(best)
    return found


def _same_form(a: str, b: str) -> bool:
    a, b = _fold(a), _fold(b)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    stem = len(short) - 2 if len(short) >= 5 else len(short)
    return len(long) - len(short) <= 2 and long[:stem] == short[:stem]


def term_renderings(
    sources: Sequence[str], outputs: Sequence[str], skip: Sequence[str] = ()
) -> list[TermRenderings]:
    """For each term of the document, its renderings in the outputs (see the module docstring)."""
    results: list[TermRenderings] = []
    for term, places in _terms_and_places(sources, skip).items():
        by_text: list[tuple[int, str]] = []
        for index in places:
            if index >= len(outputs) or not outputs[index].strip():
                continue
            for form in rendering(term, sources[index], outputs[index]):
                by_text.append((index, form))
        if not by_text:
            continue
        groups: list[list[str]] = []  # forms counted as one variant, in order of appearance
        for _index, form in by_text:
            group = next((g for g in groups if _same_form(g[0], form)), None)
            if group is None:
                groups.append([form])
            else:
                group.append(form)
        variants = []
        for group in groups:
            surface = Counter(group).most_common()
            label = min(surface, key=lambda item: (-item[1], item[0] != term, item[0]))[0]
            texts = len({i for i, form in by_text if form in set(group)})
            variants.append((label, texts))
        # most texts first; on a tie the term as written in the source, then alphabetical
        variants.sort(key=lambda item: (-item[1], item[0] != term, item[0]))
        canonical = {form: label for group, (label, _n) in zip(_regroup(groups, variants), variants) for form in group}
        found = TermRenderings(term, tuple((i, canonical[form]) for i, form in by_text), tuple(variants))
        # a derived word rendered like a more frequent term is that term's shadow, not a
        # name of its own ("Russian" -> "Rússia" beside "Russia" -> "Rússia")
        if " " not in term and any(_same_form(found.main, other.main) for other in results if other.term != found.main):
            continue
        results.append(found)
    return results


def _regroup(groups: list[list[str]], variants: list[tuple[str, int]]) -> list[list[str]]:
    """``groups`` in the order of ``variants`` (each variant's label is a form of its group)."""
    ordered = []
    for label, _count in variants:
        ordered.append(next(g for g in groups if label in g))
    return ordered


def draft_glossary(
    sources: Sequence[str], outputs: Sequence[str], language: str, skip: Sequence[str] = ()
) -> str:
    """A glossary CSV (the format of ``glossary``) of the document's recurring names
    and acronyms with their most frequent rendering, for an editor to correct.

    A term rendered several ways is preceded by a comment naming every variant
    and its count; a comment at the top says what the file is."""
    import csv
    import io

    buffer = io.StringIO()
    buffer.write(
        "# Draft glossary: the document's recurring names and acronyms and their most frequent\n"
        "# translation. Correct the targets, delete what should not be fixed, then pass the\n"
        "# file to transkit run/translate with --glossary.\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "language"])
    for term in term_renderings(sources, outputs, skip):
        if not term.consistent:
            buffer.write(f"# {term.term}: rendered {term.describe()}\n")
        writer.writerow([term.term, term.main, language])
    return buffer.getvalue()
