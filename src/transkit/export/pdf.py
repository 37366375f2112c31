"""Bilingual PDF edition: the two languages side by side, one row per paragraph.

Both columns of a row start at the same height, so a reader's eye can move across;
a row taller than the space left on a page is split between sentences (both
columns at the same sentence), and a single sentence taller than a page is split
between lines. Editor's notes sit in both columns like speech (source and
translation, in italics); a note without a translation spans the page. The
translated title, subtitle and roles follow the source ones, marked "machine
translation" where they are.

The review edition (option ``review`` yes) marks every row that holds a sentence
with QA flags: a red bar in the left margin beside the row and the flags' codes
printed there, so an editor leafing through sees where to look.

Export options (``job.options``): ``columns`` source-first|target-first,
``paper`` A4|letter, ``font_size`` (points, 7-16), ``layout`` side-by-side|stacked,
``review`` no|yes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any

from . import ExportJob, Exporter, pdf_fonts
from .parallel import ParallelText, Row, SentencePair, clean, float_option, option, parallel_text
from ..errors import UsageError

MM_PER_PT = 25.4 / 72
MARGIN = 18.0  # mm, left and right
GUTTER = 8.0  # mm between the columns
FIRST_PAGE_TOP = 16.0
BODY_TOP = 24.0  # below the running header and column headings
BOTTOM = 18.0
GREY = (90, 90, 90)
TARGET_COLOUR = (25, 45, 90)
FLAG_COLOUR = (197, 34, 31)
MT_MARK = " (machine translation)"


@dataclass(frozen=True)
class PdfSettings:
    paper: str = "A4"
    font_size: float = 10.0
    stacked: bool = False
    source_first: bool = True
    review: bool = False

    @classmethod
    def from_job(cls, job: ExportJob) -> "PdfSettings":
        return cls(
            paper=option(job, "paper", "A4", ("A4", "letter")),
            font_size=float_option(job, "font_size", 10.0, 7.0, 16.0),
            stacked=option(job, "layout", "side-by-side", ("side-by-side", "stacked")) == "stacked",
            source_first=option(job, "columns", "source-first", ("source-first", "target-first")) == "source-first",
            review=option(job, "review", "no", ("no", "yes")) == "yes",
        )


class PdfExporter(Exporter):
    name = "pdf"
    extension = ".pdf"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        return render_pdf(parallel_text(job), PdfSettings.from_job(job))


def render_pdf(text: ParallelText, settings: PdfSettings = PdfSettings()) -> bytes:
    pdf = _document_class()(text, settings)
    _set_up_fonts(pdf, text)
    _set_metadata(pdf, text)
    pdf.add_page()
    _Typesetter(pdf, text, settings).run()
    return bytes(pdf.output())


@cache
def _document_class():
    from fpdf import FPDF

    class BilingualPdf(FPDF):
        """FPDF with transkit's running header (from page 2) and page numbers."""

        def __init__(self, text: ParallelText, settings: PdfSettings) -> None:
            super().__init__(orientation="portrait", unit="mm", format=settings.paper)
            self.parallel = text
            self.settings = settings
            self.set_margins(MARGIN, FIRST_PAGE_TOP, MARGIN)
            self.set_auto_page_break(True, margin=BOTTOM)
            self.column_width = (self.epw - GUTTER) / 2
            self.alias_nb_pages("{nb}")

        def header(self) -> None:
            if self.page_no() == 1:
                self.set_y(FIRST_PAGE_TOP)
                return
            title = self.parallel.title.title
            pair = f"{self.parallel.source_name} · {self.parallel.target_name}"
            self.set_font("sans", "", 7.5)
            self.set_text_color(*GREY)
            pair_width = self.get_string_width(pair) + 2
            self.set_xy(MARGIN, 9)
            self.cell(self.epw - pair_width - 4, 4, _fit(self, title, self.epw - pair_width - 6))
            self.set_xy(self.w - MARGIN - pair_width, 9)
            self.cell(pair_width, 4, pair, align="R")
            self.set_draw_color(*GREY)
            self.set_line_width(0.2)
            self.line(MARGIN, 14, self.w - MARGIN, 14)
            self.set_text_color(0, 0, 0)
            if not self.settings.stacked:
                _column_headings(self, 16.5)
            self.set_y(BODY_TOP)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("sans", "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    return BilingualPdf


def _fit(pdf, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _column_headings(pdf, y: float) -> None:
    left, right = _ordered(pdf.parallel.source_name, pdf.parallel.target_name, pdf.settings)
    pdf.set_font("sans", "B", 8.5)
    pdf.set_text_color(*GREY)
    for x, name in ((MARGIN, left), (MARGIN + pdf.column_width + GUTTER, right)):
        pdf.set_xy(x, y)
        pdf.cell(pdf.column_width, 5, name)
    pdf.set_text_color(0, 0, 0)


def _ordered(source: Any, target: Any, settings: PdfSettings) -> tuple[Any, Any]:
    return (source, target) if settings.source_first else (target, source)


def _set_up_fonts(pdf, text: ParallelText) -> None:
    for (family, style), filename in pdf_fonts.BUNDLED_FACES.items():
        pdf.add_font(family, style, str(pdf_fonts.font_path(filename)))
    t = text.title
    strings = [t.title, t.subtitle, t.publisher, t.url, t.date, t.translation_line, text.source_name, text.target_name]
    strings += [t.title_target, t.subtitle_target, MT_MARK]
    strings += list(t.interviewers + t.interviewees + t.interviewer_roles + t.interviewee_roles)
    for row in text.rows:
        strings += [row.speaker, row.note] + [p.source for p in row.pairs] + [p.target for p in row.pairs]
    chars = pdf_fonts.printable_characters(strings)
    shaped = pdf_fonts.needs_shaping(chars)
    if shaped:
        if not pdf_fonts.shaping_available():
            raise UsageError(
                f"the {shaped} script needs text shaping to print correctly in a PDF",
                hint="install the uharfbuzz package (pip install uharfbuzz), or export HTML or DOCX",
            )
        pdf.set_text_shaping(True)
    serif, sans = pdf.fonts["serif"].cmap, pdf.fonts["sans"].cmap
    missing = {c for c in chars if ord(c) not in serif and ord(c) not in sans}
    fallback_ids = ["sans"]
    for number, font in enumerate(pdf_fonts.fallback_fonts(missing)):
        family = f"fallback{number}"
        pdf.add_font(family, "", font.path, collection_font_number=font.index)
        fallback_ids.append(family)
    pdf.set_fallback_fonts(fallback_ids, exact_match=False)


def _set_metadata(pdf, text: ParallelText) -> None:
    pdf.set_title(text.title.title)
    pdf.set_author(text.title.author)
    pdf.set_subject(f"{text.source_name} – {text.target_name} bilingual edition")
    pdf.set_lang(text.target_language)
    pdf.set_creator("transkit")
    # A fixed creation date (the interview's) keeps the bytes, and the file id
    # derived from them, the same on every run.
    pdf.set_creation_date(_fixed_date(text.title.date))


def _fixed_date(iso: str) -> datetime:
    try:
        day = datetime.strptime(iso[:10], "%Y-%m-%d")
    except ValueError:
        day = datetime(2000, 1, 1)
    return day.replace(tzinfo=timezone.utc)


class _Typesetter:
    """Places the title block and the rows on the pages."""

    def __init__(self, pdf, text: ParallelText, settings: PdfSettings) -> None:
        self.pdf = pdf
        self.text = text
        self.settings = settings
        self.size = settings.font_size
        self.line_height = settings.font_size * 1.38 * MM_PER_PT
        self.label_size = settings.font_size * 0.85
        self.row_gap = self.line_height * 0.7
        self.col_w = pdf.column_width
        self.x_left = MARGIN
        self.x_right = MARGIN + self.col_w + GUTTER
        self.serif_cmap = pdf.fonts["serif"].cmap
        self._style = ""  # "I" while a note is set
        self._colours: tuple[Any, Any] | None = None

    def run(self) -> None:
        self.title_block()
        for row in self.text.rows:
            if row.kind == "note":
                self.note_row(row)
            elif self.settings.stacked:
                self.stacked_row(row)
            else:
                self.speech_row(row)

    # -- title block ---------------------------------------------------------
    def title_block(self) -> None:
        pdf, t = self.pdf, self.text.title
        pdf.set_font("serif", "B", 17)
        pdf.multi_cell(pdf.epw, 17 * 1.25 * MM_PER_PT, clean(t.title), align="L", new_x="LMARGIN", new_y="NEXT")
        if t.title_target:
            pdf.ln(0.8)
            top = pdf.y
            pdf.set_font("serif", "B", 13.5)
            pdf.set_text_color(*TARGET_COLOUR)
            shown = clean(t.title_target) + (MT_MARK if "title" in t.machine else "")
            pdf.multi_cell(pdf.epw, 13.5 * 1.25 * MM_PER_PT, shown, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            self._review_mark([SentencePair(-1, t.title, t.title_target, 0, 0, t.title_flags)], top, pdf.y)
        for subtitle, colour, key in ((t.subtitle, (0, 0, 0), ""), (t.subtitle_target, TARGET_COLOUR, "subtitle")):
            if not subtitle:
                continue
            pdf.ln(0.8)
            top = pdf.y
            pdf.set_font("serif", "I", 11.5)
            pdf.set_text_color(*colour)
            shown = clean(subtitle) + (MT_MARK if key and key in t.machine else "")
            pdf.multi_cell(pdf.epw, 11.5 * 1.3 * MM_PER_PT, shown, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            if key:
                self._review_mark([SentencePair(-1, t.subtitle, subtitle, 0, 0, t.subtitle_flags)], top, pdf.y)
        pdf.ln(2)
        lines = []
        source = " · ".join(x for x in (t.publisher, t.date) if x)
        if source:
            lines.append(("Source", source))
        if t.url:
            lines.append(("", t.url))
        for label, person, role, machine in t.people():
            lines.append((label, person))
            if role:
                lines.append(("", "\x00" + role + (MT_MARK if machine else "")))
        translation = f"{self.text.source_name} → {self.text.target_name}"
        if t.translation_line:
            translation += f"; {t.translation_line}"
        lines.append(("Translation", translation))
        for label, value in lines:
            translated = value.startswith("\x00")  # a translated role, printed in the target colour
            pdf.set_x(MARGIN)
            pdf.set_font("sans", "B", 8.5)
            pdf.cell(24, 4.6, label)
            pdf.set_font("sans", "", 8.5)
            if translated:
                pdf.set_text_color(*TARGET_COLOUR)
            pdf.multi_cell(pdf.epw - 24, 4.6, clean(value), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(2)
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN, pdf.y, pdf.w - MARGIN, pdf.y)
        pdf.ln(2.5)
        if not self.settings.stacked:
            _column_headings(pdf, pdf.y)
            pdf.set_y(pdf.y + 7)

    # -- side by side --------------------------------------------------------
    def speech_row(self, row: Row, label: Any = None) -> None:
        """One row in two columns; ``label`` is the heading of both columns (the
        speaker at a new turn) or a (left, right) pair of headings."""
        pdf = self.pdf
        pairs = list(row.pairs)
        if label is None:
            label = clean(row.speaker) if row.speaker_changed else ""
        while pairs:
            room = pdf.page_break_trigger - pdf.y - 0.01
            if self._surely_fits(pairs, label, room) or self._chunk_height(pairs, label) <= room:
                self._draw_chunk(pairs, label)
                pdf.set_y(pdf.y + self.row_gap)
                return
            fit = self._pairs_that_fit(pairs, label, room)
            if fit:
                self._draw_chunk(pairs[:fit], label)
                pairs, label = pairs[fit:], ""
                pdf.add_page()
            elif pdf.y > self._page_top() + 0.01:
                pdf.add_page()
            else:  # one sentence taller than a whole page
                pairs[0] = self._draw_lines_that_fit(pairs[0], label, room)
                label = ""
                pdf.add_page()

    def _review_mark(self, pairs: list[SentencePair], top: float, bottom: float) -> None:
        """A red bar in the left margin beside ``top``..``bottom`` and the flags' codes."""
        codes = list(dict.fromkeys(flag.split(":", 1)[0] for pair in pairs for flag in pair.flags))
        if not (self.settings.review and codes):
            return
        pdf = self.pdf
        x, y_after = pdf.x, pdf.y
        pdf.set_fill_color(*FLAG_COLOUR)
        pdf.rect(MARGIN - 2.2, top, 0.9, max(bottom - top, 2.0), style="F")
        pdf.set_font("sans", "B", 5.2)
        pdf.set_text_color(*FLAG_COLOUR)
        y = top
        for code in codes:
            # "inconsistent-term" is wider than the margin: break after its hyphens
            for part in re.findall(r"[^-]+-?", code):
                pdf.set_xy(1.0, y)
                pdf.cell(MARGIN - 3.6, 2.4, part, align="R")
                y += 2.4
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(x, y_after)

    def _page_top(self) -> float:
        return FIRST_PAGE_TOP if self.pdf.page_no() == 1 else BODY_TOP

    def _columns(self, pairs: list[SentencePair]) -> tuple[str, str]:
        source = clean(" ".join(p.source for p in pairs))
        target = clean(" ".join(p.target for p in pairs if p.target))
        return _ordered(source, target, self.settings)

    def _text_height(self, text: str) -> float:
        if not text:
            return 0.0
        self.pdf.set_font("serif", self._style, self.size)
        return self.pdf.multi_cell(self.col_w, self.line_height, text, align="L", dry_run=True, output="HEIGHT")

    def _line_bound(self, text: str) -> int | None:
        """At most how many lines ``text`` wraps to, from its width alone (None: no cheap bound).

        Every line but the last is filled to more than the column's width less one
        space and the widest word (else that word would have fitted), so the text's
        width divided by that gives a safe bound without running the line breaker.
        """
        if not text:
            return 0
        pdf = self.pdf
        if self._style or any(ord(c) not in self.serif_cmap for c in set(text)):
            return None  # some glyphs come from a fallback font: measure exactly
        pdf.set_font("serif", self._style, self.size)
        usable = self.col_w - 2 * pdf.c_margin
        widest = max(pdf.get_string_width(word) for word in set(text.split(" ")))
        slack = usable - widest - pdf.get_string_width(" ")
        if slack < usable / 3:
            return None
        return 1 + int(pdf.get_string_width(text) // slack)

    def _surely_fits(self, pairs: list[SentencePair], label: str, room: float) -> bool:
        label_h = self.line_height if label else 0.0
        if room < label_h + self.line_height:
            return False
        bounds = [self._line_bound(text) for text in self._columns(pairs)]
        if None in bounds:
            return False
        return label_h + max(bounds) * self.line_height <= room  # type: ignore[type-var]

    def _chunk_height(self, pairs: list[SentencePair], label: Any) -> float:
        left, right = self._columns(pairs)
        label_h = self.line_height if label else 0.0
        return label_h + max(self._text_height(left), self._text_height(right))

    def _pairs_that_fit(self, pairs: list[SentencePair], label: str, room: float) -> int:
        low, high = 0, len(pairs) - 1  # the whole row is known not to fit
        while low < high:
            middle = (low + high + 1) // 2
            if self._chunk_height(pairs[:middle], label) <= room:
                low = middle
            else:
                high = middle - 1
        return low

    def _draw_chunk(self, pairs: list[SentencePair], label: Any) -> None:
        top = self.pdf.y
        self._draw_columns(self._columns(pairs), label)
        self._review_mark(pairs, top, self.pdf.y)

    def _draw_columns(self, columns: tuple[str, str], label: Any) -> None:
        """Both columns from the current height; leaves y below the taller one."""
        pdf = self.pdf
        top = bottom = pdf.y
        colours = self._colours or _ordered((0, 0, 0), TARGET_COLOUR, self.settings)
        labels = label if isinstance(label, tuple) else (label, label)
        for x, text, colour, heading in zip((self.x_left, self.x_right), columns, colours, labels):
            y = top
            if label:
                pdf.set_font("sans", "B", self.label_size)
                pdf.set_text_color(*(GREY if self._style else (0, 0, 0)))
                pdf.set_xy(x, y)
                pdf.cell(self.col_w, self.line_height, heading)
                y += self.line_height
            if text:
                pdf.set_font("serif", self._style, self.size)
                pdf.set_text_color(*colour)
                pdf.set_xy(x, y)
                pdf.multi_cell(self.col_w, self.line_height, text, align="L", new_x="LEFT", new_y="NEXT")
                y = pdf.y
            bottom = max(bottom, y)
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(MARGIN, bottom)

    def _draw_lines_that_fit(self, pair: SentencePair, label: str, room: float) -> SentencePair:
        """Draw as many lines of one oversized sentence pair as the page holds; return the rest."""
        pdf = self.pdf
        per_page = max(1, int((room - (self.line_height if label else 0)) // self.line_height))
        pdf.set_font("serif", self._style, self.size)
        lines = [
            pdf.multi_cell(self.col_w, self.line_height, clean(text), dry_run=True, output="LINES") if text else []
            for text in (pair.source, pair.target)
        ]
        head = tuple("\n".join(side[:per_page]) for side in lines)
        top = pdf.y
        self._draw_columns(_ordered(head[0], head[1], self.settings), label)
        self._review_mark([pair], top, pdf.y)
        return SentencePair(
            pair.segment_id, " ".join(lines[0][per_page:]), " ".join(lines[1][per_page:]), 0, 0, pair.flags
        )

    # -- notes and stacked rows (single column: fpdf breaks pages itself) -----
    def _keep_with_next(self, lines: int) -> None:
        if self.pdf.y + lines * self.line_height > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def _label(self, text: str, colour=(0, 0, 0)) -> None:
        pdf = self.pdf
        pdf.set_font("sans", "B", self.label_size)
        pdf.set_text_color(*colour)
        pdf.set_x(MARGIN)
        pdf.cell(pdf.epw, self.line_height, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)

    def note_row(self, row: Row) -> None:
        pdf = self.pdf
        if row.target_text and not self.settings.stacked:
            heading = "Editor's note"
            labels = _ordered(heading, heading + (MT_MARK if row.machine else ""), self.settings)
            self._style, self._colours = "I", (GREY, GREY)
            try:
                self.speech_row(row, labels)
            finally:
                self._style, self._colours = "", None
            return
        if row.target_text:  # stacked: the note, then its translation
            for text, label in _ordered(
                (row.note, "Editor's note"),
                (row.target_text, "Editor's note" + (MT_MARK if row.machine else "")),
                self.settings,
            ):
                self._keep_with_next(3)
                self._label(label, GREY)
                pdf.set_font("serif", "I", self.size)
                pdf.set_text_color(*GREY)
                pdf.multi_cell(pdf.epw, self.line_height, clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
                pdf.set_text_color(0, 0, 0)
                pdf.set_y(pdf.y + self.line_height * 0.3)
            pdf.set_y(pdf.y + self.row_gap * 0.7)
            return
        self._keep_with_next(3)
        self._label("Editor's note", GREY)
        pdf.set_font("serif", "I", self.size)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(pdf.epw, self.line_height, clean(row.note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_y(pdf.y + self.row_gap)

    def stacked_row(self, row: Row) -> None:
        pdf = self.pdf
        source = clean(" ".join(p.source for p in row.pairs))
        target = clean(" ".join(p.target for p in row.pairs if p.target))
        first, second = _ordered((source, (0, 0, 0), 0.0), (target, TARGET_COLOUR, 5.0), self.settings)
        self._keep_with_next(3 if row.speaker_changed else 2)
        top, page = pdf.y, pdf.page_no()
        if row.speaker_changed:
            self._label(clean(row.speaker))
        for text, colour, indent in (first, second):
            if not text:
                continue
            pdf.set_font("serif", "", self.size)
            pdf.set_text_color(*colour)
            pdf.set_left_margin(MARGIN + indent)
            pdf.set_x(MARGIN + indent)
            pdf.multi_cell(pdf.epw, self.line_height, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_left_margin(MARGIN)
            pdf.set_y(pdf.y + self.line_height * 0.3)
        pdf.set_text_color(0, 0, 0)
        # a row that ran onto the next page is marked there, from the top of the body
        self._review_mark(list(row.pairs), top if pdf.page_no() == page else BODY_TOP, pdf.y)
        pdf.set_y(pdf.y + self.row_gap * 0.7)
