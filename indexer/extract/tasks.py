"""Tasks an official document assigns: the task, its lead and cooperating agencies, its
deadline (as written and as a date) and its product.

Read from prose ("Giao Sở X chủ trì, phối hợp với Sở Y …, hoàn thành trước ngày …"), from
items under a heading that names the agency ("3. Sở Tài chính:" then a), b), -), from items
with labelled fields ("Cơ quan chủ trì: …", "Thời gian thực hiện: …") and from task tables.
Only the body is read (indexer.sections): not the preamble, the recipients or a portal's text;
nor the sections that state purposes and requirements (Mục đích, Yêu cầu, Quan điểm). The rules
are those of scripts/eval_tasks/GUIDELINES.md, measured by scripts/eval_extraction.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chunk import heading_level
from ..sections import BODY, CHROME, paragraph_roles
from ..store import NewRecord
from ..vietnamese import is_upper_line
from .agencies import fold, province_of, split_agencies, starts_agency
from .base import ExtractedDocument, paragraphs
from .clauses import hands_over, lead_in_agencies, names_who, read_assignment
from .statements import Task, cooperating_in, deadline_in, has_action, own_tasks
from .leads import (bracketed_bodies, glued_lead, has_verb_after_lead, heading_agencies,
                    lists_no_duties, lists_objects, partners_heading, roles_only)
from .items import (FIELD, MARKER, allots_number, inherited_task, is_title, names_project,
                    task_record)
from .tables import priced_cells, row_task, task_rows

_PURPOSE = re.compile(r"^(?:muc dich|yeu cau|muc tieu|quan diem|pham vi|doi tuong|can cu|"
                      r"su can thiet|co so|giai thich tu ngu|nguyen tac|dinh huong|tieu chi)\b")
_HEADING_LEAD = re.compile(r"^(?:(?:trach nhiem|nhiem vu)(?: cua)?|noi dung)\s+")
# "Điều 5. Nội dung Sở X có trách nhiệm chủ trì", "11. Các đơn vị … có trách nhiệm": the
# heading names who does the items under it.
_DUTY_TAIL = re.compile(r"\s+(?:có|chịu)\s+trách\s+nhiệm(?:\s+(?:chủ\s+trì|thực\s+hiện|"
                        r"phối\s+hợp))*\s*:?\s*$|"
                        # "1. Sở Tài chính có trách nhiệm quản lý về nghiệp vụ, bao gồm:"
                        r"\s+(?:có|chịu)\s+trách\s+nhiệm\s[^:;.()]{0,80}?,?\s+(?:bao\s+gồm|gồm|"
                        r"cụ\s+thể|như\s+sau)\s*:\s*$|"
                        # "Hội đồng … các cơ quan, đơn vị, địa phương có nhiệm vụ, quyền hạn sau:"
                        r"\s+có\s+nhiệm\s+vụ(?:,\s*quyền\s+hạn)?(?:\s+như)?\s+sau\s*:\s*$|"
                        r"\s+(?:chủ\s+trì|thực\s+hiện|"
                        # "3. Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:", not "Ban Chỉ đạo"
                        r"(?-i:lãnh\s+đạo(?:,\s*chỉ\s+đạo)?|chỉ\s+đạo))[\s*]*:?[\s*]*$",
                        re.IGNORECASE)
_INLINE_LEAD = re.compile(r"^(?:(?:Trách nhiệm|Nhiệm vụ)(?: của)?\s+)?([^:;.()]{3,120}?)\s*:\s+(?=\S)")
_ARTICLE = re.compile(r"^(?:Điều|Mục)\s+\d+[a-z]?\s*[.:]\s*")
# A procedure's steps are done by people as often as by bodies: "Lãnh đạo phòng …", "Chuyên viên
# …", "Văn thư UBND cấp xã" in its "Đơn vị/người thực hiện" column.
_STAFF = re.compile(r"(?:Lãnh đạo|Công chức|Viên chức|Chuyên viên|Văn thư|Cán bộ|Bộ phận|Kế toán)\b")
_APPENDIX_TITLE = re.compile(r"^\(?kem theo\b|^phu luc\b|^danh muc\b")


@dataclass
class _Scope:
    level: int
    lead: tuple[str, ...]
    skip: bool = False
    items_only: bool = False  # a list's introduction: its items follow, a plain paragraph ends it
    fresh: bool = False  # opened by the paragraph just read
    handed: bool = False  # "đề nghị X …", "giao X …": an introduction that hands the items over
    blocks: bool = False  # its items are rights, members or criteria: no body above leads them
    cooperate: tuple[str, ...] = ()  # "Sở X chủ trì, phối hợp với Y:": Y helps with every item


@dataclass(frozen=True)
class TaskExtractor:
    kind: str = "tasks"
    version: int = 10  # 10: rate tables, "Thi đua - Khen thưởng"; 9: verbs by spelling

    def extract(self, document: ExtractedDocument) -> list[NewRecord]:
        texts = paragraphs(document)
        roles = paragraph_roles([t for _, _, t in texts], document.paragraph_cells)
        cells = [None if role == CHROME else cell  # a portal's text may sit in the layout table
                 for cell, role in zip(document.paragraph_cells, roles)]
        rows, in_tables = task_rows(texts, cells)
        tasks = _Walker(texts, roles, in_tables | priced_cells(texts, cells), document.text).walk()
        tasks += [row_task(row) for row in rows  # not "x" marks
                  if row.lead is None or starts_agency(row.lead.text) or _STAFF.match(row.lead.text)]
        tasks = [t for t in tasks if len(re.findall(r"[^\W\d_]+", document.text[t.start:t.end])) >= 3]
        tasks.sort(key=lambda t: t.start)
        province = province_of(document.issuer)
        return [task_record(document.text, task, province) for task in tasks]


class _Walker:
    """Reads the body paragraph by paragraph, keeping the headings that name agencies."""

    def __init__(self, texts, roles, skip: set[int], text: str):
        self.texts, self.roles, self.skip, self.text = texts, roles, skip, text
        self.scopes: list[_Scope] = []
        self.tasks: list[Task] = []
        self.pending: list[Task] = []  # tasks the next labelled fields belong to
        self.title: Task | None = None  # an item that waits for its "Cơ quan chủ trì:" field
        self.heading_level = 0  # of the latest numbered heading
        self.following = ""  # the next paragraph read
        self.after_title = False  # the paragraph before was a title: this one is its text
        self.awaiting_lead = False  # an empty "Cơ quan thực hiện:": the items below name them
        self.listed: list[Task] | None = None  # the items under an empty "Nội dung:"
        self.bullet = False  # the paragraph read opens with "-" or "+"

    def walk(self) -> list[Task]:
        read = [i for i in range(len(self.texts)) if self.roles[i] == BODY and i not in self.skip]
        previous = None
        for index, following in zip(read, read[1:] + [None]):
            start, end, text = self.texts[index]
            if not self.continued(previous, end, text):
                self.following = self.texts[following][2] if following is not None else ""
                self.paragraph(start, end, text)
            previous = (end, text)
        return self.tasks

    def continued(self, previous: tuple[int, str] | None, end: int, text: str) -> bool:
        """Join a paragraph that goes on with a small letter to the one before it: crawled
        pages break lines inside a sentence ("… bảo đảm đến" / "hết năm 2025 …")."""
        if previous is None or not text[:1].islower() or MARKER.match(text) or \
                previous[1].rstrip(" *").endswith((".", ":", ";")):
            return False
        last = self.tasks[-1] if self.tasks else None
        if last is not None and last.end == previous[0]:
            last.end = end
            if last.deadline is None:
                deadline_in(last, self.text[last.start:end])
        return True

    def paragraph(self, start: int, end: int, text: str) -> None:
        marker = MARKER.match(text)
        body_start = start + (marker.end() if marker else 0)
        body = text[body_start - start:]
        folded = fold(body)
        if (name := FIELD.match(folded)) is not None:
            value_start = body_start + name.end()
            self.field(name.group("name"), value_start, end, text[value_start - start:])
            return
        if self.awaiting_lead and (self.title or self.pending) and roles_only(body):
            self.lead_field(body_start, end, body)  # "+ Sở X chủ trì, phối hợp với …"
            return
        self.awaiting_lead = False
        self.bullet = bool(marker) and marker.group().strip() in "-+•–"
        if not self.bullet:
            self.listed = None
        level = heading_level(text) or (9 if marker else None)
        introduced = self.scopes[-1] if self.scopes and self.scopes[-1].fresh else None
        if introduced is not None:
            introduced.fresh = False
            if introduced.items_only and introduced.handed and not self.bullet and \
                    is_title(level, body, self.following):
                # "… đề nghị Chính phủ … thực hiện các nhiệm vụ sau đây:" right above numbered
                # sections ("2.1. Đẩy mạnh …"): each section's paragraphs are its tasks.
                introduced.items_only = False
                introduced.level = max(introduced.level, level - 1)  # a shallower heading ends it
        if level is None and not self.after_title:  # a plain paragraph ends a list's items
            self.scopes = [scope for scope in self.scopes if not scope.items_only]
        self.after_title = False
        if re.match(r"\[\d{1,3}\]\s", text):
            return  # "[1] Chương trình số 30-CTr/TU …": a footnote
        if folded.startswith("tren day la "):  # "Trên đây là Kế hoạch …, yêu cầu X …" closes the
            self.scopes, self.pending, self.title = [], [], None  # headings: only its own tasks
        if level is None and (is_upper_line(text) or _APPENDIX_TITLE.match(folded)):
            self.scopes, self.pending, self.title = [], [], None  # an appendix or a new part
            return
        if level is not None and not (marker and marker.group().strip() in "-+•–"):
            while self.scopes and self.scopes[-1].level >= level:
                self.scopes.pop()
            self.heading_level = level
        if any(scope.skip for scope in self.scopes):
            return
        if level is not None and level <= 7 and _PURPOSE.match(folded) and len(body) <= 80:
            self.scopes.append(_Scope(level, (), skip=True))
            return
        if lists_objects(body, folded) or (body.rstrip(" *").endswith(":") and
                                           names_project(self.following)):
            stated = body.rstrip(" *:")  # the introduction is the task; its items what it covers
            found = own_tasks(body_start, body_start + len(stated), stated)
            if not found and (lead := self.inherited()):  # "a) Tham mưu UBND tỉnh trình … quyết
                found = [inherited_task(body_start, body_start + len(stated), stated, lead)]
            if found:
                self.scopes.append(_Scope(level if level is not None else self.heading_level, (),
                                          items_only=level is None, fresh=True, blocks=True))
                self.tasks += found
                self.pending, self.title = found, None
                return
        if lists_no_duties(body, folded):
            # "Chủ tịch UBND cấp xã có quyền:", "Thành phần Hội đồng gồm:", "… khi đáp ứng các
            # điều kiện sau:": what follows are rights, members or criteria, not duties
            self.scopes.append(_Scope(level if level is not None else self.heading_level, (),
                                      items_only=level is None, fresh=True, blocks=True))
            found = own_tasks(body_start, end, body)  # (a sentence before it may assign)
            self.tasks += found
            self.pending, self.title = found, None
            return
        if level is not None and self.inline_lead(body_start, end, body, level):
            return
        if self.agency_heading(level, body, folded):
            return
        self.statements(body_start, end, body, level)

    def inline_lead(self, start: int, end: int, body: str, level: int) -> bool:
        """An item that names its body before a colon: "2. Sở Tài chính: Căn cứ khả năng cân
        đối ngân sách, trình …"."""
        named = _INLINE_LEAD.match(body)
        if named is not None and body.rstrip(" *").endswith(":") and starts_agency(named.group(1)) \
                and len(named.group(1).split()) <= 14 and not _PURPOSE.match(fold(named.group(1))):
            # "2. Các sở, ban, ngành, địa phương: Là các đơn vị …, các nội dung sau:" heads items
            self.scopes.append(_Scope(level, tuple(split_agencies(named.group(1)))))
            self.pending, self.title = [], None
            return True
        dashed = named is None or not starts_agency(named.group(1)) or \
            len(named.group(1).split()) > 14 or not has_action(body[named.end():])
        if dashed:
            name = glued_lead(body)
            if name is None:
                return False
        else:
            name, listed = named.group(1), body[named.end():].split(",", 1)[0]
            if re.search(r"\bcac\b", fold(name)) and not has_action(listed):
                return False  # "Các Bộ, cơ quan: Tài chính, Xây dựng, …": the colon lists names
        lead = tuple(split_agencies(name))
        task = inherited_task(start, end, body, lead)
        self.tasks.append(task)
        self.pending, self.title = [task], None
        if dashed:  # a heading and its first item on one line: the items below are its too
            self.scopes.append(_Scope(level, lead))
        return True

    def agency_heading(self, level: int | None, body: str, folded: str) -> bool:
        """Open the scope of a heading that names agencies ("2. Sở Khoa học và Công nghệ")."""
        if level is None or level > 8:
            return False
        article = _ARTICLE.match(body)  # "Điều 5. Trách nhiệm của …"
        if article:
            body, folded = body[article.end():], folded[article.end():]
            # "Điều 2. Đối tượng áp dụng" heads no agency; "Điều 3. Chánh Văn phòng …, Giám
            # đốc … chịu trách nhiệm thi hành Quyết định này." is a sentence, not a heading.
            if _PURPOSE.match(folded) or body.rstrip(" *").endswith("."):
                return False
        duty = _HEADING_LEAD.match(folded)
        name = body[duty.end():] if duty else body
        asked = re.match(r"(?:đề nghị|giao|yêu cầu)\s*:?\s*", name, re.IGNORECASE)
        name = name[asked.end():] if asked else name  # "6. Đề nghị: Hiệp hội …", "1. Giao X:"
        tail = _DUTY_TAIL.search(name)
        if tail is not None and starts_agency(name[:tail.start()]):
            name, duty = name[:tail.start()], duty or tail
        named_duty = duty is not None and starts_agency(name)  # not "Nhiệm vụ trọng tâm"
        # (a dash ends the name, not the one of "các tổ chức chính trị - xã hội" or "Hội đồng
        # Thi đua - Khen thưởng")
        head = re.split(r"\s+[-–]\s+(?!(?i:xã hội|khen thưởng|ngân sách|kế hoạch|đô thị)\b)|:\s*$",
                        name.strip(), maxsplit=1)[0]
        head = re.sub(r"\s*\([^)]*\)\s*$", "", head).rstrip(" :.")
        listed = re.search(r"\(gồm (?:các )?(?:Sở|Bộ|Cục)\s*:", name) is not None or \
            bracketed_bodies(name, head) is not None
        bare = re.sub(r"\s*\([^)]*\)", "", body)  # "1. Sở Tài chính (cơ quan chủ trì)"
        role = re.match(r"(?:cơ quan|đơn vị)\s+(?:chủ trì|phối hợp|được giao)\b", head,
                        re.IGNORECASE) is not None and is_title(level, body, self.following)
        assigns = read_assignment(bare) is not None
        if not (starts_agency(head) or named_duty) or len(head) > 200 or (assigns and not (
                named_duty or listed or role) or assigns and body.rstrip(" *").endswith(".")):
            return False
        if not name.rstrip().endswith(":") and re.search(r"\.\s", name):
            return False  # a sentence, not a heading
        agencies = heading_agencies(name, head)  # "1. Sở X chủ trì, phối hợp với Y:": Y helps
        self.scopes.append(_Scope(level, agencies, cooperate=cooperating_in(name)))
        self.pending, self.title = [], None
        return True

    def inherited_scope(self) -> _Scope | None:
        """The scope whose agencies (and partners) the items below inherit."""
        return next((scope for scope in reversed(self.scopes) if scope.lead or scope.blocks), None)

    def inherited(self) -> tuple[str, ...]:
        scope = self.inherited_scope()
        return scope.lead if scope else ()

    def statements(self, start: int, end: int, body: str, level: int | None) -> None:
        """Read a paragraph's sentences: their own assignments, or the heading's agencies."""
        found = own_tasks(start, end, body)
        if len(body) < 60 and not body.rstrip(" *").endswith((".", ";", ":")) and \
                re.search(r"(?:thực hiện|chủ trì|phối hợp)\W*$", body):
            found = []  # "Cơ quan, bộ phận, người thực hiện": a column's or a form's label
        lead = self.inherited()
        if not found and lead and (partners := partners_heading(body)) is not None:
            # "a) Chủ trì, phối hợp với các sở, ngành" under "1. Sở Công Thương": the items
            # below are the Sở's, with these partners ("b) Phối hợp với …" the same)
            self.scopes.append(_Scope(level if level is not None else self.heading_level, lead,
                                      items_only=level is None, fresh=True, cooperate=partners))
            self.pending, self.title, self.after_title = [], None, True
            return
        if not found and is_title(level, body, self.following):
            self.pending, self.title, self.after_title = [], None, True
            return
        if body.rstrip().endswith(":"):
            agencies = lead_in_agencies(body)
            if agencies:  # the items below it, down to the next heading at its level
                self.scopes.append(_Scope(level if level is not None else self.heading_level,
                                          agencies, items_only=level is None, fresh=True,
                                          handed=hands_over(body),
                                          cooperate=cooperating_in(body)))
            if not found:
                return
        if not found and starts_agency(body) and not has_action(body):
            return  # "- Sở Tài chính;", a table's "Bộ Tư pháp": a name, no duty
        if found:
            before = body[:found[0].start - start].rstrip()
            if lead and before.endswith((".", ";")) and has_action(before):
                found.insert(0, inherited_task(start, start + len(before), before, lead))
            self.tasks += found  # (sentences before the paragraph's own lead are the heading's)
            self.pending, self.title = list(found), None
            return
        if lead and names_who(body, fold(body)):
            return  # "- Cơ quan trực tiếp thực hiện TTHC: Sở Dân tộc và Tôn giáo."
        if lead and allots_number(fold(body)):
            return  # "Ủy ban bầu cử của tỉnh: Không quá 05 cá nhân;": a number allotted, no duty
        if lead:
            task = inherited_task(start, end, body, lead, self.inherited_scope().cooperate)
            self.tasks.append(task)
            self.pending, self.title = [task], None
        elif self.listed is not None and self.bullet:
            self.listed.append(Task(start, end, (), kind="agency_list"))
        elif level is not None:
            self.title = Task(start, end, (), kind="agency_list")
            self.pending = []

    def field(self, name: str, start: int, end: int, value: str) -> None:
        """Attach a labelled field ("Cơ quan chủ trì: …") to the item it belongs to.

        A field shared by several tasks is not taken into their spans, which must not overlap.
        """
        value = value.strip()
        if len(self.pending) > 1:
            end = 0
        if "phoi hop" in name and "chu tri" not in name:
            for task in self.pending or ([self.title] if self.title else []):
                task.cooperate = tuple(split_agencies(value)) or task.cooperate
                task.end = max(task.end, end)
        elif re.match(r"(?:co quan|don vi|co quan, don vi)?\s*(?:chu tri|thuc hien|tham muu)", name):
            self.lead_field(start, end, value)
        elif name.startswith(("thoi", "tien do")):
            if not value:  # the items that follow, each with its agency and date, are the tasks
                self.tasks = [t for t in self.tasks if t not in self.pending or not t.fields.get("lead")]
                self.pending, self.title = [], None
                return
            for task in self.pending or ([self.title] if self.title else []):
                task.deadline = task.deadline or value
                task.end = max(task.end, end)
        elif name.startswith(("san pham", "ket qua")):
            for task in self.pending or ([self.title] if self.title else []):
                task.product = value
                task.end = max(task.end, end)
        elif self.title is not None:  # "Nội dung: …" belongs to the item above it
            self.title.end = max(self.title.end, end)
            if not value:  # "- Nội dung:" then "+ …" items: each is a task of the fields below
                self.listed = []

    def lead_field(self, start: int, end: int, value: str) -> None:
        if not value.strip():
            self.awaiting_lead = True
            return
        if (roles := roles_only(value)) is not None:  # "Sở X chủ trì, phối hợp với Y …"
            lead, cooperate = roles
        else:
            lead, cooperate = self.clause_leads(start, end, value), ()
            if lead is None:
                return
        if not lead:
            return
        if self.listed:
            for task in self.listed:
                task.lead, task.cooperate = lead, cooperate
            self.tasks += self.listed
            self.pending, self.title, self.listed = list(self.listed), None, None
        elif self.title is not None:
            self.title.lead, self.title.end = lead, max(self.title.end, end)
            self.title.cooperate = cooperate or self.title.cooperate
            self.tasks.append(self.title)
            self.pending, self.title = [self.title], None
        else:
            for task in self.pending:
                task.lead, task.end = lead, max(task.end, end)
                task.cooperate = cooperate or task.cooperate

    def clause_leads(self, start: int, end: int, value: str) -> tuple[str, ...] | None:
        """Read a lead field that states actions of its own ("Sở Nội vụ chủ trì tham mưu …;
        Sở Tư pháp … tổ chức triển khai …"): its clauses are the tasks (None). Otherwise return
        the agencies it lists."""
        clauses = own_tasks(start, end, value)
        if clauses and (len(clauses) > 1 or len(split_agencies(value)) > len(clauses[0].lead)
                        or has_verb_after_lead(value)):
            for task in clauses:
                task.kind, task.fields["lead"] = "agency_list", True
            self.tasks += clauses
            self.pending, self.title = list(clauses), None
            return None
        return tuple(split_agencies(value))
