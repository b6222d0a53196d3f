"""The "Văn bản" page: every indexed document, filtered and sorted, with counts."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from indexer.catalog import index_summary, list_documents

from .auth import audit
from .params import BadParameter, catalog_params
from .views import visible_searcher

blueprint = Blueprint("catalog", __name__)

SORT_LABELS = {"date": "Ngày ban hành", "title": "Tên văn bản", "number": "Số hiệu",
               "type": "Loại văn bản", "issuer": "Cơ quan ban hành"}


def _url(**changes) -> str:
    args = {k: v for k, v in request.args.items() if v}
    args.update(changes)
    return "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})


@blueprint.get("/documents")
def documents():
    """The table of indexed documents."""
    context = {"args": request.args, "url": _url, "sorts": SORT_LABELS, "error": None,
               "catalog": None}
    index = visible_searcher().index
    context["summary"] = index_summary(index)
    try:
        wanted, sort, descending = catalog_params(request.args)
    except BadParameter as exc:
        context["error"] = str(exc)
        return render_template("documents.html", **context), 400
    catalog = list_documents(index, wanted, sort, descending)
    audit("documents", title=wanted.title, number=wanted.number, results=len(catalog.documents))
    context.update(catalog=catalog, sort=sort,
                   descending=(sort == "date") if descending is None else descending)
    return render_template("documents.html", **context)
