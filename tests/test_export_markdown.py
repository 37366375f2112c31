"""The bilingual Markdown: readable blocks that render back to exactly the transcript's text."""

from __future__ import annotations

import html
import re

from bilingual_project import export_job, fixture_project, with_paragraph_text
from markdown_it import MarkdownIt

from transkit.export import get_exporter
from transkit.export.markdown import escape
from transkit.export.parallel import parallel_text

AWKWARD = [
    "1990. That was the year * it _all_ began",
    "# not a heading",
    "- not a list",
    "> not a quote",
    "<script>alert(1)</script> & [a link](javascript:alert(1)) `code` | pipe ~~strike~~",
    "back\\slash and &amp; entity",
]


def rendered_text(fragment: str) -> str:
    """What a Markdown reader shows: the HTML's text content."""
    page = MarkdownIt("commonmark").render(fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", page)).strip()


def test_escaped_text_renders_as_itself():
    for text in AWKWARD:
        page = MarkdownIt("commonmark").render(escape(text))
        assert page.startswith("<p>"), (text, page)
        assert "<script" not in page and "<a " not in page and "<code" not in page and "<h1" not in page
        assert rendered_text(escape(text)) == text


def test_blocks_pair_each_paragraph_with_its_translation():
    project = fixture_project()
    md = get_exporter("md").render(export_job(project)).decode("utf-8")
    assert md == get_exporter("md").render(export_job(project)).decode("utf-8")
    assert md.startswith("# If President Putin wants less NATO")
    blocks = md.rstrip("\n").split("\n\n")
    rows = parallel_text(export_job(project)).rows
    position = 0
    for row in rows:
        if row.kind == "note":
            block = blocks.index(f"*Editor's note:* *{escape(row.note)}*", position)
        else:
            block = blocks.index(escape(row.source_text), position)
            assert blocks[block + 1] == "> " + escape(row.target_text)
            if row.speaker_changed:
                assert blocks[block - 1] == f"**{row.speaker}**"
        position = block + 1


def test_rendered_markdown_shows_the_text_and_no_markup_from_the_transcript():
    project = fixture_project()
    for n, text in enumerate(AWKWARD):
        project = with_paragraph_text(project, 2, text, "Перевод " + text)
    md = get_exporter("md").render(export_job(project)).decode("utf-8")
    page = MarkdownIt("commonmark").render(md)
    assert "<script" not in page and "<a href=\"javascript" not in page
    shown = rendered_text(md)
    for text in AWKWARD:
        assert text in shown
        assert "Перевод " + text in shown
    assert page.count("<blockquote>") == len([r for r in parallel_text(export_job(project)).rows if r.kind == "speech"])


def test_target_first():
    md = get_exporter("md").render(export_job(fixture_project(), options={"columns": "target-first"})).decode("utf-8")
    assert md.index("Нет, НАТО — оборонительный союз.") < md.index("> No, NATO is a defensive alliance.")
