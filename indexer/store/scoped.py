"""A published version as one reader may see it: the same questions, only visible documents.

Access control wraps the backend rather than trusting every caller to filter: each method
a search, an answer, the document list, tasks, references or an export reads through answers
as if the invisible documents were not indexed. Filters apply before ranking (the visible set
goes to the lexical query and the vector search as the type and year filters do), and counts
(the manifest's documents and chunks) and term statistics (document frequencies) are the
visible ones. What stays global is inside SQLite: FTS5's bm25() weighs terms over the whole
table, which orders the lexical candidates (see the README's security notes).
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from .backend import SearchBackend
from .records import (DocumentInfo, Filters, IndexedFile, NumberedDocument, StoredChunk,
                      StoredDocument, StoredRecord)


class ScopedIndex:
    """`backend` restricted to the documents in `visible` (ids)."""

    def __init__(self, backend: SearchBackend, visible: frozenset[str]):
        self.backend = backend
        self.visible = frozenset(visible)
        self.directory = getattr(backend, "directory", None)
        self._chunk_ids = sorted(backend.chunk_ids(self.visible))
        self.manifest = dataclasses.replace(backend.manifest, documents=len(self.visible),
                                            chunks=len(self._chunk_ids))
        self._numbered: list[NumberedDocument] | None = None
        self._frequencies: dict[tuple, int] = {}

    def check_embedder(self, embedder_id: str) -> None:
        self.backend.check_embedder(embedder_id)

    # Filters and documents
    def matching_documents(self, filters: Filters | None) -> frozenset[str] | None:
        """The visible documents the filters let through; None, as from the backend, when
        there are no filters: every method here keeps to the visible documents anyway, and
        the vector search then uses the chunk ids computed once."""
        matching = self.backend.matching_documents(filters)
        return None if matching is None else matching & self.visible

    def document(self, document_id: str) -> StoredDocument | None:
        return self.backend.document(document_id) if document_id in self.visible else None

    def documents(self) -> Iterator[StoredDocument]:
        return (d for d in self.backend.documents() if d.id in self.visible)

    def document_infos(self, ids: Iterable[str] | None = None) -> dict[str, DocumentInfo]:
        wanted = self.visible if ids is None else [i for i in ids if i in self.visible]
        return self.backend.document_infos(wanted)

    def numbered_documents(self) -> list[NumberedDocument]:
        if self._numbered is None:
            self._numbered = [d for d in self.backend.numbered_documents()
                              if d.id in self.visible]
        return self._numbered

    def indexed_files(self) -> list[IndexedFile]:
        return [f for f in self.backend.indexed_files() if f.document_id in self.visible]

    def paragraph_starts(self) -> dict[str, tuple[int, ...]]:
        return {doc_id: starts for doc_id, starts in self.backend.paragraph_starts().items()
                if doc_id in self.visible}

    # Chunks
    def chunks(self, ids: Sequence[int]) -> dict[int, StoredChunk]:
        return {chunk_id: chunk for chunk_id, chunk in self.backend.chunks(ids).items()
                if chunk.document.id in self.visible}

    def chunks_of(self, document_id: str) -> list[StoredChunk]:
        return self.backend.chunks_of(document_id) if document_id in self.visible else []

    def chunk_ids(self, document_ids: Iterable[str]) -> list[int]:
        return self.backend.chunk_ids(set(document_ids) & self.visible)

    # Lexical query and term statistics
    def lexical_search(self, terms: Sequence[tuple[str, str]], k: int,
                       weights: Mapping[str, float],
                       allowed: frozenset[str] | None = None) -> list[tuple[int, float]]:
        allowed = self.visible if allowed is None else allowed & self.visible
        return self.backend.lexical_search(terms, k, weights, allowed)

    def document_frequency(self, column: str, term: str,
                           within: frozenset[str] | None = None) -> int:
        """Counted over the visible chunks only: IDF weights (relevance, answers, common
        terms) then say nothing of what invisible documents hold."""
        within = self.visible if within is None else within & self.visible
        key = (column, term, within)
        if key not in self._frequencies:
            if len(self._frequencies) > 100_000:
                self._frequencies.clear()
            self._frequencies[key] = self.backend.document_frequency(column, term, within)
        return self._frequencies[key]

    # Nearest vectors
    def nearest(self, query_vectors: np.ndarray, k: int,
                chunk_ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        if chunk_ids is None:
            chunk_ids = self._chunk_ids
        else:
            visible = set(self._chunk_ids)
            chunk_ids = [c for c in chunk_ids if c in visible]
        return self.backend.nearest(query_vectors, k, chunk_ids)

    # Extracted records
    def records(self, kind: str, document_ids: Iterable[str] | None = None
                ) -> list[StoredRecord]:
        wanted = self.visible if document_ids is None else set(document_ids) & self.visible
        return self.backend.records(kind, wanted)

    def problems(self, quick: bool = False) -> list[str]:
        return self.backend.problems(quick)

    def close(self) -> None:
        """The scope does not own the backend: whoever opened it closes it."""
