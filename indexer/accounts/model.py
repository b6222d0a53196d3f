"""What the accounts file holds: its schema, users, tokens, audit entries, and the rules a
name, a role and a password must follow."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from ..access import Access
from ..errors import VankienError

ACCOUNTS_FILE = "accounts.sqlite"
ROLES = ("admin", "editor", "reader")
MIN_PASSWORD = 10
SESSION_IDLE = timedelta(hours=12)  # a session unused this long must log in again
SESSION_LIFETIME = timedelta(days=7)
LOCKOUT_FAILURES = 5  # failed logins for one name within LOCKOUT_WINDOW lock it …
ADDRESS_FAILURES = 20  # … and this many from one address lock the address
LOCKOUT_WINDOW = timedelta(minutes=15)  # … for this long after the last failure
AUDIT_RETENTION_DAYS = 365

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    password_hash TEXT NOT NULL,
    marked INTEGER NOT NULL DEFAULT 0,    -- may see documents with a confidentiality mark
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    PRIMARY KEY (user, collection)
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    label TEXT NOT NULL,
    digest TEXT UNIQUE NOT NULL,          -- sha256 of the token; the token itself is shown once
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY,              -- sha256 of the id the cookie carries
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    address TEXT
);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,                    -- 'name:<name, lower case>' or 'address:<address>'
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures(key, at);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,                     -- UTC, ISO 8601
    user TEXT,                            -- NULL: nobody logged in (or single-user mode)
    address TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'     -- JSON
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit(at);
CREATE TRIGGER IF NOT EXISTS audit_append_only BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_kept BEFORE DELETE ON audit
WHEN OLD.at >= COALESCE((SELECT value FROM settings WHERE key = 'audit_purge_before'), '')
BEGIN SELECT RAISE(ABORT, 'audit entries younger than the retention period are kept'); END;
"""


class AccountError(VankienError):
    """A user, token or setting that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    collections: frozenset[str]
    marked: bool
    disabled: bool
    created_at: str

    @property
    def access(self) -> Access:
        """What the user may see: an admin everything, others their granted collections."""
        if self.role == "admin":
            return Access()
        return Access(self.collections, self.marked)

    def may(self, action: str) -> bool:
        """Say whether the role allows `action`: "read", "upload" (and reindex), "admin"."""
        allowed = {"admin": {"read", "upload", "admin"}, "editor": {"read", "upload"},
                   "reader": {"read"}}
        return action in allowed[self.role]


@dataclass(frozen=True)
class Token:
    id: int
    user: str
    label: str
    created_at: str
    last_used_at: str | None
    revoked: bool


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str | None
    address: str | None
    action: str
    detail: dict

    def as_dict(self) -> dict:
        return {"id": self.id, "at": self.at, "user": self.user, "address": self.address,
                "action": self.action, "detail": self.detail}


def printable(value):
    """A value with the control and format characters of its texts written as escapes
    ("\\x1b"): what a visitor typed must not rewrite the terminal or page showing the log."""
    if isinstance(value, str):
        return "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else
                       f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
                       for ch in value)
    if isinstance(value, (list, tuple)):
        return [printable(v) for v in value]
    if isinstance(value, dict):
        return {k: printable(v) for k, v in value.items()}
    return value


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64 or any(ch.isspace() or ord(ch) < 32 or ch in ",:/"
                                               for ch in cleaned):
        raise AccountError(f"user name {name!r} is not allowed: 1–64 characters without spaces, "
                           "commas, colons or slashes")
    return cleaned


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")


def check_password_rules(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AccountError("the password is longer than 1024 characters")
    return password
