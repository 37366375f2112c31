"""Summary tables printed at the end of a run."""

from __future__ import annotations

from typing import Sequence

from rich.console import Console
from rich.table import Table

from ..pipeline import RunResult


def print_run_summary(results: Sequence[RunResult], title: str = "transkit run") -> None:
    console = Console(width=120)
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


def _checked(checks: Sequence[tuple[str, int, int]], fmt: str) -> str:
    """``2 E, 1 W`` for one format's written file(s); ``-`` when none was written."""
    for name, errors, warnings in checks:
        if name == fmt:
            return f"{errors} E, {warnings} W"
    return "-"
