"""Tasks and references where users see them: the index, the CLI, the API, the pages."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.reindex import reindex
from webapp import create_app

RESOLUTION = (
    "BAN CHẤP HÀNH TRUNG ƯƠNG\n\nSố: 57-NQ/TW\n\nHà Nội, ngày 22 tháng 12 năm 2024\n\n"
    "NGHỊ QUYẾT\n\nVề đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
    "số quốc gia\n\nPhát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột "
    "phá quan trọng hàng đầu để phát triển lực lượng sản xuất hiện đại.\n")
PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n\nSố: 310/KH-UBND\n\nĐồng Nai, ngày 24 tháng 11 năm 2025\n\n"
    "KẾ HOẠCH\n\nThực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số\n\n"
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân tỉnh "
    "ban hành Kế hoạch thực hiện như sau:\n\n"
    "I. NHIỆM VỤ\n\n1. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính xây "
    "dựng kho dữ liệu dùng chung của tỉnh, hoàn thành trước ngày 30/6/2026.\n\n"
    "2. Sở Nội vụ chịu trách nhiệm đào tạo kỹ năng số cho cán bộ, công chức, hoàn thành "
    "trong Quý IV/2025.\n\n"
    "3. Công an tỉnh chủ trì bảo đảm an ninh mạng cho hệ thống thông tin của tỉnh; thời gian "
    "thực hiện: Thường xuyên.\n\nNơi nhận:\n\n- Sở Tài chính;\n\n- Lưu: VT.\n")


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "nghi-quyet-57.txt").write_text(RESOLUTION, encoding="utf-8")
    (docs / "ke-hoach-310.txt").write_text(PLAN, encoding="utf-8")
    return docs


@pytest.fixture
def index_dir(tmp_path, folder, embedder):
    reindex(tmp_path / "ix", [folder], embedder=embedder)
    return tmp_path / "ix"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_tasks_json_and_csv(index_dir, tmp_path):
    tasks = json.loads(run("tasks", "--json", "--index", index_dir))
    assert [t["lead"] for t in tasks] == [["Sở Nội vụ"], ["Sở Khoa học và Công nghệ"],
                                          ["Công an tỉnh"]]  # soonest deadline first
    first = tasks[1]
    assert {"rel_path", "document_id", "task", "lead", "cooperate", "deadline", "deadline_iso",
            "product", "char_start", "char_end"} <= set(first)
    assert (first["rel_path"], first["cooperate"], first["deadline_iso"]) == (
        "ke-hoach-310.txt", ["Sở Tài chính"], "2026-06-30")
    only = json.loads(run("tasks", "--agency", "so tai chinh", "--role", "cooperate", "--json",
                          "--index", index_dir))
    assert [t["lead"] for t in only] == [["Sở Khoa học và Công nghệ"]]
    before = json.loads(run("tasks", "--due-before", "2025-12-31", "--json", "--index", index_dir))
    assert [t["deadline"] for t in before] == ["trong Quý IV/2025"]
    run("tasks", "--csv", tmp_path / "t.csv", "--index", index_dir)
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
    assert len(rows) == 4 and "Số hiệu" in rows[0]


def test_cli_refs_json(index_dir):
    refs = json.loads(run("refs", "--json", "--index", index_dir))
    implementing = [r for r in refs if r["number"] == "57-NQ/TW"]
    assert implementing and all(r["relation"] == "thuc_hien" for r in implementing)
    assert implementing[0]["rel_path"] == "ke-hoach-310.txt"
    assert implementing[0]["target_rel_path"] == "nghi-quyet-57.txt"
    assert {"rel_path", "number", "type", "relation", "target_rel_path"} <= set(refs[0])
    one = json.loads(run("refs", "57-NQ/TW", "--json", "--index", index_dir))
    assert {r["rel_path"] for r in one} == {"ke-hoach-310.txt"}


def test_api_tasks_references_and_pages(index_dir, embedder):
    client = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    body = client.get("/api/tasks", query_string={"agency": "Sở Nội vụ"}).get_json()
    assert body["total"] == 1 and body["tasks"][0]["deadline_period"] == "quarter"
    assert body["tasks"][0]["url"].startswith("/documents/")
    assert client.get("/api/tasks", query_string={"due_after": "31/13/2025"}).status_code == 400
    plan = body["tasks"][0]["document_id"]
    links = client.get(f"/api/documents/{plan}/references").get_json()
    assert any(r["number"] == "57-NQ/TW" and r["target_rel_path"] == "nghi-quyet-57.txt"
               for r in links["cites"])
    resolution = next(r["target_id"] for r in links["cites"] if r["target_id"])
    cited = client.get(f"/api/documents/{resolution}/references").get_json()["cited_by"]
    assert {r["rel_path"] for r in cited} == {"ke-hoach-310.txt"}
    who = client.get("/api/references", query_string={"number": "57-NQ/TW"}).get_json()
    assert who["document_id"] == resolution and who["total"] >= 1

    page = client.get("/tasks", query_string={"agency": "Sở Khoa học"}).get_data(as_text=True)
    assert "Sở Khoa học và Công nghệ" in page and "30/06/2026" in page and "1 nhiệm vụ" in page
    xlsx = client.get("/tasks/export", query_string={"format": "xlsx"})
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["A1"].value == "Nhiệm vụ" and sheet.max_row == 4
    document = client.get(f"/documents/{plan}").get_data(as_text=True)
    assert "Căn cứ và văn bản liên quan" in document and "Nhiệm vụ trong văn bản (3)" in document
    target = client.get(f"/documents/{resolution}").get_data(as_text=True)
    assert "Được dẫn chiếu bởi" in target
    search = client.get("/", query_string={"q": "nghị quyết 57"}).get_data(as_text=True)
    assert "Văn bản thực hiện Nghị quyết 57-NQ/TW (1)" in search
    timeline = client.get("/timeline", query_string={"q": "chuyển đổi số"}).get_data(as_text=True)
    assert timeline.index("22/12/2024") < timeline.index("24/11/2025")


def test_a_changed_or_removed_document_takes_its_tasks_and_references_along(folder, index_dir,
                                                                           embedder):
    (folder / "ke-hoach-310.txt").write_text(
        PLAN.replace("trước ngày 30/6/2026", "trước ngày 31/8/2026"), encoding="utf-8")
    reindex(index_dir, [folder], embedder=embedder)
    tasks = json.loads(run("tasks", "--json", "--index", index_dir))
    assert [t["deadline_iso"] for t in tasks].count("2026-08-31") == 1
    assert "2026-06-30" not in [t["deadline_iso"] for t in tasks] and len(tasks) == 3
    (folder / "nghi-quyet-57.txt").unlink()
    reindex(index_dir, [folder], embedder=embedder)
    refs = json.loads(run("refs", "57-NQ/TW", "--json", "--index", index_dir))
    assert refs and all(r["target_rel_path"] is None for r in refs)  # unresolved now
    (folder / "ke-hoach-310.txt").unlink()
    reindex(index_dir, [folder], embedder=embedder)
    assert json.loads(run("tasks", "--json", "--index", index_dir)) == []
