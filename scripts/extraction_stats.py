"""What the extractors read out of a whole corpus, and what it costs.

Usage: python scripts/extraction_stats.py [FOLDER]   (default ../shared/corpus/vanban)

Reads every document through the regular pipeline (parse, header, stored text) and runs each
registered extractor over it: records per kind, tasks with a lead / a deadline / a partner,
references per relation and how many resolve to a document of the same folder, and the time
each extractor takes (parsing is timed apart: the extractors run over stored texts, and a
version bump re-runs them without parsing or embedding).
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.extract import EXTRACTORS  # noqa: E402
from indexer.ingest import parse_file  # noqa: E402
from indexer.links import DocumentDirectory  # noqa: E402
from indexer.prepare import new_document  # noqa: E402
from indexer.sources import SourceFile  # noqa: E402
from indexer.store import DocumentInfo  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "vanban"


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not folder.is_dir():
        sys.exit(f"corpus folder not found: {folder}")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    seconds = Counter()
    records: dict[str, list] = {e.kind: [] for e in EXTRACTORS}
    infos = []
    started = time.perf_counter()
    for path in files:
        try:
            document = new_document(SourceFile(path, path.name), "", 0, parse_file(path))
        except Exception as exc:  # a file the reindex would skip
            print(f"skipped {path.name}: {exc}")
            continue
        infos.append(DocumentInfo(document.id, document.title, document.doc_number,
                                  document.doc_type, document.issuer, document.issued_date,
                                  document.rel_path, document.format))
        for extractor in EXTRACTORS:
            begun = time.perf_counter()
            found = extractor.extract(document)
            seconds[extractor.kind] += time.perf_counter() - begun
            records[extractor.kind] += [(document.id, record) for record in found]
    total = time.perf_counter() - started
    print(f"{len(infos)} documents; {total:.1f} s in all, of which extraction "
          f"{sum(seconds.values()):.1f} s")
    for kind, found in records.items():
        holding = len({doc_id for doc_id, _ in found})
        print(f"  {kind:11s} {len(found):6d} records in {holding} documents, "
              f"{seconds[kind]:.1f} s")
    tasks = [record.data for _, record in records.get("tasks", [])]
    if tasks:
        share = lambda test: f"{sum(map(test, tasks)) / len(tasks):.1%}"  # noqa: E731
        print(f"tasks: with a lead {share(lambda t: bool(t['lead']))}, a named (not generic) "
              f"lead {share(lambda t: bool(t['lead']) and not t['generic'])}, a deadline "
              f"{share(lambda t: bool(t['deadline']))} (dated {share(lambda t: bool(t['deadline_iso']))}), "
              f"partners {share(lambda t: bool(t['cooperate']))}")
        print("  by kind: " + ", ".join(f"{k} {n}" for k, n in
                                         Counter(t["kind"] for t in tasks).most_common()))
    references = [(doc_id, record.data) for doc_id, record in records.get("references", [])]
    if references:
        directory = DocumentDirectory(infos)
        resolved = Counter()
        for doc_id, data in references:
            target = directory.find(data.get("number"), data.get("type"), data.get("name"),
                                    data.get("date"))
            if target and target != doc_id:
                resolved[data["relation"]] += 1
        relations = Counter(data["relation"] for _, data in references)
        print(f"references: {sum(resolved.values())} of {len(references)} resolve to a "
              f"document of this folder")
        for relation, count in relations.most_common():
            print(f"  {relation:10s} {count:6d}, resolved {resolved[relation]}")


if __name__ == "__main__":
    main()
