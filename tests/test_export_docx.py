"""The bilingual DOCX, read back with python-docx."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx
from bilingual_project import export_job, fixture_project, with_paragraph_text
from docx.oxml.ns import qn

from transkit.export import get_exporter
from transkit.export.parallel import parallel_text


def render(project, **options) -> bytes:
    return get_exporter("docx").render(export_job(project, options=options))


def test_table_holds_each_paragraph_side_by_side():
    project = fixture_project()
    document = docx.Document(io.BytesIO(render(project)))
    assert len(document.tables) == 1
    table = document.tables[0]
    rows = parallel_text(export_job(project)).rows
    assert len(table.rows) == len(rows) + 1
    assert [c.text for c in table.rows[0].cells] == ["English", "Русский"]
    for row, table_row in zip(rows, table.rows[1:]):
        left, right = table_row.cells
        if row.kind == "note":
            assert left._tc is right._tc  # one merged cell across the table
            assert left.text == "Editor's note: " + row.note
            continue
        source_paragraphs = [p.text for p in left.paragraphs]
        target_paragraphs = [p.text for p in right.paragraphs]
        assert source_paragraphs[-1] == row.source_text
        assert target_paragraphs[-1] == row.target_text
        if row.speaker_changed:
            for cell in (left, right):
                label = cell.paragraphs[0]
                assert label.text == row.speaker
                assert label.style.name == "Speaker" and label.style.font.bold


def test_columns_carry_their_languages_and_the_heading_row_repeats():
    document = docx.Document(io.BytesIO(render(fixture_project())))
    table = document.tables[0]
    heading = table.rows[0]._tr
    assert heading.trPr.find(qn("w:tblHeader")) is not None
    langs = set()
    for run in table.rows[2].cells[1].paragraphs[-1].runs:
        lang = run._r.rPr.find(qn("w:lang"))
        langs.add(lang.get(qn("w:val")))
    assert langs == {"ru"}


def test_title_block_and_properties():
    document = docx.Document(io.BytesIO(render(fixture_project())))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text.startswith("If President Putin wants less NATO")
    assert "Interviewer: Kirill Martynov, Editor-in-chief, Novaya Gazeta Europe" in text
    assert "Interviewee: Jens Stoltenberg, NATO Secretary General" in text
    assert "Translation: English → Русский; human, ru_pdf_fixture 1" in text
    props = document.core_properties
    assert props.title.startswith("If President Putin")
    assert props.author == "Kirill Martynov"
    assert props.language == "ru"
    assert props.created.replace(tzinfo=None) == datetime(2022, 4, 7)


def test_same_project_same_bytes():
    project = fixture_project()
    first = render(project)
    assert render(project) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2022-04-07T00:00:00Z" in core


def test_target_first_and_awkward_text():
    project = with_paragraph_text(fixture_project(), 2, "Tom & <Jerry> \x07 said", "Том & <Джерри> сказал")
    document = docx.Document(io.BytesIO(render(project, columns="target-first")))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Русский", "English"]
    answer = table.rows[3].cells
    assert answer[0].paragraphs[-1].text.endswith("Том & <Джерри> сказал")
    assert answer[1].paragraphs[-1].text.endswith("Tom & <Jerry> said")  # the control character dropped
