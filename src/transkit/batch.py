"""Run many source files, in parallel worker processes if asked, forwarding progress events.

``run_batch`` is ``transkit run``'s one pipeline call. Each worker runs
``pipeline.run_source`` for one file at a time and keeps its
translators open from one file to the next; the cores are divided between
workers so the engines do not oversubscribe the machine.

Ctrl-C is the parent's business: workers (and the manager process that carries
the progress events) ignore SIGINT, so a terminal's Ctrl-C reaches only the
parent, which terminates the workers at once instead of waiting for their files
to finish. Every output is written atomically, so what a worker had not finished
is simply absent, and a re-run resumes from the translation memory.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.managers import SyncManager
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


def _ignore_sigint() -> None:  # initializer of every worker and of the manager process
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_now(pool: ProcessPoolExecutor, futures) -> None:
    """Interrupted: drop queued files and end the running workers now (no draining)."""
    for future in futures:
        future.cancel()
    # the executor has no public "terminate": its worker processes are in _processes
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join()


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
    manager = SyncManager(ctx=context)
    manager.start(_ignore_sigint)
    with manager:
        events = manager.Queue()
        forwarder = threading.Thread(target=_forward, args=(events, progress), daemon=True)
        forwarder.start()
        try:
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_sigint)
            futures = []
            try:
                futures = [pool.submit(_worker, source, settings, events) for source in sources]
                results = [future.result() for future in futures]
            except (KeyboardInterrupt, SystemExit):
                _stop_now(pool, futures)
                raise
            except BaseException:
                # a failing file: the others already running finish, queued ones are dropped
                for future in futures:
                    future.cancel()
                pool.shutdown(wait=True)
                raise
            pool.shutdown(wait=True)
            return results
        finally:
            try:
                events.put(_STOP)
            except (OSError, EOFError):
                pass
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
