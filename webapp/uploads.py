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

from indexer.access import collection_folders
from indexer.ingest import SUPPORTED_SUFFIXES

from .auth import audit, current_access, require
from .views import holder, visible_searcher

blueprint = Blueprint("uploads", __name__)
TRASH = "trash"


def _jobs():
    """The process's web reindex runner (made with the app: one per process)."""
    return current_app.extensions["vankien_jobs"]


def writable_collections() -> dict[str, str]:
    """Collection → the folder uploads go to, for the collections the user may see."""
    return {name: folders[0] for name, folders in _my_folders().items()}


def _my_folders() -> dict[str, list[str]]:
    manifest = holder().searcher().index.manifest
    access = current_access()
    return {name: folders for name, folders in collection_folders(manifest).items()
            if access.collections is None or name in access.collections}


def job_view() -> dict:
    """The latest web reindex as this user may see it: an admin (or the single user) all of
    it, an editor what concerns the folders of their collections."""
    if current_access().collections is None:
        return _jobs().state.view(None)
    return _jobs().state.view([f for folders in _my_folders().values() for f in folders])


MAX_NAME_BYTES = 200  # file systems allow 255 bytes; room is left for " (2)"


def safe_name(name: str) -> str | None:
    """Return an uploaded file's name fit to store: its last part only, NFC, without control
    or format characters (a right-to-left override would disguise it) or leading dots, at
    most MAX_NAME_BYTES in UTF-8; None if nothing is left."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = name.strip().lstrip(".").strip()
    stem, suffix = os.path.splitext(name)
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES and stem:
        stem = stem[:-1]
    return (stem + suffix) or None


def _place(temporary: str, folder: Path, name: str) -> Path:
    """Give the file at `temporary` the name in folder, or "a (2).pdf", … if taken: a hard
    link fails when the name exists, so two uploads of one name at once both keep theirs."""
    stem, suffix = os.path.splitext(name)
    candidate, number = folder / name, 2
    while True:
        try:
            os.link(temporary, candidate)
            return candidate
        except FileExistsError:
            candidate, number = folder / f"{stem} ({number}){suffix}", number + 1


def _save(upload, folder: Path, limit: int) -> tuple[str, str | None]:
    """Store one uploaded file; return (its name, None) or (its name, why it was refused)."""
    name = safe_name(upload.filename)
    if name is None:
        return upload.filename or "?", "tệp không có tên"
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return name, ("không phải loại văn bản Vankien đọc được (nhận: "
                      + " ".join(sorted(SUPPORTED_SUFFIXES)) + ")")
    # Written under a hidden name (a reindex leaves hidden files alone), then linked to its
    # own; the hidden one goes whatever happens.
    handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=folder)
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := upload.stream.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    return name, f"lớn hơn giới hạn {limit // (1024 * 1024)} MB cho một tệp"
                out.write(chunk)
        if size == 0:
            return name, "tệp rỗng"
        return _place(temporary, folder, name).name, None
    except OSError as exc:
        return name, f"không lưu được ({exc.strerror or exc})"
    finally:
        os.unlink(temporary)


@blueprint.get("/upload")
@require("upload")
def upload():
    return render_template("upload.html", collections=writable_collections(),
                           job=job_view(), saved=[], refused=[], error=None)


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
    return render_template("upload.html", collections=collections, job=job_view(),
                           saved=saved, refused=refused, error=error), status


def _start_reindex(why: str) -> None:
    audit("reindex", reason=why, run=_jobs().start(embedder=holder().searcher().embedder))


@blueprint.get("/upload/status")
@require("upload")
def status():
    return jsonify(job_view())


@blueprint.post("/documents/<document_id>/remove")
@require("upload")
def remove(document_id):
    index = visible_searcher().index
    document = index.document(document_id)
    if document is None:
        return render_template("message.html", title="Không tìm thấy",
                               message="Trang hoặc văn bản này không có trong chỉ mục."), 404
    # A folder per removal (its time and the document's id), so nothing already in the
    # trash is ever overwritten.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = holder().index_dir / TRASH / f"{stamp}-{document_id}" / document.rel_path
    if os.path.isfile(os.fsencode(document.path)):
        target.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(os.fsencode(target)):
            raise FileExistsError(target)
        shutil.move(os.fsencode(document.path), os.fsencode(target))
    audit("remove", document=document_id, title=document.title, rel_path=document.rel_path,
          trash=str(target))
    _start_reindex("remove")
    return redirect(url_for("uploads.upload"))
