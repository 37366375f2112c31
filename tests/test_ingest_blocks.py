"""The one blank-line block splitter the readers share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transkit.ingest.blocks import split_blocks


def test_blank_lines_separate_blocks_however_many():
    lines = ["", "a", "b", "", " \t", "c", ""]
    assert split_blocks(lines, str.strip) == [["a", "b"], ["c"]]


def test_nothing_filled_gives_no_blocks():
    assert split_blocks([], str.strip) == []
    assert split_blocks(["", "  "], str.strip) == []


def test_the_caller_decides_what_is_blank():
    lines = ["one", "dropped", "two", "", "three"]
    dropped = {2}
    numbers = range(1, len(lines) + 1)
    assert split_blocks(numbers, lambda n: lines[n - 1].strip() and n not in dropped) == [[1], [3], [5]]


@given(st.lists(st.sampled_from(["", " ", "a", "b c"])))
def test_blocks_are_the_maximal_runs_of_filled_lines(lines):
    numbered = list(enumerate(lines))
    found = split_blocks(numbered, lambda item: item[1].strip())
    # every filled line once, in order; nothing else
    assert [item for block in found for item in block] == [item for item in numbered if item[1].strip()]
    for block in found:
        indices = [i for i, _ in block]
        assert indices == list(range(indices[0], indices[-1] + 1))  # consecutive lines
    for earlier, later in zip(found, found[1:]):
        assert later[0][0] > earlier[-1][0] + 1  # a blank line between two blocks
