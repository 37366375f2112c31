"""Shared CLI helpers: error reporting and the --debug switch. Only the CLI imports typer."""

from __future__ import annotations

import errno
import functools
import os
import signal
import sys
import threading
from typing import Any, Callable, TypeVar

import typer

from ..errors import TranskitError

F = TypeVar("F", bound=Callable[..., Any])


def debug_enabled() -> bool:
    return os.environ.get("TRANSKIT_DEBUG", "") not in ("", "0")


# Exit codes that are not a TranskitError's (README, "Exit codes")
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports a process stopped by SIGINT
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (`| head`), as a shell reports SIGPIPE

STOPPING = "transkit: stopping (Ctrl-C); finished work is kept, re-run to resume"


def report_errors(func: F) -> F:
    """Turn a ``TranskitError`` into one line on stderr and its exit code.

    Ctrl-C says at once that the command is stopping, then exits 130 (a second
    Ctrl-C exits at once); a closed stdout (``| head``) ends the command quietly
    with 141. Any other exception is a bug: one line too, exit 1, traceback with --debug.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        announced = threading.Event()
        previous = _catch_sigint(announced)
        try:
            return func(*args, **kwargs)
        except TranskitError as exc:
            if debug_enabled():
                raise
            typer.echo(f"transkit: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if not announced.is_set():
                _say(STOPPING)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                return _internal_error(exc)
            silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence
            return _internal_error(exc)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    return wrapper  # type: ignore[return-value]


def _internal_error(exc: BaseException) -> Any:
    if debug_enabled():
        raise exc
    typer.echo(
        f"transkit: internal error: {type(exc).__name__}: {exc} "
        "(re-run with --debug for a traceback and please report it)",
        err=True,
    )
    raise typer.Exit(1) from None


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _catch_sigint(announced: threading.Event):
    """On the first Ctrl-C say at once that we are stopping, then raise KeyboardInterrupt
    so the command unwinds (a batch stops its workers); a second Ctrl-C exits at once.
    Returns the handler to restore (None when signals cannot be handled here)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        return None  # started with Ctrl-C ignored (nohup, a background job): keep it so

    def force_exit(signum: int, frame: object) -> None:
        os._exit(EXIT_INTERRUPTED)

    def first(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, force_exit)
        announced.set()
        _say(STOPPING)
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGINT, first)
    except (ValueError, OSError):
        return None


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's flush at exit cannot fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def split_list(value: str | None) -> list[str]:
    """``'ru, de,pt'`` -> ``['ru', 'de', 'pt']``."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def is_interactive() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "") in ("", "0", "false")
