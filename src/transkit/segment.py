"""Spoken paragraphs -> sentences -> Segments with estimated times (no audio).

Sentence boundaries come from pysbd, a rule-based English segmenter that knows
abbreviations, initials, numbers and quotes. transkit never trusts its output
text, only where it cuts: each piece pysbd returns is located in the original
text from left to right, and the spans between consecutive cuts tile the text.
So no character is ever lost or moved, whatever pysbd does. A few repairs then
cover cases pysbd gets wrong (see ``_repair``).

Times come from a speech-rate model (``SpeechRate``): each sentence lasts as long
as its spoken words take at the speaker's rate plus short pauses at commas and
dashes; sentences, paragraphs and speaker turns are separated by pauses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .errors import UsageError
from .model import Segment, Sentence, Transcript

# --- sentence splitting -------------------------------------------------------

# Characters pysbd 0.3 uses internally as placeholders. If the input contains one,
# pysbd silently drops text around it, so the copy it sees has them replaced.
_PYSBD_MARKERS = "ȸȹƪᓰᓱᓳᓴᓷᓸ∮∯⌬⎋☄☇☈☉☏☝♝♟♨♬♭✂"
_MARKER_TABLE = str.maketrans({ch: "x" for ch in _PYSBD_MARKERS})
_WHITESPACE = re.compile(r"\s")

_CLOSERS = "’”\"')]»"
_OPENERS = "‘“\"'([«"
_QUOTES = "‘“\"'«"
# Sentence ends pysbd misses: runs like "!!!" or "?!?", a "!" or "?" before a
# closing single curly quote, a full stop inside ‘...’ or before a closing bracket
# ("(see the appendix.) The board"), and the single-character ellipsis "…" (pysbd
# cuts after "..." before a capital, but not after "…").
_EXTRA_END = re.compile(r"(?:[!?]+|…|\.(?=’)|(?<=\w\w)\.(?=[)\]]))[" + re.escape(_CLOSERS) + r"]*(?=\s)")
# "a. The first item", "b) the next": list items, not a sentence going on. (A
# bracketed "(vii)" or "[z]" never counts as lowercase.)
_ENUMERATION = re.compile(r"[a-z][.)]\s")
_TIME_OF_DAY = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _segmenter():  # -> pysbd.Segmenter
    import pysbd  # imported here: the CLI must start without it

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of English ``text``.

    Spans are in order, do not overlap, carry no surrounding whitespace and
    together cover every non-space character of ``text``. Line breaks inside
    ``text`` are treated as spaces (a paragraph is one unit of speech).
    Empty or blank text gives ``[]``.
    """
    if not text or text.isspace():
        return []
    shadow = _WHITESPACE.sub(" ", text).translate(_MARKER_TABLE)
    spans = _tile(text, _pysbd_cuts(shadow))
    return _repair(text, spans)


# pysbd's time grows with the square of its input (16 KB: 0.2 s, 130 KB: 7 s), so
# text longer than this is handed over in windows that end at a likely sentence end.
_WINDOW_CHARS = 2000
_LIKELY_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[A-Z\"“‘(])")


def _pysbd_cuts(shadow: str) -> list[int]:
    """Offsets in ``shadow`` where a sentence ends, window by window."""
    cuts: list[int] = []
    start = 0
    while len(shadow) - start > _WINDOW_CHARS * 3 // 2:
        match = _LIKELY_END.search(shadow, start + _WINDOW_CHARS)
        if match is None or match.start() > start + _WINDOW_CHARS * 4:
            break  # no plausible boundary: let pysbd see the rest whole
        end = match.start() + 1
        cuts += [start + cut for cut in _pysbd_window_cuts(shadow[start:end])]
        cuts.append(end)
        start = end
    cuts += [start + cut for cut in _pysbd_window_cuts(shadow[start:])]
    return sorted(set(cuts))


def _pysbd_window_cuts(shadow: str) -> list[int]:
    """Offsets in ``shadow`` where pysbd ends a sentence.

    A piece that cannot be found (pysbd rewrote it) gives no cut, so its text joins
    the following sentence instead of disappearing.
    """
    cuts: list[int] = []
    cursor = 0
    for piece in _segmenter().segment(shadow):
        core = piece.strip()
        if not core:
            continue
        found = shadow.find(core, cursor)
        if found >= 0:
            cursor = found + len(core)
            cuts.append(cursor)
    return cuts


def _tile(text: str, cuts: Iterable[int]) -> list[tuple[int, int]]:
    """Spans between consecutive cuts (and the text's ends), whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        if cut <= start:
            continue
        span = _trim(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


@lru_cache(maxsize=1)
def _sentence_starters() -> frozenset[str]:
    """pysbd's words that start a sentence after an abbreviation ("The", "He", ...)."""
    from pysbd.lang.common.standard import Standard

    return frozenset(Standard.AbbreviationReplacer.SENTENCE_STARTERS)


def _continues(previous: str, piece: str) -> bool:
    """Whether ``piece`` is the rest of the sentence ``previous`` began, not a new one.

    - a piece with no word in it (pysbd sometimes cuts "..." into ".." and ".");
    - a piece that starts with a lowercase word or a comma, semicolon or colon: no
      English sentence does ("e.g.", "f.e." and "..." inside a sentence);
    - a piece after "a.m." or "p.m." whose first word is not one that starts
      sentences ("5 a.m. Eastern time" goes on; "5 p.m. The" is a new sentence).
    """
    if not _has_word(piece):
        return True
    first = piece.lstrip(_QUOTES)
    if first[:1] in ",;:" or (first[:1].islower() and not _ENUMERATION.match(first)):
        return True
    if _TIME_OF_DAY.search(previous):
        word = re.match(r"[\w'’]+", first)
        return word is None or word.group() not in _sentence_starters()
    return False


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # Merges first (see ``_continues``), then cuts pysbd missed (``_EXTRA_END``).
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _continues(text[merged[-1][0] : merged[-1][1]], text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and not _has_word(text[merged[0][0] : merged[0][1]]):
        merged[0:2] = [(merged[0][0], merged[1][1])]

    result: list[tuple[int, int]] = []
    for start, end in merged:
        result.extend(_extra_cuts(text, start, end))
    return result


def _opens(text: str, closer: str) -> bool:
    opener = "(" if closer == ")" else "["
    return text.count(opener) > text.count(closer)


def _extra_cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for match in _EXTRA_END.finditer(text, start, end):
        cut = match.end()
        if match.group().startswith(".’") and "‘" not in text[piece_start : match.start()]:
            continue  # "’" after a full stop only ends a sentence inside ‘...’
        if match.group().startswith((".)", ".]")) and not _opens(text[piece_start : match.start()], match.group()[1]):
            continue  # a bracket closes a sentence only if it opened inside this one
        following = text[cut:end].lstrip()
        if not following.lstrip(_OPENERS)[:1].isupper():
            continue
        head = _trim(text, piece_start, cut)
        if head and _has_word(text[head[0] : head[1]]):
            pieces.append(head)
            piece_start = cut
    tail = _trim(text, piece_start, end)
    if tail:
        pieces.append(tail)
    return pieces


def sentences_of(transcript: Transcript) -> tuple[Sentence, ...]:
    """The sentences of every spoken paragraph, numbered 0..n-1 in reading order.

    Notes are skipped. ``start``/``end`` index into the paragraph's text.
    """
    sentences: list[Sentence] = []
    for paragraph in transcript.paragraphs:
        if paragraph.kind != "speech":
            continue
        for start, end in split_sentences(paragraph.text):
            sentences.append(
                Sentence(
                    id=len(sentences),
                    paragraph=paragraph.index,
                    speaker=paragraph.speaker or "",
                    text=paragraph.text[start:end],
                    start=start,
                    end=end,
                )
            )
    return tuple(sentences)


# --- timing without audio --------------------------------------------------------

MIN_WPM = 40.0
MAX_WPM = 400.0
_MAX_PAUSE_MS = 60_000


@dataclass(frozen=True)
class SpeechRate:
    """How fast people speak, for timing a transcript that has no audio.

    The defaults bring the Stoltenberg interview (about 2,900 spoken words, 169
    sentences, 37 speaker turns) to about 22 minutes, the middle of the 20-25
    minutes such an interview takes:

    - ``wpm`` 145: words per minute while speaking, pauses excluded. Interview
      English runs at about 140-170; both speakers here talk deliberately in a
      second language, so the default sits near the low end.
    - ``speaker_wpm``: per-speaker overrides, for example ``(("KM", 170.0),)``.
    - ``sentence_pause_ms`` 300: a breath between two sentences.
    - ``paragraph_pause_ms`` 700: a longer pause where the transcript starts a new
      paragraph of the same speaker.
    - ``turn_pause_ms`` 1000: the hand-over between interviewer and guest.
    - ``clause_pause_ms`` 150: the short pause a comma, colon, semicolon, dash or
      ellipsis inside a sentence adds to that sentence's duration.
    - ``lead_in_ms`` 0: when the first sentence starts.

    Between two sentences the largest pause that applies is used (a turn is also a
    new paragraph and a new sentence; the pauses do not add up).
    """

    wpm: float = 145.0
    speaker_wpm: tuple[tuple[str, float], ...] = ()
    sentence_pause_ms: int = 300
    paragraph_pause_ms: int = 700
    turn_pause_ms: int = 1000
    clause_pause_ms: int = 150
    lead_in_ms: int = 0

    def __post_init__(self) -> None:
        _check_wpm("wpm", self.wpm)
        seen: set[str] = set()
        for entry in self.speaker_wpm:
            if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str) and entry[0]):
                raise UsageError(f"bad per-speaker rate {entry!r}", hint="give (speaker id, words per minute) pairs")
            speaker, wpm = entry
            if speaker in seen:
                raise UsageError(f"speaker {speaker} has two speech rates", hint="give each speaker once")
            seen.add(speaker)
            _check_wpm(f"rate of {speaker}", wpm)
        for name in ("sentence_pause_ms", "paragraph_pause_ms", "turn_pause_ms", "clause_pause_ms", "lead_in_ms"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_PAUSE_MS:
                raise UsageError(
                    f"{name} must be a whole number of milliseconds from 0 to {_MAX_PAUSE_MS}, not {value!r}"
                )

    def wpm_for(self, speaker: str) -> float:
        for speaker_id, wpm in self.speaker_wpm:
            if speaker_id == speaker:
                return float(wpm)
        return float(self.wpm)

    def as_pairs(self) -> tuple[tuple[str, str], ...]:
        """The settings as text pairs, for ``Project.timing``."""
        pairs = [("method", "estimated"), ("wpm", f"{self.wpm:g}")]
        pairs += [(f"wpm.{speaker}", f"{wpm:g}") for speaker, wpm in self.speaker_wpm]
        pairs += [
            ("sentence_pause_ms", str(self.sentence_pause_ms)),
            ("paragraph_pause_ms", str(self.paragraph_pause_ms)),
            ("turn_pause_ms", str(self.turn_pause_ms)),
            ("clause_pause_ms", str(self.clause_pause_ms)),
            ("lead_in_ms", str(self.lead_in_ms)),
        ]
        return tuple(pairs)


def _check_wpm(what: str, wpm: object) -> None:
    if isinstance(wpm, bool) or not isinstance(wpm, (int, float)) or not math.isfinite(wpm):
        raise UsageError(f"{what} must be a number of words per minute, not {wpm!r}")
    if not MIN_WPM <= wpm <= MAX_WPM:
        raise UsageError(
            f"{what} is {wpm:g} words per minute",
            hint=f"give a rate from {MIN_WPM:g} to {MAX_WPM:g}; conversational English is about 150",
        )


def parse_rate_overrides(text: str) -> tuple[tuple[str, float], ...]:
    """``"KM=170,JS=150"`` -> ``(("KM", 170.0), ("JS", 150.0))``; raises ``UsageError``."""
    pairs: list[tuple[str, float]] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        speaker, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not speaker or not value or any(ch.isspace() for ch in speaker):
            raise UsageError(
                f"cannot read speech rate {item!r}", hint="write SPEAKER=WPM pairs, for example KM=170,JS=150"
            )
        try:
            wpm = float(value)
        except ValueError:
            raise UsageError(
                f"speech rate of {speaker} is not a number: {value!r}", hint="for example KM=170"
            ) from None
        pairs.append((speaker, wpm))
    SpeechRate(speaker_wpm=tuple(pairs))  # same checks as everywhere else
    return tuple(pairs)


_TOKEN = re.compile(r"[^\W_]+(?:['’.,][^\W_]+)*")
_CLAUSE_MARK = re.compile(r"[,;:](?=\s)|[—–]+|\s-\s|…|\.\.\.")
_FINAL_PUNCT = re.compile(r"[\s.!?…" + re.escape(_CLOSERS) + r"]*$")


def spoken_words(text: str) -> int:
    """How many words ``text`` takes to say, at least 1.

    A word is a run of letters/digits (apostrophes and dots inside stay with it:
    "don't", "U.S"); a hyphen separates words ("self-defense" is two). A number
    of n digits is read as n-1 words, at least one ("1975": nineteen seventy-five);
    a decimal point adds "point" and one word per decimal digit.
    """
    total = 0
    for token in _TOKEN.findall(text):
        if any(ch.isdigit() for ch in token):
            whole, _, frac = token.replace(",", "").partition(".")
            total += max(1, sum(ch.isdigit() for ch in whole) - 1)
            if frac:
                total += 1 + sum(ch.isdigit() for ch in frac)
        else:
            total += 1
    return max(1, total)


def clause_marks(text: str) -> int:
    """Commas, colons, semicolons, dashes and ellipses inside a sentence (not at its end)."""
    body = _FINAL_PUNCT.sub("", text)
    return len(_CLAUSE_MARK.findall(body))


def spoken_ms(text: str, speaker: str, rate: SpeechRate) -> int:
    """How long ``speaker`` takes to say ``text``: words at their rate plus clause pauses."""
    words_ms = spoken_words(text) * 60_000 / rate.wpm_for(speaker)
    return max(1, round(words_ms + clause_marks(text) * rate.clause_pause_ms))


def estimate_timing(
    transcript: Transcript, sentences: Iterable[Sentence], rate: SpeechRate = SpeechRate()
) -> tuple[Segment, ...]:
    """Give each sentence a time span from the speech-rate model.

    Times are integer ms, in order, without overlaps; the gap before a sentence is
    the largest pause that applies (sentence, new paragraph, speaker turn).
    """
    sentences = tuple(sentences)
    _check_rate_speakers(transcript, sentences, rate)
    segments: list[Segment] = []
    clock = rate.lead_in_ms
    previous: Sentence | None = None
    for sentence in sentences:
        if previous is not None:
            clock += _pause_ms(previous, sentence, rate)
        end = clock + spoken_ms(sentence.text, sentence.speaker, rate)
        segments.append(
            Segment(
                id=sentence.id,
                paragraph=sentence.paragraph,
                speaker=sentence.speaker,
                text=sentence.text,
                start_ms=clock,
                end_ms=end,
                char_start=sentence.start,
                char_end=sentence.end,
                timing="estimated",
            )
        )
        clock = end
        previous = sentence
    return tuple(segments)


def _pause_ms(before: Sentence, after: Sentence, rate: SpeechRate) -> int:
    pause = rate.sentence_pause_ms
    if after.paragraph != before.paragraph:
        pause = max(pause, rate.paragraph_pause_ms)
    if after.speaker != before.speaker:
        pause = max(pause, rate.turn_pause_ms)
    return pause


def _check_rate_speakers(transcript: Transcript, sentences: tuple[Sentence, ...], rate: SpeechRate) -> None:
    """A rate for a speaker who is not in the transcript is almost surely a typo."""
    known = [s.id for s in transcript.speakers]
    known += sorted({s.speaker for s in sentences} - set(known))
    for speaker, _ in rate.speaker_wpm:
        if speaker not in known:
            raise UsageError(
                f"speech rate given for speaker {speaker!r}, who is not in the transcript",
                path=transcript.source_path or None,
                hint=f"speakers are: {', '.join(known) or 'none'}",
            )


def segment_transcript(transcript: Transcript, rate: SpeechRate = SpeechRate()) -> tuple[Segment, ...]:
    """Sentences of the transcript, timed by the speech-rate model."""
    return estimate_timing(transcript, sentences_of(transcript), rate)
