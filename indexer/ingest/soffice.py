"""Convert old and open office files (.doc, .rtf, .odt, .xls, .ods) to OOXML with LibreOffice.

soffice runs headless with a user profile of its own, made for one conversion and removed after
it: LibreOffice lets one process own a profile, so with a shared one a second conversion, or a
user's open LibreOffice, would take the work over or wait for it. It runs in a process group
of its own that is killed when the conversion ends, whatever happened, so a hung or crashed
soffice never outlives its file (the bounded worker ends a conversion the same way when the
read deadline passes: worker.py). Conversions take seconds, so each result is cached under the
index's cache folder by the file's content hash and the LibreOffice version: an unchanged file
is converted once. A file LibreOffice cannot open (damaged, or protected by a password) is
cached as such too, and not tried again until LibreOffice changes.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnreadableDocument

log = logging.getLogger(__name__)

INSTALL = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
# Which soffice to run; tests and unusual installs point it elsewhere.
COMMAND_ENV = "VANKIEN_SOFFICE"
# Bump when the conversion itself changes (its options), so cached results are made again.
REVISION = 1
VERSION_TIMEOUT = 30  # seconds for `soffice --version`
# What soffice prints, exiting 0 and writing nothing, for a file it cannot open.
_NOT_LOADED = "source file could not be loaded"


class OfficeUnavailable(UnreadableDocument):
    """LibreOffice is missing or does not run: the file is skipped with the command to install it."""

    def __init__(self, path, kind: str, what: str):
        super().__init__(path, f"{kind} is read through LibreOffice, and {what}: install it "
                               f"with `{INSTALL}`, then reindex")


@dataclass(frozen=True)
class Soffice:
    command: str  # absolute path
    version: str  # its first line of `--version`, part of every cache key


def soffice_command() -> str:
    """Return the soffice to run: $VANKIEN_SOFFICE, else `soffice` on the PATH."""
    return os.environ.get(COMMAND_ENV) or "soffice"


def _run_in_group(args: list[str], timeout: float, cwd: Path | None = None
                  ) -> tuple[int, str]:
    """Run a command in a new process group; return (exit status, stderr and stdout).

    The group is killed when the command ends or its time is up (TimeoutExpired is raised
    then), so nothing it started lives on: soffice is a script that starts oosplash, which
    starts soffice.bin.
    """
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output.decode("utf-8", "replace")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.kill()  # a no-op once it has been waited for
        process.wait()
        process.stdout.close()


@functools.lru_cache(maxsize=8)
def find_soffice(command: str) -> Soffice | str:
    """Return the soffice a command names, or why there is none usable (looked for once)."""
    path = shutil.which(command)
    if path is None:
        return f"LibreOffice is not installed (no `{command}` found)"
    try:
        code, output = _run_in_group([path, "--version"], VERSION_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"LibreOffice at {path} does not run ({exc})"
    lines = output.strip().splitlines()
    version = next((line for line in lines if line.startswith("LibreOffice")), None)
    if code != 0 or version is None:
        return f"LibreOffice at {path} does not run (`--version` exited {code})"
    return Soffice(path, version.strip())


class ConversionCache:
    """Converted files under `folder`, named by content hash, soffice version and target."""

    def __init__(self, folder: Path | None, soffice: Soffice):
        self.folder = folder
        self.engine = hashlib.sha256(f"{soffice.version} r{REVISION}".encode()).hexdigest()[:12]

    def _path(self, data: bytes, extension: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{hashlib.sha256(data).hexdigest()}-{self.engine}.{extension}"

    def load(self, data: bytes, target: str) -> bytes | str | None:
        """Return the converted file, the reason it could not be converted, or None."""
        for extension in (target, "failed"):
            path = self._path(data, extension)
            try:
                content = path.read_bytes() if path else None
            except OSError:
                continue
            if content:
                return content if extension == target else content.decode("utf-8", "replace")
        return None

    def store(self, data: bytes, extension: str, content: bytes) -> None:
        path = self._path(data, extension)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(content)
            os.replace(temporary, path)  # readers see the whole file or none
        except OSError as exc:  # the cache only saves work: without it, convert next time
            log.warning("cannot cache the conversion in %s: %s", path.parent, exc)


def _refused(kind: str, target: str) -> str:
    return (f"LibreOffice could not open this {kind} (damaged, or protected by a password?): "
            f"open it in LibreOffice or Word, save it as .{target} without a password, "
            "then reindex")


def _plain_stem(path: Path) -> str:
    """Return the file's name without suffix if soffice may be given it, else 'input'.

    The name matters where LibreOffice reads a file as text: the sheet is named after it. A
    name that starts with '-' would be an option, one that is not UTF-8 may not survive.
    """
    stem = path.stem
    return stem if re.fullmatch(r"\w[\w .()+-]{0,100}", stem) else "input"


def _run_soffice(path: Path, soffice: Soffice, data: bytes, kind: str, target: str,
                 timeout: float) -> bytes | str:
    """Convert in a temporary folder; return the converted file, or why it was refused."""
    with tempfile.TemporaryDirectory(prefix="vankien-soffice-",
                                     ignore_cleanup_errors=True) as work:
        work = Path(work)
        source = work / f"{_plain_stem(path)}{path.suffix.lower()}"
        source.write_bytes(data)
        args = [soffice.command, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless", "--norestore", "--nolockcheck", "--convert-to", target,
                "--outdir", str(work / "out"), str(source)]
        try:
            code, output = _run_in_group(args, timeout, cwd=work)
        except subprocess.TimeoutExpired:
            raise UnreadableDocument(path, f"LibreOffice took over {timeout:.0f} s to convert "
                                           "it (`vankien reindex --read-timeout` raises it)")
        except OSError as exc:
            raise OfficeUnavailable(path, kind, f"{soffice.command} does not run ({exc})")
        result = work / "out" / f"{source.stem}.{target}"
        if result.is_file() and result.stat().st_size:
            return result.read_bytes()
        if code == 0 and _NOT_LOADED in output:
            return _refused(kind, target)
        why = f"signal {-code}" if code < 0 else f"exit status {code}"
        last = output.strip().splitlines()[-1:] or ["no output"]
        raise UnreadableDocument(path, f"LibreOffice stopped while converting it ({why}: "
                                       f"{last[0][:200]})")


def convert(path: Path, data: bytes, kind: str, target: str, *, cache_dir: Path | None,
            timeout: float, command: str | None = None) -> bytes:
    """Return the file converted to `target` ('docx' or 'xlsx'), from the cache if it is there.

    `kind` names the format in reasons ("Word 97–2003 (.doc)"). Raises OfficeUnavailable when
    soffice is missing, UnreadableDocument when it cannot convert the file in `timeout` s.
    """
    soffice = find_soffice(command or soffice_command())
    if isinstance(soffice, str):
        raise OfficeUnavailable(path, kind, soffice)
    cache = ConversionCache(cache_dir, soffice)
    result = cache.load(data, target)
    if result is None:
        result = _run_soffice(path, soffice, data, kind, target, timeout)
        if isinstance(result, bytes):
            cache.store(data, target, result)
        else:
            cache.store(data, "failed", result.encode("utf-8"))
    if isinstance(result, str):
        raise UnreadableDocument(path, result)
    return result
