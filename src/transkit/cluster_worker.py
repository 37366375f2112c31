"""What runs on a Dask worker for ``transkit run --scheduler`` (see ``cluster.py``).

``TranslatorPool`` is a worker plugin the client registers: it keeps each
engine loaded from one task to the next (one set per worker thread; workers are
meant to run with ``--nthreads 1``) and closes them when the worker stops.
``run_file_task`` runs one file: it puts the sent source (and glossary) in a
private temporary folder, renders every output in memory with
``pipeline.render_source`` against the rows the client sent, and returns the
bytes and the new memory rows. Progress events go to the client through the
scheduler's pub/sub (``Worker.log_event``).

``TRANSKIT_WORKER_THREADS`` sets the engine threads of a worker (default 0: all
its cores); several workers on one machine should share the cores out.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from distributed import WorkerPlugin, get_worker

from .errors import TranskitError
from .fsio import atomic_write_bytes
from .pipeline import RenderedSource, open_translators, render_source
from .runs import ProgressEvent, RunSettings
from .translate.memory import CarriedMemory
from .translate.session import OpenTranslators


TOPIC = "transkit-progress"  # the pub/sub topic workers send progress events on
PLUGIN = "transkit-translators"  # the worker plugin that keeps engines loaded


@dataclass(frozen=True)
class FileTask:
    """What a worker needs for one file: the source bytes and the memory rows for its sentences."""

    name: str  # the source as the user named it: labels, results, errors
    filename: str  # its file name: the reader and the outputs' stem go by it
    data: bytes
    rows: tuple[tuple[str, ...], ...] = ()
    glossary: tuple[str, bytes] | None = None  # (file name, bytes)


@dataclass(frozen=True)
class FileAnswer:
    """What a worker sends back: every output as bytes and the memory rows it made."""

    rendered: RenderedSource
    new_rows: tuple[tuple[str, ...], ...]


class TranslatorPool(WorkerPlugin):
    """Per worker: the open translators, by (thread, engine, options), kept across tasks."""

    name = PLUGIN

    def setup(self, worker) -> None:  # noqa: ANN001 - distributed.Worker
        self.open: dict[tuple, OpenTranslators] = {}
        self.lock = threading.Lock()

    def get(self, settings: RunSettings) -> OpenTranslators:
        key = (threading.get_ident(), settings.engine, settings.translate_options)
        with self.lock:
            translators = self.open.get(key)
            if translators is None:
                translators = self.open[key] = open_translators(settings)
            return translators

    def teardown(self, worker) -> None:  # noqa: ANN001
        with self.lock:
            pools, self.open = list(self.open.values()), {}
        for translators in pools:
            translators.close()


def _threads(settings: RunSettings) -> RunSettings:
    threads = os.environ.get("TRANSKIT_WORKER_THREADS", "")
    if not threads.isdigit():
        return settings
    return replace(settings, translate_options=replace(settings.translate_options, threads=int(threads)))


def run_file_task(task: FileTask, settings: RunSettings) -> FileAnswer:
    """One file on this worker: outputs as bytes and the memory rows it made."""
    worker = get_worker()
    settings = _threads(settings)
    translators = worker.plugins[PLUGIN].get(settings)

    def progress(event: ProgressEvent) -> None:
        worker.log_event(TOPIC, asdict(replace(event, file=task.name)))

    folder = tempfile.mkdtemp(prefix="transkit-task-")
    try:
        source = Path(folder) / task.filename
        atomic_write_bytes(source, task.data)
        if task.glossary is not None:
            glossary = Path(folder) / "glossary" / task.glossary[0]
            atomic_write_bytes(glossary, task.glossary[1])
            settings = replace(settings, glossary=glossary)
        memory = CarriedMemory(task.rows) if settings.use_memory else None
        try:
            done = render_source(
                source, settings, progress, translators=translators, memory=memory, source_bytes=task.data
            )
        except TranskitError as exc:
            if exc.path and exc.path.startswith(folder):
                exc.path = task.name  # name the file as the user did, not this worker's copy
            exc.message += f" (on cluster worker {worker.name})"
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileAnswer(replace(done, source=task.name), tuple(memory.new_rows) if memory else ())
