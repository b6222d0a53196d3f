"""The index on disk: a directory of immutable, versioned snapshots.

    INDEX/
      CURRENT                 name of the published version, replaced atomically
      versions/v000007/       one snapshot: manifest.json, meta.sqlite, vectors.faiss
      versions/.building-*/   a snapshot being written; never read, removed by the next run
      cache/embeddings.sqlite vectors keyed by embedder and chunk-text hash; survives crashes
      cache/ocr/<sha256>.json OCR text and confidence of a scanned file's pages, by file hash
      reindex.lock            held by the running reindex

A reader opens whatever CURRENT names and never sees a half-written version; a reindex
writes a new version beside it and publishes it by replacing CURRENT.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

import faiss
import numpy as np

from .chunk import PARAGRAPH_SEPARATOR
from .errors import EmbedderMismatch, IndexFormatError, IndexNotFound
from .lexical import FTS_SCHEMA, lexical_fields

log = logging.getLogger(__name__)

FORMAT_VERSION = 3  # 2: chunks_fts, the lexical index; 3: documents.ocr_pages
CURRENT_FILE = "CURRENT"
VERSIONS_DIR = "versions"
MANIFEST_FILE = "manifest.json"
DB_FILE = "meta.sqlite"
VECTORS_FILE = "vectors.faiss"

SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,          -- hash of the path: stable, safe in URLs
    path TEXT UNIQUE NOT NULL,    -- absolute path of the original file
    rel_path TEXT NOT NULL,       -- path relative to the source folder, for display
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    page_count INTEGER,
    title TEXT NOT NULL,
    doc_number TEXT,
    doc_type TEXT,
    issuer TEXT,
    issued_date TEXT,
    text TEXT NOT NULL,           -- normalised text; chunk offsets point into it
    paragraph_offsets TEXT NOT NULL,
    paragraph_pages TEXT NOT NULL,
    ocr_pages TEXT,               -- JSON [{page, confidence, low}] of pages read by OCR, or NULL
    indexed_at TEXT NOT NULL
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the FAISS id; never reused
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    page INTEGER,
    para_start INTEGER NOT NULL,
    para_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    heading_path TEXT NOT NULL
);
CREATE INDEX chunks_by_document ON chunks(document_id);
"""


@dataclass
class Manifest:
    version: int
    embedder_id: str
    embedder_spec: str
    dimension: int
    chunker: dict
    sources: list[str]
    documents: int
    chunks: int
    built_at: str
    build_seconds: float
    pipeline: int = 0  # version of ingestion and normalisation (reindex.PIPELINE_VERSION)
    vector_index: str = "IndexIDMap2(IndexFlatIP)"
    format_version: int = FORMAT_VERSION
    skipped: list[dict] = field(default_factory=list)

    def write(self, directory: Path) -> None:
        path = directory / MANIFEST_FILE
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        try:
            data = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexFormatError(f"cannot read {directory / MANIFEST_FILE}: {exc}; "
                                   "run `vankien reindex --full` to rebuild") from exc
        if data.get("format_version") != FORMAT_VERSION:
            raise IndexFormatError(
                f"index format {data.get('format_version')} in {directory} is not the "
                f"supported format {FORMAT_VERSION}: run `vankien reindex --full` to rebuild")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def new_vector_index(dimension: int) -> faiss.Index:
    """Return an empty exact inner-product index keyed by chunk id."""
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))


def current_version_dir(index_dir: Path) -> Path | None:
    """Return the directory of the published version, or None if nothing is published."""
    try:
        name = (index_dir / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return index_dir / VERSIONS_DIR / name


class IndexVersion:
    """One published snapshot, opened read-only: manifest, metadata database, vectors."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.manifest = Manifest.read(directory)
        try:
            self.vectors = faiss.read_index(str(directory / VECTORS_FILE))
        except RuntimeError as exc:
            raise IndexFormatError(f"cannot read vectors in {directory}: {exc}") from exc
        # Published versions never change, so SQLite may skip locking entirely.
        uri = f"file:{directory / DB_FILE}?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row

    def check_embedder(self, embedder_id: str) -> None:
        """Raise EmbedderMismatch unless the index was built by this embedder."""
        if embedder_id != self.manifest.embedder_id:
            raise EmbedderMismatch(self.manifest.embedder_id, embedder_id)

    def nearest(self, query_vectors: np.ndarray, k: int,
                restrict_to: list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, chunk ids) of the k nearest chunks for each query vector.

        With `restrict_to`, only those chunk ids are candidates (filters apply before ranking).
        """
        k = max(1, min(k, self.vectors.ntotal))
        queries = np.ascontiguousarray(query_vectors, dtype=np.float32)
        if self.vectors.ntotal == 0:
            empty = np.zeros((len(query_vectors), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        if restrict_to is None:
            return self.vectors.search(queries, k)
        selector = faiss.IDSelectorBatch(np.asarray(restrict_to, dtype=np.int64))
        return self.vectors.search(queries, k, params=faiss.SearchParameters(sel=selector))

    def document(self, document_id: str) -> dict | None:
        """Return a document's row (metadata, text, paragraph offsets and pages), or None.

        `ocr_pages` maps each page read by OCR to {page, confidence, low}; empty if none was.
        """
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            return None
        document = dict(row)
        document["paragraph_offsets"] = json.loads(document["paragraph_offsets"])
        document["paragraph_pages"] = json.loads(document["paragraph_pages"])
        document["ocr_pages"] = {page["page"]: page
                                 for page in json.loads(document["ocr_pages"] or "[]")}
        return document

    def close(self) -> None:
        self.db.close()


def document_paragraphs(document: dict) -> list[dict]:
    """Split a stored document into numbered paragraphs with their offsets and pages."""
    text, offsets = document["text"], document["paragraph_offsets"]
    ends = [start - len(PARAGRAPH_SEPARATOR) for start in offsets[1:]] + [len(text)]
    return [{"number": n, "start": start, "end": end, "page": page, "text": text[start:end]}
            for n, (start, end, page) in enumerate(
                zip(offsets, ends, document["paragraph_pages"]), start=1)]


def open_index(index_dir: str | Path) -> IndexVersion:
    """Open the published version of an index; raise IndexNotFound if there is none."""
    index_dir = Path(index_dir)
    version_dir = current_version_dir(index_dir)
    if version_dir is None or not version_dir.is_dir():
        raise IndexNotFound(index_dir)
    return IndexVersion(version_dir)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


class VersionBuilder:
    """Writes the next version beside the published one, then publishes it atomically."""

    def __init__(self, index_dir: Path, previous: IndexVersion | None, dimension: int):
        self.index_dir = index_dir
        versions = index_dir / VERSIONS_DIR
        versions.mkdir(parents=True, exist_ok=True)
        self.number = (previous.manifest.version + 1) if previous else _next_number(versions)
        self.directory = versions / f".building-{self.number:06d}-{os.getpid()}"
        self.directory.mkdir()
        self.db = sqlite3.connect(self.directory / DB_FILE)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        if previous is not None:
            previous.db.backup(self.db)
            self.vectors = faiss.read_index(str(previous.directory / VECTORS_FILE))
        else:
            self.db.executescript(SCHEMA)
            self.db.execute(FTS_SCHEMA)
            self.vectors = new_vector_index(dimension)

    def remove_document(self, document_id: str) -> int:
        """Delete a document, its chunks and their vectors; return the number of chunks."""
        ids = [row[0] for row in self.db.execute(
            "SELECT id FROM chunks WHERE document_id = ?", (document_id,))]
        if ids:
            self.vectors.remove_ids(faiss.IDSelectorBatch(np.array(ids, dtype=np.int64)))
        self.db.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(i,) for i in ids])
        self.db.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
        self.db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return len(ids)

    def add_document(self, row: dict, chunks: list[dict], vectors: np.ndarray) -> None:
        """Insert a document row, its chunk rows and their vectors."""
        columns = ", ".join(row)
        self.db.execute(f"INSERT INTO documents ({columns}) VALUES "
                        f"({', '.join('?' * len(row))})", list(row.values()))
        ids = []
        for chunk in chunks:
            cursor = self.db.execute(
                "INSERT INTO chunks (document_id, ordinal, text, text_hash, page, para_start, "
                "para_end, char_start, char_end, heading_path) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (row["id"], chunk["ordinal"], chunk["text"], chunk["text_hash"], chunk["page"],
                 chunk["para_start"], chunk["para_end"], chunk["char_start"],
                 chunk["char_end"], chunk["heading_path"]))
            ids.append(cursor.lastrowid)
            self.db.execute("INSERT INTO chunks_fts (rowid, folded, exact, pairs) "
                            "VALUES (?, ?, ?, ?)", (cursor.lastrowid, *lexical_fields(chunk["text"])))
        if ids:
            self.vectors.add_with_ids(vectors, np.array(ids, dtype=np.int64))

    def counts(self) -> tuple[int, int]:
        documents = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return documents, chunks

    def publish(self, manifest: Manifest) -> Path:
        """Write everything durably, then make this version the one readers open."""
        self.db.commit()
        self.db.execute("VACUUM")
        self.db.close()
        faiss.write_index(self.vectors, str(self.directory / VECTORS_FILE))
        manifest.version = self.number
        manifest.write(self.directory)
        for name in (DB_FILE, VECTORS_FILE, MANIFEST_FILE):
            _fsync_file(self.directory / name)
        final = self.directory.parent / f"v{self.number:06d}"
        os.replace(self.directory, final)
        _fsync_dir(final.parent)
        pending = self.index_dir / f"{CURRENT_FILE}.new"
        pending.write_text(final.name + "\n", encoding="utf-8")
        _fsync_file(pending)
        os.replace(pending, self.index_dir / CURRENT_FILE)
        _fsync_dir(self.index_dir)
        return final

    def abandon(self) -> None:
        self.db.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def _next_number(versions: Path) -> int:
    numbers = [int(p.name[1:]) for p in versions.glob("v[0-9]*") if p.name[1:].isdigit()]
    return max(numbers, default=0) + 1


def remove_stale_versions(index_dir: Path, keep: int = 2) -> None:
    """Delete unfinished builds and all but the newest `keep` published versions.

    The version before the current one stays so that readers still holding it can finish.
    """
    versions = index_dir / VERSIONS_DIR
    if not versions.is_dir():
        return
    for unfinished in versions.glob(".building-*"):
        shutil.rmtree(unfinished, ignore_errors=True)
    current = current_version_dir(index_dir)
    current_number = int(current.name[1:]) if current else 0
    published = sorted(p for p in versions.glob("v[0-9]*") if p.is_dir())
    for version in published:
        # A version newer than CURRENT was written by a run killed before it published.
        if int(version.name[1:]) > current_number:
            shutil.rmtree(version, ignore_errors=True)
    published = [p for p in published if int(p.name[1:]) <= current_number]
    for old in published[:-keep]:
        if current is None or old.name != current.name:
            shutil.rmtree(old, ignore_errors=True)
