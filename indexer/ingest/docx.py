"""Word documents (.docx): body paragraphs and table cells in reading order."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import UnreadableDocument
from ..normalize import normalize_line
from .document import Paragraph, ParsedDocument, ReadContext

SUFFIXES = (".docx",)


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(path, f"not a valid DOCX file ({type(exc).__name__}: {exc})") from exc
    texts: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for cell in child.iter():
                if cell.tag.endswith("}tc"):
                    texts.append(" ".join(
                        node.text or "" for node in cell.iter() if node.tag.endswith("}t")))
    paragraphs = [normalize_line(t) for t in texts]
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs if p), "docx")
