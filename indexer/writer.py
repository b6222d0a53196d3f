"""Write prepared documents into the next version, a bounded batch at a time.

Each batch is embedded first (texts already in the cache are not embedded again, and every
embedded batch is committed to the cache at once, so a killed run resumes), then written
with its records. The version is only started when the first change arrives, so a run that
finds nothing new publishes nothing.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .cache import EmbeddingCache
from .embed import Embedder
from .extract import ExtractedDocument, Extractor, versions
from .prepare import PreparedDocument
from .store import IndexVersion, Manifest, VersionBuilder
from .summary import Progress, ReindexSummary


class VersionWriter:
    def __init__(self, index_dir: Path, base: IndexVersion | None, embedder: Embedder,
                 settings, summary: ReindexSummary, progress: Progress | None,
                 on_stage: Callable[[str], None]):
        self.index_dir = index_dir
        self.base = base  # the version this one starts from; None: it starts empty
        self.embedder = embedder
        self.settings = settings
        self.summary = summary
        self.progress = progress
        self.on_stage = on_stage
        self.cache = EmbeddingCache(index_dir / "cache" / "embeddings.sqlite", embedder.id,
                                    embedder.dimension)
        self._builder: VersionBuilder | None = None
        self._published = False
        self._pending: list[PreparedDocument] = []
        self._pending_chunks = 0
        self._bar = None

    @property
    def builder(self) -> VersionBuilder:
        if self._builder is None:
            self._builder = VersionBuilder(self.index_dir, self.base, self.embedder.dimension)
        return self._builder

    @property
    def nothing_to_publish(self) -> bool:
        """True when the run changed nothing in the version it started from."""
        return self.base is not None and self._builder is None

    def start_progress(self, files: int) -> None:
        if self.progress and files:
            self._bar = self.progress(files, "Indexing")

    def advance(self, files: int = 1) -> None:
        """Count files done without writing anything (skipped)."""
        if self._bar:
            self._bar.update(files)

    def add(self, prepared: PreparedDocument) -> None:
        """Queue a document; a full batch is embedded and written."""
        self._pending.append(prepared)
        self._pending_chunks += len(prepared.chunks)
        if self._pending_chunks >= self.settings.write_batch_chunks:
            self.flush()

    def flush(self) -> None:
        """Embed and write the queued documents."""
        if not self._pending:
            return
        self.on_stage("parsed")
        vectors = self._embed(self._pending)
        for prepared in self._pending:
            if prepared.replaces and self.base is not None:
                self.builder.remove_document(prepared.replaces)
            matrix = np.stack([vectors[c.text_hash] for c in prepared.chunks]) \
                if prepared.chunks else np.zeros((0, self.embedder.dimension), dtype=np.float32)
            self.builder.add_document(prepared.document, prepared.chunks, matrix)
            self._extract(prepared.document, self.settings.extractors)
        self.advance(len(self._pending))
        self._pending, self._pending_chunks = [], 0

    def _embed(self, batch: Sequence[PreparedDocument]) -> dict[str, np.ndarray]:
        texts_by_hash: dict[str, str] = {}
        for prepared in batch:
            for chunk, text in zip(prepared.chunks, prepared.embedding_texts):
                texts_by_hash.setdefault(chunk.text_hash, text)
        vectors = self.cache.get_many(list(texts_by_hash))
        missing = [key for key in texts_by_hash if key not in vectors]
        self.summary.chunks_from_cache += len(texts_by_hash) - len(missing)
        started = time.perf_counter()
        step = self.settings.embed_batch
        for start in range(0, len(missing), step):
            keys = missing[start:start + step]
            embedded = self.embedder.embed([texts_by_hash[k] for k in keys], kind="passage")
            self.cache.put_many(keys, embedded)
            vectors.update(zip(keys, embedded))
            self.summary.chunks_embedded += len(keys)
            self.on_stage("embedded-batch")
        self.summary.embed_seconds += time.perf_counter() - started
        return vectors

    def remove(self, document_id: str) -> None:
        """Take a document out of the version (a full rebuild starts empty: nothing to do)."""
        if self.base is not None:
            self.builder.remove_document(document_id)

    def _extract(self, document: ExtractedDocument, extractors: Sequence[Extractor]) -> None:
        for extractor in extractors:
            self.builder.replace_records(document.id, extractor.kind, extractor.extract(document))

    def extract_again(self, base: IndexVersion, extractors: Sequence[Extractor],
                      skip: set[str]) -> None:
        """Run the extractors that are new or changed since `base` over its other documents."""
        wanted, had = versions(extractors), base.manifest.extractors
        stale = [e for e in extractors if had.get(e.kind) != e.version]
        dropped = [kind for kind in had if kind not in wanted]
        if not stale and not dropped:
            return
        for kind in dropped:
            self.builder.drop_records(kind)
        for document in base.documents():  # one at a time, from the stored text
            if document.id not in skip:
                self._extract(document, stale)

    def publish(self, manifest: Callable[[], Manifest]) -> int:
        """Publish the version; `manifest` builds its manifest once the counts are known."""
        self.flush()
        self.summary.documents, self.summary.chunks = self.builder.counts()
        self.summary.records = self.builder.record_counts()
        self.on_stage("written")
        ready = manifest()
        self.on_stage("publishing")
        final = self.builder.publish(ready)
        self._published = True
        return int(final.name[1:])

    def close(self) -> None:
        """Drop an unpublished version (the run failed); the published one stays as it was."""
        try:
            if self._bar:
                self._bar.close()
            self.summary.cache_set_aside = self.cache.set_aside
            self.cache.close()
        finally:
            if self._builder is not None and not self._published:
                self._builder.abandon()
