"""PDFs: the text layer page by page, scanned pages read by OCR, running lines dropped."""
from __future__ import annotations

import io
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Callable

from ..errors import NeedsOCR, OcrUnavailable, UnreadableDocument
from ..normalize import join_wrapped_lines, normalize_line
from ..ocr import OcrPage
from ..vietnamese import fold
from .document import Paragraph, ParsedDocument, ReadContext

log = logging.getLogger(__name__)

ISOLATED = True
SUFFIXES = (".pdf",)

_PAGE_NUMBER = re.compile(r"^(?:trang|page)?\s*[-–]?\s*\d+\s*(?:/|of|trên)?\s*\d*\s*[-–]?$",
                          re.IGNORECASE)


def _margin_key(line: str) -> str:
    return re.sub(r"\d+", "#", fold(line)).strip()


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and headers/footers that repeat on most pages."""
    margins = Counter()
    for lines in pages:
        for line in set(lines[:2] + lines[-2:]):
            margins[_margin_key(line)] += 1
    threshold = max(2, int(0.6 * len(pages) + 0.5))
    running = {key for key, count in margins.items() if count >= threshold and key}
    cleaned = []
    for lines in pages:
        edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
        cleaned.append([
            line for i, line in enumerate(lines)
            if not (i in edge and (_margin_key(line) in running or _PAGE_NUMBER.match(line)))
        ])
    return cleaned


def paragraphs_of_pages(page_texts: list[list[str]]) -> list[Paragraph]:
    """Join the lines of each page into paragraphs, dropping running headers and footers."""
    page_lines = _strip_running_lines(
        [[normalize_line(line) for line in lines if line.strip()] for lines in page_texts])
    lengths = sorted(len(line) for lines in page_lines for line in lines)
    full_line = lengths[int(len(lengths) * 0.9)] if lengths else 0
    return [
        Paragraph(text, page_no)
        for page_no, lines in enumerate(page_lines, start=1)
        for text in join_wrapped_lines(lines, full_line)
    ]


def ocr_or_skip(path: Path, read: Callable[[], dict[int, OcrPage]], whole_file: bool,
                what: str) -> dict[int, OcrPage]:
    """Run `read()` (an OCR call); when Tesseract is missing, fail only if the whole file needed it."""
    try:
        return read()
    except OcrUnavailable as exc:
        if whole_file:
            raise NeedsOCR(path, what, f"but {exc.what}") from exc
        log.warning("%s: pages without text left out: %s", path, exc)
        return {}


def _page_texts(path: Path, data: bytes, max_pages: int) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty user password and open for anyone.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise UnreadableDocument(path, f"encrypted PDF, cannot decrypt ({exc})") from exc
            if not opened:
                raise UnreadableDocument(path, "encrypted PDF: needs a password, skipped")
        # The page count the file states costs nothing to read; the pages are counted again
        # as they come, since a page tree can name far more pages than it states.
        if len(reader.pages) > max_pages:
            raise UnreadableDocument(path, _too_many_pages(len(reader.pages), max_pages))
        texts = []
        for page in reader.pages:
            if len(texts) == max_pages:
                raise UnreadableDocument(path, _too_many_pages(f"over {max_pages}", max_pages))
            texts.append(page.extract_text() or "")
        return texts
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError, IndexError, ZeroDivisionError) as exc:
        # pypdf reports truncated or corrupt files through a range of exception types.
        raise UnreadableDocument(path, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc


def _too_many_pages(count, limit: int) -> str:
    return (f"PDF of {count} pages, over the limit of {limit} (`vankien reindex --max-pages` "
            "raises it)")


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    pages = _page_texts(path, data, context.limits.max_pages)
    if not pages:
        raise UnreadableDocument(path, "PDF has no pages")
    ocr = context.ocr
    scanned = [n for n, text in enumerate(pages, start=1) if not text.strip()]
    if len(scanned) == len(pages) and (ocr is None or not ocr.enabled):
        raise NeedsOCR(path)
    wanted = list(range(1, len(pages) + 1)) if ocr and ocr.mode == "always" else scanned
    recognised: dict[int, OcrPage] = {}
    if wanted and ocr is not None and ocr.enabled:
        recognised = ocr_or_skip(path, lambda: ocr.read_pdf(path, data, wanted),
                                 len(scanned) == len(pages), "no text layer (scanned PDF?)")
    page_texts = [list(recognised[n].lines) if n in recognised else text.split("\n")
                  for n, text in enumerate(pages, start=1)]
    paragraphs = paragraphs_of_pages(page_texts)
    if not paragraphs and recognised:
        raise UnreadableDocument(path, "scanned PDF: OCR found no text")
    return ParsedDocument(tuple(paragraphs), "pdf", page_count=len(pages),
                          ocr_pages=tuple((n, p.confidence) for n, p in sorted(recognised.items())))
