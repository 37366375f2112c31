"""``transkit import``: writes a valid source file, reports counts, refuses bad input clearly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app
from transkit.ingest import import_raw, load_transcript

ROOT = Path(__file__).resolve().parent.parent
RAW_SEED = ROOT / "source" / "raw" / "meduza-stoltenberg-interview-2022-04-07.txt"
runner = CliRunner()


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    return Path(shutil.copy(RAW_SEED, tmp_path / RAW_SEED.name))


def test_import_writes_the_source_file_and_reports(raw_copy: Path, tmp_path: Path):
    out = tmp_path / "source" / "interview.md"
    result = runner.invoke(app, ["import", str(raw_copy), "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = import_raw(RAW_SEED.read_text(encoding="utf-8"), date="2022-04-07")
    assert out.read_text(encoding="utf-8") == expected.markdown
    t = load_transcript(out)
    assert t.meta.date == "2022-04-07"  # taken from the file name
    spoken = sum(1 for p in t.paragraphs if p.kind == "speech")
    notes = len(t.paragraphs) - spoken
    assert f"kept {len(t.paragraphs)} paragraphs: {spoken} spoken" in result.output
    assert f"{notes} notes" in result.output
    assert f"dropped {len(expected.dropped)} lines" in result.output
    assert f"{len(expected.review)} attributions need review" in result.output
    for p in t.paragraphs:
        if p.needs_review:
            assert f"{out}:{p.line}: {p.speaker}?" in result.output


def test_existing_output_needs_force(raw_copy: Path, tmp_path: Path):
    out = tmp_path / "interview.md"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["import", str(raw_copy), "-o", str(out)])
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "keep me"

    result = runner.invoke(app, ["import", str(raw_copy), "-o", str(out), "--force", "--publisher", "Meduza"])
    assert result.exit_code == 0, result.output
    assert load_transcript(out).meta.publisher == "Meduza"


def test_refuses_to_overwrite_its_input(raw_copy: Path):
    before = raw_copy.read_bytes()
    result = runner.invoke(app, ["import", str(raw_copy), "-o", str(raw_copy), "--force"])
    assert result.exit_code == 2
    assert "input file" in result.output
    assert raw_copy.read_bytes() == before


def test_without_output_the_markdown_goes_to_stdout(raw_copy: Path):
    result = runner.invoke(app, ["import", str(raw_copy)])
    assert result.exit_code == 0
    assert result.stdout.startswith("---\ntitle: If President Putin")
    assert "kept " not in result.stdout
    assert "kept " in result.stderr


@pytest.mark.parametrize(
    "content,words",
    [
        (None, "not found"),
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"Just a statement.\n\nAnother one.\n", "no question"),
    ],
    ids=["missing", "empty", "blank", "binary", "not-an-interview"],
)
def test_bad_input_is_one_line_and_exit_3(tmp_path: Path, content: bytes | None, words: str):
    raw = tmp_path / "raw.txt"
    if content is not None:
        raw.write_bytes(content)
    out = tmp_path / "out.md"
    result = runner.invoke(app, ["import", str(raw), "-o", str(out)])
    assert result.exit_code == 3
    assert words in result.output
    assert result.output.startswith("transkit: error: ")
    assert result.output.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("option,value", [("--date", "7 April 2022"), ("--language", "English")])
def test_bad_header_option_is_a_usage_error(raw_copy: Path, tmp_path: Path, option: str, value: str):
    out = tmp_path / "out.md"
    result = runner.invoke(app, ["import", str(raw_copy), "-o", str(out), option, value])
    assert result.exit_code == 2
    assert result.output.startswith("transkit: error: bad ") and result.output.count("\n") == 1
    assert not out.exists()


def test_help_shows_examples():
    result = runner.invoke(app, ["import", "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.output and "transkit import article.txt -o source/interview.md" in result.output


def test_console_script_subprocess(raw_copy: Path, tmp_path: Path):
    exe = Path(sys.executable).parent / "transkit"
    out = tmp_path / "cli.md"
    done = subprocess.run(
        [str(exe), "import", str(raw_copy), "-o", str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "attributions need review" in done.stdout
    assert load_transcript(out).spoken

    missing = subprocess.run(
        [str(exe), "import", str(tmp_path / "nope.txt"), "-o", str(out)], capture_output=True, text=True, timeout=300
    )
    assert missing.returncode == 3
    assert missing.stderr.strip().endswith("raw text file not found (check the path)")
    assert "Traceback" not in missing.stderr
