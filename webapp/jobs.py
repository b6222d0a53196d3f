"""A reindex started from the web (after an upload or a removal), run in the background with
its progress readable by the page; one at a time per process."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from indexer.errors import VankienError
from indexer.reindex import reindex

log = logging.getLogger(__name__)


@dataclass
class JobState:
    """What the page shows of the latest web reindex."""

    running: bool = False
    started_by: str | None = None
    stage: str = ""
    done: float = 0
    total: float = 0
    summary: dict | None = None  # added, updated, removed, skipped, version, seconds
    error: str | None = None
    finished_at: float | None = None
    skipped: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"running": self.running, "started_by": self.started_by, "stage": self.stage,
                "done": self.done, "total": self.total, "summary": self.summary,
                "error": self.error, "skipped": self.skipped,
                "finished_at": self.finished_at}


_STAGES = {"Reading": "Đọc tệp", "Indexing": "Lập chỉ mục", "Embedding": "Nhúng đoạn văn"}


class _Bar:
    """The progress callback reindex wants, writing into the job's state."""

    def __init__(self, state: JobState, total: int, desc: str):
        self.state = state
        state.stage = _STAGES.get(desc, desc)
        state.done, state.total = 0, total

    def update(self, n: float) -> None:
        self.state.done += n

    def close(self) -> None:
        pass


class ReindexJobs:
    """Runs `reindex` of the served index over its remembered folders, in a thread."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self.state = JobState()
        self._lock = threading.Lock()

    def start(self, user: str | None, embedder=None,
              on_done: Callable[[JobState], None] = lambda state: None) -> bool:
        """Start a reindex unless one runs; return whether it started."""
        with self._lock:
            if self.state.running:
                return False
            self.state = JobState(running=True, started_by=user, stage="Bắt đầu")
        thread = threading.Thread(target=self._run, args=(self.state, embedder, on_done),
                                  name="vankien-web-reindex", daemon=True)
        thread.start()
        return True

    def _run(self, state: JobState, embedder, on_done) -> None:
        try:
            summary = reindex(self.index_dir, None, embedder=embedder,
                              progress=lambda total, desc: _Bar(state, total, desc))
            state.summary = {"version": summary.version, "added": len(summary.added),
                             "updated": len(summary.updated), "removed": len(summary.removed),
                             "unchanged": summary.unchanged, "skipped": len(summary.skipped),
                             "seconds": round(summary.seconds, 1)}
            state.skipped = [{"path": path, "reason": reason}
                             for path, reason in summary.skipped[:50]]
        except VankienError as exc:
            state.error = str(exc)
        except Exception as exc:  # a bug: say so on the page, keep the server up
            log.exception("web reindex failed")
            state.error = f"{type(exc).__name__}: {exc}"
        finally:
            state.running, state.stage = False, "Xong" if state.error is None else "Lỗi"
            state.finished_at = time.time()
            on_done(state)

    def wait(self, timeout: float = 600) -> JobState:
        """Wait for the running job to end (for tests and scripts); return its state."""
        deadline = time.time() + timeout
        while self.state.running and time.time() < deadline:
            time.sleep(0.05)
        return self.state
