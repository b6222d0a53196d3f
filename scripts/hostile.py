"""The hostile-input battery of issue 12, run against the real command line and server.

    python scripts/hostile.py [--keep] [--only SUBSTRING] [--strict]

Builds every hostile input (tests/hostile_inputs.py) in a temporary folder, runs `vankien
reindex`, `check`, `search`, `ask`, `info` and `vankien serve` (over HTTP with urllib) against
them, and prints one line per class:

    ok      <class>: <what was observed>
    defect  <class>: <what was observed>
    skip    <class>: skipped: <why>

then a count. Every subprocess runs with a timeout and an address-space limit, so a defect shows
up as "timeout" or "killed" instead of hanging or swapping the machine. The exit status is 0 (it
is a report) unless --strict is given and a class shows a defect.

The code under test is the checkout this script lies in (PYTHONPATH points at it), run by the
Python running this script: use the project's venv, `.venv/bin/python scripts/hostile.py`.
Standard library only, besides tests/hostile_inputs.py.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
import hostile_inputs as H  # noqa: E402  (needs the path above)

MEMORY_LIMIT = 3 * 2**30       # RLIMIT_AS of every subprocess: a bomb dies instead of swapping
REINDEX_TIMEOUT = 60           # seconds; a good 4-file reindex takes about 1 s here
COMMAND_TIMEOUT = 60           # search, ask, info, check
SERVE_READY_TIMEOUT = 60       # model load and index open before the first answer
HTTP_TIMEOUT = 30
# What one hostile file may cost a reindex of it and three small documents.
BUDGET_SECONDS = 20
BUDGET_MB = 1024
NEW_MARKER = "dauhieumoi"      # a document added after the index was built
VIETNAMESE = re.compile("[ăâđêôơưạ-ỹ]", re.IGNORECASE)  # letters only Vietnamese text has


# --- running the command line -----------------------------------------------------------------

@dataclass
class Run:
    """What one subprocess did: exit status (None if it was stopped), output, cost."""
    rc: int | None
    output: str
    seconds: float
    peak_mb: float
    signal: int | None = None
    timed_out: bool = False

    @property
    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.strip()]

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.output

    def last_error(self) -> str:
        """The exception line of a traceback (the last line naming an error), shortened."""
        for line in reversed(self.lines):
            if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt|Warning)\b", line.strip()) \
                    or re.match(r"^[\w.]+: ", line.strip()):
                return short(line.strip())
        return short(self.lines[-1]) if self.lines else "(no output)"

    def describe(self) -> str:
        """A few words on how it ended, for the report line."""
        if self.timed_out:
            return f"timeout after {self.seconds:.0f} s"
        if self.signal is not None:
            return f"killed by signal {self.signal} ({self.peak_mb:.0f} MB)"
        if self.traceback:
            return f"rc {self.rc}, traceback: {self.last_error()}"
        if not self.lines:
            return f"rc {self.rc}, no output"
        extra = f" (+{len(self.lines) - 1} lines)" if len(self.lines) > 1 else ""
        return f"rc {self.rc}: {short(self.lines[0])}{extra}"

    def one_line_error(self) -> bool:
        """Non-zero exit, no traceback, exactly one line of output: what the issue asks."""
        return (self.rc not in (0, None) and not self.traceback and len(self.lines) == 1
                and "No such command" not in self.output)


ROOT_SHOWN_AS = "$TMP"  # the temporary folder, in observations: shorter lines
_root: str | None = None


def short(text: str, limit: int = 110) -> str:
    """One line of at most `limit` characters, the temporary folder's path abbreviated."""
    if _root:
        text = text.replace(_root, ROOT_SHOWN_AS)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def cli_prefix() -> list:
    """`python -m indexer.cli` of this interpreter; else the `vankien` script beside it."""
    probe = subprocess.run([sys.executable, "-m", "indexer.cli", "--help"], env=child_env(),
                           capture_output=True, timeout=120, cwd=tempfile.gettempdir())
    if probe.returncode == 0:
        return [sys.executable, "-m", "indexer.cli"]
    script = Path(sys.executable).with_name("vankien")
    if script.exists():
        return [str(script)]
    sys.exit(f"cannot run the CLI: {probe.stderr.decode(errors='replace')[-500:]}")


def child_env(extra: dict | None = None) -> dict:
    """The environment of every subprocess: this checkout first, offline, no VANKIEN_* leaks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANKIEN_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["HF_HUB_OFFLINE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the checkout is someone's work tree: write nothing
    env.update(extra or {})
    return env


def limits(user: pwd.struct_passwd | None = None):
    """preexec_fn: cap the address space and, if asked, drop to another user."""
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if user is not None:
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
    return apply


def run(command: list, timeout: float, cwd: Path, user=None, env: dict | None = None) -> Run:
    """Run a command to its end or its timeout; measure wall time and peak RSS (wait4)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd, env=env or child_env(),
                                preexec_fn=limits(user), start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        seconds = time.perf_counter() - started
        _kill_group(proc.pid)  # a child left behind (tesseract) must not outlive the case
        out.seek(0)
        text = out.read().decode("utf-8", errors="backslashreplace")
    killed = -proc.returncode if proc.returncode < 0 and not timed_out else None
    return Run(None if timed_out or killed else proc.returncode, text, seconds,
               usage.ru_maxrss / 1024, killed, timed_out)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Battery:
    """Shared state: the temporary folder, the CLI, and inputs built once for many classes."""

    def __init__(self, root: Path):
        self.root = root
        self.cli = cli_prefix()
        self._base: tuple[Path, Path] | None = None
        self._doc_id: str | None = None
        self.baseline: Run | None = None  # the base reindex, to read hostile files' costs against
        self.servers: list[Server] = []

    def vankien(self, *args, timeout: float = COMMAND_TIMEOUT, user=None, env=None) -> Run:
        return run([*self.cli, *map(_arg, args)], timeout, self.root, user, env)

    def reindex(self, sources: list[Path], index: Path, *extra, user=None) -> Run:
        return self.vankien("reindex", *sources, "--index", index, "--quiet", *extra,
                            timeout=REINDEX_TIMEOUT, user=user)

    def case(self, name: str) -> Path:
        folder = self.root / name.replace("/", "-")
        folder.mkdir(parents=True, exist_ok=False)
        return folder

    def base(self) -> tuple[Path, Path]:
        """(documents, index): the three good documents, indexed once; cases copy it."""
        if self._base is None:
            docs, index = self.root / "base-docs", self.root / "base-ix"
            H.good_documents(docs)
            result = self.reindex([docs], index)
            if result.rc != 0:
                raise SystemExit(f"cannot build the base index: {result.describe()}\n{result.output}")
            self.baseline = result
            self._base = docs, index
        return self._base

    def copy_base(self, folder: Path) -> tuple[Path, Path]:
        docs, index = self.base()
        copy = folder / "ix"
        shutil.copytree(index, copy, symlinks=True)
        return docs, copy

    def base_document_id(self) -> str:
        """The id of a good document in the base index (for /documents/<id>)."""
        if self._doc_id is None:
            docs, index = self.base()
            hits = search_hits(self, index, H.GOOD_MARKERS["ke-hoach-tot.txt"]) or []
            self._doc_id = hits[0]["document"]["id"] if hits else "0" * 16
        return self._doc_id

    def close(self) -> None:
        for server in self.servers:
            server.stop()


def _arg(value):
    """Command-line arguments: bytes pass as they are (a lone surrogate), the rest as str."""
    return value if isinstance(value, bytes) else str(value)


def search_hits(battery: Battery, index: Path, query, k: int = 5) -> list[dict] | None:
    """The hits of `vankien search --json`, or None if the command failed."""
    result = battery.vankien("search", query, "-k", k, "--json", "--index", index)
    if result.rc != 0:
        return None
    try:
        return json.loads(result.output)
    except ValueError:
        return None


def found(hits: list[dict] | None, word: str) -> bool:
    return bool(hits) and any(word in hit.get("text", "").lower() for hit in hits)


def good_searchable(battery: Battery, index: Path) -> tuple[int, int]:
    """How many of the good documents' marker words search finds: (found, of)."""
    markers = list(H.GOOD_MARKERS.values())
    return sum(found(search_hits(battery, index, word), word) for word in markers), len(markers)


# --- the server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`vankien serve` in the background, with the same limits as every command."""

    def __init__(self, battery: Battery, index: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [*battery.cli, "serve", "--index", str(index), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=battery.root,
            env=child_env(), preexec_fn=limits(), start_new_session=True)
        battery.servers.append(self)

    def wait_ready(self) -> Run | None:
        """Wait for the first HTTP answer; return the Run if the server exited instead."""
        started = time.perf_counter()
        while time.perf_counter() - started < SERVE_READY_TIMEOUT:
            if self.proc.poll() is not None:
                return Run(self.proc.returncode, self.output(), time.perf_counter() - started, 0)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return None
            except OSError:
                time.sleep(0.1)
        self.stop()
        return Run(None, self.output(), SERVE_READY_TIMEOUT, 0, timed_out=True)

    def get(self, path: str) -> "Response":
        return http_get(self.base + path)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="backslashreplace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            _kill_group(self.proc.pid)
            self.proc.wait(10)


@dataclass
class Response:
    status: int | None  # None: no HTTP answer at all
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    error: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def brief(self) -> str:
        if self.status is None:
            return f"no answer ({self.error})"
        kind = "json" if "json" in self.content_type else "html" if "html" in self.content_type \
            else self.content_type or "?"
        return f"{self.status} {kind}"


def http_get(url: str) -> Response:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()},
                            answer.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())
    except (urllib.error.URLError, OSError) as exc:
        return Response(None, error=short(str(exc), 60))


def query(**params) -> str:
    return urllib.parse.urlencode(params)


# --- the report -----------------------------------------------------------------------------

@dataclass
class Verdict:
    status: str  # "ok", "defect", "skip"
    observed: str


class Checks:
    """Sub-checks of one class; the class is ok only if every one passed."""

    def __init__(self):
        self.parts: list[tuple[bool, str]] = []

    def add(self, passed: bool, text: str) -> bool:
        self.parts.append((bool(passed), text))
        return bool(passed)

    def verdict(self) -> Verdict:
        """ok with every observation; else defect, the failed observations marked ✗."""
        if all(passed for passed, _ in self.parts):
            return Verdict("ok", "; ".join(text for _, text in self.parts))
        return Verdict("defect", "; ".join(text if passed else f"✗ {text}"
                                           for passed, text in self.parts))


def cost(result: Run) -> str:
    return f"{result.seconds:.1f} s, peak {result.peak_mb:.0f} MB"


# --- classes: one bad file never blocks a reindex ----------------------------------------------

def _lines_naming(result: Run, name: str) -> list[str]:
    """Output lines that name a file (its name as printed: raw bytes come back escaped)."""
    stem, suffix = os.path.splitext(name)
    pattern = re.compile(re.escape(stem[:3]) + r".{0,8}" + re.escape(stem[4:]) + re.escape(suffix)
                         if "\udcff" in name else re.escape(name))
    return [line.strip() for line in result.lines if pattern.search(line)]


def _reason(lines: list[str], name: str) -> str | None:
    """The reason printed after 'path: ' on a skipped-file line, if any."""
    for line in lines:
        _, _, reason = line.partition(name.split("\udcff")[-1] + ": ")
        if reason.strip():
            return reason.strip()
    return None


def hostile_file_class(name: str, generator):
    """Index the good documents with one hostile file: the run finishes, says what it skipped
    and why, the rest is searchable, and the file costs little time and memory."""
    def check(battery: Battery) -> Verdict:
        folder = battery.case(f"file-{name}")
        docs = folder / "docs"
        H.good_documents(docs)
        kwargs = {"outside": folder / "outside"} if name == "docx-doctype-entity" else {}
        hostile = generator(docs, **kwargs)
        result = battery.reindex([docs], folder / "ix")
        checks = Checks()
        if not checks.add(result.rc == 0, f"reindex {result.describe()} ({cost(result)})"):
            return checks.verdict()
        checks.parts[-1] = (True, f"reindex rc 0 ({cost(result)})")
        checks.add(result.seconds <= BUDGET_SECONDS and result.peak_mb <= BUDGET_MB,
                   f"within the budget of {BUDGET_SECONDS} s and {BUDGET_MB} MB")
        reason = _reason(_lines_naming(result, hostile.name), hostile.name)
        index = folder / "ix"
        added = re.search(r"added (\d+)", result.output)
        indexed = bool(added) and int(added.group(1)) == len(H.GOOD_MARKERS) + 1
        if name == "docx-comment":  # an ordinary document: it must be read, not skipped
            checks.add(found(search_hits(battery, index, H.COMMENT_MARKER), H.COMMENT_MARKER),
                       "its text is indexed" + (f" (skipped: {short(reason, 60)})" if reason else ""))
        else:  # skipped with a reason, or read (without what makes it hostile)
            checks.add(reason or indexed, f"skipped: {short(reason, 80)}" if reason else
                       "indexed" if indexed else "neither skipped with a reason nor indexed")
        if name == "docx-doctype-entity":
            for word in (H.ENTITY_MARKER, H.EXTERNAL_MARKER):
                checks.add(not found(search_hits(battery, index, word), word),
                           f"entity text '{word}' not indexed")
        got, total = good_searchable(battery, index)
        checks.add(got == total, f"{got}/{total} good documents searchable")
        return checks.verdict()
    return check


# Run as `python -c _INJECT FLAG reindex ...`: the CLI, with every binding of the library's
# parse_file (wherever the pipeline imported it from) failing for one file, as a reader bug would.
_INJECT = r"""
import sys
TARGET, FLAG = "loi-bat-ngo.txt", sys.argv.pop(1)
import indexer.cli
def failing(original):
    def wrapped(path, *args, **kwargs):
        if str(path).endswith(TARGET):
            open(FLAG, "w").close()
            raise RuntimeError("injected failure for the battery")
        return original(path, *args, **kwargs)
    return wrapped
patched = 0
for name, module in list(sys.modules.items()):
    function = getattr(module, "parse_file", None) if name.split(".")[0] == "indexer" else None
    if callable(function):
        setattr(module, "parse_file", failing(function))
        patched += 1
if not patched:
    sys.exit("HOSTILE: no injection point")
sys.argv[0] = "vankien"
indexer.cli.main()
"""


def unexpected_exception(battery: Battery) -> Verdict:
    """A reader raising an exception nobody expected (injected): the file is reported
    'could not read: <reason>' and the run goes on."""
    folder = battery.case("file-unexpected-exception")
    docs = folder / "docs"
    H.good_documents(docs)
    (docs / "loi-bat-ngo.txt").write_text("Văn bản bình thường.\n", encoding="utf-8")
    flag = folder / "reached"
    result = run([sys.executable, "-c", _INJECT, str(flag), "reindex", str(docs), "--index",
                  str(folder / "ix"), "--quiet"], REINDEX_TIMEOUT, battery.root)
    if "HOSTILE: no injection point" in result.output or not flag.exists():
        return Verdict("skip", "skipped: no reader to inject a failure into (parse_file moved?)")
    checks = Checks()
    if not checks.add(result.rc == 0, f"reindex {result.describe()}"):
        return checks.verdict()
    named = " ".join(_lines_naming(result, "loi-bat-ngo.txt"))
    checks.add("could not read" in named and "injected failure" in named,
               f"reported: {short(named, 80) or 'not named'}")
    got, total = good_searchable(battery, folder / "ix")
    checks.add(got == total, f"{got}/{total} good documents searchable")
    return checks.verdict()


def unsupported_hint(battery: Battery) -> Verdict:
    """Damaged .doc and .xls files (read through LibreOffice) are counted as skipped, each
    with its reason, not silently ignored."""
    folder = battery.case("file-unsupported-hint")
    docs = folder / "docs"
    H.good_documents(docs)
    files = [H.unsupported_doc(docs), H.unsupported_xls(docs)]
    result = battery.reindex([docs], folder / "ix")
    checks = Checks()
    if not checks.add(result.rc == 0, f"reindex {result.describe()}"):
        return checks.verdict()
    skipped = re.search(r"skipped (\d+)", result.output)
    checks.add(skipped and int(skipped.group(1)) >= len(files),
               f"summary counts skipped {skipped.group(1) if skipped else '?'}")
    for path in files:
        reason = _reason(_lines_naming(result, path.name), path.name)
        checks.add(reason, f"{path.suffix}: {short(reason, 60)}" if reason else
                   f"{path.suffix} not listed with a hint")
    ignored = [line.strip() for line in result.lines if "not a supported type" in line]
    if ignored:
        checks.parts.append((True, f"today: '{short(ignored[0], 60)}'"))
    return checks.verdict()


def symlink_not_followed(battery: Battery) -> Verdict:
    """A symlinked file pointing outside the indexed folders is not followed (so its contents
    are neither searchable nor downloadable)."""
    folder = battery.case("file-symlink-outside")
    docs = folder / "docs"
    H.good_documents(docs)
    link = H.symlink_outside(docs, folder / "outside")
    result = battery.reindex([docs], folder / "ix")
    checks = Checks()
    if not checks.add(result.rc == 0, f"reindex {result.describe()}"):
        return checks.verdict()
    hits = search_hits(battery, folder / "ix", H.SYMLINK_MARKER)
    leaked = found(hits, H.SYMLINK_MARKER)
    checks.add(not leaked, "outside file indexed through the symlink (its download route serves it)"
               if leaked else "outside file not indexed")
    named = _lines_naming(result, link.name)
    if named:
        checks.parts.append((True, f"reported: {short(named[0], 60)}"))
    got, total = good_searchable(battery, folder / "ix")
    checks.add(got == total, f"{got}/{total} good documents searchable")
    return checks.verdict()


# --- classes: a broken index is repaired by `reindex --full` ----------------------------------

def _command_reports(result: Run, label: str, ask_full: bool = False,
                     one_line: bool = True) -> tuple[bool, str]:
    """One line, non-zero, no traceback (and naming `reindex --full` when asked); with
    one_line False (a report such as `check`'s), non-zero and no traceback is enough."""
    if one_line:
        passed = result.one_line_error() and (not ask_full or "reindex --full" in result.output)
    else:
        passed = result.rc not in (0, None) and not result.traceback
    if "No such command" in result.output:
        return False, f"{label}: no such command"
    return passed, f"{label}: {result.describe()}"


def _answers_or_reports(result: Run, label: str, repair: bool) -> tuple[bool, str]:
    """search/ask on a damaged index: a one-line error (naming `reindex --full` if `repair`),
    or (if the damage is not on their path) a normal answer."""
    if result.rc == 0 and not result.traceback:
        return True, f"{label}: answers"
    passed, text = _command_reports(result, label, ask_full=repair)
    if repair and result.one_line_error() and "reindex --full" not in result.output:
        text += " (does not say `reindex --full`)"
    return passed, text


def page_answers(response: Response) -> bool:
    """An HTML route answered a page of the app (the results, or an error page in
    Vietnamese), not a 500 or the server's bare error page."""
    return (response.status not in (None, 500) and "html" in response.content_type
            and (response.status == 200
                 or bool(VIETNAMESE.search(response.body.decode("utf-8", "replace")))))


def _http_damage(battery: Battery, server: Server, label: str) -> list[tuple[bool, str]]:
    """The server on a damaged index: health reports it, the API answers 503 JSON (or 200 if
    unaffected), HTML pages are not 500."""
    word = H.GOOD_MARKERS["ke-hoach-tot.txt"]
    health = server.get("/api/health")
    status = (health.json() or {}).get("status") if isinstance(health.json(), dict) else None
    api = server.get("/api/search?" + query(q=word))
    page = server.get("/?" + query(q=word))
    document = server.get(f"/documents/{battery.base_document_id()}")
    api_doc = server.get(f"/api/documents/{battery.base_document_id()}")
    json_error = lambda r: r.status == 503 and isinstance(r.json(), dict) and "error" in r.json()
    return [
        (health.status is not None and (health.status != 200 or status != "ok"),
         f"{label} /api/health {health.brief()}" + (f" status={status}" if status else "")),
        (api.status == 200 or json_error(api), f"{label} /api/search {api.brief()}"),
        (api_doc.status in (200, 404) or json_error(api_doc),
         f"{label} /api/documents/<id> {api_doc.brief()}"),
        (page_answers(page), f"{label} / {page.brief()}"),
        (page_answers(document), f"{label} /documents/<id> {document.brief()}"),
    ]


def index_damage_class(name: str, damage):
    """A damaged index: every command says so in one line, the server reports it, and
    `reindex --full` rebuilds it."""
    def check(battery: Battery) -> Verdict:
        folder = battery.case(f"index-{name}")
        docs, index = battery.copy_base(folder)
        damage(index)
        word = H.GOOD_MARKERS["ke-hoach-tot.txt"]
        checks = Checks()
        checks.add(*_command_reports(battery.vankien("info", "--index", index), "info"))
        checks.add(*_command_reports(battery.vankien("check", "--index", index), "check",
                                     one_line=False))
        # A damaged database must name the repair; CURRENT and manifest damage one line.
        repair = name.startswith("sqlite-")
        checks.add(*_answers_or_reports(battery.vankien("search", word, "--index", index),
                                        "search", repair))
        checks.add(*_answers_or_reports(battery.vankien("ask", f"{word} là gì?", "--index", index),
                                        "ask", repair))
        server = Server(battery, index)
        exited = server.wait_ready()
        if exited is None:
            for part in _http_damage(battery, server, "serve:"):
                checks.add(*part)
            server.stop()
        else:  # refusing to start is fine if it says why in one line
            checks.add(*_command_reports(exited, "serve refuses"))
        # A running server meets the damage too: CURRENT is read on every request, so it is
        # damaged in place; damage to a version's files comes with a newly published version.
        live = folder / "live"
        shutil.copytree(battery.base()[1], live, symlinks=True)
        server = Server(battery, live)
        if server.wait_ready() is None:
            if not name.startswith("current-"):
                _publish_copy(live)
            damage(live)
            for part in _http_damage(battery, server, "live:"):
                checks.add(*part)
        server.stop()
        plain = battery.reindex([docs], index)
        checks.add(plain.rc == 0 or plain.one_line_error(), f"reindex: {plain.describe()}")
        full = battery.reindex([docs], index, "--full")
        if checks.add(full.rc == 0, f"reindex --full: {full.describe()}"):
            checks.parts[-1] = (True, "reindex --full: rc 0")
            got, total = good_searchable(battery, index)
            checks.add(got == total, f"after: {got}/{total} searchable")
            after = battery.vankien("check", "--index", index)
            checks.add(after.rc == 0, f"after: check {after.describe()}")
        return checks.verdict()
    return check


def _publish_copy(index: Path) -> Path:
    """Publish a copy of the current version as the next one, as a reindex would (the
    documented layout: versions/vNNNNNN, CURRENT replaced atomically)."""
    current = H.published_version(index)
    copy = current.with_name(f"v{int(current.name[1:]) + 1:06d}")
    shutil.copytree(current, copy)
    pending = index / "CURRENT.new"
    pending.write_text(copy.name + "\n", encoding="utf-8")
    os.replace(pending, index / "CURRENT")
    return copy


def cache_damage_class(name: str, damage):
    """A damaged embedding cache is set aside with a warning and rebuilt; the reindex works."""
    def check(battery: Battery) -> Verdict:
        folder = battery.case(f"cache-{name}")
        docs, index = folder / "docs", folder / "ix"
        H.good_documents(docs)
        first = battery.reindex([docs], index)
        if first.rc != 0:
            return Verdict("defect", f"first reindex {first.describe()}")
        cache = damage(index)
        (docs / "moi.txt").write_text(f"Thông báo mới {NEW_MARKER} về lịch trực.\n", encoding="utf-8")
        result = battery.reindex([docs], index)
        checks = Checks()
        if not checks.add(result.rc == 0, f"reindex {result.describe()}"):
            return checks.verdict()
        checks.add("cache" in result.output.lower(), "warns about the cache" if "cache" in
                   result.output.lower() else "no warning about the cache")
        checks.add(found(search_hits(battery, index, NEW_MARKER), NEW_MARKER),
                   "new document searchable")
        checks.add(_sqlite_ok(cache), "cache rebuilt as a sound database")
        again = battery.reindex([docs], index, "--full")
        checks.add(again.rc == 0, f"reindex --full again: {again.describe()}")
        return checks.verdict()
    return check


def _sqlite_ok(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.Error:
        return False


def check_healthy(battery: Battery) -> Verdict:
    """`vankien check` exists and passes (exit 0) on a sound index."""
    result = battery.vankien("check", "--index", battery.base()[1])
    if "No such command" in result.output:
        return Verdict("defect", "no `vankien check` command")
    return Verdict("ok" if result.rc == 0 else "defect", f"check: {result.describe()}")


# --- classes: every error is one line ------------------------------------------------------

def serve_busy_port(battery: Battery) -> Verdict:
    """`vankien serve` on a port already in use: one line, non-zero."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = battery.vankien("serve", "--index", battery.base()[1], "--port", port)
    passed, text = _command_reports(result, "serve")
    return Verdict("ok" if passed else "defect", text)


def serve_bad_host(battery: Battery) -> Verdict:
    """`vankien serve --host 256.1.1.1`: one line, non-zero."""
    result = battery.vankien("serve", "--index", battery.base()[1], "--host", "256.1.1.1",
                             "--port", free_port())
    passed, text = _command_reports(result, "serve")
    return Verdict("ok" if passed else "defect", text)


def _index_state(index: Path) -> dict:
    """Names, sizes and modification times of everything in an index but the lock."""
    return {str(p.relative_to(index)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(index.rglob("*")) if p.is_file() and p.name != "reindex.lock"}


def _nobody_can_run_python(battery: Battery) -> pwd.struct_passwd | None:
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return None
    try:
        probe = run([*battery.cli, "--help"], 60, Path("/"), user=nobody)
    except OSError:  # exec refused: the interpreter lies where nobody cannot reach
        return None
    return nobody if probe.rc == 0 else None


def _bind_read_only(path: Path) -> bool:
    """Make `path` a read-only bind mount of itself (root only): EROFS binds root too."""
    done = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
    if done.returncode != 0:
        return False
    again = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True)
    if again.returncode != 0:
        subprocess.run(["umount", str(path)], capture_output=True)
        return False
    return True


def readonly_index(battery: Battery) -> Verdict:
    """reindex into an index directory it cannot write: one line, non-zero, index intact."""
    folder = battery.case("error-readonly-index")
    docs, index = folder / "docs", folder / "ix"
    H.good_documents(docs)
    if battery.reindex([docs], index).rc != 0:
        return Verdict("defect", "could not build the index to make read-only")
    (docs / "moi.txt").write_text(f"Thông báo mới {NEW_MARKER}.\n", encoding="utf-8")
    before = _index_state(index)
    user, mounted, how = None, False, "chmod a-w"
    if os.geteuid() == 0:
        user = _nobody_can_run_python(battery)
        if user is not None:
            how = "chmod a-w, run as nobody (root ignores file modes)"
            for path in [battery.root, *battery.root.rglob("*")]:
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)  # nobody must reach the documents and the index
    _chmod_tree(index, writable=False)
    if os.geteuid() == 0 and user is None:
        if not _bind_read_only(index):
            _chmod_tree(index, writable=True)
            return Verdict("skip", "skipped: running as root, and neither nobody nor a "
                                   "read-only bind mount is available")
        mounted = True
        how = "chmod a-w and a read-only bind mount (root ignores file modes; nobody cannot run this Python)"
    try:
        result = battery.reindex([docs], index, user=user)
    finally:
        if mounted:
            subprocess.run(["umount", str(index)], capture_output=True)
        _chmod_tree(index, writable=True)
    checks = Checks()
    checks.add(*_command_reports(result, f"reindex ({how})"))
    checks.add(_index_state(index) == before, "index files unchanged")
    got, total = good_searchable(battery, index)
    checks.add(got == total, f"{got}/{total} still searchable")
    return checks.verdict()


def _chmod_tree(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


def full_disk(battery: Battery) -> Verdict:
    """reindex on a full disk: one line, non-zero, the previous version still answers."""
    if os.geteuid() != 0:
        return Verdict("skip", "skipped: cannot make a small filesystem (needs root to mount tmpfs)")
    folder = battery.case("error-full-disk")
    small = folder / "small"
    small.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=30m", "tmpfs", str(small)],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        return Verdict("skip", f"skipped: cannot make a small filesystem ({short(mount.stderr, 60)})")
    try:
        docs, index = folder / "docs", small / "ix"
        H.good_documents(docs)
        first = battery.reindex([docs], index)
        if first.rc != 0:
            return Verdict("defect", f"first reindex on the small filesystem {first.describe()}")
        (docs / "moi.txt").write_text(f"Thông báo mới {NEW_MARKER}.\n" * 40, encoding="utf-8")
        current = (index / "CURRENT").read_bytes()
        _fill(small / "filler")
        result = battery.reindex([docs], index)
        checks = Checks()
        checks.add(*_command_reports(result, "reindex on a full disk"))
        checks.add((index / "CURRENT").read_bytes() == current, "CURRENT unchanged")
        got, total = good_searchable(battery, index)
        checks.add(got == total, f"previous version: {got}/{total} searchable")
        leftovers = [p.name for p in (index / "versions").glob(".building-*")]
        checks.add(not leftovers, "no half-written version left" if not leftovers
                   else f"left behind: {', '.join(leftovers)}")
        return checks.verdict()
    finally:
        subprocess.run(["umount", "-l", str(small)], capture_output=True)


def _fill(path: Path) -> None:
    """Write until the file system is full (ENOSPC)."""
    block = b"\0" * 2**16
    with open(path, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(block)
        except OSError:
            pass
        try:  # the last few bytes too
            while True:
                handle.write(b"\0" * 512)
        except OSError:
            pass


def lone_surrogate_query(battery: Battery) -> Verdict:
    """`vankien search $'chuy\\xe1n'` (argv that is not UTF-8: a lone surrogate in Python):
    one line, non-zero, for search and ask."""
    index = battery.base()[1]
    checks = Checks()
    checks.add(*_command_reports(battery.vankien("search", b"chuy\xe1n", "--index", index), "search"))
    checks.add(*_command_reports(battery.vankien("ask", b"chuy\xe1n l\xe0 g\xec?", "--index", index),
                                 "ask"))
    return checks.verdict()


def failed_reindex_lock(battery: Battery) -> Verdict:
    """A reindex that fails leaves no reindex.lock behind (nor an index folder it created)."""
    folder = battery.case("error-failed-reindex-lock")
    checks = Checks()
    fresh = folder / "fresh-ix"
    missing = battery.reindex([folder / "khong-co"], fresh)
    checks.add(missing.one_line_error(), f"missing source: {missing.describe()}")
    checks.add(not (fresh / "reindex.lock").exists(),
               "missing source: no reindex.lock" if not (fresh / "reindex.lock").exists()
               else "missing source: reindex.lock left in a new index folder")
    docs, index = battery.copy_base(folder)
    (index / "reindex.lock").unlink(missing_ok=True)
    bad = battery.reindex([docs], index, "--embedder", "khong-co-mo-hinh")
    checks.add(bad.one_line_error(), f"unknown embedder: {bad.describe()}")
    checks.add(not (index / "reindex.lock").exists(),
               "unknown embedder: no reindex.lock" if not (index / "reindex.lock").exists()
               else "unknown embedder: reindex.lock left behind")
    return checks.verdict()


# --- classes: the web app -----------------------------------------------------------------------

class WebIndex:
    """One index with the good documents, a file whose name has a newline and, if Tesseract
    reads Vietnamese, a scan; served once for every web class."""

    def __init__(self, battery: Battery):
        folder = battery.root / "web"
        self.docs, self.index = folder / "docs", folder / "ix"
        H.good_documents(self.docs)
        self.newline = H.filename_with_newline(self.docs)
        self.ocr = _tesseract_reads_vietnamese()
        self.scan = H.ocr_scan_pdf(self.docs) if self.ocr else None
        self.reindexed = battery.reindex([self.docs], self.index)
        self.server = Server(battery, self.index)
        self.exited = self.server.wait_ready()

    def document_id(self, word: str, rel_path: str) -> str | None:
        answer = self.server.get("/api/search?" + query(q=word, k=20))
        for hit in (answer.json() or {}).get("hits", []) if answer.status == 200 else []:
            if hit["document"]["rel_path"] == rel_path:
                return hit["document"]["id"]
        return None


def _tesseract_reads_vietnamese() -> bool:
    if shutil.which("tesseract") is None:
        return False
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "vie" in (listed.stdout + listed.stderr).split()


def _web(battery: Battery) -> WebIndex:
    if not hasattr(battery, "web"):
        battery.web = WebIndex(battery)
    return battery.web


def _web_unavailable(web: WebIndex) -> Verdict | None:
    if web.reindexed.rc != 0:
        return Verdict("defect", f"could not index the web corpus: {web.reindexed.describe()}")
    if web.exited is not None:
        return Verdict("defect", f"serve did not start: {web.exited.describe()}")
    return None


def download_newline_name(battery: Battery) -> Verdict:
    """The original file of a document whose name holds a newline downloads (200, RFC 6266
    filename*), from the API and the HTML route."""
    web = _web(battery)
    if (broken := _web_unavailable(web)) is not None:
        return broken
    document = web.document_id(H.NEWLINE_MARKER, web.newline.name)
    if document is None:
        return Verdict("defect", "the file with a newline in its name was not indexed")
    checks = Checks()
    for path in (f"/api/documents/{document}/file", f"/documents/{document}/file"):
        answer = web.server.get(path)
        disposition = answer.headers.get("content-disposition", "")
        checks.add(answer.status == 200 and "filename*=" in disposition
                   and answer.body == web.newline.read_bytes(),
                   f"{path.replace(document, '<id>')} {answer.brief()}"
                   + (f" ({short(disposition, 50)})" if disposition else ""))
    return checks.verdict()


def ocr_document_api(battery: Battery) -> Verdict:
    """GET /api/documents/<id> of a document read by OCR answers 200 with its OCR pages."""
    web = _web(battery)
    if not web.ocr:
        return Verdict("skip", "skipped: tesseract missing (or its Vietnamese model)")
    if (broken := _web_unavailable(web)) is not None:
        return broken
    document = web.document_id("lưu trữ hồ sơ", web.scan.name)
    if document is None:
        reason = _reason(_lines_naming(web.reindexed, web.scan.name), web.scan.name)
        return Verdict("defect", f"the scan was not indexed ({reason or 'no reason given'})")
    checks = Checks()
    api = web.server.get(f"/api/documents/{document}")
    body = api.json() if api.status == 200 else None
    checks.add(isinstance(body, dict) and body.get("ocr_pages"),
               f"/api/documents/<id> {api.brief()}")
    page = web.server.get(f"/documents/{document}")
    checks.add(page.status == 200, f"/documents/<id> {page.brief()}")
    return checks.verdict()


NON_ASCII_NUMBERS = [("k", "５"), ("k", "1_0"), ("k", "٥"), ("k", "+5"), ("page", "１"),
                     ("page", "1_0"), ("year", "２０２５"), ("year", "2_025")]


def numeric_params(battery: Battery) -> Verdict:
    """Numeric parameters take ASCII digits only: k=５ (fullwidth), k=1_0 and the like are
    a 400, on the API and the search page."""
    web = _web(battery)
    if (broken := _web_unavailable(web)) is not None:
        return broken
    word = H.GOOD_MARKERS["ke-hoach-tot.txt"]
    accepted = []
    for name, value in NON_ASCII_NUMBERS:
        if web.server.get("/api/search?" + query(q=word, **{name: value})).status != 400:
            accepted.append(f"{name}={value}")
    for name, value in (("per_page", "５"), ("page", "1_0")):
        if web.server.get("/?" + query(q=word, **{name: value})).status != 400:
            accepted.append(f"/?{name}={value}")
    if accepted:
        return Verdict("defect", f"accepted (not 400): {', '.join(accepted)}")
    return Verdict("ok", f"all {len(NON_ASCII_NUMBERS) + 2} non-ASCII numbers refused with 400")


def document_page_index_missing(battery: Battery) -> Verdict:
    """/documents/<id> while the index is missing answers a page that is not a 500 (the API
    answers 503 JSON)."""
    web = _web(battery)
    if (broken := _web_unavailable(web)) is not None:
        return broken
    document = web.document_id(H.GOOD_MARKERS["ke-hoach-tot.txt"], "ke-hoach-tot.txt") or "0" * 16
    current = web.index / "CURRENT"
    moved = current.with_name("CURRENT.hidden")
    current.rename(moved)  # the server reads CURRENT on every request
    try:
        page = web.server.get(f"/documents/{document}")
        api = web.server.get(f"/api/documents/{document}")
    finally:
        moved.rename(current)
    checks = Checks()
    checks.add(page_answers(page), f"/documents/<id> {page.brief()}")
    checks.add(api.status == 503 and "json" in api.content_type, f"/api/documents/<id> {api.brief()}")
    return checks.verdict()


# --- the battery ----------------------------------------------------------------------------

def classes() -> list[tuple[str, object]]:
    """Every class, in report order, with its check."""
    listed = [(f"file/{name}", hostile_file_class(name, generator))
              for name, generator in H.FILE_GENERATORS.items()]
    listed += [("file/unexpected-exception", unexpected_exception),
               ("file/unsupported-hint", unsupported_hint),
               ("file/symlink-outside", symlink_not_followed),
               ("check/healthy-index", check_healthy)]
    listed += [(f"index/{name}", index_damage_class(name, damage))
               for name, damage in H.INDEX_DAMAGE.items()]
    listed += [(f"cache/{name}", cache_damage_class(name, damage))
               for name, damage in H.CACHE_DAMAGE.items()]
    listed += [("error/serve-busy-port", serve_busy_port),
               ("error/serve-bad-host", serve_bad_host),
               ("error/readonly-index", readonly_index),
               ("error/full-disk", full_disk),
               ("error/lone-surrogate-query", lone_surrogate_query),
               ("error/failed-reindex-lock", failed_reindex_lock),
               ("web/download-newline-name", download_newline_name),
               ("web/ocr-document-api", ocr_document_api),
               ("web/numeric-params-ascii-only", numeric_params),
               ("web/document-page-index-missing", document_page_index_missing)]
    return listed


LABELS = {"ok": "ok      ", "defect": "defect  ", "skip": "skip    "}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="Leave the temporary folder.")
    parser.add_argument("--only", metavar="SUBSTRING", help="Run the classes whose name has it.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 if any class is a defect.")
    args = parser.parse_args()
    selected = [(name, check) for name, check in classes() if not args.only or args.only in name]
    if not selected:
        parser.error(f"no class matches '{args.only}'")
    root = Path(tempfile.mkdtemp(prefix="vankien-hostile-")).resolve()
    global _root
    _root = str(root)
    started = time.perf_counter()
    counts = {"ok": 0, "defect": 0, "skip": 0}
    battery = Battery(root)
    try:
        for name, check in selected:
            try:
                verdict = check(battery)
            except Exception as exc:  # the battery's own failure is a line too, not the end
                verdict = Verdict("defect", f"battery error: {type(exc).__name__}: {short(str(exc))}")
            counts[verdict.status] += 1
            print(f"{LABELS[verdict.status]}{name}: {verdict.observed}", flush=True)
    finally:
        battery.close()
        if args.keep:
            print(f"kept {root}")
        else:
            _chmod_tree(root, writable=True)
            shutil.rmtree(root, ignore_errors=True)
    baseline = (f"; a reindex of the 3 good documents alone took {cost(battery.baseline)}"
                if battery.baseline else "")
    print(f"{len(selected)} classes: {counts['ok']} ok, {counts['defect']} defect, "
          f"{counts['skip']} skipped, in {time.perf_counter() - started:.0f} s{baseline}")
    return 1 if args.strict and counts["defect"] else 0


if __name__ == "__main__":
    sys.exit(main())
