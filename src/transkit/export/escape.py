"""Escaping text for subtitle markup, shared by the SRT and ASS writers and the
kept-grid writer (``kept``), which must not import the writers it serves."""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_TAG_START = re.compile(r"<(?=[A-Za-z/!])")


def defuse_markup(text: str) -> str:
    """Keep ``<word>`` in the text from being read as a tag by players (SRT)."""
    return _TAG_START.sub("<" + WORD_JOINER, text)


def escape_text(text: str) -> str:
    """Text as an ASS event shows it literally: no override blocks, no escapes."""
    text = text.replace("\\", "\\\u2060")
    return text.replace("{", "\\{").replace("}", "\\}")
