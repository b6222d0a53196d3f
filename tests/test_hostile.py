"""Hostile files, damaged indexes and mistyped commands: reported in one line, nothing lost.

Every hostile input is built here by tests/hostile_inputs.py (bombs are a few MB on disk),
so no large fixture is committed. scripts/hostile.py runs the same battery as a report.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile_inputs as H
from indexer.cli import main
from indexer.ingest import ReadLimits
from indexer.reindex import ReindexSettings, reindex
from indexer.search import Searcher
from indexer.store import open_index
from test_reindex import permissions_enforced
from webapp import create_app


def run(*args) -> "CliRunner.Result":
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result) -> bool:
    lines = result.output.strip().splitlines()
    return result.exit_code == 1 and len(lines) == 1 and result.exception.__class__ is SystemExit


def found(index_dir, word: str, embedder) -> list[str]:
    index = open_index(index_dir)
    try:
        return [hit.document.rel_path for hit in Searcher.open(index, embedder).search(word, 5)
                if word in hit.text]
    finally:
        index.close()


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    H.good_documents(folder)
    return folder


def assert_rest_indexed(index_dir, embedder):
    for name, word in H.GOOD_MARKERS.items():
        assert found(index_dir, word, embedder) == [name]


@pytest.mark.parametrize("name, reason", [
    ("docx-billion-laughs", "not a valid DOCX file"),
    ("docx-zip-bomb", "over the 256 MB limit"),
    ("pdf-flate-bomb", "corrupt or truncated PDF"),
    ("pdf-huge-page-tree", "corrupt or truncated PDF"),
    ("pdf-repeated-page", "PDF of 90000 pages, over the limit of 2000"),
])
def test_a_bomb_is_skipped_with_its_reason_and_the_rest_indexed(tmp_path, docs, embedder, name,
                                                                 reason):
    bomb = H.FILE_GENERATORS[name](docs)
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder)
    reasons = {Path(p).name: r for p, r in summary.skipped}
    assert list(reasons) == [bomb.name] and reason in reasons[bomb.name]
    assert len(summary.added) == 3
    assert_rest_indexed(tmp_path / "ix", embedder)


def test_the_cli_names_a_skipped_file_and_strict_exits_3(tmp_path, docs):
    bomb = H.docx_zip_bomb(docs)
    result = run("reindex", docs, "--index", tmp_path / "ix", "--quiet", "--strict")
    assert result.exit_code == 3, result.output
    assert f"{bomb}: DOCX expands to 1,024 MB" in result.output
    assert "Traceback" not in result.output


def test_a_file_over_the_read_deadline_is_skipped_and_the_reader_replaced(tmp_path, docs,
                                                                          embedder):
    slow = H.pdf_repeated_page(docs)  # 90,000 pages to read once the page limit allows them
    settings = ReindexSettings(limits=ReadLimits(max_pages=10**6, seconds=2))
    H.docx_of(docs / "tiep-theo.docx", ["Văn bản đọc sau tệp chậm dauhieusau."])  # read after it
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder, settings=settings)
    assert summary.skipped == [(str(slow), "reading took over 2 s "
                                           "(`vankien reindex --read-timeout` raises it)")]
    assert found(tmp_path / "ix", "dauhieusau", embedder) == ["tiep-theo.docx"]  # a new worker
    assert_rest_indexed(tmp_path / "ix", embedder)


def test_a_file_that_needs_more_memory_than_allowed_is_skipped(tmp_path, docs, embedder):
    bomb = H.docx_zip_bomb(docs)  # 1 GiB once unzipped: let it be unzipped, but in 400 MB
    settings = ReindexSettings(limits=ReadLimits(max_unzipped_bytes=2**40,
                                                 memory_bytes=400 * 2**20))
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder, settings=settings)
    assert [Path(p).name for p, _ in summary.skipped] == [bomb.name]
    assert "memory" in summary.skipped[0][1] or "reader stopped" in summary.skipped[0][1]
    assert len(summary.added) == 3


def test_files_that_look_hostile_but_are_documents_are_indexed(tmp_path, docs, embedder):
    odd_name = H.non_utf8_name(docs)
    comment = H.docx_with_comment(docs)
    entity = H.docx_with_doctype_entity(docs, outside=tmp_path / "outside")
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder)
    assert summary.skipped == [] and len(summary.added) == 6
    assert found(tmp_path / "ix", H.NON_UTF8_MARKER, embedder) == ["bad\ufffd.txt"]
    assert found(tmp_path / "ix", H.COMMENT_MARKER, embedder) == [comment.name]
    assert found(tmp_path / "ix", H.ENTITY_VISIBLE_MARKER, embedder) == [entity.name]
    # Entities are never resolved: neither the internal one nor the file an external one names.
    assert found(tmp_path / "ix", H.ENTITY_MARKER, embedder) == []
    assert found(tmp_path / "ix", H.EXTERNAL_MARKER, embedder) == []
    # The odd name is shown with U+FFFD, and the file is still found and kept by the next run.
    again = reindex(tmp_path / "ix", [docs], embedder=embedder)
    assert again.version is None and again.unchanged == 6
    client = create_app({"VANKIEN_INDEX": str(tmp_path / "ix"), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    from indexer.prepare import document_id
    response = client.get(f"/api/documents/{document_id(odd_name)}/file")
    assert response.status_code == 200 and H.NON_UTF8_MARKER.encode() in response.data
    assert "filename*=UTF-8''bad%EF%BF%BD.txt" in response.headers["Content-Disposition"]


def test_an_unexpected_failure_in_one_file_is_reported_and_the_run_goes_on(tmp_path, docs,
                                                                         embedder, monkeypatch):
    # No real file is known to break the text reader; one is made to, for this test only.
    from indexer import ingest

    real = ingest.READERS[".txt"]

    def breaks_on_one(path, data, context):
        if path.name == "loi.txt":
            raise RuntimeError("a reader bug")
        return real(path, data, context)

    monkeypatch.setitem(ingest.READERS, ".txt", breaks_on_one)
    (docs / "loi.txt").write_text("Văn bản làm hỏng bộ đọc.", encoding="utf-8")
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder)
    assert summary.skipped == [(str(docs / "loi.txt"), "could not read: RuntimeError: a reader bug")]
    assert_rest_indexed(tmp_path / "ix", embedder)


def test_unsupported_files_are_skipped_with_what_to_do_and_links_not_followed(tmp_path, docs,
                                                                            embedder):
    # .doc and .xls are read through LibreOffice (tests/test_office.py): these are damaged.
    doc, xls = H.unsupported_doc(docs), H.unsupported_xls(docs)
    slides = docs / "bao-cao.pptx"
    slides.write_bytes(b"PK\x03\x04")
    link = H.symlink_outside(docs, tmp_path / "outside")
    (docs / "Thumbs.db").write_bytes(b"\x00" * 64)  # what Windows leaves: not worth a line
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder)
    reasons = dict(summary.skipped)
    assert set(reasons) == {str(doc), str(xls), str(slides), str(link)}
    assert "LibreOffice" in reasons[str(doc)] and "LibreOffice" in reasons[str(xls)]
    assert "soffice --headless --convert-to pdf" in reasons[str(slides)]
    assert "symbolic link, not followed" in reasons[str(link)]
    assert found(tmp_path / "ix", H.SYMLINK_MARKER, embedder) == []


@pytest.fixture(scope="module")
def base_index(tmp_path_factory, embedder):
    docs = tmp_path_factory.mktemp("docs")
    H.good_documents(docs)
    index_dir = tmp_path_factory.mktemp("base") / "ix"
    reindex(index_dir, [docs], embedder=embedder)
    return docs, index_dir


@pytest.mark.parametrize("name", sorted(H.INDEX_DAMAGE))
def test_a_damaged_index_says_so_in_one_line_and_full_reindex_repairs_it(tmp_path, base_index,
                                                                         embedder, name):
    docs, base = base_index
    index_dir = tmp_path / "ix"
    shutil.copytree(base, index_dir)
    H.INDEX_DAMAGE[name](index_dir)
    for command in (["info"], ["search", "rừng"], ["ask", "Ai chủ trì?"], ["reindex", docs]):
        result = run(*command, "--index", index_dir)
        assert one_line_error(result), (command, result.output)
        assert "damaged" in result.output and "vankien reindex --full" in result.output
    result = run("check", "--index", index_dir)
    assert result.exit_code == 1 and "vankien reindex --full" in result.output
    client = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    health = client.get("/api/health")
    assert health.status_code == 503 and health.get_json()["status"] == "damaged"
    assert client.get("/api/search?q=rừng").status_code == 503
    page = client.get("/documents/abc")
    assert page.status_code == 503 and "Chỉ mục văn bản chưa sẵn sàng hoặc bị hỏng" in page.get_data(True)

    result = run("reindex", docs, "--index", index_dir, "--full", "--quiet")
    assert result.exit_code == 0, result.output
    assert run("check", "--index", index_dir).exit_code == 0
    assert "3 from the embedding cache" in result.output  # the embeddings survived the damage
    assert_rest_indexed(index_dir, embedder)
    assert not (index_dir / "reindex.lock").exists()


@pytest.mark.parametrize("name", sorted(H.CACHE_DAMAGE))
def test_a_damaged_embedding_cache_is_set_aside_and_rebuilt(tmp_path, base_index, embedder,
                                                            name):
    docs, base = base_index
    index_dir = tmp_path / "ix"
    shutil.copytree(base, index_dir)
    H.CACHE_DAMAGE[name](index_dir)
    (docs / "moi.txt").write_text("Thông báo mới dauhieumoi về lịch trực.", encoding="utf-8")
    try:
        summary = reindex(index_dir, [docs], embedder=embedder)
    finally:
        (docs / "moi.txt").unlink()
    assert summary.cache_set_aside and Path(summary.cache_set_aside).exists()
    assert found(index_dir, "dauhieumoi", embedder) == ["moi.txt"]
    # The new cache is sound: what a full rebuild embeds into it is there the next time.
    assert reindex(index_dir, [docs], embedder=embedder, full=True).cache_set_aside is None
    again = reindex(index_dir, [docs], embedder=embedder, full=True)
    assert again.chunks_embedded == 0 and again.cache_set_aside is None


def test_check_says_a_whole_index_is_whole_and_names_moved_files(tmp_path, docs, embedder):
    reindex(tmp_path / "ix", [docs], embedder=embedder)
    result = run("check", "--index", tmp_path / "ix")
    assert result.exit_code == 0 and "ok: the index is whole" in result.output
    (docs / "ke-hoach-tot.txt").unlink()
    result = run("check", "--index", tmp_path / "ix")
    assert result.exit_code == 1 and "1 indexed files are no longer" in result.output
    assert f"vankien reindex --index {tmp_path / 'ix'}" in result.output


def test_serve_on_a_busy_port_or_a_bad_host_is_one_line(tmp_path, base_index):
    import socket

    _, index_dir = base_index
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run("serve", "--index", index_dir, "--port", busy.getsockname()[1])
    assert one_line_error(result) and "Address already in use" in result.output
    result = run("serve", "--index", index_dir, "--host", "256.1.1.1")
    assert one_line_error(result) and "cannot listen on 256.1.1.1" in result.output


def test_a_query_that_is_not_utf8_is_one_line(base_index):
    _, index_dir = base_index
    for command in ("search", "ask"):
        result = run(command, "chuy\udce1n", "--index", index_dir)
        assert one_line_error(result) and "not valid UTF-8" in result.output


def test_reindex_into_a_folder_it_cannot_write_is_one_line_and_loses_nothing(tmp_path,
                                                                            base_index,
                                                                            embedder):
    docs, base = base_index
    index_dir = tmp_path / "ix"
    shutil.copytree(base, index_dir)
    (docs / "moi.txt").write_text("Thông báo mới.", encoding="utf-8")
    os.chmod(index_dir, 0o555)
    try:
        with permissions_enforced():
            result = run("reindex", docs, "--index", index_dir, "--quiet")
    finally:
        os.chmod(index_dir, 0o755)
        (docs / "moi.txt").unlink()
    assert one_line_error(result), result.output
    assert "cannot write the index" in result.output and "unchanged" in result.output
    assert_rest_indexed(index_dir, embedder)


# The child fills the disk as far as it is allowed: a file-size limit makes every write past
# 400 kB fail as a full disk does (EFBIG, "database or disk is full"); mounting a real small
# file system needs privileges CI may not have.
FULL_DISK_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from indexer.cli import main
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, resource.RLIM_INFINITY))
    sys.argv = ["vankien", "reindex", sys.argv[1], "--index", sys.argv[2], "--quiet", "--full"]
    main()
""")


def test_a_full_disk_during_reindex_is_one_line_and_the_served_version_stays(tmp_path,
                                                                            base_index,
                                                                            embedder):
    docs, base = base_index
    index_dir = tmp_path / "ix"
    shutil.copytree(base, index_dir)
    before = (index_dir / "CURRENT").read_text()
    big = tmp_path / "big"
    shutil.copytree(docs, big)
    for i in range(40):  # enough text that the new database outgrows the limit
        (big / f"bai-{i}.txt").write_text("Kế hoạch phát triển kinh tế xã hội. " * 400,
                                          encoding="utf-8")
    child = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(big), str(index_dir)],
                           capture_output=True, text=True, timeout=600)
    lines = (child.stdout + child.stderr).strip().splitlines()
    assert child.returncode == 1 and len(lines) == 1, lines
    assert "cannot write the index" in lines[0] and "unchanged" in lines[0]
    assert (index_dir / "CURRENT").read_text() == before
    assert not list((index_dir / "versions").glob(".building-*"))
    assert not (index_dir / "reindex.lock").exists()
    assert_rest_indexed(index_dir, embedder)


@pytest.mark.parametrize("value", ["５", "1_0", "٥", "+5", " 1 0"])
def test_numeric_parameters_are_ascii_digits_only(base_index, embedder, value):
    _, index_dir = base_index
    client = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    for route in ("/api/search", "/api/answer"):
        response = client.get(route, query_string={"q": "rừng", "k": value})
        assert response.status_code == 400, (route, value)
    assert client.get("/", query_string={"q": "rừng", "page": value}).status_code == 400


def test_a_file_name_with_a_newline_downloads_with_an_encoded_name(tmp_path, docs, embedder):
    odd = H.filename_with_newline(docs)
    reindex(tmp_path / "ix", [docs], embedder=embedder)
    from indexer.prepare import document_id

    client = create_app({"VANKIEN_INDEX": str(tmp_path / "ix"), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    for route in ("/api/documents/{}/file", "/documents/{}/file"):
        response = client.get(route.format(document_id(odd)))
        assert response.status_code == 200 and response.data == odd.read_bytes()
        disposition = response.headers["Content-Disposition"]
        assert "filename*=UTF-8''dong%0Amoi.txt" in disposition and "\n" not in disposition


def test_the_document_page_without_an_index_is_a_vietnamese_503(tmp_path):
    client = create_app({"VANKIEN_INDEX": str(tmp_path / "none")}).test_client()
    page = client.get("/documents/0123456789abcdef")
    assert page.status_code == 503 and "Chưa thể tra cứu" in page.get_data(as_text=True)
    assert client.get("/api/documents/0123456789abcdef").status_code == 503
