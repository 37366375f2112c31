"""``transkit run --scheduler``: the batch's files as tasks on a Dask distributed cluster.

``batch.py`` runs files in local processes; this module runs the same
``pipeline.render_source`` on the workers of an existing cluster, one task per
file. No disk is shared: the client reads each source (and the glossary) and
sends the bytes with its task, together with the translation-memory rows it
already has for the file's sentences, so those are not translated again. The
worker renders every output in memory and sends back the bytes and the memory
rows it made; the client is the only writer of outputs (atomically, skipping
unchanged files, as a local run) and of the SQLite memory.

Faults: a worker that dies mid-task has its task run again on another worker
by the scheduler; the dead worker's rows never reached the client, so nothing
is lost or stored twice. A file that keeps killing workers (the scheduler's
``distributed.scheduler.allowed-failures``, 3 by default) fails alone, as does a
file whose worker lacks the model; the other files finish and the failures are
returned. A killed client loses only the files it had not written; a re-run
sends their finished sentences from the memory.

The client keeps one task per worker thread in flight and gathers each task's
memory rows when it submits it, so a sentence an earlier file finished is not
translated again, and a batch of thousands of files is never held at once.

Dask is an optional extra (``transkit[cluster]``) and is imported only here,
inside functions; ``cluster_worker.py`` is what runs on the workers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Sequence

from .errors import NetworkError, TranskitError, UsageError, WorkerLostError
from .runs import FileFailure, Progress, ProgressEvent, RunResult, RunSettings

CONNECT_TIMEOUT_S = 30
IN_FLIGHT_PER_THREAD = 1  # tasks in flight per worker thread


@dataclass(frozen=True)
class ClusterRun:
    """The files that finished (in the order of the sources) and those that failed."""

    results: tuple[RunResult, ...]
    failures: tuple[FileFailure, ...]


def require_distributed():
    """The ``distributed`` module, or the usage error that names the extra."""
    try:
        import distributed
    except ImportError as exc:
        raise UsageError(
            "--scheduler needs Dask distributed, which is not installed",
            hint="pip install 'transkit[cluster]'",
        ) from exc
    return distributed


def file_task(source: Path, settings: RunSettings, memory, glossary: tuple[str, bytes] | None):
    """Read ``source`` on the client and gather the rows the memory has for its sentences.

    The source is read and segmented here too (cheap next to translating) to know
    which sentences to look up; an unreadable source fails here, before any task."""
    from .cluster_worker import FileTask
    from .fsio import read_input_bytes
    from .pipeline import prepare_project, texts_to_translate

    data = read_input_bytes(source, "source")
    rows: list[tuple[str, ...]] = []
    if memory is not None:
        project = prepare_project(source, replace(settings, audio=None))
        texts = texts_to_translate(project)
        source_language = project.transcript.meta.language
        for language in dict.fromkeys(settings.languages):
            if language != source_language:
                rows += memory.rows_for(source_language, language, texts)
    return FileTask(str(source), source.name, data, tuple(rows), glossary)


def worker_settings(settings: RunSettings, glossary_name: str | None) -> RunSettings:
    """The settings a worker runs with: its own models and no memory file (it is
    given rows instead); the glossary by name only (its bytes go with the task)."""
    return replace(
        settings,
        models_dir=None,
        memory_path=None,
        glossary=Path(glossary_name) if glossary_name else None,
    )


def run_cluster(
    sources: Sequence[Path],
    settings: RunSettings,
    *,
    scheduler: str,
    progress: Progress | None = None,
) -> ClusterRun:
    """Run every source as a task on the cluster at ``scheduler`` (``tcp://host:8786``)
    and write the outputs here as the tasks finish."""
    if settings.audio is not None:
        raise UsageError("--audio runs on this machine, not on a cluster", hint="leave out --scheduler")
    distributed = require_distributed()
    from .cluster_worker import PLUGIN, TOPIC, TranslatorPool, run_file_task
    from .fsio import read_input_bytes
    from .pipeline import write_source
    from .translate.session import open_memory

    glossary = None
    if settings.glossary is not None:
        glossary = (settings.glossary.name, read_input_bytes(settings.glossary, "glossary"))
    remote = worker_settings(settings, glossary[0] if glossary else None)
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise NetworkError(
            f"cannot reach the Dask scheduler: {exc}",
            path=scheduler,
            hint="start it with `dask scheduler` and give the address it prints, e.g. tcp://HOST:8786",
        ) from exc
    memory = open_memory(settings.use_memory, settings.memory_path)
    try:
        client.register_plugin(TranslatorPool(), name=PLUGIN)
        if progress is not None:
            client.subscribe_topic(TOPIC, lambda event: progress(progress_event(event[1])))
        queue = iter(sources)
        running = distributed.as_completed()
        names: dict[object, str] = {}
        done: dict[str, RunResult] = {}
        failed: dict[str, FileFailure] = {}

        def submit_next() -> bool:
            source = next(queue, None)
            if source is None:
                return False
            try:  # the rows are gathered now, so the files finished before this one count
                task = file_task(source, settings, memory, glossary)
            except TranskitError as exc:
                failed[str(source)] = _failure(str(source), exc)
                return True
            future = client.submit(run_file_task, task, remote, pure=False)
            names[future] = str(source)
            running.add(future)
            return True

        def fill() -> None:
            # one task per worker thread in flight: a file's rows are gathered as late
            # as possible (files in flight together translate their shared sentences
            # twice), and the client holds only a window of sources, whatever the size
            # of the batch; a worker waits only for the round trip between two files
            window = max(1, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
            while running.count() < window and submit_next():
                pass

        fill()
        for future in running:
            name = names.pop(future)
            try:
                answer = future.result()
            except distributed.KilledWorker as exc:
                failed[name] = _failure(name, WorkerLostError(
                    "every cluster worker that ran this file died",
                    path=name,
                    hint=f"it may need more memory than a worker has ({exc.__class__.__name__})",
                ))
            except TranskitError as exc:
                failed[name] = _failure(name, exc)
            except Exception as exc:  # noqa: BLE001 - a bug on a worker fails its file, not the batch
                failed[name] = FileFailure(
                    source=name,
                    message=f"{name}: internal error on a cluster worker: {type(exc).__name__}: {exc} (please report it)",
                    exit_code=1,
                )
            else:
                if memory is not None:
                    memory.add_rows(answer.new_rows)  # before the outputs: a re-run after a crash finds them
                done[name] = write_source(answer.rendered, settings.out_dir, progress)
            future.release()
            fill()
    finally:
        if memory is not None:
            memory.close()
        client.close()
    order = [str(source) for source in sources]
    return ClusterRun(
        results=tuple(done[n] for n in order if n in done),
        failures=tuple(failed[n] for n in order if n in failed),
    )


def progress_event(message: dict) -> ProgressEvent:
    """A worker's event as the scheduler passes it on (it adds the worker's address)."""
    names = {f.name for f in fields(ProgressEvent)}
    return ProgressEvent(**{key: value for key, value in message.items() if key in names})


def _failure(name: str, error: TranskitError) -> FileFailure:
    message = str(error) if error.path else f"{name}: {error}"
    return FileFailure(source=name, message=message, exit_code=error.exit_code)


__all__ = ["ClusterRun", "file_task", "require_distributed", "run_cluster"]
