"""`vankien users`, `vankien tokens` and `vankien audit`: accounts and their audit log, kept in
INDEX/accounts.sqlite. Passwords are read from standard input, never from the command line
(where `ps` and the shell's history would show them)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..access import unknown_collections
from ..accounts import ROLES, AccountStore
from ..errors import VankienError
from ..export import AUDIT_COLUMNS, audit_rows, to_csv
from .app import accounts_option, accounts_path, fail_cleanly, index_option, main, os_user


def _store(index_dir: Path, accounts_file: Path | None) -> AccountStore:
    path = accounts_path(index_dir, accounts_file)
    return AccountStore(path.parent, path.name)


def _record(store: AccountStore, action: str, **detail) -> None:
    store.record(action, f"cli:{os_user()}", "local", **detail)


def _collections(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _warn_unknown(index_dir: Path, user) -> None:
    """Say which granted collections the index does not hold (a typo grants nothing; a
    collection may also come with a later reindex)."""
    from ..store import open_index

    try:
        index = open_index(index_dir)
    except VankienError:
        return  # no index yet: every collection is still to come
    try:
        missing = unknown_collections(index, sorted(user.collections))
    finally:
        index.close()
    if missing:
        click.echo(f"Warning: the index holds no collection {', '.join(map(repr, missing))} "
                   "(yet): `vankien info` lists those it holds.", err=True)


def _since(value: str | None) -> str | None:
    """An ISO date or date and time, as the audit's `at` column compares it."""
    from datetime import datetime

    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).isoformat() if "T" in value or " " in value \
            else datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-01 (or "
                                 "2026-12-01T08:00)", param_hint="--since") from None


def _read_password() -> str:
    """A new password: asked twice on a terminal; else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("no password on standard input: pipe one line, e.g. "
                                   "`printf '%s\\n' \"$PASSWORD\" | vankien users add …`")
    return line.rstrip("\r\n")


def _describe(user) -> str:
    collections = "all collections" if user.role == "admin" else \
        (", ".join(sorted(user.collections)) or "no collection")
    marked = "; marked documents too" if user.marked or user.role == "admin" else ""
    return (f"{user.name} ({user.role}{', disabled' if user.disabled else ''}): "
            f"{collections}{marked}")


@main.group("users")
def users_group():
    """Accounts of the web app. With none, the app runs in single-user mode (no login, on
    127.0.0.1); once one exists, every page and API route needs a login or a token.

    \b
    Roles: admin (everything: users, the audit log, every collection), editor (uploads
    and reindex from the web, in their collections), reader (search and read).
    """


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="reader", show_default=True)
@click.option("--collections", metavar="A,B", help="Collections the user may see "
              "(comma-separated; `vankien info` lists them). Admins see all.")
@click.option("--marked/--no-marked", default=False, show_default=True,
              help="Whether the user sees documents with a confidentiality mark (Mật, Tối mật, "
                   "Tuyệt mật, Hạn chế) in those collections.")
@index_option
@accounts_option
@fail_cleanly
def users_add(name, role, collections, marked, index_dir, accounts_file):
    """Add a user; the password (at least 10 characters) is read from standard input."""
    store = _store(index_dir, accounts_file)
    user = store.add_user(name, role, _read_password(), _collections(collections) or (), marked)
    _record(store, "user_add", name=user.name, role=user.role,
            collections=sorted(user.collections), marked=user.marked)
    click.echo(f"Added {_describe(user)}")
    _warn_unknown(index_dir, user)


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@index_option
@accounts_option
@fail_cleanly
def users_list(as_json, index_dir, accounts_file):
    """List the users, their roles and collections."""
    users = _store(index_dir, accounts_file).users()
    if as_json:
        click.echo(json.dumps([{"name": u.name, "role": u.role, "collections": sorted(u.collections),
                                "marked": u.marked, "disabled": u.disabled,
                                "created_at": u.created_at} for u in users],
                              ensure_ascii=False, indent=2))
        return
    if not users:
        click.echo("No users: the web app runs in single-user mode.")
    for user in users:
        click.echo(_describe(user))


@users_group.command("set")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--collections", metavar="A,B", help="Replace the granted collections.")
@click.option("--marked/--no-marked", default=None, help="Allow or refuse marked documents.")
@index_option
@accounts_option
@fail_cleanly
def users_set(name, role, collections, marked, index_dir, accounts_file):
    """Change a user's role, collections or access to marked documents."""
    store = _store(index_dir, accounts_file)
    user = store.change_user(name, role, _collections(collections), marked)
    _record(store, "user_change", name=user.name, role=user.role,
            collections=sorted(user.collections), marked=user.marked)
    click.echo(f"Now {_describe(user)}")
    _warn_unknown(index_dir, user)


@users_group.command("passwd")
@click.argument("name")
@index_option
@accounts_option
@fail_cleanly
def users_passwd(name, index_dir, accounts_file):
    """Set a user's password (from standard input); their open sessions end."""
    store = _store(index_dir, accounts_file)
    store.set_password(name, _read_password())
    _record(store, "user_change", name=name, password=True)
    click.echo(f"Password of {name} changed; their sessions are ended.")


@users_group.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
@index_option
@accounts_option
@fail_cleanly
def users_disable(name, enable, index_dir, accounts_file):
    """Disable a user: no login, and their sessions and tokens stop working at once."""
    store = _store(index_dir, accounts_file)
    store.set_disabled(name, not enable)
    _record(store, "user_change", name=name, disabled=not enable)
    click.echo(f"{name} {'enabled' if enable else 'disabled'}.")


@main.group("tokens")
def tokens_group():
    """API tokens for scripts: `Authorization: Bearer TOKEN` on /api/ requests."""


@tokens_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for, e.g. the script's name.")
@index_option
@accounts_option
@fail_cleanly
def tokens_create(name, label, index_dir, accounts_file):
    """Create a token acting as user NAME; it is printed once and cannot be shown again."""
    store = _store(index_dir, accounts_file)
    token, secret = store.create_token(name, label)
    _record(store, "token_create", name=token.user, token=token.id, label=token.label)
    click.echo(secret)
    click.echo(f"Token {token.id} for {token.user}: keep it secret; `vankien tokens revoke "
               f"{token.id}` withdraws it.", err=True)


@tokens_group.command("list")
@index_option
@accounts_option
@fail_cleanly
def tokens_list(index_dir, accounts_file):
    """List the tokens (never their secrets)."""
    for token in _store(index_dir, accounts_file).tokens():
        state = "revoked" if token.revoked else f"last used {token.last_used_at or 'never'}"
        click.echo(f"{token.id}\t{token.user}\t{token.label or '-'}\tcreated "
                   f"{token.created_at}\t{state}")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@index_option
@accounts_option
@fail_cleanly
def tokens_revoke(token_id, index_dir, accounts_file):
    """Revoke a token by its number (see `vankien tokens list`)."""
    store = _store(index_dir, accounts_file)
    token = store.revoke_token(token_id)
    _record(store, "token_revoke", name=token.user, token=token.id)
    click.echo(f"Token {token.id} of {token.user} revoked.")


@main.command("audit")
@click.option("--user", help="Only this user's entries.")
@click.option("--since", metavar="DATE", help="From this date (YYYY-MM-DD) or time on.")
@click.option("--action", help="Only one action: login, login_failed, search, answer, view, "
                               "download, export, upload, remove, reindex, user_add, …")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON lines.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the entries to a CSV file.")
@click.option("--retention-days", type=click.IntRange(1, 36500),
              help="Set how many days entries are kept.")
@click.option("--purge", is_flag=True, help="Delete entries older than the retention period.")
@index_option
@accounts_option
@fail_cleanly
def audit_command(user, since, action, as_json, csv_file, retention_days, purge, index_dir,
                  accounts_file):
    """Show the audit log, newest first: logins, searches and questions, document views,
    downloads, exports, uploads, reindexes, user and token changes."""
    store = _store(index_dir, accounts_file)
    if retention_days:
        store.set_retention_days(retention_days)
        _record(store, "retention", days=retention_days)
        click.echo(f"Audit entries are kept {retention_days} days.")
    if purge:
        removed = store.purge_audit()
        _record(store, "retention", purged=removed)
        click.echo(f"Purged {removed} entries older than {store.retention_days()} days.")
    if retention_days or purge:
        return
    entries = store.audit(user, _since(since), action)
    if csv_file:
        # Who searched what: for the administrator's eyes only, whatever the umask.
        descriptor = os.open(csv_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(to_csv(audit_rows(entries), AUDIT_COLUMNS))
        click.echo(f"Wrote {len(entries)} entries to {csv_file}")
        return
    for entry in entries:
        if as_json:
            click.echo(json.dumps(entry.as_dict(), ensure_ascii=False))
        else:
            detail = ", ".join(f"{k}={v}" for k, v in entry.detail.items())
            click.echo(f"{entry.at}  {entry.user or '-'}  {entry.address or '-'}  "
                       f"{entry.action}  {detail}")
