"""A subtitle file the user brought -> a ``CueGrid`` that keeps everything.

Where ``subtitles.read_subtitle_file`` gives the plain cues a linter needs, this
reader keeps what a faithful translation must write back: cue identifiers, the
exact times (zero-length cues too), WebVTT cue settings, the header and its
NOTE/STYLE/REGION blocks in their places, and every tag as markup beside the
display text (``Mark``: the tag verbatim and where in the text it stood).

Markup, by format:
- SRT: anything shaped like a tag (``<i>``, ``<font color="red">``, ``<sub>``)
  and ASS override blocks (``{\\an8}``); other text stays text.
- WebVTT: every ``<...>`` (the format has no other use for ``<``), and a ruby
  annotation ``<rt>...</rt>`` whole; entities in the text are decoded.
- ASS/SSA (through pysubs2): override blocks ``{...}``; ``\\N``/``\\n`` are line
  breaks, ``\\h`` a space. Comment events are not cues; they stay in the script.

Each cue is cut into parts that are translated on their own (``CuePart``): a
line after the first that starts with a dialogue dash or a voice span starts a
new part; a leading dash is kept as the part's ``lead``.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from ..errors import InputError
from ..fsio import read_text_file
from ..model import CueGrid, CuePart, Mark, SourceCue
from .subtitles import _ARROW, _VTT_HEADER, _Block, _blocks, _cue_blocks, _is_vtt_metadata, _parse_times

SUBTITLE_SUFFIXES = (".srt", ".vtt", ".webvtt", ".ass", ".ssa")

_SRT_MARKUP = re.compile(r"<[A-Za-z/][^<>\n]*>|\{\\[^}\n]*\}")
# a ruby annotation (<rt>kan</rt>) is markup as a whole: how to read the text, not text to translate
_VTT_MARKUP = re.compile(r"<rt(?:\.[^>\n]*)?>[^<\n]*</rt>|<[^>\n]*>?")
_DASH = re.compile(r"[-‐–—―]\s*(?=[^\s\d])")
_VOICE = re.compile(r"^<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>$")
_ASS_MARKUP = re.compile(r"\{[^}]*\}|\\[Nnh]")


def subtitle_kind(path: str | os.PathLike[str]) -> str | None:
    """``srt``, ``vtt`` or ``ass`` for a subtitle file name (any case), else None."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUBTITLE_SUFFIXES:
        return None
    return {".webvtt": "vtt", ".ssa": "ass"}.get(suffix, suffix[1:])


def read_cue_grid(path: str | os.PathLike[str], *, encoding: str | None = None) -> CueGrid:
    """Read an SRT, WebVTT or ASS/SSA file as it is (leniently, like a player);
    ``encoding`` if given, else the one detected."""
    kind = subtitle_kind(path) or "srt"
    text = read_text_file(path, "subtitle file", encoding)
    if kind == "ass":
        return parse_ass_grid(text, str(path))
    if kind == "srt" and text.lstrip("\ufeff").startswith("WEBVTT"):
        kind = "vtt"
    return parse_vtt_grid(text, str(path)) if kind == "vtt" else parse_srt_grid(text, str(path))


# --- markup -----------------------------------------------------------------------


def split_markup(payload: str, pattern: re.Pattern[str], *, entities: bool = False) -> tuple[str, tuple[Mark, ...]]:
    """Display text and the marks of ``payload`` (tags removed, kept at their offsets)."""
    text: list[str] = []
    marks: list[Mark] = []
    length = 0
    position = 0
    for match in pattern.finditer(payload):
        run = payload[position : match.start()]
        run = html.unescape(run) if entities else run
        text.append(run)
        length += len(run)
        marks.append(Mark(length, match.group(0)))
        position = match.end()
    run = payload[position:]
    text.append(html.unescape(run) if entities else run)
    return "".join(text), tuple(marks)


def cue_parts(text: str, marks: tuple[Mark, ...]) -> tuple[CuePart, ...]:
    """The parts of a cue: one, or one per dialogue line / voice."""
    lines: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        lines.append((start, start + len(line)))
        start += len(line) + 1
    voices = {m.at: _voice_name(m.tag) for m in marks if _voice_name(m.tag) is not None}
    parts: list[CuePart] = []
    voice = ""
    for begin, end in lines:
        line = text[begin:end]
        stripped = len(line) - len(line.lstrip())
        voice_here = voices.get(begin + stripped, voices.get(begin))
        if voice_here is not None:
            voice = voice_here
        dash = _DASH.match(line, stripped)
        if parts and not dash and voice_here is None:
            parts[-1] = CuePart(parts[-1].start, end, parts[-1].lead, parts[-1].speaker)
            continue
        lead = text[begin : begin + dash.end()] if dash else ""
        parts.append(CuePart(begin + len(lead), end, lead, voice))
    return tuple(parts)


def _voice_name(tag: str) -> str | None:
    match = _VOICE.match(tag)
    if not match:
        return None
    return " ".join((match.group(1) or "").split())


def _cue(start: int, end: int, payload: str, pattern: re.Pattern[str], *, entities: bool, **extra: object) -> SourceCue:
    text, marks = split_markup(payload, pattern, entities=entities)
    return SourceCue(start, end, text, marks, raw=payload, parts=cue_parts(text, marks), **extra)  # type: ignore[arg-type]


# --- SRT ----------------------------------------------------------------------------

_SRT_EXAMPLE = "00:01:02,300 --> 00:01:04,000"


def parse_srt_grid(text: str, path: str = "") -> CueGrid:
    cues: list[SourceCue] = []
    for block, at in _cue_blocks(_blocks(text), path, False):
        start, end, settings = _parse_times(block.lines[at], block.line + at, path, None, _SRT_EXAMPLE)
        ident = block.lines[at - 1].strip() if at >= 1 else ""
        payload = "\n".join(block.lines[at + 1 :])
        cues.append(_cue(start, end, payload, _SRT_MARKUP, entities=False, ident=ident, settings=settings))
    return CueGrid("srt", tuple(cues))


# --- WebVTT ---------------------------------------------------------------------------

_VTT_EXAMPLE = "00:01:02.300 --> 00:01:04.000"


def parse_vtt_grid(text: str, path: str = "") -> CueGrid:
    blocks = _blocks(text)
    header = "WEBVTT"
    if blocks and _VTT_HEADER.match(blocks[0].lines[0]) and _ARROW not in blocks[0].lines[0]:
        first = blocks.pop(0)
        at = next((i for i, line in enumerate(first.lines) if _ARROW in line), None)
        if at is None:
            header = "\n".join(first.lines)
        else:  # no blank line after the header: the cue starts on the next line
            header = first.lines[0]
            blocks.insert(0, _Block(first.line + 1, first.lines[1:]))
    cues: list[SourceCue] = []
    pending: list[str] = []
    for block in blocks:
        if _is_vtt_metadata(block):
            pending.append("\n".join(block.lines))
            continue
        for cue_block, at in _cue_blocks([block], path, False):
            start, end, settings = _parse_times(cue_block.lines[at], cue_block.line + at, path, None, _VTT_EXAMPLE)
            ident = cue_block.lines[at - 1].strip() if at >= 1 else ""
            payload = "\n".join(cue_block.lines[at + 1 :])
            cues.append(
                _cue(
                    start, end, payload, _VTT_MARKUP, entities=True,
                    ident=ident, settings=settings.strip(), before=tuple(pending),
                )
            )
            pending = []
    return CueGrid("vtt", tuple(cues), header=header, after=tuple(pending))


# --- ASS / SSA --------------------------------------------------------------------------


def parse_ass_grid(text: str, path: str = "") -> CueGrid:
    """Dialogue events of an ASS/SSA script as cues; the script itself is the header."""
    import warnings

    import pysubs2

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pysubs2 warns of every field it defaults
            subs = pysubs2.SSAFile.from_string(text, format_="ass" if "[V4+ Styles]" in text else None)
    except Exception as exc:  # pysubs2 raises many kinds for broken scripts
        raise InputError(f"not a readable ASS/SSA script: {str(exc)[:100]}", path=path, hint="open it in a subtitle editor and save it again") from None
    cues: list[SourceCue] = []
    for index, event in enumerate(subs.events):
        if event.is_comment:
            continue
        cues.append(_ass_cue(event.start, event.end, event.text, str(index)))
    return CueGrid("ass", tuple(cues), header=text)


def _ass_cue(start: int, end: int, payload: str, ident: str) -> SourceCue:
    out: list[str] = []
    marks: list[Mark] = []
    length = 0
    position = 0
    for match in _ASS_MARKUP.finditer(payload):
        run = payload[position : match.start()]
        out.append(run)
        length += len(run)
        token = match.group(0)
        if token in ("\\N", "\\n"):
            out.append("\n")
            length += 1
        elif token == "\\h":
            out.append("\u00a0")
            length += 1
        else:
            marks.append(Mark(length, token))
        position = match.end()
    out.append(payload[position:])
    text = "".join(out)
    return SourceCue(start, end, text, tuple(marks), ident=ident, raw=payload, parts=cue_parts(text, tuple(marks)))
