"""Markdown, as crawled from government portals: tables in the header, lost blank lines."""
from __future__ import annotations

import re
from pathlib import Path

from ..normalize import normalize_line
from ..vietnamese import LIST_START
from .document import Paragraph, ParsedDocument, ReadContext
from .text import blocks, decoded

ISOLATED = False
SUFFIXES = (".md", ".markdown")

_TABLE_RULE = re.compile(r"^[\s|:\-=+_*]*$")
_PIPE_ROW = re.compile(r"^\s*\|(.*\|.*)\|\s*$")  # "| 1 | Số hóa hồ sơ | Sở Nội vụ |"
_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_(?=\S)|(?<=\S)_(?!\w))")
_HEADING = re.compile(r"^#{1,6}\s*")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_GLUED_EMPHASIS = re.compile(r"(?<=[^\W_])(\*\*|\*)(?=[^\W_])")


def _emphasis_closed(text: str) -> bool:
    """Say whether every bold and italic marker opened in `text` is closed again."""
    bold = text.count("**")
    return bold % 2 == 0 and text.replace("**", "").count("*") % 2 == 0


def _starts_paragraph(previous: str, line: str) -> bool:
    """Say whether `line` starts a paragraph although no blank line precedes it.

    Crawled documents often lose their blank lines; a closed bold or italic run, or a list
    item after a finished sentence, still marks a paragraph boundary.
    """
    if _HEADING.match(line):
        return True
    if not _emphasis_closed(previous):
        return False
    if line.startswith("*") or previous.endswith("*"):
        return True
    return bool(LIST_START.match(line)) and bool(re.search(r"[.;:!?]$", previous))


class _TableCells:
    """Follows the tables of crawled markdown, whose cells stand between lines holding only
    "|": an empty cell (two such lines in a row) ends a row. A blank line ends the table."""

    def __init__(self):
        self.tables = 0
        self.cell: tuple[int, int, int] | None = None  # (table, row, column) being read
        self._filled = False

    def bar(self) -> None:
        if self.cell is None:
            self.tables += 1
            self.cell, self._filled = (self.tables, 0, 0), False
            return
        table, row, column = self.cell
        self.cell = (table, row, column + 1) if self._filled else (table, row + 1, 0)
        self._filled = False

    def content(self) -> tuple[int, int, int] | None:
        self._filled = True
        return self.cell

    def end(self) -> None:
        self.cell = None


def _paragraph_lines(block: list[str], cells: _TableCells
                     ) -> list[tuple[list[str], tuple[int, int, int] | None]]:
    """Split a block into paragraphs, each with its table cell if it is in one: table rules,
    headings and closed emphasis end a paragraph."""
    groups: list[tuple[list[str], tuple[int, int, int] | None]] = [([], None)]
    pipe_table: tuple[int, int] | None = None  # (table, next row) of a "| a | b |" table
    for raw in block:
        row = _PIPE_ROW.match(raw)
        if row and not _TABLE_RULE.match(raw):
            # A table as markdown writes it, one row a line: each cell a paragraph of its own.
            if pipe_table is None:
                cells.tables += 1
                pipe_table = (cells.tables, 0)
            table, number = pipe_table
            for column, cell in enumerate(row.group(1).split("|")):
                if cell.strip():
                    groups.append(([cell.strip()], (table, number, column)))
            groups.append(([], None))
            pipe_table = (table, number + 1)
            continue
        if pipe_table is not None and _TABLE_RULE.match(raw) and "-" in raw:
            continue  # the rule under a pipe table's header row
        pipe_table = None
        if _TABLE_RULE.match(raw):
            if "|" in raw:
                cells.bar()
            groups.append(([], None))
            continue
        line = raw.strip().strip("|").strip()
        if groups[-1][0] and _starts_paragraph(" ".join(groups[-1][0]), line):
            groups.append(([], None))
        if not groups[-1][0]:
            groups[-1] = ([], cells.content() if cells.cell else None)
        else:
            cells.content()
        groups[-1][0].append(line)
        if _HEADING.match(line):
            groups.append(([], None))
    cells.end()
    return [g for g in groups if g[0]]


def clean_markup(line: str) -> str:
    """Remove heading marks, links, emphasis and escapes from one line of markdown."""
    line = _HEADING.sub("", line)
    line = _LINK.sub(r"\1", line)
    # "**NGHỊ ĐỊNH**Quy định": the markers were the only thing between two words.
    line = _GLUED_EMPHASIS.sub(" ", line)
    return _EMPHASIS.sub("", line).replace("\\", "")


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    paragraphs: list[Paragraph] = []
    cells = _TableCells()
    for block in blocks(decoded(path, data)):
        for group, cell in _paragraph_lines(block, cells):
            # Markdown joins soft line breaks with a space; cells of a table row are separate.
            for part in " ".join(group).split(" | "):
                text = normalize_line(clean_markup(part))
                if text and not _TABLE_RULE.match(text):
                    paragraphs.append(Paragraph(text, cell=cell))
    return ParsedDocument(tuple(paragraphs), "md")
