"""Lexical analysis of Vietnamese text for BM25, diacritic-insensitive.

Each chunk is indexed in three columns:
  folded   syllables without diacritics ("chuyen doi so"): a query typed without diacritics
           still matches;
  exact    syllables as written, lower-cased ("chuyển đổi số"): a query with diacritics that
           match exactly scores higher than a folded-only match;
  pairs    folded syllable pairs ("chuyen_doi doi_so"): Vietnamese words are mostly two
           syllables, so pairs stand in for word segmentation and reward phrase matches.
A query becomes (column, term) pairs; the store matches them (SQLite FTS5 in the shipped
engine) and `LexicalRetriever` (retrievers.py) ranks with these weights.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from .aliases import ABBREVIATIONS
from .vietnamese import STOPWORDS, fold, syllables

COLUMNS = ("folded", "exact", "pairs")


@dataclass(frozen=True)
class LexicalWeights:
    folded: float = 1.0
    exact: float = 0.3
    pairs: float = 2.0  # phrase evidence; tuned on ALQAC dev (README)

    def as_dict(self) -> dict[str, float]:
        return {"folded": self.folded, "exact": self.exact, "pairs": self.pairs}


def lexical_fields(text: str) -> dict[str, str]:
    """Return the folded, exact and pairs columns for a chunk's text."""
    exact = syllables(text)
    folded = [fold(s) for s in exact]
    pairs = [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    return {"folded": " ".join(folded), "exact": " ".join(exact), "pairs": " ".join(pairs)}


def expansions(query: str) -> list[str]:
    """Return phrases to add to a query: abbreviations spelled out, and the reverse."""
    added = []
    folded_query = f" {' '.join(syllables(fold(query)))} "
    for abbreviation, phrases in ABBREVIATIONS.items():
        # Keys match as typed, in capitals: "TU" is Tỉnh ủy, "tu" is not.
        if re.search(rf"(?<![\w]){re.escape(abbreviation)}(?![\w])", query):
            added.extend(phrases)
        elif any(f" {' '.join(syllables(fold(p)))} " in folded_query for p in phrases):
            added.append(abbreviation)
    return added


class TermStatistics(Protocol):
    def document_frequency(self, column: str, term: str) -> int: ...


def query_terms(query: str, common: "CommonTerms | None" = None) -> list[tuple[str, str]]:
    """Return the (column, term) pairs a query is matched by, abbreviations expanded.

    Terms `common` knows are left out, unless every term is one of them.
    """
    terms: list[tuple[str, str]] = []
    for phrase in [query] + expansions(query):
        exact = syllables(phrase)
        folded = [fold(s) for s in exact]
        terms += [("folded", f) for f in folded if f not in STOPWORDS]
        # Only syllables typed with diacritics say anything about exact spelling.
        terms += [("exact", e) for e, f in zip(exact, folded) if e != f]
        terms += [("pairs", f"{a}_{b}") for a, b in zip(folded, folded[1:])]
    unique = list(dict.fromkeys(terms))
    if common is not None:
        unique = [t for t in unique if t not in common] or unique
    return unique


class CommonTerms:
    """Knows which query terms occur in at least `share` of an index version's chunks.

    BM25's IDF, log((N - n + 0.5) / (n + 0.5)), is small for such a term (≤ 1.1 at a quarter of
    the chunks, against 6–9 for the words that tell passages apart) and not positive from half
    on, where FTS5 counts it as 1e-6; yet matching it decodes one of the longest posting lists.
    Leaving out the terms in a quarter of the chunks or more made lexical search 40% faster at
    100k chunks, and moved MRR@10 on ALQAC by at most 0.001 (README). In an index of fewer than
    `min_rows` chunks nothing is left out: a quarter of a few documents is no sign of a word
    being common, and such an index is fast anyway. `rows` is the version's chunk count (from
    its manifest: counting an FTS5 table scans it).
    """

    def __init__(self, statistics: TermStatistics, rows: int, share: float = 0.25,
                 min_rows: int = 2000):
        self.statistics = statistics
        self.threshold = share * rows if rows >= min_rows else None

    def __contains__(self, column_and_term: tuple[str, str]) -> bool:
        if self.threshold is None:
            return False
        return self.statistics.document_frequency(*column_and_term) >= self.threshold
