"""The bilingual HTML page: escaping, and layout and behaviour in headless Chromium."""

from __future__ import annotations

import html
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from bilingual_project import export_job, fixture_project, with_paragraph_text

from transkit.export import get_exporter
from transkit.export.parallel import parallel_text

HOSTILE = '<script>alert("owned")</script> & <img src=x onerror=alert(1)>'


def render(project, **options) -> str:
    return get_exporter("html").render(export_job(project, options=options)).decode("utf-8")


def chromium_run(chromium: str, tmp_path: Path, *args: str, timeout: int = 300) -> str:
    profile = tmp_path / "profile"
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def with_probe(page: str, script: str) -> str:
    """The page with a test script that writes what it measured into ``<pre id=probe>``."""
    probe = (
        "<script>window.addEventListener('load', function () {"
        "var out = (function () {" + script + "})();"
        "var pre = document.createElement('pre'); pre.id = 'probe';"
        "pre.textContent = JSON.stringify(out); document.body.appendChild(pre);});</script>"
    )
    return page.replace("</body>", probe + "</body>")


def probe_result(dom: str) -> dict:
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert match, dom[-1500:]
    return json.loads(html.unescape(match.group(1)))


def hostile_project():
    project = with_paragraph_text(fixture_project(), 2, HOSTILE, "Текст " + HOSTILE)
    transcript = project.transcript
    speakers = tuple(replace(s, name=s.name + " <b>bold</b>") if s.id == "JS" else s for s in transcript.speakers)
    meta = replace(transcript.meta, title='Title "quoted" </title><script>x()</script>', url="javascript:alert(1)")
    return replace(project, transcript=replace(transcript, speakers=speakers, meta=meta))


def test_all_text_is_escaped():
    page = render(hostile_project())
    assert page.count("<script") == 1  # only transkit's own script
    assert "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page
    assert "<title>Title &quot;quoted&quot; &lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;" in page


def test_hostile_text_comes_out_as_text_in_chromium(chromium, tmp_path):
    path = tmp_path / "hostile.html"
    script = (
        "return {alerts: window.__alerts || 0, imgs: document.images.length,"
        " scripts: document.scripts.length,"
        " text: document.querySelector('.col.source [data-seg=\"21\"]').textContent,"
        " speaker: Array.prototype.map.call(document.querySelectorAll('.speaker'), function (e) { return e.textContent; })"
        ".filter(function (t) { return t.indexOf('Jens') === 0; })[0]};"
    )
    page = with_probe(render(hostile_project()), script)
    page = page.replace("<head>", "<head><script>window.alert = function () { window.__alerts = (window.__alerts || 0) + 1; };</script>")
    path.write_text(page, encoding="utf-8")
    result = probe_result(chromium_run(chromium, tmp_path, "--dump-dom", path.as_uri()))
    assert result["alerts"] == 0
    assert result["imgs"] == 0
    assert result["scripts"] == 3  # the test's two and transkit's one
    assert result["text"] == HOSTILE
    assert result["speaker"] == "Jens Stoltenberg <b>bold</b>"


def test_structure_and_languages():
    project = fixture_project()
    page = render(project)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert page.count('<div class="col source" lang="en">') == page.count('<div class="col target" lang="ru">') > 5
    # Self-contained: nothing for the browser to fetch.
    assert "<link" not in page and " src=" not in page and "url(" not in page and "@import" not in page
    rows = [r for r in parallel_text(export_job(project)).rows if r.kind == "speech"]
    for pair in rows[0].pairs:
        assert page.count(f'data-seg="{pair.segment_id}"') == 2  # the sentence and its translation
    assert render(project) == page  # deterministic


def test_target_first_puts_the_translation_first():
    page = render(fixture_project(), columns="target-first")
    first_row = page[page.index('<section class="row speech"') :]
    assert first_row.index('class="col target"') < first_row.index('class="col source"')


LAYOUT_PROBE = (
    "var s = document.querySelector('.row.speech .col.source').getBoundingClientRect();"
    "var t = document.querySelector('.row.speech .col.target').getBoundingClientRect();"
    "return {viewport: window.innerWidth, sl: s.left, tl: t.left, st: s.top, tt: t.top, sb: s.bottom};"
)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 420])
def test_screenshot_and_layout_at_wide_and_narrow_widths(chromium, tmp_path, width):
    from PIL import Image

    page = render(fixture_project())
    html_path = tmp_path / "doc.html"
    html_path.write_text(page, encoding="utf-8")
    png = tmp_path / f"shot-{width}.png"
    chromium_run(chromium, tmp_path, f"--screenshot={png}", f"--window-size={width},900", html_path.as_uri())
    assert png.is_file()
    with Image.open(png) as image:
        assert image.size == (width, 900)
        # Not a blank page: text was drawn.
        darkest, lightest = image.convert("L").getextrema()
        assert lightest - darkest > 100

    probe_path = tmp_path / "probe.html"
    probe_path.write_text(with_probe(page, LAYOUT_PROBE), encoding="utf-8")
    layout = probe_result(chromium_run(chromium, tmp_path, f"--window-size={width},900", "--dump-dom", probe_path.as_uri()))
    if width >= 1000:  # side by side: same top, the translation to the right
        assert layout["tl"] > layout["sl"] + layout["viewport"] / 3
        assert abs(layout["tt"] - layout["st"]) < 1
    else:  # stacked: same left edge, the translation below
        assert abs(layout["tl"] - layout["sl"]) < 1
        assert layout["tt"] >= layout["sb"]


@pytest.mark.browser
def test_hovering_a_sentence_highlights_its_translation(chromium, tmp_path):
    script = (
        "var src = document.querySelector('.col.source .s[data-seg=\"3\"]');"
        "src.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
        "var lit = Array.prototype.map.call(document.querySelectorAll('.s.hl'), function (e) {"
        "  return e.closest('.col').classList.contains('target') ? 'target:' + e.dataset.seg : 'source:' + e.dataset.seg; });"
        "src.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));"
        "return {lit: lit.sort(), after: document.querySelectorAll('.s.hl').length};"
    )
    path = tmp_path / "hover.html"
    path.write_text(with_probe(render(fixture_project()), script), encoding="utf-8")
    result = probe_result(chromium_run(chromium, tmp_path, "--dump-dom", path.as_uri()))
    assert result["lit"] == ["source:3", "target:3"]
    assert result["after"] == 0


@pytest.mark.browser
@pytest.mark.ffmpeg
def test_clicking_a_sentence_seeks_the_audio(chromium, ffmpeg, tmp_path):
    project = fixture_project()
    audio = tmp_path / "interview audio.wav"
    subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=200", "-ac", "1", str(audio)],
        check=True,
    )
    page = render(project, audio=audio.name)
    assert '<audio id="audio" controls preload="metadata" src="interview%20audio.wav"></audio>' in page
    segment = project.segments[7]
    script = (
        "var a = document.getElementById('audio');"
        f"document.querySelector('.col.target .s[data-seg=\"{segment.id}\"]').click();"
        "return {time: a.currentTime, src: a.currentSrc};"
    )
    path = tmp_path / "audio.html"
    # Measure once the recording's metadata is in, so seeking is possible.
    page = with_probe(page, script).replace("window.addEventListener('load'", "document.getElementById('audio').addEventListener('loadedmetadata'")
    path.write_text(page, encoding="utf-8")
    out = chromium_run(
        chromium, tmp_path, "--autoplay-policy=no-user-gesture-required", "--virtual-time-budget=5000", "--dump-dom", path.as_uri()
    )
    result = probe_result(out)
    assert result["src"].endswith("interview%20audio.wav")
    assert result["time"] == pytest.approx(segment.start_ms / 1000, abs=0.05)


def test_without_audio_there_is_no_player():
    page = render(fixture_project())
    assert "<audio" not in page and "tabindex" not in page
