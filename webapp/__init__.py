"""The Flask web app: a search page, a document view, the document list, exports and a JSON
API over one index."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from indexer.errors import VankienError

from .holder import IndexHolder

DEFAULTS = {
    "VANKIEN_INDEX": "vankien-index",
    "MAX_QUERY_CHARS": 500,
    "MAX_K": 100,
    "MAX_PAGE": 50,
    "PER_PAGE": 10,
    "CANDIDATE_POOL": 200,
    "FACET_VALUES": 8,  # values a facet shows before "xem thêm"
    "COMPOSER": "extractive",  # what writes answers: indexer.answer.compose.COMPOSERS
    "MAX_CONTENT_LENGTH": 200 * 1024 * 1024,  # one upload request, all its files together
    "MAX_UPLOAD_FILE": 50 * 1024 * 1024,  # one uploaded file
}


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides DEFAULTS (e.g. {"VANKIEN_INDEX": "/path/to/index"})."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False
    # One holder per process: the index is opened once and swapped when a reindex publishes.
    app.extensions["vankien"] = IndexHolder(Path(app.config["VANKIEN_INDEX"]),
                                            embedder=app.config.get("EMBEDDER"))

    from . import admin, api, auth, catalog, exports, pages, uploads, views, worklist
    from .jobs import ReindexJobs

    app.extensions["vankien_jobs"] = ReindexJobs(Path(app.config["VANKIEN_INDEX"]))
    auth.init_app(app)
    for module in (api, pages, catalog, exports, worklist, admin, uploads):
        app.register_blueprint(module.blueprint)
    app.jinja_env.filters["marked"] = views.marked
    app.jinja_env.globals["mark_of"] = views.mark_of
    app.after_request(_security_headers)

    @app.errorhandler(404)
    def not_found(exc):  # an /api/ path no API route matched answers JSON, others a page
        from flask import request
        return api.not_found_json() if request.path.startswith("/api/") else pages.not_found(exc)

    @app.errorhandler(VankienError)
    def unavailable(exc):  # a page whose index is missing or damaged (the API answers JSON)
        return pages.unavailable(exc)

    return app


# Pages use no inline script or style and load nothing from elsewhere, so the policy can
# forbid both; a script injected through a document's text could not run.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; font-src 'self'; object-src 'none'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _security_headers(response):
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    return response
