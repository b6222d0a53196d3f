"""Measure lexical search under a filter (a type, a reader's collections): the store's query
against the one it replaced.

Usage: python scripts/bench_filters.py --index DIR [--query TEXT]

Before, an allowed set of documents was written as "rowid IN (SELECT id FROM chunks WHERE
document_id IN (…))" beside the FTS5 MATCH; FTS5 then ran the match once per allowed row. Now
the matches are taken first (a materialized CTE) and joined to the allowed documents. Both
return the same ids in the same order; this prints how long each takes for the three most
common document types of the index.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.lexical import LexicalWeights, query_terms  # noqa: E402
from indexer.store import Filters, open_index  # noqa: E402
from indexer.store.sqlite import match_expression  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--query", default="kế hoạch chuyển đổi số năm 2025")
    args = parser.parse_args()
    index = open_index(args.index)
    weights = LexicalWeights().as_dict()
    columns = ", ".join(str(float(weights[c])) for c in ("folded", "exact", "pairs"))
    terms = query_terms(args.query, None)
    types = Counter(d.doc_type for d in index.document_infos().values() if d.doc_type)
    for doc_type, count in types.most_common(3):
        allowed = index.matching_documents(Filters(doc_type=doc_type))
        before = (f"SELECT rowid, -bm25(chunks_fts, {columns}) AS score FROM chunks_fts WHERE "
                  "chunks_fts MATCH ? AND rowid IN (SELECT id FROM chunks WHERE document_id IN "
                  f"({', '.join('?' * len(allowed))})) ORDER BY score DESC LIMIT 100")
        started = time.perf_counter()
        old = index.db.execute(before, [match_expression(terms), *sorted(allowed)]).fetchall()
        old_seconds = time.perf_counter() - started
        started = time.perf_counter()
        new = index.lexical_search(terms, 100, weights, allowed)
        new_seconds = time.perf_counter() - started
        same = [row[0] for row in old] == [chunk for chunk, _ in new]
        print(f"type {doc_type!r} ({count} documents): before {old_seconds * 1000:,.0f} ms, now "
              f"{new_seconds * 1000:,.0f} ms; same results: {same}")


if __name__ == "__main__":
    main()
