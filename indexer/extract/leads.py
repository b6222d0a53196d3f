"""How a line of an official document names the body a task belongs to: a lead field that only
says who leads and who helps ("Sở X chủ trì, phối hợp với Y …"), a heading's bodies ("Các cơ
quan … (Sở A, Ban B)", "(gồm các Sở: …)", "Bộ X chủ trì, phối hợp …:"), and a heading glued to
its first item by a lost line break ("Cục X - Chỉ đạo …", "1. Sở Nội vụ a) Tổ chức …").
"""
from __future__ import annotations

import re

from .agencies import fold, is_generic, split_agencies, starts_agency
from .clauses import agencies_before_verb, directed, first_verb, read_assignment
from .statements import has_action, own_tasks


def roles_only(value: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Read "Sở X chủ trì, phối hợp với Y và các đơn vị có liên quan." — a lead field that names
    who leads and who helps but no action of its own: (lead, cooperating), else None."""
    assignment = read_assignment(value)
    if assignment is None:
        return None
    if not fold(value[assignment.lead_span[1]:]).lstrip(" ,").startswith("chu tri"):
        return None
    if len(own_tasks(0, len(value), value)) > 1:
        return None  # "Sở A chủ trì …; Sở B tổ chức …": each body its own task
    return assignment.lead, assignment.cooperate


_PARTNERS = re.compile(r"(?:chu tri,?\s+)?phoi hop(?: chat che)?(?: voi)?\s+")


def partners_heading(body: str) -> tuple[str, ...] | None:
    """Read a line that only names partners: "a) Chủ trì, phối hợp với các sở, ngành, UBND các
    xã, phường" or "Phối hợp với các sở, ngành:" over items, no action of its own: the partners,
    else None."""
    text = body.strip(" *_").rstrip(" :*")
    folded = fold(text)
    found = _PARTNERS.match(folded)
    if found is None or text.endswith((".", ";")) or not starts_agency(text[found.end():]):
        return None
    if first_verb(folded, found.end(), text) is not None:
        return None  # "Phối hợp với Sở Y tế tổ chức …" is an item
    return tuple(split_agencies(text[found.end():]))


def heading_agencies(name: str, head: str) -> tuple[str, ...]:
    """Return the agencies a heading names; "(gồm các Sở: Xây dựng, …)" lists them; in
    "1. Bộ Tài chính chủ trì, phối hợp với các bộ …:" the lead is the one before "chủ trì"."""
    listed = re.search(r"\(gồm (?:các )?(Sở|Bộ|Cục)\s*:\s*([^)]*)\)", name)
    if listed:
        return tuple(split_agencies(f"{listed.group(1)}: {listed.group(2)}"))
    bracketed = bracketed_bodies(name, head)
    if bracketed:
        return bracketed
    leads = re.search(r"\s+(?:chủ trì|là cơ quan chủ trì)\b", head)
    if leads and starts_agency(head[:leads.start()]) and \
            fold(head[:leads.start()]).strip() not in ("co quan", "don vi"):  # "Cơ quan chủ trì …"
        head = head[:leads.start()]
    elif re.search(r"\.\s|\slà\s", head) and (span := agencies_before_verb(head, fold(head), 0)):
        # "1. Hội đồng Thi đua - Khen thưởng tỉnh xét duyệt …, trước khi báo cáo … Cụ thể:",
        # "Hội đồng … là cơ quan tham mưu cho …, có nhiệm vụ sau:": its subject leads the items
        head = re.sub(r"\s+là\s.*$", "", head[span[0]:span[1]])
    return tuple(name for agency in split_agencies(head) for name in directed(agency))


# Words that open a name but are no name alone: a cut after them splits a name in two ("Ban
# | Chỉ đạo", "Cục | Quản lý thị trường"); "cơ quan ngang bộ", "các Bộ" are whole.
_BARE_HEAD = re.compile(r"(?:^|\s)(?<!ngang )(?<!cac )(?<!noi )(?<!ngoai )(?:so|bo|ban|uy ban|cuc|"
                        r"chi cuc|tong cuc|vu|vien|van phong|trung tam|hoi dong|phong|doan|hoi|"
                        r"tieu ban|to|dai dien)$|(?:,|\s(?:va|la|cua|hoac))$")  # "Cục Tài chính và"


def glued_lead(body: str) -> str | None:
    """Return the agency of a heading whose first item the crawl ran onto its line: "3. Cục
    Đường bộ Việt Nam - Chỉ đạo …", "1. Sở Nội vụ a) Tổ chức triển khai …", "1. Bộ trưởng các
    Bộ, Thủ trưởng cơ quan ngang bộ Tập trung chỉ đạo …" (the item opens with a verb, after a
    dash, its own marker or a capital). A name may hold a dash ("Cục Kinh tế - Quản lý đầu tư
    xây dựng - Chỉ đạo …"): the last cut before a verb counts, not one inside a name ("Ban |
    Chỉ đạo").
    """
    found = None
    for cut in re.finditer(r"\s(?:(?P<dash>[-–+])\s+|(?P<marker>[a-zđ]\))\s+|(?=[A-ZĐ]))(?=[A-ZĐ])",
                           body[:220]):
        name, rest = body[:cut.start()].rstrip(), body[cut.end():]
        verb = first_verb(fold(rest), 0, rest)
        folded = fold(name)
        if not starts_agency(name) or verb is None or verb.start() != 0 or \
                _BARE_HEAD.search(folded) or re.search(r"[.;:()“\"]", name):
            continue
        if cut.group("dash"):  # the dash ends the name: one body, of any words
            whole = len(name.split()) <= 14 and "," not in name
        elif cut.group("marker"):  # the words before it must all be names
            whole = len(name.split()) <= 24 and first_verb(folded, 0, name) is None
        else:  # a capital: the same, and not past a cut already found ("X - Chỉ đạo các Khu …")
            whole = found is None and len(name.split()) <= 24 and first_verb(folded, 0, name) is None
        if whole:
            found = name
    return found


def bracketed_bodies(name: str, head: str) -> tuple[str, ...] | None:
    """Return the bodies a generic heading names in brackets ("Các cơ quan đăng ký đầu tư (Sở
    Tài chính, Ban quản lý Khu Kinh tế)"), not a note ("(cơ quan chủ trì)", "(nếu có)")."""
    found = re.search(r"\(([^()]{3,400})\)", name)
    if found is None or not is_generic(head):
        return None
    names = tuple(split_agencies(found.group(1)))
    if not names or not all(starts_agency(n) for n in names) or all(is_generic(n) for n in names):
        return None
    return names


def has_verb_after_lead(value: str) -> bool:
    assignment = read_assignment(value)
    return assignment is not None and assignment.lead_span[1] < len(value.rstrip(" ."))


_NOT_DUTIES = re.compile(r"(?:\bco (?:cac )?quyen(?: han)?|\bduoc huong\b.*|\b(?:bao )?gom(?: co)?|"
                         r"\b(?:cac |nhung )?(?:dieu kien|tieu chi|tieu chuan)|"
                         r"\bthuoc mot trong (?:cac|nhung) (?:doi tuong|truong hop))"
                         r"(?: (?:nhu )?sau(?: day)?)?\s*:?[\s*]*$")


# An action whose objects are listed: "Sở Tài chính chịu trách nhiệm cập nhật … dữ liệu về giá
# đối với:", "… chứng minh quyền sở hữu bằng một trong những tài liệu sau đây:".
_OBJECTS = re.compile(r"(?:\bdoi voi|\bbang (?:mot trong )?(?:cac |nhung )?(?:tai lieu|giay to|"
                      r"hinh thuc)(?: (?:nhu )?sau(?: day)?)?|"
                      # "Tham mưu UBND tỉnh trình HĐND tỉnh quyết định:" then what is decided
                      r"\btrinh\b.{0,80}\b(?:quyet dinh|phe duyet|ban hanh|thong qua|xem xet)"
                      r"(?: (?:cac|nhung) (?:noi dung|van de))?(?: (?:nhu )?sau(?: day)?)?)\s*:[\s*]*$")


def lists_objects(body: str, folded: str) -> bool:
    """Say whether an introduction's items are the objects of its own action, not tasks."""
    return _OBJECTS.search(folded) is not None and has_action(body)


def lists_no_duties(body: str, folded: str) -> bool:
    """Say whether an introduction lists rights, members or criteria: "X có quyền:", "X
    gồm:", "… các điều kiện sau:"; not duties ("X: Giúp Bộ trưởng …, gồm:")."""
    if not body.rstrip(" *").endswith(":"):
        return False
    start = max((m.end() for m in re.finditer(r"[.;]\s+", folded.rstrip())), default=0)
    listed = _NOT_DUTIES.search(folded, start)  # (in the last sentence; fold keeps offsets)
    if listed is None or re.search(r"nhiem vu|trach nhiem|nghia vu", folded[start:]):
        return False
    # "gồm" lists the parts of what comes before it: members after a name, duties after
    # an action ("Giúp Bộ trưởng quản lý …, gồm:"); rights and criteria are never duties
    return not listed.group().startswith(("gom", "bao gom")) or \
        not has_action(body[start:listed.start()]) or \
        re.search(r"\b(?:gui kem|kem theo|dinh kem)\b", folded[start:]) is not None  # files
