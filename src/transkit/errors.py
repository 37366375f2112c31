"""transkit's own exceptions. Each carries what went wrong, where, and what to do.

The CLI prints ``str(error)`` as one line on stderr and exits with ``exit_code``;
no traceback unless ``--debug``. Exit codes (documented in README.md):

    1  unexpected internal error (a bug: please report it)
    2  usage error (bad option value, unknown profile/language/format)
    3  bad input file (missing, empty, binary, malformed)
    4  translation model missing or unusable
    5  cannot write output (read-only folder, disk full)
    6  network or download failure
    7  audio could not be read or aligned
    8  quality gate failed (``check --strict`` / ``run --strict``)
    9  a file crashed every cluster worker that ran it (``run --scheduler``)

and, from the CLI itself (``cli.common``): 130 stopped by Ctrl-C, 141 stdout closed
by its reader (``| head``).
"""

from __future__ import annotations

import re

# Control characters and line separators (tab aside): a message quotes user data
# (a line of a file, a name inside an archive), and the error must stay one line
# that cannot move the cursor or recolour the terminal.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


class TranskitError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do about it."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self):
        # keep path, line and hint when an error crosses a process boundary (worker pools)
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return _UNPRINTABLE.sub(_escape, text)


def _rebuild(cls: type, message: str, path: str | None, line: int | None, hint: str | None) -> "TranskitError":
    return cls(message, path=path, line=line, hint=hint)


class UsageError(TranskitError):
    exit_code = 2


class InputError(TranskitError):
    """A file the user gave cannot be read or parsed."""

    exit_code = 3


class ModelError(TranskitError):
    """No usable model for a language pair, or a broken model package."""

    exit_code = 4


class OutputError(TranskitError):
    exit_code = 5


class NetworkError(TranskitError):
    exit_code = 6


class AudioError(TranskitError):
    exit_code = 7


class QualityError(TranskitError):
    exit_code = 8


class WorkerLostError(TranskitError):
    """A file whose task kept killing the cluster workers that ran it."""

    exit_code = 9
