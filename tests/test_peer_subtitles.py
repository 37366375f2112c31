"""Other projects' subtitle files, read and translated by transkit.

The files are the test data of pysrt, srt, webvtt-py and pysubs2, fetched from their
pinned sdists by scripts/fetch_peer_subtitles.py (scripts/setup.sh runs it, so CI has
them). tests/peer_files.json says which are well-formed and which malformed, and why:

- a well-formed file is read with the same cue count and the same cue times, to the
  millisecond, as the ``srt`` library (SRT) or pysubs2 (WebVTT, ASS) read them;
- a malformed file is refused with one line naming the file and its line under
  ``--strict-syntax``; without it, it is refused the same way, or read as a player
  would read it (as the decisions file says, with the count a peer library gives);
- translated to Portuguese with the real Firefox model, an English well-formed file
  keeps its cue count, cue times and formatting tags.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = Path(os.environ.get("TRANSKIT_PEER_SUBTITLES", ROOT / ".cache" / "peer-subtitles"))
DECISIONS = json.loads((Path(__file__).with_name("peer_files.json")).read_text(encoding="utf-8"))["files"]
WELL_FORMED = [e for e in DECISIONS if e["expect"] == "well-formed"]
MALFORMED = [e for e in DECISIONS if e["expect"] == "malformed"]
TO_TRANSLATE = [e for e in WELL_FORMED if e["language"] == "en" and e["has_text"]]
SUBSTATION = (".ass", ".ssa")
MS = timedelta(milliseconds=1)

runner = CliRunner()


# Encodings transkit cannot decode yet (none since charset-normalizer decodes UTF-32,
# cp1252 and GB2312, issue 12): their cases are marked xfail.
CUES_PENDING: tuple[str, ...] = ()
WORDS_PENDING: tuple[str, ...] = ()


def ids(entries: list[dict]) -> list[str]:
    return [e["path"].split("/", 1)[0].rsplit("-", 1)[0] + ":" + e["path"].rsplit("/", 1)[-1] for e in entries]


def cases(entries: list[dict], pending_encodings: tuple[str, ...] = CUES_PENDING) -> list:
    """Parameters, the files whose encoding transkit cannot decode yet marked xfail."""
    pending = pytest.mark.xfail(strict=False, reason="needs charset-normalizer decoding (issue 12)")
    return [
        pytest.param(e, id=name, marks=[pending] if e["encoding"] in pending_encodings else [])
        for e, name in zip(entries, ids(entries))
    ]


@pytest.fixture(scope="module")
def index() -> list[dict]:
    path = PEER_DIR / "index.json"
    if not path.is_file():
        pytest.skip(f"peer subtitle files not fetched into {PEER_DIR} (run scripts/fetch_peer_subtitles.py)")
    return json.loads(path.read_text(encoding="utf-8"))["files"]


# --------------------------------------------------------------------------- the set itself


def test_every_fetched_file_has_a_decision_and_a_licence(index):
    assert sorted(e["path"] for e in index) == sorted(e["path"] for e in DECISIONS)
    for entry in index:
        assert entry["licence"] and entry["package"] and entry["version"]
        assert len(entry["sha256"]) == len(entry["artifact_sha256"]) == 64
    for entry in DECISIONS:
        assert entry["reason"] and entry["expect"] in ("well-formed", "malformed")
        if entry["expect"] == "malformed":
            assert entry["lenient"] in ("refused", "tolerated")


def test_the_files_are_the_verified_ones(index):
    import hashlib

    for entry in index:
        assert hashlib.sha256((PEER_DIR / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry["path"]


# --------------------------------------------------------------------------- references


def reference_times(entry: dict, path: Path) -> list[tuple[int, int]]:
    """Cue times as the reference library reads the file, in display order."""
    if entry["reference"] == "recorded":
        return [tuple(pair) for pair in entry["times"]]
    text = path.read_bytes().decode("utf-8-sig" if entry["encoding"] == "utf-8" else entry["encoding"])
    return times_by_library(text, path.suffix.lower(), entry["reference"])


def times_by_library(text: str, suffix: str, library: str) -> list[tuple[int, int]]:
    if library == "srt":
        import srt

        return [(s.start // MS, s.end // MS) for s in srt.parse(text.lstrip("\ufeff"))]
    import pysubs2

    fmt = {".vtt": "vtt", ".webvtt": "vtt", ".srt": "srt", ".ssa": "ssa"}.get(suffix, "ass")
    events = [e for e in pysubs2.SSAFile.from_string(text.lstrip("\ufeff"), format_=fmt).events if not e.is_comment]
    if suffix in SUBSTATION:
        events.sort(key=lambda e: e.start)  # ASS events are shown by time, not file order
    return [(int(e.start), int(e.end)) for e in events]


def transkit_cues(path: Path):
    """transkit's reading: SRT and WebVTT through ingest.subtitles, ASS/SSA the way
    ``transkit check`` reads them (pysubs2)."""
    if path.suffix.lower() in SUBSTATION:
        from transkit.check import read_cues_for_check

        return read_cues_for_check(path)
    from transkit.ingest.subtitles import read_subtitle_file

    return read_subtitle_file(path)


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("entry", cases(WELL_FORMED))
def test_well_formed_file_keeps_its_cues_and_times(index, entry):
    path = PEER_DIR / entry["path"]
    expected = reference_times(entry, path)
    assert len(expected) == entry["cues"], "the reference library disagrees with the recorded decision"
    cues = transkit_cues(path)
    assert [(c.start_ms, c.end_ms) for c in cues] == expected


LEGACY = [e for e in WELL_FORMED if e["encoding"] != "utf-8" and e["has_text"]]


@pytest.mark.parametrize("entry", cases(LEGACY, WORDS_PENDING))
def test_legacy_encoded_file_is_read_as_its_own_text(index, entry):
    """Words, not mojibake: the words transkit reads are the words of the file decoded
    as its peer's tests decode it."""
    import srt

    path = PEER_DIR / entry["path"]
    text = path.read_bytes().decode(entry["encoding"])
    tags = re.compile(r"<[^>]*>|\{\\[^}]*\}")
    expected = [re.findall(r"\w+", tags.sub(" ", s.content)) for s in srt.parse(text.lstrip("\ufeff"))]
    got = [re.findall(r"\w+", " ".join(c.lines)) for c in transkit_cues(path)]
    assert got == expected


def check_cli(path: Path, *options: str):
    return runner.invoke(app, ["check", str(path), "-p", "netflix-en", *options])


def assert_one_line_naming_the_line(result, path: Path) -> str:
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    assert result.exit_code == 3, out
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"transkit: error: {path}"), result.stderr
    if path.read_bytes().strip():
        assert re.match(rf"transkit: error: {re.escape(str(path))}:\d+: ", lines[0]), lines[0]
    else:
        assert "empty" in lines[0]  # an empty file has no line to name
    return lines[0]


@pytest.mark.parametrize("entry", MALFORMED, ids=ids(MALFORMED))
def test_malformed_file_is_refused_with_its_line_under_strict_syntax(index, entry):
    path = PEER_DIR / entry["path"]
    assert_one_line_naming_the_line(check_cli(path, "--strict-syntax"), path)


@pytest.mark.parametrize("entry", MALFORMED, ids=ids(MALFORMED))
def test_malformed_file_by_default_is_refused_or_read_like_a_player(index, entry):
    path = PEER_DIR / entry["path"]
    result = check_cli(path)
    if entry["lenient"] == "refused":
        assert_one_line_naming_the_line(result, path)
    else:
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 8), result.output
        assert f"{path}: {entry['tolerated_cues']} cues," in result.stdout


@pytest.mark.parametrize("entry", cases(WELL_FORMED))
def test_well_formed_file_is_checked_not_refused(index, entry):
    path = PEER_DIR / entry["path"]
    result = check_cli(path, "--json")
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 8), result.output
    assert [f["cues"] for f in json.loads(result.stdout)["files"]] == [entry["cues"]]


# --------------------------------------------------------------------------- translating

_SRT_VTT_TAG = re.compile(r"<[A-Za-z][^>]*>|\{\\[^}]*\}")  # opening tags and {\an8}-style overrides
_ASS_OVERRIDE = re.compile(r"\{[^}]*\}")


def raw_cues(text: str, suffix: str) -> list[tuple[str, str]]:
    """(settings, markup) of every cue: for WebVTT the cue identifier and the cue
    settings (after the end time), for SRT nothing (its numbers may be renumbered),
    and the opening tags of the cue text; for ASS the style and actor, and the
    override blocks."""
    if suffix in SUBSTATION:
        import pysubs2

        events = sorted(
            (e for e in pysubs2.SSAFile.from_string(text).events if not e.is_comment), key=lambda e: e.start
        )
        return [(f"{e.style}|{e.name}", " ".join(_ASS_OVERRIDE.findall(e.text))) for e in events]
    cues: list[tuple[str, str]] = []
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for at, line in enumerate(lines):
        if "-->" not in line:
            continue
        # a timing line starts a cue even without a blank line before it (as players read it);
        # the line before is its identifier only when it stands alone
        standalone = at >= 1 and lines[at - 1].strip() and (at < 2 or not lines[at - 2].strip())
        settings = " ".join(line.split("-->", 1)[1].split()[1:])
        if suffix != ".srt":
            settings = (lines[at - 1].strip() if standalone else "") + "|" + settings
        payload = []
        for following in lines[at + 1 :]:
            if not following.strip() or "-->" in following:
                break
            payload.append(following)
        tags = sorted(_SRT_VTT_TAG.findall("\n".join(payload)))
        cues.append((settings, " ".join(tags)))
    return cues


@pytest.fixture(scope="module")
def translated_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("peer-translations")


@pytest.mark.model
@pytest.mark.parametrize("entry", cases(TO_TRANSLATE))
def test_translated_english_file_keeps_cues_times_and_formatting(index, entry, test_models_dir, translated_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(translated_dir / "memory.sqlite"))
    path = PEER_DIR / entry["path"]
    out = translated_dir / entry["path"].replace("/", "_")
    result = runner.invoke(app, ["translate", str(path), "--to", "pt", "--out", str(out)])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    suffix = path.suffix.lower()
    written = sorted(p for p in out.rglob("*") if p.name.lower().endswith(".pt" + suffix))
    assert len(written) == 1, f"expected one Portuguese {suffix} file, found {[p.name for p in out.rglob('*')]}"
    output = written[0].read_text(encoding="utf-8")
    library = "srt" if suffix == ".srt" else "pysubs2"
    assert times_by_library(output, suffix, library) == reference_times(entry, path)
    source_text = path.read_bytes().decode("utf-8-sig" if entry["encoding"] == "utf-8" else entry["encoding"])
    source_markup = raw_cues(source_text, suffix)
    output_markup = raw_cues(output, suffix)
    assert [s for s, _ in output_markup] == [s for s, _ in source_markup], "identifiers, cue settings or styles changed"
    assert [Counter(m.split()) for _, m in output_markup] == [Counter(m.split()) for _, m in source_markup], "tags changed"
