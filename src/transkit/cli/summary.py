"""Summary tables printed at the end of a run."""

from __future__ import annotations

from typing import Sequence

from rich.console import Console
from rich.table import Table

from ..pipeline import RunResult


def print_run_summary(results: Sequence[RunResult]) -> None:
    console = Console(width=120)
    table = Table(title="transkit run", show_lines=False)
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
    console.print(f"files written: {written}, unchanged: {unchanged}; time: {timing}")


def _checked(checks: Sequence[tuple[str, int, int]], fmt: str) -> str:
    """``2 E, 1 W`` for one format's written file(s); ``-`` when none was written."""
    for name, errors, warnings in checks:
        if name == fmt:
            return f"{errors} E, {warnings} W"
    return "-"
