"""``transkit check``: lint SRT, WebVTT and ASS/SSA subtitles against a style profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from .common import report_errors
from .options import encoding_option

if TYPE_CHECKING:
    from ..check import CheckReport, SkippedFile


def register(app: typer.Typer) -> None:
    @app.command("check")
    @report_errors
    def check(
        files: List[Path] = typer.Argument(
            ..., help="Subtitle files (.srt .vtt .webvtt .ass .ssa) or folders of them.", show_default=False
        ),
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

        Takes SRT, WebVTT and ASS/SSA files (any case of extension) and folders
        (every subtitle file inside; the others are listed as skipped). A file
        with no cue times in it is refused: it is not a subtitle file. A
        bilingual file (x.en-pt.srt) is checked per language, each against its
        own profile; its source lines (in italics) for line length only, as
        they are shown for the target cues' times.

        Prints every violation with its cue number and times, then a summary per
        rule. Exit 0 when there is no error, 8 when there is (with --strict, any
        warning too), 2 for an unknown profile, 3 for an unreadable file or one
        that is not a subtitle file.

        Examples:

          transkit check translations/en/interview.en.srt --profile netflix-en

          transkit check translations/ --strict

          transkit check interview.en.vtt --json > report.json
        """
        from ..check import check_path
        from ..errors import QualityError
        from ..profiles import default_profile_for, get_profile
        from .options import text_encoding

        chosen = get_profile(profile) if profile else None
        paths, skipped = _expand(files)
        reports = [
            report
            for path in paths
            for report in check_path(
                path, default_profile_for, profile=chosen, strict_syntax=strict_syntax, encoding=text_encoding(encoding)
            )
        ]
        if as_json:
            typer.echo(json.dumps(_json_document(reports, skipped), ensure_ascii=False, indent=2))
        else:
            for item in skipped:
                typer.echo(f"skipped {item.path}: {item.reason}")
            _print_reports(reports)
        errors = sum(len(r.errors) for r in reports)
        warnings = sum(len(r.warnings) for r in reports)
        if errors or (strict and warnings):
            failed = len({r.path for r in reports if r.errors or (strict and r.warnings)})
            what = _count(errors, "error") + (f" and {_count(warnings, 'warning')}" if strict and warnings else "")
            raise QualityError(f"{what} in {failed} of {len(paths)} files", hint="see the list above")


def _expand(arguments: "list[Path]") -> "tuple[list[Path], list[SkippedFile]]":
    """Files as given; folders replaced by the subtitle files inside them."""
    from ..check import subtitle_files_in
    from ..errors import InputError

    paths: list[Path] = []
    skipped: list[SkippedFile] = []
    for argument in arguments:
        if not argument.is_dir():
            paths.append(argument)
            continue
        found, passed_over = subtitle_files_in(argument)
        if not found:
            raise InputError(
                "no subtitle files in this folder",
                path=str(argument),
                hint="check takes .srt, .vtt, .webvtt, .ass and .ssa files",
            )
        paths.extend(found)
        skipped.extend(passed_over)
    return paths, skipped


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _json_document(reports: "list[CheckReport]", skipped: "list[SkippedFile]") -> dict:
    return {
        "files": [r.to_dict() for r in reports],
        "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
    }


def _print_reports(reports: "list[CheckReport]") -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..check import RULES

    for report in reports:
        note = f"; {report.note}" if report.note else ""
        typer.echo(f"{_label(report)}: {report.cue_count} cues, profile {report.profile}{note}")
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
        table.add_row(escape(_label(report)), str(report.cue_count), *cells, str(len(report.errors)), str(len(report.warnings)))
    Console(width=160).print(table)


def _label(report: "CheckReport") -> str:
    return f"{report.path} [{report.track}]" if report.track else report.path


def _cell(counts: dict[str, int] | None) -> str:
    if not counts:
        return "0"
    parts = []
    if counts["error"]:
        parts.append(f"{counts['error']}E")
    if counts["warning"]:
        parts.append(f"{counts['warning']}W")
    return " ".join(parts)
