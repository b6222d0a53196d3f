"""Bring an index up to date with its source folders, embedding only what is new.

Documents are keyed by absolute path and content hash: new files are added, changed files
re-chunked (chunk texts already embedded come from the cache), vanished files removed with
their vectors. The work streams: files are hashed first, then the new and changed ones are
parsed, embedded and written in bounded batches, so memory does not grow with the corpus.
The result is published as a new version only when it is complete.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .access import name_collections
from .chunk import ChunkerSettings
from .embed import DEFAULT_EMBEDDER, Embedder, load_embedder
from .errors import EmbedderMismatch, IndexFormatError, IndexWriteFailed, UnreadableDocument
from .extract import EXTRACTORS, Extractor, versions
from .ingest import ReadLimits
from .ingest.worker import FileReader
from .ocr import LOW_CONFIDENCE, OcrReader
from .prepare import prepare
from .sources import ReindexLock, SourceFile, inside, resolve_sources, scan_sources, shown
from .store import (IndexedFile, IndexVersion, Manifest, current_version_dir, open_index,
                    remove_stale_versions)
from .summary import Progress, ReindexSummary
from .writer import VersionWriter

log = logging.getLogger(__name__)

# Bump when ingestion or normalisation changes what text a file yields: an index built by
# another pipeline version is re-read in full (unchanged chunk texts still come from the cache).
# 3: PDF pages without text and images are read by OCR; 4: table cells of MD and DOCX recorded;
# 5: titles in capitals take their case from the body, fallback titles, Đảng bộ issuers
PIPELINE_VERSION = 5

__all__ = ["PIPELINE_VERSION", "ReindexSettings", "ReindexSummary", "reindex"]


@dataclass(frozen=True)
class ReindexSettings:
    chunker: ChunkerSettings = ChunkerSettings()
    ocr: str = "auto"  # 'auto', 'always' or 'never' (see OcrReader)
    low_confidence: float = LOW_CONFIDENCE  # OCR pages under this mean confidence are flagged
    extractors: tuple[Extractor, ...] = EXTRACTORS
    limits: ReadLimits = ReadLimits()  # what one file may take to read
    embed_batch: int = 64  # texts per call to the embedder
    # Chunks parsed before they are embedded and written: what bounds a reindex's memory.
    write_batch_chunks: int = 512


@dataclass(frozen=True)
class _Changed:
    source: SourceFile
    content_hash: str
    replaces: str | None


def reindex(index_dir: str | Path, sources: Iterable[str | Path] | None = None, *,
            embedder_spec: str | None = None, embedder: Embedder | None = None,
            full: bool = False, settings: ReindexSettings = ReindexSettings(),
            collections: Sequence[str] = (), progress: Progress | None = None,
            on_stage: Callable[[str], None] = lambda stage: None) -> ReindexSummary:
    """Update the index at `index_dir` from `sources` (default: the sources it was built from).

    `full` re-reads every file (OCR results from the cache). `on_stage` is called at the stage
    boundaries ("parsed" before each batch is embedded, "embedded-batch", "written",
    "publishing") so callers can report progress, and tests can stop the process there.
    `collections` names the sources' collections, in their order (the rest keep the name the
    index had for them, or are named after their folder).
    """
    index_dir = Path(index_dir)
    started = time.perf_counter()
    summary = ReindexSummary()
    try:
        with ReindexLock(index_dir):
            _reindex_locked(index_dir, sources, embedder_spec, embedder, full, settings,
                            tuple(collections), summary, progress, on_stage, started)
    except OSError as exc:  # the disk is full, the folder read-only, …
        raise IndexWriteFailed(index_dir, f"{exc.strerror or exc}"
                               + (f" ({shown(exc.filename)})" if exc.filename else "")) from exc
    summary.seconds = time.perf_counter() - started
    return summary


def _reindex_locked(index_dir: Path, sources, embedder_spec: str | None,
                    embedder: Embedder | None, full: bool, settings: ReindexSettings,
                    collection_names: tuple[str, ...], summary: ReindexSummary,
                    progress: Progress | None,
                    on_stage: Callable[[str], None], started: float) -> None:
    reader = OcrReader(settings.ocr, index_dir / "cache" / "ocr", progress=progress)
    remove_stale_versions(index_dir)
    previous = _open_previous(index_dir, full)
    try:
        source_paths = resolve_sources(sources, previous.manifest.sources if previous else None)
        named = name_collections([shown(p.absolute()) for p in source_paths], collection_names,
                                 previous.manifest.collections if previous else {})
        spec = embedder_spec or (previous.manifest.embedder_spec if previous else DEFAULT_EMBEDDER)
        embedder = embedder or load_embedder(spec)
        full = full or _must_rebuild(previous, embedder, spec, settings)
        base = None if full else previous
        writer = VersionWriter(index_dir, base, embedder, settings, summary, progress, on_stage)
        try:
            _run(writer, previous, base, source_paths, reader, settings, summary)
            if base is not None and named != base.manifest.collections:
                writer.builder  # a collection renamed is a change: publish a version with it
            if writer.nothing_to_publish:
                summary.documents = base.manifest.documents
                summary.chunks = base.manifest.chunks
            else:
                summary.version = writer.publish(lambda: _manifest(
                    embedder, spec, settings, source_paths, named, summary, started))
        finally:
            writer.close()
    finally:
        if previous is not None:
            previous.close()
    if summary.version is not None:
        remove_stale_versions(index_dir)


def _open_previous(index_dir: Path, full: bool) -> IndexVersion | None:
    """Open the published version; for a full rebuild, a damaged one is left unread."""
    previous = None
    try:
        if current_version_dir(index_dir) is None:
            return None
        previous = open_index(index_dir)
        if full:
            previous.indexed_files()  # what a rebuild reads of it: must be readable too
        return previous
    except IndexFormatError:
        if previous is not None:
            previous.close()
        if not full:
            raise
        # The message asked for --full: rebuild without reading the old version.
        log.warning("index at %s is unreadable; rebuilding it in full", index_dir)
        return None


def _must_rebuild(previous: IndexVersion | None, embedder: Embedder, spec: str,
                  settings: ReindexSettings) -> bool:
    """Say whether every document must be read again; refuse a silent change of embedder."""
    if previous is None:
        return False
    if previous.manifest.embedder_id != embedder.id:
        raise EmbedderMismatch(previous.manifest.embedder_id, spec)
    # Other text or chunk boundaries: every document is read again.
    return (previous.manifest.chunker != settings.chunker.as_dict()
            or previous.manifest.pipeline != PIPELINE_VERSION)


def _run(writer: VersionWriter, previous: IndexVersion | None, base: IndexVersion | None,
         source_paths: list[Path], reader: OcrReader, settings: ReindexSettings,
         summary: ReindexSummary) -> None:
    progress = writer.progress
    # What the served version holds, so a full rebuild still reports what it added, changed
    # and dropped against it.
    previously = {f.path: f for f in previous.indexed_files()} if previous else {}
    indexed = previously if base is not None else {}
    scan = scan_sources(source_paths, writer.index_dir)
    summary.skipped += scan.skipped
    for folder, reason in scan.unreadable_folders:
        summary.skipped.append((folder, f"cannot read folder: {reason}"))
        summary.unreadable_folders.append(folder)
    changed, seen = _hash_files(scan.files, indexed, summary, progress)
    with FileReader(reader, settings.limits, progress) as files:
        _index_changed(writer, changed, files, settings, summary, previously)
    _report_ocr(reader, summary)
    # An incremental run keeps what it indexed under a folder it cannot list now; a full
    # rebuild starts empty, so such documents are gone and reported so.
    for path, file in previously.items():
        if path not in seen and (base is None or not inside(path, summary.unreadable_folders)):
            writer.remove(file.document_id)
            summary.removed.append(path)
    if base is not None:
        replaced = {c.replaces for c in changed if c.replaces}
        removed = {previously[p].document_id for p in summary.removed}
        writer.extract_again(base, settings.extractors, skip=replaced | removed)


def _hash_files(files: list[SourceFile], indexed: dict[str, IndexedFile],
                summary: ReindexSummary, progress: Progress | None
                ) -> tuple[list[_Changed], set[str]]:
    """Hash every file; return the new and changed ones, and the paths still there."""
    changed: list[_Changed] = []
    seen: set[str] = set()
    bar = progress(len(files), "Reading") if progress else None
    for source in files:
        if bar:
            bar.update(1)
        key = str(source.path)
        try:
            content_hash = hashlib.sha256(source.path.read_bytes()).hexdigest()
        except OSError as exc:
            summary.skipped.append((key, f"cannot read file: {exc.strerror or exc}"))
            if key in indexed:
                seen.add(key)  # keep the indexed copy rather than lose it
            continue
        seen.add(key)
        before = indexed.get(key)
        if before is not None and before.content_hash == content_hash:
            summary.unchanged += 1
            continue
        changed.append(_Changed(source, content_hash, before.document_id if before else None))
    if bar:
        bar.close()
    return changed, seen


def _index_changed(writer: VersionWriter, changed: list[_Changed], reader: FileReader,
                   settings: ReindexSettings, summary: ReindexSummary,
                   previously: dict[str, IndexedFile]) -> None:
    """Parse, chunk, embed and write the new and changed files, a bounded batch at a time."""
    writer.start_progress(len(changed))
    for item in changed:
        key = str(item.source.path)
        try:
            data = item.source.path.read_bytes()
        except OSError as exc:
            summary.skipped.append((key, f"cannot read file: {exc.strerror or exc}"))
            continue
        # The file may have changed since it was hashed: index what was read now.
        content_hash = hashlib.sha256(data).hexdigest()
        try:
            prepared = prepare(item.source, data, content_hash, item.replaces, reader=reader,
                               chunker=settings.chunker, low_confidence=settings.low_confidence)
        except UnreadableDocument as exc:
            summary.skipped.append((key, exc.reason))
            writer.advance()
            continue
        summary.ocr_low_confidence += [(key, page.page, page.confidence)
                                       for page in prepared.document.ocr_pages if page.low]
        before = previously.get(key)
        summary.note(key, None if before is None else before.content_hash, content_hash)
        writer.add(prepared)
    writer.flush()


def _report_ocr(reader: OcrReader, summary: ReindexSummary) -> None:
    summary.ocr_pages, summary.ocr_pages_cached = reader.pages_read, reader.pages_cached
    summary.ocr_seconds = reader.seconds
    summary.ocr_not_read = list(reader.not_read)
    if reader.unavailable is not None:
        summary.ocr_unavailable = str(reader.unavailable)


def _manifest(embedder: Embedder, spec: str, settings: ReindexSettings, source_paths: list[Path],
              collections: dict[str, str], summary: ReindexSummary, started: float) -> Manifest:
    return Manifest(
        version=0, embedder_id=embedder.id, embedder_spec=spec, dimension=embedder.dimension,
        chunker=settings.chunker.as_dict(), pipeline=PIPELINE_VERSION,
        sources=[shown(p.absolute()) for p in source_paths],
        documents=summary.documents, chunks=summary.chunks,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 2),
        skipped=[{"path": shown(p), "reason": r} for p, r in summary.skipped],
        extractors=versions(settings.extractors), records=dict(summary.records),
        collections=collections)
