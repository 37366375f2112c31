"""Bilingual Markdown: per paragraph the source text, then its translation as a quote.

Chosen over a two-column table because long paragraphs make a Markdown table
unreadable as plain text, while blocks read well both raw and rendered:

    **Jens Stoltenberg**

    No, NATO is a defensive alliance. ...

    > Нет, НАТО — оборонительный союз. ...

Editor's notes are in italics, their translation quoted below them like speech.
The translated title, subtitle and roles follow the source ones; what is machine
translation says so ("*(machine translation)*"). Text is escaped so that
nothing in the transcript turns into Markdown or HTML markup.
Option: ``columns`` source-first|target-first (which language comes first).
"""

from __future__ import annotations

import re

from . import ExportJob, Exporter
from .parallel import ParallelText, clean, option, parallel_text

# Characters that could start markup anywhere in a line (CommonMark backslash escapes).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# A number then "." or ")" at the start of a block would start an ordered list.
_ORDERED = re.compile(r"^(\d+)(?=[.)])")


def escape(text: str) -> str:
    """Plain text that renders as itself: inline markup characters and block starts escaped."""
    text = _INLINE.sub(r"\\\1", clean(text))
    ordered = _ORDERED.match(text)
    if ordered:
        return ordered.group(1) + "\\" + text[ordered.end(1):]
    if text[:1] in ("#", "-", "+", "=", ">"):
        return "\\" + text
    return text


class MarkdownExporter(Exporter):
    name = "md"
    extension = ".md"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        text = parallel_text(job)
        source_first = option(job, "columns", "source-first", ("source-first", "target-first")) == "source-first"
        return render_markdown(text, source_first=source_first).encode("utf-8")


def render_markdown(text: ParallelText, *, source_first: bool = True) -> str:
    t = text.title
    out = [f"# {escape(t.title)}", ""]
    if t.title_target:
        out += [f"**{escape(t.title_target)}**{_mt('title' in t.machine)}", ""]
    if t.subtitle:
        out += [f"*{escape(t.subtitle)}*", ""]
    if t.subtitle_target:
        out += [f"*{escape(t.subtitle_target)}*{_mt('subtitle' in t.machine)}", ""]
    facts: list[tuple[str, str]] = []
    source = " · ".join(escape(x) for x in (t.publisher, t.date) if x)
    if source:
        facts.append(("Source", source))
    if t.url:
        web = re.fullmatch(r"https?://[^\s<>]+", t.url.strip())
        facts.append(("Address", f"<{t.url.strip()}>" if web else escape(t.url)))
    for label, person, role, machine in t.people():
        facts.append((label, escape(person) + (f" · {escape(role)}{_mt(machine)}" if role else "")))
    translation = f"{escape(text.source_name)} → {escape(text.target_name)}"
    if t.translation_line:
        translation += f"; {escape(t.translation_line)}"
    facts.append(("Translation", translation))
    # A trailing backslash is a hard line break, keeping the facts on separate lines.
    out += [f"**{label}:** {value}" + ("\\" if i < len(facts) - 1 else "") for i, (label, value) in enumerate(facts)]
    out += ["", "---", ""]
    for row in text.rows:
        if row.kind == "note":
            note = f"*Editor's note:* *{escape(row.note)}*"
            translated = f"> *{escape(row.target_text)}*{_mt(row.machine)}" if row.target_text else ""
            first, second = (note, translated) if source_first or not translated else (translated[2:], "> " + note)
            out += [first, ""] + ([second, ""] if second else [])
            continue
        if row.speaker_changed and row.speaker:
            out += [f"**{escape(row.speaker)}**", ""]
        source_text = escape(" ".join(p.source for p in row.pairs))
        target_text = escape(" ".join(p.target for p in row.pairs if p.target))
        first, second = (source_text, target_text) if source_first else (target_text, source_text)
        if first:
            out += [first, ""]
        if second:
            out += [f"> {second}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _mt(machine: bool) -> str:
    return " *(machine translation)*" if machine else ""
