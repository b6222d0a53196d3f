"""A reindex started from the web (after an upload or a removal), run in the background with
its progress readable by the page; one at a time per process, and a change made while one
runs is taken in by another run right after it."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import VankienError
from indexer.reindex import reindex
from indexer.sources import inside

log = logging.getLogger(__name__)


@dataclass
class JobState:
    """What the latest web reindex did; `view` says what of it one user may read."""

    running: bool = False
    stage: str = ""
    done: float = 0
    total: float = 0
    version: int | None = None
    seconds: float | None = None
    added: list[str] = field(default_factory=list)  # absolute paths
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    error: str | None = None
    finished_at: float | None = None

    def view(self, folders: list[str] | None) -> dict:
        """The state as a user whose collections are these folders sees it (None: all):
        counts and skipped files of their folders only, paths relative to them."""
        def mine(paths):
            return [p for p in paths if folders is None or inside(p, folders)]

        def shown(path: str) -> str:
            for folder in folders or ():
                if inside(path, [folder]):
                    return path[len(folder.rstrip("/")) + 1:]
            return path

        finished = not self.running and self.finished_at is not None
        return {
            "running": self.running, "stage": self.stage,
            "progress": round(self.done / self.total, 3) if self.total else 0.0,
            "finished": finished, "error": self.error if folders is None or not self.error
            else "Cập nhật chỉ mục không thành công; người quản trị xem chi tiết trong nhật ký.",
            "summary": {"added": len(mine(self.added)), "updated": len(mine(self.updated)),
                        "removed": len(mine(self.removed)),
                        "skipped": len(mine(p for p, _ in self.skipped)),
                        "seconds": self.seconds} if finished and self.error is None else None,
            "skipped": [{"path": shown(p), "reason": r} for p, r in self.skipped
                        if folders is None or inside(p, folders)][:50],
        }


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
        self._again = False
        self._thread: threading.Thread | None = None

    def start(self, embedder=None) -> str:
        """Start a reindex; if one runs, have another run after it (a file it had already
        listed may have changed). Return "started" or "queued"."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return "queued"
            self.state = JobState(running=True, stage="Bắt đầu")
            self._thread = threading.Thread(target=self._loop, args=(embedder,),
                                            name="vankien-web-reindex", daemon=True)
            self._thread.start()
            return "started"

    def _loop(self, embedder) -> None:
        while True:
            self._run(self.state, embedder)
            with self._lock:
                if not self._again:
                    return
                self._again = False
                self.state = JobState(running=True, stage="Bắt đầu")

    def _run(self, state: JobState, embedder) -> None:
        try:
            summary = reindex(self.index_dir, None, embedder=embedder,
                              progress=lambda total, desc: _Bar(state, total, desc))
            state.version, state.seconds = summary.version, round(summary.seconds, 1)
            state.added, state.updated = list(summary.added), list(summary.updated)
            state.removed, state.skipped = list(summary.removed), list(summary.skipped)
        except VankienError as exc:
            state.error = str(exc)
        except Exception as exc:  # a bug: say so on the page, keep the server up
            log.exception("web reindex failed")
            state.error = f"{type(exc).__name__}: {exc}"
        finally:
            state.running, state.stage = False, "Xong" if state.error is None else "Lỗi"
            state.finished_at = time.time()

    def wait(self, timeout: float = 600) -> JobState:
        """Wait for the running job (and a queued one) to end; return the last state."""
        deadline = time.time() + timeout
        while self._thread is not None and self._thread.is_alive() and time.time() < deadline:
            time.sleep(0.05)
        return self.state
