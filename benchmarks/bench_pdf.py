"""How long the bilingual PDF takes: the interview, and a document ten times as long.

Run: .venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--project translations/interview.project.json]

The interview comes from ``source/interview.md`` through ``transkit.ingest`` and
``transkit.segment`` (169 sentences). Its translation is the project's Portuguese
when a project file with a translation is given or found in ``translations/``;
otherwise a stand-in of the same length (each English letter mapped to a Cyrillic
one), which exercises the same layout work. The long document repeats the
interview's paragraphs ten times.

Beside transkit's exporter the script times the obvious alternative: fpdf2's own
``table()`` with default settings, one row per paragraph, same fonts. That table
keeps rows level too, but cannot split a row across pages (a row taller than the
space left moves whole to the next page, and one taller than a page fails), and
it has no running header, title block or notes. Targets: under 2 s for the
interview and under 15 s for the long document, in one process, fonts included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "interview.md"

LATIN_TO_CYRILLIC = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "абцдефгхийклмнопкрстуввхызАБЦДЕФГХИЙКЛМНОПКРСТУВВХЫЗ",
)


def interview_project(project_file: Path | None):
    from transkit.model import LanguageResult, Project, Translation
    from transkit.projectfile import load_project

    candidates = [project_file] if project_file else sorted((ROOT / "translations").glob("*.project.json"))
    for path in candidates:
        if path and path.is_file():
            project = load_project(path)
            for lang in project.languages:
                if lang.language != project.transcript.meta.language and lang.translations:
                    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    return project, lang.language, f"{shown} ({lang.language}, {lang.engine})"
    from transkit.ingest import load_transcript
    from transkit.segment import segment_transcript

    transcript = load_transcript(SOURCE)
    segments = segment_transcript(transcript)
    translations = tuple(Translation(s.id, s.text.translate(LATIN_TO_CYRILLIC), "engine") for s in segments)
    result = LanguageResult("ru", "stand-in", "latin-to-cyrillic", "", translations)
    return Project(transcript, segments, (result,)), "ru", "source/interview.md (stand-in Cyrillic translation)"


def repeated(project, language: str, times: int):
    """The project with its paragraphs (and their segments and translations) repeated."""
    from transkit.model import Paragraph, Segment, Translation

    transcript = project.transcript
    result = project.language(language)
    texts = {t.segment_id: t.text for t in result.translations}
    paragraphs: list[Paragraph] = []
    segments: list[Segment] = []
    translations: list[Translation] = []
    span = max(s.end_ms for s in project.segments) + 1000
    for copy in range(times):
        offset = len(paragraphs)
        for p in transcript.paragraphs:
            paragraphs.append(replace(p, index=p.index + offset))
        for s in project.segments:
            new_id = len(segments)
            shift = copy * span
            segments.append(
                replace(s, id=new_id, paragraph=s.paragraph + offset, start_ms=s.start_ms + shift, end_ms=s.end_ms + shift)
            )
            if s.id in texts:
                translations.append(Translation(new_id, texts[s.id], "engine"))
    return replace(
        project,
        transcript=replace(transcript, paragraphs=tuple(paragraphs)),
        segments=tuple(segments),
        languages=(replace(result, translations=tuple(translations)),),
    )


def giant_row(project, language: str):
    """The project with its first answer grown by 3,000 words (many pages tall)."""
    from transkit.model import Translation

    first = next(s for s in project.segments if s.paragraph != project.segments[0].paragraph)
    words = " ".join(f"word{n}" for n in range(3000))
    segments = tuple(replace(s, text=s.text + " " + words) if s.id == first.id else s for s in project.segments)
    result = project.language(language)
    translations = tuple(
        Translation(t.segment_id, t.text + " " + words, t.origin) if t.segment_id == first.id else t
        for t in result.translations
    )
    return replace(project, segments=segments, languages=(replace(result, translations=translations),))


def transkit_pdf(project, language: str) -> bytes:
    from transkit.export import ExportJob, get_exporter
    from transkit.model import Track

    return get_exporter("pdf").render(ExportJob(project=project, language=language, track=Track(language, ())))


def fpdf_table_pdf(project, language: str) -> bytes:
    """The obvious alternative: fpdf2's table(), defaults, one row per paragraph."""
    from fpdf import FPDF

    from transkit.export import ExportJob, pdf_fonts
    from transkit.export.parallel import parallel_text
    from transkit.model import Track

    text = parallel_text(ExportJob(project=project, language=language, track=Track(language, ())))
    pdf = FPDF()
    pdf.add_font("serif", "", str(pdf_fonts.font_path("DejaVuSerif.ttf")))
    pdf.add_page()
    pdf.set_font("serif", size=10)
    with pdf.table(col_widths=(1, 1), text_align="LEFT", first_row_as_headings=False) as table:
        for row in text.rows:
            cells = table.row()
            cells.cell(row.source_text)
            cells.cell(row.target_text if row.kind == "speech" else "")
    return bytes(pdf.output())


def timed(repeat: int, func, *args) -> tuple[list[float], float, bytes | Exception]:
    """Wall times of each run, the best CPU time (steadier on a busy machine), the output."""
    times: list[float] = []
    cpu = float("inf")
    out: bytes | Exception = b""
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            out = func(*args)
        except Exception as exc:  # the alternative may fail on long rows: report it
            out = exc
        times.append(time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return times, cpu, out


def pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type/Page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best and median are printed)")
    parser.add_argument("--project", type=Path, help="project JSON with a translation to use")
    args = parser.parse_args()

    start = time.perf_counter()
    project, language, origin = interview_project(args.project)
    print(f"input: {origin}; {len(project.transcript.paragraphs)} paragraphs, {len(project.segments)} segments")
    print(f"(building the input took {time.perf_counter() - start:.2f} s)")
    long_project = repeated(project, language, 10)

    # The first render in a process pays for importing fpdf2 and fontTools.
    start = time.perf_counter()
    transkit_pdf(project, language)
    print(f"first render in a fresh process (imports included): {time.perf_counter() - start:.2f} s\n")

    print(f"{'document':<16}{'method':<23}{'best s':>8}{'median s':>10}{'cpu s':>7}{'pages':>7}{'KiB':>6}  target")
    rows = []
    for name, proj, target in (("interview", project, 2.0), ("interview x10", long_project, 15.0)):
        results = {}
        for method, func in (("transkit", transkit_pdf), ("fpdf2 table() default", fpdf_table_pdf)):
            times, cpu, out = timed(args.repeat, func, proj, language)
            results[method] = min(times)
            head = f"{name:<16}{method:<23}{min(times):>8.2f}{statistics.median(times):>10.2f}{cpu:>7.2f}"
            if isinstance(out, Exception):
                print(f"{head}{'-':>7}{'-':>6}  failed: {type(out).__name__}: {str(out)[:60]}")
            else:
                verdict = (f"< {target:g} s: {'yes' if min(times) < target else 'NO'}") if method == "transkit" else ""
                print(f"{head}{pages(out):>7}{len(out) // 1024:>6}  {verdict}")
        rows.append((name, results))
    print()
    for name, results in rows:
        ratio = results["transkit"] / results["fpdf2 table() default"]
        print(f"{name}: transkit takes {ratio:.2f}x the time of fpdf2's default table")
    giant = giant_row(project, language)
    for method, func in (("transkit", transkit_pdf), ("fpdf2 table() default", fpdf_table_pdf)):
        _, _, out = timed(1, func, giant, language)
        verdict = f"fails: {out}" if isinstance(out, Exception) else f"{pages(out)} pages"
        print(f"one paragraph taller than a page, {method}: {verdict}")
    same = transkit_pdf(project, language) == transkit_pdf(project, language)
    print(f"two renders byte-identical: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
