"""OCR of scans: image-only and mixed PDFs and images become searchable, cached, with page numbers.

The scans are drawn here: Vietnamese text set in DejaVu Sans on small (A6) pages at 300 dpi,
so that Tesseract reads each in about a second.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from indexer.errors import OcrUnavailable, VankienError
from indexer.ingest import parse_file
from indexer.ocr import OcrPage, OcrReader, find_tesseract, parse_tsv, skew_angle
from indexer.prepare import document_id
from indexer.reindex import ReindexSettings, reindex
from indexer.search import Searcher
from indexer.store import open_index
from webapp import create_app

from conftest import FONT, make_pdf

# CI installs Tesseract (.ci/run); elsewhere these tests say what is missing instead of failing.
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None and not os.environ.get("CI"),
    reason="needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-vie")

SCAN_PAGE_1 = ["QUYẾT ĐỊNH", "Về việc thành lập Ban chỉ đạo phòng, chống dịch cúm gia cầm"]
SCAN_PAGE_2 = ["Điều 2. Giao Sở Nông nghiệp và Môi trường kiểm tra việc tiêm phòng vắc xin "
               "cúm gia cầm tại các trang trại."]
MIXED_TEXT_1 = ["BÁO CÁO", "Kết quả thực hiện chương trình mục tiêu quốc gia về giảm nghèo bền vững."]
MIXED_SCAN_2 = ["Xã Hòa Bình đạt chuẩn nông thôn mới nâng cao, thu nhập bình quân tăng mạnh."]
MIXED_TEXT_3 = ["Đề nghị Ủy ban nhân dân tỉnh bố trí vốn đối ứng cho các công trình thủy lợi."]
IMAGE_TEXT = ["Thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân huyện."]


def page_image(paragraphs: list[str], angle: float = 0) -> Image.Image:
    """Draw paragraphs on an A6 page at 300 dpi (11 pt text), as a scanner would deliver it."""
    image = Image.new("L", (1240, 1748), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 46)
    y = 120
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split():
            if line and draw.textlength(f"{line} {word}", font=font) > image.width - 200:
                draw.text((100, y), line, font=font, fill=0)
                y, line = y + 70, word
            else:
                line = f"{line} {word}".strip()
        draw.text((100, y), line, font=font, fill=0)
        y += 100
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255) if angle else image


def pdf_of(path: Path, pages: list[tuple[str, list[str]]]) -> Path:
    """Write an A6 PDF whose pages are ("text", paragraphs) or ("scan", paragraphs)."""
    from fpdf import FPDF

    pdf = FPDF(format=(105, 148))  # A6, in mm
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    for kind, paragraphs in pages:
        pdf.add_page()
        if kind == "scan":
            pdf.image(page_image(paragraphs), x=0, y=0, w=105, h=148)
        else:
            for text in paragraphs:
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def scans(folder: Path) -> Path:
    folder.mkdir()
    pdf_of(folder / "quyet-dinh-scan.pdf", [("scan", SCAN_PAGE_1), ("scan", SCAN_PAGE_2)])
    pdf_of(folder / "bao-cao-mixed.pdf",
           [("text", MIXED_TEXT_1), ("scan", MIXED_SCAN_2), ("text", MIXED_TEXT_3)])
    page_image(IMAGE_TEXT).save(folder / "thong-bao.png", dpi=(300, 300))
    (folder / "ghi-chu.txt").write_text("Ghi chú cuộc họp giao ban tuần.", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    """An index of a scanned PDF, a mixed PDF, a PNG and a text file: (folder, index, summary)."""
    folder = scans(tmp_path_factory.mktemp("ocr") / "docs")
    index_dir = folder.parent / "ix"
    summary = reindex(index_dir, [folder], embedder=embedder)
    return folder, index_dir, summary


def top_hit(index_dir: Path, embedder, query: str):
    index = open_index(index_dir)
    try:
        return Searcher.open(index, embedder).search(query, k=1)[0]
    finally:
        index.close()


@needs_tesseract
def test_scans_are_read_and_counted(built):
    _, _, summary = built
    assert summary.skipped == [] and len(summary.added) == 4
    assert summary.ocr_pages == 4 and summary.ocr_pages_cached == 0  # 2 + 1 (mixed) + 1 (png)
    assert summary.ocr_unavailable is None and summary.ocr_low_confidence == []


@needs_tesseract
def test_image_only_pdf_is_searchable_with_its_page_numbers(built, embedder):
    folder, index_dir, _ = built
    hit = top_hit(index_dir, embedder, "tiêm phòng vắc xin cúm gia cầm tại trang trại")
    assert hit.document.rel_path == "quyet-dinh-scan.pdf" and hit.page == 2
    assert "Sở Nông nghiệp và Môi trường" in hit.text
    index = open_index(index_dir)
    document = index.document(document_id(folder / "quyet-dinh-scan.pdf"))
    index.close()
    assert document.page_count == 2 and set(document.ocr_by_page) == {1, 2}
    assert all(page.confidence > 80 for page in document.ocr_pages)
    assert "Ban chỉ đạo phòng, chống dịch cúm gia cầm" in document.text
    client = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    response = client.get(f"/api/documents/{document.id}")  # an OCR'd document, through the API
    assert response.status_code == 200
    body = response.get_json()
    assert [page["page"] for page in body["ocr_pages"]] == [1, 2]
    assert all(page["confidence"] > 80 and page["low"] is False for page in body["ocr_pages"])


@needs_tesseract
def test_mixed_pdf_keeps_text_pages_and_reads_the_scanned_one(built, embedder):
    folder, index_dir, _ = built
    # The index's OCR cache already holds page 2: nothing is recognised again here.
    parsed = parse_file(folder / "bao-cao-mixed.pdf",
                        ocr=OcrReader("auto", index_dir / "cache" / "ocr"))
    assert [p.page for p in parsed.paragraphs] == [1, 1, 2, 3]
    assert parsed.paragraphs[3].text == MIXED_TEXT_3[0]  # the text layer, not OCR
    assert [page for page, _ in parsed.ocr_pages] == [2]
    hit = top_hit(index_dir, embedder, "xã Hòa Bình đạt chuẩn nông thôn mới nâng cao")
    assert hit.document.rel_path == "bao-cao-mixed.pdf" and hit.page == 2


@needs_tesseract
def test_an_image_file_is_a_document(built, embedder):
    _, index_dir, _ = built
    hit = top_hit(index_dir, embedder, "lịch tiếp công dân của Chủ tịch huyện")
    assert hit.document.rel_path == "thong-bao.png" and hit.document.format == "png"
    assert hit.page == 1 and "tiếp công dân" in hit.text


@needs_tesseract
def test_document_view_says_the_text_came_from_ocr(built, embedder):
    folder, index_dir, _ = built
    client = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    page = client.get(f"/documents/{document_id(folder / 'bao-cao-mixed.pdf')}").get_data(True)
    assert "Nhận dạng ký tự (OCR)" in page and "trang 2: " in page
    assert page.count('class="ocr-tag') == 1  # only the scanned page is marked
    text_only = client.get(f"/documents/{document_id(folder / 'ghi-chu.txt')}").get_data(True)
    assert "OCR" not in text_only


@needs_tesseract
def test_the_cache_prevents_a_second_ocr(built, embedder, tmp_path, monkeypatch):
    _, index_dir, _ = built
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    assert len(list((copy / "cache" / "ocr").glob("*.json"))) == 3  # one per scanned file
    monkeypatch.setenv("PATH", str(tmp_path))  # Tesseract cannot even be found now
    summary = reindex(copy, embedder=embedder, full=True)
    assert summary.ocr_pages == 0 and summary.ocr_pages_cached == 4
    assert summary.skipped == [] and summary.ocr_unavailable is None
    assert summary.documents == 4 and summary.chunks_embedded == 0


@needs_tesseract
def test_pages_under_the_confidence_threshold_are_flagged(built, embedder, tmp_path):
    folder, index_dir, _ = built
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    every_page_low = ReindexSettings(low_confidence=99.9)
    summary = reindex(copy, embedder=embedder, full=True,  # OCR text from the cache
                      settings=every_page_low)
    flagged = sorted((os.path.basename(path), page) for path, page, _ in summary.ocr_low_confidence)
    assert flagged == [("bao-cao-mixed.pdf", 2), ("quyet-dinh-scan.pdf", 1),
                       ("quyet-dinh-scan.pdf", 2), ("thong-bao.png", 1)]
    client = create_app({"VANKIEN_INDEX": str(copy), "EMBEDDER": embedder,
                         "TESTING": True}).test_client()
    page = client.get(f"/documents/{document_id(folder / 'bao-cao-mixed.pdf')}").get_data(True)
    assert 'class="ocr-tag low"' in page and "độ tin cậy thấp" in page


def test_tesseract_output_becomes_lines_and_a_mean_confidence():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [("4", "1", "1", "1", "0", "-1", ""), ("5", "1", "1", "1", "1", "96.5", "Điều"),
            ("5", "1", "1", "1", "2", "91.5", "1."), ("5", "1", "1", "2", "1", "80", "Phạm"),
            ("5", "1", "1", "2", "2", "-1", " "), ("5", "2", "1", "1", "1", "60", "vi")]
    tsv = "\n".join([header] + ["\t".join([level, "1", block, par, line, word, "0", "0", "9",
                                            "9", conf, text])
                                for level, block, par, line, word, conf, text in rows])
    page = parse_tsv(tsv, number=3)
    assert page == OcrPage(3, ("Điều 1.", "Phạm", "vi"), 82.0)
    assert parse_tsv(header, 1) == OcrPage(1, (), None)


def test_missing_tesseract_is_reported_and_the_rest_indexed(tmp_path, embedder, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    # Drawn without OCR: these only have to exist, not be read.
    Image.new("L", (400, 300), 255).save(folder / "anh.png")
    pdf_of(folder / "scan.pdf", [("scan", SCAN_PAGE_2)])
    pdf_of(folder / "mixed.pdf", [("text", MIXED_TEXT_1), ("scan", MIXED_SCAN_2)])
    (folder / "ghi-chu.txt").write_text("Ghi chú cuộc họp giao ban tuần.", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))
    summary = reindex(tmp_path / "ix", [folder], embedder=embedder)
    reasons = {os.path.basename(path): reason for path, reason in summary.skipped}
    assert reasons == {
        "scan.pdf": "no text layer (scanned PDF?): needs OCR, but Tesseract is not installed",
        "anh.png": "image: needs OCR, but Tesseract is not installed"}
    assert summary.ocr_unavailable == ("Tesseract is not installed: install it with "
                                       "`apt-get install tesseract-ocr tesseract-ocr-vie`")
    assert sorted(map(os.path.basename, summary.ocr_not_read)) == ["anh.png", "mixed.pdf", "scan.pdf"]
    assert sorted(map(os.path.basename, summary.added)) == ["ghi-chu.txt", "mixed.pdf"]
    assert top_hit(tmp_path / "ix", embedder, "giảm nghèo bền vững").page == 1


def test_missing_tesseract_or_vietnamese_model_says_how_to_install(tmp_path):
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
        find_tesseract(str(tmp_path / "tesseract"))
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages in \"/x\" (1):'\necho eng\n")
    fake.chmod(0o755)
    with pytest.raises(OcrUnavailable, match="no Vietnamese model.*tesseract-ocr-vie"):
        find_tesseract(str(fake))


def test_ocr_never_skips_scans_and_a_bad_mode_is_refused(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    pdf_of(folder / "scan.pdf", [("scan", SCAN_PAGE_2)])
    Image.new("L", (400, 300), 255).save(folder / "anh.png")
    (folder / "ghi-chu.txt").write_text("Ghi chú cuộc họp giao ban tuần.", encoding="utf-8")
    summary = reindex(tmp_path / "ix", [folder], embedder=embedder,
                      settings=ReindexSettings(ocr="never"))
    assert dict((os.path.basename(p), r) for p, r in summary.skipped) == {
        "scan.pdf": "no text layer (scanned PDF?): needs OCR, skipped",
        "anh.png": "image: needs OCR, skipped"}
    assert summary.ocr_pages == 0 and summary.ocr_unavailable is None
    with pytest.raises(VankienError, match="auto, always, never"):
        reindex(tmp_path / "ix", [folder], embedder=embedder,
                settings=ReindexSettings(ocr="sometimes"))


@needs_tesseract
def test_ocr_always_reads_text_pages_too(tmp_path):
    path = make_pdf(tmp_path / "text.pdf", [["Nghị quyết về phát triển kinh tế tư nhân."]])
    assert parse_file(path, ocr=OcrReader("auto")).ocr_pages == ()
    parsed = parse_file(path, ocr=OcrReader("always"))
    assert [page for page, _ in parsed.ocr_pages] == [1]
    assert parsed.paragraphs[0].text == "Nghị quyết về phát triển kinh tế tư nhân."


@needs_tesseract
def test_upside_down_and_askew_pages_are_turned_back(tmp_path):
    path = tmp_path / "nguoc.png"
    page_image(SCAN_PAGE_2, angle=180).save(path, dpi=(300, 300))
    parsed = parse_file(path, ocr=OcrReader("auto"))
    assert parsed.paragraphs[0].text == SCAN_PAGE_2[0]


def test_skew_is_measured_from_the_text_lines():
    page = page_image(SCAN_PAGE_2 * 3)
    assert abs(skew_angle(page)) < 0.3
    assert abs(skew_angle(page.rotate(4, fillcolor=255)) + 4) <= 0.3
    assert abs(skew_angle(page.rotate(-2.5, fillcolor=255)) - 2.5) <= 0.3
    assert skew_angle(Image.new("L", (300, 300), 255)) == 0.0


def test_an_index_of_the_previous_format_is_rebuilt_by_full(tmp_path, corpus, embedder):
    # Each format version adds to the schema (3: documents.ocr_pages); the error for an older
    # index says to run a full reindex, which must then work.
    import json

    from indexer.errors import IndexFormatError
    from indexer.store import FORMAT_VERSION, current_version_dir

    reindex(tmp_path / "ix", [corpus], embedder=embedder, settings=ReindexSettings(ocr="never"))
    manifest = current_version_dir(tmp_path / "ix") / "manifest.json"
    old = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**old, "format_version": FORMAT_VERSION - 1}),
                        encoding="utf-8")
    with pytest.raises(IndexFormatError, match="reindex --full"):
        reindex(tmp_path / "ix", [corpus], embedder=embedder)
    summary = reindex(tmp_path / "ix", [corpus], embedder=embedder, full=True)
    assert summary.version == 2 and summary.documents == 4
    assert summary.chunks_embedded == 0  # the embedding cache survived the rebuild
    assert open_index(tmp_path / "ix").manifest.format_version == FORMAT_VERSION
