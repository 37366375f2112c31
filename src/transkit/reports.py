"""What a run reports besides its outputs: the manifest, the QA report and the
run summary, each as deterministic JSON bytes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Sequence

from . import __version__
from .model import Project

if TYPE_CHECKING:
    from .runs import RunResult, RunSettings


def manifest_bytes(
    source_name: str, source_bytes: bytes, project: Project, settings: "RunSettings", outputs: Sequence[str]
) -> bytes:
    """What produced these files (``outputs``: relative to the output folder): enough
    to tell whether they are current."""
    digest = hashlib.sha256(source_bytes).hexdigest()
    source_language = project.transcript.meta.language
    data = {
        "transkit": __version__,
        "source": source_name,
        "source_sha256": digest,
        "timing": dict(project.timing),
        "options": {
            "engine": settings.engine,
            "translate": settings.translate_options.key(),
            "formats": list(settings.formats),
            "profiles": {lang: settings.profile_for(lang, source_language).name for lang in project.language_codes},
            "glossary": settings.glossary.name if settings.glossary else None,
            **({"review": True} if getattr(settings, "review", False) else {}),
        },
        "languages": {
            lang.language: {"engine": lang.engine, "model": lang.model, "model_version": lang.model_version}
            for lang in project.languages
        },
        "outputs": sorted(str(p) for p in outputs),
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def summary_json_bytes(results: Sequence["RunResult"]) -> bytes:
    """A run's results as JSON, for scripts that drive transkit."""
    data = [asdict(result) for result in results]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


@dataclass(frozen=True)
class FlaggedText:
    """One translated text with QA flags: a segment (``id`` its number) or a document
    text (``id`` its key: title, subtitle, role:KM, note:0.3)."""

    language: str
    id: str
    kind: str  # segment | title | subtitle | role | note
    flags: tuple[str, ...]
    source: str
    target: str
    line: int = 0  # the source line of the paragraph, where known

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(flag.split(":", 1)[0] for flag in self.flags))


def flagged_texts(project: Project) -> list[FlaggedText]:
    """Every flagged translation of every language, in reading order per language:
    the title block first, then the paragraphs (notes and speech) as they come."""
    from .doctexts import document_texts

    lines = {p.index: p.line for p in project.transcript.paragraphs}
    order = {key: n for n, (key, _text) in enumerate(document_texts(project.transcript))}
    found: list[FlaggedText] = []
    for lang in project.languages:
        items: list[tuple[tuple[int, int, int], FlaggedText]] = []
        for text in lang.texts:
            if not text.qa_flags:
                continue
            kind = text.key.split(":", 1)[0]
            paragraph = int(text.key.split(":", 1)[1].split(".")[0]) if kind == "note" else -1
            place = (paragraph, 0, order.get(text.key, 0))
            items.append(
                (place, FlaggedText(lang.language, text.key, kind, text.qa_flags, text.source, text.text,
                                    lines.get(paragraph, 0)))
            )
        for segment, translation in zip(project.segments, lang.translations):
            if translation.qa_flags:
                place = (segment.paragraph, 1, segment.id)
                items.append(
                    (place, FlaggedText(lang.language, str(segment.id), "segment", translation.qa_flags, segment.text,
                                        translation.text, lines.get(segment.paragraph, 0)))
                )
        found += [item for _place, item in sorted(items, key=lambda pair: pair[0])]
    return found


def qa_report_bytes(project: Project) -> bytes:
    """The QA flags of every translated segment and document text, per language, as JSON.

    ``items`` lists the flagged ones in reading order: ``segment`` is the segment
    number (``null`` for a document text, whose ``text`` key says which: title,
    subtitle, role:ID, note:P.N), ``line`` the source line of its paragraph."""
    flagged = flagged_texts(project)
    report: dict[str, object] = {}
    for lang in project.languages:
        items = [
            {
                "segment": int(item.id) if item.kind == "segment" else None,
                "text": None if item.kind == "segment" else item.id,
                "line": item.line,
                "flags": list(item.flags),
                "source": item.source,
                "target": item.target,
            }
            for item in flagged
            if item.language == lang.language
        ]
        counts: dict[str, int] = {}
        for item in flagged:
            if item.language != lang.language:
                continue
            for flag in item.flags:
                name = flag.split(":", 1)[0]
                counts[name] = counts.get(name, 0) + 1
        report[lang.language] = {
            "engine": lang.engine,
            "model": lang.model,
            "segments": len(lang.translations),
            "texts": len(lang.texts),
            "flagged": len(items),
            "counts": dict(sorted(counts.items())),
            "items": items,
        }
    return (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode()
