"""How often transkit's sentence splitter cuts where it should not, or misses a cut.

Run: .venv/bin/python benchmarks/segment_accuracy.py [--show]

Data (English, sentence boundaries known), from pinned PyPI sdists (fetched once
into .cache/bench-data/ and checked against their sha256), all MIT-licensed:

- the "Golden Rules" of sentence boundary detection (Kevin Dias, pragmatic
  segmenter), as shipped in ``pysbd==0.3.3`` (benchmarks/english_golden_rules.py):
  48 texts, each with its expected sentences;
- the "one sentence per line" test text of ``segtok==1.5.11`` (segtok/segmenter_test.py,
  OSPL) and of ``syntok==1.4.2`` (syntok/segmenter_test.py, OSPL): real and
  deliberately hard sentences (abbreviations, initials, brackets, quotes,
  citations); each file's lines are joined with spaces and must come apart again;
- the cases this project's issue reported, written here: news lines with "a.m.",
  "p.m.", "U.K.", "No.", "St.", initials and closing quotes.

For each splitter: boundaries cut wrongly ("split": a sentence cut in two) and
boundaries missed ("merged": two sentences left as one), per data set, and the
texts that differ with --show. Splitters: transkit's ``split_sentences`` and plain
pysbd (``Segmenter(language="en", clean=False)``).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-data"
SDISTS = {
    "pysbd": ("pysbd==0.3.3", "pysbd-0.3.3.tar.gz", "56ab48a28a8470f0042a4cb7c9da8a6dde8621ecf87a86d75f201cbf1837e77f"),
    "segtok": ("segtok==1.5.11", "segtok-1.5.11.tar.gz", "8ab2dd44245bcbfec25b575dc4618473bbdf2af8c2649698cd5a370f42f3db23"),
    "syntok": ("syntok==1.4.2", "syntok-1.4.2.tar.gz", "7ee9016139f04c7424e6c5771a46fd5622991cff54c781e9e31270214d3276fe"),
}

# (text, expected sentences): the reported cases.
ISSUE_CASES = [
    ("Polls close as of 5 a.m. Eastern time Sunday. Results are expected by noon.",
     ["Polls close as of 5 a.m. Eastern time Sunday.", "Results are expected by noon."]),
    ("The meeting starts at 3 p.m. on Friday and ends at 5 p.m. Staff were told on Monday.",
     ["The meeting starts at 3 p.m. on Friday and ends at 5 p.m.", "Staff were told on Monday."]),
    ("The U.K. and the U.S. signed the deal. No. 10 said it was a good day.",
     ["The U.K. and the U.S. signed the deal.", "No. 10 said it was a good day."]),
    ("He lives on St. James Street near St. Paul's. Mr. Smith and Dr. Jones visited him.",
     ["He lives on St. James Street near St. Paul's.", "Mr. Smith and Dr. Jones visited him."]),
    ("J. R. R. Tolkien wrote The Hobbit. It was published in 1937.",
     ["J. R. R. Tolkien wrote The Hobbit.", "It was published in 1937."]),
    ('He said: "We will win." Then he left the room.', ['He said: "We will win."', "Then he left the room."]),
    ("“We will get this done,” he said. “By the end of the month.” Nobody believed him.",
     ["“We will get this done,” he said.", "“By the end of the month.”", "Nobody believed him."]),
    ("The results were clear (see the appendix.) The board agreed.",
     ["The results were clear (see the appendix.)", "The board agreed."]),
    ("She met him at 10 a.m. on Tuesday in Washington. They talked for an hour.",
     ["She met him at 10 a.m. on Tuesday in Washington.", "They talked for an hour."]),
    ("The vote is set for 9 a.m. The polls open an hour earlier.",
     ["The vote is set for 9 a.m.", "The polls open an hour earlier."]),
    ("George W. Bush met Vladimir V. Putin in 2001. The talks went well.",
     ["George W. Bush met Vladimir V. Putin in 2001.", "The talks went well."]),
    ("Shares of Apple Inc. rose 3% on Monday. The U.S. market closed higher.",
     ["Shares of Apple Inc. rose 3% on Monday.", "The U.S. market closed higher."]),
]


def fetch(name: str) -> Path:
    requirement, filename, sha256 = SDISTS[name]
    path = CACHE / filename
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:all:", "-q", "-d", str(CACHE), requirement],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{filename}: sha256 {digest} is not the pinned {sha256}")
    return path


def member(archive: Path, name: str) -> str:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile(name)
        assert handle is not None
        return handle.read().decode("utf-8")


def golden_rules() -> list[tuple[str, list[str]]]:
    source = member(fetch("pysbd"), "pysbd-0.3.3/benchmarks/english_golden_rules.py")
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "GOLDEN_EN_RULES":  # type: ignore[attr-defined]
            return [(text, list(expected)) for text, expected in ast.literal_eval(node.value)]
    raise SystemExit("no GOLDEN_EN_RULES in pysbd's benchmark file")


def ospl(name: str, path: str) -> list[tuple[str, list[str]]]:
    source = member(fetch(name), path)
    match = re.search(r'OSPL = """(.*?)"""', source, re.S)
    assert match, f"no OSPL text in {path}"
    lines = [line for line in match.group(1).split("\n") if line.strip()]
    return [(" ".join(lines), lines)]


def boundaries(text: str, sentences: list[str]) -> set[int]:
    """Offsets in ``text`` (whitespace removed) where each sentence but the last ends."""
    squeezed = re.sub(r"\s", "", text)
    ends, position = set(), 0
    for sentence in sentences[:-1]:
        piece = re.sub(r"\s", "", sentence)
        found = squeezed.find(piece, position)
        if found < 0:
            raise ValueError(f"sentence not in text: {sentence!r}")
        position = found + len(piece)
        ends.add(position)
    return ends


def transkit_split(text: str) -> list[str]:
    from transkit.segment import split_sentences

    return [text[a:b] for a, b in split_sentences(text)]


def pysbd_split(text: str) -> list[str]:
    import pysbd

    return [s for s in pysbd.Segmenter(language="en", clean=False).segment(text) if s.strip()]


def score(split, cases) -> tuple[int, int, int, list[tuple[str, list[str], list[str]]]]:
    wrong_split = wrong_merge = total = 0
    differ = []
    for text, expected in cases:
        want = boundaries(text, expected)
        try:
            got = boundaries(text, split(text))
        except ValueError:  # the splitter changed the text: every boundary counts as wrong
            got = set()
        total += len(want)
        wrong_split += len(got - want)
        wrong_merge += len(want - got)
        if got != want:
            differ.append((text, expected, split(text)))
    return wrong_split, wrong_merge, total, differ


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print the texts a splitter gets wrong")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    data = {
        "golden rules (pysbd 0.3.3)": golden_rules(),
        "segtok OSPL": ospl("segtok", "segtok-1.5.11/segtok/segmenter_test.py"),
        "syntok OSPL": ospl("syntok", "syntok-1.4.2/syntok/segmenter_test.py"),
        "reported cases": ISSUE_CASES,
    }
    sentences = sum(len(expected) for cases in data.values() for _, expected in cases)
    print(f"{sentences} sentences in {sum(len(c) for c in data.values())} texts")
    for label, split in (("transkit", transkit_split), ("pysbd", pysbd_split)):
        totals = [0, 0, 0]
        for name, cases in data.items():
            wrong_split, wrong_merge, total, differ = score(split, cases)
            totals = [totals[0] + wrong_split, totals[1] + wrong_merge, totals[2] + total]
            print(f"{label:9} {name:28} boundaries {total:4}  split wrongly {wrong_split:3}  merged wrongly {wrong_merge:3}")
            if args.show:
                for text, expected, got in differ:
                    print(f"    text: {text[:300]}\n    want: {expected}\n    got:  {got}")
        print(f"{label:9} {'all':28} boundaries {totals[2]:4}  split wrongly {totals[0]:3}  merged wrongly {totals[1]:3}")


if __name__ == "__main__":
    main()
