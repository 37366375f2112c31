"""The ``transkit`` command. Each command group lives in its own module with ``register(app)``.

Start-up stays fast: command modules import heavy libraries only inside the
command functions.
"""

from __future__ import annotations

import importlib
import os
from typing import Optional

import typer

from .. import __version__

app = typer.Typer(
    rich_markup_mode=None,  # plain help: flags without a "<bool>" type column (typer's rich help shows one)
    name="transkit",
    help="Offline translation of interview transcripts into timed subtitles and bilingual documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

COMMAND_MODULES = (
    "import_cmd",
    "segment_cmd",
    "check_cmd",
    "translate_cmd",
    "models_cmd",
    "run_cmd",
    "export_cmd",
    "memory_cmd",
    "edits_cmd",
    "align_cmd",
    "glossary_cmd",
    "mux_cmd",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"transkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    if debug:
        os.environ["TRANSKIT_DEBUG"] = "1"


for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}").register(app)


def main() -> None:
    app()
