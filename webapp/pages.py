"""HTML pages: the search page and the document view (Vietnamese interface)."""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request

from indexer.answer import QuoteMismatch, ask
from indexer.errors import VankienError

from .params import BadParameter, search_params
from .views import answer_settings, holder, run_search, send_original

log = logging.getLogger(__name__)
blueprint = Blueprint("pages", __name__)

FACET_NAMES = {"type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm"}


def _url(**changes) -> str:
    args = {k: v for k, v in request.args.items() if v}
    args.update({k: v for k, v in changes.items()})
    return "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})


@blueprint.get("/")
def search():
    context = {"query": request.args.get("q", ""), "result": None, "error": None,
               "facet_names": FACET_NAMES, "url": _url, "args": request.args}
    if not context["query"].strip():
        return render_template("search.html", **context)
    try:
        params = search_params(request.args, k_name="per_page")
        searcher = holder().searcher()
        context["result"], context["highlights"] = run_search(searcher, params)
        context["sort"] = params.sort
        if params.page == 1:
            context["answer"] = _answer(searcher, params)
    except BadParameter as exc:
        context["error"] = str(exc)
        return render_template("search.html", **context), 400
    except VankienError as exc:
        context["error"] = f"Chưa có chỉ mục để tìm kiếm: {exc}"
        return render_template("search.html", **context), 503
    return render_template("search.html", **context)


def _answer(searcher, params):
    """Answer the query for the panel above the results; None if composing it failed."""
    try:
        return ask(searcher, params.query, answer_settings(), filters=params.filters)
    except QuoteMismatch:
        # A bug, not the user's doing: show the results without a panel rather than a wrong quote.
        log.exception("answer for %r not shown", params.query)
        return None


def _offset(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else None


@blueprint.get("/documents/<document_id>")
def document(document_id):
    document = holder().searcher().index.document(document_id)
    if document is None:
        abort(404)
    start, end = _offset("start"), _offset("end")
    paragraphs = []
    for paragraph in document.paragraphs():
        spans = []
        if start is not None and end is not None and start < paragraph.end and end > paragraph.start:
            spans = [(max(start, paragraph.start) - paragraph.start,
                      min(end, paragraph.end) - paragraph.start)]
        paragraphs.append((paragraph, spans))
    cited = next((p.number for p, spans in paragraphs if spans), None)
    return render_template("document.html", document=document, paragraphs=paragraphs,
                           cited=cited, query=request.args.get("q", ""))


@blueprint.get("/documents/<document_id>/file")
def document_file(document_id):
    return send_original(holder().searcher().index.document(document_id)) or abort(404)


def not_found(exc):
    """The Vietnamese 404 page (create_app routes /api/ paths to the JSON one)."""
    return render_template("message.html", title="Không tìm thấy",
                           message="Trang hoặc văn bản này không có trong chỉ mục."), 404


def unavailable(exc):
    """The Vietnamese page for an index that is missing or damaged: 503, never a traceback."""
    log.warning("index unavailable: %s", exc)
    return render_template("message.html", title="Chưa thể tra cứu",
                           message=f"Chỉ mục văn bản chưa sẵn sàng hoặc bị hỏng: {exc}"), 503
