"""The source transcript format (``source/*.md``): parser and writer.

A ``---`` header of ``key: value`` lines (with an indented ``speakers:`` list),
then paragraphs separated by blank lines. A spoken paragraph starts with its
speaker tag (``KM:``; ``KM?:`` when the attribution still needs review); a
non-spoken note is a blockquote starting ``> NOTE:``. The format is documented
in ``docs/source-format.md``; ``format_source`` writes what ``parse_source`` reads.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..errors import InputError
from ..fsio import read_text_file
from ..model import Metadata, Paragraph, Speaker, Transcript
from .blocks import split_blocks

HEADER_FENCE = "---"
NOTE_PREFIX = "NOTE:"
FIXED_KEYS = ("title", "publisher", "url", "date", "language")
SPEAKERS_KEY = "speakers"

SPEAKER_ID = r"[A-Za-z][A-Za-z0-9_-]{0,19}"
_SPEAKER_ID_RE = re.compile(rf"^{SPEAKER_ID}$")
_TAG_RE = re.compile(rf"^({SPEAKER_ID})(\?)?:(?:[ \t]+|$)(.*)$")
_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(.*)$")
_EXTRA_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*$")  # keys are read lower-cased
_SPEAKER_LINE_RE = re.compile(rf"^({SPEAKER_ID})[ \t]*:(.*)$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

_TAG_HINT = "start each spoken paragraph with a speaker tag such as 'KM:' or mark it as a note with '> NOTE:'"
_IMPORT_HINT = "to convert raw article text run: transkit import RAW.txt -o source/NAME.md"


def load_transcript(path: str | os.PathLike[str], encoding: str | None = None) -> Transcript:
    """Read and parse a source transcript file (BOMs, CRLF and legacy encodings are
    handled; ``encoding`` forces one)."""
    text = read_text_file(path, what="source transcript", encoding=encoding)
    return parse_source(text, path=str(path))


# --------------------------------------------------------------------- parsing


@dataclass
class _Line:
    number: int  # 1-based
    text: str


@dataclass
class _Tagged:
    """A spoken paragraph being collected: its first line, tag and text lines."""

    line: int
    speaker: str
    unsure: bool
    parts: list[str]


def parse_source(text: str, path: str = "") -> Transcript:
    """Parse the text of a source transcript; errors are ``InputError`` with path and line."""
    lines = [_Line(i + 1, raw.rstrip()) for i, raw in enumerate(text.removeprefix("\ufeff").split("\n"))]
    header, fence_line, body = _split_front_matter(lines, path)
    meta, speakers = _parse_header(header, path, fence_line)
    paragraphs = _parse_body(body, {s.id for s in speakers}, path)
    return Transcript(meta=meta, speakers=tuple(speakers), paragraphs=tuple(paragraphs), source_path=path)


def _split_front_matter(lines: list[_Line], path: str) -> tuple[list[_Line], int, list[_Line]]:
    """Return the header lines, the line number of the closing fence, and the body lines."""
    first = next((ln for ln in lines if ln.text.strip()), None)
    if first is None:
        raise InputError("source transcript is empty", path=path, hint="see docs/source-format.md")
    if first.text.strip() != HEADER_FENCE:
        raise InputError(
            "no front matter: a source transcript starts with a '---' header line",
            path=path, line=first.number, hint=_IMPORT_HINT,
        )
    start = lines.index(first) + 1
    for i in range(start, len(lines)):
        if lines[i].text.strip() == HEADER_FENCE:
            return lines[start:i], lines[i].number, lines[i + 1:]
    raise InputError(
        "the '---' header is never closed", path=path, line=first.number, hint="end the header with a line '---'"
    )


def _parse_header(header: list[_Line], path: str, fence_line: int) -> tuple[Metadata, list[Speaker]]:
    values: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    speakers: list[Speaker] = []
    seen: set[str] = set()
    in_speakers = False
    for ln in header:
        if not ln.text.strip() or ln.text.lstrip().startswith("#"):
            continue
        if ln.text[0] in " \t":
            if not in_speakers:
                raise InputError(
                    "unexpected indented header line", path=path, line=ln.number,
                    hint="only the entries under 'speakers:' are indented",
                )
            speakers.append(_parse_speaker_line(ln, path, speakers))
            continue
        in_speakers = False
        match = _KEY_RE.match(ln.text)
        if not match:
            raise InputError(
                f"bad header line {ln.text.strip()[:40]!r}", path=path, line=ln.number,
                hint="header lines look like 'key: value'",
            )
        key, value = match.group(1).lower(), match.group(2).strip()
        if key in seen:
            raise InputError(f"header key '{key}' appears twice", path=path, line=ln.number)
        seen.add(key)
        if key == SPEAKERS_KEY:
            if value:
                raise InputError(
                    "'speakers:' takes indented lines below it", path=path, line=ln.number,
                    hint="write each speaker as '  KM: Kirill Martynov | role'",
                )
            in_speakers = True
            continue
        _check_value(key, value, path, ln.number)
        if key in FIXED_KEYS:
            values[key] = value
        else:
            extra.append((key, value))
    if not values.get("title"):
        raise InputError("the header has no title", path=path, line=fence_line, hint="add a line 'title: ...'")
    if not speakers:
        raise InputError(
            "the header lists no speakers", path=path, line=fence_line,
            hint="add 'speakers:' followed by indented lines like '  KM: Kirill Martynov | interviewer'",
        )
    meta = Metadata(
        title=values["title"],
        language=values.get("language") or "en",
        publisher=values.get("publisher", ""),
        url=values.get("url", ""),
        date=values.get("date", ""),
        extra=tuple(extra),
    )
    return meta, speakers


def header_value_problem(key: str, value: str) -> tuple[str, str] | None:
    """(message, hint) if ``value`` cannot stand as header ``key``, else None."""
    if "\n" in value or "\r" in value:
        return f"the {key} must be one line", "remove the line break"
    if key == "language" and value and not _LANGUAGE_RE.match(value):
        return f"bad language code {value!r}", "use a code such as 'en' or 'pt-BR'"
    if key == "date" and value and not _DATE_RE.match(value):
        return f"bad date {value!r}", "write the date as YYYY-MM-DD"
    return None


def _check_value(key: str, value: str, path: str, line: int) -> None:
    problem = header_value_problem(key, value)
    if problem:
        raise InputError(problem[0], path=path, line=line, hint=problem[1])


def _parse_speaker_line(ln: _Line, path: str, known: list[Speaker]) -> Speaker:
    match = _SPEAKER_LINE_RE.match(ln.text.strip())
    name, _, role = match.group(2).partition("|") if match else ("", "", "")
    if not match or not name.strip():
        raise InputError(
            f"bad speaker line {ln.text.strip()[:40]!r}", path=path, line=ln.number,
            hint="write it as 'ID: Name | role' (the role is optional)",
        )
    speaker_id = match.group(1)
    if any(s.id == speaker_id for s in known):
        raise InputError(f"speaker '{speaker_id}' is declared twice", path=path, line=ln.number)
    return Speaker(id=speaker_id, name=name.strip(), role=role.strip())


def _parse_body(body: list[_Line], speaker_ids: set[str], path: str) -> list[Paragraph]:
    blocks = split_blocks(body, lambda ln: ln.text.strip())
    if not blocks:
        raise InputError(
            "the transcript has no paragraphs", path=path, hint="add speaker-tagged paragraphs after the header"
        )
    spoken = [block[0] for block in blocks if not _is_note(block[0])]
    if not spoken:
        raise InputError(
            "the transcript has only notes, nothing spoken", path=path, line=blocks[0][0].number, hint=_TAG_HINT
        )
    if not any(_TAG_RE.match(ln.text) for ln in spoken):
        raise InputError("no paragraph has a speaker tag", path=path, line=spoken[0].number, hint=_TAG_HINT)
    paragraphs: list[Paragraph] = []
    for block in blocks:
        if _is_note(block[0]):
            text = _join(_unquote(ln.text) for ln in block).removeprefix(NOTE_PREFIX).strip()
            if not text:
                raise InputError("empty note", path=path, line=block[0].number, hint="write the note after '> NOTE:'")
            paragraphs.append(Paragraph(index=len(paragraphs), kind="note", text=text, line=block[0].number))
            continue
        for tagged in _split_tagged(block, speaker_ids, path):
            text = _join(tagged.parts)
            if not text:
                raise InputError(f"paragraph tagged '{tagged.speaker}' has no text", path=path, line=tagged.line)
            paragraphs.append(
                Paragraph(
                    index=len(paragraphs), kind="speech", text=text, speaker=tagged.speaker,
                    line=tagged.line, needs_review=tagged.unsure,
                )
            )
    return paragraphs


def _split_tagged(block: list[_Line], speaker_ids: set[str], path: str) -> list[_Tagged]:
    """Split a block into paragraphs: a line starting with a declared tag opens a new one."""
    first = block[0]
    match = _TAG_RE.match(first.text)
    if not match:
        raise InputError("paragraph without a speaker tag", path=path, line=first.number, hint=_TAG_HINT)
    if match.group(1) not in speaker_ids:
        raise InputError(
            f"unknown speaker tag '{match.group(1)}'", path=path, line=first.number,
            hint=f"declared speakers: {', '.join(sorted(speaker_ids))}; add it under 'speakers:' in the header",
        )
    result: list[_Tagged] = []
    for ln in block:
        tag = _known_tag(ln, speaker_ids)
        if tag:
            result.append(_Tagged(ln.number, tag.group(1), bool(tag.group(2)), [tag.group(3)]))
        else:
            result[-1].parts.append(ln.text)
    return result


def _known_tag(ln: _Line, speaker_ids: set[str]) -> re.Match[str] | None:
    match = _TAG_RE.match(ln.text)
    return match if match and match.group(1) in speaker_ids else None


def _is_note(ln: _Line) -> bool:
    return ln.text.startswith(">")


def _unquote(line: str) -> str:
    return line[1:].removeprefix(" ") if line.startswith(">") else line


def _join(parts) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


# --------------------------------------------------------------------- writing


def format_source(transcript: Transcript) -> str:
    """Write a transcript in the source format; ``parse_source`` reads it back unchanged.

    Each paragraph is written on one line. Raises ``ValueError`` for values the
    format cannot hold (line breaks, a '|' in a speaker name, a bad speaker id).
    """
    meta = transcript.meta
    out = [HEADER_FENCE]
    fixed = (("title", meta.title), ("publisher", meta.publisher), ("url", meta.url),
             ("date", meta.date), ("language", meta.language))
    for key, _ in meta.extra:
        if key in FIXED_KEYS or key == SPEAKERS_KEY or not _EXTRA_KEY_RE.match(key):
            raise ValueError(f"cannot write header key {key!r}")
    for key, value in (*fixed, *meta.extra):
        out.append(f"{key}: {_one_line(value)}".rstrip())
    out.append(f"{SPEAKERS_KEY}:")
    for s in transcript.speakers:
        if not _SPEAKER_ID_RE.match(s.id) or "|" in s.name or not s.name.strip():
            raise ValueError(f"cannot write speaker {s!r}")
        role = f" | {_one_line(s.role)}" if s.role else ""
        out.append(f"  {s.id}: {_one_line(s.name)}{role}")
    out.append(HEADER_FENCE)
    for p in transcript.paragraphs:
        out.append("")
        if p.kind == "note":
            out.append(f"> {NOTE_PREFIX} {_one_line(p.text)}")
        else:
            out.append(f"{p.speaker}{'?' if p.needs_review else ''}: {_one_line(p.text)}")
    return "\n".join(out) + "\n"


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value or value != value.strip():
        raise ValueError(f"cannot write a value with line breaks or outer spaces: {value[:40]!r}")
    return value
