"""The Translator protocol every engine implements, and the options they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

# progress(done, total): called by engines as batches finish
BatchProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class TranslateOptions:
    beam_size: int = 4  # Argos engine; 1 is the fast setting (see benchmarks/bench_translate.py)
    threads: int = 0  # 0 = all cores; never changes the output
    compute_type: str = "int8"  # Argos engine (CTranslate2)
    max_batch_tokens: int = 1024  # Argos engine: padded source tokens per batch

    def key(self) -> str:
        """A stable text form of the options that change output (for the translation memory).

        ``max_batch_tokens`` is part of it: which sentences share a CTranslate2 batch
        changes rounding, and so about one line in a hundred.
        """
        return f"beam={self.beam_size};compute={self.compute_type};batch={self.max_batch_tokens}"


class Translator(Protocol):
    """Translate sentences from ``source`` to ``target``; one output per input, in order."""

    engine: str  # "argos" | "firefox" | "pivot"
    source: str
    target: str
    model_id: str
    model_version: str

    def translate_batch(
        self, sentences: Sequence[str], progress: BatchProgress | None = None
    ) -> list[str]: ...

    def close(self) -> None: ...
