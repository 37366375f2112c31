"""Language tags as users write them: BCP-47, any case, ``-`` or ``_``.

``normalise`` gives the canonical spelling (``PT`` -> ``pt``, ``pt_br`` -> ``pt-BR``,
``ZH-HANT`` -> ``zh-Hant``, ``es-419``), ``base`` the language alone (``pt-BR`` ->
``pt``), ``is_valid`` whether a string is a tag transkit accepts: a 2-3 letter
language, then optionally a 4-letter script and a 2-letter or 3-digit region.
Extended subtags, variants and private use are not accepted (no model uses them).

A leaf: imports nothing from transkit.
"""

from __future__ import annotations

import re

_TAG = re.compile(
    r"^(?P<language>[A-Za-z]{2,3})"
    r"(?:[-_](?P<script>[A-Za-z]{4}))?"
    r"(?:[-_](?P<region>[A-Za-z]{2}|[0-9]{3}))?$"
)

EXAMPLES = "pt, pt-BR, zh-Hant, es-419"


def is_valid(tag: str) -> bool:
    return _TAG.match(tag.strip()) is not None


def normalise(tag: str) -> str:
    """The canonical spelling of ``tag``; ``ValueError`` if it is not a language tag."""
    match = _TAG.match(tag.strip())
    if match is None:
        raise ValueError(f"not a language tag: {tag!r}")
    parts = [match.group("language").lower()]
    if match.group("script"):
        parts.append(match.group("script").title())
    if match.group("region"):
        parts.append(match.group("region").upper())
    return "-".join(parts)


def base(tag: str) -> str:
    """The language alone: ``pt-BR`` -> ``pt``, ``zh-Hant`` -> ``zh``."""
    return normalise(tag).split("-", 1)[0]


def is_regional(tag: str) -> bool:
    """True when ``tag`` says more than the language (a script or a region)."""
    return normalise(tag) != base(tag)
