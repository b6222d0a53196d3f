"""Read an official document's header: số hiệu, loại văn bản, cơ quan ban hành, ngày, trích yếu.

State documents (Nghị định 30/2020/NĐ-CP) and Party documents (Hướng dẫn 36-HD/VPTW) open
with the issuing body beside the national or Party motto, then "Số: ...", "<place>, ngày D
tháng M năm YYYY", the type in capitals ("QUYẾT ĐỊNH") and the trích yếu. Crawled copies may
add a key-value preamble ("Số hiệu:", "Loại văn bản:", ...), used only where the header is
silent. Only the first HEADER_PARAGRAPHS paragraphs are read and the body's openings ("Căn
cứ", "Kính gửi", "Điều 1") end the header, so numbers and dates that the body cites are never
taken for the document's own. Matching is on diacritic-folded text; values are the document's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Sequence

from .casing import UNIT as _UNIT, org_case as _org_case, sentence_case
from .vietnamese import DOC_TYPES, TYPE_CODES, agency_spans, fold

HEADER_PARAGRAPHS = 40


@dataclass(frozen=True)
class DocumentMetadata:
    title: str
    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_date: str | None = None  # ISO YYYY-MM-DD


ISSUER_CODES = {  # issuers whose code in a số hiệu is unambiguous: NĐ-CP, QĐ-TTg, TT-BTC
    "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội", "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ", "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BTC": "Bộ Tài chính", "BCT": "Bộ Công Thương", "BXD": "Bộ Xây dựng", "BYT": "Bộ Y tế",
    "BNV": "Bộ Nội vụ", "BTP": "Bộ Tư pháp", "BQP": "Bộ Quốc phòng", "BCA": "Bộ Công an",
    "BNG": "Bộ Ngoại giao", "BGDĐT": "Bộ Giáo dục và Đào tạo", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNNMT": "Bộ Nông nghiệp và Môi trường", "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch"}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?[a-z]?)\s*(/\s*\d{4}\s*)?([/-])\s*"
                     r"([A-ZĐ][A-Za-zĐđ0-9]*(?:\s?[-/]\s?[A-Za-zĐđ0-9]+|\.[A-Za-zĐđ0-9]+)*)(?!\w)")
_NUMBER_LABEL = re.compile(r"^(?:(?:Luật|LUẬT|Pháp lệnh|Lệnh)\s+)?(?:Số|SỐ|số)(?:\s*ký hiệu)?\s*[:.]?\s*"
                           r"|(?<!\w)Số\s*:\s*")
_DATE = re.compile(r"ngày\s*(\d{1,2})\s*(?:tháng\s*(\d{1,2})\s*năm\s*(\d{4})"
                   r"|[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}))", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^([^\W\d][^,\d]{1,40}?)\s*,\s*(?=ngày)", re.IGNORECASE)
_KV_LABELS = ("so hieu|loai van ban|noi ban hanh|nguoi ky|ngay ban hanh|ngay hieu luc|"
              "ngay cong bao|so cong bao|tinh trang|linh vuc|ngay hop nhat")
_KV = re.compile(rf"^({_KV_LABELS})\s*:\s*(.*)$|^(.{{20,}}?)\s+({_KV_LABELS})\s*:$")
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc"
                    r"|^dang cong san viet nam\b|(?<=\s)dang cong san viet nam$")
_BODY = re.compile(r"^(?:[-–] )?(?:Căn cứ|Kính gửi|Điều 1\b|Chương I\b|Xét đề nghị|Theo đề nghị|"
                   r"Thực hiện|Nơi nhận|QUYẾT ĐỊNH\s*:|QUYẾT NGHỊ\s*:)")
_AUTHORITY = re.compile(r"^(?:chu tich|(?:pho )?(?:bo|cuc|tong cuc|truong) (?:truong|ban)|thu tuong|"
                        r"giam doc|chanh van phong|tong kiem toan|thong doc|uy ban|hoi dong|ban thuong vu|"
                        r"ban chap hanh|thuong truc|chinh phu$|quoc hoi$|bo chinh tri|ban bi thu|ubnd|hdnd)")
_CONNECTOR = re.compile(r"^(?:\(|(?:tai|cua|ve|va|den|giai doan|tren|theo|cho|doi voi|trong|"
                        r"nhiem ky|khoa|nam \d)\b)")
_ORG = re.compile(r"bo |uy ban|hoi dong|chinh phu|quoc hoi|thu tuong")
# "ĐẢNG BỘ TỈNH THÁI NGUYÊN TỈNH ỦY" on one line: the Đảng bộ, then its committee (folded).
_PARTY_UNIT = re.compile(r"dang bo .+?(?= (?:(?:tinh|thanh|huyen|quan|dang) uy\b|ban |van phong |uy ban kiem tra))")


def extract_metadata(paragraphs: Sequence[str], file_name: str) -> DocumentMetadata:
    """Return the header metadata of one document given its paragraphs in order."""
    fields = read_header(paragraphs)
    title = fields.pop("title")
    if not title or _names_only(title, fields["issuer"]):
        title = fallback_title(paragraphs, file_name, fields)
    return DocumentMetadata(title=title, **fields)


def read_header(paragraphs: Sequence[str]) -> dict[str, str | None]:
    """Return the fields the document states; title is None where only a fallback would do."""
    segments, key_values = _segments(paragraphs)
    head = segments[:_body_start(segments)]
    number = _find_number(head) or _clean_number(key_values.get("so hieu", ""))
    doc_type, title, authority = _find_heading(head)
    about = r"[Vv]/[vV][\s:]|VỀ VIỆC |Về việc |Về " if number else r"[Vv]/[vV][\s:]|VỀ VIỆC |Về việc "
    title = title or next((s for s in head if re.match(about, s)), None)  # a công văn's trích yếu
    doc_type = doc_type or ("Công văn" if title and title[:3].lower() == "v/v" else None)
    doc_type = doc_type or _canonical_type(key_values.get("loai van ban", "")) or _type_from_code(number)
    issuer = (_find_issuer(head) or _authority_issuer(authority) or key_values.get("noi ban hanh")
              or ISSUER_CODES.get(_issuer_code(number)))
    date_place = _find_date(head)
    issued = date_place[0] if date_place else _parse_date("ngày " + key_values.get("ngay ban hanh", ""))
    if title:
        title = sentence_case(title, [date_place[1]] if date_place else [], paragraphs)
        if doc_type and re.match(r"(?:của|CỦA) ", title, re.IGNORECASE):  # "KẾT LUẬN / CỦA BỘ CHÍNH TRỊ"
            title = f"{doc_type} {title[:1].lower()}{title[1:]}"
    return {"title": title, "doc_number": number, "doc_type": doc_type, "issuer": issuer,
            "issued_date": issued}


def fallback_title(paragraphs: Sequence[str], file_name: str, fields: dict | None = None) -> str:
    """Return a title for a document whose header gives none.

    In order: the portal's own line "<type> <number> năm YYYY <trích yếu> do <issuer> ban
    hành"; the first heading-like paragraph before the body; the trích yếu the body
    promulgates ("Bộ trưởng ... ban hành Thông tư <trích yếu>."); "<type> <number>"; a
    readable file name; the first real sentence. Never a file hash or an issuer's name alone.
    """
    fields = fields or {}
    doc_type, number, issuer = fields.get("doc_type"), fields.get("doc_number"), fields.get("issuer")
    if portal := _portal_title(paragraphs, doc_type, number):
        return portal
    segments = _segments(paragraphs)[0]
    for segment in segments[:_body_start(segments)][:8]:
        listed = re.match(r"[-+•(]|\d+(?:\.\d+)*[.)] |[a-zđ]\) |[ivxlc]+[.)] |van ban lien quan|noi dung chinh",
                          fold(segment))
        field = _NUMBER_LABEL.match(segment) or _PLACE_DATE.match(segment) or _heading(segment) \
            or segment.count(": ") >= 2  # "Ban hành: 28/11/2013 Hiệu lực: Đã biết": a portal's fields
        org = _is_upper(segment) and (_ORG.match(fold(segment)) or _UNIT.match(fold(segment)))
        if 8 <= len(segment) <= 400 and segment[-1] not in ".:;," and not (listed or field or org) \
                and not _names_only(segment, issuer):
            return sentence_case(segment, [], paragraphs)
    stem = re.sub(r"[-_\s]+", " ", PurePath(file_name).stem).strip()
    readable = None if re.fullmatch(r"[0-9a-fA-F]{8,}", stem) else stem
    return (_promulgated(paragraphs, doc_type)
            or (f"{doc_type} {number}" if doc_type and number else None) or readable
            or _first_sentence(paragraphs) or stem or file_name)


def _names_only(title: str, issuer: str | None) -> bool:
    """Say whether a title is nothing but the name of an agency ("Văn phòng Trung ương Đảng")."""
    spans = agency_spans(title)
    return fold(title) == fold(issuer or "") or (len(spans) == 1 and spans[0] == (0, len(title)))


def _portal_title(paragraphs: Sequence[str], doc_type: str | None, number: str | None) -> str | None:
    """Return "<type> <number> <trích yếu>" from a portal's line about the document."""
    if not (doc_type and number):
        return None
    # The issuer holds no " do ": "... bị tổn thất do bão lũ ... do Cục Thuế ban hành"
    line = re.compile(rf"(?:^|(?<=\. )){re.escape(doc_type)} (?:số )?{re.escape(number)}"
                      r"(?: năm \d{4}| ngày [\d/]+)? ([^\W\d].{8,300}?) do (?:(?! do )[^.;]){3,160}? ban hành(?!\w)")
    for paragraph in paragraphs:
        if (m := line.search(paragraph)) and m.group(1)[0].islower():
            return f"{doc_type} {number} {m.group(1)}"
    return None


def _promulgated(paragraphs: Sequence[str], doc_type: str | None) -> str | None:
    """Return the trích yếu the body promulgates: "... ban hành Thông tư sửa đổi, bổ sung ..."."""
    if not doc_type:
        return None
    line = re.compile(rf"^[^\W\d][^;:]{{3,160}}? ban hành {re.escape(doc_type)} ([^\W\d][^;]{{8,400}}?)\.?$")
    for paragraph in paragraphs[:HEADER_PARAGRAPHS * 2]:
        if (m := line.match(paragraph)) and m.group(1)[0].islower() and not _BODY.match(paragraph):
            return m.group(1)[0].upper() + m.group(1)[1:]
    return None


def _first_sentence(paragraphs: Sequence[str]) -> str | None:
    """Return the first sentence of the text that is neither a label, a heading nor an address."""
    for paragraph in paragraphs[:HEADER_PARAGRAPHS * 2]:
        if len(paragraph.split()) < 6 or _is_upper(paragraph) or _KV.match(fold(paragraph)) or \
                re.match(r"(?:Kính gửi|Nơi nhận|Căn cứ)\b", paragraph):
            continue
        sentence = re.split(r"(?<=[.;!?])\s", paragraph, maxsplit=1)[0].rstrip(" .;")
        return sentence if len(sentence) <= 200 else sentence[:200].rsplit(" ", 1)[0] + " …"
    return None


def _segments(paragraphs: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Split header paragraphs into cells without rules or mottos; pull out crawler key-values."""
    segments, key_values, label, seen_heading = [], {}, None, False
    for cell in (c for p in paragraphs[:HEADER_PARAGRAPHS] for c in re.split(r"\s*\|\s*|\s+(?=V/[vV]\s)", p)):
        cell = re.sub(r"\s+", " ", re.sub(r"[-–—_=.]{3,}|\*", " ", cell)).strip()
        m = _KV.match(fold(cell))
        if label and cell:  # the value of a label that ended the previous cell
            key_values.setdefault(label, cell)
            label = None
        elif m and m.group(1):
            label, value = m.group(1), cell[m.start(2):].strip()
            if value:
                key_values.setdefault(label, value)
                label = None
        elif cell:
            if m:  # a crawled page's title with the first label glued to its end
                label, cell = m.group(4), cell[:m.end(3)].strip()
            if not seen_heading:  # below the heading, a motto's words belong to a title
                for motto in reversed(list(_MOTTO.finditer(fold(cell)))):
                    if cell[motto.start():motto.end()].isupper() or motto.group(0).startswith("doc"):
                        cell = cell[:motto.start()] + " " + cell[motto.end():]
                cell = re.sub(r"\s+", " ", cell).strip(" -–,")
            seen_heading = seen_heading or (_heading(cell) is not None and cell.isupper())
            segments += [cell] if cell else []
    return segments, key_values


def _body_start(segments: list[str]) -> int:
    return next((i for i, s in enumerate(segments) if _BODY.match(s)), len(segments))


def _clean_number(text: str) -> str | None:
    m = _NUMBER.match(text.strip())
    return re.sub(r"\s+", "", m.group(0)) if m else None


def _find_number(segments: list[str]) -> str | None:
    """Return the số hiệu after the first "Số:" label, in its paragraph or the next."""
    for i, segment in enumerate(segments):
        label = _NUMBER_LABEL.search(segment)
        rest = segment[label.end():] or (segments[i + 1] if i + 1 < len(segments) else "") if label else ""
        if _clean_number(rest):
            return _clean_number(rest)
    return None


def _heading(segment: str) -> tuple[str, str] | None:
    """Return (type, text after it) where segment opens with a type in capitals ("QUYẾT ĐỊNH")."""
    for name in DOC_TYPES:
        rest = segment[len(name):] if segment.startswith(name.upper()) else None
        if rest is not None and not rest.lstrip().startswith(":") and \
                (not rest or not rest[0].isalnum() or rest[0].isupper()):
            return name, rest.strip()
    return None


def _find_heading(segments: list[str]) -> tuple[str | None, str | None, str | None]:
    """Return the type heading, the trích yếu under (or glued to) it and the authority line."""
    anchored = False
    if segments and segments[0].endswith("?"):  # a question-and-answer page quoting forms, not a document
        return None, None, None
    for i, segment in enumerate(segments):
        found = _heading(segment)
        # "QUY ĐỊNH TÊN GỌI..." opening a crawled excerpt is a title, not a heading: trust a
        # heading with text after it only once the header's number or date was seen.
        if not found or (found[1] and segment[len(segment) - len(found[1]) - 1] == " " and not anchored):
            anchored = anchored or bool(_NUMBER_LABEL.match(segment) or _PLACE_DATE.match(segment))
            continue
        issuer = fold(" ".join(s for s in segments[:i] if _is_upper(s) and len(s) < 120))
        parts, authority = [found[1]] if found[1] else [], None
        for following in segments[i + 1:]:  # "ỦY BAN NHÂN DÂN ..." or "CHỦ TỊCH ..." under the title ends it
            folded = fold(following)
            if _AUTHORITY.match(folded) or (issuer and folded.startswith(issuer)):
                authority = following
                break
            if _NUMBER_LABEL.match(following) or _DATE.match(following) or _PLACE_DATE.match(following) or parts and not (
                    _CONNECTOR.match(folded) or re.search(r"(?:,|\b(?:VỀ|VÀ|CỦA|TẠI))$", parts[-1])):
                break
            if parts and following[:1].isupper() and not _is_upper(following):  # the body's first sentence
                break
            if folded not in fold(" ".join(parts)):  # a title repeated under its glued heading
                parts.append(following)
        return found[0], _caps_part(" ".join(parts)) or None, authority
    return None, None, None


def _caps_part(text: str) -> str:
    """Cut a capitals title where a mixed-case sentence of the body starts in the same paragraph."""
    def unglue(m: re.Match) -> str:  # "BAN BÍ THƯvề": a lost line break joined two words
        word, k = m.group(0), next((i for i, c in enumerate(m.group(0)) if c.islower()), 0)
        return f"{word[:k]} {word[k:]}" if k >= 3 and word[:k].isupper() and word[k:].islower() else word

    words = re.sub(r"[^\W\d_]{5,}", unglue, text).split(" ")
    if len(words) > 3 and all(_is_upper(w) or not re.search(r"[^\W\d_]", w) for w in words[:3]):
        first_mixed = next((k for k, w in enumerate(words) if any(c.islower() for c in w)), None)
        if first_mixed is not None and words[first_mixed][0].isupper():
            words = words[:first_mixed]
    return " ".join(words)


def _is_upper(segment: str) -> bool:
    letters = [c for c in segment if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _find_date(segments: list[str]) -> tuple[str, str] | None:
    """Return (ISO date, place) from the "<place>, ngày D tháng M năm YYYY" line."""
    for segment in segments:
        m = _PLACE_DATE.match(segment)
        words = m.group(1).split() if m else []
        if m and len(words) <= 6 and all(w[0].isupper() or w in ("phố", "xã", "trấn") for w in words):
            if _parse_date(segment[m.end():], alone=True):
                return _parse_date(segment[m.end():]), m.group(1)
        elif _parse_date(segment, alone=True):
            return _parse_date(segment), ""
    return None


def _parse_date(text: str, alone: bool = False) -> str | None:
    """Return the ISO date that text opens with; alone: only if little else follows it."""
    m = _DATE.match(text.strip())
    if not m or (alone and len(text.strip()) - m.end() > 15):
        return None
    day, month, year = (int(g) for g in (m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)))
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # "ngày 31 tháng 2": not a real date
        return None


def _find_issuer(segments: list[str]) -> str | None:
    """Return the issuing body: the capitalised lines just before the first header field."""
    lines: list[str] = []
    for segment in segments:
        label = _NUMBER_LABEL.search(segment)
        if label or _PLACE_DATE.match(segment) or _heading(segment):
            if label and label.start() and _is_upper(segment[:label.start()]):  # "CHÍNH PHỦ Số: 170/..."
                lines.append(segment[:label.start()].strip())
            break
        lines = lines + [segment] if _is_upper(segment) and len(segment) < 120 and not segment[0].isdigit() else []
    else:
        return None  # capitals never followed by a number, date or heading: not a header
    if len(lines) == 1:  # "BỘ TÀI CHÍNH CỤC THUẾ" in one paragraph: the parent, then the issuer
        party = _PARTY_UNIT.match(fold(lines[0]))
        lines = [lines[0][:party.end()], lines[0][party.end() + 1:]] if party else re.split(
            r"(?<=\w) (?=(?:TỔNG CỤC|CHI CỤC|CỤC|SỞ|VĂN PHÒNG|TRUNG TÂM) )", lines[0], maxsplit=1)
    parent, child = (lines or [""])[0], ""
    for line in lines[1:]:  # a unit's line starts the issuer under its parent; others continue
        if child or _UNIT.match(fold(line)):
            child = f"{child} {line}".strip()
        else:
            parent += " " + line
    if not child:
        return _org_case(parent) if parent else None
    if (party := _party_issuer(parent, child)) is not None:
        return party
    if fold(parent).startswith("ban chap hanh trung uong"):
        return _org_case(child) + (" Trung ương Đảng" if fold(child) == "van phong" else " Trung ương")
    if re.match(r"(?:tinh|thanh|huyen|dang) uy", fold(parent)) and \
            re.match(r"ban |van phong|uy ban", fold(child)):
        return f"{_org_case(child)} {_org_case(parent)}"  # Ban Tuyên giáo Tỉnh ủy Thái Nguyên
    return _org_case(child)


def _party_issuer(parent: str, child: str) -> str | None:
    """Name a Party committee by its Đảng bộ: "ĐẢNG BỘ TỈNH THÁI NGUYÊN / TỈNH ỦY" is Tỉnh ủy Thái Nguyên.

    A committee named by its level ("Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy") takes the place's
    name; "Đảng ủy" does not say its level, so it takes the level too ("Đảng ủy xã Tân Lập").
    """
    level = re.match(r"dang bo (tinh|thanh pho|huyen|quan|thi xa|xa|phuong|dac khu) (?=\w)", fold(parent))
    if not level or re.search(r"\b(?:tinh|thanh pho|huyen|quan|xa|phuong) (?!uy\b)\w", fold(child)):
        return None  # not a Đảng bộ, or the committee names its own place
    place = _org_case(parent).split(" ", 2)[2]  # "tỉnh Thái Nguyên"
    if re.search(r"(?:tinh|thanh|huyen|quan|thi) uy$", fold(child)):
        return f"{_org_case(child)} {place.split(' ', len(level.group(1).split()))[-1]}"
    return f"{_org_case(child)} {place}" if fold(child).endswith("dang uy") else None


def _authority_issuer(line: str | None) -> str | None:
    """Return the issuer named by the authority line under a headerless title ("QUỐC HỘI")."""
    words = (line or "").split()
    caps = " ".join(words[:next((k for k, w in enumerate(words) if not _is_upper(w)), len(words))])
    caps = re.sub(r"^(?:BỘ TRƯỞNG|THỦ TRƯỞNG|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG|GIÁM ĐỐC|THỐNG ĐỐC) (?=\w)|"
                  r",? KH(?:ÓA|OÁ) .*$", "", caps)
    return _org_case(caps) if caps else None


def _canonical_type(text: str) -> str | None:
    return next((t for t in DOC_TYPES if fold(t) == fold(text.strip())), None)


def _code_parts(number: str | None) -> list[str]:
    m = _NUMBER.match(number or "")
    return [re.sub(r"\d+$", "", p) for p in re.split(r"[-/]", m.group(4))] if m else []


def _type_from_code(number: str | None) -> str | None:
    parts = _code_parts(number)
    if parts == ["QH"]:  # 60/2024/QH15: a law carries only the Quốc hội's code
        return "Luật"
    return TYPE_CODES.get(parts[0]) if len(parts) > 1 else None


def _issuer_code(number: str | None) -> str:
    """Return the issuer's part of a số hiệu: "CP" in 09/2025/NĐ-CP, "BNV" in 10988/BNV-CQĐP."""
    parts = _code_parts(number) or [""]
    return parts[-1] if parts[0] in TYPE_CODES or len(parts) == 1 else parts[0]
