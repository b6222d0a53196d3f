"""Logins, API tokens, CSRF and the audit trail of the web app.

With no user defined (no INDEX/accounts.sqlite, or none in it) the app is in single-user mode,
as before: no login, everything visible. Once `vankien users add` has made a user, which takes
effect at the next request without a restart, every page and API route needs a session (the
login page) or an `Authorization: Bearer` token, and each request sees only what its user may:
`current_access()` feeds views.visible_searcher(), the one way routes read the index.
"""
from __future__ import annotations

import functools
import logging
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import (Blueprint, current_app, g, jsonify, redirect, render_template, request,
                   session, url_for)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from indexer.access import EVERYTHING, Access
from indexer.accounts import ACCOUNTS_FILE, LOCKOUT_WINDOW, AccountStore, User

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__)
csrf = CSRFProtect()

# Reachable without logging in: the login form, its stylesheet and fonts, and a health probe
# that then says only whether the index answers.
PUBLIC_ENDPOINTS = {"static", "auth.login", "api.health"}
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
NOTHING = Access(frozenset(), False)
WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED_LOGIN = (f"Đăng nhập tạm khóa vì nhập sai nhiều lần. Hãy thử lại sau "
                f"{int(LOCKOUT_WINDOW.total_seconds() // 60)} phút.")


class _SessionCookies(SecureCookieSessionInterface):
    """Session cookies that are Secure whenever the request came over HTTPS (directly, or
    through a proxy trusted with `serve --behind-proxy`), HttpOnly and SameSite=Lax."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def init_app(app) -> None:
    """Wire accounts, sessions, CSRF and authentication into the app."""
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_NAME="vankien_session",
                      # Checked in authenticate(), after the token check: a bearer-token
                      # request carries no cookie a forged form could borrow.
                      WTF_CSRF_CHECK_DEFAULT=False,
                      WTF_CSRF_TIME_LIMIT=None)  # a form's token lives as long as its session
    app.session_interface = _SessionCookies()
    # Replaced by the accounts' own key once the file exists; until then CSRF tokens of this
    # process only (single-user mode keeps nothing in its sessions).
    app.secret_key = secrets.token_hex(32)
    app.extensions["vankien_accounts"] = _Accounts(Path(
        app.config.get("VANKIEN_ACCOUNTS") or Path(app.config["VANKIEN_INDEX"]) / ACCOUNTS_FILE))
    csrf.init_app(app)
    app.register_blueprint(blueprint)
    app.before_request(authenticate)
    app.errorhandler(CSRFError)(_csrf_failed)
    app.context_processor(lambda: {"current_user": g.get("user"),
                                   "single_user": g.get("single_user", True)})


class _Accounts:
    """Opens the accounts file (INDEX/accounts.sqlite unless configured) once it exists:
    users may be added while the app serves."""

    def __init__(self, path: Path):
        self.path = path
        self.store: AccountStore | None = None

    def get(self) -> AccountStore | None:
        if self.store is None and self.path.is_file():
            self.store = AccountStore(self.path.parent, self.path.name)
        return self.store


def accounts() -> AccountStore | None:
    """The accounts of the index served, or None in single-user mode before any exist."""
    return current_app.extensions["vankien_accounts"].get()


def current_user() -> User | None:
    return g.get("user")


def current_access() -> Access:
    """What the request may see (everything in single-user mode)."""
    return g.get("access", NOTHING)


def address() -> str | None:
    return request.remote_addr


def audit(action: str, **detail) -> None:
    """Append to the audit log who did what from where (no log before accounts exist)."""
    store = accounts()
    if store is not None:
        user = current_user()
        store.record(action, user.name if user else None, address(), **detail)


def authenticate():
    """Before every request: find the user (token or session), refuse anonymous requests
    once users exist, and check the CSRF token of a form that changes state."""
    store = accounts()
    g.user, g.token_auth = None, False
    if store is not None:
        current_app.secret_key = store.secret_key()
    if store is None or not store.enabled:
        g.single_user, g.access = True, EVERYTHING
    else:
        g.single_user = False
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            g.user = store.token_user(header[7:].strip())
            if g.user is None:
                return _refused(401, "invalid_token", "Mã truy cập (token) không hợp lệ hoặc đã "
                                "bị thu hồi.")
            g.token_auth = True
        elif "sid" in session:
            g.user = store.session_user(session["sid"])
            if g.user is None:
                session.clear()
        g.access = g.user.access if g.user else NOTHING
        if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
            return _login_required()
    if request.method in _UNSAFE_METHODS and not g.token_auth:
        csrf.protect()
    return None


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _refused(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="vankien"'
    return response


def _login_required():
    if _is_api():
        return _refused(401, "login_required", "Cần đăng nhập: gửi kèm mã truy cập "
                        "(Authorization: Bearer …) hoặc đăng nhập trên trang web.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _csrf_failed(exc):
    log.info("CSRF check failed: %s", exc.description)
    message = "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã CSRF). Hãy tải lại trang rồi thử lại."
    if _is_api():
        return _refused(400, "csrf_failed", message)
    return render_template("message.html", title="Yêu cầu bị từ chối", message=message), 400


def require(action: str):
    """Refuse a route to users whose role does not allow `action` ("upload", "admin")."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if not g.get("single_user") and (user is None or not user.may(action)):
                message = "Tài khoản của bạn không có quyền thực hiện việc này."
                if _is_api():
                    return _refused(403, "forbidden", message)
                return render_template("message.html", title="Không có quyền",
                                       message=message), 403
            return view(*args, **kwargs)
        return wrapper
    return decorate


def _local_path(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never another site's URL)."""
    if not target:
        return url_for("pages.search")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("pages.search")
    return target


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    store = accounts()
    target = _local_path(request.values.get("next"))
    if store is None or not store.enabled:
        return redirect(target)
    if request.method == "GET":
        return render_template("login.html", error=None, name="", next=target)
    name = request.form.get("name", "").strip()[:64]
    password = request.form.get("password", "")[:1024]
    locked = store.locked(name, address())
    user = None if locked else store.check_password(name, password, address())
    if user is None:
        # The name typed is what was typed, not who: it goes in the detail, never as the
        # entry's user. A locked name is noted once a minute, not at every attempt.
        if not locked or _first_in_a_minute(name):
            store.record("login_failed", None, address(), name=name,
                         reason="locked" if locked else "wrong")
        return render_template("login.html", error=LOCKED_LOGIN if locked else WRONG_LOGIN,
                               name=name, next=target), 401
    if "sid" in session:  # whoever was logged in on this browser is logged out first
        store.end_session(session["sid"])
    session.clear()  # a new session at login: nothing set before it survives
    session["sid"] = store.start_session(user, address())
    g.user = user
    store.record("login", user.name, address())
    return redirect(target)


_LOCK_NOTED: dict[str, float] = {}


def _first_in_a_minute(name: str) -> bool:
    key, now = name.strip().lower(), time.monotonic()
    if now - _LOCK_NOTED.get(key, -60.0) < 60:
        return False
    if len(_LOCK_NOTED) > 10_000:
        _LOCK_NOTED.clear()
    _LOCK_NOTED[key] = now
    return True


@blueprint.post("/logout")
def logout():
    store = accounts()
    if store is not None and "sid" in session:
        audit("logout")
        store.end_session(session["sid"])
    session.clear()
    return redirect(url_for("auth.login") if store is not None and store.enabled
                    else url_for("pages.search"))
