"""The confidentiality mark of a document (Mật, Tối mật, Tuyệt mật, Hạn chế), as one record
spanning the mark in its header, so access rules can restrict marked documents."""
from __future__ import annotations

from dataclasses import dataclass

from ..marking import read_marking
from ..store import NewRecord
from .base import ExtractedDocument, paragraphs


@dataclass(frozen=True)
class MarkingExtractor:
    kind: str = "marking"
    version: int = 2  # 2: marks beside urgency words, framed, or in a column of the header

    def extract(self, document: ExtractedDocument) -> list[NewRecord]:
        spans = paragraphs(document)
        found = read_marking([text for _, _, text in spans])
        if found is None:
            return []
        start = spans[found.paragraph][0]
        return [NewRecord(start + found.start, start + found.end, {"mark": found.mark})]
