"""The JSON API: /api/search, /api/answer, /api/documents/<id>, /api/documents/<id>/file,
/api/health."""
from __future__ import annotations

import json
import time

from flask import Blueprint, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from indexer.answer import AnswerSettings, ask
from indexer.errors import VankienError
from indexer.highlight import highlight_spans
from indexer.search import search_page
from indexer.store import document_paragraphs

from .params import BadParameter, search_params

blueprint = Blueprint("api", __name__, url_prefix="/api")


def holder():
    return current_app.extensions["vankien"]


def error(status: int, message: str):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


@blueprint.errorhandler(BadParameter)
def bad_parameter(exc):
    return error(400, str(exc))


@blueprint.errorhandler(VankienError)
def index_unavailable(exc):
    return error(503, str(exc))


@blueprint.errorhandler(HTTPException)
def http_error(exc):
    return error(exc.code or 500, exc.description or exc.name)


def hit_json(hit, query: str) -> dict:
    data = hit.as_dict()
    data["highlights"] = [list(span) for span in highlight_spans(hit.text, query)]
    return data


@blueprint.get("/search")
def search():
    params = search_params(request.args)
    result = search_page(holder().searcher(), params.query, page=params.page,
                         per_page=params.per_page, filters=params.filters, sort=params.sort,
                         pool=current_app.config["CANDIDATE_POOL"])
    return jsonify({
        "query": result.query, "total": result.total, "page": result.page,
        "pages": result.pages, "per_page": result.per_page, "sort": params.sort,
        "took_ms": round(result.seconds * 1000, 1),
        "facets": {name: [{"value": v, "count": c} for v, c in values]
                   for name, values in result.facets.items()},
        "hits": [hit_json(hit, params.query) for hit in result.hits],
    })


def cited_url(document_id: str, start: int, end: int, paragraph: int, query: str) -> str:
    """Link to the document view with the span [start, end) marked, scrolled to its paragraph."""
    return url_for("pages.document", document_id=document_id, start=start, end=end, q=query,
                   _anchor=f"p-{paragraph}")


@blueprint.get("/answer")
def answer():
    """Answer `q` with quoted, cited sentences, or say nothing in the index supports one.

    `k` is the number of passages the answer is taken from (default 5); type, issuer and
    year filter them as in /api/search.
    """
    params = search_params(request.args)
    settings = AnswerSettings()
    if request.args.get("k", "").strip():
        settings = AnswerSettings(passages=params.per_page)
    started = time.perf_counter()
    result = ask(holder().searcher(), params.query, settings, filters=params.filters)
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
    document = holder().searcher().index.document(document_id)
    if document is None:
        return error(404, f"no document with id '{document_id}' in the index")
    paragraphs = document_paragraphs(document)
    keys = ("id", "title", "doc_number", "doc_type", "issuer", "issued_date", "rel_path",
            "format", "page_count", "size", "indexed_at", "text")
    ocr_pages = json.loads(document["ocr_pages"]) if document.get("ocr_pages") else None
    return jsonify({**{k: document[k] for k in keys}, "ocr_pages": ocr_pages,
                    "paragraphs": paragraphs})


@blueprint.get("/documents/<document_id>/file")
def document_file(document_id):
    from .pages import send_original

    return send_original(document_id) or error(
        404, f"the original file of document '{document_id}' is not available")


@blueprint.get("/health")
def health():
    searcher = holder().searcher()
    manifest = searcher.index.manifest
    return jsonify({"status": "ok", "index_version": manifest.version,
                    "documents": manifest.documents, "chunks": manifest.chunks,
                    "embedder": manifest.embedder_id, "dimension": manifest.dimension,
                    "built_at": manifest.built_at})


@blueprint.route("/<path:unknown>")
def unknown_route(unknown):
    return error(404, f"no API route /api/{unknown}")
