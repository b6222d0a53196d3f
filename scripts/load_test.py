"""Query a running server from N clients while a reindex publishes a new version.

Usage: python scripts/load_test.py --corpus FOLDER [--clients 8] [--after 15] [--index DIR]

Loopback only, bounded in time. The index starts with the sample corpus (corpus/); the server
(`vankien serve`, waitress) starts on it; then `vankien reindex corpus FOLDER` runs while the
clients query /api/search without pause. Reports requests served, errors (must be 0) and
p50/p95 latency during the reindex and for `--after` seconds after it published, and checks
that a document that only FOLDER has is found once the new version is served.
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
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
from bench_api_latency import QUERIES  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--index", type=Path, help="index folder to use (default: a temporary one)")
    parser.add_argument("--probe", default="", help="query that finds a document only in --corpus")
    args = parser.parse_args()
    vankien = [sys.executable, "-m", "indexer.cli"]
    index_dir = args.index or Path(tempfile.mkdtemp(prefix="vankien-load-")) / "ix"
    if index_dir.exists() and not args.index:
        shutil.rmtree(index_dir)
    subprocess.run(vankien + ["reindex", str(REPO / "corpus"), "--index", str(index_dir), "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(vankien + ["serve", "--index", str(index_dir), "--port", str(port),
                                         "--threads", str(args.clients)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    queries = [q.strip() for q in QUERIES.split(";") if q.strip()]
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
        threads = [threading.Thread(target=client, args=(n,), daemon=True)
                   for n in range(args.clients)]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        reindex = subprocess.run(vankien + ["reindex", str(REPO / "corpus"), str(args.corpus),
                                            "--index", str(index_dir), "-q"],
                                 capture_output=True, text=True, timeout=3 * 3600)
        reindex_seconds = time.perf_counter() - started
        phase["name"] = "after"
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=70)
        after = json.loads(urllib.request.urlopen(base + "/api/health").read())
        probe = None
        if args.probe:
            data = json.loads(urllib.request.urlopen(
                f"{base}/api/search?k=3&q={urllib.parse.quote(args.probe)}").read())
            probe = [h["document"]["rel_path"] for h in data["hits"]]
    finally:
        stop.set()
        server.terminate()
        server.wait()
    print(f"reindex of corpus/ + {args.corpus}: {reindex_seconds:.0f} s, exit {reindex.returncode}")
    print(reindex.stdout.strip())
    print(f"served version {before['index_version']} ({before['documents']} documents) before, "
          f"version {after['index_version']} ({after['documents']} documents) after")
    for name in ("during", "after"):
        rows = [r for r in results if r[3] == name]
        times = sorted(ms for _, ms, ok, _ in rows if ok)
        errors = sum(not ok for _, _, ok, _ in rows)
        if times:
            print(f"{name:6s}: {len(rows)} requests from {args.clients} clients, {errors} errors, "
                  f"p50 {times[len(times) // 2]:.0f} ms, p95 {times[int(len(times) * .95) - 1]:.0f} ms")
    if probe is not None:
        print(f"probe '{args.probe}' after publishing: {probe}")


if __name__ == "__main__":
    main()
