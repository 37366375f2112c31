"""Transcript input: the documented source format, raw article text, and the
registry that picks a reader for any source file by its suffix.

``read_source`` reads a source with the reader registered for its suffix
(``registry.register_reader`` adds one); ``load_transcript``/``parse_source`` read
``source/*.md`` (see docs/source-format.md), ``format_source`` writes it,
``import_raw`` turns scraped interview text into it.

The names are loaded on first use, so importing one module of the package (say
``ingest.language`` from ``fsio``) does not import every reader.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DroppedLine": "raw_import",
    "ImportResult": "raw_import",
    "RawParagraph": "raw_import",
    "import_raw": "raw_import",
    "SourceText": "registry",
    "read_source": "registry",
    "register_reader": "registry",
    "format_source": "source_format",
    "load_transcript": "source_format",
    "parse_source": "source_format",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
