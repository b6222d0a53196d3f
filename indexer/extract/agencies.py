"""Agencies as official documents name them: split a list of them, tell named bodies from
generic groups, and normalise a name for filtering (abbreviations expanded, the province of a
provincial document attached).

"Sở Tư pháp và các sở, ban, ngành Thành phố, Đài Phát thanh và Truyền hình Thành phố" is three
agencies: a list splits where a new agency begins (a capitalised head word such as Sở, Đài,
Ủy ban; "các …" after "và"; a generic head after a named body), never inside a name ("Bộ Văn
hóa, Thể thao và Du lịch") or inside a generic list ("các cơ quan, đơn vị, địa phương").
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import vietnamese
from ..vietnamese import CAPITALS

# The readers of a task fold the same clause in turn (assignment, execution, action): each is
# folded once.
fold = lru_cache(maxsize=8192)(vietnamese.fold)

# Words that open an agency's name (folded), longest first.
_NAMED_HEADS = sorted((
    "so", "bo", "ban", "uy ban", "ubnd", "hdnd", "hoi dong", "dai", "cuc", "chi cuc", "tong cuc",
    "cong an", "bo chi huy", "bo doi", "trung tam", "van phong", "vien", "toa an", "kho bac",
    "ngan hang", "chi nhanh", "bao hiem", "thanh tra", "lien doan", "lien minh", "hiep hoi", "hoi",
    "doan", "tinh uy", "thanh uy", "dang uy", "dang doan", "ban can su", "mat tran", "bao",
    "truong", "hoc vien", "cang vu", "quy dau tu", "quy ho tro", "quy phat trien", "tap doan", "tong cong ty", "cong ty", "chu tich",
    "pho chu tich", "pho thu tuong", "giam doc", "thu truong", "nguoi dung dau", "chanh van phong", "chanh",
    "bo truong", "truong ban", "vu", "thue", "kiem toan", "thong tan xa", "tieu ban", "to cong tac",
    "ban chi dao", "thuong truc", "bo tu lenh", "quan khu", "canh sat", "doanh nghiep", "tinh",
    "uy ban mat tran", "chinh phu", "thu tuong", "quoc hoi", "cac dong chi", "dong chi",
    "ban thuong vu", "ban chap hanh", "nha cung cap", "nha dau tu", "dang bo", "cap uy",
    "pho truong ban", "uy vien", "thanh vien", "quy co quan", "quy don vi", "to truong",
    "tong giam doc", "hieu truong", "phong", "giao vu", "chu nhiem lop",
    "ban giam doc", "dai dien", "vu truong", "pho vu truong", "cuc truong", "pho cuc truong",
    "tong cuc truong", "vien truong", "truong phong", "chanh thanh tra", "chanh an", "thong ke",
    "to dai bieu",
), key=len, reverse=True)
# Heads that, written in lower case, are the activity rather than the body: "Cục Quản lý, giám sát
# kế toán, kiểm toán" is one Cục, not a Cục and the State Audit.
_ACTIVITY_HEADS = ("kiem toan", "thanh tra", "thue", "bao hiem", "thong ke")
# ("chính quyền địa phương" is generic; as a sentence's subject it opens a duty too, "Chính quyền
# địa phương ở đơn vị hành chính cấp xã trước sắp xếp tiếp tục hoạt động cho đến khi …")
_GENERIC_HEADS = ("cac", "chinh quyen", "co quan", "don vi", "dia phuong", "to chuc", "nguoi dung dau",
                  "thu truong", "doanh nghiep", "nha dau tu", "doi tuong", "cap uy", "uy ban nhan dan xa",
                  "ubnd xa", "ubnd cap", "uy ban nhan dan cap")
# "các" and a noun for agencies opens a group of them: "các sở, ban, ngành", "các cấp ủy".
_GROUP_NOUNS = ("so", "bo", "co quan", "don vi", "dia phuong", "cap", "to chuc", "tinh", "xa",
                "phuong", "doanh nghiep", "ban", "nganh", "thanh vien", "dong chi", "hoi", "doan the",
                "huyen", "thanh pho", "tap doan", "tong cong ty", "nha", "chu dau tu", "chi bo",
                "dang bo", "cap uy", "truong hoc", "benh vien", "trung tam", "tieu ban", "uy ban",
                "co so", "ngan hang", "cuc", "vu", "chi cuc", "tinh uy", "thanh uy", "huyen uy",
                "dang uy", "hiep hoi", "lien doan", "quan khu", "don vi su nghiep", "chu tich",
                "thu truong", "giam doc", "bo truong", "nguoi dung dau", "lanh dao", "dai", "bao",
                "van phong", "luc luong", "chu rung", "uy vien", "phong", "ca nhan")
_HEAD = re.compile(r"^(?:(?:%s)\b|cac (?:%s)\b)" % (
    "|".join(re.escape(h) for h in _NAMED_HEADS), "|".join(re.escape(n) for n in _GROUP_NOUNS)))
# Qualifiers that follow a list of agencies but name none: "… trong phạm vi chức năng của mình".
_QUALIFIER = re.compile(r"\s+(?:trong phạm vi|theo chức năng|theo thẩm quyền|căn cứ chức năng|"
                        r"theo quy định|theo lĩnh vực|(?:ở|tại) (?:các )?cấp\b)\b.*$|"
                        r",?\s+trong đó (?:trọng tâm|chủ yếu|nhất là) là\b.*$|"  # "…, trong đó
                        # trọng tâm là các tỉnh: Đắk Lắk, …": the list is the lead, its focus no more
                        r"\s*\((?:nếu có|theo[^)]*)\)\s*$")
# What a bracket after a name adds is not the name: "Cục Thuế (để báo cáo)", "Công an tỉnh (qua
# Phòng An ninh chính trị nội bộ)", "Cục Công nghiệp công nghệ thông tin (Bộ Khoa học và Công nghệ)".
_BRACKETED = re.compile(r"(?<=\S)\s*\([^()]*\)$")
_SHARED_HEAD = re.compile(r"^((?:Giám đốc|Thủ trưởng|Lãnh đạo|Bộ trưởng) )?(?:[Cc]ác )?"
                          r"(Bộ|Sở|Cục|Vụ|Ban|Tổng cục|Tập đoàn|Tổng công ty)"
                          r"(?:, (?:cơ quan|ngành|đơn vị))?\s*:\s*(.+)$")
# Names that hold "và" or a comma themselves, read whole in a list after a shared head.
_WHOLE_NAMES = tuple(sorted(vietnamese.MINISTRIES, key=len, reverse=True))


def _shared_names(names: str) -> list[str]:
    """Split "Tư pháp, Nông nghiệp và Môi trường, Văn hóa, Thể thao và Du lịch" into names,
    keeping whole the ministries' own (which hold "và" and commas)."""
    found, rest = [], names.strip()
    while rest:
        whole = next((name for name in _WHOLE_NAMES if rest.startswith(name) and
                      re.match(r"\s*(?:,|và\b|$)", rest[len(name):])), None)
        if whole:
            found.append(whole)
            rest = rest[len(whole):]
        else:
            piece = re.match(r"(.+?)(?=,|\s+và\s+|$)", rest)
            found.append(piece.group(1))
            rest = rest[piece.end():]
        rest = re.sub(r"^\s*(?:,|và\b)\s*", "", rest)
    return [name.strip(" .;") for name in found if name.strip(" .;")]

ABBREVIATIONS = {  # in agency names, as written → as spelled out
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ": "Mặt trận Tổ quốc", "KH&CN": "Khoa học và Công nghệ", "KHCN": "Khoa học và Công nghệ",
    "KH&ĐT": "Kế hoạch và Đầu tư", "TN&MT": "Tài nguyên và Môi trường",
    "TNMT": "Tài nguyên và Môi trường", "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo", "NN&MT": "Nông nghiệp và Môi trường",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn", "TT&TT": "Thông tin và Truyền thông",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch", "VH-TT-DL": "Văn hóa, Thể thao và Du lịch",
    "VH,TT&DL": "Văn hóa, Thể thao và Du lịch", "LĐTBXH": "Lao động - Thương binh và Xã hội",
    "LĐ-TB&XH": "Lao động - Thương binh và Xã hội", "GTVT": "Giao thông vận tải",
    "BCHQS": "Bộ Chỉ huy Quân sự", "CHQS": "Chỉ huy Quân sự", "DLQGVN": "Du lịch Quốc gia Việt Nam",
    "TTHC": "thủ tục hành chính", "ĐBQH": "đại biểu Quốc hội", "CĐS": "chuyển đổi số",
}
_ABBREVIATION = re.compile(r"(?<![\w&,-])(%s)(?![\w&-])" % "|".join(
    re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)))


# One-word heads that are also common words ("Ban hành", "Bộ quy tắc", "Báo cáo", "số hóa"):
# they open a name only before a capitalised word ("Ban Chỉ đạo", "Bộ Tài chính").
# Each as an agency is written exactly so ("Sở", not "Số"; "Tỉnh", not "Tính").
_SHORT_HEADS = {"so": "sở", "bo": "bộ", "ban": "ban", "cuc": "cục", "vu": "vụ", "vien": "viện",
                "hoi": "hội", "doan": "đoàn", "bao": "báo", "truong": "trường", "dai": "đài",
                "thue": "thuế", "tinh": "tỉnh", "chanh": "chánh", "phong": "phòng",
                "thong ke": "thống kê"}


def starts_agency(text: str) -> bool:
    """Say whether text opens with a word that opens an agency's name."""
    text = text.lstrip(" ,;:-–•+")
    folded = fold(text)
    if re.match(r"(?:don vi tinh|doi tuong ap dung|pham vi dieu chinh)\b", folded):
        return False  # "Đơn vị tính" is a unit of measure; "Đối tượng áp dụng:" a section's label
    if re.match(r"[Mm]ỗi (?:tỉnh|thành|đảng|bộ|xã|sở|cơ quan|đơn vị|địa phương|ban|cấp)\b", text):
        return True  # "Mỗi tỉnh ủy, thành ủy chọn cử …" (not "mới", "mọi": folded, all read "moi")
    head = _HEAD.match(folded)
    if head is None:  # "Thành phố Hà Nội …" in a central document; "Thành phố" alone qualifies
        return re.match(r"(?:co quan|don vi|doi tuong|nguoi dung dau|ca nhan|chinh quyen dia phuong|"
                        r"to chuc(?:,| va| hoac) (?:ca nhan|doanh nghiep))\b", folded) is not None or \
            re.match(r"Thành phố [A-ZĐ]", text) is not None
    if head.group() in _SHORT_HEADS:
        if text[:head.end()].lower() != _SHORT_HEADS[head.group()]:
            return False
        following = text[head.end():].lstrip()
        if head.group() == "ban" and re.match(r"(?:quản lý|chỉ đạo|điều hành) ", following):
            return True  # "Ban quản lý Khu Kinh tế …", written without the capital
        if head.group() == "vien" and re.match(r"kiểm sát nhân dân\b", following):
            return True  # "Viện kiểm sát nhân dân tỉnh", written without the capital
        if head.group() in ("thue", "thong ke") and \
                re.match(r"(?:tỉnh|thành phố|cơ sở) [A-ZĐ0-9]", following):
            return True  # "Thuế tỉnh Đắk Lắk", "Thuế cơ sở 3", "Thống kê tỉnh Bắc Ninh": since 2025
        if head.group() == "so" and re.match(r"quản lý (?:chuyên )?ngành\b", following):
            return True  # "Sở quản lý ngành, lĩnh vực": whichever Sở manages the field
        if head.group() == "tinh" and text[:1].isupper():
            return True  # "Tỉnh tổng hợp …": a central document speaks to one province
        return following[:1].isupper() or following[:1].isdigit() or \
            bool(re.match(r",\s*(?:ban|ngành|sở)\b", following)) or \
            head.group() == "bao" and re.match(r"và [A-ZĐ]", following) is not None
        # "Sở, ban, ngành …"; "Báo và Phát thanh, Truyền hình <tỉnh>", merged in 2025
    return True


def _named(segment: str) -> bool:
    return segment[:1].isupper() and not fold(segment).startswith(_GENERIC_HEADS) and \
        not segment.startswith("Mỗi ")  # "Mỗi tỉnh ủy, thành ủy": one group


def _splits_before(previous: str, rest: str, joiner: str) -> bool:
    """Say whether a new agency starts at `rest`, after `previous` and a joiner (, ; và)."""
    folded = fold(rest)
    if re.match(r"[A-ZĐ]{2,}\b", rest) and len(previous.split()) >= 2:
        return True  # "…, ACV": an agency by its acronym
    if not _HEAD.match(folded) and not folded.startswith(_GENERIC_HEADS):
        return False
    if len(previous.split()) < 2 or re.match(r"(?:ban|nganh|so)\b", folded) and rest[:1].islower():
        return False  # "Sở, ban, ngành …": one group, not a Sở and a ban
    if rest[:1].isupper():
        return True  # "…, Đài Phát thanh", "… và Ủy ban nhân dân": a new named body
    if folded.startswith(_ACTIVITY_HEADS):
        return False
    if joiner == "và" and folded.startswith("dai bieu "):
        return True  # "các Tổ đại biểu và đại biểu Hội đồng nhân dân tỉnh": the groups and each one
    if joiner == "và" and re.match(r"(?:co quan|don vi)(?:, (?:co quan|don vi|to chuc))*(?: co)? "
                                   r"lien quan\b", folded):
        return True  # "các sở, ban, ngành và cơ quan, đơn vị có liên quan": the others
    if folded.startswith("cac ") and (joiner == "và" or fold(previous).startswith("cac ") or
                                      len(previous.split()) >= 4):
        return True  # "Sở Tư pháp và các sở, ban, ngành"; "các cấp ủy, …, các cơ quan, …";
        # "Ủy ban nhân dân cấp xã, các phòng, ban chuyên môn …"
    return _named(previous)  # "Đài …, cơ quan thông tấn": a generic one after a named one


# Provinces named after one head: "Các tỉnh Nghệ An, Quảng Ngãi", "Ủy ban nhân dân các tỉnh,
# thành phố: Tuyên Quang, Hồ Chí Minh" → one entry each ("thành phố" for a central city).
_PROVINCES_HEAD = re.compile(r"^(?:(Ủy ban nhân dân|UBND) )?[Cc]ác (?:tỉnh, thành phố\s*:|tỉnh\s*:?)"
                             rf"\s*((?:[{CAPITALS}][^\s,;:]*\s?)+(?:(?:,\s*|\s+và\s+)"
                             rf"(?:[{CAPITALS}][^\s,;:]*\s?)+)*)$")
CENTRAL_CITIES = ("ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue")
# Emphasis inside a list names one more agency: "các bộ, ngành, nhất là ACV" → …, ACV.
_EMPHASIS = re.compile(r",\s*(?:nhất là|đặc biệt là|trong đó có)\s+")


def _provinces(head: str | None, names: str) -> list[str]:
    found = []
    for name in re.split(r",\s*|\s+và\s+", names.strip()):
        kind = "thành phố" if fold(name) in CENTRAL_CITIES else "tỉnh"
        found.append(f"{head} {kind} {name}" if head else f"{kind} {name}")
    return found


# Where a name ends and its task begins though no word says so: a crawl that lost the line
# break after the name ("Giao Sở Xây dựng Theo dõi, đôn đốc …", "… đặc khu - Phối hợp …"),
# or the request's own verb ("đề nghị các cơ quan, đơn vị có văn bản báo cáo").
_GLUED_TASK = re.compile(
    r"(?<=[a-zà-ỹđ])\s+(?:[-–]\s+)?(?:Theo dõi|Chỉ đạo|Khẩn trương|Phối hợp|Chủ trì|Tổ chức|"
    r"Thực hiện|Hướng dẫn|Rà soát|Triển khai|Tiếp tục|Nghiên cứu|Tham mưu|Đôn đốc|Kiểm tra|"
    r"Cập nhật|Chia sẻ|Bố trí|Chịu trách nhiệm)\b.*$|\s+có\s+(?:văn bản|ý kiến)\b.*$")


def _task_cut(phrase: str) -> str:
    """The phrase up to a glued task (_GLUED_TASK), unless the verb names a body itself,
    right after its head: "Ban Chỉ đạo", "Ban Tổ chức Trung ương", "Vụ Tổ chức cán bộ"."""
    for found in _GLUED_TASK.finditer(phrase):
        before = fold(phrase[:found.start()]).split()
        heads = set(_NAMED_HEADS) | {"phong", "to", "tieu ban"}
        if before and before[-1] not in heads and " ".join(before[-2:]) not in heads:
            return phrase[:found.start()]
    return phrase


def split_agencies(phrase: str) -> list[str]:
    """Split a written list of agencies into one entry per agency (see the module's docstring)."""
    phrase = _task_cut(_EMPHASIS.sub(", ", phrase.strip(" .,;:")))
    if _SHARED_HEAD.match(phrase):  # "Các Bộ: Tài chính, Xây dựng" → Bộ Tài chính, …
        return _expanded(phrase)
    if listed := re.match(r"[Cc]ác (Bộ|Sở) (?=[A-ZĐ])(.+)$", phrase):  # "Các Bộ Quốc phòng, Công an"
        names = [name.strip() for name in re.split(r",\s*|\s+và\s+", listed.group(2))]
        if len(names) >= 2 and all(n[:1].isupper() and len(n.split()) <= 5 for n in names):
            return [f"{listed.group(1)} {name}" for name in names]
    if provinces := _PROVINCES_HEAD.match(phrase):
        return _provinces(*provinces.groups())
    if party := re.match(r"[Cc]ác (Đảng (?:ủy|uỷ)|Ban cán sự đảng) (?=Bộ [A-ZĐ])(.+)$", phrase):
        names = [name.strip() for name in re.split(r",\s*|\s+và\s+", party.group(2))]
        if all(name.startswith("Bộ ") and len(name.split()) <= 6 for name in names):
            return [f"{party.group(1)} {name}" for name in names]  # "Các Đảng ủy Bộ A, Bộ B"
    found: list[str] = []
    for part in re.split(r"\s*;\s*", phrase):
        current, position = "", 0
        for match in re.finditer(r",\s+|\s+và\s+", part):
            current += part[position:match.start()]
            joiner = "và" if "và" in match.group() else ","
            if _splits_before(current, part[match.end():], joiner):
                found.append(current)
                current = ""
            else:
                current += match.group()
            position = match.end()
        found.append(current + part[position:])
    entries = [_BRACKETED.sub("", _unqualified(entry)).strip(" .,;:") for entry in found
               if entry.strip(" .,;:")]
    return [name for entry in entries for name in _expanded(entry)]


def _unqualified(entry: str) -> str:
    """The entry without the qualifier after it, but "Các cơ quan theo thẩm quyền" (the
    competent bodies) is whole: "Các cơ quan" alone names no one."""
    if re.fullmatch(r"\s*(?:các )?cơ quan theo thẩm quyền\s*", entry, re.IGNORECASE):
        return entry
    return _QUALIFIER.sub("", entry)


def _expanded(entry: str) -> list[str]:
    """One entry per body of a list entry that shares a head: "Giám đốc các Sở: Tư pháp, Nông
    nghiệp và Môi trường", "Ủy ban nhân dân các tỉnh: Lào Cai, Đồng Nai"."""
    if provinces := _PROVINCES_HEAD.match(entry):
        return _provinces(*provinces.groups())
    if shared := _SHARED_HEAD.match(entry):
        holder, head, names = shared.groups()
        return [f"{holder or ''}{head} {name}" for name in _shared_names(names)]
    return [entry]


def is_generic(name: str) -> bool:
    """Say whether an agency entry is a group ("các sở, ban, ngành", "UBND các xã, phường")
    rather than one named body."""
    folded = fold(name)
    return (folded.startswith(_GENERIC_HEADS) or " cac " in f" {folded} " or name.startswith("Mỗi ")
            or bool(re.search(r"\bcap (?:xa|huyen|tinh)\b|\bxa, phuong\b|\bphuong, xa\b", folded))
            or folded in ("bo truong", "tinh uy", "doanh nghiep"))


def province_of(issuer: str | None) -> str | None:
    """Return "tỉnh Đồng Tháp" or "thành phố Hà Nội" for a provincial issuer, else None."""
    if not issuer:
        return None
    found = re.search(rf"\b(tỉnh|thành phố|Tỉnh ủy|Thành ủy)\s+((?:[{CAPITALS}][^\s,;()]*\s?)+)",
                      issuer)
    if not found or fold(found.group(2)).startswith("thanh pho"):
        return None
    kind = "tỉnh" if fold(found.group(1)).startswith("tinh") else "thành phố"
    return f"{kind} {found.group(2).strip()}"


def normalized(name: str, province: str | None) -> str:
    """Spell out a name's abbreviations and attach the issuer's province to a local body."""
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], name)
    if not province:
        return text
    kind = province.split()[0]
    place = province[len(kind) + 1:]
    folded = fold(text)
    if fold(place) in folded:
        return text
    if re.search(r"\s(?:tỉnh|Tỉnh|thành phố|Thành phố)$", text):
        return re.sub(r"(?:tỉnh|Tỉnh|thành phố|Thành phố)$", province, text)
    if folded in ("tinh", "thanh pho"):
        return f"Ủy ban nhân dân {province}"
    if re.match(r"(?:so|cong an|van phong|bo chi huy|uy ban nhan dan|hoi dong nhan dan|dai |"
                r"bao |thanh tra|ban quan ly|ban dan toc|cac so|cac co quan|thu truong|"
                r"giam doc|chu tich)", folded) or is_generic(text):
        return f"{text} {province}"
    return text
