"""Nothing lost: SIGKILL ``transkit run`` during translation, re-run, and nothing is translated twice.

Input: the NTREX-128 newstest2019 Chinese benchmark sentences
(``../shared/bench/ntrex128-newstest2019.zho-CN.txt``, CC BY-SA 4.0), one
paragraph per sentence, as a source transcript with ``language: zh`` (a plain
``.txt`` input is always read as English, so it cannot carry Chinese), translated
with the real Argos zh->en model.

The translation memory commits one batch at a time. The run is killed a few
times, each time after a batch was committed and while the next one is being
translated, then resumed; after each kill the database passes
``PRAGMA integrity_check``. The final resumed run must translate with the engine
exactly the sentences that were not yet in the memory, keep every row committed
before the kills, and write outputs byte-identical to an uninterrupted run.

CI profile: the first 300 sentences (``TRANSKIT_RESUME_LINES``; 1997 for the
whole set) and at most ``TRANSKIT_RESUME_KILLS`` (default 2) kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BENCH_DIR
from transkit.translate.service import BATCH_SENTENCES

BENCH = BENCH_DIR / "ntrex128-newstest2019.zho-CN.txt"
LINES = int(os.environ.get("TRANSKIT_RESUME_LINES", "300"))
KILLS = int(os.environ.get("TRANSKIT_RESUME_KILLS", "2"))
SEED = int(os.environ.get("TRANSKIT_RESUME_SEED", "1997"))
FORMATS = "srt,vtt,bi.srt,tmx,json"

pytestmark = [pytest.mark.model, pytest.mark.slow]


def write_source(path: Path, count: int) -> int:
    if not BENCH.is_file():
        pytest.skip(f"benchmark data missing: {BENCH}")
    sentences = [line.strip() for line in BENCH.read_text(encoding="utf-8").splitlines() if line.strip()][:count]
    header = "---\ntitle: NTREX-128 newstest2019, Chinese\nlanguage: zh\nspeakers:\n  N: News | reader\n---\n"
    path.write_text(header + "".join(f"\nN: {s}\n" for s in sentences), encoding="utf-8")
    return len(sentences)


def rows(memory: Path) -> dict[str, str]:
    if not memory.exists():
        return {}
    with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=30) as db:
        return dict(db.execute("SELECT source_text, target_text FROM translations WHERE origin = 'engine'"))


def row_count(memory: Path) -> int:
    if not memory.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{memory}?mode=ro", uri=True, timeout=30) as db:
            return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.OperationalError:  # table not created yet
        return 0


def integrity(memory: Path) -> str:
    with sqlite3.connect(memory) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def transkit(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "transkit"
    return subprocess.Popen(
        [str(exe), *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_killed_translation_resumes_from_the_memory(tmp_path, test_models_dir, capsys):
    total_lines = write_source(tmp_path / "news.md", LINES)
    memory = tmp_path / "memory.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    env.update(TRANSKIT_MODELS_DIR=str(test_models_dir / "installed"), TRANSKIT_MEMORY=str(memory))
    args = ["run", "news.md", "--to", "en", "--formats", FORMATS, "--beam", "1"]

    from transkit.ingest import load_transcript
    from transkit.segment import segment_transcript

    from transkit.doctexts import document_texts

    transcript = load_transcript(tmp_path / "news.md")
    segments = segment_transcript(transcript)
    # the engine also translates the title and the speaker's role, in the same job
    unique = len({s.text for s in segments if s.text.strip()} | {t for _key, t in document_texts(transcript)})
    batches = -(-unique // BATCH_SENTENCES)
    assert batches >= 2, "too few sentences for a kill between batches"

    rng = random.Random(SEED)
    kill_after = sorted(rng.sample(range(1, batches), min(KILLS, batches - 1)))  # committed batches at each kill
    snapshots: list[dict[str, str]] = []
    started = time.monotonic()
    for committed in kill_after:
        run = transkit([*args, "--out", "out"], tmp_path, env)
        # wait until the batch is in the memory (an event), then kill at once: the run has just
        # started translating the next batch, which takes seconds however loaded the machine is
        while row_count(memory) < committed * BATCH_SENTENCES:
            assert run.poll() is None, f"run ended before {committed} batches were committed: {run.stderr.read()!r}"
            time.sleep(0.02)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        assert run.returncode == -signal.SIGKILL, "the run finished before it could be killed"
        assert integrity(memory) == "ok"
        kept = rows(memory)
        assert committed * BATCH_SENTENCES <= len(kept) < unique, (committed, len(kept), unique)
        assert all(old in kept and kept[old] == text for s in snapshots for old, text in s.items()), "rows lost"
        snapshots.append(kept)

    before = len(rows(memory))
    final = transkit([*args, "--out", "out", "--summary-json", "summary.json"], tmp_path, env)
    assert final.wait(timeout=1800) == 0, final.stderr.read().decode()
    summary = json.loads((tmp_path / "summary.json").read_text())
    english = next(lang for lang in summary[0]["languages"] if lang["language"] == "en")
    assert english["translated"] == unique - before, (english["translated"], unique, before)
    assert integrity(memory) == "ok"
    final_rows = rows(memory)
    assert len(final_rows) == unique
    for snapshot in snapshots:
        assert all(final_rows[text] == target for text, target in snapshot.items()), "a committed row changed"
    resumed_s = time.monotonic() - started

    clock = time.monotonic()
    reference = transkit([*args, "--out", "reference", "--no-cache"], tmp_path, env)
    assert reference.wait(timeout=1800) == 0, reference.stderr.read().decode()
    uninterrupted_s = time.monotonic() - clock
    got, expected = files(tmp_path / "out"), files(tmp_path / "reference")
    assert got.keys() == expected.keys()
    for name in expected:
        assert got[name] == expected[name], f"{name} differs from the uninterrupted run"

    with capsys.disabled():
        print(
            f"\nkill/resume: {total_lines} sentences, {unique} unique segments, {batches} batches of "
            f"{BATCH_SENTENCES}; killed after batches {kill_after}; rows before the final run {before}; "
            f"final run translated {english['translated']}; killed+resumed runs {resumed_s:.0f} s, "
            f"uninterrupted run {uninterrupted_s:.0f} s; outputs identical: {len(expected)} files"
        )
