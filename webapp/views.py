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


def visible_searcher() -> Searcher:
    """The searcher of the published version as the request's user may see it: every route
    reads the index through this, so what a user may not see is not there for them."""
    from .auth import current_access

    return holder().searcher_for(current_access())


def run_search(searcher: Searcher, params: SearchParams, page: int | None = None,
               per_page: int | None = None
               ) -> tuple[ResultPage, dict[int, list[tuple[int, int]]]]:
    """Search one page of results; return it with the highlighted spans of every passage
    shown (each result's best and its others), by chunk id."""
    result = search_page(searcher, params.query, page=page or params.page,
                         per_page=per_page or params.per_page, narrowing=params.narrowing,
                         sort=params.sort, grouped=params.grouped,
                         pool=current_app.config["CANDIDATE_POOL"])
    highlights = {passage.hit.chunk_id: highlight_spans(passage.hit.text, params.query)
                  for item in result.results for passage in (item.best, *item.others)}
    return result, highlights


def mark_of(document_id: str) -> str | None:
    """The confidentiality mark of a document (Mật, Tối mật, …), for pages to show."""
    from indexer.access import marked_documents

    return marked_documents(holder().searcher().index).get(document_id)


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
    """Render text with the given spans in <mark>; everything else escaped.

    A span is (start, end), or (start, end, css class) for a mark of another kind (the
    query's words in the document view, beside the cited span). Spans are sorted and do
    not overlap.
    """
    out, position = [], 0
    for start, end, *kind in spans:
        out.append(escape(text[position:start]))
        tag = Markup(f'<mark class="{escape(kind[0])}">') if kind else Markup("<mark>")
        out.append(tag + escape(text[start:end]) + Markup("</mark>"))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def outside(spans: list[tuple[int, int]], taken: list[tuple[int, int]], kind: str
            ) -> list[tuple]:
    """Return `spans` with the parts inside `taken` cut away, tagged `kind`, and `taken`,
    all sorted: the query's words are marked around a cited span, not inside it."""
    pieces = []
    for start, end in spans:
        for taken_start, taken_end in taken:
            if start < taken_end and end > taken_start:
                if start < taken_start:
                    pieces.append((start, taken_start, kind))
                start = max(start, taken_end)
        if start < end:
            pieces.append((start, end, kind))
    return sorted(pieces + list(taken))
