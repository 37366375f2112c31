"""Build small real projects for the bilingual document tests.

The fixture ``fixtures/ru_pdf_fixture.json`` holds the interview's first questions
and answers, segmented by hand, with a Russian translation written for the tests.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from transkit.model import (
    LanguageResult,
    Metadata,
    Paragraph,
    Project,
    Segment,
    Speaker,
    Transcript,
    Translation,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RU_FIXTURE = FIXTURES / "ru_pdf_fixture.json"


def export_job(project: Project, language: str = "ru", options: dict[str, str] | None = None):
    from transkit.export import ExportJob
    from transkit.model import Track

    return ExportJob(
        project=project,
        language=language,
        track=Track(language, ()),
        source_track=None,
        options=tuple(sorted((options or {}).items())),
    )


def fixture_pairs(path: Path = RU_FIXTURE) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(s["en"], s["ru"]) for p in data["paragraphs"] if p["kind"] == "speech" for s in p["segments"]]


def fixture_project(path: Path = RU_FIXTURE, language: str = "ru") -> Project:
    data = json.loads(path.read_text(encoding="utf-8"))
    paragraphs, segments, translations = [], [], []
    clock = 0
    for index, para in enumerate(data["paragraphs"]):
        if para["kind"] == "note":
            paragraphs.append(Paragraph(index, "note", para["text"], line=index + 1))
            continue
        texts = [s["en"] for s in para["segments"]]
        paragraphs.append(Paragraph(index, "speech", " ".join(texts), para["speaker"], line=index + 1))
        offset = 0
        for seg in para["segments"]:
            seg_id = len(segments)
            duration = 400 * len(seg["en"].split()) + 300  # about 150 words a minute
            segments.append(
                Segment(seg_id, index, para["speaker"], seg["en"], clock, clock + duration, offset, offset + len(seg["en"]))
            )
            translations.append(Translation(seg_id, seg[language], "human"))
            offset += len(seg["en"]) + 1
            clock += duration + 200
        clock += 600
    meta = Metadata(**data["meta"])
    transcript = Transcript(meta, tuple(Speaker(**s) for s in data["speakers"]), tuple(paragraphs), str(path))
    result = LanguageResult(language, "human", "ru_pdf_fixture", "1", tuple(translations))
    return Project(transcript, tuple(segments), (result,))


def with_translations(project: Project, language: str, texts: dict[int, str]) -> Project:
    """The project with some translations replaced (as a post-edit would)."""
    result = project.language(language)
    assert result is not None
    new = tuple(
        replace(t, text=texts[t.segment_id], origin="human") if t.segment_id in texts else t
        for t in result.translations
    )
    languages = tuple(replace(r, translations=new) if r.language == language else r for r in project.languages)
    return replace(project, languages=languages)


def with_paragraph_text(project: Project, paragraph_index: int, sentence: str, ru: str) -> Project:
    """Append one sentence to a spoken paragraph (for escaping and long-row tests)."""
    segments = list(project.segments)
    para = next(p for p in project.transcript.paragraphs if p.index == paragraph_index)
    last = max((s for s in segments if s.paragraph == paragraph_index), key=lambda s: s.id)
    seg = Segment(len(segments), paragraph_index, para.speaker or "", sentence, last.end_ms, last.end_ms + 2000)
    segments.append(seg)
    paragraphs = tuple(
        replace(p, text=p.text + " " + sentence) if p.index == paragraph_index else p
        for p in project.transcript.paragraphs
    )
    result = project.language("ru")
    assert result is not None
    result = replace(result, translations=result.translations + (Translation(seg.id, ru, "engine"),))
    return replace(
        project,
        transcript=replace(project.transcript, paragraphs=paragraphs),
        segments=tuple(segments),
        languages=(result,),
    )


def with_imported(project: Project, language: str, edits: list[tuple[int, str, str]]) -> Project:
    """The project with imported (segment id, source, target) edits as human translations."""
    result = project.language(language)
    assert result is not None
    texts = {t.segment_id: t for t in result.translations}
    for segment_id, _source, target in edits:
        texts[segment_id] = Translation(segment_id, target, "human")
    new = replace(result, translations=tuple(texts[i] for i in sorted(texts)))
    return replace(project, languages=tuple(new if r.language == language else r for r in project.languages))


def fixture_project_via_xliff(work_dir: Path, language: str = "ru") -> Project:
    """The fixture's Russian arriving the way a translator's work does: an XLIFF
    exported without targets, filled in, and imported back."""
    import xml.etree.ElementTree as ET

    from transkit.export import get_exporter
    from transkit.export.xliff import XLIFF12, import_xliff

    full = fixture_project(language=language)
    result = full.language(language)
    assert result is not None
    empty = replace(full, languages=(replace(result, engine="xliff", model="post-edit", model_version="", translations=()),))
    path = work_dir / "to-translate.xlf"
    path.write_bytes(get_exporter("xliff").render(export_job(empty, language)))
    texts = {t.segment_id: t.text for t in result.translations}
    ET.register_namespace("", XLIFF12)
    tree = ET.parse(path)
    for unit in tree.getroot().iter(f"{{{XLIFF12}}}trans-unit"):
        assert unit.find(f"{{{XLIFF12}}}target") is None
        target = ET.SubElement(unit, f"{{{XLIFF12}}}target", {"state": "translated"})
        target.text = texts[int(unit.get("id"))]
    tree.write(path, encoding="utf-8", xml_declaration=True)
    edits = import_xliff(path, empty, language)
    assert len(edits) == len(full.segments)
    return with_imported(empty, language, edits)
