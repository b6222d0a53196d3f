"""A page of search results a clerk can trust: only relevant passages counted, grouped by
document, filtered, faceted and sorted, cut from a pool of the best passages.

Relevance (relevance.py) decides what is counted; the fused score only orders. Facet counts
are documents, each computed with the other active filters applied, so a value offered with
a count gives at least that many documents when chosen.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace

from .relevance import RELEVANCE_FLOOR, QueryWords, query_words
from .search import Filters, Hit, Searcher

SORTS = ("relevance", "date")
FACETS = ("type", "issuer", "year")
CLOSEST = 3  # passages shown, labelled as such, when nothing passes the floor


@dataclass(frozen=True)
class Narrowing:
    """What the results are narrowed to: the store's filters and a range of issue dates."""

    filters: Filters = Filters()
    date_from: str | None = None  # ISO dates, both ends included
    date_to: str | None = None

    def admits(self, hit: Hit) -> bool:
        issued = hit.document.issued_date
        if self.date_from and (not issued or issued < self.date_from):
            return False
        return not (self.date_to and (not issued or issued > self.date_to))

    def without(self, facet: str) -> "Narrowing":
        field = {"type": "doc_type", "issuer": "issuer", "year": "year"}[facet]
        return replace(self, filters=replace(self.filters, **{field: None}))


@dataclass(frozen=True)
class Passage:
    hit: Hit
    relevance: float  # 0–1, the one scale shown (relevance.py)


@dataclass(frozen=True)
class Result:
    """One line of the results: a document's best passage and its other relevant passages."""

    best: Passage
    others: tuple[Passage, ...] = ()

    @property
    def document(self):
        return self.best.hit.document


@dataclass(frozen=True)
class ResultPage:
    query: str
    results: list[Result]  # this page's
    total: int  # results over all pages: documents when grouped, else passages
    documents: int  # relevant documents
    passages: int  # relevant passages
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]  # field → (value, documents), most first
    seconds: float
    grouped: bool = True
    relevant: bool = True  # False: nothing passed the floor; `results` are the closest few

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def hits(self) -> list[Hit]:
        return [result.best.hit for result in self.results]


class _Pool:
    """The query's scored passages under each narrowing asked for, searched once each."""

    def __init__(self, searcher: Searcher, query: str, pool: int):
        self.searcher, self.query, self.pool = searcher, query, pool
        self.words: QueryWords = query_words(searcher.index, query)
        lookup = searcher.lookup
        self.named = set(lookup.documents_named_in(query)) if lookup else set()
        self._searched: dict[Filters, list[Passage]] = {}
        self._relevance: dict[int, float] = {}
        self.headers = {document_id: self.header(document_id) for document_id in self.named}

    def passages(self, narrowing: Narrowing) -> list[Passage]:
        """All pool passages under the narrowing, in search order, with their relevance."""
        # The dates go to the store with the other filters: documents outside the range are
        # left out before ranking, so the pool holds only documents that may be shown.
        filters = replace(narrowing.filters, issued_from=narrowing.date_from,
                          issued_to=narrowing.date_to)
        if filters not in self._searched:
            hits = self.searcher.search(self.query, k=self.pool, filters=filters)
            self._searched[filters] = [Passage(hit, self._score(hit)) for hit in hits]
        return [p for p in self._searched[filters] if narrowing.admits(p.hit)]

    def relevant(self, narrowing: Narrowing) -> list[Passage]:
        return [p for p in self.passages(narrowing) if self.passes(p)]

    def passes(self, passage: Passage) -> bool:
        # A document the query names by its số hiệu is what was asked for: its header passage
        # counts whatever its words; its other passages count as any other would.
        header = self.headers.get(passage.hit.document.id)
        return passage.relevance >= RELEVANCE_FLOOR or \
            header is not None and header.hit.chunk_id == passage.hit.chunk_id

    def _score(self, hit: Hit) -> float:
        if hit.chunk_id not in self._relevance:
            self._relevance[hit.chunk_id] = self.words.relevance(
                " ".join((*hit.heading_path, hit.text)))
        return self._relevance[hit.chunk_id]

    def header(self, document_id: str) -> Passage | None:
        """The document's first passage: its title, số hiệu, issuer and date."""
        chunks = self.searcher.index.chunks_of(document_id)
        if not chunks:
            return None
        hit = self.searcher.hits([(chunks[0].id, 0.0)])
        return Passage(hit[0], self._score(hit[0])) if hit else None


def group_by_document(passages: list[Passage], pool: _Pool | None = None) -> list[Result]:
    """One result per document, in the order of its best passage; a named document leads
    with its header passage, so a số hiệu query shows what the document is."""
    groups: dict[str, list[Passage]] = {}
    for passage in passages:
        groups.setdefault(passage.hit.document.id, []).append(passage)
    results = []
    for document_id, found in groups.items():
        if pool is not None and document_id in pool.named:
            header = pool.headers.get(document_id)
            if header is not None:
                found = [header] + [p for p in found if p.hit.chunk_id != header.hit.chunk_id]
        results.append(Result(found[0], tuple(found[1:])))
    return results


def facet_counts(passages: list[Passage], facet: str) -> list[tuple[str, int]]:
    """Count the documents among the passages by one facet's value, most first."""
    documents = {p.hit.document.id: p.hit.document for p in passages}
    counter: Counter = Counter()
    for document in documents.values():
        value = {"type": document.doc_type, "issuer": document.issuer,
                 "year": (document.issued_date or "")[:4] or None}[facet]
        if value:
            counter[value] += 1
    return counter.most_common()


def _by_date(results: list[Result]) -> list[Result]:
    dated = [r for r in results if r.document.issued_date]
    dated.sort(key=lambda r: r.document.issued_date, reverse=True)  # stable: ties by relevance
    return dated + [r for r in results if not r.document.issued_date]


def search_page(searcher: Searcher, query: str, *, page: int = 1, per_page: int = 10,
                narrowing: Narrowing = Narrowing(), sort: str = "relevance",
                grouped: bool = True, pool: int = 200) -> ResultPage:
    """Search, keep the relevant passages, group, sort and cut one page.

    When no passage is relevant, the page holds the closest few with `relevant` False, for
    the caller to label as such; its counts are zero.
    """
    started = time.perf_counter()
    scored = _Pool(searcher, query, pool)
    relevant = scored.relevant(narrowing)
    found = bool(relevant)
    shown = relevant or scored.passages(narrowing)[:CLOSEST]
    results = group_by_document(shown, scored) if grouped else [Result(p) for p in shown]
    if sort == "date" and found:
        results = _by_date(results)
    facets = {facet: facet_counts(scored.relevant(narrowing.without(facet)), facet)
              for facet in FACETS}
    documents = len({p.hit.document.id for p in relevant})
    start = (page - 1) * per_page
    return ResultPage(query, results[start:start + per_page], len(results) if found else 0,
                      documents, len(relevant), page, per_page, facets,
                      time.perf_counter() - started, grouped, found)


# What a spreadsheet of results holds: the citation a clerk pastes into a report.
RESULT_COLUMNS = [
    ("rank", "STT"), ("relevance", "Độ khớp"), ("title", "Văn bản"), ("doc_type", "Loại văn bản"),
    ("doc_number", "Số hiệu"), ("issuer", "Cơ quan ban hành"), ("issued_date", "Ngày ban hành"),
    ("page", "Trang"), ("paragraphs", "Đoạn"), ("heading_path", "Mục"), ("text", "Đoạn trích"),
    ("other_passages", "Đoạn khác phù hợp"), ("rel_path", "Tệp"), ("url", "Liên kết"),
]


def result_rows(result: ResultPage, url_of=None) -> list[dict]:
    """One row per result of the page, with its citation fields; `url_of(hit)` links it."""
    rows = []
    for rank, item in enumerate(result.results, start=(result.page - 1) * result.per_page + 1):
        hit, document = item.best.hit, item.document
        rows.append({
            "rank": rank, "relevance": f"{item.best.relevance:.0%}", "title": document.title,
            "doc_type": document.doc_type, "doc_number": document.doc_number,
            "issuer": document.issuer, "issued_date": document.issued_date, "page": hit.page,
            "paragraphs": f"{hit.para_start}" + (f"–{hit.para_end}"
                                                 if hit.para_end != hit.para_start else ""),
            "heading_path": " › ".join(hit.heading_path), "text": " ".join(hit.text.split()),
            "other_passages": len(item.others), "rel_path": document.rel_path,
            "url": url_of(hit) if url_of else None})
    return rows
