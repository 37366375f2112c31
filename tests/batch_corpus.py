"""Varied copies of the interview for batch tests and benchmarks.

A newsroom batch is many transcripts that share some sentences (the same
speaker repeats himself, stock questions come back) but mostly say new things.
Identical copies would make every file after the first free through the
translation memory, so each copy here is built differently, deterministically:

- it takes its own window of question-and-answer pairs from the interview
  (copy k starts ``stride`` pairs after copy k-1 and wraps around), so
  neighbouring copies share some pairs;
- in every answer paragraph it joins two neighbouring sentences into one with a
  semicolon, the way an editor tightens a transcript; the join moves each time
  a pair comes back in a later copy, so every copy has sentences no earlier
  copy had (new text the engine has to translate);
- it gets a distinct title.

Only the interview's own words are used. ``write_varied_copies`` returns the
paths in the order ``transkit run FOLDER`` processes them.
"""

from __future__ import annotations

import re
from pathlib import Path

from transkit.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"

_TAG = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\??:\s")
_WORD = re.compile(r"[A-Za-z]+")


def _parse(text: str) -> tuple[list[str], list[str], list[list[str]]]:
    """Header lines, note paragraphs and question-answer pairs (lists of paragraphs)."""
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"]
    header = lines[fences[0] + 1 : fences[1]]
    body = "\n".join(lines[fences[1] + 1 :])
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    notes = [p for p in paragraphs if p.startswith(">")]
    spoken = [p for p in paragraphs if not p.startswith(">")]
    interviewer = _TAG.match(spoken[0]).group(1)
    pairs: list[list[str]] = []
    for paragraph in spoken:
        if _TAG.match(paragraph).group(1) == interviewer or not pairs:
            pairs.append([paragraph])
        else:
            pairs[-1].append(paragraph)
    return header, notes, pairs


def _lowercase_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text) if w.islower()}


def _join_two_sentences(paragraph: str, choice: int, common: set[str]) -> str:
    """Join sentence ``j`` and ``j+1`` of a spoken paragraph with a semicolon, where
    ``j`` is the first sentence from ``choice`` on (cyclically) that ends with a
    full stop. The second sentence's first word loses its capital only when the
    interview uses that word in lower case elsewhere (so "NATO" and "I" keep it)."""
    tag = _TAG.match(paragraph)
    head, text = paragraph[: tag.end()], paragraph[tag.end() :]
    spans = split_sentences(text)
    if len(spans) < 2:
        return paragraph
    for step in range(len(spans) - 1):
        j = (choice + step) % (len(spans) - 1)
        (start, end), (next_start, next_end) = spans[j], spans[j + 1]
        if not text[start:end].endswith("."):
            continue
        following = text[next_start:next_end]
        first = _WORD.match(following)
        if first and first.group().lower() in common and first.group() != "I":
            following = following[0].lower() + following[1:]
        joined = text[start : end - 1] + "; " + following
        return head + text[:start] + joined + text[next_end:]
    return paragraph


def varied_copy(index: int, count: int, *, pairs_per_copy: int = 4, source: Path = INTERVIEW) -> str:
    """The text of copy ``index`` (0-based) of ``count``."""
    text = source.read_text(encoding="utf-8")
    header, notes, pairs = _parse(text)
    common = _lowercase_words(text)
    size = min(pairs_per_copy, len(pairs))
    stride = max(1, (size + 1) // 2)

    def window(copy: int) -> list[int]:
        return [(copy * stride + n) % len(pairs) for n in range(size)]

    spoken: list[str] = []
    for pair_index in window(index):
        seen_before = sum(pair_index in window(earlier) for earlier in range(index))
        for para_number, paragraph in enumerate(pairs[pair_index]):
            if para_number == 0:
                spoken.append(paragraph)  # questions stay as asked
            else:
                spoken.append(_join_two_sentences(paragraph, seen_before + para_number, common))
    header = [
        f"title: {line.split(':', 1)[1].strip()} (part {index + 1} of {count})" if line.startswith("title:") else line
        for line in header
    ]
    return "\n".join(["---", *header, "---", "", *[p + "\n" for p in notes[:1] + spoken]])


def write_varied_copies(folder: Path, count: int, *, pairs_per_copy: int = 4, source: Path = INTERVIEW) -> list[Path]:
    """Write ``count`` varied copies as ``folder/interview-01.md`` ...; returns their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(count)))
    paths = []
    for index in range(count):
        path = folder / f"interview-{index + 1:0{width}d}.md"
        path.write_text(varied_copy(index, count, pairs_per_copy=pairs_per_copy, source=source), encoding="utf-8")
        paths.append(path)
    return paths


def corpus_sentences(paths: list[Path]) -> list[list[str]]:
    """The segment texts of each copy, as the pipeline sees them (what it translates)."""
    from transkit.pipeline import prepare_project

    return [[segment.text for segment in prepare_project(path).segments] for path in paths]


def distinct_translated_texts(paths: list[Path]) -> set[str]:
    """Every distinct text the engine translates: the sentences, and the title, roles
    and note sentences that documents show translated too."""
    from transkit.doctexts import document_texts
    from transkit.ingest import load_transcript

    texts = {text for copy in corpus_sentences(paths) for text in copy if text.strip()}
    for path in paths:
        texts |= {text for _key, text in document_texts(load_transcript(path))}
    return texts
