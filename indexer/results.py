"""A page of search results: filtered, sorted and cut from a pool of the best passages."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from .search import Filters, Hit, Searcher

SORTS = ("relevance", "date")


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


def facet_counts(hits: list[Hit]) -> dict[str, list[tuple[str, int]]]:
    """Count document types, issuers and years among hits (each document counted once)."""
    seen = {hit.document.id: hit.document for hit in hits}
    counters: dict[str, Counter] = {"type": Counter(), "issuer": Counter(), "year": Counter()}
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
    started = time.perf_counter()
    candidates = searcher.search(query, k=pool)
    kept = searcher.search(query, k=pool, filters=filters) if not filters.empty else candidates
    if sort == "date":
        kept.sort(key=lambda hit: hit.document.issued_date or "", reverse=True)
    start = (page - 1) * per_page
    return ResultPage(query, kept[start:start + per_page], len(kept), page, per_page,
                      facet_counts(candidates), time.perf_counter() - started)
