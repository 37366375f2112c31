"""Turn a run's ``ProgressEvent``s into rich progress bars (one per file and stage).

On a terminal the bars redraw in place; without one (CI, pipes) a short line per
finished stage goes to stderr instead, so logs stay readable.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..runs import ProgressEvent
from .common import is_interactive


class ProgressView:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.interactive = is_interactive()
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not self.interactive,
        )
        self.tasks: dict[tuple[str, str, str], int] = {}
        self._last_line: tuple[str, str, str] | None = None

    def __call__(self, event: ProgressEvent) -> None:
        if event.stage == "notice":
            self.console.print(f"transkit: {event.file}: {event.message}", markup=False, highlight=False, soft_wrap=True)
            return
        key = (event.file, event.stage, event.language)
        label = f"{_short(event.file)} {event.stage}" + (f" [{event.language}]" if event.language else "")
        if not self.interactive:
            if event.stage in ("translate", "align", "burn") and event.total and event.done < event.total:
                return  # only the finished step is worth a log line
            if key != self._last_line:
                self._last_line = key
                counts = f" {event.done}/{event.total}" if event.total else ""
                print(f"transkit: {label}{counts}", file=sys.stderr, flush=True)
            return
        task = self.tasks.get(key)
        if task is None:
            task = self.bars.add_task(label, total=event.total or 1)
            self.tasks[key] = task
        if event.total:
            self.bars.update(task, total=event.total, completed=event.done)
        else:
            self.bars.update(task, completed=1, total=1)


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


@contextmanager
def progress_view() -> Iterator[ProgressView]:
    console = Console(stderr=True)
    view = ProgressView(console)
    with view.bars:
        yield view
