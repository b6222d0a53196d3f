"""What every stage needs to know about Vietnamese and about official documents.

Folding for matching, syllables, function words and question words, sentence ends, list
markers and structural headings, document types and their codes in a số hiệu, agency names,
provinces. Stored and shown text is never folded: folding is a key for matching only.
"""
from __future__ import annotations

import re
import unicodedata

# --- folding -------------------------------------------------------------------------------


class _FoldTable(dict):
    """Maps each character to its folded form on first use (a `str.translate` table)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐ":
            folded = "d"
        elif unicodedata.combining(char):
            folded = ""  # a loose combining mark (text that is not NFC)
        else:
            base = unicodedata.normalize(
                "NFC", "".join(c for c in unicodedata.normalize("NFD", char)
                               if not unicodedata.combining(c))).lower()
            folded = base if len(base) == 1 else char.lower()[:1]
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Return text lower-cased, without diacritics, đ→d: a key for matching only.

    On NFC text the result has exactly one character per character, so a position found in
    the folded text is the same position in the original.
    """
    return text.translate(_FOLD)


# --- syllables and function words ------------------------------------------------------------

SYLLABLE = re.compile(r"[^\W_]+")


def syllables(text: str) -> list[str]:
    """Return the lower-case syllables of a text, diacritics kept."""
    return SYLLABLE.findall(text.lower())


# Function words that carry no topic; folded.
STOPWORDS = frozenset(fold(w) for w in """
    và của các cho với là được có trong theo về tại từ những một này đó để khi thì mà
    hoặc như nhưng đã sẽ đang bị do nên vì trên dưới ra vào lại cũng rất không gì nào
    ai bao nhiêu sao thế là gì
""".split())
# Question words say what is asked, not about what: "ai", "gì", "nào", "bao nhiêu".
QUESTION_WORDS = STOPWORDS | {fold(w) for w in
                              "ai gì nào bao nhiêu mấy đâu sao thế nhé vậy hả phải".split()}

_VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")


def typed_without_diacritics(text: str) -> bool:
    """Say whether a text is Vietnamese typed without diacritics ("nhiem vu chuyen doi so").

    Most words must be possible Vietnamese syllables, so an English query ("forest
    protection policy") is not mistaken for one.
    """
    if fold(text) != text.lower():
        return False
    words = re.findall(r"[a-z]+", text.lower())
    if not words:
        return False
    possible = sum(bool(_VIETNAMESE_SYLLABLE.fullmatch(w)) for w in words)
    return possible >= 0.7 * len(words)


# --- sentences -------------------------------------------------------------------------------

# A line that ends a sentence (or a clause that introduces a list, with ":" or ";").
# The capital letters of Vietnamese, for a character class: "[A-ZĐÀ-Ỹ]" is no such class, the
# range À-Ỹ holds the small letters too ("đ", "à", "ơ").
CAPITALS = "".join(chr(code) for code in range(0x41, 0x1EFA)
                   if chr(code).isupper() and unicodedata.name(chr(code), "").startswith("LATIN"))

SENTENCE_END = re.compile(r"[.!?…;:]['\"”’)\]]*$")
# Where a sentence ends inside a line: . ! ? … (and any closing quote) before a capital, a
# digit or a quote. Group 1 is the closing quote, which stays with the sentence; group 2 is
# the first character of the next one.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])([\"”’)]*)\s+(?=[\"“(]?(\w))")
# "TP. Hồ Chí Minh", "PGS. TS. Nguyễn Văn A": a period that ends no sentence.
ABBREVIATION_PERIOD = re.compile(
    r"(?:^|[\s(])(?:TP|Tp|TS|ThS|PGS|GS|BS|v\.v|Đ/c|đ/c|[^\W\d_])\.$")
# Where a paragraph too long for one chunk may be cut: after a sentence or a clause (";").
CLAUSE_BREAK = re.compile(r"(?<=[.!?;…])\s+(?=[\"“(]?[A-ZÀ-Ỹ0-9Đ-])")

# --- list items and structural headings ------------------------------------------------------

# A line that starts a list item or a structural heading ("- ", "2. ", "a) ", "II. ", "Điều 5").
LIST_START = re.compile(
    r"^(?:[-+•–]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ][.)]\s|[IVXLC]+[.)]\s"
    r"|(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+[\dIVXLC]+\b)")
# The marker in front of a list item's text, to leave out of a quote.
LIST_MARKER = re.compile(r"(?:[-+•–]\s+|\d+(?:\.\d+)*[.)]\s+|[a-zđ][.)]\s+|[IVXLC]+[.)]\s+)")
# What stands before an item that belongs to the sentence introducing it: "a) ", "- ".
SUB_ITEM_MARKER = re.compile(r"\s*(?:[a-zđ][.)]|[-+•–])\s*")
STRUCTURE_HEADING = re.compile(r"^(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+[\dIVXLC]+")
# Heading levels, outermost first: Phần > Chương > Mục > Điều > I. > 1. > 1.1. > a).
HEADING_LEVELS = (
    (1, re.compile(r"^(?:PHẦN|Phần)\s+(?:[IVXLC]+|\d+|THỨ\s+\w+)\b")),
    (2, re.compile(r"^(?:CHƯƠNG|Chương)\s+(?:[IVXLC]+|\d+)\b")),
    (3, re.compile(r"^(?:MỤC|Mục)\s+\d+\b")),
    (4, re.compile(r"^(?:ĐIỀU|Điều)\s+\d+[a-zđ]?\s*[.:]")),
    (5, re.compile(r"^[IVXLC]+[.)]\s")),
    (6, re.compile(r"^\d+[.)]\s")),
    (7, re.compile(r"^\d+\.\d+(?:\.\d+)*\.?\s")),
    (8, re.compile(r"^[a-zđ]\)\s")),
)


def is_upper_line(line: str) -> bool:
    """Say whether every letter of a line is a capital ("QUYẾT ĐỊNH")."""
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


# --- documents -------------------------------------------------------------------------------

DOC_TYPES = tuple(sorted((
    "Nghị quyết liên tịch", "Thông tư liên tịch", "Văn bản hợp nhất", "Nghị quyết", "Quyết định",
    "Kế hoạch", "Chỉ thị", "Kết luận", "Công văn", "Công điện", "Thông báo", "Thông tri", "Báo cáo",
    "Thông tư", "Nghị định", "Pháp lệnh", "Hiến pháp", "Luật", "Lệnh", "Tờ trình", "Quy chế",
    "Quy định", "Quy trình", "Chương trình", "Hướng dẫn", "Đề án", "Điều lệ", "Chiến lược",
    "Phương án", "Thông cáo"), key=len, reverse=True))
TYPE_CODES = {  # the type's code in a số hiệu: 2820/QĐ-UBND, 05-NQ/TU
    "QĐ": "Quyết định", "NQ": "Nghị quyết", "KH": "Kế hoạch", "CT": "Chỉ thị", "KL": "Kết luận",
    "TB": "Thông báo", "BC": "Báo cáo", "TT": "Thông tư", "NĐ": "Nghị định", "CĐ": "Công điện",
    "TTr": "Tờ trình", "HD": "Hướng dẫn", "QC": "Quy chế", "ĐA": "Đề án", "CTr": "Chương trình",
    "CV": "Công văn", "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch",
    "VBHN": "Văn bản hợp nhất", "PL": "Pháp lệnh", "L": "Lệnh"}
# A full số hiệu: digits, then codes joined by "/" or "-": 597/KH-UBND, 57/2025/NQ-HĐND, 05-NQ/TU.
DOCUMENT_NUMBER = re.compile(r"\b\d{1,5}(?:[/-][0-9A-Za-zĐđ]+)*[/-][A-Za-zĐđ][0-9A-Za-zĐđ&]*"
                             r"(?:[/-][0-9A-Za-zĐđ&]+)*")


def number_key(number: str) -> str:
    """Return the key two spellings of one số hiệu share ("57-NQ/TW", "57-nq/tw")."""
    return fold(number).replace(" ", "")


MINISTRIES = ("Tài chính", "Công Thương", "Xây dựng", "Y tế", "Nội vụ", "Tư pháp", "Quốc phòng",
              "Công an", "Ngoại giao", "Giáo dục và Đào tạo", "Khoa học và Công nghệ",
              "Nông nghiệp và Môi trường", "Văn hóa, Thể thao và Du lịch", "Dân tộc và Tôn giáo")
PROVINCES = tuple((
    "An Giang,Bà Rịa - Vũng Tàu,Bạc Liêu,Bắc Giang,Bắc Kạn,Bắc Ninh,Bến Tre,Bình Dương,Bình Định,"
    "Bình Phước,Bình Thuận,Cà Mau,Cao Bằng,Cần Thơ,Đà Nẵng,Đắk Lắk,Đắk Nông,Điện Biên,Đồng Nai,"
    "Đồng Tháp,Gia Lai,Hà Giang,Hà Nam,Hà Nội,Hà Tĩnh,Hải Dương,Hải Phòng,Hậu Giang,Hưng Yên,"
    "Khánh Hòa,Kiên Giang,Kon Tum,Lai Châu,Lạng Sơn,Lào Cai,Lâm Đồng,Long An,Nam Định,Nghệ An,"
    "Ninh Bình,Ninh Thuận,Phú Thọ,Phú Yên,Quảng Bình,Quảng Nam,Quảng Ngãi,Quảng Ninh,Quảng Trị,"
    "Sóc Trăng,Sơn La,Tây Ninh,Thái Bình,Thái Nguyên,Thanh Hóa,Thừa Thiên Huế,Huế,Tiền Giang,"
    "Trà Vinh,Tuyên Quang,Vĩnh Long,Vĩnh Phúc,Yên Bái,Hồ Chí Minh,Thành phố Hồ Chí Minh"
).split(","))
REGIONS = ("Trung Bộ", "Nam Trung Bộ", "Bắc Bộ", "Nam Bộ", "Tây Nguyên", "Việt Nam")
# Bodies of the Party and the State, as their names are capitalised.
BODIES = tuple((
    "Cộng hòa xã hội chủ nghĩa Việt Nam,Chính phủ,Thủ tướng,Phó Thủ tướng,Quốc hội,"
    "Ủy ban Thường vụ Quốc hội,Ủy ban nhân dân,Hội đồng nhân dân,Mặt trận Tổ quốc,Bộ Chính trị,"
    "Ban Bí thư,Ban Chấp hành Trung ương,Trung ương Đảng,Quân ủy Trung ương,Đảng Cộng sản,"
    "Đảng bộ,Đảng ủy,Tỉnh ủy,Thành ủy,Tổng Bí thư,Chủ tịch nước,Ngân hàng Nhà nước,"
    "Kiểm toán Nhà nước").split(","))

# --- agencies --------------------------------------------------------------------------------

# Agencies by the word that opens their name; those in NAMED_OPENERS need a name after them.
AGENCY_OPENER = re.compile(
    r"(?<![^\W_])(?:Ủy ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Chính phủ|Quốc hội|Thủ tướng|"
    r"Chủ tịch|Tỉnh ủy|Thành ủy|Huyện ủy|Đảng ủy|Công an|Tòa án|Viện kiểm sát|Mặt trận|"
    r"Kiểm toán|Văn phòng|Tổng cục|Trung tâm|Sở|Bộ|Ban|Cục|Phòng|Vụ)(?![^\W_])")
NAMED_OPENERS = frozenset({"Văn phòng", "Tổng cục", "Trung tâm", "Sở", "Bộ", "Ban", "Cục", "Phòng",
                           "Vụ"})
_NEXT_WORD = re.compile(r" ([^\W_]+)")
_PLACE_WORD = re.compile(r" (?:và|tỉnh|thành phố|huyện|quận|xã|phường) ")


def agency_spans(sentence: str) -> list[tuple[int, int]]:
    """Find agency names: "Sở Thông tin và Truyền thông", "Ủy ban nhân dân tỉnh Thái Nguyên".

    A Vietnamese name capitalises the first syllable of each word ("Thông tin", "Truyền
    thông") and every syllable of a proper name ("Thái Nguyên"). So after its opening word a
    name goes on with a capitalised syllable, with one lower-case syllable after a
    capitalised one that starts a word, or with "và"/"tỉnh"/… before a capitalised one.
    """
    spans: list[tuple[int, int]] = []
    for anchor in AGENCY_OPENER.finditer(sentence):
        if spans and anchor.start() < spans[-1][1]:
            continue
        end, named, starts_word, opener_end = anchor.end(), False, False, anchor.end()
        while (token := _NEXT_WORD.match(sentence, end)) is not None:
            word = token.group(1)
            place = _PLACE_WORD.match(sentence, end)
            if (chained := AGENCY_OPENER.match(sentence, token.start(1))) is not None:
                end = opener_end = chained.end()  # "Chủ tịch Ủy ban nhân dân …"
                named, starts_word = True, False
            elif place and sentence[place.end():place.end() + 1].isupper() and \
                    not AGENCY_OPENER.match(sentence, place.end()):  # "… và Sở Y tế" is another
                end, starts_word = place.end() - 1, False  # "… tỉnh Thái Nguyên"
            elif word[0].isupper():
                # After the opening word or a lower-case syllable, a capital starts a word of
                # the name; after another capital it goes on with a proper name.
                last = sentence[:end].rsplit(" ", 1)[-1]
                starts_word = end == opener_end or not last[:1].isupper()
                end, named = token.end(), True
            elif starts_word:
                end, starts_word = token.end(), False
            else:
                break
        if named or anchor.group() not in NAMED_OPENERS:
            spans.append((anchor.start(), end))
    return spans
