"""The parallel text behind every bilingual document (PDF, HTML, DOCX, Markdown).

``parallel_text(job)`` turns a project and one target language into rows, one per
source paragraph: a speech row holds the paragraph's sentences and, segment by
segment, their translations, so a renderer can keep both languages level; a note
row holds an editor's note and, sentence by sentence, its translation (notes are
not segments: their translations are document texts, see ``transkit.doctexts``).
The title block carries the translated title, subtitle and roles beside the
source ones; ``machine`` says which of them are machine translation (renderers
mark those). Each pair carries its QA flags, for the editions that show them.
A paragraph whose attribution is uncertain (``XX?:`` in the source) shows its
speaker as "Name (?)", never as certain.
The renderers only decide how rows look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..doctexts import note_sentences, role_label, texts_by_key
from ..errors import UsageError
from ..model import Project, Speaker, TextTranslation
from . import ExportJob

UNCERTAIN_MARK = " (?)"

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
    flags: tuple[str, ...] = ()  # QA flags of the translation ("code: detail")


@dataclass(frozen=True)
class Row:
    kind: RowKind
    paragraph: int
    speaker: str  # display name, "" for notes
    speaker_changed: bool  # first paragraph of a new turn
    pairs: tuple[SentencePair, ...] = ()
    note: str = ""
    needs_review: bool = False
    machine: bool = False  # a note whose translation is machine translation

    @property
    def flagged(self) -> bool:
        return any(p.flags for p in self.pairs)

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
    title_target: str = ""
    subtitle_target: str = ""
    interviewer_roles: tuple[str, ...] = ()  # the translated role of each interviewer ("" if none)
    interviewee_roles: tuple[str, ...] = ()
    machine: frozenset[str] = frozenset()  # of "title", "subtitle": the ones that are machine translation
    interviewer_roles_mt: tuple[bool, ...] = ()  # per interviewer: the translated role is machine translation
    interviewee_roles_mt: tuple[bool, ...] = ()
    title_flags: tuple[str, ...] = ()  # QA flags of the translated title
    subtitle_flags: tuple[str, ...] = ()

    def people(self) -> tuple[tuple[str, str, str, bool], ...]:
        """(label, "Name, role", translated role or "", machine-translated) per person, interviewers first."""
        rows = []
        for label, people, roles, mts in (
            ("Interviewer", self.interviewers, self.interviewer_roles, self.interviewer_roles_mt),
            ("Interviewee", self.interviewees, self.interviewee_roles, self.interviewee_roles_mt),
        ):
            for index, person in enumerate(people):
                role = roles[index] if index < len(roles) else ""
                rows.append((label, person, role, bool(role) and index < len(mts) and mts[index]))
        return tuple(rows)

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
    flags = {t.segment_id: t.qa_flags for t in result.translations}
    texts = texts_by_key(result)
    by_paragraph: dict[int, list] = {}
    for segment in project.segments:
        by_paragraph.setdefault(segment.paragraph, []).append(segment)

    rows: list[Row] = []
    previous_speaker: tuple[str | None, bool] | None = None  # (speaker, uncertain) of the last speech row
    for paragraph in transcript.paragraphs:
        if paragraph.kind == "note":
            rows.append(_note_row(paragraph.index, paragraph.text.strip(), texts))
            previous_speaker = None
            continue
        segments = sorted(by_paragraph.get(paragraph.index, ()), key=lambda s: s.id)
        pairs = tuple(
            SentencePair(
                s.id, s.text.strip(), translated.get(s.id, "").strip(), s.start_ms, s.end_ms, flags.get(s.id, ())
            )
            for s in segments
        )
        if not pairs:  # a spoken paragraph that was never segmented: keep its words
            pairs = (SentencePair(-1, paragraph.text.strip(), "", 0, 0),)
        speaker = transcript.speaker(paragraph.speaker)
        name = speaker.name if speaker else (paragraph.speaker or "")
        if paragraph.needs_review:
            name += UNCERTAIN_MARK
        # an uncertain attribution always shows its name, and so does the paragraph after it
        turn = (paragraph.speaker, paragraph.needs_review)
        rows.append(
            Row(
                "speech",
                paragraph.index,
                name,
                turn != previous_speaker,
                pairs,
                needs_review=paragraph.needs_review,
            )
        )
        previous_speaker = turn

    meta = transcript.meta
    interviewers, interviewees = _split_roles(transcript.speakers, transcript.paragraphs)
    asking, answering = _split_speakers(transcript.speakers, transcript.paragraphs)

    def translated_roles(people: list[Speaker]) -> tuple[str, ...]:
        return tuple(_target(texts.get(f"role:{s.id}"), role_label(s.role)) for s in people)

    def machine_roles(people: list[Speaker]) -> tuple[bool, ...]:
        return tuple(_is_machine(texts.get(f"role:{s.id}"), role_label(s.role)) for s in people)

    machine = {
        key for key in ("title", "subtitle") if _is_machine(texts.get(key), _title_source(meta, key))
    }
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
        title_target=_target(texts.get("title"), meta.title.strip()),
        subtitle_target=_target(texts.get("subtitle"), _title_source(meta, "subtitle")),
        interviewer_roles=translated_roles(asking),
        interviewee_roles=translated_roles(answering),
        machine=frozenset(machine),
        interviewer_roles_mt=machine_roles(asking),
        interviewee_roles_mt=machine_roles(answering),
        title_flags=_flags(texts.get("title"), meta.title.strip()),
        subtitle_flags=_flags(texts.get("subtitle"), _title_source(meta, "subtitle")),
    )
    return ParallelText(source_language, job.language, title, tuple(rows))


def _title_source(meta, key: str) -> str:
    return meta.title.strip() if key == "title" else dict(meta.extra).get(key, "").strip()


def _target(text: TextTranslation | None, source: str) -> str:
    """The translation of a document text, if it was made from the text the document shows now."""
    if text is None or not source or " ".join(text.source.split()) != " ".join(source.split()):
        return ""
    return text.text.strip()


def _flags(text: TextTranslation | None, source: str) -> tuple[str, ...]:
    return text.qa_flags if text is not None and _target(text, source) else ()


def _is_machine(text: TextTranslation | None, source: str) -> bool:
    return bool(_target(text, source)) and text is not None and text.origin != "human"


def _note_row(index: int, note: str, texts) -> Row:
    from ..segment import split_sentences

    sentences = note_sentences(index, texts)
    spans = split_sentences(note)
    if len(sentences) != len(spans) or any(
        " ".join(t.source.split()) != " ".join(note[a:b].split()) for t, (a, b) in zip(sentences, spans)
    ):  # not translated, or translated from another version of the note
        return Row("note", index, "", False, (SentencePair(-1, note, "", 0, 0),), note=note)
    pairs = tuple(SentencePair(-1, t.source.strip(), t.text.strip(), 0, 0, t.qa_flags) for t in sentences)
    return Row("note", index, "", False, pairs, note=note, machine=any(t.origin != "human" for t in sentences))


def _split_speakers(speakers: tuple[Speaker, ...], paragraphs) -> tuple[list[Speaker], list[Speaker]]:
    """Interviewers are the speakers whose role says so; failing that, whoever speaks first."""
    asking = [s for s in speakers if "interviewer" in s.role.lower()]
    if not asking:
        first = next((p.speaker for p in paragraphs if p.kind == "speech"), None)
        asking = [s for s in speakers if s.id == first]
    others = [s for s in speakers if s not in asking]
    return asking, others


def _split_roles(speakers: tuple[Speaker, ...], paragraphs) -> tuple[tuple[str, ...], tuple[str, ...]]:
    def label(s: Speaker) -> str:
        role = role_label(s.role)
        return f"{s.name}, {role}" if role else s.name

    asking, others = _split_speakers(speakers, paragraphs)
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
