"""HTML pages: the search page and the document view (Vietnamese interface)."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request, send_file
from markupsafe import Markup, escape

from indexer.answer import AnswerSettings, QuoteMismatch, ask
from indexer.errors import VankienError
from indexer.highlight import highlight_spans
from indexer.search import search_page
from indexer.store import document_paragraphs

from .params import BadParameter, search_params

log = logging.getLogger(__name__)
blueprint = Blueprint("pages", __name__)

FACET_NAMES = {"type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm"}


def marked(text: str, spans) -> Markup:
    """Render text with the given (start, end) spans in <mark>; everything else escaped."""
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _url(**changes) -> str:
    args = {k: v for k, v in request.args.items() if v}
    args.update({k: v for k, v in changes.items()})
    return "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})


@blueprint.get("/")
def search():
    holder = current_app.extensions["vankien"]
    context = {"query": request.args.get("q", ""), "result": None, "error": None,
               "facet_names": FACET_NAMES, "url": _url, "args": request.args}
    if not context["query"].strip():
        return render_template("search.html", **context)
    try:
        params = search_params(request.args, k_name="per_page")
        context["result"] = search_page(
            holder.searcher(), params.query, page=params.page, per_page=params.per_page,
            filters=params.filters, sort=params.sort, pool=current_app.config["CANDIDATE_POOL"])
        context["highlights"] = {hit.chunk_id: highlight_spans(hit.text, params.query)
                                 for hit in context["result"].hits}
        context["sort"] = params.sort
        if params.page == 1:
            context["answer"] = _answer(holder.searcher(), params)
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
        return ask(searcher, params.query, AnswerSettings(), filters=params.filters)
    except QuoteMismatch:
        # A bug, not the user's doing: show the results without a panel rather than a wrong quote.
        log.exception("answer for %r not shown", params.query)
        return None


def _offset(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else None


@blueprint.get("/documents/<document_id>")
def document(document_id):
    index = current_app.extensions["vankien"].searcher().index
    document = index.document(document_id)
    if document is None:
        abort(404)
    start, end = _offset("start"), _offset("end")
    paragraphs = document_paragraphs(document)
    for paragraph in paragraphs:
        spans = []
        if start is not None and end is not None and start < paragraph["end"] and end > paragraph["start"]:
            spans = [(max(start, paragraph["start"]) - paragraph["start"],
                      min(end, paragraph["end"]) - paragraph["start"])]
        paragraph["spans"] = spans
    cited = next((p["number"] for p in paragraphs if p["spans"]), None)
    return render_template("document.html", document=document, paragraphs=paragraphs,
                           cited=cited, query=request.args.get("q", ""))


def send_original(document_id: str):
    """Send the original file of an indexed document, or return None if it is gone."""
    document = current_app.extensions["vankien"].searcher().index.document(document_id)
    if document is None:
        return None
    # The path comes from the index, never from the URL, so nothing outside it can be read.
    path = Path(document["path"])
    if not path.is_file():
        return None
    return send_file(path, as_attachment=True, download_name=path.name)


@blueprint.get("/documents/<document_id>/file")
def document_file(document_id):
    return send_original(document_id) or abort(404)


@blueprint.app_errorhandler(404)
def not_found(exc):
    if request.path.startswith("/api/"):
        from .api import error
        return error(404, "not found")
    return render_template("message.html", title="Không tìm thấy",
                           message="Trang hoặc văn bản này không có trong chỉ mục."), 404
