"""Shared CLI helpers: error reporting and the --debug switch. Only the CLI imports typer."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable, TypeVar

import typer

from ..errors import TranskitError

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    return os.environ.get("TRANSKIT_DEBUG", "") not in ("", "0")


def report_errors(func: F) -> F:
    """Turn a ``TranskitError`` into one line on stderr and its exit code.

    Any other exception is a bug: one line too, exit 1, traceback with --debug.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TranskitError as exc:
            if debug_enabled():
                raise
            typer.echo(f"transkit: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("transkit: interrupted; finished work is kept, re-run to resume", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence
            if debug_enabled():
                raise
            typer.echo(
                f"transkit: internal error: {type(exc).__name__}: {exc} "
                "(re-run with --debug for a traceback and please report it)",
                err=True,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def split_list(value: str | None) -> list[str]:
    """``'ru, de,pt'`` -> ``['ru', 'de', 'pt']``."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def is_interactive() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "") in ("", "0", "false")
