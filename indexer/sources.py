"""The files a reindex reads: folders walked, unsupported files counted, and its lock."""
from __future__ import annotations

import fcntl
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import IndexLocked, VankienError
from .ingest import SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel_path: str  # relative to the folder given to reindex


@dataclass
class Scan:
    """What walking the source folders found."""

    files: list[SourceFile] = field(default_factory=list)
    unsupported: Counter = field(default_factory=Counter)  # suffix → files
    # Folders that could not be listed, with why: what was indexed under them is kept.
    unreadable_folders: list[tuple[str, str]] = field(default_factory=list)


def resolve_sources(sources: Iterable[str | Path] | None, remembered: list[str] | None
                    ) -> list[Path]:
    """Return the folders to index: those given, else those the index was built from."""
    if sources:
        paths = [Path(s) for s in sources]
    elif remembered:
        paths = [Path(s) for s in remembered]
    else:
        raise VankienError("no documents to index: give a folder, e.g. `vankien reindex corpus/`")
    for path in paths:
        # A mistyped folder must not look like "every document was deleted".
        if not path.exists():
            raise VankienError(f"source folder not found: {path}")
    return paths


def scan_sources(sources: list[Path], index_dir: Path) -> Scan:
    """List the supported files under the sources; count the others by suffix.

    Hidden files and folders are left out, and so is the index itself if it lies inside a
    source folder. Symlinked folders are not followed, so a symlink loop cannot trap the walk.
    """
    scan = Scan()
    found: dict[Path, SourceFile] = {}
    skip_dir = index_dir.resolve()

    def consider(path: Path, root: Path):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            scan.unsupported[path.suffix.lower() or "(none)"] += 1
            return
        absolute = path.absolute()
        rel = os.path.relpath(absolute, root) if root.is_dir() else path.name
        found.setdefault(absolute, SourceFile(absolute, rel))

    def unreadable(error: OSError):
        scan.unreadable_folders.append((error.filename, error.strerror or str(error)))

    for source in sources:
        root = source.absolute()
        if root.is_file():
            consider(root, root.parent)
            continue
        for folder, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and Path(folder, d).resolve() != skip_dir)
            for name in sorted(filenames):
                if not name.startswith("."):
                    consider(Path(folder, name), root)
    scan.files = sorted(found.values(), key=lambda f: str(f.path))
    return scan


def inside(path: str, folders: Iterable[str]) -> bool:
    """Say whether a path lies under one of the folders."""
    return any(path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


class ReindexLock:
    """An exclusive lock on the index; the kernel drops it if the process dies."""

    def __init__(self, index_dir: Path):
        self.path = index_dir / "reindex.lock"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "unknown process"
            self.handle.close()
            raise IndexLocked(self.path, holder) from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.close()
