"""What an extractor is, and what it reads."""
from __future__ import annotations

from typing import Protocol, Sequence

from ..store import NewRecord


class ExtractedDocument(Protocol):
    """What an extractor may read: a document's text, paragraph offsets and header fields.

    Both `store.NewDocument` (being indexed) and `store.StoredDocument` (indexed) are one.
    """

    id: str
    rel_path: str
    text: str
    paragraph_offsets: tuple[int, ...]
    paragraph_cells: tuple[tuple[int, int, int] | None, ...]  # (table, row, column) or None
    title: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issued_date: str | None


class Extractor(Protocol):
    kind: str
    version: int

    def extract(self, document: ExtractedDocument) -> Sequence[NewRecord]: ...


def versions(extractors: Sequence[Extractor]) -> dict[str, int]:
    """Return kind → version, as a manifest records them."""
    return {extractor.kind: extractor.version for extractor in extractors}


def paragraphs(document: ExtractedDocument) -> list[tuple[int, int, str]]:
    """Return (start, end, text) of each paragraph of a document's stored text."""
    offsets, text = document.paragraph_offsets, document.text
    ends = [start - 2 for start in offsets[1:]] + [len(text)]
    return [(start, end, text[start:end]) for start, end in zip(offsets, ends)]
