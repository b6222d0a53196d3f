"""The JSON API: /api/search, /api/answer, /api/documents/<id> (and its /file and
/references), /api/tasks, /api/references, /api/health."""
from __future__ import annotations

import dataclasses
import logging
import time

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from indexer.answer import QuoteMismatch, ask
from indexer.errors import IndexDamaged, VankienError
from indexer.highlight import highlight_spans
from indexer.links import links_of
from indexer.relevance import RELEVANCE_FLOOR
from indexer.tasklist import find_tasks

from .auth import audit, current_user
from .params import BadParameter, reference_number, search_params, task_params
from .views import answer_settings, cited_url, run_search, send_original, visible_searcher

log = logging.getLogger(__name__)
blueprint = Blueprint("api", __name__, url_prefix="/api")


def error(status: int, code: str, message: str, detail: str | None = None):
    """An error answer: a stable machine `code` and a Vietnamese `message` for people; `detail`
    is the library's own account, for whoever runs the server."""
    body = {"code": code, "message": message}
    if detail:
        body["detail"] = detail
    response = jsonify({"error": body, "status": status})
    response.status_code = status
    return response


@blueprint.errorhandler(BadParameter)
def bad_parameter(exc):
    return error(400, exc.code, str(exc))


@blueprint.errorhandler(VankienError)
def index_unavailable(exc):
    return error(503, "index_unavailable", "Chưa có chỉ mục văn bản hoặc chỉ mục bị hỏng; người "
                 "quản trị cần chạy `vankien reindex`.", str(exc))


@blueprint.errorhandler(QuoteMismatch)
def internal_error(exc):
    log.exception("an answer failed its quote check")
    return error(500, "answer_unchecked", "Lỗi nội bộ: câu trả lời không khớp với văn bản gốc "
                 "nên không được gửi.")


_HTTP_MESSAGES = {404: ("not_found", "Không có địa chỉ này trong API."),
                  405: ("method_not_allowed", "API này không nhận phương thức yêu cầu đó.")}


@blueprint.errorhandler(HTTPException)
def http_error(exc):
    code, message = _HTTP_MESSAGES.get(exc.code, ("http_error", "Yêu cầu không thực hiện được."))
    return error(exc.code or 500, code, message)


def hit_json(hit, query: str) -> dict:
    data = hit.as_dict()
    data["highlights"] = [list(span) for span in highlight_spans(hit.text, query)]
    return data


def _passage_json(passage, highlights) -> dict:
    hit = passage.hit
    return {**hit.as_dict(), "relevance": round(passage.relevance, 3),
            "highlights": [list(s) for s in highlights[hit.chunk_id]]}


@blueprint.get("/search")
def search():
    """Relevant results, one per document unless `group=0`, with facets counted in documents."""
    params = search_params(request.args)
    result, highlights = run_search(visible_searcher(), params)
    audit("search", q=params.query, results=result.documents, api=True)
    hits = []
    for item in result.results:
        data = _passage_json(item.best, highlights)
        if result.grouped:
            others = [_passage_json(p, highlights) for p in item.others]
            data.update(others=[{k: o[k] for k in _OTHER_KEYS} for o in others],
                        other_count=len(others))
        hits.append(data)
    return jsonify({
        "query": result.query, "relevant": result.relevant, "grouped": result.grouped,
        "total": result.total, "documents": result.documents, "passages": result.passages,
        "page": result.page, "pages": result.pages, "per_page": result.per_page,
        "sort": params.sort, "from": params.narrowing.date_from,
        "to": params.narrowing.date_to, "relevance_floor": RELEVANCE_FLOOR,
        "took_ms": round(result.seconds * 1000, 1), "facets_count": "documents",
        "facets": {name: [{"value": v, "count": c} for v, c in values]
                   for name, values in result.facets.items()},
        "hits": hits,
    })


_OTHER_KEYS = ("chunk_id", "relevance", "text", "page", "para_start", "para_end", "char_start",
               "char_end", "heading_path", "highlights")


@blueprint.get("/answer")
def answer():
    """Answer `q` with quoted, cited sentences, or say nothing in the index supports one.

    `k` is the number of passages the answer is taken from (default 5); type, issuer and
    year filter them as in /api/search.
    """
    params = search_params(request.args)
    settings = answer_settings()
    if request.args.get("k", "").strip():
        settings = dataclasses.replace(settings, passages=params.per_page)
    started = time.perf_counter()
    result = ask(visible_searcher(), params.query, settings, filters=params.filters)
    audit("answer", q=params.query, supported=result.supported, api=True)
    data = result.as_dict()
    for quote, item in zip(result.sentences, data["sentences"]):
        item["url"] = cited_url(quote.document_id, quote.char_start, quote.char_end,
                                quote.paragraph, params.query)
    for citation, item in zip(result.citations, data["citations"]):
        hit = citation.hit
        item["url"] = cited_url(hit.document.id, hit.char_start, hit.char_end, hit.para_start,
                                params.query)
    data["passages"] = [hit_json(hit, params.query) for hit in result.passages]
    data["threshold"] = settings.threshold
    data["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return jsonify(data)


@blueprint.get("/documents/<document_id>")
def document(document_id):
    document = visible_searcher().index.document(document_id)
    if document is None:
        return _no_document(document_id)
    audit("view", document=document_id, api=True)
    keys = ("id", "title", "doc_number", "doc_type", "issuer", "issued_date", "rel_path",
            "format", "page_count", "size", "indexed_at", "text")
    return jsonify({**{k: getattr(document, k) for k in keys},
                    "ocr_pages": [dataclasses.asdict(p) for p in document.ocr_pages] or None,
                    "paragraphs": [dataclasses.asdict(p) for p in document.paragraphs()]})


@blueprint.get("/documents/<document_id>/file")
def document_file(document_id):
    response = send_original(visible_searcher().index.document(document_id))
    if response is None:
        return error(404, "file_not_found", "Không còn tệp gốc của văn bản này.")
    audit("download", document=document_id, api=True)
    return response


def _no_document(document_id: str):
    return error(404, "document_not_found",
                 f"Không có văn bản mã '{document_id[:80]}' trong chỉ mục.")


@blueprint.get("/tasks")
def tasks():
    """The tasks the documents assign, filtered as the task page filters them, paginated."""
    params = task_params(request.args)
    searcher = visible_searcher()
    found = find_tasks(searcher.index, params.filter, searcher, params.sort)
    audit("tasks", q=params.filter.query, agency=params.filter.agency, results=len(found),
          api=True)
    start = (params.page - 1) * params.per_page
    return jsonify({"total": len(found), "page": params.page, "per_page": params.per_page,
                    "due_after": params.filter.due_after, "due_before": params.filter.due_before,
                    "tasks": [{**task.as_dict(), "url": cited_url(
                        task.document.id, task.char_start, task.char_end, task.paragraph, "")}
                        for task in found[start:start + params.per_page]]})


@blueprint.get("/documents/<document_id>/references")
def document_references(document_id):
    """What a document cites (by relation) and which indexed documents cite it."""
    index = visible_searcher().index
    if index.document(document_id) is None:
        return _no_document(document_id)
    links = links_of(index)
    audit("references", document=document_id, api=True)
    return jsonify({"document_id": document_id,
                    "cites": [ref.as_dict() for ref in links.cites(document_id)],
                    "cited_by": [ref.as_dict() for ref in links.cited_by(document_id)]})


@blueprint.get("/references")
def references():
    """Who cites a số hiệu (`number`), and how; the cited document if it is indexed."""
    number = reference_number(request.args)
    links = links_of(visible_searcher().index)
    found = links.to_number(number)
    target = links.directory.find(number)
    audit("references", number=number, results=len(found), api=True)
    return jsonify({"number": number, "document_id": target, "total": len(found),
                    "cited_by": [ref.as_dict() for ref in found]})


@blueprint.get("/health")
def health():
    """Say whether the index answers: 200 "ok", or 503 with "damaged" or "unavailable".

    Without a login (once users exist) only the status: no counts, no paths."""
    anonymous = not g.get("single_user") and current_user() is None
    try:
        manifest = visible_searcher().index.manifest  # a damaged version is not opened
    except IndexDamaged as exc:
        detail = {} if anonymous else {"error": str(exc), "problems": [exc.what]}
        return jsonify({"status": "damaged", **detail,
                        "message": "Chỉ mục bị hỏng; cần chạy `vankien reindex --full`."}), 503
    except VankienError as exc:
        detail = {} if anonymous else {"error": str(exc)}
        return jsonify({"status": "unavailable", **detail,
                        "message": "Chưa có chỉ mục; cần chạy `vankien reindex`."}), 503
    if anonymous:
        return jsonify({"status": "ok"})
    return jsonify({"status": "ok", "index_version": manifest.version,
                    "documents": manifest.documents, "chunks": manifest.chunks,
                    "embedder": manifest.embedder_id, "dimension": manifest.dimension,
                    "built_at": manifest.built_at})


@blueprint.route("/<path:unknown>")
def unknown_route(unknown):
    return not_found_json()


def not_found_json():
    """The 404 body for an /api/ path no route matched."""
    return error(404, "not_found", "Không có địa chỉ này trong API.")
