"""The `vankien` command line: a thin adapter over the indexer library.

Each module adds its commands to `main`: indexing (reindex, info), querying (search, ask),
evaluating (eval), records (tasks, refs), serving (serve), accounts (users, tokens, audit).
"""
from . import accounts, evaluating, indexing, querying, records, serving  # noqa: F401  (they register commands)
from .app import main

__all__ = ["main"]
