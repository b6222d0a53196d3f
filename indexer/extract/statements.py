"""A paragraph's own assignments: its sentences and ";"-clauses read one by one, a new task
wherever a new lead appears ("Các cơ quan được giao chủ trì có trách nhiệm …, các cơ quan phối
hợp có trách nhiệm …" is two), the same lead going on in one task; and the clause that only has
listed bodies execute the act as a whole ("… chịu trách nhiệm thi hành Quyết định này").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import fold, split_agencies, starts_agency
from .clauses import (HANDOVER, Assignment, agencies_before_verb, cooperating, first_verb,
                      not_a_verb, read_assignment)
from .deadlines import find_deadline

_EXECUTION = re.compile(r"(?:chiu|co) trach nhiem (?:thi hanh|thuc hien) (?:quyet dinh|nghi quyet|"
                        r"ke hoach|chi thi|thong bao|ket luan|van ban)? ?nay|thuc hien nghiem tuc "
                        r"(?:chi thi|ke hoach|quyet dinh|ket luan) nay|"
                        r"(?:thong bao|tra loi) de .{3,200}? biet,? (?:va )?thuc hien|"
                        r"can cu quyet dinh thi hanh|thi hanh quyet dinh nay")


@dataclass
class Task:
    """A task as it is read: its span of the document text and what the text says of it."""
    start: int
    end: int
    lead: tuple[str, ...]
    cooperate: tuple[str, ...] = ()
    kind: str = "prose"
    deadline: str | None = None
    product: str | None = None
    fields: dict = field(default_factory=dict)


# Items numbered inside a paragraph: "… như sau: (1) Giao Bộ …. (2) …", "(ii) Bộ Công Thương …".
_ENUMERATOR = r"\((?:\d{1,2}|[ivx]{1,4}|[a-zđ])\)\s+"


def _clauses(text: str) -> list[tuple[int, int]]:
    """Split a paragraph into sentences and ";"-clauses: (start, end) of each.

    A ";" that only separates agencies ("Giám đốc Sở Tài chính; Thủ trưởng các sở …") does not
    end a clause: one does when what it closes has an action of its own.
    """
    topic = re.match(r"(?:Về|Đối với|Riêng)\b[^:]{0,300}:\s*", text)
    spans, start = [], topic.end() if topic else 0
    if topic:
        spans.append((0, topic.end()))
    for cut in re.finditer(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹa-zđà-ỹ])|,\s+(?=[^,;.]{3,120}?(?:có|chịu) "
                           r"trách nhiệm)|(?<=[.;:])\s*(?=%s)" % _ENUMERATOR, text):
        if cut.start() < start:
            continue
        if text[cut.start() - 1] == ";" and not has_action(text[start:cut.start()]):
            continue
        following = text[cut.end():]
        if text[cut.start()] == "," and not (
                (following[:1].isupper() or following.startswith("các ")) and
                starts_agency(following) and has_action(text[start:cut.start()])):
            continue  # a comma splits only before another agency's own duty
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(text)))
    if topic and len(spans) > 1:  # the topic leads into its first clause
        spans[1] = (0, spans[1][1])
        spans.pop(0)
    spans = [(a + _enumerator_length(text[a:b]), b) for a, b in spans]  # "(1) Giao …"
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _enumerator_length(clause: str) -> int:
    found = re.match(_ENUMERATOR, clause)
    return found.end() if found else 0


def _last_word(match: re.Match) -> int:
    words = match.group().rstrip()
    return match.start() + len(words) - len(words.split()[-1])


def has_action(segment: str) -> bool:
    """Say whether a segment has an action of its own (after any "yêu cầu X" hand-over)."""
    folded = fold(segment)
    handovers = [m for m in HANDOVER.finditer(folded)  # "nhiệm vụ được giao" hands nothing
                 if not folded[:m.start()].endswith("duoc ")
                 and not not_a_verb(folded, _last_word(m), segment)]  # "Bộ Ngoại giao"
    start = handovers[-1].end() if handovers else 0
    return first_verb(folded, start, segment) is not None


def own_tasks(start: int, end: int, body: str) -> list[Task]:
    """Return the tasks a paragraph assigns in its own words, one per new lead."""
    tasks: list[Task] = []
    for a, b in _clauses(body):
        clause = body[a:b]
        assignment = read_assignment(clause)
        execution = _EXECUTION.search(fold(clause))
        if assignment is None and execution is None and not tasks:
            assignment = _passive_agent(clause)
        if assignment is None and execution is None:
            if tasks:  # the task goes on; its time may come in a later clause
                tasks[-1].end = start + b
                deadline_in(tasks[-1], clause)
            continue
        lead = (_execution_agencies(clause) if execution else ()) or \
            (assignment.lead if assignment else ())
        if not lead:
            continue
        if tasks and set(map(fold, lead)) <= set(map(fold, tasks[-1].lead)):
            tasks[-1].end = start + b  # the same agency goes on: one task
            deadline_in(tasks[-1], clause)
            continue
        begin = start + a + (assignment.start if assignment else 0)
        task = Task(begin, start + b, lead, assignment.cooperate if assignment else ())
        if execution is not None and _only_execution(clause, execution):
            task.kind = "execution_clause"
        deadline_in(task, clause)
        tasks.append(task)
    if tasks:
        tasks[-1].end = max(tasks[-1].end, min(end, start + len(body)))
    return tasks


# "Tài liệu phục vụ các phiên họp do Văn phòng Ban Chỉ đạo chuẩn bị", "Kinh phí … do Trung tâm
# chịu trách nhiệm": the agent after "do" does it. Not a document's origin ("do UBND tỉnh ban
# hành") nor a cause ("do ảnh hưởng của bão").
_BY_AGENT = re.compile(r"(?<![\w])do\s+")
_AGENT_DOES = re.compile(r"(?:chuan bi|dam nhiem|chiu trach nhiem|thuc hien|chu tri|to chuc|"
                         r"thao luan|xem xet|bao dam|dam bao|quan ly|tong hop)\b")


def _passive_agent(clause: str) -> Assignment | None:
    folded = fold(clause)
    opening = first_verb(folded, 0, clause)
    if starts_agency(clause) or opening is not None and opening.start() == 0:
        return None  # "Kết nối dữ liệu … do Bộ Xây dựng quản lý": an item under its heading's body
    for found in _BY_AGENT.finditer(folded, 0, 200):
        if not clause[found.end():found.end() + 1].isupper() and \
                not folded.startswith("cac ", found.end()):
            continue
        span = agencies_before_verb(clause, folded, found.end())
        if span is not None and _AGENT_DOES.match(folded, span[1] + 1):
            lead = tuple(split_agencies(clause[span[0]:span[1]]))
            return Assignment(lead, span, (), 0) if lead else None
    return None


def _only_execution(clause: str, execution: re.Match) -> bool:
    rest = fold(clause)[execution.end():].strip(" ./")
    return len(rest) < 20


def _execution_agencies(clause: str) -> tuple[str, ...]:
    folded = fold(clause)
    told = re.search(r"(?:thong bao|tra loi) de (.{3,200}?) biet", folded)
    if told:
        return tuple(split_agencies(clause[told.start(1):told.end(1)]))
    duty = re.search(r"(?:chiu|co) trach nhiem|(?:to chuc )?thuc hien nghiem tuc", folded)
    start = re.search(r"(?:yeu cau|de nghi)\s+", folded[:duty.start()]) if duty else None
    subject = clause[(start.end() if start else 0):duty.start()] if duty else ""
    subject = re.sub(r"^.*?(?:hiệu lực[^.]*\.\s*)", "", subject)
    return tuple(split_agencies(subject)) if subject.strip() else ()


def cooperating_in(body: str) -> tuple[str, ...]:
    return cooperating(body, fold(body), 0)


def deadline_in(task: Task, clause: str) -> None:
    span = find_deadline(clause)
    if span and task.deadline is None:  # (a crawled line break inside it is a space)
        task.deadline = re.sub(r"\s+", " ", clause[span[0]:span[1]])
