"""Tasks laid out as a table: Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian
hoàn thành | Sản phẩm, one task a row.

Table cells come from the reader as paragraphs with (table, row, column). Crawled pages often
hold the whole document in one layout table, so a task table's header row may share a row
with the text before it and its columns need not be numbered from 0: the header is the run of
cells that name the columns, and each later row's cells are matched to it in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..vietnamese import fold
from .agencies import split_agencies
from .clauses import read_assignment
from .statements import Task

_COLUMNS = {  # column → what its header says (folded); the first that matches names it
    "number": r"^(?:stt|tt|so tt|so thu tu|thu tu(?: cong viec| buoc)?|buoc)$",  # not "… công việc"
    "product": r"san pham|ket qua|hinh thuc",
    "cooperate": r"phoi hop",
    "deadline": r"thoi gian|thoi han|tien do|moc thoi gian",
    "lead": r"^(?:(?:co quan|don vi|co quan, don vi|to chuc|nguoi dung dau)"
            r"(?:\s*/\s*(?:nguoi|ca nhan|bo phan))?\s*)?"  # "Đơn vị/người thực hiện"
            r"(?:chu tri|thuc hien|chiu trach nhiem|tham muu)|"
            r"^trach nhiem(?: thuc hien)?$",  # a procedure's "Trình tự | Trách nhiệm" columns
    "task": r"noi dung|nhiem vu|cong viec|ten (?:nhiem vu|cong viec|de an|du an|chuong trinh|van ban|"
            r"thong tin|bao cao|chi tieu|san pham)|giai phap|hoat dong|^chi tieu$|^trinh tu",
}


@dataclass(frozen=True)
class Cell:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TableRow:
    task: Cell
    lead: Cell | None
    cooperate: Cell | None
    deadline: Cell | None
    product: Cell | None
    paragraphs: tuple[int, ...]  # the row's paragraphs, read as a table row and nothing else


def _column(header: str) -> str | None:
    folded = fold(header).strip(" .:*")
    for name, pattern in _COLUMNS.items():
        if re.search(pattern, folded):
            return name
    return None


def _rows(paragraphs, cells) -> dict[tuple[int, int], list[tuple[int, list[int]]]]:
    """Group paragraph indices by (table, row), then by column, in order."""
    rows: dict[tuple[int, int], dict[int, list[int]]] = {}
    for index, cell in enumerate(cells):
        if cell is not None:
            rows.setdefault(cell[:2], {}).setdefault(cell[2], []).append(index)
    return {key: sorted(columns.items()) for key, columns in rows.items()}


def _header(row: list[tuple[int, list[int]]], paragraphs) -> list[tuple[int, str]] | None:
    """Return (position, column name) for the cells of a row that heads a task table, or None.

    Column names are short ("Cơ quan chủ trì"); the header is the run of short cells from the
    first one that names a column to the end of the row.
    """
    texts = [" ".join(paragraphs[i][2] for i in indices) for _, indices in row]
    names = [_column(text) if len(text) < 60 else None for text in texts]
    first = next((p for p, name in enumerate(names) if name is not None), None)
    if first is None or any(len(text) >= 60 for text in texts[first:]):
        return None
    run = names[first:]
    if "task" not in run or "lead" not in run:
        return None
    return list(enumerate(run))


def task_rows(paragraphs, cells) -> tuple[list[TableRow], set[int]]:
    """Return the rows of every task table of a document (paragraphs: (start, end, text)),
    and every paragraph those tables hold, from the header on (not to be read as prose)."""
    found: list[TableRow] = []
    covered: set[int] = set()
    header: list[tuple[int, str]] | None = None
    table, opened, above = None, set(), None
    for (table_number, _), row in sorted(_rows(paragraphs, cells).items()):
        if table_number != table:
            covered |= opened if found and table is not None else set()
            table, header, opened = table_number, None, set()
        heading = _header(row, paragraphs)
        if heading:
            header, above = heading, None
            opened |= {i for _, indices in row[len(row) - len(heading):] for i in indices}
            continue
        if header is None:
            continue
        opened |= {i for _, indices in row for i in indices}
        for part in _run_together(row, header, paragraphs):
            values = _aligned(part, header, paragraphs)
            if values is None:
                continue
            task = _row(values, above, tuple(i for _, indices in part for i in indices))
            above = task if task is not None or "lead" in values else None
            if task is not None:
                found.append(task)
                covered |= opened
    return found, covered


def _is_number(text: str) -> bool:
    """Say whether a cell holds only a row's number (STT): "1", "II", "2.3", "a", "Bước 2"."""
    return re.fullmatch(r"(?:Bước\s+)?\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]+|[a-zđ])[.)]?",
                        text.strip(" *")) is not None


def _run_together(row, header, paragraphs) -> list:
    """Split a row that holds several: a crawled page whose table lost its rowspans runs the
    rows after it together, each still opening with its number."""
    if len(row) <= len(header) + 1:
        return [row]
    starts = [p for p, (_, indices) in enumerate(row)
              if _is_number(" ".join(paragraphs[i][2] for i in indices))] or [0]
    starts = ([0] if starts[0] else []) + starts
    return [row[a:b] for a, b in zip(starts, starts[1:] + [len(row)])]


def _aligned(row, header, paragraphs) -> dict[str, Cell] | None:
    """Match a row's cells to the header's columns.

    A row that opens with its number lines up with the header from the left, whatever cells it
    lacks at its end (the crawl drops the cells a rowspan covers); an unnumbered row under a
    numbered header is a sub-row that starts at the column after the number; a row with one
    cell more than the header has a leading cell the header row lacked.
    """
    text = [" ".join(paragraphs[i][2] for i in indices) for _, indices in row]
    numbered = header[0][1] == "number"
    if numbered and _is_number(text[0]):
        offset = 0
    elif len(row) == len(header) + 1:
        offset = -1
    elif numbered and len(row) < len(header):
        offset = 1
    elif len(row) == len(header):
        offset = 0
    else:
        return None
    values: dict[str, Cell] = {}
    for position, (_, indices) in enumerate(row):
        column = position + offset
        if not 0 <= column < len(header) or header[column][1] is None:
            continue
        start, end = paragraphs[indices[0]][0], paragraphs[indices[-1]][1]
        values[header[column][1]] = Cell(start, end, text[position])
    return values


def _row(values: dict[str, Cell], above: TableRow | None, held: tuple[int, ...]
         ) -> TableRow | None:
    """Read one task row; a cell it lacks is the one of the row above (a rowspan the crawl
    dropped), within a section of the table. A numbered row ("18") that lacks its lead cell
    too is one of a block the same unit answers for; a section's row ("II") is no task."""
    task = values.get("task")
    number = values.get("number")
    if "lead" not in values and above is not None and number is not None and \
            re.fullmatch(r"\d{1,3}", number.text.strip(" *.")):
        values = {**values, "lead": above.lead}
    if task is None or not values.get("lead") or len(task.text) < 8:
        return None
    inherited = {name: getattr(above, name) for name in ("cooperate", "deadline", "product")} \
        if above is not None else {}
    return TableRow(task, values["lead"], *(values.get(name) or inherited.get(name)
                                            for name in ("cooperate", "deadline", "product")),
                    held)


def row_task(row: TableRow) -> Task:
    """Make a row a task: its lead cell, or the body before the action a lead cell states."""
    lead = tuple(split_agencies(row.lead.text)) if row.lead else ()
    cooperate = tuple(split_agencies(row.cooperate.text)) if row.cooperate else ()
    stated = read_assignment(row.lead.text) if row.lead else None
    if stated is not None and fold(row.lead.text[stated.lead_span[1]:]).lstrip(" ,").startswith(
            "chu tri "):  # not "Ban quản lý dự án", "Đơn vị thực hiện": names with a verb in them
        # "Sở KH&CN chủ trì hướng dẫn, tổng hợp" in the lead column: the body before its action
        lead, cooperate = stated.lead, cooperate or stated.cooperate
    return Task(row.task.start, row.task.end, lead, cooperate, "table",
                 row.deadline.text if row.deadline else None,
                 row.product.text if row.product else None)


def priced_cells(texts, cells) -> set[int]:
    """The table cells a number follows in their row: "- Ủy viên, thư ký làm việc cách ly | 443
    | người/ngày" prices a role (an appendix of rates), it assigns nothing."""
    by_cell: dict[tuple[int, int, int], list[int]] = {}
    for index, cell in enumerate(cells):
        if cell is not None:
            by_cell.setdefault(cell, []).append(index)
    return {index for cell, indices in by_cell.items()
            if len(after := by_cell.get((cell[0], cell[1], cell[2] + 1), [])) == 1
            and re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?", texts[after[0]][2].strip(" *"))
            for index in indices}
