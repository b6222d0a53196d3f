"""Check a published index: is it whole, and what command repairs it if not."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IndexDamaged, IndexFormatError, IndexNotFound
from .store import open_index


@dataclass
class IndexHealth:
    index_dir: Path
    version: int | None = None
    documents: int = 0
    chunks: int = 0
    problems: list[str] = field(default_factory=list)  # the index cannot be trusted
    stale: list[str] = field(default_factory=list)  # the index no longer mirrors the folders

    @property
    def whole(self) -> bool:
        return not self.problems

    @property
    def fix(self) -> str | None:
        """Return the command that repairs what was found, or None when nothing needs it."""
        if self.problems:
            return f"vankien reindex --full --index {self.index_dir}"
        if self.stale:
            return f"vankien reindex --index {self.index_dir}"
        return None


def check_index(index_dir: str | Path, quick: bool = False) -> IndexHealth:
    """Verify the published version; `quick` skips the slowest of SQLite's checks.

    Raises IndexNotFound when nothing was ever published (there is nothing to repair).
    """
    health = IndexHealth(Path(index_dir))
    try:
        index = open_index(index_dir)
    except IndexNotFound:
        raise
    except IndexDamaged as exc:
        health.problems.append(exc.what)
        return health
    except IndexFormatError as exc:  # another format: whole, but this version cannot read it
        health.problems.append(str(exc).split(": run ")[0])
        return health
    try:
        manifest = index.manifest
        health.version, health.documents, health.chunks = \
            manifest.version, manifest.documents, manifest.chunks
        health.problems += index.problems(quick=quick)
        if not quick and not health.problems:
            missing = [f.path for f in index.indexed_files() if not os.path.exists(f.path)]
            if missing:
                health.stale.append(f"{len(missing)} indexed files are no longer where they were "
                                    "indexed from (moved or deleted)")
    finally:
        index.close()
    return health
