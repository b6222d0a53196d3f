"""The administrator's pages: the audit log, browsed and filtered, and its CSV export."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from indexer.export import AUDIT_COLUMNS, audit_rows, to_csv

from .auth import accounts, audit, require
from .params import BadParameter, audit_params

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 100
ACTION_LABELS = {
    "login": "Đăng nhập", "login_failed": "Đăng nhập sai", "logout": "Đăng xuất",
    "search": "Tìm kiếm", "answer": "Hỏi đáp", "view": "Xem văn bản", "download": "Tải tệp gốc",
    "export": "Xuất kết quả", "upload": "Tải lên", "remove": "Gỡ văn bản", "reindex": "Cập nhật chỉ mục",
    "tasks": "Xem nhiệm vụ", "references": "Tra cứu văn bản dẫn chiếu",
    "documents": "Xem danh sách văn bản", "user_add": "Thêm người dùng", "user_change": "Sửa người dùng",
    "token_create": "Tạo mã truy cập", "token_revoke": "Thu hồi mã truy cập",
    "retention": "Đổi thời hạn lưu nhật ký", "audit_export": "Xuất nhật ký",
}


@blueprint.errorhandler(BadParameter)
def bad_parameter(exc):
    return render_template("message.html", title="Yêu cầu không hợp lệ", message=str(exc)), 400


def _entries(paged: bool):
    user, since, action, page = audit_params(request.args)
    store = accounts()
    if store is None:
        return [], page
    if not paged:
        return store.audit(user, since, action), page
    # One more than a page: says whether there is a next one.
    return store.audit(user, since, action, PER_PAGE + 1, (page - 1) * PER_PAGE), page


@blueprint.get("/audit")
@require("admin")
def audit_log():
    entries, page = _entries(paged=True)
    args = {k: v for k, v in request.args.items() if v and k != "page"}
    store = accounts()
    return render_template("audit.html", entries=entries[:PER_PAGE], more=len(entries) > PER_PAGE,
                           page=page, args=request.args, labels=ACTION_LABELS,
                           query=urlencode(args), retention=store.retention_days() if store else None)


@blueprint.get("/audit.csv")
@require("admin")
def audit_csv():
    entries, _ = _entries(paged=False)
    audit("audit_export", rows=len(entries))
    name = f"nhat-ky-{date.today().isoformat()}.csv"
    return Response(to_csv(audit_rows(entries), AUDIT_COLUMNS), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
