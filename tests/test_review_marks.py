"""Where QA flags, translated document texts and uncertain attributions show:
the parallel text, HTML (and its flagged-only filter in Chromium), the PDF review
margin, DOCX, Markdown, VTT/ASS speaker names, and the project file."""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace

import pytest
from bilingual_project import export_job, fixture_project

from transkit.doctexts import document_texts
from transkit.export import get_exporter
from transkit.export.parallel import parallel_text
from transkit.model import TextTranslation

NEGATION = "negation: the source negates, the translation has no negation"
ADDED = "added-negation: the translation negates ('не'), the source does not"
TERM = "inconsistent-term: 'NATO' is 'NATO' here, 'OTAN' elsewhere; in this document: 'OTAN' 2×, 'NATO' 1×"
FLAGGED_SEGMENT = 4  # in paragraph 2, Jens Stoltenberg's first answer
UNCERTAIN_PARAGRAPH = 3  # "KM?: What was the best time ..."


def translated(key: str) -> str:
    return f"Перевод {key.replace(':', ' ')}."


def review_project():
    """The fixture with translated document texts (the KM role by a human), one
    flagged segment, one flagged note sentence and one uncertain attribution."""
    project = fixture_project()
    transcript = project.transcript
    meta = replace(transcript.meta, extra=(("subtitle", "An interview with NATO Secretary General Jens Stoltenberg"),))
    paragraphs = tuple(
        replace(p, needs_review=True) if p.index == UNCERTAIN_PARAGRAPH else p for p in transcript.paragraphs
    )
    transcript = replace(transcript, meta=meta, paragraphs=paragraphs)
    texts = tuple(
        TextTranslation(
            key,
            source,
            translated(key),
            "human" if key == "role:KM" else "engine",
            (ADDED,) if key == "note:0.1" else (TERM,) if key == "subtitle" else (),
        )
        for key, source in document_texts(transcript)
    )
    result = project.language("ru")
    translations = tuple(
        replace(t, qa_flags=(NEGATION,) if t.segment_id == FLAGGED_SEGMENT else ()) for t in result.translations
    )
    return replace(project, transcript=transcript, languages=(replace(result, translations=translations, texts=texts),))


def render(fmt: str, project=None, **options) -> bytes:
    return get_exporter(fmt).render(export_job(project or review_project(), options=options))


def test_document_texts_are_title_subtitle_roles_and_note_sentences():
    keys = [key for key, _ in document_texts(review_project().transcript)]
    assert keys == ["title", "subtitle", "role:KM", "role:JS", "note:0.0", "note:0.1"]
    sources = dict(document_texts(review_project().transcript))
    assert sources["role:KM"] == "Editor-in-chief, Novaya Gazeta Europe"  # the "(interviewer)" mark is not text
    assert sources["note:0.0"] == "Please note."


def test_parallel_text_carries_translations_flags_and_uncertain_names():
    text = parallel_text(export_job(review_project()))
    t = text.title
    assert (t.title_target, t.subtitle_target) == (translated("title"), translated("subtitle"))
    assert t.interviewer_roles == (translated("role:KM"),) and t.interviewee_roles == (translated("role:JS"),)
    assert t.machine == {"title", "subtitle"}
    assert (t.interviewer_roles_mt, t.interviewee_roles_mt) == ((False,), (True,))  # KM's role by a human
    note = text.rows[0]
    assert note.kind == "note" and note.machine and note.target_text == f"{translated('note:0.0')} {translated('note:0.1')}"
    assert note.flagged and not text.rows[1].flagged and text.rows[2].flagged
    uncertain = next(r for r in text.rows if r.paragraph == UNCERTAIN_PARAGRAPH)
    assert uncertain.speaker == "Kirill Martynov (?)" and uncertain.speaker_changed
    after = next(r for r in text.rows if r.paragraph == UNCERTAIN_PARAGRAPH + 1)
    assert after.speaker == "Jens Stoltenberg"


def test_a_note_changed_since_translation_is_shown_untranslated():
    project = review_project()
    transcript = project.transcript
    paragraphs = tuple(replace(p, text="A new note.") if p.kind == "note" else p for p in transcript.paragraphs)
    project = replace(project, transcript=replace(transcript, paragraphs=paragraphs))
    note = parallel_text(export_job(project)).rows[0]
    assert note.note == "A new note." and note.target_text == ""


def test_html_marks_flags_with_their_reason_and_shows_the_translated_texts():
    page = render("html").decode()
    assert 'class="s flagged"' in page and page.count('class="qa"') == 3
    assert "⚑ negation: the source negates" in page and "⚑ added-negation" in page
    assert 'id="flagged-only"' in page and "Flagged sentences only (2 flagged" in page
    assert '<p class="subtitle target flagged"' in page and "⚑ inconsistent-term: &#x27;NATO&#x27;" in page
    assert translated("title") in page and translated("note:0.1") in page
    assert page.count('<span class="mt">machine translation</span>') >= 3  # title, subtitle, roles, note
    assert "Kirill Martynov (?)" in page
    unflagged = replace(review_project(), languages=(replace(
        review_project().languages[0],
        translations=tuple(replace(t, qa_flags=()) for t in review_project().languages[0].translations),
        texts=tuple(replace(t, qa_flags=()) for t in review_project().languages[0].texts),
    ),))
    clean = render("html", unflagged).decode()
    body = clean.split("<main>")[1].split("<script>")[0]
    assert "flagged" not in body and "has-flags" not in body and 'id="flagged-only"' not in clean


@pytest.mark.browser
def test_html_flagged_only_filter_hides_every_other_row_in_chromium(chromium, tmp_path):
    from test_export_html import chromium_run, probe_result, with_probe

    script = (
        "function shown() { return Array.prototype.filter.call(document.querySelectorAll('main > .row'),"
        "  function (r) { return r.offsetHeight > 0 && !r.classList.contains('headings'); })"
        "  .map(function (r) { return r.dataset.paragraph; }); }"
        "var all = shown(); var box = document.getElementById('flagged-only');"
        "box.click(); var only = shown(); var marked = document.querySelectorAll('.col.target .s.flagged').length;"
        "box.click(); return {all: all, only: only, back: shown(), marked: marked};"
    )
    path = tmp_path / "review.html"
    path.write_text(with_probe(render("html").decode(), script), encoding="utf-8")
    result = probe_result(chromium_run(chromium, tmp_path, "--dump-dom", path.as_uri()))
    assert result["only"] == ["0", "2"]  # the note and the answer with the flagged sentence
    assert len(result["all"]) == len(review_project().transcript.paragraphs) == len(result["back"])
    assert result["marked"] == 2


def _pdf_words(data: bytes, tmp_path) -> list[tuple[float, str]]:
    """(x of the word's left edge in points, word) of every word, via pdftotext -bbox."""
    import re

    from conftest import require_tool

    path = tmp_path / "review.pdf"
    path.write_bytes(data)
    out = subprocess.run([require_tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(x), word) for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


@pytest.mark.poppler
def test_pdf_review_edition_marks_flagged_rows_in_the_margin(tmp_path):
    margin_pt = 18 / 25.4 * 72
    review = _pdf_words(render("pdf", review="yes"), tmp_path)
    in_margin = [word for x, word in review if x < margin_pt - 1]
    # the subtitle's flag, the note's, then the answer's
    assert in_margin == ["inconsistent-", "term", "added-", "negation", "negation"]
    plain = _pdf_words(render("pdf"), tmp_path)
    assert not [word for x, word in plain if x < margin_pt - 1]
    words = " ".join(word for _x, word in plain)
    assert "Перевод title." in words and "Перевод note 0.1." in words and "(machine translation)" in words
    assert "Martynov (?)" in words


def test_docx_and_markdown_show_the_translated_texts_and_uncertain_names():
    from docx import Document

    doc = Document(io.BytesIO(render("docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert translated("title") + " (machine translation)" in paragraphs
    assert any(translated("role:KM") in p and "machine" not in p for p in paragraphs)  # a human's translation
    assert any(translated("note:0.0") in c and "(machine translation)" in c for c in cells)
    assert any(c.startswith("Kirill Martynov (?)") for c in cells)
    md = render("md").decode()
    assert f"**{translated('title')}** *(machine translation)*" in md
    assert f"> *{translated('note:0.0')} {translated('note:0.1')}* *(machine translation)*" in md
    assert "**Kirill Martynov (?)**" in md


def test_subtitles_name_an_uncertain_speaker_with_a_question_mark():
    from transkit.export import ExportJob
    from transkit.pipeline import build_track
    from transkit.profiles import default_profile_for

    project = review_project()
    track = build_track(project, "ru", default_profile_for("ru"))
    job = ExportJob(project=project, language="ru", track=track)
    uncertain = {s.id for s in project.segments if s.paragraph == UNCERTAIN_PARAGRAPH}
    vtt = get_exporter("vtt").render(job).decode()
    ass = get_exporter("ass").render(job).decode()
    shown = [c for c in track.cues if set(c.segment_ids) & uncertain]
    assert shown and vtt.count("<v Kirill Martynov (?)>") == len(shown)
    assert "<v Kirill Martynov>" in vtt  # his other questions stay certain
    assert ass.count(",Kirill Martynov (?),") == len(shown)


def test_project_files_keep_document_texts_and_older_files_still_load(tmp_path):
    from transkit.projectfile import dumps_project, load_project, project_from_dict

    project = review_project()
    path = tmp_path / "p.project.json"
    path.write_text(dumps_project(project), encoding="utf-8")
    assert load_project(path) == project
    old = json.loads(dumps_project(project))
    for lang in old["languages"]:
        del lang["texts"]
    loaded = project_from_dict(old)
    assert loaded.languages[0].texts == () and loaded.segments == project.segments
    assert parallel_text(export_job(loaded)).title.title_target == ""


def test_xliff_carries_the_document_texts_and_their_edits_come_back(tmp_path):
    import defusedxml.ElementTree as SafeET

    from transkit.postedit import apply_post_edits
    from transkit.projectfile import load_project, save_project

    X = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    project = review_project()
    project_path = tmp_path / "interview.project.json"
    save_project(project, project_path)
    xlf = tmp_path / "interview.en-ru.xlf"
    xlf.write_bytes(render("xliff", project))
    units = {u.get("id"): u for u in SafeET.fromstring(xlf.read_bytes()).findall(".//x:trans-unit", X)}
    states = {k: u.find("x:target", X).get("state") for k, u in units.items() if k.startswith("doc:")}
    assert states == {
        "doc:title": "translated", "doc:subtitle": "needs-review-translation", "doc:role:KM": "final",
        "doc:role:JS": "translated", "doc:note:0.0": "translated", "doc:note:0.1": "needs-review-translation",
    }
    text = xlf.read_text(encoding="utf-8")
    text = text.replace(f">{translated('note:0.1')}</target>", ">Исправленная заметка.</target>")
    at = text.index('id="doc:subtitle"')
    text = text[:at] + text[at:].replace('state="needs-review-translation"', 'state="final"', 1)
    xlf.write_text(text, encoding="utf-8")
    _updated, _language, changed = apply_post_edits(xlf, project_path, "ru", memory_path=tmp_path / "tm.sqlite")
    assert changed == 2
    texts = {t.key: t for t in load_project(project_path).language("ru").texts}
    assert (texts["note:0.1"].text, texts["note:0.1"].origin, texts["note:0.1"].qa_flags) == ("Исправленная заметка.", "human", ())
    assert (texts["subtitle"].origin, texts["subtitle"].qa_flags) == ("human", ())
    assert texts["title"].origin == "engine"
    shown = parallel_text(export_job(load_project(project_path)))
    assert "subtitle" not in shown.title.machine and not shown.title.subtitle_flags and not shown.rows[0].flagged
