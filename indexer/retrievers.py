"""Retrievers: objects with one method, `search(query, k, allowed)` → [(chunk id, score)].

The searcher (search.py) composes them and fuses their scores, as pyserini's HybridSearcher
composes a dense and a sparse searcher: either side can be swapped for another that answers
the same method. `allowed` is the set of document ids the filters let through, or None.
"""
from __future__ import annotations

import re
from typing import Protocol

import numpy as np

from .embed import Embedder
from .lexical import CommonTerms, LexicalWeights, query_terms
from .store import SearchBackend
from .vietnamese import DOC_TYPES, DOCUMENT_NUMBER, fold, number_key

Scored = list[tuple[int, float]]


class Retriever(Protocol):
    def search(self, query: str, k: int, allowed: frozenset[str] | None = None) -> Scored: ...


class LexicalRetriever:
    """BM25 over the three lexical columns, very common terms left out in large indexes."""

    def __init__(self, backend: SearchBackend, weights: LexicalWeights = LexicalWeights(),
                 common: CommonTerms | None = None):
        self.backend = backend
        self.weights = weights
        self.common = common if common is not None else \
            CommonTerms(backend, backend.manifest.chunks)

    def search(self, query: str, k: int, allowed: frozenset[str] | None = None) -> Scored:
        terms = query_terms(query, self.common)
        return self.backend.lexical_search(terms, k, self.weights.as_dict(), allowed)


class DenseRetriever:
    """Nearest chunk vectors to the query's embedding (cosine: vectors are normalised)."""

    def __init__(self, backend: SearchBackend, embedder: Embedder, cache_size: int = 256):
        self.backend = backend
        self.embedder = embedder
        self._cache_size = cache_size
        self._vectors: dict[str, np.ndarray] = {}

    def query_vector(self, query: str) -> np.ndarray:
        """Embed a query once: a page's search, its facets and its answer share the vector."""
        vector = self._vectors.get(query)
        if vector is None:
            vector = self.embedder.embed([query], kind="query")
            self._vectors[query] = vector
            while len(self._vectors) > self._cache_size:
                self._vectors.pop(next(iter(self._vectors)))
        return vector

    def search(self, query: str, k: int, allowed: frozenset[str] | None = None) -> Scored:
        chunk_ids = None if allowed is None else self.backend.chunk_ids(allowed)
        return self.nearest(query, k, chunk_ids)

    def nearest(self, query: str, k: int, chunk_ids: list[int] | None = None) -> Scored:
        """Return the k chunks nearest the query, among `chunk_ids` when given."""
        scores, ids = self.backend.nearest(self.query_vector(query), k, chunk_ids)
        return [(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0] \
            if scores.size else []


# A type and a bare number: "nghị quyết 57", "quyết định số 2820".
_TYPE_AND_NUMBER = re.compile(
    rf"\b({'|'.join(re.escape(fold(t)) for t in DOC_TYPES)})\s+(?:so\s+)?(\d{{1,5}})\b")


class NumberLookup:
    """The chunks of the documents a query names by số hiệu ("310/KH-UBND", "nghị quyết 57").

    Every chunk of a named document scores 1; the searcher ranks them above everything else.
    """

    def __init__(self, backend: SearchBackend):
        self.backend = backend

    def documents_named_in(self, query: str) -> list[str]:
        """Return the ids of the documents whose số hiệu the query names, if any."""
        wanted = {number_key(m.group()) for m in DOCUMENT_NUMBER.finditer(query)}
        partial = _TYPE_AND_NUMBER.findall(fold(query))
        if not wanted and not partial:
            return []
        found = []
        for document in self.backend.numbered_documents():
            key = number_key(document.doc_number)
            if key in wanted or any(fold(document.doc_type or "") == kind
                                    and re.match(rf"{number}\b[/-]", key)
                                    for kind, number in partial):
                found.append(document.id)
        return found

    def search(self, query: str, k: int, allowed: frozenset[str] | None = None) -> Scored:
        named = [d for d in self.documents_named_in(query) if allowed is None or d in allowed]
        # Every chunk, whatever k: the searcher orders a named document's chunks by their
        # fused scores, so the passage that also matches the words comes first.
        return [(chunk_id, 1.0) for chunk_id in self.backend.chunk_ids(named)]
