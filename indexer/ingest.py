"""Turn a file (TXT, MD, PDF, DOCX, HTML, or a scanned image) into normalised paragraphs.

Every reader returns `ParsedDocument`; anything that cannot be read raises
`UnreadableDocument` with the reason, so the caller can skip the file and go on. Scans (PDF
pages without a text layer, images) are read by OCR when the caller passes an `OcrReader`.
"""
from __future__ import annotations

import codecs
import logging
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from .errors import NeedsOCR, OcrUnavailable, UnreadableDocument
from .normalize import LIST_START, fold, join_wrapped_lines, normalize_line
from .ocr import OcrPage, OcrReader

log = logging.getLogger(__name__)

IMAGE_FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".tif": "tif", ".tiff": "tif"}
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
# Far beyond any official document (the largest in ../shared is under 1 MB); a bigger text file
# would take hours to embed on two cores and is almost always a log or an export.
MAX_TEXT_BYTES = 20 * 2**20
SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm",
                      *IMAGE_FORMATS)


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


def parse_file(path: str | Path, data: bytes | None = None,
               ocr: OcrReader | None = None) -> ParsedDocument:
    """Read one file into paragraphs; raise UnreadableDocument naming the file and the reason.

    `data` is the file's content when the caller has already read it. Without `ocr` (or with
    its mode 'never'), scans raise NeedsOCR.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {
        ".txt": _read_txt, ".md": _read_markdown, ".markdown": _read_markdown,
        ".pdf": lambda p, d: _read_pdf(p, d, ocr), ".docx": _read_docx,
        ".html": _read_html, ".htm": _read_html,
        **{image: lambda p, d: _read_image(p, d, ocr) for image in IMAGE_FORMATS},
    }
    if suffix not in readers:
        raise UnreadableDocument(path, f"unsupported file type '{suffix}'")
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableDocument(path, "empty file")
    if suffix in TEXT_SUFFIXES and len(data) > MAX_TEXT_BYTES:
        raise UnreadableDocument(
            path, f"text file of {len(data) / 2**20:.0f} MB is over the "
                  f"{MAX_TEXT_BYTES // 2**20} MB limit (a log or data dump?): split it to index it")
    parsed = readers[suffix](path, data)
    if not parsed.paragraphs:
        raise UnreadableDocument(path, "no text found")
    return parsed


# --- text encodings ---------------------------------------------------------------------

_VIETNAMESE_LETTERS = set(
    "ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)


def _vietnamese_score(text: str) -> float:
    import unicodedata

    folded = unicodedata.normalize("NFC", text).lower()
    hits = sum(ch in _VIETNAMESE_LETTERS for ch in folded)
    junk = sum(ch in "ÃÂÐÞ¤¦¨´¸¼½¾ðþ" or 0x80 <= ord(ch) < 0xA0 for ch in text)
    return hits - 5 * junk


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes whose encoding is unknown: BOMs, UTF-8, UTF-16, Windows-1258 or -1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    sample = data[:4000]
    # UTF-16 without a BOM: every other byte of ASCII-range text is zero.
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        zeros_at_odd = sample[1::2].count(0) > sample[0::2].count(0)
        return data.decode("utf-16-le" if zeros_at_odd else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in sample:
        raise UnreadableDocument(path, "binary data, not text")
    # Windows-1258 and -1252 share most bytes; keep the reading with more Vietnamese letters.
    candidates = [data.decode(enc, errors="replace") for enc in ("cp1258", "cp1252")]
    return max(candidates, key=_vietnamese_score)


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    bad = sum(ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f") for ch in sample)
    return bad > max(8, len(sample) // 50)


def _decoded(path: Path, data: bytes) -> str:
    text = decode_text(data, path)
    if _looks_binary(text):
        raise UnreadableDocument(path, "binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blocks(text: str) -> list[list[str]]:
    return [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


# --- plain text and markdown ----------------------------------------------------------------

def _is_hard_wrapped(blocks: list[list[str]]) -> bool:
    """Say whether a text file wraps paragraphs over several lines (else one line each)."""
    lengths = [len(line) for block in blocks if len(block) > 1 for line in block[:-1]]
    if len(lengths) < 3:
        return False
    lengths.sort()
    return 40 <= lengths[len(lengths) // 2] <= 100


def _read_txt(path: Path, data: bytes) -> ParsedDocument:
    blocks = _blocks(_decoded(path, data))
    wrapped = _is_hard_wrapped(blocks)
    paragraphs: list[str] = []
    for block in blocks:
        if wrapped:
            paragraphs += join_wrapped_lines(block)
        else:
            paragraphs += [line for line in map(normalize_line, block) if line]
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs), "txt")


_TABLE_RULE = re.compile(r"^[\s|:\-=+_*]*$")
_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_(?=\S)|(?<=\S)_(?!\w))")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _emphasis_closed(text: str) -> bool:
    """Say whether every bold and italic marker opened in `text` is closed again."""
    bold = text.count("**")
    return bold % 2 == 0 and text.replace("**", "").count("*") % 2 == 0


def _starts_markdown_paragraph(previous: str, line: str) -> bool:
    """Say whether `line` starts a paragraph although no blank line precedes it.

    Crawled documents often lose their blank lines; a closed bold or italic run, or a list
    item after a finished sentence, still marks a paragraph boundary.
    """
    if _MD_HEADING.match(line):
        return True
    if not _emphasis_closed(previous):
        return False
    if line.startswith("*") or previous.endswith("*"):
        return True
    return bool(LIST_START.match(line)) and bool(re.search(r"[.;:!?]$", previous))


def _markdown_lines(block: list[str]) -> list[list[str]]:
    """Split a markdown block into paragraphs: table rules, headings and emphasis closes end one."""
    groups: list[list[str]] = [[]]
    for raw in block:
        if _TABLE_RULE.match(raw):
            groups.append([])
            continue
        line = raw.strip().strip("|").strip()
        if groups[-1] and _starts_markdown_paragraph(" ".join(groups[-1]), line):
            groups.append([])
        groups[-1].append(line)
        if _MD_HEADING.match(line):
            groups.append([])
    return [g for g in groups if g]


_GLUED_EMPHASIS = re.compile(r"(?<=[^\W_])(\*\*|\*)(?=[^\W_])")


def _clean_markdown(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    # "**NGHỊ ĐỊNH**Quy định": the markers were the only thing between two words.
    line = _GLUED_EMPHASIS.sub(" ", line)
    return _EMPHASIS.sub("", line).replace("\\", "")


def _read_markdown(path: Path, data: bytes) -> ParsedDocument:
    paragraphs: list[str] = []
    for block in _blocks(_decoded(path, data)):
        for group in _markdown_lines(block):
            # Markdown joins soft line breaks with a space; cells of a table row are separate.
            for cell in " ".join(group).split(" | "):
                text = normalize_line(_clean_markdown(cell))
                if text and not _TABLE_RULE.match(text):
                    paragraphs.append(text)
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs), "md")


# --- PDF ------------------------------------------------------------------------------------

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


def _paragraphs_of_pages(page_texts: list[list[str]]) -> list[Paragraph]:
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


def _ocr_pages(path: Path, read: Callable[[], dict[int, OcrPage]], whole_file: bool,
               what: str) -> dict[int, OcrPage]:
    """Run `read()` (an OCR call); when Tesseract is missing, fail only if the whole file needed it."""
    try:
        return read()
    except OcrUnavailable as exc:
        if whole_file:
            raise NeedsOCR(path, what, f"but {exc.what}") from exc
        log.warning("%s: pages without text left out: %s", path, exc)
        return {}


def _read_pdf(path: Path, data: bytes, ocr: OcrReader | None = None) -> ParsedDocument:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

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
        pages = [(page.extract_text() or "") for page in reader.pages]
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError, IndexError, ZeroDivisionError) as exc:
        # pypdf reports truncated or corrupt files through a range of exception types.
        raise UnreadableDocument(path, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise UnreadableDocument(path, "PDF has no pages")
    scanned = [n for n, text in enumerate(pages, start=1) if not text.strip()]
    if len(scanned) == len(pages) and (ocr is None or not ocr.enabled):
        raise NeedsOCR(path)
    wanted = list(range(1, len(pages) + 1)) if ocr and ocr.mode == "always" else scanned
    recognised: dict[int, OcrPage] = {}
    if wanted and ocr is not None and ocr.enabled:
        recognised = _ocr_pages(path, lambda: ocr.read_pdf(path, data, wanted),
                                len(scanned) == len(pages), "no text layer (scanned PDF?)")
    page_texts = [list(recognised[n].lines) if n in recognised else text.split("\n")
                  for n, text in enumerate(pages, start=1)]
    paragraphs = _paragraphs_of_pages(page_texts)
    if not paragraphs and recognised:
        raise UnreadableDocument(path, "scanned PDF: OCR found no text")
    return ParsedDocument(tuple(paragraphs), "pdf", page_count=len(pages),
                          ocr_pages=tuple((n, p.confidence) for n, p in sorted(recognised.items())))


# --- images (scans) --------------------------------------------------------------------------

def _read_image(path: Path, data: bytes, ocr: OcrReader | None) -> ParsedDocument:
    if ocr is None or not ocr.enabled:
        raise NeedsOCR(path, "image")
    pages = _ocr_pages(path, lambda: ocr.read_image(path, data), True, "image")
    paragraphs = _paragraphs_of_pages([list(page.lines) for page in pages.values()])
    if not paragraphs:
        raise UnreadableDocument(path, "image: OCR found no text")
    return ParsedDocument(tuple(paragraphs), IMAGE_FORMATS[path.suffix.lower()],
                          page_count=len(pages),
                          ocr_pages=tuple((n, p.confidence) for n, p in pages.items()))


# --- DOCX -----------------------------------------------------------------------------------

def _read_docx(path: Path, data: bytes) -> ParsedDocument:
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(path, f"not a valid DOCX file ({type(exc).__name__}: {exc})") from exc
    texts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tc"):
                    texts.append(" ".join(
                        node.text or "" for node in row.iter() if node.tag.endswith("}t")))
    paragraphs = [normalize_line(t) for t in texts]
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs if p), "docx")


# --- HTML -----------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "header", "footer", "blockquote", "pre", "table", "ul", "ol",
               "title"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def _read_html(path: Path, data: bytes) -> ParsedDocument:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4000], re.IGNORECASE)
    text = None
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = _decoded(path, data)
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    lines = "".join(extractor.parts).split("\n")
    paragraphs = [line for line in map(normalize_line, lines) if line]
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs), "html")
