"""Scanned images (PNG, JPEG, TIFF with any number of pages), read by OCR."""
from __future__ import annotations

from pathlib import Path

from ..errors import NeedsOCR, UnreadableDocument
from .document import ParsedDocument, ReadContext
from .pdf import ocr_or_skip, paragraphs_of_pages

FORMAT_NAMES = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".tif": "tif", ".tiff": "tif"}
SUFFIXES = tuple(FORMAT_NAMES)
ISOLATED = True


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    ocr = context.ocr
    if ocr is None or not ocr.enabled:
        raise NeedsOCR(path, "image")
    pages = ocr_or_skip(path, lambda: ocr.read_image(path, data), True, "image")
    paragraphs = paragraphs_of_pages([list(page.lines) for page in pages.values()])
    if not paragraphs:
        raise UnreadableDocument(path, "image: OCR found no text")
    return ParsedDocument(tuple(paragraphs), FORMAT_NAMES[path.suffix.lower()],
                          page_count=len(pages),
                          ocr_pages=tuple((n, p.confidence) for n, p in pages.items()))
