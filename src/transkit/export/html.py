"""Bilingual HTML edition: one self-contained file (inline CSS and script, no network).

Wide screens show the two languages side by side (a CSS grid, one grid row per
paragraph so both stay level); narrow screens stack the translation under the
source. Every sentence is a ``<span data-seg=ID>`` in both columns: hovering one
highlights its counterpart. With the ``audio`` option (a path or URL, written as
given: a relative path is relative to the HTML file) the page carries an
``<audio>`` player and clicking a sentence plays the recording from its start.

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
.note { display: block; color: var(--muted); font-style: italic; border-left: 3px solid var(--rule);
        padding-left: .8rem; }
.note .label { font: 700 .78rem/1.5 system-ui, "DejaVu Sans", sans-serif; font-style: normal; }
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
    if audio:
        out.append(f'<audio id="audio" controls preload="metadata" src="{esc(_audio_url(audio))}"></audio>')
    out.append("<main>")
    heading_cols = [
        f'<div class="col source" lang="{esc(src)}">{esc(text.source_name)}</div>',
        f'<div class="col target" lang="{esc(tgt)}">{esc(text.target_name)}</div>',
    ]
    out.append('<div class="row headings">' + "".join(_order(heading_cols, source_first)) + "</div>")
    for row in text.rows:
        out.append(_note(row, src) if row.kind == "note" else _speech(row, src, tgt, source_first, bool(audio)))
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
    facts += [("Interviewer", esc(p)) for p in t.interviewers]
    facts += [("Interviewee", esc(p)) for p in t.interviewees]
    translation = f"{esc(text.source_name)} → {esc(text.target_name)}"
    if t.translation_line:
        translation += f"; {esc(t.translation_line)}"
    facts.append(("Translation", translation))
    rows = "\n".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts)
    subtitle = f'<p class="subtitle">{esc(t.subtitle)}</p>\n' if t.subtitle else ""
    return (
        f'<header class="title-block">\n<h1>{esc(t.title)}</h1>\n{subtitle}'
        f'<dl class="facts">\n{rows}\n</dl>\n</header>'
    )


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

    def spans(side: str) -> str:
        parts = []
        for pair in row.pairs:
            words = pair.source if side == "source" else pair.target
            if not words:
                continue
            attrs = 'class="s"'
            if pair.segment_id >= 0:
                attrs += f' data-seg="{pair.segment_id}"'
                attrs += f' data-start="{pair.start_ms / 1000:.3f}" data-end="{pair.end_ms / 1000:.3f}"{focus}'
            parts.append(f"<span {attrs}>{esc(words)}</span>")
        return " ".join(parts)

    cols = [
        f'<div class="col source" lang="{esc(src)}">{label}<p>{spans("source")}</p></div>',
        f'<div class="col target" lang="{esc(tgt)}">{label}<p>{spans("target")}</p></div>',
    ]
    inner = "".join(_order(cols, source_first))
    return f'<section class="row speech" data-paragraph="{row.paragraph}">{inner}</section>'


def _note(row: Row, src: str) -> str:
    return (
        f'<aside class="row note" data-paragraph="{row.paragraph}">'
        f'<p class="label">Editor\'s note</p><p lang="{esc(src)}">{esc(row.note)}</p></aside>'
    )
