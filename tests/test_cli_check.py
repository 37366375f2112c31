"""``transkit check`` from the command line: listing, summary, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app
from transkit.errors import QualityError, UsageError
from transkit.timing import format_srt

runner = CliRunner()


def write_srt(path: Path, cues: list[tuple[int, int, str]]) -> Path:
    blocks = [f"{i}\n{format_srt(s)} --> {format_srt(e)}\n{text}\n" for i, (s, e, text) in enumerate(cues, start=1)]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_srt(tmp_path / "clean.srt", [(0, 2000, "Has NATO ever wanted"), (2100, 4000, "to conquer Russia?")])


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    cues = [(i * 3000, i * 3000 + 2500, f"Fine cue number {i}.") for i in range(11)]
    cues.append((62300, 64000, "x" * 20 + "\n" + "y" * 18))  # 39 chars in 1.7 s
    return write_srt(tmp_path / "broken.srt", cues)


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    return write_srt(tmp_path / "warned.srt", [(0, 2000, "First cue here."), (2040, 4000, "Second cue here.")])


def test_clean_file_exits_zero_with_a_summary(clean):
    result = runner.invoke(app, ["check", str(clean), "--profile", "netflix-en"])
    assert result.exit_code == 0, result.output
    assert "2 cues, profile netflix-en" in result.stdout
    assert "errors" in result.stdout and "warnings" in result.stdout


def test_errors_are_listed_and_exit_with_the_quality_code(broken):
    result = runner.invoke(app, ["check", str(broken), "--profile", "netflix-en"])
    assert result.exit_code == QualityError.exit_code == 8
    assert "12 00:01:02,300 --> 00:01:04,000 cps: 22.9 chars/s > 20" in result.stdout
    assert result.stderr.count("\n") == 1 and "1 error in 1 of 1 files" in result.stderr


def test_warnings_fail_only_with_strict(warned):
    relaxed = runner.invoke(app, ["check", str(warned), "-p", "netflix-en"])
    assert relaxed.exit_code == 0
    assert "gap: 40 ms after cue 1 < 83 ms  (warning)" in relaxed.stdout
    strict = runner.invoke(app, ["check", str(warned), "-p", "netflix-en", "--strict"])
    assert strict.exit_code == 8


def test_json_output(broken, clean):
    result = runner.invoke(app, ["check", str(broken), str(clean), "--profile", "netflix-en", "--json"])
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == [str(broken), str(clean)]
    assert data["errors"] == 1 and data["files"][0]["summary"] == {"cps": {"error": 1, "warning": 0}}
    assert data["files"][0]["violations"][0]["cue"] == 12


def test_unknown_profile_is_one_clear_line_and_exit_2(clean):
    result = runner.invoke(app, ["check", str(clean), "--profile", "netflix-xx"])
    assert result.exit_code == UsageError.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown style profile 'netflix-xx'" in result.stderr and "netflix-en" in result.stderr


def test_missing_file_exit_3(tmp_path: Path):
    result = runner.invoke(app, ["check", str(tmp_path / "none.srt")])
    assert result.exit_code == 3
    assert "not found" in result.stderr and "Traceback" not in result.output


def test_unreadable_times_exit_3_with_the_line(tmp_path: Path):
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> soon\nHi\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 3
    assert f"{path}:2: cannot read the cue times" in result.stderr


def test_strict_syntax_refuses_what_a_player_tolerates(tmp_path: Path):
    path = tmp_path / "loose.srt"
    path.write_text("00:00:01,000 --> 00:00:02,000\nNo number.\n")
    assert runner.invoke(app, ["check", str(path)]).exit_code == 0
    result = runner.invoke(app, ["check", str(path), "--strict-syntax"])
    assert result.exit_code == 3 and "cue number missing" in result.stderr


def test_profile_defaults_from_the_language_in_the_name(tmp_path: Path):
    # 19 CPS: fine for English (20), an error for Russian (17 + 10 %).
    cue = [(0, 2000, "x" * 38)]
    assert runner.invoke(app, ["check", str(write_srt(tmp_path / "a.en.srt", cue))]).exit_code == 0
    result = runner.invoke(app, ["check", str(write_srt(tmp_path / "a.ru.srt", cue))])
    assert result.exit_code == 8 and "profile netflix-ru" in result.stdout


def test_vtt_input(tmp_path: Path):
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:00.400\n<v Jens Stoltenberg>No.\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 8 and "min-duration: 400 ms < 833 ms" in result.stdout


def test_help_has_examples():
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.stdout and "--strict" in result.stdout and "--json" in result.stdout


def test_exit_code_as_a_real_process(broken):
    exe = Path(sys.executable).parent / "transkit"
    proc = subprocess.run([str(exe), "check", str(broken), "-p", "netflix-en"], capture_output=True, text=True)
    assert proc.returncode == 8
    assert proc.stderr.startswith("transkit: error: 1 error in")
