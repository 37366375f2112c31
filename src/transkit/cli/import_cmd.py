"""``transkit import``: raw article text -> a source transcript for review."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from .common import report_errors
from .options import encoding_option

EXAMPLES = """\
Examples:

  transkit import article.txt -o source/interview.md

  transkit import article.txt -o source/interview.md --force --publisher Meduza

  transkit import article.txt > draft.md   (report on stderr)

Paragraphs the importer is unsure of are tagged 'ID?:' (for example 'KM?:'):
check them, then remove the '?'.
"""

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def register(app: typer.Typer) -> None:
    @app.command("import", epilog=EXAMPLES)
    @report_errors
    def import_command(
        raw: Path = typer.Argument(..., help="Raw article text (any encoding; UTF-8 first, else detected)."),
        output: Optional[Path] = typer.Option(
            None, "-o", "--output", help="Source transcript to write (e.g. source/NAME.md); stdout if omitted."
        ),
        force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
        title: str = typer.Option("", help="Title for the header (default: the article's headline)."),
        publisher: str = typer.Option("", help="Publisher for the header."),
        url: str = typer.Option("", help="URL of the article for the header."),
        date: str = typer.Option("", help="Date YYYY-MM-DD (default: a date in the file name, if any)."),
        language: str = typer.Option("en", help="Language code of the text."),
        encoding: Optional[str] = encoding_option(),
    ) -> None:
        """Convert raw interview text (as scraped from a web page) to the source format.

        Drops page furniture (navigation, photo captions and credits, repeated lines),
        attributes each paragraph to the interviewer or the interviewee, and marks
        the attributions it is unsure of for review.
        """
        from ..errors import InputError, UsageError
        from ..fsio import atomic_write_text, read_decoded
        from ..ingest import import_raw
        from .options import text_encoding

        decoded = read_decoded(raw, "raw text file", text_encoding(encoding))
        if not decoded.confident:
            typer.echo(f"transkit: {raw}: text encoding guessed as {decoded.encoding} - give --encoding if the text looks wrong", err=True)
        text = decoded.text
        if output is not None:
            if output.exists() and output.resolve() == raw.resolve():
                raise UsageError("refusing to overwrite the input file", path=str(output), hint="choose another -o")
            if output.exists() and not force:
                raise UsageError("output file already exists", path=str(output), hint="pass --force to overwrite it")
        found = _DATE_IN_NAME.search(raw.name)
        try:
            result = import_raw(
                text,
                title=title,
                publisher=publisher,
                url=url,
                date=date or (found.group(1) if found else ""),
                language=language,
            )
        except InputError as exc:  # the text itself is unusable: name the file it came from
            exc.path = exc.path or str(raw)
            raise
        if output is None:
            typer.echo(result.markdown, nl=False)
        else:
            atomic_write_text(output, result.markdown)
        _report(result, raw, output)


def _report(result, raw: Path, output: Optional[Path]) -> None:
    to_stderr = output is None
    where = str(output) if output is not None else "<stdout>"
    paragraphs = result.transcript.paragraphs
    spoken = Counter(p.speaker for p in paragraphs if p.kind == "speech")
    notes = sum(1 for p in paragraphs if p.kind == "note")
    by_speaker = ", ".join(f"{sid} {n}" for sid, n in spoken.items())
    reasons = Counter(d.reason for d in result.dropped)
    lines = [
        f"imported {raw} -> {where}",
        f"  kept {len(paragraphs)} paragraphs: {sum(spoken.values())} spoken ({by_speaker}), {notes} notes",
        f"  dropped {len(result.dropped)} lines: " + ", ".join(f"{n} {why}" for why, n in reasons.most_common()),
        f"  {len(result.review)} attributions need review (tagged 'ID?:')",
    ]
    why = dict(result.review_notes)
    for index in result.review:
        p = paragraphs[index]
        lines.append(f"    {where}:{p.line}: {p.speaker}? {_clip(p.text)} - {why.get(index, '')}")
    for line in lines:
        typer.echo(line, err=to_stderr)


def _clip(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
