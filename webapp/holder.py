"""Hold the index a process serves, and swap in a newly published version between requests."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from indexer.access import EVERYTHING, Access, scoped
from indexer.embed import Embedder
from indexer.search import Searcher
from indexer.errors import IndexDamaged
from indexer.store import current_version_dir, open_index

log = logging.getLogger(__name__)


class IndexHolder:
    """Gives each request the Searcher of the published version.

    CURRENT is a few bytes, so it is read on every request; when it names a new version,
    that version is opened and used from then on. A request already running keeps the
    Searcher it was given: the old version's files stay until the reindex after next.
    """

    def __init__(self, index_dir: Path, embedder: Embedder | None = None):
        self.index_dir = index_dir
        self._embedder = embedder
        self._searcher: Searcher | None = None
        self._version_dir: Path | None = None
        self._lock = threading.Lock()
        self._scoped: dict[Access, Searcher] = {}

    def searcher(self) -> Searcher:
        """Return the Searcher for the published version; raise IndexNotFound if none."""
        published = current_version_dir(self.index_dir)
        if self._searcher is not None and published == self._version_dir:
            return self._searcher
        with self._lock:
            if self._searcher is None or published != self._version_dir:
                index = open_index(self.index_dir)
                # Checked once per version (they never change): a damaged one is not served.
                problems = index.problems(quick=True)
                if problems:
                    index.close()
                    raise IndexDamaged("; ".join(problems))
                embedder = self._embedder
                if embedder is None or embedder.id != index.manifest.embedder_id:
                    embedder = None  # Searcher loads the one the index was built with
                self._searcher = Searcher.open(index, embedder)
                self._embedder = self._searcher.embedder
                self._version_dir = index.directory
                self._scoped = {}
                log.info("serving %s", index.directory)
            return self._searcher

    def searcher_for(self, access: Access) -> Searcher:
        """Return the Searcher of the published version as `access` sees it: only the
        documents of its collections (and marked ones if allowed), through every method."""
        searcher = self.searcher()
        if access == EVERYTHING:
            return searcher
        with self._lock:
            if self._searcher is not searcher:  # a new version came in meanwhile
                return searcher.scoped(scoped(searcher.index, access))
            found = self._scoped.get(access)
            if found is None:
                found = self._scoped[access] = searcher.scoped(scoped(searcher.index, access))
                while len(self._scoped) > 64:  # one per distinct grant; bounded all the same
                    self._scoped.pop(next(iter(self._scoped)))
            return found

