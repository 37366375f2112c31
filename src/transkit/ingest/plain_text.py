"""Plain text as a transcript: paragraphs separated by blank lines.

A paragraph that starts with ``Name:`` is given to that speaker (the tag is
removed); other paragraphs keep the previous paragraph's speaker, and a text with
no tags at all has one speaker, ``S``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Metadata, Paragraph, Speaker, Transcript

_TAG = re.compile(r"^([A-Z][\w .'-]{0,40}):\s+(?=\S)")


def transcript_from_plain_text(text: str, path: str = "") -> Transcript:
    paragraphs: list[Paragraph] = []
    speakers: dict[str, Speaker] = {}
    current = "S"
    line = 1
    for block in re.split(r"\n[ \t]*\n", text):
        start_line = line
        line += block.count("\n") + 2
        body = " ".join(part.strip() for part in block.strip().splitlines())
        if not body:
            continue
        match = _TAG.match(body)
        if match:
            name = match.group(1).strip()
            current = _speaker_id(name, speakers)
            body = body[match.end():]
        elif current not in speakers:
            speakers[current] = Speaker(current, "Speaker")
        paragraphs.append(Paragraph(len(paragraphs), "speech", body, current, start_line))
    if not paragraphs:
        raise InputError("no text found", path=path, hint="give a text file with paragraphs")
    title = Path(path).stem if path else "untitled"
    return Transcript(Metadata(title=title), tuple(speakers.values()), tuple(paragraphs), path)


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
