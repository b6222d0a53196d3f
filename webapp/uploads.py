"""Adding and removing documents from the browser: editors upload files into a collection's
folder, or move a document's file to the trash, and a reindex runs in the background.

An upload passes the checks the CLI's reindex applies to a folder (a type Vankien reads, a
size limit; what the file holds is read by the reindex's bounded worker, like any file, so
a hostile file is one skipped file); a removal never deletes: the file goes to INDEX/trash/.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from indexer.access import access_table, collection_folders
from indexer.ingest import SUPPORTED_SUFFIXES

from .auth import audit, current_access, current_user, require
from .views import holder, visible_searcher

blueprint = Blueprint("uploads", __name__)
TRASH = "trash"


def _jobs():
    from .jobs import ReindexJobs

    jobs = current_app.extensions.get("vankien_jobs")
    if jobs is None:
        jobs = current_app.extensions["vankien_jobs"] = ReindexJobs(holder().index_dir)
    return jobs


def writable_collections() -> dict[str, str]:
    """Collection → the folder uploads go to, for the collections the user may see."""
    manifest = holder().searcher().index.manifest
    access = current_access()
    return {name: folders[0] for name, folders in collection_folders(manifest).items()
            if access.collections is None or name in access.collections}


def safe_name(name: str) -> str | None:
    """Return an uploaded file's name fit to store: its last part only, NFC, no control
    characters or leading dots; None if nothing is left."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".").strip()
    if len(name) > 150:
        stem, suffix = os.path.splitext(name)
        name = stem[:150 - len(suffix)] + suffix
    return name or None


def _free_path(folder: Path, name: str) -> Path:
    """A path in folder for name that holds no file yet: "a.pdf", "a (2).pdf", …"""
    stem, suffix = os.path.splitext(name)
    candidate, number = folder / name, 2
    while candidate.exists():
        candidate, number = folder / f"{stem} ({number}){suffix}", number + 1
    return candidate


def _save(upload, folder: Path, limit: int) -> tuple[str, str | None]:
    """Store one uploaded file; return (its name, None) or (its name, why it was refused)."""
    name = safe_name(upload.filename)
    if name is None:
        return upload.filename or "?", "tệp không có tên"
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return name, ("không phải loại văn bản Vankien đọc được (nhận: "
                      + " ".join(sorted(SUPPORTED_SUFFIXES)) + ")")
    # Written under a hidden name (a reindex leaves hidden files alone), then renamed.
    handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=folder)
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := upload.stream.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ValueError
                out.write(chunk)
        if size == 0:
            os.unlink(temporary)
            return name, "tệp rỗng"
        target = _free_path(folder, name)
        os.replace(temporary, target)
        return target.name, None
    except ValueError:
        os.unlink(temporary)
        return name, f"lớn hơn giới hạn {limit // (1024 * 1024)} MB cho một tệp"


@blueprint.get("/upload")
@require("upload")
def upload():
    return render_template("upload.html", collections=writable_collections(),
                           job=_jobs().state, saved=[], refused=[], error=None)


@blueprint.post("/upload")
@require("upload")
def receive():
    collections = writable_collections()
    collection = request.form.get("collection", "")
    files = [f for f in request.files.getlist("files") if f and f.filename]
    error = None
    if collection not in collections:
        error = "Hãy chọn một bộ văn bản mà bạn được cấp quyền."
    elif not files:
        error = "Chưa chọn tệp nào để tải lên."
    saved, refused = [], []
    if error is None:
        folder = Path(collections[collection])
        for upload_file in files:
            name, reason = _save(upload_file, folder, current_app.config["MAX_UPLOAD_FILE"])
            (refused if reason else saved).append((name, reason))
        audit("upload", collection=collection, files=[n for n, _ in saved],
              refused=[{"file": n, "reason": r} for n, r in refused])
        if saved:
            _start_reindex("upload")
    status = 400 if error or not saved else 200
    return render_template("upload.html", collections=collections, job=_jobs().state,
                           saved=saved, refused=refused, error=error), status


def _start_reindex(why: str) -> None:
    user = current_user()
    started = _jobs().start(user.name if user else None,
                            embedder=holder().searcher().embedder)
    audit("reindex", reason=why, started=started)


@blueprint.get("/upload/status")
@require("upload")
def status():
    return jsonify(_jobs().state.as_dict())


@blueprint.post("/documents/<document_id>/remove")
@require("upload")
def remove(document_id):
    index = visible_searcher().index
    document = index.document(document_id)
    if document is None:
        return render_template("message.html", title="Không tìm thấy",
                               message="Trang hoặc văn bản này không có trong chỉ mục."), 404
    collection = access_table(holder().searcher().index)[document_id].collection
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = holder().index_dir / TRASH / stamp / collection / document.rel_path
    if os.path.isfile(os.fsencode(document.path)):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(os.fsencode(document.path), os.fsencode(target))
    audit("remove", document=document_id, title=document.title, rel_path=document.rel_path,
          trash=str(target))
    _start_reindex("remove")
    return redirect(url_for("uploads.upload"))
