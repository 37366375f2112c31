"""A small hand-built project for the exporter tests and golden files.

Two speakers, four segments, English source and Russian target tracks with a
dialogue-dash cue, Cyrillic, typographic quotes, ``&``, braces and a literal
``<script>`` in the text. The two tracks split the last sentence at different
times, so the bilingual pairing has real work to do.
"""

from __future__ import annotations

from transkit.export import ExportJob
from transkit.model import (
    Cue,
    LanguageResult,
    Metadata,
    Paragraph,
    Project,
    Segment,
    Speaker,
    Track,
    Transcript,
    Translation,
)

SCRIPT_TEXT = "<script>alert(1)</script>"

SEGMENTS = (
    Segment(1, 0, "KM", "Has NATO ever wanted to conquer or divide Russia?", 500, 2000, 0, 49),
    Segment(2, 0, "KM", "Really?", 2100, 2700, 50, 57),
    Segment(3, 1, "JS", "No.", 2700, 3900, 0, 3),
    Segment(
        4,
        1,
        "JS",
        f"NATO is a defensive alliance, and {SCRIPT_TEXT} & “tags” & {{braces}} are just text.",
        4000,
        9000,
        4,
        90,
    ),
)

TRANSCRIPT = Transcript(
    meta=Metadata(
        title="If President Putin wants less NATO — «интервью» & test",
        language="en",
        publisher="Meduza",
        date="2022-04-07",
    ),
    speakers=(
        Speaker("KM", "Kirill Martynov", "Editor-in-chief, Novaya Gazeta Europe"),
        Speaker("JS", "Jens Stoltenberg", "NATO Secretary General"),
    ),
    paragraphs=(
        Paragraph(0, "speech", SEGMENTS[0].text + " " + SEGMENTS[1].text, "KM", 10),
        Paragraph(1, "speech", SEGMENTS[2].text + " " + SEGMENTS[3].text, "JS", 12),
    ),
    source_path="source/sample.md",
)

RU_TEXTS = (
    "Хотело ли НАТО когда-либо завоевать или расчленить Россию?",
    "Правда?",
    "Нет.",
    f"НАТО — оборонительный союз, а {SCRIPT_TEXT} & «теги» & {{скобки}} — просто текст.",
)

PROJECT = Project(
    transcript=TRANSCRIPT,
    segments=SEGMENTS,
    languages=(
        LanguageResult(
            "ru",
            engine="human",
            model="test-fixture",
            translations=tuple(Translation(s.id, t, origin="human") for s, t in zip(SEGMENTS, RU_TEXTS)),
        ),
    ),
)

EN_TRACK = Track(
    "en",
    (
        Cue(500, 2000, ("Has NATO ever wanted", "to conquer or divide Russia?"), ("KM", "KM"), (1,)),
        Cue(2100, 3900, ("- Really?", "- No."), ("KM", "JS"), (2, 3)),
        Cue(4000, 5600, ("NATO is a defensive alliance,", f"and {SCRIPT_TEXT}"), ("JS", "JS"), (4,)),
        Cue(5700, 9000, ("& “tags” & {braces}", "are just text."), ("JS", "JS"), (4,)),
    ),
)

RU_TRACK = Track(
    "ru",
    (
        Cue(500, 2000, ("Хотело ли НАТО когда-либо", "завоевать или расчленить Россию?"), ("KM", "KM"), (1,)),
        Cue(2100, 3900, ("- Правда?", "- Нет."), ("KM", "JS"), (2, 3)),
        Cue(4000, 6400, ("НАТО — оборонительный союз,", f"а {SCRIPT_TEXT}"), ("JS", "JS"), (4,)),
        Cue(6500, 9000, ("& «теги» & {скобки} —", "просто текст."), ("JS", "JS"), (4,)),
    ),
)

STEM = "sample"
GOLDEN_FORMATS = ("srt", "vtt", "ass", "bi.srt", "bi.ass")


def sample_job(options: tuple[tuple[str, str], ...] = ()) -> ExportJob:
    return ExportJob(PROJECT, "ru", RU_TRACK, source_track=EN_TRACK, options=options)


def english_job() -> ExportJob:
    return ExportJob(PROJECT, "en", EN_TRACK)


def write_formats(job: ExportJob, formats, folder, stem: str = STEM) -> list:
    """Render ``formats`` for ``job`` and write them into ``folder`` the way the
    pipeline does (``output_name``, ``fsio.write_if_changed``); the paths, in order."""
    from pathlib import Path

    from transkit.export import get_exporter, output_name
    from transkit.fsio import write_if_changed

    paths = []
    for fmt in formats:
        path = Path(folder) / output_name(stem, job.language, job.source_language, fmt)
        write_if_changed(path, get_exporter(fmt).render(job))
        paths.append(path)
    return paths
