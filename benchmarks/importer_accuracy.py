"""How well does ``transkit import`` clean and attribute the raw seed?

Runs the importer on ``source/raw/meduza-stoltenberg-interview-2022-04-07.txt`` and
compares it, line by line, with the hand-checked ``source/interview.md``. In the
same run it scores the obvious alternative (keep every line; a paragraph with a
question mark is the interviewer's, every other one the interviewee's), so the
figures can be read against it.

    .venv/bin/python benchmarks/importer_accuracy.py
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "source" / "raw" / "meduza-stoltenberg-interview-2022-04-07.txt"
CHECKED = ROOT / "source" / "interview.md"

sys.path.insert(0, str(ROOT / "src"))

from transkit.fsio import read_text_file  # noqa: E402
from transkit.ingest import import_raw, load_transcript  # noqa: E402

Labels = dict[int, str]  # raw line -> "drop" | "note" | speaker name


@dataclass
class Score:
    lines: int
    kept_ok: int
    dropped_ok: int
    wrongly_kept: int
    wrongly_dropped: int
    notes_ok: int
    notes: int
    spoken_ok: int
    spoken: int
    turns_ok: int
    turns: int
    review: int
    review_needed: int  # marked paragraphs whose attribution was in fact wrong
    wrong_unmarked: int


def truth_labels(raw_lines: list[str]) -> Labels:
    """Label each non-blank raw line from the hand-checked file (matched by its text)."""
    checked = load_transcript(CHECKED)
    by_text = {p.text: p for p in checked.paragraphs}
    labels: Labels = {}
    for number, line in enumerate(raw_lines, start=1):
        if not line.strip():
            continue
        p = by_text.get(line.strip())
        if p is None:
            labels[number] = "drop"
        else:
            labels[number] = "note" if p.kind == "note" else checked.speaker(p.speaker).name
    return labels


def importer_labels(text: str) -> tuple[Labels, set[int]]:
    result = import_raw(text)
    t = result.transcript
    labels: Labels = {d.line: "drop" for d in result.dropped}
    flagged: set[int] = set()
    for kept, p in zip(result.kept, t.paragraphs):
        for number in range(kept.line, kept.end_line + 1):
            labels[number] = "note" if p.kind == "note" else t.speaker(p.speaker).name
            if p.needs_review:
                flagged.add(number)
    return labels, flagged


def baseline_labels(raw_lines: list[str], truth: Labels) -> tuple[Labels, set[int]]:
    """The obvious alternative: keep everything, '?' means interviewer."""
    names = sorted({v for v in truth.values() if v not in ("drop", "note")})
    interviewer = next(v for n, v in sorted(truth.items()) if v not in ("drop", "note"))
    interviewee = next(n for n in names if n != interviewer)
    return {
        number: interviewer if "?" in line else interviewee
        for number, line in enumerate(raw_lines, start=1)
        if line.strip()
    }, set()


def turns(labels: Labels) -> list[tuple[str, tuple[int, ...]]]:
    """Runs of consecutive spoken lines by one speaker (dropped lines do not break a run)."""
    runs: list[tuple[str, list[int]]] = []
    for number in sorted(labels):
        who = labels[number]
        if who == "drop":
            continue
        if who != "note" and runs and runs[-1][0] == who:
            runs[-1][1].append(number)
        else:
            runs.append((who, [number]))
    return [(who, tuple(lines)) for who, lines in runs if who != "note"]


def score(truth: Labels, got: Labels, flagged: set[int]) -> Score:
    lines = sorted(truth)
    kept = [n for n in lines if truth[n] != "drop"]
    spoken = [n for n in kept if truth[n] != "note"]
    notes = [n for n in kept if truth[n] == "note"]
    wrong = {n for n in spoken if got.get(n) != truth[n]}
    got_turns = set(turns(got))
    return Score(
        lines=len(lines),
        kept_ok=sum(1 for n in kept if got.get(n, "drop") != "drop"),
        dropped_ok=sum(1 for n in lines if truth[n] == "drop" and got.get(n, "drop") == "drop"),
        wrongly_kept=sum(1 for n in lines if truth[n] == "drop" and got.get(n, "drop") != "drop"),
        wrongly_dropped=sum(1 for n in kept if got.get(n, "drop") == "drop"),
        notes_ok=sum(1 for n in notes if got.get(n) == "note"),
        notes=len(notes),
        spoken_ok=len(spoken) - len(wrong),
        spoken=len(spoken),
        turns_ok=sum(1 for t in turns(truth) if t in got_turns),
        turns=len(turns(truth)),
        review=len(flagged),
        review_needed=len(flagged & wrong),
        wrong_unmarked=len(wrong - flagged),
    )


def main() -> None:
    text = read_text_file(RAW)
    raw_lines = text.split("\n")
    truth = truth_labels(raw_lines)
    ours = score(truth, *importer_labels(text))
    naive = score(truth, *baseline_labels(raw_lines, truth))

    times = []
    for _ in range(20):
        start = time.perf_counter()
        import_raw(text)
        times.append(time.perf_counter() - start)

    drop_total = ours.dropped_ok + ours.wrongly_kept
    keep_total = ours.kept_ok + ours.wrongly_dropped
    rows = [
        ("paragraphs (non-blank lines) in seed", f"{ours.lines}", f"{naive.lines}"),
        (f"kept correctly (of {keep_total})", f"{ours.kept_ok}", f"{naive.kept_ok}"),
        (f"dropped correctly (of {drop_total})", f"{ours.dropped_ok}", f"{naive.dropped_ok}"),
        ("wrongly kept", f"{ours.wrongly_kept}", f"{naive.wrongly_kept}"),
        ("wrongly dropped", f"{ours.wrongly_dropped}", f"{naive.wrongly_dropped}"),
        ("notes recognised", f"{ours.notes_ok}/{ours.notes}", f"{naive.notes_ok}/{naive.notes}"),
        ("spoken paragraphs attributed correctly",
         f"{ours.spoken_ok}/{ours.spoken}", f"{naive.spoken_ok}/{naive.spoken}"),
        ("turns attributed correctly", f"{ours.turns_ok}/{ours.turns}", f"{naive.turns_ok}/{naive.turns}"),
        ("marked for review", f"{ours.review}", f"{naive.review}"),
        ("  of which really wrong", f"{ours.review_needed}", f"{naive.review_needed}"),
        ("wrong and not marked", f"{ours.wrong_unmarked}", f"{naive.wrong_unmarked}"),
    ]
    print(f"importer accuracy on {RAW.relative_to(ROOT)} vs {CHECKED.relative_to(ROOT)}")
    print(f"{'':42} {'importer':>10} {'naive':>10}")
    for label, a, b in rows:
        print(f"{label:42} {a:>10} {b:>10}")
    print(f"import time: {statistics.median(times) * 1000:.1f} ms (median of {len(times)} runs)")


if __name__ == "__main__":
    main()
