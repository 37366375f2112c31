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


# --- what check refuses, and what else it takes ------------------------------------

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "translations"


def one_error_line(result, code: int) -> str:
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("transkit: error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("notes.srt", b"Just a line of text.\nAnother.\n", "not a subtitle file"),
        ("interview.srt", (ROOT / "source" / "interview.md").read_bytes(), "not a subtitle file"),
        ("interview.md", (ROOT / "source" / "interview.md").read_bytes(), "not a subtitle file"),
        ("photo.vtt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("empty.srt", b"", "empty"),
        ("u32.srt", (ROOT / "source" / "interview.md").read_text(encoding="utf-8").encode("utf-32"), ""),
        ("u32le.srt", (ROOT / "source" / "interview.md").read_text(encoding="utf-8").encode("utf-32-le"), ""),
    ],
)
def test_what_is_not_a_subtitle_file_is_refused(tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    for extra in ([], ["--strict"]):
        line = one_error_line(runner.invoke(app, ["check", str(path), *extra]), 3)
        assert str(path) in line and says in line


def test_utf32_is_checked_or_refused_never_passed_as_no_cues(tmp_path):
    """Whichever way a UTF-32 file decodes, it is never '0 cues, 0 errors'."""
    text = (COMMITTED / "en" / "interview.en.srt").read_text(encoding="utf-8")
    for codec in ("utf-32", "utf-32-le", "utf-32-be"):
        path = tmp_path / f"{codec}.srt"
        path.write_bytes(text.encode(codec))
        result = runner.invoke(app, ["check", str(path), "-p", "netflix-en"])
        assert result.exit_code in (0, 3), result.output
        if result.exit_code == 0:
            assert "302 cues" in result.stdout
        else:
            one_error_line(result, 3)


def test_ass_is_checked(tmp_path):
    path = tmp_path / "x.en.ass"
    path.write_text(
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:01.40,Default,,0,0,0,,{\\an8}Too short.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 8
    assert "1 cues, profile netflix-en" in result.stdout and "min-duration: 400 ms < 830 ms" in result.stdout


def test_committed_outputs_pass_as_a_folder_even_strict():
    result = runner.invoke(app, ["check", str(COMMITTED), "--strict"])
    assert result.exit_code == 0, result.output
    assert f"skipped {COMMITTED / 'pt' / 'interview.en-pt.pdf'}: not a subtitle file name (.pdf)" in result.stdout
    for name in ("en/interview.en.ass", "pt/interview.pt.vtt", "pt/interview.en-pt.srt"):
        assert f"{COMMITTED / name}" in result.stdout
    assert "[en (italics)]" in result.stdout and "[pt]" in result.stdout


def test_folder_json_lists_what_it_skipped(tmp_path):
    write_srt(tmp_path / "A.EN.SRT", [(0, 2000, "Has NATO ever wanted")])
    (tmp_path / "clip.WEBVTT").write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello there.\n", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("not subtitles", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["A.EN.SRT", "clip.WEBVTT"]
    assert [f["cues"] for f in data["files"]] == [1, 1]
    assert data["skipped"] == [{"path": str(tmp_path / "readme.txt"), "reason": "not a subtitle file name (.txt)"}]


def test_a_folder_without_subtitles_is_refused(tmp_path):
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    line = one_error_line(runner.invoke(app, ["check", str(tmp_path)]), 3)
    assert str(tmp_path) in line and "no subtitle files" in line


def test_bilingual_file_is_checked_per_language():
    path = COMMITTED / "pt" / "interview.en-pt.srt"
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(f["track"], f["profile"], f["errors"]) for f in data["files"]] == [
        ("en (italics)", "netflix-en", 0),
        ("pt", "netflix", 0),
    ]


def test_strict_still_fails_on_warnings_only_in_a_folder(tmp_path, warned):
    shutil_copy = tmp_path / "folder"
    shutil_copy.mkdir()
    (shutil_copy / warned.name).write_bytes(warned.read_bytes())
    assert runner.invoke(app, ["check", str(shutil_copy)]).exit_code == 0
    strict = runner.invoke(app, ["check", str(shutil_copy), "--strict"])
    assert strict.exit_code == 8 and "1 warning in 1 of 1 files" in strict.stderr
