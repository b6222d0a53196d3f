"""Read one clause of an official document as an assignment: who must do it, with whom.

"Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính xây dựng …" names its lead
after "Giao"; "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở …" after the request; "Sở Tài chính
chịu trách nhiệm …" before its verb. The agencies are the words between those markers and the
first verb of the action; "phối hợp (với) …" names the cooperating ones. Sentences that only
report ("đã hoàn thành"), praise ("biểu dương") or introduce a list (ending in ":") assign
nothing themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .agencies import fold, is_generic, split_agencies, starts_agency
from ..vietnamese import CAPITALS
from .spellings import SPELLED

# Verbs that start the action after the agencies (folded, whole words), longest first.
_VERBS = sorted((
    "co trach nhiem", "chiu trach nhiem", "chu tri", "tham muu", "phoi hop", "thuc hien",
    "trien khai", "to chuc", "xay dung", "huong dan", "bao cao", "ra soat", "theo doi",
    "kiem tra", "chi dao", "bo tri", "tong hop", "can cu", "khan truong", "tiep tuc", "tap trung",
    "chu dong", "nghien cuu", "de xuat", "phan anh", "cap nhat", "quan ly", "dam bao", "bao dam",
    "giam sat", "tuyen truyen", "pho bien", "lap", "ban hanh", "trinh", "xem xet", "quan triet",
    "thong bao", "cung cap", "dieu chinh", "hoan thanh", "tiep nhan", "giai quyet", "day manh",
    "tang cuong", "uu tien", "van dong", "don doc", "chuan bi", "hoan thien", "sap xep",
    "thanh lap", "kien toan", "cu", "phan cong", "gui", "rut kinh nghiem", "tiep thu", "lam viec",
    "la co quan dau moi", "lam dau moi", "dieu hanh", "phu trach", "quyet dinh", "nang cao",
    "thuc day", "xu ly", "cong khai", "niem yet", "chuyen", "danh gia", "khao sat", "thong ke",
    "tiep can", "ho tro", "bo sung", "sua doi", "thay the", "van hanh", "ket noi", "tich hop",
    "nghiem tuc", "kip thoi", "quan tam", "tranh thu", "tham gia", "nam bat", "ung dung",
    "tien hanh", "lanh dao", "phan hoi", "gop y", "lay y kien", "tiep tuc", "huy dong", "rut ngan",
    "phat dong", "ra quyet dinh", "xac dinh", "duy tri", "day nhanh", "thuc thi",
    "yeu cau", "de nghi", "giao", "ghi nhan", "bieu duong", "danh gia cao", "hoan nghenh",
    "nhat tri", "thong nhat", "tran trong", "chuc mung", "phai", "ban giao", "cu the hoa",
    "phat huy", "dang ky", "ra quan", "quyet liet", "tich cuc", "khac phuc",
    "dang tai", "doi moi", "lam chu", "lam ro", "lam tot", "phe duyet", "thu thap", "thay mat", "giup",
    "trieu tap", "tham dinh", "dieu tra", "tong ket", "so ket", "tap huan", "boi duong",
    "mo rong", "nhan rong", "xuc tien", "ky ket", "phan bo", "thanh toan", "quyet toan",
    "giai ngan", "thu hoi", "luu tru", "ngan chan", "dau tranh", "xu phat", "di doi",
    "thu hut", "san sang", "tham muu", "dinh huong", "phan cong", "ra soat", "tiep tuc",
    "bam sat", "theo doi", "phoi hop", "tuan thu", "thuc hanh", "chu trong",
    "cong bo", "nop", "hoan tat", "uy quyen", "lien he", "trao doi", "di kiem tra", "xuat cap",
    "chon cu", "tam dung", "co van ban", "can", "no luc", "phan dau", "cau hinh", "xet duyet",
), key=len, reverse=True)
# "tổ chức" names organisations as often as it means "organise".
_NOUN_USE = re.compile(r"to chuc(?= (?:khac|co lien quan|lien quan|dang|chinh tri|doan the|xa hoi|"
                       r"ca nhan|kinh te|tin dung|quoc te|su nghiep|hoi)\b|,| va )|"
                       r"giao(?= (?:thong|dich|luu|tiep|khoan|ket|thoa|duc|dat|rung|nhan)\b)|"
                       r"giup(?= viec\b)|(?<=tuyen )giao\b|(?<=ngoai )giao\b|"
                       r"(?<=ban )chi dao\b|"  # "Văn phòng Ban chỉ đạo …" names
                       # compounds whose last syllable reads as a verb: "đơn vị sự nghiệp công
                       # lập", "Ủy ban bầu cử", "Đoàn Kiểm tra giám sát bầu cử"
                       r"(?<=cong )lap\b|(?<=doc )lap\b|(?<=bau )cu\b|(?<=ung )cu\b|(?<=tuyen )cu\b|"
                       r"(?<=kiem tra )giam sat\b|"
                       # "cơ quan quản lý nhà nước", "Sở quản lý ngành, lĩnh vực": the managing body
                       r"(?<=co quan )quan ly\b|(?<=chuyen mon )quan ly\b|(?<=chuc nang )quan ly\b|"
                       r"(?<=van phong )dang ky\b|can(?= thiet\b)|(?<=dau )can\b|"  # "Văn phòng đăng ký đất đai"
                       r"(?<=so )quan ly(?= (?:chuyen )?nganh\b)|"
                       r"(?<=truoc )sap xep\b|(?<=sau )sap xep\b|"  # "xã trước sắp xếp": the reform
                       r"(?<=qua )trinh\b|(?<=cong )trinh\b|(?<=chuong )trinh\b|"  # "quá trình"
                       r"(?<=co quan, )to chuc\b|(?<=don vi, )to chuc\b|"  # "các cơ quan, tổ chức"
                       r"(?<=cac |moi )\w+")  # "các tổ chức thành viên": a verb never follows "các"
_VERB = re.compile(r"(?<![\w])(?:%s)(?![\w])" % "|".join(re.escape(v) for v in _VERBS))
# What hands work to an agency that follows: "Giao", "Đề nghị", "Yêu cầu". "chỉ đạo" hands
# nothing: in "Bộ trưởng Bộ Xây dựng chỉ đạo Sở Xây dựng các địa phương …" the one who directs
# leads (to direct is the task), as an item "Chỉ đạo các đơn vị …" is its heading agency's.
_ISSUER = (r"(?:ubnd|uy ban nhan dan|chu tich|thu tuong|pho thu tuong|bo truong|ban thuong vu|"
           r"thuong truc|ban chap hanh|bo chinh tri|ban bi thu|van phong chinh phu|lanh dao)"
           r"(?:(?!ban hanh )[^,;:]){0,60}? ")  # not "UBND ban hành Quyết định ủy quyền cho …"
_ASSIGN = re.compile(rf"(?:{_ISSUER})?(?:tran trong |kinh |xin |rat )?(?:giao cho|giao|de nghi|yeu cau|"
                     rf"kien nghi|uy quyen cho|keu goi|mong)\s+")
# A clause that only reports, evaluates or praises.
_REPORTED = re.compile(r"\b(?:da|dang)\s+(?:duoc|co|hoan thanh|thuc hien|trien khai|ban hanh|"
                       r"to chuc|chu dong|tap trung)\b|"
                       # a reply's opening: "Cục Thuế nhận được công văn số … của …"
                       r"\bnhan duoc (?:cong van|van ban|don|thu|to trinh|phieu|de nghi)\b")
_PRAISING = re.compile(r"^(?:bieu duong|ghi nhan|danh gia cao|co ban thong nhat|thong nhat voi|"
                       r"hoan nghenh|chuc mung)")
# Phrases that may stand before the subject: "Trong quá trình thực hiện, nếu có vướng mắc, …".
_FRONTED = re.compile(
    # the closing formula "nếu có khó khăn, vướng mắc (thì)", with and without its commas
    r"(?:(?:neu|khi) (?:co |gap )?kho khan,? vuong mac(?: phat sinh)?(?:,\s*|\s+thi\s+|\s+)|"
    r"(?:(?:dinh ky )?hang (?:nam|quy|thang)|thang \d{1,2} hang nam|"
    r"trong|doi voi|can cu|tren co so|de(?! nghi| xuat| ra)|khi|truong hop|neu|sau khi|thuc hien|nham|ngoai ra|"
    r"dong thoi|ben canh do|tu nay|truoc mat|qua trinh|voi vai tro|"
    r"thu (?:nhat|hai|ba|tu|nam|sau|bay|tam))\b"
    r"[^,;:]{0,160}?(?:,|\s+(?=neu\b))\s*)+")
# A procedure's field that names who does it: "Cơ quan trực tiếp thực hiện TTHC: …", "Đối tượng
# thực hiện TTHC: …", "Cơ quan hoặc người có thẩm quyền quyết định TTHC: …".
_FORM_FIELD = re.compile(r"(?:co quan|doi tuong|nguoi|don vi|bo phan)\b[^:;.,]{0,70}:\s*")
# A topic before the assignment: "1. Về hỗ trợ kinh phí …: Giao Bộ Tài chính …".
_TOPIC = re.compile(r"^(?:ve|doi voi|rieng)\b(?:[^.;]{0,400}?:\s*(?=(?:giao|de nghi|yeu cau|kien nghi)\s)|"
                    r"[^:]{0,300}:\s*)")  # "Về …: tăng … theo vị trí việc làm: giao Bộ Nội vụ …"
# A case before the subject, closed by a colon: "Trường hợp cần điều chỉnh Danh mục …: Sở quản lý
# ngành, lĩnh vực đề xuất …". Unlike a topic, it is part of the task.
_CASE = re.compile(r"truong hop\b[^:;.]{0,200}:\s*")
# A hand-over after a fronted condition: "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị …".
# It follows a comma, or any word when the clause opens with a condition ("Trong quá trình thực
# hiện nếu có vướng mắc đề nghị …"); not a verb inside an action ("có biện pháp yêu cầu …").
_LATE_HANDING = re.compile(r"[,\s]\s*(?:de nghi|yeu cau|giao)\s+")
_CONDITION = re.compile(r"(?:trong qua trinh|qua trinh|neu|truong hop|khi)\b")
# Verbs that hand the action to the agencies after them: "Bộ … yêu cầu Thủ trưởng các cơ quan …".
HANDOVER = re.compile(r"(?:tran trong |kinh |xin |rat )?"
                      r"(?:yeu cau|de nghi|giao cho|giao|keu goi|mong)\s+")
# Verbs that praise or report: what follows assigns nothing.
_PRAISE = re.compile(r"(?:ghi nhan|bieu duong|danh gia cao|hoan nghenh|nhat tri|thong nhat|"
                     r"chuc mung|tran trong)\b")
# "Cục Thuế thông báo để các đơn vị được biết": a notice's closing informs, it assigns nothing.
_INFORMS = re.compile(r"thong bao (?:de|cho|den)\b[^.;]{0,80}?\bbiet\b")
# "… ban hành Kế hoạch …" at the start of a document: what it enacts, not a task.
_ENACTS = re.compile(r"ban hanh (?:kem theo )?(?:quyet dinh|ke hoach|nghi quyet|"
                     r"chi thi|quy dinh|quy che|huong dan|chuong trinh|danh muc|thong tu|"
                     r"nghi dinh)\b")  # "Bộ trưởng Bộ Tài chính ban hành Thông tư quy định …"
# Words between the subject and its verb: modals and adverbs ("Văn phòng sẽ phối hợp …", "Sở Tài
# chính định kỳ hằng quý tổng hợp …", "các địa phương cần chủ động …"); a promise ("sẽ") binds.
_SUBJECT_TAIL = re.compile(r"(?:\s+(?:sẽ|cần|phải|cần phải|trực tiếp|định kỳ(?: (?:hằng|hàng) "
                           r"(?:năm|quý|tháng|tuần))?|thường xuyên|hằng năm|hằng quý|hàng năm|"
                           r"hàng quý))+$|"
                           r"\s+(?:định kỳ|đột xuất|hằng (?:năm|quý|tháng)|thường xuyên)\b.*$|"
                           # "Các Bộ … theo chức năng, nhiệm vụ được giao khẩn trương …", "Các
                           # Sở theo thẩm quyền …", "Các cơ quan khi lập kế hoạch … cần …"
                           r",?\s+theo (?:chức năng|thẩm quyền)\b.*$|"
                           # "Sở quản lý ngành, lĩnh vực đối với hàng hóa, dịch vụ (…) có …"
                           r"\s+(?:đối với|trong quá trình)\b.*$|"
                           r"\s+(?:khi|trước khi|sau khi|ngay khi|trong khi)$")
# An insertion after the subject: "Sở Tài chính, trên cơ sở đề xuất của …, chủ trì …", "Bộ Xây
# dựng với vai trò là cơ quan thường trực …, chủ động …".
_INSERTION = re.compile(r"(?:,\s*(?:trên cơ sở|căn cứ|theo|khi|sau khi)\b| với vai trò (?:là )?)"
                        r"[^;]*$")
_DEADLINE_IN_SUBJECT = re.compile(r"\s+(?:trước|chậm nhất|trong)\s+(?:ngày|tháng|quý|năm)\b")
_COOPERATE = re.compile(r"(?<![\w])phoi hop(?: chat che)?(?: voi)?\s+")
_STOP = re.compile(r"[;:.()]|\s(?:de|nham|trong (?:viec|cong tac|qua trinh)|ve viec|theo)\s")


@dataclass(frozen=True)
class Assignment:
    lead: tuple[str, ...]  # as written
    lead_span: tuple[int, int]  # of the lead agencies in the clause
    cooperate: tuple[str, ...]
    start: int  # where the assignment begins in the clause ("Giao …", the subject, …)


def not_a_verb(folded: str, at: int, original: str = "") -> bool:
    """Say whether the verb-looking words at `at` name something: "giao thông", "Bộ Ngoại
    giao"; or are another word once folded (SPELLED)."""
    if _NOUN_USE.match(folded, at) is not None:
        return True
    verb = _VERB.match(folded, at) if original else None
    if verb is None or verb.group() not in SPELLED:
        return False
    written = original[at:verb.end()].lower()
    return written != verb.group() and written not in SPELLED[verb.group()]


def first_verb(folded: str, start: int, original: str = "") -> re.Match | None:
    """Find the first verb from `start`; one written with a capital is part of a name
    ("Ban Chỉ đạo", "Sở Xây dựng"), not an action, unless it opens the text ("Khắc phục …")."""
    for found in _VERB.finditer(folded, start):
        if original and found.start() > 0 and original[found.start()].isupper():
            continue
        if not_a_verb(folded, found.start(), original) or folded.endswith("duoc ", 0, found.start()):
            continue  # "các cơ quan, tổ chức"; "các đơn vị được giao …" names the agency
        return found
    return None


# A generic head then the verb and object that make a role of it: "Cơ quan thực hiện số hóa",
# "Đơn vị tiếp nhận hồ sơ" (at most five words, then the role's own verb).
_ROLE_HEAD = re.compile(r"(?:cac )?(?:co quan|don vi|bo phan|to chuc|ca nhan|nguoi) ")

# Verbs that make a role of a generic head: "Cơ quan thực hiện số hóa", "Cơ quan quản lý nhiệm vụ".
_ROLE_VERB = re.compile(r"thuc hien|quan ly|tiep nhan|giai quyet|de xuat|to chuc|chu tri|phoi hop|"
                        r"tham dinh|xu ly|cung cap|van hanh|su dung|cap")
# Verbs that say how, not what: "các đơn vị phản ánh kịp thời …" has no role "đơn vị phản ánh".
_MANNER = re.compile(r"kip thoi|nghiem tuc|quyet liet|tich cuc|chu dong|khan truong|tiep tuc|"
                     r"tap trung")


def _role_end(clause: str, folded: str, verb: re.Match) -> int:
    """Return where the role that a generic head and `verb` open ends: before the next verb
    within five words ("Cơ quan thực hiện số hóa | thực hiện các hoạt động sau"), else at
    `verb` (the head alone is the subject)."""
    if not _ROLE_VERB.fullmatch(verb.group()):
        return verb.start()
    words = list(re.finditer(r" (?=[^\W\d_])", folded[verb.end():verb.end() + 60]))
    for number, space in enumerate(words[:6]):
        at = verb.end() + space.end()
        if re.search(r"[,.;:()\d]| va $", folded[verb.end():at]) or _MANNER.match(folded, at):
            break
        if number == 0 and verb.group() not in ("chu tri", "phoi hop"):
            continue  # "cá nhân thực hiện đăng ký …": one action; "Cơ quan chủ trì chuyển …"
        found = _VERB.match(folded, at)  # (of two syllables: "công trình" holds "trình")
        if found and " " in found.group() and not not_a_verb(folded, at, clause):
            return at
    return verb.start()


def agencies_before_verb(clause: str, folded: str, start: int) -> tuple[int, int] | None:
    """Return the span of an agency list that starts at `start` and ends before a verb."""
    if not starts_agency(clause[start:]):
        return None
    # "X có trách nhiệm …" ends the subject even after verbs of a name ("Các cơ quan được giao
    # chủ trì có trách nhiệm …"), but not one far on, in the action ("… và chịu trách nhiệm …").
    duty = re.search(r"(?<![\w])(?:co|chiu) trach nhiem(?![\w])", folded[start:start + 260])
    verb = first_verb(folded, start, clause)
    if duty and (verb is None or duty.start() < 100 or start + duty.start() <= verb.start()):
        end = start + duty.start()
    elif verb is not None:
        end = verb.start()
        if _ROLE_HEAD.fullmatch(folded, start, end):  # "Cơ quan thực hiện số hóa thực hiện …":
            end = _role_end(clause, folded, verb)  # a role named by what it does, then its verb
            if end == verb.start() and _ROLE_VERB.fullmatch(verb.group()) and re.match(
                    r"[^.;:]{0,80}? (?:duoc|la|gom) ", folded[verb.end():]) and \
                    first_verb(folded, verb.end(), clause) is None:
                return None  # "Cơ quan tiếp nhận văn bản kê khai giá … được quy định tại …"
    else:
        return None
    subject = _INSERTION.sub("", clause[start:end].rstrip(" ,"))
    if not re.fullmatch(r"(?:[Cc]ác )?cơ quan theo thẩm quyền", subject):  # the competent bodies
        subject = _SUBJECT_TAIL.sub("", subject)
    subject = _DEADLINE_IN_SUBJECT.split(subject)[0]  # "Giao X trước ngày 15/11/2025 kiểm tra …"
    subject = re.split(r"\s+(?:chỉ|không|chưa) được\s", subject)[0]  # "X chỉ được sử dụng thẻ để …"
    assigned = re.match(r"(.+?)\s+được giao\b", subject)
    if assigned and subject[:1].isupper() and not is_generic(assigned.group(1)):
        subject = assigned.group(1)  # "Sở X được giao quản lý …": Sở X; "các đơn vị được giao …" names
    shared_head = re.match(r"(?:[^:]*\b[Cc]ác )?(?:Bộ|Sở|Cục|Vụ|Tập đoàn|Tổng công ty)(?:, (?:cơ quan|ngành))?"
                           r"\s*:|(?:Ủy ban nhân dân|UBND) các tỉnh, thành phố\s*:", subject)
    if not subject or len(subject) > 260 or re.search(r"[.;]\s", subject) or (
            re.search(r":\s", subject) and not shared_head):
        return None
    if re.search(r"\s(?:là|gồm|bao gồm)\s+(?!cơ quan|đơn vị|đầu mối)", subject):
        return None  # "Phó Trưởng Ban … là Phó Chủ tịch …", "thành viên … gồm …": who is who
    if subject.endswith(" là") or subject.count("(") > subject.count(")"):
        return None  # "Các chủ rừng là tổ chức …" defines; "Sở Tài chính (cơ quan chủ trì)" names
    if re.search(r"(?<![\w])(?:đã|đang|chưa)(?![\w])", subject) or subject.endswith(" không"):
        return None  # "Tỉnh đã tích cực …": what was done, not what is to be
    return start, start + len(subject)


def cooperating(clause: str, folded: str, after: int) -> tuple[str, ...]:
    """Return the agencies named after "phối hợp (với)" in the clause, if any."""
    found = _COOPERATE.search(folded, after)
    if found is None:
        return ()
    start = found.end()
    if not starts_agency(clause[start:]):
        return ()
    verb = first_verb(folded, start, clause)
    if verb is not None and verb.group() in ("chu tri", "phoi hop") and \
            _ROLE_HEAD.fullmatch(folded, start, verb.start()):  # "phối hợp với cơ quan chủ trì
        verb = first_verb(folded, verb.end(), clause)  # giải quyết …": the partner is a role
    stop = _STOP.search(folded, start)
    ends = [m.start() for m in (verb, stop) if m is not None]
    end = min(ends) if ends else len(clause)
    return tuple(split_agencies(clause[start:end]))


def names_who(clause: str, folded: str) -> bool:
    """Say whether a line is a procedure's field that names who does it ("Cơ quan trực tiếp
    thực hiện TTHC: Sở Dân tộc và Tôn giáo."): a name, no duty."""
    form = _FORM_FIELD.match(folded)
    return form is not None and starts_agency(clause[form.end():]) and \
        first_verb(folded, form.end(), clause) is None


def read_assignment(clause: str) -> Assignment | None:
    """Read a clause as an assignment; None when it assigns nothing to a named agency."""
    folded = fold(clause)
    if folded.rstrip().endswith(":") or _PRAISING.match(folded):
        return None
    if names_who(clause, folded):
        return None
    topic = _TOPIC.match(folded)
    begin = topic.end() if topic else 0  # the task starts after its topic, else at the clause
    fronted = _FRONTED.match(folded, begin)
    start = fronted.end() if fronted else begin
    if case := _CASE.match(folded, begin):
        start = max(start, case.end())
    handing = _ASSIGN.match(folded, start)
    if handing is None:
        late = _LATE_HANDING.search(folded, begin, begin + 220)
        if late and not late.group().startswith(",") and not _CONDITION.match(folded, begin):
            late = None
        if late and agencies_before_verb(clause, folded, late.end()):
            handing = late
    if handing and "giáo" in clause[handing.start():handing.end()].lower():
        handing = None  # "Giáo vụ có trách nhiệm …": folded, the teacher's office reads "giao"
    if handing:
        start = handing.end()
    span = agencies_before_verb(clause, folded, start)
    if span is None or _reports(folded[start:]):
        return None
    verb_at = _skip_spaces(folded, span[1])
    if (_PRAISE.match(folded, verb_at) and not HANDOVER.match(folded, verb_at)) or (
            not handing and (_ENACTS.match(folded, verb_at) or _INFORMS.match(folded, verb_at))):
        return None
    label = _VERB.match(folded, verb_at)
    if label and folded[label.end():label.end() + 2].strip().startswith(":"):
        return None  # "Cơ quan giải quyết: …" is a form's label, not an assignment
    if HANDOVER.match(folded, verb_at):  # "X yêu cầu Y …": Y is to do it
        after = HANDOVER.match(folded, verb_at).end()
        span = agencies_before_verb(clause, folded, after) or span
    lead = tuple(split_agencies(clause[span[0]:span[1]]))
    if not lead:
        return None
    return Assignment(lead, span, cooperating(clause, folded, span[1]), begin)


def _reports(folded: str) -> bool:
    """Say whether a clause, from its subject on, reports rather than assigns: "Tỉnh đã hoàn
    thành …". "đã/đang" counts only before the first action: in "Bộ Xây dựng rà soát các tuyến
    đang triển khai thi công" it describes the object, and in a fronted "Đối với các nhiệm vụ
    đã được phân định …, giao …" it comes before the subject.
    """
    found = _REPORTED.search(folded[:200])
    return found is not None and _VERB.search(folded, 0, found.start()) is None


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " ,":
        position += 1
    return position


def lead_in_agencies(clause: str) -> tuple[str, ...]:
    """Return the agencies a list's introduction hands its items to: "… yêu cầu X …:",
    "X có trách nhiệm thực hiện các nhiệm vụ sau:". One that enacts ("Ủy ban nhân dân tỉnh
    ban hành Kế hoạch … như sau:") hands nothing.

    Only its last sentence introduces the list: a paragraph may first state the situation
    ("Thời gian tới, … Văn phòng … cụ thể hóa để tổ chức thực hiện, trong đó cần tập trung một
    số nhiệm vụ trọng tâm sau:").
    """
    clause = _last_sentence(clause)
    folded = fold(clause)
    if re.search(r"\b(?:gui kem|kem theo|dinh kem)\b", folded):
        return ()  # "… gửi kèm bộ Cẩm nang gồm:": the items are the attachments
    handing = _handing_in(folded)
    if handing:
        span = agencies_before_verb(clause, folded, handing.end())
        return tuple(split_agencies(clause[span[0]:span[1]])) if span else ()
    if not re.search(r"(?:co|chiu) trach nhiem|nhiem vu|noi dung|\bsau(?: day)?\s*:\s*$", folded):
        return ()
    if _ENACTS.search(folded) and re.search(r"\bnhu sau\s*:\s*$", folded):
        return ()  # "UBND tỉnh triển khai Đợt thi đua … và ban hành Kế hoạch … như sau:"
    for cut in [0] + [m.end() for m in re.finditer(r"[,;]\s+", clause)]:  # after what it fronts
        if clause.count("(", 0, cut) > clause.count(")", 0, cut):
            continue  # "(… của các tổ chức, cá nhân...)": a bracket names no one who acts
        if starts_agency(clause[cut:]):
            assignment = read_assignment(clause[cut:].rstrip(" :"))
            rest = fold(clause[cut:])
            if assignment is not None and \
                    _DECIDES.match(rest, _skip_spaces(rest, assignment.lead_span[1])):
                return ()  # "… Ủy ban Thường vụ Quốc hội quyết định sắp xếp … như sau:": its decisions
            if assignment is not None:
                return tuple(name for lead in assignment.lead for name in directed(lead))
    return ()


def hands_over(clause: str) -> bool:
    """Say whether a list's introduction hands its items to agencies in so many words ("đề nghị
    Chính phủ …", "giao Sở X …", "ủy quyền cho …"), rather than naming who reports or decides."""
    return _handing_in(fold(_last_sentence(clause))) is not None


def _last_sentence(clause: str) -> str:
    return re.split(rf"(?<=[.;])\s+(?=[{CAPITALS}])", clause.strip())[-1]


def _handing_in(folded: str) -> re.Match | None:
    handing = re.search(r"(?<![\w])(?:giao cho|giao|de nghi|yeu cau|uy quyen cho)\s+", folded)
    return None if handing is None or folded[:handing.start()].endswith("duoc ") else handing


_DECIDES = re.compile(r"quyet (?:dinh|nghi)\b(?! giao\b)")
_DIRECTS = re.compile(r"\s+chỉ đạo\s+")
_EXECUTES = re.compile(r"\s+(?:(?:có|chịu)\s+trách\s+nhiệm|thực\s+hiện|triển\s+khai|tổ\s+chức)\b.*$")


def directed(lead: str) -> list[str]:
    """"Sở X chỉ đạo Chi cục Y thực hiện các nội dung sau" names two bodies that both answer
    for the items: the one that directs and the one that does."""
    parts = _DIRECTS.split(lead, maxsplit=1)
    if len(parts) == 2 and starts_agency(parts[0]) and starts_agency(parts[1]):
        return [parts[0].strip(), _EXECUTES.sub("", parts[1]).strip()]
    return [lead]
