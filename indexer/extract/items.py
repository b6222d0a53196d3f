"""What an item of a list is: a task its heading's agencies do, a number allotted, a project
named; and the record a task is stored as."""
from __future__ import annotations

import re

from ..chunk import heading_level
from ..store import NewRecord
from ..vietnamese import fold
from .agencies import is_generic, normalized
from .deadlines import parse_deadline
from .statements import Task, cooperating_in, deadline_in

# What opens an item ("- ", "2.1.", "a)", "II.") and a labelled field ("Cơ quan chủ trì: …").
MARKER = re.compile(r"^(?:[-+•–]\s+|\d+(?:\.\d+)*[.)]\s*|[a-zđ][.)]\s+|[IVXLC]+[.)]\s+|"
                    r"\((?:\d{1,2}|[a-zđ])\)\s*)")  # "(1) …", "(a) …": items too
FIELD = re.compile(
    r"^[-+•]?\s*(?P<name>(?:co quan|don vi|co quan, don vi)\s*(?:chu tri|thuc hien|"
    r"tham muu thuc hien|phoi hop)(?: tham muu)?(?: thuc hien)?|chu tri|phoi hop|"
    r"thoi (?:gian|han)(?: thuc hien| hoan thanh| ban hanh| trinh)?(?: nhiem vu)?|"
    r"tien do(?: thuc hien)?|san pham|ket qua(?: thuc hien| du kien)?|noi dung(?: thuc hien)?)"
    r"\s*:\s*")
# An item that allots a number: "Ban bầu cử đại biểu Quốc hội: 01 cá nhân/01 ban;".
_QUOTA = re.compile(r"[^:;]{3,120}:\s*(?:khong qua|toi da|moi \w+(?: \w+)? (?:xet )?chon)?\s*\d{1,3}\s*"
                    r"(?:\(\w+\)\s*)?(?:ca nhan|tap the|nguoi|suat)\b")
# An item that only names a project: "- Dự án 1: “Phòng ngừa, đấu tranh tội phạm …”." The
# introduction above such items ("Tổ chức triển khai … các dự án, tiểu dự án …:") is the task.
_NAMED_PROJECT = re.compile(r"^[-+•]?\s*(?:Tiểu dự án|Dự án|Đề án|Chương trình|Đề tài|Nhiệm vụ)\s*"
                            r"[\dIVX]*[^:“\"]{0,30}:\s*\*?[“\"]")


def allots_number(folded: str) -> bool:
    return _QUOTA.match(folded) is not None


def names_project(text: str) -> bool:
    return _NAMED_PROJECT.match(text) is not None


def inherited_task(start: int, end: int, body: str, lead: tuple[str, ...],
                   cooperate: tuple[str, ...] = ()) -> Task:
    """An item done by the agencies above it; its own partners replace the heading's."""
    task = Task(start, end, lead, kind="agency_list")
    deadline_in(task, body)
    task.cooperate = cooperating_in(body) or cooperate
    return task


def is_title(level: int | None, body: str, following: str) -> bool:
    """Say whether a numbered line is the title of the items or text under it ("3. Đẩy nhanh thủ
    tục chuẩn bị đầu tư các dự án" then a), b) …; "1. Về tổ chức bộ máy" then its text): a task
    is the deepest item that states an action. A title takes no closing stop; the item that
    waits for its labelled fields ("Cơ quan chủ trì: …") is no title."""
    if level is None or level > 8 or not following or body.rstrip(" *").endswith((".", ";", ":")):
        return False
    marker = MARKER.match(following)
    after = heading_level(following) or (9 if marker else 10)
    rest = fold(following[marker.end():] if marker else following)
    opening = following[marker.end():] if marker else following
    return after > level and FIELD.match(rest) is None and not opening[:1].islower()


def task_record(text: str, task: Task, province: str | None) -> NewRecord:
    deadline = parse_deadline(task.deadline) if task.deadline else None
    lead = [name for name in task.lead if name]
    return NewRecord(task.start, task.end, {
        "task": text[task.start:task.end],
        "lead": lead, "lead_normalized": [normalized(n, province) for n in lead],
        "cooperate": list(task.cooperate),
        "cooperate_normalized": [normalized(n, province) for n in task.cooperate],
        "deadline": deadline.written if deadline else None,
        "deadline_iso": deadline.iso if deadline else None,
        "deadline_period": deadline.period if deadline else None,
        "product": task.product, "kind": task.kind,
        "generic": bool(lead) and all(is_generic(n) for n in lead),
    })
