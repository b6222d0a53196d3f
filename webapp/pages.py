"""HTML pages: the search page and the document view (Vietnamese interface)."""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request

from indexer.access import access_table
from indexer.answer import QuoteMismatch, ask
from indexer.catalog import index_summary
from indexer.errors import VankienError
from indexer.highlight import highlight_spans
from indexer.links import RELATION_LABELS, links_of
from indexer.tasklist import all_tasks

from .auth import audit
from .params import BadParameter, search_params
from .views import answer_settings, outside, run_search, send_original, visible_searcher

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
               "facet_names": FACET_NAMES, "url": _url, "args": request.args,
               "max_query": current_app.config["MAX_QUERY_CHARS"],
               "shown_facets": current_app.config["FACET_VALUES"]}
    if not context["query"].strip():
        context["summary"] = _summary()
        return render_template("search.html", **context)
    try:
        params = search_params(request.args, k_name="per_page")
        searcher = visible_searcher()
        context["result"], context["highlights"] = run_search(searcher, params)
        audit("search", q=params.query, results=context["result"].documents)
        context["sort"], context["params"] = params.sort, params
        if params.page == 1:
            context["answer"] = _answer(searcher, params)
        context["implementing"] = implementing(searcher, params.query)
    except BadParameter as exc:
        context["error"] = str(exc)
        return render_template("search.html", **context), 400
    except VankienError as exc:
        log.warning("index unavailable: %s", exc)  # the detail is the operator's, in the log
        context["error"] = ("Chưa có chỉ mục để tìm kiếm hoặc chỉ mục bị hỏng: người quản trị "
                            "cần chạy `vankien reindex`.")
        return render_template("search.html", **context), 503
    return render_template("search.html", **context)


def _summary():
    """How many documents the index holds and when it was last built; None without one."""
    try:
        return index_summary(visible_searcher().index)
    except VankienError:
        return None


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
    document = visible_searcher().index.document(document_id)
    if document is None:
        abort(404)
    audit("view", document=document_id)
    start, end = _offset("start"), _offset("end")
    query = " ".join(request.args.get("q", "").split())[:current_app.config["MAX_QUERY_CHARS"]]
    paragraphs, cited = [], None
    for paragraph in document.paragraphs():
        spans = []
        if start is not None and end is not None and start < paragraph.end and end > paragraph.start:
            spans = [(max(start, paragraph.start) - paragraph.start,
                      min(end, paragraph.end) - paragraph.start)]
            cited = cited or paragraph.number
        words = highlight_spans(paragraph.text, query) if query else []
        paragraphs.append((paragraph, outside(words, spans, "term"), bool(spans)))
    index = visible_searcher().index
    links = links_of(index)
    cites: dict[str, list] = {}
    for ref in links.cites(document.id):
        cites.setdefault(ref.relation, []).append(ref)
    return render_template("document.html", document=document, paragraphs=paragraphs,
                           collection=access_table(index)[document.id].collection,
                           cited=cited, query=query, cites=cites,
                           cited_by=links.cited_by(document.id), labels=RELATION_LABELS,
                           tasks=[t for t in all_tasks(index) if t.document.id == document.id])


@blueprint.get("/documents/<document_id>/file")
def document_file(document_id):
    response = send_original(visible_searcher().index.document(document_id))
    if response is None:
        abort(404)
    audit("download", document=document_id)
    return response


def not_found(exc):
    """The Vietnamese 404 page (create_app routes /api/ paths to the JSON one)."""
    return render_template("message.html", title="Không tìm thấy",
                           message="Trang hoặc văn bản này không có trong chỉ mục."), 404


def unavailable(exc):
    """The Vietnamese page for an index that is missing or damaged: 503, never a traceback."""
    log.warning("index unavailable: %s", exc)
    return render_template("message.html", title="Chưa thể tra cứu",
                           message=f"Chỉ mục văn bản chưa sẵn sàng hoặc bị hỏng: {exc}"), 503


def implementing(searcher, query: str) -> list[tuple[str, str, int]]:
    """For a query naming documents ("nghị quyết 57"): (number, type, how many indexed
    documents implement it), to offer "văn bản thực hiện Nghị quyết 57-NQ/TW (n)"."""
    links = links_of(searcher.index)
    named = searcher.lookup.documents_named_in(query) if searcher.lookup else []
    infos = searcher.index.document_infos(named)
    numbers = {info.doc_number: info.doc_type for info in infos.values() if info.doc_number}
    numbers.update(links_named_in(links, query))
    found = []
    for number, doc_type in numbers.items():
        count = len({r.source.id for r in links.to_number(number) if r.relation == "thuc_hien"})
        if count:
            found.append((number, doc_type or "văn bản", count))
    return found


def links_named_in(links, query: str) -> dict[str, str]:
    """Return the cited numbers a query names in full ("57-NQ/TW"), with their type."""
    from indexer.vietnamese import DOCUMENT_NUMBER, number_key

    wanted = {number_key(m.group()) for m in DOCUMENT_NUMBER.finditer(query)}
    return {ref.number: ref.doc_type for ref in links.references
            if ref.number and number_key(ref.number) in wanted}
