"""Word documents (.docx): body paragraphs and table cells in reading order.

A .docx is a zip of XML parts: its declared sizes are checked before anything is inflated
(a zip bomb is refused, not unpacked), and entities are never resolved (python-docx's
parser), so a DOCTYPE cannot pull in text or expand into gigabytes.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import UnreadableDocument
from ..normalize import normalize_line
from .document import Paragraph, ParsedDocument, ReadContext

ISOLATED = True
SUFFIXES = (".docx",)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_unzipped_size(path: Path, data: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(path, f"not a valid DOCX file ({type(exc).__name__}: {exc})") \
            from exc
    if total > limit:
        raise UnreadableDocument(path, f"DOCX expands to {total / 2**20:,.0f} MB, over the "
                                       f"{limit / 2**20:,.0f} MB limit (a zip bomb?)")


def _run_text(node) -> str:
    """Return a w:t element's text. An unresolved entity or a comment inside it is a child
    node: its own text is left out, the text after it (its tail) kept."""
    return (node.text or "") + "".join(child.tail or "" for child in node)


def _text(element) -> str:
    return "".join(_run_text(node) for node in element.iter(f"{_W}t"))


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    _check_unzipped_size(path, data, context.limits.max_unzipped_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as exc:
        raise UnreadableDocument(path, f"not a valid DOCX file ({type(exc).__name__}: {exc})") from exc
    texts: list[tuple[str, tuple[int, int, int] | None]] = []
    tables = 0  # tables numbered from 1 in reading order
    for child in document.element.body.iterchildren(f"{_W}p", f"{_W}tbl"):
        if child.tag == f"{_W}p":
            texts.append((_text(child), None))
            continue
        nested = list(child.iter(f"{_W}tbl"))  # this table, then any inside its cells
        for cell in child.iter(f"{_W}tc"):
            row = cell.getparent()
            table = row.getparent()
            where = (tables + 1 + next((i for i, t in enumerate(nested) if t == table), 0),
                     list(table.iterchildren(f"{_W}tr")).index(row),
                     list(row.iterchildren(f"{_W}tc")).index(cell))
            texts.append((" ".join(_run_text(node) for node in cell.iter(f"{_W}t")), where))
        tables += len(nested)
    paragraphs = [(normalize_line(text), cell) for text, cell in texts]
    return ParsedDocument(tuple(Paragraph(text, cell=cell) for text, cell in paragraphs if text),
                          "docx")
