"""Four processes, one translation memory, all at once: no "database is locked", no lost rows.

- CLI: four ``transkit run`` processes translate four different parts of the
  interview (each part also repeats the interview's first exchange, so the
  processes write the same keys too) with the real Firefox en->pt model into
  one memory file that does not exist yet when they start (the WAL switch race).
- Library: four processes hammer one memory with many small transactions and
  lookups; every row written must be there afterwards.

``TRANSKIT_CONCURRENCY_RUNS`` (default 2) repeats the CLI round.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
ROUNDS = int(os.environ.get("TRANSKIT_CONCURRENCY_RUNS", "2"))
WORKERS = 4


def split_interview(folder: Path) -> list[Path]:
    """Four source files: the header, the first exchange, then a quarter of the rest each."""
    text = INTERVIEW.read_text(encoding="utf-8")
    end = text.index("---", 3) + 4
    header, body = text[:end], text[end:]
    blocks = [b for b in body.split("\n\n") if b.strip() and not b.lstrip().startswith(">")]
    first, rest = blocks[:2], blocks[2:]
    parts = []
    for i in range(WORKERS):
        path = folder / f"part{i + 1}.md"
        mine = first + rest[i::WORKERS]
        path.write_text(header + "\n" + "\n\n".join(b.strip() for b in mine) + "\n", encoding="utf-8")
        parts.append(path)
    return parts


def unique_sentences(paths: list[Path]) -> set[str]:
    """Every distinct text the engine translates: sentences, and the title, roles and notes."""
    from transkit.doctexts import document_texts
    from transkit.ingest import load_transcript
    from transkit.segment import segment_transcript

    found = {s.text for p in paths for s in segment_transcript(load_transcript(p)) if s.text.strip()}
    return found | {text for p in paths for _key, text in document_texts(load_transcript(p))}


def memory_rows(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return dict(db.execute("SELECT source_text, target_text FROM translations WHERE target_lang = 'pt'"))


@pytest.mark.model
@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_four_runs_share_one_memory(tmp_path, test_models_dir, round_no, capsys):
    parts = split_interview(tmp_path)
    memory = tmp_path / "shared" / "memory.sqlite"  # its folder does not exist yet either
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    env.update(TRANSKIT_MODELS_DIR=str(test_models_dir / "installed"), TRANSKIT_MEMORY=str(memory))
    exe = Path(sys.executable).parent / "transkit"
    procs = [
        subprocess.Popen(
            [str(exe), "run", p.name, "--to", "pt", "--out", f"out-{p.stem}", "--formats", "srt",
             "--summary-json", f"{p.stem}.json"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for p in parts
    ]
    results = [(proc.wait(timeout=600), *proc.communicate()) for proc in procs]
    for code, out, err in results:
        assert "locked" not in (out + err).lower(), err
        assert code == 0, err

    expected = unique_sentences(parts)
    rows = memory_rows(memory)
    assert set(rows) == expected, f"missing from the memory: {sorted(expected - set(rows))[:3]}"
    translated = 0
    for part in parts:
        project = json.loads((tmp_path / f"out-{part.stem}" / f"{part.stem}.project.json").read_text(encoding="utf-8"))
        segments = {s["id"]: s["text"] for s in project["segments"]}
        (pt,) = [lang for lang in project["languages"] if lang["language"] == "pt"]
        for t in pt["translations"]:
            assert t["text"].strip() and t["text"] == rows[segments[t["segment_id"]]]
        summary = json.loads((tmp_path / f"{part.stem}.json").read_text())
        translated += next(lang["translated"] for lang in summary[0]["languages"] if lang["language"] == "pt")
    # every sentence was translated once; the shared exchange at most once more per other process
    shared = set.intersection(*(unique_sentences([p]) for p in parts))
    assert shared and len(expected) <= translated <= len(expected) + (WORKERS - 1) * len(shared)
    with capsys.disabled():
        print(f"\nconcurrency round {round_no + 1}: {WORKERS} runs, {len(rows)} memory rows, engine sentences {translated}")


@pytest.mark.model
def test_one_run_with_four_jobs(tmp_path, test_models_dir):
    """The same through ``transkit run --jobs 4``: four worker processes, one memory."""
    parts = split_interview(tmp_path)
    memory = tmp_path / "memory.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    env.update(TRANSKIT_MODELS_DIR=str(test_models_dir / "installed"), TRANSKIT_MEMORY=str(memory))
    exe = Path(sys.executable).parent / "transkit"
    done = subprocess.run(
        [str(exe), "run", *(p.name for p in parts), "--to", "pt", "--jobs", "4", "--out", "out", "--formats", "srt"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0 and "locked" not in (done.stdout + done.stderr).lower(), done.stderr
    rows = memory_rows(memory)
    assert set(rows) == unique_sentences(parts)
    for part in parts:
        project = json.loads((tmp_path / "out" / f"{part.stem}.project.json").read_text(encoding="utf-8"))
        segments = {s["id"]: s["text"] for s in project["segments"]}
        (pt,) = [lang for lang in project["languages"] if lang["language"] == "pt"]
        assert all(t["text"] == rows[segments[t["segment_id"]]] for t in pt["translations"])


def _hammer(path: str, worker: int, count: int, queue) -> None:
    from transkit.translate.memory import MemoryKey, TranslationMemory

    key = MemoryKey("test", "model", "1", "beam=1", "en", "pt")
    errors = []
    with TranslationMemory(path) as memory:
        for i in range(count):
            try:
                memory.store_many(key, [(f"w{worker} s{i}", f"t{worker} {i}"), ("shared sentence", f"same {i % 3}")])
                if i % 10 == 0:
                    memory.lookup_many(key, [f"w{(worker + 1) % WORKERS} s{j}" for j in range(i)])
                if i % 25 == 0:
                    memory.store_human("en", "pt", [(f"human {worker} {i}", "x")])
            except Exception as exc:  # noqa: BLE001 - reported to the parent
                errors.append(f"{type(exc).__name__}: {exc}")
    queue.put((worker, errors))


def test_many_small_transactions_from_four_processes(tmp_path):
    count = 150
    path = tmp_path / "memory.sqlite"
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_hammer, args=(str(path), w, count, queue)) for w in range(WORKERS)]
    for process in workers:
        process.start()
    reports = [queue.get(timeout=300) for _ in workers]
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert all(not errors for _, errors in reports), reports
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        engine = dict(db.execute("SELECT source_text, target_text FROM translations WHERE origin = 'engine'"))
        human = db.execute("SELECT COUNT(*) FROM translations WHERE origin = 'human'").fetchone()[0]
    assert len(engine) == WORKERS * count + 1
    assert all(engine[f"w{w} s{i}"] == f"t{w} {i}" for w in range(WORKERS) for i in range(count))
    assert human == WORKERS * len(range(0, count, 25))
