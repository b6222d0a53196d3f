"""Who may see what: collections, confidentiality marks, logins, tokens, CSRF, the audit log.

The index, the accounts file, the web app and the CLI are the real ones; every route and
output that could show a document is asked by a user who may not see it (no trace of it) and
by one who may (it is there).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.access import Access, visible_documents
from indexer.accounts import LOCKOUT_FAILURES, AccountStore
from indexer.cli import main
from indexer.marking import read_marking
from indexer.reindex import reindex
from indexer.store import open_index
from webapp import create_app
from webapp.auth import LOCKED_LOGIN, WRONG_LOGIN

PUBLIC_PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n\nSố: 310/KH-UBND\n\nĐồng Nai, ngày 24 tháng 11 năm 2025\n\n"
    "KẾ HOẠCH\n\nPhát triển giao thông thủy nội địa năm 2026\n\n"
    "Thực hiện Kết luận số 45-KL/TU ngày 02/10/2025 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân "
    "tỉnh ban hành Kế hoạch như sau:\n\n"
    "1. Giao Sở Giao thông vận tải chủ trì nạo vét luồng sông Đồng Nai, hoàn thành trước ngày "
    "31/12/2026.\n")
# The restricted document: its words are nowhere else. Queries name "Phước Thọ"; each of its
# titles, passages, sentences and tasks also holds one of SECRET_WORDS, which no query does.
INTERNAL = (
    "TỈNH ỦY ĐỒNG NAI\n\nSố: 45-KL/TU\n\nĐồng Nai, ngày 02 tháng 10 năm 2025\n\n"
    "KẾT LUẬN\n\nCủa Ban Thường vụ Tỉnh ủy về dự án cảng cạn Phước Thọ và khu hậu cần Ông Kèo\n\n"
    "Ban Thường vụ Tỉnh ủy thống nhất chủ trương đầu tư dự án cảng cạn Phước Thọ gắn với bến "
    "thủy Tân Vạn.\n\n"
    "Giao Ban Cán sự đảng UBND tỉnh chỉ đạo Sở Kế hoạch và Đầu tư chủ trì lập hồ sơ dự án cảng "
    "cạn Phước Thọ, hoàn thành trước ngày 30/9/2026.\n")
# Marked MẬT in its header, in the public folder: only users allowed marked documents see it.
SECRET = (
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n\nMẬT\n\nSố: 12/BC-UBND\n\n"
    "Đồng Nai, ngày 05 tháng 11 năm 2025\n\nBÁO CÁO\n\nTình hình an ninh vùng biên Xuân Lộc\n\n"
    "Lực lượng chức năng phát hiện đường dây buôn lậu qua lối mòn Suối Cát.\n")
PASSWORD = "mat-khau-du-dai-1"


@pytest.fixture(scope="module")
def site(tmp_path_factory, embedder):
    """An index of two collections (public: the plan and the marked report; noibo: the
    internal conclusion) and five users."""
    root = tmp_path_factory.mktemp("access")
    public, internal = root / "cong-khai", root / "noi-bo"
    public.mkdir()
    internal.mkdir()
    (public / "ke-hoach-310.txt").write_text(PUBLIC_PLAN, encoding="utf-8")
    (public / "bao-cao-mat.txt").write_text(SECRET, encoding="utf-8")
    (internal / "ket-luan-45.txt").write_text(INTERNAL, encoding="utf-8")
    index_dir = root / "ix"
    reindex(index_dir, [public, internal], embedder=embedder, collections=["congkhai"])
    store = AccountStore(index_dir)
    store.add_user("quantri", "admin", PASSWORD)
    store.add_user("docgia", "reader", PASSWORD, ["congkhai"])
    store.add_user("noibo", "reader", PASSWORD, ["congkhai", "noi-bo"])
    store.add_user("canbo", "reader", PASSWORD, ["congkhai"], marked=True)
    store.add_user("bientap", "editor", PASSWORD, ["congkhai"])
    index = open_index(index_dir)
    ids = {info.rel_path: info.id for info in index.document_infos().values()}
    index.close()
    app = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder})
    return {"app": app, "dir": index_dir, "store": store, "public": public,
            "internal_id": ids["ket-luan-45.txt"], "secret_id": ids["bao-cao-mat.txt"],
            "plan_id": ids["ke-hoach-310.txt"]}


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def login(app, name: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_of(client.get("/login").data)
    response = client.post("/login", data={"name": name, "password": password,
                                           "csrf_token": token, "next": "/"})
    return client, response


def test_collections_and_marks_are_read_at_reindex(site):
    index = open_index(site["dir"])
    assert sorted(index.manifest.collections.values()) == ["congkhai", "noi-bo"]
    everyone = visible_documents(index, Access(frozenset({"congkhai"}), marked=False))
    assert everyone == {site["plan_id"]}
    assert visible_documents(index, Access(frozenset({"congkhai"}), marked=True)) == \
        {site["plan_id"], site["secret_id"]}
    assert visible_documents(index, Access()) == {site["plan_id"], site["secret_id"],
                                                 site["internal_id"]}
    index.close()


@pytest.mark.parametrize("lines, mark", [
    (["ỦY BAN NHÂN DÂN TỈNH X", "MẬT", "Số: 1/BC-UBND"], "Mật"),
    (["BỘ CÔNG AN | TỐI MẬT", "Số: 2/BC"], "Tối mật"),
    (["**TUYỆT MẬT**", "Số: 3/BC"], "Tuyệt mật"),
    (["Độ mật: Mật", "Số: 4/BC"], "Mật"),
    (["(HẠN CHẾ)", "Số: 5/TB"], "Hạn chế"),
    (["MẬT - HỎA TỐC", "Số: 6/CV"], "Mật"),
    (["MẬT KHẨN"], "Mật"), (["- MẬT -"], "Mật"), (["«MẬT»"], "Mật"),
    (["Độ mật: MẬT; Độ khẩn: KHẨN"], "Mật"), (["MẬT (Hạn chế phổ biến)"], "Mật"),
    (["Số: 12/BC-UBND      MẬT"], "Mật"),  # a PDF's columns side by side
    (["KẾ HOẠCH", "Bảo vệ bí mật nhà nước năm 2026"], None),
    (["Mật độ dân số (người/km2)"], None), (["HẠN CHẾ rác thải nhựa"], None), (["KHẨN"], None),
    (["ĐẢNG GẮN BÓ MẬT THIẾT VỚI NHÂN DÂN"], None),
    (["Căn cứ Luật Bảo vệ bí mật nhà nước", "MẬT"], None),  # in the body, not the header
])
def test_confidentiality_marks_are_the_header_s_own(lines, mark):
    found = read_marking(lines)
    assert (found.mark if found else None) == mark


# Everything a user without the internal collection (docgia) might reach the conclusion by;
# each must show no trace of it: neither its id, nor its words, nor its number as a link.
LEAK_ROUTES = [
    "/?q=cảng cạn Phước Thọ", "/?q=Phước Thọ&sort=date", "/?q=bến thủy",
    "/api/search?q=cảng cạn Phước Thọ", "/api/search?q=Phước Thọ&group=0",
    "/api/answer?q=Ai chủ trì lập hồ sơ dự án cảng cạn Phước Thọ?",
    "/api/answer?q=Khi nào hoàn thành hồ sơ dự án cảng cạn Phước Thọ?",
    "/?q=Ai chủ trì lập hồ sơ dự án cảng cạn Phước Thọ?",
    "/documents", "/documents?title=Phước Thọ", "/tasks", "/tasks?q=Phước Thọ",
    "/api/tasks", "/api/tasks?q=Phước Thọ", "/tasks/export?format=csv",
    "/references?number=45-KL/TU", "/api/references?number=45-KL/TU",
    "/timeline?q=Phước Thọ", "/export?format=csv&q=Phước Thọ", "/export?format=csv&q=dự án",
    "/?q=45-KL/TU", "/api/search?q=45-KL/TU", "/api/health", "/",
]
SECRET_WORDS = ["Ông Kèo", "Tân Vạn", "Sở Kế hoạch và Đầu tư", "Ban Cán sự"]


@pytest.mark.parametrize("url", LEAK_ROUTES)
def test_no_route_shows_a_document_of_a_collection_not_granted(site, url):
    reader, _ = login(site["app"], "docgia")
    insider, _ = login(site["app"], "noibo")
    refused = reader.get(url)
    assert refused.status_code == 200, (url, refused.status_code)
    body = refused.get_data(as_text=True)
    assert site["internal_id"] not in body, url
    for word in SECRET_WORDS:
        assert word not in body, (url, word)
    # The same route shows it to a user granted the collection (where it lists documents).
    if url not in ("/api/health", "/", "/references?number=45-KL/TU",
                   "/api/references?number=45-KL/TU"):
        granted = insider.get(url).get_data(as_text=True)
        assert site["internal_id"] in granted or any(w in granted for w in SECRET_WORDS), url


def test_counts_facets_and_resolution_leave_the_invisible_document_out(site):
    reader, _ = login(site["app"], "docgia")
    insider, _ = login(site["app"], "noibo")
    query = "/api/search?q=Ban Thường vụ Tỉnh ủy kế hoạch"
    seen = reader.get(query).get_json()
    assert seen["documents"] == 1  # the plan only
    issuers = {f["value"] for f in seen["facets"]["issuer"]}
    assert "Tỉnh ủy Đồng Nai" not in issuers
    types = {f["value"] for f in seen["facets"]["type"]}
    assert "Kết luận" not in types
    assert insider.get(query).get_json()["documents"] == 2
    # The plan cites 45-KL/TU: resolved for the insider, plain unresolved text for the reader.
    assert reader.get("/api/references?number=45-KL/TU").get_json()["document_id"] is None
    assert insider.get("/api/references?number=45-KL/TU").get_json()["document_id"] == \
        site["internal_id"]
    cites = reader.get(f"/api/documents/{site['plan_id']}/references").get_json()["cites"]
    assert cites and all(ref["target_id"] is None for ref in cites
                         if ref["number"] == "45-KL/TU")
    assert reader.get("/api/health").get_json()["documents"] == 1
    assert insider.get("/api/health").get_json()["documents"] == 2


@pytest.mark.parametrize("path", ["/documents/{id}", "/documents/{id}/file", "/api/documents/{id}",
                                  "/api/documents/{id}/file", "/api/documents/{id}/references"])
def test_an_invisible_document_is_not_found_and_a_granted_one_is(site, path):
    url = path.format(id=site["internal_id"])
    reader, _ = login(site["app"], "docgia")
    insider, _ = login(site["app"], "noibo")
    refused, granted = reader.get(url), insider.get(url)
    # The same answer as for an id that does not exist: nothing says the document exists.
    unknown = reader.get(path.format(id="0000000000000000"))
    assert refused.status_code == 404 == unknown.status_code
    # The logout form's CSRF token is signed with the time (seconds): two pages a second apart
    # differ there and nowhere else, so it is left out of the comparison.
    assert _without_csrf(refused.get_data()) == _without_csrf(unknown.get_data()).replace(
        b"0000000000000000", site["internal_id"].encode())
    assert granted.status_code == 200


def _without_csrf(page: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token"', page)


def test_a_user_with_the_collection_finds_it_everywhere(site):
    insider, _ = login(site["app"], "noibo")
    page = insider.get("/?q=cảng cạn Phước Thọ").get_data(as_text=True)
    assert site["internal_id"] in page and "Tân Vạn" in page
    answer = insider.get("/api/answer?q=Ai chủ trì lập hồ sơ dự án cảng cạn Phước Thọ?").get_json()
    assert answer["supported"] and "Sở Kế hoạch và Đầu tư" in answer["text"]
    tasks = insider.get("/api/tasks?q=Phước Thọ").get_json()
    assert any("Phước Thọ" in t["task"] for t in tasks["tasks"])
    exported = insider.get("/export?format=csv&q=Phước Thọ").get_data(as_text=True)
    assert "ket-luan-45.txt" in exported
    assert "Phước Thọ" in insider.get("/documents").get_data(as_text=True)


def test_marked_documents_need_the_marked_grant(site):
    reader, _ = login(site["app"], "docgia")
    cleared, _ = login(site["app"], "canbo")
    admin, _ = login(site["app"], "quantri")
    url = "/api/search?q=đường dây buôn lậu Suối Cát"
    assert all(hit["document"]["id"] != site["secret_id"] for hit in reader.get(url).get_json()["hits"])
    assert reader.get(f"/documents/{site['secret_id']}").status_code == 404
    for client in (cleared, admin):
        assert client.get(url).get_json()["hits"][0]["document"]["id"] == site["secret_id"]
        page = client.get(f"/documents/{site['secret_id']}").get_data(as_text=True)
        assert 'class="mark-badge"' in page and "Mật" in page


def test_without_a_login_nothing_is_served(site):
    client = site["app"].test_client()
    assert client.get("/?q=Phước Thọ").status_code == 302
    assert client.get("/?q=Phước Thọ").headers["Location"].startswith("/login")
    for url in ("/api/search?q=Phước Thọ", "/api/tasks", f"/api/documents/{site['plan_id']}",
                "/export?format=csv&q=dự án", "/documents"):
        response = client.get(url)
        assert response.status_code in (302, 401), url
        assert "Phước Thọ" not in response.get_data(as_text=True).replace("Ph%C6%B0%E1%BB%9Bc", "")
    assert client.get("/api/search?q=x").get_json()["error"]["code"] == "login_required"
    assert client.get("/api/health").get_json() == {"status": "ok"}  # no counts
    assert client.get("/static/style.css").status_code == 200


def test_tokens_act_as_their_user_until_revoked(site):
    store = site["store"]
    token, secret = store.create_token("docgia", "test")
    client = site["app"].test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    found = client.get("/api/search?q=cảng cạn Phước Thọ", headers=headers)
    assert found.status_code == 200
    assert all(h["document"]["id"] != site["internal_id"] for h in found.get_json()["hits"])
    bad = client.get("/api/search?q=x", headers={"Authorization": "Bearer vk_wrong"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "invalid_token"
    store.revoke_token(token.id)
    assert client.get("/api/search?q=x", headers=headers).status_code == 401


def test_lockout_after_repeated_failures_says_nothing_about_who_exists(site):
    app = site["app"]
    store = site["store"]
    store.add_user("khoa", "reader", PASSWORD, ["congkhai"])
    for name in ("khoa", "nobody-such"):
        for _ in range(LOCKOUT_FAILURES):
            _, response = login(app, name, "sai-mat-khau-0", address="10.0.1.1")
            assert response.status_code == 401
            assert WRONG_LOGIN in response.get_data(as_text=True)
        # Locked now, the right password included, and the same for a name that does not exist.
        _, response = login(app, name, PASSWORD, address="10.0.1.2")
        assert response.status_code == 401
        assert LOCKED_LOGIN in response.get_data(as_text=True)
    # Another user is not locked by them.
    _, response = login(app, "docgia", address="10.0.1.3")
    assert response.status_code == 302


def test_a_disabled_user_is_refused_and_their_session_ends(site):
    store = site["store"]
    store.add_user("tamnghi", "reader", PASSWORD, ["congkhai"])
    client, response = login(site["app"], "tamnghi")
    assert response.status_code == 302 and client.get("/documents").status_code == 200
    store.set_disabled("tamnghi")
    assert client.get("/documents").status_code == 302
    _, response = login(site["app"], "tamnghi")
    assert response.status_code == 401 and WRONG_LOGIN in response.get_data(as_text=True)


def test_forms_that_change_state_need_their_csrf_token(site):
    client = site["app"].test_client()
    client.get("/login")
    refused = client.post("/login", data={"name": "docgia", "password": PASSWORD})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    client, _ = login(site["app"], "docgia")
    assert client.post("/logout").status_code == 400
    assert client.get("/documents").status_code == 200  # still logged in
    editor, _ = login(site["app"], "bientap")
    upload = editor.post("/upload", data={"collection": "congkhai"})
    assert upload.status_code == 400 and "CSRF" in upload.get_data(as_text=True)


def test_login_starts_a_new_session_and_logout_ends_it(site):
    client = site["app"].test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.2.1"
    token = csrf_of(client.get("/login").data)
    before = client.get_cookie("vankien_session").value
    client.post("/login", data={"name": "docgia", "password": PASSWORD, "csrf_token": token})
    after = client.get_cookie("vankien_session")
    assert after.value != before
    assert after.http_only and after.same_site == "Lax"
    # The cookie from before the login does not carry it (session fixation).
    planted = site["app"].test_client()
    planted.set_cookie("vankien_session", before)
    assert planted.get("/documents").status_code == 302
    # After logout, a copy of the logged-in cookie is worth nothing either.
    copy = site["app"].test_client()
    copy.set_cookie("vankien_session", after.value)
    assert copy.get("/documents").status_code == 200
    page = client.get("/documents").data
    client.post("/logout", data={"csrf_token": csrf_of(page)})
    assert copy.get("/documents").status_code == 302


def test_login_redirects_only_within_the_site(site):
    client = site["app"].test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.3.1"
    token = csrf_of(client.get("/login").data)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/login", data={"name": "docgia", "password": PASSWORD,
                                               "csrf_token": token, "next": target})
        assert response.headers["Location"] == "/", target
        token = csrf_of(client.get("/login").data) if client.get("/login").status_code == 200 \
            else token


def test_the_audit_log_records_who_did_what(site):
    client, _ = login(site["app"], "noibo", address="10.0.4.1")
    client.get("/?q=cảng cạn Phước Thọ")
    client.get(f"/documents/{site['internal_id']}")
    client.get(f"/documents/{site['internal_id']}/file")
    client.get("/export?format=csv&q=Phước Thọ")
    client.get("/tasks?q=Phước Thọ")
    client.get("/timeline?q=Phước Thọ")
    login(site["app"], "noibo", "sai-mat-khau-1", address="10.0.4.2")
    entries = site["store"].audit(user="noibo")
    actions = [e.action for e in entries]
    for action in ("login", "search", "view", "download", "export", "tasks"):
        assert action in actions, action
    assert any(e.detail.get("what") == "timeline" for e in entries)
    # A failed login names what was typed in its detail, never as the entry's user.
    failed = site["store"].audit(action="login_failed")
    assert any(e.user is None and e.detail["name"] == "noibo" and e.address == "10.0.4.2"
               for e in failed)
    search = next(e for e in entries if e.action == "search" and "what" not in e.detail)
    assert search.detail["q"] == "cảng cạn Phước Thọ" and search.detail["results"] == 1
    assert search.address == "10.0.4.1"
    # Only an admin browses it; the CSV has the entries.
    assert client.get("/admin/audit").status_code == 403
    admin, _ = login(site["app"], "quantri", address="10.0.4.3")
    page = admin.get("/admin/audit?user=noibo&action=view").get_data(as_text=True)
    assert "Xem văn bản" in page and "10.0.4.1" in page
    rows = list(csv.reader(io.StringIO(admin.get("/admin/audit.csv?user=noibo")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Thời điểm (UTC)" and len(rows) - 1 == len(entries)


def test_what_a_visitor_types_is_inert_in_the_audit_log(site):
    """A name typed at login reaches the admin's spreadsheet and terminal: as text only."""
    login(site["app"], "=HYPERLINK(\"http://evil.example\")\x1b]0;x\x07", "sai-mat-khau-2",
          address="10.0.4.9")
    admin, _ = login(site["app"], "quantri", address="10.0.4.8")
    sheet = admin.get("/admin/audit.csv?action=login_failed").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(sheet.lstrip("\ufeff"))) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert "\x1b" not in sheet and "x1b]0;x" in sheet  # the escape written out, not sent
    output = CliRunner().invoke(main, ["audit", "--action", "login_failed",
                                       "--index", str(site["dir"])]).output
    assert "\x1b" not in output and "\x07" not in output


def test_the_audit_log_is_append_only(site):
    import sqlite3

    store = site["store"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store._write(("UPDATE audit SET user = 'x'", ()))
    with pytest.raises(sqlite3.DatabaseError, match="retention"):
        store._write(("DELETE FROM audit", ()))
    assert store.purge_audit() == 0  # nothing is older than the retention period


def test_editors_upload_and_remove_documents_from_the_browser(site, tmp_path):
    editor, _ = login(site["app"], "bientap", address="10.0.5.1")
    reader, _ = login(site["app"], "docgia", address="10.0.5.2")
    assert reader.get("/upload").status_code == 403
    page = editor.get("/upload")
    assert page.status_code == 200 and b"congkhai" in page.data
    text = ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n\nSố: 99/TB-UBND\n\nTHÔNG BÁO\n\n"
            "Lịch tiếp công dân định kỳ tại xã Bình Lợi.\n").encode()
    response = editor.post("/upload", data={
        "csrf_token": csrf_of(page.data), "collection": "noi-bo",  # not granted to the editor
        "files": [(io.BytesIO(text), "thong-bao.txt")]}, content_type="multipart/form-data")
    assert response.status_code == 400
    response = editor.post("/upload", data={
        "csrf_token": csrf_of(page.data), "collection": "congkhai",
        "files": [(io.BytesIO(text), "../thông báo 99.txt"), (io.BytesIO(b"MZ\x90"), "x.exe"),
                  (io.BytesIO(b"%PDF-1.7\n1 0 obj << /Type /Catalog"), "hong.pdf")]},
        content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "thông báo 99.txt" in body and "x.exe" in body
    assert (site["public"] / "thông báo 99.txt").is_file()
    assert not (site["public"].parent / "thông báo 99.txt").exists()
    state = site["app"].extensions["vankien_jobs"].wait()
    assert state.error is None and [Path(p).name for p in state.added] == ["thông báo 99.txt"]
    # A broken file is one skipped file, said on the editor's page with its folder's path.
    status = editor.get("/upload/status").get_json()
    assert status["summary"]["added"] == 1 and status["summary"]["skipped"] == 1
    assert [item["path"] for item in status["skipped"]] == ["hong.pdf"]
    (site["public"] / "hong.pdf").unlink()
    found = reader.get("/api/search?q=tiếp công dân Bình Lợi").get_json()
    assert found["hits"] and found["hits"][0]["document"]["rel_path"] == "thông báo 99.txt"
    new_id = found["hits"][0]["document"]["id"]
    # Removing moves the file to the index's trash and reindexes.
    document_page = editor.get(f"/documents/{new_id}")
    removed = editor.post(f"/documents/{new_id}/remove",
                          data={"csrf_token": csrf_of(document_page.data)})
    assert removed.status_code == 302
    assert len(site["app"].extensions["vankien_jobs"].wait().removed) == 1
    assert not (site["public"] / "thông báo 99.txt").exists()
    assert list((site["dir"] / "trash").rglob("thông báo 99.txt"))
    assert not reader.get("/api/search?q=tiếp công dân Bình Lợi").get_json()["relevant"]
    actions = [e.action for e in site["store"].audit(user="bientap")]
    assert {"upload", "remove", "reindex"} <= set(actions)


def test_spreadsheets_hold_formulas_as_text():
    """A document's text or title may open like a formula; exported, it stays text."""
    import openpyxl

    from indexer.export import to_csv, to_xlsx

    rows = [{"a": '=HYPERLINK("http://evil.example","x")', "b": "- Sở Tài chính", "c": "@SUM(1)"}]
    columns = [("a", "A"), ("b", "B"), ("c", "C")]
    written = list(csv.reader(io.StringIO(to_csv(rows, columns).decode("utf-8-sig"))))[1]
    assert written == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "- Sở Tài chính", "'@SUM(1)"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(rows, columns))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")


def test_scores_say_nothing_of_invisible_documents(site):
    """Relevance weighs words by their rarity among the reader's own documents: a word that
    only an invisible document holds, or that is frequent there, changes nothing."""
    reader, _ = login(site["app"], "docgia", address="10.0.6.1")

    def relevance(query):
        hits = reader.get("/api/search", query_string={"q": query, "group": "0"}).get_json()
        return {h["chunk_id"]: h["relevance"] for h in hits["hits"]}

    assert relevance("giao thông Tân Vạn") == relevance("giao thông Quỳnh Nhai")
    # Words common in the invisible documents still count in the visible one.
    found = reader.get("/api/search?q=Ban Thường vụ Tỉnh ủy Đồng Nai").get_json()
    assert found["relevant"] and found["documents"] == 1


def test_folders_of_one_name_do_not_merge_into_one_collection_unasked(tmp_path, embedder):
    from indexer.errors import VankienError

    first, second = tmp_path / "a" / "vb", tmp_path / "b" / "vb"
    for folder in (first, second):
        folder.mkdir(parents=True)
        (folder / "cv.txt").write_text("Công văn về lịch họp giao ban.\n", encoding="utf-8")
    with pytest.raises(VankienError, match="--collection"):
        reindex(tmp_path / "ix", [first, second], embedder=embedder)
    reindex(tmp_path / "ix", [first, second], embedder=embedder, collections=["xa-a", "xa-b"])
    # Remembered: the next run needs no names.
    reindex(tmp_path / "ix", None, embedder=embedder)
    index = open_index(tmp_path / "ix")
    assert sorted(index.manifest.collections.values()) == ["xa-a", "xa-b"]
    index.close()


def test_cli_users_tokens_and_audit(site, tmp_path):
    runner = CliRunner()
    index = ["--index", str(site["dir"])]
    added = runner.invoke(main, ["users", "add", "cli-user", "--role", "reader",
                                 "--collections", "congkhai", *index], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert PASSWORD not in added.output
    short = runner.invoke(main, ["users", "add", "ngan", *index], input="ngan\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    typo = runner.invoke(main, ["users", "add", "go-nham", "--collections", "cong-khai-2",
                                *index], input=PASSWORD + "\n")
    assert typo.exit_code == 0 and "no collection 'cong-khai-2'" in typo.output
    bad_since = runner.invoke(main, ["audit", "--since", "hôm qua", *index])
    assert bad_since.exit_code == 2 and "--since" in bad_since.output
    listed = runner.invoke(main, ["users", "list", *index])
    assert "cli-user (reader): congkhai" in listed.output
    changed = runner.invoke(main, ["users", "set", "cli-user", "--collections",
                                   "congkhai,noi-bo", *index])
    assert changed.exit_code == 0 and "congkhai, noi-bo" in changed.output
    token = runner.invoke(main, ["tokens", "create", "cli-user", *index])
    secret = token.stdout_bytes.decode().strip() if hasattr(token, "stdout_bytes") else \
        token.output.splitlines()[0]
    secret = secret.splitlines()[0]
    assert secret.startswith("vk_") and site["store"].token_user(secret).name == "cli-user"
    entries = runner.invoke(main, ["audit", "--action", "user_add", "--json", *index])
    assert '"cli-user"' in entries.output
    out = tmp_path / "audit.csv"
    assert runner.invoke(main, ["audit", "--csv", str(out), *index]).exit_code == 0
    assert out.read_bytes().startswith("\ufeff".encode())
    info = runner.invoke(main, ["info", *index])
    assert "congkhai (2 documents)" in info.output and "noi-bo (1 document)" in info.output
    assert "1 document with a confidentiality mark" in info.output


def test_serve_refuses_the_network_without_users(tmp_path, corpus, embedder):
    import socket

    index_dir = tmp_path / "ix"
    reindex(index_dir, [corpus], embedder=embedder)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = CliRunner().invoke(main, ["serve", "--index", str(index_dir), "--host", "0.0.0.0",
                                        "--port", str(port)])
    assert refused.exit_code == 1
    assert "no user exists" in refused.output and "--no-auth" in refused.output


def test_single_user_mode_needs_no_login(tmp_path, corpus, embedder):
    index_dir = tmp_path / "ix"
    reindex(index_dir, [corpus], embedder=embedder)
    app = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder})
    client = app.test_client()
    assert client.get("/?q=chuyển đổi số").status_code == 200
    assert client.get("/api/health").get_json()["documents"] == 4
    assert client.get("/login").status_code == 302  # nothing to log in to
    assert not (index_dir / "accounts.sqlite").exists()
