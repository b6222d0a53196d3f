"""Read and check the query-string parameters shared by the search page and the API.

Every message is Vietnamese, for the page and the API alike; each error also carries a
stable `code` a program can test for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app

from indexer.results import SORTS, Narrowing
from indexer.search import Filters


class BadParameter(ValueError):
    """A request parameter a user got wrong; the message names it and says what is allowed."""

    def __init__(self, message: str, code: str = "bad_parameter"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SearchParams:
    query: str
    page: int
    per_page: int
    narrowing: Narrowing
    sort: str
    grouped: bool = True

    @property
    def filters(self) -> Filters:
        return self.narrowing.filters


def _integer(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    # int() would also take "５" (a full-width digit) and "1_0".
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise BadParameter(f"Tham số '{name}' phải là số nguyên viết bằng chữ số 0–9, không "
                           f"phải '{raw[:40]}'.", "not_a_number")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"Tham số '{name}' phải nằm trong khoảng {low}–{high}.",
                           "out_of_range")
    return value


def query_text(args, required: bool = True) -> str | None:
    """Return `q` with its spaces collapsed; say so if it is empty or too long, never cut it."""
    query = " ".join(args.get("q", "").split())
    if not query:
        if not required:
            return None
        raise BadParameter("Chưa nhập nội dung tìm kiếm: hãy gõ từ khóa hoặc câu hỏi.",
                           "query_empty")
    limit = current_app.config["MAX_QUERY_CHARS"]
    if len(query) > limit:
        raise BadParameter(f"Nội dung tìm kiếm dài {len(query)} ký tự, quá giới hạn {limit} ký "
                           "tự: hãy rút gọn, chẳng hạn chỉ giữ các từ khóa hoặc câu hỏi chính.",
                           "query_too_long")
    return query


def search_params(args, k_name: str = "k") -> SearchParams:
    """Parse q, k, page, type, issuer, year, from, to, sort and group; raise BadParameter if
    one is wrong."""
    config = current_app.config
    query = query_text(args)
    per_page = _integer(args, k_name, config["PER_PAGE"], 1, config["MAX_K"])
    page = _integer(args, "page", 1, 1, config["MAX_PAGE"])
    year = _integer(args, "year", 0, 1900, 2100) if args.get("year", "").strip() else None
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"Tham số 'sort' phải là một trong: {', '.join(SORTS)}.", "bad_sort")
    group = args.get("group", "1").strip() or "1"
    if group not in ("0", "1"):
        raise BadParameter("Tham số 'group' phải là 1 (gộp theo văn bản) hoặc 0 (từng đoạn).",
                           "bad_group")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter("Ngày bắt đầu ('from') phải trước hoặc bằng ngày kết thúc ('to').",
                           "date_order")
    filters = Filters(args.get("type") or None, args.get("issuer") or None, year)
    return SearchParams(query, page, per_page, Narrowing(filters, date_from, date_to), sort,
                        group == "1")


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
    raise BadParameter(f"Tham số '{name}' phải là một ngày, ví dụ 2025-12-31 hoặc 31/12/2025, "
                       f"không phải '{raw[:40]}'.", "bad_date")


def task_params(args) -> TaskParams:
    """Parse the task list's filters: agency, role, due (a period) or due_after/due_before,
    type, issuer, year, q, sort, page, per_page."""
    from indexer.tasklist import PERIODS, TaskFilter, period_bounds

    role = args.get("role", "any") or "any"
    if role not in ("any", "lead", "cooperate"):
        raise BadParameter("Tham số 'role' phải là một trong: any, lead, cooperate.", "bad_role")
    period = args.get("due") or None
    if period and period not in PERIODS:
        raise BadParameter(f"Tham số 'due' phải là một trong: {', '.join(PERIODS)}.", "bad_due")
    after, before = _date(args, "due_after"), _date(args, "due_before")
    if period:
        after, before = period_bounds(period, date.today())
    sort = args.get("sort", "deadline") or "deadline"
    if sort not in ("deadline", "document", "relevance"):
        raise BadParameter("Tham số 'sort' phải là một trong: deadline, document, relevance.",
                           "bad_sort")
    query = query_text(args, required=False)
    year = _integer(args, "year", 0, 1900, 2100) if args.get("year", "").strip() else None
    documents = Filters(args.get("type") or None, args.get("issuer") or None, year)
    agency = " ".join(args.get("agency", "").split())[:200] or None
    return TaskParams(TaskFilter(agency, role, after, before, documents, query), period, sort,
                      _integer(args, "page", 1, 1, 1000), _integer(args, "per_page", 50, 1, 500))


def catalog_params(args) -> tuple["CatalogFilter", str, bool | None]:
    """Parse the document list's filters (type, issuer, from, to, number, title) and its sort
    (`sort`, `order` asc or desc)."""
    from indexer.catalog import CATALOG_SORTS, CatalogFilter

    sort = args.get("sort", "date") or "date"
    if sort not in CATALOG_SORTS:
        raise BadParameter(f"Tham số 'sort' phải là một trong: {', '.join(CATALOG_SORTS)}.",
                           "bad_sort")
    order = args.get("order", "") or None
    if order not in (None, "asc", "desc"):
        raise BadParameter("Tham số 'order' phải là asc (tăng dần) hoặc desc (giảm dần).",
                           "bad_order")
    date_from, date_to = _date(args, "from"), _date(args, "to")

    def text(name: str) -> str | None:
        return " ".join(args.get(name, "").split())[:200] or None

    wanted = CatalogFilter(text("type"), text("issuer"), date_from, date_to, text("number"),
                           text("title"))
    return wanted, sort, None if order is None else order == "desc"


def reference_number(args) -> str:
    """The số hiệu a references request asks about (`number`), its spaces made single."""
    number = " ".join(args.get("number", "").split())
    if not number:
        raise BadParameter("Chưa nhập số hiệu ('number'), ví dụ 57-NQ/TW.", "number_empty")
    return number[:200]


def audit_params(args) -> tuple[str | None, str | None, str | None, int]:
    """Parse the audit log's filters: user, since (a date), action; and its page."""
    user = " ".join(args.get("user", "").split())[:64] or None
    since = _date(args, "since")
    action = args.get("action", "").strip()[:40] or None
    if action and not re.fullmatch(r"[a-z_]+", action):
        raise BadParameter("Tham số 'action' là tên một hành động, ví dụ login, search.",
                           "bad_action")
    return user, since, action, _integer(args, "page", 1, 1, 100000)
