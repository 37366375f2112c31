"""Catalogue language codes as BCP-47 tags (data: ``transkit/data/model_languages.json``).

Catalogues name languages by short codes that are mostly ISO 639-1 and so already
BCP-47 tags; the exceptions (the Firefox "pt" models are Brazilian Portuguese, Argos'
"zt" is Traditional Chinese) are kept as data per engine. ``--to`` normalisation of
what a user types lives elsewhere; this only says what a model's codes mean.
"""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    data = json.loads(resources.files("transkit").joinpath("data/model_languages.json").read_text(encoding="utf-8"))
    return {engine: dict(codes) for engine, codes in data.items() if engine in ("argos", "firefox")}


def bcp47(engine: str, code: str) -> str:
    """The BCP-47 tag for a catalogue's language ``code`` of ``engine``'s models."""
    return _table().get(engine, {}).get(code, code.replace("_", "-"))


def pair_tags(engine: str, source: str, target: str) -> str:
    """``en->pt-BR``: a model's pair as BCP-47 tags."""
    return f"{bcp47(engine, source)}->{bcp47(engine, target)}"
