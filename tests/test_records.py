"""Extracted records: stored with their document, replaced with it, re-run when their version
changes, gone when no extractor writes them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.reindex import ReindexSettings, reindex
from indexer.store import NewRecord, open_index
from test_reindex import consistent


@dataclass(frozen=True)
class Years:
    """A small real extractor: every four-digit year the text mentions, with its span."""

    kind: str = "years"
    version: int = 1

    def extract(self, document):
        return [NewRecord(m.start(), m.end(), {"year": int(m.group()), "v": self.version})
                for m in re.finditer(r"\b(?:19|20)\d\d\b", document.text)]


def records_by_file(index_dir, kind="years"):
    index = open_index(index_dir)
    try:
        files = {info.id: info.rel_path for info in index.document_infos().values()}
        found = {}
        for record in index.records(kind):
            text = index.document(record.document_id).text
            assert text[record.char_start:record.char_end] == str(record.data["year"])
            found.setdefault(files[record.document_id], []).append(dict(record.data))
        return found, dict(index.manifest.extractors), dict(index.manifest.records)
    finally:
        index.close()


def test_records_follow_their_documents_and_their_extractor_version(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    settings = ReindexSettings(extractors=(Years(),))
    reindex(ix, [corpus], embedder=embedder, settings=settings)
    found, versions, counts = records_by_file(ix)
    assert {"year": 2025, "v": 1} in found["ke-hoach-cds.txt"]
    assert versions == {"years": 1} and counts["years"] == sum(map(len, found.values()))

    # A changed document's records are replaced; a removed one's are gone with it.
    plan = corpus / "ke-hoach-cds.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace("2025", "2031"), encoding="utf-8")
    (corpus / "thong-bao-hop.html").unlink()
    summary = reindex(ix, [corpus], embedder=embedder, settings=settings)
    assert summary.version == 2 and summary.chunks_embedded <= 3
    found, _, _ = records_by_file(ix)
    assert {r["year"] for r in found["ke-hoach-cds.txt"]} == {2031}
    assert "thong-bao-hop.html" not in found and consistent(ix)

    # A new extractor version runs again over every document, from the stored text.
    summary = reindex(ix, [corpus], embedder=embedder,
                      settings=ReindexSettings(extractors=(Years(version=2),)))
    assert summary.version == 3 and summary.chunks_embedded == 0 and summary.unchanged == 3
    found, versions, _ = records_by_file(ix)
    assert versions == {"years": 2}
    assert all(r["v"] == 2 for records in found.values() for r in records)

    # Nothing changed: nothing is published.
    again = reindex(ix, [corpus], embedder=embedder,
                    settings=ReindexSettings(extractors=(Years(version=2),)))
    assert again.version is None

    # An extractor no longer registered leaves no records behind.
    reindex(ix, [corpus], embedder=embedder, settings=ReindexSettings(extractors=()))
    found, versions, counts = records_by_file(ix)
    assert found == {} and versions == {} and counts == {}
