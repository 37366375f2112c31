"""The parallel text behind every bilingual document (PDF, HTML, DOCX, Markdown).

``parallel_text(job)`` turns a project and one target language into rows, one per
source paragraph: a speech row holds the paragraph's sentences and, segment by
segment, their translations, so a renderer can keep both languages level; a note
row holds an editor's note, which is never translated (notes are not segments).
The renderers only decide how rows look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..errors import UsageError
from ..model import Project, Speaker
from . import ExportJob

RowKind = Literal["speech", "note"]

# Autonyms for column headings; other codes fall back to the code itself.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "cs": "Čeština",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "ru": "Русский",
    "sv": "Svenska",
    "tr": "Türkçe",
    "uk": "Українська",
    "zh": "中文",
}


def clean(text: str) -> str:
    """One line of plain text: whitespace runs folded, control characters dropped."""
    text = "".join(c for c in text if c >= " " and c != "\x7f" or c.isspace())
    return re.sub(r"\s+", " ", text).strip()


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)


@dataclass(frozen=True)
class SentencePair:
    """One segment: the source sentence and its translation ("" if none)."""

    segment_id: int
    source: str
    target: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Row:
    kind: RowKind
    paragraph: int
    speaker: str  # display name, "" for notes
    speaker_changed: bool  # first paragraph of a new turn
    pairs: tuple[SentencePair, ...] = ()
    note: str = ""
    needs_review: bool = False

    @property
    def source_text(self) -> str:
        return " ".join(p.source for p in self.pairs) if self.kind == "speech" else self.note

    @property
    def target_text(self) -> str:
        return " ".join(p.target for p in self.pairs if p.target)


@dataclass(frozen=True)
class TitleBlock:
    title: str
    subtitle: str
    publisher: str
    url: str
    date: str
    interviewers: tuple[str, ...]  # "Name, role"
    interviewees: tuple[str, ...]
    engine: str
    model: str
    model_version: str

    @property
    def translation_line(self) -> str:
        model = self.model + (f" {self.model_version}" if self.model_version else "")
        parts = [p for p in (self.engine, model) if p]
        return ", ".join(parts)

    @property
    def author(self) -> str:
        names = [entry.split(",")[0] for entry in self.interviewers]
        return "; ".join(names) or self.publisher


@dataclass(frozen=True)
class ParallelText:
    source_language: str
    target_language: str
    title: TitleBlock
    rows: tuple[Row, ...]

    @property
    def source_name(self) -> str:
        return language_name(self.source_language)

    @property
    def target_name(self) -> str:
        return language_name(self.target_language)


def parallel_text(job: ExportJob) -> ParallelText:
    """Rows of the bilingual document for ``job.project`` into ``job.language``."""
    project: Project = job.project
    source_language = project.transcript.meta.language or "en"
    if job.language == source_language:
        raise UsageError(
            f"a bilingual document needs a target language other than the source ({source_language})",
            hint="leave the document formats out for the source language",
        )
    result = project.language(job.language)
    if result is None:
        known = ", ".join(lang.language for lang in project.languages) or "none"
        raise UsageError(
            f"the project has no translation into {job.language!r} (translated: {known})",
            hint="translate the project into that language first",
        )
    transcript = project.transcript
    translated = {t.segment_id: t.text for t in result.translations}
    by_paragraph: dict[int, list] = {}
    for segment in project.segments:
        by_paragraph.setdefault(segment.paragraph, []).append(segment)

    rows: list[Row] = []
    previous_speaker: str | None = None
    for paragraph in transcript.paragraphs:
        if paragraph.kind == "note":
            rows.append(Row("note", paragraph.index, "", False, note=paragraph.text.strip()))
            previous_speaker = None
            continue
        segments = sorted(by_paragraph.get(paragraph.index, ()), key=lambda s: s.id)
        pairs = tuple(
            SentencePair(s.id, s.text.strip(), translated.get(s.id, "").strip(), s.start_ms, s.end_ms)
            for s in segments
        )
        if not pairs:  # a spoken paragraph that was never segmented: keep its words
            pairs = (SentencePair(-1, paragraph.text.strip(), "", 0, 0),)
        speaker = transcript.speaker(paragraph.speaker)
        name = speaker.name if speaker else (paragraph.speaker or "")
        rows.append(
            Row(
                "speech",
                paragraph.index,
                name,
                paragraph.speaker != previous_speaker,
                pairs,
                needs_review=paragraph.needs_review,
            )
        )
        previous_speaker = paragraph.speaker

    meta = transcript.meta
    interviewers, interviewees = _split_roles(transcript.speakers, transcript.paragraphs)
    title = TitleBlock(
        title=meta.title.strip(),
        subtitle=dict(meta.extra).get("subtitle", "").strip(),
        publisher=meta.publisher.strip(),
        url=meta.url.strip(),
        date=meta.date.strip(),
        interviewers=interviewers,
        interviewees=interviewees,
        engine=result.engine,
        model=result.model,
        model_version=result.model_version,
    )
    return ParallelText(source_language, job.language, title, tuple(rows))


def _split_roles(speakers: tuple[Speaker, ...], paragraphs) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Interviewers are the speakers whose role says so; failing that, whoever speaks first."""

    def label(s: Speaker) -> str:
        role = s.role.replace("(interviewer)", "").strip().rstrip(",").strip()
        return f"{s.name}, {role}" if role else s.name

    asking = [s for s in speakers if "interviewer" in s.role.lower()]
    if not asking:
        first = next((p.speaker for p in paragraphs if p.kind == "speech"), None)
        asking = [s for s in speakers if s.id == first]
    others = [s for s in speakers if s not in asking]
    return tuple(label(s) for s in asking), tuple(label(s) for s in others)


def option(job: ExportJob, key: str, default: str, choices: tuple[str, ...] | None = None) -> str:
    """The value of one export option (``job.options`` pairs; ``-`` and ``_`` alike)."""
    wanted = key.replace("-", "_").lower()
    value = default
    for name, given in getattr(job, "options", ()) or ():
        if name.replace("-", "_").lower() == wanted:
            value = str(given).strip()
    if choices is not None:
        folded = {c.lower(): c for c in choices}
        if value.lower() not in folded:
            raise UsageError(
                f"unknown value {value!r} for export option {key!r}",
                hint="choose one of: " + ", ".join(choices),
            )
        value = folded[value.lower()]
    return value


def float_option(job: ExportJob, key: str, default: float, low: float, high: float) -> float:
    raw = option(job, key, str(default))
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"export option {key!r} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise UsageError(f"export option {key!r} must be between {low:g} and {high:g}, got {raw}")
    return value
