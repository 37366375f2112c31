"""scripts/fetch_peer_subtitles.py: only subtitle files, safe paths, verified copies."""

from __future__ import annotations

import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("fetch_peer_subtitles", ROOT / "scripts" / "fetch_peer_subtitles.py")
fetch = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(fetch)

PEER = {"package": "demo", "requirement": "demo==1.0", "filename": "demo-1.0.tar.gz", "sha256": "0" * 64, "licence": "MIT"}


def make_sdist(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_only_subtitle_files_are_extracted_with_their_paths(tmp_path):
    sdist = make_sdist(
        tmp_path / "demo-1.0.tar.gz",
        {
            "demo-1.0/tests/data/a.srt": b"1\n00:00:00,000 --> 00:00:01,000\nHi\n",
            "demo-1.0/tests/data/B.VTT": b"WEBVTT\n",
            "demo-1.0/tests/data/c.ass": b"[Script Info]\n",
            "demo-1.0/tests/test_a.py": b"print()\n",
            "demo-1.0/tests/data/font.ttf": b"\x00\x01",
        },
    )
    entries = fetch.extract(PEER, sdist, tmp_path / "out")
    assert sorted(e["path"] for e in entries) == [
        "demo-1.0/tests/data/B.VTT",
        "demo-1.0/tests/data/a.srt",
        "demo-1.0/tests/data/c.ass",
    ]
    assert (tmp_path / "out" / "demo-1.0" / "tests" / "data" / "a.srt").read_bytes().endswith(b"Hi\n")
    assert not (tmp_path / "out" / "demo-1.0" / "tests" / "test_a.py").exists()
    assert {e["licence"] for e in entries} == {"MIT"} and all(len(e["sha256"]) == 64 for e in entries)


def test_a_member_outside_the_folder_is_refused(tmp_path):
    sdist = make_sdist(tmp_path / "demo-1.0.tar.gz", {"../evil.srt": b"x"})
    with pytest.raises(fetch.FetchError, match="outside the target folder"):
        fetch.extract(PEER, sdist, tmp_path / "out")


def test_a_changed_file_makes_the_fetch_run_again(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch, "CACHE", tmp_path)
    monkeypatch.setattr(fetch, "INDEX", tmp_path / "index.json")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.srt").write_bytes(b"original")
    entry = {"path": "x/a.srt", "sha256": fetch.sha256_of(tmp_path / "x" / "a.srt")}
    (tmp_path / "index.json").write_text(json.dumps({"pins": fetch.pins(), "files": [entry]}))
    assert fetch.already_done()
    (tmp_path / "x" / "a.srt").write_bytes(b"changed")
    assert not fetch.already_done()


def test_the_pins_are_complete():
    for peer in fetch.PEERS:
        assert peer["requirement"].startswith(peer["package"] + "==")
        assert len(peer["sha256"]) == 64 and peer["filename"].endswith(".tar.gz") and peer["licence"]


def test_a_download_with_the_wrong_checksum_is_refused_and_deleted(tmp_path, monkeypatch):
    """pip replaced by a stand-in that writes a different file (a unit test of one function)."""
    import subprocess

    monkeypatch.setattr(fetch, "DOWNLOADS", tmp_path)

    def fake_pip(command, **_kwargs):
        (tmp_path / PEER["filename"]).write_bytes(b"not the pinned sdist")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(fetch.subprocess, "run", fake_pip)
    with pytest.raises(fetch.FetchError, match=r"demo-1\.0\.tar\.gz: sha256 [0-9a-f]{64} does not match the pinned 0{64}; deleted"):
        fetch.pip_download(PEER)
    assert not (tmp_path / PEER["filename"]).exists()
