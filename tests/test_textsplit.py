"""The one partition routine behind line breaking and cue splitting."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from transkit.linebreak import text_length
from transkit.textsplit import JoinedLengths, cheapest_partition


def _brute_force(words, count, max_length, piece_cost, gap_costs=()):
    """The least cost over every way to cut ``words`` into ``count`` pieces (None: no way)."""
    n = len(words)
    best = None
    for cuts in itertools.combinations(range(1, n), count - 1):
        bounds = (0, *cuts, n)
        cost = _cost_of(bounds, words, max_length, piece_cost, gap_costs)
        if cost is not None and (best is None or cost < best):
            best = cost
    return best


def _cost_of(bounds, words, max_length, piece_cost, gap_costs=()):
    total = 0.0
    for i, j in zip(bounds, bounds[1:]):
        if text_length(words[i:j]) > max_length:
            return None
        cost = piece_cost(i, j)
        if cost is None:
            return None
        total += cost + (gap_costs[i - 1] if i and gap_costs else 0.0)
    return total


@st.composite
def _problems(draw):
    words = draw(st.lists(st.text("abc", min_size=1, max_size=7), min_size=1, max_size=8))
    n = len(words)
    count = draw(st.integers(1, n + 1))
    max_length = draw(st.integers(1, 30))
    table = {
        (i, j): draw(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)))
        for i in range(n)
        for j in range(i + 1, n + 1)
    }
    gap_costs = draw(st.one_of(st.just(()), st.lists(st.floats(0, 50), min_size=n - 1, max_size=n - 1)))
    return words, count, max_length, table, tuple(gap_costs)


@settings(max_examples=300, deadline=None)
@given(_problems())
def test_the_partition_is_optimal_against_brute_force(problem):
    words, count, max_length, table, gap_costs = problem

    def piece_cost(i, j):
        return table[i, j]

    found = cheapest_partition(JoinedLengths(words), count, max_length, piece_cost, gap_costs)
    expected = _brute_force(words, count, max_length, piece_cost, gap_costs)
    if expected is None:
        assert found is None
        return
    assert found is not None
    cost, bounds = found
    assert bounds[0] == 0 and bounds[-1] == len(words) and len(bounds) == count + 1
    assert all(a < b for a, b in zip(bounds, bounds[1:]))
    recomputed = _cost_of(bounds, words, max_length, piece_cost, gap_costs)
    assert recomputed is not None
    assert math.isclose(cost, recomputed, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(cost, expected, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(_problems())
def test_piece_cost_is_only_asked_about_pieces_that_fit(problem):
    words, count, max_length, table, _ = problem
    asked = []

    def piece_cost(i, j):
        asked.append((i, j))
        return table[i, j]

    cheapest_partition(JoinedLengths(words), count, max_length, piece_cost)
    assert all(text_length(words[i:j]) <= max_length for i, j in asked)


@given(st.lists(st.text(min_size=1, max_size=6), max_size=8), st.data())
def test_joined_lengths_are_the_lengths_of_the_joined_words(words, data):
    lengths = JoinedLengths(words)
    i = data.draw(st.integers(0, len(words)))
    j = data.draw(st.integers(i, len(words)))
    assert len(lengths) == len(words)
    assert lengths(i, j) == len(" ".join(words[i:j]))


def test_even_pieces_win_when_the_cost_is_distance_from_even():
    words = "aa bb cc dd ee ff".split()
    lengths = JoinedLengths(words)
    found = cheapest_partition(lengths, 3, 20, lambda i, j: abs(lengths(i, j) - 5))
    assert found == (0.0, (0, 2, 4, 6))


def test_gap_costs_move_the_cut():
    words = "one two three four".split()
    lengths = JoinedLengths(words)
    # cutting after "two" is free, after "one" or "three" expensive
    _, bounds = cheapest_partition(lengths, 2, 100, lambda i, j: 0.0, (9.0, 0.0, 9.0))
    assert bounds == (0, 2, 4)


def test_equal_splits_keep_the_shortest_last_piece():
    words = ["a"] * 4
    _, bounds = cheapest_partition(JoinedLengths(words), 2, 100, lambda i, j: 1.0)
    assert bounds == (0, 3, 4)


def test_the_length_bound_is_inclusive():
    words = ["abc", "de"]  # "abc de" is 6 characters
    assert cheapest_partition(JoinedLengths(words), 1, 6, lambda i, j: 0.0) == (0.0, (0, 2))
    assert cheapest_partition(JoinedLengths(words), 1, 5, lambda i, j: 0.0) is None


def test_no_partition_when_nothing_qualifies():
    words = "a b c".split()
    lengths = JoinedLengths(words)
    assert cheapest_partition(lengths, 4, 100, lambda i, j: 0.0) is None  # more pieces than words
    assert cheapest_partition(lengths, 0, 100, lambda i, j: 0.0) is None
    assert cheapest_partition(lengths, -1, 100, lambda i, j: 0.0) is None
    assert cheapest_partition(lengths, 2, 100, lambda i, j: None) is None
    assert cheapest_partition(JoinedLengths(["toolong", "x"]), 2, 3, lambda i, j: 0.0) is None
