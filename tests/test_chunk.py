from indexer.chunk import ChunkerSettings, chunk_document, document_text, heading_level
from indexer.ingest import Paragraph, parse_file
from conftest import SEED


def paragraphs(*texts, page=None):
    return tuple(Paragraph(t, page) for t in texts)


def test_chunk_text_is_the_exact_span_of_the_document():
    parsed = parse_file(SEED)
    text, _ = document_text(parsed.paragraphs)
    chunks = chunk_document(parsed.paragraphs)
    assert chunks
    for chunk in chunks:
        assert text[chunk.char_start:chunk.char_end] == chunk.text
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_headings_start_chunks_and_form_the_heading_path():
    doc = paragraphs(
        "Chương I", "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh", "Nghị định này quy định về chuyển đổi số.",
        "Điều 2. Đối tượng áp dụng", "1. Cơ quan nhà nước.", "2. Tổ chức, cá nhân có liên quan.",
        "Chương II", "Điều 3. Nhiệm vụ", "a) Xây dựng hạ tầng số.")
    chunks = chunk_document(doc)
    starts = [c.text.split("\n\n")[0] for c in chunks]
    assert starts == ["Chương I", "Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng",
                      "Chương II", "Điều 3. Nhiệm vụ"]
    assert chunks[2].heading_path == ("Chương I", "Điều 2. Đối tượng áp dụng")
    assert chunks[4].heading_path == ("Chương II", "Điều 3. Nhiệm vụ")
    assert (chunks[2].para_start, chunks[2].para_end) == (5, 7)


def test_heading_levels():
    assert heading_level("PHẦN THỨ NHẤT") == 1
    assert heading_level("Chương II") == 2
    assert heading_level("Điều 15. Hiệu lực thi hành") == 4
    assert heading_level("II. NHIỆM VỤ") == 5
    assert heading_level("3. Giao Sở Nội vụ") == 6
    assert heading_level("a) Hạ tầng số") == 8
    assert heading_level("Ủy ban nhân dân tỉnh") is None


def test_small_paragraphs_merge_and_large_ones_split_at_sentences():
    settings = ChunkerSettings(target_chars=300, max_chars=450, min_chars=80)
    sentence = "Tăng cường ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước. "
    doc = paragraphs("Ngắn một.", "Ngắn hai.", "Ngắn ba.", sentence * 12)
    chunks = chunk_document(doc, settings)
    assert chunks[0].text == "Ngắn một.\n\nNgắn hai.\n\nNgắn ba."
    long_pieces = chunks[1:]
    assert len(long_pieces) >= 3
    for piece in long_pieces:
        assert len(piece.text) <= settings.max_chars
        assert piece.text.endswith(".")
        assert (piece.para_start, piece.para_end) == (4, 4)


def test_chunks_stay_within_a_pdf_page():
    doc = (Paragraph("Trang một, đoạn một.", 1), Paragraph("Trang một, đoạn hai.", 1),
           Paragraph("Trang hai.", 2))
    chunks = chunk_document(doc, ChunkerSettings(min_chars=10))
    assert [(c.page, c.para_start, c.para_end) for c in chunks] == [(1, 1, 2), (2, 3, 3)]
