"""Raw article text (an interview scraped from a web page) -> the source format.

Three passes, each a plain heuristic that can be read and tested on its own:

1. page furniture: navigation phrases, ``Source:`` lines, photo credits
   (``Name / AGENCY``) and the caption lines above each, lines repeated in the
   text, headings and bylines (short paragraphs without a sentence end, unless
   one directly follows a question: then it is a terse reply);
2. speakers: names and roles from the lede or byline ("interviewed by NAME",
   "an interview with TITLE NAME"), else "Interviewer" / "Interviewee";
3. turns: paragraphs before the first question are notes (the lede); a
   paragraph with a question mark is the interviewer's; answers run until the
   next question. A short statement between answers, with no first person and
   no connective such as "And", is taken as a question without a question mark
   (or a lead-in to the next question) and marked for review, as is every
   other attribution the rules are not sure of.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError, UsageError
from ..model import Metadata, Paragraph, Speaker, Transcript
from .blocks import split_blocks
from .source_format import format_source, header_value_problem, parse_source

SHORT_STATEMENT_WORDS = 30  # at most this long to count as a question without '?'
LONG_QUESTION_WORDS = 120  # a paragraph with '?' longer than this is probably an answer
HEADING_WORDS = 30  # a paragraph without a sentence end up to this long is furniture
CREDIT_WORDS = 12  # photo credits and "Source:" lines are short
CAPTION_WORDS = 60


@dataclass(frozen=True)
class RawParagraph:
    """A kept paragraph of the raw text: raw lines ``line``..``end_line`` (1-based)."""

    line: int
    end_line: int
    text: str


@dataclass(frozen=True)
class DroppedLine:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """``kept[i]`` became ``transcript.paragraphs[i]``; ``review`` holds indices of
    paragraphs whose attribution is unsure (written ``ID?:``), ``review_notes`` why."""

    transcript: Transcript
    markdown: str
    kept: tuple[RawParagraph, ...]
    dropped: tuple[DroppedLine, ...]
    review: tuple[int, ...]
    review_notes: tuple[tuple[int, str], ...] = ()


def import_raw(
    text: str,
    *,
    title: str = "",
    publisher: str = "",
    url: str = "",
    date: str = "",
    language: str = "en",
) -> ImportResult:
    """Convert raw interview text into a source transcript; header fields given here win."""
    given = {"title": title.strip(), "publisher": publisher.strip(), "url": url.strip(),
             "date": date.strip(), "language": language.strip() or "en"}
    for key, value in given.items():
        problem = header_value_problem(key, value)
        if problem:
            raise UsageError(problem[0], hint=problem[1])
    title, publisher, url, date, language = given.values()
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise InputError("the text is empty", hint="give the raw text of an interview")

    dropped = dict(_furniture_lines(lines))
    paragraphs, more_dropped, headline, byline = _paragraphs(lines, dropped)
    dropped.update(more_dropped)
    if not paragraphs:
        raise InputError("nothing left after removing page furniture", hint="is this the text of an interview?")

    # Joined paragraphs first: a wrapped line may cut a name in two.
    interviewer, interviewee = _find_speakers(
        [p.text for p in paragraphs] + [" ".join(headline), byline] + [line.strip() for line in lines]
    )
    roles = _attribute(paragraphs)

    main_title, subtitle = _split_headline(headline)
    extra = tuple((k, v) for k, v in (("subtitle", subtitle), ("credit", byline)) if v)
    meta = Metadata(
        title=title or main_title or _fallback_title(interviewee),
        language=language,
        publisher=publisher,
        url=url,
        date=date,
        extra=extra,
    )
    built = tuple(
        Paragraph(
            index=i,
            kind="note" if role == "note" else "speech",
            text=para.text,
            speaker=None if role == "note" else (interviewer if role == "q" else interviewee).id,
            needs_review=unsure,
        )
        for i, (para, (role, unsure, _)) in enumerate(zip(paragraphs, roles))
    )
    markdown = format_source(Transcript(meta=meta, speakers=(interviewer, interviewee), paragraphs=built))
    transcript = parse_source(markdown)
    review = tuple(i for i, (_, unsure, _) in enumerate(roles) if unsure)
    return ImportResult(
        transcript=transcript,
        markdown=markdown,
        kept=tuple(paragraphs),
        dropped=tuple(DroppedLine(n, lines[n - 1].strip(), why) for n, why in sorted(dropped.items())),
        review=review,
        review_notes=tuple((i, roles[i][2]) for i in review),
    )


# ------------------------------------------------------------ page furniture

_NAVIGATION_RE = re.compile(
    r"^(skip to (main )?content|skip navigation|menu|search|share( this)?( article| story)?|advertisement"
    r"|read (more|also|next)|related( articles| stories)?|most (read|popular)|subscribe\b.*|sign up\b.*"
    r"|log ?in|back to top|print|comments?|follow us\b.*|all rights reserved\b.*|©.*)$",
    re.IGNORECASE,
)
_SOURCE_RE = re.compile(r"^source\s*:\s*\S", re.IGNORECASE)
_CREDIT_PREFIX_RE = re.compile(r"^(photo(graph)?s?|image|illustration|picture|video|credit)\s*(:|by\b)", re.IGNORECASE)
_BYLINE_RE = re.compile(
    r"^(interview(ed)?|text|reporting|story|words|edited|translated|translation|photos?|questions)\s+by\b",
    re.IGNORECASE,
)
_SENTENCE_END_CLOSERS = "\"'”’»)]"


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_SENTENCE_END_CLOSERS).endswith((".", "!", "?", "…", "—", "–"))


def _words(text: str) -> int:
    return len(text.split())


def _is_photo_credit(line: str) -> bool:
    """"Name Surname / AGENCY", "Photo: ..." - short, no sentence end, capitalised parts."""
    if _ends_sentence(line) or _words(line) > CREDIT_WORDS:
        return False
    if _CREDIT_PREFIX_RE.match(line):
        return True
    parts = [part.strip() for part in line.split("/")]
    return len(parts) >= 2 and all(part[:1].isupper() for part in parts)


def _furniture_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(1-based line, reason) for lines that are furniture on their own."""
    stripped = [line.strip() for line in lines]
    counts = Counter(s for s in stripped if s and not _ends_sentence(s))
    found: dict[int, str] = {}
    for i, line in enumerate(stripped):
        if not line:
            continue
        if _NAVIGATION_RE.match(line):
            found[i] = "navigation"
        elif _SOURCE_RE.match(line) and _words(line) <= CREDIT_WORDS:
            found[i] = "source line"
        elif _is_photo_credit(line):
            found[i] = "photo credit"
            for above in _caption_above(stripped, i):
                found.setdefault(above, "photo caption")
        elif counts[line] > 1:
            found[i] = "repeated line"
    return [(i + 1, why) for i, why in sorted(found.items())]


def _caption_above(stripped: list[str], credit: int) -> list[int]:
    """The lines directly above a photo credit (no blank line between), if short enough."""
    start = credit
    while start > 0 and stripped[start - 1]:
        start -= 1
    block = range(start, credit)
    return list(block) if sum(_words(stripped[n]) for n in block) <= CAPTION_WORDS else []


def _paragraphs(
    lines: list[str], dropped: dict[int, str]
) -> tuple[list[RawParagraph], dict[int, str], list[str], str]:
    """Join the remaining lines into paragraphs and drop headings and bylines.

    Returns the kept paragraphs, the further dropped lines, the headline's lines (the
    first heading, used as the title) and the byline.
    """
    blocks = split_blocks(range(1, len(lines) + 1), lambda n: lines[n - 1].strip() and n not in dropped)

    kept: list[RawParagraph] = []
    more: dict[int, str] = {}
    headline: list[str] = []
    byline = ""
    for block in blocks:
        text = " ".join(lines[n - 1].strip() for n in block)
        reason = ""
        if _BYLINE_RE.match(text) and _words(text) <= HEADING_WORDS:
            reason = "byline"
            byline = byline or text
        elif not _ends_sentence(text) and _words(text) <= HEADING_WORDS and not _after_question(kept):
            reason = "heading"
            if not headline and not kept and _words(text) >= 3:
                headline, reason = [lines[n - 1].strip() for n in block], "headline (used as title)"
        if reason:
            more.update((n, reason) for n in block)
        else:
            kept.append(RawParagraph(block[0], block[-1], text))
    return kept, more, headline, byline


def _after_question(kept: list[RawParagraph]) -> bool:
    """A terse reply without a full stop ("Absolutely") follows a question: keep it."""
    return bool(kept) and kept[-1].text.rstrip(_SENTENCE_END_CLOSERS).endswith("?")


_QUOTED_HEADLINE_RE = re.compile(r"^[‘“\"'](.+?)[’”\"']\s+(\S.*)$")


def _split_headline(headline: list[str]) -> tuple[str, str]:
    """Headline lines -> (title, subtitle).

    ``["‘Quote’ An interview with X"]`` -> ``("Quote", "An interview with X")``
    (also when wrapped); otherwise the first line is the title, the rest the subtitle.
    """
    match = _QUOTED_HEADLINE_RE.match(" ".join(headline))
    if match:
        return match.group(1).strip(), match.group(2).strip()
    if len(headline) > 1:
        return headline[0], " ".join(headline[1:])
    return (headline[0] if headline else ""), ""


# ------------------------------------------------------------------ speakers

_CAP_WORD = r"[A-Z](?:[\w’'-]|\.(?=\w))*"  # a dot only inside, as in "J.R."
_NAME = rf"({_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{1,3}})"
_TITLED_NAME = rf"({_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{1,7}})"  # "NATO Secretary General Jens Stoltenberg"
_ROLE_AFTER = r"(?:,[ \t]+(?:the[ \t]+|an?[ \t]+)?([^,.;()\n]{3,80}))?"
_INTERVIEWER_RES = (
    re.compile(
        r"\b(?:[Ii]nterviewed by|[Ii]nterview (?:conducted )?by|[Qq]uestions by|[Ii]nterviewer:)[ \t]+"
        + _NAME
        + _ROLE_AFTER
    ),
)
_INTERVIEWEE_RES = (
    re.compile(rf"\b(?:[Ii]nterview|[Cc]onversation|Q&A|[Tt]alk) with[ \t]+(?:the[ \t]+)?{_TITLED_NAME}"),
    re.compile(rf"\b[Ii]nterviewee:[ \t]+{_TITLED_NAME}"),
)


def _first_match(patterns: tuple[re.Pattern[str], ...], texts: list[str]) -> re.Match[str] | None:
    for pattern in patterns:
        for text in texts:
            match = pattern.search(text)
            if match:
                return match
    return None


def _find_speakers(texts: list[str]) -> tuple[Speaker, Speaker]:
    """Names from the raw lines or the joined paragraphs (a name may be wrapped)."""
    interviewer = Speaker(id="Q", name="Interviewer", role="")
    interviewee = Speaker(id="A", name="Interviewee", role="")
    match = _first_match(_INTERVIEWER_RES, texts)
    if match:
        role = _capitalise(match.group(2) or "")
        interviewer = Speaker(
            id=_initials(match.group(1)), name=match.group(1), role=f"{role} (interviewer)" if role else "interviewer"
        )
    match = _first_match(_INTERVIEWEE_RES, texts)
    if match:
        # "NATO Secretary General Jens Stoltenberg": the last two words are the name.
        words = match.group(1).split()
        name = " ".join(words[-2:])
        interviewee = Speaker(id=_initials(name), name=name, role=" ".join(words[:-2]))
    if interviewee.id == interviewer.id:
        interviewee = Speaker(id=interviewee.id + "2", name=interviewee.name, role=interviewee.role)
    return interviewer, interviewee


def _initials(name: str) -> str:
    """"Kirill Martynov" -> "KM" (names found here have at least two capitalised words)."""
    return "".join(word[0] for word in name.split()).upper()


def _capitalise(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def _fallback_title(interviewee: Speaker) -> str:
    return f"An interview with {interviewee.name}" if interviewee.id != "A" else "Interview"


# --------------------------------------------------------------------- turns

_NOTE_RE = re.compile(
    r"^(please note\b|editor[’']?s note\b|note\s*[:.]|update\s*[:.(]|correction\s*[:.]"
    r"|this (interview|conversation) (has been|was) (edited|condensed|translated))",
    re.IGNORECASE,
)
_LEDE_RE = re.compile(r"\b(interviewed by|spoke (to|with)|talked (to|with)|interview with)\b", re.IGNORECASE)
_SENTENCE_RE = re.compile(r".+?(?:[.!?…]+[\"'”’»)\]]*(?=\s|$)|$)", re.DOTALL)
_CONTINUATION_RE = re.compile(
    r"^(and|but|so|then|also|of course|again|however|still|yet|because|therefore|moreover|besides)\b", re.IGNORECASE
)
_FIRST_PERSON_RE = re.compile(r"\b(I|[Ww]e|us|[Oo]urs?|[Mm]y|me|[Mm]ine)\b")
_FIRST_PERSON_PLURAL_RE = re.compile(r"\b([Ww]e|us|[Oo]urs?)\b")

Role = tuple[str, bool, str]  # ("note" | "q" | "a", unsure, why unsure)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]


def _question(text: str) -> tuple[bool, bool]:
    """(looks like a question, sure of it)."""
    if "?" not in text:
        return False, False
    sentences = _sentences(text)
    asks_first_or_last = any(s.rstrip(_SENTENCE_END_CLOSERS).endswith("?") for s in (sentences[0], sentences[-1]))
    return True, asks_first_or_last and _words(text) <= LONG_QUESTION_WORDS


def _attribute(paragraphs: list[RawParagraph]) -> list[Role]:
    texts = [p.text for p in paragraphs]
    first_question = next(
        (i for i, t in enumerate(texts) if _question(t)[0] and not _NOTE_RE.match(t) and not _LEDE_RE.search(t)),
        None,
    )
    if first_question is None:
        raise InputError(
            "found no question in the text, so cannot tell the interviewer from the interviewee",
            hint="the importer expects an interview whose questions end in '?'",
        )
    roles: list[Role] = [("note", False, "")] * first_question
    for i in range(first_question, len(texts)):
        roles.append(_turn(texts, i, roles[-1][0] if roles else "note"))
    return roles


def _turn(texts: list[str], i: int, previous: str) -> Role:
    """The role of paragraph ``i`` given the role of the one before it."""
    text = texts[i]
    if _NOTE_RE.match(text):
        return ("note", False, "")
    asks, sure = _question(text)
    if asks:
        if previous == "q" and _question(texts[i - 1])[0]:
            return ("q", True, "a second question in a row: part of the question, or an answer that asks back?")
        return ("q", not sure, "" if sure else "has a question mark, but not where a question usually has it")
    if previous == "a" and i + 1 < len(texts):
        unmarked = _unmarked_question(text, next_asks=_question(texts[i + 1])[0])
        if unmarked:
            return ("q", True, unmarked)
    if not _ends_sentence(text):
        return ("a", True, "kept although it has no sentence end")
    return ("a", False, "")


def _unmarked_question(text: str, next_asks: bool) -> str:
    """Why a paragraph inside an answer run is taken as the interviewer's, or "".

    Only short statements that do not continue the answer ("And ...") qualify.
    Before a question it is a lead-in unless it speaks for a group ("we", "our");
    before more answer text it is a question without '?' unless it is in the
    first person at all.
    """
    if _words(text) > SHORT_STATEMENT_WORDS or _CONTINUATION_RE.match(text):
        return ""
    if next_asks and not _FIRST_PERSON_PLURAL_RE.search(text):
        return "a short statement before a question: taken as the interviewer's lead-in"
    if not next_asks and not _FIRST_PERSON_RE.search(text):
        return "a short statement between answers: taken as a question without a question mark"
    return ""
