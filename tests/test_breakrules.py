"""Per-language break rules: data apart from the break-cost logic that reads them."""

from __future__ import annotations

import dataclasses

import pytest

from transkit.breakrules import RULES, BreakRules, rules_for
from transkit.linebreak import FORBIDDEN, break_cost


def _word_sets(rules: BreakRules):
    for field in dataclasses.fields(rules):
        value = getattr(rules, field.name)
        if isinstance(value, frozenset):
            yield field.name, value


@pytest.mark.parametrize("language", sorted(RULES))
def test_every_listed_word_is_lower_case_and_bare(language):
    """break_cost compares lower-cased words: an entry in capitals or with spaces would never match."""
    for name, words in _word_sets(RULES[language]):
        for word in words:
            assert word and word == word.lower() and word == word.strip(), (language, name, word)


@pytest.mark.parametrize("language", ["en", "ru", "de", "fr", "es", "pt"])
def test_the_languages_of_the_issue_have_their_own_rules(language):
    rules = rules_for(language)
    assert rules is not rules_for("xx")
    assert rules.prepositions and rules.conjunctions and rules.articles and rules.auxiliaries


def test_regional_codes_use_the_base_language():
    assert rules_for("pt-BR") is rules_for("pt")
    assert rules_for("EN_gb") is rules_for("en")


def test_unknown_language_gets_empty_rules():
    generic = rules_for("xx")
    assert all(not words for _, words in _word_sets(generic))


def test_russian_one_letter_words_and_particles_are_glued():
    ru = rules_for("ru")
    assert {"в", "к", "с", "у", "о", "и", "а", "я"} <= ru.glue_next
    assert {"ли", "же", "бы"} <= ru.glue_previous
    assert break_cost("в", "Москве", ru) == FORBIDDEN
    assert break_cost("Знаешь", "ли", ru) == FORBIDDEN
