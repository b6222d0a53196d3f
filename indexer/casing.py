"""Write a trích yếu typed in capitals in normal case, as the document itself writes its words.

Lower-casing a capitals title loses every proper name. The document's body writes the same
names in normal case ("Thủ tướng Chính phủ Phạm Minh Chính", "Luật Việc làm", "Chiến dịch
Quang Trung"), so each run of the title's words is looked up in the body and takes the case
the body gives it consistently; the longest run found wins. Where the body is silent, the
rules of Vietnamese official writing apply: known bodies and places (vietnamese.py), a
person's name after a title such as "đồng chí" or "Thủ tướng", a law's name after "Luật",
and the head of an organisation ("Ủy ban", "Bộ") whose name goes on in capitals.

Words are matched by a key that ignores case and where the tone mark sits ("Hoà" = "Hòa")
but keeps the letters (năm ≠ Nam), so "năm 2025" never turns into "Nam 2025".
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Sequence

from .vietnamese import BODIES, DOC_TYPES, MINISTRIES, PROVINCES, REGIONS, fold

MAX_TITLE = 300
BODY_PARAGRAPHS = 600  # enough to meet every name the title uses; bounds the work on long laws
MAX_RUN = 12
CONSISTENT = 0.8  # share of the body's occurrences that must agree on a word's case

# Names restored after an all-caps title is lower-cased ("Hòa Bình" is left out: it means peace).
NAMES = tuple(f"{unit} {m}" for m in MINISTRIES for unit in ("Bộ", "Sở")) + PROVINCES + REGIONS \
    + BODIES
ORG_NAMES = ("Chính phủ", "Quốc hội", "Trung ương", "Nhà nước", "Việt Nam", "Công Thương",
             "Thành phố Hồ Chí Minh", "Ủy ban nhân dân", "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Quận ủy")

# The opening words of a unit under its parent body (folded): "Cục Thuế" under "Bộ Tài chính".
UNIT = re.compile(r"^(?:tong cuc|chi cuc|cuc|so|vu|van phong|ban|trung tam|thue|kho bac|vien|"
                  r"hoc vien|truong|dang uy|tinh uy|thanh uy|huyen uy|uy ban kiem tra)\b")
# Two words after which a place's name follows: "thành phố Huế", "Tỉnh ủy Thái Nguyên" (folded).
_TWO_WORD_PLACES = ("thanh pho", "thi xa", "thi tran", "dac khu", "tinh uy", "thanh uy", "huyen uy", "dang uy")

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def key(word: str) -> str:
    """Return the matching key of a word: lower case, tone mark moved off its vowel to the end."""
    parts = unicodedata.normalize("NFD", word.lower())
    tones = "".join(sorted(c for c in parts if c in _TONES))
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones


_WORD = re.compile(r"\w+")
_BREAK = re.compile(r"[.!?;:…|]")
_OPENING = re.compile(r"[(“\"‘'\[]")  # a capital after it may start a quoted sentence
# Vietnamese family names: a person's name after a title starts with one of them.
SURNAMES = """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý
    đinh đào trịnh mai lương tô trương lâm hà cao đoàn thái tạ lại vương chu quách kiều triệu
    lưu hầu nông lò giàng mạc tăng thân khúc âu doãn từ ông lã lục châu đàm tống"""
# What stands just before a person's name: "đồng chí", "Thủ tướng Chính phủ", "Bộ trưởng".
PERSON_TITLES = tuple(tuple(key(w) for w in t.split()) for t in (
    "đồng chí", "thủ tướng", "chính phủ", "tổng bí thư", "bí thư", "chủ tịch", "chủ tịch nước",
    "chủ tịch quốc hội", "bộ trưởng", "thứ trưởng", "giám đốc", "thường trực", "chánh văn phòng",
    "đại tướng", "thượng tướng", "trung tướng", "thiếu tướng", "ông", "bà"))
# Words that end a name: what a title goes on with after it ("… Phạm Minh Chính tại buổi …").
_NAME_ENDS = """tại về với và của cho trong khi theo làm dự tiếp thăm chủ phát gửi kết đến trên
    nhân là đã được yêu chỉ trả trưởng phó tổng bí đồng"""
PLACE_WORDS = (("tỉnh",), ("thành", "phố"), ("huyện",), ("quận",), ("xã",), ("phường",),
               ("thị", "xã"), ("thị", "trấn"), ("đặc", "khu"))
# "tỉnh ủy", "thành ủy": the Party committee of that level, not a place called "Ủy".
_NOT_PLACE = "ủy"
ORG_HEADS = (("ủy", "ban"), ("hội", "đồng"), ("tổng", "cục"), ("chi", "cục"), ("văn", "phòng"),
             ("trung", "tâm"), ("ban",), ("bộ",), ("sở",), ("cục",))  # the longer heads first
_NOT_ORG_BEFORE = "toàn cán các cơ trụ đồng một nội phân"  # toàn bộ, cán bộ, cơ sở, trụ sở
_LAW_NOT_BEFORE = "pháp quy kỷ định"  # pháp luật, quy luật, kỷ luật, định luật
_LAW_NOT_NAME = "số này sư lệ pháp học định sửa và về của các có đã được trong"


def _keys(words: str) -> frozenset[str]:
    return frozenset(key(w) for w in words.split())


_SURNAME_KEYS, _NAME_END_KEYS = _keys(SURNAMES), _keys(_NAME_ENDS)
_NOT_PLACE_KEYS, _NOT_ORG_KEYS = _keys(_NOT_PLACE), _keys(_NOT_ORG_BEFORE)
_LAW_NOT_BEFORE_KEYS, _LAW_NOT_NAME_KEYS = _keys(_LAW_NOT_BEFORE), _keys(_LAW_NOT_NAME)
_DOC_TYPE_STARTS = _keys(" ".join(t.split()[0] for t in DOC_TYPES))
_ORG_HEAD_KEYS = tuple(tuple(key(w) for w in head) for head in ORG_HEADS)
_PLACE_KEYS = tuple(tuple(key(w) for w in place) for place in PLACE_WORDS)


class BodyCase:
    """How the body of one document writes its words: the case of each, in each run."""

    def __init__(self, paragraphs: Sequence[str]):
        self.keys: list[str | None] = []  # None: a sentence break no run crosses
        self.caps: list[bool | None] = []  # None: the case says nothing (sentence start, capitals)
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)  # words with a capital inside
        for paragraph in paragraphs[:BODY_PARAGRAPHS]:
            self._add(paragraph)
        self.pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.words: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for i, (k, cap) in enumerate(zip(self.keys, self.caps)):
            if k is not None and cap is not None:
                self.words[k][0 if cap else 1] += 1
            if k is not None and i + 1 < len(self.keys) and self.keys[i + 1] is not None:
                self.pairs[(k, self.keys[i + 1])].append(i)

    def _add(self, paragraph: str) -> None:
        self._push(None, None)
        end, lead = 0, True  # lead: nothing but list markers since the sentence started
        found = list(_WORD.finditer(paragraph))
        for i, m in enumerate(found):
            gap, word = paragraph[end:m.start()], m.group()
            if _BREAK.search(gap):
                self._push(None, None)
                lead = True
            initial = lead or bool(_OPENING.search(gap))
            # A word in capitals among capitals says nothing; alone among small letters it is an
            # acronym ("TOD") or a capital ("Ở") as the body writes it.
            in_capitals = word.isupper() and any(n.isupper() and len(n) > 1 for n in _neighbours(found, i))
            says_nothing = initial or in_capitals or any(c.isdigit() for c in word)
            self._push(key(word), None if says_nothing else word[0].isupper())
            if not says_nothing and any(c.isupper() for c in word[1:]):
                self.forms[key(word)][word] += 1  # "IoT", "TOD": written as the body writes them
            lead = lead and bool(re.fullmatch(r"\d+|[^\W\d_]|[IVXLC]+", word))
            end = m.end()

    def _push(self, word_key: str | None, cap: bool | None) -> None:
        self.keys.append(word_key)
        self.caps.append(cap)

    def runs(self, title_keys: list[str]) -> list[bool | None]:
        """Return the body's case for each title word, from the longest run that decides it."""
        words = title_keys
        decided: list[bool | None] = [None] * len(words)
        length_of: list[int] = [0] * len(words)
        for i in range(len(words) - 1):
            found = []
            for p in self.pairs.get((title_keys[i], title_keys[i + 1]), ())[:400]:
                n = 2
                while n < MAX_RUN and i + n < len(words) and p + n < len(self.keys) \
                        and self.keys[p + n] == title_keys[i + n]:
                    n += 1
                found.append((p, n))
            for n in range(2, max((m for _, m in found), default=0) + 1):
                starts = [p for p, m in found if m >= n]
                for j in range(n):
                    if length_of[i + j] < n and (cap := _agreed([self.caps[p + j] for p in starts])) \
                            is not None:
                        decided[i + j], length_of[i + j] = cap, n
        return decided

    def capitalised(self, word_key: str, at_least: int = 2) -> bool:
        """Say whether the body writes a word with a capital at least so often and never without."""
        upper, lower = self.words.get(word_key, (0, 0))
        return upper >= at_least and lower == 0

    def form(self, word_key: str) -> str | None:
        """Return the spelling with inner capitals ("IoT") the body uses for a word, if it keeps to one."""
        if not (counts := self.forms.get(word_key)):
            return None
        spelling, count = counts.most_common(1)[0]
        return spelling if count >= 2 and count >= CONSISTENT * sum(self.words.get(word_key, (0, 0))) else None

    def rather_capitalised(self, word_key: str) -> bool:
        upper, lower = self.words.get(word_key, (0, 0))
        return upper >= 1 and upper >= lower


def _neighbours(found: list[re.Match], i: int) -> list[str]:
    """Return the words with letters nearest before and after word i ("08 THÁNG 8 NĂM": THÁNG, NĂM)."""
    before = next((m.group() for m in reversed(found[:i]) if not m.group().isdigit()), "")
    after = next((m.group() for m in found[i + 1:] if not m.group().isdigit()), "")
    return [before, after]


def _agreed(caps: list[bool | None]) -> bool | None:
    seen = [c for c in caps if c is not None]
    if not seen:
        return None
    upper = sum(seen)
    if upper >= CONSISTENT * len(seen):
        return True
    return False if len(seen) - upper >= CONSISTENT * len(seen) else None


def restore_case(text: str, body: BodyCase | None, lowered: int) -> str:
    """Return text whose first `lowered` words were lower-cased, with their capitals restored."""
    words = text.split(" ")
    bare = [w.strip(",.;:()\"“”'-–") for w in words]
    keys = [key(w) for w in bare]
    caps: list[bool | None] = [None] * len(words)
    for j in _person_names(keys) | _law_names(keys):
        caps[j] = True
    if body is not None:
        for start, end in _segments(words):
            for j, cap in enumerate(body.runs(keys[start:end]), start):
                caps[j] = cap if cap is not None else caps[j]
        for j, word_key in enumerate(keys):
            if caps[j] is None and word_key and body.capitalised(word_key):
                caps[j] = True
        for j, cap in _places(keys, body).items():
            caps[j] = cap if caps[j] is None else caps[j]
    for j in _org_heads(keys, caps, words):
        caps[j] = True
    out = [_with_case(w, caps[j]) if j < lowered else w for j, w in enumerate(words)]
    for j, word_key in enumerate(keys[:lowered]):
        if body is not None and bare[j] and (form := body.form(word_key)):
            out[j] = re.sub(re.escape(bare[j]), form, out[j], count=1, flags=re.IGNORECASE)
    return " ".join(out)


def _segments(words: list[str]) -> list[tuple[int, int]]:
    """Cut the title's words where a run may not go on: after ".", ";", ":", " - "."""
    segments, start = [], 0
    for j, word in enumerate(words):
        if re.search(r"[.;:!?]$", word) or word in ("-", "–") or j == len(words) - 1:
            segments.append((start, j + 1))
            start = j + 1
    return segments


def _with_case(word: str, cap: bool | None) -> str:
    if cap is None or any(c.isupper() for c in word[1:]):  # codes (QĐ-TTg) keep their letters
        return word
    at = next((i for i, c in enumerate(word) if c.isalpha()), None)
    if at is None:
        return word
    return word[:at] + (word[at].upper() if cap else word[at].lower()) + word[at + 1:]


def _follows(keys: list[str], j: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Say whether the words before position j end with one of the phrases."""
    return any(j >= len(p) and tuple(keys[j - len(p):j]) == p for p in phrases)


def _person_names(keys: list[str]) -> set[int]:
    """Find a person's name after a title: "đồng chí Tô Lâm", "Bộ trưởng Phạm Thị Thanh Trà"."""
    caps: set[int] = set()
    for j, k in enumerate(keys):
        if k not in _SURNAME_KEYS or not _follows(keys, j, PERSON_TITLES):
            continue
        n = 1
        while n < 4 and j + n < len(keys) and keys[j + n] and keys[j + n] not in _NAME_END_KEYS:
            n += 1
        if n >= 2:
            caps.update(range(j, j + n))
    return caps


def _law_names(keys: list[str]) -> set[int]:
    """Find the words a law's name capitalises: "Luật Việc làm", "Bộ luật Dân sự", "Pháp lệnh Giá"."""
    caps: set[int] = set()
    for j, k in enumerate(keys[:-1]):
        law = k == key("luật") and (j == 0 or keys[j - 1] not in _LAW_NOT_BEFORE_KEYS)
        law = law or (k == key("lệnh") and j > 0 and keys[j - 1] == key("pháp"))
        if law and keys[j + 1] and keys[j + 1] not in _LAW_NOT_NAME_KEYS:
            first = j - 1 if keys[j - 1:j] in ([key("bộ")], [key("pháp")]) else j
            caps.update((first, j + 1))
    return caps


def _places(keys: list[str], body: BodyCase) -> dict[int, bool]:
    """Capitalise a place's name after its kind, "xã Yên Khương", as far as the body capitalises it."""
    caps: dict[int, bool] = {}
    for j in range(1, len(keys)):
        if not _follows(keys, j, _PLACE_KEYS):
            continue
        n = 0
        while n < 4 and j + n < len(keys) and keys[j + n] and body.rather_capitalised(keys[j + n]) \
                and keys[j + n] not in _DOC_TYPE_STARTS | _NOT_PLACE_KEYS:
            caps[j + n] = True
            n += 1
    return caps


def _org_heads(keys: list[str], caps: list[bool | None], words: list[str]) -> list[int]:
    """Return the heads of organisations whose name goes on in capitals: "Ủy ban Kinh tế"."""
    heads = []
    for j in range(1, len(keys)):
        named = caps[j] if caps[j] is not None else words[j][:1].isupper()
        if not named or keys[j] in _DOC_TYPE_STARTS:
            continue
        for head in _ORG_HEAD_KEYS:
            at = j - len(head)
            if at >= 0 and tuple(keys[at:j]) == head and (at == 0 or keys[at - 1] not in _NOT_ORG_KEYS):
                heads.append(at)
                break
    return heads


def keep_case(word: str, previous: str) -> bool:
    """Say whether an all-caps word keeps its case: numbers, codes, abbreviations, roman numerals."""
    bare = word.strip(",.;:()\"“”")
    if any(c.isdigit() for c in bare) or bare in ("UBND", "HĐND", "MTTQ", "ASEAN", "COVID", "ODA"):
        return True
    if re.fullmatch(r"[A-ZĐ&-]{2,}", bare) and not re.search(r"[AEIOUY]", bare):
        return True  # HĐND, TP, NSNN, BHXH: every Vietnamese syllable has a vowel
    return bool(re.fullmatch(r"[IVXLC]+", bare)) and \
        fold(previous) in ("khoa", "thu", "chuong", "phan", "muc", "cap")


def _is_upper(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def sentence_case(text: str, names: list[str], body: Sequence[str] = ()) -> str:
    """Return a capitals title in normal case: codes kept, names as the body writes them."""
    words = re.sub(r"\s+", " ", text).strip(" .;,:").split(" ")
    caps = next((k for k, w in enumerate(words) if not _is_upper(w) and re.search(r"[^\W\d_]", w)),
                len(words))
    if caps >= min(3, len(words)):  # lower-case the leading run of all-caps words
        words[:caps] = [w if keep_case(w, words[k - 1] if k else "") else "/".join(  # "TƯ PHÁP/UBND"
            p if keep_case(p, "") else p.lower() for p in w.split("/")).replace("v/v", "V/v")
            for k, w in enumerate(words[:caps])]
        text = restore(" ".join(words), NAMES + tuple(n for n in names if len(n) > 2))
        text = re.sub(r"(?<=[“\"])\w|(?<!\w)đảng(?= ta|[,.;]|$)",  # “Nâng cao...”, "của Đảng"
                      lambda m: m.group(0)[0].upper() + m.group(0)[1:], text)
        text = restore_case(text, BodyCase(body) if body else None, caps)
        for name in DOC_TYPES:  # "quyết định số 06/QĐ-TTg" names a document: "Quyết định số"
            text = re.sub(rf"(?<!\w){name.lower()}(?= (?:số )?\d)", name, text)
    else:
        text = " ".join(words)
    if len(text) > MAX_TITLE:
        text = text[:MAX_TITLE].rsplit(" ", 1)[0] + " …"
    return text[:1].upper() + text[1:]


def restore(text: str, names: Sequence[str]) -> str:
    """Capitalise the letters of each known name where it occurs as whole words."""
    chars, folded = list(text), fold(text)
    for name in names:
        for m in re.finditer(r"(?<!\w)" + re.escape(fold(name)) + r"(?!\w)", folded):
            for j in (j for j, ch in enumerate(name) if ch.isupper()):
                chars[m.start() + j] = chars[m.start() + j].upper()
    return "".join(chars)


def _starts_place(folded: list[str], i: int) -> bool:
    """Say whether a place's name follows word i: "tỉnh Bắc Ninh", "Tỉnh ủy Thái Nguyên"."""
    pair = " ".join(folded[i:i + 2])
    if pair in _TWO_WORD_PLACES:  # "Đảng ủy xã Tân Lập": the place follows its level, not the committee
        return not (pair.endswith(" uy") and folded[i + 2:i + 3] in (["tinh"], ["huyen"], ["xa"], ["phuong"]))
    return folded[i] in ("tinh", "huyen", "xa", "phuong") and folded[i + 1:i + 2] != ["hoi"]


def org_case(upper: str) -> str:
    """Return an all-caps organisation name in normal capitalisation: "Ủy ban nhân dân tỉnh Bắc Ninh"."""
    words, folded = upper.split(), fold(upper).split()
    place_at = next((i for i in range(len(words)) if _starts_place(folded, i)), len(words))
    place_from = place_at + (2 if " ".join(folded[place_at:place_at + 2]) in _TWO_WORD_PLACES else 1)
    unit = UNIT.match(" ".join(folded)) or re.match(r"bo |uy ban (?!nhan dan)", " ".join(folded))
    unit_len = len(unit.group(0).split()) if unit else -1  # "Cục Hải quan", "Bộ Văn hóa, Thể thao..."
    out: list[str] = []
    for i, word in enumerate(words):
        cap = i == 0 or i >= place_from or (i == unit_len < place_at) or (
            0 <= unit_len < i < place_at and re.search(r"(?:,|\bvà|-)$", out[-1]))
        out.append(word if keep_case(word, out[-1] if out else "")
                   else word[:1] + word[1:].lower() if cap else word.lower())
    return restore(" ".join(out), ORG_NAMES)
