"""Read a document's confidentiality mark (độ mật) from its header.

State secrets carry one of three marks stamped in the header, near the số hiệu (Luật Bảo vệ
bí mật nhà nước 2018, Điều 8): MẬT, TỐI MẬT, TUYỆT MẬT; offices also mark documents of
limited circulation HẠN CHẾ. A mark stands alone in its line or table cell, sometimes as
"Độ mật: …", in brackets, or beside an urgency mark (KHẨN, HỎA TỐC). Only the header is read,
up to the body's first words, so a title or a sentence about secrets ("bảo vệ bí mật nhà
nước") is never taken for a mark.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .vietnamese import fold

MARKS = ("Tuyệt mật", "Tối mật", "Mật", "Hạn chế")  # the most secret first
_FOLDED = {fold(mark): mark for mark in MARKS}
HEADER_PARAGRAPHS = 15
_URGENCY = r"(?:thuong khan|khan|hoa toc(?: hen gio)?)"
_SEPARATOR = r"\s*(?:[-–,/;]\s*|\s)"
_MARK_CELL = re.compile(
    rf"^(?:do mat\s*:\s*)?(?:{_URGENCY}{_SEPARATOR})?"
    rf"(?P<mark>tuyet mat|toi mat|mat|han che)"
    rf"(?:{_SEPARATOR}(?:do khan\s*:\s*)?{_URGENCY})?\s*(?:\([^()]{{0,40}}\))?$")
# Around a mark: brackets, quotes and dashes that stamp it ("- MẬT -", «MẬT», "MẬT").
_FRAME = " \t.-–—_*`#>[](){}«»\"'“”‘’"
_FRAME_KEEPING_NOTE = _FRAME.replace("()", "")
_BODY = re.compile(r"^(?:[-–] )?(?:can cu|kinh gui|dieu 1\b|chuong i\b|xet de nghi|thuc hien|"
                   r"noi nhan)")


@dataclass(frozen=True)
class Marking:
    mark: str  # one of MARKS, as the law names it
    paragraph: int  # 0-based index of the paragraph that carries it
    start: int  # offsets of the mark's cell within that paragraph
    end: int


def read_marking(paragraphs: Sequence[str]) -> Marking | None:
    """Return the confidentiality mark in a document's header, or None if it has none."""
    for number, paragraph in enumerate(paragraphs[:HEADER_PARAGRAPHS]):
        if _BODY.match(fold(paragraph.strip())):
            return None
        position = 0
        # Cells of a header table, lines, and columns a PDF's text laid side by side
        # ("Số: 12/BC-UBND      MẬT").
        for cell in re.split(r"(\s*\|\s*|\n|\s{3,})", paragraph):
            start, position = position, position + len(cell)
            for frame in (_FRAME, _FRAME_KEEPING_NOTE):  # "MẬT (Hạn chế phổ biến)"
                stamped = cell.strip(frame)
                found = _MARK_CELL.match(" ".join(fold(stamped).split()))
                if found and stamped:
                    offset = cell.index(stamped)
                    return Marking(_FOLDED[found.group("mark")], number, start + offset,
                                   start + offset + len(stamped))
    return None
