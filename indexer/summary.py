"""What a reindex did, for the CLI's summary and for scheduled jobs to check."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol


class ProgressBar(Protocol):
    """What long work reports progress to; the CLI passes a tqdm bar."""

    def update(self, n: float) -> None: ...

    def close(self) -> None: ...


Progress = Callable[[int, str], ProgressBar]


@dataclass
class ReindexSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    rebuilt: int = 0  # unchanged files read again by a full rebuild
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    chunks_embedded: int = 0
    chunks_from_cache: int = 0
    embed_seconds: float = 0.0
    documents: int = 0
    chunks: int = 0
    records: dict[str, int] = field(default_factory=dict)  # record kind → records in the index
    seconds: float = 0.0
    version: int | None = None  # None: nothing changed, nothing published
    ocr_pages: int = 0  # pages recognised by OCR in this run
    ocr_pages_cached: int = 0  # pages whose OCR text came from the cache
    ocr_seconds: float = 0.0
    # (path, page, mean word confidence) of OCR'd pages under the confidence threshold
    ocr_low_confidence: list[tuple[str, int, float]] = field(default_factory=list)
    ocr_unavailable: str | None = None  # why OCR could not run, and how to install it
    ocr_not_read: list[str] = field(default_factory=list)  # files that needed it then
    cache_set_aside: str | None = None  # where a damaged embedding cache was moved
    # Folders that could not be listed: what was indexed under them is kept, not removed.
    unreadable_folders: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def note(self, path: str, indexed_hash: str | None, content_hash: str) -> None:
        """Count a file that is being indexed against what the served version held."""
        if indexed_hash is None:
            self.added.append(path)
        elif indexed_hash != content_hash:
            self.updated.append(path)
        else:
            self.rebuilt += 1
