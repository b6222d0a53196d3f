"""Tables for a spreadsheet: CSV (UTF-8 with a BOM, so Excel reads the diacritics) and XLSX."""
from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Sequence

Column = tuple[str, str]  # (key in each row, header shown)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


_FORMULA = re.compile(r"^(?:[=+@\t\r]|-[^\s\d])")


def inert(text: str) -> str:
    """Return a cell's text such that a spreadsheet cannot run it as a formula: text that
    opens like one ("=HYPERLINK(…)", "+cmd", "@SUM", "-x") gets a leading apostrophe (OWASP's
    advice against CSV injection). A document's text or a typed user name may be anything."""
    return "'" + text if _FORMULA.match(text) else text


def to_csv(rows: Iterable[dict], columns: Sequence[Column]) -> bytes:
    """Return the rows as CSV bytes, one column per (key, header)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for _, header in columns])
    for row in rows:
        writer.writerow([inert(_cell(row.get(key))) for key, _ in columns])
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


def to_xlsx(rows: Iterable[dict], columns: Sequence[Column], title: str = "Vankien") -> bytes:
    """Return the rows as an XLSX workbook of one sheet, headers in bold, columns sized."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([header for _, header in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for _, header in columns]
    for row in rows:
        values = [_cell(row.get(key)) for key, _ in columns]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula, whatever it opens with
        widths = [max(w, min(60, len(v))) for w, v in zip(widths, values)]
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, number).column_letter].width = width + 2
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TASK_COLUMNS: list[Column] = [
    ("task", "Nhiệm vụ"), ("lead", "Cơ quan chủ trì"), ("cooperate", "Cơ quan phối hợp"),
    ("deadline", "Thời hạn"), ("deadline_iso", "Hạn (ngày)"), ("product", "Sản phẩm"),
    ("doc_type", "Loại văn bản"), ("doc_number", "Số hiệu"), ("issued_date", "Ngày ban hành"),
    ("issuer", "Cơ quan ban hành"), ("title", "Văn bản"), ("rel_path", "Tệp"),
    ("paragraph", "Đoạn"),
]


# The audit log as a spreadsheet: one row per entry (AuditEntry.as_dict with detail flattened).
AUDIT_COLUMNS = [("at", "Thời điểm (UTC)"), ("user", "Người dùng"), ("address", "Địa chỉ"),
                 ("action", "Hành động"), ("detail", "Chi tiết")]


def audit_rows(entries) -> list[dict]:
    """Rows of AUDIT_COLUMNS for audit entries; the detail as compact JSON."""
    import json

    return [{**entry.as_dict(), "detail": json.dumps(entry.detail, ensure_ascii=False)}
            for entry in entries]
