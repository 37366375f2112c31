"""What ``transkit run SOURCES...`` means: files, folders and globs -> source files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from ..errors import InputError, UsageError
from ..runs import source_stem

SOURCE_SUFFIXES = (".md",)  # what a folder contributes


def expand_sources(items: Sequence[str]) -> list[Path]:
    """Files, folders (their *.md files) and globs -> a sorted, de-duplicated list."""
    import glob

    found: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in SOURCE_SUFFIXES and p.is_file())
        elif any(ch in item for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(item))
            if not matches:
                raise InputError("no files match this pattern", path=item)
            found += [p for p in matches if p.is_file()]
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("source not found", path=item, hint="give a transcript file, a folder or a glob")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise InputError("no source transcripts (*.md) found", path=", ".join(items))
    stems = [source_stem(p) for p in unique]
    duplicates = {s for s in stems if stems.count(s) > 1}
    if duplicates:
        raise UsageError(
            f"two sources share the name {sorted(duplicates)[0]!r}; their outputs would collide",
            hint="rename one of them",
        )
    return [Path(os.path.relpath(p)) if p.is_relative_to(Path.cwd()) else p for p in unique]
