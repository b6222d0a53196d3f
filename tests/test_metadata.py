"""Header metadata of Vietnamese official documents, on small headers written as ingest emits them."""
import pytest

from indexer.header import DocumentMetadata, extract_metadata, read_header
from indexer.vietnamese import fold

UBND_DECISION = [
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
    "Số: 2820/QĐ-UBND",
    "Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025",
    "QUYẾT ĐỊNH",
    "BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025 "
    "CỦA THỦ TƯỚNG CHÍNH PHỦ VÀ QUYẾT ĐỊNH SỐ 3103/QĐ-BTC NGÀY 05 THÁNG 9 NĂM 2025 CỦA BỘ TÀI CHÍNH",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
    "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
    "Căn cứ Luật Quy hoạch ngày 24 tháng 11 năm 2017;",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai.",
]


def test_ubnd_decision_header():
    # "Kế hoạch" keeps the capital the body gives it: "ban hành ... Kế hoạch triển khai".
    assert extract_metadata(UBND_DECISION, "001c610b2efdcf0c.md") == DocumentMetadata(
        title="Ban hành Kế hoạch triển khai Quyết định số 06/QĐ-TTG ngày 02 tháng 01 năm 2025 "
              "của Thủ tướng Chính phủ và Quyết định số 3103/QĐ-BTC ngày 05 tháng 9 năm 2025 "
              "của Bộ Tài chính",
        doc_number="2820/QĐ-UBND",
        doc_type="Quyết định",
        issuer="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        issued_date="2025-11-19",
    )


def test_issuer_split_over_two_paragraphs_and_number_after_its_label():
    paragraphs = ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "Độc lập - Tự do - Hạnh phúc", "Số:", "471/QĐ-UBND",
                  "Bắc Ninh, ngày 28 tháng 11 năm 2025", "QUYẾT ĐỊNH",
                  "VỀ VIỆC PHÊ DUYỆT DANH MỤC ĐỊA ĐIỂM TỔ CHỨC HỘI CHỢ TRÊN ĐỊA BÀN TỈNH BẮC NINH NĂM 2026",
                  "ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "Căn cứ Luật Thương mại ngày 14/6/2005;"]
    meta = extract_metadata(paragraphs, "x.md")
    assert meta.issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert meta.doc_number == "471/QĐ-UBND"
    assert meta.issued_date == "2025-11-28"
    assert meta.title == ("Về việc phê duyệt danh mục địa điểm tổ chức hội chợ trên địa bàn "
                          "tỉnh Bắc Ninh năm 2026")


def test_party_resolution_of_a_provincial_committee():
    paragraphs = [
        "TỈNH ỦY THÁI NGUYÊN", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-NQ/TU",
        "Thái Nguyên, ngày 14 tháng 4 năm 2025", "NGHỊ QUYẾT",
        "VỀ CHUYỂN ĐỔI SỐ TỈNH THÁI NGUYÊN ĐẾN NĂM 2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030",
        "- Căn cứ Điều lệ Đảng;",
        "- Căn cứ Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị;",
    ]
    assert extract_metadata(paragraphs, "nq-05.md") == DocumentMetadata(
        title="Về chuyển đổi số tỉnh Thái Nguyên đến năm 2025, định hướng đến năm 2030",
        doc_number="05-NQ/TU",
        doc_type="Nghị quyết",
        issuer="Tỉnh ủy Thái Nguyên",
        issued_date="2025-04-14",
    )


def test_party_motto_merged_into_the_issuer_paragraph():
    paragraphs = ["TỈNH ỦY THÁI NGUYÊN ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-NQ/TU",
                  "Thái Nguyên, ngày 14 tháng 4 năm 2025", "NGHỊ QUYẾT", "VỀ CHUYỂN ĐỔI SỐ"]
    meta = extract_metadata(paragraphs, "nq-05.md")
    assert (meta.issuer, meta.doc_number, meta.title) == (
        "Tỉnh ủy Thái Nguyên", "05-NQ/TU", "Về chuyển đổi số")


def test_hdnd_resolution_stops_the_title_at_the_council_line():
    paragraphs = [
        "HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 57/2025/NQ-HĐND", "Hà Nội, ngày 18 tháng 11 năm 2025",
        "NGHỊ QUYẾT", "QUY ĐỊNH MỨC HỖ TRỢ ĐỐI VỚI TRẺ EM MẦM NON TRÊN ĐỊA BÀN THÀNH PHỐ HÀ NỘI",
        "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI KHÓA XVI, KỲ HỌP THỨ 27",
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
    ]
    assert extract_metadata(paragraphs, "nq-57.md") == DocumentMetadata(
        title="Quy định mức hỗ trợ đối với trẻ em mầm non trên địa bàn thành phố Hà Nội",
        doc_number="57/2025/NQ-HĐND",
        doc_type="Nghị quyết",
        issuer="Hội đồng nhân dân thành phố Hà Nội",
        issued_date="2025-11-18",
    )


@pytest.mark.parametrize("header", [
    ["BỘ TÀI CHÍNH", "CỤC THUẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
     "Số: 5348/CT-CS", "V/v hướng dẫn góp vốn điều lệ", "Hà Nội, ngày 20 tháng 11 năm 2025"],
    # the same header where lost line breaks merged the cells
    ["BỘ TÀI CHÍNH CỤC THUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
     "Số: 5348/CT-CS V/v hướng dẫn góp vốn điều lệ", "Hà Nội, ngày 20 tháng 11 năm 2025"],
])
def test_cong_van_with_v_v_trich_yeu(header):
    body = ["Kính gửi: Thuế tỉnh Quảng Trị.",
            "Cục Thuế nhận được công văn số 324/QTR-KTr2 ngày 22/7/2025 của Thuế tỉnh Quảng Trị."]
    assert extract_metadata(header + body, "5348.md") == DocumentMetadata(
        title="V/v hướng dẫn góp vốn điều lệ",
        doc_number="5348/CT-CS",
        doc_type="Công văn",
        issuer="Cục Thuế",
        issued_date="2025-11-20",
    )


def test_crawler_preamble_fills_what_the_document_does_not_say():
    paragraphs = [
        "Thông tư 109/2025/TT-BTC phí thẩm định cấp giấy phép kinh doanh karaoke Số hiệu:",
        "109/2025/TT-BTC", "Loại văn bản:", "Thông tư", "Nơi ban hành:", "Bộ Tài chính",
        "Người ký:", "Cao Anh Tuấn", "Ngày ban hành:", "18/11/2025", "Tình trạng:", "Đã biết",
        "Căn cứ Luật Phí và lệ phí số 97/2015/QH13;",
    ]
    assert extract_metadata(paragraphs, "109.md") == DocumentMetadata(
        title="Thông tư 109/2025/TT-BTC phí thẩm định cấp giấy phép kinh doanh karaoke",
        doc_number="109/2025/TT-BTC",
        doc_type="Thông tư",
        issuer="Bộ Tài chính",
        issued_date="2025-11-18",
    )
    assert read_header(paragraphs)["title"] is None  # the page title is only a fallback


def test_header_wins_over_the_crawler_preamble():
    paragraphs = ["Số hiệu:", "471/QĐ-UBND", "Loại văn bản:", "Văn bản khác", "Nơi ban hành:",
                  "Tỉnh Bắc Ninh", "Ngày ban hành:", "27/11/2025",
                  "ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "Số: 471/QĐ-UBND",
                  "Bắc Ninh, ngày 28 tháng 11 năm 2025", "QUYẾT ĐỊNH", "VỀ VIỆC PHÊ DUYỆT DANH MỤC"]
    meta = extract_metadata(paragraphs, "x.md")
    assert (meta.doc_type, meta.issuer, meta.issued_date) == (
        "Quyết định", "Ủy ban nhân dân tỉnh Bắc Ninh", "2025-11-28")


def test_numbers_and_dates_cited_by_the_body_are_not_the_documents_own():
    paragraphs = [
        "KẾ HOẠCH",
        "TRIỂN KHAI NGHỊ ĐỊNH SỐ 63/2010/NĐ-CP TRÊN ĐỊA BÀN TỈNH",
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ;",
        "Hà Nội, ngày 12 tháng 3 năm 2024",
        "Số: 12/QĐ-UBND",
        "Thực hiện Quyết định số 12/QĐ-UBND ngày 12/3/2024, Ủy ban nhân dân tỉnh ban hành Kế hoạch.",
    ]
    assert extract_metadata(paragraphs, "ke-hoach.md") == DocumentMetadata(
        title="Triển khai Nghị định số 63/2010/NĐ-CP trên địa bàn tỉnh", doc_type="Kế hoạch")


def test_document_without_header_falls_back_to_its_first_heading():
    # The repository's sample corpus/hoi-nghi-ban-thuong-vu-tinh-uy-lan-thu-4.txt: a news report.
    paragraphs = [
        "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 4, khóa XX, nhiệm kỳ 2020 - 2025",
        "Toàn cảnh hội nghị",
        "Với tinh thần thẳng thắn mang tính xây dựng và trách nhiệm cao, tại hội nghị, các đồng chí "
        "Ủy viên Ban Thường vụ Tỉnh ủy và các đại biểu đã tích cực trao đổi, thảo luận.",
        "Về nhiệm vụ trong thời gian tới, đồng chí Bí thư Tỉnh ủy yêu cầu các cấp, ngành thực hiện "
        "tốt các nghị quyết đã được Kỳ họp thứ 12, HĐND tỉnh khóa 13 thông qua.",
    ]
    assert extract_metadata(paragraphs, "hoi-nghi-ban-thuong-vu-tinh-uy-lan-thu-4.txt") == DocumentMetadata(
        title="Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 4, khóa XX, nhiệm kỳ 2020 - 2025")
    assert read_header(paragraphs)["title"] is None


def test_file_name_is_the_last_fallback():
    paragraphs = ["Đây là một đoạn văn kết thúc bằng dấu chấm.", "Một đoạn nữa."]
    assert extract_metadata(paragraphs, "bao-cao_tong-ket.txt").title == "bao cao tong ket"


def test_invalid_date_is_dropped():
    paragraphs = ["ỦY BAN NHÂN DÂN", "TỈNH LAI CHÂU", "Số: 87/2025/QĐ-UBND",
                  "Lai Châu, ngày 31 tháng 2 năm 2025", "QUYẾT ĐỊNH", "QUY ĐỊNH NẾP SỐNG VĂN MINH"]
    meta = extract_metadata(paragraphs, "87.md")
    assert meta.issued_date is None
    assert meta.doc_number == "87/2025/QĐ-UBND"


def test_old_tone_marks_are_matched_but_returned_as_written():
    paragraphs = ["UỶ BAN NHÂN DÂN", "TỈNH THANH HOÁ", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "Số: 3617/QĐ-UBND", "Thanh Hoá, ngày 20 tháng 11 năm 2025", "QUYẾT ĐỊNH",
                  "VỀ VIỆC UỶ QUYỀN CÔNG BỐ THỦ TỤC HÀNH CHÍNH CỦA UỶ BAN NHÂN DÂN TỈNH THANH HOÁ"]
    meta = extract_metadata(paragraphs, "x.md")
    assert meta.issuer == "Uỷ ban nhân dân tỉnh Thanh Hoá"
    assert meta.title == "Về việc uỷ quyền công bố thủ tục hành chính của Uỷ ban nhân dân tỉnh Thanh Hoá"


def test_law_in_a_table_row_with_the_heading_glued_to_its_title():
    paragraphs = ["QUỐC HỘI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc | "
                  "Luật số: 60/2024/QH15 |",
                  "LUẬT", "DỮ LIỆU", "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;"]
    assert extract_metadata(paragraphs, "luat.md") == DocumentMetadata(
        title="Dữ liệu", doc_number="60/2024/QH15", doc_type="Luật", issuer="Quốc hội")
    glued = ["Số: 09/2025/NĐ-CP | Độc lập - Tự do - Hạnh phúc",
             "NGHỊ ĐỊNHQuy định về chính sách hỗ trợ sản xuất nông nghiệp",
             "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;"]
    assert extract_metadata(glued, "nd.md") == DocumentMetadata(
        title="Quy định về chính sách hỗ trợ sản xuất nông nghiệp", doc_number="09/2025/NĐ-CP",
        doc_type="Nghị định", issuer="Chính phủ")


def test_type_from_the_number_code_when_the_heading_is_missing():
    paragraphs = ["THỦ TƯỚNG CHÍNH PHỦ", "Số: 223/CĐ-TTg", "Hà Nội, ngày 20 tháng 11 năm 2025",
                  "Kính gửi: Bộ trưởng các Bộ"]
    meta = extract_metadata(paragraphs, "cd.md")
    assert (meta.doc_type, meta.issuer, meta.title) == ("Công điện", "Thủ tướng Chính phủ",
                                                        "Công điện 223/CĐ-TTg")


def test_title_glued_to_the_body_is_cut_and_capped():
    paragraphs = ["VĂN PHÒNG CHÍNH PHỦ", "Số: 631/TB-VPCP", "Hà Nội, ngày 19 tháng 11 năm 2025", "THÔNG BÁO",
                  "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ TẠI CUỘC HỌP VỀ CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA "
                  "Ngày 18 tháng 11 năm 2025, tại trụ sở Chính phủ, Phó Thủ tướng đã chủ trì cuộc họp."]
    assert extract_metadata(paragraphs, "tb.md").title == (
        "Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về chương trình mục tiêu quốc gia")
    long_title = ["QUYẾT ĐỊNH", "VỀ VIỆC " + "CÔNG BỐ THỦ TỤC HÀNH CHÍNH " * 20]
    title = extract_metadata(long_title, "x.md").title
    assert len(title) <= 302 and title.endswith(" …") and title.startswith("Về việc công bố")


def test_fold_keeps_length_and_unifies_tone_placement():
    assert fold("Uỷ ban Thanh Hoá") == fold("Ủy ban Thanh Hóa") == "uy ban thanh hoa"
    assert len(fold("ĐẢNG CỘNG SẢN")) == len("ĐẢNG CỘNG SẢN")


# --- titles in capitals: the body's case, the rules of Vietnamese names --------------------------

VPCP_NOTICE = ["VĂN PHÒNG CHÍNH PHỦ", "Số: 634/TB-VPCP", "Hà Nội, ngày 22 tháng 11 năm 2025", "THÔNG BÁO"]


def test_capitals_title_takes_the_case_the_body_writes():
    paragraphs = ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "Số: 12/KH-UBND",
                  "Thành phố Hồ Chí Minh, ngày 10 tháng 11 năm 2025", "KẾ HOẠCH",
                  "TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM VÀ CHIẾN DỊCH QUANG TRUNG TRÊN ĐỊA BÀN THÀNH PHỐ",
                  "Thực hiện Luật Việc làm số 74/2025/QH15, Ủy ban nhân dân thành phố ban hành Kế hoạch.",
                  "Các sở triển khai Luật Việc làm và hưởng ứng Chiến dịch Quang Trung của Thủ tướng.",
                  "Giải quyết việc làm cho người lao động là nhiệm vụ trọng tâm."]
    assert extract_metadata(paragraphs, "kh.md").title == (
        "Triển khai thi hành Luật Việc làm và Chiến dịch Quang Trung trên địa bàn thành phố")


def test_body_case_of_an_organisation_name_and_a_lower_case_generic_use():
    paragraphs = ["CHÍNH PHỦ", "Số: 388/NQ-CP", "Hà Nội, ngày 20 tháng 11 năm 2025", "NGHỊ QUYẾT",
                  "VỀ Ý KIẾN THẨM TRA CỦA ỦY BAN KINH TẾ VÀ TÀI CHÍNH VỀ CÔNG TÁC VĂN PHÒNG TỈNH ỦY, THÀNH ỦY",
                  "Căn cứ Báo cáo thẩm tra của Ủy ban Kinh tế và Tài chính của Quốc hội;",
                  "Hội nghị đánh giá công tác văn phòng tỉnh ủy, thành ủy trong cả nước."]
    assert extract_metadata(paragraphs, "nq.md").title == (
        "Về ý kiến thẩm tra của Ủy ban Kinh tế và Tài chính về công tác văn phòng tỉnh ủy, thành ủy")


def test_person_names_after_their_titles_without_the_body():
    paragraphs = VPCP_NOTICE + [
        "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ PHẠM THỊ THANH TRÀ TẠI BUỔI LÀM VIỆC VỚI ĐỒNG CHÍ TÔ LÂM"]
    assert extract_metadata(paragraphs, "tb.md").title == (
        "Kết luận của Phó Thủ tướng Chính phủ Phạm Thị Thanh Trà tại buổi làm việc với đồng chí Tô Lâm")


def test_law_names_and_words_the_body_writes_with_inner_capitals():
    paragraphs = ["QUỐC HỘI", "Số: 10/NQ-QH", "Hà Nội, ngày 20 tháng 11 năm 2025", "NGHỊ QUYẾT",
                  "VỀ DỰ ÁN LUẬT BẢO HIỂM TIỀN GỬI VÀ HẠ TẦNG IOT NĂM 2026",
                  "Phát triển hạ tầng IoT trên cả nước; các nền tảng IoT dùng chung."]
    assert extract_metadata(paragraphs, "nq.md").title == (
        "Về dự án Luật Bảo hiểm tiền gửi và hạ tầng IoT năm 2026")


def test_case_key_ignores_tone_placement_but_not_letters():
    from indexer.casing import key
    assert key("Hoà") == key("hòa") and key("THUỶ") == key("thủy")
    assert key("năm") != key("Nam")


def test_dropped_type_word_is_put_back():
    paragraphs = ["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 221-KL/TW",
                  "Hà Nội, ngày 28 tháng 11 năm 2025", "KẾT LUẬN",
                  "CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ TÌNH HÌNH HOẠT ĐỘNG CỦA CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP",
                  "Tại phiên họp ngày 28/11/2025, Bộ Chính trị, Ban Bí thư kết luận như sau:"]
    meta = extract_metadata(paragraphs, "kl.md")
    assert meta.title == ("Kết luận của Bộ Chính trị, Ban Bí thư về tình hình hoạt động của "
                          "chính quyền địa phương 2 cấp")
    assert meta.doc_type == "Kết luận"


@pytest.mark.parametrize("header, issuer", [
    (["ĐẢNG BỘ TỈNH THÁI NGUYÊN", "ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY", "*"], "Tỉnh ủy Thái Nguyên"),
    (["ĐẢNG BỘ TỈNH THÁI NGUYÊN TỈNH ỦY | ĐẢNG CỘNG SẢN VIỆT NAM"], "Tỉnh ủy Thái Nguyên"),
    (["ĐẢNG BỘ TỈNH THÁI NGUYÊN", "BAN TUYÊN GIÁO TỈNH ỦY"], "Ban Tuyên giáo Tỉnh ủy Thái Nguyên"),
    (["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "BAN THƯỜNG VỤ THÀNH ỦY"], "Ban Thường vụ Thành ủy Hà Nội"),
    (["ĐẢNG BỘ XÃ TÂN CƯƠNG", "ĐẢNG ỦY"], "Đảng ủy xã Tân Cương"),
    (["ĐẢNG BỘ TỈNH THÁI NGUYÊN", "ĐẢNG ỦY XÃ TÂN CƯƠNG"], "Đảng ủy xã Tân Cương"),
])
def test_party_committee_keeps_the_place_of_its_dang_bo(header, issuer):
    paragraphs = header + ["Số 05-NQ/TU", "Thái Nguyên, ngày 14 tháng 4 năm 2025", "NGHỊ QUYẾT",
                           "VỀ CHUYỂN ĐỔI SỐ"]
    assert extract_metadata(paragraphs, "nq.md").issuer == issuer


CONG_VAN = ["Số hiệu:", "5526/CT-CS", "Loại văn bản:", "Công văn", "Nơi ban hành:", "Cục Thuế",
            "BỘ TÀI CHÍNH", "CỤC THUẾ", "Số: 5526/CT-CS", "Hà Nội, ngày 25 tháng 11 năm 2025",
            "Kính gửi: Thuế các tỉnh, thành phố.",
            "Thời gian vừa qua, bão lũ gây thiệt hại nặng nề cho người dân và doanh nghiệp."]


def test_hash_file_name_gives_way_to_the_portal_line_about_the_document():
    paragraphs = CONG_VAN + [
        "Công văn 5526/CT-CS năm 2025 khẩn trương hỗ trợ người nộp thuế bị tổn thất do bão lũ do "
        "Cục Thuế ban hành Văn bản này chưa cập nhật nội dung Tiếng Anh"]
    assert extract_metadata(paragraphs, "c3581fb6fc76bf57.md").title == (
        "Công văn 5526/CT-CS khẩn trương hỗ trợ người nộp thuế bị tổn thất do bão lũ")
    assert extract_metadata(CONG_VAN, "c3581fb6fc76bf57.md").title == "Công văn 5526/CT-CS"


def test_trich_yeu_the_body_promulgates_when_the_heading_has_none():
    paragraphs = ["BỘ XÂY DỰNG", "Số: 39/2025/TT-BXD", "Hà Nội, ngày 25 tháng 11 năm 2025", "THÔNG TƯ",
                  "Căn cứ Luật Đường bộ số 35/2024/QH15;",
                  "Bộ trưởng Bộ Xây dựng ban hành Thông tư sửa đổi, bổ sung một số định mức bảo dưỡng "
                  "thường xuyên đường bộ.", "Điều 1. Sửa đổi, bổ sung một số định mức."]
    assert extract_metadata(paragraphs, "d6ce705de2ab11e6.md").title == (
        "Sửa đổi, bổ sung một số định mức bảo dưỡng thường xuyên đường bộ")


def test_title_that_is_only_an_agency_name_gives_way_to_the_first_sentence():
    paragraphs = ["Văn phòng Trung ương Đảng", "I. CHỨC NĂNG",
                  "Văn phòng Trung ương Đảng là cơ quan tham mưu, giúp việc Ban Chấp hành Trung ương "
                  "Đảng; là trung tâm thông tin tổng hợp của Đảng.", "II. NHIỆM VỤ"]
    assert extract_metadata(paragraphs, "ec0a3a6ed5256b61.md").title == (
        "Văn phòng Trung ương Đảng là cơ quan tham mưu, giúp việc Ban Chấp hành Trung ương Đảng")
    no_header = ["Kính gửi: Các cơ quan, tổ chức trong hệ thống chính trị",
                 "Ngày 15/10/2025, Ban Chỉ đạo đã có văn bản hướng dẫn số hóa hồ sơ. Các cơ quan thực hiện."]
    assert extract_metadata(no_header, "04a1d4cd730e7afe.md").title == (
        "Ngày 15/10/2025, Ban Chỉ đạo đã có văn bản hướng dẫn số hóa hồ sơ")
