"""Writing a kept cue grid: the user's subtitle file, in another language.

Every cue of the input is written, in order, with its identifier, its times to
the millisecond and (WebVTT) its cue settings; the header and NOTE/STYLE/REGION
blocks stay where they were. A cue no translation reached (zero length, no
text) and every cue of the source language are written exactly as the file had
them. A translated cue gets the input's markup back (``compose``):

- a tag before a part's text (``<i>``, ``<v Ben>``, ``{\\an8}``) opens the
  translated part, before or after its dialogue dash as in the input; a closing
  tag after it closes it;
- a tag inside the text that stands where a sentence of the cue starts (or, for
  a closing tag, ends) goes to where that sentence's translation starts (ends);
  one at a clause boundary (after ``,`` ``;`` ``:``) goes to the same clause
  boundary of the translation when both have as many clauses;
- any other opening or closing tag goes to the start or end of the part (the
  whole part is wrapped); an override without a partner (an ASS ``{\\k20}``,
  a WebVTT timestamp) goes to the word at the same share of the text.

Between SRT and WebVTT only ``<i> <b> <u>`` carry over (and SRT's ``{\\an8}``
becomes ``line:0``); other output formats get the plain cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..distribute import CueOut
from ..model import CueGrid, SourceCue
from ..timing import format_vtt

_COMMON_TAG = re.compile(r"^</?[ibu]>$", re.IGNORECASE)
_TOP = re.compile(r"^\{\\an[789]\}$")


@dataclass(frozen=True)
class KeptCues:
    """What a kept-grid writer needs for one language."""

    grid: CueGrid
    cues: tuple[CueOut, ...]
    language: str


@dataclass(frozen=True)
class _Placed:
    base: int  # before the dash
    start: int  # where the text starts
    end: int
    fragments: tuple[tuple[int, int], ...]
    sources: tuple[tuple[int, int], ...]


def _kind(tag: str, fmt: str) -> str:
    if fmt == "ass" or not tag.startswith("<"):
        return "free"
    if tag.startswith("</") or tag.startswith("<rt"):
        return "close"  # a ruby annotation follows the text it annotates
    if tag[1:2].isdigit():
        return "time"
    return "open" if tag[1:2].isalpha() else "free"


def compose(cue: SourceCue, out: CueOut, fmt: str) -> tuple[str, list[tuple[int, str]]]:
    """The translated cue's display text and where each of the input's tags goes in it."""
    assert out.parts is not None
    text = ""
    placed: list[_Placed] = []
    for number, part in enumerate(out.parts):
        if number:
            text += "\n"
        base = len(text)
        text += part.lead
        start = len(text)
        text += "\n".join(part.lines)
        frags = tuple((start + a, start + b) for a, b in part.fragments)
        placed.append(_Placed(base, start, len(text), frags, part.sources))
    inserts = []
    for order, mark in enumerate(cue.marks):
        position = _anchor(cue, placed, mark.at, _kind(mark.tag, fmt), text)
        inserts.append((position, order, mark.tag))
    inserts.sort()
    return text, [(position, tag) for position, _, tag in inserts]


def _blank(text: str) -> bool:
    return not text.strip()


def _anchor(cue: SourceCue, placed: list[_Placed], at: int, kind: str, text: str) -> int:
    parts = cue.parts
    if kind == "close":
        after = [j for j, part in enumerate(parts) if at > part.start]
        if not after:
            return placed[0].base
        j = after[-1]
        part, where = parts[j], placed[j]
        if at >= part.end or _blank(cue.text[at : part.end]):
            return where.end
        for (_, end), (_, out_end) in zip(where.sources, where.fragments):
            if end <= at and _blank(cue.text[end:at]):
                return out_end
        clause = _at_clause(cue.text, where, at, text, closing=True)
        return where.end if clause is None else clause
    before = [j for j, part in enumerate(parts) if at < part.end]
    if not before:
        return placed[-1].end
    j = before[0]
    part, where = parts[j], placed[j]
    if at <= part.start or _blank(cue.text[part.start : at]):
        lead_start = part.start - len(part.lead)
        return where.base if part.lead and at <= lead_start else where.start
    for (start, _), (out_start, _) in zip(where.sources, where.fragments):
        if start >= at and _blank(cue.text[at:start]):
            return out_start
    clause = _at_clause(cue.text, where, at, text, closing=False)
    if clause is not None:
        return clause
    if kind == "open":
        return where.start
    share = (at - part.start) / max(1, part.end - part.start)
    end = where.end
    if kind == "time":
        # WebVTT timestamps stay on one line, as in the input: some readers
        # (pysubs2) take any line holding exactly two times for a timing line
        first_break = text.find("\n", where.start, where.end)
        end = where.end if first_break < 0 else first_break
    target = where.start + round(share * (end - where.start))
    starts = [where.start] + [i + 1 for i in range(where.start, end) if text[i] == " "]
    return min(starts, key=lambda s: (abs(s - target), s))


_CLAUSE_MARKS = ",;:"


def _clause_ends(text: str, start: int, end: int) -> list[int]:
    """Offsets just after each clause mark (``,`` ``;`` ``:`` before a space) in ``text[start:end]``."""
    return [i + 1 for i in range(start, end - 1) if text[i] in _CLAUSE_MARKS and text[i + 1].isspace()]


def _at_clause(source: str, where: _Placed, at: int, text: str, *, closing: bool) -> int | None:
    """Where a tag at a clause boundary inside a sentence goes: to the same clause
    boundary of the translation, when both have the same number of clauses."""
    for (start, end), (out_start, out_end) in zip(where.sources, where.fragments):
        if not start < at < end:
            continue
        ends = _clause_ends(source, start, end)
        out_ends = _clause_ends(text, out_start, out_end)
        if len(ends) != len(out_ends):
            return None
        for k, boundary in enumerate(ends):
            if closing and _blank(source[boundary:at]) and boundary <= at:
                return out_ends[k]
            if not closing and boundary <= at and _blank(source[boundary:at]):
                position = out_ends[k]
                while position < out_end and text[position] in " \n":
                    position += 1
                return position
        return None
    return None


def _payload(cue: SourceCue, out: CueOut, fmt: str, target: str) -> str:
    """The cue's text in ``target`` format with its tags put back."""
    text, inserts = compose(cue, out, fmt)
    if fmt != target:
        inserts = [(p, t) for p, t in inserts if _COMMON_TAG.match(t)]
    escape = _ESCAPES[target]
    pieces, position = [], 0
    for at, tag in inserts:
        pieces.append(escape(text[position:at]))
        pieces.append(tag)
        position = at
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def _srt_text(text: str) -> str:
    from .escape import defuse_markup

    return defuse_markup(text)


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ass_text(text: str) -> str:
    from .escape import escape_text

    return escape_text(text).replace("\n", "\\N")


_ESCAPES = {"srt": _srt_text, "vtt": _vtt_text, "ass": _ass_text}


def _source_payload(cue: SourceCue, fmt: str, target: str) -> str:
    """An untranslated cue: verbatim in its own format, its plain text (and common tags) in another."""
    if fmt == target:
        return cue.raw
    escape = _ESCAPES[target]
    pieces, position = [], 0
    for mark in cue.marks:
        pieces.append(escape(cue.text[position : mark.at]))
        if _COMMON_TAG.match(mark.tag):
            pieces.append(mark.tag)
        position = mark.at
    pieces.append(escape(cue.text[position:]))
    return "".join(pieces)


def _srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def render_kept(kept: KeptCues, target: str) -> bytes | None:
    """The file in ``target`` format (srt, vtt, ass), or None when this grid
    cannot be written in it faithfully (the plain exporter takes over)."""
    fmt = kept.grid.format
    if target == "ass":
        return _render_ass(kept) if fmt == "ass" else None
    if fmt == "ass":
        return None
    payloads = [
        _source_payload(cue, fmt, target) if out.parts is None else _payload(cue, out, fmt, target)
        for cue, out in zip(kept.grid.cues, kept.cues)
    ]
    if target == "srt":
        return _render_srt(kept.grid, payloads)
    return _render_vtt(kept.grid, payloads)


def _render_srt(grid: CueGrid, payloads: list[str]) -> bytes:
    blocks = []
    for number, (cue, payload) in enumerate(zip(grid.cues, payloads), start=1):
        ident = cue.ident if grid.format == "srt" and cue.ident.isdigit() else str(number)
        extra = f" {cue.settings.strip()}" if grid.format == "srt" and cue.settings.strip() else ""
        timing = f"{_srt_time(cue.start_ms)} --> {_srt_time(cue.end_ms)}{extra}"
        if grid.format == "vtt" and "line:0" in cue.settings.split():
            payload = "{\\an8}" + payload
        blocks.append(f"{ident}\n{timing}\n{payload}".rstrip("\n"))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _render_vtt(grid: CueGrid, payloads: list[str]) -> bytes:
    blocks = [grid.header if grid.format == "vtt" else "WEBVTT"]
    for cue, payload in zip(grid.cues, payloads):
        blocks.extend(cue.before)
        settings = cue.settings.strip()
        if grid.format == "srt":
            top = any(_TOP.match(mark.tag) for mark in cue.marks)
            settings = "line:0" if top else ""
        timing = f"{format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}"
        if settings:
            timing += " " + settings
        ident = f"{cue.ident}\n" if cue.ident else ""
        blocks.append(f"{ident}{timing}\n{payload}".rstrip("\n"))
    blocks.extend(grid.after)
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _render_ass(kept: KeptCues) -> bytes:
    """The input script with only the text of translated events replaced, line by
    line, so styles, comments and everything else stay byte for byte."""
    grid = kept.grid
    texts = {
        int(cue.ident): _payload(cue, out, "ass", "ass")
        for cue, out in zip(grid.cues, kept.cues)
        if out.parts is not None
    }
    lines = grid.header.split("\n")
    section, fields, event = "", 10, -1
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped.lower()
            continue
        if section != "[events]":
            continue
        key, _, rest = line.partition(":")
        if key.strip().lower() == "format":
            fields = len(rest.split(","))
        elif key.strip() in ("Dialogue", "Comment"):
            event += 1
            if event in texts:
                values = rest.split(",", fields - 1)
                if len(values) == fields:
                    lines[number] = f"{key}:{','.join(values[:-1])},{texts[event]}"
    if event + 1 != _event_count(grid.header):
        return _render_ass_again(grid, texts)  # the lines did not match pysubs2's events one to one
    return "\n".join(lines).encode("utf-8")


def _load_ass(text: str):
    import warnings

    import pysubs2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pysubs2 warns of every field it defaults
        return pysubs2.SSAFile.from_string(text, format_="ass" if "[V4+ Styles]" in text else None)


def _event_count(text: str) -> int:
    return len(_load_ass(text).events)


def _render_ass_again(grid: CueGrid, texts: dict[int, str]) -> bytes:
    subs = _load_ass(grid.header)
    for index, text in texts.items():
        subs.events[index].text = text
    return subs.to_string("ass").encode("utf-8")
