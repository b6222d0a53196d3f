"""What the page and API blueprints share: the index holder, searching, links, downloads."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from flask import current_app, send_file, url_for
from markupsafe import Markup, escape

from indexer.answer import AnswerSettings
from indexer.highlight import highlight_spans
from indexer.results import ResultPage, search_page
from indexer.search import Searcher
from indexer.store import StoredDocument

from .params import SearchParams


def holder():
    """Return the process's IndexHolder (opened once, swapped when a reindex publishes)."""
    return current_app.extensions["vankien"]


def run_search(searcher: Searcher, params: SearchParams
               ) -> tuple[ResultPage, dict[int, list[tuple[int, int]]]]:
    """Search one page of results; return it with each hit's highlighted spans."""
    result = search_page(searcher, params.query, page=params.page, per_page=params.per_page,
                         filters=params.filters, sort=params.sort,
                         pool=current_app.config["CANDIDATE_POOL"])
    highlights = {hit.chunk_id: highlight_spans(hit.text, params.query) for hit in result.hits}
    return result, highlights


def answer_settings(**changes) -> AnswerSettings:
    """Return the answer settings the app is configured with (its composer)."""
    return AnswerSettings(composer=current_app.config["COMPOSER"], **changes)


def cited_url(document_id: str, start: int, end: int, paragraph: int, query: str) -> str:
    """Link to the document view with the span [start, end) marked, scrolled to its paragraph."""
    return url_for("pages.document", document_id=document_id, start=start, end=end, q=query,
                   _anchor=f"p-{paragraph}")


def send_original(document: StoredDocument | None):
    """Send the original file of an indexed document, or return None if it is gone."""
    if document is None:
        return None
    # The path comes from the index, never from the URL, so nothing outside it can be read.
    path = os.fsencode(document.path)  # the name may not be UTF-8: open it by its bytes
    if not os.path.isfile(path):
        return None
    name = Path(document.rel_path).name
    # The stand-in name still ends as the file does, so the content type is guessed from it.
    response = send_file(open(path, "rb"), as_attachment=True, download_name=_ascii_name(name),
                         last_modified=os.stat(path).st_mtime)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def _ascii_name(name: str) -> str:
    return "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in name) \
        or "van-ban"


def content_disposition(name: str) -> str:
    """Return an attachment header for any file name (RFC 6266).

    The name travels percent-encoded in `filename*`, so a newline or a quote in it cannot
    break the header; `filename` carries an ASCII stand-in for old clients.
    """
    return f"attachment; filename=\"{_ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def marked(text: str, spans) -> Markup:
    """Render text with the given (start, end) spans in <mark>; everything else escaped."""
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
