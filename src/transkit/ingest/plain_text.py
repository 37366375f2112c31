"""Plain text as a transcript: paragraphs separated by blank lines.

Every word of the text is kept. A paragraph's opening ``Name:`` is taken for a
speaker tag (and removed) only when the file uses tags consistently:

- a tag is one to four name-like words, each starting with a capital letter
  (``Q``, ``KM``, ``Anna``, ``Jens Stoltenberg``, ``Dr. Ruth``),
  followed by a colon and text;
- at least two distinct tags each open two or more paragraphs, and
- the paragraphs they open are at least half of all paragraphs.

Then those recurring tags mark speaker turns; paragraphs without one keep the
previous speaker. Anything else that looks like a tag ("Londonderry:", "Watch:",
"Kanye West:" opening one line of a news digest, "A source said:") stays part of
the text, and a text without consistent tags has one speaker, ``S``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..model import Metadata, Paragraph, Speaker, Transcript

_NAME_WORD = r"[A-Z][\w'.-]{0,20}"
_TAG = re.compile(rf"^({_NAME_WORD}(?: {_NAME_WORD}){{0,3}}):\s+(?=\S)")
MIN_SPEAKERS = 2  # distinct tags, each opening ...
MIN_TURNS = 2  # ... at least this many paragraphs
MIN_SHARE = 1 / 2  # of all paragraphs opened by such tags


def transcript_from_plain_text(text: str, path: str = "") -> Transcript:
    blocks = _paragraphs(text)
    if not blocks:
        raise InputError("no text found", path=path, hint="give a text file with paragraphs")
    tags = speaker_tags([body for _, body in blocks])
    paragraphs: list[Paragraph] = []
    speakers: dict[str, Speaker] = {}
    current = "S"
    for start_line, body in blocks:
        match = _TAG.match(body)
        if match and match.group(1) in tags:
            current = _speaker_id(match.group(1), speakers)
            body = body[match.end():]
        elif current not in speakers:
            speakers[current] = Speaker(current, "Speaker")
        paragraphs.append(Paragraph(len(paragraphs), "speech", body, current, start_line))
    title = Path(path).stem if path else "untitled"
    return Transcript(Metadata(title=title), tuple(speakers.values()), tuple(paragraphs), path)


def speaker_tags(paragraphs: list[str]) -> frozenset[str]:
    """The names that mark speaker turns in these paragraphs (empty: the text has none)."""
    counts = Counter(m.group(1) for m in map(_TAG.match, paragraphs) if m)
    recurring = {name: n for name, n in counts.items() if n >= MIN_TURNS}
    if len(recurring) < MIN_SPEAKERS or sum(recurring.values()) < MIN_SHARE * len(paragraphs):
        return frozenset()
    return frozenset(recurring)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text with its line breaks as spaces) per paragraph."""
    found: list[tuple[int, str]] = []
    line = 1
    for block in re.split(r"\n[ \t]*\n", text):
        start_line = line
        line += block.count("\n") + 2
        body = " ".join(part.strip() for part in block.strip().splitlines())
        if body:
            found.append((start_line, body))
    return found


def _speaker_id(name: str, speakers: dict[str, Speaker]) -> str:
    for speaker in speakers.values():
        if speaker.name == name:
            return speaker.id
    initials = "".join(word[0] for word in name.split() if word[:1].isalpha()).upper() or "S"
    candidate, n = initials, 2
    while candidate in speakers:
        candidate, n = f"{initials}{n}", n + 1
    speakers[candidate] = Speaker(candidate, name)
    return candidate
