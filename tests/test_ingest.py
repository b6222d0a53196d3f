import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from indexer.errors import NeedsOCR, UnreadableDocument
from indexer.ingest import parse_file
from conftest import make_image_pdf, make_pdf

TEXT = "Nghị quyết về chương trình chuyển đổi số đến năm 2025, định hướng đến năm 2030."


def to_windows_1258(text: str) -> bytes:
    """Encode as Windows-1258: base letters (ê, ơ, đ) precomposed, tone marks combining."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def texts(parsed):
    return [p.text for p in parsed.paragraphs]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_text_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "vb.txt"
    body = f"Tỉnh ủy Thái Nguyên\n\n{TEXT}\n"
    if encoding == "cp1258":
        path.write_bytes(to_windows_1258(body))
    else:
        path.write_bytes(body.encode(encoding))
    assert texts(parse_file(path)) == ["Tỉnh ủy Thái Nguyên", TEXT]


def test_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Résumé of the café meeting – naïve façade.".encode("cp1252"))
    assert texts(parse_file(path)) == ["Résumé of the café meeting – naïve façade."]


def test_txt_with_one_paragraph_per_line_keeps_lines_apart(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Hội nghị lần thứ 4\nToàn cảnh hội nghị\n\nNội dung chính.", encoding="utf-8")
    assert texts(parse_file(path)) == ["Hội nghị lần thứ 4", "Toàn cảnh hội nghị", "Nội dung chính."]


def test_markdown_tables_and_emphasis_are_cleaned(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "|\n**ỦY BAN NHÂN\nDÂN **\nTỈNH ĐẮK LẮK\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
        "|\n|\nSố:\n031/2025/QĐ-UBND\n|\n*Đắk Lắk, ngày 19\ntháng 11 năm 2025*\n|\n\n"
        "## Điều 1. Phạm vi\n*Căn cứ Luật A;*\n*Căn cứ Luật B;*\n", encoding="utf-8")
    assert texts(parse_file(path)) == [
        "ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 031/2025/QĐ-UBND", "Đắk Lắk, ngày 19 tháng 11 năm 2025", "Điều 1. Phạm vi",
        "Căn cứ Luật A;", "Căn cứ Luật B;"]


def test_emphasis_between_words_leaves_a_space(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("**NGHỊ ĐỊNH**Quy định chi tiết và hướng dẫn thi hành.", encoding="utf-8")
    assert texts(parse_file(path)) == ["NGHỊ ĐỊNH Quy định chi tiết và hướng dẫn thi hành."]


def test_html_drops_scripts_and_decodes_entities(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<html><head><title>Thông báo</title><script>alert('x')</script>"
                    "<style>p{}</style></head><body><p>Ban Thường vụ &amp; HĐND</p>"
                    "<div>Kết luận<br>số 12</div></body></html>", encoding="utf-8")
    assert texts(parse_file(path)) == ["Thông báo", "Ban Thường vụ & HĐND", "Kết luận", "số 12"]


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Kế hoạch chuyển đổi số", level=1)
    document.add_paragraph("Sở Thông tin và Truyền thông chủ trì thực hiện.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Nhiệm vụ"
    table.cell(0, 1).text = "Hạ tầng số"
    path = tmp_path / "kh.docx"
    document.save(path)
    assert texts(parse_file(path)) == ["Kế hoạch chuyển đổi số",
                                       "Sở Thông tin và Truyền thông chủ trì thực hiện.",
                                       "Nhiệm vụ", "Hạ tầng số"]


def test_pdf_pages_headers_and_page_numbers(tmp_path):
    path = make_pdf(tmp_path / "vb.pdf", [
        ["Điều 1. Phạm vi điều chỉnh", "Nghị quyết này quy định về chuyển đổi số."],
        ["Điều 2. Đối tượng áp dụng", "Các cơ quan nhà nước trên địa bàn tỉnh."],
        ["Điều 3. Hiệu lực", "Nghị quyết có hiệu lực từ ngày ký."],
    ], header="TỈNH ỦY THÁI NGUYÊN - BẢN TIN NỘI BỘ", numbered=True)
    parsed = parse_file(path)
    assert parsed.page_count == 3
    assert [(p.page, p.text) for p in parsed.paragraphs] == [
        (1, "Điều 1. Phạm vi điều chỉnh"), (1, "Nghị quyết này quy định về chuyển đổi số."),
        (2, "Điều 2. Đối tượng áp dụng"), (2, "Các cơ quan nhà nước trên địa bàn tỉnh."),
        (3, "Điều 3. Hiệu lực"), (3, "Nghị quyết có hiệu lực từ ngày ký."),
    ]


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    with pytest.raises(NeedsOCR, match="needs OCR"):
        parse_file(make_image_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf_is_reported(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf", [[TEXT]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="matkhau", owner_password="chu")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    with pytest.raises(UnreadableDocument, match="encrypted PDF"):
        parse_file(locked)


def test_pdf_encrypted_with_empty_password_opens(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf", [[TEXT]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="chu")
    path = tmp_path / "open.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert texts(parse_file(path)) == [TEXT]


def test_truncated_pdf_is_reported(tmp_path):
    whole = make_pdf(tmp_path / "whole.pdf", [[TEXT]] * 3).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(UnreadableDocument) as error:
        parse_file(path)
    assert error.value.path == str(path)


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty file"),
    ("junk.txt", bytes(range(256)) * 40, "binary data"),
    ("junk.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, "PDF"),
    ("bad.docx", None, "not a valid DOCX"),
    ("sheet.xlsx", b"x", "not a valid spreadsheet"),
    ("slides.pptx", b"x", "unsupported file type"),
])
def test_bad_files_raise_with_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is None:  # a ZIP archive that is not a Word document
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "không phải docx")
        content = buffer.getvalue()
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=reason):
        parse_file(path)


def test_a_markdown_pipe_table_gives_each_cell_its_row_and_column(tmp_path):
    path = tmp_path / "bang.md"
    path.write_text("Bảng nhiệm vụ\n\n| STT | Nhiệm vụ | Chủ trì |\n|---|---|---|\n"
                    "| 1 | Số hóa hồ sơ | Sở Nội vụ |\n| 2 | Chữ ký số |  |\n\nHết bảng.\n",
                    encoding="utf-8")
    cells = [(p.text, p.cell) for p in parse_file(path).paragraphs]
    assert cells == [("Bảng nhiệm vụ", None), ("STT", (1, 0, 0)), ("Nhiệm vụ", (1, 0, 1)),
                     ("Chủ trì", (1, 0, 2)), ("1", (1, 1, 0)), ("Số hóa hồ sơ", (1, 1, 1)),
                     ("Sở Nội vụ", (1, 1, 2)), ("2", (1, 2, 0)), ("Chữ ký số", (1, 2, 1)),
                     ("Hết bảng.", None)]
