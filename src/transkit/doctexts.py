"""The texts a reader sees besides the spoken sentences: title, subtitle, speaker
roles and editor's notes.

They are translated in the same call as the segments (same engine, memory and
glossary; QA checks them too) and kept in ``LanguageResult.texts`` under a key:

==============  =====================================================
key             text
==============  =====================================================
``title``       the header's ``title``
``subtitle``    the header's ``subtitle``
``role:ID``     speaker ID's role, without the "(interviewer)" mark
``note:P.N``    sentence N (from 0) of the note that is paragraph P
==============  =====================================================

A note is translated sentence by sentence, like speech (the engines are trained
on sentences and shorten long paragraphs). A title that is only the source's
file name (plain text and subtitle sources have no header) is not translated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from .model import LanguageResult, TextTranslation, Transcript


def role_label(role: str) -> str:
    """A speaker's role as documents show it: the "(interviewer)" mark is the document's business."""
    return role.replace("(interviewer)", "").strip().rstrip(",").strip()


def document_texts(transcript: Transcript) -> tuple[tuple[str, str], ...]:
    """(key, text) of every document text to translate, in reading order."""
    from .segment import split_sentences

    meta = transcript.meta
    found: list[tuple[str, str]] = []
    title = meta.title.strip()
    name = Path(transcript.source_path).name
    if title and title not in (Path(name).stem, name.split(".")[0]):  # interview.en.srt -> "interview"
        found.append(("title", title))
    subtitle = dict(meta.extra).get("subtitle", "").strip()
    if subtitle:
        found.append(("subtitle", subtitle))
    for speaker in transcript.speakers:
        role = role_label(speaker.role)
        if role:
            found.append((f"role:{speaker.id}", role))
    for paragraph in transcript.paragraphs:
        if paragraph.kind != "note":
            continue
        for number, (start, end) in enumerate(split_sentences(paragraph.text)):
            found.append((f"note:{paragraph.index}.{number}", paragraph.text[start:end]))
    return tuple(found)


def texts_by_key(result: LanguageResult | None) -> Mapping[str, TextTranslation]:
    return {text.key: text for text in result.texts} if result is not None else {}


def note_sentences(
    paragraph_index: int, texts: Mapping[str, TextTranslation]
) -> list[TextTranslation]:
    """The translated sentences of one note, in order ([] if the note was not translated)."""
    prefix = f"note:{paragraph_index}."
    found = [(int(key[len(prefix):]), text) for key, text in texts.items() if key.startswith(prefix)]
    return [text for _number, text in sorted(found)]
