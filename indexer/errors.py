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
    """A PDF without a text layer (a scan)."""

    def __init__(self, path):
        super().__init__(path, "no text layer (scanned PDF?): needs OCR, skipped")


class IndexNotFound(VankienError):
    def __init__(self, index_dir):
        super().__init__(
            f"no index at {index_dir}: build one with `vankien reindex FOLDER --index {index_dir}`"
        )


class IndexFormatError(VankienError):
    """The index directory is damaged or was written by an incompatible version."""


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
