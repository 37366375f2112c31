"""Blocks of a text: the runs of lines between blank lines.

Every reader that takes paragraphs or cues from text cuts it the same way; what a
"line" is (a string, a numbered line, a line number) and what makes one blank (no
text, or a line dropped earlier) is the caller's.
"""

from __future__ import annotations

from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


def split_blocks(lines: Iterable[T], filled: Callable[[T], object]) -> list[list[T]]:
    """The runs of consecutive ``lines`` for which ``filled(line)`` is true, in order;
    the others only separate runs (any number of them, at either end too)."""
    found: list[list[T]] = []
    current: list[T] = []
    for line in lines:
        if filled(line):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found
