"""Compare lexical, dense and hybrid retrieval on one index, with and without diacritics.

Usage: python scripts/eval_retrieval.py [alqac|vilqa|--corpus F --queries F] [--markdown]

Defaults to ../shared/eval/alqac (dev split). The corpus index is built once and reused
(`vankien eval` keeps it in ~/.cache/vankien/eval, or $VANKIEN_EVAL_CACHE).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.embed import load_embedder  # noqa: E402
from indexer.evaluate import evaluate, load_queries, open_searcher, prepare_index  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
SETS = {
    "alqac": (SHARED / "alqac" / "corpus.jsonl", SHARED / "alqac" / "queries_dev.jsonl"),
    "vilqa": (SHARED / "vilqa" / "corpus.jsonl", SHARED / "vilqa" / "queries.jsonl"),
}
METRICS = ("MRR@10", "nDCG@10", "hit@1", "Recall@10", "Recall@100")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name", nargs="?", default="alqac", choices=sorted(SETS))
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--queries", type=Path)
    args = parser.parse_args()
    corpus, queries_path = (args.corpus, args.queries) if args.corpus else SETS[args.name]
    if not corpus.exists() or not queries_path.exists():
        sys.exit(f"evaluation data not found ({corpus}, {queries_path}): it lives in ../shared")
    cache = Path(os.environ.get("VANKIEN_EVAL_CACHE", Path.home() / ".cache/vankien/eval"))
    embedder = load_embedder()
    index_dir, ids = prepare_index(corpus, cache, embedder)
    searcher = open_searcher(index_dir, embedder)
    queries = load_queries(queries_path)
    print(f"{corpus.parent.name}: {searcher.index.manifest.documents} documents, "
          f"{searcher.index.manifest.chunks} chunks, {len(queries)} queries\n")
    print("| mode | queries | " + " | ".join(METRICS) + " | ms/query |")
    print("|---|---|" + "---|" * (len(METRICS) + 1))
    for unaccented in (False, True):
        for mode in ("lexical", "dense", "hybrid"):
            started = time.perf_counter()
            means, _ = evaluate(searcher, queries, mode, ids=ids, unaccented=unaccented)
            per_query = (time.perf_counter() - started) * 1000 / len(queries)
            label = "without diacritics" if unaccented else "as written"
            print(f"| {mode} | {label} | " + " | ".join(f"{means[m]:.3f}" for m in METRICS)
                  + f" | {per_query:.0f} |", flush=True)


if __name__ == "__main__":
    main()
