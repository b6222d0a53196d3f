"""Read and check the query-string parameters shared by the search page and the API."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app

from indexer.results import SORTS
from indexer.search import Filters


class BadParameter(ValueError):
    """A request parameter a user got wrong; the message names it and says what is allowed."""


@dataclass(frozen=True)
class SearchParams:
    query: str
    page: int
    per_page: int
    filters: Filters
    sort: str


def _integer(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    # int() would also take "５" (a full-width digit) and "1_0".
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise BadParameter(f"'{name}' must be a whole number, not '{raw[:40]}'")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"'{name}' must be between {low} and {high}")
    return value


def search_params(args, k_name: str = "k") -> SearchParams:
    """Parse q, k, page, type, issuer, year and sort; raise BadParameter if one is wrong."""
    config = current_app.config
    query = " ".join(args.get("q", "").split())
    if not query:
        raise BadParameter("'q' is empty: type what to search for")
    if len(query) > config["MAX_QUERY_CHARS"]:
        raise BadParameter(f"'q' is longer than {config['MAX_QUERY_CHARS']} characters")
    per_page = _integer(args, k_name, config["PER_PAGE"], 1, config["MAX_K"])
    page = _integer(args, "page", 1, 1, config["MAX_PAGE"])
    year = _integer(args, "year", 0, 1900, 2100) if args.get("year", "").strip() else None
    sort = args.get("sort", "relevance")
    if sort not in SORTS:
        raise BadParameter(f"'sort' must be one of {', '.join(SORTS)}")
    filters = Filters(args.get("type") or None, args.get("issuer") or None, year)
    return SearchParams(query, page, per_page, filters, sort)


@dataclass(frozen=True)
class TaskParams:
    filter: "TaskFilter"
    period: str | None
    sort: str
    page: int
    per_page: int


def _date(args, name: str) -> str | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", (1, 2, 3)),
                           (r"(\d{1,2})/(\d{1,2})/(\d{4})", (3, 2, 1))):
        found = re.fullmatch(pattern, raw)
        if found:
            year, month, day = (int(found.group(i)) for i in order)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                break
    raise BadParameter(f"'{name}' must be a date such as 2025-12-31 or 31/12/2025, not "
                       f"'{raw[:40]}'")


def task_params(args) -> TaskParams:
    """Parse the task list's filters: agency, role, due (a period) or due_after/due_before,
    type, issuer, year, q, sort, page, per_page."""
    from indexer.tasklist import PERIODS, TaskFilter, period_bounds

    role = args.get("role", "any") or "any"
    if role not in ("any", "lead", "cooperate"):
        raise BadParameter("'role' must be one of any, lead, cooperate")
    period = args.get("due") or None
    if period and period not in PERIODS:
        raise BadParameter(f"'due' must be one of {', '.join(PERIODS)}")
    after, before = _date(args, "due_after"), _date(args, "due_before")
    if period:
        after, before = period_bounds(period, date.today())
    sort = args.get("sort", "deadline") or "deadline"
    if sort not in ("deadline", "document", "relevance"):
        raise BadParameter("'sort' must be one of deadline, document, relevance")
    query = " ".join(args.get("q", "").split()) or None
    if query and len(query) > current_app.config["MAX_QUERY_CHARS"]:
        raise BadParameter(f"'q' is longer than {current_app.config['MAX_QUERY_CHARS']} characters")
    year = _integer(args, "year", 0, 1900, 2100) if args.get("year", "").strip() else None
    documents = Filters(args.get("type") or None, args.get("issuer") or None, year)
    agency = " ".join(args.get("agency", "").split())[:200] or None
    return TaskParams(TaskFilter(agency, role, after, before, documents, query), period, sort,
                      _integer(args, "page", 1, 1, 1000), _integer(args, "per_page", 50, 1, 500))
