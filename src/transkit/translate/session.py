"""What a run opens to translate: the engines, the translation memory, the glossary.

``OpenTranslators`` keeps engines open for every file of a batch in one process;
``open_memory`` and ``open_glossary`` open what the run's settings name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .base import TranslateOptions, Translator

if TYPE_CHECKING:
    from .glossary import Glossary
    from .memory import TranslationMemory


class OpenTranslators:
    """Translators opened once and kept for every file of a batch in one process:
    opening one loads its model (and may start engine worker processes), which
    otherwise every file of a batch would pay again."""

    def __init__(
        self,
        engine: str = "auto",
        options: TranslateOptions = TranslateOptions(),
        models_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.engine = engine
        self.options = options
        self.models_dir = models_dir
        self._open: dict[tuple[str, str], Translator] = {}

    def get(self, source: str, target: str) -> Translator:
        translator = self._open.get((source, target))
        if translator is None:
            from .engines import open_translator

            translator = open_translator(
                source, target, engine=self.engine, options=self.options, models_dir=self.models_dir
            )
            self._open[(source, target)] = translator
        return translator

    def close(self) -> None:
        translators, self._open = list(self._open.values()), {}
        for translator in translators:
            translator.close()

    def __enter__(self) -> "OpenTranslators":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_memory(use_memory: bool = True, path: Path | None = None) -> "TranslationMemory | None":
    """The translation memory at ``path`` (default: the user's), or None when not used."""
    if not use_memory:
        return None
    from ..paths import memory_path
    from .memory import TranslationMemory

    return TranslationMemory(path or memory_path())


def open_glossary(path: Path | None) -> "Glossary | None":
    if path is None:
        return None
    from .glossary import load_glossary

    return load_glossary(path)
