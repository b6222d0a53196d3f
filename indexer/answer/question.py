"""What a question asks: the kind of answer, its focus, the terms that pin it down.

"Ai chịu trách nhiệm …" asks for an agency, "trước ngày nào" for a deadline, "bao nhiêu" for a
number with its unit, "những nhiệm vụ nào" for a list; "nhiệm vụ chuyển đổi số" asks nothing
and is a keyword query. The pinning terms (a province, a year, a document number, another
number, an agency named in the question) are what an answer must be about: a question about
Cà Mau is not answered by a Đồng Nai plan, one about 2030 not by a 2025 target.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..vietnamese import (BODIES, DOCUMENT_NUMBER, PROVINCES, QUESTION_WORDS, SYLLABLE, agency_spans,
                          fold, number_key, typed_without_diacritics)

Finder = Callable[[str], list[tuple[int, int]]]

AGENCY, DEADLINE, QUANTITY, PLACE = "agency", "deadline", "quantity", "place"
LIST, DEFINITION, YES_NO, KEYWORD, OTHER = "list", "definition", "yes_no", "keyword", "other"
KINDS = (AGENCY, DEADLINE, QUANTITY, PLACE, LIST, DEFINITION, YES_NO, KEYWORD, OTHER)

_NUMBER = r"\d+(?:[.,]\d+)*"
_UNITS = {
    "tien": r"(?:nghìn |ngàn |triệu |tỷ )?đồng", "phan tram": r"%| phần trăm",
    "lau": r"năm|tháng|tuần|ngày|giờ|phút",
}
_DATE = re.compile(
    r"(?:(?:hoàn thành |xong )?(?:trước|chậm nhất|trong|đến hết|đến|từ) )?"
    r"(?:ngày \d{1,2}(?: tháng \d{1,2}(?: năm \d{4})?|/\d{1,2}(?:/\d{4})?)|\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:tháng \d{1,2}(?:/\d{4})?(?: năm \d{4})?)|năm \d{4}|quý [IV]+(?:(?:/| năm )\d{4})?"
    r"|(?:6|sáu) tháng (?:đầu|cuối) năm(?: \d{4})?)"
    # "kể từ ngày ký", "trong thời hạn 10 ngày" are times; "trước hoặc cùng lúc với …" is not.
    r"|(?:trước|sau|kể từ|chậm nhất|trong thời hạn) (?=[^,.;:]{0,30}?(?:\d|ngày|tháng|năm|quý|"
    r"tuần|giờ))[^,.;:]{3,60}", re.IGNORECASE)
# "Quyết định số 1850/QĐ-TTg ngày 31/12/2024": a date that dates a cited document, no deadline.
_CITED_DATE = re.compile(rf"(?:{DOCUMENT_NUMBER.pattern}|số \S+)\s*,?\s*$", re.IGNORECASE)

# Phrases that ask for each kind, on folded text; the first kind whose phrase occurs wins.
_ASKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (DEADLINE, ("khi nao", "bao gio", "luc nao", "ngay nao", "nam nao", "thang nao", "quy nao",
                "thoi diem nao", "thoi gian nao", "han nao", "thoi han", "han chot",
                "den nam nao", "truoc ngay nao", "moc thoi gian", "tu ngay nao")),
    (AGENCY, ("ai", "co quan nao", "don vi nao", "to chuc nao", "cap nao", "ben nao", "so nao",
              "bo nao", "nganh nao", "ban nao", "cuc nao", "luc luong nao", "chu the nao",
              "nguoi nao", "co quan gi", "don vi gi")),
    (PLACE, ("o dau", "tai dau", "noi nao", "dia diem nao", "dia ban nao", "tinh nao",
             "xa nao", "huyen nao", "khu vuc nao", "vung nao", "dia phuong nao", "den dau")),
    (LIST, ("nhung gi", "gom nhung", "bao gom nhung", "ke ten", "liet ke", "nhung nhiem vu",
            "nhung giai phap", "nhung noi dung", "cac nhiem vu nao", "cac giai phap nao",
            "cac noi dung nao", "nhung bien phap", "nhung linh vuc", "nhung truong hop",
            "nhung hanh vi", "nhung loai")),
    (YES_NO, ("co phai", "hay khong", "phai khong", "duoc khong", "co duoc", "dung khong")),
    (DEFINITION, ("la gi", "duoc hieu", "the nao la", "dinh nghia", "nhu the nao", "the nao", "ra sao",
                  "quy dinh gi", "gi", "nao", "sao", "vi sao", "tai sao")),
)
# "Căn cứ vào đâu", "theo văn bản nào": the legal basis is what is asked; preambles answer.
_BASIS = ("can cu", "co so phap ly", "theo van ban nao", "thuc hien van ban nao",
          "thuc hien nghi quyet nao", "thuc hien quyet dinh nao", "van ban nao")
# "máy" (a machine) folds to "may" as "mấy" (how many) does; typed without diacritics, "may"
# asks only before a word that counts.
_MACHINE = ("may tinh", "may moc", "may bay", "may chu", "may in", "may thu", "may xuc")
_MANY = re.compile(r" (?:nhung|cac) (?:[^\W\d_]+ ){1,6}?(?:nao|gi) ")
_LAW_YEAR = re.compile(r"\bluat\b(?: [^\W\d_]+){0,8},? (?:nam )?$")
_STRUCTURE_NUMBER = re.compile(r"\b(?:dieu|khoan|diem|chuong|muc|phan|phu luc|so)\s*$")
_YEAR = re.compile(r"(?<![\d/.-])(?:19|20)\d{2}(?![\d/-])")
_NUMBER_PIN = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?![\w/])(?: ?%)?")
_HCM = re.compile(r"\b(?:tp\.? ?hcm|tphcm|tp\.? ?ho chi minh|thanh pho ho chi minh)\b")
# "Văn phòng Trung ương Đảng chủ trì": the name-reader may run into the verb's first syllable.
_TRAILING_VERB = re.compile(r"\s+(?:chủ|phối|thực|tham|chịu|có|phải|được|là|giao|cần)$")
_KINDS_OF_BODY = frozenset(fold(name) for name in (
    *BODIES, "Tòa án", "Viện kiểm sát", "Công an", "Ủy ban nhân dân cấp tỉnh", "UBND",
    "Ủy ban nhân dân tỉnh", "UBND tỉnh", "Chủ tịch", "Chủ tịch UBND", "Chủ tịch Ủy ban nhân dân",
    "Chủ tịch UBND tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh", "Ban", "Bộ", "Sở"))
_PROVINCE_KEYS = sorted({fold(p) for p in PROVINCES} - {"ho chi minh", "thanh pho ho chi minh"},
                        key=len, reverse=True)


@dataclass(frozen=True)
class Pin:
    """A term of the question that the answer must be about."""

    kind: str  # "province", "year", "document", "number", "agency"
    text: str  # as the question writes it
    key: str  # folded, for matching


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # one of KINDS
    asks_basis: bool  # the legal basis is asked: preamble lines may answer
    focus: tuple[str, ...]  # content syllables, folded
    pins: tuple[Pin, ...]
    finder: Finder | None = field(default=None, compare=False, repr=False)
    term: str | None = None  # what a "X là gì?" question asks to define, folded

    @property
    def is_keyword(self) -> bool:
        return self.kind == KEYWORD


def _regex_finder(pattern: re.Pattern) -> Finder:
    return lambda sentence: [m.span() for m in pattern.finditer(sentence)]


def _deadline_spans(sentence: str) -> list[tuple[int, int]]:
    """Find dates that can be a deadline: not the date of a document the sentence cites."""
    return [m.span() for m in _DATE.finditer(sentence)
            if not _CITED_DATE.search(sentence[max(0, m.start() - 40):m.start()])]


def _quantity_finder(written: list[str], folded: list[str], asks: list[int]) -> Finder:
    """Find "<number> <unit>" with the unit the question asks about, if it names one."""
    after = folded[max(asks) + 1:]  # "từ bao nhiêu đến bao nhiêu năm": the unit is last
    unit = _UNITS.get(" ".join(after[:2])) or _UNITS.get(after[0] if after else "")
    if unit is None and after and after[0] not in QUESTION_WORDS:
        # The unit as the question spells it: "tuổi", "năm", "nội dung" (a word is often
        # two syllables, and the text may say "15 nội dung" or just "15 nội").
        unit = re.escape(written[max(asks) + 1])
        if len(after) > 1 and after[1] not in QUESTION_WORDS:
            unit += f"(?: {re.escape(written[max(asks) + 2])})?"
    unit = unit or r"[^\W\d_]+"
    flags = re.IGNORECASE
    if typed_without_diacritics(" ".join(written)):
        # The question's unit has no diacritics; the document's has: match the number alone.
        unit = r"[^\W\d_]+(?: [^\W\d_]+)?|%"
    return _regex_finder(re.compile(
        rf"(?:{_NUMBER}(?: [^\W\d_]+)? (?:đến|tới|-|–) )?{_NUMBER} ?(?:{unit})(?![^\W_])", flags))


def _counting_asks(written: list[str], folded: list[str], unaccented: bool) -> list[int]:
    asks = [i for i, w in enumerate(folded) if w == "nhieu" and i and folded[i - 1] == "bao"]
    asks += [i for i, w in enumerate(written) if w == "mấy"]
    if unaccented:
        text = " ".join(folded)
        asks += [i for i, w in enumerate(folded) if w == "may" and i + 1 < len(folded)
                 and not any(f"may {folded[i + 1]}" == m for m in _MACHINE)
                 and "may" in text]
    return sorted(set(asks))


def _kind(folded_text: str, has_mark: bool, syllable_count: int) -> str:
    padded = f" {folded_text} "
    for kind, phrases in _ASKS:
        if any(f" {phrase} " in padded for phrase in phrases):
            return kind
        if kind == DEADLINE and _MANY.search(padded):
            return LIST  # "những thị trường nào", "những việc gì": before "cấp nào" (who)
    if re.search(r" co .+ khong ", padded) or padded.endswith(" khong "):
        return YES_NO
    if not has_mark and syllable_count <= 10:
        return KEYWORD
    return OTHER


def _pins(question: str, folded: str) -> list[Pin]:
    pins: list[Pin] = []
    taken: list[tuple[int, int]] = []
    for match in DOCUMENT_NUMBER.finditer(question):
        pins.append(Pin("document", match.group(), number_key(match.group())))
        taken.append(match.span())
    for match in _YEAR.finditer(question):
        if any(a <= match.start() < b for a, b in taken):
            continue
        taken.append(match.span())
        # "Bộ luật Hình sự năm 2017" names a law (whose articles rarely say their year); a
        # year that dates what is asked pins it: "đến năm 2030", "trong năm 2026".
        if not _LAW_YEAR.search(folded[max(0, match.start() - 60):match.start()]):
            pins.append(Pin("year", match.group(), match.group()))
    for match in _NUMBER_PIN.finditer(question):
        # "khoản 3 Điều 107" points into a law; the article that answers need not say so.
        if not any(a <= match.start() < b for a, b in taken) and \
                not _STRUCTURE_NUMBER.search(folded[max(0, match.start() - 12):match.start()]):
            number = match.group().rstrip("% ").lstrip("0") or "0"
            pins.append(Pin("number", match.group(), number))
    if _HCM.search(folded):
        pins.append(Pin("province", "Thành phố Hồ Chí Minh", "ho chi minh"))
    # A question typed with capitals writes a place name with them ("Nghệ An"); so does not
    # "công nghệ an toàn". One typed all in lower case (on a phone) is matched as it is.
    capitals = question != question.lower()
    for key in _PROVINCE_KEYS:
        for found in re.finditer(rf"(?<![^\W_]){re.escape(key)}(?![^\W_])", folded):
            written = question[found.start():found.end()]
            if capitals and not all(word[:1].isupper() for word in written.split()):
                continue
            if not any(key in pin.key for pin in pins if pin.kind == "province"):
                pins.append(Pin("province", written, key))
            break
    places = [pin.text for pin in pins if pin.kind == "province"]
    for start, end in agency_spans(question):
        name = _TRAILING_VERB.sub("", question[start:end])
        for place in places:  # "Sở Tài chính Bắc Ninh": the place is a pin of its own
            name = re.sub(rf"\s+(?:tỉnh |thành phố |TP\.? ?)?{re.escape(place)}$", "", name)
        # "Chính phủ", "Tòa án", "Ủy ban nhân dân" name a kind of body that most passages
        # answer for; "Sở Tài chính", "Bộ Nội vụ" name one, which the answer must be about.
        if fold(name) not in _KINDS_OF_BODY and not fold(name).startswith(("bo luat", "luat")):
            pins.append(Pin("agency", name, fold(name)))
    return pins


def analyse(question: str) -> Question:
    """Read a question: what kind of answer it asks for, its focus and its pinning terms."""
    written = SYLLABLE.findall(question.lower())
    folded = [fold(w) for w in written]
    text = " ".join(folded)
    unaccented = typed_without_diacritics(question)
    asks = _counting_asks(written, folded, unaccented)
    finder: Finder | None = None
    if asks:
        kind, finder = QUANTITY, _quantity_finder(written, folded, asks)
    elif f" {text} ".find(" bao lau ") >= 0:
        kind = QUANTITY
        finder = _regex_finder(re.compile(rf"{_NUMBER} (?:{_UNITS['lau']})(?![^\W_])",
                                          re.IGNORECASE))
    else:
        # "AI" written in capitals is artificial intelligence, not "ai" (who).
        kind_text = " ".join("a_i" if w == "AI" else fold(w) for w in SYLLABLE.findall(question))
        kind = _kind(kind_text, "?" in question, len(written))
        if kind == DEADLINE:
            finder = _deadline_spans
        elif kind == AGENCY:
            finder = agency_spans
    term = defined_term(question) if kind == DEFINITION else None
    if term:
        finder = _definition_finder(term)
    # The folded text keeps the question's offsets (fold is length-preserving).
    pins = _pins(question, fold(question))
    focus = tuple(dict.fromkeys(w for w in folded if w not in QUESTION_WORDS))
    asks_basis = any(f" {phrase} " in f" {text} " for phrase in _BASIS)
    return Question(question, kind, asks_basis, focus, tuple(pins), finder, term)


def defined_term(question: str) -> str | None:
    """Return the term a definition question asks about: "kiến nghị sẽ giải quyết" of
    'hiểu "kiến nghị sẽ giải quyết" là gì?', "cột BTS" of "định nghĩa cột BTS là gì?"."""
    quoted = re.search(r"[\"“”']([^\"“”']{3,80})[\"“”']", question)
    if quoted:
        return fold(quoted.group(1)).strip()
    folded = fold(question)
    asked = re.search(r"(?:the nao la|the nao duoc goi la) ([^?,;]{3,80})", folded) or \
        re.search(r"([^?,;]{3,120}?) (?:duoc hieu )?la gi\b", folded) or \
        re.search(r"([^?,;]{3,120}?) duoc hieu (?:nhu the nao|the nao|ra sao)\b", folded)
    if not asked:
        return None
    words = asked.group(1).split()
    # The term follows the verb that asks for it: "… định nghĩa cột BTS", "… hiểu lập hồ sơ".
    for verb in ("dinh nghia", "giai thich", "hieu", "quy dinh"):
        joined = " ".join(words)
        if f" {verb} " in f" {joined} ":
            words = joined.rsplit(f"{verb} ", 1)[-1].split()
    # "định mức tiết dạy của giáo viên phổ thông": what is defined comes before its scope.
    words = re.split(r" (?:cua|theo|trong|tai|doi voi) ", " ".join(words))[0].split()[-8:]
    return " ".join(words) if len(words) >= 2 else None


def _definition_finder(term: str) -> Finder:
    """Find what a sentence says a term is: '“Term” là …', 'Term: là …', 'Term được hiểu là …'."""
    pattern = re.compile(rf"^[\W_]*{re.escape(term)}[\W_]*\s*:?\s*(?:duoc hieu )?la\s+([^;]+)")

    def find(sentence: str) -> list[tuple[int, int]]:
        found = pattern.search(fold(sentence))
        return [found.span(1)] if found else []
    return find


def weighed_text(question: Question) -> str:
    """The question without the words that only ask for the legal basis ("căn cứ văn bản
    nào"): those are weighed against the evidence as the question's content would be."""
    if not question.asks_basis:
        return question.text
    folded, text = fold(question.text), question.text
    for phrase in sorted(_BASIS, key=len, reverse=True):
        for found in re.finditer(rf"(?<![^\W_]){phrase}(?![^\W_])", folded):
            text = text[:found.start()] + " " * len(phrase) + text[found.end():]
    return " ".join(text.split())


def fact_finder(question: str) -> Finder | None:
    """Return what finds the phrase answering a how-many / when / who question, if it is one."""
    return analyse(question).finder
