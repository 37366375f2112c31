"""Transcript input: the documented source format, raw article text, and the
registry that picks a reader for any source file by its suffix.

``read_source`` reads a source with the reader registered for its suffix
(``registry.register_reader`` adds one); ``load_transcript``/``parse_source`` read
``source/*.md`` (see docs/source-format.md), ``format_source`` writes it,
``import_raw`` turns scraped interview text into it.
"""

from .raw_import import DroppedLine, ImportResult, RawParagraph, import_raw
from .registry import SourceText, read_source, register_reader
from .source_format import format_source, load_transcript, parse_source

__all__ = [
    "DroppedLine",
    "ImportResult",
    "RawParagraph",
    "SourceText",
    "format_source",
    "import_raw",
    "load_transcript",
    "parse_source",
    "read_source",
    "register_reader",
]
