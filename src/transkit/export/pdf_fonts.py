"""Fonts for the PDF documents.

transkit ships DejaVu Serif and DejaVu Sans (Latin, Greek, Cyrillic and more; see
``transkit/fonts/LICENSE-DejaVu.txt``), so a Russian or Portuguese edition needs
nothing from the system. Characters the bundled faces lack (Chinese, Japanese, ...)
are looked up among the system fonts with ``fc-list``; a script no installed font
covers, or one that needs text shaping when the shaping library is missing, is
refused with a ``UsageError`` naming the script.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from ..errors import UsageError

# (family, style) -> bundled file
BUNDLED_FACES = {
    ("serif", ""): "DejaVuSerif.ttf",
    ("serif", "B"): "DejaVuSerif-Bold.ttf",
    ("serif", "I"): "DejaVuSerif-Italic.ttf",
    ("sans", ""): "DejaVuSans.ttf",
    ("sans", "B"): "DejaVuSans-Bold.ttf",
}

# Scripts whose letters change shape or order in context: without a shaping engine
# (uharfbuzz) the PDF would show them wrongly, so they are refused instead.
SHAPED_SCRIPTS = frozenset(
    "ARABIC HEBREW SYRIAC THAANA NKO DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL "
    "TELUGU KANNADA MALAYALAM SINHALA THAI LAO TIBETAN MYANMAR KHMER MONGOLIAN".split()
)
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_MAX_CANDIDATES = 6  # fonts examined per missing character


def font_path(filename: str) -> Path:
    path = Path(str(resources.files("transkit") / "fonts" / filename))
    if not path.is_file():
        raise UsageError(f"bundled font {filename} is missing", path=str(path), hint="reinstall transkit")
    return path


def script_of(char: str) -> str:
    """A readable script name for a character, from its Unicode name."""
    name = unicodedata.name(char, "")
    if not name:
        return f"U+{ord(char):04X}"
    word = name.split()[0]
    return {"CJK": "CJK (Chinese/Japanese/Korean)", "HANGUL": "Hangul (Korean)"}.get(word, word.title())


def printable_characters(texts: Iterable[str]) -> set[str]:
    """Every character that needs a glyph (spaces and control characters excluded)."""
    chars: set[str] = set()
    for text in texts:
        chars.update(text)
    return {c for c in chars if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")}


def needs_shaping(chars: Iterable[str]) -> str | None:
    """The name of the first script among ``chars`` that needs text shaping, if any."""
    for char in sorted(chars):
        word = unicodedata.name(char, "").split(" ")[0]
        if word in SHAPED_SCRIPTS:
            return word.title()
    return None


def shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class SystemFont:
    path: str
    index: int = 0


def system_fonts_for(char: str) -> list[SystemFont]:
    """Installed font files that claim to cover ``char`` (``fc-list``), sorted by path."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        done = subprocess.run(
            [fc_list, "--format=%{file}\t%{index}\n", f":charset={ord(char):x}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = set()
    for line in done.stdout.splitlines():
        path, _, index = line.partition("\t")
        if path.lower().endswith(_FONT_SUFFIXES):
            fonts.add(SystemFont(path, int(index) if index.isdigit() else 0))
    return sorted(fonts, key=lambda f: (f.path, f.index))


def _cmap(font: SystemFont) -> set[int]:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(font.path, fontNumber=font.index, lazy=True) as tt:
            return set(tt.getBestCmap() or {})
    except Exception:  # an unreadable system font is simply not a candidate
        return set()


def fallback_fonts(
    missing: Iterable[str],
    find: Callable[[str], list[SystemFont]] | None = None,
) -> list[SystemFont]:
    """System fonts that together cover ``missing``; ``UsageError`` names a script none covers."""
    find = find or system_fonts_for
    remaining = sorted(set(missing))
    chosen: list[SystemFont] = []
    while remaining:
        char = remaining[0]
        best, best_cover = None, set()
        for candidate in find(char)[:_MAX_CANDIDATES]:
            cover = _cmap(candidate) & {ord(c) for c in remaining}
            if ord(char) in cover and len(cover) > len(best_cover):
                best, best_cover = candidate, cover
        if best is None:
            raise UsageError(
                f"no font can show the {script_of(char)} script in the PDF "
                f"(character {char!r}, U+{ord(char):04X})",
                hint="install a font covering it (for example Debian's fonts-noto-core or fonts-noto-cjk)",
            )
        chosen.append(best)
        remaining = [c for c in remaining if ord(c) not in best_cover]
    return chosen
