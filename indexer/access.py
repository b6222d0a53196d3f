"""Collections and confidentiality: which indexed documents one reader may see.

Each folder given to `vankien reindex` is a collection, named after the folder unless the
reindex named it (`--collection`); the manifest keeps the names, so a document's collection
follows from the folder its file lies in. A document whose header carries a confidentiality
mark (indexer.marking) is "marked"; whether a reader sees marked documents of the collections
granted to them is the access rule (accounts.py decides both for a user).
"""
from __future__ import annotations

import os
import re
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import VankienError
from .store import Manifest, SearchBackend
from .store.scoped import ScopedIndex

MAX_NAME = 80
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f,/\\]|^\.{1,2}$")


def check_collection_name(name: str) -> str:
    """Return a collection name with its spaces collapsed; refuse one that cannot be granted."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME or _BAD_NAME.search(cleaned):
        raise VankienError(f"collection name {name!r} is not allowed: give 1–{MAX_NAME} "
                           "characters without commas, slashes or control characters")
    return cleaned


def default_collection(source: str | Path) -> str:
    """The name of a source folder's collection when none is given: the folder's name (for a
    file given alone, its folder's)."""
    path = Path(source)
    name = path.name if path.is_dir() or not path.suffix else path.parent.name
    return " ".join(name.split()) or "tai-lieu"


def name_collections(sources: Sequence[str], names: Sequence[str],
                     remembered: Mapping[str, str]) -> dict[str, str]:
    """Return source → collection name: the names given, in the order of the sources; else
    the name the index had for that source; else the folder's name."""
    if len(names) > len(sources):
        raise VankienError(f"{len(names)} collection names for {len(sources)} folders: give at "
                           "most one --collection per folder, in the folders' order")
    named = dict(zip(sources, (check_collection_name(n) for n in names)))
    result = {source: named.get(source) or remembered.get(source) or default_collection(source)
              for source in sources}
    # Two folders may share a collection when told so; by their names alone (two "vb"
    # folders of different offices) they would merge without anyone deciding it.
    by_name: dict[str, list[str]] = {}
    for source, name in result.items():
        by_name.setdefault(name, []).append(source)
    for name, folders in by_name.items():
        if len(folders) > 1 and not all(name in (named.get(f), remembered.get(f))
                                        for f in folders):
            raise VankienError(
                f"{len(folders)} folders would form one collection {name!r} because of their "
                f"names ({', '.join(folders)}): name them with --collection, one per folder in "
                "their order (the same name twice to merge them on purpose)")
    return result


def collection_of(path: str, manifest: Manifest) -> str:
    """Return the collection of an indexed file: that of the source folder holding it."""
    best = None
    for source in manifest.sources:
        if path == source or path.startswith(source.rstrip(os.sep) + os.sep):
            if best is None or len(source) > len(best):
                best = source
    if best is None:
        return default_collection(Path(path).parent)
    return manifest.collections.get(best) or default_collection(best)


@dataclass(frozen=True)
class DocumentAccess:
    """What access rules read of one document."""

    collection: str
    mark: str | None  # the confidentiality mark, or None


_TABLES: "weakref.WeakKeyDictionary[object, dict[str, DocumentAccess]]" = \
    weakref.WeakKeyDictionary()


def access_table(index: SearchBackend) -> dict[str, DocumentAccess]:
    """Return document id → its collection and mark, once per published version."""
    table = _TABLES.get(index)
    if table is None:
        marks = {r.document_id: r.data.get("mark") for r in index.records("marking")}
        table = {f.document_id: DocumentAccess(collection_of(f.path, index.manifest),
                                               marks.get(f.document_id))
                 for f in index.indexed_files()}
        _TABLES[index] = table
    return table


@dataclass(frozen=True)
class Access:
    """What one reader may see: some collections (None: all) and whether marked documents."""

    collections: frozenset[str] | None = None
    marked: bool = True

    @property
    def everything(self) -> bool:
        return self.collections is None and self.marked

    def admits(self, document: DocumentAccess) -> bool:
        return ((self.collections is None or document.collection in self.collections)
                and (self.marked or document.mark is None))


EVERYTHING = Access()


def visible_documents(index: SearchBackend, access: Access) -> frozenset[str]:
    """Return the ids of the documents `access` lets a reader see."""
    return frozenset(doc_id for doc_id, document in access_table(index).items()
                     if access.admits(document))


def scoped(index: SearchBackend, access: Access) -> SearchBackend:
    """Return the index as `access` sees it (the index itself when it sees every document)."""
    if access.everything:
        return index
    visible = visible_documents(index, access)
    return index if len(visible) == len(access_table(index)) else ScopedIndex(index, visible)


def collections(index: SearchBackend) -> dict[str, int]:
    """Return every collection the index holds, with its number of documents."""
    counts: dict[str, int] = {}
    for document in access_table(index).values():
        counts[document.collection] = counts.get(document.collection, 0) + 1
    return dict(sorted(counts.items()))


def marked_documents(index: SearchBackend) -> dict[str, str]:
    """Return document id → confidentiality mark, for the marked documents."""
    return {doc_id: d.mark for doc_id, d in access_table(index).items() if d.mark}


def unknown_collections(index: SearchBackend, names: Iterable[str]) -> list[str]:
    """Return the names that are no collection of the index (a grant may precede its folder)."""
    known = collections(index)
    return [name for name in names if name not in known]


def collection_folders(manifest: Manifest) -> dict[str, list[str]]:
    """Return each collection's source folders (files given alone are not folders)."""
    folders: dict[str, list[str]] = {}
    for source in manifest.sources:
        if Path(source).is_dir():
            name = manifest.collections.get(source) or default_collection(source)
            folders.setdefault(name, []).append(source)
    return folders
