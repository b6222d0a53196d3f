"""Tasks read out of official documents: each pattern, each deadline form, and what is not one."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract.agencies import is_generic, normalized, province_of, split_agencies
from indexer.extract.deadlines import find_deadline, parse_deadline
from indexer.extract.tasks import TaskExtractor
from indexer.ingest import parse_file
from indexer.prepare import new_document
from indexer.sources import SourceFile

HEADER = ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n\nSố: 12/KH-UBND\n\n"
          "Đồng Nai, ngày 10 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nTriển khai chuyển đổi số năm 2026\n\n")


def tasks_of(tmp_path: Path, body: str, name: str = "ke-hoach.txt", header: str = HEADER):
    """Read a document through the real pipeline and return its task records' data."""
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    document = new_document(SourceFile(path, path.name), "", 0, parse_file(path))
    records = TaskExtractor().extract(document)
    for record in records:  # every task cites its exact span
        assert document.text[record.char_start:record.char_end] == record.data["task"]
    return [record.data for record in records]


def test_prose_assignment_with_lead_partner_and_deadline(tmp_path):
    [task] = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Giao Sở Khoa học và Công nghệ chủ trì, "
                                "phối hợp với Sở Tài chính xây dựng kho dữ liệu dùng chung, hoàn "
                                "thành trước ngày 30/6/2026.\n")
    assert task["lead"] == ["Sở Khoa học và Công nghệ"] and task["cooperate"] == ["Sở Tài chính"]
    assert task["lead_normalized"] == ["Sở Khoa học và Công nghệ tỉnh Đồng Nai"]
    assert (task["deadline"], task["deadline_iso"], task["deadline_period"]) == (
        "trước ngày 30/6/2026", "2026-06-30", "day")
    assert task["kind"] == "prose" and task["generic"] is False
    assert task["task"].startswith("Giao Sở Khoa học và Công nghệ chủ trì")


def test_items_under_a_heading_that_names_the_agency(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n3. Sở Tài chính\n\n"
                               "a) Thẩm định dự toán kinh phí thực hiện Kế hoạch.\n\n"
                               "b) Phối hợp với Sở Nội vụ bố trí biên chế cho các đơn vị.\n\n"
                               "4. UBND các xã, phường\n\n- Tuyên truyền cho người dân về dịch vụ "
                               "công trực tuyến. Thời gian thực hiện: Quý III/2026.\n")
    assert [(t["lead"], t["kind"]) for t in found] == [
        (["Sở Tài chính"], "agency_list"), (["Sở Tài chính"], "agency_list"),
        (["UBND các xã, phường"], "agency_list")]
    assert found[1]["cooperate"] == ["Sở Nội vụ"]
    assert found[2]["generic"] is True
    assert found[2]["lead_normalized"] == ["Ủy ban nhân dân các xã, phường tỉnh Đồng Nai"]


def test_an_item_with_labelled_fields(tmp_path):
    [task] = tasks_of(tmp_path, "II. NỘI DUNG\n\n2. Tổ chức tập huấn kỹ năng số cho cán bộ, công "
                                "chức\n\n- Cơ quan chủ trì: Sở Nội vụ, Sở Tài chính.\n\n- Cơ quan "
                                "phối hợp: Công an tỉnh và các cơ quan, đơn vị có liên quan.\n\n"
                                "- Thời gian thực hiện: Tháng 12/2026.\n\n- Sản phẩm: Báo cáo kết "
                                "quả tập huấn.\n")
    assert task["lead"] == ["Sở Nội vụ", "Sở Tài chính"]
    assert task["cooperate"] == ["Công an tỉnh", "các cơ quan, đơn vị có liên quan"]
    assert (task["deadline_iso"], task["deadline_period"]) == ("2026-12-31", "month")
    assert task["product"] == "Báo cáo kết quả tập huấn."
    assert task["task"].startswith("Tổ chức tập huấn kỹ năng số")


CRAWLED_TABLE = """**PHỤ LỤC**

DANH MỤC NHIỆM VỤ

|
**STT**
|
**Nội dung nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn thành**
|
**Sản phẩm**
|
|
1
|
Xây dựng nền tảng dữ liệu số của tỉnh.
|
Sở KH&CN
|
Các sở, ban, ngành tỉnh
|
Quý IV/2026
|
Nền tảng được vận hành
|
|
2
|
Đào tạo kỹ năng số cho doanh nghiệp nhỏ.
|
Sở Công Thương
|
Hiệp hội Doanh nghiệp tỉnh
|
Hằng năm
|
Báo cáo hằng năm
|
"""


def test_a_task_table_in_crawled_markdown(tmp_path):
    found = tasks_of(tmp_path, "Ủy ban nhân dân tỉnh giao nhiệm vụ như phụ lục.\n\n" + CRAWLED_TABLE,
                     name="ke-hoach.md")
    assert [(t["lead"], t["cooperate"], t["deadline"], t["product"], t["kind"]) for t in found] == [
        (["Sở KH&CN"], ["Các sở, ban, ngành tỉnh"], "Quý IV/2026", "Nền tảng được vận hành", "table"),
        (["Sở Công Thương"], ["Hiệp hội Doanh nghiệp tỉnh"], "Hằng năm", "Báo cáo hằng năm", "table")]
    assert found[0]["deadline_iso"] == "2026-12-31" and found[1]["deadline_period"] == "recurring"
    assert found[0]["lead_normalized"] == ["Sở Khoa học và Công nghệ tỉnh Đồng Nai"]


def test_a_table_row_that_lost_its_rowspan_cells_is_the_units_above(tmp_path):
    """The crawl drops the cells a rowspan covers: numbered rows with only their content belong
    to the unit of the row above; a section's row ("II") is no task."""
    rows = CRAWLED_TABLE.replace("2\n|\nĐào tạo kỹ năng số cho doanh nghiệp nhỏ.\n|\nSở Công Thương"
                                 "\n|\nHiệp hội Doanh nghiệp tỉnh\n|\nHằng năm\n|\nBáo cáo hằng năm"
                                 "\n|\n", "2\n|\nCập nhật dữ liệu doanh nghiệp số.\n|\n|\n"
                                        "II\n|\nNhiệm vụ về hạ tầng số\n|\n")
    found = tasks_of(tmp_path, "Ủy ban nhân dân tỉnh giao nhiệm vụ như phụ lục.\n\n" + rows,
                     name="ke-hoach.md")
    assert [(t["task"], t["lead"], t["deadline"]) for t in found] == [
        ("Xây dựng nền tảng dữ liệu số của tỉnh.", ["Sở KH&CN"], "Quý IV/2026"),
        ("Cập nhật dữ liệu doanh nghiệp số.", ["Sở KH&CN"], "Quý IV/2026")]


def test_a_task_table_in_a_docx(tmp_path):
    import docx

    document = docx.Document()
    for line in HEADER.strip().split("\n\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=4)
    for column, text in enumerate(("Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp",
                                   "Thời hạn")):
        table.cell(0, column).text = text
    for column, text in enumerate(("Rà soát thủ tục hành chính trên môi trường điện tử",
                                   "Văn phòng UBND tỉnh", "Sở Tư pháp", "trước ngày 15/3/2026")):
        table.cell(1, column).text = text
    path = tmp_path / "ke-hoach.docx"
    document.save(path)
    record = new_document(SourceFile(path, path.name), "", 0, parse_file(path))
    [task] = [r.data for r in TaskExtractor().extract(record)]
    assert (task["lead"], task["cooperate"], task["deadline_iso"]) == (
        ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"], "2026-03-15")


def test_execution_clause_and_requests(tmp_path):
    found = tasks_of(tmp_path, "Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc các sở, ban, ngành; "
                               "Chủ tịch UBND các xã, phường chịu trách nhiệm thi hành Quyết định "
                               "này.\n\nĐề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp "
                               "giám sát việc thực hiện.\n")
    assert found[0]["kind"] == "execution_clause"
    assert found[0]["lead"] == ["Chánh Văn phòng UBND tỉnh", "Giám đốc các sở, ban, ngành",
                                "Chủ tịch UBND các xã, phường"]
    assert found[1]["lead"] == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]


def test_what_assigns_nothing_is_not_a_task(tmp_path):
    found = tasks_of(tmp_path, (
        "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nCác sở, ngành phối hợp chặt chẽ trong triển "
        "khai.\n\nII. NỘI DUNG\n\nTỉnh đã hoàn thành sắp xếp đơn vị hành chính cấp xã.\n\n"
        "Bộ Chính trị ghi nhận và biểu dương các cấp ủy, tổ chức đảng.\n\n"
        "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở thực hiện các nhiệm vụ sau:\n\n"
        "Nơi nhận:\n\n- Sở Tài chính;\n\n- Lưu: VT.\n"))
    assert found == []


def test_a_list_introduction_hands_its_agencies_to_the_items(tmp_path):
    found = tasks_of(tmp_path, "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ban, ngành thực "
                               "hiện các nhiệm vụ sau:\n\n1. Rà soát quy trình nội bộ giải quyết "
                               "thủ tục hành chính.\n\n2. Công khai kết quả giải quyết hồ sơ.\n")
    assert [t["lead"] for t in found] == [["Thủ trưởng các sở, ban, ngành"]] * 2


@pytest.mark.parametrize("written, iso, period", [
    ("trước ngày 31/12/2025", "2025-12-31", "day"),
    ("trước ngày 15 tháng 12 năm 2025", "2025-12-15", "day"),
    ("Từ ngày 01/01/2026 đến ngày 31/3/2026", "2026-03-31", "day"),
    ("Tháng 12/2025", "2025-12-31", "month"), ("Tháng 11 - 12/2025", "2025-12-31", "month"),
    ("Quý III/2025", "2025-09-30", "quarter"), ("Quý III Năm 2026", "2026-09-30", "quarter"),
    ("Quí IV-2025", "2025-12-31", "quarter"), ("Quý IV/2025- Quý II/2026", "2026-06-30", "quarter"),
    ("Năm 2026", "2026-12-31", "year"), ("năm 2026 - 2027", "2027-12-31", "year"),
    ("trong năm 2025", "2025-12-31", "year"),
    ("Hằng năm", None, "recurring"), ("định kỳ trước ngày 30 tháng 11 hàng năm", None, "recurring"),
    ("Thường xuyên", None, "continuous"), ("Năm 2025 và các năm tiếp theo", None, "continuous"),
    ("Thường xuyên, hằng năm", None, "continuous"), ("Từ 01/7/2025", None, "continuous"),
    ("Sau khi có Quy chế của Trung ương", None, None),
])
def test_every_deadline_form_means_its_last_day_or_none(written, iso, period):
    parsed = parse_deadline(written)
    assert (parsed.written, parsed.iso, parsed.period) == (written, iso, period)


def test_a_deadline_in_a_sentence_is_the_main_actions():
    sentence = ("Sở Tài chính tổng hợp trong năm 2025 các đề xuất, báo cáo UBND tỉnh trước ngày "
                "15/12/2025; định kỳ báo cáo hằng quý.")
    start, end = find_deadline(sentence)
    assert sentence[start:end] == "trước ngày 15/12/2025"
    assert find_deadline("Thực hiện quy hoạch đến năm 2030 của tỉnh.") is None
    for opening, written in (("Thường xuyên nắm bắt, đề xuất cơ quan có thẩm quyền giải quyết.",
                              "Thường xuyên"), ("Định kỳ 06 tháng báo cáo Sở Nội vụ.",
                                                "Định kỳ 06 tháng")):
        start, end = find_deadline(opening)  # the time words, not the action after them
        assert opening[start:end] == written
    limit = ("Trong thời hạn 03 ngày làm việc kể từ khi nhận được văn bản đề nghị, Sở Khoa học và "
             "Công nghệ cấp hộp thư điện tử.")
    start, end = find_deadline(limit)  # a time limit counted from an event: no date
    assert limit[start:end] == "Trong thời hạn 03 ngày làm việc kể từ khi nhận được văn bản đề nghị"
    assert parse_deadline(limit[start:end]).iso is None


def test_agency_lists_split_where_a_new_agency_begins():
    assert split_agencies("Sở Tư pháp và các sở, ban, ngành Thành phố, Đài Phát thanh và Truyền "
                          "hình Thành phố, cơ quan thông tấn báo chí và Ủy ban nhân dân xã, "
                          "phường, đặc khu") == [
        "Sở Tư pháp", "các sở, ban, ngành Thành phố", "Đài Phát thanh và Truyền hình Thành phố",
        "cơ quan thông tấn báo chí", "Ủy ban nhân dân xã, phường, đặc khu"]
    assert split_agencies("Bộ Văn hóa, Thể thao và Du lịch") == ["Bộ Văn hóa, Thể thao và Du lịch"]
    assert split_agencies("Các Bộ: Tài chính, Xây dựng và Y tế") == [
        "Bộ Tài chính", "Bộ Xây dựng", "Bộ Y tế"]
    assert split_agencies("các cơ quan, đơn vị, địa phương") == ["các cơ quan, đơn vị, địa phương"]
    assert is_generic("các sở, ban, ngành") and not is_generic("Sở Tài chính")
    assert province_of("Ủy ban nhân dân thành phố Hồ Chí Minh") == "thành phố Hồ Chí Minh"
    assert normalized("Sở TN&MT", "tỉnh Lào Cai") == "Sở Tài nguyên và Môi trường tỉnh Lào Cai"
    assert normalized("Bộ Công an", "tỉnh Lào Cai") == "Bộ Công an"  # national: no province


SHORT_ROWS_TABLE = """PHỤ LỤC

|
TT
|
Nội dung
|
Cơ quan chủ trì
|
Cơ quan phối hợp
|
Thời gian hoàn thành
|
Sản phẩm
|
|
I
|
HOÀN THIỆN THỂ CHẾ
|
|
1
|
Rà soát quy chế phối hợp của các sở.
|
Sở Tư pháp
|
Các sở, ngành
|
Quý IV/2026
|
Báo cáo rà soát
|
|
Xây dựng hạ tầng kỹ thuật dự phòng cho hệ thống.
|
Trung tâm Chuyển đổi số tỉnh
|
|
2
|
Hướng dẫn thống kê số liệu chuyên ngành.
|
Sở Tài chính
|
Cơ quan liên quan
|
2026
|
Kế hoạch 12/KH-UBND năm 2025 triển khai chuyển đổi số do tỉnh Đồng Nai ban hành Văn bản này chưa cập nhật nội dung Tiếng Anh
|
"""


def test_table_rows_that_lost_their_rowspan_cells(tmp_path):
    """A crawl drops the cells a rowspan covers: a row numbered from the left keeps its columns,
    an unnumbered sub-row starts at the task column, a row takes the cells it lacks from the
    row above (not across a section row), and the portal's summary in a cell is no part of it."""
    found = tasks_of(tmp_path, "Ủy ban nhân dân tỉnh giao nhiệm vụ cho các cơ quan như phụ lục.\n\n"
                     + SHORT_ROWS_TABLE, name="kh.md")
    assert [(t["lead"], t["cooperate"], t["deadline"], t["product"]) for t in found] == [
        (["Sở Tư pháp"], ["Các sở, ngành"], "Quý IV/2026", "Báo cáo rà soát"),
        (["Trung tâm Chuyển đổi số tỉnh"], ["Các sở, ngành"], "Quý IV/2026", "Báo cáo rà soát"),
        (["Sở Tài chính"], ["Cơ quan liên quan"], "2026", "Báo cáo rà soát")]


def test_titles_and_headings_that_name_no_agency(tmp_path):
    """"Nhiệm vụ trọng tâm" is not "Nhiệm vụ của X"; a numbered title ("1. Về …", "2. Đẩy nhanh
    …") above its items or its text is no task, and the list's introduction still leads them."""
    found = tasks_of(tmp_path, (
        "III. NHIỆM VỤ TRỌNG TÂM\n\n1. Đẩy nhanh thủ tục đầu tư các dự án\n\n"
        "a) Bộ Xây dựng rà soát danh mục các dự án đang triển khai thi công.\n\n"
        "b) Thành phố Hà Nội và các tỉnh Bắc Ninh, Gia Lai đẩy nhanh tiến độ lập báo cáo.\n"))
    letter = tasks_of(tmp_path, (
        "Ban Chỉ đạo yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh giải quyết các nội dung sau:\n\n"
        "1. Về tổ chức bộ máy cấp xã\n\nKhẩn trương hoàn thiện tổ chức bộ máy ở cấp xã.\n\n"
        "2. Về trụ sở làm việc\n\nTiếp tục rà soát, bố trí trụ sở cho cấp xã.\n"), "cv.txt")
    assert [t["lead"] for t in found] == [
        ["Bộ Xây dựng"], ["Thành phố Hà Nội", "tỉnh Bắc Ninh", "tỉnh Gia Lai"]]
    assert [(t["lead"], t["task"][:9]) for t in letter] == [
        (["Chủ tịch Ủy ban nhân dân các tỉnh"], "Khẩn trươ"),
        (["Chủ tịch Ủy ban nhân dân các tỉnh"], "Tiếp tục ")]


def test_a_heading_agency_directs_others_and_keeps_its_items(tmp_path):
    """"Chỉ đạo các đơn vị …" under an agency heading is that agency's duty; so is a heading
    "9. Đề nghị X" without a colon, "1. Giao X:", and "1. Sở Tài chính (cơ quan chủ trì)"."""
    found = tasks_of(tmp_path, (
        "IV. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài chính (cơ quan chủ trì)\n\n- Chủ trì xây dựng Kế "
        "hoạch.\n\n2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh\n\na) Chỉ đạo các tổ chức "
        "thành viên tăng cường công tác giám sát.\n\n3. Giao Ủy ban nhân dân các xã:\n\n"
        "a) Tăng cường kiểm tra các dự án, có biện pháp yêu cầu các chủ đầu tư lập hồ sơ.\n"))
    assert [t["lead"] for t in found] == [["Sở Tài chính"],
                                          ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
                                          ["Ủy ban nhân dân các xã"]]


def test_a_list_introduction_in_the_last_sentence_and_numbered_items(tmp_path):
    """Only the last sentence introduces the list, after what it fronts; "(1)" items follow it."""
    found = tasks_of(tmp_path, (
        "Thời gian tới, tình hình còn nhiều khó khăn. Quán triệt ý kiến chỉ đạo; căn cứ vào "
        "phương hướng, nhiệm vụ đã nêu, Văn phòng Trung ương Đảng và các văn phòng tỉnh ủy cụ "
        "thể hóa để tổ chức thực hiện, trong đó cần tập trung một số nhiệm vụ trọng tâm sau:\n\n"
        "(1) Nâng cao chất lượng công tác tham mưu, tổng hợp.\n\n"
        "(2) Triển khai ứng dụng công nghệ thông tin trong văn phòng cấp ủy.\n"))
    assert [t["lead"] for t in found] == [
        ["Văn phòng Trung ương Đảng", "các văn phòng tỉnh ủy"]] * 2


def test_words_between_the_subject_and_its_verb(tmp_path):
    """Modals, adverbs and insertions after the subject are not part of it; "sẽ" promises."""
    found = tasks_of(tmp_path, (
        "Sở Tài chính, trên cơ sở đề xuất của các sở, chủ trì tổng hợp nhu cầu kinh phí.\n\n"
        "Sở Nội vụ định kỳ hằng quý tổng hợp báo cáo Ủy ban nhân dân tỉnh.\n\n"
        "Văn phòng sẽ phối hợp với các cơ quan liên quan tham mưu xử lý kiến nghị.\n\n"
        "Giao Phó Chủ tịch Ủy ban nhân dân tỉnh trước ngày 15/11/2025 trực tiếp kiểm tra.\n\n"
        "Trong quá trình thực hiện nếu có khó khăn, vướng mắc các cơ quan, đơn vị kịp thời "
        "phản ánh về Sở Tư pháp.\n\nTỉnh đã hoàn thành sắp xếp bộ máy.\n"))
    assert [t["lead"] for t in found] == [
        ["Sở Tài chính"], ["Sở Nội vụ"], ["Văn phòng"], ["Phó Chủ tịch Ủy ban nhân dân tỉnh"],
        ["các cơ quan, đơn vị"]]
    assert (found[1]["deadline"], found[1]["deadline_period"]) == ("định kỳ hằng quý", "recurring")
    assert found[3]["deadline_iso"] == "2025-11-15"


def test_a_line_broken_by_the_crawl_and_sentences_before_the_own_lead(tmp_path):
    """A paragraph that goes on with a small letter continues the one before it; sentences
    before a paragraph's own lead belong to the heading's agency."""
    found = tasks_of(tmp_path, (
        "2. Sở Xây dựng\n\n- Tập trung tháo gỡ vướng mắc, bảo đảm đến\n\nhết năm 2025 hoàn "
        "thành các dự án.\n\n- Khắc phục tình trạng thiếu trang thiết bị. Ủy ban nhân dân các "
        "xã khẩn trương rà soát, báo cáo trong tháng 12/2025.\n"))
    assert [(t["lead"], t["deadline"]) for t in found] == [
        (["Sở Xây dựng"], "đến hết năm 2025"), (["Sở Xây dựng"], None),
        (["Ủy ban nhân dân các xã"], "trong tháng 12/2025")]


def test_enumerated_provinces_and_an_emphasised_agency():
    assert split_agencies("Ủy ban nhân dân các tỉnh, thành phố: Tuyên Quang, Hồ Chí Minh") == [
        "Ủy ban nhân dân tỉnh Tuyên Quang", "Ủy ban nhân dân thành phố Hồ Chí Minh"]
    assert split_agencies("Các tỉnh Nghệ An, Quảng Ngãi") == ["tỉnh Nghệ An", "tỉnh Quảng Ngãi"]
    assert split_agencies("các bộ, ngành, cơ quan chủ quản, nhất là ACV") == [
        "các bộ, ngành, cơ quan chủ quản", "ACV"]


@pytest.mark.parametrize("sentence, written", [
    ("Bộ Xây dựng khởi công dự án vào ngày 19 tháng 12 năm 2025.", "vào ngày 19 tháng 12 năm 2025"),
    ("Sở Nội vụ theo dõi, bảo đảm mục tiêu đến hết năm 2025.", "đến hết năm 2025"),
    ("Cập nhật cơ sở dữ liệu thường xuyên vào Hệ thống.", "thường xuyên"),
    ("Theo dõi kết quả, báo cáo trước ngày 25/12 hàng năm.", "trước ngày 25/12 hàng năm"),
    ("Bảo đảm kinh phí chi thường xuyên cho các đơn vị.", None),
])
def test_deadlines_written_inside_a_sentence(sentence, written):
    span = find_deadline(sentence)
    assert (sentence[span[0]:span[1]] if span else None) == written


def test_a_table_right_after_the_header_is_the_body(tmp_path):
    # A spreadsheet or a DOCX that is only a title and a task table: the table's rows beyond a
    # header's two or three are the document's content.
    found = tasks_of(tmp_path, "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n"
                               "|---|---|---|---|\n"
                               "| 1 | Xây dựng kho dữ liệu dùng chung | Sở Khoa học và Công nghệ "
                               "| Quý II/2026 |\n"
                               "| 2 | Số hóa hồ sơ đất đai | Sở Nông nghiệp và Môi trường "
                               "| Quý IV/2026 |\n"
                               "| 3 | Triển khai chữ ký số | Văn phòng UBND tỉnh | Tháng 6/2026 |\n"
                               "| 4 | Đào tạo kỹ năng số | Sở Nội vụ | Năm 2026 |\n",
                     name="bang.md")
    assert [t["lead"] for t in found][-2:] == [["Văn phòng UBND tỉnh"], ["Sở Nội vụ"]]


def test_forms_of_assignment_met_in_the_second_held_out_set(tmp_path):
    """Each from documents the rules had not been written on (scripts/eval_tasks, test2)."""
    found = tasks_of(tmp_path, (
        "I. NỘI DUNG PHỐI HỢP\n\n"
        "Điều 5. Nội dung Sở Dân tộc và Tôn giáo có trách nhiệm chủ trì\n\n"
        "1. Xây dựng, ban hành chính sách về tín ngưỡng, tôn giáo.\n\n"
        "Điều 6. Đối tượng áp dụng\n\n1. Cán bộ, công chức làm công tác tôn giáo.\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n\n"
        "1. Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Thủy sản thực hiện các nội dung sau:\n\n"
        "a) Tổ chức quan trắc môi trường nuôi trồng thủy sản.\n\n"
        "2. Sở Tài chính: Căn cứ khả năng cân đối ngân sách, trình cấp có thẩm quyền phê duyệt "
        "kinh phí.\n\n"
        "3. Các Bộ, cơ quan: Tài chính, Xây dựng theo chức năng phối hợp thực hiện.\n\n"
        "4. Giao Sở Xây dựng Theo dõi, đôn đốc Ủy ban nhân dân các xã thực hiện cập nhật dữ liệu.\n\n"
        "5. Báo và Phát thanh, Truyền hình tỉnh\n\n"
        "a) Tuyên truyền về tiết kiệm nước.\n"))
    leads = {t["task"][:30]: t["lead"] for t in found}
    assert leads["Xây dựng, ban hành chính sách "] == ["Sở Dân tộc và Tôn giáo"]
    assert not any(t["task"].startswith("Cán bộ, công chức") for t in found)
    assert leads["Tổ chức quan trắc môi trường n"] == ["Sở Nông nghiệp và Môi trường",
                                                     "Chi cục Thủy sản"]
    assert leads["Sở Tài chính: Căn cứ khả năng "] == ["Sở Tài chính"]
    assert not any(t["lead"] == ["Các Bộ, cơ quan"] for t in found)
    assert leads["Giao Sở Xây dựng Theo dõi, đôn"] == ["Sở Xây dựng"]
    assert leads["Tuyên truyền về tiết kiệm nước"] == ["Báo và Phát thanh, Truyền hình tỉnh"]


def test_an_attachment_list_is_no_list_of_tasks(tmp_path):
    found = tasks_of(tmp_path, "I. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Đề nghị Ủy ban nhân dân các tỉnh chỉ đạo các sở triển khai "
                               "Cẩm nang đến các xã.\n\n"
                               "Bộ Tài chính gửi kèm bộ Cẩm nang gồm:\n\n- Cẩm nang nghiệp vụ thuế "
                               "dành cho công chức cấp xã;\n\n- Slide đào tạo, tập huấn Cẩm nang.\n")
    assert [t["task"][:23] for t in found] == ["Đề nghị Ủy ban nhân dân"]


def test_a_lead_field_that_only_names_roles_belongs_to_its_item(tmp_path):
    found = tasks_of(tmp_path, "III. NỘI DUNG HOẠT ĐỘNG\n\na) Hoạt động 1\n\n- Nội dung: Tổ chức hội "
                               "thi tìm hiểu pháp luật về bình đẳng giới.\n\n- Cơ quan thực hiện: Sở Tư "
                               "pháp chủ trì, phối hợp với Sở Nội vụ và các đơn vị có liên quan.\n\n"
                               "b) Hoạt động 2\n\n- Nội dung:\n\n+ Khảo sát nhu cầu hỗ trợ phụ nữ khởi "
                               "nghiệp.\n\n+ Tập huấn kỹ năng cho cán bộ cơ sở.\n\n- Cơ quan thực hiện:"
                               "\n\n+ Sở Y tế chủ trì, phối hợp với các sở, ngành.\n\n+ Sở Xây dựng đăng "
                               "tải thông điệp trên bảng tin điện tử tại các nhà chờ xe buýt.\n")
    assert [(t["task"][:22], t["lead"], t["cooperate"]) for t in found] == [
        ("Hoạt động 1\n\n- Nội dun", ["Sở Tư pháp"], ["Sở Nội vụ", "các đơn vị có liên quan"]),
        ("Khảo sát nhu cầu hỗ tr", ["Sở Y tế"], ["các sở, ngành"]),
        ("Tập huấn kỹ năng cho c", ["Sở Y tế"], ["các sở, ngành"]),
        ("Sở Xây dựng đăng tải t", ["Sở Xây dựng"], [])]  # "giao thông" is no "giao"


def test_field_names_with_a_role_and_an_action(tmp_path):
    [task] = tasks_of(tmp_path, "II. NHIỆM VỤ\n\n1. Rà soát thủ tục hành chính nội bộ\n\nĐơn vị chủ "
                               "trì tham mưu thực hiện: Sở Tư pháp.\n\nĐơn vị phối hợp thực hiện: Sở Nội "
                               "vụ.\n\nThời gian thực hiện nhiệm vụ: Quý II/2026.\n")
    assert (task["lead"], task["cooperate"], task["deadline_iso"]) == (
        ["Sở Tư pháp"], ["Sở Nội vụ"], "2026-06-30")


def test_a_generic_heading_with_its_bodies_in_brackets_and_a_role_heading(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban "
                               "quản lý Khu kinh tế tỉnh)\n\na) Tiếp nhận hồ sơ đề xuất dự án.\n\n"
                               "2. Các sở, ban, ngành: Là các đơn vị được lấy ý kiến, chịu trách nhiệm "
                               "các nội dung sau:\n\na) Đánh giá sự phù hợp với quy hoạch tỉnh.\n\n"
                               "3. Cơ quan chủ trì giải quyết thủ tục đầu tư\n\na) Hướng dẫn nhà đầu tư "
                               "hoàn thiện hồ sơ.\n\n4. Thuế tỉnh Đồng Nai\n\n- Đánh giá điều kiện "
                               "hưởng ưu đãi đầu tư.\n")
    assert [t["lead"] for t in found] == [
        ["Sở Tài chính", "Ban quản lý Khu kinh tế tỉnh"], ["Các sở, ban, ngành"],
        ["Cơ quan chủ trì giải quyết thủ tục đầu tư"], ["Thuế tỉnh Đồng Nai"]]


def test_requests_and_numbered_items_inside_one_paragraph(tmp_path):
    found = tasks_of(tmp_path, "Yêu cầu các bộ, ngành thực hiện các nhiệm vụ sau: (1) Giao Bộ Tài chính "
                               "chủ trì, phối hợp với Bộ Xây dựng hoàn thiện hồ sơ dự án. (2) Giao Bộ "
                               "Nội vụ rà soát biên chế.\n\nĐề nghị Ủy ban nhân dân phường, xã gửi kết "
                               "quả đánh giá trước ngày 15/12/2026. Trong quá trình thực hiện, nếu có "
                               "vướng mắc, kính đề nghị Quý cơ quan liên hệ Sở Nội vụ để được hỗ trợ. "
                               "Bộ Nội vụ trân trọng đề nghị Ban Tuyên giáo chỉ đạo các cơ quan báo chí "
                               "đưa tin chính xác.\n")
    assert [t["lead"] for t in found] == [
        ["Bộ Tài chính"], ["Bộ Nội vụ"], ["Ủy ban nhân dân phường, xã"], ["Quý cơ quan"],
        ["Ban Tuyên giáo"]]
    assert found[0]["cooperate"] == ["Bộ Xây dựng"] and found[2]["deadline_iso"] == "2026-12-15"


def test_an_agency_and_its_first_item_on_one_line_and_office_holders(tmp_path):
    found = tasks_of(tmp_path, "1. Cục Kinh tế - Quản lý đầu tư xây dựng - Chỉ đạo các chủ đầu tư rà "
                               "soát tiến độ thi công.\n\n- Tham mưu cho Lãnh đạo Bộ đôn đốc các địa "
                               "phương.\n\nĐiều 6. Trách nhiệm của Phó Trưởng Ban Chỉ đạo\n\n1. Giúp "
                               "Trưởng Ban Chỉ đạo điều hành hoạt động của Ban.\n\n2. Ban Chỉ đạo định "
                               "kỳ hoặc đột xuất tổ chức kiểm tra tình hình thực hiện.\n")
    assert [t["lead"] for t in found] == [
        ["Cục Kinh tế - Quản lý đầu tư xây dựng"], ["Cục Kinh tế - Quản lý đầu tư xây dựng"],
        ["Phó Trưởng Ban Chỉ đạo"], ["Ban Chỉ đạo"]]


def test_closing_lines_footnotes_and_what_is_not_yet_done(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế\n\n- Kiểm tra an toàn thực phẩm "
                               "tại các bếp ăn tập thể.\n\nTrên đây là Kế hoạch triển khai của Ủy ban nhân "
                               "dân tỉnh, yêu cầu Thủ trưởng các sở, ngành nghiêm túc triển khai thực "
                               "hiện.\n\n[1] Chỉ thị số 27/CT-TTg ngày 15/7/2024 của Thủ tướng Chính phủ "
                               "về tăng cường công tác y tế.\n\nHiện nay Bộ Tài chính chưa ban hành "
                               "Thông tư hướng dẫn nội dung chi.\n")
    assert [t["lead"] for t in found] == [["Sở Y tế"], ["Thủ trưởng các sở, ngành"]]


def test_roman_items_in_a_paragraph_and_a_body_given_a_duty(tmp_path):
    found = tasks_of(tmp_path, "b) Để hoàn thành dự án đúng tiến độ, đề nghị: (i) Tập đoàn Điện lực "
                               "Việt Nam báo cáo Thủ tướng Chính phủ thời gian đóng điện. (ii) Giao Bộ "
                               "Công Thương nghiên cứu các kiến nghị về giá điện.\n\nĐiều 6. Quản lý "
                               "hệ thống\n\n1. Sở Khoa học và Công nghệ được giao quản lý, vận hành Hệ "
                               "thống thư điện tử công vụ, chịu trách nhiệm cấp mới hộp thư.\n\n2. "
                               "Trách nhiệm của giáo vụ: giám sát việc giảng dạy theo kế hoạch.\n")
    assert [t["lead"] for t in found] == [
        ["Tập đoàn Điện lực Việt Nam"], ["Bộ Công Thương"], ["Sở Khoa học và Công nghệ"],
        ["giáo vụ"]]


def test_a_request_over_titled_sections_and_what_the_issuer_decides_or_delegates(tmp_path):
    found = tasks_of(tmp_path, "Điều 2. Nhiệm vụ và giải pháp chủ yếu\n\nQuốc hội cơ bản tán thành "
                               "các giải pháp, đồng thời, đề nghị Chính phủ và các cơ quan liên quan "
                               "tập trung thực hiện các nhiệm vụ chủ yếu sau đây:\n\n2.1. Đẩy mạnh "
                               "hoàn thiện thể chế\n\nĐổi mới tư duy xây dựng pháp luật theo hướng "
                               "kiến tạo phát triển.\n\nTạo môi trường thuận lợi cho đầu tư, sản xuất "
                               "kinh doanh.\n\nĐiều 3. Sắp xếp đơn vị hành chính\n\nTrên cơ sở Đề án "
                               "của Chính phủ, Ủy ban Thường vụ Quốc hội quyết định sắp xếp để thành "
                               "lập các xã như sau:\n\n1. Sắp xếp toàn bộ diện tích tự nhiên của xã Ta "
                               "Gia và xã Khoen On thành xã mới.\n\nĐiều 4. Ủy quyền cho Giám đốc Sở "
                               "Khoa học và Công nghệ thực hiện giải quyết thủ tục hành chính, cụ thể "
                               "như sau:\n\n1. Cấp giấy chứng nhận đăng ký hoạt động thử nghiệm.\n\n"
                               "2. Cấp lại giấy chứng nhận đăng ký hoạt động thử nghiệm.\n")
    assert [(t["task"][:20], t["lead"]) for t in found] == [
        ("Đổi mới tư duy xây d", ["Chính phủ", "các cơ quan liên quan"]),
        ("Tạo môi trường thuận", ["Chính phủ", "các cơ quan liên quan"]),
        ("Cấp giấy chứng nhận ", ["Giám đốc Sở Khoa học và Công nghệ"]),
        ("Cấp lại giấy chứng n", ["Giám đốc Sở Khoa học và Công nghệ"])]
    assert tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Bộ trưởng Bộ Tài chính ban hành Thông "
                              "tư quy định mức thu lệ phí.\n") == []  # what enacts, not a task


PROCEDURE_TABLE = """**QUY TRÌNH NỘI BỘ**

|
**Thứ tự công việc**
|
**Đơn vị/người thực hiện**
|
**Nội dung công việc**
|
**Thời gian thực hiện**
|
|
Bước 1
|
Lãnh đạo phòng Kinh tế
|
Nhận hồ sơ, phân công công chức xử lý hồ sơ
|
04 giờ
|
|
Bước 2
|
Văn thư UBND cấp xã
|
Vào số văn bản và chuyển kết quả đến cơ quan Thuế
|
08 giờ
|
"""


def test_a_procedure_table_of_steps_done_by_people(tmp_path):
    found = tasks_of(tmp_path, "Điều 1. Phê duyệt quy trình nội bộ kèm theo.\n\n" + PROCEDURE_TABLE,
                     name="quy-trinh.md")
    assert [(t["lead"], t["deadline"], t["kind"]) for t in found] == [
        (["Lãnh đạo phòng Kinh tế"], "04 giờ", "table"), (["Văn thư UBND cấp xã"], "08 giờ", "table")]
    assert found[0]["task"].startswith("Nhận hồ sơ, phân công")


def test_a_lead_cell_that_states_its_action_and_the_teachers_office(tmp_path):
    table = PROCEDURE_TABLE.replace("Lãnh đạo phòng Kinh tế", "Sở KH&CN chủ trì hướng dẫn, tổng hợp")
    found = tasks_of(tmp_path, "Điều 1. Phê duyệt quy trình nội bộ kèm theo.\n\n" + table,
                     name="quy-trinh.md")
    assert found[0]["lead"] == ["Sở KH&CN"]
    [task] = tasks_of(tmp_path, "Điều 9. Đánh giá kết quả học tập\n\n1. Giáo vụ có trách nhiệm công "
                                "bố điểm bài thu hoạch cho học viên.\n")
    assert task["lead"] == ["Giáo vụ"]  # folded, "Giáo" reads "giao" (assign) and named no one


def test_a_passive_agent_and_a_reply_that_tells_its_addressee_to_act(tmp_path):
    found = tasks_of(tmp_path, "Điều 7. Phiên họp\n\nTài liệu phục vụ các phiên họp thường kỳ do Văn "
                               "phòng Ban Chỉ đạo chuẩn bị và gửi các thành viên.\n\nĐiều 8. Kết nối "
                               "dữ liệu\n\n1. Sở Xây dựng\n\n- Kết nối, chia sẻ dữ liệu với các cơ sở "
                               "dữ liệu do Bộ Xây dựng quản lý.\n\nCục Thuế trả lời để Thuế thành phố "
                               "Hồ Chí Minh biết và thực hiện./.\n")
    assert [t["lead"] for t in found] == [
        ["Văn phòng Ban Chỉ đạo"], ["Sở Xây dựng"], ["Thuế thành phố Hồ Chí Minh"]]


def test_bodies_after_one_head_each_of_a_group_and_a_lowercase_steering_committee(tmp_path):
    assert split_agencies("Các Bộ Quốc phòng, Công an") == ["Bộ Quốc phòng", "Bộ Công an"]
    assert split_agencies("Mỗi tỉnh ủy, thành ủy") == ["Mỗi tỉnh ủy, thành ủy"]
    assert is_generic("Mỗi tỉnh ủy, thành ủy")
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Văn phòng Ban chỉ đạo phòng thủ dân sự "
                               "quốc gia theo dõi sát tình hình mưa lũ.\n\n2. Giao Phó Thủ tướng Chính "
                               "phủ Lê Thành Long đi kiểm tra công tác ứng phó.\n\n3. Mỗi tỉnh ủy, thành "
                               "ủy chọn cử tối đa 05 người tham gia lớp tập huấn.\n")
    assert [t["lead"] for t in found] == [
        ["Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"], ["Phó Thủ tướng Chính phủ Lê Thành Long"],
        ["Mỗi tỉnh ủy, thành ủy"]]


def test_a_heading_run_onto_its_first_item_and_names_that_look_like_verbs(tmp_path):
    # A crawl that lost the line break between the heading and its first item: with the item's
    # marker, or with only the capital of its verb. "Ngoại giao", "Tôn giáo" are no "giao".
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Sở Nội vụ a) Tổ chức tiếp nhận hồ sơ không phụ thuộc địa giới "
                               "hành chính.\n\n"
                               "b) Rà soát điều kiện tiếp nhận và trả kết quả.\n\n"
                               "2. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ Tập trung chỉ đạo "
                               "sửa đổi các văn bản quy phạm pháp luật.\n\n"
                               "3. Bộ Ngoại giao, Bộ Dân tộc và Tôn giáo hướng dẫn các địa "
                               "phương.\n\n"
                               "4. Ban Chỉ đạo tỉnh\n\n- Chỉ đạo các sở tổ chức kiểm tra.\n")
    assert [t["lead"] for t in found] == [
        ["Sở Nội vụ"], ["Sở Nội vụ"], ["Bộ trưởng các Bộ", "Thủ trưởng cơ quan ngang bộ"],
        ["Bộ Ngoại giao", "Bộ Dân tộc và Tôn giáo"], ["Ban Chỉ đạo tỉnh"]]


def test_a_list_of_names_under_a_heading_is_no_task(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Các Bộ, ngành\n\n- Bộ Tư pháp;\n\n"
                               "- Bộ Xây dựng;\n\n- Bộ Công an báo cáo kết quả trước ngày "
                               "15/12/2025.\n\n2. Các cơ quan theo thẩm quyền khẩn trương thực "
                               "hiện các công tác chuẩn bị cần thiết.\n\n3. Các cơ quan khi lập kế "
                               "hoạch số hóa cần đánh giá các rủi ro.\n")
    assert [t["lead"] for t in found] == [["Bộ Công an"], ["Các cơ quan theo thẩm quyền"], ["Các cơ quan"]]


def test_rights_members_and_criteria_are_no_duties(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài chính\n\n"
                               "a) Chủ tịch Ủy ban nhân dân cấp xã có quyền:\n\n- Phạt cảnh cáo;\n\n"
                               "- Phạt tiền đến 5.000.000 đồng.\n\n"
                               "b) Thành phần Tổ công tác gồm:\n\n- Lãnh đạo Sở Tài chính;\n\n"
                               "- Chuyên viên Phòng Ngân sách.\n\n"
                               "c) Doanh nghiệp được xem xét hỗ trợ khi đáp ứng các điều kiện sau:\n\n"
                               "- Là doanh nghiệp nhỏ và vừa có trụ sở trên địa bàn tỉnh.\n\n"
                               "d) Giúp Ủy ban nhân dân tỉnh quản lý ngân sách, gồm:\n\n"
                               "- Thẩm định dự toán của các đơn vị.\n\n"
                               "đ) Sở Tài chính gửi kèm bộ tài liệu gồm:\n\n- Cẩm nang nghiệp vụ;\n\n"
                               "- Video hướng dẫn sử dụng phần mềm.\n")
    assert [t["task"] for t in found] == ["Thẩm định dự toán của các đơn vị."]
    assert found[0]["lead"] == ["Sở Tài chính"]


def test_a_role_named_by_what_it_does_and_office_holders(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Cơ quan thực hiện số hóa thực hiện kiểm tra sơ bộ tài liệu "
                               "trước khi quét.\n\n"
                               "2. Các đơn vị phản ánh kịp thời về Sở Nội vụ những vướng mắc.\n\n"
                               "3. Vụ trưởng Vụ Tài chính - Kinh tế ngành chịu trách nhiệm thi hành "
                               "Kế hoạch này.\n")
    assert [t["lead"] for t in found] == [
        ["Cơ quan thực hiện số hóa"], ["Các đơn vị"], ["Vụ trưởng Vụ Tài chính - Kinh tế ngành"]]


def test_compound_names_and_a_replys_opening(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Cục Thuế nhận được công văn số 3896/TPHCM-VP ngày 21/10/2025 của "
                               "Thuế Thành phố Hồ Chí Minh về việc hướng dẫn chính sách thuế.\n\n"
                               "2. Đơn vị sự nghiệp công lập xây dựng phương án giá dịch vụ.\n\n"
                               "3. Ủy ban bầu cử tỉnh tổng hợp danh sách người ứng cử.\n\n"
                               "4. Mặt trận Tổ quốc Việt Nam và các tổ chức thành viên của Mặt trận "
                               "giám sát việc thực hiện.\n\n"
                               "5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức "
                               "chính trị - xã hội\n\n"
                               "- Tuyên truyền đoàn viên, hội viên phòng, chống ma túy.\n")
    assert [t["lead"] for t in found] == [
        ["Đơn vị sự nghiệp công lập"], ["Ủy ban bầu cử tỉnh"],
        ["Mặt trận Tổ quốc Việt Nam", "các tổ chức thành viên của Mặt trận"],
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"]]


def test_partners_named_above_the_items_help_with_each(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Công Thương\n\n"
                               "a) Chủ trì, phối hợp với các sở, ban, ngành và cơ quan, đơn vị có "
                               "liên quan\n\n- Tổ chức chương trình tập huấn kiến thức xuất khẩu.\n\n"
                               "b) Phối hợp với UBND các xã, phường\n\n"
                               "- Hỗ trợ các nhà đầu tư phát triển hạ tầng thương mại.\n\n"
                               "- Phối hợp với Sở Tài chính bố trí kinh phí xúc tiến thương mại.\n\n"
                               "2. Sở Tài chính chủ trì, phối hợp với các cơ quan, đơn vị có liên "
                               "quan:\n\na) Tham mưu Ủy ban nhân dân tỉnh xây dựng Cơ sở dữ liệu "
                               "về giá.\n")
    assert [(t["lead"], t["cooperate"]) for t in found] == [
        (["Sở Công Thương"], ["các sở, ban, ngành", "cơ quan, đơn vị có liên quan"]),
        (["Sở Công Thương"], ["UBND các xã, phường"]),
        (["Sở Công Thương"], ["Sở Tài chính"]),  # an item's own partners replace the heading's
        (["Sở Tài chính"], ["các cơ quan, đơn vị có liên quan"])]


def test_cases_objects_and_managing_bodies(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Trường hợp cần điều chỉnh Danh mục hàng hóa bình ổn giá: Sở quản "
                               "lý ngành, lĩnh vực đề xuất gửi Sở Tài chính tổng hợp.\n\n"
                               "2. Sở Tài chính chịu trách nhiệm cập nhật dữ liệu vào Cơ sở dữ liệu "
                               "về giá đối với:\n\n- Giá hàng hóa do Ủy ban nhân dân tỉnh định giá;\n\n"
                               "- Giá tính lệ phí trước bạ.\n\n"
                               "3. Các cơ quan, tổ chức sử dụng vốn ngân sách nhà nước có trách "
                               "nhiệm báo cáo kết quả mua sắm.\n\n"
                               "4. Cơ quan thuế không có trách nhiệm xác định đơn giá thuê đất.\n\n"
                               "5. Các Đảng ủy Bộ Tài chính, Bộ Nội vụ khẩn trương phân bổ ngân "
                               "sách.\n\n6. Cục Thuế thông báo để các đơn vị được biết.\n")
    assert [(t["task"][:22], t["lead"]) for t in found] == [
        ("Trường hợp cần điều ch", ["Sở quản lý ngành, lĩnh vực"]),
        ("Sở Tài chính chịu trác", ["Sở Tài chính"]),
        ("Các cơ quan, tổ chức s", ["Các cơ quan, tổ chức sử dụng vốn ngân sách nhà nước"]),
        ("Các Đảng ủy Bộ Tài chí", ["Đảng ủy Bộ Tài chính", "Đảng ủy Bộ Nội vụ"])]


def test_what_is_submitted_and_named_projects_are_the_introductions_objects(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài chính\n\n"
                               "a) Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh quyết "
                               "định:\n\n- Phương án phân bổ vốn đầu tư công trung hạn;\n\n"
                               "- Cơ chế, chính sách thực hiện Chương trình.\n\n2. Công an tỉnh\n\n"
                               "a) Tổ chức triển khai các dự án, tiểu dự án do Bộ Công an chủ trì:\n\n"
                               "- Dự án 1: “Phòng ngừa, đấu tranh tội phạm về ma túy”.\n\n"
                               "- Dự án 2: “Ứng dụng khoa học và công nghệ trong phòng, chống ma túy”.\n")
    assert [(t["task"], t["lead"]) for t in found] == [
        ("Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh quyết định",
         ["Sở Tài chính"]),
        ("Tổ chức triển khai các dự án, tiểu dự án do Bộ Công an chủ trì", ["Công an tỉnh"])]


def test_who_directs_leads_and_a_procedures_fields_name_no_duty(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Bộ trưởng Bộ Xây dựng chỉ đạo Sở Xây dựng các địa phương khẩn "
                               "trương hướng dẫn thiết kế nhà ở.\n\n2. Cơ quan giải quyết TTHC NB:\n\n"
                               "- Cơ quan trực tiếp thực hiện TTHC: Sở Dân tộc và Tôn giáo.\n\n"
                               "3. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng, "
                               "trong đó trọng tâm là các tỉnh: Đắk Lắk, Gia Lai\n\n"
                               "a) Tổ chức xây dựng kế hoạch cụ thể, phát động chiến dịch.\n")
    assert [t["lead"] for t in found] == [
        ["Bộ trưởng Bộ Xây dựng"],
        ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng"]]


def test_names_that_fold_like_verbs_brackets_and_groups_of_deputies(tmp_path):
    found = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n"
                               "1. Các cơ quan chuyên môn quản lý ngành, lĩnh vực cấp tỉnh phối hợp "
                               "với Sở Tài chính rà soát danh mục hàng hóa.\n\n"
                               "2. Cục Công nghiệp công nghệ thông tin (Bộ Khoa học và Công nghệ) "
                               "chủ trì, phối hợp với các cơ quan liên quan cập nhật danh mục.\n\n"
                               "3. Giao Thường trực Hội đồng nhân dân, các Ban của Hội đồng nhân dân, "
                               "các Tổ đại biểu và đại biểu Hội đồng nhân dân tỉnh giám sát việc "
                               "thực hiện Nghị quyết này.\n")
    assert [t["lead"] for t in found] == [
        ["Các cơ quan chuyên môn quản lý ngành, lĩnh vực cấp tỉnh"],  # "chuyên" is no "chuyển"
        ["Cục Công nghiệp công nghệ thông tin"],
        ["Thường trực Hội đồng nhân dân", "các Ban của Hội đồng nhân dân", "các Tổ đại biểu",
         "đại biểu Hội đồng nhân dân tỉnh"]]
    assert split_agencies("Chánh Văn phòng Bộ, Cục trưởng Cục Quản lý, giám sát kế toán, kiểm "
                          "toán") == ["Chánh Văn phòng Bộ",
                                      "Cục trưởng Cục Quản lý, giám sát kế toán, kiểm toán"]
    assert split_agencies("Sở Tài chính, Kiểm toán Nhà nước khu vực XI") == [
        "Sở Tài chính", "Kiểm toán Nhà nước khu vực XI"]


def test_a_time_limit_at_the_latest_after_an_event():
    sentence = ("Chủ trì xây dựng Quy trình nội bộ chậm nhất sau 07 ngày kể từ ngày có Quyết định "
                "công bố Danh mục thủ tục hành chính.")
    start, end = find_deadline(sentence)
    assert sentence[start:end] == ("chậm nhất sau 07 ngày kể từ ngày có Quyết định công bố Danh "
                                   "mục thủ tục hành chính")
    assert parse_deadline(sentence[start:end]).period is None


def test_a_shared_head_keeps_ministries_whole_and_a_topic_runs_to_its_hand_over(tmp_path):
    assert split_agencies("Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở: Tư pháp, Nông "
                          "nghiệp và Môi trường") == [
        "Chánh Văn phòng Ủy ban nhân dân tỉnh", "Giám đốc Sở Tư pháp",
        "Giám đốc Sở Nông nghiệp và Môi trường"]
    [task] = tasks_of(tmp_path, "III. TỔ CHỨC THỰC HIỆN\n\n8. Về mô hình chính quyền địa phương 02 "
                                "cấp: bố trí đủ biên chế theo vị trí việc làm: giao Bộ Nội vụ chủ "
                                "trì, phối hợp với các cơ quan liên quan nghiên cứu, báo cáo Chính "
                                "phủ trong thời hạn không quá 05 ngày làm việc.\n")
    assert task["lead"] == ["Bộ Nội vụ"] and task["cooperate"] == ["các cơ quan liên quan"]
    assert task["deadline"] == "trong thời hạn không quá 05 ngày làm việc"


def test_a_duty_heading_with_its_scope_and_a_dashed_council_name(tmp_path):
    found = tasks_of(tmp_path, "Điều 6. Quản lý Phần mềm\n\n1. Sở Tài chính có trách nhiệm quản lý "
                               "về nghiệp vụ, bao gồm:\n\na) Cấp mới, thu hồi tài khoản của các cơ "
                               "quan, đơn vị.\n\n2. Thường trực Hội đồng Thi đua - Khen thưởng:\n\n"
                               "a) Thẩm định thành tích, báo cáo Chủ tịch Ủy ban nhân dân tỉnh.\n")
    assert [t["lead"] for t in found] == [["Sở Tài chính"],
                                          ["Thường trực Hội đồng Thi đua - Khen thưởng"]]


def test_the_issuer_enacting_its_plan_hands_no_items_and_criteria_are_no_tasks(tmp_path):
    found = tasks_of(tmp_path, "Ủy ban nhân dân tỉnh triển khai Đợt thi đua và ban hành Kế hoạch tổ "
                               "chức thực hiện như sau:\n\nI. TIÊU CHÍ THI ĐUA\n\n- Hoàn thành vượt "
                               "mức các chỉ tiêu phát triển kinh tế - xã hội năm 2025.\n\nII. GIẢI "
                               "PHÁP\n\n1. Tăng cường sự lãnh đạo của cấp ủy, tổ chức đảng.\n\n"
                               "2. Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua.\n")
    assert [t["lead"] for t in found] == [["Sở Nội vụ"]]


def test_a_table_of_rates_assigns_nothing(tmp_path):
    table = ("| **Nội dung chi** | **Mức chi (1.000đ)** | **Đơn vị tính** |\n|---|---|---|\n"
             "| **3. Hội đồng in sao đề thi** | | |\n"
             "| - Ủy viên, thư ký làm việc cách ly | 443 | người/ngày |\n"
             "| - Nhân viên phục vụ, công an, bảo vệ làm việc cách ly | 1.200 | người/ngày |\n")
    found = tasks_of(tmp_path, "Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết.\n\n" + table,
                     name="nghi-quyet.md")
    assert [t["lead"] for t in found] == [["Ủy ban nhân dân tỉnh"]]


def test_the_competent_bodies_and_the_communes_before_the_reform(tmp_path):
    found = tasks_of(tmp_path, "Điều 2. Hiệu lực thi hành\n\n2. Các cơ quan theo thẩm quyền khẩn "
                               "trương thực hiện các công tác chuẩn bị cần thiết.\n\n3. Chính quyền "
                               "địa phương ở đơn vị hành chính cấp xã trước sắp xếp tiếp tục hoạt "
                               "động cho đến khi chính quyền địa phương mới chính thức hoạt động.\n")
    assert [(t["lead"], t["generic"]) for t in found] == [
        (["Các cơ quan theo thẩm quyền"], True),
        (["Chính quyền địa phương ở đơn vị hành chính cấp xã trước sắp xếp"], True)]


def test_a_procedure_table_with_its_responsibility_column(tmp_path):
    table = ("| **TT** | **Trình tự** | **Trách nhiệm** | **Thời gian** | **Biểu mẫu/Kết quả** |\n"
             "|---|---|---|---|---|\n"
             "| B1 | Tiếp nhận hồ sơ, kiểm tra tính đầy đủ của hồ sơ | Công chức TN&TKQ | 0,5 ngày "
             "| Mẫu 01 |\n"
             "| B2 | Thẩm định hồ sơ, dự thảo văn bản trình Lãnh đạo Sở | Phòng Khoáng sản | 10 ngày "
             "| Mẫu 05 |\n")
    found = tasks_of(tmp_path, "Quy trình xử lý công việc\n\n" + table, name="quy-trinh.md")
    assert [(t["lead"], t["kind"]) for t in found] == [
        (["Công chức TN&TKQ"], "table"), (["Phòng Khoáng sản"], "table")]
