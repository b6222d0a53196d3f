"""Dense retrieval over an index version: query → ranked, cited passages."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .embed import Embedder, load_embedder
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


class Searcher:
    """Answers queries from one opened index version with the embedder that built it."""

    def __init__(self, index: IndexVersion, embedder: Embedder | None = None):
        self.index = index
        self.embedder = embedder or load_embedder(index.manifest.embedder_spec)
        index.check_embedder(self.embedder.id)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Return the k passages nearest to the query, best first."""
        vector = self.embedder.embed([query], kind="query")
        scores, ids = self.index.nearest(vector, k)
        found = [(float(s), int(i)) for s, i in zip(scores[0], ids[0]) if i >= 0]
        rows = self._rows([chunk_id for _, chunk_id in found])
        return [self._hit(rank, score, rows[chunk_id])
                for rank, (score, chunk_id) in enumerate(found, start=1) if chunk_id in rows]

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

    def accepts(self, document: DocumentInfo) -> bool:
        return ((self.doc_type is None or document.doc_type == self.doc_type)
                and (self.issuer is None or document.issuer == self.issuer)
                and (self.year is None or (document.issued_date or "")[:4] == str(self.year)))


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
    kept = [hit for hit in candidates if filters.accepts(hit.document)]
    if sort == "date":
        kept.sort(key=lambda hit: hit.document.issued_date or "", reverse=True)
    start = (page - 1) * per_page
    return ResultPage(query, kept[start:start + per_page], len(kept), page, per_page,
                      facet_counts(candidates), time.perf_counter() - started)
