"""The reference extractor: every mention of another document, its số hiệu, type, date and
THIS document's relation to it (scripts/eval_tasks/GUIDELINES.md §2), on small documents
written for the tests and read through the real pipeline (ingest, header, extract)."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import EXTRACTORS
from indexer.extract.references import ReferenceExtractor
from indexer.ingest import parse_file
from indexer.prepare import new_document
from indexer.reindex import ReindexSettings, reindex
from indexer.sources import SourceFile
from indexer.store import open_index

FIELDS = {"number", "type", "name", "date", "relation", "issuer", "text"}

DECISION = """**ỦY BAN NHÂN DÂN**
**TỈNH LÂM ĐỒNG**

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
**Độc lập - Tự do - Hạnh phúc**

Số: 45/2025/QĐ-UBND

*Lâm Đồng, ngày 10 tháng 11 năm 2025*

**QUYẾT ĐỊNH**

**{title}**

**ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG**

{preamble}

**QUYẾT ĐỊNH:**

{body}

**Nơi nhận:**
- Như Điều 3;
- Bộ Tư pháp (Cục Kiểm tra văn bản);
- Lưu: VT.

**TM. ỦY BAN NHÂN DÂN**
**CHỦ TỊCH**

**Nguyễn Văn An**
"""

PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH

Số: 301/KH-UBND

Hà Tĩnh, ngày 02 tháng 10 năm 2025

KẾ HOẠCH

{title}

{preamble}

I. MỤC ĐÍCH, YÊU CẦU

{body}

Nơi nhận:

- Các sở, ban, ngành;

- Lưu: VT.

TM. ỦY BAN NHÂN DÂN

KT. CHỦ TỊCH

PHÓ CHỦ TỊCH

Trần Thị Bình
"""


def read(tmp_path: Path, text: str, name: str = "van-ban.md"):
    """Read a document through the real pipeline, as a reindex does."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return new_document(SourceFile(path.absolute(), path.name), "", len(text.encode()),
                        parse_file(path))


def references(tmp_path: Path, text: str, name: str = "van-ban.md") -> list[dict]:
    document = read(tmp_path, text, name)
    records = ReferenceExtractor().extract(document)
    for record in records:
        assert set(record.data) == FIELDS
        assert document.text[record.char_start:record.char_end] == record.data["text"]
    assert [r.char_start for r in records] == sorted(r.char_start for r in records)
    return [dict(r.data) for r in records]


def decision(title="Về việc ban hành Quy chế làm việc", preamble="", body="Điều 1. Ban hành "
             "kèm theo Quyết định này Quy chế làm việc.") -> str:
    return DECISION.format(title=title, preamble=preamble, body=body)


def plan(title="TRIỂN KHAI CHUYỂN ĐỔI SỐ NĂM 2026", preamble="", body="1. Nâng cao hiệu quả "
         "quản lý nhà nước.") -> str:
    return PLAN.format(title=title, preamble=preamble, body=body)


def by_number(found: list[dict]) -> dict[str, dict]:
    return {r["number"] or r["name"]: r for r in found}


def test_the_extractor_is_registered_after_the_sections():
    kinds = [e.kind for e in EXTRACTORS]
    assert "references" in kinds and kinds.index("references") > kinds.index("sections")


def test_can_cu_lines_of_the_preamble_and_what_they_name(tmp_path):
    found = references(tmp_path, decision(preamble=(
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;\n\n"
        "Căn cứ Nghị định số 85/2024/NĐ-CP ngày 10 tháng 7 năm 2024 của Chính phủ quy định chi "
        "tiết một số điều của Luật Giá;\n\n"
        "Theo đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 253/TTr-STC ngày 17/10/2025.")))
    refs = by_number(found)
    assert refs["72/2025/QH15"] | {"text": None} == {
        "number": "72/2025/QH15", "type": "Luật", "name": None, "date": "2025-06-16",
        "relation": "can_cu", "issuer": None, "text": None}
    assert refs["85/2024/NĐ-CP"]["relation"] == "can_cu"
    assert refs["85/2024/NĐ-CP"]["issuer"] == "Chính phủ"
    assert refs["Luật Giá"]["relation"] == "can_cu"  # nested in the decree's description
    assert refs["253/TTr-STC"]["relation"] == "dan_chieu"  # "Theo đề nghị … tại Tờ trình"
    assert refs["253/TTr-STC"]["type"] == "Tờ trình"


def test_thuc_hien_carries_to_the_act_named_in_the_description(tmp_path):
    found = references(tmp_path, plan(preamble=(
        "Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của UBND tỉnh về thực hiện Nghị "
        "quyết số 71/NQ-CP ngày 01/5/2025 của Chính phủ; Ủy ban nhân dân tỉnh ban hành Kế "
        "hoạch như sau:")))
    refs = by_number(found)
    assert refs["283/KH-UBND"]["relation"] == refs["71/NQ-CP"]["relation"] == "thuc_hien"
    assert refs["283/KH-UBND"]["issuer"] == "UBND tỉnh"
    assert refs["71/NQ-CP"]["date"] == "2025-05-01" and refs["71/NQ-CP"]["type"] == "Nghị quyết"


def test_thuc_hien_in_the_body_and_after_a_lead_in(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Tổ chức quán triệt, triển khai có hiệu quả Chỉ thị số 13/CT-TTg ngày 17/5/2025 của "
        "Thủ tướng Chính phủ.\n\n"
        "2. Sơ kết việc thi hành Luật Dữ liệu trên địa bàn tỉnh.\n\n"
        "3. Phổ biến, giáo dục Luật Dữ liệu cho cán bộ, công chức.")))
    assert [(r["number"] or r["name"], r["relation"]) for r in found] == [
        ("13/CT-TTg", "thuc_hien"), ("Luật Dữ liệu", "thuc_hien"), ("Luật Dữ liệu", "dan_chieu")]


def test_sua_doi_only_where_this_document_amends(tmp_path):
    amending = references(tmp_path, decision(
        title="SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA QUYẾT ĐỊNH SỐ 12/2024/QĐ-UBND NGÀY 05/3/2024",
        body=("Điều 1. Sửa đổi, bổ sung một số điều của Quy định ban hành kèm theo Quyết định "
              "số 12/2024/QĐ-UBND ngày 05/3/2024 của Ủy ban nhân dân tỉnh như sau:\n\n"
              "Điều 2. Các nội dung khác của Quyết định số 12/2024/QĐ-UBND không thay đổi.")))
    assert [r["relation"] for r in amending] == ["sua_doi", "sua_doi", "dan_chieu"]
    assert amending[0]["date"] == "2024-03-05"
    proposing = references(tmp_path, plan(body=(
        "1. Sở Tư pháp tham mưu Ủy ban nhân dân tỉnh sửa đổi, bổ sung Quyết định số "
        "15/2021/QĐ-UBND ngày 08/7/2021 về quy chế phối hợp.")), "ke-hoach.md")
    assert [r["relation"] for r in proposing] == ["dan_chieu"]


def test_thay_the_where_this_act_replaces_another(tmp_path):
    found = references(tmp_path, decision(body=(
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số "
        "20/2019/QĐ-UBND ngày 11 tháng 7 năm 2019 của Ủy ban nhân dân tỉnh.\n\n"
        "Điều 3. Thay thế Phụ lục ban hành kèm theo Quyết định số 31/2022/QĐ-UBND.")))
    refs = by_number(found)
    assert refs["20/2019/QĐ-UBND"]["relation"] == "thay_the"
    assert refs["20/2019/QĐ-UBND"]["date"] == "2019-07-11"
    assert refs["31/2022/QĐ-UBND"]["relation"] == "sua_doi"  # a part of it is replaced
    resolution = references(tmp_path, (
        "HỘI ĐỒNG NHÂN DÂN TỈNH GIA LAI\n\nSố: 18/2025/NQ-HĐND\n\nNGHỊ QUYẾT\n\n"
        "Quy định mức chi hỗ trợ\n\nĐiều 1. Phạm vi điều chỉnh\n\n"
        "Nghị quyết này quy định mức chi hỗ trợ công tác hòa giải ở cơ sở.\n\n"
        "Điều 2. Hiệu lực thi hành\n\n"
        "Nghị quyết này thay thế Nghị quyết số 05/2020/NQ-HĐND ngày 15/7/2020 của Hội đồng "
        "nhân dân tỉnh.\n"), "nghi-quyet.txt")
    assert [(r["number"], r["relation"]) for r in resolution] == [("05/2020/NQ-HĐND", "thay_the")]


def test_bai_bo_in_the_title_and_in_article_1(tmp_path):
    found = references(tmp_path, decision(
        title="BÃI BỎ QUYẾT ĐỊNH SỐ 636/QĐ-UBND NGÀY 17/3/2025 CỦA UBND TỈNH",
        body="Điều 1. Bãi bỏ Quyết định số 636/QĐ-UBND ngày 17/3/2025 của UBND tỉnh."))
    assert [(r["number"], r["relation"], r["date"]) for r in found] == [
        ("636/QĐ-UBND", "bai_bo", "2025-03-17"), ("636/QĐ-UBND", "bai_bo", "2025-03-17")]
    assert found[0]["text"].startswith("QUYẾT ĐỊNH SỐ 636/QĐ-UBND")


def test_dan_chieu_after_theo_and_tai(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Thực hiện chế độ báo cáo theo quy định tại Nghị định số 30/2020/NĐ-CP ngày "
        "05/3/2020 của Chính phủ.\n\n"
        "2. Bảo đảm kinh phí theo quy định của Luật Ngân sách nhà nước và Luật Đầu tư công.")))
    assert [(r["number"] or r["name"], r["relation"]) for r in found] == [
        ("30/2020/NĐ-CP", "dan_chieu"), ("Luật Ngân sách nhà nước", "dan_chieu"),
        ("Luật Đầu tư công", "dan_chieu")]


def test_a_law_named_without_a_number_with_its_date(tmp_path):
    found = references(tmp_path, decision(preamble=(
        "Căn cứ Luật Việc làm ngày 16/6/2025;\n\n"
        "Căn cứ Luật Quản lý, sử dụng tài sản công năm 2017;")))
    assert found[0] == {"number": None, "type": "Luật", "name": "Luật Việc làm",
                        "date": "2025-06-16", "relation": "can_cu", "issuer": None,
                        "text": "Luật Việc làm ngày 16/6/2025"}
    assert found[1]["name"] == "Luật Quản lý, sử dụng tài sản công" and found[1]["date"] is None


def test_spaces_inside_a_number_are_removed(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Quán triệt Nghị quyết số 27/NQ- TW của Ban Chấp hành Trung ương và Nghị quyết số "
        "71/NQ -CP của Chính phủ.")))
    assert [r["number"] for r in found] == ["27/NQ-TW", "71/NQ-CP"]


def test_upper_case_titles(tmp_path):
    found = references(tmp_path, plan(
        title="TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 32/CT-TTG NGÀY 21/10/2025 CỦA THỦ TƯỚNG CHÍNH "
              "PHỦ VÀ THI HÀNH LUẬT VIỆC LÀM"))
    assert [(r["number"] or r["name"], r["type"], r["relation"], r["date"]) for r in found] == [
        ("32/CT-TTg", "Chỉ thị", "thuc_hien", "2025-10-21"),
        ("Luật Việc làm", "Luật", "thuc_hien", None)]


def test_self_references_are_left_out(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Các sở, ngành triển khai thực hiện Kế hoạch này; Luật này không áp dụng.\n\n"
        "PHỤ LỤC\n\n(Kèm theo Kế hoạch số 301/KH-UBND ngày 02/10/2025 của UBND tỉnh)\n\n"
        "Bảng theo dõi tiến độ thực hiện Nghị quyết số 57-NQ/TW.")))
    assert [r["number"] for r in found] == ["57-NQ/TW"]


def test_recipients_and_website_text_are_left_out(tmp_path):
    text = ("Số hiệu:\n\n45/2025/QĐ-UBND\n\nLoại văn bản:\n\nQuyết định\n\n"
            + decision(preamble="Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ;")
            .replace("- Như Điều 3;",
                     "- Như Điều 3;\n- Các cơ quan theo Quyết định số 9/2024/QĐ-UBND;")
            + "\nVăn bản liên quan\n\nNghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân\n\n"
              "Quyết định 45/2025/QĐ-UBND sửa đổi Quyết định 12/2024/QĐ-UBND\n")
    found = references(tmp_path, text)
    assert [r["number"] for r in found] == ["30/2020/NĐ-CP"]


def test_the_same_act_twice_in_one_sentence_is_one_reference(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Về đề nghị sửa đổi Nghị định số 76/2019/NĐ-CP: giao Sở Nội vụ tổng hợp kiến nghị "
        "trong quá trình sửa đổi Nghị định số 76/2019/NĐ-CP, báo cáo trước ngày 30/11/2025.\n\n"
        "2. Sở Nội vụ theo dõi việc thực hiện Nghị định số 76/2019/NĐ-CP.")))
    assert [(r["number"], r["relation"]) for r in found] == [
        ("76/2019/NĐ-CP", "dan_chieu"), ("76/2019/NĐ-CP", "thuc_hien")]


def test_the_type_of_a_van_ban_comes_from_its_code(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Tiếp thu ý kiến tại Văn bản số 6253/UBND-NC ngày 25/9/2025, Văn bản số "
        "490/BC-UBND ngày 26/9/2025 và Văn bản số 77/TTr-STC.\n\n"
        "2. Triển khai các Quyết định của Thủ tướng Chính phủ: số 36/QĐ-TTg ngày 11/01/2025; "
        "số 1569/QĐ-TTg ngày 12/12/2024.")))
    assert [(r["number"], r["type"]) for r in found] == [
        ("6253/UBND-NC", "Công văn"), ("490/BC-UBND", "Báo cáo"), ("77/TTr-STC", "Tờ trình"),
        ("36/QĐ-TTg", "Quyết định"), ("1569/QĐ-TTg", "Quyết định")]
    assert [r["relation"] for r in found[3:]] == ["thuc_hien", "thuc_hien"]


def test_the_laws_an_amending_law_lists_in_its_title_are_part_of_its_name(tmp_path):
    found = references(tmp_path, decision(preamble=(
        "Căn cứ Luật số 97/2025/QH15 ngày 27 tháng 6 năm 2025 sửa đổi, bổ sung một số điều của "
        "Luật Công đoàn, Luật Thanh niên và Luật Thực hiện dân chủ ở cơ sở;\n\n"
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư và Luật Đấu "
        "thầu ngày 29 tháng 11 năm 2024;")))
    assert [(r["number"] or r["name"], r["date"], r["relation"]) for r in found] == [
        ("97/2025/QH15", "2025-06-27", "can_cu"),
        ("Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư và Luật Đấu thầu",
         "2024-11-29", "can_cu")]


def test_forms_standards_and_placeholders_are_no_references(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Lập hồ sơ theo mẫu số 01-ĐĐN-CĐ và tuân thủ QCVN 06:2022/BXD.\n\n"
        "2. Căn cứ Quyết định số …/2025/QĐ-UBND ngày … tháng … năm 2025.")))
    assert found == []


@pytest.fixture
def folder(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "quyet-dinh.md").write_text(decision(
        title="BÃI BỎ QUYẾT ĐỊNH SỐ 636/QĐ-UBND NGÀY 17/3/2025",
        preamble="Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        body="Điều 1. Bãi bỏ Quyết định số 636/QĐ-UBND ngày 17/3/2025."), encoding="utf-8")
    (docs / "ke-hoach.txt").write_text(plan(preamble=(
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;")), encoding="utf-8")
    return docs


def test_a_reindex_stores_the_references_with_exact_spans(tmp_path, folder, embedder):
    index_dir = tmp_path / "ix"
    reindex(index_dir, [folder], embedder=embedder,
            settings=ReindexSettings(extractors=EXTRACTORS))
    index = open_index(index_dir)
    try:
        files = {info.id: info.rel_path for info in index.document_infos().values()}
        stored = index.records("references")
        seen = {}
        for record in stored:
            text = index.document(record.document_id).text
            assert text[record.char_start:record.char_end] == record.data["text"]
            seen.setdefault(files[record.document_id], []).append(
                (record.data["number"] or record.data["name"], record.data["relation"]))
    finally:
        index.close()
    assert seen == {
        "quyet-dinh.md": [("636/QĐ-UBND", "bai_bo"),
                          ("Luật Tổ chức chính quyền địa phương", "can_cu"),
                          ("636/QĐ-UBND", "bai_bo")],
        "ke-hoach.txt": [("57-NQ/TW", "thuc_hien")]}


def test_a_letter_crawled_into_one_cell_with_its_addressee_is_still_read(tmp_path):
    """A crawled letter may hold "Kính gửi: …" and its whole text in one table cell: the
    addressee line opens the paragraph, but the bases and the body after it are the letter's."""
    cell = ("Kính gửi: Ủy ban nhân dân các xã, phường Căn cứ Thông tư số 11/2025/TT-BGDĐT ngày 12 "
            "tháng 6 năm 2025 của Bộ Giáo dục và Đào tạo quy định về phân cấp quản lý giáo dục "
            "thường xuyên; Căn cứ Công văn số 2553/BGDĐT-GDTX ngày 18 tháng 4 năm 2013 của Bộ Giáo "
            "dục và Đào tạo về hướng dẫn đánh giá trung tâm học tập cộng đồng; Sở Giáo dục và Đào "
            "tạo hướng dẫn Ủy ban nhân dân các xã, phường đánh giá, xếp loại trung tâm học tập cộng "
            "đồng tại địa phương từ năm 2025 trở đi theo Bảng tiêu chí đính kèm.")
    text = ("SỞ GIÁO DỤC VÀ ĐÀO TẠO\n\nSố: 5100/SGDĐT-GDTX\n\nV/v đánh giá trung tâm học tập cộng "
            f"đồng\n\n| {cell} |\n|---|\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    found = by_number(references(tmp_path, text))
    assert set(found) == {"11/2025/TT-BGDĐT", "2553/BGDĐT-GDTX"}
    assert {r["relation"] for r in found.values()} == {"can_cu"}  # the letter's bases
    short = ("SỞ GIÁO DỤC VÀ ĐÀO TẠO\n\nSố: 5101/SGDĐT-GDTX\n\nKính gửi: Phòng Giáo dục theo Công "
             "văn số 2553/BGDĐT-GDTX\n\nĐề nghị các phòng thực hiện.\n")
    assert references(tmp_path, short, "ngan.md") == []  # an addressee line alone is no reference


def test_a_repealing_lead_in_passes_bai_bo_to_the_acts_it_lists(tmp_path):
    found = references(tmp_path, decision(title="Bãi bỏ các văn bản thuộc lĩnh vực Y tế", body=(
        "Điều 1. Bãi bỏ các văn bản quy phạm pháp luật thuộc lĩnh vực Y tế, cụ thể như sau:\n\n"
        "1. Quyết định số 76/2006/QĐ-UBND ngày 20 tháng 10 năm 2006 của Ủy ban nhân dân tỉnh "
        "về việc ban hành Quy định về Quỹ việc làm.\n\n"
        "2. Quyết định số 102/1999/QĐ-UB ngày 13 tháng 5 năm 1999 về việc thành lập Ban chỉ "
        "đạo thực hiện Quyết định 19/1999/QĐ-TTg của Thủ tướng Chính phủ.\n\n"
        "Điều 2. Các Quyết định sau đây hết hiệu lực kể từ ngày Quyết định này có hiệu lực "
        "thi hành:\n\n"
        "- Quyết định số 36/2023/QĐ-UBND ngày 19 tháng 10 năm 2023;\n\n"
        "Điều 3. Quyết định này có hiệu lực từ ngày ký; thực hiện theo Công văn số "
        "2273/CTK - CSCL ngày 15/10/2025.")))
    assert [(r["number"], r["relation"]) for r in found] == [
        ("76/2006/QĐ-UBND", "bai_bo"), ("102/1999/QĐ-UB", "bai_bo"),
        ("19/1999/QĐ-TTg", "dan_chieu"),  # named in the description of a repealed act
        ("36/2023/QĐ-UBND", "bai_bo"),
        ("2273/CTK-CSCL", "dan_chieu")]  # a code written with spaces round its dash


def test_an_amendment_reaches_the_act_a_regulation_is_attached_to(tmp_path):
    found = references(tmp_path, decision(title="Sửa đổi Quy định đơn giá", body=(
        "Điều 1. Sửa đổi, bổ sung một số điều của Quy định đơn giá bồi thường thiệt hại về cây "
        "trồng khi Nhà nước thu hồi đất ban hành kèm theo Quyết định số 52/2024/QĐ-UBND ngày "
        "30 tháng 10 năm 2024.\n\n"
        "Điều 2. Quy định về hồ sơ thực hiện theo hướng dẫn ban hành kèm theo Thông tư số "
        "12/2024/TT-BTC.")))
    assert [(r["number"], r["relation"]) for r in found] == [
        ("52/2024/QĐ-UBND", "sua_doi"), ("12/2024/TT-BTC", "dan_chieu")]


def test_resolutions_known_by_the_meeting_that_passed_them(tmp_path):
    found = references(tmp_path, plan(body=(
        "1. Phấn đấu hoàn thành các chỉ tiêu Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII "
        "của Đảng; tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII.\n\n"
        "2. Triển khai các Nghị quyết phiên họp Chính phủ thường kỳ tháng 9 năm 2025.\n\n"
        "3. Tổ chức đại hội lần thứ hai của Hội Nông dân xã.")))
    assert [(r["name"], r["type"], r["relation"]) for r in found] == [
        ("Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng", "Nghị quyết",
         "dan_chieu"),
        ("Nghị quyết Trung ương 4 khóa XII", "Nghị quyết", "thuc_hien"),
        ("Nghị quyết phiên họp Chính phủ thường kỳ tháng 9 năm 2025", "Nghị quyết",
         "thuc_hien")]


def test_a_letter_that_cites_in_its_body_and_an_amending_law_by_its_number(tmp_path):
    """A reply letter in one cell opens with what it answers: its later "Căn cứ …" sentences
    cite in the body (dan_chieu). "Luật sửa đổi, bổ sung một số điều của Luật X số N" is the
    amending law numbered N, one reference."""
    cell = ("Kính gửi: Thuế tỉnh Vĩnh Long. Cục Thuế nhận được công văn số 276/QNI-KTr ngày "
            "24/7/2025 của Thuế tỉnh Vĩnh Long về chính sách thuế giá trị gia tăng. Về vấn đề "
            "này, Cục Thuế có ý kiến như sau: Căn cứ Nghị định số 209/2013/NĐ-CP ngày 18/12/2013 "
            "của Chính phủ quy định chi tiết Luật Thuế giá trị gia tăng; Căn cứ Thông tư số "
            "219/2013/TT-BTC ngày 31/12/2013 của Bộ Tài chính. Đề nghị Thuế tỉnh căn cứ tình hình "
            "thực tế để hướng dẫn người nộp thuế.")
    text = ("CỤC THUẾ\n\nSố: 5485/CT-CS\n\nV/v chính sách thuế giá trị gia tăng\n\n"
            f"| {cell} |\n|---|\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    found = by_number(references(tmp_path, text))
    assert {n: r["relation"] for n, r in found.items()} == {
        "276/QNI-KTr": "dan_chieu", "209/2013/NĐ-CP": "dan_chieu",
        "Luật Thuế giá trị gia tăng": "dan_chieu", "219/2013/TT-BTC": "dan_chieu"}
    amended = by_number(references(tmp_path, decision(preamble=(
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 ngày 19 tháng 02 năm "
        "2025;\n\nCăn cứ Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp "
        "luật số 87/2025/QH15 ngày 25 tháng 6 năm 2025;")), "qd.md"))
    assert set(amended) == {"64/2025/QH15", "87/2025/QH15"}
    assert amended["87/2025/QH15"]["text"].startswith("Luật sửa đổi, bổ sung")
