"""Transcript input: the documented source format and raw article text.

``load_transcript``/``parse_source`` read ``source/*.md`` (see docs/source-format.md),
``format_source`` writes it, ``import_raw`` turns scraped interview text into it.
"""

from .raw_import import DroppedLine, ImportResult, RawParagraph, import_raw
from .source_format import format_source, load_transcript, parse_source

__all__ = [
    "DroppedLine",
    "ImportResult",
    "RawParagraph",
    "format_source",
    "import_raw",
    "load_transcript",
    "parse_source",
]
