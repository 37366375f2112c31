"""Model management against a package index served on 127.0.0.1 with the real test models.

No English->Russian model can be downloaded here, so the whole index path
(download, verify, unpack, install, open, translate) runs on the real zh->en
Argos package and the real Firefox en->pt model, offline.
"""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from local_index import (
    HANG,
    LocalIndex,
    argos_zh_en_package,
    firefox_en_pt_package,
    free_port,
    index_entry,
    sha256_file,
)
from transkit.errors import ModelError, NetworkError, UsageError
from transkit.translate import archive, models


@pytest.fixture(scope="session")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("packages")


@pytest.fixture
def zh_en(test_models_dir, scratch) -> Path:
    return argos_zh_en_package(test_models_dir, scratch)


@pytest.fixture
def en_pt(test_models_dir, scratch) -> Path:
    return firefox_en_pt_package(test_models_dir, scratch)


@pytest.fixture
def index():
    with LocalIndex() as server:
        yield server


def _leftovers(root: Path) -> list[str]:
    """Files and non-empty folders under ``root`` (empty engine folders do not count)."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink())


# --------------------------------------------------------------------------- the happy path, end to end


@pytest.mark.model
def test_install_from_local_index_then_translate_offline(index, zh_en, en_pt, tmp_path):
    index.routes["/packages/zh_en.argosmodel"] = zh_en
    index.routes["/packages/en_pt.zip"] = en_pt
    url = index.serve_index([
        index_entry("zh", "en", "packages/zh_en.argosmodel", sha256=sha256_file(zh_en)),
        index_entry("en", "pt", index.url("/packages/en_pt.zip"), sha256=sha256_file(en_pt), engine="firefox"),
        {"type": "sbd", "code": "stanza", "links": ["x"]},  # not a translation package: ignored
    ])
    root = tmp_path / "models"
    seen: list[tuple[int, int | None]] = []

    installed = models.install_from_index("zh", "en", index_url=url, models_dir=root,
                                          progress=lambda done, total: seen.append((done, total)))
    assert (installed.engine, installed.source, installed.target, installed.version) == ("argos", "zh", "en", "1.9")
    assert seen[-1] == (zh_en.stat().st_size, zh_en.stat().st_size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    firefox = models.install_from_index("en", "pt", engine="firefox", index_url=url, models_dir=root)
    assert (firefox.engine, firefox.pair) == ("firefox", "en->pt")

    listed = {(m.engine, m.pair) for m in models.list_installed(root)}
    assert listed == {("argos", "zh->en"), ("firefox", "en->pt")}
    assert not [p for p in _leftovers(root) if archive.TEMP_PREFIX in p]

    from transkit.translate.engines import open_translator

    with open_translator("zh", "en", models_dir=root) as translator:
        english = translator.translate_batch(["北约是一个防御性联盟。"])[0]
    assert "NATO" in english and "defensive" in english.lower()
    with open_translator("en", "pt", engine="firefox", models_dir=root) as translator:
        portuguese = translator.translate_batch(["NATO is a defensive alliance."])[0]
    assert "aliança defensiva" in portuguese

    # no zh->pt model: the service pivots through English over both downloaded models
    from transkit.translate.base import TranslateOptions
    from transkit.translate.service import translate_texts

    batch = translate_texts(["北约是一个防御性联盟。"], "zh", "pt", options=TranslateOptions(threads=1), models_dir=root)
    assert batch.engine == "pivot" and "translate-zh_en-1_9" in batch.model_id
    assert "aliança defensiva" in batch.texts[0] and batch.qa_flags == ((),)


@pytest.mark.model
def test_index_advertising_en_ru_installs_nothing_when_the_package_holds_another_pair(index, zh_en, tmp_path):
    # the English->Russian path: the index offers en->ru, the download is checked against it
    index.routes["/en_ru.argosmodel"] = zh_en
    url = index.serve_index([index_entry("en", "ru", "/en_ru.argosmodel", sha256=sha256_file(zh_en))])
    root = tmp_path / "models"
    with pytest.raises(ModelError, match=r"holds a argos zh->en model, not argos en->ru"):
        models.install_from_index("en", "ru", index_url=url, models_dir=root)
    assert _leftovers(root) == []


def test_available_reads_the_index(index):
    url = index.serve_index([
        index_entry("en", "ru", "/a.argosmodel", version="1.9", sha256="AB" * 32, size=1234),
        index_entry("en", "ru", "/b.argosmodel", version="1.10"),
        index_entry("en", "pt", "/c.zip", engine="firefox"),
        {"from_code": "en", "to_code": "de"},  # no links: unusable
        {"from_code": "../x", "to_code": "de", "links": ["/d"]},  # not a language code
        "garbage",
    ])
    packages = models.available(url)
    assert [(p.engine, p.source, p.target, p.version) for p in packages] == [
        ("argos", "en", "ru", "1.9"),
        ("argos", "en", "ru", "1.10"),  # versions sort numerically: 1.10 is newest
        ("firefox", "en", "pt", "1.9"),
    ]
    assert packages[0].sha256 == "ab" * 32 and packages[0].size == 1234
    assert packages[0].links == (index.url("/a.argosmodel"),)  # relative link resolved against the index


def test_index_url_comes_from_the_environment(index, monkeypatch):
    url = index.serve_index([index_entry("en", "ru", "/a.argosmodel")], path="/env-index.json")
    monkeypatch.setenv(models.INDEX_URL_ENV, url)
    assert models.resolve_index_url() == url
    assert models.resolve_index_url("http://127.0.0.1:1/other.json") == "http://127.0.0.1:1/other.json"
    assert [(p.source, p.target) for p in models.available()] == [("en", "ru")]
    assert index.requests == ["/env-index.json"]
    monkeypatch.delenv(models.INDEX_URL_ENV)
    assert models.resolve_index_url() == models.DEFAULT_INDEX_URL


def test_pair_not_in_index_names_what_is_offered(index, tmp_path):
    url = index.serve_index([index_entry("zh", "en", "/a"), index_entry("de", "en", "/b")])
    with pytest.raises(ModelError) as err:
        models.install_from_index("en", "ru", index_url=url, models_dir=tmp_path)
    assert "en->ru" in str(err.value) and "de->en, zh->en" in str(err.value)


def test_index_that_is_not_json_is_a_clear_error(index):
    index.routes["/index.json"] = b"<html>not an index</html>"
    with pytest.raises(NetworkError, match="not valid JSON"):
        models.available(index.url("/index.json"))


def test_unknown_engine_and_scheme_are_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        models.install_from_index("en", "ru", engine="google", index_url="http://127.0.0.1:1/", models_dir=tmp_path)
    with pytest.raises(UsageError, match="scheme"):
        models.available("ftp://127.0.0.1/index.json")


# --------------------------------------------------------------------------- refused packages


@pytest.mark.model
def test_tampered_package_is_refused_and_nothing_installed(index, zh_en, tmp_path):
    tampered = tmp_path / "tampered.argosmodel"
    data = bytearray(zh_en.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the model weights
    tampered.write_bytes(bytes(data))
    index.routes["/zh_en.argosmodel"] = tampered
    url = index.serve_index([index_entry("zh", "en", "/zh_en.argosmodel", sha256=sha256_file(zh_en))])
    root = tmp_path / "models"
    with pytest.raises(ModelError) as err:
        models.install_from_index("zh", "en", index_url=url, models_dir=root)
    message = str(err.value)
    assert "checksum mismatch" in message and sha256_file(zh_en) in message and "nothing was installed" in message
    assert _leftovers(root) == []
    assert models.list_installed(root) == []


def _zip_with(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("pkg/metadata.json", '{"from_code": "en", "to_code": "ru", "package_version": "1"}')
        for info, data in entries:
            out.writestr(info, data)
    return path


def _symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


@pytest.mark.parametrize(
    "entries, why",
    [
        ([("pkg/../../evil.txt", b"x")], "points outside the package"),
        ([("../evil.txt", b"x")], "points outside the package"),
        ([("/tmp/evil-absolute.txt", b"x")], "absolute path"),
        ([("C:/evil.txt", b"x")], "absolute path"),
        ([("pkg\\..\\..\\evil.txt", b"x")], "points outside the package"),
        ([_symlink_entry("pkg/model", "/etc")], "symbolic link"),
    ],
    ids=["dotdot-inside", "dotdot", "absolute", "drive-letter", "backslash-dotdot", "symlink"],
)
def test_unsafe_archive_entries_are_refused_from_the_index(index, tmp_path, entries, why):
    bad = _zip_with(tmp_path / "bad.argosmodel", entries)
    index.routes["/bad.argosmodel"] = bad
    url = index.serve_index([index_entry("en", "ru", "/bad.argosmodel", sha256=sha256_file(bad))])
    root = tmp_path / "deep" / "models"
    with pytest.raises(ModelError, match=why):
        models.install_from_index("en", "ru", index_url=url, models_dir=root)
    assert _leftovers(root) == []
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "deep" / "evil.txt").exists()
    assert not Path("/tmp/evil-absolute.txt").exists()


def test_zip_bomb_is_refused_by_declared_and_by_actual_size(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("pkg/zeros.bin", b"\0" * (5 * 1024 * 1024))  # 5 MB of zeros -> a few KB zipped
    assert bomb.stat().st_size < 50_000
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ModelError, match="unpacks to more than 1048576 bytes"):
        archive.extract_zip(bomb, dest, max_bytes=1024 * 1024)


def test_archive_that_lies_about_its_sizes_is_refused(tmp_path):
    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_STORED) as out:
        out.writestr("pkg/data.bin", b"A" * 1000)
    data = bytearray(liar.read_bytes())
    # claim 10 bytes in both the local header and the central directory
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    liar.write_bytes(bytes(data))
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ModelError, match="corrupt or truncated"):
        archive.extract_zip(liar, dest)


def test_too_many_entries_are_refused(tmp_path):
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as out:
        for i in range(30):
            out.writestr(f"pkg/f{i}", b"")
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ModelError, match="30 entries"):
        archive.extract_zip(many, dest, max_entries=20)
    assert list(dest.iterdir()) == []


def test_truncated_and_non_zip_packages_are_clear_errors(tmp_path):
    good = _zip_with(tmp_path / "good.zip", [("pkg/model/model.bin", b"weights" * 1000)])
    truncated = tmp_path / "truncated.argosmodel"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / "notes.argosmodel"
    text.write_text("not a zip")
    root = tmp_path / "models"
    for bad in (truncated, text):
        with pytest.raises(ModelError, match="corrupt or truncated"):
            models.install_from_file(bad, models_dir=root)
    with pytest.raises(ModelError, match="not found"):
        models.install_from_file(tmp_path / "missing.argosmodel", models_dir=root)
    # a complete zip whose package lacks the model weights' tokenizer is refused too
    with pytest.raises(ModelError, match="sentencepiece"):
        models.install_from_file(good, models_dir=root)
    assert _leftovers(root) == []


# --------------------------------------------------------------------------- network failures


def test_server_that_never_answers_times_out_quickly(index, tmp_path):
    index.routes["/index.json"] = HANG  # the server holds the request for 30 s, then drops it unanswered
    with pytest.raises(NetworkError, match=r"no answer within 0\.3 s"):
        models.install_from_index("en", "ru", index_url=index.url("/index.json"), models_dir=tmp_path, timeout=0.3)


def test_download_that_stalls_times_out_and_installs_nothing(index, tmp_path):
    index.routes["/slow.argosmodel"] = HANG
    url = index.serve_index([index_entry("en", "ru", "/slow.argosmodel")])
    root = tmp_path / "models"
    with pytest.raises(NetworkError, match="no answer within"):
        models.install_from_index("en", "ru", index_url=url, models_dir=root, timeout=0.3)
    assert _leftovers(root) == []


def test_offline_connection_refused_is_a_network_error_at_once(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/index.json"
    with pytest.raises(NetworkError) as err:
        models.install_from_index("en", "ru", index_url=url, models_dir=tmp_path)
    message = str(err.value)
    assert "connection refused" in message and url in message and "--from" in message


def test_missing_package_link_is_a_network_error(index, tmp_path):
    url = index.serve_index([index_entry("en", "ru", "/gone.argosmodel")])
    with pytest.raises(NetworkError, match="HTTP 404"):
        models.install_from_index("en", "ru", index_url=url, models_dir=tmp_path)
    assert _leftovers(tmp_path) == []


# --------------------------------------------------------------------------- files, folders, removal


@pytest.mark.model
def test_install_from_file_and_folders_then_replace_and_remove(zh_en, test_models_dir, tmp_path):
    root = tmp_path / "models"
    first = models.install_from_file(zh_en, models_dir=root)
    again = models.install_from_file(test_models_dir / "installed" / "argos" / first.name, models_dir=root)
    assert again.path == first.path  # same pair and version: replaced in place, not duplicated
    assert [m.name for m in models.list_installed(root)] == ["translate-zh_en-1_9"]

    # a bare Firefox model folder (as the models ship): pair read from the file names
    bare = tmp_path / "enpt-1693087644"
    bare.mkdir()
    for path in (test_models_dir / "installed" / "firefox" / "en-pt").iterdir():
        if path.name != models.FIREFOX_META:
            os.link(path, bare / path.name)
    firefox = models.install_from_file(bare, models_dir=root)
    assert (firefox.engine, firefox.pair, firefox.version) == ("firefox", "en->pt", "1693087644")
    record = (firefox.path / models.FIREFOX_META).read_text()
    assert '"shortlist": "lex.50.50.enpt.s2t.bin"' in record and '"src_vocab": "vocab.enpt.spm"' in record

    removed = models.remove("en", "pt", models_dir=root)
    assert [(m.engine, m.pair) for m in removed] == [("firefox", "en->pt")]
    assert not firefox.path.exists()
    with pytest.raises(ModelError, match=r"no installed model for en->pt.*installed: argos zh->en"):
        models.remove("en", "pt", models_dir=root)
    assert bare.is_dir() and zh_en.is_file()  # the user's own files are never touched


def test_folder_that_is_no_model_is_refused(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(ModelError, match="not a model package"):
        models.install_from_file(folder, models_dir=tmp_path / "models")


@pytest.mark.model
def test_missing_model_error_names_pair_installed_pairs_and_command(zh_en, tmp_path):
    root = tmp_path / "models"
    models.install_from_file(zh_en, models_dir=root)
    from transkit.translate.engines import open_translator
    from transkit.translate.service import translate_texts

    for attempt in (
        lambda: open_translator("en", "ru", models_dir=root),
        lambda: translate_texts(["Hello."], "en", "ru", models_dir=root),
    ):
        with pytest.raises(ModelError) as err:
            attempt()
        message = str(err.value)
        assert "en->ru" in message and "zh->en" in message and "transkit models install en ru" in message


def test_install_clears_temporary_folders_a_killed_install_left_long_ago(tmp_path):
    root = tmp_path / "models"
    old = root / "argos" / f"{archive.TEMP_PREFIX}killed"
    young = root / f"{archive.TEMP_PREFIX}running"
    for folder in (old, young):
        (folder / "model").mkdir(parents=True)
        (folder / "model" / "model.bin").write_bytes(b"half")
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    with pytest.raises(ModelError):
        models.install_from_file(tmp_path / "missing.argosmodel", models_dir=root)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError, match="not a model package"):
        models.install_from_file(empty, models_dir=root)
    assert not old.exists()
    assert young.exists()  # may belong to an install running in another process
