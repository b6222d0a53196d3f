"""What every format reader returns, and what it is given besides the file."""
from __future__ import annotations

from dataclasses import dataclass

from ..ocr import OcrReader


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None  # 1-based, PDFs and images only
    # (table, row, column), each counted from 0 (tables from 1), for a paragraph in a table cell
    cell: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class ParsedDocument:
    paragraphs: tuple[Paragraph, ...]
    format: str
    page_count: int | None = None
    # (page, mean word confidence 0–100 or None when no word was found) of each OCR'd page
    ocr_pages: tuple[tuple[int, float | None], ...] = ()


@dataclass(frozen=True)
class ReadLimits:
    """How much of a machine one file may take; beyond it, the file is skipped, saying why.

    Official documents are far below every limit (the largest of ../shared's 570 is under
    1 MB, and under 200 pages); files above them are logs, exports, or built to do harm.
    """

    max_text_bytes: int = 20 * 2**20  # a text file over this would take hours to embed
    max_pages: int = 2000  # of a PDF
    max_unzipped_bytes: int = 256 * 2**20  # what a DOCX may expand to
    seconds: float = 120.0  # reading one file, not counting OCR (each page has its own limit)
    memory_bytes: int = 3 * 2**30  # address space of the process that reads PDF and DOCX files


@dataclass(frozen=True)
class ReadContext:
    """What a reader may use besides the file: OCR for scans (None: scans are skipped)."""

    ocr: OcrReader | None = None
    limits: ReadLimits = ReadLimits()
