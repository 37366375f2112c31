"""A translator's post-edited XLIFF back into the project and the translation memory."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .errors import UsageError
from .model import Project, TextTranslation


def apply_post_edits(
    xliff: Path, project_path: Path, language: str | None = None, memory_path: Path | None = None
) -> tuple[Project, str, int]:
    """Take a translator's post-edited XLIFF back: the changed sentences go into the
    translation memory as human translations (they win over any engine from now
    on) and into the project file, so every later export and run uses them.
    ``language`` None: the project's only translation. Returns the updated
    project, the language and how many sentences changed."""
    from .export.xliff import import_xliff, import_xliff_texts
    from .paths import memory_path as default_memory_path
    from .projectfile import load_project, save_project
    from .translate.memory import TranslationMemory

    project = load_project(project_path)
    if language is None:
        targets = [lang.language for lang in project.languages]
        if len(targets) != 1:
            raise UsageError("the project has several languages", hint="say which one with --to")
        language = targets[0]
    result = project.language(language)
    if result is None:
        raise UsageError(f"the project has no {language!r} translation", path=str(project_path))
    changes = import_xliff(xliff, project, language)
    text_changes = import_xliff_texts(xliff, project, language)
    if not changes and not text_changes:
        return project, language, 0
    memory = TranslationMemory(memory_path or default_memory_path())
    try:
        pairs = [(src, tgt) for _, src, tgt in changes] + [(src, tgt) for _, src, tgt in text_changes]
        memory.store_human(project.transcript.meta.language, language, pairs)
    finally:
        memory.close()
    edited = {segment_id: target for segment_id, _, target in changes}
    translations = tuple(
        replace(t, text=edited[t.segment_id], origin="human", qa_flags=()) if t.segment_id in edited else t
        for t in result.translations
    )
    edited_texts = {key: (source, target) for key, source, target in text_changes}
    texts = [
        replace(t, text=edited_texts.pop(t.key)[1], origin="human", qa_flags=()) if t.key in edited_texts else t
        for t in result.texts
    ]
    texts += [TextTranslation(key, source, target, "human") for key, (source, target) in edited_texts.items()]
    updated_result = replace(result, translations=translations, texts=tuple(texts))
    updated = replace(
        project,
        languages=tuple(updated_result if lang is result else lang for lang in project.languages),
    )
    save_project(updated, project_path)
    return updated, language, len(changes) + len(text_changes)
