#!/usr/bin/env python3
"""Fetch the subtitle files other subtitle libraries test themselves with.

Each peer library ships its test data in its PyPI source distribution; this script
downloads the pinned sdists, verifies their sha256, and extracts only the subtitle
files (``.srt .vtt .webvtt .ass .ssa``), keeping their paths inside the sdist:

    .cache/peer-subtitles/            (or $TRANSKIT_PEER_SUBTITLES)
        downloads/                    the sdists, as pip downloaded them
        pysrt-1.1.2/tests/static/utf-8.srt
        webvtt_py-0.6.0/tests/samples/sample.vtt
        ...
        index.json                    every extracted file: package, version, licence,
                                      artifact and its sha256, the file's own sha256

Checked in 2026-12: pysubs2, pysrt, webvtt-py and srt ship test subtitles in their
sdists (their wheels do not); pycaption keeps its fixtures inside Python modules,
subtitle-parser, pyvtt and subliminal ship none, and the ffsubsync and aeneas sdists
cannot be downloaded by pip without building them, so they are not used.

Safe to run again: when index.json matches the pins and every file is present it does
nothing. Exit status 0 on success, 1 with one readable line otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("TRANSKIT_PEER_SUBTITLES", ROOT / ".cache" / "peer-subtitles"))
DOWNLOADS = CACHE / "downloads"
INDEX = CACHE / "index.json"
SUFFIXES = (".srt", ".vtt", ".webvtt", ".ass", ".ssa")
PIP_TIMEOUT_S = "60"

# The licence is the package's own (its PKG-INFO); the test files are part of the package.
PEERS = (
    {
        "package": "pysrt",
        "requirement": "pysrt==1.1.2",
        "filename": "pysrt-1.1.2.tar.gz",
        "sha256": "b4f844ba33e4e7743e9db746492f3a193dc0bc112b153914698e7c1cdeb9b0b9",
        "licence": "GPL-3.0 (pysrt PKG-INFO: License: GPLv3)",
    },
    {
        "package": "srt",
        "requirement": "srt==3.5.3",
        "filename": "srt-3.5.3.tar.gz",
        "sha256": "4884315043a4f0740fd1f878ed6caa376ac06d70e135f306a6dc44632eed0cc0",
        "licence": "MIT (srt PKG-INFO and LICENSE)",
    },
    {
        "package": "webvtt-py",
        "requirement": "webvtt-py==0.6.0",
        "filename": "webvtt_py-0.6.0.tar.gz",
        "sha256": "2f4ba359ab7e6bac98aa086fa7fc0ba1320ca7495f7d67f565baceac37f40aff",
        "licence": "MIT (webvtt-py PKG-INFO and LICENSE)",
    },
    {
        "package": "pysubs2",
        "requirement": "pysubs2==1.8.1",
        "filename": "pysubs2-1.8.1.tar.gz",
        "sha256": "af3a288643da87db6bb13dbde70e94c9570765cc8f6423b1c21de11f16d734da",
        "licence": "MIT (pysubs2 PKG-INFO and LICENSE.txt)",
    },
)


class FetchError(Exception):
    pass


def say(text: str) -> None:
    print(f"fetch_peer_subtitles: {text}", flush=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pins() -> list[dict[str, str]]:
    return [{"artifact": p["filename"], "sha256": p["sha256"]} for p in PEERS]


def already_done() -> bool:
    try:
        index = json.loads(INDEX.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if index.get("pins") != pins():
        return False
    for entry in index.get("files", []):
        path = CACHE / entry["path"]
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            return False
    return bool(index.get("files"))


def pip_download(peer: dict[str, str]) -> Path:
    """Download one sdist with pip unless a verified copy is already there."""
    path = DOWNLOADS / peer["filename"]
    if path.is_file() and sha256_of(path) == peer["sha256"]:
        say(f"{peer['filename']}: already downloaded, sha256 ok")
        return path
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--no-binary=:all:",
        "--disable-pip-version-check", "--timeout", PIP_TIMEOUT_S,
        "--dest", str(DOWNLOADS), peer["requirement"],
    ]
    say("running " + " ".join(command[2:]))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise FetchError(f"pip could not download {peer['requirement']}: {last} (is PyPI reachable?)")
    if not path.is_file():
        got = ", ".join(sorted(p.name for p in DOWNLOADS.iterdir()))
        raise FetchError(f"pip did not produce {peer['filename']} (found: {got})")
    actual = sha256_of(path)
    if actual != peer["sha256"]:
        path.unlink()
        raise FetchError(f"{peer['filename']}: sha256 {actual} does not match the pinned {peer['sha256']}; deleted")
    say(f"{peer['filename']}: downloaded, sha256 ok")
    return path


def member_path(name: str) -> PurePosixPath | None:
    """The relative path of a subtitle member, or None for anything else; refuses
    absolute and ``..`` paths."""
    path = PurePosixPath(name)
    if path.suffix.lower() not in SUFFIXES:
        return None
    if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        raise FetchError(f"archive member {name!r} points outside the target folder")
    return path


def extract(peer: dict[str, str], sdist: Path, staging: Path) -> list[dict[str, str]]:
    """Copy the sdist's subtitle files below ``staging``; one index entry each."""
    entries: list[dict[str, str]] = []
    with tarfile.open(sdist, "r:gz") as tar:
        for member in tar.getmembers():
            path = member_path(member.name)
            if path is None or not member.isfile():
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            target = staging.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            entries.append(
                {
                    "path": str(path),
                    "package": peer["package"],
                    "version": peer["requirement"].split("==", 1)[1],
                    "licence": peer["licence"],
                    "artifact": peer["filename"],
                    "artifact_sha256": peer["sha256"],
                    "sha256": sha256_of(target),
                    "bytes": str(target.stat().st_size),
                }
            )
    if not entries:
        raise FetchError(f"{sdist.name} holds no subtitle files")
    return entries


def install(entries_by_peer: list[tuple[str, Path]]) -> None:
    """Swap each fully extracted package folder into place."""
    for top, staged in entries_by_peer:
        final = CACHE / top
        if final.exists():
            shutil.rmtree(final)
        staged.rename(final)


def main() -> int:
    if already_done():
        say(f"peer subtitle files already in {CACHE} (nothing to do)")
        return 0
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        files: list[dict[str, str]] = []
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            staged: list[tuple[str, Path]] = []
            for peer in PEERS:
                sdist = pip_download(peer)
                where = Path(tmp) / peer["package"]
                entries = extract(peer, sdist, where)
                tops = {PurePosixPath(e["path"]).parts[0] for e in entries}
                if len(tops) != 1:
                    raise FetchError(f"{sdist.name}: expected one top folder, found {sorted(tops)}")
                top = tops.pop()
                staged.append((top, where / top))
                files.extend(entries)
                say(f"{peer['requirement']}: {len(entries)} subtitle files")
            install(staged)
        files.sort(key=lambda e: e["path"])
        partial = INDEX.with_suffix(".part")
        partial.write_text(json.dumps({"pins": pins(), "files": files}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(INDEX)
    except (FetchError, OSError, tarfile.TarError) as error:
        say(f"error: {error}")
        return 1
    say(f"done: {len(files)} files in {CACHE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
