"""What commands print at the end: the run summary table, the export and segment reports."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import typer

from rich.console import Console
from rich.table import Table

from ..runs import ExportResult, RunResult, SegmentResult

SHOWN_FLAGS = 8  # flagged texts listed after the table; the QA report has them all


def print_run_summary(
    results: Sequence[RunResult], qa_report: Path | None = None, title: str = "transkit run"
) -> None:
    console = Console(width=120)
    for result in results:
        for line in result.alignment:
            typer.echo(f"{result.source.rsplit('/', 1)[-1]}: {line}")
    table = Table(title=title, show_lines=False)
    for column in ("file", "lang", "engine", "segments", "cues", "translated", "QA flags", "SRT check", "VTT check"):
        table.add_column(column, justify="left" if column in ("file", "lang", "engine") else "right")
    for result in results:
        name = result.source.rsplit("/", 1)[-1]
        for lang in result.languages:
            table.add_row(
                name,
                lang.language,
                lang.engine,
                str(lang.segments),
                str(lang.cues),
                str(lang.translated),
                str(lang.qa_flags),
                _checked(lang.checks, "srt"),
                _checked(lang.checks, "vtt"),
            )
            name = ""
    console.print(table)
    written = sum(len(r.files_written) for r in results)
    unchanged = sum(len(r.files_unchanged) for r in results)
    stages: dict[str, float] = {}
    for result in results:
        for stage, seconds in result.stage_seconds:
            stages[stage] = stages.get(stage, 0.0) + seconds
    timing = ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in stages.items())
    line = f"files written: {written}, unchanged: {unchanged}"
    removed = sum(r.temp_files_removed for r in results)
    if removed:
        line += f", temp files of killed runs removed: {removed}"
    console.print(f"{line}; time: {timing}")
    for notice in dict.fromkeys(n for r in results for n in r.notices):
        console.print(f"note: {notice}", highlight=False)
    print_flagged(console, results, qa_report)


def print_flagged(console: Console, results: Sequence[RunResult], qa_report: Path | None) -> None:
    """The first flagged translations (language, id, kind, source, translation) and where the rest are."""
    flagged = []
    for result in results:
        name = result.source.rsplit("/", 1)[-1]
        flagged += [(name, item) for item in result.flagged]
    if not flagged:
        return
    table = Table(title=f"QA flags: {len(flagged)} translations to look at", show_lines=True)
    for column in ("file", "lang", "id", "kind", "flags", "source", "translation"):
        table.add_column(column, overflow="fold")
    for name, (language, where, kind, codes, source, target) in flagged[:SHOWN_FLAGS]:
        table.add_row(name, language, where, kind, codes, _short(source), _short(target))
    console.print(table, markup=False)
    rest = len(flagged) - min(len(flagged), SHOWN_FLAGS)
    more = f"{rest} more; " if rest else ""
    if qa_report is not None:
        console.print(f"{more}every flag with its detail: {qa_report}", markup=False)
    else:
        console.print(f"{more}write every flag with its detail with --qa-report FILE", markup=False)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_segment_result(result: SegmentResult) -> None:
    """``segment``/``align``: what the aligner found, the check, what was written."""
    if result.alignment is not None:
        for line in result.alignment.lines():
            typer.echo(line)
    for lang in result.export.languages:
        typer.echo(f"{lang.language}: {lang.cues} cues, check: {lang.check_errors} errors, {lang.check_warnings} warnings")
    for path in (result.export.project_path, *result.export.files_written):
        typer.echo(f"wrote {path}")


def print_export_result(result: ExportResult) -> None:
    """``export``/``import-edits``: per language what was written and what the check found."""
    for lang in result.languages:
        for path in lang.written:
            typer.echo(f"wrote {path}")
        typer.echo(
            f"{lang.language}: {lang.cues} cues, {len(lang.unchanged)} files unchanged, check errors: {lang.check_errors}"
        )


def _checked(checks: Sequence[tuple[str, int, int]], fmt: str) -> str:
    """``2 E, 1 W`` for one format's written file(s); ``-`` when none was written."""
    for name, errors, warnings in checks:
        if name == fmt:
            return f"{errors} E, {warnings} W"
    return "-"
