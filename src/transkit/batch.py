"""Run many source files, in parallel worker processes if asked, forwarding progress events.

``run_batch`` is ``transkit run``'s one pipeline call. Each worker runs
``pipeline.run_source`` for one file at a time and keeps its
translators open from one file to the next; the cores are divided between
workers so the engines do not oversubscribe the machine.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import queue
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from .errors import UsageError
from .pipeline import open_translators, run_source
from .runs import Progress, RunResult, RunSettings
from .translate.session import OpenTranslators

_STOP = None
_translators: OpenTranslators | None = None  # per worker process, for all its files


def _worker(source: Path, settings: RunSettings, events) -> RunResult:  # runs in a child process
    global _translators
    if _translators is None:
        _translators = open_translators(settings)  # every task of one pool has the same settings
        atexit.register(_translators.close)
    return run_source(source, settings, events.put, translators=_translators)


def _forward(events, progress: Progress | None) -> None:
    while True:
        try:
            event = events.get(timeout=0.5)
        except queue.Empty:
            continue
        except (EOFError, OSError):
            return
        if event is _STOP:
            return
        if progress is not None:
            progress(event)


def run_parallel(
    sources: Sequence[Path], settings: RunSettings, *, jobs: int, progress: Progress | None
) -> list[RunResult]:
    cores = os.cpu_count() or 1
    per_job = max(1, cores // jobs)
    settings = replace(settings, translate_options=replace(settings.translate_options, threads=per_job))
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        events = manager.Queue()
        forwarder = threading.Thread(target=_forward, args=(events, progress), daemon=True)
        forwarder.start()
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                futures = [pool.submit(_worker, source, settings, events) for source in sources]
                try:
                    return [future.result() for future in futures]
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
        finally:
            events.put(_STOP)
            forwarder.join(timeout=5)


def run_batch(
    sources: Sequence[Path],
    settings: RunSettings,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[RunResult]:
    """Run every source; with ``jobs`` > 1 in that many worker processes.

    Results come back in the order of ``sources`` whatever order workers finish in.
    A failing file stops the batch with its error; finished files are kept and
    a re-run reuses the translation memory.
    """
    if settings.audio is not None and len(sources) > 1:
        raise UsageError("--audio goes with a single source transcript", hint="run one file per recording")
    if jobs <= 1 or len(sources) <= 1:
        with open_translators(settings) as translators:
            return [run_source(source, settings, progress, translators=translators) for source in sources]
    return run_parallel(sources, settings, jobs=jobs, progress=progress)


__all__ = ["run_batch", "run_parallel"]
