"""The bad-input catalogue: every input a user can get wrong, through the CLI.

Each refusal must end in exactly one error line on stderr that names the file
(or the bad value) and says what to do, with the documented exit code
(``transkit.errors``: 2 usage, 3 input, 4 model, 5 output, 7 audio) and no
traceback. Encodings that can be detected (cp1251, UTF-16 with BOM, UTF-8 with
BOM, CRLF line ends) are not refused: they must give exactly the outputs the
UTF-8 file gives.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app
from transkit.errors import TranskitError

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
RAW_ARTICLE = ROOT / "source" / "raw" / "meduza-stoltenberg-interview-2022-04-07.txt"
EXIT = {"usage": 2, "input": 3, "model": 4, "output": 5, "audio": 7, "quality": 8}

runner = CliRunner()

RUSSIAN_NOTE = "> NOTE: Интервью вышло на русском в «Новой газете Европа» — 7 апреля 2022 года."


RAISED: list[TranskitError] = []


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSKIT_DEBUG", raising=False)  # restored even if --debug sets it
    RAISED.clear()
    original = TranskitError.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        RAISED.append(self)

    monkeypatch.setattr(TranskitError, "__init__", recording_init)


def cli(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def error_line(result, code: int, *names: str) -> str:
    """The run failed with ``code`` and one clean error line naming each of ``names``; return that line."""
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {out}"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("transkit: error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    line = errors[0]
    for name in names:
        assert name in line, f"{name!r} not named in: {line}"
    shown = [exc for exc in RAISED if line == f"transkit: error: {exc}"]
    assert shown, f"not the text of a transkit error: {line}"
    # what to do: a hint, or the form that was expected
    assert shown[-1].hint or "expected" in shown[-1].message, f"no hint on what to do: {line}"
    return line


# --------------------------------------------------------------------------- empty, binary, missing


def test_empty_file():
    Path("empty.md").write_bytes(b"")
    line = error_line(cli("segment", "empty.md"), EXIT["input"], "empty.md")
    assert "empty" in line


def test_whitespace_only_file():
    Path("blank.md").write_text("\n   \n\t\n")
    assert "empty" in error_line(cli("segment", "blank.md"), EXIT["input"], "blank.md")


def test_binary_file():
    Path("photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in error_line(cli("segment", "photo.md"), EXIT["input"], "photo.md")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_detected_and_said(encoding):
    text = INTERVIEW.read_text(encoding="utf-8")
    Path("nobom.md").write_bytes(text.encode(encoding))
    Path("plain.md").write_text(text, encoding="utf-8")
    result = cli("segment", "nobom.md")
    assert result.exit_code == 0, result.stderr
    assert f"nobom.md: text encoding guessed as {encoding}" in result.stderr
    assert cli("segment", "plain.md").exit_code == 0
    out = Path("translations/en")
    assert (out / "nobom.en.srt").read_bytes() == (out / "plain.en.srt").read_bytes()


def test_missing_file():
    assert "not found" in error_line(cli("segment", "no/such/file.md"), EXIT["input"], "no/such/file.md")


def test_folder_instead_of_a_file():
    Path("folder.md").mkdir()
    error_line(cli("segment", "folder.md"), EXIT["input"], "folder.md")


def test_missing_source_for_run():
    error_line(cli("run", "nothing-here.md", "--to", "pt"), EXIT["input"], "nothing-here.md")


def test_unsupported_input_format():
    """A Word file given as the source: refused as unsupported, not parsed as a transcript."""
    with zipfile.ZipFile("interview.docx", "w") as docx:
        docx.writestr("word/document.xml", "<w:document/>")
    line = error_line(cli("translate", "interview.docx", "--to", "pt"), EXIT["input"], "interview.docx")
    assert ".docx" in line


def test_source_header_with_a_bad_language_code():
    text = INTERVIEW.read_text(encoding="utf-8").replace("language: en", "language: English", 1)
    Path("interview.md").write_text(text, encoding="utf-8")
    line = error_line(cli("segment", "interview.md"), EXIT["input"], "interview.md:")
    assert "English" in line


def test_corrupt_project_file_for_export():
    Path("interview.project.json").write_text('{"format": "transkit-project", "version": 1, "segments": [')
    error_line(cli("export", "interview.project.json"), EXIT["input"], "interview.project.json")


def test_project_file_with_a_wrong_value_type():
    from transkit.pipeline import prepare_project
    from transkit.projectfile import project_to_dict

    data = project_to_dict(prepare_project(INTERVIEW))
    data["segments"][3]["start_ms"] = "00:00:10,000"
    Path("interview.project.json").write_text(json.dumps(data))
    line = error_line(cli("export", "interview.project.json", "--formats", "srt"), EXIT["input"], "interview.project.json")
    assert "start_ms" in line


def test_raw_import_of_page_furniture_only():
    Path("nav.txt").write_text("Menu\nSearch\nShare\nAdvertisement\n", encoding="utf-8")
    error_line(cli("import", "nav.txt", "-o", "nav.md"), EXIT["input"], "nav.txt")
    assert not Path("nav.md").exists()


# --------------------------------------------------------------------------- encodings that must be read


def _encode(text: str, how: str) -> bytes:
    if "crlf" in how:
        text = text.replace("\n", "\r\n")
    encoding = how.replace("+crlf", "").replace("crlf", "utf-8")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)  # "utf-16" writes a BOM (little-endian here); "utf-8-sig" too


def _segment_outputs(folder: Path, data: bytes) -> dict[str, object]:
    folder.mkdir()
    (folder / "interview.md").write_bytes(data)
    result = cli("segment", folder / "interview.md", "-o", folder / "out")
    assert result.exit_code == 0, result.output
    outputs: dict[str, object] = {}
    for path in sorted((folder / "out").iterdir()):
        if path.name.endswith(".project.json"):
            project = json.loads(path.read_text(encoding="utf-8"))
            project["transcript"].pop("source_path")
            outputs[path.name] = project
        else:
            outputs[path.name] = path.read_bytes()
    return outputs


@pytest.mark.parametrize("how", ["utf-8-sig", "utf-16", "utf-16-be-bom", "cp1251", "crlf", "cp1251+crlf"])
def test_detectable_encodings_are_read_like_utf8(tmp_path, how):
    """The real interview plus a Russian note: every detectable encoding gives the UTF-8 outputs."""
    text = INTERVIEW.read_text(encoding="utf-8")
    header_end = text.index("---", 3) + 4
    text = text[:header_end] + "\n" + RUSSIAN_NOTE + "\n" + text[header_end:]
    expected = _segment_outputs(tmp_path / "utf-8", text.encode("utf-8"))
    got = _segment_outputs(tmp_path / how, _encode(text, how))
    assert set(got) == set(expected) and len(expected) >= 3, sorted(got)
    for name in expected:
        assert got[name] == expected[name], f"{name} differs when the source is {how}"
    note = json.dumps(expected["interview.project.json"], ensure_ascii=False)
    assert "«Новой газете Европа»" in note


@pytest.mark.parametrize("how", ["cp1251", "utf-16", "utf-8-sig+crlf"])
def test_raw_import_reads_legacy_encodings(tmp_path, how):
    text = RAW_ARTICLE.read_text(encoding="utf-8")
    if "cp1251" in how:  # what a cp1251 file can hold ('ö' becomes '?')
        text = text.encode("cp1251", "replace").decode("cp1251")
    (tmp_path / "utf8.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "legacy.txt").write_bytes(_encode(text, how))
    first = cli("import", tmp_path / "utf8.txt", "-o", tmp_path / "a.md")
    second = cli("import", tmp_path / "legacy.txt", "-o", tmp_path / "b.md")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert (tmp_path / "a.md").read_bytes() == (tmp_path / "b.md").read_bytes()


# --------------------------------------------------------------------------- subtitles as input

MESSY_SRT = """\
1
00:00:01,000 --> 00:00:02,500
Hello from the <i>first</i> cue.

00:00:03,000 --> 00:00:04,000
This cue has no number.

garbage a player skips

3
00:00:05.000 --> 00:00:06,000
<font color="#ff0000">Dot</font> before the milliseconds.



4
00:00:06,500 --> 00:00:08,000
{\\an8}<b>Bold</b> and positioned.
"""


def test_messy_srt_is_read_leniently_like_a_player():
    from transkit.ingest.subtitles import read_subtitle_file

    Path("messy.srt").write_text(MESSY_SRT, encoding="utf-8")
    cues = read_subtitle_file("messy.srt")
    assert [c.lines for c in cues] == [
        ("Hello from the first cue.",),
        ("This cue has no number.",),
        ("Dot before the milliseconds.",),
        ("Bold and positioned.",),
    ]
    assert [(c.start_ms, c.end_ms) for c in cues] == [(1000, 2500), (3000, 4000), (5000, 6000), (6500, 8000)]
    result = cli("check", "messy.srt")
    assert result.exit_code in (0, EXIT["quality"]), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "defect, srt, line_no",
    [
        ("missing index", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n00:00:03,000 --> 00:00:04,000\nTwo\n", 5),
        ("garbage between blocks", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\nstray words\n\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n", 5),
        ("dot before milliseconds", "1\n00:00:01.000 --> 00:00:02,000\nOne\n", 2),
        ("arrow typo", "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:03,000 -> 00:00:04,000\nTwo\n", 5),
    ],
)
def test_srt_defects_refused_with_strict_syntax(defect, srt, line_no):
    Path("sub.srt").write_text(srt, encoding="utf-8")
    lenient = cli("check", "sub.srt")
    assert lenient.exit_code in (0, EXIT["quality"]), f"{defect}: {lenient.output}"
    error_line(cli("check", "sub.srt", "--strict-syntax"), EXIT["input"], f"sub.srt:{line_no}:")


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    "timing", ["00:00:01,000 --> 00:0x:02,000", "00:00:01,000 --> 00:00:02,000,5", "00:61:01,000 --> 00:62:00,000", "-00:00:01,000 --> 00:00:02,000"]
)
def test_srt_with_unreadable_timestamps(timing, strict):
    Path("bad.srt").write_text(f"1\n00:00:00,000 --> 00:00:00,500\nFine\n\n2\n{timing}\nBroken\n", encoding="utf-8")
    args = ["check", "bad.srt"] + (["--strict-syntax"] if strict else [])
    error_line(cli(*args), EXIT["input"], "bad.srt:")


def test_srt_overlaps_and_negative_durations_are_read_then_reported():
    from transkit.ingest.subtitles import read_subtitle_file

    srt = (
        "1\n00:00:01,000 --> 00:00:03,000\nFirst\n\n"
        "2\n00:00:02,000 --> 00:00:04,000\nOverlaps the first\n\n"
        "3\n00:00:06,000 --> 00:00:05,000\nEnds before it starts\n"
    )
    Path("timing.srt").write_text(srt, encoding="utf-8")
    assert len(read_subtitle_file("timing.srt")) == 3
    result = cli("check", "timing.srt")
    assert result.exit_code == EXIT["quality"], result.output
    assert "timing.srt" in result.stdout and "overlap" in result.stdout and "Traceback" not in result.output
    assert error_line(result, EXIT["quality"])  # one clean line pointing at the report


def test_messy_srt_translates(test_models_dir, monkeypatch):
    """A lenient read feeds the pipeline: a messy SRT is translated, not refused."""
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    Path("messy.srt").write_text(MESSY_SRT, encoding="utf-8")
    result = cli("translate", "messy.srt", "--to", "pt", "-o", "out", "--no-cache")
    assert result.exit_code == 0, result.output
    import srt as srtlib

    text = Path("out/pt/messy.pt.srt").read_text(encoding="utf-8")
    cues = list(srtlib.parse(text))
    # the cue grid is kept (the number-less cue numbered in its place), and so are the tags
    assert [(c.index, c.start.total_seconds(), c.end.total_seconds()) for c in cues] == [
        (1, 1.0, 2.5), (2, 3.0, 4.0), (3, 5.0, 6.0), (4, 6.5, 8.0)
    ]
    assert cues[0].content.startswith("<i>") and cues[0].content.endswith("</i>")
    assert '<font color="#ff0000">' in cues[2].content and cues[3].content.startswith("{\\an8}<b>")


# --------------------------------------------------------------------------- transkit check: not a subtitle file


NOT_SUBTITLES = {
    "text": ("notes.srt", b"Remember to buy milk.\nAnd bread.\n", "not a subtitle file"),
    "transcript": ("interview.srt", INTERVIEW.read_bytes(), "not a subtitle file"),
    "markdown": ("interview.md", INTERVIEW.read_bytes(), "not a subtitle file"),
    # refused as binary or, decoded, as text with no cue times: either way by what it holds
    "utf32": ("u32.srt", INTERVIEW.read_text(encoding="utf-8").encode("utf-32-le"), ""),
    "binary": ("photo.srt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "empty": ("empty.vtt", b"", "empty"),
    "whitespace": ("blank.srt", b"\n  \n\t\n", "empty"),
    "not-ass": ("styles.ass", b"Style: Default,Arial,20\n", "not an ASS/SSA file"),
}


@pytest.mark.parametrize("kind", sorted(NOT_SUBTITLES))
def test_check_refuses_what_is_not_a_subtitle_file(kind):
    name, data, says = NOT_SUBTITLES[kind]
    Path(name).write_bytes(data)
    assert says in error_line(cli("check", name, "--strict"), EXIT["input"], name)


def test_check_refuses_a_folder_without_subtitle_files():
    Path("notes").mkdir()
    Path("notes/todo.md").write_text("# to do\n")
    assert "no subtitle files" in error_line(cli("check", "notes"), EXIT["input"], "notes")


# --------------------------------------------------------------------------- languages and formats


def test_language_code_that_is_not_a_code():
    line = error_line(cli("run", INTERVIEW, "--to", "r!u", "-o", "out"), EXIT["usage"])
    assert "r!u" in line


def test_unknown_language_has_no_model():
    line = error_line(cli("run", INTERVIEW, "--to", "xx", "-o", "out", "--formats", "srt"), EXIT["model"])
    assert "en->xx" in line and "install" in line


def test_unsupported_output_format():
    line = error_line(cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt,odt"), EXIT["usage"])
    assert "odt" in line and "srt" in line
    assert not Path("out").exists(), "nothing may be written before the options are checked"


def test_unknown_profile():
    assert "nope" in error_line(cli("segment", INTERVIEW, "--profile", "nope"), EXIT["usage"])


@pytest.mark.parametrize(
    "toml",
    [
        "[run]\nto = [\"pt\"\n",  # not TOML
        "run = 3\n",
        "[run]\njobs = \"two\"\n",
        "[run]\nbeam_size = 0\n",
        "[run]\nout = 5\n",
        "[run]\ncolour = \"blue\"\n",
        "[speech_rate]\nwpm = \"fast\"\n",
        "[speech_rate]\nspeakers = { JS = \"slow\" }\n",
        "profiles = \"netflix\"\n",
        "[exports]\npdf = true\n",
    ],
)
def test_bad_config_file(toml):
    Path("transkit.toml").write_text(toml, encoding="utf-8")
    result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--config", "transkit.toml")
    error_line(result, EXIT["usage"], "transkit.toml")
    assert not Path("out").exists()


# --------------------------------------------------------------------------- audio


def test_missing_audio():
    error_line(cli("segment", INTERVIEW, "--audio", "no-such.wav", "-o", "out"), EXIT["audio"], "no-such.wav")


def test_corrupt_audio(ffmpeg):
    Path("noise.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + os.urandom(3000))
    error_line(cli("segment", INTERVIEW, "--audio", "noise.wav", "-o", "out"), EXIT["audio"], "noise.wav")


def test_empty_audio(ffmpeg):
    Path("empty.mp3").write_bytes(b"")
    error_line(cli("segment", INTERVIEW, "--audio", "empty.mp3", "-o", "out"), EXIT["audio"], "empty.mp3")


# --------------------------------------------------------------------------- model packages


def test_missing_model_package(tmp_path):
    line = error_line(
        cli("models", "install", "--from", "gone.argosmodel", "--models-dir", tmp_path / "models"),
        EXIT["model"],
        "gone.argosmodel",
    )
    assert "not found" in line


def test_corrupt_model_package(tmp_path):
    Path("junk.argosmodel").write_bytes(os.urandom(5000))
    error_line(
        cli("models", "install", "--from", "junk.argosmodel", "--models-dir", tmp_path / "models"),
        EXIT["model"],
        "junk.argosmodel",
    )
    assert not any((tmp_path / "models").rglob("*.bin")), "nothing may be installed from a corrupt package"


def test_truncated_model_package(tmp_path, test_models_dir):
    package = test_models_dir / "packages" / "translate-zh_en-1_9.argosmodel"
    with open(package, "rb") as src, open("cut.argosmodel", "wb") as out:
        out.write(src.read(package.stat().st_size * 2 // 3))
    error_line(
        cli("models", "install", "--from", "cut.argosmodel", "--models-dir", tmp_path / "models"),
        EXIT["model"],
        "cut.argosmodel",
    )
    installed = [p for p in (tmp_path / "models").rglob("*") if not p.name.startswith(".")] if (tmp_path / "models").exists() else []
    assert not [p for p in installed if p.is_file()], installed


def test_package_without_a_model_inside(tmp_path):
    with zipfile.ZipFile("empty.argosmodel", "w") as package:
        package.writestr("translate-en_xx/README.md", "no model here")
    error_line(
        cli("models", "install", "--from", "empty.argosmodel", "--models-dir", tmp_path / "models"),
        EXIT["model"],
        "empty.argosmodel",
    )




@pytest.mark.parametrize(
    "damage",
    ["truncate", "garbage", "delete"],
)
def test_installed_model_damaged_after_install(tmp_path, test_models_dir, monkeypatch, damage):
    models = tmp_path / "models"
    shutil.copytree(test_models_dir / "installed" / "firefox", models / "firefox")
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(models))
    weights = next((models / "firefox" / "en-pt").glob("model.*.bin"))
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:100_000])
    elif damage == "garbage":
        weights.write_bytes(os.urandom(4096))
    else:
        weights.unlink()
    result = cli("translate", INTERVIEW, "--to", "pt", "-o", "out", "--no-cache")
    error_line(result, EXIT["model"], "en-pt" if damage != "delete" else "pt")


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize(
    "name, content, line_no",
    [
        ("two columns", "source,target,language\nStoltenberg,Stoltenberg\n", 2),
        ("four columns", "Stoltenberg,Stoltenberg,ru,extra\n", 1),
        ("unclosed quote", 'NATO,НАТО,ru\n"Novaya Gazeta,Novaya Gazeta,pt\nPutin,Путин,ru\n', None),
        ("bad language", "Stoltenberg,Stoltenberg,Russian language\n", 1),
        ("conflicting duplicate", "NATO,НАТО,ru\nNATO,Альянс,ru\n", 2),
        ("empty term", "Stoltenberg,,ru\n", 1),
    ],
)
def test_malformed_glossary(name, content, line_no):
    Path("terms.csv").write_text(content, encoding="utf-8")
    result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt", "--glossary", "terms.csv")
    error_line(result, EXIT["input"], f"terms.csv:{line_no}:" if line_no else "terms.csv")


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00"])
def test_empty_or_binary_glossary(content):
    Path("terms.csv").write_bytes(content)
    result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt", "--glossary", "terms.csv")
    error_line(result, EXIT["input"], "terms.csv")


def test_missing_glossary():
    result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt", "--glossary", "none.csv")
    error_line(result, EXIT["input"], "none.csv")


def test_corrupt_translation_memory(monkeypatch):
    Path("memory.sqlite").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("TRANSKIT_MEMORY", "memory.sqlite")
    result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt")
    error_line(result, EXIT["input"], "memory.sqlite")


# --------------------------------------------------------------------------- output folders


def _mount_tmpfs(where: Path, options: str) -> bool:
    """Mount a tmpfs (tests run as root in CI); False where mounting is not allowed."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)]
    done = subprocess.run(command, capture_output=True, check=False)
    return done.returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


class _FailingOs(types.SimpleNamespace):
    """``os`` for fsio with one call failing as a real file system would."""

    def __init__(self, name: str, error: int) -> None:
        super().__init__()
        self._name, self._error = name, error

    def __getattr__(self, attr):
        if attr == self._name:
            def fail(*_args, **_kwargs):
                raise OSError(self._error, os.strerror(self._error))

            return fail
        return getattr(os, attr)


@pytest.fixture
def readonly_dir(tmp_path, monkeypatch):
    """A read-only folder: a read-only tmpfs when we may mount, else creating files fails (EROFS)."""
    where = tmp_path / "readonly"
    if _mount_tmpfs(where, "size=1m,ro"):
        yield where
        _umount(where)
    else:
        from transkit import fsio

        where.mkdir(exist_ok=True)

        def refuse(*_args, **_kwargs):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(fsio, "tempfile", types.SimpleNamespace(mkstemp=refuse))
        yield where


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A 64 KiB disk: a small tmpfs when we may mount, else every fsync reports ENOSPC."""
    where = tmp_path / "small"
    if _mount_tmpfs(where, "size=64k"):
        yield where
        _umount(where)
    else:
        from transkit import fsio

        where.mkdir(exist_ok=True)
        monkeypatch.setattr(fsio, "os", _FailingOs("fsync", errno.ENOSPC))
        yield where


def _all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_read_only_output_folder(readonly_dir):
    result = cli("segment", INTERVIEW, "-o", readonly_dir / "out")
    line = error_line(result, EXIT["output"], "readonly")
    assert "read-only" in line or "permission" in line
    assert _all_files(readonly_dir) == []


def test_full_disk(small_disk):
    """The project JSON (about 80 KB) cannot fit: a clear error, no partial or temporary file left."""
    result = cli("segment", INTERVIEW, "-o", small_disk / "out", "--formats", "srt,vtt")
    assert "disk is full" in error_line(result, EXIT["output"], "small")
    for path in _all_files(small_disk):
        assert not path.name.endswith(".part"), f"temporary file left behind: {path}"
        assert path.stat().st_size > 0, path


def test_full_disk_while_translating_keeps_earlier_outputs(small_disk, test_models_dir, monkeypatch):
    """Subtitles fit, the PDF does not: earlier files are complete, nothing partial, exit 5."""
    import srt

    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(Path("memory.sqlite").resolve()))
    shutil.copy(INTERVIEW, "interview.md")
    text = Path("interview.md").read_text(encoding="utf-8")
    Path("interview.md").write_text(text[: text.index("KM: What was the best time")], encoding="utf-8")
    result = cli("run", "interview.md", "--to", "pt", "-o", small_disk / "out", "--formats", "srt,vtt,pdf")
    assert "disk is full" in error_line(result, EXIT["output"], "small")
    files = _all_files(small_disk)
    if os.path.ismount(small_disk):  # a real small disk: what fitted before the PDF is there, whole
        names = {p.name for p in files}
        assert {"interview.pt.srt", "interview.en.srt", "interview.project.json"} <= names, names
        assert "interview.en-pt.pdf" not in names
    for path in files:
        assert not path.name.endswith(".part"), f"temporary file left behind: {path}"
        if path.suffix == ".srt":
            assert list(srt.parse(path.read_text(encoding="utf-8")))
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        if path.suffix == ".pdf":
            data = path.read_bytes()
            assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_translation_memory_on_a_full_disk(tmp_path, monkeypatch):
    where = tmp_path / "tiny"
    if not _mount_tmpfs(where, "size=40k"):
        pytest.skip("needs a small tmpfs (root and mount)")
    try:
        monkeypatch.setenv("TRANSKIT_MEMORY", str(where / "memory.sqlite"))
        result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt")
        line = error_line(result, EXIT["output"], "memory.sqlite")
        assert "full" in line and "delete" not in line
    finally:
        _umount(where)


def test_translation_memory_in_a_read_only_folder(readonly_dir, monkeypatch):
    if not os.path.ismount(readonly_dir):
        pytest.skip("needs a read-only tmpfs (root and mount): SQLite does not write through fsio")
    monkeypatch.setenv("TRANSKIT_MEMORY", str(readonly_dir / "memory.sqlite"))
    result = cli("run", INTERVIEW, "--to", "pt", "-o", "out", "--formats", "srt")
    error_line(result, EXIT["output"], "memory.sqlite")


@pytest.mark.parametrize("call, error", [("fsync", errno.ENOSPC), ("replace", errno.EROFS), ("fdopen", errno.EIO)])
def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch, call, error):
    """Library level: whatever step of an atomic write fails, the old file is intact and no temp file is left."""
    from transkit import fsio
    from transkit.errors import OutputError

    target = tmp_path / "out" / "interview.pt.srt"
    fsio.atomic_write_text(target, "old complete content\n")
    monkeypatch.setattr(fsio, "os", _FailingOs(call, error))
    with pytest.raises(OutputError) as caught:
        fsio.atomic_write_text(target, "new content that never lands\n")
    assert "interview.pt.srt" in str(caught.value) or "out" in str(caught.value)
    assert target.read_text() == "old complete content\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["interview.pt.srt"]


# --------------------------------------------------------------------------- a real process


def _transkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "transkit"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False
    )


def test_subprocess_error_is_one_line_without_traceback(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    done = _transkit("segment", "empty.md", cwd=tmp_path)
    assert done.returncode == EXIT["input"]
    lines = done.stderr.strip().splitlines()
    assert [line for line in lines if "error" in line] == [lines[-1]], done.stderr  # progress lines, then one error
    assert lines[-1].startswith("transkit: error: empty.md: ") and lines[-1].endswith(")"), done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_subprocess_debug_shows_the_traceback(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    done = _transkit("--debug", "segment", "empty.md", cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" in done.stderr and "InputError" in done.stderr


# --------------------------------------------------------------------------- options out of range, checked before work

OUT_OF_RANGE = [
    (("run", "--to", "pt", "--beam", "0"), "--beam", "1 to 16"),
    (("run", "--to", "pt", "--beam", "-3"), "--beam", "1 to 16"),
    (("run", "--to", "pt", "--beam", "1000"), "--beam", "1 to 16"),
    (("run", "--to", "pt", "--jobs", "0"), "--jobs", "1 to 64"),
    (("run", "--to", "pt", "--wpm", "5"), "--wpm", "40 to 400"),
    (("translate", "--to", "pt", "--beam", "17"), "--beam", "1 to 16"),
    (("segment", "--wpm", "1000"), "--wpm", "40 to 400"),
]


@pytest.mark.parametrize("args, option, allowed", OUT_OF_RANGE, ids=[" ".join(a[0:1] + a[-2:]) for a, _, _ in OUT_OF_RANGE])
def test_numeric_option_out_of_range(args, option, allowed):
    command, *rest = args
    line = error_line(cli(command, INTERVIEW, *rest, "-o", "out"), EXIT["usage"], option, allowed)
    assert rest[-1] in line
    assert not Path("out").exists(), "nothing may be written before the options are checked"


def test_numeric_options_of_other_commands_out_of_range():
    line = error_line(cli("align", INTERVIEW, "talk.wav", "--min-confidence", "1.5"), EXIT["usage"], "--min-confidence")
    assert "0 to 1" in line
    for command in (("models", "available"), ("models", "install", "en", "pt")):
        line = error_line(cli(*command, "--timeout", "0"), EXIT["usage"], "--timeout")
        assert "0.1 to 3600" in line


@pytest.mark.parametrize(
    "toml, key",
    [
        ("[run]\nbeam_size = 1000\n", "beam_size"),
        ("[run]\nbeam_size = -3\n", "beam_size"),
        ("[run]\njobs = 0\n", "jobs"),
        ("[speech_rate]\nwpm = 5\n", "wpm"),
        ("[speech_rate]\nspeakers = { JS = 1000 }\n", "JS"),
    ],
)
def test_numeric_setting_out_of_range_in_the_config(toml, key):
    Path("transkit.toml").write_text(toml, encoding="utf-8")
    line = error_line(cli("run", INTERVIEW, "--to", "pt", "-o", "out"), EXIT["usage"], "transkit.toml", key)
    assert " to " in line, "the allowed range is named"
    assert not Path("out").exists()


@pytest.mark.parametrize(
    "option",
    [("--engine", "argoss"), ("--glossary", "no-such.csv"), ("--audio", "no-such.wav"), ("--formats", "odt"),
     ("--profile", "nope"), ("--beam", "0"), ("--to", "p!")],
    ids=lambda o: o[0],
)
def test_every_option_is_checked_before_the_source_is_read(option):
    """An empty source fails when it is read (exit 3): a bad option must be reported first."""
    Path("empty.md").write_bytes(b"")
    args = ["run", "empty.md", "-o", "out", "--formats", "srt"]
    if option[0] != "--to":
        args += ["--to", "pt"]
    result = cli(*args, *option)
    code = {"--glossary": EXIT["input"], "--audio": EXIT["audio"]}.get(option[0], EXIT["usage"])
    line = error_line(result, code, option[1])
    assert "empty" not in line
    assert not Path("out").exists()


def test_engine_typo_in_translate_is_checked_before_work():
    Path("empty.md").write_bytes(b"")
    error_line(cli("translate", "empty.md", "--to", "pt", "--engine", "fierfox", "-o", "out"), EXIT["usage"], "fierfox")
    assert not Path("out").exists()


# --------------------------------------------------------------------------- language tags


@pytest.mark.parametrize(
    "given, tag, base",
    [("PT", "pt", "pt"), ("pt_br", "pt-BR", "pt"), ("PT-br", "pt-BR", "pt"), ("zh-hant", "zh-Hant", "zh"),
     ("ZH_HANT_TW", "zh-Hant-TW", "zh"), ("es-419", "es-419", "es"), (" de ", "de", "de")],
)
def test_language_tags_are_read_case_insensitively(given, tag, base):
    from transkit import langtags

    assert langtags.is_valid(given)
    assert langtags.normalise(given) == tag and langtags.base(given) == base
    assert langtags.is_regional(given) == (tag != base)


@pytest.mark.parametrize("bad", ["p", "portuguese", "pt-", "pt-B", "pt-BRA1", "1pt", "pt-Latn-BR-x", "r!u", ""])
def test_strings_that_are_not_language_tags(bad):
    from transkit import langtags

    assert not langtags.is_valid(bad)
    with pytest.raises(ValueError):
        langtags.normalise(bad)


SHORT_SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nThe alliance will meet in Brussels.\n\n"
    "2\n00:00:03,500 --> 00:00:06,000\nWe discussed support for Ukraine.\n"
)


def test_upper_case_and_regional_tags_translate(test_models_dir, monkeypatch):
    """--to PT is pt; --to pt-br has no model of its own and uses the pt model, says so, and
    its files keep the tag asked for."""
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(Path("memory.sqlite").resolve()))
    Path("clip.srt").write_text(SHORT_SRT, encoding="utf-8")
    result = cli("run", "clip.srt", "--to", "PT,pt-br", "-o", "out", "--formats", "srt", "--summary-json", "s.json")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to("out").as_posix() for p in Path("out").rglob("*.srt")) == [
        "en/clip.en.srt", "pt-BR/clip.pt-BR.srt", "pt/clip.pt.srt"]
    assert Path("out/pt-BR/clip.pt-BR.srt").read_bytes() == Path("out/pt/clip.pt.srt").read_bytes()
    assert "note: no en->pt-BR model installed: pt-BR is translated with the en->pt model" in result.stdout
    (summary,) = json.loads(Path("s.json").read_text(encoding="utf-8"))
    assert [lang["language"] for lang in summary["languages"]] == ["en", "pt", "pt-BR"]
    assert len(summary["notices"]) == 1 and "pt-BR" in summary["notices"][0]
    # a plain language has no notice
    plain = cli("run", "clip.srt", "--to", "pt", "-o", "out", "--formats", "srt")
    assert plain.exit_code == 0 and "note:" not in plain.stdout, plain.output


def test_translate_summary_has_its_own_title(test_models_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(Path("memory.sqlite").resolve()))
    Path("clip.srt").write_text(SHORT_SRT, encoding="utf-8")
    result = cli("translate", "clip.srt", "--to", "pt", "-o", "out")
    assert result.exit_code == 0, result.output
    assert "transkit translate" in result.stdout and "transkit run" not in result.stdout


# --------------------------------------------------------------------------- what a new user meets


def test_run_without_a_target_language_is_refused():
    """No --to and no `to` in transkit.toml: refused (exit 2) rather than silently writing English only."""
    line = error_line(cli("run", INTERVIEW, "-o", "out"), EXIT["usage"], "--to", "transkit segment")
    assert "no target language" in line
    assert not Path("out").exists()
    Path("transkit.toml").write_text("[run]\nformats = [\"srt\"]\n", encoding="utf-8")
    error_line(cli("run", INTERVIEW, "-o", "out"), EXIT["usage"], "transkit.toml")


def test_memory_clear_answered_no_deletes_nothing_and_exits_0(monkeypatch):
    from transkit.translate.memory import MemoryKey, TranslationMemory

    path = Path("memory.sqlite").resolve()
    monkeypatch.setenv("TRANSKIT_MEMORY", str(path))
    with TranslationMemory(path) as memory:
        memory.store_many(MemoryKey("firefox", "m", "1", "beam=4", "en", "pt"), [("Hello.", "Olá.")])
    result = runner.invoke(app, ["memory", "clear"], input="n\n")
    assert result.exit_code == 0, result.output
    assert "nothing deleted" in result.stdout
    with TranslationMemory(path) as memory:
        assert memory.stats().entries == 1
    result = runner.invoke(app, ["memory", "clear"], input="y\n")
    assert result.exit_code == 0 and "deleted 1 entries" in result.stdout, result.output


def _all_commands():
    import click
    import typer.main

    root = typer.main.get_command(app)
    found = [()]
    for name, command in root.commands.items():
        if isinstance(command, click.Group):
            found += [(name, sub) for sub in command.commands]
        else:
            found.append((name,))
    return found


@pytest.mark.parametrize("command", _all_commands(), ids=lambda c: " ".join(c) or "transkit")
def test_help_shows_flags_as_flags(command):
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout, result.stdout
    help_line = next(line for line in result.stdout.splitlines() if "--help" in line)
    assert help_line.split() == ["-h,", "--help", "Show", "this", "message", "and", "exit."], help_line


def test_check_piped_into_head_stops_quietly(tmp_path):
    """`transkit check FILE | head -3`: the reader goes away after three lines; transkit stops
    without a word, exit 141 (what a shell reports for a tool stopped by SIGPIPE)."""

    def stamp(ms: int) -> str:
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    cues = [f"{i + 1}\n{stamp(i * 3000)} --> {stamp(i * 3000 + 2000)}\n{'This line is far too long for a subtitle. ' * 2}\n"
            for i in range(3000)]  # some 400 kB of report: more than a pipe holds
    (tmp_path / "long.srt").write_text("\n".join(cues), encoding="utf-8")
    exe = Path(sys.executable).parent / "transkit"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    proc = subprocess.Popen([str(exe), "check", "long.srt"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = [proc.stdout.readline() for _ in range(3)]
    proc.stdout.close()  # what head does after its three lines
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=300)
    assert first[0].startswith(b"long.srt: 3000 cues") and all(first), first
    assert code == 141, stderr
    assert stderr == "", stderr


def test_ctrl_c_during_a_run_stops_with_one_line_and_exit_130(tmp_path, test_models_dir):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) while a one-process run is
    translating: one line saying it stops, no traceback, exit 130. The parallel case, with
    resuming, is tests/test_interrupt.py."""
    import signal
    import sqlite3
    import threading
    import time

    from batch_corpus import write_varied_copies

    write_varied_copies(tmp_path / "src", 2, pairs_per_copy=4)
    memory = tmp_path / "memory.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "TRANSKIT_DEBUG"}
    env.update(TRANSKIT_MODELS_DIR=str(test_models_dir / "installed"), TRANSKIT_MEMORY=str(memory))
    exe = Path(sys.executable).parent / "transkit"
    proc = subprocess.Popen([str(exe), "run", "src", "--to", "pt", "-o", "out", "--formats", "srt", "--no-cache"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            # Ctrl-C not ignored, even when this runner is a script's background job
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 600  # a safety net against a hang
        while not any(" translate [pt]" in line or " segment" in line for line in list(lines)):
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=600)
        reader.join(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    stderr = "".join(lines)
    assert code == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert lines[-1] == "transkit: stopping (Ctrl-C); finished work is kept, re-run to resume\n", stderr
    assert sum("stopping" in line for line in lines) == 1, stderr
    assert not memory.exists() or sqlite3.connect(memory).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
