"""The data every stage passes around: plain frozen dataclasses, times in integer ms.

Stages take and return these values; none of them holds behaviour beyond small
derived properties, so they serialise to the project JSON one to one
(see ``transkit.projectfile``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ParagraphKind = Literal["speech", "note"]
TimingSource = Literal["estimated", "aligned", "fallback", "unaligned", "subtitles"]
TranslationOrigin = Literal["engine", "human"]  # a memory hit keeps the origin it was stored with


@dataclass(frozen=True)
class Speaker:
    """A person who speaks in the transcript; ``id`` is the short tag used in the source."""

    id: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class Metadata:
    title: str
    language: str = "en"
    publisher: str = ""
    url: str = ""
    date: str = ""  # ISO 8601 date as written in the source header
    extra: tuple[tuple[str, str], ...] = ()  # further header keys, in source order


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the source: spoken by ``speaker`` or a non-spoken note.

    ``line`` is the 1-based line in the source file where the paragraph starts, so
    errors and review marks can point at it.
    """

    index: int
    kind: ParagraphKind
    text: str
    speaker: str | None = None
    line: int = 0
    needs_review: bool = False


@dataclass(frozen=True)
class Transcript:
    meta: Metadata
    speakers: tuple[Speaker, ...]
    paragraphs: tuple[Paragraph, ...]
    source_path: str = ""

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        for s in self.speakers:
            if s.id == speaker_id:
                return s
        return None

    @property
    def spoken(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == "speech")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a spoken paragraph; ``start``/``end`` are character offsets
    into that paragraph's ``text`` (``text == paragraph.text[start:end]``)."""

    id: int
    paragraph: int
    speaker: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A timed sentence: the unit that is translated and aligned."""

    id: int
    paragraph: int
    speaker: str
    text: str
    start_ms: int
    end_ms: int
    char_start: int = 0
    char_end: int = 0
    timing: TimingSource = "estimated"
    confidence: float | None = None
    # (start_ms, end_ms) of each word of ``text`` (split on white space), when
    # alignment timed them; empty otherwise
    words: tuple[tuple[int, int], ...] = ()

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Cue:
    """One subtitle on screen.

    ``lines`` is the displayed text, one string per line, plain text (a dialogue
    dash is part of the text, no format markup). ``speakers`` gives the speaker id
    of each line. ``segment_ids`` lists the segments the cue shows part of.
    """

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speakers: tuple[str, ...] = ()
    segment_ids: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Track:
    """All cues of one language."""

    language: str
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Translation:
    """The translation of one segment into one language."""

    segment_id: int
    text: str
    origin: TranslationOrigin = "engine"
    qa_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextTranslation:
    """The translation of a document text that is not a segment: the title, the
    subtitle, a speaker's role or a sentence of an editor's note (keys: see
    ``transkit.doctexts``). ``source`` is the text that was translated."""

    key: str
    source: str
    text: str
    origin: TranslationOrigin = "engine"
    qa_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageResult:
    """Everything a project knows about one target language."""

    language: str
    engine: str
    model: str
    model_version: str = ""
    translations: tuple[Translation, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    texts: tuple[TextTranslation, ...] = ()  # title, roles, notes (older project files: none)


@dataclass(frozen=True)
class Mark:
    """A piece of markup kept beside a cue's display text: ``tag`` exactly as the
    file has it (``<i>``, ``</font>``, ``{\\an8}``, ``<v Ben>``), at character
    offset ``at`` of the cue's ``text``."""

    at: int
    tag: str


@dataclass(frozen=True)
class CuePart:
    """A stretch of a cue's text translated on its own: the whole cue, or one
    line (or voice) of a dialogue cue. ``start``/``end`` are offsets into the
    cue's ``text``, after the dialogue dash ``lead`` (kept as written)."""

    start: int
    end: int
    lead: str = ""
    speaker: str = ""


@dataclass(frozen=True)
class SourceCue:
    """One cue of a subtitle file the user brought, kept as the file has it.

    ``text`` is what a viewer reads (lines joined by ``\\n``, no markup, VTT
    entities decoded); ``marks`` hold the markup; ``raw`` is the payload
    verbatim. ``settings`` is what follows the times on the timing line (WebVTT
    cue settings), ``before`` the NOTE/STYLE/REGION blocks just before the cue.
    For ASS, ``ident`` is the event's index among all events of the script.
    """

    start_ms: int
    end_ms: int
    text: str
    marks: tuple[Mark, ...] = ()
    ident: str = ""
    settings: str = ""
    raw: str = ""
    before: tuple[str, ...] = ()
    parts: tuple[CuePart, ...] = ()


@dataclass(frozen=True)
class Piece:
    """The stretch ``start:end`` of cue ``cue``'s text (inside part ``part``)
    that belongs to segment ``segment_id``."""

    segment_id: int
    cue: int
    part: int
    start: int
    end: int


@dataclass(frozen=True)
class CueGrid:
    """A subtitle source's cues, kept so each language is written on the same grid.

    ``header`` is the WebVTT header block, or for ASS the whole script; ``after``
    the blocks after the last cue. ``relayout`` lays each language out afresh
    (inside each sentence's time span) instead of keeping the grid.
    """

    format: Literal["srt", "vtt", "ass"]
    cues: tuple[SourceCue, ...]
    pieces: tuple[Piece, ...] = ()
    header: str = ""
    after: tuple[str, ...] = ()
    relayout: bool = False


@dataclass(frozen=True)
class Project:
    """The saved state of a job: enough to redo every export without translating."""

    transcript: Transcript
    segments: tuple[Segment, ...]
    languages: tuple[LanguageResult, ...] = ()
    profile: str = "netflix-en"  # the source language's style profile its subtitles were laid out with
    timing: tuple[tuple[str, str], ...] = field(default=())  # how times were made
    subtitles: CueGrid | None = None  # the cue grid of a subtitle source

    def language(self, code: str) -> LanguageResult | None:
        for lang in self.languages:
            if lang.language == code:
                return lang
        return None

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The source language, then every translation's."""
        return (self.transcript.meta.language, *(lang.language for lang in self.languages))
