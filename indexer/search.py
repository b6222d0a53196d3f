"""Hybrid retrieval: the searcher asks its retrievers for candidates and fuses their scores.

Lexical (BM25) and dense (cosine) scores are min-max scaled per query and weighted; a
document named by its số hiệu comes before everything else. Chunks become `Hit`s in one
place, `Searcher.hits`, with their document's citation fields.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .embed import Embedder, load_embedder
from .lexical import LexicalWeights
from .retrievers import DenseRetriever, LexicalRetriever, NumberLookup, Retriever, Scored
from .store import DocumentInfo, Filters, SearchBackend
from .vietnamese import typed_without_diacritics

__all__ = ["MODES", "DocumentInfo", "Filters", "FusionSettings", "Hit", "Searcher",
           "min_max_scaled"]


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


def min_max_scaled(scores: dict[int, float]) -> dict[int, float]:
    """Min-max scale one retriever's scores to [0, 1] over its candidates."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {key: (value - low) / span if span > 0 else 1.0 for key, value in scores.items()}


def fuse(lexical: dict[int, float], dense: dict[int, float], dense_weight: float
         ) -> dict[int, float]:
    """Weight the scaled scores of both sides; a chunk one side did not find gets 0 there."""
    lexical_scaled, dense_scaled = min_max_scaled(lexical), min_max_scaled(dense)
    return {key: dense_weight * dense_scaled.get(key, 0.0)
            + (1 - dense_weight) * lexical_scaled.get(key, 0.0)
            for key in lexical_scaled.keys() | dense_scaled.keys()}


class Searcher:
    """Fuses a lexical and a dense retriever over one index version, with number look-up."""

    def __init__(self, index: SearchBackend, lexical: Retriever, dense: DenseRetriever,
                 lookup: Retriever | None = None, fusion: FusionSettings = FusionSettings()):
        self.index = index
        self.lexical = lexical
        self.dense = dense
        self.lookup = lookup
        self.fusion = fusion

    @classmethod
    def open(cls, index: SearchBackend, embedder: Embedder | None = None,
             fusion: FusionSettings = FusionSettings()) -> "Searcher":
        """Compose the standard retrievers over an index, with the embedder that built it."""
        embedder = embedder or load_embedder(index.manifest.embedder_spec)
        index.check_embedder(embedder.id)
        return cls(index, LexicalRetriever(index, fusion.lexical), DenseRetriever(index, embedder),
                   NumberLookup(index), fusion)

    def scoped(self, index: SearchBackend) -> "Searcher":
        """Return a searcher over a view of this one's index (indexer.access.scoped), with
        the same embedder and fusion; term statistics are the view's own."""
        if index is self.index:
            return self
        return Searcher(index, LexicalRetriever(index, self.fusion.lexical),
                        DenseRetriever(index, self.embedder), NumberLookup(index), self.fusion)

    @property
    def embedder(self) -> Embedder:
        return self.dense.embedder

    def search(self, query: str, k: int = 10, mode: str = "hybrid",
               filters: Filters | None = None) -> list[Hit]:
        """Return the k best passages for a query, best first.

        `mode` is "hybrid" (lexical and dense fused), "lexical" or "dense". Filters on type,
        issuer and year apply before ranking. A query naming a document's số hiệu ("310/KH-UBND",
        "nghị quyết 57") puts that document's passages first.
        """
        return self.hits(self.rank(query, k, mode, filters))

    def rank(self, query: str, k: int = 10, mode: str = "hybrid",
             filters: Filters | None = None) -> Scored:
        """Return the k best (chunk id, score) pairs, best first: `search` without the texts."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        allowed = self.index.matching_documents(filters)
        weight = self.dense_weight(query)
        if mode == "hybrid" and weight == 0:
            mode = "lexical"
        depth = max(k, self.fusion.depth)
        lexical = dict(self.lexical.search(query, depth, allowed)) if mode != "dense" else {}
        dense = dict(self.dense.search(query, depth, allowed)) if mode != "lexical" else {}
        fused = lexical if mode == "lexical" else dense if mode == "dense" else \
            fuse(lexical, dense, weight)
        named = set(dict(self.lookup.search(query, depth, allowed))) if self.lookup else set()
        for chunk_id in named - fused.keys():
            fused[chunk_id] = 0.0
        # The named document's chunks first, then by score; ties by chunk id, for stable pages.
        ranked = sorted(fused.items(), key=lambda item: (item[0] not in named, -item[1], item[0]))
        return ranked[:k]

    def dense_weight(self, query: str) -> float:
        """Return the dense side's share for this query (none for text without diacritics)."""
        return self.fusion.dense_weight_unaccented if typed_without_diacritics(query) \
            else self.fusion.dense_weight

    def hits(self, ranked: Scored) -> list[Hit]:
        """Turn ranked chunk ids into Hits with their text and citation fields."""
        chunks = self.index.chunks([chunk_id for chunk_id, _ in ranked])
        return [Hit(rank, score, chunk.id, chunk.text, chunk.page, chunk.para_start,
                    chunk.para_end, chunk.char_start, chunk.char_end, chunk.heading_path,
                    chunk.document)
                for rank, (chunk_id, score) in enumerate(ranked, start=1)
                if (chunk := chunks.get(chunk_id)) is not None]
