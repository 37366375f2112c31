"""Translate a job's sentences: memory first, the engine for the rest, then glossary and QA.

``translate_texts`` is the one entry point the pipeline uses. For each distinct
sentence it asks the translation memory; only the misses go to the engine, in
batches, and each batch is stored in the memory as soon as it is done, so a
killed job loses at most one batch and a re-run translates nothing twice.
Glossary terms the engine missed get one retry with placeholders (see
``glossary``); every output is then checked by ``qa``. Text is never dropped:
a flagged output is kept and flagged.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from ..errors import ModelError
from . import qa
from .base import BatchProgress, TranslateOptions, Translator
from .glossary import Glossary, GlossaryTerm, Protected, missed_terms, protect, restore
from .memory import MemoryKey, TranslationMemory

# Sentences per engine call. Each call's results are committed to the memory before
# the next starts: large enough for the engines to sort by length and keep every core
# busy, small enough that a kill loses only a few seconds of work.
BATCH_SENTENCES = 128


@dataclass(frozen=True)
class TranslationBatch:
    """The translations of one job, one per input text, in order."""

    texts: tuple[str, ...]
    origins: tuple[str, ...]  # per text: "memory" | "engine" | "human"
    qa_flags: tuple[tuple[str, ...], ...]  # per text: "code" or "code: detail"
    engine: str
    model_id: str
    model_version: str
    options_key: str
    engine_calls: int  # translate_batch calls made (0 when everything came from memory)
    engine_sentences: int  # sentences the engine translated (glossary retries included)

    def qa_summary(self) -> dict[str, int]:
        """Texts flagged per QA code."""
        counts = Counter(flag.split(":", 1)[0] for flags in self.qa_flags for flag in set(flags))
        return {code: counts.get(code, 0) for code in qa.CODES}

    def origin_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.origins).items()))


def translate_texts(
    texts: Sequence[str],
    source: str,
    target: str,
    *,
    engine: str = "auto",
    options: TranslateOptions = TranslateOptions(),
    memory: TranslationMemory | None = None,
    glossary: Glossary | None = None,
    progress: BatchProgress | None = None,
    translator: Translator | None = None,
    models_dir: str | os.PathLike[str] | None = None,
    batch_size: int = BATCH_SENTENCES,
) -> TranslationBatch:
    """Translate ``texts`` from ``source`` to ``target``; see the module docstring.

    ``translator`` is used as given (and not closed); otherwise one is opened with
    ``engines.open_translator`` and closed afterwards. A missing model raises the
    engine's ``ModelError`` unchanged (it names the pair and the install command).
    """
    owned = translator is None
    if translator is None:
        from .engines import open_translator

        translator = open_translator(source, target, engine=engine, options=options, models_dir=models_dir)
    try:
        return _translate(
            list(texts), source, target, translator, options, memory, glossary, progress, max(1, batch_size)
        )
    finally:
        if owned:
            translator.close()


def _translate(
    texts: list[str],
    source: str,
    target: str,
    translator: Translator,
    options: TranslateOptions,
    memory: TranslationMemory | None,
    glossary: Glossary | None,
    progress: BatchProgress | None,
    batch_size: int,
) -> TranslationBatch:
    terms = glossary.for_language(target) if glossary else ()
    options_key = options.key()
    if glossary is not None and terms:
        # the glossary changes the output, so outputs under another glossary are other entries
        options_key += f";glossary={glossary.fingerprint(target)}"
    key = MemoryKey(translator.engine, translator.model_id, translator.model_version, options_key, source, target)

    unique = [text for text in dict.fromkeys(texts) if text.strip()]
    results: dict[str, tuple[str, str]] = {}  # source text -> (translation, origin)
    if memory is not None and unique:
        for text, hit in memory.lookup_many(key, unique).items():
            results[text] = (hit.text, "human" if hit.origin == "human" else "memory")
    misses = [text for text in unique if text not in results]

    total = len(texts)
    counts = Counter(texts)
    finished = total - sum(counts[text] for text in misses)
    if progress:
        progress(finished, total)
    counter = _EngineCounter(translator)
    for start in range(0, len(misses), batch_size):
        batch = misses[start : start + batch_size]
        weight = [counts[text] for text in batch]

        def on_engine(done: int, of: int, base: int = finished, share: int = sum(weight)) -> None:
            if progress and of:
                progress(base + min(share, share * done // of), total)

        outputs = counter.translate(batch, on_engine)
        if terms:
            outputs = _enforce_glossary(batch, outputs, terms, counter)
        if memory is not None:
            memory.store_many(key, zip(batch, outputs))
        for text, output in zip(batch, outputs):
            results[text] = (output, "engine")
        finished += sum(weight)
        if progress:
            progress(finished, total)

    out_texts, origins, flags = [], [], []
    for text in texts:
        output, origin = results.get(text, ("", "engine"))  # blank sources stay blank
        out_texts.append(output)
        origins.append(origin)
    # a human translation is the translator's choice: it is not judged, but it counts
    # for the document's term renderings
    document = qa.check_document(texts, out_texts, source, target, glossary_terms=terms)
    for text, output, origin, extra in zip(texts, out_texts, origins, document):
        found = qa.check_segment(text, output, source, target, glossary_terms=terms) + extra
        flags.append(() if origin == "human" else tuple(str(f) for f in found))
    return TranslationBatch(
        texts=tuple(out_texts),
        origins=tuple(origins),
        qa_flags=tuple(flags),
        engine=translator.engine,
        model_id=translator.model_id,
        model_version=translator.model_version,
        options_key=options_key,
        engine_calls=counter.calls,
        engine_sentences=counter.sentences,
    )


class _EngineCounter:
    """Calls the translator, checks it kept one output per input, and counts the work."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator
        self.calls = 0
        self.sentences = 0

    def translate(self, sentences: list[str], progress: Callable[[int, int], None] | None = None) -> list[str]:
        outputs = list(self.translator.translate_batch(sentences, progress))
        self.calls += 1
        self.sentences += len(sentences)
        if len(outputs) != len(sentences):
            raise ModelError(
                f"the {self.translator.engine} engine returned {len(outputs)} translations for "
                f"{len(sentences)} sentences (model {self.translator.model_id})",
                hint="this is a bug in the engine; please report it",
            )
        return outputs


def _enforce_glossary(
    sources: list[str], outputs: list[str], terms: Sequence[GlossaryTerm], counter: _EngineCounter
) -> list[str]:
    """Retranslate sentences that miss a glossary term, with the missed terms as placeholders.

    A retry is kept only when it misses fewer terms than the first translation.
    """
    retry: list[tuple[int, list[GlossaryTerm], Protected]] = []
    for index, (source, output) in enumerate(zip(sources, outputs)):
        missed = missed_terms(source, output, terms)
        if missed:
            retry.append((index, missed, protect(source, missed)))
    if not retry:
        return outputs
    second = counter.translate([protected.text for _i, _m, protected in retry])
    fixed = list(outputs)
    for (index, missed, protected), output in zip(retry, second):
        restored = restore(output, protected)
        if restored is not None and len(missed_terms(sources[index], restored, terms)) < len(missed):
            fixed[index] = restored
    return fixed
