"""The default engine behind the store: SQLite (metadata, FTS5 BM25) and FAISS (vectors).

A published version is opened read-only and never changes, so SQLite may skip locking and
answers that depend only on the version (term statistics, the list of numbered documents)
are kept once computed.
"""
from __future__ import annotations

import functools
import json
import os
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import faiss
import numpy as np

from ..errors import EmbedderMismatch, IndexDamaged
from .layout import DB_FILE, VECTORS_FILE
from .manifest import Manifest
from .records import (DocumentInfo, Filters, IndexedFile, NumberedDocument, OcrPageInfo,
                      StoredChunk, StoredDocument, StoredRecord)

_BATCH = 500  # ids per "IN (…)" list: SQLite allows 999 parameters by default
_DOCUMENT_INFO = "d.id, d.title, d.doc_number, d.doc_type, d.issuer, d.issued_date, " \
                 "d.rel_path, d.format"
_DOCUMENT = ("id", "path", "rel_path", "content_hash", "size", "format", "page_count", "title",
             "doc_number", "doc_type", "issuer", "issued_date", "text", "paragraph_offsets",
             "paragraph_pages", "paragraph_cells", "ocr_pages", "indexed_at")
_DOCUMENT_COLUMNS = ", ".join(_DOCUMENT)
_CHUNK = "c.id, c.ordinal, c.text, c.page, c.para_start, c.para_end, c.char_start, " \
         "c.char_end, c.heading_path"


def _damage_reported(method):
    """Turn a database error (a damaged file) into IndexDamaged, which says what to run."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise IndexDamaged(f"{self.directory / DB_FILE} cannot be read ({exc})") from exc
    return wrapper


def _batches(items: Sequence, size: int = _BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _info(row) -> DocumentInfo:
    return DocumentInfo(*row[:8])


def _chunk(row, document: DocumentInfo) -> StoredChunk:
    return StoredChunk(row[0], document, row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                       tuple(json.loads(row[8])))


def match_expression(terms: Iterable[tuple[str, str]]) -> str | None:
    """Write (column, term) pairs as an FTS5 MATCH expression: any of them."""
    quoted = [f'{column}:"{term.replace(chr(34), "")}"' for column, term in terms]
    return " OR ".join(quoted) if quoted else None


class IndexVersion:
    """One published snapshot, opened read-only: manifest, metadata database, vectors."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.manifest = Manifest.read(directory)
        try:
            self.vectors = faiss.read_index(str(directory / VECTORS_FILE))
        except RuntimeError as exc:
            raise IndexDamaged(f"cannot read the vectors in {directory} ({exc})") from exc
        if not (directory / DB_FILE).is_file():
            raise IndexDamaged(f"{directory / DB_FILE} is missing")
        uri = f"file:{directory / DB_FILE}?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.db.execute("CREATE VIRTUAL TABLE temp.chunks_vocab "
                            "USING fts5vocab(main, chunks_fts, 'col')")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise IndexDamaged(f"{directory / DB_FILE} cannot be read ({exc})") from exc
        self._frequencies: dict[tuple[str, str], int] = {}
        self._numbered: list[NumberedDocument] | None = None

    def check_embedder(self, embedder_id: str) -> None:
        """Raise EmbedderMismatch unless the index was built by this embedder."""
        if embedder_id != self.manifest.embedder_id:
            raise EmbedderMismatch(self.manifest.embedder_id, embedder_id)

    def close(self) -> None:
        self.db.close()

    # --- documents -------------------------------------------------------------------------

    @_damage_reported
    def document(self, document_id: str) -> StoredDocument | None:
        """Return a document with its text and paragraph offsets, or None."""
        row = self.db.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = ?",
                              (document_id,)).fetchone()
        return None if row is None else self._document(row)

    @_damage_reported
    def documents(self) -> Iterator[StoredDocument]:
        """Yield every document, one at a time (the texts are not all held in memory)."""
        for row in self.db.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY rel_path"):
            yield self._document(row)

    @staticmethod
    def _document(row) -> StoredDocument:
        fields = dict(zip(_DOCUMENT, row))
        fields["path"] = os.fsdecode(fields["path"])
        ocr = tuple(OcrPageInfo(p["page"], p["confidence"], p["low"])
                    for p in json.loads(fields.pop("ocr_pages") or "[]"))
        fields["paragraph_offsets"] = tuple(json.loads(fields["paragraph_offsets"]))
        fields["paragraph_pages"] = tuple(json.loads(fields["paragraph_pages"]))
        fields["paragraph_cells"] = tuple(tuple(c) if c else None
                                          for c in json.loads(fields["paragraph_cells"]))
        return StoredDocument(**fields, ocr_pages=ocr)

    @_damage_reported
    def document_infos(self, ids: Iterable[str] | None = None) -> dict[str, DocumentInfo]:
        """Return what citations show of the given documents (of all, without ids)."""
        sql = f"SELECT {_DOCUMENT_INFO} FROM documents d"
        if ids is None:
            return {row[0]: _info(row) for row in self.db.execute(sql)}
        found: dict[str, DocumentInfo] = {}
        for batch in _batches(list(ids)):
            rows = self.db.execute(f"{sql} WHERE d.id IN ({', '.join('?' * len(batch))})", batch)
            found.update((row[0], _info(row)) for row in rows)
        return found

    @_damage_reported
    def paragraph_starts(self) -> dict[str, tuple[int, ...]]:
        """Return where each document's paragraphs start in its text, by document id."""
        return {doc_id: tuple(json.loads(offsets)) for doc_id, offsets in self.db.execute(
            "SELECT id, paragraph_offsets FROM documents")}

    @_damage_reported
    def matching_documents(self, filters: Filters | None) -> frozenset[str] | None:
        """Return the ids of the documents the filters let through; None when all may pass."""
        if filters is None or filters.empty:
            return None
        clauses, params = [], []
        if filters.doc_type:
            clauses.append("doc_type = ?")
            params.append(filters.doc_type)
        if filters.issuer:
            clauses.append("issuer = ?")
            params.append(filters.issuer)
        if filters.year:
            clauses.append("substr(issued_date, 1, 4) = ?")
            params.append(str(filters.year))
        if filters.issued_from:
            clauses.append("issued_date >= ?")
            params.append(filters.issued_from)
        if filters.issued_to:
            clauses.append("issued_date <= ?")
            params.append(filters.issued_to)
        sql = "SELECT id FROM documents WHERE " + " AND ".join(clauses)
        return frozenset(row[0] for row in self.db.execute(sql, params))

    @_damage_reported
    def numbered_documents(self) -> list[NumberedDocument]:
        """Return the documents that state a số hiệu."""
        if self._numbered is None:
            self._numbered = [NumberedDocument(*row) for row in self.db.execute(
                "SELECT id, doc_number, doc_type FROM documents WHERE doc_number IS NOT NULL")]
        return self._numbered

    @_damage_reported
    def indexed_files(self) -> list[IndexedFile]:
        """Return the path, id and content hash of every indexed file."""
        return [IndexedFile(os.fsdecode(path), document_id, content_hash)
                for path, document_id, content_hash in self.db.execute(
                    "SELECT path, id, content_hash FROM documents")]

    # --- chunks ----------------------------------------------------------------------------

    @_damage_reported
    def chunks(self, ids: Sequence[int]) -> dict[int, StoredChunk]:
        """Return the chunks with these ids, each with its document's citation fields."""
        found: dict[int, StoredChunk] = {}
        for batch in _batches(list(ids)):
            rows = self.db.execute(
                f"SELECT {_CHUNK}, {_DOCUMENT_INFO} FROM chunks c JOIN documents d "
                f"ON d.id = c.document_id WHERE c.id IN ({', '.join('?' * len(batch))})", batch)
            found.update((row[0], _chunk(row, _info(row[9:]))) for row in rows)
        return found

    @_damage_reported
    def chunks_of(self, document_id: str) -> list[StoredChunk]:
        """Return a document's chunks in reading order."""
        info = self.document_infos([document_id]).get(document_id)
        if info is None:
            return []
        rows = self.db.execute(f"SELECT {_CHUNK} FROM chunks c WHERE c.document_id = ? "
                               "ORDER BY c.ordinal", (document_id,))
        return [_chunk(row, info) for row in rows]

    @_damage_reported
    def chunk_ids(self, document_ids: Iterable[str]) -> list[int]:
        """Return the ids of the chunks of the given documents."""
        ids: list[int] = []
        for batch in _batches(sorted(document_ids)):
            ids += [row[0] for row in self.db.execute(
                f"SELECT id FROM chunks WHERE document_id IN ({', '.join('?' * len(batch))})",
                batch)]
        return ids

    # --- lexical ---------------------------------------------------------------------------

    @_damage_reported
    def lexical_search(self, terms: Sequence[tuple[str, str]], k: int,
                       weights: Mapping[str, float],
                       allowed: frozenset[str] | None = None) -> list[tuple[int, float]]:
        """Return up to k (chunk id, BM25 score) for chunks matching any term, best first."""
        expression = match_expression(terms)
        if expression is None or allowed is not None and not allowed:
            return []
        columns = ", ".join(str(float(weights[c])) for c in ("folded", "exact", "pairs"))
        matched = (f"SELECT rowid AS id, -bm25(chunks_fts, {columns}) AS score FROM chunks_fts "
                   "WHERE chunks_fts MATCH ?")
        if allowed is None:
            rows = self.db.execute(matched + " ORDER BY score DESC LIMIT ?", (expression, k))
            return [(int(rowid), float(score)) for rowid, score in rows]
        # The matches first, then the allowed documents' among them: given "rowid IN (…)"
        # beside MATCH, FTS5 runs the query once per allowed row (seconds at 20k chunks).
        sql = (f"WITH matched AS MATERIALIZED ({matched}) SELECT m.id, m.score FROM matched m "
               f"JOIN chunks c ON c.id = m.id WHERE c.document_id IN "
               f"(SELECT value FROM json_each(?)) ORDER BY m.score DESC LIMIT ?")
        rows = self.db.execute(sql, (expression, json.dumps(sorted(allowed)), k))
        return [(int(rowid), float(score)) for rowid, score in rows]

    @_damage_reported
    def document_frequency(self, column: str, term: str,
                           within: frozenset[str] | None = None) -> int:
        """Return how many chunks hold `term` in a lexical column ("folded", "exact", "pairs"),
        of every document or of those `within` (a reader's documents: statistics of theirs
        alone, so no score says what the others hold)."""
        if within is not None:
            if not within:
                return 0
            (count,), = self.db.execute(
                "WITH matched AS MATERIALIZED (SELECT rowid AS id FROM chunks_fts WHERE "
                "chunks_fts MATCH ?) SELECT COUNT(*) FROM matched m JOIN chunks c ON c.id = m.id "
                "WHERE c.document_id IN (SELECT value FROM json_each(?))",
                (match_expression([(column, term)]), json.dumps(sorted(within)))).fetchall()
            return int(count)
        key = (column, term)
        if key not in self._frequencies:  # one indexed look-up, then remembered
            row = self.db.execute("SELECT doc FROM temp.chunks_vocab WHERE term = ? AND col = ?",
                                  (term, column)).fetchone()
            self._frequencies[key] = int(row[0]) if row else 0
        return self._frequencies[key]

    # --- vectors ---------------------------------------------------------------------------

    def nearest(self, query_vectors: np.ndarray, k: int,
                chunk_ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, chunk ids) of the k nearest chunks for each query vector.

        With `chunk_ids`, only those chunks are candidates (filters apply before ranking).
        """
        queries = np.ascontiguousarray(query_vectors, dtype=np.float32)
        if self.vectors.ntotal == 0 or chunk_ids is not None and len(chunk_ids) == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        k = max(1, min(k, self.vectors.ntotal if chunk_ids is None else len(chunk_ids)))
        if chunk_ids is None:
            return self.vectors.search(queries, k)
        selector = faiss.IDSelectorBatch(np.asarray(chunk_ids, dtype=np.int64))
        return self.vectors.search(queries, k, params=faiss.SearchParameters(sel=selector))

    def vector(self, chunk_id: int) -> np.ndarray:
        """Return the stored vector of one chunk."""
        return self.vectors.reconstruct(int(chunk_id))

    def vector_ids(self) -> set[int]:
        """Return the ids of every stored vector."""
        return {int(self.vectors.id_map.at(i)) for i in range(self.vectors.ntotal)}

    # --- integrity ---------------------------------------------------------------------------

    def problems(self, quick: bool = False) -> list[str]:
        """Return what is wrong with this version (empty when it is whole).

        SQLite's own integrity check (`quick`: its quick check, which skips index contents);
        documents, chunks, lexical rows and vectors agreeing one to one; the manifest's counts
        matching what is stored.
        """
        pragma = "quick_check(20)" if quick else "integrity_check(20)"
        try:
            found = [f"SQLite: {row[0]}" for row in self.db.execute(f"PRAGMA {pragma}")
                     if row[0] != "ok"]
            chunk_ids = {row[0] for row in self.db.execute("SELECT id FROM chunks")}
            orphans = self.db.execute("SELECT COUNT(*) FROM chunks WHERE document_id NOT IN "
                                      "(SELECT id FROM documents)").fetchone()[0]
            lexical_ids = {row[0] for row in self.db.execute("SELECT rowid FROM chunks_fts")}
            documents = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return [f"{self.directory / DB_FILE} cannot be read ({exc})"]
        vector_ids = self.vector_ids()
        if orphans:
            found.append(f"{orphans} chunks belong to no document")
        if lexical_ids != chunk_ids:
            found.append(f"{len(lexical_ids ^ chunk_ids)} chunks and lexical rows disagree")
        if vector_ids != chunk_ids:
            found.append(f"{len(vector_ids ^ chunk_ids)} chunks and vectors disagree")
        if self.manifest.chunks != len(chunk_ids) or self.manifest.documents != documents:
            found.append(f"the manifest counts {self.manifest.documents} documents and "
                         f"{self.manifest.chunks} chunks; the version holds {documents} and "
                         f"{len(chunk_ids)}")
        return found

    # --- records ---------------------------------------------------------------------------

    @_damage_reported
    def records(self, kind: str, document_ids: Iterable[str] | None = None) -> list[StoredRecord]:
        """Return the records of one kind, of the given documents or of all."""
        sql = ("SELECT document_id, kind, ordinal, char_start, char_end, data FROM records "
               "WHERE kind = ?")
        if document_ids is None:
            rows = list(self.db.execute(sql + " ORDER BY document_id, ordinal", (kind,)))
        else:
            rows = []
            for batch in _batches(sorted(document_ids)):
                rows += self.db.execute(
                    f"{sql} AND document_id IN ({', '.join('?' * len(batch))}) "
                    "ORDER BY document_id, ordinal", [kind, *batch])
        return [StoredRecord(*row[:5], json.loads(row[5])) for row in rows]
