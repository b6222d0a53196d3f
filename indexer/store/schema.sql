-- The metadata database of one index version (meta.sqlite). Read only through indexer.store.
-- Bump FORMAT_VERSION in indexer/store/manifest.py whenever this changes.

CREATE TABLE documents (
    id TEXT PRIMARY KEY,          -- hash of the path: stable, safe in URLs
    path BLOB UNIQUE NOT NULL,    -- absolute path of the original file, as the file system's
                                  -- bytes (a name need not be valid UTF-8)
    rel_path TEXT NOT NULL,       -- path relative to the source folder, for display (bytes
                                  -- that are not UTF-8 shown as U+FFFD)
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    page_count INTEGER,
    title TEXT NOT NULL,
    doc_number TEXT,
    doc_type TEXT,
    issuer TEXT,
    issued_date TEXT,             -- ISO YYYY-MM-DD
    text TEXT NOT NULL,           -- normalised text; chunk and record offsets point into it
    paragraph_offsets TEXT NOT NULL,  -- JSON list: where each paragraph starts in text
    paragraph_pages TEXT NOT NULL,    -- JSON list: each paragraph's page, or null
    paragraph_cells TEXT NOT NULL,    -- JSON list: [table, row, column] of a paragraph in a
                                      -- table cell, or null
    ocr_pages TEXT,               -- JSON [{page, confidence, low}] of pages read by OCR, or NULL
    indexed_at TEXT NOT NULL
);

CREATE TABLE chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the FAISS id; never reused
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,      -- hash of the embedded text: the embedding cache's key
    page INTEGER,
    para_start INTEGER NOT NULL,
    para_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    heading_path TEXT NOT NULL    -- JSON list of the headings above the chunk
);
CREATE INDEX chunks_by_document ON chunks(document_id);

-- BM25 over each chunk three ways (see indexer/lexical.py); rowid = chunks.id.
CREATE VIRTUAL TABLE chunks_fts USING fts5(folded, exact, pairs,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");

-- What extractors read out of a document (indexer/extract): one row per record, its kind
-- named by the extractor, its span in documents.text, its fields as JSON.
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX records_by_kind ON records(kind, document_id);
CREATE INDEX records_by_document ON records(document_id);
