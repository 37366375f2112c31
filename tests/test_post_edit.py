"""Translator round trip through the CLI: export XLIFF, post-edit two sentences,
import them, and see them in every later output while nothing else changes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import srt
from typer.testing import CliRunner

from transkit.cli.app import app
from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

EDITS = {
    0: "A OTAN alguma vez quis conquistar ou dividir a Rússia? [revisto]",
    2: "Não, a OTAN é uma aliança defensiva. [revisto]",
}


def _edit_targets(xliff: Path, edits: dict[int, str]) -> None:
    text = xliff.read_text(encoding="utf-8")
    for unit, new in edits.items():
        pattern = re.compile(rf'(<trans-unit id="{unit}"[^>]*>.*?<target[^>]*>)(.*?)(</target>)', re.S)
        text, count = pattern.subn(lambda m: m.group(1) + new + m.group(3), text, count=1)
        assert count == 1, unit
    xliff.write_text(text, encoding="utf-8")


def _cue_texts(path: Path) -> list[str]:
    return [cue.content for cue in srt.parse(path.read_text(encoding="utf-8"))]


@pytest.mark.model
def test_xliff_edits_reach_srt_pdf_html_and_later_runs(tmp_path, test_models_dir, monkeypatch):
    pdftotext = require_tool("pdftotext")
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))
    out = tmp_path / "out"
    source = str(ROOT / "source" / "interview.md")
    first = runner.invoke(app, ["run", source, "--to", "pt", "-o", str(out), "-f", "srt,pdf,html,xliff"])
    assert first.exit_code == 0, first.output
    pt = out / "pt"
    before = _cue_texts(pt / "interview.pt.srt")
    html_before = (pt / "interview.en-pt.html").read_text(encoding="utf-8")

    xliff = pt / "interview.en-pt.xlf"
    _edit_targets(xliff, EDITS)
    project = out / "interview.project.json"
    result = runner.invoke(
        app, ["import-edits", str(xliff), "--project", str(project), "--formats", "srt,pdf,html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2 post-edited sentences" in result.output

    after = _cue_texts(pt / "interview.pt.srt")
    joined = " ".join(after).replace("\n", " ")
    for new in EDITS.values():
        assert new in joined
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after) and 1 <= len(changed) <= 4, changed  # only the edited sentences' cues
    pdf_text = subprocess.run([pdftotext, str(pt / "interview.en-pt.pdf"), "-"], capture_output=True, text=True).stdout
    assert "[revisto]" in pdf_text and pdf_text.count("[revisto]") == 2
    html_after = (pt / "interview.en-pt.html").read_text(encoding="utf-8")
    assert html_after.count("[revisto]") == 2
    assert len(html_after.splitlines()) == len(html_before.splitlines())

    # a later run translates nothing and keeps the human translations
    again = runner.invoke(app, ["run", source, "--to", "pt", "-o", str(out), "-f", "srt"])
    assert again.exit_code == 0, again.output
    assert _cue_texts(pt / "interview.pt.srt") == after
