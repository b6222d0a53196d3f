"""Find where a query's words occur in a passage, ignoring diacritics and case.

"chuyen doi so" highlights "chuyển đổi số": words are compared folded (no diacritics,
đ→d), while the spans point into the original, unfolded text.
"""
from __future__ import annotations

import re

from .vietnamese import STOPWORDS, fold

_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")

def _folded_words(text: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _stands_alone(word: str) -> bool:
    """A number, code or abbreviation ("57", "597/kh-ubnd", "ubnd") is meaningful alone."""
    return any(ch.isdigit() for ch in word) or "/" in word or "-" in word or len(word) >= 4 \
        and not any(ch in "aeiouy" for ch in word)


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of `text` that match the query, ignoring diacritics.

    Vietnamese words are mostly two syllables or more, so a syllable is highlighted when it
    continues a pair of syllables that stands in the query ("chuyển đổi", "đổi số"), when
    the query has a single content word, or when it is a number or abbreviation; otherwise
    "vụ" in "nhiệm vụ" would light up every "Ban Thường vụ".
    """
    query_words = [w for w, _, _ in _folded_words(query)]
    content = [w for w in query_words if w not in STOPWORDS]
    pairs = set(zip(query_words, query_words[1:]))
    single = len(set(content)) == 1
    words = _folded_words(text)
    chosen = [False] * len(words)
    for i, (word, _, _) in enumerate(words):
        if word in content and (single or _stands_alone(word)):
            chosen[i] = True
        if i + 1 < len(words) and (word, words[i + 1][0]) in pairs:
            chosen[i] = chosen[i + 1] = True
    spans: list[list[int]] = []
    for (word, start, end), keep in zip(words, chosen):
        if not keep:
            continue
        # Adjacent matches ("chuyển đổi số") become one span, the gap being one space.
        if spans and text[spans[-1][1]:start].strip() == "":
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]
