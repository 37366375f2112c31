"""Quality checks on one translated segment. They flag, they never change or drop text.

Flags (``QAFlag.code``):

- ``empty``         the source has text, the output has none;
- ``untranslated``  the output is the source again (compared without case,
                    spaces and punctuation), for a source of two or more words
                    that are not all capitalised names;
- ``repeat-loop``   a word repeated 4+ times in a row, or a 2-6 word sequence
                    3+ times in a row, that the source does not have (a known
                    failure mode of small NMT models);
- ``numbers``       digit groups lost, changed or added. Locale formatting is
                    ignored: 1,997 = 1.997 = 1 997 = 1997 and 2.5 = 2,5;
- ``glossary-miss`` a glossary term in the source whose target form is missing;
- ``negation``      the source says no/not/never... and the output has no
                    negation word at all (small models drop negations, which
                    turns a sentence into its opposite); only for languages
                    with a word list in ``NEGATION_WORDS``. A negation made
                    by a prefix (impossible -> невозможно) is not seen, so
                    such a correct translation can be flagged: the flag asks
                    for a look, like every flag;
- ``added-negation`` the output has a negation word and the source has none
                    at all ("I do." -> "Eu não."); the target side counts only
                    words that always negate (``ADDED_NEGATION_WORDS``: not
                    "sem"/"without", which often renders "un-" or "-less");
- ``length-ratio``  output length / source length (characters without spaces,
                    a Chinese character counting as 3) outside the bounds for
                    the language pair, see ``length_ratio_bounds``; sources
                    shorter than 15 (weighted) characters are not checked (the
                    ratio of a short line says little);
- ``inconsistent-term`` (``check_document``, over all texts of one document) a
                    recurring name or acronym rendered otherwise than its most
                    frequent rendering in the document ("OTAN" among "NATO"s);
                    the detail names every variant and how many texts use it.

Human translations (a translator's accepted edit) are not flagged: the service
skips them, so an accepted edit clears its flags for good.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Sequence

from .glossary import GlossaryTerm, missed_terms, unspaced_script

if TYPE_CHECKING:
    from .terms import TermRenderings

CODES = (
    "empty", "untranslated", "repeat-loop", "numbers", "glossary-miss", "negation", "added-negation", "length-ratio",
    "inconsistent-term",
)

# Words that negate, per language (lower case; English contractions end in n't).
NEGATION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "no not never nothing nobody none neither nor without cannot nowhere",
        "pt": "não nunca nenhum nenhuma nada ninguém nem sem jamais",
        "es": "no nunca ningún ninguno ninguna nada nadie ni sin jamás tampoco",
        "fr": "ne n' pas jamais aucun aucune rien personne sans ni non",
        "de": "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder",
        "it": "non mai nessuno nessuna niente nulla né senza",
        "ru": "не нет ни никогда ничего никто никакой никакие без нельзя",
        "uk": "не ні ніколи нічого ніхто жодного жоден без",
    }.items()
}

# Words that certainly negate, per language, for ``added-negation``: the list above
# less the words that often stand in a sentence that negates nothing ("sem"/"ohne"
# = without, French "personne" = person, "pas" = step, "non-" as a prefix).
ADDED_NEGATION_WORDS: dict[str, frozenset[str]] = {
    lang: words - {"sem", "sin", "sans", "ohne", "senza", "без", "without", "personne", "pas", "non", "ni"}
    for lang, words in NEGATION_WORDS.items()
}
ADDED_NEGATION_WORDS["it"] = ADDED_NEGATION_WORDS["it"] | {"non"}  # Italian "non" is the plain "not"

# Typical length of a text in each language relative to the same text in English,
# in characters without spaces (Chinese, Japanese, Korean: see _SCRIPT_WEIGHTS).
# Expected ratio for a pair = factor(target) / factor(source).
LENGTH_FACTORS: dict[str, float] = {
    "en": 1.0, "de": 1.15, "nl": 1.1, "sv": 1.0, "da": 1.0, "nb": 1.0, "no": 1.0, "fi": 1.05,
    "fr": 1.15, "es": 1.12, "pt": 1.12, "it": 1.12, "ro": 1.1, "ca": 1.1,
    "ru": 1.05, "uk": 1.05, "be": 1.05, "bg": 1.05, "sr": 1.0, "pl": 1.08, "cs": 1.0, "sk": 1.0,
    "el": 1.12, "tr": 1.02, "hu": 1.05, "et": 1.0, "lv": 1.0, "lt": 1.0,
    "ar": 0.85, "he": 0.8, "fa": 0.9, "hi": 1.0, "id": 1.1, "vi": 1.05,
    "th": 0.9,
}
# One character of these scripts carries about as much as this many English ones;
# counting them so makes mixed-script text (a Chinese sentence quoting "Holly
# Willoughby") measure right. Calibrated on zh->en news output (median ratio 1.0).
_SCRIPT_WEIGHTS = ((0x4E00, 0x9FFF, 3.0), (0x3400, 0x4DBF, 3.0), (0x3040, 0x30FF, 2.2), (0xAC00, 0xD7AF, 2.4))
# The accepted band around the expected ratio: [expected / SHORTER, expected * LONGER].
# Calibrated on real model output (183 interview sentences en->pt: ratios 0.77-1.49;
# 300 news sentences zh->en: the two below 0.5 were truncated translations, the
# longest correct one 2.03). Wordy but right output is common, hence the wider top.
LENGTH_RATIO_SHORTER = 2.0
LENGTH_RATIO_LONGER = 2.5
MIN_CHARS_FOR_RATIO = 15


@dataclass(frozen=True)
class QAFlag:
    code: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


def check_segment(
    source: str,
    output: str,
    source_lang: str,
    target_lang: str,
    *,
    glossary_terms: Sequence[GlossaryTerm] = (),
) -> tuple[QAFlag, ...]:
    """All QA flags for one translated segment, in the order of ``CODES``."""
    if not source.strip():
        return ()
    if not output.strip():
        return (QAFlag("empty", "the translation is empty"),)
    flags: list[QAFlag] = []
    if source_lang != target_lang and _untranslated(source, output):
        flags.append(QAFlag("untranslated", "the output is the source text"))
    loop = repeat_loop(output, source)
    if loop:
        flags.append(QAFlag("repeat-loop", f"'{loop}' repeats"))
    numbers = number_changes(source, output)
    if numbers:
        flags.append(QAFlag("numbers", numbers))
    for term in missed_terms(source, output, glossary_terms):
        flags.append(QAFlag("glossary-miss", f"'{term.source}' should be '{term.target}'"))
    if negation_lost(source, output, source_lang, target_lang):
        flags.append(QAFlag("negation", "the source negates, the translation has no negation"))
    added = negation_added(source, output, source_lang, target_lang)
    if added:
        flags.append(QAFlag("added-negation", f"the translation negates ('{added}'), the source does not"))
    ratio = length_ratio_problem(source, output, source_lang, target_lang)
    if ratio:
        flags.append(QAFlag("length-ratio", ratio))
    return tuple(flags)


def _negations(text: str, language: str, table: dict[str, frozenset[str]] = NEGATION_WORDS) -> int:
    found = _negation_words(text, language, table)
    return -1 if found is None else len(found)


def _negation_words(text: str, language: str, table: dict[str, frozenset[str]] = NEGATION_WORDS) -> list[str] | None:
    """The negating words of ``text`` in order; None when ``language`` has no word list."""
    words = table.get(language.split("-")[0].lower())
    if words is None:
        return None
    tokens = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text.lower())
    found = [token for token in tokens if token in words]
    if language.startswith("en"):
        found += [token for token in tokens if token.endswith(("n't", "n’t"))]
    elif language.startswith("fr"):
        found += re.findall(r"\bn['’]", text.lower())
    return found


def negation_lost(source: str, output: str, source_lang: str, target_lang: str) -> bool:
    """True when ``source`` has a negation word and ``output`` has none."""
    in_source = _negations(source, source_lang)
    in_output = _negations(output, target_lang)
    return in_source > 0 and in_output == 0


def negation_added(source: str, output: str, source_lang: str, target_lang: str) -> str:
    """The negating word of ``output`` when ``source`` has no negation at all ("I do." ->
    "Eu não."), else "". Only for language pairs with word lists on both sides."""
    in_source = _negations(source, source_lang)
    found = _negation_words(output, target_lang, ADDED_NEGATION_WORDS)
    if in_source != 0 or not found:
        return ""
    return found[0]


def check_document(
    sources: Sequence[str],
    outputs: Sequence[str],
    source_lang: str,
    target_lang: str,
    *,
    glossary_terms: Sequence[GlossaryTerm] = (),
) -> list[tuple[QAFlag, ...]]:
    """Flags that need the whole document, one tuple per text: ``inconsistent-term``
    where a recurring name or acronym comes out in a form other than its most
    frequent one (see ``terms``). Glossary terms are left to ``glossary-miss``."""
    from .terms import term_renderings

    flags: list[list[QAFlag]] = [[] for _ in sources]
    if source_lang == target_lang:
        return [()] * len(sources)
    skip = [term.source for term in glossary_terms]
    for term in term_renderings(sources, outputs, skip):
        if term.consistent:
            continue
        for index, form in _odd_ones(term):
            flags[index].append(
                QAFlag(
                    "inconsistent-term",
                    f"'{term.term}' is '{form}' here, '{term.main}' elsewhere; in this document: {term.describe()}",
                )
            )
    return [tuple(f) for f in flags]


def _odd_ones(term: "TermRenderings") -> list[tuple[int, str]]:
    """(text, form) for each text that renders ``term`` otherwise than its main form, once per text."""
    odd: dict[int, str] = {}
    for index, form in term.by_text:
        if form != term.main and index not in odd:
            odd[index] = form
    return sorted(odd.items())


def summarize(flags: Iterable[Iterable[QAFlag]]) -> dict[str, int]:
    """Segments flagged per code (a segment counts once per code), every code present."""
    counts: Counter[str] = Counter()
    for segment_flags in flags:
        counts.update({flag.code for flag in segment_flags})
    return {code: counts.get(code, 0) for code in CODES}


# --------------------------------------------------------------------------- untranslated


def _letters_only(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _untranslated(source: str, output: str) -> bool:
    if _letters_only(source) != _letters_only(output):
        return False
    words = [w for w in re.findall(r"\w+", source) if not w.isdigit()]
    if len(words) < 2 and not any(unspaced_script(ch) for ch in source):
        return False
    return not all(w[0].isupper() for w in words)  # "Jens Stoltenberg." stays as it is


# --------------------------------------------------------------------------- loops


def _tokens(text: str) -> list[str]:
    """Words, with each character of an unspaced script (Chinese, Japanese, Thai) a token of its own."""
    tokens: list[str] = []
    for word in re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()):
        if any(unspaced_script(ch) for ch in word):
            tokens.extend(word)
        else:
            tokens.append(word)
    return tokens


def _longest_loop(tokens: list[str]) -> tuple[int, str]:
    """(tokens covered, n-gram) of the longest run that reaches the loop thresholds; (0, "") if none."""
    best_cover, best_gram = 0, ""
    for n in range(1, 7):
        needed = 4 if n == 1 else 3
        for start in range(0, len(tokens) - n * needed + 1):
            gram = tokens[start : start + n]
            reps = 1
            while tokens[start + reps * n : start + (reps + 1) * n] == gram:
                reps += 1
            if reps >= needed and reps * n > best_cover:
                joiner = "" if all(len(t) == 1 and unspaced_script(t) for t in gram) else " "
                best_cover, best_gram = reps * n, joiner.join(gram)
    return best_cover, best_gram


def repeat_loop(output: str, source: str = "") -> str:
    """The repeated word sequence if ``output`` loops (and ``source`` does not), else ""."""
    cover, gram = _longest_loop(_tokens(output))
    if not cover:
        return ""
    source_cover, _ = _longest_loop(_tokens(source))
    return "" if source_cover >= cover else gram


# --------------------------------------------------------------------------- numbers
#
# Numbers are compared by value. Locale formatting is read as such: a separator
# followed by exactly three digits groups thousands (1,997 = 1.997 = 1 997), any
# other "." or "," is a decimal mark (2.5 = 2,5), "7:55" reads as 7.55. A scale
# word after a number multiplies it (1100 万 = 11 million = 11 milhões).
# Number words and month names never raise a flag; they only excuse a digit
# that the other side wrote as a word ("6 人" -> "six people", "9月" -> "September").

_NUMBER = re.compile(r"\d+(?:(?:[,.'\u2019:]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*")
_SCALES: dict[str, int] = {
    "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8,
    "thousand": 10**3, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9, "trillion": 10**12,
    "mil": 10**3, "milhão": 10**6, "milhões": 10**6, "bilhão": 10**9, "bilhões": 10**9,
    "millón": 10**6, "millones": 10**6, "milliard": 10**9, "milliards": 10**9,
    "tausend": 10**3, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9, "mio": 10**6, "mrd": 10**9,
    "milione": 10**6, "milioni": 10**6, "miliardo": 10**9, "miliardi": 10**9,
    "тыс": 10**3, "тысяча": 10**3, "тысячи": 10**3, "тысяч": 10**3, "млн": 10**6, "миллион": 10**6,
    "миллиона": 10**6, "миллионов": 10**6, "млрд": 10**9, "миллиард": 10**9, "миллиарда": 10**9, "миллиардов": 10**9,
}
_SCALE_AFTER = re.compile(
    r"\s?(" + "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
)
_CJK_SCALE_AFTER = re.compile(r"\s?([万萬亿億])")

_WORDS: dict[int, tuple[str, ...]] = {
    0: ("zero", "zéro", "cero", "null", "ноль", "零", "〇"),
    1: ("one", "um", "uma", "uno", "una", "un", "une", "ein", "eine", "eins", "один", "одна", "одно", "一"),
    2: ("two", "dois", "duas", "dos", "deux", "zwei", "due", "два", "две", "двух", "二", "两"),
    3: ("three", "três", "tres", "trois", "drei", "tre", "три", "трёх", "трех", "三"),
    4: ("four", "quatro", "cuatro", "quatre", "vier", "quattro", "четыре", "четырёх", "四"),
    5: ("five", "cinco", "cinq", "fünf", "cinque", "пять", "пяти", "五"),
    6: ("six", "seis", "sechs", "sei", "шесть", "шести", "六"),
    7: ("seven", "sete", "siete", "sept", "sieben", "sette", "семь", "семи", "七"),
    8: ("eight", "oito", "ocho", "huit", "acht", "otto", "восемь", "восьми", "八"),
    9: ("nine", "nove", "nueve", "neuf", "neun", "девять", "девяти", "九"),
    10: ("ten", "dez", "diez", "dix", "zehn", "dieci", "десять", "десяти", "十"),
    11: ("eleven", "onze", "once", "elf", "undici", "одиннадцать"),
    12: ("twelve", "doze", "doce", "douze", "zwölf", "dodici", "двенадцать"),
    100: ("hundred", "cem", "cien", "cent", "hundert", "cento", "сто", "百"),
}
_MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "janeiro", "enero", "janvier", "januar", "gennaio", "январ"),
    ("february", "fevereiro", "febrero", "février", "februar", "febbraio", "феврал"),
    ("march", "março", "marzo", "mars", "märz", "март"),
    ("april", "abril", "avril", "aprile", "апрел"),
    ("may", "maio", "mayo", "mai", "maggio", "мая", "май"),
    ("june", "junho", "junio", "juin", "juni", "giugno", "июн"),
    ("july", "julho", "julio", "juillet", "juli", "luglio", "июл"),
    ("august", "agosto", "août", "август"),
    ("september", "setembro", "septiembre", "septembre", "settembre", "сентябр"),
    ("october", "outubro", "octubre", "octobre", "oktober", "ottobre", "октябр"),
    ("november", "novembro", "noviembre", "novembre", "ноябр"),
    ("december", "dezembro", "diciembre", "décembre", "dezember", "dicembre", "декабр"),
)
_WORD_VALUES: dict[str, int] = {word: value for value, words in _WORDS.items() for word in words}
_CJK_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}


def _read_number(text: str) -> list[Decimal]:
    """The value(s) one digit run stands for, reading its separators as described above."""
    groups = re.split(r"[,.'\u2019: \u00a0\u202f\u2009]", text)
    seps = re.findall(r"[,.'\u2019: \u00a0\u202f\u2009]", text)
    if not seps:
        return [Decimal(int(text))]
    if seps == [":"] and len(groups[1]) == 2:
        return [Decimal(f"{int(groups[0])}.{groups[1]}")]
    fraction = ""
    if seps[-1] in ".," and len(groups[-1]) != 3:
        fraction = groups.pop()
        seps.pop()
    if not seps:
        return [Decimal(f"{int(groups[0])}.{fraction}")]
    thousands = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and len(set(seps)) == 1 and ":" not in seps
    if thousands:
        return [Decimal(f"{int(''.join(groups))}.{fraction or '0'}")]
    return [Decimal(int(g)) for g in groups + ([fraction] if fraction else []) if g]


def _numbers(text: str) -> list[tuple[Decimal, str]]:
    """(value, digits of a clock time without colon and leading zeros, else "") of each number in ``text``."""
    text = unicodedata.normalize("NFKC", text)
    found: list[tuple[Decimal, str]] = []
    for match in _NUMBER.finditer(text):
        values = _read_number(match.group())
        scale = _SCALE_AFTER.match(text, match.end()) or _CJK_SCALE_AFTER.match(text, match.end())
        if scale:
            values[-1] *= _SCALES[scale.group(1).lower()]
        # a clock time keeps its digits, so "19:30" can be matched with "1930" (see number_changes)
        digits = str(int(re.sub(r"\D", "", match.group()))) if ":" in match.group() else ""
        found.extend((value.normalize(), digits if len(values) == 1 else "") for value in values)
    return found


def numbers_in(text: str) -> Counter[Decimal]:
    """The numbers written with digits in ``text``, as values."""
    return Counter(value for value, _digits in _numbers(text))


def _numbers_in_words(text: str) -> set[Decimal]:
    """Values ``text`` writes as words (small numbers, month names, Chinese numerals)."""
    values: set[int] = set()
    lowered = unicodedata.normalize("NFKC", text).casefold()
    for word in re.findall(r"\w+", lowered):
        if word in _WORD_VALUES:
            values.add(_WORD_VALUES[word])
        for month, names in enumerate(_MONTHS, start=1):
            if any(word.startswith(name) for name in names):
                values.add(month)
    for run in re.findall(r"[零〇一二两三四五六七八九十百千]+", lowered):
        values.add(_cjk_value(run))
    return {Decimal(v) for v in values}


def _cjk_value(run: str) -> int:
    total, digit = 0, 0
    for ch in run:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        else:
            total += (digit or 1) * _CJK_UNITS[ch]
            digit = 0
    return total + digit


def number_changes(source: str, output: str) -> str:
    """What happened to the numbers, e.g. "lost 1997; added 97", or "" if nothing."""
    before, after = _numbers(source), _numbers(output)
    lost = Counter(v for v, _ in before) - Counter(v for v, _ in after)
    added = Counter(v for v, _ in after) - Counter(v for v, _ in before)
    # a clock time written without its colon is the same number: "19:30" = "1930", "04:00" = "0400"
    times = {v: d for v, d in before + after if d}
    for value in list(lost.elements()):
        twin = next((a for a in added if added[a] > 0 and _same_time(value, a, times)), None)
        if twin is not None:
            lost[value] -= 1
            added[twin] -= 1
    lost_list = [v for v in (+lost).elements() if v not in _numbers_in_words(output)]
    added_list = [v for v in (+added).elements() if v not in _numbers_in_words(source)]
    parts = []
    if lost_list:
        parts.append("lost " + ", ".join(_show(v) for v in sorted(lost_list)))
    if added_list:
        parts.append("added " + ", ".join(_show(v) for v in sorted(added_list)))
    return "; ".join(parts)


def _same_time(a: Decimal, b: Decimal, times: dict[Decimal, str]) -> bool:
    return (a in times and times[a] == format(b, "f")) or (b in times and times[b] == format(a, "f"))


def _show(value: Decimal) -> str:
    return format(value, "f")


# --------------------------------------------------------------------------- length


def length_ratio_bounds(source_lang: str, target_lang: str) -> tuple[float, float]:
    """Accepted (low, high) for len(output)/len(source), characters without spaces."""
    src = LENGTH_FACTORS.get(source_lang.split("-")[0].lower(), 1.0)
    tgt = LENGTH_FACTORS.get(target_lang.split("-")[0].lower(), 1.0)
    expected = tgt / src
    return expected / LENGTH_RATIO_SHORTER, expected * LENGTH_RATIO_LONGER


def _weighted_len(text: str) -> float:
    total = 0.0
    for ch in text:
        if ch.isspace():
            continue
        code = ord(ch)
        total += next((w for lo, hi, w in _SCRIPT_WEIGHTS if lo <= code <= hi), 1.0)
    return total


def length_ratio_problem(source: str, output: str, source_lang: str, target_lang: str) -> str:
    """A description if the length ratio is out of bounds, else ""."""
    src_len = _weighted_len(source)
    if src_len < MIN_CHARS_FOR_RATIO:
        return ""
    ratio = _weighted_len(output) / src_len
    low, high = length_ratio_bounds(source_lang, target_lang)
    if low <= ratio <= high:
        return ""
    return f"length ratio {ratio:.2f} outside {low:.2f}-{high:.2f}"
