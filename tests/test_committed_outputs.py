"""translations/ holds what `transkit run source/ --to pt` produces: prove it is current."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from transkit.batch import run_batch
from transkit.cli.sources import expand_sources
from transkit.runs import DEFAULT_FORMATS, RunSettings

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "translations"


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.model
def test_committed_translations_are_what_the_code_produces(tmp_path, test_models_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.chdir(ROOT)
    settings = RunSettings(
        languages=("pt",),
        out_dir=tmp_path / "translations",
        formats=DEFAULT_FORMATS,
        memory_path=tmp_path / "memory.sqlite",
    )
    run_batch(expand_sources(["source"]), settings)
    fresh = settings.out_dir
    assert _files(fresh) == _files(COMMITTED), "re-run scripts/demo.sh and commit translations/"
    differing = [name for name in _files(fresh) if not filecmp.cmp(fresh / name, COMMITTED / name, shallow=False)]
    assert differing == [], f"stale committed outputs (re-run scripts/demo.sh): {differing}"


def test_manifest_matches_the_source():
    import hashlib

    for manifest_path in COMMITTED.glob("*.manifest.json"):
        manifest = json.loads(manifest_path.read_text())
        source = ROOT / "source" / manifest["source"]
        assert hashlib.sha256(source.read_bytes()).hexdigest() == manifest["source_sha256"]
        assert manifest["languages"]["pt"]["model"]
        for output in manifest["outputs"]:
            assert (COMMITTED / output).is_file(), output
