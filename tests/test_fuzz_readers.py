"""Property-based fuzzing of every reader of user files.

The one property: whatever bytes a user hands transkit, a reader either returns
a well-formed result or raises transkit's own ``TranskitError`` (a one-line
message naming the file, an exit code other than 1 "internal error"). Any other
exception is a bug: the CLI would print "internal error".

Inputs come from two kinds of strategy:
- structured: the real interview source, a real SRT/VTT rendered from it, the
  real project JSON, a glossary, the raw article text, a model package, each
  mutated a few times (spans deleted, duplicated, truncated, lines swapped,
  structural tokens and random text inserted, re-encoded);
- random bytes and random text.

Profiles: ``TRANSKIT_FUZZ_EXAMPLES`` examples per test (default 1000, so each
reader gets a few thousand between its structured and random tests and the
whole file stays under a minute on CI; these are the same inputs every run);
run e.g. ``TRANSKIT_FUZZ_EXAMPLES=10000`` locally for a longer profile with
fresh random inputs each time. The number of inputs tried per reader is printed
at the end of the module.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import shutil
import tempfile
import textwrap
import types
import typing
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from hypothesis import strategies as st
from hypothesis.database import InMemoryExampleDatabase

import transkit.config
from transkit.errors import TranskitError

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
RAW_ARTICLE = ROOT / "source" / "raw" / "meduza-stoltenberg-interview-2022-04-07.txt"

CI_EXAMPLES = 1000
EXAMPLES = int(os.environ.get("TRANSKIT_FUZZ_EXAMPLES", str(CI_EXAMPLES)))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # the CI profile tries the same inputs every run (a failure there is reproducible);
    # longer profiles draw new ones each time
    derandomize=EXAMPLES <= CI_EXAMPLES,
    # no disk writes per example; failures print their input
    database=None if EXAMPLES <= CI_EXAMPLES else InMemoryExampleDatabase(),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

# inputs tried per reader, and how many of them were refused with a TranskitError
TRIED: Counter[str] = Counter()
REFUSED: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"fuzz inputs per reader (TRANSKIT_FUZZ_EXAMPLES={EXAMPLES}):"]
    for reader in sorted(TRIED):
        lines.append(f"  {reader:<16} {TRIED[reader]:>7} tried, {REFUSED[reader]:>7} refused with a transkit error")
    lines.append(f"  {'total':<16} {sum(TRIED.values()):>7}")
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)
    target = os.environ.get("TRANSKIT_FUZZ_REPORT")
    if target:
        Path(target).write_text(
            json.dumps({"examples_setting": EXAMPLES, "tried": TRIED, "refused": REFUSED}, indent=1, sort_keys=True)
        )


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A scratch folder, in memory (/dev/shm) when there is one: thousands of small writes."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="transkit-fuzz-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("fuzz")


# --------------------------------------------------------------------------- the property


def outcome(reader: str, call: Callable[[], Any], *, path: Path | None = None) -> Any:
    """Run one reader call; return its result, or None when it refused the input properly."""
    TRIED[reader] += 1
    try:
        return call()
    except TranskitError as exc:
        REFUSED[reader] += 1
        message = str(exc)
        assert len(message.splitlines()) == 1, f"error message is not one line: {message!r}"
        assert not any(unicodedata.category(ch) == "Cc" and ch != "\t" for ch in message), f"control character: {message!r}"
        assert exc.exit_code != 1, f"{type(exc).__name__} uses the internal-error exit code: {message}"
        if path is not None:
            assert exc.path and Path(exc.path).name == path.name, f"error does not name the file: {message!r}"
        return None


def well_typed(value: Any, where: str = "result") -> None:
    """Every field of a (nested) frozen dataclass holds a value of its annotated type."""
    if not dataclasses.is_dataclass(value):
        return
    hints = _hints(type(value))
    for field in dataclasses.fields(value):
        _check_type(getattr(value, field.name), hints[field.name], f"{where}.{field.name}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _check_type(value: Any, hint: Any, where: str) -> None:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                _check_type(value, option, where)
                return
            except AssertionError:
                continue
        raise AssertionError(f"{where}: {value!r} fits none of {hint}")
    if origin is typing.Literal:
        assert value in args, f"{where}: {value!r} is not one of {args}"
        return
    if origin is tuple:
        assert isinstance(value, tuple), f"{where}: expected a tuple, got {type(value).__name__}"
        if len(args) == 2 and args[1] is Ellipsis:
            for i, item in enumerate(value):
                _check_type(item, args[0], f"{where}[{i}]")
        else:
            assert len(value) == len(args), f"{where}: expected {len(args)} items, got {len(value)}"
            for i, (item, arg) in enumerate(zip(value, args)):
                _check_type(item, arg, f"{where}[{i}]")
        return
    if hint is type(None):
        assert value is None, f"{where}: expected None, got {value!r}"
        return
    if hint is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: not a number: {value!r}"
        return
    if hint is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: not an int: {value!r}"
        return
    if dataclasses.is_dataclass(hint):
        assert isinstance(value, hint), f"{where}: expected {hint.__name__}, got {type(value).__name__}"
        well_typed(value, where)
        return
    assert isinstance(value, hint), f"{where}: expected {hint}, got {type(value).__name__}: {value!r}"


# --------------------------------------------------------------------------- mutation strategies

SOURCE_TOKENS = (
    "\n", "\n\n", "---", "---\n", ":", "?:", "KM:", "JS:", "KM?: ", "XX: ", "> NOTE:", "> ", "speakers:",
    "  KM: Kirill Martynov | role", "  ZZ: Z", "title:", "language: ", "language: xx-YYYYYYYYY", "date: 2022-13-45",
    "|", "\t", "#", " ", "\ufeff", "\r", "\r\n", "\x00", "\x85", "\u2028", "…", "—", "«", "Ж", "字", "é", "\U0001F600",
)
SRT_TOKENS = (
    "\n", "\n\n", " --> ", "-->", "00:00:01,000", "00:00:01.000", "99:59:59,999", "00:60:00,000", "-00:00:01,000",
    "1", "0", "-1", "99999999999999999999", "<i>", "</i>", "<b>", "<font color=\"red\">", "{\\an8}", "- ", "WEBVTT",
    "WEBVTT\n\n", "NOTE ", "STYLE\n", "<v KM>", "<c.x>", "align:start", "\ufeff", "\r", "\r\n", "\x00", "…", "Ж",
)
JSON_TOKENS = ("{", "}", "[", "]", ",", ":", '"', "null", "true", "-1", "1e309", "NaN", "\\u0000", "\\ud800", "\n")
CSV_TOKENS = (",", ";", "\t", '"', '""', "\n", "\r\n", "#", "*", "ru", "pt-BR", "xx_YY", "source,target,language\n", "\x00")
RAW_TOKENS = (
    "\n", "\n\n", "?", ".", "Interview by ", "Photo: ", "Source: ", "Read more", "Name / AGENCY", "I ", "And ",
    "\ufeff", "\r", "\u2028", "\x85", " ", "—", "«", "Ж", "字",
)


@st.composite
def mutated(draw, base: str | bytes, tokens: Sequence[str], max_ops: int = 6):
    """``base`` with a few random edits, biased towards its start (headers live there)."""
    data = base
    is_bytes = isinstance(base, bytes)
    for _ in range(draw(st.integers(1, max_ops))):
        size = len(data)
        if draw(st.booleans()):
            pos = draw(st.integers(0, min(size, 400)))
        else:
            pos = draw(st.integers(0, size))
        op = draw(st.sampled_from(("delete", "insert", "insert", "replace", "duplicate", "swap", "truncate")))
        if op == "delete":
            end = draw(st.integers(pos, min(size, pos + 300)))
            data = data[:pos] + data[end:]
        elif op in ("insert", "replace"):
            piece: Any = draw(st.one_of(st.sampled_from(tokens), st.text(max_size=12)))
            if is_bytes:
                piece = draw(st.one_of(st.just(piece.encode("utf-8", "surrogatepass")), st.binary(max_size=8)))
            end = pos if op == "insert" else draw(st.integers(pos, min(size, pos + 20)))
            data = data[:pos] + piece + data[end:]
        elif op == "duplicate":
            end = draw(st.integers(pos, min(size, pos + 300)))
            at = draw(st.integers(0, size))
            data = data[:at] + data[pos:end] + data[at:]
        elif op == "swap":
            sep = b"\n" if is_bytes else "\n"
            lines = data.split(sep)
            if len(lines) > 1:
                a = draw(st.integers(0, min(len(lines) - 1, 40)))
                b = draw(st.integers(0, len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                data = sep.join(lines)
        else:
            data = data[:pos]
    return data


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1251", "crlf")


def encode(text: str, how: str) -> bytes:
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass")
    return text.encode(how, "replace" if how == "cp1251" else "surrogatepass")


def file_inputs(base: str, tokens: Sequence[str]):
    """Bytes of a file: the mutated text in some encoding, mutated bytes, or random bytes."""
    text_then_encoded = st.builds(encode, mutated(base, tokens), st.sampled_from(ENCODINGS))
    raw = base.encode("utf-8")
    return st.one_of(text_then_encoded, text_then_encoded, mutated(raw, tokens), st.binary(max_size=2000))


def random_text_file():
    return st.one_of(
        st.binary(max_size=4000),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.builds(encode, st.text(max_size=500), st.sampled_from(ENCODINGS)),
    )


# --------------------------------------------------------------------------- bases


class Sample:
    """A base input held by a fixture; a short repr keeps hypothesis' failure reports readable."""

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value

    def __repr__(self) -> str:
        return f"<{self.name}>"


@pytest.fixture(scope="module")
def interview_text() -> Sample:
    return Sample("source/interview.md", INTERVIEW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def interview_project():
    from transkit.pipeline import prepare_project

    return prepare_project(INTERVIEW)


@pytest.fixture(scope="module")
def interview_srt(interview_project) -> Sample:
    return Sample("interview.en.srt", _render(interview_project, "srt"))


@pytest.fixture(scope="module")
def interview_vtt(interview_project) -> Sample:
    return Sample("interview.en.vtt", _render(interview_project, "vtt"))


def _render(project, fmt: str) -> str:
    from transkit.export import ExportJob, get_exporter
    from transkit.pipeline import build_track
    from transkit.profiles import default_profile_for

    track = build_track(project, "en", default_profile_for("en"))
    return get_exporter(fmt).render(ExportJob(project=project, language="en", track=track)).decode("utf-8")


GLOSSARY = """\
source,target,language
# names stay as they are
Stoltenberg,Stoltenberg,*
Kirill Martynov,Kirill Martynov,*
Novaya Gazeta,Novaya Gazeta,pt
Stoltenberg,Столтенберг,ru
NATO,НАТО,ru
"Putin, Vladimir","Путин, Владимир",ru
Secretary General,secretário-geral,pt-BR
"""


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- source transcript (.md)


@FUZZ
@given(data=st.data())
def test_source_reader_structured(work, interview_text, data):
    from transkit.ingest import load_transcript

    path = _write(work / "interview.md", data.draw(file_inputs(interview_text.value, SOURCE_TOKENS)))
    transcript = outcome("source .md", lambda: load_transcript(path), path=path)
    if transcript is not None:
        well_typed(transcript)
        ids = {s.id for s in transcript.speakers}
        for paragraph in transcript.paragraphs:
            assert paragraph.text.strip(), paragraph
            assert paragraph.kind == "note" or paragraph.speaker in ids, paragraph


@FUZZ
@given(blob=random_text_file())
def test_source_reader_random(work, blob):
    from transkit.ingest import load_transcript

    path = _write(work / "random.md", blob)
    outcome("source .md", lambda: load_transcript(path), path=path)


@FUZZ
@given(text=mutated(INTERVIEW.read_text(encoding="utf-8") if INTERVIEW.exists() else "", SOURCE_TOKENS))
def test_source_reader_same_result_in_every_unicode_encoding(work, text):
    """UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM and CRLF line ends all read alike."""
    from transkit.ingest import load_transcript

    assume("\x00" not in text and not text.startswith("\ufeff") and "\r" not in text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        assume(False)
    results = {}
    for how in ("utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "crlf"):
        path = _write(work / "encoded.md", encode(text, how))
        results[how] = outcome("source .md", lambda path=path: load_transcript(path))
    assert all(result == results["utf-8"] for result in results.values()), {
        how: "read" if result is not None else "refused" for how, result in results.items()
    }


# --------------------------------------------------------------------------- plain text (.txt)


def _read_plain_text(path: Path):
    from transkit.fsio import read_text_file
    from transkit.ingest.plain_text import transcript_from_plain_text

    transcript = outcome(
        "plain .txt", lambda: transcript_from_plain_text(read_text_file(path, "text file"), str(path)), path=path
    )
    if transcript is not None:
        well_typed(transcript)
        assert all(p.text.strip() for p in transcript.paragraphs)
        assert {p.speaker for p in transcript.paragraphs} <= {s.id for s in transcript.speakers}


@FUZZ
@given(blob=file_inputs(RAW_ARTICLE.read_text(encoding="utf-8"), RAW_TOKENS))
def test_plain_text_reader_structured(work, blob):
    _read_plain_text(_write(work / "article.txt", blob))


@FUZZ
@given(blob=random_text_file())
def test_plain_text_reader_random(work, blob):
    _read_plain_text(_write(work / "random.txt", blob))


@settings(FUZZ, max_examples=max(50, EXAMPLES // 10))
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400))
def test_plain_text_then_segmenter(text):
    """What ``transkit run notes.txt`` does next: a readable text must segment without a crash."""
    from transkit.ingest.plain_text import transcript_from_plain_text
    from transkit.segment import segment_transcript

    transcript = outcome("plain .txt", lambda: transcript_from_plain_text(text, "notes.txt"))
    if transcript is not None:
        segments = outcome("segmenter", lambda: segment_transcript(transcript))
        if segments is not None:
            for segment in segments:
                well_typed(segment)
                assert 0 <= segment.start_ms <= segment.end_ms, segment


# --------------------------------------------------------------------------- raw article import


def _import_raw(text: str) -> None:
    from transkit.ingest import import_raw, parse_source

    result = outcome("raw import", lambda: import_raw(text))
    if result is not None:
        well_typed(result.transcript)
        assert parse_source(result.markdown) == result.transcript


@FUZZ
@given(text=mutated(RAW_ARTICLE.read_text(encoding="utf-8"), RAW_TOKENS))
def test_raw_import_structured(text):
    _import_raw(text)


@FUZZ
@given(text=st.text(max_size=3000))
def test_raw_import_random(text):
    _import_raw(text)


# --------------------------------------------------------------------------- project JSON


def _json_values():
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20),
        st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2),  # "\ud800"
    )
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=8)


@st.composite
def mutated_tree(draw, tree: Any):
    """The project as data, with a few values replaced, keys deleted or containers emptied."""
    tree = json.loads(json.dumps(tree))
    for _ in range(draw(st.integers(1, 4))):
        node, parent, key = tree, None, None
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 4)) > 0:
            parent = node
            key = draw(st.sampled_from(sorted(node))) if isinstance(node, dict) else draw(st.integers(0, len(node) - 1))
            node = node[key]
        if parent is None:
            continue
        op = draw(st.sampled_from(("replace", "replace", "delete", "wrap", "empty")))
        if op == "replace":
            parent[key] = draw(_json_values())
        elif op == "delete":
            del parent[key]
        elif op == "wrap":
            parent[key] = [node]
        else:
            parent[key] = type(node)() if isinstance(node, (dict, list, str)) else None
    return tree


@pytest.fixture(scope="module")
def project_tree(interview_project):
    from transkit.projectfile import project_to_dict

    transcript = interview_project.transcript
    small = dataclasses.replace(
        interview_project,
        transcript=dataclasses.replace(transcript, paragraphs=transcript.paragraphs[:5]),
        segments=tuple(s for s in interview_project.segments if s.paragraph < 5),
    )
    return Sample("project JSON of 5 paragraphs", json.loads(json.dumps(project_to_dict(small))))


def _project_inputs(tree):
    text = json.dumps(tree, ensure_ascii=False, indent=1)
    return st.one_of(
        # lone surrogates can only be written as \ud800 escapes
        mutated_tree(tree).map(lambda t: json.dumps(t, ensure_ascii=False).encode("utf-8", "backslashreplace")),
        mutated_tree(tree).map(lambda t: json.dumps(t).encode("ascii")),
        file_inputs(text, JSON_TOKENS),
    )


@FUZZ
@given(data=st.data())
def test_project_reader_structured(work, project_tree, data):
    from transkit.projectfile import dumps_project, load_project

    path = _write(work / "interview.project.json", data.draw(_project_inputs(project_tree.value)))
    project = outcome("project .json", lambda: load_project(path), path=path)
    if project is not None:
        well_typed(project)
        again = _write(work / "again.project.json", dumps_project(project).encode("utf-8"))
        assert load_project(again) == project


@FUZZ
@given(blob=st.one_of(random_text_file(), _json_values().map(lambda v: json.dumps(v).encode())))
def test_project_reader_random(work, blob):
    from transkit.projectfile import load_project

    path = _write(work / "random.project.json", blob)
    project = outcome("project .json", lambda: load_project(path), path=path)
    if project is not None:
        well_typed(project)


# --------------------------------------------------------------------------- glossary CSV


def _read_glossary(path: Path) -> None:
    from transkit.translate.glossary import load_glossary

    glossary = outcome("glossary .csv", lambda: load_glossary(path), path=path)
    if glossary is not None:
        well_typed(glossary)
        for term in glossary.terms:
            assert term.source and term.target and term.language
        glossary.for_language("ru")  # the lookups a translation job makes must work on what was read
        glossary.fingerprint("pt")


@FUZZ
@given(blob=file_inputs(GLOSSARY, CSV_TOKENS))
def test_glossary_reader_structured(work, blob):
    _read_glossary(_write(work / "glossary.csv", blob))


@FUZZ
@given(blob=random_text_file())
def test_glossary_reader_random(work, blob):
    _read_glossary(_write(work / "random.csv", blob))


# --------------------------------------------------------------------------- config file (transkit.toml)

# The example documented in transkit.config: the fuzzer mutates what users are shown.
CONFIG = textwrap.dedent(transkit.config.__doc__.split("Example::\n", 1)[1]).strip() + "\n"
TOML_TOKENS = (
    "[run]", "[profiles]", "[speech_rate]", "[other]", "=", '"', "'", "[", "]", "{", "}", ",", "\n", "#", "true", "0",
    "-3", "1.5", "1979-05-27", '"four"', "[1, 2]", "{ a = 1 }", "run = 3", "profiles = 1", "speech_rate = []",
    "jobs = ", "beam_size = ", "to = ", "wpm = ", "speakers = ", "\x00", "\ufeff",
)


def _check_config(cfg) -> None:
    """What the commands take from a config must have the documented types."""
    run = cfg.run
    for key in ("to", "formats"):
        assert key not in run or (isinstance(run[key], list) and all(isinstance(v, str) for v in run[key])), run
    for key in ("engine", "out", "glossary", "profile", "compute_type"):
        assert key not in run or isinstance(run[key], str), run
    for key in ("beam_size", "jobs"):
        assert key not in run or (type(run[key]) is int and run[key] >= 1), run
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in cfg.profiles.items()), cfg.profiles
    rate = cfg.speech_rate
    assert isinstance(rate, dict)
    if "wpm" in rate:
        assert isinstance(rate["wpm"], (int, float)) and not isinstance(rate["wpm"], bool) and rate["wpm"] > 0, rate
    speakers = rate.get("speakers", {})
    assert isinstance(speakers, dict), rate
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in speakers.values()), rate


def _read_config(path: Path) -> None:
    from transkit.config import load_config

    cfg = outcome("config .toml", lambda: load_config(path), path=path)
    if cfg is not None:
        _check_config(cfg)


@FUZZ
@given(blob=file_inputs(CONFIG, TOML_TOKENS))
def test_config_reader_structured(work, blob):
    _read_config(_write(work / "transkit.toml", blob))


@FUZZ
@given(blob=random_text_file())
def test_config_reader_random(work, blob):
    _read_config(_write(work / "random.toml", blob))


# --------------------------------------------------------------------------- subtitles (SRT, VTT)


def _subtitle_reader():
    try:
        from transkit.ingest.subtitles import read_subtitle_file
    except ImportError:
        pytest.skip("transkit.ingest.subtitles.read_subtitle_file is not built yet")
    return read_subtitle_file


def _check_cues(cues) -> None:
    assert isinstance(cues, tuple)
    for cue in cues:
        well_typed(cue)
        assert 0 <= cue.start_ms, cue
        assert all("\n" not in line for line in cue.lines), cue


def _read_subtitles(path: Path, strict: bool) -> None:
    read = _subtitle_reader()
    mode = "strict" if strict else "lenient"
    cues = outcome(f"subtitles {path.suffix} {mode}", lambda: read(path, strict=strict), path=path)
    if cues is not None:
        _check_cues(cues)


@FUZZ
@given(data=st.data(), strict=st.booleans())
def test_srt_reader_structured(work, interview_srt, data, strict):
    _read_subtitles(_write(work / "interview.en.srt", data.draw(file_inputs(interview_srt.value, SRT_TOKENS))), strict)


@FUZZ
@given(data=st.data(), strict=st.booleans())
def test_vtt_reader_structured(work, interview_vtt, data, strict):
    _read_subtitles(_write(work / "interview.en.vtt", data.draw(file_inputs(interview_vtt.value, SRT_TOKENS))), strict)


@FUZZ
@given(blob=random_text_file(), strict=st.booleans())
def test_srt_reader_random(work, blob, strict):
    _read_subtitles(_write(work / "random.srt", blob), strict)


@FUZZ
@given(blob=random_text_file(), strict=st.booleans())
def test_vtt_reader_random(work, blob, strict):
    _read_subtitles(_write(work / "random.vtt", blob), strict)


# --------------------------------------------------------------------------- timestamps


@FUZZ
@given(text=st.one_of(st.text(max_size=30), st.from_regex(r"\s?-?[0-9]{0,3}:?[0-9]{1,3}:[0-9]{1,3}[.,]?[0-9]{0,4}\s?")))
def test_timestamp_parser(text):
    from transkit.timing import format_srt, parse_timestamp

    ms = outcome("timestamp", lambda: parse_timestamp(text, path="x.srt", line=3))
    if ms is not None:
        assert isinstance(ms, int) and ms >= 0
        assert parse_timestamp(format_srt(ms)) == ms


# --------------------------------------------------------------------------- XLIFF import


def _xliff_import():
    try:
        from transkit.export.xliff import import_xliff
    except ImportError:
        pytest.skip("transkit.export.xliff.import_xliff is not built yet")
    return import_xliff


@pytest.fixture(scope="module")
def xliff_sample(interview_project) -> Sample:
    _xliff_import()
    from transkit.export import ExportJob, get_exporter
    from transkit.model import LanguageResult, Translation
    from transkit.pipeline import build_track
    from transkit.profiles import default_profile_for

    segments = interview_project.segments[:20]
    translated = dataclasses.replace(
        interview_project,
        segments=segments,
        languages=(
            LanguageResult(
                language="pt",
                engine="firefox",
                model="en-pt",
                translations=tuple(Translation(s.id, f"[pt] {s.text}") for s in segments),
            ),
        ),
    )
    job = ExportJob(
        project=translated,
        language="pt",
        track=build_track(translated, "pt", default_profile_for("pt")),
        source_track=build_track(translated, "en", default_profile_for("en")),
    )
    return Sample("20-segment en-pt XLIFF", (translated, get_exporter("xliff").render(job).decode("utf-8")))


XML_TOKENS = (
    "<", ">", "</", "/>", "&amp;", "&lt;", "&#0;", "&#x110000;", "&foo;", "<![CDATA[", "]]>", "<!--", "-->",
    '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '<!ENTITY e SYSTEM "file:///etc/passwd">', "<target>", "</target>",
    "<source>", 'id="', 'state="translated"', "xmlns=", "\x00", "\ufeff",
)


@FUZZ
@given(data=st.data())
def test_xliff_import_structured(work, xliff_sample, data):
    import_xliff = _xliff_import()
    project, text = xliff_sample.value
    path = _write(work / "interview.en-pt.xlf", data.draw(file_inputs(text, XML_TOKENS)))
    if data.draw(st.booleans()):
        edits = outcome("xliff", lambda: import_xliff(path, project, "pt"), path=path)
    else:
        edits = outcome("xliff", lambda: import_xliff(path), path=path)
    if edits is not None:
        for segment_id, source, target in edits:
            assert isinstance(segment_id, int) and isinstance(source, str) and target.strip()


@FUZZ
@given(blob=st.one_of(random_text_file(), st.lists(st.sampled_from(XML_TOKENS + ("<xliff>", "a", " ")), max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))))
def test_xliff_import_random(work, blob):
    import_xliff = _xliff_import()
    path = _write(work / "random.xlf", blob)
    outcome("xliff", lambda: import_xliff(path), path=path)


# --------------------------------------------------------------------------- model packages (zip archives)


def _package_zip() -> bytes:
    """A small package in the Argos layout (metadata.json, model/model.bin, sentencepiece.model)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("translate-en_xx-1_0/metadata.json", json.dumps({"from_code": "en", "to_code": "xx", "package_version": "1.0"}))
        archive.writestr("translate-en_xx-1_0/model/model.bin", os.urandom(0) + bytes(range(256)) * 40)
        archive.writestr("translate-en_xx-1_0/model/config.json", "{}")
        archive.writestr("translate-en_xx-1_0/sentencepiece.model", b"spm" * 300)
        archive.writestr("translate-en_xx-1_0/README.md", "A test package\n" * 20)
    return buffer.getvalue()


PACKAGE = _package_zip()


@st.composite
def hostile_zip(draw) -> bytes:
    """A zip whose entry names and attributes come from a strategy (traversal, absolute, symlinks...)."""
    names = st.one_of(
        st.sampled_from(
            ("../evil", "../../evil", "/tmp/evil", "C:\\evil", "a/../../evil", "a/./b", "./x", "x\\..\\..\\evil",
             "model/model.bin", "metadata.json", "dir/", "", ".", "..", "a//b", "\u202e/x")
        ),
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for _ in range(draw(st.integers(1, 5))):
            name = draw(names)
            info = zipfile.ZipInfo(name or "x")
            info.filename = name  # keep empty / odd names as they are
            kind = draw(st.sampled_from(("file", "file", "symlink", "fifo", "dir")))
            mode = {"file": 0o100644, "symlink": 0o120777, "fifo": 0o010644, "dir": 0o040755}[kind]
            info.external_attr = mode << 16
            try:
                archive.writestr(info, draw(st.sampled_from(("/etc/passwd", "../../evil", "payload"))))
            except (ValueError, UnicodeEncodeError):
                continue
    return buffer.getvalue()


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _unpack_into_box(work: Path, blob: bytes) -> None:
    """Unpack ``blob`` into box/models/unpacked; nothing may appear elsewhere in the box."""
    from transkit.translate.archive import extract_zip

    box = work / "box"
    shutil.rmtree(box, ignore_errors=True)
    dest = box / "models" / "unpacked"
    dest.mkdir(parents=True)
    package = _write(box / "package.argosmodel", blob)
    before = _tree(box)
    outcome("model package", lambda: extract_zip(package, dest, max_bytes=1 << 20), path=package)
    outside = {p for p in _tree(box) - before if not p.startswith("models/unpacked/")}
    assert not outside, f"files written outside the target folder: {sorted(outside)}"
    assert not any(p.is_symlink() for p in dest.rglob("*")), "a symlink was unpacked"


@FUZZ
@given(blob=hostile_zip())
def test_model_package_with_hostile_entries(work, blob):
    """Traversal, absolute, odd and symlink entries are refused with a ModelError; nothing lands outside."""
    _unpack_into_box(work, blob)


@FUZZ
@given(blob=st.one_of(mutated(PACKAGE, ("PK\x03\x04", "PK\x01\x02", "PK\x05\x06", "\x00" * 4, "\xff" * 4)), st.binary(max_size=600)))
def test_model_package_corrupt_or_truncated(work, blob):
    """Corrupt and truncated packages are refused with a ModelError naming the package."""
    _unpack_into_box(work, blob)


@pytest.fixture(scope="module")
def argos_folder(work) -> Path:
    folder = work / "argos-package"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "model.bin").write_bytes(b"\0" * 64)
    (folder / "sentencepiece.model").write_bytes(b"spm")
    return folder


METADATA = json.dumps(
    {"package_version": "1.9", "argos_version": "1.9.0", "from_code": "zh", "to_code": "en", "from_name": "Chinese",
     "to_name": "English", "type": "translate"},
    indent=2,
)


@FUZZ
@given(blob=st.one_of(file_inputs(METADATA, JSON_TOKENS), _json_values().map(lambda v: json.dumps(v).encode())))
def test_model_package_metadata(argos_folder, blob):
    """The metadata.json of an installed or unpacked Argos package: read, or a ModelError naming it."""
    from transkit.translate.models import validate_argos_package

    (argos_folder / "metadata.json").write_bytes(blob)
    meta = outcome("model metadata", lambda: validate_argos_package(argos_folder), path=argos_folder / "metadata.json")
    if meta is not None:
        assert isinstance(meta["from_code"], str) and isinstance(meta["to_code"], str)


# --------------------------------------------------------------------------- what fuzzing found
# One deterministic case per failure the fuzzers found, so each stays fixed.

def test_found_xliff_with_an_unknown_encoding_declaration(tmp_path):
    from transkit.export.xliff import import_xliff

    path = tmp_path / "edits.xlf"
    path.write_text('<?xml version="1.0" encoding="U0TF-8"?>\n<xliff version="1.2"/>\n', encoding="utf-8")
    outcome("xliff", lambda: import_xliff(path), path=path)


def _deflated_package() -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("translate-en_xx-1_0/metadata.json", '{"from_code": "en", "to_code": "xx"}' * 20)
    return bytearray(buffer.getvalue())


def test_found_model_package_with_a_corrupt_deflate_stream(tmp_path):
    data = _deflated_package()
    data[30 + len("translate-en_xx-1_0/metadata.json")] = 0xFF  # first block: reserved type 11
    _unpack_into_box(tmp_path, bytes(data))


def test_found_model_package_with_a_wrong_central_directory_offset(tmp_path):
    import struct

    data = _deflated_package()
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 16, struct.unpack_from("<I", data, end + 16)[0] + 1000)
    _unpack_into_box(tmp_path, bytes(data))


def test_found_error_messages_stay_on_one_line(tmp_path):
    """A glossary term spanning lines (an unclosed quote) and a zip entry named '\\r' were quoted into
    messages that broke the error line; TranskitError now escapes control characters."""
    from transkit.translate.glossary import load_glossary

    path = _write(tmp_path / "glossary.csv", b'NATO,NATO,ru\n"Putin\nVladimir",X,ru\n"Putin\nVladimir",Y,ru\n')
    assert outcome("glossary .csv", lambda: load_glossary(path), path=path) is None
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        info = zipfile.ZipInfo("\r\x1b[2J")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    _unpack_into_box(tmp_path, package.getvalue())


def test_found_project_files_with_wrong_types_or_lone_surrogates(tmp_path, project_tree):
    """Loaded without complaint before, then crashed the exporters: now refused on load."""
    from transkit.projectfile import load_project

    for where, value in (("profile", ["netflix-en"]), ("start_ms", "00:00:01,000"), ("text", "\ud800")):
        tree = json.loads(json.dumps(project_tree.value))
        if where == "profile":
            tree["profile"] = value
        else:
            tree["segments"][0][where] = value
        path = _write(tmp_path / "p.project.json", json.dumps(tree).encode("ascii"))
        assert outcome("project .json", lambda path=path: load_project(path), path=path) is None, where


def test_found_config_values_of_the_wrong_type(tmp_path):
    """``run = 3`` and ``profiles = "x"`` crashed the config reader; ``jobs = "x"`` crashed later in the CLI."""
    from transkit.config import load_config

    for text in ("run = 3\n", 'profiles = "x"\n', '[run]\njobs = "x"\n', '[speech_rate]\nwpm = "fast"\n'):
        path = _write(tmp_path / "transkit.toml", text.encode())
        assert outcome("config .toml", lambda path=path: load_config(path), path=path) is None, text
