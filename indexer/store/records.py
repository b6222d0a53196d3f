"""What the store hands out and takes in: frozen records, never database rows."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Mapping

PARAGRAPH_SEPARATOR = "\n\n"  # between paragraphs in a stored document's text


@dataclass(frozen=True)
class Filters:
    """Which documents a search may return; applied before ranking."""

    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    issued_from: str | None = None  # ISO dates of issue, both ends included
    issued_to: str | None = None

    @property
    def empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class DocumentInfo:
    """What a citation shows of a document."""

    id: str
    title: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issued_date: str | None  # ISO YYYY-MM-DD
    rel_path: str
    format: str


@dataclass(frozen=True)
class OcrPageInfo:
    page: int
    confidence: float | None  # mean word confidence 0–100; None when no word was found
    low: bool  # under the confidence threshold the reindex used


@dataclass(frozen=True)
class StoredParagraph:
    number: int  # 1-based, as the document view numbers them
    start: int  # offsets into the document text
    end: int
    page: int | None
    text: str


@dataclass(frozen=True)
class StoredDocument:
    """A document as indexed: metadata, its normalised text and where each paragraph starts."""

    id: str
    path: str
    rel_path: str
    content_hash: str
    size: int
    format: str
    page_count: int | None
    title: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issued_date: str | None
    text: str
    paragraph_offsets: tuple[int, ...]
    paragraph_pages: tuple[int | None, ...]
    paragraph_cells: tuple[tuple[int, int, int] | None, ...]  # (table, row, column) or None
    ocr_pages: tuple[OcrPageInfo, ...]
    indexed_at: str

    @property
    def info(self) -> DocumentInfo:
        return DocumentInfo(self.id, self.title, self.doc_number, self.doc_type, self.issuer,
                            self.issued_date, self.rel_path, self.format)

    @property
    def ocr_by_page(self) -> dict[int, OcrPageInfo]:
        return {page.page: page for page in self.ocr_pages}

    def paragraphs(self) -> list[StoredParagraph]:
        """Return the numbered paragraphs with their offsets and pages."""
        offsets = self.paragraph_offsets
        ends = [start - len(PARAGRAPH_SEPARATOR) for start in offsets[1:]] + [len(self.text)]
        return [StoredParagraph(number, start, end, page, self.text[start:end])
                for number, (start, end, page) in enumerate(
                    zip(offsets, ends, self.paragraph_pages), start=1)]

    def paragraph_at(self, offset: int) -> int:
        """Return the 1-based number of the paragraph that holds a character offset."""
        return max(1, bisect.bisect_right(self.paragraph_offsets, offset))


@dataclass(frozen=True)
class StoredChunk:
    id: int  # also the vector's id
    document: DocumentInfo
    ordinal: int
    text: str  # exactly document text[char_start:char_end]
    page: int | None
    para_start: int
    para_end: int
    char_start: int
    char_end: int
    heading_path: tuple[str, ...]


@dataclass(frozen=True)
class IndexedFile:
    """What a reindex needs to know of a file the previous version holds."""

    path: str
    document_id: str
    content_hash: str


@dataclass(frozen=True)
class NumberedDocument:
    """A document that states its số hiệu, for look-up by number."""

    id: str
    doc_number: str
    doc_type: str | None


@dataclass(frozen=True)
class StoredRecord:
    """One record an extractor read out of a document (a task, a reference, a block)."""

    document_id: str
    kind: str
    ordinal: int
    char_start: int
    char_end: int
    data: Mapping[str, Any] = field(hash=False)


@dataclass(frozen=True)
class NewDocument:
    """A document as the pipeline hands it to a version being built."""

    id: str
    path: str
    rel_path: str
    content_hash: str
    size: int
    format: str
    page_count: int | None
    title: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issued_date: str | None
    text: str
    paragraph_offsets: tuple[int, ...]
    paragraph_pages: tuple[int | None, ...]
    paragraph_cells: tuple[tuple[int, int, int] | None, ...]
    ocr_pages: tuple[OcrPageInfo, ...]
    indexed_at: str


@dataclass(frozen=True)
class NewChunk:
    ordinal: int
    text: str
    text_hash: str
    page: int | None
    para_start: int
    para_end: int
    char_start: int
    char_end: int
    heading_path: tuple[str, ...]
    lexical: Mapping[str, str] = field(hash=False)  # column → analysed text (indexer.lexical)


@dataclass(frozen=True)
class NewRecord:
    char_start: int
    char_end: int
    data: Mapping[str, Any] = field(hash=False)
