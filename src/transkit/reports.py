"""What a run reports besides its outputs: the manifest, the QA report and the
run summary, each as deterministic JSON bytes."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
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


def qa_report_bytes(project: Project) -> bytes:
    """The QA flags of every translated segment, per language, as JSON."""
    report: dict[str, object] = {}
    for lang in project.languages:
        flagged = [
            {"segment": t.segment_id, "flags": list(t.qa_flags), "source": seg.text, "target": t.text}
            for seg, t in zip(project.segments, lang.translations)
            if t.qa_flags
        ]
        counts: dict[str, int] = {}
        for item in flagged:
            for flag in item["flags"]:
                name = flag.split(":", 1)[0]
                counts[name] = counts.get(name, 0) + 1
        report[lang.language] = {
            "engine": lang.engine,
            "model": lang.model,
            "segments": len(lang.translations),
            "flagged": len(flagged),
            "counts": dict(sorted(counts.items())),
            "items": flagged,
        }
    return (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode()
