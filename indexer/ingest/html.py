"""HTML pages: the text of block elements, without scripts or styles."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..normalize import normalize_line
from .document import Paragraph, ParsedDocument, ReadContext
from .text import decoded

ISOLATED = False
SUFFIXES = (".html", ".htm")

_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
               "section", "article", "header", "footer", "blockquote", "pre", "table", "ul", "ol",
               "title"}
_HIDDEN_TAGS = ("script", "style", "noscript", "template")


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data.replace("\n", " "))


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4000], re.IGNORECASE)
    text = None
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decoded(path, data)
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    lines = "".join(extractor.parts).split("\n")
    paragraphs = [line for line in map(normalize_line, lines) if line]
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs), "html")
