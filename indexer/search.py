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
