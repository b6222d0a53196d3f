"""Find where a query's words occur in a passage, ignoring diacritics and case.

"chuyen doi so" highlights "chuyển đổi số": words are compared folded (no diacritics,
đ→d), while the spans point into the original, unfolded text.
"""
from __future__ import annotations

import re

from .normalize import fold

_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")

# Function words that would light up every line if highlighted on their own.
STOPWORDS = frozenset(fold(w) for w in """
    và của các cho với là được có trong theo về tại từ những một này đó để khi thì mà
    hoặc như nhưng đã sẽ đang bị do nên vì trên dưới ra vào lại cũng rất không gì nào
    ai bao nhiêu sao thế là gì
""".split())


def query_terms(query: str) -> set[str]:
    """Return the folded words of a query worth highlighting."""
    return {w for w in (fold(m.group()) for m in _WORD.finditer(query))
            if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of `text` whose words match the query's words."""
    terms = query_terms(query)
    spans: list[list[int]] = []
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if word in terms or any(part in terms for part in re.split(r"[-/]", word) if part):
            start, end = match.span()
            # Adjacent matches ("chuyển đổi số") become one span, the gap being one space.
            if spans and text[spans[-1][1]:start].strip() == "":
                spans[-1][1] = end
            else:
                spans.append([start, end])
    return [(a, b) for a, b in spans]
