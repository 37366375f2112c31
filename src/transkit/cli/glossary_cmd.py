"""``transkit glossary suggest``: a draft glossary of a document's names and acronyms."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import report_errors

glossary_app = typer.Typer(
    help="Glossary helpers.\n\nExample:\n\n  transkit glossary suggest source/interview.md --to pt -o glossary.csv",
    no_args_is_help=True,
)


@glossary_app.command("suggest")
@report_errors
def suggest(
    source: Path = typer.Argument(..., help="Source transcript (.md), project JSON, SRT/VTT or plain text."),
    to: str = typer.Option(..., "--to", "-t", help="Target language, e.g. pt."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="CSV to write (default: STEM.glossary.LANG.csv)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    engine: Optional[str] = typer.Option(None, "--engine", "-e", help="auto (default), argos or firefox."),
    glossary: Optional[Path] = typer.Option(None, "--glossary", help="A glossary already in use: its terms are left out."),
    source_language: Optional[str] = typer.Option(
        None, "--from", help="Language of plain-text or subtitle sources (default en)."
    ),
    config: Optional[Path] = typer.Option(None, "--config", help="transkit.toml with defaults."),
) -> None:
    """Write a draft glossary CSV: the document's recurring names and acronyms with
    their most frequent translation (and, in comments, every other rendering).

    Correct it, then feed it back: `transkit run SOURCE --to LANG --glossary FILE`.
    The translation comes from the translation memory when the document was
    translated before.

    Examples:

      transkit glossary suggest source/interview.md --to pt -o glossary.pt.csv

      transkit run source/interview.md --to pt --glossary glossary.pt.csv
    """
    from ..config import load_config
    from ..errors import UsageError
    from ..fsio import atomic_write_bytes
    from ..pipeline import suggest_glossary
    from ..runs import RunSettings, source_stem
    from . import options as opt
    from .progress import progress_view

    cfg = load_config(config)
    (language, *more) = opt.parse_languages(to, cfg) or ("",)
    if not language or more:
        raise UsageError("give one target language with --to", hint="e.g. --to pt")
    opt.existing_file(source, "source")
    target = out or Path(f"{source_stem(source)}.glossary.{language}.csv")
    if target.exists() and not force:
        raise UsageError(f"{target} exists", hint="give another --out, or --force to overwrite it")
    settings = RunSettings(
        languages=(language,),
        engine=engine or cfg.get("engine", "auto"),
        translate_options=opt.translate_options(None, cfg),
        glossary=opt.glossary_path(glossary, cfg),
        source_language=opt.source_language(source_language, cfg),
    )
    with progress_view() as view:
        text = suggest_glossary(source, language, settings, progress=view)
    atomic_write_bytes(target, text.encode("utf-8"))
    terms = sum(1 for line in text.splitlines() if line and not line.startswith("#")) - 1  # less the header
    typer.echo(f"wrote {target}: {terms} terms")


def register(app: typer.Typer) -> None:
    app.add_typer(glossary_app, name="glossary")
