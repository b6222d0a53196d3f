"""Office formats beyond DOCX: Word 97–2003, RTF, OpenDocument text, Excel 97–2003 and
OpenDocument sheets, converted by LibreOffice (soffice.py) and read as DOCX or XLSX; and XLSX,
read as it is.

Provincial archives hold many .doc files. Texts are read by the DOCX reader; every non-empty
spreadsheet cell becomes a paragraph with its (sheet, row, column), as DOCX table cells do, so
task tables kept in spreadsheets are read as tables. Without LibreOffice these files are
skipped with the command that installs it.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from ..errors import UnreadableDocument
from ..normalize import normalize_line
from . import docx
from .document import Paragraph, ParsedDocument, ReadContext, ReadLimits
from .soffice import convert

ISOLATED = True  # the converted file is unzipped and parsed: read in the bounded worker
# suffix: (format name, what it is called in a reason, what LibreOffice converts it to)
KINDS = {
    ".doc": ("doc", "Word 97–2003 (.doc)", "docx"),
    ".rtf": ("rtf", "RTF", "docx"),
    ".odt": ("odt", "OpenDocument text (.odt)", "docx"),
    ".xls": ("xls", "Excel 97–2003 (.xls)", "xlsx"),
    ".ods": ("ods", "OpenDocument sheet (.ods)", "xlsx"),
    ".xlsx": ("xlsx", "Excel (.xlsx)", None),  # read as it is, no conversion
}
SUFFIXES = tuple(KINDS)

_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the header of every Office 97–2003 file
# Those bytes read as Latin-1 text: what LibreOffice yields when it falls back to importing a
# damaged binary file as plain text (it does so for .xls).
_OLE2_AS_TEXT = "ÐÏ"
# Names spreadsheet programs give sheets by themselves: not worth a paragraph.
_DEFAULT_SHEET = re.compile(r"(?i)^(sheet|feuil|tabelle|trang tính|bảng tính)\s*\d*$")


def _cache_dir(context: ReadContext) -> Path | None:
    """Return where converted files are cached: beside OCR's cache, in the index's cache folder.

    ReadContext carries no cache folder of its own; the OCR reader's is the index's.
    """
    ocr = context.ocr
    if ocr is None or ocr.cache_dir is None:
        return None
    return Path(ocr.cache_dir).parent / "office"


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    name, kind, target = KINDS[path.suffix.lower()]
    if target is None:
        return read_workbook(path, data, context.limits)
    converted = convert(path, data, kind, target, cache_dir=_cache_dir(context),
                        timeout=context.limits.seconds)
    if target == "docx":
        parsed = docx.read(path, converted, context)
    else:
        parsed = read_workbook(path, converted, context.limits)
    first = [p.text for p in parsed.paragraphs[:2]]  # a sheet's title, then its first cell
    if data.startswith(_OLE2) and any(text.startswith(_OLE2_AS_TEXT) for text in first):
        raise UnreadableDocument(path, f"a damaged {kind}: LibreOffice could only read its "
                                       "bytes as text; open it in LibreOffice or Office and "
                                       f"save it as .{target}, then reindex")
    return replace(parsed, format=name)


def _cell_text(value) -> str:
    """Return a cell's value as a document would write it (dates as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        day = f"{value.day:02d}/{value.month:02d}/{value.year}"
        return day if value.time() == time() else f"{day} {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # row numbers (STT) are stored as 1.0
    return str(value)


def _check_unzipped_size(path: Path, data: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(path, "not a valid spreadsheet "
                                       f"({type(exc).__name__}: {exc})") from exc
    if total > limit:
        raise UnreadableDocument(path, f"spreadsheet expands to {total / 2**20:,.0f} MB, over "
                                       f"the {limit / 2**20:,.0f} MB limit")


def read_workbook(path: Path, data: bytes, limits: ReadLimits = ReadLimits()) -> ParsedDocument:
    """Read an .xlsx: each sheet a table, each non-empty cell a paragraph with (sheet, row,
    column), sheets numbered from 1, rows and columns from 0 as the sheet has them."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unzipped_size(path, data, limits.max_unzipped_bytes)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocument(path, "not a valid spreadsheet "
                                       f"({type(exc).__name__}: {exc})") from exc
    paragraphs: list[Paragraph] = []
    size = 0
    try:
        for number, sheet in enumerate(book.worksheets, start=1):
            title = normalize_line(sheet.title or "")
            if title and not _DEFAULT_SHEET.match(title):
                paragraphs.append(Paragraph(title))
            for row, values in enumerate(sheet.iter_rows(values_only=True)):
                for column, value in enumerate(values):
                    text = normalize_line(_cell_text(value))
                    if not text:
                        continue
                    size += len(text)
                    if size > limits.max_text_bytes:
                        raise UnreadableDocument(
                            path, f"spreadsheet holds over {limits.max_text_bytes // 2**20} MB "
                                  "of text (a data export?): split it to index it")
                    paragraphs.append(Paragraph(text, cell=(number, row, column)))
    finally:
        book.close()
    return ParsedDocument(tuple(paragraphs), "xlsx")
