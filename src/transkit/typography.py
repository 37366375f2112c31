"""Typographic conventions per language, applied to a sentence before layout.

``apply_typography(text, language)`` fixes what translation engines and plain
keyboards get wrong: straight quotes, three dots, hyphens standing in for dashes,
and (French) the spaces before high punctuation. It is idempotent: applying it to
its own output changes nothing.

No-break spaces it inserts (U+00A0, U+202F) are single characters: subtitle
character counts count them as one, and line breaking never breaks at them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class QuoteStyle:
    open1: str
    close1: str
    open2: str
    close2: str
    inner_space: str = ""  # French puts a no-break space inside « »


@dataclass(frozen=True)
class Conventions:
    quotes: QuoteStyle | None  # None: leave quotation marks as written
    dash: str  # what a spaced hyphen or a double hyphen between words becomes
    high_punctuation_space: bool = False  # French: no-break space before ; : ! ?
    period_after_quote: bool = False  # Russian: «…слово». rather than «…слово.»


_ENGLISH_QUOTES = QuoteStyle("\u201c", "\u201d", "\u2018", "\u2019")
_RUSSIAN_QUOTES = QuoteStyle("\u00ab", "\u00bb", "\u201e", "\u201c")
_GERMAN_QUOTES = QuoteStyle("\u201e", "\u201c", "\u201a", "\u2018")
_FRENCH_QUOTES = QuoteStyle("\u00ab", "\u00bb", "\u201c", "\u201d", inner_space=NBSP)

_EM_DASH_NBSP = NBSP + "\u2014 "  # Russian: the dash sticks to the word before it
_EM_DASH = " \u2014 "

CONVENTIONS: dict[str, Conventions] = {
    "en": Conventions(_ENGLISH_QUOTES, _EM_DASH),
    "pt": Conventions(_ENGLISH_QUOTES, _EM_DASH),
    "es": Conventions(_ENGLISH_QUOTES, _EM_DASH),
    "ru": Conventions(_RUSSIAN_QUOTES, _EM_DASH_NBSP, period_after_quote=True),
    "uk": Conventions(_RUSSIAN_QUOTES, _EM_DASH_NBSP, period_after_quote=True),
    "be": Conventions(_RUSSIAN_QUOTES, _EM_DASH_NBSP, period_after_quote=True),
    "de": Conventions(_GERMAN_QUOTES, " \u2013 "),
    "fr": Conventions(_FRENCH_QUOTES, NBSP + "\u2014 ", high_punctuation_space=True),
}
_DEFAULT = Conventions(None, _EM_DASH)


def base_language(language: str) -> str:
    """``'pt-BR'`` / ``'pt_BR'`` -> ``'pt'``."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


def conventions_for(language: str) -> Conventions:
    return CONVENTIONS.get(base_language(language), _DEFAULT)


def apply_typography(text: str, language: str) -> str:
    """Return ``text`` with the typographic conventions of ``language``."""
    rules = conventions_for(language)
    text = _collapse_spaces(text)
    text = _ellipsis(text)
    if rules.quotes is not None:
        text = _quotes(text, rules.quotes)
    else:
        text = _apostrophes(text)
    text = _dashes(text, rules.dash)
    if rules.high_punctuation_space:
        text = _french_spacing(text)
    if rules.period_after_quote:
        text = _PERIOD_INSIDE_QUOTE.sub(r"\1.", text)
    return text


# --- spaces, dots, dashes -------------------------------------------------

_RUNS_OF_SPACES = re.compile(r"[ \t\r\n]+")


def _collapse_spaces(text: str) -> str:
    return _RUNS_OF_SPACES.sub(" ", text).strip()


_THREE_DOTS = re.compile(r"\.\s?\.\s?\.")


def _ellipsis(text: str) -> str:
    return _THREE_DOTS.sub(ELLIPSIS, text)


# A dash between words: a spaced hyphen, a double hyphen (spaced or not), or an
# en/em dash with spaces on both sides (possibly already no-break). Hyphens
# inside words (кто-то, build-up) have no space around them and are left alone.
_WORD_DASH = re.compile(
    r"(?<=\S)(?:[ \u00a0\u202f]+(?:--|-|\u2013|\u2014)[ \u00a0\u202f]+|[ \u00a0\u202f]*--[ \u00a0\u202f]*)(?=\S)"
)


def _dashes(text: str, dash: str) -> str:
    return _WORD_DASH.sub(dash, text)


# --- quotation marks ------------------------------------------------------

_AMBIGUOUS_DOUBLE = '"\u201c\u201d\u201e\u00ab\u00bb'
_ALL_MARKS = _AMBIGUOUS_DOUBLE + "'\u2018\u2019\u201a"
# What may stand before an opening mark / after a closing one (besides spaces),
# looking past any other quotation marks next to it.
_OPEN_CONTEXT = "([{\u2014\u2013-/"
_CLOSE_CONTEXT = ".,;:!?)]}\u2026\u2014\u2013-"


def _neighbours(chars: str, i: int) -> tuple[str, str]:
    """The characters before and after position ``i``, skipping quotation marks."""
    j = i - 1
    while j >= 0 and chars[j] in _ALL_MARKS:
        j -= 1
    k = i + 1
    while k < len(chars) and chars[k] in _ALL_MARKS:
        k += 1
    return (chars[j] if j >= 0 else " "), (chars[k] if k < len(chars) else " ")


def _quotes(text: str, style: QuoteStyle) -> str:
    """Straight and foreign quotes -> the language's pair, nesting by depth."""
    chars = _strip_inner_spaces(text, style)
    out: list[str] = []
    stack: list[str] = []  # "double" or "single": the kind of mark each open quote began with
    for i, ch in enumerate(chars):
        if ch in _AMBIGUOUS_DOUBLE:
            role = _double_role(chars, i, len(stack), style)
        elif ch == "'":
            role = _single_role(chars, i, stack, style)
        else:
            out.append(ch)
            continue
        if role == "open":
            out.append(style.open1 if not stack else style.open2)
            stack.append("double" if ch != "'" else "single")
        elif role == "close":
            if stack:
                stack.pop()
            out.append(style.close1 if not stack else style.close2)
        elif role == "inner-open":
            out.append("\u2018")
        else:
            out.append("\u2019" if ch == "'" else ch)
    result = "".join(out)
    return _space_inside_guillemets(result, style.inner_space) if style.inner_space else result


def _strip_inner_spaces(text: str, style: QuoteStyle) -> str:
    """Drop spaces just inside « » so French spacing can be re-added uniformly."""
    if not style.inner_space:
        return text
    return _space_inside_guillemets(text, "")


def _space_inside_guillemets(text: str, space: str) -> str:
    text = re.sub("\u00ab[ \u00a0\u202f]*", "\u00ab" + space, text)
    return re.sub("[ \u00a0\u202f]*\u00bb", space + "\u00bb", text)


def _double_role(chars: str, i: int, depth: int, style: QuoteStyle) -> str:
    """Open or close, from what stands around the mark; when that is unclear,
    from the mark itself (« „ open, » ” close) or from what is already open."""
    ch = chars[i]
    before, after = _neighbours(chars, i)
    open_side = before.isspace() or before in _OPEN_CONTEXT
    close_side = after.isspace() or after in _CLOSE_CONTEXT
    if open_side != close_side:
        return "open" if open_side else "close"
    if ch in (style.open1, style.open2):
        return "open"
    if ch in (style.close1, style.close2):
        return "close"
    if ch in "\u00ab\u201e":
        return "open"
    if ch in "\u00bb\u201d":
        return "close"
    return "close" if depth > 0 else "open"


def _single_role(chars: str, i: int, stack: list[str], style: QuoteStyle) -> str:
    """A straight ' : an apostrophe (inside or after a word), or a quotation mark.

    Where single quotes are the language's inner quotes (English), an opening '
    becomes ‘ and a closing one ’ (the apostrophe). Elsewhere ('три' in Russian)
    a quoted word gets the language's own quotation marks."""
    before = chars[i - 1] if i > 0 else " "
    after = chars[i + 1] if i + 1 < len(chars) else " "
    if before.isalnum() and after.isalnum():
        return "apostrophe"
    if (before.isspace() or before in _OPEN_CONTEXT) and after.isalnum():
        return "inner-open" if style.open2 == "\u2018" else "open"
    if stack and stack[-1] == "single" and (before.isalnum() or before in ".,;:!?\u2026") and (after.isspace() or after in _CLOSE_CONTEXT):
        return "close"
    return "apostrophe"


_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'")


def _apostrophes(text: str) -> str:
    return _APOSTROPHE.sub("\u2019", text)


# Russian puts the full stop after the closing quotes: «…слово». (not of an ellipsis)
_PERIOD_INSIDE_QUOTE = re.compile(r"(?<!\.)\.([\u00bb\u201c]+)")


# --- French spacing -------------------------------------------------------

# A space (or none) before ; ! ? becomes a narrow no-break space, before : a
# no-break space; "http://" and clock times (10:30) are left alone.
_BEFORE_NARROW = re.compile(r"(?<=[^\s\u00a0\u202f;!?])[ \u00a0\u202f]*([;!?]+)")
_BEFORE_COLON = re.compile(r"(?<=[^\s\u00a0\u202f\d])[ \u00a0\u202f]*:(?!//)")


def _french_spacing(text: str) -> str:
    text = _BEFORE_NARROW.sub(lambda m: NARROW_NBSP + m.group(1), text)
    return _BEFORE_COLON.sub(NBSP + ":", text)
