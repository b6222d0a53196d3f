"""Query a running server from N clients while a reindex publishes a new version.

Usage: python scripts/load_test.py --corpus FOLDER [--clients 8] [--after 15] [--start-share 0.5]
                                  [--probe QUERY] [--warm-cache FILE --cold-share 0.2]

Loopback only, bounded in time. The documents live in a scratch folder that at first holds the
sample corpus (corpus/) and the first `--start-share` of FOLDER's files (by name); that is
indexed and the server (`vankien serve`, waitress) starts on it. Then the rest of FOLDER's
files arrive in the folder and `vankien reindex` runs while N clients query /api/search without
pause. Reports requests served, throughput, errors (must be 0) and p50/p95 latency during the
reindex (the previous version serving) and for `--after` seconds after it published, and
checks that a document only the new files have is found once the new version is served.

Embedding all of ../shared/corpus/vanban takes about an hour of both cores here. With
--warm-cache (the cache/embeddings.sqlite of an earlier index of FOLDER) the embedding cache is
seeded from it, then a `--cold-share` of its vectors (chosen by text hash) is dropped before the
measured run, so that run still parses the new files, embeds that share of their chunks, writes
and publishes under load, in minutes instead of an hour.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from bench_api_latency import free_port, queries as varied_queries  # noqa: E402


def arrive(path: Path, corpus: Path, documents: Path) -> None:
    """Copy a file of `corpus` into `documents`, keeping its place in the tree."""
    target = documents / path.relative_to(corpus)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)


def drop_share(cache: Path, share: float) -> int:
    """Delete a `share` of the cached vectors, chosen by the first byte of their text hash."""
    with contextlib.closing(sqlite3.connect(cache)) as db, db:
        return db.execute("DELETE FROM embeddings WHERE substr(text_hash, 1, 2) < ?",
                          (f"{int(share * 256):02x}",)).rowcount


def probe(base: str, query: str) -> list[str]:
    if not query:
        return []
    data = json.loads(urllib.request.urlopen(
        f"{base}/api/search?k=3&q={urllib.parse.quote(query)}").read())
    return [hit["document"]["rel_path"] for hit in data["hits"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--start-share", type=float, default=0.5,
                        help="share of FOLDER's files indexed before the measured reindex")
    parser.add_argument("--probe", default="", help="query that finds a document only in --corpus")
    parser.add_argument("--warm-cache", type=Path,
                        help="embeddings.sqlite of an earlier index of --corpus to seed from")
    parser.add_argument("--cold-share", type=float, default=0.2,
                        help="share of the warm cache dropped, so it is embedded again")
    args = parser.parse_args()
    vankien = [sys.executable, "-m", "indexer.cli"]
    work = Path(tempfile.mkdtemp(prefix="vankien-load-"))
    documents, index_dir = work / "documents", work / "ix"
    shutil.copytree(REPO / "corpus", documents)
    incoming = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    first = round(len(incoming) * args.start_share)
    for path in incoming[:first]:
        arrive(path, args.corpus, documents)
    if args.warm_cache:
        (index_dir / "cache").mkdir(parents=True)
        shutil.copy(args.warm_cache, index_dir / "cache" / "embeddings.sqlite")
    subprocess.run(vankien + ["reindex", str(documents), "--index", str(index_dir), "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    if args.warm_cache:
        dropped = drop_share(index_dir / "cache" / "embeddings.sqlite", args.cold_share)
        print(f"embedding cache seeded from {args.warm_cache}; {dropped} vectors "
              f"({args.cold_share:.0%}) dropped, to be embedded again when needed")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(vankien + ["serve", "--index", str(index_dir), "--port", str(port),
                                         "--threads", str(args.clients)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    queries = varied_queries(200)
    results: list[tuple[float, float, bool, str]] = []  # (sent at, ms, ok, phase)
    phase = {"name": "during"}
    stop = threading.Event()

    def client(number: int):
        i = number
        while not stop.is_set():
            query = queries[i % len(queries)]
            i += args.clients
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(
                        f"{base}/api/search?k=10&q={urllib.parse.quote(query)}", timeout=60) as r:
                    ok = r.status == 200 and "hits" in json.loads(r.read())
            except (OSError, ValueError):
                ok = False
            results.append((started, (time.perf_counter() - started) * 1000, ok, phase["name"]))

    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        before = json.loads(urllib.request.urlopen(base + "/api/health").read())
        probe_before = probe(base, args.probe)
        threads = [threading.Thread(target=client, args=(n,), daemon=True)
                   for n in range(args.clients)]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        for path in incoming[first:]:  # new documents arrive
            arrive(path, args.corpus, documents)
        reindex = subprocess.run(vankien + ["reindex", "--index", str(index_dir), "-q"],
                                 capture_output=True, text=True, timeout=3 * 3600)
        reindex_seconds = time.perf_counter() - started
        phase["name"] = "after"
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=70)
        after = json.loads(urllib.request.urlopen(base + "/api/health").read())
        probe_after = probe(base, args.probe)
    finally:
        stop.set()
        server.terminate()
        server.wait()
    shutil.rmtree(work, ignore_errors=True)
    print(f"{first} of {len(incoming)} files of {args.corpus} indexed at the start; the other "
          f"{len(incoming) - first} arrived, and the reindex took {reindex_seconds:.0f} s "
          f"(exit {reindex.returncode})")
    print(reindex.stdout.strip() or reindex.stderr.strip())
    print(f"served version {before['index_version']} ({before['documents']} documents) before, "
          f"version {after['index_version']} ({after['documents']} documents) after")
    for name, seconds in (("during", reindex_seconds), ("after", args.after)):
        rows = [r for r in results if r[3] == name]
        times = sorted(ms for _, ms, ok, _ in rows if ok)
        errors = sum(not ok for _, _, ok, _ in rows)
        if times:
            print(f"{name:6s}: {len(rows)} requests from {args.clients} clients "
                  f"({len(rows) / seconds:.1f}/s), {errors} errors, "
                  f"p50 {times[len(times) // 2]:.0f} ms, p95 {times[int(len(times) * .95) - 1]:.0f} ms")
    if args.probe:
        print(f"probe '{args.probe}', top 3 before: {probe_before}, after: {probe_after}")


if __name__ == "__main__":
    main()
