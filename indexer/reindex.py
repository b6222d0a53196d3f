"""Bring an index up to date with its source folders, embedding only what is new.

Documents are keyed by absolute path and content hash: new files are added, changed files
re-chunked (chunk texts already embedded come from the cache), vanished files removed with
their vectors. Scans are read by OCR, cached by file hash beside the embeddings. The result
is published as a new version only when it is complete.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .cache import EmbeddingCache, text_hash
from .chunk import Chunk, ChunkerSettings, chunk_document, document_text
from .embed import DEFAULT_EMBEDDER, Embedder, load_embedder
from .errors import (EmbedderMismatch, IndexFormatError, IndexLocked, UnreadableDocument,
                     VankienError)
from .ingest import SUPPORTED_SUFFIXES, ParsedDocument, parse_file
from .metadata import extract_metadata
from .ocr import LOW_CONFIDENCE, OcrReader
from .store import (IndexVersion, Manifest, VersionBuilder, current_version_dir, open_index,
                    remove_stale_versions)

log = logging.getLogger(__name__)

EMBED_BATCH = 64
# Bump when ingestion or normalisation changes what text a file yields: an index built by
# another pipeline version is re-read in full (unchanged chunk texts still come from the cache).
PIPELINE_VERSION = 3  # 3: PDF pages without text and images are read by OCR
Progress = Callable[[int, str], "ProgressBar"]


class ProgressBar:
    """What the reindex reports progress to; the CLI passes a tqdm bar."""

    def update(self, n: int) -> None: ...

    def close(self) -> None: ...


@dataclass
class ReindexSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    rebuilt: int = 0  # unchanged files read again by a full rebuild
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    unsupported: Counter = field(default_factory=Counter)  # suffix → files
    chunks_embedded: int = 0
    chunks_from_cache: int = 0
    embed_seconds: float = 0.0
    documents: int = 0
    chunks: int = 0
    seconds: float = 0.0
    version: int | None = None  # None: nothing changed, nothing published
    ocr_pages: int = 0  # pages recognised by OCR in this run
    ocr_pages_cached: int = 0  # pages whose OCR text came from the cache
    ocr_seconds: float = 0.0
    # (path, page, mean word confidence) of OCR'd pages under ocr.LOW_CONFIDENCE
    ocr_low_confidence: list[tuple[str, int, float]] = field(default_factory=list)
    ocr_unavailable: str | None = None  # why OCR could not run, and how to install it
    ocr_not_read: list[str] = field(default_factory=list)  # files that needed it then
    # Folders that could not be listed: what was indexed under them is kept, not removed.
    unreadable_folders: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


@dataclass(frozen=True)
class _SourceFile:
    path: Path  # absolute
    rel_path: str


@dataclass
class _PreparedDocument:
    source: _SourceFile
    content_hash: str
    size: int
    parsed: ParsedDocument
    chunks: list[Chunk]
    replaces: str | None  # id of the indexed document this one updates


def document_id(path: Path) -> str:
    """Return the stable id of the document at an absolute path (used in URLs)."""
    return hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:16]


class _ReindexLock:
    """An exclusive lock on the index; the kernel drops it if the process dies."""

    def __init__(self, index_dir: Path):
        self.path = index_dir / "reindex.lock"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "unknown process"
            self.handle.close()
            raise IndexLocked(self.path, holder) from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.close()


def scan_sources(sources: list[Path], index_dir: Path, summary: ReindexSummary) -> list[_SourceFile]:
    """List the supported files under the sources; count the others by suffix."""
    found: dict[Path, _SourceFile] = {}
    skip_dir = index_dir.resolve()

    def consider(path: Path, root: Path):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            summary.unsupported[path.suffix.lower() or "(none)"] += 1
            return
        absolute = path.absolute()
        rel = os.path.relpath(absolute, root) if root.is_dir() else path.name
        found.setdefault(absolute, _SourceFile(absolute, rel))

    def unreadable(error: OSError):
        summary.skipped.append((error.filename, f"cannot read folder: {error.strerror or error}"))
        summary.unreadable_folders.append(error.filename)

    for source in sources:
        root = source.absolute()
        if root.is_file():
            consider(root, root.parent)
            continue
        # Symlinked folders are not followed, so a symlink loop cannot trap the walk.
        for folder, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and Path(folder, d).resolve() != skip_dir)
            for name in sorted(filenames):
                if not name.startswith("."):
                    consider(Path(folder, name), root)
    return sorted(found.values(), key=lambda f: str(f.path))


def _chunk_rows(chunks: list[Chunk]) -> list[dict]:
    return [{"ordinal": c.ordinal, "text": c.text, "text_hash": text_hash(c.embedding_text()),
             "page": c.page, "para_start": c.para_start, "para_end": c.para_end,
             "char_start": c.char_start, "char_end": c.char_end,
             "heading_path": json.dumps(list(c.heading_path), ensure_ascii=False)}
            for c in chunks]


def _document_row(doc: _PreparedDocument) -> dict:
    paragraphs = doc.parsed.paragraphs
    text, offsets = document_text(paragraphs)
    meta = extract_metadata([p.text for p in paragraphs], doc.source.path.name)
    return {
        "id": document_id(doc.source.path), "path": str(doc.source.path),
        "rel_path": doc.source.rel_path, "content_hash": doc.content_hash, "size": doc.size,
        "format": doc.parsed.format, "page_count": doc.parsed.page_count,
        "title": meta.title, "doc_number": meta.doc_number, "doc_type": meta.doc_type,
        "issuer": meta.issuer, "issued_date": meta.issued_date, "text": text,
        "paragraph_offsets": json.dumps(offsets),
        "paragraph_pages": json.dumps([p.page for p in paragraphs]),
        "ocr_pages": json.dumps([{"page": page, "confidence": confidence,
                                  "low": confidence is not None and confidence < LOW_CONFIDENCE}
                                 for page, confidence in doc.parsed.ocr_pages])
        if doc.parsed.ocr_pages else None,
        "indexed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _embed_missing(texts_by_hash: dict[str, str], cache: EmbeddingCache, embedder: Embedder,
                   summary: ReindexSummary, progress: Progress | None,
                   on_stage: Callable[[str], None]) -> dict[str, np.ndarray]:
    vectors = cache.get_many(list(texts_by_hash))
    missing = [key for key in texts_by_hash if key not in vectors]
    summary.chunks_from_cache = len(texts_by_hash) - len(missing)
    bar = progress(len(missing), "Embedding") if (progress and missing) else None
    started = time.perf_counter()
    for start in range(0, len(missing), EMBED_BATCH):
        keys = missing[start:start + EMBED_BATCH]
        batch = embedder.embed([texts_by_hash[k] for k in keys], kind="passage")
        cache.put_many(keys, batch)
        vectors.update(zip(keys, batch))
        summary.chunks_embedded += len(keys)
        if bar:
            bar.update(len(keys))
        on_stage("embedded-batch")
    summary.embed_seconds = time.perf_counter() - started
    if bar:
        bar.close()
    return vectors


def reindex(index_dir: str | Path, sources: Iterable[str | Path] | None = None, *,
            embedder_spec: str | None = None, embedder: Embedder | None = None,
            full: bool = False, settings: ChunkerSettings = ChunkerSettings(),
            ocr: str = "auto", progress: Progress | None = None,
            on_stage: Callable[[str], None] = lambda stage: None) -> ReindexSummary:
    """Update the index at `index_dir` from `sources` (default: the sources it was built from).

    `ocr` is 'auto' (OCR the PDF pages without a text layer, and images), 'always' (every
    PDF page) or 'never'; it applies to new and changed files (`full` re-reads all of them,
    with OCR results from the cache). `on_stage` is called at the stage boundaries ("parsed",
    "embedded-batch", "written", "publishing") so callers can report progress, and tests can
    stop the process there.
    """
    index_dir = Path(index_dir)
    started = time.perf_counter()
    summary = ReindexSummary()
    reader = OcrReader(ocr, index_dir / "cache" / "ocr", progress=progress)
    with _ReindexLock(index_dir):
        remove_stale_versions(index_dir)
        previous: IndexVersion | None = None
        if current_version_dir(index_dir) is not None:
            try:
                previous = open_index(index_dir)
            except IndexFormatError:
                if not full:
                    raise
                # The message asked for --full: rebuild without reading the old version.
                log.warning("index at %s is unreadable; rebuilding it in full", index_dir)
        source_paths = _resolve_sources(sources, previous)
        spec = embedder_spec or (previous.manifest.embedder_spec if previous else DEFAULT_EMBEDDER)
        embedder = embedder or load_embedder(spec)
        if previous is not None and not full:
            if previous.manifest.embedder_id != embedder.id:
                raise EmbedderMismatch(previous.manifest.embedder_id, spec)
            if (previous.manifest.chunker != settings.as_dict()
                    or previous.manifest.pipeline != PIPELINE_VERSION):
                full = True  # other text or chunk boundaries: every document is read again
        base = None if full else previous

        # What the served version holds, so a full rebuild still reports what it added,
        # changed and dropped against it.
        previously = {}
        if previous is not None:
            for row in previous.db.execute("SELECT id, path, content_hash FROM documents"):
                previously[row["path"]] = (row["id"], row["content_hash"])
        indexed = previously if base is not None else {}

        prepared, seen = _prepare(scan_sources(source_paths, index_dir, summary), indexed,
                                  settings, summary, progress, reader)
        _report_ocr(reader, summary)
        on_stage("parsed")
        # An incremental run keeps what it indexed under a folder it cannot list now; a full
        # rebuild starts empty, so such documents are gone and reported so.
        removed = [(path, doc_id) for path, (doc_id, _) in previously.items() if path not in seen
                   and (base is None or not _inside(path, summary.unreadable_folders))]

        if not prepared and not removed and base is not None:
            summary.documents = base.manifest.documents
            summary.chunks = base.manifest.chunks
            summary.seconds = time.perf_counter() - started
            previous.close()
            return summary

        texts_by_hash = {}
        for doc in prepared:
            for chunk in doc.chunks:
                texts_by_hash.setdefault(text_hash(chunk.embedding_text()), chunk.embedding_text())
        cache = EmbeddingCache(index_dir / "cache" / "embeddings.sqlite", embedder.id,
                               embedder.dimension)
        try:
            vectors = _embed_missing(texts_by_hash, cache, embedder, summary, progress, on_stage)
        finally:
            cache.close()

        builder = VersionBuilder(index_dir, base, embedder.dimension)
        try:
            for path, doc_id in removed:
                if base is not None:  # a full rebuild starts empty: nothing to take out
                    builder.remove_document(doc_id)
                summary.removed.append(path)
            for doc in prepared:
                if doc.replaces:
                    builder.remove_document(doc.replaces)
                rows = _chunk_rows(doc.chunks)
                matrix = np.stack([vectors[row["text_hash"]] for row in rows]) if rows else \
                    np.zeros((0, embedder.dimension), dtype=np.float32)
                builder.add_document(_document_row(doc), rows, matrix)
                _count_document(doc, previously, summary)
            summary.documents, summary.chunks = builder.counts()
            on_stage("written")
            manifest = Manifest(
                version=0, embedder_id=embedder.id, embedder_spec=spec,
                dimension=embedder.dimension, chunker=settings.as_dict(),
                pipeline=PIPELINE_VERSION,
                sources=[str(p.absolute()) for p in source_paths],
                documents=summary.documents, chunks=summary.chunks,
                built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                build_seconds=round(time.perf_counter() - started, 2),
                skipped=[{"path": p, "reason": r} for p, r in summary.skipped])
            on_stage("publishing")
            final = builder.publish(manifest)
        except BaseException:
            builder.abandon()
            raise
        finally:
            if previous is not None:
                previous.close()
        summary.version = int(final.name[1:])
        remove_stale_versions(index_dir)
    summary.seconds = time.perf_counter() - started
    return summary


def _inside(path: str, folders: list[str]) -> bool:
    return any(path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


def _count_document(doc: _PreparedDocument, previously: dict, summary: ReindexSummary) -> None:
    path = str(doc.source.path)
    before = previously.get(path)
    if before is None:
        summary.added.append(path)
    elif before[1] != doc.content_hash:
        summary.updated.append(path)
    else:
        summary.rebuilt += 1


def _resolve_sources(sources, previous: IndexVersion | None) -> list[Path]:
    if sources:
        paths = [Path(s) for s in sources]
    elif previous is not None:
        paths = [Path(s) for s in previous.manifest.sources]
    else:
        raise VankienError("no documents to index: give a folder, e.g. `vankien reindex corpus/`")
    for path in paths:
        # A mistyped folder must not look like "every document was deleted".
        if not path.exists():
            raise VankienError(f"source folder not found: {path}")
    return paths


def _report_ocr(reader: OcrReader, summary: ReindexSummary) -> None:
    summary.ocr_pages, summary.ocr_pages_cached = reader.pages_read, reader.pages_cached
    summary.ocr_seconds = reader.seconds
    summary.ocr_not_read = list(reader.not_read)
    if reader.unavailable is not None:
        summary.ocr_unavailable = str(reader.unavailable)


def _prepare(files: list[_SourceFile], indexed: dict, settings: ChunkerSettings,
             summary: ReindexSummary, progress: Progress | None, ocr: OcrReader | None = None):
    """Hash every file; parse and chunk the new and changed ones."""
    prepared: list[_PreparedDocument] = []
    seen: set[str] = set()
    bar = progress(len(files), "Reading") if progress else None
    for source in files:
        if bar:
            bar.update(1)
        key = str(source.path)
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            summary.skipped.append((key, f"cannot read file: {exc.strerror or exc}"))
            if key in indexed:
                seen.add(key)  # keep the indexed copy rather than lose it
            continue
        content_hash = hashlib.sha256(data).hexdigest()
        seen.add(key)
        previous = indexed.get(key)
        if previous and previous[1] == content_hash:
            summary.unchanged += 1
            continue
        try:
            parsed = parse_file(source.path, data, ocr)
        except UnreadableDocument as exc:
            summary.skipped.append((key, exc.reason))
            continue
        summary.ocr_low_confidence += [(key, page, confidence)
                                       for page, confidence in parsed.ocr_pages
                                       if confidence is not None and confidence < LOW_CONFIDENCE]
        chunks = chunk_document(parsed.paragraphs, settings)
        prepared.append(_PreparedDocument(source, content_hash, len(data), parsed, chunks,
                                          previous[0] if previous else None))
    if bar:
        bar.close()
    return prepared, seen
