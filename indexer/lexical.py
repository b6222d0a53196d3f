"""Lexical retrieval over Vietnamese text with SQLite FTS5 (BM25), diacritic-insensitive.

Each chunk is indexed in three columns:
  folded   syllables without diacritics ("chuyen doi so"): a query typed without diacritics
           still matches;
  exact    syllables as written, lower-cased ("chuyển đổi số"): a query with diacritics that
           match exactly scores higher than a folded-only match;
  pairs    folded syllable pairs ("chuyen_doi doi_so"): Vietnamese words are mostly two
           syllables, so pairs stand in for word segmentation and reward phrase matches.
The FTS table lives in the version's SQLite file, so it is updated incrementally with the
chunks and published atomically with them.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .aliases import ABBREVIATIONS
from .highlight import STOPWORDS
from .normalize import fold

FTS_SCHEMA = (
    "CREATE VIRTUAL TABLE chunks_fts USING fts5(folded, exact, pairs, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
)
_SYLLABLE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class LexicalWeights:
    folded: float = 1.0
    exact: float = 0.3
    pairs: float = 2.0  # phrase evidence; tuned on ALQAC dev (README)


def syllables(text: str) -> list[str]:
    return _SYLLABLE.findall(text.lower())


def lexical_fields(text: str) -> tuple[str, str, str]:
    """Return the folded, exact and pairs columns for a chunk's text."""
    exact = syllables(text)
    folded = [fold(s) for s in exact]
    pairs = [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    return " ".join(folded), " ".join(exact), " ".join(pairs)


def _expansions(query: str) -> list[str]:
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


def match_expression(query: str, common: CommonTerms | None = None) -> str | None:
    """Build the FTS5 MATCH expression for a query (None if it has no searchable word).

    Terms `common` knows are left out, unless every term is one of them.
    """
    terms: list[tuple[str, str]] = []  # (column, term)
    for phrase in [query] + _expansions(query):
        exact = syllables(phrase)
        folded = [fold(s) for s in exact]
        terms += [("folded", f) for f in folded if f not in STOPWORDS]
        # Only syllables typed with diacritics say anything about exact spelling.
        terms += [("exact", e) for e, f in zip(exact, folded) if e != f]
        terms += [("pairs", f"{a}_{b}") for a, b in zip(folded, folded[1:])]
    unique = list(dict.fromkeys(terms))
    if common is not None:
        unique = [t for t in unique if t not in common] or unique
    return " OR ".join(f'{column}:"{term}"' for column, term in unique) if unique else None


class CommonTerms:
    """Knows which query terms occur in at least `share` of an index version's chunks.

    BM25's IDF, log((N - n + 0.5) / (n + 0.5)), is small for such a term (≤ 1.1 at a quarter of
    the chunks, against 6–9 for the words that tell passages apart) and not positive from half
    on, where FTS5 counts it as 1e-6; yet matching it decodes one of the longest posting lists.
    Leaving out the terms in a quarter of the chunks or more made lexical search 40% faster at
    100k chunks, and moved MRR@10 on ALQAC by at most 0.001 (README). In an index of fewer than
    `min_rows` chunks nothing is left out: a quarter of a few documents is no sign of a word
    being common, and such an index is fast anyway. `rows` is the version's chunk count (from
    its manifest: counting an FTS5 table scans it). Published versions never change, so
    answers are cached.
    """

    def __init__(self, db: sqlite3.Connection, rows: int, share: float = 0.25,
                 min_rows: int = 2000):
        self.db = db
        self.threshold = share * rows if rows >= min_rows else None
        if self.threshold is not None:
            db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab "
                       "USING fts5vocab(main, chunks_fts, 'col')")
        self._known: dict[tuple[str, str], bool] = {}

    def __contains__(self, column_and_term: tuple[str, str]) -> bool:
        if self.threshold is None:
            return False
        if column_and_term not in self._known:  # one indexed look-up, then remembered
            row = self.db.execute("SELECT doc FROM temp.chunks_vocab WHERE term = ? AND col = ?",
                                  (column_and_term[1], column_and_term[0])).fetchone()
            self._known[column_and_term] = bool(row) and row[0] >= self.threshold
        return self._known[column_and_term]


def lexical_search(db: sqlite3.Connection, query: str, k: int,
                   weights: LexicalWeights = LexicalWeights(),
                   allowed_documents: list[str] | None = None,
                   common: CommonTerms | None = None) -> list[tuple[int, float]]:
    """Return up to k (chunk id, BM25 score) pairs, best first; higher scores are better."""
    expression = match_expression(query, common)
    if expression is None:
        return []
    sql = (f"SELECT rowid, -bm25(chunks_fts, {weights.folded}, {weights.exact}, "
           f"{weights.pairs}) AS score FROM chunks_fts WHERE chunks_fts MATCH ?")
    params: list = [expression]
    if allowed_documents is not None:
        marks = ", ".join("?" * len(allowed_documents))
        sql += f" AND rowid IN (SELECT id FROM chunks WHERE document_id IN ({marks}))"
        params += allowed_documents
    sql += " ORDER BY score DESC LIMIT ?"
    params.append(k)
    return [(int(rowid), float(score)) for rowid, score in db.execute(sql, params)]
