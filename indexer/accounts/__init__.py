"""Who may see what: users with roles and granted collections, API tokens, login sessions,
and the audit log, kept in INDEX/accounts.sqlite (store.py)."""
from __future__ import annotations

from .model import (ACCOUNTS_FILE, AUDIT_RETENTION_DAYS, LOCKOUT_FAILURES, LOCKOUT_WINDOW,
                    MIN_PASSWORD, ROLES, AccountError, AuditEntry, Token, User)
from .store import AccountStore

__all__ = ["ACCOUNTS_FILE", "AUDIT_RETENTION_DAYS", "LOCKOUT_FAILURES", "LOCKOUT_WINDOW",
           "MIN_PASSWORD", "ROLES", "AccountError", "AccountStore", "AuditEntry", "Token",
           "User"]
