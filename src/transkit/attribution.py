"""Uncertain attributions: paragraphs tagged ``XX?:`` in the source (the importer
guessed who speaks and a person has not checked it yet).

``run`` warns about each one; documents and subtitles show its speaker as
"Name (?)" (see ``export.parallel`` and ``ExportJob.speaker_name``); with
``--strict`` the run refuses the source instead, before anything is written.
"""

from __future__ import annotations

from .errors import QualityError
from .model import Transcript


def uncertain_attributions(transcript: Transcript, source: str) -> tuple[str, ...]:
    """One warning per uncertain paragraph: "FILE:LINE: ..."."""
    warnings = []
    for paragraph in transcript.paragraphs:
        if paragraph.kind != "speech" or not paragraph.needs_review:
            continue
        speaker = transcript.speaker(paragraph.speaker)
        name = speaker.name if speaker and speaker.name else paragraph.speaker
        where = f"{source}:{paragraph.line}" if paragraph.line else source
        warnings.append(
            f"{where}: the attribution to {paragraph.speaker} is uncertain ({paragraph.speaker}?:); "
            f"outputs show it as '{name} (?)' (check it, then remove the '?')"
        )
    return tuple(warnings)


def refuse_uncertain(transcript: Transcript, source: str) -> None:
    """Raise ``QualityError`` at the first uncertain attribution."""
    for paragraph in transcript.paragraphs:
        if paragraph.kind == "speech" and paragraph.needs_review:
            raise QualityError(
                f"the attribution to {paragraph.speaker} is marked uncertain ({paragraph.speaker}?:)",
                path=source,
                line=paragraph.line or None,
                hint="check who speaks and remove the '?', or run without --strict to publish it marked '(?)'",
            )
