"""The current search results as a spreadsheet: /export?format=csv|xlsx with the search
page's parameters, one row per result with its citation fields."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, render_template, request

from indexer.export import to_csv, to_xlsx
from indexer.results import RESULT_COLUMNS, result_rows

from .auth import audit
from .params import BadParameter, search_params
from .views import cited_url, run_search, visible_searcher

blueprint = Blueprint("exports", __name__)

_MIMETYPES = {"csv": "text/csv; charset=utf-8",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@blueprint.errorhandler(BadParameter)
def bad_parameter(exc):
    return render_template("message.html", title="Yêu cầu không hợp lệ", message=str(exc)), 400


@blueprint.get("/export")
def export():
    """Every relevant result of the search (all pages), as CSV or XLSX."""
    kind = request.args.get("format", "csv") or "csv"
    if kind not in _MIMETYPES:
        raise BadParameter("Tham số 'format' phải là csv hoặc xlsx.", "bad_format")
    params = search_params(request.args, k_name="per_page")
    result, _ = run_search(visible_searcher(), params, page=1,
                           per_page=current_app.config["CANDIDATE_POOL"])

    def link(hit) -> str:
        return request.host_url.rstrip("/") + cited_url(
            hit.document.id, hit.char_start, hit.char_end, hit.para_start, params.query)

    # The closest passages of an off-topic query are not results: the sheet has headers only.
    rows = result_rows(result, link) if result.relevant else []
    audit("export", q=params.query, format=kind, rows=len(rows))
    if kind == "csv":
        body = to_csv(rows, RESULT_COLUMNS)
    else:
        body = to_xlsx(rows, RESULT_COLUMNS, "Kết quả tìm kiếm")
    name = f"ket-qua-tim-kiem-{date.today().isoformat()}.{kind}"
    return Response(body, mimetype=_MIMETYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
