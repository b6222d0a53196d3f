"""A persistent cache of chunk embeddings, keyed by embedder and the chunk text's hash.

Each batch is committed as soon as it is embedded, so a reindex that crashes an hour in
loses at most one batch: the next run finds the rest here and embeds only what is missing.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path, embedder_id: str, dimension: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.embedder_id = embedder_id
        self.dimension = dimension
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (embedder TEXT NOT NULL, "
            "text_hash TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (embedder, text_hash))")

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among `hashes`."""
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
        self.db.executemany(
            "INSERT OR REPLACE INTO embeddings (embedder, text_hash, vector) VALUES (?, ?, ?)",
            [(self.embedder_id, key, np.asarray(vec, dtype=np.float32).tobytes())
             for key, vec in zip(hashes, vectors)])
        self.db.commit()

    def close(self) -> None:
        self.db.close()
