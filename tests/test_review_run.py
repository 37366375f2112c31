"""The review workflow on the real interview with the real Firefox en->pt model:
`run --qa-report --review` flags both negation slips and the NATO/OTAN
inconsistency, and every place an editor looks shows them; the notes, title and
roles are translated in every document format; an uncertain attribution is
warned about and shown as uncertain, or refused with --strict."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from conftest import require_tool
from typer.testing import CliRunner

from transkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
X = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
runner = CliRunner()


def interview_with_an_uncertain_question(tmp_path: Path) -> tuple[Path, int]:
    text = INTERVIEW.read_text(encoding="utf-8")
    marked = text.replace("KM: What was the best time", "KM?: What was the best time", 1)
    assert marked != text
    line = marked[: marked.index("KM?:")].count("\n") + 1
    path = tmp_path / "interview.md"
    path.write_text(marked, encoding="utf-8")
    return path, line


def test_strict_refuses_an_uncertain_attribution_before_writing_anything(tmp_path):
    source, line = interview_with_an_uncertain_question(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(source), "--to", "pt", "--out", str(out), "--strict"])
    assert result.exit_code == 8
    (error,) = [line_ for line_ in result.stderr.splitlines() if "error" in line_]
    assert f"interview.md:{line}:" in error and "KM?:" in error
    assert not out.exists()


@pytest.mark.model
@pytest.mark.poppler
def test_review_run_on_the_interview(tmp_path, test_models_dir, monkeypatch):
    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "memory.sqlite"))
    source, line = interview_with_an_uncertain_question(tmp_path)
    out, report = tmp_path / "out", tmp_path / "qa.json"
    result = runner.invoke(
        app,
        ["run", str(source), "--to", "pt", "--out", str(out), "--formats", "vtt,pdf,html,docx,md,xliff",
         "--qa-report", str(report), "--review"],
    )
    assert result.exit_code == 0, result.output

    # the uncertain attribution: one warning naming its line
    warnings = [w for w in result.stderr.splitlines() if "warning" in w]
    assert len(warnings) == 1 and f"interview.md:{line}:" in warnings[0] and "'Kirill Martynov (?)'" in warnings[0]

    # the QA report: both negation slips and NATO/OTAN, nothing else but Jugoslávia/Iugoslávia
    items = json.loads(report.read_text())["pt"]["items"]
    project = json.loads((out / "interview.project.json").read_text())
    segments = {s["id"]: s["text"] for s in project["segments"]}
    by_code: dict[str, list[dict]] = {}
    for item in items:
        for flag in item["flags"]:
            by_code.setdefault(flag.split(":")[0], []).append(item)
    assert [segments[i["segment"]] for i in by_code["negation"]] == ["And no such plans have ever existed."]
    assert [(i["source"], i["target"]) for i in by_code["added-negation"]] == [("I do.", "Eu não.")]
    terms = {flag.split("'")[1] for i in by_code["inconsistent-term"] for flag in i["flags"]}
    assert terms <= {"NATO", "Yugoslavia"} and "NATO" in terms
    nato = [f for i in by_code["inconsistent-term"] for f in i["flags"] if f.startswith("inconsistent-term: 'NATO'")]
    assert all("'NATO'" in f and "'OTAN'" in f and "×" in f for f in nato)
    assert set(by_code) == {"negation", "added-negation", "inconsistent-term"}

    # the summary lists the first flagged texts and points at the report
    assert "QA flags:" in result.stdout and "inconsistent-term" in result.stdout
    assert "every flag with its detail:" in result.stdout and report.name in result.stdout

    # XLIFF: exactly the flagged segments need review
    xlf = SafeET.fromstring((out / "pt" / "interview.en-pt.xlf").read_bytes())
    review = {u.get("id") for u in xlf.findall(".//x:trans-unit", X)
              if u.find("x:target", X).get("state") == "needs-review-translation"}
    assert review == {str(i["segment"]) if i["segment"] is not None else f"doc:{i['text']}" for i in items}

    # HTML: flagged sentences marked with their reason
    page = (out / "pt" / "interview.en-pt.html").read_text()
    assert page.count("⚑ negation:") == 1 and page.count("⚑ added-negation:") == 1
    assert 'id="flagged-only"' in page

    # PDF review edition: the codes in the left margin
    pdf = out / "pt" / "interview.en-pt.pdf"
    bbox = subprocess.run([require_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    margin = [w for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox) if float(x) < 45]
    assert "negation" in margin and "added-" in margin and "inconsistent-" in margin

    # the title, a note and a role translated in every document format, and the uncertain name
    texts = {t["key"]: t["text"] for t in project["languages"][0]["texts"]}
    title, note, role = texts["title"], texts["note:1.1"], texts["role:JS"]
    assert title and note and role and "Secretário" in role
    flat_pdf = " ".join(subprocess.run([require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
    from docx import Document

    doc = Document(io.BytesIO((out / "pt" / "interview.en-pt.docx").read_bytes()))
    flat_docx = " ".join([p.text for p in doc.paragraphs] + [c.text for r in doc.tables[0].rows for c in r.cells])
    md = " ".join((out / "pt" / "interview.en-pt.md").read_text().replace("\\", "").split())
    import html

    flat_html = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for name, flat in (("pdf", flat_pdf), ("docx", flat_docx), ("md", md), ("html", flat_html)):
        for text in (title, note, role):
            assert " ".join(text.split())[:40] in flat, (name, text)
        assert "machine translation" in flat, name
        assert "Kirill Martynov (?)" in flat, name
    assert "<v Kirill Martynov (?)>" in (out / "pt" / "interview.pt.vtt").read_text()


@pytest.mark.model
def test_glossary_suggest_then_feed_it_back_makes_nato_consistent(tmp_path, test_models_dir, monkeypatch):
    from transkit.translate.glossary import load_glossary

    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "memory.sqlite"))
    draft = tmp_path / "glossary.pt.csv"
    result = runner.invoke(app, ["glossary", "suggest", str(INTERVIEW), "--to", "pt", "-o", str(draft)])
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    terms = {t.source: t.target for t in load_glossary(draft).terms}
    assert terms["NATO"] in ("NATO", "OTAN") and terms["Russia"] == "Rússia" and terms["Putin"] == "Putin"
    assert "# NATO: rendered" in text and "'OTAN'" in text  # the variants, for the editor to decide
    assert "Russian" not in terms and "General" not in terms  # an adjective, a word of a longer name
    again = runner.invoke(app, ["glossary", "suggest", str(INTERVIEW), "--to", "pt", "-o", str(draft)])
    assert again.exit_code == 2 and "--force" in again.stderr  # an editor's corrections are never overwritten

    report = tmp_path / "qa.json"
    result = runner.invoke(app, ["run", str(INTERVIEW), "--to", "pt", "--out", str(tmp_path / "out"), "--formats", "srt",
                                 "--glossary", str(draft), "--qa-report", str(report)])
    assert result.exit_code == 0, result.output
    flags = [f for item in json.loads(report.read_text())["pt"]["items"] for f in item["flags"]]
    assert not [f for f in flags if f.startswith("inconsistent-term")]
    assert len([f for f in flags if f.startswith("glossary-miss: 'NATO'")]) <= 2


@pytest.mark.poppler
def test_export_review_pdf_from_the_committed_project(tmp_path):
    result = runner.invoke(app, ["export", str(ROOT / "translations" / "interview.project.json"), "--to", "pt",
                                 "--formats", "pdf", "--review", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "pt" / "interview.en-pt.pdf"
    bbox = subprocess.run([require_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    margin = [w for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox) if float(x) < 45]
    assert margin.count("negation") == 2 and "inconsistent-" in margin  # the lost and the added one
    assert (ROOT / "translations" / "pt" / "interview.en-pt.pdf").read_bytes() != pdf.read_bytes()
