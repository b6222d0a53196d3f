"""Tune the fusion of lexical and dense retrieval on ALQAC dev (never on a test split).

Usage: python scripts/tune_fusion.py [--corpus F --queries F]

For each lexical column weighting, every query's lexical and dense candidates are fetched
once; then dense weights from 0 to 1 are scored by MRR@10 (documents ranked by their best
passage), for queries as written and with diacritics stripped. Reciprocal rank fusion is
shown beside it for comparison. Prints the best settings for FusionSettings.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.embed import load_embedder  # noqa: E402
from indexer.evaluate import load_queries, metrics, open_searcher, prepare_index, strip_diacritics  # noqa: E402
from indexer.lexical import LexicalWeights  # noqa: E402
from indexer.retrievers import LexicalRetriever  # noqa: E402
from indexer.search import min_max_scaled  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "alqac"


def doc_ranking(scores: dict[int, float], owner: dict[int, str]) -> list[str]:
    ranked: list[str] = []
    for chunk_id, _ in sorted(scores.items(), key=lambda item: -item[1]):
        doc = owner[chunk_id]
        if doc not in ranked:
            ranked.append(doc)
            if len(ranked) == 10:
                break
    return ranked


def rrf(lexical: dict[int, float], dense: dict[int, float], k: int = 60) -> dict[int, float]:
    fused: dict[int, float] = {}
    for scores in (lexical, dense):
        for rank, (chunk_id, _) in enumerate(sorted(scores.items(), key=lambda i: -i[1]), 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1 / (k + rank)
    return fused


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus.jsonl")
    parser.add_argument("--queries", type=Path, default=SHARED / "queries_dev.jsonl")
    args = parser.parse_args()
    cache = Path(os.environ.get("VANKIEN_EVAL_CACHE", Path.home() / ".cache/vankien/eval"))
    embedder = load_embedder()
    index_dir, ids = prepare_index(args.corpus, cache, embedder)
    searcher = open_searcher(index_dir, embedder)
    index = searcher.index
    owner = {chunk.id: ids.get(info.rel_path, info.rel_path)
             for info in index.document_infos().values() for chunk in index.chunks_of(info.id)}
    queries = load_queries(args.queries)
    dense_cache: dict[str, dict[int, float]] = {}
    weights_grid = [LexicalWeights(1.0, 0.3, p) for p in (0.0, 1.0, 2.0, 3.0)] + [
        LexicalWeights(1.0, 0.0, 2.0), LexicalWeights(1.0, 1.0, 2.0)]
    dense_weights = [round(0.05 * i, 2) for i in range(0, 21)]
    best = {}
    for lexical_weights in weights_grid:
        lexical_retriever = LexicalRetriever(index, lexical_weights)
        for unaccented in (False, True):
            runs = []
            for query in queries:
                text = strip_diacritics(query.text) if unaccented else query.text
                lexical = dict(lexical_retriever.search(text, 100))
                if text not in dense_cache:
                    dense_cache[text] = dict(searcher.dense.search(text, 100))
                runs.append((lexical, dense_cache[text], query.relevance))
            results = []
            for weight in dense_weights:
                mrr = 0.0
                for lexical, dense, relevance in runs:
                    ls, ds = min_max_scaled(lexical), min_max_scaled(dense)
                    fused = {key: weight * ds.get(key, 0.0) + (1 - weight) * ls.get(key, 0.0)
                             for key in ls.keys() | ds.keys()}
                    mrr += metrics(doc_ranking(fused, owner), relevance)["MRR@10"]
                results.append((mrr / len(runs), weight))
            rrf_mrr = sum(metrics(doc_ranking(rrf(lx, dn), owner), rel)["MRR@10"]
                          for lx, dn, rel in runs) / len(runs)
            top_mrr, top_weight = max(results)
            label = "unaccented" if unaccented else "accented"
            print(f"{lexical_weights}  {label:10s}  lexical {results[0][0]:.3f}  "
                  f"dense {results[-1][0]:.3f}  best {top_mrr:.3f} at dense weight {top_weight}"
                  f"  rrf {rrf_mrr:.3f}", flush=True)
            key = (lexical_weights, unaccented)
            best[key] = (top_mrr, top_weight, results)
    for unaccented in (False, True):
        (weights, _), (mrr, weight, _) = max(
            ((k, v) for k, v in best.items() if k[1] == unaccented), key=lambda kv: kv[1][0])
        print(f"best {'unaccented' if unaccented else 'accented'}: {weights}, "
              f"dense weight {weight}: MRR@10 {mrr:.3f}")


if __name__ == "__main__":
    main()
