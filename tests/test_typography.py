"""Per-language typography: quotes, ellipsis, dashes, French spacing; idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transkit.typography import ELLIPSIS, NARROW_NBSP, NBSP, apply_typography, base_language

EM = "\u2014"


# --- Russian -----------------------------------------------------------------

def test_russian_straight_quotes_become_guillemets():
    out = apply_typography('НАТО якобы "использует" Украину', "ru")
    assert out == "НАТО якобы «использует» Украину"


def test_russian_nested_quotes_use_low_high_quotes_inside():
    out = apply_typography('Он сказал: "Это не "спецоперация", а война"', "ru")
    assert out == "Он сказал: «Это не „спецоперация“, а война»"


def test_russian_english_curly_quotes_are_replaced():
    assert apply_typography("никогда не “использовали” Украину", "ru") == "никогда не «использовали» Украину"


def test_russian_period_goes_after_the_closing_quote():
    assert apply_typography('Он ответил: "Нет."', "ru") == "Он ответил: «Нет»."


def test_russian_three_dots_become_one_ellipsis_character():
    out = apply_typography("хочет одного... разделять", "ru")
    assert out == f"хочет одного{ELLIPSIS} разделять"
    assert "..." not in out


@pytest.mark.parametrize("dash", [" - ", " -- ", "--", " \u2013 ", " \u2014 "])
def test_russian_dash_gets_no_break_space_before_and_space_after(dash):
    out = apply_typography(f"Россия{dash}наш сосед", "ru")
    assert out == f"Россия{NBSP}{EM} наш сосед"


@pytest.mark.parametrize("word", ["кто-то", "премьер-министр", "1990-е", "из-за"])
def test_hyphens_inside_words_are_left_alone(word):
    assert apply_typography(f"это {word} здесь", "ru") == f"это {word} здесь"


# --- other languages ----------------------------------------------------------

def test_french_guillemets_with_no_break_spaces_inside():
    assert apply_typography('Il a dit "non" hier', "fr") == f"Il a dit «{NBSP}non{NBSP}» hier"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Vraiment?", f"Vraiment{NARROW_NBSP}?"),
        ("Vraiment ?", f"Vraiment{NARROW_NBSP}?"),
        ("Non !", f"Non{NARROW_NBSP}!"),
        ("oui; non", f"oui{NARROW_NBSP}; non"),
        ("Il a dit : non", f"Il a dit{NBSP}: non"),
        ("Il a dit: non", f"Il a dit{NBSP}: non"),
    ],
)
def test_french_space_before_high_punctuation(text, expected):
    assert apply_typography(text, "fr") == expected


def test_french_leaves_urls_and_clock_times_alone():
    assert apply_typography("à 10:30 sur https://example.org", "fr") == "à 10:30 sur https://example.org"


def test_german_low_high_quotes_and_nested_single():
    assert apply_typography('Er sagte "das ist "gut" so"', "de") == "Er sagte \u201edas ist \u201agut\u2018 so\u201c"


def test_german_spaced_hyphen_becomes_en_dash():
    assert apply_typography("ja - nein", "de") == "ja \u2013 nein"


def test_english_curly_quotes_apostrophes_and_dash():
    out = apply_typography('but never "used" Ukraine - it\'s NATO\'s choice... allies\'', "en")
    assert out == "but never \u201cused\u201d Ukraine \u2014 it\u2019s NATO\u2019s choice\u2026 allies\u2019"


def test_english_nested_quotes_are_single_curly():
    assert apply_typography('"He said \'no\' twice"', "en") == "\u201cHe said \u2018no\u2019 twice\u201d"


def test_spanish_keeps_inverted_marks():
    out = apply_typography('¿Qué "dijo"? ¡Nada!', "es")
    assert out == "¿Qué \u201cdijo\u201d? ¡Nada!"


def test_region_tags_use_the_base_language():
    assert base_language("pt-BR") == "pt"
    assert base_language("pt_BR") == "pt"
    assert apply_typography('"não"', "pt-BR") == "\u201cnão\u201d"


def test_unknown_language_keeps_quotes_but_fixes_dots():
    assert apply_typography('"ok"...', "xx") == f'"ok"{ELLIPSIS}'


def test_spaces_are_collapsed_but_no_break_spaces_kept():
    assert apply_typography(f"  a   b{NBSP}c  ", "en") == f"a b{NBSP}c"


# --- idempotence -------------------------------------------------------------

SAMPLES = [
    'Он сказал: "Это "особая операция" ... так - вот." Кто-то -- нет.',
    "«Уже „готово“»\u00a0— да",
    'He said "never \'used\' Ukraine" - it\'s NATO\'s... war -- allies\'',
    'Er sagte "das ist "gut" so" - ja',
    'Il a dit : "non" ! Vraiment? Oui; à 10:30 http://x.fr',
    '¿Qué "dijo"? ¡No!',
]
LANGUAGES = ["en", "ru", "uk", "de", "fr", "es", "pt", "it"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", SAMPLES)
def test_applying_twice_equals_applying_once(text, language):
    once = apply_typography(text, language)
    assert apply_typography(once, language) == once


_MARKS = st.sampled_from(["", '"', "'", "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "\u2018", "\u2019"])
_WORD = st.from_regex(r"[abяж1]{1,4}(-[abя]{1,3})?", fullmatch=True)
_TOKEN = st.tuples(_MARKS, _MARKS, _WORD, _MARKS, _MARKS, st.sampled_from(["", ".", ",", "...", "?", "!", ":", ";"]))
_SEPARATOR = st.sampled_from([" ", " ", " ", " - ", " -- ", "\u00a0", "  "])


@st.composite
def sentences(draw):
    """Text shaped like a sentence: words with quotation marks and punctuation attached."""
    tokens = draw(st.lists(_TOKEN, min_size=1, max_size=8))
    parts = []
    for token in tokens:
        if parts:
            parts.append(draw(_SEPARATOR))
        parts.append("".join(token))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(sentences(), st.sampled_from(LANGUAGES))
def test_idempotent_on_generated_sentences(text, language):
    once = apply_typography(text, language)
    assert apply_typography(once, language) == once


def test_no_ascii_quotes_left_in_russian():
    out = apply_typography('"раз" и "два", и \'три\'', "ru")
    assert '"' not in out
