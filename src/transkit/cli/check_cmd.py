"""``transkit check``: lint SRT/VTT subtitles against a style profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from .common import report_errors
from .options import encoding_option

if TYPE_CHECKING:
    from ..check import CheckReport
    from ..profiles import StyleProfile


def register(app: typer.Typer) -> None:
    @app.command("check")
    @report_errors
    def check(
        files: List[Path] = typer.Argument(..., help="SRT or VTT files to check.", show_default=False),
        profile: Optional[str] = typer.Option(
            None,
            "--profile",
            "-p",
            help="Style profile: netflix-en, netflix-ru, netflix, bbc. "
            "Default: from the language in the file name (x.ru.srt -> netflix-ru), else netflix-en.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the reports as JSON instead of text."),
        strict: bool = typer.Option(False, "--strict", help="Warnings fail too (exit 8)."),
        strict_syntax: bool = typer.Option(
            False, "--strict-syntax", help="Refuse files a player would tolerate (missing cue numbers, stray text...)."
        ),
        encoding: Optional[str] = encoding_option(),
    ) -> None:
        """Check subtitles: line length, lines per cue, reading speed, durations, gaps, order.

        Prints every violation with its cue number and times, then a summary per
        rule. Exit 0 when there is no error, 8 when there is (with --strict, any
        warning too), 2 for an unknown profile, 3 for an unreadable file.

        Examples:

          transkit check translations/en/interview.en.srt --profile netflix-en

          transkit check translations/ru/*.srt translations/ru/*.vtt -p netflix-ru --strict

          transkit check interview.en.vtt --json > report.json
        """
        from ..check import check_file
        from ..errors import QualityError
        from ..profiles import get_profile
        from .options import text_encoding

        chosen = get_profile(profile) if profile else None
        reports = [check_file(path, chosen or _profile_for_name(path), strict_syntax=strict_syntax, encoding=text_encoding(encoding)) for path in files]
        if as_json:
            typer.echo(json.dumps(_json_document(reports), ensure_ascii=False, indent=2))
        else:
            _print_reports(reports)
        errors = sum(len(r.errors) for r in reports)
        warnings = sum(len(r.warnings) for r in reports)
        if errors or (strict and warnings):
            failed = sum(1 for r in reports if r.errors or (strict and r.warnings))
            what = _count(errors, "error") + (f" and {_count(warnings, 'warning')}" if strict and warnings else "")
            raise QualityError(f"{what} in {failed} of {len(reports)} files", hint="see the list above")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _profile_for_name(path: Path) -> "StyleProfile":
    """``interview.ru.srt`` -> the profile for Russian; no language tag -> netflix-en."""
    from ..profiles import default_profile_for

    parts = path.name.split(".")
    language = parts[-2] if len(parts) >= 3 else "en"
    return default_profile_for(language if language.isalpha() and len(language) in (2, 3) else "en")


def _json_document(reports: "list[CheckReport]") -> dict:
    return {
        "files": [r.to_dict() for r in reports],
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
    }


def _print_reports(reports: "list[CheckReport]") -> None:
    from rich.console import Console
    from rich.table import Table

    from ..check import RULES

    for report in reports:
        typer.echo(f"{report.path}: {report.cue_count} cues, profile {report.profile}")
        for violation in report.violations:
            marker = "  (warning)" if violation.severity == "warning" else ""
            typer.echo(f"{violation.format()}{marker}")
    table = Table(title="transkit check", show_lines=False)
    table.add_column("file")
    table.add_column("cues", justify="right")
    for rule in RULES:
        if any(rule in r.summary() for r in reports):
            table.add_column(rule, justify="right")
    table.add_column("errors", justify="right")
    table.add_column("warnings", justify="right")
    shown = [c.header for c in table.columns][2:-2]
    for report in reports:
        summary = report.summary()
        cells = [_cell(summary.get(rule)) for rule in shown]
        table.add_row(report.path, str(report.cue_count), *cells, str(len(report.errors)), str(len(report.warnings)))
    Console(width=160).print(table)


def _cell(counts: dict[str, int] | None) -> str:
    if not counts:
        return "0"
    parts = []
    if counts["error"]:
        parts.append(f"{counts['error']}E")
    if counts["warning"]:
        parts.append(f"{counts['warning']}W")
    return " ".join(parts)
