"""Bilingual DOCX for editors: a title block and a two-column table, one row per paragraph.

Speaker names are bold at the start of each turn; editor's notes sit in both
columns, the source and its translation (a note without one spans the row); the
translated title, subtitle and roles follow the source ones, marked "machine
translation" where they are; the target column's runs carry the target
language so a word processor spell-checks each column in its own language. The
table's heading row repeats on every page.

Reproducible bytes: the core properties take fixed values from the project (the
interview's date, not the clock) and the zip entries get a fixed timestamp.
Options: ``columns`` source-first|target-first, ``paper`` A4|letter.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from . import ExportJob, Exporter
from .parallel import ParallelText, Row, clean, option, parallel_text

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
TARGET_COLOUR = (0x1B, 0x3A, 0x72)
NOTE_COLOUR = (0x5F, 0x63, 0x68)


class DocxExporter(Exporter):
    name = "docx"
    extension = ".docx"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        text = parallel_text(job)
        source_first = option(job, "columns", "source-first", ("source-first", "target-first")) == "source-first"
        paper = option(job, "paper", "A4", ("A4", "letter"))
        return render_docx(text, source_first=source_first, paper=paper)


def render_docx(text: ParallelText, *, source_first: bool = True, paper: str = "A4") -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(210), Mm(297)) if paper == "A4" else (Mm(215.9), Mm(279.4))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    _define_styles(doc, Pt)
    _title_block(doc, text)
    _table(doc, text, source_first, section.page_width - section.left_margin - section.right_margin)
    _core_properties(doc, text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _define_styles(doc, Pt) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    styles = {
        "Parallel Source": dict(colour=None, italic=False, base="Normal"),
        "Parallel Target": dict(colour=TARGET_COLOUR, italic=False, base="Normal"),
        "Editor Note": dict(colour=NOTE_COLOUR, italic=True, base="Normal"),
        "Speaker": dict(colour=None, italic=False, base="Normal", bold=True, size=9.5, font="Arial"),
        "Document Facts": dict(colour=NOTE_COLOUR, italic=False, base="Normal", size=9.5, font="Arial"),
        "Title Translation": dict(colour=TARGET_COLOUR, italic=False, base="Normal", size=16),
    }
    for name, spec in styles.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[spec["base"]]
        style.paragraph_format.space_after = Pt(3)
        style.font.italic = spec["italic"]
        if spec["colour"]:
            style.font.color.rgb = RGBColor(*spec["colour"])
        if spec.get("bold"):
            style.font.bold = True
        if spec.get("size"):
            style.font.size = Pt(spec["size"])
        if spec.get("font"):
            style.font.name = spec["font"]
    doc.styles["Speaker"].paragraph_format.keep_with_next = True


def _title_block(doc, text: ParallelText) -> None:
    t = text.title
    doc.add_heading(clean(t.title), level=0)
    if t.title_target:
        para = doc.add_paragraph(style="Title Translation")
        _set_language(para.add_run(clean(t.title_target)), text.target_language)
        _mt(para, "title" in t.machine)
    if t.subtitle:
        doc.add_paragraph(clean(t.subtitle), style="Subtitle")
    if t.subtitle_target:
        para = doc.add_paragraph(style="Subtitle")
        _set_language(para.add_run(clean(t.subtitle_target)), text.target_language)
        _mt(para, "subtitle" in t.machine)
    facts: list[tuple[str, str]] = []
    source = " · ".join(x for x in (t.publisher, t.date) if x)
    if source:
        facts.append(("Source", source))
    if t.url:
        facts.append(("Address", t.url))
    roles: list[tuple[str, bool]] = [("", False)] * len(facts)
    for label, person, role, machine in t.people():
        facts.append((label, person))
        roles.append((role, machine))
    translation = f"{text.source_name} → {text.target_name}"
    if t.translation_line:
        translation += f"; {t.translation_line}"
    facts.append(("Translation", translation))
    roles.append(("", False))
    for (label, value), (role, machine) in zip(facts, roles):
        para = doc.add_paragraph(style="Document Facts")
        para.add_run(f"{label}: ").bold = True
        para.add_run(clean(value))
        if role:
            para.add_run(" · ")
            _set_language(para.add_run(clean(role)), text.target_language)
            _mt(para, machine)


def _mt(para, machine: bool) -> None:
    if machine:
        para.add_run(" (machine translation)").italic = True


def _table(doc, text: ParallelText, source_first: bool, width) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    column_width = int(width / 2)
    langs = _ordered((text.source_language, text.target_language), source_first)
    names = _ordered((text.source_name, text.target_name), source_first)
    heading = table.rows[0]
    _repeat_as_header(heading)
    for cell, name, lang in zip(heading.cells, names, langs):
        cell.width = column_width
        para = cell.paragraphs[0]
        para.style = doc.styles["Speaker"]
        _set_language(para.add_run(name), lang)
    for row in text.rows:
        cells = table.add_row().cells
        for cell in cells:
            cell.width = column_width
        if row.kind == "note" and row.target_text:
            sides = _ordered(((row.note, text.source_language, False), (row.target_text, text.target_language, True)), source_first)
            for cell, (words, lang, translated) in zip(cells, sides):
                _note(cell, words, lang, doc, machine=translated and row.machine)
        elif row.kind == "note":
            _note(cells[0].merge(cells[1]), row.note, text.source_language, doc)
        else:
            _speech(cells, row, text, source_first, doc)


def _ordered(pair: tuple[Any, Any], source_first: bool) -> tuple[Any, Any]:
    return pair if source_first else (pair[1], pair[0])


def _speech(cells, row: Row, text: ParallelText, source_first: bool, doc) -> None:
    source = clean(" ".join(p.source for p in row.pairs))
    target = clean(" ".join(p.target for p in row.pairs if p.target))
    sides = _ordered(
        ((source, text.source_language, "Parallel Source"), (target, text.target_language, "Parallel Target")),
        source_first,
    )
    for cell, (words, lang, style) in zip(cells, sides):
        first = cell.paragraphs[0]
        if row.speaker_changed and row.speaker:
            first.style = doc.styles["Speaker"]
            first.add_run(clean(row.speaker))
            body = cell.add_paragraph(style=style)
        else:
            first.style = doc.styles[style]
            body = first
        if words:
            _set_language(body.add_run(words), lang)


def _note(cell, words: str, lang: str, doc, *, machine: bool = False) -> None:
    para = cell.paragraphs[0]
    para.style = doc.styles["Editor Note"]
    label = para.add_run("Editor's note" + (" (machine translation)" if machine else "") + ": ")
    label.bold = True
    _set_language(para.add_run(clean(words)), lang)


def _set_language(run, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:lang")
    element.set(qn("w:val"), lang)
    run._r.get_or_add_rPr().append(element)


def _repeat_as_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _core_properties(doc, text: ParallelText) -> None:
    props = doc.core_properties
    when = _fixed_date(text.title.date)
    props.title = text.title.title
    props.author = text.title.author
    props.subject = f"{text.source_name} – {text.target_name} bilingual edition"
    props.language = text.target_language
    props.keywords = f"{text.source_language}, {text.target_language}, bilingual"
    props.comments = "Made with transkit"
    props.last_modified_by = "transkit"
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when


def _fixed_date(iso: str) -> datetime:
    try:
        return datetime.strptime(iso[:10], "%Y-%m-%d")
    except ValueError:
        return datetime(2000, 1, 1)


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry's timestamp and attributes fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
