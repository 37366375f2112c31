"""The bilingual PDF, checked with the poppler tools a reader's software relies on."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from bilingual_project import (
    export_job,
    fixture_pairs,
    fixture_project,
    fixture_project_via_xliff,
    with_paragraph_text,
    with_translations,
)
from conftest import require_tool

from transkit.errors import UsageError
from transkit.export import get_exporter
from transkit.export import pdf_fonts
from transkit.export.parallel import parallel_text

pytestmark = pytest.mark.poppler


def render(project, tmp_path: Path, name: str = "doc.pdf", **options) -> Path:
    path = tmp_path / name
    path.write_bytes(get_exporter("pdf").render(export_job(project, options=options)))
    return path


def pdftotext(path: Path, *args: str) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def folded(text: str) -> str:
    return " ".join(text.split())


def words(path: Path) -> list[dict]:
    """Every word with its page and box, from ``pdftotext -bbox``."""
    out, page, height = [], 0, 0.0
    for line in pdftotext(path, "-bbox").splitlines():
        if "<page " in line:
            page += 1
            height = float(re.search(r'height="([\d.]+)"', line).group(1))
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            text = m.group(5).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            out.append(dict(page=page, x0=x0, y0=y0, x1=x1, y1=y1, text=text, height=height))
    return out


def starts(all_words: list[dict], tokens: list[str], left: bool, middle: float) -> set[tuple[int, float]]:
    """(page, y) where ``tokens`` begin a line run in the left or right column."""
    found = set()
    for i in range(len(all_words) - len(tokens) + 1):
        run = all_words[i : i + len(tokens)]
        if [w["text"] for w in run] != tokens:
            continue
        if len({(w["page"], round(w["y0"], 1)) for w in run}) != 1:
            continue
        if (run[0]["x0"] < middle) == left:
            found.add((run[0]["page"], round(run[0]["y0"], 1)))
    return found


def test_pdftotext_gets_english_and_russian_in_reading_order(tmp_path):
    # The Russian comes in the way a translator delivers it: through XLIFF.
    project = fixture_project_via_xliff(tmp_path)
    assert {(s.text, t.text) for s, t in zip(project.segments, project.language("ru").translations)} == set(fixture_pairs())
    raw = pdftotext(render(project, tmp_path))
    text = folded(raw)
    pages = [folded(page) for page in raw.split("\f")]
    rows = [r for r in parallel_text(export_job(project)).rows if r.kind == "speech"]
    assert rows
    whole = 0
    for row in rows:
        for pair in row.pairs:
            assert folded(pair.source) in text
            assert folded(pair.target) in text
        # A paragraph on one page comes out as one run: the columns are not interleaved.
        for page in pages:
            if folded(row.pairs[0].source) in page and folded(row.pairs[-1].target) in page:
                assert folded(row.source_text) in page
                assert folded(row.target_text) in page
                whole += 1
    assert whole >= len(rows) - 1  # at most one row is split by the page break
    assert "Please note. This interview was conducted" in text
    assert "Kirill Martynov" in text and "Jens Stoltenberg" in text
    assert "English → Русский; xliff, post-edit" in text


def test_fonts_are_embedded(tmp_path):
    tool = require_tool("pdffonts")
    path = render(fixture_project_via_xliff(tmp_path), tmp_path)
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    assert rows, out.stdout
    for row in rows:
        name, emb = row[0], row[-5]
        assert "DejaVu" in name
        assert emb == "yes", f"{name} is not embedded"


def test_both_columns_of_every_row_start_level(tmp_path):
    project = fixture_project()
    path = render(project, tmp_path)
    all_words = words(path)
    middle = 595.28 / 2
    rows = [r for r in parallel_text(export_job(project)).rows if r.kind == "speech"]
    for row in rows:
        left = starts(all_words, row.source_text.split()[:2], True, middle)
        right = starts(all_words, row.target_text.split()[:2], False, middle)
        assert left and right, row.source_text[:40]
        assert any(abs(ly - ry) < 0.5 and lp == rp for lp, ly in left for rp, ry in right), (
            f"row starting {row.source_text[:30]!r}: source at {left}, translation at {right}"
        )


def test_two_renders_are_byte_identical(tmp_path):
    project = fixture_project()
    assert render(project, tmp_path, "a.pdf").read_bytes() == render(project, tmp_path, "b.pdf").read_bytes()


def test_metadata(tmp_path):
    tool = require_tool("pdfinfo")
    path = render(fixture_project(), tmp_path)
    info = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    assert "If President Putin wants less NATO" in info
    assert re.search(r"Author:\s+Kirill Martynov", info)
    assert b"/Lang (ru)" in path.read_bytes()


def long_project(sentences: int = 70):
    project = fixture_project()
    for n in range(1, sentences + 1):
        project = with_paragraph_text(
            project,
            2,
            f"Long answer sentence number {n} keeps the alliance busy with item{n}.",
            f"Предложение длинного ответа номер {n} занимает альянс пунктом{n}.",
        )
    return project


def assert_no_overlaps(all_words: list[dict]) -> None:
    by_page = defaultdict(list)
    for w in all_words:
        by_page[w["page"]].append(w)
        if w["y0"] > w["height"] - 45:  # the footer: only the page number "n / N"
            assert re.fullmatch(r"\d+|/", w["text"]), f"{w['text']!r} runs into the footer on page {w['page']}"
    for page, ws in by_page.items():
        for i, a in enumerate(ws):
            for b in ws[i + 1 :]:
                overlap_x = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                overlap_y = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
                assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{a['text']!r} overlaps {b['text']!r} on page {page}"


def test_a_long_paragraph_breaks_across_pages_losing_nothing(tmp_path):
    path = render(long_project(), tmp_path)
    all_words = words(path)
    assert max(w["page"] for w in all_words) >= 2
    text = folded(pdftotext(path))
    for n in range(1, 71):
        assert text.count(f"item{n}.") == 1, n
        assert text.count(f"пунктом{n}.") == 1, n
    # The split happens between sentences, both columns at the same sentence.
    pages_en = {w["page"] for w in all_words if w["text"].startswith("item")}
    pages_ru = {w["page"] for w in all_words if w["text"].startswith("пунктом")}
    assert len(pages_en) >= 2 and pages_en == pages_ru
    for page in pages_en:
        en = sorted(int(w["text"][4:-1]) for w in all_words if w["page"] == page and w["text"].startswith("item"))
        ru = sorted(int(w["text"][7:-1]) for w in all_words if w["page"] == page and w["text"].startswith("пунктом"))
        assert en == ru, f"page {page} holds different sentences in the two columns"
    assert_no_overlaps(all_words)


def test_a_sentence_taller_than_a_page_is_split_by_lines(tmp_path):
    giant_en = " ".join(f"en{n}" for n in range(1, 1400))
    giant_ru = " ".join(f"ру{n}" for n in range(1, 1400))
    project = with_paragraph_text(fixture_project(), 2, giant_en, giant_ru)
    path = render(project, tmp_path)
    all_words = words(path)
    assert max(w["page"] for w in all_words) >= 3
    en = [w["text"] for w in all_words if re.fullmatch(r"en\d+", w["text"])]
    ru = [w["text"] for w in all_words if re.fullmatch(r"ру\d+", w["text"])]
    assert en == giant_en.split()
    assert ru == giant_ru.split()
    assert_no_overlaps(all_words)


def test_options_paper_order_size_and_stacked(tmp_path):
    tool = require_tool("pdfinfo")
    project = fixture_project()
    letter = render(project, tmp_path, "letter.pdf", paper="letter")
    info = subprocess.run([tool, str(letter)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts" in info

    swapped = words(render(project, tmp_path, "swapped.pdf", columns="target-first"))
    hello_en = next(w for w in swapped if w["text"] == "defensive")
    hello_ru = next(w for w in swapped if w["text"] == "оборонительный")
    assert hello_ru["x0"] < hello_en["x0"]

    small = words(render(project, tmp_path, "small.pdf"))
    big = words(render(project, tmp_path, "big.pdf", font_size="14"))
    assert max(w["page"] for w in big) > max(w["page"] for w in small)

    stacked_path = render(project, tmp_path, "stacked.pdf", layout="stacked")
    stacked = words(stacked_path)
    en = next(w for w in stacked if w["text"] == "defensive")
    ru = next(w for w in stacked if w["text"] == "оборонительный")
    assert ru["y0"] > en["y0"] or ru["page"] > en["page"]  # under it, not beside it
    text = folded(pdftotext(stacked_path))
    assert text.index("No, NATO is a defensive") < text.index("Нет, НАТО") < text.index("What was the best time")

    with pytest.raises(UsageError, match="paper"):
        render(project, tmp_path, "bad.pdf", paper="A3")


def test_a_script_no_font_covers_is_refused_by_name(tmp_path, monkeypatch):
    project = with_translations(fixture_project(), "ru", {0: "北约是否曾经想征服俄罗斯？"})
    monkeypatch.setattr(pdf_fonts, "system_fonts_for", lambda char: [])
    with pytest.raises(UsageError, match="CJK"):
        render(project, tmp_path)


def test_a_script_that_needs_shaping_is_refused_without_a_shaper(tmp_path, monkeypatch):
    project = with_translations(fixture_project(), "ru", {0: "هل أرادت الناتو غزو روسيا؟"})
    monkeypatch.setattr(pdf_fonts, "shaping_available", lambda: False)
    with pytest.raises(UsageError, match="Arabic"):
        render(project, tmp_path)


def _char_only_a_system_font_has() -> str | None:
    from fontTools.ttLib import TTFont

    bundled = set()
    for filename in set(pdf_fonts.BUNDLED_FACES.values()):
        bundled |= set(TTFont(pdf_fonts.font_path(filename)).getBestCmap())
    listing = subprocess.run(["fc-list", "--format=%{file}\n"], capture_output=True, text=True).stdout.split()
    for path in sorted(p for p in listing if p.endswith(".ttf")):
        for code in sorted(set(TTFont(path).getBestCmap()) - bundled):
            char = chr(code)
            if char.isalpha() and not pdf_fonts.needs_shaping([char]):
                return char
    return None


def test_characters_the_bundled_fonts_lack_come_from_a_system_font(tmp_path):
    require_tool("fc-list")
    char = _char_only_a_system_font_has()
    if char is None:
        pytest.skip("no system font covers a letter the bundled fonts lack")
    project = with_translations(fixture_project(), "ru", {0: f"Хотело ли НАТО {char} завоевать Россию?"})
    path = render(project, tmp_path)
    fonts = subprocess.run([require_tool("pdffonts"), str(path)], capture_output=True, text=True).stdout
    assert len([line for line in fonts.splitlines()[2:] if line.strip()]) == 6, fonts
    assert char in pdftotext(path)
