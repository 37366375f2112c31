"""XLIFF 1.2 for post-editing, and reading the post-edited file back.

Export: one ``<trans-unit>`` per segment, ``id`` = the segment id, grouped by
paragraph (the group's note names the speaker); then a group of the document
texts (title, subtitle, roles, note sentences), ``id`` = ``doc:`` + the key
(``doc:title``, ``doc:note:0.1``; see ``transkit.doctexts``). Machine output with QA flags
is marked ``state="needs-review-translation"`` (the state translation tools
filter on) and carries the flags in a note; machine output without flags is
``state="translated"``; both have ``state-qualifier="mt-suggestion"``. Human
translations are ``state="final"``; a segment with no translation has no target.
XLIFF 1.2 is chosen over 2.0 because every CAT tool in use reads it.

Import (``import_xliff``): XLIFF 1.2 or 2.0, parsed with defusedxml, so entity
declarations (XML bombs) and external entities are refused. Given the project,
every unit's source must still be that segment's sentence, and only the
translator's edits are returned: targets that differ from the project's current
translation, and machine targets the translator accepted unchanged by setting
the unit's state to final or signed-off (XLIFF 2.0: reviewed or final). Both
are stored as human translations, which clears their QA flags.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..doctexts import document_texts
from ..errors import InputError
from ..fsio import read_input_bytes
from ..model import Project
from . import ExportJob, Exporter
from .tmx import XML_LANG, to_bytes, translation_pairs, xml_safe

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_BYTES = 200 * 1024 * 1024
DOC_PREFIX = "doc:"  # unit ids of document texts: doc:title, doc:note:0.1
# unit states that say a translator approved the target (XLIFF 1.2 and 2.0)
ACCEPTED_STATES = frozenset({"final", "signed-off", "reviewed"})


class XliffExporter(Exporter):
    name = "xliff"
    extension = ".xlf"
    bilingual = True

    def render(self, job: ExportJob) -> bytes:
        return render_xliff(job.project, job.language)


def render_xliff(project: Project, language: str) -> bytes:
    result, pairs = translation_pairs(project, language)
    transcript = project.transcript
    source_language = transcript.meta.language or "en"
    root = ET.Element("xliff", {"version": "1.2", "xmlns": XLIFF12})
    file = ET.SubElement(
        root,
        "file",
        {
            "original": Path(transcript.source_path).name or "transcript",
            "source-language": source_language,
            "target-language": language,
            "datatype": "plaintext",
            "tool-id": "transkit",
        },
    )
    header = ET.SubElement(file, "header")
    ET.SubElement(header, "tool", {"tool-id": "transkit", "tool-name": "transkit", "tool-version": __version__})
    model = " ".join(x for x in (result.model, result.model_version) if x)
    ET.SubElement(header, "note", {"from": "transkit"}).text = xml_safe(
        f"Translation engine: {result.engine or 'unknown'}" + (f", model {model}" if model else "")
        + ". Edit the targets only; keep the sources as they are."
    )
    body = ET.SubElement(file, "body")
    group = None
    current_paragraph = None
    for segment, translation in pairs:
        if segment.paragraph != current_paragraph:
            current_paragraph = segment.paragraph
            group = ET.SubElement(body, "group", {"id": f"p{segment.paragraph}", "restype": "x-paragraph"})
            speaker = transcript.speaker(segment.speaker)
            if speaker or segment.speaker:
                ET.SubElement(group, "note", {"from": "transkit"}).text = xml_safe(
                    f"Speaker: {speaker.name if speaker else segment.speaker}"
                )
        unit = ET.SubElement(group, "trans-unit", {"id": str(segment.id), XML_SPACE: "preserve"})
        ET.SubElement(unit, "source", {XML_LANG: source_language}).text = xml_safe(segment.text.strip())
        if translation is not None and translation.text.strip():
            attrs = {XML_LANG: language, **_state(translation.origin, translation.qa_flags)}
            ET.SubElement(unit, "target", attrs).text = xml_safe(translation.text.strip())
            if translation.qa_flags:
                ET.SubElement(unit, "note", {"from": "transkit-qa"}).text = xml_safe(
                    "QA: " + ", ".join(translation.qa_flags)
                )
    current = dict(document_texts(transcript))
    texts = [t for t in result.texts if t.key in current and _same(t.source, current[t.key])]
    if texts:
        group = ET.SubElement(body, "group", {"id": "doc", "restype": "x-transkit-document-texts"})
        ET.SubElement(group, "note", {"from": "transkit"}).text = "Title, subtitle, speaker roles and editor's notes"
        for text in texts:
            unit = ET.SubElement(group, "trans-unit", {"id": DOC_PREFIX + text.key, XML_SPACE: "preserve"})
            ET.SubElement(unit, "source", {XML_LANG: source_language}).text = xml_safe(text.source.strip())
            if text.text.strip():
                ET.SubElement(unit, "target", {XML_LANG: language, **_state(text.origin, text.qa_flags)}).text = (
                    xml_safe(text.text.strip())
                )
            if text.qa_flags:
                ET.SubElement(unit, "note", {"from": "transkit-qa"}).text = xml_safe("QA: " + ", ".join(text.qa_flags))
    return to_bytes(root)


def _state(origin: str, flags: tuple[str, ...]) -> dict[str, str]:
    if origin == "human":
        return {"state": "final"}
    qualifier = "mt-suggestion" if origin in ("engine", "memory") else "id-match"
    return {"state": "needs-review-translation" if flags else "translated", "state-qualifier": qualifier}


@dataclass(frozen=True)
class XliffUnit:
    segment_id: int  # -1 for a document text
    source: str
    target: str | None  # None: no target element
    state: str
    key: str = ""  # a document text's key (title, subtitle, role:ID, note:P.N), from the id "doc:KEY"


@dataclass(frozen=True)
class XliffDocument:
    version: str
    source_language: str
    target_language: str
    units: tuple[XliffUnit, ...]


def read_xliff(path: str | Path) -> XliffDocument:
    """Every unit of an XLIFF 1.2 or 2.0 file; a malformed or hostile file is an ``InputError``."""
    return _parse(path)[0]


def _parse(path: str | Path) -> tuple[XliffDocument, str]:
    import defusedxml
    import defusedxml.ElementTree as SafeET

    data = read_input_bytes(path, "XLIFF file")
    if len(data) > MAX_BYTES:
        raise InputError(f"XLIFF file is larger than {MAX_BYTES // 2**20} MB", path=str(path))
    try:
        root = SafeET.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(
            f"refused: the file declares XML entities or external references ({type(exc).__name__}), "
            "which XLIFF never needs and an XML bomb uses",
            path=str(path),
            hint="export a plain XLIFF from your translation tool",
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(f"not well-formed XML: {exc}", path=str(path), line=line) from exc
    except (LookupError, ValueError) as exc:
        raise InputError(
            f"unknown text encoding in the XML declaration: {exc}", path=str(path), hint="save the file as UTF-8"
        ) from exc
    text = data.decode("utf-8", errors="replace")
    if root.tag == f"{{{XLIFF12}}}xliff":
        return _read_12(root, path, text), text
    if root.tag == f"{{{XLIFF20}}}xliff":
        return _read_20(root, path, text), text
    raise InputError(
        f"not an XLIFF 1.2 or 2.0 file (root element {root.tag!r})",
        path=str(path),
        hint="give the .xlf file transkit exported, after editing",
    )


def _content(element: ET.Element | None) -> str | None:
    """The text of a source/target, inline markup flattened to its text."""
    if element is None:
        return None
    return "".join(element.itertext())


def _unit(raw: str | None, path, text: str, source: str, target: str | None, state: str) -> XliffUnit:
    if raw is not None and raw.strip().startswith(DOC_PREFIX):
        return XliffUnit(-1, source, target, state, raw.strip()[len(DOC_PREFIX):])
    return XliffUnit(_segment_id(raw, path, text), source, target, state)


def _segment_id(raw: str | None, path, text: str) -> int:
    if raw is None or not re.fullmatch(r"\d+", raw.strip()):
        raise InputError(
            f"translation unit id {raw!r} is not a transkit segment number",
            path=str(path),
            line=_line_of(text, raw or ""),
            hint="keep the unit ids transkit wrote",
        )
    return int(raw)


def _read_12(root: ET.Element, path, text: str) -> XliffDocument:
    ns = {"x": XLIFF12}
    files = root.findall("x:file", ns)
    if not files:
        raise InputError("XLIFF file has no <file> element", path=str(path))
    units = []
    for unit in root.iterfind(".//x:trans-unit", ns):
        target = unit.find("x:target", ns)
        units.append(
            _unit(
                unit.get("id"),
                path,
                text,
                _content(unit.find("x:source", ns)) or "",
                _content(target),
                target.get("state", "") if target is not None else "",
            )
        )
    first = files[0]
    return XliffDocument("1.2", first.get("source-language", ""), first.get("target-language", ""), tuple(units))


def _read_20(root: ET.Element, path, text: str) -> XliffDocument:
    ns = {"x": XLIFF20}
    units = []
    for unit in root.iterfind(".//x:unit", ns):
        segments = unit.findall("x:segment", ns)
        sources = [_content(s.find("x:source", ns)) or "" for s in segments]
        targets = [_content(s.find("x:target", ns)) for s in segments]
        has_target = any(t is not None for t in targets)
        units.append(
            _unit(
                unit.get("id"),
                path,
                text,
                " ".join(sources),
                " ".join(t or "" for t in targets) if has_target else None,
                segments[0].get("state", "") if segments else "",
            )
        )
    return XliffDocument("2.0", root.get("srcLang", ""), root.get("trgLang", ""), tuple(units))


def _line_of(text: str, unit_id: str) -> int | None:
    match = re.search(r'<(?:trans-unit|unit)\b[^>]*\bid="' + re.escape(unit_id) + '"', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def import_xliff(
    path: str | Path, project: Project | None = None, language: str | None = None
) -> list[tuple[int, str, str]]:
    """The post-edited targets of an XLIFF file as (segment id, source, target).

    Without ``project``: every unit with a non-empty target. With it: the file
    must belong to the project (same languages, every unit's source equal to its
    segment's sentence, whitespace aside) and only targets that differ from the
    project's current translation are returned. Raises ``InputError`` otherwise.
    """
    doc, text = _parse(path)
    units = [u for u in doc.units if u.target is not None and u.target.strip() and not u.key]
    if project is None:
        return [(u.segment_id, u.source.strip(), u.target.strip()) for u in units]  # type: ignore[union-attr]

    source_language = project.transcript.meta.language or "en"
    language = language or doc.target_language
    if doc.target_language and _base(doc.target_language) != _base(language):
        raise InputError(
            f"the XLIFF file is for {doc.target_language!r}, not {language!r}",
            path=str(path),
            hint="import it for the language it was exported for",
        )
    if doc.source_language and _base(doc.source_language) != _base(source_language):
        raise InputError(
            f"the XLIFF file translates from {doc.source_language!r} but the project's source is {source_language!r}",
            path=str(path),
        )
    segments = {s.id: s for s in project.segments}
    result = project.language(language)
    current = {t.segment_id: t.text for t in result.translations} if result else {}
    human = {t.segment_id for t in result.translations if t.origin == "human"} if result else set()
    edits: list[tuple[int, str, str]] = []
    for unit in doc.units:
        if unit.key:
            continue  # a document text: see import_xliff_texts
        segment = segments.get(unit.segment_id)
        if segment is None:
            raise InputError(
                f"unit {unit.segment_id} is not a segment of this project",
                path=str(path),
                line=_line_of(text, str(unit.segment_id)),
                hint="import the XLIFF into the project it was exported from",
            )
        if not _same(unit.source, segment.text):
            raise InputError(
                f"unit {unit.segment_id}: the source text differs from the project's sentence "
                f"({_short(unit.source)!r} vs {_short(segment.text)!r})",
                path=str(path),
                line=_line_of(text, str(unit.segment_id)),
                hint="edit only the targets, or export the XLIFF again from the current project",
            )
        if unit.target is None or not unit.target.strip():
            continue
        accepted = unit.state in ACCEPTED_STATES and unit.segment_id not in human
        if accepted or not _same(unit.target, current.get(unit.segment_id, "")):
            edits.append((unit.segment_id, segment.text.strip(), " ".join(unit.target.split())))
    return edits


def import_xliff_texts(path: str | Path, project: Project, language: str) -> list[tuple[str, str, str]]:
    """The translator's edits of document texts (title, roles, notes) as (key, source,
    target), by the rules of ``import_xliff``. A unit whose source is no longer the
    document's text (the note was rewritten since) is refused."""
    doc, text = _parse(path)
    result = project.language(language)
    current = {t.key: t for t in result.texts} if result else {}
    sources = dict(document_texts(project.transcript))
    edits: list[tuple[str, str, str]] = []
    for unit in doc.units:
        if not unit.key:
            continue
        if unit.key not in sources or not _same(unit.source, sources[unit.key]):
            raise InputError(
                f"unit {DOC_PREFIX}{unit.key}: not a text of this document, or its source text changed",
                path=str(path),
                line=_line_of(text, DOC_PREFIX + unit.key),
                hint="edit only the targets, or export the XLIFF again from the current project",
            )
        if unit.target is None or not unit.target.strip():
            continue
        known = current.get(unit.key)
        accepted = unit.state in ACCEPTED_STATES and (known is None or known.origin != "human")
        if accepted or known is None or not _same(unit.target, known.text):
            edits.append((unit.key, sources[unit.key].strip(), " ".join(unit.target.split())))
    return edits


def _base(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
