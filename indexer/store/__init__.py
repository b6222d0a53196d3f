"""The index on disk, and the only door to it: typed questions in, frozen records out.

An index is a directory of immutable versions (layout.py); a version is a manifest, a SQLite
database (schema.sql) and a FAISS file. `open_index` opens the published one for reading;
`VersionBuilder` writes the next one beside it and publishes it by replacing CURRENT. The
protocols in backend.py are what another engine would implement.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import IndexDamaged, IndexNotFound
from .backend import BackendBuilder, SearchBackend
from .builder import VersionBuilder, new_vector_index, schema
from .layout import current_version_dir, remove_stale_versions
from .manifest import FORMAT_VERSION, Manifest
from .records import (PARAGRAPH_SEPARATOR, DocumentInfo, Filters, IndexedFile, NewChunk,
                      NewDocument, NewRecord, NumberedDocument, OcrPageInfo, StoredChunk,
                      StoredDocument, StoredParagraph, StoredRecord)
from .sqlite import IndexVersion

__all__ = [
    "FORMAT_VERSION", "PARAGRAPH_SEPARATOR", "BackendBuilder", "DocumentInfo", "Filters",
    "IndexVersion", "IndexedFile", "Manifest", "NewChunk", "NewDocument", "NewRecord",
    "NumberedDocument", "OcrPageInfo", "SearchBackend", "StoredChunk", "StoredDocument",
    "StoredParagraph", "StoredRecord", "VersionBuilder", "current_version_dir",
    "new_vector_index", "open_index", "remove_stale_versions", "schema",
]


def open_index(index_dir: str | Path) -> IndexVersion:
    """Open the published version of an index; raise IndexNotFound if there is none.

    A damaged index (CURRENT naming nothing, a missing or corrupt file) raises IndexDamaged,
    whose message says to run `vankien reindex --full`.
    """
    index_dir = Path(index_dir)
    version_dir = current_version_dir(index_dir)
    if version_dir is None:
        raise IndexNotFound(index_dir)
    if not version_dir.is_dir():
        raise IndexDamaged(f"{index_dir / 'CURRENT'} names {version_dir.name}, which is missing")
    return IndexVersion(version_dir)
