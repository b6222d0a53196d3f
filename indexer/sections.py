"""What part of an official document each paragraph is: header, preamble, body, recipients,
signature, or the crawling website's own text.

An answer must not quote the recipients' list or the national motto, and a task or a
reference is only read from the body; documents crawled from legal portals also carry the
site's text (a metadata table, "Văn bản liên quan", a privacy notice), which is no part of the
document. The rules follow the form of Vietnamese official documents (Nghị định 30/2020/NĐ-CP
for the State, Hướng dẫn 36-HD/VPTW for the Party): the header runs to the title, the
preamble is its "Căn cứ …" / "Thực hiện …" lines, the body follows, then "Nơi nhận" and the
signature; appendices after the signature ("PHỤ LỤC", "(Kèm theo …)") are body again.
"""
from __future__ import annotations

import re
from typing import Sequence

from .vietnamese import DOC_TYPES, fold, is_upper_line, syllables

HEADER, PREAMBLE, BODY = "header", "preamble", "body"
RECIPIENTS, SIGNATURE, CHROME = "recipients", "signature", "chrome"
# Roles whose text is the document's own statement of what it decides, asks or reports.
CONTENT_ROLES = frozenset({BODY})

_SITE_LABELS = re.compile(r"^(?:so hieu|loai van ban|noi ban hanh|nguoi ky|ngay ban hanh|"
                          r"ngay hieu luc|ngay cong bao|so cong bao|tinh trang|linh vuc|"
                          r"ngay hop nhat|cap nhat)\s*:")
# The website's own text, as the crawled legal portals lay it out: never an official document's.
_SITE_TEXT = re.compile(
    r"^van ban lien quan$|^noi dung sua doi, huong dan|^file duoc dinh kem theo van ban|"
    r"^file attached to document|thu vien phap luat|^ma so thue\s*:|^ra chuot vao noi dung|"
    r"^click (?:trai|phai) de xem|^double click de xem|^tat so sanh|"
    r"^van ban nay chua cap nhat noi dung tieng anh|^luoc do$|"
    r"^(?:ban hanh|hieu luc|tinh trang|cap nhat)\s*:.*(?:ban hanh|hieu luc)\s*:")
# A portal's one-line summary after the signature: "Công văn 11299/VPCP-KGVX năm 2025 …" (the
# document itself would write "Công văn số …").
_SITE_SUMMARY = re.compile(rf"^(?:{'|'.join(fold(t) for t in DOC_TYPES)}) \d+[/-][\w/-]+ ")
_NO_ENGLISH = "van ban nay chua cap nhat noi dung tieng anh"  # the portal's, after its summary
_MOTTO = re.compile(r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*"
                    r"hanh phuc|dang cong san viet nam)\b")
_BASIS = re.compile(r"^(?:[-–] )?(?:can cu|xet de nghi|theo de nghi|xet to trinh|thuc hien|"
                    r"trien khai|thi hanh|tiep theo|de trien khai)\b")
_ENACTING = re.compile(r"^(?:quyet dinh|quyet nghi|nghi quyet|chi thi|ket luan|yeu cau|"
                       r"thong bao)\s*:\s*$")
_BODY_START = re.compile(r"^(?:dieu 1\b|chuong i\b|phan (?:i|thu nhat)\b|[ivx]{1,4}\.\s|\d{1,2}\.\s|"
                         r"a\)\s)")
_RECIPIENTS = re.compile(r"^(?:noi nhan|kinh gui)\s*:?")
_SIGNATURE = re.compile(
    r"^(?:tm\.|t/m|kt\.|k/t|q\.|tl\.|t/l|tuq\.|thua lenh|thua uy quyen|\(da ky\)|da ky\b)|"
    r"^(?:pho )?(?:chu tich|bi thu|giam doc|bo truong|thu truong|chanh van phong|tong bi thu|"
    r"thu tuong|truong ban|chu nhiem|cuc truong|vu truong|tong cuc truong|thong doc|"
    r"tong kiem toan|truong phong|thu ky)\b(?:.{0,60})$")
_APPENDIX = re.compile(r"^(?:phu luc|danh muc|bieu mau|mau so|\(kem theo|kem theo |"
                       r"(?:quy che|quy dinh|ke hoach|chuong trinh|de an|huong dan|phuong an)$)")


def _is_name(text: str) -> bool:
    """Say whether a line is a person's name as signed: 2–5 capitalised words, nothing else."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w.isalpha() for w in words)


def _site_tables(folded: Sequence[str], cells: Sequence) -> set[int]:
    """Return the tables that hold the website's metadata (two or more of its labels)."""
    counts: dict[int, int] = {}
    for text, cell in zip(folded, cells):
        if cell and _SITE_LABELS.match(text):
            counts[cell[0]] = counts.get(cell[0], 0) + 1
    return {table for table, count in counts.items() if count >= 2}


def paragraph_roles(paragraphs: Sequence[str], cells: Sequence | None = None) -> list[str]:
    """Return the role of each paragraph of a document: header, preamble, body, recipients,
    signature or chrome (the crawling website's text)."""
    cells = cells or [None] * len(paragraphs)
    folded = [fold(p).strip(" *") for p in paragraphs]
    site_tables = _site_tables(folded, cells)
    long_tables = {cell[0] for cell in cells if cell and cell[1] >= 3} - site_tables
    roles = [""] * len(paragraphs)
    state = HEADER
    for i, (text, original) in enumerate(zip(folded, paragraphs)):
        cell = cells[i]
        if _SITE_LABELS.match(text) or (cell and cell[0] in site_tables and state == HEADER
                                        and _site_value(folded, i)):
            roles[i] = CHROME
            continue
        if _SITE_TEXT.search(text) or (state == SIGNATURE and _SITE_SUMMARY.match(text)) or (
                _SITE_SUMMARY.match(text) and _NO_ENGLISH in text):  # (summary in a table cell)
            state = CHROME
        elif state in (CHROME, SIGNATURE) and _APPENDIX.match(text):
            state = BODY
        elif state == HEADER and cell and cell[0] in long_tables:
            state = BODY  # a header's table has two or three rows; a longer one is content
        elif state in (HEADER, PREAMBLE):
            state = _opening_state(state, text, original)
        elif _RECIPIENTS.match(text) and not (text.startswith("kinh gui") and len(text) > 200):
            state = RECIPIENTS  # (a letter crawled as one paragraph keeps its body)
        elif state in (BODY, RECIPIENTS) and _SIGNATURE.match(text) and len(text) < 90 \
                and (is_upper_line(original) or state == RECIPIENTS or text.startswith(("tm.", "kt."))):
            state = SIGNATURE
        elif state == RECIPIENTS and not original.startswith(("-", "+", "•")) \
                and not text.endswith((";", ",")) and len(text) > 80:
            state = BODY  # a sentence again: the list is over
        elif state == SIGNATURE and not (_SIGNATURE.match(text) or _is_name(original)
                                         or len(text) < 40 and is_upper_line(original)):
            state = BODY  # an appendix or an attached document after the signature
        roles[i] = state
    return roles


def _site_value(folded: Sequence[str], i: int) -> bool:
    """Say whether paragraph i is the value of a website label just before it."""
    return i > 0 and bool(_SITE_LABELS.match(folded[i - 1])) and len(folded[i]) < 80


def _opening_state(state: str, text: str, original: str) -> str:
    """Move through the header and the preamble to the body, one paragraph at a time."""
    if _RECIPIENTS.match(text):
        return BODY if text.startswith("kinh gui") and len(text) > 200 else RECIPIENTS
    if _BASIS.match(text) and not (state == HEADER and not text.startswith(("can cu", "xet "))
                                   and _is_title_line(original)):
        return PREAMBLE  # (a title may open with the same words: "Triển khai chương trình …")
    if _ENACTING.match(text):
        return PREAMBLE  # "QUYẾT ĐỊNH:" closes the preamble; the next paragraph is the body
    if state == PREAMBLE:
        return BODY if not _continues_preamble(text) else PREAMBLE
    if _BODY_START.match(text) or (not is_upper_line(original) and not _MOTTO.match(text)
                                   and (len(text) > 150 or _is_sentence(original))):
        return BODY
    return HEADER


def _is_title_line(original: str) -> bool:
    """A line of a title: in capitals, or short and without a sentence's end."""
    stripped = original.strip(" *")
    return is_upper_line(original) or (len(stripped) < 100 and not stripped.endswith(
        (";", ":", ",", ".")))


def _is_sentence(original: str) -> bool:
    """A whole sentence (10 syllables or more, with a sentence's end) is no header line."""
    stripped = original.strip(" *")
    return stripped.endswith((".", ":", ";")) and len(syllables(stripped)) >= 10


def _continues_preamble(text: str) -> bool:
    return bool(_BASIS.match(text)) or text.startswith(("- ", "+ "))


def role_spans(document_text: str, offsets: Sequence[int], roles: Sequence[str]
               ) -> list[tuple[int, int, str]]:
    """Join runs of paragraphs with one role into (start, end, role) spans of the text."""
    spans: list[tuple[int, int, str]] = []
    ends = [start - 2 for start in offsets[1:]] + [len(document_text)]
    for start, end, role in zip(offsets, ends, roles):
        if spans and spans[-1][2] == role:
            spans[-1] = (spans[-1][0], end, role)
        else:
            spans.append((start, end, role))
    return spans
