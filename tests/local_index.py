"""A package index served from 127.0.0.1 for the model-management tests, plus test packages.

The server runs in a thread; routes map a URL path to bytes, a file (streamed), or
``HANG`` (accept the request, never answer: for timeout tests).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HANG = object()


class LocalIndex:
    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        self._release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                owner.requests.append(self.path)
                body = owner.routes.get(self.path)
                if body is HANG:
                    owner._release.wait(30)
                    return
                if body is None:
                    self.send_error(404)
                    return
                size = body.stat().st_size if isinstance(body, Path) else len(body)  # type: ignore[arg-type]
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                if isinstance(body, Path):
                    with body.open("rb") as handle:
                        shutil.copyfileobj(handle, self.wfile)
                else:
                    self.wfile.write(body)  # type: ignore[arg-type]

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve_index(self, packages: list[dict], path: str = "/index.json") -> str:
        self.routes[path] = json.dumps(packages).encode()
        return self.url(path)

    def __enter__(self) -> "LocalIndex":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_entry(source: str, target: str, link: str, *, version: str = "1.9", sha256: str | None = None,
                engine: str | None = None, size: int | None = None) -> dict:
    """One package as an Argos-style index lists it."""
    entry: dict = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": source,
        "to_code": target,
        "links": [link],
    }
    if sha256:
        entry["sha256"] = sha256
    if engine:
        entry["engine"] = engine
    if size is not None:
        entry["size"] = size
    return entry


def zip_folder(folder: Path, dest: Path, *, top: str | None = None) -> Path:
    """Zip ``folder`` (stored, not compressed: fast for model files) under the top folder ``top``."""
    top = folder.name if top is None else top
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return dest


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ARGOS_ZH_EN = "translate-zh_en-1_9"


def argos_zh_en_package(test_models_dir: Path, scratch: Path) -> Path:
    """The real zh->en .argosmodel: the fetched file, else zipped from the installed package."""
    fetched = test_models_dir / "packages" / f"{ARGOS_ZH_EN}.argosmodel"
    if fetched.is_file():
        return fetched
    made = scratch / f"{ARGOS_ZH_EN}.argosmodel"
    if not made.is_file():
        zip_folder(test_models_dir / "installed" / "argos" / ARGOS_ZH_EN, made)
    return made


def firefox_en_pt_package(test_models_dir: Path, scratch: Path) -> Path:
    """The real Firefox en->pt model as a zip of its bare files (model, vocab, shortlist)."""
    made = scratch / "firefox-en-pt.zip"
    if not made.is_file():
        folder = test_models_dir / "installed" / "firefox" / "en-pt"
        with zipfile.ZipFile(made, "w", zipfile.ZIP_STORED) as archive:
            for path in sorted(folder.iterdir()):
                if path.name != "transkit-model.json":
                    archive.write(path, f"enpt/{path.name}")
    return made


# --------------------------------------------------------------------------- Firefox registry

RECORDS_PATH = "/v1/buckets/main/collections/translations-models-v2/records"
FIREFOX_FILE_TYPES = (("model", "model."), ("vocab", "vocab."), ("lex", "lex."))


def registry_records(index: LocalIndex, folder: Path, source: str, target: str, *, version: str = "3.0",
                     architecture: str = "tiny", prefix: str = "", compression: str = "zstd") -> list[dict]:
    """Serve the model files of ``folder`` as the Firefox registry does (one record per
    file, zstd-compressed attachments with packed and unpacked SHA-256) and return the records.
    The server root ``/v1/`` announces where attachments live, as Remote Settings does.
    ``compression="gzip"`` packs them as Mozilla's model bucket does instead."""
    import gzip

    import zstandard

    index.routes["/v1/"] = json.dumps(
        {"capabilities": {"attachments": {"base_url": index.url("/attachments/")}}}
    ).encode()
    records = []
    for file_type, start in FIREFOX_FILE_TYPES:
        (path,) = [p for p in sorted(folder.iterdir()) if p.name.startswith(start)]
        raw = path.read_bytes()
        if compression == "gzip":
            packed, suffix, mimetype = gzip.compress(raw, mtime=0), "gz", "application/gzip"
        else:
            packed, suffix, mimetype = zstandard.ZstdCompressor(level=3).compress(raw), "zst", "application/zstd"
        location = f"main-workspace/translations-models-v2/{prefix}{source}{target}-{file_type}.{suffix}"
        index.routes[f"/attachments/{location}"] = packed
        records.append({
            "id": f"{prefix}{source}{target}-{file_type}",
            "name": path.name,
            "fileType": file_type,
            "sourceLanguage": source,
            "targetLanguage": target,
            "version": version,
            "architecture": architecture,
            "filter_expression": "",
            "decompressedSize": len(raw),
            "decompressedHash": hashlib.sha256(raw).hexdigest(),
            "attachment": {
                "filename": f"{path.name}.{suffix}",
                "location": location,
                "mimetype": mimetype,
                "size": len(packed),
                "hash": hashlib.sha256(packed).hexdigest(),
            },
            "last_modified": 1749570000000,
        })
    return records


def serve_registry(index: LocalIndex, records: list[dict]) -> str:
    index.routes[RECORDS_PATH] = json.dumps({"data": records}).encode()
    return index.url(RECORDS_PATH)
