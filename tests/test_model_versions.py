"""One version ordering for model listing and model choice (numeric parts as numbers,
a release above its pre-release)."""

from __future__ import annotations

import json
import random

from typer.testing import CliRunner

from transkit.cli.app import app
from transkit.translate.engines import _pick, installed_models
from transkit.translate.models import list_installed, version_key

EXAMPLES = ["1.2", "1.9", "1.10", "1.9b", "1.a"]
NEWEST_FIRST = ["1.10", "1.9", "1.9b", "1.2", "1.a"]


def test_version_key_orders_the_examples():
    shuffled = EXAMPLES[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=version_key, reverse=True) == NEWEST_FIRST
    assert version_key("1.9.1") > version_key("1.9")
    assert version_key("2.0a1") < version_key("2.0")
    assert version_key("1_10") == version_key("1.10")


def _firefox_folder(root, name: str, version: str) -> None:
    """A Firefox model record with placeholder files: enough for listing, not for loading."""
    folder = root / "firefox" / name
    folder.mkdir(parents=True)
    for file in ("model.enru.intgemm.alphas.bin", "vocab.enru.spm"):
        (folder / file).write_bytes(b"placeholder")
    record = {"engine": "firefox", "source": "en", "target": "ru", "version": version,
              "files": {"model": "model.enru.intgemm.alphas.bin", "vocab": "vocab.enru.spm"}}
    (folder / "transkit-model.json").write_text(json.dumps(record), encoding="utf-8")


def test_listing_and_choice_agree_on_the_newest(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-argos"))
    for number, version in enumerate(EXAMPLES):
        _firefox_folder(tmp_path, f"en-ru-{number}", version)
    listed = [m.version for m in list_installed(tmp_path)]
    assert listed == NEWEST_FIRST[::-1]
    chosen = _pick(installed_models(tmp_path), "en", "ru", "auto")
    assert chosen is not None and chosen.version == "1.10"
    assert chosen.version == listed[-1]

    result = CliRunner().invoke(app, ["models", "list", "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = [line.split()[3] for line in result.stdout.splitlines()[1:]]
    assert rows == NEWEST_FIRST[::-1]
