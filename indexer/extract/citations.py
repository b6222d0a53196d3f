"""How official documents write a mention of another document: its số hiệu, its type, the
name of a law, and the date and issuer that follow.

These are the language rules of the reference extractor (`references`): `find_mentions` reads
one paragraph and knows nothing of sentences or relations. Positions are offsets into the
paragraph; words are matched on `fold`ed text, function words on lower-cased text with their
diacritics (folded, "về" is "vệ" and "từ" is "tư"): both keep every position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..vietnamese import (CAPITALS, DOC_TYPES, MINISTRIES, TYPE_CODES, agency_spans, fold,
                          is_upper_line)

LAW_TYPES = ("Bộ luật", "Hiến pháp", "Pháp lệnh", "Luật")
# Head nouns a số hiệu follows besides the document types: "Văn bản" takes its type from the
# code; the others are kinds of document the type list does not hold.
_EXTRA_HEADS = {"văn bản": None, "giấy phép": "Giấy phép", "bộ luật": "Bộ luật"}
_HEADS = {fold(t): t for t in DOC_TYPES} | {fold(k): v for k, v in _EXTRA_HEADS.items()}
_HEAD = re.compile(r"(?<![\w])(?:%s)(?![\w])" % "|".join(
    re.escape(h) for h in sorted(_HEADS, key=len, reverse=True)))
_ABBREVIATED = {"QĐ": "Quyết định", "NĐ": "Nghị định", "NQ": "Nghị quyết", "TT": "Thông tư",
                "CT": "Chỉ thị", "KH": "Kế hoạch", "TB": "Thông báo", "CV": "Công văn"}
_ABBREVIATION = re.compile(r"(?<![\w])(%s)\s+(?:số\s*:?\s*)?$" % "|".join(_ABBREVIATED))
_SO = re.compile(r"(?<![\w])(?:so|sổ|số)\s*:?\s*$")  # "số", "số:", the typos "so", "sổ"
_SO_TAIL = re.compile(r"[\s:]*(?:so|sổ|số)?\s*:?\s*$")

# A số hiệu as written: digits (66.7 too), then codes joined by "/" or "-". A separator may
# carry one space on one side ("27/NQ- TW", "71/NQ -CP"), never on both ("2021 - 2030").
_SEGMENT = r"[0-9A-ZĐ][0-9A-Za-zĐđ&]*"
_SEPARATOR = r"(?:[/-]| [/-](?! )|[/-] (?=[A-ZĐ])|(?<=[A-ZĐ]) - (?=[A-ZĐ]{2,}(?![\w])))"  # "CTK - CSCL"
NUMBER = re.compile(rf"(?<![\w/.…&-])\d{{1,5}}(?:\.\d{{1,3}})?(?:{_SEPARATOR}{_SEGMENT})+")
# Codes an upper-case title writes in capitals, in their usual case.
_MIXED_CASE = {"TTG": "TTg", "TTR": "TTr", "CTR": "CTr"}
# Words before a bare number that make it a form, a standard, a code or a plate.
_NOT_A_DOCUMENT = re.compile(r"(?:mau|mau so|qcvn|tcvn|to khai|ma so|bien so|tieu chuan co so)"
                             r"\s*:?\s*$")
_FORM = re.compile(r"(?:mau|mau so|bieu mau|phu luc)\s+(?:so|số)\s*:?\s*$")  # "theo mẫu số 01-ĐĐN"
_CONTINUES = re.compile(r"^[\s,;]*(?:(?:va|hoac|cung)\s+)?(?:cac\s+)?$")

_DATE = re.compile(r"\s*,?\s*(?:ban hanh\s+)?ngay\s+(\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(\d{1,2})"
                   r"\s*(?:[/.-]|\s+nam\s+)\s*(\d{4})(?!\d)")
_PASSED = re.compile(r"\s*,?\s*(?:da )?duoc (.{3,60}?) thong qua(?:\s+tai ky hop thu \w+)?")
_YEAR_AFTER = re.compile(r"\s*(?:nam\s+)?(?:19|20)\d\d(?![\d/])")
_OF = re.compile(r"\s*,?\s*của\s+")
_OFFICE = re.compile(r"(?:Phó )?(?:Bộ trưởng|Thứ trưởng|Chủ tịch|Giám đốc|Thống đốc|Tổng Bí thư|"
                     rf"Chủ nhiệm|Tổng Kiểm toán|Trưởng [Bb]an|Bí thư|Trưởng)\s+(?=[{CAPITALS}])")
_LEVEL = re.compile(r" (?:[Tt]ỉnh|[Tt]hành phố|[Hh]uyện|xã|phường|cấp tỉnh|cấp xã)(?![\w])")
_MINISTRY = re.compile(r"Bộ (?:%s)(?![\w])" % "|".join(re.escape(m) for m in MINISTRIES))
_ISSUER_STOPS = re.compile(r"(?:về|ban hành|phê duyệt|quy định|hướng dẫn|triển khai|thực hiện|"
                           r"tại|theo|sửa đổi|bãi bỏ|thay thế|ngày|số|nhằm|để|cho|trên|trong|"
                           r"đối với|thi hành|đồng thời)(?![\w])")


def lowered(text: str) -> str:
    """Return text in lower case, one character per character (positions are kept)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# --- law names -----------------------------------------------------------------------------

_MAYBE = re.compile(r"\d|[Ll]uật|LUẬT|Hiến pháp|HIẾN PHÁP|Pháp lệnh|PHÁP LỆNH|Nghị quyết|NGHỊ QUYẾT")
# Resolutions known by the meeting that passed them, with no number: a Party congress ("Nghị
# quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"), a Central Committee plenum ("Nghị
# quyết Trung ương 4 khóa XII"), the Government's monthly meeting ("Nghị quyết phiên họp Chính
# phủ thường kỳ tháng 9 năm 2025"). Matched folded.
_NAMED_RESOLUTION = re.compile(
    r"(?<![\w])nghi quyet (?:cua )?(?:"
    r"(?:dai hoi|hoi nghi)(?: [^\W\d_]+){0,7}? lan thu [ivxlc]+(?![\w])(?: cua dang(?! bo)(?![\w]))?"
    r"|(?:hoi nghi )?(?:lan thu \d+ )?(?:ban chap hanh )?trung uong (?:dang )?(?:lan thu )?\d{1,2},? "
    r"khoa [ivxlc]+(?![\w])"
    r"|phien hop chinh phu thuong ky thang \d{1,2}(?: nam (?:19|20)\d\d)?(?![\w]))")
_LAW_HEAD = re.compile(r"(?<![\w])(?<!phap )(?:bo luat|hien phap|phap lenh|luat)(?![\w])")
# What ends a law's name: the words that follow a name in a sentence (function words, verbs,
# article references), lower-cased. A name's first word is never one of them.
_NAME_STOPS = re.compile(
    r"(?:số(?=[\s:]*[\d.…])|ngày|năm|được|đã|đang|sẽ|có|là|thì|về|theo|tại|trong|trên|dưới|"
    r"để|nhằm|với|cho|của|khi|hoặc|hiện hành|quy định|hướng dẫn|sửa đổi|này|các|những|một|"
    r"bảo đảm|đảm bảo|đến|từ|do|bởi|thuộc|gồm|bao gồm|như|sau|đối với|mà|nếu|phải|cần|không|"
    r"chưa|cũng|vẫn|tiếp tục|tham gia|quyết định|thực hiện|triển khai|thi hành|ban hành|"
    r"áp dụng|liên quan|phù hợp|(?:điều|khoản|điểm|chương|mục|phụ lục) [\dIVX]|ở|vào|ra|lên|"
    r"thông qua|yêu cầu|hiệu lực|nhất là|đặc biệt là|cụ thể|nói trên|hiện nay|và các|đồng thời|"
    r"trừ|nhưng|bằng|bị|kèm|cùng|đóng|nộp|đủ|báo cáo)(?![\w])|năm(?=\d)")
# Law names holding one of those words, which the rule alone would cut short.
KNOWN_NAMES = (
    "Nhà ở", "Đầu tư theo phương thức đối tác công tư", "Thực hiện dân chủ ở cơ sở",
    "Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam",
    "Xuất cảnh, nhập cảnh của công dân Việt Nam", "Phòng, chống tác hại của rượu, bia",
    "Phòng, chống tác hại của thuốc lá", "Hoạt động giám sát của Quốc hội và Hội đồng nhân dân",
    "Ưu đãi người có công với cách mạng", "Chất lượng sản phẩm, hàng hóa",
    "Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng",
    "Quản lý, sử dụng vốn nhà nước đầu tư vào sản xuất, kinh doanh tại doanh nghiệp",
    "Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân",
    "Sử dụng năng lượng tiết kiệm và hiệu quả",
    "Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ",
    "Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn dịch mắc phải ở người (HIV/AIDS)",
    "Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn dịch mắc phải ở người")
_KNOWN = tuple(sorted((fold(n) for n in KNOWN_NAMES), key=len, reverse=True))
# After "và" a name goes on with a lower-case word ("Luật Phí và lệ phí") unless that word
# opens what a sentence lists beside a law: "Luật Đầu tư công và pháp luật có liên quan".
_NOT_AFTER_AND = re.compile(r"(?:pháp luật|văn bản|quy định|hướng dẫn|chính sách|nghị định|"
                            r"thông tư|chế độ|chương trình|kế hoạch|đề án|nguồn|cơ quan|nội dung|"
                            r"xây dựng|hoàn thiện|tổ chức|thực hiện|nhiều)(?![\w])")
_WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r",? và |, | ")
_AMENDING = re.compile(r"sua doi,? bo sung(?: mot so dieu)?(?: cua)?(?: cac)? ")
# A law named in lower case, then its number or date: "Luật tổ chức chính quyền địa phương số …"
_DELIMITED = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){0,9},? (?:số \d|ngày \d|năm (?:19|20)\d\d)")
_CONSTITUTION = re.compile(r"hien phap(?: nuoc cong hoa xa hoi chu nghia viet nam)?")


@dataclass(frozen=True)
class Mention:
    """One mention of another document in a paragraph (offsets into the paragraph)."""

    start: int
    end: int
    number: str | None
    type: str | None
    name: str | None = None
    date: str | None = None
    issuer: str | None = None


def read_law_name(text: str, folded: str, start: int, upper: bool,
                  low: str | None = None) -> Mention | None:
    """Read a law's name at a "Luật"/"Bộ luật"/"Pháp lệnh"/"Hiến pháp" head, or None.

    A name is the head and a capitalised first word, then words up to a function word, a
    verb or punctuation; "và" and "," go on only before a lower-case content word ("Luật
    Phí và lệ phí", "Luật Quản lý, sử dụng tài sản công", not "Luật Giá, Nghị định").
    """
    low = lowered(text) if low is None else low
    head = _LAW_HEAD.match(folded, start)
    if head is None or not text[start].isupper():
        return None
    law_type = next(t for t in LAW_TYPES if fold(t) == head.group())
    if law_type == "Hiến pháp":
        end = _CONSTITUTION.match(folded, start).end()
    elif folded[head.end():head.end() + 1] != " ":
        return None
    elif amending := _AMENDING.match(folded, head.end() + 1):
        inner = read_law_name(text, folded, amending.end(), upper, low)  # named in full
        if inner is None:
            return None
        end = inner.end
    else:
        at = head.end() + 1
        known = next((k for k in _KNOWN if folded.startswith(k, at)
                      and not folded[at + len(k):at + len(k) + 1].isalnum()), None)
        end = at + len(known) if known else _name_end(text, folded, low, at, upper)
        if end is None and _DELIMITED.match(low, at):  # "Bộ luật hàng hải Việt Nam ngày …"
            end = _name_end(text, folded, low, at, True)
        if end is None:
            return None
    return Mention(start, end, None, law_type, _titled(text[start:end], upper))


def _name_end(text: str, folded: str, low: str, at: int, upper: bool) -> int | None:
    """Return where the words of a name starting at `at` end, or None if there is no name."""
    first = _WORD.match(text, at)
    if first is None or first.group().isdigit() or first.group() in TYPE_CODES or \
            (upper and _NAME_STOPS.match(low, at)) or not (upper or first.group()[0].isupper()):
        return None
    end, part = first.end(), 1  # part: syllables since the last "," or "và"
    while (joiner := _JOINER.match(text, end)) is not None:
        word = _WORD.match(text, joiner.end())
        if word is None or word.group().isdigit() or _NAME_STOPS.match(low, word.start()):
            break
        capital = word.group()[0].isupper() and not upper
        if _LAW_HEAD.match(folded, word.start()) or (capital and _HEAD.match(folded, word.start())):
            break  # another document: "Luật Ngân sách nhà nước, Luật Đầu tư công"
        if joiner.group() != " ":
            if capital or (joiner.group() == ", " and part > 2) or \
                    ("và" in joiner.group() and _NOT_AFTER_AND.match(low, word.start())):
                break  # ", Nghị định", or a list of subjects rather than one name
            part = 0
        end, part = word.end(), part + 1
    return end


def _titled(name: str, upper: bool) -> str:
    """Write an upper-case title's name the usual way: "LUẬT VIỆC LÀM" → "Luật Việc làm"."""
    name = re.sub(r"\s+", " ", name).strip(" ,")
    if not upper:
        return name
    words = name.lower().split(" ")
    first = 2 if words[0] == "bộ" else 1
    return " ".join(w.capitalize() if i in (0, first) else w for i, w in enumerate(words))


# --- numbers -------------------------------------------------------------------------------


def normalise_number(raw: str) -> str:
    """Write a số hiệu without spaces and with its codes in their usual case ("-TTg")."""
    number = re.sub(r"\s+", "", raw)
    return re.sub(r"(?<=[/-])(TTG|TTR|CTR)(?![\w])", lambda m: _MIXED_CASE[m.group(1)], number)


def type_from_code(number: str) -> str | None:
    """Return the type the code of a số hiệu names ("1850/QĐ-TTg" → Quyết định), or None."""
    for segment in re.split(r"[/-]", number)[1:]:
        if not segment.isdigit():
            return next((t for code, t in TYPE_CODES.items() if fold(code) == fold(segment)),
                        None)
    return None


def _is_document_number(number: str) -> bool:
    """Say whether a match has the codes of a số hiệu: "QĐ", "TW", "QH15", not "2025" alone."""
    return any(re.fullmatch(r"[A-ZĐ][A-Za-zĐđ&]*\d*", s) for s in re.split(r"\s*[/-]\s*", number)[1:])


def _head_before(text: str, folded: str, start: int, floor: int) -> tuple[int, str | None] | None:
    """Find the type word of a số hiệu at `start` (nearest in its phrase), back to `floor`.

    "Nghị quyết số", "Luật Giá số", "Thông báo kết luận số", "Nghị định của Chính phủ: số",
    "QĐ số"; a lower-case type word only right before the number ("theo quyết định số").
    """
    window = folded[floor:start]
    cut = max(window.rfind(c) for c in ";.()[]“”\"")
    floor, window = floor + cut + 1, window[cut + 1:]
    best = lower = None  # the nearest capitalised type word, else the nearest lower-case one
    for match in _HEAD.finditer(window):
        if text[floor + match.start()].isupper():
            best = match
        else:
            lower = match
    best = best or lower
    if best is not None:
        between = _SO_TAIL.sub("", window[best.end():])
        if len(between.split()) <= 14 and ":" not in between:
            return floor + best.start(), _HEADS[best.group()]
    abbreviation = _ABBREVIATION.search(text, floor, start)
    if abbreviation and abbreviation.end() == start:
        return abbreviation.start(), _ABBREVIATED[abbreviation.group(1)]
    return None


def _adjacent(folded: str, head: int, at: int) -> bool:
    """Say whether only spaces stand between a type word at `head` and a number at `at`."""
    word = _HEAD.match(folded, head)
    return word is None or folded[word.end():at].strip() == ""  # (an abbreviation is adjacent)


def _numbered(text: str, folded: str, match: re.Match, laws: list[Mention],
              previous: Mention | None) -> Mention | None:
    """Make a numbered mention of a số hiệu found in a paragraph, or None if it is none."""
    number, at = normalise_number(match.group()), match.start()
    before = folded[max(0, at - 40):at]
    code_type = type_from_code(number)
    floor = previous.end if previous else 0
    law = next((w for w in laws if w.end <= at and
                re.fullmatch(r"\s*,?\s*(?:(?:so|số)\s*:?\s*)?", folded[w.end:at])), None)
    if law is not None:  # "Luật Giá số 16/2023/QH15", "Luật An ninh mạng 24/2018/QH14"
        start = law.start
        # "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng số 62/2020/QH14": the number
        # of one law amended is the amending law's, the whole title its name
        return Mention(start, match.end(), number, law.type)
    head = _head_before(text, folded, at, floor)
    if _SO.search(before) and not _FORM.search(before):
        start = at - len(_SO.search(before).group())
        if head is not None:
            start, doc_type = head
        elif previous is not None and previous.type:  # "các Quyết định: số 36/…; số 1569/…"
            doc_type = code_type or previous.type
        else:
            doc_type = code_type
        if head is not None and head[1] is None:  # "Văn bản số": the code says the type
            doc_type = code_type or "Công văn"
        return Mention(start, match.end(), number, doc_type)
    if head is not None and _adjacent(folded, head[0], at):  # "Nghị định 30/2020/NĐ-CP"
        return Mention(head[0], match.end(), number, head[1] or code_type or "Công văn")
    if previous is not None and _CONTINUES.match(folded[previous.end:at]):
        return Mention(at, match.end(), number, code_type or previous.type)  # "…, 4032/TCHQ-GSQL"
    if code_type and not _NOT_A_DOCUMENT.search(before):
        return Mention(at, match.end(), number, code_type)
    return None


# --- what follows a mention ----------------------------------------------------------------


def _read_date(folded: str, at: int) -> tuple[str | None, int]:
    """Read "ngày 22/12/2024" or "ngày 22 tháng 12 năm 2024" at a position: (ISO, end)."""
    match = _DATE.match(folded, at)
    if not match:
        return None, at
    day, month, year = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None, at
    return f"{year:04d}-{month:02d}-{day:02d}", match.end()


def _read_issuer(text: str, low: str, at: int) -> tuple[str | None, int]:
    """Read "của Bộ Chính trị" after a mention: (issuer as written, end), or (None, at)."""
    of = _OF.match(low, at)
    if of is None or not text[of.end():of.end() + 1].isupper():
        return None, at
    begin = of.end()
    office = _OFFICE.match(text, begin)  # "Bộ trưởng Bộ Tài chính", "Tổng Bí thư Tô Lâm"
    body = office.end() if office else begin
    spans = agency_spans(text[body:body + 160])
    if (ministry := _MINISTRY.match(text, body)) is not None:
        end = ministry.end()  # "Bộ Văn hóa, Thể thao và Du lịch": a comma inside the name
    elif spans and spans[0][0] == 0:
        end = body + spans[0][1]
    else:  # bodies the agency rules do not open: a capitalised name
        end = body
        while (word := re.compile(r" ?([^\W_]+)").match(text, end)) is not None:
            name = word.group(1)
            following = re.compile(r" ([^\W_]+)").match(text, word.end())
            if _ISSUER_STOPS.match(low, word.start(1)) or not (
                    name[0].isupper() or name.isdigit()
                    or (following and following.group(1)[0].isupper())):
                break
            end = word.end()
    if end > begin and (level := _LEVEL.match(text, end)) is not None:
        end = level.end()  # "UBND tỉnh", "Hội đồng nhân dân thành phố"
    stop = _ISSUER_STOPS.search(low, body + 1, end + 12)  # a title runs on: "… VỀ VIỆC …"
    if stop and stop.start() < end and low[stop.start() - 1] == " ":
        end = stop.start() - 1
    return (text[begin:end].strip(" ,"), end) if end > begin else (None, at)


def _extend(text: str, folded: str, low: str, mention: Mention) -> Mention:
    """Take in the date and the issuer written after a mention; drop a law's year."""
    end = mention.end
    if mention.number is None and (year := _YEAR_AFTER.match(folded, end)) is not None:
        end = year.end()  # "Luật Kế toán năm 2015": the name is "Luật Kế toán"
    date, end = _read_date(folded, end)
    issuer, end = _read_issuer(text, low, end)
    if mention.type in LAW_TYPES and issuer is None:
        issuer, end = _passed_by(text, folded, end)
        if issuer is not None and date is None:
            date, end = _read_date(folded, end)
    return replace(mention, end=end, date=date, issuer=issuer)


def _passed_by(text: str, folded: str, at: int) -> tuple[str | None, int]:
    """Read "được Quốc hội khóa XV thông qua (tại kỳ họp thứ 9)" after a law: (issuer, end)."""
    match = _PASSED.match(folded, at)
    if match is None or not text[match.start(1):match.start(1) + 1].isupper():
        return None, at
    return text[match.start(1):match.end(1)], match.end()


def find_mentions(text: str) -> list[Mention]:
    """Return the mentions of other documents in one paragraph, in order.

    A mention is a số hiệu with its type word ("Nghị quyết số 57-NQ/TW", "Luật Giá số
    16/2023/QH15", "số 160/TB-VPCP" in a list), or a law named without a number ("Luật Việc
    làm"), each with the date and the issuer written after it. Self-references ("Luật này")
    are no names; the document's own number is for the caller to leave out.
    """
    if not _MAYBE.search(text):
        return []  # neither a number nor a law: most paragraphs
    folded, low, upper = fold(text), lowered(text), is_upper_line(text)
    laws: list[Mention] = []
    for head in _LAW_HEAD.finditer(folded):
        if laws and head.start() < laws[-1].end:
            continue
        if (law := read_law_name(text, folded, head.start(), upper, low)) is not None:
            laws.append(law)
    mentions: list[Mention] = []
    for match in NUMBER.finditer(text):
        if not _is_document_number(match.group()):
            continue
        previous = mentions[-1] if mentions else None
        if (mention := _numbered(text, folded, match, laws, previous)) is not None:
            laws = [w for w in laws if not (mention.start <= w.start < mention.end)]
            mentions.append(_extend(text, folded, low, mention))
    taken = [(m.start, m.end) for m in mentions]
    for resolution in _NAMED_RESOLUTION.finditer(folded):
        if (upper or text[resolution.start()].isupper()) and \
                not any(s <= resolution.start() < e for s, e in taken):
            laws.append(Mention(resolution.start(), resolution.end(), None, "Nghị quyết",
                                _titled(text[resolution.start():resolution.end()], upper)))
    for law in laws:
        if not any(s <= law.start < e for s, e in taken):
            mentions.append(_extend(text, folded, low, law))
    return sorted(mentions, key=lambda m: m.start)
