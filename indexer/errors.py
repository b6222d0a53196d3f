"""Errors a user can act on; each message says what happened and what to do."""
from __future__ import annotations


class VankienError(Exception):
    """Base of the errors the CLI and the web app report without a traceback."""


class UnreadableDocument(VankienError):
    """A file that cannot be turned into text; the reindex skips it and says why."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NeedsOCR(UnreadableDocument):
    """A scan (a PDF without a text layer, or an image) left unread: OCR is off or missing."""

    def __init__(self, path, what: str = "no text layer (scanned PDF?)", why: str = "skipped"):
        super().__init__(path, f"{what}: needs OCR, {why}")


class IndexNotFound(VankienError):
    def __init__(self, index_dir):
        message = (f"no index at {index_dir}: build one with "
                   f"`vankien reindex FOLDER --index {index_dir}`")
        if _holds_documents(index_dir):
            # `--index corpus/`: the documents folder given where the index is wanted.
            message = (f"{index_dir} holds documents, not an index: --index names where the "
                       f"index is kept; index this folder with `vankien reindex {index_dir}` "
                       "(the index goes to ./vankien-index unless --index says otherwise)")
        super().__init__(message)


def _holds_documents(folder) -> bool:
    from pathlib import Path

    suffixes = {".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm", ".xlsx", ".xls",
                ".odt", ".rtf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
    try:
        return any(path.suffix.lower() in suffixes for path in Path(folder).iterdir()
                   if path.is_file())
    except OSError:
        return False


class IndexFormatError(VankienError):
    """The index directory is damaged or was written by an incompatible version."""


class IndexDamaged(IndexFormatError):
    """A file of the published version is missing or corrupt; a full reindex rebuilds it."""

    def __init__(self, what: str):
        self.what = what
        super().__init__(f"the index is damaged: {what}; run `vankien reindex --full` "
                         "to rebuild it from the documents (embeddings come from the cache)")


class IndexWriteFailed(VankienError):
    """A new version could not be written (disk full, read-only folder); the served one stays."""

    def __init__(self, index_dir, reason: str):
        super().__init__(f"cannot write the index at {index_dir}: {reason}; the version being "
                         "served is unchanged")


class EmbedderMismatch(VankienError):
    def __init__(self, index_embedder: str, requested: str):
        super().__init__(
            f"the index was built with embedder '{index_embedder}', not '{requested}': "
            f"run a full reindex (`vankien reindex --full --embedder {requested}`) "
            f"or search with --embedder {index_embedder}"
        )


class IndexLocked(VankienError):
    def __init__(self, lock_path, holder: str):
        super().__init__(
            f"another reindex is running on this index ({holder}); "
            f"wait for it to finish (lock file {lock_path})"
        )


class EmbedderUnavailable(VankienError):
    """The embedding model named in the configuration cannot be loaded."""


class OcrUnavailable(VankienError):
    """Tesseract or its Vietnamese model is missing: scans cannot be read until it is installed."""

    INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"

    def __init__(self, what: str):
        self.what = what
        super().__init__(f"{what}: install it with `{self.INSTALL}`")


class OcrFailed(VankienError):
    """Tesseract could not read a page (or the page could not be turned into an image)."""
