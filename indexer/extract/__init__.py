"""Extractors: what a reindex reads out of each document besides its chunks.

An extractor has a `kind` (the name its records are stored under), a `version` (bumped when
what it reads changes: the next reindex then runs it again over every indexed document, from
the stored text, without re-embedding anything) and `extract(document)`, which returns records
with a span of the document's stored text and their fields. The store keeps them with the
document, incrementally and atomically like the chunks. A new kind of record is one module
with an extractor, added to EXTRACTORS.
"""
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
    title: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issued_date: str | None


class Extractor(Protocol):
    kind: str
    version: int

    def extract(self, document: ExtractedDocument) -> Sequence[NewRecord]: ...


EXTRACTORS: tuple[Extractor, ...] = ()


def versions(extractors: Sequence[Extractor]) -> dict[str, int]:
    """Return kind → version, as a manifest records them."""
    return {extractor.kind: extractor.version for extractor in extractors}
