"""Which language a text is in, by lingua-language-detector (it ships its own models).

Used for sources that do not declare their language (plain text, subtitles). The
detector knows the languages translation models exist for (``CANDIDATES``) and
runs in lingua's low-accuracy mode: the models for all of them load in under a
second and take about 100 MB, while high-accuracy mode takes seconds and over a
gigabyte, for no gain on whole files (benchmarks/language_id.py has the figures).
It is built once per process, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# ISO 639-1 codes: the languages of Argos Translate and Firefox Translations models.
CANDIDATES = (
    "ar", "az", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu",
    "fa", "fi", "fr", "ga", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kk",
    "ko", "lt", "lv", "mk", "mn", "ms", "nb", "nl", "nn", "pl", "pt", "ro", "ru", "sk", "sl", "sq",
    "sr", "sv", "ta", "th", "tl", "tr", "uk", "ur", "vi", "zh",
)
# Below this many letters a guess is too often wrong to act on.
MIN_LETTERS = 12
# lingua's confidence (0..1, relative to the other candidates) needed to act on a guess.
MIN_CONFIDENCE = 0.5
# A text this short ("Test subtitle." reads as Catalan at 0.67) needs a surer guess.
SHORT_LETTERS = 40
MIN_CONFIDENCE_SHORT = 0.8
# Read at most this much text: more does not change the answer, only the time.
_SAMPLE_CHARS = 4000


@dataclass(frozen=True)
class Identified:
    """The language found (ISO 639-1 code) and lingua's confidence in it."""

    language: str
    confidence: float
    letters: int = SHORT_LETTERS

    @property
    def sure(self) -> bool:
        needed = MIN_CONFIDENCE_SHORT if self.letters < SHORT_LETTERS else MIN_CONFIDENCE
        return self.confidence >= needed


def identify_language(text: str) -> Identified | None:
    """The language of ``text``, or None when there is too little text to tell."""
    sample = _sample(text)
    letters = sum(ch.isalpha() for ch in sample)
    if letters < (MIN_LETTERS if _mostly_latin(sample) else 2):
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    best = values[0]
    return Identified(_code(best.language), float(best.value), letters)


def _mostly_latin(text: str) -> bool:
    """Whether most letters are Latin: only then is English a plausible fallback
    (Cyrillic or Chinese text is never English, however unsure the exact language)."""
    import unicodedata

    letters = [ch for ch in _sample(text) if ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return latin * 2 >= len(letters)


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, _SAMPLE_CHARS)
    return text[: cut if cut > 0 else _SAMPLE_CHARS]


def _code(language) -> str:
    return language.iso_code_639_1.name.lower()


def same_language(a: str, b: str) -> bool:
    """``pt-BR`` and ``pt`` are the same language; Norwegian ``no``/``nb`` too."""
    aliases = {"no": "nb", "iw": "he", "in": "id"}
    base = [aliases.get(x.lower().replace("_", "-").split("-")[0], x.lower().split("-")[0]) for x in (a, b)]
    return base[0] == base[1]


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder  # imported here: heavy

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().with_preloaded_language_models().build()


def choose_language(text: str, *, declared: str | None = None, forced: str | None = None) -> tuple[str, str]:
    """The source language to translate from, and a notice to show ("" = nothing to say).

    ``forced`` (--from) wins; else ``declared`` (a transcript header) is kept, with
    a notice when the text reads as another language; else the language lingua
    identifies. When lingua is unsure (a line or two: "This subtitle is invalid"
    reads as Portuguese at 0.43) or there is too little text, English, the
    documented default, with a notice naming the guess.
    """
    if forced:
        return forced, ""
    found = identify_language(text)
    if declared:
        if found is not None and found.sure and not same_language(found.language, declared):
            return declared, (
                f"the source declares language {declared!r} but its text reads as {found.language!r} "
                f"(confidence {found.confidence:.2f}); translating from {declared!r} - give --from to choose"
            )
        return declared, ""
    if found is None:
        return "en", "too little text to tell its language; taken as English - give --from if it is not"
    if not found.sure and found.language != "en" and _mostly_latin(text):
        return "en", (
            f"cannot tell the language for sure (perhaps {found.language!r}, confidence {found.confidence:.2f}); "
            "taken as English - give --from if it is not"
        )
    if not found.sure:
        return found.language, (
            f"language guessed as {found.language!r} (confidence {found.confidence:.2f}); give --from if it is not"
        )
    return found.language, ""


# The legacy encodings made for each language's script, most used first (the
# Windows code page, then ISO 8859 and national standards), as browsers fall back
# to them per locale.
_WESTERN = ("cp1252", "iso8859_15", "latin_1")
_CENTRAL = ("cp1250", "iso8859_2")
_CYRILLIC = ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866")
_LEGACY = {
    **dict.fromkeys(("en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "nb", "nn", "fi", "ca", "eu", "ga", "is", "cy", "id", "ms", "tl", "sq", "eo"), _WESTERN),
    **dict.fromkeys(("cs", "sk", "pl", "hu", "sl", "hr", "bs", "ro"), _CENTRAL + ("iso8859_16",)),
    **dict.fromkeys(("ru", "uk", "bg", "mk", "sr", "be", "kk", "mn"), _CYRILLIC),
    "el": ("cp1253", "iso8859_7"),
    "tr": ("cp1254", "iso8859_9"),
    "az": ("cp1254", "iso8859_9"),
    **dict.fromkeys(("lt", "lv", "et"), ("cp1257", "iso8859_13", "iso8859_4")),
    "he": ("cp1255", "iso8859_8"),
    **dict.fromkeys(("ar", "fa", "ur"), ("cp1256", "iso8859_6")),
    "vi": ("cp1258",),
    "th": ("cp874", "tis_620"),
    "zh": ("gb18030", "gbk", "gb2312", "big5", "big5hkscs"),
    "ja": ("cp932", "shift_jis", "euc_jp", "iso2022_jp"),
    "ko": ("cp949", "euc_kr"),
}


# How sure lingua must be of a reading's language for the reading to count as fitting it.
_FIT_CONFIDENCE = 0.7


def _legacy(language: str) -> tuple[str, ...]:
    """``_LEGACY[language]`` under Python's own codec names (``iso8859-2``)."""
    import codecs

    return tuple(codecs.lookup(name).name for name in _LEGACY.get(language, ()))


def fitting_reading(readings: list[tuple[str, tuple[str, ...]]]) -> tuple[int, str] | None:
    """Of several readings of the same bytes (text, the encodings that give it; best
    first), the one in the most used encoding made for the text's language, and
    that encoding.

    The language is that of the first reading that fits it: read as a whole and
    by its non-ASCII words alone (the ones that differ between readings), the text
    must be in a language its encoding was made for. A reading in a code page of
    the wrong script, or of the wrong language group of the same script (cp1252
    for Polish: "siê" for "się"), does not fit. Then the language's encodings are
    tried in order (cp1251 before KOI8-R: both read Cyrillic as Cyrillic). None when
    no reading fits.
    """
    for text, encodings in readings:
        accented = " ".join(word for word in text.split() if not word.isascii())
        languages = [
            found.language
            for found in (identify_language(text), identify_language(accented))
            if found is not None and found.confidence >= _FIT_CONFIDENCE
        ]
        if not languages or not all(any(name in encodings for name in _legacy(lang)) for lang in languages):
            continue
        for name in _legacy(languages[0]):
            for index, (_, names) in enumerate(readings):
                if name in names:
                    return index, name
    return None
