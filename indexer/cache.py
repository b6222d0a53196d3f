"""A persistent cache of chunk embeddings, keyed by embedder and the chunk text's hash.

Each batch is committed as soon as it is embedded, so a reindex that crashes an hour in
loses at most one batch: the next run finds the rest here and embeds only what is missing.
The cache only saves work: found damaged, it is set aside (renamed, with a warning) and a
new one started, and the texts it held are embedded again.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from pathlib import Path

import numpy as np

from .errors import IndexWriteFailed

log = logging.getLogger(__name__)

# What SQLite says of a file that is not, or no longer, a sound database.
_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name in _DAMAGE or "malformed" in str(exc) or "not a database" in str(exc)


class EmbeddingCache:
    def __init__(self, path: Path, embedder_id: str, dimension: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.embedder_id = embedder_id
        self.dimension = dimension
        self.set_aside: str | None = None  # where a damaged cache was moved, if one was
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):  # the folder cannot be written, the disk is full
                raise IndexWriteFailed(path.parent.parent, str(exc)) from exc
            self._move_aside(exc)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS embeddings (embedder TEXT NOT NULL, "
                "text_hash TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (embedder, text_hash))")
            (result,) = db.execute("PRAGMA quick_check(1)").fetchone()
            if result != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed ({result})")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _move_aside(self, exc: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{self.path}{suffix}").exists():
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        self.set_aside = str(aside)
        log.warning("the embedding cache %s is damaged (%s): moved to %s, a new one is started "
                    "and its texts will be embedded again", self.path, exc, aside)

    def _recover(self, exc: sqlite3.DatabaseError) -> None:
        """Set a cache found damaged mid-run aside and go on with a new, empty one."""
        if not _damaged(exc):
            raise exc
        self.db.close()
        self._move_aside(exc)
        self.db = self._open()

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among `hashes`."""
        try:
            return self._get_many(hashes)
        except sqlite3.DatabaseError as exc:
            self._recover(exc)
            return {}

    def _get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            batch = hashes[start:start + 500]
            rows = self.db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE embedder = ? AND text_hash IN "
                f"({', '.join('?' * len(batch))})", [self.embedder_id, *batch])
            for key, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (self.dimension,):
                    found[key] = vector
        return found

    def put_many(self, hashes: list[str], vectors: np.ndarray) -> None:
        """Store vectors and commit at once, so they survive a crash."""
        rows = [(self.embedder_id, key, np.asarray(vec, dtype=np.float32).tobytes())
                for key, vec in zip(hashes, vectors)]
        try:
            self._put(rows)
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):  # the disk is full, or the folder cannot be written
                raise IndexWriteFailed(self.path.parent.parent, str(exc)) from exc
            self._recover(exc)
            self._put(rows)

    def _put(self, rows: list[tuple]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO embeddings (embedder, text_hash, vector) VALUES (?, ?, ?)", rows)
        self.db.commit()

    def close(self) -> None:
        self.db.close()
