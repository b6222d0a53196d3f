"""The `vankien` command group and what its commands share: options, progress, errors."""
from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path

import click

from ..answer import QuoteMismatch
from ..errors import VankienError
from ..sources import shown

DEFAULT_INDEX = "vankien-index"
index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX, envvar="VANKIEN_INDEX", show_default=True, show_envvar=True,
    help="Index directory.")


accounts_option = click.option(
    "--accounts", "accounts_file", type=click.Path(dir_okay=False, path_type=Path),
    envvar="VANKIEN_ACCOUNTS", show_envvar=True,
    help="The accounts file: users, tokens, the audit log. Default: INDEX/accounts.sqlite.")


def accounts_path(index_dir: Path, accounts_file: Path | None) -> Path:
    """Where the accounts of an index are kept."""
    from ..accounts import ACCOUNTS_FILE

    return accounts_file or Path(index_dir) / ACCOUNTS_FILE


class Bar:
    """A tqdm progress bar on stderr, as the library's progress callback wants it."""

    UNITS = {"Reading": "file", "Indexing": "file", "Answering": "question"}

    def __init__(self, total: int, desc: str):
        from tqdm import tqdm

        unit = "page" if desc.startswith("OCR ") else self.UNITS.get(desc, "chunk")
        self._bar = tqdm(total=total, desc=desc, unit=unit,
                         file=sys.stderr, leave=False, dynamic_ncols=True)

    def update(self, n: float) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


def fail_cleanly(func):
    """Turn a VankienError or an OSError into one line on stderr and exit status 1."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except VankienError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:  # a full disk, a folder that cannot be written, a busy port
            where = f": {shown(exc.filename)}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from exc
        except QuoteMismatch as exc:
            logging.getLogger(__name__).exception("answer failed its check")
            raise click.ClickException(f"internal error, please report it: {exc}") from exc
    return wrapper


def text_argument(value: str, name: str, what: str) -> str:
    """Return a command-line text argument, refusing bytes that are not UTF-8 text.

    Python hands such bytes over as lone surrogates (a terminal set to another encoding);
    nothing downstream could encode them.
    """
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise click.ClickException(f"{name} is not valid UTF-8 text: set the terminal to "
                                   "UTF-8 (e.g. LANG=C.UTF-8)")
    if not value.strip():
        raise click.BadParameter(f"the {what} is empty", param_hint=name)
    return value


def record_cli(index_dir: Path, action: str, accounts_file: Path | None = None,
               **detail) -> None:
    """Append a command's action to the index's audit log, once accounts exist there."""
    from ..accounts import AccountStore

    path = accounts_path(index_dir, accounts_file)
    if path.is_file():
        store = AccountStore(path.parent, path.name)
        try:
            store.record(action, f"cli:{os_user()}", "local", **detail)
        finally:
            store.close()


def os_user() -> str:
    """The name of whoever runs the command, as the audit log names them."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's uid with no name
        return str(os.getuid())


def citation_label(hit) -> str:
    """Render where a passage comes from: title, type and number, date, file, page, paragraph."""
    doc = hit.document
    label = " ".join(part for part in (doc.doc_type, doc.doc_number) if part)
    where = [f"đoạn {hit.para_start}"
             + (f"–{hit.para_end}" if hit.para_end != hit.para_start else "")]
    if hit.page:
        where.insert(0, f"trang {hit.page}")
    return (f"{doc.title}" + (f" ({label})" if label else "")
            + (f", {doc.issued_date}" if doc.issued_date else "")
            + f" — {doc.rel_path}, {', '.join(where)}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens, for debugging.")
def main(verbose: bool) -> None:
    """Vankien: search Vietnamese Party and government documents.

    \b
    Typical use:
      vankien reindex corpus/          index a folder (again later: only changes are embedded)
      vankien search "nhiệm vụ chuyển đổi số"
      vankien ask "Ai chịu trách nhiệm triển khai kế hoạch chuyển đổi số?"
      vankien info
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
