"""What a question asks for: a number with its unit, a date, or an agency — and where it is."""
from __future__ import annotations

import re
from typing import Callable

from ..vietnamese import QUESTION_WORDS, SYLLABLE, agency_spans, fold

Finder = Callable[[str], list[tuple[int, int]]]

_NUMBER = r"\d+(?:[.,]\d+)*"
_UNITS = {
    "tien": r"(?:nghìn |ngàn |triệu |tỷ )?đồng", "phan tram": r"%| phần trăm",
    "lau": r"năm|tháng|tuần|ngày|giờ|phút",
}
_DATE = re.compile(
    r"ngày \d{1,2}(?: tháng \d{1,2}(?: năm \d{4})?|/\d{1,2}/\d{4})|\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:tháng \d{1,2} )?năm \d{4}|quý [IV]+(?:(?:/| năm )\d{4})?"
    r"|(?:trước|sau|kể từ|chậm nhất|trong thời hạn) [^,.;:]{3,60}")
_WHO = ("ai", "co quan nao", "don vi nao", "to chuc nao", "cap nao", "ben nao")
_WHEN = ("khi nao", "bao gio", "luc nao", "ngay nao", "nam nao", "thang nao", "thoi diem nao",
         "thoi gian nao", "han nao")


def _regex_finder(pattern: re.Pattern) -> Finder:
    return lambda sentence: [m.span() for m in pattern.finditer(sentence)]


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
    return _regex_finder(re.compile(
        rf"(?:{_NUMBER}(?: [^\W\d_]+)? (?:đến|tới|-|–) )?{_NUMBER} ?(?:{unit})(?![^\W_])",
        re.IGNORECASE))


def fact_finder(question: str) -> Finder | None:
    """Return what finds the phrase answering a how-many / when / who question, if it is one."""
    written = SYLLABLE.findall(question.lower())
    folded = [fold(w) for w in written]
    text = f" {' '.join(folded)} "
    # "mấy" asks how many; folded it would also be "máy" (a machine), so it is read as written.
    asks = [i for i, w in enumerate(folded) if w == "nhieu" and i and folded[i - 1] == "bao"]
    asks += [i for i, w in enumerate(written) if w == "mấy"]
    if asks:
        return _quantity_finder(written, folded, asks)
    if " bao lau " in text:
        return _regex_finder(re.compile(rf"{_NUMBER} (?:{_UNITS['lau']})(?![^\W_])"))
    if any(f" {words} " in text for words in _WHEN):
        return _regex_finder(_DATE)
    if any(f" {words} " in text for words in _WHO):
        return agency_spans
    return None
