"""What the page and API blueprints share: the index holder, searching, links, downloads."""
from __future__ import annotations

from pathlib import Path

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
    path = Path(document.path)
    if not path.is_file():
        return None
    return send_file(path, as_attachment=True, download_name=path.name)


def marked(text: str, spans) -> Markup:
    """Render text with the given (start, end) spans in <mark>; everything else escaped."""
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
