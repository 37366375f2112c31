"""The translation memory: keys, human precedence, concurrency, resume, zero re-translation."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from transkit.errors import InputError
from transkit.translate.base import TranslateOptions
from transkit.translate.memory import MemoryKey, TranslationMemory
from transkit.translate.service import translate_texts

KEY = MemoryKey("firefox", "firefox-en-pt", "1693087644", "beam=4;compute=int8", "en", "pt")


def test_store_and_lookup_round_trip(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        assert memory.store_many(KEY, [("Hello.", "Olá."), ("NATO is an alliance.", "A OTAN é uma aliança.")]) == 2
        hits = memory.lookup_many(KEY, ["Hello.", "Unknown.", "NATO is an alliance.", "Hello."])
    assert {text: (hit.text, hit.origin) for text, hit in hits.items()} == {
        "Hello.": ("Olá.", "engine"),
        "NATO is an alliance.": ("A OTAN é uma aliança.", "engine"),
    }


def test_every_part_of_the_key_separates_entries(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_many(KEY, [("Hello.", "Olá.")])
        for changed in (
            MemoryKey("argos", KEY.model_id, KEY.model_version, KEY.options, "en", "pt"),
            MemoryKey(KEY.engine, "other-model", KEY.model_version, KEY.options, "en", "pt"),
            MemoryKey(KEY.engine, KEY.model_id, "2", KEY.options, "en", "pt"),
            MemoryKey(KEY.engine, KEY.model_id, KEY.model_version, "beam=1;compute=int8", "en", "pt"),
            MemoryKey(KEY.engine, KEY.model_id, KEY.model_version, KEY.options, "en", "ru"),
        ):
            assert memory.lookup_many(changed, ["Hello."]) == {}, changed
        assert memory.lookup_many(KEY, ["hello."]) == {}  # the exact sentence, not a normalised one
        assert "Hello." in memory.lookup_many(KEY, ["Hello."])


def test_human_translation_wins_for_every_engine(tmp_path):
    argos_key = MemoryKey("argos", "translate-en_pt-1_0", "1.0", "beam=4;compute=int8", "en", "pt")
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_many(KEY, [("Thank you.", "Obrigado."), ("Goodbye.", "Adeus.")])
        memory.store_human("en", "pt", [("Thank you.", "Muito obrigado.")])
        for key in (KEY, argos_key):
            hits = memory.lookup_many(key, ["Thank you.", "Goodbye."])
            assert (hits["Thank you."].text, hits["Thank you."].origin) == ("Muito obrigado.", "human")
        assert memory.lookup_many(KEY, ["Goodbye."])["Goodbye."].origin == "engine"
        assert "Goodbye." not in memory.lookup_many(argos_key, ["Goodbye."])
        en_ru = MemoryKey(KEY.engine, KEY.model_id, KEY.model_version, KEY.options, "en", "ru")
        assert memory.lookup_many(en_ru, ["Thank you."]) == {}  # human entries are per language pair


def test_stats_and_clear(tmp_path):
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.store_many(KEY, [(f"s{i}", f"t{i}") for i in range(5)])
        memory.store_many(MemoryKey("argos", "m", "1", "o", "zh", "en"), [("你好", "Hello")])
        memory.store_human("en", "pt", [("s0", "human")])
        stats = memory.stats()
        assert (stats.entries, stats.engine_entries, stats.human_entries) == (7, 6, 1)
        assert stats.pairs == (("en", "pt", 6), ("zh", "en", 1))
        assert memory.clear(source_lang="zh") == 1
        assert memory.clear(origin="human") == 1
        assert memory.stats().entries == 5
        assert memory.clear() == 5
        assert memory.stats().entries == 0


def test_memory_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    path = tmp_path / "tm.sqlite"
    TranslationMemory(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with TranslationMemory(path) as memory:
        assert memory._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000


def test_corrupt_memory_file_is_a_clear_error(tmp_path):
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"this is not a database, just text " * 200)
    with pytest.raises(InputError) as err:
        TranslationMemory(path)
    assert str(path) in str(err.value) and "delete the file" in str(err.value)


# --------------------------------------------------------------------------- several processes


def _writer(path: str, worker: int, batches: int, per_batch: int, queue) -> None:
    try:
        with TranslationMemory(path, timeout=60) as memory:
            for batch in range(batches):
                rows = [(f"w{worker} b{batch} s{i}", f"T{worker}.{batch}.{i}") for i in range(per_batch)]
                rows.append((f"shared sentence {batch}", f"shared {batch}"))  # every worker writes these too
                memory.store_many(KEY, rows)
                memory.lookup_many(KEY, [text for text, _ in rows[:10]])  # readers alongside writers
        queue.put((worker, "ok"))
    except Exception as exc:  # report every failure, "database is locked" included
        queue.put((worker, f"{type(exc).__name__}: {exc}"))


def test_four_processes_share_one_memory_without_locks_or_lost_rows(tmp_path):
    path = str(tmp_path / "shared.sqlite")
    workers, batches, per_batch = 4, 40, 50
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_writer, args=(path, w, batches, per_batch, queue)) for w in range(workers)]
    for process in processes:
        process.start()
    # each worker reports when it is done (an event); the timeouts only guard against a hang
    outcomes = dict(queue.get(timeout=600) for _ in processes)
    for process in processes:
        process.join(120)
    assert outcomes == {w: "ok" for w in range(workers)}
    assert [p.exitcode for p in processes] == [0] * workers
    with TranslationMemory(path) as memory:
        assert memory.stats().entries == workers * batches * per_batch + batches
        wanted = [f"w{w} b{b} s{i}" for w in range(workers) for b in range(batches) for i in range(per_batch)]
        hits = memory.lookup_many(KEY, wanted)
        assert len(hits) == len(wanted)
        assert hits["w3 b39 s49"].text == "T3.39.49"


# --------------------------------------------------------------------------- the service on top


class CountingTranslator:
    """Stands in for an engine in unit tests: upper-cases, counts calls, can fail on a given call."""

    engine = "test"
    source = "en"
    target = "pt"
    model_id = "upper"
    model_version = "1"

    def __init__(self, fail_on_call: int | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_on_call = fail_on_call

    def translate_batch(self, sentences, progress=None):
        self.calls.append(list(sentences))
        if self.fail_on_call is not None and len(self.calls) == self.fail_on_call:
            raise KeyboardInterrupt  # as if the user killed the job here
        return [s.upper() for s in sentences]

    def close(self) -> None:
        pass


def test_killed_job_keeps_finished_batches_and_resumes_with_the_rest(tmp_path):
    texts = [f"Sentence number {i}." for i in range(10)]
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        dying = CountingTranslator(fail_on_call=3)
        with pytest.raises(KeyboardInterrupt):
            translate_texts(texts, "en", "pt", memory=memory, translator=dying, batch_size=3)
        assert memory.stats().entries == 6  # batches 1 and 2 committed, batch 3 lost
        resumed = CountingTranslator()
        batch = translate_texts(texts, "en", "pt", memory=memory, translator=resumed, batch_size=3)
    assert resumed.calls == [texts[6:9], texts[9:]]
    assert batch.texts == tuple(t.upper() for t in texts)
    assert batch.origins == ("memory",) * 6 + ("engine",) * 4


def test_service_translates_each_distinct_sentence_once_and_reports_progress(tmp_path):
    texts = ["Yes.", "No.", "Yes.", "", "Maybe."]
    seen: list[tuple[int, int]] = []
    translator = CountingTranslator()
    batch = translate_texts(texts, "en", "pt", translator=translator, progress=lambda d, t: seen.append((d, t)))
    assert translator.calls == [["Yes.", "No.", "Maybe."]]
    assert batch.texts == ("YES.", "NO.", "YES.", "", "MAYBE.")
    assert (batch.engine_calls, batch.engine_sentences) == (1, 3)
    assert seen[-1] == (5, 5) and all(d <= t for d, t in seen)


def test_engine_that_breaks_one_to_one_is_caught():
    class Merging(CountingTranslator):
        def translate_batch(self, sentences, progress=None):
            return [" ".join(sentences)]

    from transkit.errors import ModelError

    with pytest.raises(ModelError, match="returned 1 translations for 2 sentences"):
        translate_texts(["One.", "Two."], "en", "pt", translator=Merging())


class Counting:
    """Wraps a real translator and counts the calls that reach it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls = 0
        for name in ("engine", "source", "target", "model_id", "model_version"):
            setattr(self, name, getattr(inner, name))

    def translate_batch(self, sentences, progress=None):
        self.calls += 1
        return self.inner.translate_batch(sentences, progress)

    def close(self) -> None:
        self.inner.close()


@pytest.mark.model
def test_second_run_of_a_job_makes_zero_engine_calls_with_the_real_model(test_models_dir, tmp_path):
    from transkit.translate.engines import open_translator

    texts = [
        "No, NATO is a defensive alliance.",
        "We have one responsibility, and that is to protect and defend our allies.",
        "Russia is our neighbor, and we have strived for many years for a better relationship with Russia.",
        "What was the best time in relations between NATO and Russia?",
    ]
    options = TranslateOptions(threads=1)
    models = test_models_dir / "installed"
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        runs = []
        for _ in range(2):
            counting = Counting(open_translator("en", "pt", engine="firefox", options=options, models_dir=models))
            try:
                runs.append((translate_texts(texts, "en", "pt", options=options, memory=memory, translator=counting),
                             counting.calls))
            finally:
                counting.close()
    (first, first_calls), (second, second_calls) = runs
    assert first_calls >= 1 and first.engine_sentences == len(texts)
    assert second_calls == 0 and (second.engine_calls, second.engine_sentences) == (0, 0)
    assert second.texts == first.texts and second.origins == ("memory",) * len(texts)
    assert "aliança defensiva" in first.texts[0] and "Rússia" in first.texts[2]
    # the model writes "NATO" in one sentence and "OTAN" in the other: that, and only that, is flagged
    assert {flag.split(":")[0] for flags in first.qa_flags for flag in flags} <= {"inconsistent-term"}


def test_carried_memory_answers_like_the_file_it_was_filled_from(tmp_path):
    """What a cluster worker gets: the rows for its sentences, answering as the file
    would; what it stores comes back as rows the client adds to the file."""
    from transkit.translate.memory import CarriedMemory

    key = MemoryKey("firefox", "firefox-en-pt", "1", "beam=4", "en", "pt")
    other = MemoryKey("argos", "translate-en_pt", "1.9", "beam=4", "en", "pt")
    with TranslationMemory(tmp_path / "m.sqlite") as memory:
        memory.store_many(key, [("Hello.", "Olá."), ("Bye.", "Tchau.")])
        memory.store_many(other, [("Hello.", "Oi.")])
        memory.store_human("en", "pt", [("Bye.", "Adeus.")])
        memory.store_many(key, [("Elsewhere.", "Noutro lado.")])
        texts = ["Hello.", "Bye.", "New."]
        rows = memory.rows_for("en", "pt", texts)
        assert all(row[2] in texts for row in rows) and len(rows) == 4  # "Elsewhere." is not sent
        carried = CarriedMemory(rows)
        for k in (key, other):
            assert carried.lookup_many(k, texts) == memory.lookup_many(k, texts)
        assert carried.store_many(key, [("New.", "Novo.")]) == 1
        assert carried.lookup_many(key, ["New."])["New."].text == "Novo."
        assert carried.new_rows == [("en", "pt", "New.", "engine", "firefox", "firefox-en-pt", "1", "beam=4", "Novo.")]
        assert memory.add_rows(carried.new_rows) == 1
        assert memory.lookup_many(key, ["New."])["New."].text == "Novo."
        before = memory.stats().entries
        memory.add_rows(carried.new_rows)  # the same rows again: stored once
        assert memory.stats().entries == before
