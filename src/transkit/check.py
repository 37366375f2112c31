"""The subtitle linter: every cue measured against a style profile.

Rules and their severities (an *error* makes ``transkit check`` exit non-zero, a
*warning* only with ``--strict``):

==================  ========  ==============================================
rule                severity  when
==================  ========  ==============================================
empty               error     the cue shows no text
bad-order           error     it ends before it starts, or starts before the
                              cue before it
overlap             error     it starts before the previous cue has ended
gap                 warning   it starts less than ``min_gap_ms`` after the
                              previous cue (a flicker, not unreadable)
lines-per-cue       error     more than ``max_lines`` lines
chars-per-line      error     a line longer than ``max_chars_per_line``
min-duration        error     shorter than ``min_duration_ms``
max-duration        error     longer than ``max_duration_ms``
cps                 warning   reading speed above ``max_cps`` by at most
                    error     ``CPS_TOLERANCE`` (10 %); above that, an error
wps                 same      words per second, for profiles that count words
==================  ========  ==============================================

Characters are counted as displayed, spaces and punctuation included, with a
line break counted as the space it replaced; a no-break space is one character.
Cue numbers in messages are 1-based positions in the file or track.
"""

from __future__ import annotations

import html
import math
import os
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterable, Literal, Sequence

from .errors import InputError
from .model import Cue
from .profiles import StyleProfile, cue_chars, cue_words
from .timing import format_srt

Severity = Literal["error", "warning"]

CPS_TOLERANCE = 0.10  # up to 10 % over the reading speed is a warning, beyond it an error

RULES = (
    "empty",
    "bad-order",
    "overlap",
    "gap",
    "lines-per-cue",
    "chars-per-line",
    "min-duration",
    "max-duration",
    "cps",
    "wps",
)


# --- the report -------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    rule: str
    severity: Severity
    cue_index: int  # 1-based
    start_ms: int
    end_ms: int
    message: str

    def format(self) -> str:
        """``12 00:01:02,300 --> 00:01:04,000 cps: 23.4 chars/s > 20``."""
        return f"{self.cue_index} {_stamp(self.start_ms)} --> {_stamp(self.end_ms)} {self.rule}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cue": self.cue_index,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "start": _stamp(self.start_ms),
            "end": _stamp(self.end_ms),
            "message": self.message,
        }


def _stamp(ms: int) -> str:
    return format_srt(ms) if ms >= 0 else "-" + format_srt(-ms)


@dataclass(frozen=True)
class CheckReport:
    profile: str
    cue_count: int
    violations: tuple[Violation, ...]
    path: str = ""
    track: str = ""  # which lines of the file, when not all of them (a bilingual file)
    note: str = ""  # what was and was not checked, when not every rule was

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, dict[str, int]]:
        """``{rule: {"error": n, "warning": n}}`` for the rules that were broken, in rule order."""
        counts: dict[str, dict[str, int]] = {}
        for rule in RULES:
            found = [v for v in self.violations if v.rule == rule]
            if found:
                counts[rule] = {
                    "error": sum(v.severity == "error" for v in found),
                    "warning": sum(v.severity == "warning" for v in found),
                }
        return counts

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "track": self.track,
            "note": self.note,
            "profile": self.profile,
            "cues": self.cue_count,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "summary": self.summary(),
            "violations": [v.to_dict() for v in self.violations],
        }


# --- the checks ---------------------------------------------------------------

def check_cues(cues: Iterable[Cue], profile: StyleProfile, path: str = "") -> CheckReport:
    """Measure every cue against ``profile``; cues are taken in the given order."""
    cues = tuple(cues)
    found: list[Violation] = []
    previous: Cue | None = None
    for number, cue in enumerate(cues, start=1):
        found.extend(_check_one(number, cue, profile))
        if previous is not None:
            found.extend(_check_pair(number, previous, cue, profile))
        previous = cue
    return CheckReport(profile=profile.name, cue_count=len(cues), violations=tuple(found), path=str(path))


def _check_one(number: int, cue: Cue, profile: StyleProfile) -> list[Violation]:
    def flag(rule: str, severity: Severity, message: str) -> None:
        out.append(Violation(rule, severity, number, cue.start_ms, cue.end_ms, message))

    out: list[Violation] = []
    if cue.end_ms < cue.start_ms:
        flag("bad-order", "error", "ends before it starts")
    lines = tuple(line for line in cue.lines)
    if not any(line.strip() for line in lines):
        flag("empty", "error", "no text")
        return out
    if len(lines) > profile.max_lines:
        flag("lines-per-cue", "error", f"{len(lines)} lines > {profile.max_lines}")
    for line_no, line in enumerate(lines, start=1):
        if len(line) > profile.max_chars_per_line:
            flag("chars-per-line", "error", f"line {line_no} has {len(line)} chars > {profile.max_chars_per_line}")
    duration = cue.end_ms - cue.start_ms
    if duration < 0:
        return out
    if duration < profile.min_duration_ms:
        flag("min-duration", "error", f"{duration} ms < {profile.min_duration_ms} ms")
    if duration > profile.max_duration_ms:
        flag("max-duration", "error", f"{duration} ms > {profile.max_duration_ms} ms")
    out.extend(_speed(number, cue, profile, duration))
    return out


def _speed(number: int, cue: Cue, profile: StyleProfile, duration: int) -> list[Violation]:
    out: list[Violation] = []
    seconds = duration / 1000
    measures = (
        ("cps", cue_chars(cue.lines), profile.max_cps, "chars/s"),
        ("wps", cue_words(cue.lines), profile.max_words_per_second, "words/s"),
    )
    for rule, amount, limit, unit in measures:
        if not limit:
            continue
        rate = amount / seconds if seconds > 0 else math.inf
        if rate > limit + 1e-9:
            severity: Severity = "warning" if rate <= limit * (1 + CPS_TOLERANCE) else "error"
            shown = "inf" if math.isinf(rate) else f"{rate:.1f}"
            out.append(Violation(rule, severity, number, cue.start_ms, cue.end_ms, f"{shown} {unit} > {limit:g}"))
    return out


def _check_pair(number: int, previous: Cue, cue: Cue, profile: StyleProfile) -> list[Violation]:
    def flag(rule: str, severity: Severity, message: str) -> list[Violation]:
        return [Violation(rule, severity, number, cue.start_ms, cue.end_ms, message)]

    if cue.start_ms < previous.start_ms:
        return flag("bad-order", "error", f"starts before cue {number - 1} ({_stamp(previous.start_ms)})")
    gap = cue.start_ms - previous.end_ms
    if gap < 0:
        return flag("overlap", "error", f"overlaps cue {number - 1} by {-gap} ms")
    if gap < profile.min_gap_ms:
        return flag("gap", "warning", f"{gap} ms after cue {number - 1} < {profile.min_gap_ms} ms")
    return []


def check_file(
    path: str | os.PathLike[str], profile: StyleProfile, *, strict_syntax: bool = False, encoding: str | None = None
) -> CheckReport:
    """Read an SRT, WebVTT or ASS/SSA file and check it (``read_cues_for_check``)."""
    return check_cues(read_cues_for_check(path, strict_syntax=strict_syntax, encoding=encoding), profile, path=str(path))


# --- files: what ``transkit check`` reads ------------------------------------------
#
# Kept apart from the measures above: these functions only turn a path (or a folder)
# into cue tracks, refusing what is not a subtitle file.

SUBTITLE_SUFFIXES = (".srt", ".vtt", ".webvtt", ".ass", ".ssa")
_SUBSTATION_SUFFIXES = (".ass", ".ssa")
# A timing line, loosely: a digit next to an arrow (the reader then says exactly
# what is wrong with the times). Used only to
# decide whether a file is a subtitle file at all, so it is decided by structure, not
# by the encoding the text was decoded with.
_TIMING_LINE = re.compile(r"\d\s*-->|-->\s*\d")
_VTT_HEADER_LINE = re.compile(r"^\ufeff?WEBVTT(?:[ \t].*)?$")
_SUBSTATION_SECTION = re.compile(r"^\s*\[(?:Script Info|Events)\]\s*$", re.MULTILINE | re.IGNORECASE)
_BILINGUAL_NAME = re.compile(r"\.([A-Za-z]{2,3})-([A-Za-z]{2,3})\.(?:srt|ass|ssa)$", re.IGNORECASE)
_LANGUAGE_NAME = re.compile(r"\.([A-Za-z]{2,3})\.[^.]+$")
_ITALIC_LINE = re.compile(r"^\s*<i>(.*)</i>\s*$", re.IGNORECASE | re.DOTALL)
_SRT_MARKUP = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)
_MILLISECOND = timedelta(milliseconds=1)
_NOT_SUBTITLE_HINT = "check takes SRT, WebVTT and ASS/SSA subtitle files (.srt .vtt .webvtt .ass .ssa)"


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


def is_subtitle_name(path: Path) -> bool:
    """By extension, in any case: ``.srt .vtt .webvtt .ass .ssa``."""
    return path.suffix.lower() in SUBTITLE_SUFFIXES


def subtitle_files_in(folder: Path) -> tuple[list[Path], list[SkippedFile]]:
    """Every subtitle file below ``folder`` (sorted), and every other file with why it
    is skipped. Hidden files and folders (``.git``...) are not looked into."""
    found: list[Path] = []
    skipped: list[SkippedFile] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not path.is_file():
            continue
        if is_subtitle_name(path):
            found.append(path)
        else:
            what = path.suffix.lower() or "no extension"
            skipped.append(SkippedFile(str(path), f"not a subtitle file name ({what})"))
    return found, skipped


def read_cues_for_check(
    path: str | os.PathLike[str], *, strict_syntax: bool = False, encoding: str | None = None
) -> tuple[Cue, ...]:
    """The cues of an SRT, WebVTT or ASS/SSA file as a viewer reads them (in
    ``encoding`` if given, else the detected one).

    Refuses (``InputError``, exit 3) a file that is not a subtitle file: one with no
    cue times anywhere (a text file, a Markdown transcript, a file decoded into
    nonsense), an empty or binary file, an ASS/SSA file pysubs2 cannot read.
    """
    from .fsio import read_text_file
    from .ingest.subtitles import read_subtitle_file

    path = Path(path)
    text = read_text_file(path, "subtitle file", encoding)
    if path.suffix.lower() in _SUBSTATION_SUFFIXES or text.lstrip("\ufeff").lstrip().startswith("[Script Info]"):
        return read_substation_text(text, str(path))
    _require_subtitle_structure(text, str(path))
    return read_subtitle_file(path, strict=strict_syntax, encoding=encoding)


def _require_subtitle_structure(text: str, path: str) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if any(_TIMING_LINE.search(line) for line in lines):
        return
    if lines and _VTT_HEADER_LINE.match(lines[0].strip()):
        return  # a WebVTT file with no cue yet is still a WebVTT file
    first = next((n for n, line in enumerate(lines, start=1) if line.strip()), 1)
    shown = lines[first - 1].strip()[:40] if first <= len(lines) else ""
    raise InputError(
        f"not a subtitle file: no cue times in it (line {first} reads {shown!r})",
        path=path,
        line=first,
        hint=_NOT_SUBTITLE_HINT,
    )


def read_substation_text(text: str, path: str = "") -> tuple[Cue, ...]:
    """ASS/SSA events through pysubs2: Dialogue events (comments left out) in time
    order, override tags stripped so the text is what is shown, ``\\N`` a line break."""
    return tuple(cue for _style, cue in _substation_events(text, path))


def _substation_events(text: str, path: str) -> list[tuple[str, Cue]]:
    """(style name, cue) of every Dialogue event, in time order."""
    import pysubs2

    if not _SUBSTATION_SECTION.search(text):
        first = next((n for n, line in enumerate(text.splitlines(), start=1) if line.strip()), 1)
        raise InputError(
            "not an ASS/SSA file: no [Script Info] or [Events] section", path=path, line=first, hint=_NOT_SUBTITLE_HINT
        )
    dialect = "ssa" if "[v4 styles]" in text.lower() and "[v4+ styles]" not in text.lower() else "ass"
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=dialect)
    except (pysubs2.exceptions.Pysubs2Error, ValueError, KeyError, IndexError) as exc:
        raise InputError(f"not a readable ASS/SSA file: {str(exc)[:80]}", path=path, hint=_NOT_SUBTITLE_HINT) from None
    events = sorted((e for e in subs.events if not e.is_comment), key=lambda e: e.start)
    cues = []
    for event in events:
        lines = tuple(line.strip() for line in event.plaintext.split("\n") if line.strip())
        cues.append((event.style, Cue(int(event.start), int(event.end), lines)))
    return cues


def bilingual_languages(path: Path) -> tuple[str, str] | None:
    """``x.en-pt.srt`` -> ("en", "pt"): transkit's bilingual SRT; otherwise None."""
    match = _BILINGUAL_NAME.search(path.name)
    return (match.group(1).lower(), match.group(2).lower()) if match else None


def split_bilingual_srt(
    path: str | os.PathLike[str], encoding: str | None = None
) -> tuple[tuple[Cue, ...], tuple[Cue, ...]]:
    """The two tracks of a bilingual SRT as transkit writes it: in each cue, the lines
    wholly in italics are the source language, the others the target. A cue with no
    line of one language is left out of that language's track."""
    import srt

    from .fsio import read_text_file
    from .ingest.subtitles import read_subtitle_file

    path = Path(path)
    text = read_text_file(path, "subtitle file", encoding)
    _require_subtitle_structure(text, str(path))
    try:
        subtitles = list(srt.parse(text.lstrip("\ufeff")))
    except (srt.SRTParseError, srt.TimestampParseError, OverflowError):
        read_subtitle_file(path, encoding=encoding)  # refuses with the line number
        raise InputError("not valid SRT", path=str(path), hint="check it without the language pair in its name") from None
    source: list[Cue] = []
    target: list[Cue] = []
    for sub in subtitles:
        start, end = sub.start // _MILLISECOND, sub.end // _MILLISECOND
        italic, plain = [], []
        for raw in sub.content.split("\n"):
            match = _ITALIC_LINE.match(raw)
            shown = html.unescape(_SRT_MARKUP.sub("", raw)).strip()
            if shown:
                (italic if match else plain).append(shown)
        if italic:
            source.append(Cue(start, end, tuple(italic)))
        if plain:
            target.append(Cue(start, end, tuple(plain)))
    return tuple(source), tuple(target)


def language_in_name(path: Path) -> str | None:
    """``interview.ru.srt`` -> "ru"; None when the name carries no language code."""
    match = _LANGUAGE_NAME.search(path.name)
    return match.group(1).lower() if match else None


def at_centiseconds(profile: StyleProfile) -> StyleProfile:
    """The profile as ASS/SSA can meet it: their times are whole centiseconds, so a
    duration or gap written from milliseconds can come out up to 10 ms shorter."""
    def floor(limit: int) -> int:
        return -(-(limit - 10) // 10) * 10

    return replace(profile, min_duration_ms=floor(profile.min_duration_ms), min_gap_ms=max(0, floor(profile.min_gap_ms)),
                   max_duration_ms=profile.max_duration_ms + 10)


def check_path(
    path: str | os.PathLike[str],
    profile_for: Callable[[str], StyleProfile],
    *,
    profile: StyleProfile | None = None,
    strict_syntax: bool = False,
    encoding: str | None = None,
) -> tuple[CheckReport, ...]:
    """Check one subtitle file; a bilingual file (``x.en-pt.srt``) gives one report
    per language, each against its own profile (``profile_for(language)``) unless
    ``profile`` is given for all."""
    path = Path(path)
    choose = (lambda _language: profile) if profile is not None else profile_for
    pair = bilingual_languages(path)
    substation = path.suffix.lower() in _SUBSTATION_SUFFIXES
    if pair is not None and not substation:
        return _check_bilingual_srt(path, pair, choose, encoding)
    if pair is not None:
        return _check_bilingual_substation(path, pair, choose, encoding)
    language = language_in_name(path) or "en"
    chosen = choose(language)
    cues = read_cues_for_check(path, strict_syntax=strict_syntax, encoding=encoding)
    if substation:
        return (_centisecond_report(check_cues(cues, at_centiseconds(chosen), path=str(path)), cues, chosen),)
    return (check_cues(cues, chosen, path=str(path)),)


def _check_bilingual_srt(
    path: Path, pair: tuple[str, str], choose: Callable[[str], StyleProfile], encoding: str | None = None
) -> tuple[CheckReport, ...]:
    source_language, target_language = pair
    source, target = split_bilingual_srt(path, encoding)
    target_report = replace(check_cues(target, choose(target_language), path=str(path)), track=target_language)
    if not source:
        return (replace(target_report, note="no source lines in italics: every line checked as " + target_language),)
    full = check_cues(source, choose(source_language), path=str(path))
    kept = tuple(v for v in full.violations if v.rule == "chars-per-line")
    source_report = replace(
        full,
        violations=kept,
        track=f"{source_language} (italics)",
        note="line length only: these lines are shown for the target cues' times, "
        "so reading speed, durations, gaps and lines per cue are checked on the target lines",
    )
    return (source_report, target_report)


def _check_bilingual_substation(
    path: Path, pair: tuple[str, str], choose: Callable[[str], StyleProfile], encoding: str | None = None
) -> tuple[CheckReport, ...]:
    """Bilingual ASS: the source events (style ``Source`` or ``<speaker> source``) and
    the target events each keep their own timing, so each is checked in full."""
    from .fsio import read_text_file

    events = _substation_events(read_text_file(path, "subtitle file", encoding), str(path))
    is_source = [style == "Source" or style.endswith(" source") for style, _cue in events]
    reports = []
    for language, wanted in ((pair[0], True), (pair[1], False)):
        cues = [cue for (_style, cue), source in zip(events, is_source) if source == wanted]
        chosen = choose(language)
        report = _centisecond_report(check_cues(cues, at_centiseconds(chosen), path=str(path)), cues, chosen)
        reports.append(replace(report, track=language))
    return tuple(reports)


def _centisecond_report(report: CheckReport, cues: Sequence[Cue], profile: StyleProfile) -> CheckReport:
    """An ASS/SSA report under ``profile``'s name, without the reading-speed findings
    that only the rounding of times to centiseconds causes (the rate is within the
    limit when the cue is given the up to 10 ms the rounding may have taken)."""
    def rounding_only(violation: Violation) -> bool:
        if violation.rule not in ("cps", "wps"):
            return False
        cue = cues[violation.cue_index - 1]
        seconds = (cue.end_ms - cue.start_ms + 10) / 1000
        if violation.rule == "cps":
            amount, limit = cue_chars(cue.lines), profile.max_cps
        else:
            amount, limit = cue_words(cue.lines), profile.max_words_per_second
        return bool(limit) and seconds > 0 and amount / seconds <= limit + 1e-9

    kept = tuple(v for v in report.violations if not rounding_only(v))
    return replace(report, profile=profile.name, violations=kept)
