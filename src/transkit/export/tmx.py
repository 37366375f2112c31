"""TMX 1.4 translation memory of one language pair: one translation unit per segment.

Each ``<tu>`` carries the segment id (``tuid``), the speaker, the paragraph and
where the translation came from (engine, memory or human) as ``x-`` properties,
then the source and target ``<tuv>``. Segments without a translation are left
out (a TM holds pairs). No creation dates, so the bytes depend only on the project.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .. import __version__
from ..errors import UsageError
from ..model import Project
from . import ExportJob, Exporter

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def translation_pairs(project: Project, language: str):
    """(segment, translation or None) for every segment, in segment order."""
    source_language = project.transcript.meta.language or "en"
    if language == source_language:
        raise UsageError(f"a translation file needs a target language other than the source ({source_language})")
    result = project.language(language)
    if result is None:
        known = ", ".join(lang.language for lang in project.languages) or "none"
        raise UsageError(
            f"the project has no translation into {language!r} (translated: {known})",
            hint="translate the project into that language first",
        )
    by_id = {t.segment_id: t for t in result.translations}
    return result, [(s, by_id.get(s.id)) for s in sorted(project.segments, key=lambda s: s.id)]


def to_bytes(root: ET.Element, doctype: str = "") -> bytes:
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + (doctype + "\n" if doctype else "")
    return (head + body + "\n").encode("utf-8")


class TmxExporter(Exporter):
    name = "tmx"
    extension = ".tmx"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        return render_tmx(job.project, job.language)


def render_tmx(project: Project, language: str) -> bytes:
    result, pairs = translation_pairs(project, language)
    source_language = project.transcript.meta.language or "en"
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "transkit",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "transkit",
            "adminlang": "en",
            "srclang": source_language,
            "datatype": "plaintext",
        },
    )
    about = (("x-engine", result.engine), ("x-model", result.model), ("x-model-version", result.model_version))
    for key, value in about:
        if value:
            ET.SubElement(header, "prop", {"type": key}).text = xml_safe(value)
    body = ET.SubElement(root, "body")
    transcript = project.transcript
    for segment, translation in pairs:
        if translation is None or not translation.text.strip():
            continue
        tu = ET.SubElement(body, "tu", {"tuid": str(segment.id)})
        speaker = transcript.speaker(segment.speaker)
        props = [
            ("x-speaker", speaker.name if speaker else segment.speaker),
            ("x-paragraph", str(segment.paragraph)),
            ("x-origin", translation.origin),
        ]
        if translation.qa_flags:
            props.append(("x-qa", " ".join(translation.qa_flags)))
        for key, value in props:
            if value:
                ET.SubElement(tu, "prop", {"type": key}).text = xml_safe(value)
        for lang, text in ((source_language, segment.text), (language, translation.text)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = xml_safe(text.strip())
    return to_bytes(root, '<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
