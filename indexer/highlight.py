"""Find where a query's words occur in a passage: what is marked is what relevance counts.

A query typed without diacritics is matched folded: "chuyen doi so" highlights "chuyển đổi
số". A query typed with diacritics is matched tone-aware, as `relevance` and
`answer.candidates` match it: "phở bò" highlights "phở bò", never "phố bổ". Case is ignored
and the spans point into the original text. Which words match is `relevance.QueryTerms`.
"""
from __future__ import annotations

from .relevance import QueryTerms


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of `text` that match the query."""
    spans: list[list[int]] = []
    for _, start, end in QueryTerms.of(query).matches(text):
        # Adjacent matches ("chuyển đổi số") become one span, the gap being one space.
        if spans and text[spans[-1][1]:start].strip() == "":
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]
