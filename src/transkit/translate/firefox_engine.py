"""Firefox Translations models through ``fxtranslate``, on every core.

An ``fxtranslate.Translator`` cannot be shared between threads (and threads gave no
speed-up), so with more than one core the sentences go to worker processes that each
load the model once. The workers are plain child interpreters running this module
(``python -m transkit.translate.firefox_engine``) and talking JSON lines over pipes:
unlike ``multiprocessing`` they never re-import the caller's main script, and they
share no threads or state with the parent (which may be running CTranslate2 in a
pivot). Work goes out in small numbered chunks, one per idle worker, and results are
put back by number, so the output order never depends on which worker finished first.
The workers start when the translator is opened, load the model side by side, and
opening returns once they are ready, so a model that cannot be loaded fails at open
as it does in one process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import ModelError
from .argos_engine import available_cores
from .base import BatchProgress, TranslateOptions

MODEL_RECORD = "transkit-model.json"
CHUNK_MAX = 16  # sentences per request: small enough to balance, large enough to hide IPC
CHUNKS_PER_WORKER = 4


def read_model_files(model_dir: Path) -> tuple[dict, dict[str, Path]]:
    """The record of a Firefox model folder and the paths of model, vocabularies, shortlist."""
    record_path = model_dir / MODEL_RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"not a transkit Firefox model folder: {MODEL_RECORD} is missing", path=str(model_dir)) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"cannot read {MODEL_RECORD}: {exc}", path=str(record_path)) from exc
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict):
        raise ModelError(f"{MODEL_RECORD} has no 'files'", path=str(record_path))
    shared = files.get("vocab")
    names = {
        "model": files.get("model"),
        "src_vocab": files.get("src_vocab") or shared,
        "trg_vocab": files.get("trg_vocab") or shared,
        "shortlist": files.get("shortlist") or files.get("lex"),
    }
    paths: dict[str, Path] = {}
    for role, name in names.items():
        if not name:
            if role == "shortlist":
                continue  # optional: without it the model decodes over the full vocabulary
            raise ModelError(f"{MODEL_RECORD} names no {role} file", path=str(record_path))
        path = model_dir / str(name)
        if not path.is_file():
            raise ModelError(f"model file {name} is missing", path=str(model_dir),
                             hint="reinstall it with `transkit models install`")
        paths[role] = path
    return record, paths


def load_engine(paths: dict[str, Path]):
    import fxtranslate

    try:
        return fxtranslate.Translator(
            paths["model"].read_bytes(),
            paths["src_vocab"].read_bytes(),
            paths["trg_vocab"].read_bytes(),
            paths["shortlist"].read_bytes() if "shortlist" in paths else None,
        )
    except (ValueError, OSError) as exc:
        raise ModelError(
            f"cannot load the Firefox model: {exc}",
            path=str(paths["model"].parent),
            hint="the model files are damaged: reinstall it with transkit models install",
        ) from exc


def translate_all(engine, texts: Sequence[str]) -> list[str]:
    return [engine.translate(text).strip() for text in texts]


class FirefoxTranslator:
    """Translate with one installed Firefox Translations model folder."""

    engine = "firefox"

    def __init__(self, model_dir: str | os.PathLike[str], options: TranslateOptions = TranslateOptions()) -> None:
        self.model_dir = Path(model_dir)
        record, self._paths = read_model_files(self.model_dir)
        self.source = str(record.get("source", ""))
        self.target = str(record.get("target", ""))
        self.model_id = f"firefox-{self.source}-{self.target}"
        self.model_version = str(record.get("version", ""))
        self.options = options
        self.workers = options.threads if options.threads > 0 else available_cores()
        self._pool: list[_Worker] = []
        self._local = None
        self._closed = False
        if self.workers > 1:
            self._start_pool()
        else:
            self._local = load_engine(self._paths)

    def translate_batch(self, sentences: Sequence[str], progress: BatchProgress | None = None) -> list[str]:
        if self._closed:
            raise ModelError("the translator was closed", path=str(self.model_dir))
        total = len(sentences)
        results = [""] * total
        texts = [" ".join(text.split()) for text in sentences]
        todo = [i for i, text in enumerate(texts) if text]
        done = total - len(todo)
        if progress and done:
            progress(done, total)
        if not todo:
            return results
        size = max(1, min(CHUNK_MAX, -(-len(todo) // (self.workers * CHUNKS_PER_WORKER))))
        chunks = [todo[start:start + size] for start in range(0, len(todo), size)]
        for number, outputs in self._run([[texts[i] for i in chunk] for chunk in chunks]):
            for index, text in zip(chunks[number], outputs):
                results[index] = text
            done += len(outputs)
            if progress:
                progress(done, total)
        return results

    def _run(self, chunks: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
        """Yield (chunk number, translations) as chunks finish, in any order."""
        if self._local is not None:
            for number, chunk in enumerate(chunks):
                yield number, translate_all(self._local, chunk)
            return
        import selectors

        if not self._pool:
            self._start_pool()  # again, after a failure stopped it
        queue = list(enumerate(chunks))[::-1]
        busy: dict[_Worker, int] = {}
        with selectors.DefaultSelector() as selector:
            try:
                for worker in self._pool:
                    if queue:
                        number, chunk = queue.pop()
                        worker.send(chunk, self.model_dir)
                        busy[worker] = number
                        selector.register(worker.stdout, selectors.EVENT_READ, worker)
                while busy:
                    for key, _events in selector.select():
                        worker = key.data
                        outputs = worker.receive(self.model_dir)
                        yield busy.pop(worker), outputs
                        if queue:
                            number, chunk = queue.pop()
                            worker.send(chunk, self.model_dir)
                            busy[worker] = number
                        else:
                            selector.unregister(worker.stdout)
            except BaseException:
                self._stop_pool()  # a worker may still be busy: never reuse it half-way
                raise

    def _start_pool(self) -> None:
        self._pool = [_Worker(self._paths) for _ in range(self.workers)]
        try:
            for worker in self._pool:
                worker.wait_ready(self.model_dir)
        except BaseException:
            self._stop_pool()
            raise

    def _stop_pool(self) -> None:
        pool, self._pool = self._pool, []
        for worker in pool:
            worker.stop()

    def close(self) -> None:
        self._closed = True
        self._local = None
        self._stop_pool()

    def __enter__(self) -> "FirefoxTranslator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self._stop_pool()
        except Exception:
            pass


class _Worker:
    """One child process holding one fxtranslate engine; one request in flight at a time
    (so neither side can block writing while the other is blocked writing too)."""

    def __init__(self, paths: dict[str, Path]) -> None:
        import transkit

        env = dict(os.environ)
        package_root = str(Path(transkit.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self._stderr = tempfile.TemporaryFile()
        spec = json.dumps({role: str(path) for role, path in paths.items()})
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "transkit.translate.firefox_engine", spec],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            )
        except OSError as exc:
            self._stderr.close()
            raise ModelError(f"cannot start a Firefox translation worker: {exc}") from exc
        self.stdout = self.process.stdout

    def wait_ready(self, model_dir: Path) -> None:
        """Wait for the worker's first line, which says whether its model loaded."""
        self.receive(model_dir)

    def send(self, texts: list[str], model_dir: Path) -> None:
        try:
            self.process.stdin.write(json.dumps(texts, ensure_ascii=False).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            self.receive(model_dir)  # the worker is gone: raises with its last words
            raise

    def receive(self, model_dir: Path) -> list[str]:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self._stderr.seek(0)
            tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise ModelError(
                f"a Firefox translation worker stopped (exit code {self.process.returncode})"
                + (f": {tail[0]}" if tail else ""),
                path=str(model_dir), hint="try again with one thread to translate in one process",
            )
        reply = json.loads(line)
        if "error" in reply:
            raise ModelError(reply["error"], path=str(model_dir), hint=reply.get("hint"))
        return reply["ok"]

    def stop(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self._stderr.close()


def _worker_main(spec: str) -> int:
    """Child side: load the model, then answer one JSON line per JSON request line."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from native code must not corrupt the replies
    paths = {role: Path(path) for role, path in json.loads(spec).items()}

    def reply(message: dict) -> None:
        replies.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        replies.flush()

    try:
        engine = load_engine(paths)
    except ModelError as exc:
        reply({"error": exc.message, "hint": exc.hint})
        return 1
    reply({"ok": []})  # ready
    for line in sys.stdin.buffer:
        reply({"ok": translate_all(engine, json.loads(line))})
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1]))
