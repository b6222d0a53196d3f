"""What every format reader returns, and what it is given besides the file."""
from __future__ import annotations

from dataclasses import dataclass

from ..ocr import OcrReader


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None  # 1-based, PDFs and images only


@dataclass(frozen=True)
class ParsedDocument:
    paragraphs: tuple[Paragraph, ...]
    format: str
    page_count: int | None = None
    # (page, mean word confidence 0–100 or None when no word was found) of each OCR'd page
    ocr_pages: tuple[tuple[int, float | None], ...] = ()


@dataclass(frozen=True)
class ReadContext:
    """What a reader may use besides the file: OCR for scans (None: scans are skipped)."""

    ocr: OcrReader | None = None
