"""The CLI shell: fast start-up, every command documented, errors as one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

HEAVY = ("ctranslate2", "sentencepiece", "fxtranslate", "pydub", "fpdf", "docx", "numpy", "argostranslate")


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from transkit.cli.app import app\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(app, ['--help'])\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_examples(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, result.output


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [c for c in _commands() if not re.search(rf"transkit {c}\b", readme)]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("transkit ")


def test_console_script_runs_as_a_subprocess():
    exe = Path(sys.executable).parent / "transkit"
    result = subprocess.run([str(exe), "segment", "no/such/file.md"], capture_output=True, text=True)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1
    assert "no/such/file.md" in result.stderr and "Traceback" not in result.stderr


def test_unknown_profile_is_a_usage_error(tmp_path):
    source = tmp_path / "x.md"
    source.write_text("whatever")
    result = runner.invoke(app, ["segment", str(source), "--profile", "nope"])
    assert result.exit_code == 2
    assert "unknown style profile 'nope'" in result.output


def test_memory_stats_and_clear(tmp_path, monkeypatch):
    from transkit.translate.memory import TranslationMemory

    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    memory.store_human("en", "pt", [("Hello.", "Olá.")])
    memory.close()
    result = runner.invoke(app, ["memory", "stats"])
    assert result.exit_code == 0 and "1 entries (0 engine, 1 human)" in result.output
    assert runner.invoke(app, ["memory", "clear", "--engine-only", "--yes"]).output.strip() == "deleted 0 entries"
    assert runner.invoke(app, ["memory", "clear", "--yes"]).output.strip() == "deleted 1 entries"
