"""The parts of a document (header, preamble, body, recipients, signature, website text),
stored so that answers can leave out what is not the document's statement."""
from __future__ import annotations

from dataclasses import dataclass

from ..sections import paragraph_roles, role_spans
from ..store import NewRecord
from .base import ExtractedDocument, paragraphs


@dataclass(frozen=True)
class SectionExtractor:
    kind: str = "sections"
    version: int = 1

    def extract(self, document: ExtractedDocument) -> list[NewRecord]:
        texts = [text for _, _, text in paragraphs(document)]
        roles = paragraph_roles(texts, document.paragraph_cells)
        return [NewRecord(start, end, {"role": role})
                for start, end, role in role_spans(document.text, document.paragraph_offsets,
                                                   roles)]
