"""Where things lie in an index directory, and how a version is published and cleaned up.

    INDEX/
      CURRENT                 name of the published version, replaced atomically
      versions/v000007/       one snapshot: manifest.json, meta.sqlite, vectors.faiss
      versions/.building-*/   a snapshot being written; never read, removed by the next run
      cache/embeddings.sqlite vectors keyed by embedder and chunk-text hash; survives crashes
      cache/ocr/<sha256>.json OCR text and confidence of a scanned file's pages, by file hash
      reindex.lock            held by the running reindex
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..errors import IndexDamaged

CURRENT_FILE = "CURRENT"
VERSIONS_DIR = "versions"
DB_FILE = "meta.sqlite"
VECTORS_FILE = "vectors.faiss"
_VERSION_NAME = re.compile(r"v\d{6}")


def current_version_dir(index_dir: Path) -> Path | None:
    """Return the directory CURRENT names, or None if nothing is published.

    Raise IndexDamaged when CURRENT exists but names no version (empty, binary, garbage).
    """
    try:
        raw = (Path(index_dir) / CURRENT_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexDamaged(f"cannot read {Path(index_dir) / CURRENT_FILE} ({exc.strerror})") \
            from exc
    name = raw.decode("ascii", "replace").strip()
    if not _VERSION_NAME.fullmatch(name):
        raise IndexDamaged(f"{Path(index_dir) / CURRENT_FILE} names no version "
                           f"({raw[:40]!r})")
    return Path(index_dir) / VERSIONS_DIR / name


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def publish_pointer(index_dir: Path, version_dir: Path) -> None:
    """Make `version_dir` the version readers open: replace CURRENT atomically."""
    pending = index_dir / f"{CURRENT_FILE}.new"
    pending.write_text(version_dir.name + "\n", encoding="utf-8")
    fsync_file(pending)
    os.replace(pending, index_dir / CURRENT_FILE)
    fsync_dir(index_dir)


def next_version_number(index_dir: Path) -> int:
    """Return a number above every version in the directory, published or not."""
    versions = index_dir / VERSIONS_DIR
    numbers = [int(p.name[1:]) for p in versions.glob("v[0-9]*") if p.name[1:].isdigit()]
    return max(numbers, default=0) + 1


def remove_stale_versions(index_dir: Path, keep: int = 2) -> None:
    """Delete unfinished builds and all but the newest `keep` published versions.

    The version before the current one stays so that readers still holding it can finish.
    With CURRENT damaged, no published version is deleted: the rebuild may want to look.
    """
    versions = index_dir / VERSIONS_DIR
    if not versions.is_dir():
        return
    for unfinished in versions.glob(".building-*"):
        shutil.rmtree(unfinished, ignore_errors=True)
    try:
        current = current_version_dir(index_dir)
    except IndexDamaged:
        return
    current_number = int(current.name[1:]) if current else 0
    published = sorted(p for p in versions.glob("v[0-9]*") if p.is_dir() and p.name[1:].isdigit())
    for version in published:
        # A version newer than CURRENT was written by a run killed before it published.
        if int(version.name[1:]) > current_number:
            shutil.rmtree(version, ignore_errors=True)
    published = [p for p in published if int(p.name[1:]) <= current_number]
    for old in published[:-keep]:
        if current is None or old.name != current.name:
            shutil.rmtree(old, ignore_errors=True)
