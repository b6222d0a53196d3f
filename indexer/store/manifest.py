"""A version's manifest.json: what built it, with which settings, and what it holds."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import IndexDamaged, IndexFormatError

# 2: chunks_fts, the lexical index; 3: documents.ocr_pages; 4: records, schema.sql
FORMAT_VERSION = 4
MANIFEST_FILE = "manifest.json"


@dataclass
class Manifest:
    version: int
    embedder_id: str
    embedder_spec: str
    dimension: int
    chunker: dict
    sources: list[str]
    documents: int
    chunks: int
    built_at: str
    build_seconds: float
    pipeline: int = 0  # version of ingestion and normalisation (reindex.PIPELINE_VERSION)
    vector_index: str = "IndexIDMap2(IndexFlatIP)"
    format_version: int = FORMAT_VERSION
    skipped: list[dict] = field(default_factory=list)
    extractors: dict = field(default_factory=dict)  # record kind → extractor version
    records: dict = field(default_factory=dict)  # record kind → how many the version holds
    collections: dict = field(default_factory=dict)  # source (as in `sources`) → collection name

    def write(self, directory: Path) -> None:
        path = directory / MANIFEST_FILE
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        """Read a version's manifest; raise IndexDamaged or IndexFormatError, saying what to run."""
        try:
            data = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise IndexDamaged(f"cannot read {directory / MANIFEST_FILE}: {exc}") from exc
        if not isinstance(data, dict):
            raise IndexDamaged(f"{directory / MANIFEST_FILE} is not a manifest "
                               f"(a JSON {type(data).__name__})")
        if data.get("format_version") != FORMAT_VERSION:
            raise IndexFormatError(
                f"index format {data.get('format_version')} in {directory} is not the "
                f"supported format {FORMAT_VERSION}: run `vankien reindex --full` to rebuild")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError as exc:  # a required field is missing
            raise IndexDamaged(f"{directory / MANIFEST_FILE} is incomplete ({exc})") from exc
