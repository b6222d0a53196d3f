"""HTML pages for what the documents assign and cite: the task list (and its export), the
timeline of a topic, and who implements a document."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from indexer.export import TASK_COLUMNS, to_csv, to_xlsx
from indexer.links import RELATION_LABELS, links_of
from indexer.tasklist import all_tasks, find_tasks

from .auth import audit
from .params import BadParameter, reference_number, search_params, task_params
from .views import visible_searcher

blueprint = Blueprint("worklist", __name__)


@blueprint.errorhandler(BadParameter)
def bad_parameter(exc):
    return render_template("message.html", title="Yêu cầu không hợp lệ", message=str(exc)), 400

PERIOD_LABELS = {"overdue": "Quá hạn", "month": "Trong tháng này", "quarter": "Trong quý này",
                 "year": "Trong năm nay"}


def _url(endpoint_args: dict, **changes) -> str:
    args = {k: v for k, v in endpoint_args.items() if v}
    args.update(changes)
    return "?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})


@blueprint.get("/tasks")
def tasks():
    """The table of tasks, filtered by agency, deadline, document and words."""
    try:
        params = task_params(request.args)
    except BadParameter as exc:
        return render_template("tasks.html", error=str(exc), tasks=[], total=0, args=request.args,
                               params=None, url=lambda **c: _url(request.args, **c),
                               periods=PERIOD_LABELS, today=date.today().isoformat()), 400
    searcher = visible_searcher()
    found = find_tasks(searcher.index, params.filter, searcher, params.sort)
    audit("tasks", q=params.filter.query, agency=params.filter.agency, results=len(found))
    start = (params.page - 1) * params.per_page
    facets = _facets(all_tasks(searcher.index))
    return render_template("tasks.html", error=None, tasks=found[start:start + params.per_page],
                           total=len(found), params=params, args=request.args,
                           pages=max(1, -(-len(found) // params.per_page)), facets=facets,
                           url=lambda **c: _url(request.args, **c), periods=PERIOD_LABELS,
                           today=date.today().isoformat())


def _facets(tasks) -> dict[str, list[str]]:
    types = sorted({t.document.doc_type for t in tasks if t.document.doc_type})
    issuers = sorted({t.document.issuer for t in tasks if t.document.issuer})
    return {"type": types, "issuer": issuers}


@blueprint.get("/tasks/export")
def export_tasks():
    """The filtered task table as CSV or XLSX, with the citation columns."""
    kind = request.args.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise BadParameter("Định dạng xuất ('format') phải là csv hoặc xlsx.", "bad_format")
    params = task_params(request.args)
    searcher = visible_searcher()
    rows = [task.as_dict() for task in find_tasks(searcher.index, params.filter, searcher,
                                                  params.sort)]
    audit("export", what="tasks", format=kind, rows=len(rows))
    if kind == "csv":
        body, mimetype = to_csv(rows, TASK_COLUMNS), "text/csv"
    else:
        body = to_xlsx(rows, TASK_COLUMNS, "Nhiệm vụ")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"nhiem-vu-{date.today().isoformat()}.{kind}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blueprint.get("/timeline")
def timeline():
    """The documents a query finds, by issue date: a topic followed across meetings and plans."""
    if not request.args.get("q", "").strip():
        return render_template("timeline.html", query="", entries=[], error=None)
    try:
        params = search_params(request.args)
    except BadParameter as exc:
        return render_template("timeline.html", query=request.args.get("q", ""), entries=[],
                               error=str(exc)), 400
    searcher = visible_searcher()
    best: dict[str, object] = {}
    for hit in searcher.search(params.query, k=200, filters=params.filters):
        best.setdefault(hit.document.id, hit)
    dated = sorted((h for h in best.values() if h.document.issued_date),
                   key=lambda h: h.document.issued_date)
    undated = [h for h in best.values() if not h.document.issued_date]
    audit("search", what="timeline", q=params.query, results=len(best))
    return render_template("timeline.html", query=params.query, entries=dated,
                           undated=undated, error=None)


@blueprint.get("/references")
def references():
    """The documents that cite a số hiệu, grouped by how they cite it."""
    number = reference_number(request.args)
    links = links_of(visible_searcher().index)
    relation = request.args.get("relation") or None
    found = [r for r in links.to_number(number) if relation in (None, r.relation)]
    groups: dict[str, list] = {}
    for ref in found:
        groups.setdefault(ref.relation, []).append(ref)
    target = links.directory.find(number)
    audit("references", number=number, results=len(found))
    return render_template("references.html", number=number, groups=groups,
                           labels=RELATION_LABELS, target=target, relation=relation)
