"""The accounts file beside the index (INDEX/accounts.sqlite): users, their grants, API
tokens, login sessions, failed logins, settings and the audit log.

Its own small SQLite store, like the embedding cache: the index's versions are rebuilt and
replaced, accounts are not. Passwords are kept as argon2id hashes (argon2-cffi); tokens and
session ids as SHA-256 digests of 256-bit random secrets, so the file alone lets nobody in.
The audit table refuses updates, and deletes of entries younger than the retention period,
by triggers (append-only to the application; whoever can write the file can do anything).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..access import check_collection_name
from .model import (SCHEMA, ACCOUNTS_FILE, ADDRESS_FAILURES, AUDIT_RETENTION_DAYS,
                    LOCKOUT_FAILURES, LOCKOUT_WINDOW, SESSION_IDLE, SESSION_LIFETIME,
                    AccountError, AuditEntry, Token, User, check_name, check_password_rules,
                    check_role, printable)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# argon2-cffi's defaults: argon2id, RFC 9106's "low memory" profile (64 MiB, 3 passes).
_HASHER = PasswordHasher()
# Checked when a name is unknown, so a login takes as long whether the user exists or not.
_DUMMY_HASH = _HASHER.hash("not a password of anybody")


class AccountStore:
    """Users, grants, tokens, sessions, failed logins and the audit log of one index."""

    def __init__(self, index_dir: str | Path, file_name: str = ACCOUNTS_FILE):
        self.path = Path(index_dir) / file_name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=10)
        if new:
            os.chmod(self.path, 0o600)  # hashes and the session key: for the server's user only
        self._lock = threading.Lock()
        self._secret_key: str | None = None
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def _write(self, *statements: tuple[str, Iterable]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._db.execute(sql, tuple(params))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # --- users -----------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """True once a user exists: from then on every page and API route needs a login."""
        return bool(self._query("SELECT 1 FROM users LIMIT 1"))

    def users(self) -> list[User]:
        grants: dict[str, set[str]] = {}
        for user, collection in self._query("SELECT user, collection FROM grants"):
            grants.setdefault(user.lower(), set()).add(collection)
        return [User(name, role, frozenset(grants.get(name.lower(), ())), bool(marked),
                     bool(disabled), created)
                for name, role, marked, disabled, created in self._query(
                    "SELECT name, role, marked, disabled, created_at FROM users ORDER BY name")]

    def user(self, name: str) -> User | None:
        """The user of that name (any case), or None; asked at every request of a session."""
        rows = self._query("SELECT name, role, marked, disabled, created_at FROM users "
                           "WHERE name = ?", (name.strip(),))
        if not rows:
            return None
        found, role, marked, disabled, created = rows[0]
        grants = self._query("SELECT collection FROM grants WHERE user = ? COLLATE NOCASE",
                             (found,))
        return User(found, role, frozenset(c for (c,) in grants), bool(marked), bool(disabled),
                    created)

    def add_user(self, name: str, role: str, password: str, collections: Iterable[str] = (),
                 marked: bool = False) -> User:
        name = check_name(name)
        check_role(role)
        if self.user(name) is not None:
            raise AccountError(f"user {name!r} exists already: use `vankien users set` or "
                               "`vankien users passwd`")
        now = _now()
        grants = sorted({check_collection_name(c) for c in collections})
        self._write(("INSERT INTO users (name, role, password_hash, marked, created_at, "
                     "password_changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                     (name, role, _HASHER.hash(check_password_rules(password)), int(marked), now,
                      now)),
                    *(("INSERT INTO grants VALUES (?, ?)", (name, c)) for c in grants))
        return self.user(name)

    def _existing(self, name: str) -> User:
        user = self.user(name)
        if user is None:
            raise AccountError(f"no user {name!r}: `vankien users list` shows who exists")
        return user

    def change_user(self, name: str, role: str | None = None,
                    collections: Iterable[str] | None = None,
                    marked: bool | None = None) -> User:
        """Change a user's role, granted collections (replaced) or access to marked documents."""
        user = self._existing(name)
        statements = []
        if role is not None:
            check_role(role)
            statements.append(("UPDATE users SET role = ? WHERE name = ?", (role, user.name)))
        if marked is not None:
            statements.append(("UPDATE users SET marked = ? WHERE name = ?",
                               (int(marked), user.name)))
        if collections is not None:
            grants = sorted({check_collection_name(c) for c in collections})
            statements.append(("DELETE FROM grants WHERE user = ?", (user.name,)))
            statements += [("INSERT INTO grants VALUES (?, ?)", (user.name, c)) for c in grants]
        if statements:
            self._write(*statements)
        return self.user(user.name)

    def set_password(self, name: str, password: str) -> None:
        """Replace a user's password; their sessions end (tokens stay: revoke them apart)."""
        user = self._existing(name)
        self._write(("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                     (_HASHER.hash(check_password_rules(password)), _now(), user.name)),
                    ("DELETE FROM sessions WHERE user = ?", (user.name,)))

    def set_disabled(self, name: str, disabled: bool = True) -> None:
        """Disable (or enable again) a user: a disabled one cannot log in, and their
        sessions and tokens stop working at once."""
        user = self._existing(name)
        statements = [("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), user.name))]
        if disabled:
            statements.append(("DELETE FROM sessions WHERE user = ?", (user.name,)))
        self._write(*statements)

    # --- logging in ------------------------------------------------------------------------

    def locked(self, name: str, address: str | None) -> bool:
        """Say whether logins for this name, or from this address, are locked for now.

        Counted for any name typed, existing or not, so a lockout says nothing about which
        users exist."""
        since = time.time() - LOCKOUT_WINDOW.total_seconds()
        (by_name,), = self._query("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?",
                                  (f"name:{name.strip().lower()}", since))
        (by_address,), = self._query(
            "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?",
            (f"address:{address}", since))
        return by_name >= LOCKOUT_FAILURES or by_address >= ADDRESS_FAILURES

    def check_password(self, name: str, password: str, address: str | None = None
                       ) -> User | None:
        """Return the user if the name and password match an enabled user who is not locked
        out; else None, after counting the failure. Takes about as long either way."""
        if self.locked(name, address):
            return None
        row = self._query("SELECT name, password_hash, disabled FROM users WHERE name = ?",
                          (name.strip(),))
        stored = row[0][1] if row else _DUMMY_HASH
        try:
            matched = _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            matched = False
        if not row or not matched or row[0][2]:
            now = time.time()
            self._write(("INSERT INTO login_failures VALUES (?, ?)",
                         (f"name:{name.strip().lower()}", now)),
                        ("INSERT INTO login_failures VALUES (?, ?)", (f"address:{address}", now)),
                        ("DELETE FROM login_failures WHERE at < ?",
                         (now - 2 * LOCKOUT_WINDOW.total_seconds(),)))
            return None
        if _HASHER.check_needs_rehash(stored):
            self._write(("UPDATE users SET password_hash = ? WHERE name = ?",
                         (_HASHER.hash(password), row[0][0])))
        self._write(("DELETE FROM login_failures WHERE key = ?",
                     (f"name:{name.strip().lower()}",)))
        return self.user(row[0][0])

    def start_session(self, user: User, address: str | None) -> str:
        """Return a new session id for a user who just logged in (never one from before)."""
        secret = secrets.token_urlsafe(32)
        now = time.time()
        self._write(("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                     (_digest(secret), user.name, now, now, address)),
                    ("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?",
                     (now - SESSION_IDLE.total_seconds(),
                      now - SESSION_LIFETIME.total_seconds())))
        return secret

    def session_user(self, secret: str) -> User | None:
        """Return the user of a live session, or None (unknown, expired, user disabled)."""
        now = time.time()
        row = self._query("SELECT user, created_at, last_seen FROM sessions WHERE digest = ?",
                          (_digest(secret),))
        if not row:
            return None
        name, created, last_seen = row[0]
        if now - last_seen > SESSION_IDLE.total_seconds() or \
                now - created > SESSION_LIFETIME.total_seconds():
            self.end_session(secret)
            return None
        user = self.user(name)
        if user is None or user.disabled:
            return None
        if now - last_seen > 60:  # written at most once a minute, not at every request
            self._write(("UPDATE sessions SET last_seen = ? WHERE digest = ?",
                         (now, _digest(secret))))
        return user

    def end_session(self, secret: str) -> None:
        self._write(("DELETE FROM sessions WHERE digest = ?", (_digest(secret),)))

    # --- tokens ----------------------------------------------------------------------------

    def create_token(self, name: str, label: str = "") -> tuple[Token, str]:
        """Return a new API token for a user, and its secret (shown once, never stored)."""
        user = self._existing(name)
        secret = "vk_" + secrets.token_urlsafe(32)
        self._write(("INSERT INTO tokens (user, label, digest, created_at) VALUES (?, ?, ?, ?)",
                     (user.name, " ".join(label.split())[:80], _digest(secret), _now())))
        return self.tokens(user.name)[-1], secret

    def tokens(self, name: str | None = None) -> list[Token]:
        sql = "SELECT id, user, label, created_at, last_used_at, revoked FROM tokens"
        rows = self._query(sql + " WHERE user = ? ORDER BY id", (name,)) if name else \
            self._query(sql + " ORDER BY id")
        return [Token(i, u, label, c, used, bool(r)) for i, u, label, c, used, r in rows]

    def revoke_token(self, token_id: int) -> Token:
        found = [t for t in self.tokens() if t.id == token_id]
        if not found:
            raise AccountError(f"no token {token_id}: `vankien tokens list` shows them")
        self._write(("UPDATE tokens SET revoked = 1 WHERE id = ?", (token_id,)))
        return [t for t in self.tokens() if t.id == token_id][0]

    def token_user(self, secret: str) -> User | None:
        """Return the user of a valid API token, or None."""
        row = self._query("SELECT id, user, last_used_at FROM tokens WHERE digest = ? AND "
                          "revoked = 0", (_digest(secret),))
        if not row:
            return None
        user = self.user(row[0][1])
        if user is None or user.disabled:
            return None
        now = _now()
        if (row[0][2] or "")[:16] != now[:16]:  # once a minute at most
            self._write(("UPDATE tokens SET last_used_at = ? WHERE id = ?", (now, row[0][0])))
        return user

    # --- settings --------------------------------------------------------------------------

    def secret_key(self) -> str:
        """The key that signs session cookies: made once, kept with the accounts (read once
        per store: the app asks at every request)."""
        if self._secret_key is None:
            self._write(("INSERT OR IGNORE INTO settings VALUES ('secret_key', ?)",
                         (secrets.token_hex(32),)))
            self._secret_key = self._query(
                "SELECT value FROM settings WHERE key = 'secret_key'")[0][0]
        return self._secret_key

    def retention_days(self) -> int:
        found = self._query("SELECT value FROM settings WHERE key = 'audit_retention_days'")
        return int(found[0][0]) if found else AUDIT_RETENTION_DAYS

    def set_retention_days(self, days: int) -> None:
        if not 1 <= days <= 36500:
            raise AccountError("the audit retention must be 1–36500 days")
        self._write(("INSERT OR REPLACE INTO settings VALUES ('audit_retention_days', ?)",
                     (str(days),)))

    # --- audit -----------------------------------------------------------------------------

    def record(self, action: str, user: str | None = None, address: str | None = None,
               **detail) -> None:
        """Append one entry to the audit log."""
        self._write(("INSERT INTO audit (at, user, address, action, detail) VALUES (?, ?, ?, ?, ?)",
                     (_now(), printable(user), printable(address), action,
                      json.dumps(printable({k: v for k, v in detail.items() if v is not None}),
                                 ensure_ascii=False))))

    def audit(self, user: str | None = None, since: str | None = None,
              action: str | None = None, limit: int | None = None,
              offset: int = 0) -> list[AuditEntry]:
        """Return audit entries, newest first, filtered by user, start (ISO date or time)
        and action."""
        clauses, params = [], []
        if user:
            clauses.append("user = ? COLLATE NOCASE")
            params.append(user)
        if since:
            clauses.append("at >= ?")
            params.append(since)
        if action:
            clauses.append("action = ?")
            params.append(action)
        sql = "SELECT id, at, user, address, action, detail FROM audit"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [AuditEntry(i, at, u, a, act, json.loads(d))
                for i, at, u, a, act, d in self._query(sql, params)]

    def purge_audit(self) -> int:
        """Delete the entries older than the retention period; return how many."""
        cutoff = (datetime.now(timezone.utc) - timedelta(days=self.retention_days())
                  ).isoformat(timespec="seconds")
        (count,), = self._query("SELECT COUNT(*) FROM audit WHERE at < ?", (cutoff,))
        self._write(("INSERT OR REPLACE INTO settings VALUES ('audit_purge_before', ?)",
                     (cutoff,)),
                    ("DELETE FROM audit WHERE at < ?", (cutoff,)))
        return count
