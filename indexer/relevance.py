"""How much of a query a passage holds: one relevance scale, 0–1, for the web and the CLI.

The fused search score only orders: its two sides are min-max scaled per query, so the best
passage of an off-topic query scores as high as the best of a good one, and raw BM25 grows
with the query's length. Relevance is the share of the query's content words that the
passage holds the way the highlighter marks them, each weighed by its IDF over the index: a
word counts where it stands beside its neighbour of the query ("chuyển đổi" and "đổi số" of
"chuyển đổi số", not a stray "số"), or alone when it is a number, a code or the query's only
content word. So what is highlighted is what is counted, and "công thức nấu phở bò" against a
passage holding only "công thức" scores a few percent. A query typed with diacritics is
matched tone-aware ("phở bò" is not "phố bổ"); one typed without is matched folded, as
`answer.candidates` decides it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .normalize import normalize_line
from .store import SearchBackend
from .vietnamese import STOPWORDS, fold, syllables

# Chosen by measurement on a 42-document index of corpus/vanban (41 documents and the seed,
# 1,653 chunks), over the 200-passage pools of 20 on-topic queries (typed with and without
# diacritics) and 12 off-topic ones (recipes, football, gold prices, weather, films…). Every
# passage holding an on-topic query's phrase scored 1.0. Of the 2,400 off-topic passages none
# reached 0.5: the best was 0.44 ("chăm sóc" of "cách chăm sóc mèo con"), the median best
# 0.06, since their common words ("công", "ngày", "Hà Nội") carry little weight. Passages
# holding one word pair of a three-pair query score about 0.43 and are left out; two of three,
# or a good query's main phrase without its lesser words ("chuyển đổi số" for "nhiệm vụ
# chuyển đổi số", 0.67), about 0.57 and more, and are counted.
RELEVANCE_FLOOR = 0.5

_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")  # a syllable, or a code such as 597/KH-UBND


def has_diacritics(text: str) -> bool:
    """Say whether a query was typed with diacritics: then it is matched tone-aware."""
    return fold(text) != text.lower()


def _stands_alone(word: str) -> bool:
    """A number, code or abbreviation ("57", "597/kh-ubnd", "ubnd") is meaningful alone."""
    word = fold(word)
    return any(ch.isdigit() for ch in word) or "/" in word or "-" in word or len(word) >= 4 \
        and not any(ch in "aeiouy" for ch in word)


@dataclass(frozen=True)
class QueryTerms:
    """A query's words as they are compared: lower-cased, folded unless typed with diacritics."""

    exact: bool
    words: tuple[str, ...]
    content: frozenset[str] = field(init=False)
    pairs: frozenset[tuple[str, str]] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "content", frozenset(
            w for w in self.words if fold(w) not in STOPWORDS))
        object.__setattr__(self, "pairs", frozenset(zip(self.words, self.words[1:])))

    @classmethod
    def of(cls, query: str) -> "QueryTerms":
        query = normalize_line(query)  # one tone-mark convention, as the stored text has
        exact = has_diacritics(query)
        return cls(exact, tuple(_key(m.group(), exact) for m in _WORD.finditer(query)))

    def matches(self, text: str) -> list[tuple[str, int, int]]:
        """Return the (query word, start, end) occurrences in `text` that match the query.

        Vietnamese words are mostly two syllables or more, so a syllable matches where it
        continues a pair of syllables that stands in the query ("chuyển đổi", "đổi số"), where
        the query has a single content word, or where it is a number or abbreviation;
        otherwise "vụ" in "nhiệm vụ" would match every "Ban Thường vụ".
        """
        words = [(self._query_word(_key(m.group(), self.exact)), m.start(), m.end())
                 for m in _WORD.finditer(text)]
        single = len(self.content) == 1
        chosen = [False] * len(words)
        for i, (word, _, _) in enumerate(words):
            if word in self.content and (single or _stands_alone(word)):
                chosen[i] = True
            if i + 1 < len(words) and (word, words[i + 1][0]) in self.pairs:
                chosen[i] = chosen[i + 1] = True
        return [word for word, keep in zip(words, chosen) if keep]

    def _query_word(self, word: str) -> str:
        """A code in the text ("57/2025/NQ-HĐND") is the query's number ("nghị quyết 57")
        when it starts with it."""
        if word not in self.content and ("/" in word or "-" in word):
            head = re.split(r"[-/]", word, maxsplit=1)[0]
            if head.isdigit() and head in self.content:
                return head
        return word


def _key(word: str, exact: bool) -> str:
    return word.lower() if exact else fold(word)


@dataclass(frozen=True)
class QueryWords:
    """The query's terms with the IDF weight of each content word."""

    terms: QueryTerms
    weights: dict[str, float]

    def relevance(self, text: str) -> float:
        """Return the weighted share of the query's content words that `text` holds."""
        total = sum(self.weights.values())
        if total <= 0:
            return 0.0
        found = {word for word, _, _ in self.terms.matches(text)}
        return sum(w for word, w in self.weights.items() if word in found) / total


def query_words(backend: SearchBackend, query: str) -> QueryWords:
    """Weigh a query's content words by IDF over the index's chunks (a code by its syllables)."""
    terms = QueryTerms.of(query)
    column = "exact" if terms.exact else "folded"
    chunks = max(1, backend.manifest.chunks)

    def idf(syllable: str) -> float:
        frequency = backend.document_frequency(column, syllable)
        return math.log(1 + (chunks - frequency + 0.5) / (frequency + 0.5))

    content = terms.content or frozenset(terms.words)
    weights = {word: sum(idf(s) for s in syllables(word)) for word in content}
    return QueryWords(terms, weights)
