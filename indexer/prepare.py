"""The per-file stage of a reindex: read, parse, chunk, read the header, analyse for BM25."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .cache import text_hash
from .chunk import Chunk, ChunkerSettings, chunk_document, document_text
from .header import extract_metadata
from .ingest import ParsedDocument
from .ingest.worker import FileReader
from .lexical import lexical_fields
from .sources import SourceFile, shown
from .store import NewChunk, NewDocument, OcrPageInfo


def document_id(path: Path) -> str:
    """Return the stable id of the document at an absolute path (used in URLs)."""
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:16]


@dataclass(frozen=True)
class PreparedDocument:
    """A new or changed file, ready to embed and write."""

    document: NewDocument
    chunks: tuple[NewChunk, ...]
    embedding_texts: tuple[str, ...]  # one per chunk: what the embedder reads
    replaces: str | None  # id of the indexed document this one updates


def new_document(source: SourceFile, content_hash: str, size: int, parsed: ParsedDocument,
                 low_confidence: float = 85.0) -> NewDocument:
    """Build the stored form of a parsed file: its text, paragraph offsets and header fields."""
    text, offsets = document_text(parsed.paragraphs)
    meta = extract_metadata([p.text for p in parsed.paragraphs], shown(source.path.name))
    return NewDocument(
        id=document_id(source.path), path=str(source.path), rel_path=shown(source.rel_path),
        content_hash=content_hash, size=size, format=parsed.format,
        page_count=parsed.page_count, title=meta.title, doc_number=meta.doc_number,
        doc_type=meta.doc_type, issuer=meta.issuer, issued_date=meta.issued_date, text=text,
        paragraph_offsets=tuple(offsets),
        paragraph_pages=tuple(p.page for p in parsed.paragraphs),
        paragraph_cells=tuple(p.cell for p in parsed.paragraphs),
        ocr_pages=tuple(OcrPageInfo(page, confidence,
                                    confidence is not None and confidence < low_confidence)
                        for page, confidence in parsed.ocr_pages),
        indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def _new_chunk(chunk: Chunk) -> NewChunk:
    return NewChunk(chunk.ordinal, chunk.text, text_hash(chunk.embedding_text()), chunk.page,
                    chunk.para_start, chunk.para_end, chunk.char_start, chunk.char_end,
                    chunk.heading_path, lexical_fields(chunk.text))


def prepare(source: SourceFile, data: bytes, content_hash: str, replaces: str | None, *,
            reader: FileReader, chunker: ChunkerSettings,
            low_confidence: float) -> PreparedDocument:
    """Parse and chunk one file's content; raise UnreadableDocument when it cannot be read."""
    parsed = reader.read(source.path, data)
    chunks = chunk_document(parsed.paragraphs, chunker)
    return PreparedDocument(new_document(source, content_hash, len(data), parsed, low_confidence),
                            tuple(_new_chunk(c) for c in chunks),
                            tuple(c.embedding_text() for c in chunks), replaces)
