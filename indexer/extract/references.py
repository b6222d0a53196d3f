"""References: every mention of another document, with what THIS document does with it.

The relation is decided mechanically by the words that govern the mention in its sentence
(scripts/eval_tasks/GUIDELINES.md §2): a "Căn cứ …" line of the preamble → can_cu; the
direct object of thực hiện / triển khai / thi hành / quán triệt → thuc_hien; an act this
document itself amends, replaces or repeals (its title, an operative article, "Quyết định này
thay thế …") → sua_doi / thay_the / bai_bo; anything else ("theo", "tại", a request to amend)
→ dan_chieu. A mention inside another's description inherits its relation ("Thực hiện Kế
hoạch số 283/KH-UBND … về thực hiện Nghị quyết số 71/NQ-CP" → both thuc_hien). A sentence
ends at ";", at ". " and at the paragraph; the same act twice in one sentence counts once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..sections import BODY, CHROME, HEADER, PREAMBLE, RECIPIENTS, SIGNATURE, paragraph_roles
from ..store import NewRecord
from ..vietnamese import ABBREVIATION_PERIOD, DOC_TYPES, fold, is_upper_line, number_key
from .base import ExtractedDocument, paragraphs
from .amending import amending_titles
from .citations import LAW_TYPES, Mention, find_mentions, lowered

CAN_CU, THUC_HIEN, DAN_CHIEU = "can_cu", "thuc_hien", "dan_chieu"
SUA_DOI, THAY_THE, BAI_BO = "sua_doi", "thay_the", "bai_bo"
AMENDS = (SUA_DOI, THAY_THE, BAI_BO)
# Acts that can amend, replace or repeal another by themselves (a plan or a report cannot).
_ENACTING_TYPES = {"Quyết định", "Nghị quyết", "Nghị định", "Thông tư", "Thông tư liên tịch",
                   "Nghị quyết liên tịch", "Luật", "Bộ luật", "Pháp lệnh", "Lệnh", "Chỉ thị",
                   "Quy định"}

# The words that govern a mention; the nearest wins. Matched on lower-cased text with its
# diacritics: folded, "tại" is "tài" and "về" is "vệ". "hiệu lực thi hành" is no "thi hành";
# the weak words let an amending verb reach past them ("Sửa đổi một số nội dung tại Quyết định
# số …") and end any other verb's reach, like the prepositions of the last group.
_CUE = re.compile(
    r"(?<![\w])(?:(?P<skip>hiệu lực thi hành)|(?P<can_cu>căn cứ)"
    r"|(?P<thuc_hien>thực hiện|triển khai|thi hành|quán triệt|cụ thể hóa)"
    r"|(?P<sua_doi>sửa đổi|bổ sung|(?:thay thế|bãi bỏ) (?:cụm )?từ|đính chính)"
    r"|(?P<thay_the>thay thế)|(?P<bai_bo>bãi bỏ|hủy bỏ)"
    r"|(?P<weak>ban hành kèm theo|kèm theo|tại|trong|quy định)"
    r"|(?P<dan_chieu>theo|về|phổ biến|giáo dục|tuyên truyền|ban hành|đề ra|được giao|bởi|"
    r"nhận thức|so với|chấp hành|trên cơ sở))(?![\w])")
# Where a sentence starts a new clause of its own: a mention after it is not nested in the
# one before ("Thực hiện Kết luận số … và trên cơ sở đề xuất … tại Công văn số …").
_CLAUSE = re.compile(r"(?:[,:]\s*|\svà\s+)(?:trên cơ sở|căn cứ|theo đề nghị|xét đề nghị|"
                     r"đồng thời)(?![\w])|:")
# What may stand between "thay thế" and the act it replaces as a whole ("thay thế các Quyết
# định: số …"); anything else is a part of the act ("Thay thế Phụ lục kèm theo …").
_WHOLE = re.compile(r"\s*(?:toàn bộ\s+)?(?:các\s+|những\s+)?(?:(?:văn bản|quyết định|nghị quyết|"
                    r"nghị định|thông tư|kế hoạch|chỉ thị|quy định)(?:\s+sau)?\s*:?\s*)?$")
# What asks for an amendment rather than making it: "tham mưu … sửa đổi", "Về đề nghị sửa đổi".
_PROPOSING = re.compile(r"(?<![\w])(?:tham mưu|đề nghị|kiến nghị|đề xuất|trình|nghiên cứu|xem xét|"
                        r"xây dựng|dự thảo|soạn thảo|chuẩn bị|giao|yêu cầu|về việc|khi|rà soát|"
                        r"lấy ý kiến|phối hợp|chủ trì|cần|sẽ|dự kiến)(?![\w])")
_OPENING = re.compile(r"^[\s\-+•*]*(?:(?:điều|mục|chương) \d+[a-zđ]?\s*[.:]?\s*"
                      r"|\d+(?:\.\d+)*[.)]\s*|[a-zđ][.)]\s*)*")
_SELF = re.compile(r"(?:quyết định|nghị quyết|thông tư|nghị định|chỉ thị|kế hoạch|"
                   r"văn bản|quy định|luật|pháp lệnh) này(?![\w])")
_ENACTS = re.compile(r"ban hành (?:quyết định|nghị quyết|thông tư|nghị định|chỉ thị|quy định|"
                     r"quy chế|luật|bộ luật|pháp lệnh)\s*$")
# An act named inside the name of a system or body ("Hệ thống thông tin giám sát, đánh giá
# việc thực hiện Nghị quyết số 57-NQ/TW") is no act this document implements.
_NAMED_THING = re.compile(r"(?:Hệ thống|Ban Chỉ đạo|Tổ công tác|Tổ Công tác|Cổng|Nền tảng|"
                          r"Cơ sở dữ liệu|Phần mềm|Giải thưởng|Quỹ)(?: [\w,]+){0,8} $")
_DESCRIBED = re.compile(r"(?<![\w])(?:%s)(?![\w])" % "|".join(
    t for t in DOC_TYPES if t[0].isupper()))
_PASSIVE = re.compile(r"[^;]{0,120}?(?<![\w])được (?:tổ chức )?(?:thực hiện|triển khai|thi hành)"
                      r"(?![\w])")
_AND = re.compile(r"[\s,]*(?:hoặc|và)?\s*")
_OTHER_BASIS = re.compile(r"\s*(?:theo đề nghị|xét|trên cơ sở|thực hiện|triển khai)(?![\w])")
_FILLER = re.compile(r"^[\s\-+•*]*(?:(?:và|hoặc|cùng)\s+)?(?:các\s+)?$")
# A sentence ends at ";" and at "."; a ";" between provisions ("khoản 2 Điều 2; khoản 5 Điều
# 4; …") lists them within one sentence.
_SENTENCE_END = re.compile(r";(?!\s*(?:điểm|khoản|Điều|mục|Mục|chương|Chương|phụ lục) [\dIVXa-zđ])"
                           r"|\.(?=\s|$)")
_BASIS = re.compile(r"^[\s\-–*]*(?:can cu|xet de nghi|theo de nghi|xet to trinh|tren co so|"
                    r"thuc hien|trien khai)\b")
_ENACTING_LINE = re.compile(r"^[\s*]*(?:quyet dinh|quyet nghi|nghi quyet|chi thi|ban hanh)\s*:?\s*$"
                            r"|^[\s*]*dieu 1\b|\bban hanh (?:nghi quyet|quyet dinh|thong tu|"
                            r"nghi dinh)\b")
_EXPIRE = re.compile(r"(?:các|những) (?:văn bản|quyết định|nghị quyết|thông tư|nghị định|chỉ thị|"
                     r"quy định)(?: quy phạm pháp luật)? sau(?: đây)? (?:hết|chấm dứt) hiệu lực\b")
_NUMBER_LINE = re.compile(r"^[\s*]*so\s*:?\s*\d")
_RECIPIENT_LINE = re.compile(r"^[\s*]*kinh gui\b")


@dataclass
class _Reading:
    """What a paragraph passes to the next: the relation of a lead-in ending in ":"."""

    carry: str | None = None
    amend_allowed: bool = True  # before the signature of an act that can amend


def _sentences(text: str) -> list[tuple[int, int]]:
    """Cut a paragraph into sentences: at ";", and at a "." that ends no abbreviation."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() == "." and ABBREVIATION_PERIOD.search(text[:match.end()]):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _cues(folded: str, start: int, end: int, mentions: list[Mention]) -> list[re.Match]:
    """Return the governing words between start and end, outside mentions and field labels."""
    found = []
    for cue in _CUE.finditer(folded, start, end):
        if any(m.start <= cue.start() < m.end for m in mentions):
            continue
        if folded[cue.end():cue.end() + 2].lstrip().startswith(":"):
            continue  # "Cơ quan thực hiện:" labels a field, it governs nothing
        found.append(cue)
    return found


def _apposed(text: str, start: int, at: int) -> int:
    """Return where the words governing a mention end: before the description it is apposed
    to ("Báo cáo của Ban Tổ chức Trung ương về … (Báo cáo số 565-BC/BTCTW)")."""
    if not text[start:at].rstrip().endswith("("):
        return at
    heads = list(_DESCRIBED.finditer(text, start, at))
    return heads[-1].start() if heads else at


def _performed(text: str, folded: str, sentence: int, verb: int, role: str,
               reading: _Reading) -> bool:
    """Say whether THIS document makes the amendment a verb at `verb` names."""
    prefix = folded[sentence:verb]
    prefix = prefix[_OPENING.match(prefix).end():]
    if _SELF.match(prefix):
        return True  # "Quyết định này thay thế …", "Nghị quyết này có hiệu lực … và bãi bỏ …"
    if not reading.amend_allowed:
        return False
    if role == HEADER:
        return True
    if _PROPOSING.search(prefix):
        return False
    return prefix.strip() == "" or bool(_ENACTS.search(prefix))


def _classify(text: str, folded: str, sentence: int, cues: list[re.Match], role: str,
              reading: _Reading, mention: int | None = None) -> str | None:
    """Return the relation the nearest governing word gives, or None without one."""
    cues = [c for c in cues if c.lastgroup != "skip"]
    kinds = [c.lastgroup for c in cues]
    if not cues:
        return None
    last = len(cues) - 1
    attached = cues[last].group().endswith("kèm theo")
    while last > 0 and (kinds[last] == "weak" or attached and cues[last].group() == "về"):
        last -= 1  # "Sửa đổi một số nội dung tại Quyết định số …": the verb governs, also over
        # the name of what is attached ("… của Quy định … về cây trồng … ban hành kèm theo …")
    if kinds[last] not in AMENDS:
        last = len(cues) - 1
    cue, kind = cues[last], kinds[last]
    if kind in AMENDS:
        first = last  # "sửa đổi, bổ sung", "sửa đổi, bổ sung hoặc thay thế": one verb
        while first > 0 and kinds[first - 1] in AMENDS and _AND.fullmatch(
                folded, cues[first - 1].end(), cues[first].start()):
            first -= 1
        if not _performed(text, folded, sentence, cues[first].start(), role, reading):
            return DAN_CHIEU
        if kind == THAY_THE and not _WHOLE.match(folded, cue.end(),
                                                 len(folded) if mention is None else mention):
            return SUA_DOI  # "Thay thế Phụ lục kèm theo Thông tư số …" replaces a part
        return kind
    if kind == THUC_HIEN and _NAMED_THING.search(text, max(sentence, cue.start() - 90),
                                                 cue.start()):
        return DAN_CHIEU
    if kind == CAN_CU:
        return DAN_CHIEU  # "Căn cứ" in the body: the preamble's lines are read apart
    return THUC_HIEN if kind == THUC_HIEN else DAN_CHIEU


def _letter_body(text: str, folded: str, spans: list[tuple[int, int]]) -> int:
    """Where a letter held in one paragraph ("Kính gửi: …" and all its text) starts its body:
    at the first sentence that is no "Căn cứ …"/"Thực hiện …" line. "Kính gửi: Thuế tỉnh X.
    Cục Thuế nhận được công văn số … Căn cứ khoản 3 Điều 1 Luật số 106/2016/QH13 …" cites in
    its body; "Kính gửi: … Căn cứ Luật …; Căn cứ Nghị định …" opens with its basis."""
    if not _RECIPIENT_LINE.match(fold(text)):
        return len(text)
    for start, end in spans[1:]:
        opening = _unnumbered(folded[start:end]).lstrip(" *")
        if not opening.startswith(("căn cứ", "thực hiện", "theo ", "xét ", "kính gửi")) and \
                not text[:start].rstrip().endswith(";"):  # (a ";" goes on with the basis)
            return start
    return len(text)


def _relations(text: str, mentions: list[Mention], role: str, preamble: bool,
               reading: _Reading) -> list[str]:
    """Return the relation of each mention of one paragraph."""
    folded = lowered(text)
    spans = _sentences(text)
    body = _letter_body(text, folded, spans) if preamble else len(text)
    basis = folded[_OPENING.match(folded).end():].startswith("căn cứ")
    relations: list[str] = []
    for i, mention in enumerate(mentions):
        start, end = next((s, e) for s, e in spans if s <= mention.start < e or e == len(text))
        previous = mentions[i - 1] if i and mentions[i - 1].start >= start else None
        opening = folded[start:mention.start]
        opening = _unnumbered(opening)
        if opening.startswith("kính gửi") and " căn cứ " in opening:
            opening = opening[opening.index(" căn cứ ") + 1:]  # "Kính gửi: X Căn cứ …" (one cell)
        if preamble and start < body and (opening.startswith("căn cứ") or (
                basis and not _OTHER_BASIS.match(opening))):
            relations.append(CAN_CU)  # a "Căn cứ …" line, all its parts ("…; được sửa đổi bởi …")
        elif previous is not None and not _CLAUSE.search(folded, previous.end, mention.start):
            relation = relations[i - 1]  # nested in, or listed with, the one before
            if relation in AMENDS and not _AND.fullmatch(folded, previous.end, mention.start):
                relation = DAN_CHIEU  # an act named in the description of one repealed is not
            relations.append(relation)
        else:
            cues = _cues(folded, start, _apposed(text, start, mention.start), mentions)
            relation = _classify(text, folded, start, cues, role, reading, mention.start)
            if relation is None and _FILLER.match(opening):
                earlier = [r for m, r in zip(mentions, relations) if m.start < start]
                relation = earlier[-1] if earlier else reading.carry
            if relation is None and _PASSIVE.match(folded, mention.end, end):
                relation = THUC_HIEN  # "Luật Việc làm … được thực hiện thống nhất"
            relations.append(relation or DAN_CHIEU)
    return relations


def _unnumbered(opening: str) -> str:
    """Drop what numbers an item or article ("Điều 2.", "1.", "a)") from a sentence's opening."""
    return opening[_OPENING.match(opening).end():]


def _trailing_relation(text: str, role: str, preamble: bool, reading: _Reading) -> str | None:
    """Return what a lead-in's last words govern ("Căn cứ:", "triển khai các văn bản sau:")."""
    folded = lowered(text)
    start = _sentences(text)[-1][0]
    opening = folded[start:]
    opening = _unnumbered(opening)
    if preamble and opening.startswith("căn cứ"):
        return CAN_CU
    if reading.amend_allowed and _EXPIRE.match(opening):
        return BAI_BO  # "2. Các Quyết định sau đây hết hiệu lực kể từ ngày …:" then the list
    relation = _classify(text, folded, start, _cues(folded, start, len(text), []), role, reading)
    if relation in (BAI_BO, THAY_THE) or relation == SUA_DOI and not find_mentions(text[start:]):
        return relation  # "Bãi bỏ các văn bản … như sau:" then "1. Quyết định số …", one per item
    return relation if relation in (THUC_HIEN, CAN_CU) else None


def _preamble_rows(texts: list[str], roles: list[str]) -> set[int]:
    """Return the paragraphs that are preamble lines, also those the roles read otherwise.

    A run of "Căn cứ …" lines before "QUYẾT ĐỊNH:" (or of two or more such lines citing acts)
    is a preamble wherever it stands: after a portal's summary, in a decision attached after
    the signature.
    """
    rows = {i for i, role in enumerate(roles) if role == PREAMBLE}
    folded = [fold(t).strip() for t in texts]
    i = 0
    while i < len(texts):
        if roles[i] in (CHROME, SIGNATURE) or not _BASIS.match(folded[i]):
            i += 1
            continue
        j = i
        while j < len(texts) and _BASIS.match(folded[j]) and roles[j] not in (CHROME, SIGNATURE):
            j += 1
        cited = [k for k in range(i, j)
                 if folded[k].startswith("can cu") and find_mentions(texts[k])]
        if cited and (len(cited) >= 2 or rows.intersection(range(i, j))
                      or (j < len(texts) and _ENACTING_LINE.search(folded[j]))):
            rows.update(cited)  # (also a short first line the roles read as the title's)
        i = j
    return rows


def _is_self(mention: Mention, document: ExtractedDocument) -> bool:
    """Say whether a mention names the document itself: its own number, or a law its title."""
    if mention.number:
        return bool(document.doc_number) and \
            number_key(mention.number) == number_key(document.doc_number)
    return document.doc_type in LAW_TYPES and bool(document.title) and \
        fold(mention.name or "").endswith(fold(document.title).strip())


def _usual_case(words: str | None, document_text: str, fallback: str | None = None
                ) -> str | None:
    """Write words read from an upper-case title as the document writes them elsewhere
    ("BỘ CHÍNH TRỊ" → "Bộ Chính trị"), else as `fallback` or with one capital at the start."""
    if not words or not is_upper_line(words):
        return words
    for match in re.finditer(re.escape(words), document_text, re.IGNORECASE):
        if not is_upper_line(match.group()):
            return match.group()
    return fallback or words[0] + words[1:].lower()


def _data(text: str, mention: Mention, relation: str, document_text: str) -> dict:
    """Return a record's fields: the mention as read, the relation, the text as written."""
    name = None if mention.number else mention.name
    return {"number": mention.number, "type": mention.type,
            "name": _usual_case(name.upper(), document_text, name) if name and
            is_upper_line(text[mention.start:mention.end]) else name,
            "date": mention.date, "relation": relation,
            "issuer": _usual_case(mention.issuer, document_text),
            "text": text[mention.start:mention.end]}


@dataclass(frozen=True)
class ReferenceExtractor:
    kind: str = "references"
    version: int = 4  # 4: a letter's body cites; "Luật sửa đổi … của Luật X số N" is law N

    def extract(self, document: ExtractedDocument) -> list[NewRecord]:
        """Return one record per mention of another document, in document order."""
        rows = paragraphs(document)
        texts = [text for _, _, text in rows]
        roles = paragraph_roles(texts, document.paragraph_cells)
        preamble = _preamble_rows(texts, roles)
        reading = _Reading(amend_allowed=document.doc_type in _ENACTING_TYPES
                           or not document.doc_type)
        records: list[NewRecord] = []
        recipients = False
        for i, ((start, _, text), role) in enumerate(zip(rows, roles)):
            folded = fold(text)
            if role in (SIGNATURE, RECIPIENTS):
                reading.amend_allowed = False  # what follows is an attachment
            # a crawled letter may hold "Kính gửi: …" and its whole text in one table cell: its
            # "Căn cứ …" sentences are then its preamble's lines
            addressed = _RECIPIENT_LINE.match(folded) is not None
            letter = addressed and len(text) >= 400
            recipients = addressed and not letter or \
                (recipients and folded.lstrip().startswith(("-", "+")))
            if role == RECIPIENTS and _BASIS.match(folded.strip()):
                role = BODY  # a decision drafted after the signature: no recipient says "Căn cứ"
            if role in (CHROME, RECIPIENTS, SIGNATURE) or recipients or \
                    _NUMBER_LINE.match(folded):  # (a "Số: …" line: the number of some document)
                reading.carry = None
                continue
            records += self._paragraph(document, start, text, role, i in preamble or letter,
                                       reading)
        return records

    def _paragraph(self, document: ExtractedDocument, offset: int, text: str, role: str,
                   preamble: bool, reading: _Reading) -> list[NewRecord]:
        """Read the references of one paragraph and update what it passes on."""
        mentions = [m for m in amending_titles(text, lowered(text), find_mentions(text))
                    if not _is_self(m, document)]
        relations = _relations(text, mentions, role, preamble, reading) if mentions else []
        records, seen = [], set()
        spans = _sentences(text)
        for mention, relation in zip(mentions, relations):
            sentence = next(s for s, e in spans if s <= mention.start < e or e == len(text))
            key = (sentence, number_key(mention.number) if mention.number
                   else fold(mention.name or ""))
            if key in seen:
                continue  # the same act twice in one sentence is one reference
            seen.add(key)
            records.append(NewRecord(offset + mention.start, offset + mention.end,
                                     _data(text, mention, relation, document.text)))
        stripped = text.rstrip(" *")
        if stripped.endswith(":") or (role == HEADER and is_upper_line(text)):
            reading.carry = _trailing_relation(text, role, preamble, reading)
        elif not (mentions and _FILLER.match(_unnumbered(lowered(text[:mentions[0].start])))):
            reading.carry = None  # (an item that opens with an act goes on with the lead-in)
        return records
