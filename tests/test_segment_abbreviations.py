"""Sentence splitting keeps abbreviations, initials and closing quotes/brackets with
their sentence (benchmarks/segment_accuracy.py measures it on other projects' test
texts; these are the cases reported against transkit)."""

from __future__ import annotations

import pytest

from transkit.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Polls close as of 5 a.m. Eastern time Sunday. Results come at noon.",
         ["Polls close as of 5 a.m. Eastern time Sunday.", "Results come at noon."]),
        ("She met him at 10 a.m. on Tuesday. They talked.", ["She met him at 10 a.m. on Tuesday.", "They talked."]),
        ("The vote is at 9 a.m. The polls open earlier.", ["The vote is at 9 a.m.", "The polls open earlier."]),
        ("It ends at 6 P.M. He left.", ["It ends at 6 P.M.", "He left."]),
        ("The U.K. and the U.S. signed. No. 10 said so.", ["The U.K. and the U.S. signed.", "No. 10 said so."]),
        ("He lives on St. James Street. Mr. Smith and Dr. Jones came.",
         ["He lives on St. James Street.", "Mr. Smith and Dr. Jones came."]),
        ("J. R. R. Tolkien wrote The Hobbit. It sold well.", ["J. R. R. Tolkien wrote The Hobbit.", "It sold well."]),
        ('He said: "We will win." Then he left.', ['He said: "We will win."', "Then he left."]),
        ("“We will,” he said. “Soon.” Nobody believed him.", ["“We will,” he said.", "“Soon.”", "Nobody believed him."]),
        ("The results were clear (see the appendix.) The board agreed.",
         ["The results were clear (see the appendix.)", "The board agreed."]),
        ("However, e.g., this should be easy. And this f.e. is tricky.",
         ["However, e.g., this should be easy.", "And this f.e. is tricky."]),
        ("a. The first item b. The second item", ["a. The first item", "b. The second item"]),
        ("1.) The first item. 2.) The second item.", ["1.) The first item.", "2.) The second item."]),
        ('"Bohr [...] used stairways [...]" (Smith 55).', ['"Bohr [...] used stairways [...]" (Smith 55).']),
    ],
)
def test_abbreviations_and_closers_stay_with_their_sentence(text, expected):
    assert sentences(text) == expected
