"""Read and check the query-string parameters shared by the search page and the API."""
from __future__ import annotations

import re
from dataclasses import dataclass

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
