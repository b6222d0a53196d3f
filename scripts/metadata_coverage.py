"""Report how often indexer.metadata finds each header field across a folder of documents.

    python scripts/metadata_coverage.py [FOLDER] [--show-missing FIELD] [--show-mismatch] [--dump]

FOLDER defaults to ../shared/corpus/vanban beside the repository. Where a manifest.jsonl
lies next to FOLDER (lines of {"file": "vanban/x.md", "title": "Quyết định 12/QĐ-UBND: ..."}),
the số hiệu found is also compared with the one in the crawler's title.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer.errors import UnreadableDocument  # noqa: E402
from indexer.ingest import SUPPORTED_SUFFIXES, parse_file  # noqa: E402
from indexer.header import extract_metadata, read_header  # noqa: E402

FIELDS = ("doc_number", "doc_type", "issuer", "issued_date", "title_document", "title_fallback")
MANIFEST_NUMBER = re.compile(r"(?<![\w/])\d+(?:\.\d+)?(?:/\d{4})?[/-][A-ZĐ][\wĐđ]*(?:[-/.][\wĐđ]+)*")


def manifest_numbers(folder: Path) -> dict[str, str]:
    """Map file paths to the số hiệu in the crawler's titles, where the manifest has one."""
    manifest = folder.parent / "manifest.jsonl"
    numbers = {}
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            match = MANIFEST_NUMBER.search(entry.get("title", ""))
            if match:
                numbers[str((folder.parent / entry["file"]).resolve())] = match.group(0)
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(REPO.parent / "shared" / "corpus" / "vanban"))
    parser.add_argument("--show-missing", choices=FIELDS, help="list the files missing FIELD")
    parser.add_argument("--show-mismatch", action="store_true",
                        help="list files whose số hiệu differs from the manifest's")
    parser.add_argument("--dump", action="store_true", help="print every document's metadata as JSON")
    args = parser.parse_args(argv)

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"no such folder: {folder} (pass the corpus folder as the first argument)", file=sys.stderr)
        return 2
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
    expected = manifest_numbers(folder)
    found = {field: 0 for field in FIELDS}
    missing: dict[str, list[str]] = {field: [] for field in FIELDS}
    agree, compared, mismatches = 0, 0, []
    for path in paths:
        try:
            paragraphs = [p.text for p in parse_file(path).paragraphs]
        except UnreadableDocument as exc:
            print(f"skipped {exc}", file=sys.stderr)
            continue
        meta = extract_metadata(paragraphs, path.name)
        from_document = read_header(paragraphs)["title"] is not None
        values = {field: getattr(meta, field, None) for field in FIELDS[:4]}
        values["title_document"] = from_document or None
        values["title_fallback"] = (not from_document) or None
        for field, value in values.items():
            if value:
                found[field] += 1
            else:
                missing[field].append(str(path))
        if args.dump:
            print(json.dumps({"file": path.name, **meta.__dict__}, ensure_ascii=False))
        want = expected.get(str(path.resolve()))
        if want and meta.doc_number:
            compared += 1
            agree += want.replace(" ", "").lower() == meta.doc_number.lower()
            if want.replace(" ", "").lower() != meta.doc_number.lower():
                mismatches.append(f"{path.name}: found {meta.doc_number}, manifest {want}")

    total = len(paths)
    print(f"{total} documents in {folder}")
    for field in FIELDS:
        share = 100 * found[field] / total if total else 0.0
        print(f"  {field:<15} {found[field]:>5}  {share:5.1f}%")
    if expected:
        share = 100 * agree / compared if compared else 0.0
        print(f"số hiệu vs manifest titles: {agree}/{compared} agree ({share:.1f}%); "
              f"{sum(1 for p in paths if str(p.resolve()) in expected)} manifest titles carry a number")
    if args.show_mismatch:
        print("\n".join(mismatches))
    if args.show_missing:
        print(f"missing {args.show_missing}:")
        print("\n".join(missing[args.show_missing]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
