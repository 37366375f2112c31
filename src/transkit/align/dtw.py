"""Dynamic time warping of synthetic speech (rows) onto the recording (columns).

The path gives every synthetic frame ``i`` one recording frame ``j(i)``, and
from one row to the next the recording advances by 0, 1, 2 or 3 frames. Every
path therefore has exactly one cell per row: paths of different lengths cost the
same number of terms, so a path that skips or squeezes part of the recording is
not favoured just for touching fewer cells (the bias of the classic symmetric
step pattern when the start and the end are left open, which this aligner needs
for leading and trailing non-speech). Long pauses are removed from both
sequences beforehand (``compress_pauses``), so a local slope of at most 3 is
enough; a run of synthetic frames on one recording frame (text that is not
spoken) is allowed and shows as a squeezed segment.

Each row is one numpy expression over its band of columns, so the Python loop is
over rows only. ``align_windows`` keeps time and memory linear in the length of
the recording: it aligns a window of synthetic frames inside a band of recording
frames, keeps the first part of that path and starts the next window from where
the kept part ends. ``refine_batch`` aligns many short excerpts at once (one
numpy expression per row for all of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

INF = 1e30
MAX_STEP = 3
# Extra cost (in units of a frame distance) for advancing 0 or 2-3 frames per row:
# a mild preference for the diagonal that keeps flat stretches for real reasons.
STEP_PENALTY = (0.3, 0.0, 0.15, 0.4)


@dataclass
class PathMap:
    """``column[i]``: the recording frame matched to synthetic frame ``i``;
    ``cost[i]``: the distance between them."""

    column: "np.ndarray"
    cost: "np.ndarray"


def distances(a: "np.ndarray", b: "np.ndarray") -> "np.ndarray":
    """Euclidean distances between the rows of ``a`` (n, d) and ``b`` (m, d)."""
    import numpy as np

    sq = (a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None, :] - 2.0 * (a @ b.T)
    return np.sqrt(np.maximum(sq, 0.0, out=sq), out=sq)


def band_dtw(
    a: "np.ndarray",
    b: "np.ndarray",
    lo: "np.ndarray",
    hi: "np.ndarray",
    *,
    start: int | None,
    penalties: Sequence[float] = STEP_PENALTY,
    skip_cost: float | None = None,
) -> PathMap:
    """Align all rows of ``a`` to ``b``; row ``i`` may use columns ``lo[i] <= j < hi[i]``.

    ``start``: the column of row 0, or None to let the path begin anywhere in row
    0's band. The path ends wherever it is cheapest in the last row. With
    ``skip_cost``, rows may instead leave the recording after its last column (text
    that goes on after the recording ends) at that cost per row; such rows get
    column ``len(b)`` in the result.
    """
    import numpy as np

    n = a.shape[0]
    width = int((hi - lo).max())
    steps = np.zeros((n, width), dtype=np.int8)
    local = np.zeros((n, width), dtype=np.float32)
    pen = np.asarray(penalties, dtype=np.float64)[:, None]
    previous: "np.ndarray | None" = None
    previous_lo = 0
    m = b.shape[0]
    # "beyond the end" state: its cost so far, and per row whether it was entered there
    beyond = INF
    entered = np.zeros(n, dtype=bool)
    block = 512
    for first_row in range(0, n, block):
        rows = slice(first_row, min(n, first_row + block))
        col0, col1 = int(lo[rows].min()), int(hi[rows].max())
        block_cost = distances(a[rows], b[col0:col1])
        for i in range(rows.start, rows.stop):
            l, h = int(lo[i]), int(hi[i])
            c = block_cost[i - first_row, l - col0: h - col0]
            local[i, : h - l] = c
            if previous is None:
                d = c.astype(np.float64)
                if start is not None:
                    d = np.full(h - l, INF)
                    d[start - l] = c[start - l]
            else:
                candidates = np.full((MAX_STEP + 1, h - l), INF)
                for s in range(MAX_STEP + 1):
                    # candidates[s][j] = previous[j - s] for columns j in [l, h)
                    src_lo, src_hi = l - s - previous_lo, h - s - previous_lo
                    a0, b0 = max(src_lo, 0), min(src_hi, previous.size)
                    if b0 > a0:
                        candidates[s, a0 - src_lo: b0 - src_lo] = previous[a0:b0]
                candidates += pen
                best = candidates.argmin(axis=0)
                steps[i, : h - l] = best
                d = c + candidates.min(axis=0)  # the value at ``best``
            if skip_cost is not None and previous is not None and h == m:
                leave = float(previous[-1]) if previous_lo + previous.size == m else INF
                entered[i] = leave < beyond
                beyond = min(beyond, leave) + skip_cost
            previous, previous_lo = d, l
    assert previous is not None
    column = np.zeros(n, dtype=np.int64)
    cost = np.zeros(n, dtype=np.float32)
    i = n - 1
    if beyond < float(previous.min()):
        while i > 0 and not entered[i]:
            column[i], cost[i] = m, skip_cost
            i -= 1
        column[i], cost[i] = m, skip_cost
        i -= 1
        j = m - 1
    else:
        j = int(np.argmin(previous)) + previous_lo
    for i in range(i, -1, -1):
        column[i] = j
        cost[i] = local[i, j - lo[i]]
        j -= int(steps[i, j - lo[i]])
    return PathMap(column, cost)


def align_windows(
    a: "np.ndarray",
    b: "np.ndarray",
    *,
    ratio: float,
    radius: int,
    window: int,
    keep: int,
    head: int,
    skip_cost: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PathMap:
    """Align all of ``a`` to ``b`` window by window (``window`` rows, of which the first
    ``keep`` are kept), inside a band of ``radius`` columns around a line of slope
    ``ratio`` from each window's starting point. The first window may start anywhere
    in the first ``head`` columns (leading non-speech or noise)."""
    import numpy as np

    n, m = a.shape[0], b.shape[0]
    column = np.zeros(n, dtype=np.int64)
    cost = np.zeros(n, dtype=np.float32)
    row0, col0 = 0, 0
    while row0 < n:
        row1 = min(n, row0 + window)
        offsets = np.arange(row1 - row0)
        reach = np.minimum(col0 + MAX_STEP * offsets + 1, m)  # the path cannot get further
        centre = col0 + (offsets * ratio).astype(np.int64)
        extra = head if row0 == 0 else 0
        lo = np.clip(centre - radius, col0, m - 1)
        hi = np.clip(centre + radius + extra + 1, 1, m)
        if row0 > 0:
            hi = np.minimum(hi, reach)
        lo = np.minimum(np.maximum.accumulate(lo), hi - 1)
        hi = np.maximum.accumulate(hi)
        if row0 == 0:
            # the text may start late (leading non-speech), but not in the second half
            # of the recording: a path starting at the very end and leaving at once
            # would otherwise "explain" any text at the skip cost
            hi[0] = max(lo[0] + 1, min(int(hi[0]), max(1, min(head + radius, m // 2))))
        # rows must overlap the previous row's band shifted by at most MAX_STEP
        lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)
        part = band_dtw(a[row0:row1], b, lo, hi, start=None if row0 == 0 else col0, skip_cost=skip_cost)
        done = row1 if row1 == n else row0 + keep
        count = done - row0
        column[row0:done] = part.column[:count]
        cost[row0:done] = part.cost[:count]
        if done < n and part.column[count] >= m:
            # the recording has ended: the rest of the text is beyond it
            column[done:] = m
            cost[done:] = skip_cost if skip_cost is not None else 0.0
            done = n
        elif done < n:
            col0 = int(part.column[count])
        row0 = done
        if progress:
            progress(row0, n)
    return PathMap(column, cost)
