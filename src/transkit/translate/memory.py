"""The translation memory: finished translations in SQLite, so no sentence is translated twice.

An engine translation is keyed by everything that changes it: engine, model id,
model version, the options key, source and target language and the exact
source text. A human translation (imported from a post-edited XLIFF) is keyed by
languages and source text only and wins over any engine translation of the same
sentence, whichever engine asks.

Several processes may share one memory file: the database runs in WAL mode
(readers never block the writer), waits for locks instead of failing
(``busy_timeout``), and every ``store_many`` is one ``BEGIN IMMEDIATE``
transaction, so a killed job loses at most the batch it was writing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .. import paths
from ..errors import InputError, OutputError

ORIGINS = ("engine", "human")
BUSY_TIMEOUT_S = 60.0
_MAX_PARAMS = 500  # stay well below SQLite's host-parameter limit
_SCHEMA_VERSION = 1

_COLUMNS = "source_lang, target_lang, source_text, origin, engine, model_id, model_version, options, target_text"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    source_lang   TEXT NOT NULL,
    target_lang   TEXT NOT NULL,
    source_text   TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('engine', 'human')),
    engine        TEXT NOT NULL,
    model_id      TEXT NOT NULL,
    model_version TEXT NOT NULL,
    options       TEXT NOT NULL,
    target_text   TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source_text, origin, engine, model_id, model_version, options)
) WITHOUT ROWID;
"""


# One memory entry as a plain tuple, in the columns' order: (source_lang, target_lang,
# source_text, origin, engine, model_id, model_version, options, target_text).
Row = tuple[str, str, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class MemoryKey:
    """What an engine translation depends on, apart from the source text."""

    engine: str
    model_id: str
    model_version: str
    options: str
    source_lang: str
    target_lang: str


@dataclass(frozen=True)
class MemoryHit:
    text: str
    origin: str  # "engine" | "human"


@dataclass(frozen=True)
class MemoryStats:
    path: str
    entries: int
    engine_entries: int
    human_entries: int
    pairs: tuple[tuple[str, str, int], ...]  # (source lang, target lang, entries)
    size_bytes: int


class TranslationMemory:
    """A connection to one memory file; open one per process (or thread)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path) if path is not None else paths.memory_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun and ended explicitly below
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(
                f"cannot open the translation memory: {exc}",
                path=str(self.path),
                hint="set $TRANSKIT_MEMORY to a writable place, or use --no-cache",
            ) from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._set_wal(timeout)
            self._db.execute("PRAGMA synchronous = NORMAL")
            with self._transaction():
                self._db.execute(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise self._broken(exc) from exc

    def _set_wal(self, timeout: float) -> None:
        # Switching to WAL needs a moment of exclusive access; when several processes
        # open a new file at once the switch can report "locked" without waiting, so retry.
        deadline = time.monotonic() + timeout
        while True:
            try:
                mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        if str(mode).lower() != "wal":
            raise OutputError(
                f"the translation memory cannot use WAL mode (got '{mode}')",
                path=str(self.path),
                hint="put the memory on a local disk ($TRANSKIT_MEMORY)",
            )

    def _broken(self, exc: sqlite3.DatabaseError) -> Exception:
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
            return OutputError(
                f"cannot open the translation memory: {exc}",
                path=str(self.path),
                hint="set $TRANSKIT_MEMORY to a writable place, or use --no-cache",
            )
        if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
            return OutputError(
                "cannot write the translation memory: the disk is full",
                path=str(self.path),
                hint="free some space or set $TRANSKIT_MEMORY to a folder on another disk",
            )
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            return OutputError(
                "the translation memory stayed locked by another process for too long",
                path=str(self.path),
                hint="wait for the other transkit job to finish, or use --no-cache",
            )
        return InputError(
            f"the translation memory is unreadable: {exc}",
            path=str(self.path),
            hint="delete the file (or clear it) to start a fresh memory",
        )

    # ------------------------------------------------------------------ context and transactions

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _transaction(self):
        return _Transaction(self._db)

    # ------------------------------------------------------------------ reading

    def lookup_many(self, key: MemoryKey, texts: Sequence[str]) -> dict[str, MemoryHit]:
        """Known translations of ``texts``: human ones first, then engine ones for ``key``."""
        wanted = list(dict.fromkeys(texts))
        hits: dict[str, MemoryHit] = {}
        try:
            for chunk in _chunks(wanted, _MAX_PARAMS):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT source_text, target_text FROM translations "
                    f"WHERE origin = 'human' AND source_lang = ? AND target_lang = ? AND source_text IN ({marks})",
                    (key.source_lang, key.target_lang, *chunk),
                ).fetchall()
                for source_text, target_text in rows:
                    hits[source_text] = MemoryHit(target_text, "human")
            rest = [text for text in wanted if text not in hits]
            for chunk in _chunks(rest, _MAX_PARAMS):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT source_text, target_text FROM translations "
                    "WHERE origin = 'engine' AND source_lang = ? AND target_lang = ? AND engine = ? "
                    f"AND model_id = ? AND model_version = ? AND options = ? AND source_text IN ({marks})",
                    (key.source_lang, key.target_lang, key.engine, key.model_id, key.model_version, key.options,
                     *chunk),
                ).fetchall()
                for source_text, target_text in rows:
                    hits[source_text] = MemoryHit(target_text, "engine")
        except sqlite3.DatabaseError as exc:
            raise self._broken(exc) from exc
        return hits

    def rows_for(self, source_lang: str, target_lang: str, texts: Sequence[str]) -> list[Row]:
        """Every entry (human or engine, any engine or model) that translates one of
        ``texts``: all a ``CarriedMemory`` needs to answer for these sentences."""
        wanted = list(dict.fromkeys(texts))
        found: list[Row] = []
        try:
            for chunk in _chunks(wanted, _MAX_PARAMS):
                marks = ",".join("?" * len(chunk))
                found += self._db.execute(
                    f"SELECT {_COLUMNS} FROM translations "
                    f"WHERE source_lang = ? AND target_lang = ? AND source_text IN ({marks}) ORDER BY {_COLUMNS}",
                    (source_lang, target_lang, *chunk),
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._broken(exc) from exc
        return [tuple(row) for row in found]  # type: ignore[misc]

    def add_rows(self, rows: Iterable[Row]) -> int:
        """Store entries made elsewhere (a cluster worker's ``CarriedMemory.new_rows``) in one transaction."""
        return self._insert([tuple(row) for row in rows])

    def stats(self) -> MemoryStats:
        try:
            counts = dict(self._db.execute("SELECT origin, COUNT(*) FROM translations GROUP BY origin").fetchall())
            pairs = self._db.execute(
                "SELECT source_lang, target_lang, COUNT(*) FROM translations "
                "GROUP BY source_lang, target_lang ORDER BY source_lang, target_lang"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._broken(exc) from exc
        size = sum(
            Path(f"{self.path}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{self.path}{suffix}").exists()
        )
        return MemoryStats(
            path=str(self.path),
            entries=sum(counts.values()),
            engine_entries=counts.get("engine", 0),
            human_entries=counts.get("human", 0),
            pairs=tuple((s, t, n) for s, t, n in pairs),
            size_bytes=size,
        )

    # ------------------------------------------------------------------ writing

    def store_many(self, key: MemoryKey, pairs: Iterable[tuple[str, str]]) -> int:
        """Store engine translations (source text, target text) for ``key`` in one transaction."""
        rows = [
            (key.source_lang, key.target_lang, src, "engine",
             key.engine, key.model_id, key.model_version, key.options, tgt)
            for src, tgt in pairs
        ]
        return self._insert(rows)

    def store_human(self, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str]]) -> int:
        """Store human (post-edited) translations; they override engine output for any engine."""
        rows = [(source_lang, target_lang, src, "human", "", "", "", "", tgt) for src, tgt in pairs]
        return self._insert(rows)

    def _insert(self, rows: list[tuple[str, ...]]) -> int:
        if not rows:
            return 0
        try:
            with self._transaction():
                self._db.executemany(
                    f"INSERT OR REPLACE INTO translations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
                raise OutputError("cannot write the translation memory: the disk is full", path=str(self.path)) from exc
            raise self._broken(exc) from exc
        return len(rows)

    def clear(
        self, *, source_lang: str | None = None, target_lang: str | None = None, origin: str | None = None
    ) -> int:
        """Delete entries (all, or those matching the given languages/origin); return how many."""
        where, args = [], []
        for column, value in (("source_lang", source_lang), ("target_lang", target_lang), ("origin", origin)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "DELETE FROM translations" + (" WHERE " + " AND ".join(where) if where else "")
        try:
            with self._transaction():
                deleted = self._db.execute(sql, args).rowcount
            if not where:
                self._db.execute("VACUUM")
        except sqlite3.DatabaseError as exc:
            raise self._broken(exc) from exc
        return deleted


class CarriedMemory:
    """A translation memory held in memory, for a task that runs away from the memory
    file (a cluster worker): it starts from the rows the client sent for the task's
    sentences, answers ``lookup_many`` as ``TranslationMemory`` does, and collects
    what ``store_many`` is given in ``new_rows`` for the client to store."""

    def __init__(self, rows: Iterable[Row] = ()) -> None:
        self._human: dict[tuple[str, str, str], str] = {}
        self._engine: dict[tuple[str, ...], str] = {}
        for row in rows:
            self._remember(tuple(row))  # type: ignore[arg-type]
        self.new_rows: list[Row] = []

    def _remember(self, row: Row) -> None:
        source_lang, target_lang, source_text, origin, engine, model_id, version, options, target_text = row
        if origin == "human":
            self._human[(source_lang, target_lang, source_text)] = target_text
        else:
            self._engine[(source_lang, target_lang, engine, model_id, version, options, source_text)] = target_text

    def lookup_many(self, key: MemoryKey, texts: Sequence[str]) -> dict[str, MemoryHit]:
        hits: dict[str, MemoryHit] = {}
        for text in dict.fromkeys(texts):
            human = self._human.get((key.source_lang, key.target_lang, text))
            if human is not None:
                hits[text] = MemoryHit(human, "human")
                continue
            engine = self._engine.get(
                (key.source_lang, key.target_lang, key.engine, key.model_id, key.model_version, key.options, text)
            )
            if engine is not None:
                hits[text] = MemoryHit(engine, "engine")
        return hits

    def store_many(self, key: MemoryKey, pairs: Iterable[tuple[str, str]]) -> int:
        rows = [
            (key.source_lang, key.target_lang, src, "engine",
             key.engine, key.model_id, key.model_version, key.options, tgt)
            for src, tgt in pairs
        ]
        for row in rows:
            self._remember(row)
        self.new_rows += rows
        return len(rows)

    def close(self) -> None:
        pass


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: take the write lock up front so a busy
    database makes us wait (busy_timeout) instead of failing halfway."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:
            self._db.execute("ROLLBACK")


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
