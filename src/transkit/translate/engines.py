"""Find the installed model for a language pair and open a translator for it.

Models come from transkit's models folder (``<models_dir>/argos/<package>/`` and
``<models_dir>/firefox/<src>-<tgt>/``, see ``transkit.translate.models.catalog``) and, read
only, from the folder where Argos Translate itself installs packages.

``engine="auto"`` prefers a Firefox Translations model when one is installed for the
pair. In ``benchmarks/bench_translate.py`` on 2 cores, the Firefox en->pt model runs
about 190 sentences/s against about 38 for the Argos zh->en package at beam 4 (not
the same pair: no pair has both test models), from a 22 MB model against 86 MB.
Translation quality across engines is not measured here. With no direct model for
the pair, two models are chained through English (each leg may use either engine
under ``auto``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from ..errors import ModelError, UsageError
from .base import BatchProgress, TranslateOptions, Translator
from .models import argos_package_dirs  # noqa: F401 - discovery lives in models.catalog
from .models import InstalledModel, argos_own_packages, list_installed, resolve_models_dir, version_key

ENGINES = ("auto", "argos", "firefox")
AUTO_PREFERENCE = ("firefox", "argos")
PIVOT_LANGUAGE = "en"


# --------------------------------------------------------------------------- discovery


def installed_models(models_dir: str | os.PathLike[str] | None = None, *, include_argos: bool = True) -> list[InstalledModel]:
    """Every usable model: transkit's own folder first, then Argos Translate's packages."""
    own = list_installed(models_dir)
    if not include_argos:
        return own
    seen = {model.path.resolve() for model in own}
    return own + [model for model in argos_own_packages() if model.path.resolve() not in seen]


# --------------------------------------------------------------------------- selection


def _pick(models: Sequence[InstalledModel], source: str, target: str, engine: str) -> InstalledModel | None:
    """The best model for a pair: preferred engine, then transkit's folder (listed first)
    over Argos' own, then the newest version."""
    order = AUTO_PREFERENCE if engine == "auto" else (engine,)
    for wanted in order:
        matches = [m for m in models if m.engine == wanted and m.source == source and m.target == target]
        if matches:
            home = matches[0].path.parent
            return max((m for m in matches if m.path.parent == home), key=lambda m: version_key(m.version))
    return None


def open_model(model: InstalledModel, options: TranslateOptions = TranslateOptions()) -> Translator:
    if model.engine == "argos":
        from .argos_engine import ArgosTranslator

        return ArgosTranslator(model.path, options)
    if model.engine == "firefox":
        from .firefox_engine import FirefoxTranslator

        return FirefoxTranslator(model.path, options)
    raise ModelError(f"unknown engine '{model.engine}'", path=str(model.path))


def _normalise_code(code: str) -> str:
    return code.strip().lower().replace("_", "-")


def _served_pair(models: Sequence[InstalledModel], source: str, target: str, engine: str) -> tuple[str, str]:
    """The pair whose models serve ``source`` -> ``target``: the tags as given when a model
    (or a pivot) has them, else with a regional tag (pt-br, zh-hant) replaced by its language."""

    def has(src: str, tgt: str) -> bool:
        if _pick(models, src, tgt, engine) is not None:
            return True
        return PIVOT_LANGUAGE not in (src, tgt) and None not in (
            _pick(models, src, PIVOT_LANGUAGE, engine), _pick(models, PIVOT_LANGUAGE, tgt, engine))

    base_source, base_target = source.split("-", 1)[0], target.split("-", 1)[0]
    for pair in ((source, target), (source, base_target), (base_source, target), (base_source, base_target)):
        if pair[0] != pair[1] and has(*pair):
            return pair
    return source, target


def served_languages(
    source: str, target: str, engine: str = "auto", models_dir: str | os.PathLike[str] | None = None
) -> tuple[str, str]:
    """The language pair of the models ``open_translator`` would use for ``source`` -> ``target``
    (lower case): differs from the request when a regional tag falls back to its language."""
    return _served_pair(installed_models(models_dir), _normalise_code(source), _normalise_code(target), engine)


def open_translator(
    source: str,
    target: str,
    engine: str = "auto",
    options: TranslateOptions = TranslateOptions(),
    models_dir: str | os.PathLike[str] | None = None,
) -> Translator:
    """A translator for ``source`` -> ``target``: a direct model, else a pivot through English.

    Raises ``ModelError`` naming the pair, the installed pairs and the install command
    when nothing fits; ``UsageError`` for an unknown engine or a pair like en -> en.
    """
    source, target = _normalise_code(source), _normalise_code(target)
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'", hint="use one of: " + ", ".join(ENGINES))
    if source == target:
        raise UsageError(f"source and target language are both '{source}'", hint="choose a different target language")
    models = installed_models(models_dir)
    source, target = _served_pair(models, source, target, engine)  # pt-br -> pt when only pt has a model
    direct = _pick(models, source, target, engine)
    if direct is not None:
        return open_model(direct, options)
    if PIVOT_LANGUAGE not in (source, target):
        first = _pick(models, source, PIVOT_LANGUAGE, engine)
        second = _pick(models, PIVOT_LANGUAGE, target, engine)
        if first is not None and second is not None:
            first_translator = open_model(first, options)
            try:
                second_translator = open_model(second, options)
            except BaseException:
                first_translator.close()
                raise
            return PivotTranslator(first_translator, second_translator)
    raise _missing_model_error(source, target, engine, models, resolve_models_dir(models_dir))


def _missing_model_error(source: str, target: str, engine: str, models: Sequence[InstalledModel],
                         root: Path) -> ModelError:
    pairs = sorted({f"{m.source}->{m.target} ({m.engine})" for m in models})
    which = "" if engine == "auto" else f"{engine} "
    tried = "" if PIVOT_LANGUAGE in (source, target) else f", nor {source}->en + en->{target} to pivot through English"
    command = f"transkit models install {source} {target}" + ("" if engine == "auto" else f" --engine {engine}")
    return ModelError(
        f"no {which}translation model installed for {source}->{target}{tried}; "
        f"installed: {', '.join(pairs) if pairs else 'none'} (models folder {root})",
        hint=f"install one with: {command}",
    )


# --------------------------------------------------------------------------- pivot


class PivotTranslator:
    """Two translators chained: ``first`` (source -> English) then ``second`` (English -> target)."""

    engine = "pivot"

    def __init__(self, first: Translator, second: Translator) -> None:
        if first.target != second.source:
            raise ModelError(f"cannot chain {first.source}->{first.target} with {second.source}->{second.target}")
        self.first = first
        self.second = second
        self.source = first.source
        self.target = second.target
        self.model_id = f"{first.engine}:{first.model_id}+{second.engine}:{second.model_id}"
        self.model_version = f"{first.model_version}+{second.model_version}"

    def translate_batch(self, sentences: Sequence[str], progress: BatchProgress | None = None) -> list[str]:
        total = len(sentences)
        first_progress = second_progress = None
        if progress is not None:
            def first_progress(done: int, _total: int) -> None:
                progress(done, 2 * total)

            def second_progress(done: int, _total: int) -> None:
                progress(total + done, 2 * total)
        middle = self.first.translate_batch(sentences, first_progress)
        return self.second.translate_batch(middle, second_progress)

    def close(self) -> None:
        try:
            self.first.close()
        finally:
            self.second.close()

    def __enter__(self) -> "PivotTranslator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
