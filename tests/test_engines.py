"""Translation engines with the real pinned test models (scripts/fetch_test_models.py):
Argos zh->en, Firefox en->pt and pt->en; plus engine selection, pivots and errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BENCH_DIR, SEED_DIR, shared_file
from transkit.errors import ModelError, UsageError
from transkit.translate.argos_engine import MAX_BATCH_EXAMPLES, plan_batches
from transkit.translate.base import TranslateOptions
from transkit.translate.engines import PivotTranslator, installed_models, open_translator
from transkit.translate.firefox_engine import FirefoxTranslator

BENCH_NAME = "ntrex128-newstest2019.zho-CN.txt"
SEED_NAME = "meduza-stoltenberg-interview-2022-04-07.txt"

CJK = re.compile(r"[\u4e00-\u9fff]")
PT_WORDS = {"não", "é", "uma", "de", "que", "o", "os", "da", "do", "em", "com", "para", "nós", "foi"}
EN_WORDS = {"the", "is", "and", "of", "we", "to", "that", "have", "with", "was"}


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def looks_portuguese(text: str) -> bool:
    found = words(text)
    return len(found & PT_WORDS) > len(found & EN_WORDS)


@pytest.fixture(scope="module")
def opened():
    """Translators shared by the tests of this module (loading a model takes a second)."""
    translators: dict[tuple, object] = {}
    yield translators
    for translator in translators.values():
        translator.close()


@pytest.fixture
def models(test_models_dir: Path) -> Path:
    return test_models_dir / "installed"


@pytest.fixture
def zh_en(models, opened):
    key = ("zh", "en", str(models))
    if key not in opened:
        opened[key] = open_translator("zh", "en", models_dir=models)
    return opened[key]


@pytest.fixture
def en_pt(models, opened):
    key = ("en", "pt", str(models))
    if key not in opened:
        opened[key] = open_translator("en", "pt", models_dir=models)
    return opened[key]


@pytest.fixture(scope="module")
def chinese_lines() -> list[str]:
    return shared_file(BENCH_DIR, BENCH_NAME).read_text(encoding="utf-8").splitlines()[:12]


@pytest.fixture(scope="module")
def interview_sentences() -> list[str]:
    """Sentences of the interview's answers, from the raw seed text."""
    text = shared_file(SEED_DIR, SEED_NAME).read_text(encoding="utf-8")
    start = text.index("No, NATO is a defensive alliance.")
    sentences = []
    for paragraph in text[start:].splitlines():
        for sentence in re.split(r"(?<=[.?!])\s+", paragraph.strip()):
            if 25 <= len(sentence) <= 200:
                sentences.append(sentence)
    return sentences


# ----------------------------------------------------------------------------- Argos


@pytest.mark.model
def test_argos_zh_en_gives_english(zh_en, chinese_lines):
    assert (zh_en.engine, zh_en.source, zh_en.target) == ("argos", "zh", "en")
    assert zh_en.model_id == "translate-zh_en-1_9" and zh_en.model_version == "1.9"
    out = zh_en.translate_batch(chinese_lines)
    assert len(out) == len(chinese_lines)
    assert all(text and not CJK.search(text) for text in out)
    assert all("\u2581" not in text and text == text.strip() for text in out)
    assert "Wales" in out[0]  # 威尔士 in the first line
    assert sum(len(words(text) & EN_WORDS) > 0 for text in out) >= len(out) - 2


@pytest.mark.model
def test_argos_keeps_order_and_empty_lines(zh_en, chinese_lines):
    lines = chinese_lines[:6]
    mixed = ["", lines[0], "   ", lines[1], "\n", *lines[2:]]
    out = zh_en.translate_batch(mixed)
    assert len(out) == len(mixed)
    assert out[0] == out[2] == out[4] == ""
    forward = zh_en.translate_batch(lines)
    assert out[1] == forward[0] and out[3] == forward[1] and out[5:] == forward[2:]
    assert zh_en.translate_batch(lines[::-1]) == forward[::-1]
    assert zh_en.translate_batch([]) == []


@pytest.mark.model
def test_argos_is_deterministic_and_batching_barely_matters(zh_en, chinese_lines):
    together = zh_en.translate_batch(chinese_lines)
    assert zh_en.translate_batch(chinese_lines) == together
    alone = [zh_en.translate_batch([line])[0] for line in chinese_lines[:4]]
    # batch neighbours change CTranslate2's rounding on about 1 line in 100, not more
    assert sum(a == b for a, b in zip(alone, together)) >= 3


@pytest.mark.model
def test_argos_progress_reaches_total(zh_en, chinese_lines):
    calls = []
    zh_en.translate_batch(["", *chinese_lines], progress=lambda done, total: calls.append((done, total)))
    total = len(chinese_lines) + 1
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.model
def test_argos_beam_one_is_a_different_setting(models, chinese_lines):
    fast = open_translator("zh", "en", options=TranslateOptions(beam_size=1), models_dir=models)
    try:
        out = fast.translate_batch(chinese_lines[:4])
    finally:
        fast.close()
    assert all(text and not CJK.search(text) for text in out)
    assert TranslateOptions(beam_size=1).key() != TranslateOptions().key()


def test_plan_batches_covers_every_sentence_once_longest_first():
    lengths = {i: (i * 37) % 90 + 1 for i in range(200)}
    batches = plan_batches(lengths, max_batch_tokens=1024, min_batches=2)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(200))
    assert all(len(batch) <= MAX_BATCH_EXAMPLES for batch in batches)
    assert all(max(lengths[i] for i in batch) * len(batch) <= 1024 for batch in batches)
    assert [lengths[i] for i in flat] == sorted((lengths[i] for i in flat), reverse=True)


def test_plan_batches_splits_small_jobs_across_workers():
    assert len(plan_batches({0: 5, 1: 6, 2: 7, 3: 8}, 4096, min_batches=2)) == 2
    assert len(plan_batches({i: 9 for i in range(40)}, 4096)) == 4  # the thread count plays no part
    assert plan_batches({0: 500}, 100) == [[0]]  # an over-long sentence still gets its own batch
    assert plan_batches({}, 100) == []


# ----------------------------------------------------------------------------- Firefox


@pytest.mark.model
def test_firefox_en_pt_gives_portuguese(en_pt, interview_sentences):
    assert (en_pt.engine, en_pt.source, en_pt.target) == ("firefox", "en", "pt")
    assert en_pt.model_version == "1693087644"
    sentences = interview_sentences[:10]
    out = en_pt.translate_batch(sentences)
    assert len(out) == len(sentences)
    assert all(text and text != source for text, source in zip(out, sentences))
    assert sum(looks_portuguese(text) for text in out) >= 8
    assert "defensiva" in out[0].lower()  # "No, NATO is a defensive alliance."


@pytest.mark.model
def test_firefox_worker_processes_keep_order_and_match_one_process(models, interview_sentences):
    sentences = (interview_sentences * 3)[:65]
    sentences[5] = ""
    sentences[17] = "  "
    sentences = sentences[::2] + sentences[1::2]  # neighbours in the text end up far apart
    single = FirefoxTranslator(models / "firefox" / "en-pt", TranslateOptions(threads=1))
    pooled = FirefoxTranslator(models / "firefox" / "en-pt", TranslateOptions(threads=2))
    try:
        calls = []
        parallel = pooled.translate_batch(sentences, progress=lambda done, total: calls.append(done))
        assert len(pooled._pool) == 2  # really ran in two worker processes
        again = pooled.translate_batch(sentences[::-1])
        serial = single.translate_batch(sentences)
    finally:
        pooled.close()
        single.close()
    assert len(parallel) == len(sentences)
    assert parallel == serial
    assert again == parallel[::-1]
    assert [parallel[i] for i, s in enumerate(sentences) if not s.strip()] == ["", ""]
    assert calls[-1] == len(sentences) and calls == sorted(calls)


@pytest.mark.model
def test_broken_firefox_model_is_a_model_error_in_workers_too(tmp_path, models):
    folder = tmp_path / "en-pt"
    folder.mkdir()
    for name in ("vocab.enpt.spm", "lex.50.50.enpt.s2t.bin"):
        (folder / name).write_bytes((models / "firefox" / "en-pt" / name).read_bytes())
    (folder / "model.enpt.intgemm.alphas.bin").write_bytes(b"not a model" * 100)
    (folder / "transkit-model.json").write_text(json.dumps({
        "engine": "firefox", "source": "en", "target": "pt", "version": "1",
        "files": {"model": "model.enpt.intgemm.alphas.bin", "src_vocab": "vocab.enpt.spm",
                  "trg_vocab": "vocab.enpt.spm", "shortlist": "lex.50.50.enpt.s2t.bin"},
    }))
    for threads in (1, 2):  # in-process, and in worker processes
        with pytest.raises(ModelError, match="cannot load the Firefox model"):
            FirefoxTranslator(folder, TranslateOptions(threads=threads))


@pytest.mark.model
def test_a_dead_worker_is_a_model_error_and_the_next_job_restarts_workers(models, interview_sentences):
    translator = FirefoxTranslator(models / "firefox" / "en-pt", TranslateOptions(threads=2))
    try:
        translator._pool[0].process.kill()
        translator._pool[0].process.wait()
        with pytest.raises(ModelError, match="worker stopped"):
            translator.translate_batch(interview_sentences[:20])
        assert len(translator.translate_batch(interview_sentences[:20])) == 20
        assert len(translator._pool) == 2
    finally:
        translator.close()


def test_firefox_folder_without_record_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="transkit-model.json is missing"):
        FirefoxTranslator(tmp_path)


# ----------------------------------------------------------------------------- selection, pivot


@pytest.mark.model
def test_pivot_through_english_across_engines(models, chinese_lines):
    translator = open_translator("zh", "pt", models_dir=models)
    try:
        assert isinstance(translator, PivotTranslator)
        assert translator.engine == "pivot" and (translator.source, translator.target) == ("zh", "pt")
        assert translator.model_id == "argos:translate-zh_en-1_9+firefox:firefox-en-pt"
        calls = []
        out = translator.translate_batch(["", *chinese_lines[:5]], progress=lambda d, t: calls.append((d, t)))
    finally:
        translator.close()
    assert out[0] == "" and len(out) == 6
    assert sum(looks_portuguese(text) for text in out[1:]) >= 4
    assert "País de Gales" in out[1]
    assert calls[-1] == (12, 12)


@pytest.mark.model
def test_pivot_pt_en_pt_round_trip(models, en_pt, opened, interview_sentences):
    portuguese = en_pt.translate_batch(interview_sentences[:5])
    pt_en = open_translator("pt", "en", models_dir=models)
    opened[("pt", "en", str(models))] = pt_en
    round_trip = PivotTranslator(pt_en, en_pt).translate_batch(portuguese)
    assert len(round_trip) == 5
    assert sum(looks_portuguese(text) for text in round_trip) >= 4
    # the English leg really ran: an en->pt of pt->en output, not the input copied
    assert pt_en.translate_batch(portuguese[:1])[0] != portuguese[0]


@pytest.mark.model
def test_missing_pair_names_pair_installed_pairs_and_command(models):
    with pytest.raises(ModelError) as caught:
        open_translator("en", "ru", models_dir=models)
    text = str(caught.value)
    assert "en->ru" in text
    assert "zh->en (argos)" in text and "en->pt (firefox)" in text and "pt->en (firefox)" in text
    assert "transkit models install en ru" in text
    assert caught.value.exit_code == 4


@pytest.mark.model
def test_explicit_engine_is_respected(models):
    with pytest.raises(ModelError) as caught:
        open_translator("en", "pt", engine="argos", models_dir=models)
    assert "no argos translation model installed for en->pt" in str(caught.value)
    assert "transkit models install en pt --engine argos" in str(caught.value)
    with pytest.raises(ModelError):
        open_translator("zh", "pt", engine="firefox", models_dir=models)  # zh->en exists only for argos


def test_nothing_installed_says_none(tmp_path):
    with pytest.raises(ModelError, match=r"installed: none.*transkit models install pt ru"):
        open_translator("pt", "ru", models_dir=tmp_path)


def test_bad_engine_and_same_language_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="unknown engine"):
        open_translator("en", "ru", engine="google", models_dir=tmp_path)
    with pytest.raises(UsageError, match="both 'en'"):
        open_translator("en", "EN", models_dir=tmp_path)


@pytest.mark.model
def test_packages_installed_by_argos_itself_are_found_read_only(models, tmp_path, monkeypatch):
    argos_dir = tmp_path / "argos-packages"
    argos_dir.mkdir()
    (argos_dir / "translate-zh_en-1_9").symlink_to(models / "argos" / "translate-zh_en-1_9")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    empty = tmp_path / "transkit-models"
    found = installed_models(empty)
    assert [(m.engine, m.source, m.target, m.version) for m in found] == [("argos", "zh", "en", "1.9")]
    assert found[0].size_bytes > 50_000_000
    translator = open_translator("zh", "en", models_dir=empty)
    try:
        assert translator.engine == "argos"
    finally:
        translator.close()
    assert not empty.exists()


def test_argos_discovery_does_not_create_argos_folders(tmp_path, monkeypatch):
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert installed_models(tmp_path / "models") == []
    assert not (tmp_path / "data").exists() and not (tmp_path / "config").exists()


def test_engine_modules_do_not_import_heavy_libraries():
    code = (
        "import sys, transkit.translate.engines, transkit.translate.argos_engine, "
        "transkit.translate.firefox_engine; "
        "print(sorted(m for m in ('ctranslate2', 'fxtranslate', 'sentencepiece', 'argostranslate') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
