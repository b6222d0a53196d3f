"""Search latency and memory at about 10k and 100k chunks, and HNSW recall against flat.

Usage: python scripts/bench_search.py --index DIR [--sizes 10000,100000] [--queries 200]

DIR is a real index (e.g. of ../shared/corpus/vanban). For each size a synthetic index is
built from it: chunks are sampled (10k) or replicated (100k) with varied text (the digits of
each copy are changed and its sentences rotated, so lexical statistics stay realistic) and
vectors that are the real ones plus Gaussian noise (sigma 0.02 per dimension), re-normalised —
this measures search, not embedding. Each size is then searched in a fresh subprocess, which
reports hybrid, lexical and dense latency (p50/p95 over the queries) and its peak RSS; then
`vankien serve` (waitress) serves it and the same queries go over HTTP, one at a time: wall
p50/p95 and the server's peak RSS. Hybrid
runs first and embeds each query (about 25 ms); dense then finds those query vectors in the
searcher's cache, so its column is the FAISS search and what follows it. Finally
an HNSW index (M=32) and an IVF-Flat index are compared with the exact flat index on the
largest size: recall@10 and latency at several efSearch / nprobe values.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.embed import load_embedder  # noqa: E402
from indexer.cache import text_hash  # noqa: E402
from indexer.lexical import lexical_fields  # noqa: E402
from indexer.store import Manifest, NewChunk, NewDocument, VersionBuilder, open_index  # noqa: E402

from bench_api_latency import measure_server, queries  # noqa: E402


def vary(text: str, copy: int, rng: random.Random) -> str:
    if copy == 0:
        return text
    text = re.sub(r"\d", lambda m: str(rng.randrange(10)), text)
    sentences = re.split(r"(?<=[.;])\s+", text)
    shift = copy % max(1, len(sentences))
    return " ".join(sentences[shift:] + sentences[:shift])


def build(source: Path, target: Path, size: int, seed: int = 3) -> None:
    """Write a synthetic index of about `size` chunks at `target`, derived from `source`."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    index = open_index(source)
    documents = list(index.documents())
    chunks_by_doc = {doc.id: index.chunks_of(doc.id) for doc in documents}
    total = sum(len(c) for c in chunks_by_doc.values())
    copies = max(1, round(size / total))
    if size < total:  # sample whole documents until the size is reached
        rng.shuffle(documents)
        kept, count = [], 0
        for doc in documents:
            if count >= size:
                break
            kept.append(doc)
            count += len(chunks_by_doc.get(doc.id, []))
        documents = kept
    shutil.rmtree(target, ignore_errors=True)
    builder = VersionBuilder(target, None, index.manifest.dimension)
    for copy in range(copies):
        for doc in documents:
            chunks = chunks_by_doc.get(doc.id, [])
            vectors = np.stack([index.vector(c.id) for c in chunks]) if chunks else \
                np.zeros((0, index.manifest.dimension), dtype=np.float32)
            if copy:
                vectors = vectors + noise.normal(0, 0.02, vectors.shape).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            fields = {f: getattr(doc, f) for f in NewDocument.__dataclass_fields__}
            new_doc = NewDocument(**{**fields, "id": f"{doc.id}-{copy}",
                                     "path": f"{doc.path}#{copy}"})
            new_chunks = []
            for c in chunks:
                text = vary(c.text, copy, rng)
                new_chunks.append(NewChunk(c.ordinal, text, text_hash(text), c.page, c.para_start,
                                           c.para_end, c.char_start, c.char_end, c.heading_path,
                                           lexical_fields(text)))
            builder.add_document(new_doc, new_chunks, vectors.astype(np.float32))
    documents_count, chunks_count = builder.counts()
    manifest = Manifest(**{**index.manifest.__dict__, "documents": documents_count,
                           "chunks": chunks_count, "version": 0})
    builder.publish(manifest)
    index.close()


def measure(index_dir: Path, count: int) -> dict:
    """Run in a subprocess: open the index, search, report latencies and peak RSS."""
    from indexer.search import Searcher

    embedder = load_embedder()
    searcher = Searcher.open(open_index(index_dir), embedder)
    searcher.search("khởi động", 10)
    result = {"chunks": searcher.index.manifest.chunks}
    for mode in ("hybrid", "lexical", "dense"):
        times = []
        for query in queries(count):
            started = time.perf_counter()
            searcher.search(query, 10, mode=mode)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        result[mode] = (times[len(times) // 2], times[int(len(times) * 0.95) - 1])
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def recall_at_10(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[f >= 0]) & set(t)) / 10 for f, t in zip(found, truth)]))


def approximate_recall(index_dir: Path, count: int) -> None:
    """HNSW and IVF against the exact flat index: recall@10 and ms per query."""
    index = open_index(index_dir)
    flat = index.vectors
    ids = faiss.vector_to_array(flat.id_map)
    matrix = np.stack([flat.reconstruct(int(i)) for i in ids])
    embedder = load_embedder()
    query_vectors = embedder.embed(queries(count), "query")
    _, truth = flat.search(query_vectors, 10)
    started = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(matrix.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    hnsw.add(matrix)
    print(f"HNSW (M=32, efConstruction=80) built over {len(ids)} vectors in "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for q in query_vectors:
        flat.search(q[None, :], 10)
    flat_ms = (time.perf_counter() - started) * 1000 / count
    print(f"  flat: {flat_ms:.2f} ms/query, recall@10 1.000")
    for ef in (16, 32, 64, 128, 256):
        hnsw.hnsw.efSearch = ef
        started = time.perf_counter()
        found = np.stack([hnsw.search(q[None, :], 10)[1][0] for q in query_vectors])
        ms = (time.perf_counter() - started) * 1000 / count
        print(f"  HNSW efSearch={ef}: {ms:.2f} ms/query, "
              f"recall@10 {recall_at_10(np.where(found >= 0, ids[found], -1), truth):.3f}")
    # IVF, unlike HNSW, supports remove_ids, which the incremental reindex relies on.
    nlist = int(4 * np.sqrt(len(ids)))
    started = time.perf_counter()
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(matrix.shape[1]), matrix.shape[1], nlist,
                             faiss.METRIC_INNER_PRODUCT)
    ivf.train(matrix)
    ivf.add_with_ids(matrix, ids)
    print(f"IVF-Flat (nlist={nlist}) trained and filled in {time.perf_counter() - started:.1f} s")
    for nprobe in (4, 8, 16, 32, 64):
        ivf.nprobe = nprobe
        started = time.perf_counter()
        found = np.stack([ivf.search(q[None, :], 10)[1][0] for q in query_vectors])
        ms = (time.perf_counter() - started) * 1000 / count
        print(f"  IVF nprobe={nprobe}: {ms:.2f} ms/query, recall@10 {recall_at_10(found, truth):.3f}")
    index.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.queries)))
        return
    if args.index is None or not (args.index / "CURRENT").exists():
        sys.exit("give --index, a built index (e.g. vankien reindex ../shared/corpus/vanban)")
    work = Path(tempfile.mkdtemp(prefix="vankien-bench-search-"))
    largest = None
    print("| chunks | hybrid p50/p95 ms | lexical p50/p95 ms | dense p50/p95 ms | peak RSS MB "
          "| HTTP p50/p95 ms | server peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.sizes.split(",")]:
        target = work / f"ix-{size}"
        build(args.index, target, size)
        output = subprocess.run([sys.executable, __file__, "--measure", str(target),
                                 "--queries", str(args.queries)], capture_output=True,
                                text=True, check=True).stdout
        r = json.loads(output.strip().splitlines()[-1])
        served = measure_server(target, queries(args.queries))
        print(f"| {r['chunks']} | {r['hybrid'][0]:.1f} / {r['hybrid'][1]:.1f} | "
              f"{r['lexical'][0]:.1f} / {r['lexical'][1]:.1f} | "
              f"{r['dense'][0]:.1f} / {r['dense'][1]:.1f} | {r['peak_rss_mb']:.0f} | "
              f"{served['median']:.1f} / {served['p95']:.1f} | {served['peak_rss_mb']:.0f} |",
              flush=True)
        largest = target
    approximate_recall(largest, args.queries)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
