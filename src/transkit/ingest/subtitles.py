"""SRT and WebVTT files -> plain cues (for ``transkit check`` and as input).

Lenient by default, like a player: cue numbers may be missing or out of step,
SRT times may use ``.`` before the milliseconds, VTT times ``,``, blank lines
may pile up, a VTT file may lack its ``WEBVTT`` line, and stray text between
cues is skipped. ``strict=True`` refuses each of those with an ``InputError``
naming the file and line. A timing line whose times cannot be read is refused
in both modes: a cue without usable times cannot be checked or shown.

Markup is removed so the cue text is what a viewer reads: SRT ``<i> <b> <u>
<font>`` tags and ``{\\an8}``-style overrides; every VTT tag, with entities
decoded. A VTT voice span (``<v Name>``) gives the speaker of its lines.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..fsio import read_text_file
from ..model import Cue
from ..timing import parse_timestamp
from .blocks import split_blocks

_ARROW = "-->"
_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(?:\s+(.*))?$")
_STRICT_SRT_TIME = re.compile(r"^\d{2}:[0-5]\d:[0-5]\d,\d{3}$")
_STRICT_VTT_TIME = re.compile(r"^(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}$")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)
_VTT_TAG = re.compile(r"<[^>]*>")
_VTT_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")
_VTT_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_VTT_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class _Block:
    line: int  # 1-based line of the block's first line
    lines: tuple[str, ...]


def read_subtitle_file(
    path: str | os.PathLike[str], *, strict: bool = False, encoding: str | None = None
) -> tuple[Cue, ...]:
    """Read an ``.srt`` or ``.vtt`` file (by extension; by content for others), in
    ``encoding`` if given, else the one detected (``fsio.decode_bytes``)."""
    text = read_text_file(path, "subtitle file", encoding)
    if _is_vtt(Path(path), text):
        return parse_vtt(text, str(path), strict=strict)
    return parse_srt(text, str(path), strict=strict)


def _is_vtt(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".vtt", ".webvtt"):
        return True
    if suffix == ".srt":
        return False
    return text.lstrip("\ufeff").startswith("WEBVTT")


def _blocks(text: str, first_line: int = 1) -> list[_Block]:
    """Runs of non-blank lines, with the line number each starts at."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    numbered = enumerate(text.split("\n"), start=first_line)
    runs = split_blocks(numbered, lambda item: item[1].strip())
    return [_Block(run[0][0], tuple(line.rstrip() for _, line in run)) for run in runs]


def _cue_blocks(blocks: list[_Block], path: str, strict: bool) -> list[tuple[_Block, int]]:
    """Each cue as (its lines, the index of its timing line). A block holding
    several timing lines (blank lines missing between cues) is split before each
    one (and before its number); a block with none is stray text."""
    cues: list[tuple[_Block, int]] = []
    for block in blocks:
        arrows = [i for i, line in enumerate(block.lines) if _ARROW in line]
        if not arrows:
            _stray(block, path, strict)
            continue
        if strict and len(arrows) > 1:
            raise InputError("missing blank line between cues", path=path, line=block.line + arrows[1])
        starts = [0]
        for previous, arrow in zip(arrows, arrows[1:]):
            numbered = arrow - 1 > previous and block.lines[arrow - 1].strip().isdigit()
            starts.append(arrow - 1 if numbered else arrow)
        for k, (begin, arrow) in enumerate(zip(starts, arrows)):
            end = starts[k + 1] if k + 1 < len(starts) else len(block.lines)
            cues.append((_Block(block.line + begin, block.lines[begin:end]), arrow - begin))
    return cues


def _stray(block: _Block, path: str, strict: bool) -> None:
    if strict:
        raise InputError(f"text outside any cue: {block.lines[0][:40]!r}", path=path, line=block.line, hint="remove it or add the cue's times")


def _parse_times(line: str, line_no: int, path: str, strict_time: re.Pattern[str] | None, example: str) -> tuple[int, int, str]:
    match = _TIMING.match(line)
    problem = None
    if not match:
        problem = "cannot read the cue times"
    elif strict_time is not None and not (strict_time.match(match.group(1)) and strict_time.match(match.group(2))):
        problem = "cue times are not in the standard form"
    if problem is None:
        try:
            start, end = parse_timestamp(match.group(1)), parse_timestamp(match.group(2))
        except InputError:
            problem = "cannot read the cue times"
    if problem is not None:
        raise InputError(f"{problem}: {line.strip()!r}", path=path, line=line_no, hint=f"expected {example}")
    return start, end, (match.group(3) or "")


# --- SRT ------------------------------------------------------------------------

_SRT_EXAMPLE = "00:01:02,300 --> 00:01:04,000"


def parse_srt(text: str, path: str = "", *, strict: bool = False) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for block, at in _cue_blocks(_blocks(text), path, strict):
        if strict:
            _check_srt_number(block, at, len(cues) + 1, path)
        start, end, _ = _parse_times(block.lines[at], block.line + at, path, _STRICT_SRT_TIME if strict else None, _SRT_EXAMPLE)
        lines = tuple(_clean_srt(line) for line in block.lines[at + 1:])
        cues.append(Cue(start, end, tuple(line for line in lines if line)))
    if strict:
        _confirm_with_srt_library(text, path)
    return tuple(cues)


def _check_srt_number(block: _Block, at: int, expected: int, path: str) -> None:
    if at == 0:
        raise InputError("cue number missing before the times", path=path, line=block.line, hint=f"number the cues from 1; this is cue {expected}")
    if at > 1:
        raise InputError("unexpected text before the cue number", path=path, line=block.line, hint="separate cues with one blank line")
    number = block.lines[0].strip()
    if not number.isdigit():
        raise InputError(f"not a cue number: {number!r}", path=path, line=block.line)
    if int(number) != expected:
        raise InputError(f"cue number {number} out of sequence", path=path, line=block.line, hint=f"expected {expected}")


def _clean_srt(line: str) -> str:
    return _SRT_TAG.sub("", line).strip()


def _confirm_with_srt_library(text: str, path: str) -> None:
    """The ``srt`` library (which writes transkit's SRT) must read the file as well."""
    import srt

    try:
        for _ in srt.parse(text.lstrip("\ufeff")):
            pass
    except (srt.SRTParseError, srt.TimestampParseError) as exc:
        offset = getattr(exc, "expected_start", 0)
        line = text.count("\n", 0, offset) + 1
        raise InputError("not valid SRT", path=path, line=line, hint=str(exc)[:120]) from None
    except OverflowError:
        raise InputError("cue times too large to read", path=path, hint="check the hours of the timestamps") from None


# --- WebVTT ---------------------------------------------------------------------

_VTT_EXAMPLE = "00:01:02.300 --> 00:01:04.000"


def parse_vtt(text: str, path: str = "", *, strict: bool = False) -> tuple[Cue, ...]:
    blocks = [b for b in _drop_vtt_header(_blocks(text), path, strict) if not _is_vtt_metadata(b)]
    cues: list[Cue] = []
    for block, at in _cue_blocks(blocks, path, strict):
        if strict and at > 1:
            raise InputError("unexpected text before the cue times", path=path, line=block.line, hint="separate cues with one blank line")
        start, end, _ = _parse_times(block.lines[at], block.line + at, path, _STRICT_VTT_TIME if strict else None, _VTT_EXAMPLE)
        lines, speakers = _vtt_payload(block.lines[at + 1:])
        cues.append(Cue(start, end, lines, speakers if any(speakers) else ()))
    return tuple(cues)


def _is_vtt_metadata(block: _Block) -> bool:
    """NOTE, STYLE and REGION blocks carry no cue."""
    first = block.lines[0]
    return first.split(maxsplit=1)[0] in _VTT_SKIPPED_BLOCKS and _ARROW not in first


def _drop_vtt_header(blocks: list[_Block], path: str, strict: bool) -> list[_Block]:
    if blocks and _VTT_HEADER.match(blocks[0].lines[0]):
        first = blocks[0]
        at = next((i for i, line in enumerate(first.lines) if _ARROW in line), None)
        if at is None:
            return blocks[1:]
        if strict:
            raise InputError("a blank line must follow the WEBVTT header", path=path, line=first.line + at)
        return [_Block(first.line + at, first.lines[at:]), *blocks[1:]]
    if strict:
        raise InputError("missing WEBVTT header", path=path, line=1, hint="a WebVTT file starts with the line WEBVTT")
    return blocks


def _vtt_payload(raw: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Plain lines and the speaker of each (from voice spans; '' when none)."""
    lines: list[str] = []
    speakers: list[str] = []
    voice = ""
    for line in raw:
        voices = _VTT_VOICE.findall(line)
        speaker = voices[0].strip() if voices and _VTT_VOICE.match(line.lstrip()) else voice
        if voices:
            voice = voices[-1].strip()
        if "</v>" in line:
            voice = ""
        plain = html.unescape(_VTT_TAG.sub("", line)).strip()
        if plain:
            lines.append(plain)
            speakers.append(speaker)
    return tuple(lines), tuple(speakers)
