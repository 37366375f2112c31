"""Glossary: terms that must come out of translation in a given form.

File format: CSV with three columns, ``source term, target term, target language``
(a language code such as ``ru`` or ``pt-BR``, or ``*`` for every language). A
header row is optional; blank lines and lines starting with ``#`` are skipped; a
file whose first row has tabs (or semicolons and no commas) uses that
separator instead. Example::

    source,target,language
    Stoltenberg,Stoltenberg,*
    Novaya Gazeta,Novaya Gazeta,pt
    Stoltenberg,Столтенберг,ru

How terms are enforced (measured on the real Firefox en->pt and Argos zh->en
models): the models already pass most names through, and replacing every term
by a placeholder up front costs grammar (articles and case endings agree with
the placeholder, not the name). So the sentence is translated as it is first;
only when a term is missing from the output is it translated again with the
missed terms replaced by opaque placeholders (``ZXQ0``, ``ZXQ1``: capitalised
letter-digit codes both models copy unchanged), which are then replaced by the
target terms. A term still missing after that is reported as a QA flag.

Matching output is tolerant of inflection (Russian "Столтенберга" counts as
"Столтенберг", "Новой газеты" as "Новая газета"): each word of the target term
longer than three letters may lose up to two final letters and gain up to four.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..errors import InputError
from ..fsio import read_text_file

_LANGUAGE = re.compile(r"^(?:\*|[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?)$", re.IGNORECASE)
_HEADER_WORDS = {
    "source", "source term", "source_term", "term", "target", "target term", "target_term",
    "language", "lang", "target language", "target_language", "target_lang", "locale",
}
_PLACEHOLDER_PREFIXES = ("ZXQ", "QXZ", "XZQ", "ZQX")


@dataclass(frozen=True)
class GlossaryTerm:
    source: str
    target: str
    language: str  # a target language code, or "*" for every language
    line: int = 0

    @property
    def protected(self) -> bool:
        """A name kept as it is (target == source), e.g. "Stoltenberg" in Portuguese."""
        return self.source == self.target


@dataclass(frozen=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...] = ()
    path: str = ""

    def for_language(self, language: str) -> tuple[GlossaryTerm, ...]:
        """Terms that apply to ``language``; a language-specific entry beats a ``*`` entry."""
        base = _base(language)
        specific = [
            t for t in self.terms
            if t.language != "*" and (t.language == language.lower() or _base(t.language) == base)
        ]
        named = {t.source for t in specific}
        general = [t for t in self.terms if t.language == "*" and t.source not in named]
        # longest first, so "Novaya Gazeta Europe" is matched before "Novaya Gazeta"
        return tuple(sorted(specific + general, key=lambda t: (-len(t.source), t.source)))

    def fingerprint(self, language: str) -> str:
        """A short digest of the terms for ``language`` ("" if none): part of the memory key."""
        terms = self.for_language(language)
        if not terms:
            return ""
        text = "\n".join(f"{t.source}\t{t.target}" for t in sorted(terms, key=lambda t: t.source))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _base(language: str) -> str:
    return re.split(r"[-_]", language.lower(), maxsplit=1)[0]


# --------------------------------------------------------------------------- reading


def load_glossary(path: str | os.PathLike[str]) -> Glossary:
    return parse_glossary(read_text_file(path, "glossary"), path=str(path))


def parse_glossary(text: str, path: str = "") -> Glossary:
    """Parse glossary CSV text; a malformed row is an ``InputError`` naming its line."""
    lines = text.split("\n")
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    delimiter = "\t" if "\t" in first else (";" if ";" in first and "," not in first else ",")
    content = "\n".join("" if ln.lstrip().startswith("#") else ln for ln in lines)
    reader = csv.reader(io.StringIO(content), delimiter=delimiter, strict=True)
    terms: list[GlossaryTerm] = []
    seen: dict[tuple[str, str], GlossaryTerm] = {}
    first_row = True
    try:
        for row in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            if first_row:
                first_row = False
                if all(cell.lower() in _HEADER_WORDS for cell in cells):
                    continue
            term = _term_from_row(cells, line, path)
            key = (term.source, term.language)
            earlier = seen.get(key)
            if earlier is not None:
                if earlier.target != term.target:
                    raise InputError(
                        f"term '{term.source}' for language '{term.language}' is already given on line "
                        f"{earlier.line} as '{earlier.target}'",
                        path=path,
                        line=line,
                        hint="keep one translation per term and language",
                    )
                continue
            seen[key] = term
            terms.append(term)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num, hint="check the quotes") from exc
    return Glossary(terms=tuple(terms), path=path)


def _term_from_row(cells: list[str], line: int, path: str) -> GlossaryTerm:
    if len(cells) != 3:
        raise InputError(
            f"glossary row has {len(cells)} column{'s' if len(cells) != 1 else ''}, expected 3: "
            "source term, target term, target language",
            path=path,
            line=line,
        )
    source, target, language = cells
    if not source or not target:
        raise InputError("glossary row has an empty term", path=path, line=line, hint="fill in both terms")
    if not _LANGUAGE.match(language):
        raise InputError(
            f"'{language}' is not a language code",
            path=path,
            line=line,
            hint="use a code such as ru, pt or de, or * for every language",
        )
    return GlossaryTerm(source=source, target=target, language=language.lower().replace("_", "-"), line=line)


# --------------------------------------------------------------------------- matching


def unspaced_script(ch: str) -> bool:
    """Characters of scripts written without spaces between words (no word boundaries there)."""
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF  # CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0x0E00 <= code <= 0x0EFF  # Thai, Lao
        or 0x1000 <= code <= 0x109F  # Myanmar
        or 0x1780 <= code <= 0x17FF  # Khmer
        or 0x3000 <= code <= 0x303F  # CJK punctuation
    )


def _bounded(pattern: str, term: str) -> str:
    left = "" if unspaced_script(term[0]) else r"(?<!\w)"
    right = "" if unspaced_script(term[-1]) else r"(?!\w)"
    return f"{left}{pattern}{right}"


def _source_regex(term: GlossaryTerm) -> re.Pattern[str]:
    flags = 0 if any(ch.isupper() for ch in term.source) else re.IGNORECASE
    words = [re.escape(word) for word in term.source.split()]
    return re.compile(_bounded(r"\s+".join(words), term.source), flags)


def terms_in(text: str, terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """The terms whose source form occurs in ``text`` (a longer term hides the shorter one inside it)."""
    found: list[GlossaryTerm] = []
    taken: list[tuple[int, int]] = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        for match in _source_regex(term).finditer(text):
            span = match.span()
            if not any(span[0] < end and start < span[1] for start, end in taken):
                taken.append(span)
                if term not in found:
                    found.append(term)
    return found


def _target_regex(target: str) -> re.Pattern[str]:
    parts = []
    for word in target.split():
        if any(unspaced_script(ch) for ch in word) or not word[-1].isalpha():
            parts.append(re.escape(word))
            continue
        trim = min(2, max(0, len(word) - 3))
        stem = word[: len(word) - trim]
        parts.append(re.escape(stem) + r"\w{0,4}")
    return re.compile(_bounded(r"[\s\u00a0\-\u2010\u2011]+".join(parts), target), re.IGNORECASE)


def term_in_output(output: str, term: GlossaryTerm) -> bool:
    """Whether ``output`` contains the target term (inflected forms count)."""
    return bool(_target_regex(term.target).search(output))


def missed_terms(source: str, output: str, terms: Sequence[GlossaryTerm]) -> list[GlossaryTerm]:
    """Terms present in ``source`` whose target form is missing from ``output``."""
    return [term for term in terms_in(source, terms) if not term_in_output(output, term)]


# --------------------------------------------------------------------------- placeholders


@dataclass(frozen=True)
class Protected:
    """A sentence with glossary terms replaced by placeholders, and how to put the terms back."""

    text: str
    placeholders: tuple[tuple[str, str], ...]  # (placeholder, target term)


def protect(text: str, terms: Sequence[GlossaryTerm]) -> Protected:
    """Replace each term's source form in ``text`` by a placeholder the models copy unchanged."""
    prefix = next((p for p in _PLACEHOLDER_PREFIXES if p.lower() not in text.lower()), _PLACEHOLDER_PREFIXES[0])
    placeholders: list[tuple[str, str]] = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        mark = f"{prefix}{len(placeholders)}"
        text, count = _source_regex(term).subn(mark, text)
        if count:
            placeholders.append((mark, term.target))
    return Protected(text=text, placeholders=tuple(placeholders))


def restore(output: str, protected: Protected) -> str | None:
    """Put the target terms in place of the placeholders; None if the model lost any placeholder."""
    for mark, target in protected.placeholders:
        pattern = re.compile(re.escape(mark) + r"(?!\d)", re.IGNORECASE)
        if not pattern.search(output):
            return None
        output = pattern.sub(lambda _m, t=target: t, output)
    return output
