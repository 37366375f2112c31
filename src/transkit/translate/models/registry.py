"""The Firefox Translations model registry: Mozilla's Remote Settings collection
``translations-models-v2``, the catalogue Firefox and fxtranslate read.

The records endpoint answers ``{"data": [record, ...]}`` with one record per file::

    {"name": "model.enru.intgemm.alphas.bin", "fileType": "model",   # also vocab,
     "sourceLanguage": "en", "targetLanguage": "ru",                 # srcvocab, trgvocab,
     "version": "3.0", "architecture": "base",                       # lex, qualityModel
     "decompressedSize": 17140836, "decompressedHash": "<sha256 of the file>",
     "attachment": {"location": "main-workspace/translations-models-v2/<uuid>.zst",
                    "filename": "model.enru.intgemm.alphas.bin.zst", "mimetype": "application/zstd",
                    "size": 12825781, "hash": "<sha256 of the packed file>"}}

(the older ``translations-models`` collection named the pair ``fromLang``/``toLang``;
both spellings are read). Attachments live under a base URL that the server
announces at its root (``GET .../v1/`` -> ``capabilities.attachments.base_url``, the
Remote Settings protocol); they are zstd-compressed (gzip is read too).

Which records count, as in fxtranslate 0.5 (whose record filter accepts major version
3 only, pre-releases included): a model needs a ``model`` file and either a shared
``vocab`` or both ``srcvocab`` and ``trgvocab``; ``lex`` (the lexical shortlist) is
taken when present, ``qualityModel`` is not used. Files of different architectures
or client filters are never mixed; per pair the unfiltered, newest
(``catalog.version_key``: a release above its pre-releases), largest model wins.

The registry URL is ``--registry-url``, else ``$TRANSKIT_FIREFOX_REGISTRY_URL``, else
Mozilla's production records endpoint.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from dataclasses import dataclass, field

from ...errors import NetworkError
from .catalog import LANG_CODE, version_key
from .index import DEFAULT_TIMEOUT_S, MAX_INDEX_BYTES, fetch_bytes, normalise_sha256

DEFAULT_REGISTRY_URL = (
    "https://firefox.settings.services.mozilla.com/v1/buckets/main/collections/translations-models-v2/records"
)
DEFAULT_ATTACHMENTS_URL = "https://firefox-settings-attachments.cdn.mozilla.net/"
REGISTRY_URL_ENV = "TRANSKIT_FIREFOX_REGISTRY_URL"
SUPPORTED_MAJOR_VERSIONS = ("3",)
MAX_FILE_BYTES = 1024**3  # the largest Firefox model files are well under 100 MB

REGISTRY_HINT = (
    "check the network connection and the registry URL (--registry-url or $TRANSKIT_FIREFOX_REGISTRY_URL); "
    "without a network, install a model folder with `transkit models install SRC TGT --from DIR`"
)
# fileType -> the role in an installed model folder (see install._write_firefox_record)
ROLES = {"model": "model", "vocab": "vocab", "srcvocab": "src_vocab", "trgvocab": "trg_vocab", "lex": "shortlist"}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_COMPRESSION = {"application/zstd": "zstd", "application/x-zstd": "zstd", "application/gzip": "gzip",
                "application/x-gzip": "gzip", "application/octet-stream": "identity"}


@dataclass(frozen=True)
class RegistryFile:
    """One model file as a record describes it: where its packed bytes are, and both hashes."""

    role: str
    name: str
    url: str
    size: int
    sha256: str
    unpacked_size: int
    unpacked_sha256: str
    compression: str
    record_id: str = ""


@dataclass(frozen=True)
class RegistryModel:
    """One complete Firefox model (one pair, one version) offered by the registry."""

    source: str
    target: str
    version: str
    architecture: str | None
    files: tuple[RegistryFile, ...] = field(default=())
    engine: str = "firefox"

    @property
    def size(self) -> int:
        """Bytes to download (packed)."""
        return sum(f.size for f in self.files)

    @property
    def pair(self) -> str:
        return f"{self.source}->{self.target}"


def resolve_registry_url(registry_url: str | None = None) -> str:
    return registry_url or os.environ.get(REGISTRY_URL_ENV) or DEFAULT_REGISTRY_URL


def available_firefox(registry_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT_S) -> list[RegistryModel]:
    """The newest complete model per pair that the registry offers, sorted by pair."""
    url = resolve_registry_url(registry_url)
    records = _records(url, timeout)
    base = attachments_base(url, timeout)
    return models_from_records(records, base)


def _records(url: str, timeout: float) -> list:
    data = fetch_bytes(url, timeout=timeout, max_bytes=MAX_INDEX_BYTES, hint=REGISTRY_HINT)
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetworkError(f"the model registry answer is not valid JSON: {exc}", path=url, hint=REGISTRY_HINT) from exc
    records = body.get("data") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise NetworkError("the model registry answer has no list of records ('data')", path=url, hint=REGISTRY_HINT)
    return records


def attachments_base(records_url: str, timeout: float) -> str:
    """Where attachments live: the server's announced base URL (its ``/v1/`` root), else
    Mozilla's attachment CDN for the production registry, else the registry's own origin."""
    parts = urllib.parse.urlsplit(records_url)
    if parts.scheme in ("http", "https") and "/v1/" in parts.path:
        root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.split("/v1/")[0] + "/v1/", "", ""))
        try:
            info = json.loads(fetch_bytes(root, timeout=timeout, max_bytes=1 << 20, hint=REGISTRY_HINT))
            base = info["capabilities"]["attachments"]["base_url"]
            if isinstance(base, str) and urllib.parse.urlsplit(base).scheme in ("http", "https"):
                return base if base.endswith("/") else base + "/"
        except (NetworkError, ValueError, KeyError, TypeError):
            pass
    if records_url == DEFAULT_REGISTRY_URL:
        return DEFAULT_ATTACHMENTS_URL
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def models_from_records(records: list, attachments_url: str) -> list[RegistryModel]:
    """Group the records into complete models (one pair, version and architecture) and keep
    one per pair: records meant for every client (an empty ``filter_expression``) over
    filtered ones (transkit cannot evaluate Firefox's JEXL filters), then the newest
    version, then the larger architecture (base, base-memory, tiny)."""
    groups: dict[tuple, dict[str, tuple[RegistryFile, dict]]] = {}
    for record in records:
        parsed = _record_file(record, attachments_url)
        if parsed is None:
            continue
        (source, target, version), item = parsed
        arch = record.get("architecture")
        filtered = bool(record.get("filter_expression"))
        key = (source, target, version, arch if isinstance(arch, str) and arch else None, filtered)
        files = groups.setdefault(key, {})
        previous = files.get(item.role)
        if previous is None or _record_rank(record) > _record_rank(previous[1]):
            files[item.role] = (item, record)
    best: dict[tuple[str, str], tuple[tuple, RegistryModel]] = {}
    for (source, target, version, arch, filtered), files in groups.items():
        roles = set(files)
        if "model" not in roles or not ("vocab" in roles or {"src_vocab", "trg_vocab"} <= roles):
            continue
        model = RegistryModel(source=source, target=target, version=version, architecture=arch,
                              files=tuple(files[role][0] for role in sorted(files)))
        rank = (not filtered, version_key(version), _ARCHITECTURE_RANK.get(arch or "", 0))
        if (source, target) not in best or rank > best[(source, target)][0]:
            best[(source, target)] = (rank, model)
    return [best[pair][1] for pair in sorted(best)]


# mozilla/firefox-translations-models README: base is the best quality, base-memory slightly lower, tiny the fastest
_ARCHITECTURE_RANK = {"base": 3, "base-memory": 2, "tiny": 1}


def _record_rank(record: dict) -> tuple:
    modified = record.get("last_modified")
    return (modified if isinstance(modified, int) else 0, str(record.get("name", "")))


def _record_file(record: object, attachments_url: str) -> tuple[tuple[str, str, str], RegistryFile] | None:
    """A record as (pair and version, file); None for records transkit does not use."""
    if not isinstance(record, dict):
        return None
    role = ROLES.get(str(record.get("fileType", "")))
    source = record.get("sourceLanguage", record.get("fromLang"))
    target = record.get("targetLanguage", record.get("toLang"))
    version = record.get("version")
    attachment = record.get("attachment")
    name = record.get("name")
    if role is None or not isinstance(attachment, dict) or not isinstance(version, str):
        return None
    if not (isinstance(source, str) and isinstance(target, str) and LANG_CODE.match(source) and LANG_CODE.match(target)):
        return None
    if version.split(".")[0] not in SUPPORTED_MAJOR_VERSIONS:
        return None
    if not isinstance(name, str) or not _SAFE_NAME.match(name) or ".." in name:
        return None
    compression = _compression(attachment)
    if compression is None:
        return None
    sizes = (attachment.get("size"), record.get("decompressedSize"))
    hashes = (normalise_sha256(attachment.get("hash")), normalise_sha256(record.get("decompressedHash")))
    if compression == "identity" and sizes[1] is None and hashes[1] is None:
        sizes, hashes = (sizes[0], sizes[0]), (hashes[0], hashes[0])  # an unpacked attachment (older collection)
    location = attachment.get("location")
    if not all(isinstance(s, int) and 0 < s <= MAX_FILE_BYTES for s in sizes) or None in hashes:
        return None  # transkit installs only what it can check before and after unpacking
    if not isinstance(location, str) or not location or location.startswith("/") or ".." in location.split("/"):
        return None
    item = RegistryFile(
        role=role, name=name, url=urllib.parse.urljoin(attachments_url, location),
        size=sizes[0], sha256=hashes[0], unpacked_size=sizes[1], unpacked_sha256=hashes[1],  # type: ignore[arg-type]
        compression=compression, record_id=str(record.get("id", "")),
    )
    return (source, target, version), item


def _compression(attachment: dict) -> str | None:
    mimetype = attachment.get("mimetype")
    if isinstance(mimetype, str) and mimetype in _COMPRESSION and mimetype != "application/octet-stream":
        return _COMPRESSION[mimetype]
    filename = str(attachment.get("filename", "")) + " " + str(attachment.get("location", ""))
    if ".zst" in filename:
        return "zstd"
    if ".gz" in filename:
        return "gzip"
    return "identity" if mimetype in (None, "application/octet-stream") else None
