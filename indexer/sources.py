"""The files a reindex reads: folders walked, what cannot be read said so, and its lock."""
from __future__ import annotations

import fcntl
import os
import re
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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, what to do)
    # Folders that could not be listed, with why: what was indexed under them is kept.
    unreadable_folders: list[tuple[str, str]] = field(default_factory=list)


_CONVERT = "convert it with `soffice --headless --convert-to {0} FILE` (LibreOffice) or save it " \
           "as .{0}, then reindex"
# What to do with the document formats an office has that Vankien does not read (.doc, .rtf,
# .odt, .xls, .ods are converted by LibreOffice: ingest/office.py).
UNSUPPORTED_HINTS = {
    **{suffix: f"{kind} is not read: " + _CONVERT.format("docx") for suffix, kind in (
        (".wps", "Works (.wps)"), (".docm", "Word with macros (.docm)"))},
    **{suffix: f"{kind} is not read: " + _CONVERT.format("pdf") for suffix, kind in (
        (".ppt", "PowerPoint (.ppt)"), (".pptx", "PowerPoint (.pptx)"),
        (".odp", "OpenDocument presentation"))},
}
# Files that operating systems and office programs leave beside documents: never documents.
_NOT_DOCUMENTS = re.compile(r"(?i)^(?:thumbs\.db|desktop\.ini|~\$.*|~.*\.tmp)$")


def _not_read(path: Path) -> str:
    suffix = path.suffix.lower()
    return UNSUPPORTED_HINTS.get(suffix) or (
        f"not a document type Vankien reads ({suffix or 'no extension'}); it reads "
        ".txt .md .pdf .docx .html .xlsx, scans (.png .jpg .tif), and with LibreOffice "
        ".doc .rtf .odt .xls .ods")


def shown(path: str | Path) -> str:
    """Return a path as it can be printed and stored as text: bytes of a file name that are
    not UTF-8 (an old Windows disk's) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


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
    source folder. Symbolic links found in a folder are not followed (a link to a folder could
    trap the walk in a loop, a link to a file could publish a file from anywhere); a file given
    by name is read even if it is a link.
    """
    scan = Scan()
    found: dict[Path, SourceFile] = {}
    skip_dir = index_dir.resolve()

    def consider(path: Path, root: Path):
        if _NOT_DOCUMENTS.match(path.name):
            return
        if path.is_symlink():
            # Followed, a link could publish any file the indexing user may read.
            scan.skipped.append((str(path.absolute()), "a symbolic link, not followed: index "
                                 "the file it points to in its own folder"))
            return
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            scan.skipped.append((str(path.absolute()), _not_read(path)))
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
            for link in [d for d in dirnames if Path(folder, d).is_symlink()]:
                scan.skipped.append((str(Path(folder, link).absolute()),
                                     "a symbolic link to a folder, not followed"))
            for name in sorted(filenames):
                if not name.startswith("."):
                    consider(Path(folder, name), root)
    scan.files = sorted(found.values(), key=lambda f: str(f.path))
    return scan


def inside(path: str, folders: Iterable[str]) -> bool:
    """Say whether a path lies under one of the folders."""
    return any(path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


class ReindexLock:
    """An exclusive lock on the index; the kernel drops it if the process dies.

    The lock file is removed when the run ends, so a failed run leaves nothing behind. Since
    another process may have opened the file just before it was removed, a lock taken is
    only kept if the file it locks is still the one at the path.
    """

    def __init__(self, index_dir: Path):
        self.path = index_dir / "reindex.lock"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = open(self.path, "a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown process"
                handle.close()
                raise IndexLocked(self.path, holder) from None
            try:
                still_there = os.stat(self.path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                still_there = False
            if still_there:
                break
            handle.close()  # the run before removed it as we opened it: take the new one
        self.handle = handle
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        return self

    def __exit__(self, *exc):
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        finally:
            self.handle.close()
