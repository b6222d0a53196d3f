"""Hybrid retrieval over an index version: query → ranked, cited passages."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

import numpy as np

from .embed import Embedder, load_embedder
from .lexical import CommonTerms, LexicalWeights, lexical_search
from .lookup import documents_named_in
from .normalize import fold
from .store import IndexVersion


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issued_date: str | None
    rel_path: str
    format: str


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    chunk_id: int
    text: str
    page: int | None
    para_start: int
    para_end: int
    char_start: int
    char_end: int
    heading_path: tuple[str, ...]
    document: DocumentInfo

    def as_dict(self) -> dict:
        data = asdict(self)
        data["heading_path"] = list(self.heading_path)
        return data


MODES = ("hybrid", "lexical", "dense")


@dataclass(frozen=True)
class FusionSettings:
    """How lexical and dense scores combine; tuned on ALQAC dev (scripts/tune_fusion.py)."""

    dense_weight: float = 0.15  # share of the dense score for a query typed with diacritics
    # e5 cannot read Vietnamese typed without diacritics (dense MRR@10 0.036 on such queries),
    # so those are answered by the lexical side alone and the query is not embedded at all.
    dense_weight_unaccented: float = 0.0
    depth: int = 100  # candidates taken from each retriever
    lexical: LexicalWeights = LexicalWeights()


_VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")


def _vietnamese_without_diacritics(query: str) -> bool:
    """Say whether a query is Vietnamese typed without diacritics ("nhiem vu chuyen doi so").

    Most words must be possible Vietnamese syllables, so an English query ("forest
    protection policy") is not mistaken for one and still reaches the dense retriever.
    """
    if fold(query) != query.lower():
        return False
    words = re.findall(r"[a-z]+", query.lower())
    if not words:
        return False
    syllables = sum(bool(_VIETNAMESE_SYLLABLE.fullmatch(w)) for w in words)
    return syllables >= 0.7 * len(words)


def _scaled(scores: dict[int, float]) -> dict[int, float]:
    """Min-max scale one retriever's scores to [0, 1] over its candidates."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {key: (value - low) / span if span > 0 else 1.0 for key, value in scores.items()}


class Searcher:
    """Answers queries from one opened index version with the embedder that built it."""

    def __init__(self, index: IndexVersion, embedder: Embedder | None = None,
                 fusion: FusionSettings = FusionSettings()):
        self.index = index
        self.embedder = embedder or load_embedder(index.manifest.embedder_spec)
        self.fusion = fusion
        self._query_vectors: dict[str, np.ndarray] = {}
        self._common_terms = CommonTerms(index.db, index.manifest.chunks)
        index.check_embedder(self.embedder.id)

    def search(self, query: str, k: int = 10, mode: str = "hybrid",
               filters: "Filters | None" = None) -> list[Hit]:
        """Return the k best passages for a query, best first.

        `mode` is "hybrid" (lexical and dense fused), "lexical" or "dense". Filters on type,
        issuer and year apply before ranking. A query naming a document's số hiệu ("310/KH-UBND",
        "nghị quyết 57") puts that document's passages first.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        allowed = self._allowed_documents(filters)
        if mode == "hybrid" and self._dense_weight(query) == 0:
            mode = "lexical"
        candidates = self.retrieve(query, max(k, self.fusion.depth), mode, allowed)
        fused = self.fuse(candidates, query, mode)
        for chunk_id in self._chunks_of_named_documents(query, allowed):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 10.0
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        rows = self._rows([chunk_id for chunk_id, _ in ranked])
        return [self._hit(rank, score, rows[chunk_id])
                for rank, (chunk_id, score) in enumerate(ranked, start=1) if chunk_id in rows]

    def retrieve(self, query: str, depth: int, mode: str = "hybrid",
                 allowed: list[str] | None = None) -> tuple[dict[int, float], dict[int, float]]:
        """Return the lexical and the dense candidates: {chunk id: score}, `depth` of each."""
        lexical: dict[int, float] = {}
        dense: dict[int, float] = {}
        if mode in ("hybrid", "lexical"):
            lexical = dict(lexical_search(self.index.db, query, depth, self.fusion.lexical, allowed,
                                          self._common_terms))
        if mode in ("hybrid", "dense"):
            dense = self._dense(query, depth, allowed)
        return lexical, dense

    def fuse(self, candidates: tuple[dict[int, float], dict[int, float]], query: str,
             mode: str = "hybrid") -> dict[int, float]:
        """Combine lexical and dense scores into one score per chunk (see FusionSettings)."""
        lexical, dense = candidates
        if mode == "lexical":
            return dict(lexical)
        if mode == "dense":
            return dict(dense)
        weight = self._dense_weight(query)
        lexical_scaled, dense_scaled = _scaled(lexical), _scaled(dense)
        return {key: weight * dense_scaled.get(key, 0.0)
                + (1 - weight) * lexical_scaled.get(key, 0.0)
                for key in lexical_scaled.keys() | dense_scaled.keys()}

    def _dense_weight(self, query: str) -> float:
        return (self.fusion.dense_weight_unaccented if _vietnamese_without_diacritics(query)
                else self.fusion.dense_weight)

    def _allowed_documents(self, filters: "Filters | None") -> list[str] | None:
        if filters is None or filters == Filters():
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
        sql = "SELECT id FROM documents WHERE " + " AND ".join(clauses)
        return [row[0] for row in self.index.db.execute(sql, params)]

    def _chunk_ids(self, documents: list[str]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(documents), 500):
            batch = documents[start:start + 500]
            ids += [row[0] for row in self.index.db.execute(
                f"SELECT id FROM chunks WHERE document_id IN ({', '.join('?' * len(batch))})",
                batch)]
        return ids

    def query_vector(self, query: str) -> np.ndarray:
        """Embed a query once: a page's search, its facets and its answer share the vector."""
        vector = self._query_vectors.get(query)
        if vector is None:
            vector = self.embedder.embed([query], kind="query")
            self._query_vectors[query] = vector
            while len(self._query_vectors) > 256:
                self._query_vectors.pop(next(iter(self._query_vectors)))
        return vector

    def _dense(self, query: str, depth: int, allowed: list[str] | None) -> dict[int, float]:
        vector = self.query_vector(query)
        if allowed is None:
            scores, ids = self.index.nearest(vector, depth)
        else:
            chunk_ids = self._chunk_ids(allowed)
            if not chunk_ids:
                return {}
            scores, ids = self.index.nearest(vector, min(depth, len(chunk_ids)),
                                             restrict_to=chunk_ids)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}

    def _chunks_of_named_documents(self, query: str, allowed: list[str] | None) -> list[int]:
        documents = documents_named_in(self.index.db, query)
        if allowed is not None:
            documents = [d for d in documents if d in set(allowed)]
        if not documents:
            return []
        return self._chunk_ids(documents)

    def _rows(self, chunk_ids: list[int]) -> dict[int, dict]:
        if not chunk_ids:
            return {}
        marks = ", ".join("?" * len(chunk_ids))
        query = (
            "SELECT c.id, c.text, c.page, c.para_start, c.para_end, c.char_start, c.char_end, "
            "c.heading_path, d.id AS document_id, d.title, d.doc_number, d.doc_type, d.issuer, "
            "d.issued_date, d.rel_path, d.format FROM chunks c JOIN documents d "
            f"ON d.id = c.document_id WHERE c.id IN ({marks})")
        return {row["id"]: dict(row) for row in self.index.db.execute(query, chunk_ids)}

    @staticmethod
    def _hit(rank: int, score: float, row: dict) -> Hit:
        document = DocumentInfo(row["document_id"], row["title"], row["doc_number"],
                                row["doc_type"], row["issuer"], row["issued_date"],
                                row["rel_path"], row["format"])
        return Hit(rank, score, row["id"], row["text"], row["page"], row["para_start"],
                   row["para_end"], row["char_start"], row["char_end"],
                   tuple(json.loads(row["heading_path"])), document)


@dataclass(frozen=True)
class Filters:
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class ResultPage:
    query: str
    hits: list[Hit]  # this page's hits
    total: int  # hits that pass the filters, within the candidate pool
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]  # field → (value, count), most frequent first
    seconds: float

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


SORTS = ("relevance", "date")


def facet_counts(hits: list[Hit]) -> dict[str, list[tuple[str, int]]]:
    """Count document types, issuers and years among hits (each document counted once)."""
    from collections import Counter

    seen: dict[str, DocumentInfo] = {hit.document.id: hit.document for hit in hits}
    counters = {"type": Counter(), "issuer": Counter(), "year": Counter()}
    for document in seen.values():
        if document.doc_type:
            counters["type"][document.doc_type] += 1
        if document.issuer:
            counters["issuer"][document.issuer] += 1
        if document.issued_date:
            counters["year"][document.issued_date[:4]] += 1
    return {name: counter.most_common() for name, counter in counters.items()}


def search_page(searcher: Searcher, query: str, *, page: int = 1, per_page: int = 10,
                filters: Filters = Filters(), sort: str = "relevance",
                pool: int = 200) -> ResultPage:
    """Search, then filter, sort and cut one page from the best `pool` passages.

    Facet counts come from the whole pool, so a user sees what each filter would leave.
    """
    import time

    started = time.perf_counter()
    candidates = searcher.search(query, k=pool)
    kept = searcher.search(query, k=pool, filters=filters) if filters != Filters() else candidates
    if sort == "date":
        kept.sort(key=lambda hit: hit.document.issued_date or "", reverse=True)
    start = (page - 1) * per_page
    return ResultPage(query, kept[start:start + per_page], len(kept), page, per_page,
                      facet_counts(candidates), time.perf_counter() - started)
