"""Turn a file (TXT, MD, PDF, DOCX, HTML, a scanned image, or an old or open office file
that LibreOffice converts) into normalised paragraphs.

One module per format, each with `SUFFIXES` and `read(path, data, context)` returning a
`ParsedDocument`; `FORMATS` registers them. Anything that cannot be read raises
`UnreadableDocument` with the reason, so the caller can skip the file and go on. Scans (PDF
pages without a text layer, images) are read by OCR when the context carries an `OcrReader`.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import UnreadableDocument
from ..ocr import OcrReader
from . import docx, html, image, markdown, office, pdf, text
from .document import Paragraph, ParsedDocument, ReadContext, ReadLimits

__all__ = ["FORMATS", "SUPPORTED_SUFFIXES", "Paragraph", "ParsedDocument", "ReadContext",
           "ReadLimits", "parse_file"]

# A new format is one module with SUFFIXES and read(), added here.
FORMATS = (text, markdown, pdf, docx, html, image, office)
READERS = {suffix: module.read for module in FORMATS for suffix in module.SUFFIXES}
SUPPORTED_SUFFIXES = tuple(READERS)
# Formats whose readers decompress or walk untrusted structures: a reindex reads them in a
# worker process with a memory cap and a deadline (worker.py).
ISOLATED_SUFFIXES = tuple(s for module in FORMATS if module.ISOLATED for s in module.SUFFIXES)
_TEXT_SUFFIXES = text.SUFFIXES + markdown.SUFFIXES + html.SUFFIXES


def parse_file(path: str | Path, data: bytes | None = None, ocr: OcrReader | None = None,
               limits: ReadLimits = ReadLimits()) -> ParsedDocument:
    """Read one file into paragraphs; raise UnreadableDocument naming the file and the reason.

    `data` is the file's content when the caller has already read it. Without `ocr` (or with
    its mode 'never'), scans raise NeedsOCR. In this process: see worker.py for the bounded one.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise UnreadableDocument(path, f"unsupported file type '{suffix}'")
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableDocument(path, "empty file")
    if suffix in _TEXT_SUFFIXES and len(data) > limits.max_text_bytes:
        raise UnreadableDocument(
            path, f"text file of {len(data) / 2**20:.0f} MB is over the "
                  f"{limits.max_text_bytes // 2**20} MB limit (a log or data dump?): "
                  "split it to index it")
    parsed = READERS[suffix](path, data, ReadContext(ocr, limits))
    if not parsed.paragraphs:
        raise UnreadableDocument(path, "no text found")
    return parsed
