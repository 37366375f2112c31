"""``transkit memory``: look into or clear the translation memory."""

from __future__ import annotations

from typing import Optional

import typer

from .common import report_errors

memory_app = typer.Typer(
    rich_markup_mode=None,  # plain help: flags without a "<bool>" type column (typer's rich help shows one)
    help="Show or clear the translation memory (cached and human translations).\n\n"
    "Examples:\n\n  transkit memory stats\n\n  transkit memory clear --to pt --engine-only --yes",
    no_args_is_help=True,
)


@memory_app.command("stats")
@report_errors
def stats() -> None:
    """Entries per language pair and origin.

    Example:

      transkit memory stats
    """
    from ..paths import memory_path
    from ..translate.memory import TranslationMemory

    memory = TranslationMemory(memory_path())
    try:
        info = memory.stats()
    finally:
        memory.close()
    typer.echo(f"{info.path}: {info.entries} entries ({info.engine_entries} engine, {info.human_entries} human), "
               f"{info.size_bytes / 1e6:.1f} MB")
    for source, target, count in info.pairs:
        typer.echo(f"  {source} -> {target}: {count}")


@memory_app.command("clear")
@report_errors
def clear(
    source: Optional[str] = typer.Option(None, "--from", help="Only entries from this language."),
    target: Optional[str] = typer.Option(None, "--to", help="Only entries into this language."),
    engine_only: bool = typer.Option(False, "--engine-only", help="Keep human (post-edited) translations."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete cached translations so the next run translates again.

    Examples:

      transkit memory clear --to pt --engine-only --yes

      transkit memory clear --yes
    """
    from ..paths import memory_path
    from ..translate.memory import TranslationMemory

    if not yes and not typer.confirm("Delete these translation memory entries?", default=False):
        typer.echo("nothing deleted")  # declining is an answer, not a failure: exit 0
        return
    memory = TranslationMemory(memory_path())
    try:
        deleted = memory.clear(source_lang=source, target_lang=target, origin="engine" if engine_only else None)
    finally:
        memory.close()
    typer.echo(f"deleted {deleted} entries")


def register(app: typer.Typer) -> None:
    app.add_typer(memory_app, name="memory")
