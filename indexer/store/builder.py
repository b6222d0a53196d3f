"""Write the next version of an index beside the published one, then publish it atomically.

A reader opens whatever CURRENT names and never sees a half-written version: the builder
writes into versions/.building-N-PID/, makes it durable, renames it to versions/vN and only
then replaces CURRENT.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Sequence

import faiss
import numpy as np

from ..errors import IndexDamaged, IndexWriteFailed
from .layout import (DB_FILE, VECTORS_FILE, VERSIONS_DIR, fsync_dir, fsync_file,
                     next_version_number, publish_pointer)
from .manifest import MANIFEST_FILE, Manifest
from .records import NewChunk, NewDocument, NewRecord
from .sqlite import IndexVersion


def _write_errors_reported(method):
    """Turn what SQLite or FAISS say of a failed write (disk full, read-only folder, I/O
    error) into IndexWriteFailed; the version being built is then abandoned."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise IndexWriteFailed(self.index_dir, str(exc)) from exc
        except RuntimeError as exc:  # faiss.write_index
            raise IndexWriteFailed(self.index_dir, str(exc).strip().splitlines()[-1]) from exc
    return wrapper


def schema() -> str:
    """Return the SQL that creates a version's database (schema.sql beside this module)."""
    return resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")


def new_vector_index(dimension: int) -> faiss.Index:
    """Return an empty exact inner-product index keyed by chunk id."""
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))


class VersionBuilder:
    """Writes the next version; starts as a copy of `previous`, or empty without one."""

    def __init__(self, index_dir: Path, previous: IndexVersion | None, dimension: int):
        self.index_dir = index_dir
        versions = index_dir / VERSIONS_DIR
        versions.mkdir(parents=True, exist_ok=True)
        self.number = max(next_version_number(index_dir),
                          previous.manifest.version + 1 if previous else 0)
        self.directory = versions / f".building-{self.number:06d}-{os.getpid()}"
        self.directory.mkdir()
        try:
            self.db = sqlite3.connect(self.directory / DB_FILE)
            self.db.execute("PRAGMA foreign_keys = ON")
            if previous is not None:
                previous.db.backup(self.db)
                self.vectors = faiss.read_index(str(previous.directory / VECTORS_FILE))
            else:
                self.db.executescript(schema())
                self.vectors = new_vector_index(dimension)
        except (sqlite3.DatabaseError, RuntimeError) as exc:
            shutil.rmtree(self.directory, ignore_errors=True)
            if isinstance(exc, sqlite3.OperationalError):
                raise IndexWriteFailed(index_dir, str(exc)) from exc
            raise IndexDamaged(f"the published version cannot be copied ({exc})") from exc

    @_write_errors_reported
    def remove_document(self, document_id: str) -> int:
        """Delete a document, its chunks, records and vectors; return the number of chunks."""
        ids = [row[0] for row in self.db.execute(
            "SELECT id FROM chunks WHERE document_id = ?", (document_id,))]
        if ids:
            self.vectors.remove_ids(faiss.IDSelectorBatch(np.array(ids, dtype=np.int64)))
        self.db.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(i,) for i in ids])
        self.db.execute("DELETE FROM records WHERE document_id = ?", (document_id,))
        self.db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
        self.db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return len(ids)

    @_write_errors_reported
    def add_document(self, document: NewDocument, chunks: Sequence[NewChunk],
                     vectors: np.ndarray) -> None:
        """Insert a document, its chunks (with their lexical columns) and their vectors."""
        row = asdict(document)
        row["path"] = os.fsencode(document.path)
        row["paragraph_offsets"] = json.dumps(list(document.paragraph_offsets))
        row["paragraph_pages"] = json.dumps(list(document.paragraph_pages))
        row["paragraph_cells"] = json.dumps([list(c) if c else None
                                             for c in document.paragraph_cells])
        row["ocr_pages"] = json.dumps([asdict(page) for page in document.ocr_pages]) \
            if document.ocr_pages else None
        self.db.execute(f"INSERT INTO documents ({', '.join(row)}) VALUES "
                        f"({', '.join('?' * len(row))})", list(row.values()))
        ids = []
        for chunk in chunks:
            cursor = self.db.execute(
                "INSERT INTO chunks (document_id, ordinal, text, text_hash, page, para_start, "
                "para_end, char_start, char_end, heading_path) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (document.id, chunk.ordinal, chunk.text, chunk.text_hash, chunk.page,
                 chunk.para_start, chunk.para_end, chunk.char_start, chunk.char_end,
                 json.dumps(list(chunk.heading_path), ensure_ascii=False)))
            ids.append(cursor.lastrowid)
            self.db.execute("INSERT INTO chunks_fts (rowid, folded, exact, pairs) "
                            "VALUES (?, ?, ?, ?)",
                            (cursor.lastrowid, chunk.lexical["folded"], chunk.lexical["exact"],
                             chunk.lexical["pairs"]))
        if ids:
            self.vectors.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                      np.array(ids, dtype=np.int64))

    @_write_errors_reported
    def replace_records(self, document_id: str, kind: str, records: Sequence[NewRecord]) -> None:
        """Store what one extractor read out of a document, replacing what it read before."""
        self.db.execute("DELETE FROM records WHERE document_id = ? AND kind = ?",
                        (document_id, kind))
        self.db.executemany(
            "INSERT INTO records (document_id, kind, ordinal, char_start, char_end, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(document_id, kind, ordinal, record.char_start, record.char_end,
              json.dumps(dict(record.data), ensure_ascii=False))
             for ordinal, record in enumerate(records)])

    @_write_errors_reported
    def drop_records(self, kind: str) -> None:
        """Delete every record of a kind no extractor writes any more."""
        self.db.execute("DELETE FROM records WHERE kind = ?", (kind,))

    def counts(self) -> tuple[int, int]:
        """Return how many documents and chunks the version holds so far."""
        documents = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return documents, chunks

    def record_counts(self) -> dict[str, int]:
        """Return how many records of each kind the version holds so far."""
        return dict(self.db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind"))

    @_write_errors_reported
    def publish(self, manifest: Manifest) -> Path:
        """Write everything durably, then make this version the one readers open."""
        self.db.commit()
        self.db.execute("VACUUM")
        self.db.close()
        faiss.write_index(self.vectors, str(self.directory / VECTORS_FILE))
        manifest.version = self.number
        manifest.write(self.directory)
        for name in (DB_FILE, VECTORS_FILE, MANIFEST_FILE):
            fsync_file(self.directory / name)
        final = self.directory.parent / f"v{self.number:06d}"
        os.replace(self.directory, final)
        fsync_dir(final.parent)
        publish_pointer(self.index_dir, final)
        return final

    def abandon(self) -> None:
        """Drop the unfinished version; the published one stays as it was."""
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
