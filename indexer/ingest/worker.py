"""Read untrusted files for a reindex without letting one of them take the machine or the run.

Text formats are read in this process (their size is capped before they are read). PDFs,
DOCX files and images, whose readers inflate and walk structures a file controls, are read
by a worker process with a cap on its address space and a deadline: a file that asks for
more memory, or reads for longer than the deadline without progress, is skipped with the
reason, the worker is replaced, and the run goes on. OCR runs in the worker too; each page it
finishes is progress, so a long scan is not cut off while it advances. A worker past its
deadline is asked to stop first (SIGTERM), so that it kills what it started (a LibreOffice
conversion's process group, soffice.py), then killed if it has not stopped within a moment.

Whatever a reader throws for one file, expected (UnreadableDocument) or not, becomes that
file's reason to be skipped; it never stops the run.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from ..errors import OcrUnavailable, UnreadableDocument
from ..ocr import OcrReader
from .document import ParsedDocument, ReadLimits

log = logging.getLogger(__name__)

# Seconds a worker past its deadline has to end what it started before it is killed.
STOP_GRACE = 2.0


def _send(stream, message) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(8, "little"))
    stream.write(payload)
    stream.flush()


def _read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the reader's pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(stream):
    return pickle.loads(_read_exactly(stream, int.from_bytes(_read_exactly(stream, 8), "little")))


def _unexpected(exc: BaseException) -> str:
    return f"could not read: {type(exc).__name__}: {exc}"[:500]


def read_here(path: Path, data: bytes, ocr: OcrReader | None, limits: ReadLimits) -> ParsedDocument:
    """Read a file in this process; any failure becomes UnreadableDocument with the reason."""
    from . import parse_file

    try:
        return parse_file(path, data, ocr, limits)
    except UnreadableDocument:
        raise
    except MemoryError as exc:
        raise UnreadableDocument(path, "needs more memory than the reader may use") from exc
    except Exception as exc:  # a reader failing on a bad file must not stop the run
        log.info("reading %s failed", path, exc_info=True)
        raise UnreadableDocument(path, _unexpected(exc)) from exc


class FileReader:
    """Reads the files of one reindex: text formats here, the others in a bounded worker."""

    def __init__(self, ocr: OcrReader, limits: ReadLimits = ReadLimits(), progress=None):
        self.ocr = ocr  # its counters receive the worker's OCR work
        self.limits = limits
        self.progress = progress
        self._worker: subprocess.Popen | None = None
        self._bars: dict[int, object] = {}

    def __enter__(self) -> "FileReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def read(self, path: Path, data: bytes) -> ParsedDocument:
        """Read one file; raise UnreadableDocument with the reason it cannot be indexed."""
        from . import ISOLATED_SUFFIXES

        if path.suffix.lower() not in ISOLATED_SUFFIXES:
            return read_here(path, data, self.ocr, self.limits)
        worker = self._start()
        try:
            _send(worker.stdin, (str(path), data))
            return self._await(path, worker)
        except (BrokenPipeError, EOFError) as exc:
            self._stop(kill=True)
            code = worker.wait()
            why = f"signal {-code}" if code and code < 0 else f"exit status {code}"
            raise UnreadableDocument(path, f"the reader stopped while reading it ({why})") \
                from exc

    def _await(self, path: Path, worker: subprocess.Popen) -> ParsedDocument:
        deadline = time.monotonic() + self.limits.seconds
        while True:
            ready, _, _ = select.select([worker.stdout], [], [],
                                        max(0.0, deadline - time.monotonic()))
            if not ready:
                self._stop(kill=True)
                raise UnreadableDocument(path, f"reading took over {self.limits.seconds:.0f} s "
                                               "(`vankien reindex --read-timeout` raises it)")
            message = _receive(worker.stdout)
            if message[0] == "done":
                _, status, payload, ocr_work = message
                self._count_ocr(ocr_work)
                if status == "ok":
                    return payload
                raise UnreadableDocument(path, payload)
            self._show_progress(message)
            deadline = time.monotonic() + self.limits.seconds  # a page was read: it advances

    def _show_progress(self, message) -> None:
        kind, bar_id, *rest = message
        if kind == "bar" and self.progress:
            self._bars[bar_id] = self.progress(*rest)
        elif kind == "update" and bar_id in self._bars:
            self._bars[bar_id].update(rest[0])
        elif kind == "close" and bar_id in self._bars:
            self._bars.pop(bar_id).close()

    def _count_ocr(self, work: dict) -> None:
        self.ocr.pages_read += work["pages_read"]
        self.ocr.pages_cached += work["pages_cached"]
        self.ocr.seconds += work["seconds"]
        self.ocr.not_read += work["not_read"]
        if work["unavailable"] and self.ocr.unavailable is None:
            self.ocr.unavailable = OcrUnavailable(work["unavailable"])

    def _start(self) -> subprocess.Popen:
        if self._worker is None or self._worker.poll() is not None:
            config = {"limits": asdict(self.limits), "ocr": {
                "mode": self.ocr.mode, "workers": self.ocr.workers, "command": self.ocr.command,
                "dpi": self.ocr.dpi,
                "cache_dir": str(Path(self.ocr.cache_dir).absolute()) if self.ocr.cache_dir
                else None}}
            env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
            self._worker = subprocess.Popen(
                [sys.executable, "-m", "indexer.ingest.worker", json.dumps(config)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=env,
                cwd=Path(__file__).resolve().parents[2])
        return self._worker

    def _stop(self, kill: bool) -> None:
        worker, self._worker = self._worker, None
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()
        if worker is None:
            return
        if kill:
            worker.terminate()
            try:
                worker.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:  # stuck in a library's C code
                worker.kill()
        else:
            try:
                _send(worker.stdin, None)
            except (BrokenPipeError, OSError):
                worker.kill()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        for stream in (worker.stdin, worker.stdout):
            stream.close()

    def close(self) -> None:
        self._stop(kill=False)


# --- the worker's side ----------------------------------------------------------------------

class _RemoteBar:
    """A progress bar whose updates travel to the process that shows them."""

    def __init__(self, channel, bar_id: int, total: int, desc: str):
        self.channel, self.bar_id = channel, bar_id
        _send(channel, ("bar", bar_id, total, desc))

    def update(self, n: float) -> None:
        _send(self.channel, ("update", self.bar_id, n))

    def close(self) -> None:
        _send(self.channel, ("close", self.bar_id))


def _stop_on_term(signum, frame) -> None:
    # Unwinds the read in progress, so a conversion's `finally` kills soffice's process group.
    raise SystemExit(128 + signum)


def _serve(config: dict) -> None:
    signal.signal(signal.SIGTERM, _stop_on_term)
    # The pipe to the parent is a private copy of stdout; whatever a library prints goes to
    # stderr instead of into the messages.
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    requests = os.fdopen(0, "rb", buffering=0)
    logging.basicConfig(level=logging.ERROR)
    limits = ReadLimits(**config["limits"])
    bars = iter(range(1, 1 << 30))
    ocr_config = config["ocr"]
    ocr = OcrReader(ocr_config["mode"],
                    Path(ocr_config["cache_dir"]) if ocr_config["cache_dir"] else None,
                    workers=ocr_config["workers"], command=ocr_config["command"],
                    dpi=ocr_config["dpi"],
                    progress=lambda total, desc: _RemoteBar(channel, next(bars), total, desc))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(limits.memory_bytes,
                                                                              hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    while (request := _receive(requests)) is not None:
        path, data = request
        before = (ocr.pages_read, ocr.pages_cached, ocr.seconds, len(ocr.not_read))
        try:
            status, payload = "ok", read_here(Path(path), data, ocr, limits)
        except UnreadableDocument as exc:
            status, payload = "unreadable", exc.reason
        work = {"pages_read": ocr.pages_read - before[0], "pages_cached": ocr.pages_cached - before[1],
                "seconds": ocr.seconds - before[2], "not_read": ocr.not_read[before[3]:],
                "unavailable": ocr.unavailable.what if ocr.unavailable else None}
        _send(channel, ("done", status, payload, work))


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
