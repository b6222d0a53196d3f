"""Measure what logins and the audit log cost a search: auth and audit on vs. off, same run.

Usage: python scripts/bench_auth.py [--index DIR] [--queries N] [--rounds R]

Two apps over the same index, in one process, answer the same queries through Flask's WSGI
interface, interleaved round by round: one in single-user mode (no accounts file), one with
users, where an admin and a reader granted every collection send bearer tokens and each search
is written to the audit log. Reports the median and p95 of /api/search and of the search page
per request, and what one audit entry costs alone. Then, in the library, what a reader's
scoped view costs: searching (the search page's work) as a reader who sees a random half of
the documents, against the whole index. Without --index, an index of corpus/ is built in a
temporary folder.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_api_latency import queries  # noqa: E402

from indexer.access import collections  # noqa: E402
from indexer.accounts import AccountStore  # noqa: E402
from indexer.reindex import reindex  # noqa: E402
from indexer.store import open_index  # noqa: E402
from webapp import create_app  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="an index to search (default: corpus/)")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="vankien-auth-"))
    index_dir = args.index
    if index_dir is None:
        index_dir = scratch / "ix"
        reindex(index_dir, [Path(__file__).resolve().parent.parent / "corpus"])
    index = open_index(index_dir)
    granted = list(collections(index))
    documents = index.manifest.documents
    index.close()
    accounts = AccountStore(scratch, "accounts.sqlite")
    accounts.add_user("docgia", "reader", "mat-khau-do-dai", granted)
    accounts.add_user("quantri", "admin", "mat-khau-do-dai")
    _, token = accounts.create_token("docgia", "bench")
    _, admin_token = accounts.create_token("quantri", "bench")
    off = create_app({"VANKIEN_INDEX": str(index_dir),
                      "VANKIEN_ACCOUNTS": str(scratch / "none.sqlite")}).test_client()
    on_app = create_app({"VANKIEN_INDEX": str(index_dir),
                         "VANKIEN_ACCOUNTS": str(scratch / "accounts.sqlite")})
    on = on_app.test_client()
    modes = (("off", off, {}), ("on, reader", on, {"Authorization": f"Bearer {token}"}),
             ("on, admin", on, {"Authorization": f"Bearer {admin_token}"}))
    texts = queries(args.queries)
    for _, client, extra in modes:  # load the model, open the index
        client.get("/api/search", query_string={"q": texts[0]}, headers=extra)
    times: dict[str, list[float]] = {f"{kind} {label}": [] for kind in ("api", "page")
                                     for label, _, _ in modes}
    for _ in range(args.rounds):
        for text in texts:
            for label, client, extra in modes:
                for kind, path in (("api", "/api/search"), ("page", "/")):
                    started = time.perf_counter()
                    response = client.get(path, query_string={"q": text}, headers=extra)
                    times[f"{kind} {label}"].append(time.perf_counter() - started)
                    assert response.status_code == 200, (label, path, response.status_code)
    entries = len(accounts.audit(action="search"))
    started = time.perf_counter()
    for _ in range(1000):
        accounts.record("search", "docgia", "127.0.0.1", q="bench", results=1)
    one_entry = (time.perf_counter() - started) / 1000
    print(f"index {index_dir}: {documents} documents; {len(texts)} queries × {args.rounds} "
          "rounds, interleaved")
    for kind in ("api", "page"):
        off_p50 = statistics.median(times[f"{kind} off"])
        for label, _, _ in modes:
            ms = [t * 1000 for t in times[f"{kind} {label}"]]
            print(f"{kind:4} auth+audit {label:11}: p50 {statistics.median(ms):6.1f} ms, p95 "
                  f"{percentile(ms, .95):6.1f} ms, p50 / off {statistics.median(ms) / 1000 / off_p50:.3f}")
    print(f"audit entries written by the 'on' app: {entries}; one entry alone "
          f"{one_entry * 1000:.3f} ms")
    scoped_view_cost(index_dir, texts, args.rounds)


def scoped_view_cost(index_dir: Path, texts: list[str], rounds: int) -> None:
    """Search as a reader who sees a random half of the documents, and as one who sees all."""
    import random

    from indexer.results import search_page
    from indexer.search import Searcher
    from indexer.store.scoped import ScopedIndex

    index = open_index(index_dir)
    whole = Searcher.open(index)
    ids = sorted(index.document_infos())
    half = frozenset(random.Random(7).sample(ids, len(ids) // 2))
    started = time.perf_counter()
    reader = whole.scoped(ScopedIndex(index, half))
    built = time.perf_counter() - started
    times: dict[str, list[float]] = {"whole": [], "half": []}
    for _ in range(rounds):
        for text in texts:
            for label, searcher in (("whole", whole), ("half", reader)):
                started = time.perf_counter()
                search_page(searcher, text)
                times[label].append(time.perf_counter() - started)
    whole_p50, half_p50 = (statistics.median(times[k]) for k in ("whole", "half"))
    print(f"library search_page: whole index p50 {whole_p50 * 1000:.1f} ms; a reader's view of "
          f"{len(half)} of {len(ids)} documents p50 {half_p50 * 1000:.1f} ms "
          f"(× {half_p50 / whole_p50:.2f}); the view built in {built * 1000:.0f} ms")


if __name__ == "__main__":
    main()
