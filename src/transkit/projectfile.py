"""The project JSON file: a ``Project`` saved so any export can be redone later.

The encoding is deterministic (sorted keys where order carries no meaning, no
timestamps), so the same project always gives byte-identical files.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields, is_dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

try:
    from types import UnionType  # X | Y annotations (Python 3.10+)
except ImportError:  # pragma: no cover
    UnionType = None  # type: ignore[assignment,misc]

from .errors import InputError
from .fsio import atomic_write_text, read_text_file
from .model import (
    CueGrid,
    CuePart,
    LanguageResult,
    Mark,
    Piece,
    SourceCue,
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
    if data.get("subtitles") is None:
        data.pop("subtitles", None)  # a transcript's project file is as before
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
        raise InputError(f"not valid JSON: {exc.msg}", path=str(path), line=exc.lineno, hint=_REWRITE_HINT) from exc
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
        project = Project(
            transcript=transcript,
            segments=tuple(_build(Segment, s) for s in data["segments"]),
            languages=languages,
            profile=data.get("profile", "netflix-en"),
            timing=_pairs(data.get("timing", ())),
            subtitles=_grid(data.get("subtitles")),
        )
        _check_types(project, "project")
        for segment in project.segments:
            if not 0 <= segment.start_ms <= segment.end_ms:
                raise ValueError(f"segment {segment.id} has times {segment.start_ms}..{segment.end_ms} ms")
        return project
    except KeyError as exc:
        raise InputError(f"malformed project file: missing {exc}", path=path, hint=_REWRITE_HINT) from exc
    except (TypeError, ValueError) as exc:
        raise InputError(f"malformed project file: {exc}", path=path, hint=_REWRITE_HINT) from exc


def _grid(data: Any) -> CueGrid | None:
    """The kept cue grid of a subtitle source (absent from older project files)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("subtitles is not an object")
    cues = []
    for cue in data["cues"]:
        values = _known(SourceCue, cue)
        values["marks"] = tuple(_build(Mark, m) for m in cue.get("marks", ()))
        values["parts"] = tuple(_build(CuePart, p) for p in cue.get("parts", ()))
        values["before"] = tuple(cue.get("before", ()))
        cues.append(SourceCue(**values))
    grid = CueGrid(
        format=data["format"],
        cues=tuple(cues),
        pieces=tuple(_build(Piece, p) for p in data.get("pieces", ())),
        header=data.get("header", ""),
        after=tuple(data.get("after", ())),
        relayout=data.get("relayout", False),
    )
    _check_types(grid, "subtitles")
    _check_grid(grid)
    return grid


def _check_grid(grid: CueGrid) -> None:
    """Every offset and index of the grid points inside what it refers to."""
    for number, cue in enumerate(grid.cues):
        size = len(cue.text)
        if any(not 0 <= mark.at <= size for mark in cue.marks):
            raise ValueError(f"subtitles cue {number} has markup outside its text")
        if any(not 0 <= part.start <= part.end <= size for part in cue.parts):
            raise ValueError(f"subtitles cue {number} has a part outside its text")
        if grid.format == "ass" and not cue.ident.isdigit():
            raise ValueError(f"subtitles cue {number} has no event number")
    for piece in grid.pieces:
        if not 0 <= piece.cue < len(grid.cues) or not 0 <= piece.part < len(grid.cues[piece.cue].parts):
            raise ValueError(f"subtitles piece of segment {piece.segment_id} points at no cue")
        if not 0 <= piece.start <= piece.end <= len(grid.cues[piece.cue].text):
            raise ValueError(f"subtitles piece of segment {piece.segment_id} lies outside its cue")


_REWRITE_HINT = "write it again with transkit segment/translate, or fix the value"


def _check_types(value: Any, where: str) -> None:
    """Every field holds a value of its annotated type, so later stages never meet a
    string where a time should be (JSON cannot promise that)."""
    hints = get_type_hints(type(value))
    for f in fields(value):
        _check_value(getattr(value, f.name), hints[f.name], f"{where}.{f.name}")


def _check_value(value: Any, hint: Any, where: str) -> None:
    origin, args = get_origin(hint), get_args(hint)
    if origin is Union or (UnionType is not None and origin is UnionType):
        if value is None and type(None) in args:
            return
        hint = next(a for a in args if a is not type(None))
        origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        if value not in args:
            raise ValueError(f"{where} is {value!r}, expected one of {', '.join(map(repr, args))}")
    elif origin is tuple:
        if not isinstance(value, tuple):
            raise TypeError(f"{where} is not a list")
        items = args[:1] * len(value) if len(args) == 2 and args[1] is Ellipsis else args
        if len(items) != len(value):
            raise ValueError(f"{where} has {len(value)} items, expected {len(items)}")
        for i, (item, item_hint) in enumerate(zip(value, items)):
            _check_value(item, item_hint, f"{where}[{i}]")
    elif is_dataclass(hint):
        _check_types(value, where)
    elif hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{where} is {value!r}, expected a number")
    elif hint is int and isinstance(value, bool) or not isinstance(value, hint):
        raise TypeError(f"{where} is {value!r}, expected {hint.__name__}")
    elif hint is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate from a "\ud800" escape
            raise ValueError(f"{where} holds text that is not valid Unicode") from exc


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
