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


def _paragraph_lines(block: list[str]) -> list[list[str]]:
    """Split a block into paragraphs: table rules, headings and closed emphasis end one."""
    groups: list[list[str]] = [[]]
    for raw in block:
        if _TABLE_RULE.match(raw):
            groups.append([])
            continue
        line = raw.strip().strip("|").strip()
        if groups[-1] and _starts_paragraph(" ".join(groups[-1]), line):
            groups.append([])
        groups[-1].append(line)
        if _HEADING.match(line):
            groups.append([])
    return [g for g in groups if g]


def clean_markup(line: str) -> str:
    """Remove heading marks, links, emphasis and escapes from one line of markdown."""
    line = _HEADING.sub("", line)
    line = _LINK.sub(r"\1", line)
    # "**NGHỊ ĐỊNH**Quy định": the markers were the only thing between two words.
    line = _GLUED_EMPHASIS.sub(" ", line)
    return _EMPHASIS.sub("", line).replace("\\", "")


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    paragraphs: list[str] = []
    for block in blocks(decoded(path, data)):
        for group in _paragraph_lines(block):
            # Markdown joins soft line breaks with a space; cells of a table row are separate.
            for cell in " ".join(group).split(" | "):
                text = normalize_line(clean_markup(cell))
                if text and not _TABLE_RULE.match(text):
                    paragraphs.append(text)
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs), "md")
