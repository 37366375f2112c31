"""The project JSON file: a ``Project`` saved so any export can be redone later.

The encoding is deterministic (sorted keys where order carries no meaning, no
timestamps), so the same project always gives byte-identical files.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields, is_dataclass
from typing import Any

from .errors import InputError
from .fsio import atomic_write_text, read_text_file
from .model import (
    LanguageResult,
    Metadata,
    Paragraph,
    Project,
    Segment,
    Speaker,
    Transcript,
    Translation,
)

FORMAT = "transkit-project"
VERSION = 1


def project_to_dict(project: Project) -> dict[str, Any]:
    data = _plain(asdict(project))
    return {"format": FORMAT, "version": VERSION, **data}


def dumps_project(project: Project) -> str:
    return json.dumps(project_to_dict(project), ensure_ascii=False, indent=1) + "\n"


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    atomic_write_text(path, dumps_project(project))


def load_project(path: str | os.PathLike[str]) -> Project:
    text = read_text_file(path, "project file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=str(path), line=exc.lineno) from exc
    return project_from_dict(data, str(path))


def project_from_dict(data: Any, path: str = "") -> Project:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError("not a transkit project file", path=path, hint="give a file written by transkit")
    if data.get("version") != VERSION:
        raise InputError(f"unsupported project file version {data.get('version')!r}", path=path)
    try:
        t = data["transcript"]
        transcript = Transcript(
            meta=_build(Metadata, t["meta"]),
            speakers=tuple(_build(Speaker, s) for s in t["speakers"]),
            paragraphs=tuple(_build(Paragraph, p) for p in t["paragraphs"]),
            source_path=t.get("source_path", ""),
        )
        languages = tuple(
            LanguageResult(
                **{
                    **_known(LanguageResult, lang),
                    "translations": tuple(_build(Translation, tr) for tr in lang.get("translations", ())),
                    "options": _pairs(lang.get("options", ())),
                }
            )
            for lang in data.get("languages", ())
        )
        return Project(
            transcript=transcript,
            segments=tuple(_build(Segment, s) for s in data["segments"]),
            languages=languages,
            profile=data.get("profile", "netflix-en"),
            timing=_pairs(data.get("timing", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"malformed project file: {exc!r}", path=path) from exc


def _known(cls: type, values: Any) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in values.items() if k in names}


def _build(cls: type, values: Any) -> Any:
    kwargs = _known(cls, values)
    for f in fields(cls):
        value = kwargs.get(f.name)
        if isinstance(value, list):
            kwargs[f.name] = _pairs(value) if value and isinstance(value[0], list) else tuple(value)
    return cls(**kwargs)


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in items)


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
