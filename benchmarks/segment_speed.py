"""How fast transkit splits and times the interview, against plain pysbd and a regex.

Run: .venv/bin/python benchmarks/segment_speed.py [--repeat N]

Prints sentences per second for ``split_sentences`` (pysbd plus transkit's offset
mapping and repairs), for pysbd alone (with and without its ``char_span`` mode)
and for a naive regex split, and the time of ``segment_transcript`` on the whole
interview, first call (pysbd import included) and warm. Then the time of
``layout_track`` (sentence -> cues: line breaking and cue splitting) on the
committed interview project, for its English and its Portuguese translation.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "interview.md"
PROJECT = ROOT / "translations" / "interview.project.json"
SEED = ROOT.parent / "shared" / "seed" / "meduza-stoltenberg-interview-2022-04-07.txt"


def interview_transcript():
    from transkit.model import Metadata, Paragraph, Transcript

    if SOURCE.exists():
        from transkit.ingest import load_transcript

        return load_transcript(SOURCE), str(SOURCE.relative_to(ROOT))
    # Until the structured source exists: every one-line block of the seed as speech.
    blocks = [b.strip() for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip() and "\n" not in b.strip()]
    paragraphs = tuple(Paragraph(index=i, kind="speech", text=b, speaker="S") for i, b in enumerate(blocks))
    return Transcript(Metadata(title="seed"), (), paragraphs), str(SEED.name) + " (raw blocks)"


def best_of(repeat: int, func, clock=time.perf_counter) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        func()
        best = min(best, clock() - start)
    return best


def cold_start_seconds() -> float:
    """segment_transcript in a fresh interpreter: what one CLI run pays."""
    code = (
        "import sys, time; sys.path.insert(0, %r); import segment_speed as b; t, _ = b.interview_transcript();"
        "from transkit.segment import segment_transcript; s = time.perf_counter(); segment_transcript(t);"
        "print(time.perf_counter() - s)" % str(Path(__file__).parent)
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import pysbd

    from transkit.segment import segment_transcript, split_sentences

    transcript, label = interview_transcript()
    texts = [p.text for p in transcript.spoken]
    words = sum(len(t.split()) for t in texts)
    n_sentences = sum(len(split_sentences(t)) for t in texts)

    plain = pysbd.Segmenter(language="en", clean=False)
    spans = pysbd.Segmenter(language="en", clean=False, char_span=True)
    naive = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

    runs = {
        "transkit split_sentences": lambda: [split_sentences(t) for t in texts],
        "pysbd segment (text only)": lambda: [plain.segment(t) for t in texts],
        "pysbd segment (char_span)": lambda: [spans.segment(t) for t in texts],
        "regex split (no abbreviations)": lambda: [naive.split(t) for t in texts],
    }
    print(f"input: {label}: {len(texts)} spoken paragraphs, {words} words, {n_sentences} sentences")
    baseline = None
    for name, func in runs.items():
        seconds = best_of(args.repeat, func)
        baseline = baseline or seconds
        print(
            f"{name:32s} {seconds * 1000:8.1f} ms  {n_sentences / seconds:10.0f} sentences/s"
            f"  (speed {baseline / seconds:7.2f}x transkit)"
        )
    warm = best_of(args.repeat, lambda: segment_transcript(transcript))
    segments = segment_transcript(transcript)
    print(f"segment_transcript, warm        {warm * 1000:8.1f} ms  ({len(segments)} segments)")
    print(f"segment_transcript, fresh process {cold_start_seconds() * 1000:6.1f} ms (pysbd import included)")
    print(f"estimated duration               {segments[-1].end_ms / 60_000:8.2f} min")
    layout_speed(args.repeat)


def layout_speed(repeat: int) -> None:
    """Warm ``layout_track`` over the committed project, per language, in CPU time
    (the process's own, so other work on a shared machine disturbs it less)."""
    from transkit.layout import layout_track
    from transkit.linebreak import _best_lines_cached
    from transkit.profiles import default_profile_for
    from transkit.projectfile import load_project

    if not PROJECT.exists():
        print(f"layout: {PROJECT.relative_to(ROOT)} not found, skipped")
        return
    project = load_project(PROJECT)
    shown = [s for s in project.segments if s.timing != "unaligned"]
    source = project.transcript.meta.language
    for language in [source, *(r.language for r in project.languages)]:
        texts = None
        if language != source:
            texts = {t.segment_id: t.text for t in project.language(language).translations}
        profile = default_profile_for(language)

        def run() -> None:
            _best_lines_cached.cache_clear()  # each run pays for its own line breaking
            layout_track(shown, language, profile, texts=texts, typography=texts is not None)

        seconds = best_of(repeat, run, time.process_time)
        cues = len(layout_track(shown, language, profile, texts=texts, typography=texts is not None).cues)
        print(f"layout_track {language:3s} warm, CPU        {seconds * 1000:8.1f} ms  ({len(shown)} segments, {cues} cues)")


if __name__ == "__main__":
    main()
