"""The cheapest partition of a run of words into consecutive pieces.

Line breaking (a cue's text into lines) and cue layout (a sentence into cues)
ask the same question: where to cut ``words`` into exactly ``count`` non-empty
pieces so that the sum of the pieces' costs is least, no piece longer than a
limit. ``cheapest_partition`` answers it with one dynamic programme over the
piece ends; what a piece costs is the caller's ``piece_cost(i, j)`` for
``words[i:j]``, and a cut between two words may cost ``gap_costs[k]`` (the gap
after ``words[k]``). Lengths are characters of the words joined by single spaces,
read in constant time from prefix sums (``JoinedLengths``).
"""

from __future__ import annotations

from typing import Callable, Sequence

PieceCost = Callable[[int, int], "float | None"]


class JoinedLengths:
    """``lengths(i, j)``: characters of ``words[i:j]`` joined by single spaces."""

    __slots__ = ("prefix",)

    def __init__(self, words: Sequence[str]) -> None:
        prefix = [0]  # prefix[k]: characters of words[:k], spaces not counted
        for word in words:
            prefix.append(prefix[-1] + len(word))
        self.prefix = prefix

    def __len__(self) -> int:
        """The number of words."""
        return len(self.prefix) - 1

    def __call__(self, i: int, j: int) -> int:
        return self.prefix[j] - self.prefix[i] + max(j - i - 1, 0)


def cheapest_partition(
    lengths: JoinedLengths,
    count: int,
    max_length: int,
    piece_cost: PieceCost,
    gap_costs: Sequence[float] = (),
) -> tuple[float, tuple[int, ...]] | None:
    """The cheapest split of the words into exactly ``count`` consecutive pieces.

    A piece ``words[i:j]`` may be chosen when ``lengths(i, j) <= max_length`` and
    ``piece_cost(i, j)`` is not ``None``; the cost of a split is the sum of its
    pieces' costs and, when ``gap_costs`` is given, of ``gap_costs[k]`` for each
    cut after ``words[k]`` (added before the cost of the piece that follows).
    Returns ``(cost, bounds)`` with ``bounds`` = ``(0, b1, ..., n)`` (piece ``k``
    is ``words[bounds[k]:bounds[k + 1]]``), or ``None`` when no split qualifies
    (``count`` below 1 or above the number of words included). Of equally cheap
    splits, each piece end keeps the latest start found (the shortest last
    piece). ``piece_cost`` is only asked about pieces that fit ``max_length`` and
    follow a feasible split of what comes before.
    """
    if count < 1:
        return None
    n, prefix = len(lengths), lengths.prefix
    cut = [0.0, *gap_costs] if gap_costs else [0.0] * max(n, 1)  # cut[i]: a cut before words[i]
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[-1] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for c in range(1, count + 1):
        before, here, came_from = best[c - 1], best[c], back[c]
        for j in range(c, n + 1):
            for i in range(j - 1, c - 2, -1):
                if prefix[j] - prefix[i] + j - i - 1 > max_length:  # lengths(i, j), as i < j
                    break  # longer pieces only grow
                if before[i] == inf:
                    continue
                cost = piece_cost(i, j)
                if cost is None:
                    continue
                cost = before[i] + cut[i] + cost
                if cost < here[j]:
                    here[j] = cost
                    came_from[j] = i
    if best[count][n] == inf:
        return None
    bounds = [n]
    for c in range(count, 0, -1):
        bounds.append(back[c][bounds[-1]])
    bounds.reverse()
    return best[count][n], tuple(bounds)
