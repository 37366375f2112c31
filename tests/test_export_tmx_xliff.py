"""TMX and XLIFF export, and the post-edit round trip through XLIFF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from bilingual_project import export_job, fixture_project, with_paragraph_text, with_translations

from transkit.errors import InputError
from transkit.export import ExportJob, get_exporter
from transkit.export.xliff import XLIFF12, import_xliff, read_xliff

TMX_NS = {"xml": "http://www.w3.org/XML/1998/namespace"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
X = {"x": XLIFF12}
HOSTILE = 'Tom & "Jerry" <b>bold</b> ]]> \x0b end'


def write(project, fmt: str, path: Path, **options) -> Path:
    path.write_bytes(get_exporter(fmt).render(export_job(project, options=options)))
    return path


def test_tmx_has_one_unit_per_translated_segment(tmp_path):
    project = fixture_project()
    data = get_exporter("tmx").render(export_job(project))
    assert data == get_exporter("tmx").render(export_job(project))  # deterministic
    assert b"<!DOCTYPE tmx" in data
    root = SafeET.fromstring(data, forbid_dtd=False)
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("srclang") == "en" and header.get("segtype") == "sentence"
    units = root.findall("body/tu")
    ru = {t.segment_id: t.text for t in project.language("ru").translations}
    assert [int(tu.get("tuid")) for tu in units] == sorted(ru)
    for tu in units:
        segment = project.segments[int(tu.get("tuid"))]
        tuvs = tu.findall("tuv")
        assert [tuv.get(XML_LANG) for tuv in tuvs] == ["en", "ru"]
        assert tuvs[0].find("seg").text == segment.text
        assert tuvs[1].find("seg").text == ru[segment.id]
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-speaker"] in ("Kirill Martynov", "Jens Stoltenberg")


def test_tmx_escapes_text():
    project = with_paragraph_text(fixture_project(), 2, HOSTILE, "Текст " + HOSTILE)
    root = SafeET.fromstring(get_exporter("tmx").render(export_job(project)), forbid_dtd=False)
    last = root.findall("body/tu")[-1]
    segs = [tuv.find("seg").text for tuv in last.findall("tuv")]
    expected = HOSTILE.replace("\x0b", "\ufffd")  # XML 1.0 cannot carry a vertical tab
    assert segs == [expected, "Текст " + expected]


def test_xliff_has_one_unit_per_segment_with_state(tmp_path):
    project = fixture_project()
    project = with_translations(project, "ru", {})  # all "human" in the fixture
    data = get_exporter("xliff").render(export_job(project))
    root = SafeET.fromstring(data)
    assert root.get("version") == "1.2"
    file = root.find("x:file", X)
    assert (file.get("source-language"), file.get("target-language")) == ("en", "ru")
    units = root.findall(".//x:trans-unit", X)
    assert [int(u.get("id")) for u in units] == [s.id for s in project.segments]
    for unit in units:
        segment = project.segments[int(unit.get("id"))]
        assert unit.find("x:source", X).text == segment.text
        assert unit.find("x:target", X).get("state") == "final"


def test_machine_output_is_marked_for_review_and_missing_targets_are_absent(tmp_path):
    project = fixture_project()
    result = project.language("ru")
    from dataclasses import replace

    translations = tuple(
        replace(t, origin="engine", qa_flags=("length-ratio",) if t.segment_id == 2 else ())
        for t in result.translations
        if t.segment_id != 5
    )
    project = replace(project, languages=(replace(result, translations=translations),))
    root = SafeET.fromstring(get_exporter("xliff").render(export_job(project)))
    units = {int(u.get("id")): u for u in root.findall(".//x:trans-unit", X)}
    assert units[5].find("x:target", X) is None
    target = units[0].find("x:target", X)
    # machine output: "translated", and "needs-review-translation" (what CAT tools filter on) where QA flagged it
    assert (target.get("state"), target.get("state-qualifier")) == ("translated", "mt-suggestion")
    flagged = units[2].find("x:target", X)
    assert (flagged.get("state"), flagged.get("state-qualifier")) == ("needs-review-translation", "mt-suggestion")
    assert "length-ratio" in units[2].find("x:note", X).text
    states = [u.find("x:target", X).get("state") for u in units.values() if u.find("x:target", X) is not None]
    assert states.count("needs-review-translation") == 1


def post_edit(path: Path, changes: dict[str, str]) -> None:
    """What a translator's tool does: replace target texts, keep everything else."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert text.count(f">{old}</target>") == 1
        text = text.replace(f">{old}</target>", f">{new}</target>")
    path.write_text(text, encoding="utf-8")


EDITS = {
    3: "У нас есть только одна обязанность: защищать и оборонять союзников.",
    9: "Мы подписали Основополагающий акт и учредили Совет Россия — НАТО.",
}


def edited_file(project, tmp_path: Path) -> Path:
    path = write(project, "xliff", tmp_path / "interview.en-ru.xlf")
    current = {t.segment_id: t.text for t in project.language("ru").translations}
    post_edit(path, {current[i]: text for i, text in EDITS.items()})
    return path


def test_import_returns_exactly_the_two_post_edits(tmp_path):
    project = fixture_project()
    path = edited_file(project, tmp_path)
    edits = import_xliff(path, project, "ru")
    assert edits == [(i, project.segments[i].text, EDITS[i]) for i in sorted(EDITS)]
    # Without the project every target comes back, edited or not.
    everything = import_xliff(path)
    assert len(everything) == len(project.segments)
    assert dict((i, t) for i, _, t in everything)[3] == EDITS[3]


def test_post_edits_reach_srt_pdf_and_html_and_nothing_else_changes(tmp_path):
    from transkit.layout import layout_track
    from transkit.profiles import default_profile_for

    project = fixture_project()
    edits = import_xliff(edited_file(project, tmp_path), project, "ru")
    # The pipeline stores these as human translations that win over the engine;
    # every later export then sees them as the project's translations.
    edited = with_translations(project, "ru", {i: text for i, _, text in edits})

    def outputs(p):
        texts = {t.segment_id: t.text for t in p.language("ru").translations}
        track = layout_track(p.segments, "ru", default_profile_for("ru"), texts)
        job = ExportJob(project=p, language="ru", track=track)
        return track, get_exporter("srt").render(job).decode(), get_exporter("html").render(job).decode(), job

    before_track, before_srt, before_html, before_job = outputs(project)
    after_track, after_srt, after_html, after_job = outputs(edited)

    # SRT: the edited sentences are there; every cue of another sentence is unchanged.
    assert before_srt != after_srt
    for seg, text in EDITS.items():
        cues = [c for c in after_track.cues if seg in c.segment_ids]
        assert cues
        shown = " ".join(" ".join(c.lines) for c in cues)
        assert set(re.findall(r"\w+", text)) <= set(re.findall(r"\w+", shown))
        for cue in cues:
            assert all(line in after_srt for line in cue.lines)
    untouched = lambda track: [c.lines for c in track.cues if not set(c.segment_ids) & set(EDITS)]
    assert untouched(before_track) == untouched(after_track)

    # HTML: only the two target spans differ.
    changed = [(a, b) for a, b in zip(before_html.splitlines(), after_html.splitlines()) if a != b]
    assert len(before_html.splitlines()) == len(after_html.splitlines())
    for text in EDITS.values():
        assert text in after_html and text not in before_html
    for a, b in changed:
        for seg in EDITS:
            a = a.replace(_span(before_job, seg), "")
            b = b.replace(_span(after_job, seg), "")
        assert a == b

    # PDF: the edited sentences are in the extracted text, the rest as before.
    pdftotext = _tool("pdftotext")
    pdfs = []
    for name, job in (("before", before_job), ("after", after_job)):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(get_exporter("pdf").render(job))
        pdfs.append(" ".join(subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout.split()))
    old = {t.segment_id: t.text for t in project.language("ru").translations}
    for seg, text in EDITS.items():
        assert text in pdfs[1] and text not in pdfs[0]
        assert old[seg] in pdfs[0] and old[seg] not in pdfs[1]
    for seg, text in old.items():
        if seg not in EDITS:
            assert text in pdfs[1]


def _span(job, seg: int) -> str:
    import html

    text = {t.segment_id: t.text for t in job.project.language("ru").translations}[seg]
    return html.escape(text)


def _tool(name: str) -> str:
    from conftest import require_tool

    return require_tool(name)


def test_changed_source_text_is_refused_with_the_unit_and_line(tmp_path):
    project = fixture_project()
    path = write(project, "xliff", tmp_path / "a.xlf")
    text = path.read_text(encoding="utf-8").replace(
        ">And no such plans have ever existed.</source>", ">And such plans have existed.</source>"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="unit 4: the source text differs") as info:
        import_xliff(path, project, "ru")
    line = text.splitlines()[info.value.line - 1]
    assert 'id="4"' in line


def test_file_for_another_language_or_project_is_refused(tmp_path):
    project = fixture_project()
    path = write(project, "xliff", tmp_path / "a.xlf")
    with pytest.raises(InputError, match="for 'ru', not 'de'"):
        import_xliff(path, project, "de")
    shorter = project.__class__(project.transcript, project.segments[:5], project.languages)
    with pytest.raises(InputError, match="unit 5 is not a segment of this project"):
        import_xliff(path, shorter, "ru")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="x" source-language="en" target-language="ru" datatype="plaintext"><body>
  <trans-unit id="0"><source>Has NATO ever wanted to conquer or divide Russia?</source><target>&h;</target></trans-unit>
 </body></file>
</xliff>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="x" source-language="en" target-language="ru" datatype="plaintext"><body>
  <trans-unit id="0"><source>x</source><target>&secret;</target></trans-unit>
 </body></file>
</xliff>
"""


@pytest.mark.parametrize("content", [BOMB, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(tmp_path, content):
    path = tmp_path / "hostile.xlf"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="refused: the file declares XML entities") as info:
        import_xliff(path, fixture_project(), "ru")
    assert str(path) in str(info.value)


def test_malformed_and_foreign_files_get_clear_errors(tmp_path):
    broken = tmp_path / "broken.xlf"
    broken.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n', encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed XML") as info:
        read_xliff(broken)
    assert info.value.line == 4
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(InputError, match="not an XLIFF 1.2 or 2.0 file"):
        read_xliff(other)
    with pytest.raises(InputError, match="not found"):
        read_xliff(tmp_path / "missing.xlf")


def test_xliff_2_files_are_read_too(tmp_path):
    project = fixture_project()
    path = tmp_path / "v2.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ru">\n'
        ' <file id="f1">\n'
        '  <unit id="0"><segment state="reviewed"><source>Has NATO ever wanted to conquer or divide Russia?</source>'
        "<target>Стремилось ли НАТО <pc id=\"1\">когда-либо</pc> завоевать Россию?</target></segment></unit>\n"
        '  <unit id="1"><segment><source>Some people believe that every military alliance in world history always '
        "wants to divide and conquer.</source></segment></unit>\n"
        " </file>\n</xliff>\n",
        encoding="utf-8",
    )
    assert import_xliff(path, project, "ru") == [
        (0, "Has NATO ever wanted to conquer or divide Russia?", "Стремилось ли НАТО когда-либо завоевать Россию?")
    ]


def test_flagged_units_need_review_and_accepting_or_editing_them_clears_the_flags(tmp_path):
    """A translator filters on needs-review-translation, fixes one unit, accepts another
    unchanged (state final); both come back as human translations without flags."""
    from dataclasses import replace

    from transkit.postedit import apply_post_edits
    from transkit.projectfile import load_project, save_project

    project = fixture_project()
    result = project.language("ru")
    flags = {1: ("negation: the source negates, the translation has no negation",), 4: ("added-negation: x",)}
    translations = tuple(replace(t, origin="engine", qa_flags=flags.get(t.segment_id, ())) for t in result.translations)
    project = replace(project, languages=(replace(result, translations=translations),))
    project_path = tmp_path / "interview.project.json"
    save_project(project, project_path)
    path = write(project, "xliff", tmp_path / "interview.en-ru.xlf")
    root = SafeET.fromstring(path.read_bytes())
    review = [u.get("id") for u in root.findall(".//x:trans-unit", X)
              if u.find("x:target", X).get("state") == "needs-review-translation"]
    assert review == ["1", "4"]
    text = path.read_text(encoding="utf-8")
    current = {t.segment_id: t.text for t in translations}
    text = text.replace(f">{current[1]}</target>", ">Исправленный перевод.</target>")
    unit4 = text.index('<trans-unit id="4"')
    text = text[:unit4] + text[unit4:].replace('state="needs-review-translation"', 'state="final"', 1)
    path.write_text(text, encoding="utf-8")
    updated, _language, changed = apply_post_edits(path, project_path, "ru", memory_path=tmp_path / "tm.sqlite")
    assert changed == 2
    after = {t.segment_id: t for t in load_project(project_path).language("ru").translations}
    assert (after[1].text, after[1].origin, after[1].qa_flags) == ("Исправленный перевод.", "human", ())
    assert (after[4].text, after[4].origin, after[4].qa_flags) == (current[4], "human", ())
    again = SafeET.fromstring(write(updated, "xliff", tmp_path / "again.xlf").read_bytes())
    assert not [u for u in again.findall(".//x:target", X) if u.get("state") == "needs-review-translation"]
