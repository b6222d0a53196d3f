"""Measure the titles the header reader gives a corpus, against a saved baseline.

Usage:
    python scripts/title_case.py [--corpus DIR] [--before /tmp/titles_before.json] [--save PATH]

The baseline is a JSON object {file name: {"title": ..., ...}} written by an earlier run with
--save (or by any snippet that dumps extract_metadata's fields). Prints how many titles
changed, examples before/after, and the titles that still look wrong by automatic checks:
  case    a lower-case word of the title that the body writes with a capital at least twice
          and never without one (sentence starts and capitals lines say nothing);
  issuer  a title that is only the issuer's name;
  hash    a title that is a file hash;
  type    a title that starts "Của " (its type word lost), or "Về " when no type is known.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.casing import BodyCase, key  # noqa: E402
from indexer.errors import UnreadableDocument  # noqa: E402
from indexer.header import extract_metadata  # noqa: E402
from indexer.ingest import parse_file  # noqa: E402
from indexer.vietnamese import fold  # noqa: E402

EXAMPLES = 15


def read_corpus(corpus: Path) -> dict[str, tuple[dict, list[str]]]:
    """Return {file name: (metadata fields, paragraphs)} for every readable file."""
    out = {}
    for path in sorted(p for p in corpus.iterdir() if p.is_file()):
        try:
            paragraphs = [p.text for p in parse_file(path).paragraphs]
        except UnreadableDocument as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        out[path.name] = (dataclasses.asdict(extract_metadata(paragraphs, path.name)), paragraphs)
    return out


def wrong_case(title: str, body: BodyCase) -> list[str]:
    """Return the title's lower-case words that the body always capitalises."""
    words = [w.strip(",.;:()\"“”'-–") for w in title.split(" ")[1:]]
    return [w for w in words if w and w[0].islower() and body.capitalised(key(w))]


def problems(name: str, meta: dict, paragraphs: list[str]) -> list[str]:
    """Return what the automatic checks find wrong with one document's title."""
    title, found = meta["title"], []
    if words := wrong_case(title, BodyCase(paragraphs)):
        found.append("case: " + ", ".join(words))
    if meta["issuer"] and fold(title) == fold(meta["issuer"]):
        found.append("issuer")
    if re.fullmatch(r"[0-9a-f]{8,}", title) or title == Path(name).stem:
        found.append("hash")
    if title.startswith("Của ") or (title.startswith("Về ") and not meta["doc_type"]):
        found.append("type")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/vanban"))
    parser.add_argument("--before", type=Path, default=Path("/tmp/titles_before.json"))
    parser.add_argument("--save", type=Path, help="write this run's fields here as a new baseline")
    args = parser.parse_args()
    now = read_corpus(args.corpus)
    if args.save:
        args.save.write_text(json.dumps({n: m for n, (m, _) in now.items()}, ensure_ascii=False,
                                        indent=0), encoding="utf-8")
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before.exists() else {}
    changed = [n for n, (m, _) in now.items() if n in before and before[n]["title"] != m["title"]]
    issuers = [n for n, (m, _) in now.items() if n in before and before[n]["issuer"] != m["issuer"]]
    print(f"documents: {len(now)}; titles changed: {len(changed)}; issuers changed: {len(issuers)}")
    step = max(1, len(changed) // EXAMPLES)
    for name in changed[::step][:EXAMPLES]:
        print(f"\n{name}\n  before: {before[name]['title']}\n  after:  {now[name][0]['title']}")
    for name in issuers:
        print(f"\n{name} issuer\n  before: {before[name]['issuer']}\n  after:  {now[name][0]['issuer']}")
    flagged = {n: p for n, (m, paragraphs) in now.items() if (p := problems(n, m, paragraphs))}
    was = sum(bool(problems(n, before[n], paragraphs)) for n, (_, paragraphs) in now.items() if n in before)
    print(f"\ntitles that look wrong by the automatic checks: before {was}, now {len(flagged)}")
    for name, found in flagged.items():
        print(f"  {name}: {'; '.join(found)}\n    {now[name][0]['title'][:200]}")


if __name__ == "__main__":
    main()
