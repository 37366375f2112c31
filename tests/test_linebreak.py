"""Line breaking: where a cue's text is split into lines, per language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transkit.linebreak import (
    FORBIDDEN,
    best_lines,
    break_cost,
    break_lines,
    rules_for,
    text_length,
    words_of,
)
from transkit.typography import NBSP, apply_typography

FIXTURE = Path(__file__).parent / "fixtures" / "ru_first_answers.json"
RU_ONE_LETTER = {"в", "к", "с", "у", "о", "и", "а", "я"}
RU_PARTICLES = {"ли", "же", "бы"}
EN = rules_for("en")
RU = rules_for("ru")


def _bare(word: str) -> str:
    return word.strip("«»„“”\"'()[],.;:!?…").lower()


def test_words_are_split_on_ordinary_spaces_only():
    assert words_of(f"Россия{NBSP}— наш  сосед\n!") == [f"Россия{NBSP}—", "наш", "сосед", "!"]


def test_no_break_space_counts_as_one_character():
    assert text_length([f"a{NBSP}b", "c"]) == 5


def test_short_text_stays_on_one_line():
    assert break_lines("Absolutely wrong.", "en", 42, 2) == ("Absolutely wrong.",)


def test_exactly_max_chars_is_one_line():
    text = "Ukraine has the right to self-defense now."
    assert len(text) == 42
    assert break_lines(text, "en", 42, 2) == (text,)


def test_long_text_is_two_lines_within_the_limit():
    text = "Russian state propaganda often says that NATO somehow uses Ukraine against Russia."
    lines = break_lines(text, "en", 42, 2)
    assert len(lines) == 2
    assert all(len(line) <= 42 for line in lines)
    assert " ".join(lines) == text


def test_break_after_punctuation_is_preferred_to_a_balanced_break():
    lines = break_lines("Or “special operation,” according to official Russian censorship.", "en", 42, 2)
    assert lines[0].endswith("operation,”")


def test_break_before_a_conjunction():
    lines = break_lines("Then they changed position again and started to aspire for membership.", "en", 42, 2)
    assert lines == ("Then they changed position again", "and started to aspire for membership.")


def test_lines_are_balanced_when_grammar_does_not_decide():
    lines = break_lines("The situation in Ukraine is very unpredictable and very dangerous today", "en", 42, 2)
    assert abs(len(lines[0]) - len(lines[1])) <= 16


def _two_line_options(text: str, width: int) -> list[tuple[str, str]]:
    words = words_of(text)
    options = []
    for cut in range(1, len(words)):
        upper, lower = " ".join(words[:cut]), " ".join(words[cut:])
        if len(upper) <= width and len(lower) <= width:
            options.append((upper, lower))
    return options


@pytest.mark.parametrize(
    "text, splits_phrase",
    [
        ("Yesterday in Oslo we spoke with Jens Stoltenberg about the war and peace", lambda up: up.endswith("Jens")),
        ("We believe that the alliance will protect every inch of the territory", lambda up: up.endswith(("the", "will"))),
        ("NATO is a defensive alliance ready to protect and defend our allies", lambda up: up.endswith(("a", "defensive"))),
    ],
)
def test_phrase_is_kept_together_whenever_another_break_fits(text, splits_phrase):
    checked = 0
    for width in range(len(text) // 2 + 1, len(text)):
        options = _two_line_options(text, width)
        if not any(not splits_phrase(upper) for upper, _ in options):
            continue
        lines = break_lines(text, "en", width, 2)
        assert not splits_phrase(lines[0]), (width, lines)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "left, right, worse_than",
    [
        ("the", "alliance", ("alliance", "and")),  # article/noun vs before a conjunction
        ("defensive", "alliance", ("alliance,", "we")),  # adjective/noun vs after a comma
        ("will", "protect", ("protect", "every")),  # auxiliary/verb vs plain
        ("Jens", "Stoltenberg", ("Stoltenberg", "said")),  # first/last name vs plain
    ],
)
def test_phrases_that_must_stay_together_cost_more(left, right, worse_than):
    assert break_cost(left, right, EN) > break_cost(*worse_than, EN)


@pytest.fixture
def interview_sentences() -> list[str]:
    from transkit.ingest import load_transcript
    from transkit.segment import sentences_of

    root = Path(__file__).resolve().parent.parent
    return [s.text for s in sentences_of(load_transcript(root / "source" / "interview.md"))]


def test_interview_lines_never_end_with_an_article_when_another_break_fits(interview_sentences):
    checked = 0
    for sentence in interview_sentences:
        options = _two_line_options(sentence, 42)
        clean = [up for up, _ in options if _bare(up.split()[-1]) not in {"a", "an", "the"}]
        if len(sentence) <= 42 or not clean:
            continue
        lines = break_lines(sentence, "en", 42, 2)
        assert _bare(lines[0].split()[-1]) not in {"a", "an", "the"}, lines
        checked += 1
    assert checked > 30


# --- Russian ----------------------------------------------------------------------

@pytest.mark.parametrize("word", sorted(RU_ONE_LETTER))
def test_russian_one_letter_word_never_ends_a_line(word):
    assert break_cost(word, "Москве", RU) == FORBIDDEN


@pytest.mark.parametrize("particle", sorted(RU_PARTICLES))
def test_russian_particle_never_starts_a_line(particle):
    assert break_cost("хотели", particle, RU) == FORBIDDEN


def test_russian_one_letter_word_with_punctuation_may_end_a_line():
    assert break_cost("а,", "может", RU) < FORBIDDEN


def test_russian_balanced_break_moves_away_from_a_one_letter_word():
    # The most balanced break would fall right after "в".
    text = "Совещание министров пройдёт в Брюсселе весной"
    lines = break_lines(text, "ru", 30, 2)
    assert len(lines) == 2
    assert _bare(lines[0].split()[-1]) not in RU_ONE_LETTER


def test_russian_rules_hold_on_the_fixture_at_many_widths():
    """Every fixture sentence, broken at widths 20..42, keeps the Russian rules."""
    sentences = [apply_typography(s["ru"], "ru") for s in json.loads(FIXTURE.read_text())["segments"]]
    checked = 0
    for width in range(20, 43, 2):
        for sentence in sentences:
            lines = best_lines(words_of(sentence), "ru", width, 8)
            if lines is None or len(lines) < 2:
                continue
            for upper, lower in zip(lines, lines[1:]):
                checked += 1
                assert _bare(upper.split()[-1]) not in RU_ONE_LETTER or upper[-1] in ",.;:!?…»", (upper, lower)
                assert _bare(lower.split()[0]) not in RU_PARTICLES, (upper, lower)
                assert not lower.startswith("—"), (upper, lower)
    assert checked > 200


def test_dash_stays_on_the_line_of_the_word_before_it():
    text = apply_typography("Украина - независимое государство, которое само принимает решения", "ru")
    for width in range(12, 42):
        lines = break_lines(text, "ru", width, 6)
        assert not any(line.startswith("—") for line in lines)


# --- when nothing fits ---------------------------------------------------------------

def test_nothing_fits_gives_none_but_break_lines_keeps_every_word():
    text = "Supercalifragilisticexpialidociouslylongword is here"
    assert best_lines(words_of(text), "en", 20, 2) is None
    lines = break_lines(text, "en", 20, 2)
    assert " ".join(lines) == text
    assert len(lines) == 2


def test_three_lines_when_allowed():
    text = "one two three four five six seven eight nine ten eleven twelve"
    lines = best_lines(words_of(text), "en", 22, 3)
    assert lines is not None and len(lines) == 3
    assert all(len(line) <= 22 for line in lines)


def test_generic_rules_for_unknown_languages_still_break():
    lines = break_lines("uno dos tres cuatro cinco seis siete ocho nueve diez once doce", "xx", 32, 2)
    assert len(lines) == 2 and all(len(line) <= 32 for line in lines)
