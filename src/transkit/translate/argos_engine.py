"""Argos Translate packages run directly on CTranslate2 + SentencePiece, in batches.

The package's model and tokenizer are loaded once; a job's sentences are tokenised,
sorted by length into batches and handed to CTranslate2 all at once, so its worker
threads (``inter_threads``) translate several batches in parallel. Decoding settings
match ``argostranslate``'s own (length penalty 0.2, unknown tokens copied from the
source), so transkit and argostranslate translate a sentence alike.

Batches are planned from the job alone (sentence lengths, ``max_batch_tokens``), never
from the thread count, so a job translates the same on any machine. Which sentences
share a batch does change CTranslate2's rounding slightly: measured on the zh->en
package, about one line in a hundred comes out differently than from a one-sentence
call. That is why ``max_batch_tokens`` is part of ``TranslateOptions.key()``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

from ..errors import ModelError, UsageError
from .base import BatchProgress, TranslateOptions

MAX_BATCH_EXAMPLES = 32  # beyond this, batches measured no faster and used more memory
MIN_BATCHES = 4  # small jobs are still split so that several worker threads get work
LENGTH_PENALTY = 0.2  # argostranslate's value
SPACE_MARK = "\u2581"  # SentencePiece's word-boundary mark


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def read_package_metadata(package_dir: Path) -> dict:
    path = package_dir / "metadata.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError("not an Argos package: metadata.json is missing", path=str(package_dir)) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"cannot read metadata.json: {exc}", path=str(path)) from exc
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise ModelError("metadata.json lacks from_code/to_code", path=str(path))
    return meta


class ArgosTranslator:
    """Translate with one installed (unpacked) Argos package."""

    engine = "argos"

    def __init__(self, package_dir: str | os.PathLike[str], options: TranslateOptions = TranslateOptions()) -> None:
        self.package_dir = Path(package_dir)
        meta = read_package_metadata(self.package_dir)
        self.source = str(meta["from_code"])
        self.target = str(meta["to_code"])
        self.model_id = self.package_dir.name
        self.model_version = str(meta.get("package_version", ""))
        self.target_prefix = str(meta.get("target_prefix") or "")
        if options.beam_size < 1 or options.max_batch_tokens < 1:
            raise UsageError("beam size and batch size must be at least 1")
        self.options = options
        self.threads = options.threads if options.threads > 0 else available_cores()
        self._translator = None
        self._tokenizer = None
        self._load()

    def _load(self) -> None:
        model_dir = self.package_dir / "model"
        sp_path = self.package_dir / "sentencepiece.model"
        if not (model_dir / "model.bin").is_file():
            raise ModelError("Argos package has no model/model.bin", path=str(self.package_dir),
                             hint="reinstall it with `transkit models install`")
        if not sp_path.is_file():
            hint = ("this package uses a BPE tokenizer, which transkit does not support"
                    if (self.package_dir / "bpe.model").is_file() else "reinstall it with `transkit models install`")
            raise ModelError("Argos package has no sentencepiece.model", path=str(self.package_dir), hint=hint)
        import ctranslate2
        import sentencepiece

        supported = ctranslate2.get_supported_compute_types("cpu")
        if self.options.compute_type not in supported and self.options.compute_type not in ("auto", "default"):
            raise ModelError(
                f"compute type '{self.options.compute_type}' is not supported on this CPU",
                hint="use one of: " + ", ".join(sorted(supported)),
            )
        try:
            # One worker per core, one thread each: independent batches run side by side,
            # which measured faster than one batch on several threads.
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device="cpu",
                compute_type=self.options.compute_type,
                inter_threads=self.threads,
                intra_threads=1,
            )
            self._tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the Argos model: {exc}", path=str(self.package_dir)) from exc

    def translate_batch(self, sentences: Sequence[str], progress: BatchProgress | None = None) -> list[str]:
        if self._translator is None:
            raise ModelError("the translator was closed", path=str(self.package_dir))
        total = len(sentences)
        results = [""] * total
        texts = [" ".join(text.split()) for text in sentences]
        todo = [i for i, text in enumerate(texts) if text]
        tokens = {i: self._tokenizer.encode(texts[i], out_type=str) for i in todo}
        batches = plan_batches({i: len(tokens[i]) for i in todo}, self.options.max_batch_tokens)
        prefix = [self.target_prefix] if self.target_prefix else None
        pending = []
        for batch in batches:
            jobs = self._translator.translate_batch(
                [tokens[i] for i in batch],
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=self.options.beam_size,
                num_hypotheses=1,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                max_batch_size=0,
                asynchronous=True,
            )
            pending.append((batch, jobs))
        done = total - len(todo)
        if progress and done:
            progress(done, total)
        for batch, jobs in pending:
            for index, job in zip(batch, jobs):
                try:
                    hypothesis = job.result().hypotheses[0]
                except RuntimeError as exc:
                    raise ModelError(f"CTranslate2 failed on sentence {index + 1} of {total}: {exc}",
                                     path=str(self.package_dir)) from exc
                results[index] = self._detokenize(hypothesis)
            done += len(batch)
            if progress:
                progress(done, total)
        return results

    def _detokenize(self, pieces: list[str]) -> str:
        if self.target_prefix and pieces[:1] == [self.target_prefix]:
            pieces = pieces[1:]
        # Target pieces need not exist in the (source-side) SentencePiece model, so
        # some word marks survive decoding: turn those into spaces too.
        text = self._tokenizer.decode_pieces(pieces).replace(SPACE_MARK, " ")
        return text.strip()

    def close(self) -> None:
        self._translator = None
        self._tokenizer = None

    def __enter__(self) -> "ArgosTranslator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def plan_batches(lengths: dict[int, int], max_batch_tokens: int, *, min_batches: int = MIN_BATCHES) -> list[list[int]]:
    """Group sentence indices into batches of similar length, longest first.

    A batch's size in tokens counts padding (sentences x longest sentence) and stays
    under ``max_batch_tokens``; it holds at most ``MAX_BATCH_EXAMPLES`` sentences, and
    small jobs are split into about ``min_batches`` batches so several worker threads
    get some. Longest first so the slowest batches start early and the workers finish
    together.
    """
    order = sorted(lengths, key=lambda i: (-lengths[i], i))
    if not order:
        return []
    per_batch = max(1, min(MAX_BATCH_EXAMPLES, -(-len(order) // max(1, min_batches))))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        length = max(1, lengths[index])
        widest = max(longest, length)
        if current and (len(current) >= per_batch or widest * (len(current) + 1) > max_batch_tokens):
            batches.append(current)
            current, widest = [], length
        current.append(index)
        longest = widest
    batches.append(current)
    return batches
