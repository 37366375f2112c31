"""Bilingual HTML edition: one self-contained file (inline CSS and script, no network).

Wide screens show the two languages side by side (a CSS grid, one grid row per
paragraph so both stay level); narrow screens stack the translation under the
source. Every sentence is a ``<span data-seg=ID>`` in both columns: hovering one
highlights its counterpart. With the ``audio`` option (a path or URL, written as
given: a relative path is relative to the HTML file) the page carries an
``<audio>`` player and clicking a sentence plays the recording from its start.

Review marks: a sentence with QA flags is marked in both columns (class
``flagged``) and its reasons are printed under the translation; a checkbox in
the title block ("Flagged sentences only") hides every row without a flag.
The title, subtitle, roles and editor's notes show their translation beside
the source, marked "machine translation" where they are.

Every piece of text and every attribute value goes through ``html.escape``.
Options: ``columns`` source-first|target-first, ``audio``.
"""

from __future__ import annotations

import html
from urllib.parse import quote, urlsplit

from . import ExportJob, Exporter
from .parallel import ParallelText, Row, clean, option, parallel_text

STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --target: #1b3a72; --rule: #d8dae0;
        --hover: #ffe98f; --playing: #cfe0ff; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 74rem; padding: 1.5rem 1.5rem 4rem; color: var(--ink);
       font: 1.05rem/1.55 Georgia, "DejaVu Serif", "Times New Roman", serif; }
header.title-block { border-bottom: 1px solid var(--rule); margin-bottom: 1.5rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .8rem; }
.subtitle { font-size: 1.15rem; font-style: italic; margin: -.4rem 0 .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem;
           font: .85rem/1.45 system-ui, "DejaVu Sans", sans-serif; color: var(--muted); }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
audio { width: 100%; margin: 0 0 1.2rem; position: sticky; top: 0; z-index: 1; background: #fff; }
.row { display: grid; grid-template-columns: 1fr 1fr; column-gap: 2.5rem; margin: 0 0 1.1rem; }
.row.headings { font: 700 .8rem/1.4 system-ui, "DejaVu Sans", sans-serif; color: var(--muted);
                text-transform: uppercase; letter-spacing: .05em; border-bottom: 1px solid var(--rule);
                padding-bottom: .3rem; }
.col { min-width: 0; }
.col p { margin: 0; }
.target { color: var(--target); }
.speaker { font: 700 .82rem/1.5 system-ui, "DejaVu Sans", sans-serif; color: var(--ink);
           margin-bottom: .15rem !important; }
.note { color: var(--muted); font-style: italic; }
.note .col, .note.single { border-left: 3px solid var(--rule); padding-left: .8rem; }
.note.single { display: block; }
.note .label { font: 700 .78rem/1.5 system-ui, "DejaVu Sans", sans-serif; font-style: normal; }
.mt { font: 400 .72rem/1.4 system-ui, "DejaVu Sans", sans-serif; font-style: normal; color: var(--muted);
      border: 1px solid var(--rule); border-radius: 3px; padding: 0 .3rem; margin-left: .3rem;
      white-space: nowrap; }
.title-target { font-size: 1.25rem; color: var(--target); margin: -.4rem 0 .8rem; }
.subtitle.target { margin-top: -.6rem; }
.s.flagged, .title-target.flagged, .subtitle.flagged { background: #fde2e1; box-shadow: inset 0 -2px 0 #c5221f; }
.qa { display: block; margin: .2rem 0 .1rem; font: .78rem/1.4 system-ui, "DejaVu Sans", sans-serif;
      color: #a50e0e; font-style: normal; }
.review-filter { font: .85rem/1.4 system-ui, "DejaVu Sans", sans-serif; margin: 0 0 1rem; }
body.flagged-only main > .row:not(.headings):not(.has-flags) { display: none; }
.s { border-radius: 3px; transition: background-color .12s; }
.s.hl { background: var(--hover); }
.s.playing { background: var(--playing); }
body.has-audio .s { cursor: pointer; }
@media (max-width: 720px) {
  body { padding: 1rem .9rem 3rem; font-size: 1rem; }
  .row { grid-template-columns: 1fr; }
  .row.headings { display: none; }
  .col + .col { margin-top: .45rem; padding-left: .7rem; border-left: 3px solid var(--rule); }
  .col + .col .speaker { display: none; }
}
""".strip()

SCRIPT = """
(function () {
  "use strict";
  function peers(span) {
    return document.querySelectorAll('.s[data-seg="' + span.getAttribute("data-seg") + '"]');
  }
  function mark(event, on) {
    var span = event.target.closest && event.target.closest(".s[data-seg]");
    if (!span) return;
    peers(span).forEach(function (el) { el.classList.toggle("hl", on); });
  }
  document.addEventListener("mouseover", function (e) { mark(e, true); });
  document.addEventListener("mouseout", function (e) { mark(e, false); });
  document.addEventListener("focusin", function (e) { mark(e, true); });
  document.addEventListener("focusout", function (e) { mark(e, false); });
  var only = document.getElementById("flagged-only");
  if (only) {
    var filter = function () { document.body.classList.toggle("flagged-only", only.checked); };
    only.addEventListener("change", filter);
    filter();
  }
  var audio = document.getElementById("audio");
  if (!audio) return;
  function play(span) {
    audio.currentTime = parseFloat(span.getAttribute("data-start"));
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () {});
  }
  document.addEventListener("click", function (e) {
    var span = e.target.closest && e.target.closest(".s[data-start]");
    if (span) play(span);
  });
  document.addEventListener("keydown", function (e) {
    var span = e.target.closest && e.target.closest(".s[data-start]");
    if (span && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); play(span); }
  });
  var spans = Array.prototype.slice.call(document.querySelectorAll(".col.source .s[data-start]"));
  var current = null;
  audio.addEventListener("timeupdate", function () {
    var t = audio.currentTime, found = null;
    for (var i = 0; i < spans.length; i++) {
      var s = spans[i];
      if (parseFloat(s.getAttribute("data-start")) <= t && t < parseFloat(s.getAttribute("data-end"))) {
        found = s.getAttribute("data-seg");
        break;
      }
    }
    if (found === current) return;
    document.querySelectorAll(".s.playing").forEach(function (el) { el.classList.remove("playing"); });
    if (found !== null) {
      document.querySelectorAll('.s[data-seg="' + found + '"]').forEach(function (el) { el.classList.add("playing"); });
    }
    current = found;
  });
})();
""".strip()


class HtmlExporter(Exporter):
    name = "html"
    extension = ".html"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        text = parallel_text(job)
        source_first = option(job, "columns", "source-first", ("source-first", "target-first")) == "source-first"
        audio = option(job, "audio", "")
        return render_html(text, source_first=source_first, audio=audio).encode("utf-8")


def esc(text: str) -> str:
    """Text safe in HTML content and quoted attributes (control characters dropped)."""
    return html.escape(clean(text), quote=True)


def render_html(text: ParallelText, *, source_first: bool = True, audio: str = "") -> str:
    src, tgt = text.source_language, text.target_language
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(src)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="transkit">',
        f"<title>{esc(text.title.title)} ({esc(src)}–{esc(tgt)})</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        '<body class="has-audio">' if audio else "<body>",
        _title_block(text),
    ]
    flagged = sum(1 for row in text.rows for pair in row.pairs if pair.flags)
    if flagged:
        out.append(
            '<p class="review-filter"><label><input type="checkbox" id="flagged-only"> '
            f"Flagged sentences only ({flagged} flagged by the QA checks)</label></p>"
        )
    if audio:
        out.append(f'<audio id="audio" controls preload="metadata" src="{esc(_audio_url(audio))}"></audio>')
    out.append("<main>")
    heading_cols = [
        f'<div class="col source" lang="{esc(src)}">{esc(text.source_name)}</div>',
        f'<div class="col target" lang="{esc(tgt)}">{esc(text.target_name)}</div>',
    ]
    out.append('<div class="row headings">' + "".join(_order(heading_cols, source_first)) + "</div>")
    for row in text.rows:
        out.append(_note(row, src, tgt, source_first) if row.kind == "note" else _speech(row, src, tgt, source_first, bool(audio)))
    out += ["</main>", f"<script>\n{SCRIPT}\n</script>", "</body>", "</html>", ""]
    return "\n".join(out)


def _order(pair: list[str], source_first: bool) -> list[str]:
    return pair if source_first else pair[::-1]


def _title_block(text: ParallelText) -> str:
    t = text.title
    facts: list[tuple[str, str]] = []
    source = " · ".join(esc(x) for x in (t.publisher, t.date) if x)
    if source:
        facts.append(("Source", source))
    if t.url:
        facts.append(("Address", _link(t.url)))
    for label, person, role, machine in t.people():
        shown = esc(person)
        if role:
            shown += f' · <span class="target" lang="{esc(text.target_language)}">{esc(role)}</span>{_mt(machine)}'
        facts.append((label, shown))
    translation = f"{esc(text.source_name)} → {esc(text.target_name)}"
    if t.translation_line:
        translation += f"; {esc(t.translation_line)}"
    facts.append(("Translation", translation))
    rows = "\n".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    lang = esc(text.target_language)
    subtitle = f'<p class="subtitle">{esc(t.subtitle)}</p>\n' if t.subtitle else ""
    if t.subtitle_target:
        subtitle += (
            f'<p class="subtitle target{_flagged(t.subtitle_flags)}" lang="{lang}">'
            f'{esc(t.subtitle_target)}{_mt("subtitle" in t.machine)}{_flag_list(t.subtitle_flags)}</p>\n'
        )
    title_target = ""
    if t.title_target:
        title_target = (
            f'<p class="title-target{_flagged(t.title_flags)}" lang="{lang}">'
            f'{esc(t.title_target)}{_mt("title" in t.machine)}{_flag_list(t.title_flags)}</p>\n'
        )
    return (
        f'<header class="title-block">\n<h1>{esc(t.title)}</h1>\n{title_target}{subtitle}'
        f'<dl class="facts">\n{rows}\n</dl>\n</header>'
    )


def _flagged(flags: tuple[str, ...]) -> str:
    return " flagged" if flags else ""


def _flag_list(flags: tuple[str, ...]) -> str:
    return "".join(f'<span class="qa">⚑ {esc(flag)}</span>' for flag in flags)


def _mt(machine: bool) -> str:
    return ' <span class="mt">machine translation</span>' if machine else ""


def _link(url: str) -> str:
    """A link only for web addresses; anything else (``javascript:`` ...) stays text."""
    if urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return f'<a href="{esc(url.strip())}">{esc(url)}</a>'
    return esc(url)


def _audio_url(audio: str) -> str:
    scheme = urlsplit(audio).scheme.lower()
    if scheme in ("http", "https", "file"):
        return audio
    return quote(audio.replace("\\", "/"))


def _speech(row: Row, src: str, tgt: str, source_first: bool, clickable: bool) -> str:
    label = f'<p class="speaker">{esc(row.speaker)}</p>' if row.speaker_changed and row.speaker else ""
    focus = ' tabindex="0"' if clickable else ""

    cols = [
        f'<div class="col source" lang="{esc(src)}">{label}<p>{_spans(row, "source", focus)}</p></div>',
        f'<div class="col target" lang="{esc(tgt)}">{label}<p>{_spans(row, "target", focus)}</p>'
        f"{_reasons(row)}</div>",
    ]
    inner = "".join(_order(cols, source_first))
    return f'<section class="{_row_class(row, "speech")}" data-paragraph="{row.paragraph}">{inner}</section>'


def _row_class(row: Row, kind: str) -> str:
    return f"row {kind} has-flags" if row.flagged else f"row {kind}"


def _spans(row: Row, side: str, focus: str = "") -> str:
    parts = []
    for pair in row.pairs:
        words = pair.source if side == "source" else pair.target
        if not words:
            continue
        attrs = 'class="s flagged"' if pair.flags else 'class="s"'
        if pair.segment_id >= 0:
            attrs += f' data-seg="{pair.segment_id}"'
            attrs += f' data-start="{pair.start_ms / 1000:.3f}" data-end="{pair.end_ms / 1000:.3f}"{focus}'
        if pair.flags:
            attrs += f' title="{esc("QA: " + "; ".join(pair.flags))}"'
        parts.append(f"<span {attrs}>{esc(words)}</span>")
    return " ".join(parts)


def _reasons(row: Row) -> str:
    """The QA flags of a row's sentences, each with the start of the sentence it is about."""
    items = []
    for pair in row.pairs:
        for flag in pair.flags:
            about = pair.target if len(pair.target) <= 40 else pair.target[:39] + "…"
            items.append(f'<span class="qa">⚑ {esc(flag)} — “{esc(about)}”</span>')
    return "".join(items)


def _note(row: Row, src: str, tgt: str, source_first: bool) -> str:
    if not row.target_text:
        return (
            f'<aside class="row note single" data-paragraph="{row.paragraph}">'
            f'<p class="label">Editor\'s note</p><p lang="{esc(src)}">{esc(row.note)}</p></aside>'
        )
    cols = [
        f'<div class="col source" lang="{esc(src)}"><p class="label">Editor\'s note</p>'
        f"<p>{_spans(row, 'source')}</p></div>",
        f'<div class="col target" lang="{esc(tgt)}"><p class="label">Editor\'s note{_mt(row.machine)}</p>'
        f"<p>{_spans(row, 'target')}</p>{_reasons(row)}</div>",
    ]
    inner = "".join(_order(cols, source_first))
    return f'<aside class="{_row_class(row, "note")}" data-paragraph="{row.paragraph}">{inner}</aside>'
