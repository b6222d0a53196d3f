"""The list of indexed documents: filtered by type, issuer, issue date, số hiệu and words of
the title, sorted, with counts; and what the index holds, for the home page."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from .relevance import has_diacritics
from .store import DocumentInfo, SearchBackend
from .vietnamese import fold, number_key

CATALOG_SORTS = ("date", "title", "number", "type", "issuer")


@dataclass(frozen=True)
class IndexSummary:
    documents: int
    chunks: int
    built_at: datetime | None  # when the published version was built, in local time


def index_summary(backend: SearchBackend) -> IndexSummary:
    """Say how many documents the published version holds and when it was built."""
    manifest = backend.manifest
    try:
        built = datetime.fromisoformat(manifest.built_at).astimezone() if manifest.built_at \
            else None
    except ValueError:
        built = None
    return IndexSummary(manifest.documents, manifest.chunks, built)


@dataclass(frozen=True)
class CatalogFilter:
    doc_type: str | None = None
    issuer: str | None = None
    date_from: str | None = None  # ISO, both ends included
    date_to: str | None = None
    number: str | None = None  # part of a số hiệu: "221", "KL/TW"
    title: str | None = None  # words of the title, diacritics optional

    def admits(self, document: DocumentInfo) -> bool:
        issued = document.issued_date or ""
        return ((not self.doc_type or document.doc_type == self.doc_type)
                and (not self.issuer or document.issuer == self.issuer)
                and (not self.date_from or bool(issued) and issued >= self.date_from)
                and (not self.date_to or bool(issued) and issued <= self.date_to)
                and (not self.number or number_key(self.number) in
                     number_key(document.doc_number or ""))
                and (not self.title or _contains(document.title, self.title)))


def _contains(text: str, words: str) -> bool:
    # Typed with diacritics, the words must match as written; typed without, folded.
    if has_diacritics(words):
        return " ".join(words.lower().split()) in " ".join(text.lower().split())
    return " ".join(fold(words).split()) in " ".join(fold(text).split())


@dataclass(frozen=True)
class Catalog:
    documents: list[DocumentInfo]  # all that pass the filter, sorted
    total: int  # documents in the index
    facets: dict[str, list[tuple[str, int]]]  # "type", "issuer" → (value, documents)


def _sort_key(sort: str):
    if sort == "date":
        return lambda d: d.issued_date or ""
    if sort == "number":
        return lambda d: (d.doc_number is None, number_key(d.doc_number or ""))
    field = {"title": "title", "type": "doc_type", "issuer": "issuer"}[sort]
    return lambda d: (getattr(d, field) is None, fold(getattr(d, field) or ""))


def list_documents(backend: SearchBackend, wanted: CatalogFilter = CatalogFilter(),
                   sort: str = "date", descending: bool | None = None) -> Catalog:
    """Return the documents the filter lets through, sorted (by date, newest first, unless
    told otherwise), with type and issuer counts each computed under the other filters."""
    if sort not in CATALOG_SORTS:
        raise ValueError(f"sort must be one of {CATALOG_SORTS}, not {sort!r}")
    everything = list(backend.document_infos().values())
    found = sorted((d for d in everything if wanted.admits(d)), key=lambda d: fold(d.title))
    found.sort(key=_sort_key(sort), reverse=sort == "date" if descending is None else descending)
    if sort == "date":  # undated documents last, whichever the direction
        found = [d for d in found if d.issued_date] + [d for d in found if not d.issued_date]
    facets = {}
    for facet, field in (("type", "doc_type"), ("issuer", "issuer")):
        others = replace(wanted, **{field: None})
        counter = Counter(getattr(d, field) for d in everything
                          if getattr(d, field) and others.admits(d))
        facets[facet] = counter.most_common()
    return Catalog(found, len(everything), facets)
