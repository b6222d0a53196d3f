"""Deadlines as official documents write them, and what date they mean.

"trước ngày 31/12/2025" is that day; "Tháng 12/2025" and "Quý IV/2025" end on their last day,
and so does a year ("Năm 2026") or a range ("Tháng 11 - 12/2025", "Quý IV/2025 - Quý II/2026"):
the period is kept beside the date, so "31/12/2025" from "năm 2025" is not mistaken for a day.
Recurring deadlines ("Hằng năm", "định kỳ …") and continuous ones ("Thường xuyên", "… và các
năm tiếp theo", "Từ 01/7/2025") have no date; so have those tied to an event ("Sau khi …").
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ..vietnamese import fold

DAY, MONTH, QUARTER, YEAR = "day", "month", "quarter", "year"
RECURRING, CONTINUOUS = "recurring", "continuous"

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RECURRING = re.compile(r"\b(?:hang|dinh ky)\s*(?:nam|thang|quy|tuan|ngay)?\b|\bdinh ky\b")
_CONTINUOUS = re.compile(r"thuong xuyen|(?:cac|nhung) nam tiep theo|lien tuc")
_OPEN_START = re.compile(r"^tu (?:ngay |thang |nam )?[\d/.-]+(?: nam \d{4})?\s*$")
_DAY = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*(?:/|-|\.|\s*thang\s*)\s*(\d{1,2})\s*"
                  r"(?:/|-|\.|\s*nam\s*)\s*(\d{4})")
_MONTH = re.compile(r"thang\s*(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?\s*(?:/|-|\s*nam\s*)\s*(\d{4})")
_QUARTER = re.compile(r"qu[yi]\s*([ivx]+|\d)\s*(?:/|-|\s*nam\s*)?\s*(\d{4})")
_YEAR = re.compile(r"(?<![\d/])(\d{4})(?:\s*[-–]\s*(\d{4}))?(?![\d/])")


@dataclass(frozen=True)
class Deadline:
    written: str  # as the document writes it
    iso: str | None  # the last day it allows, for a day, month, quarter or year
    period: str | None  # day, month, quarter, year, recurring, continuous; None if relative


def _last_day(year: int, month: int) -> str:
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _dated(folded: str) -> tuple[str, str] | None:
    """Return (ISO date, period) of the latest date a deadline text names, if it names one."""
    found: list[tuple[str, str, int]] = []  # (iso, period, where)
    days: list[range] = []
    for m in _DAY.finditer(folded):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            found.append((date(year, month, day).isoformat(), DAY, m.start()))
            days.append(range(m.start(), m.end()))
        except ValueError:
            continue
    for m in _MONTH.finditer(folded):
        month = int(m.group(2) or m.group(1))
        inside_a_day = any(m.start() in span for span in days)  # "ngày 15 tháng 12 năm 2025"
        if 1 <= month <= 12 and not inside_a_day:
            found.append((_last_day(int(m.group(3)), month), MONTH, m.start()))
    for m in _QUARTER.finditer(folded):
        quarter = _ROMAN.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 0)
        if 1 <= quarter <= 4:
            found.append((_last_day(int(m.group(2)), quarter * 3), QUARTER, m.start()))
    if not found:
        years = [int(y) for m in _YEAR.finditer(folded) for y in m.groups() if y]
        years = [y for y in years if 1990 <= y <= 2100]
        return (date(max(years), 12, 31).isoformat(), YEAR) if years else None
    iso, period, _ = max(found, key=lambda item: (item[0], item[2]))
    return iso, period


def parse_deadline(written: str) -> Deadline:
    """Read what a deadline, as written in a document, means."""
    written = written.strip(" .;,")
    folded = fold(written)
    if _CONTINUOUS.search(folded) or _OPEN_START.match(folded):
        return Deadline(written, None, CONTINUOUS)
    if _RECURRING.search(folded):
        return Deadline(written, None, RECURRING)
    if re.match(r"(?:tu .* den khi|sau khi|theo |khi )", folded):
        return Deadline(written, None, None)
    dated = _dated(folded)
    return Deadline(written, *dated) if dated else Deadline(written, None, None)


# A deadline inside a sentence: what introduces it, and where it ends.
_IN_PROSE = re.compile(
    r"(?:(?:hoàn thành|xong|thực hiện xong|báo cáo|gửi|trình)\s+)?"
    r"(?:(?:trước|chậm nhất|chậm nhất là|chậm nhất trước|không muộn hơn)\s+(?:ngày|tháng|quý|quí|năm)"
    r"|hoàn thành (?:trong|trước)\s+(?:tháng|quý|quí|năm)|xong trong\s+(?:tháng|quý|quí|năm)"
    r"|trong (?:tháng|quý|quí)|(?:trong )?quý\s+[IV]+|(?:trong )?quí\s+[IV]+"
    r"|vào ngày|(?:đến|trước)\s+hết\s+(?:ngày|tháng|quý|năm)|(?:(?:đến|trước)\s+)?cuối\s+"
    r"(?:tháng|quý|năm))"
    r"\s*[^,;:()]{1,40}?(?:\d{4}|\d{1,2}/\d{1,2})(?: (?:hằng|hàng) (?:năm|quý|tháng))?"
    r"(?=[\s,.;)]|$)", re.IGNORECASE)
# A recurrence or continuity stated inside the sentence ("Cập nhật … thường xuyên vào Hệ thống",
# "Thực hiện chế độ báo cáo định kỳ hằng quý"), when no date is; "chi thường xuyên" is a kind of
# spending, not a time.
_ADVERB = re.compile(r"(?<!\w)(?:định kỳ(?:,? (?:hằng|hàng) (?:năm|quý|tháng|tuần))?"
                     r"(?:(?: hoặc|,) đột xuất(?: theo yêu cầu)?)?|thường xuyên|"
                     r"(?:hằng|hàng) (?:quý|tháng|tuần|ngày))(?!\w)", re.IGNORECASE)
_NOT_TIME = re.compile(r"(?:chi|kinh phí|vốn|nguồn|quan hệ|nhiệm vụ|công việc|hoạt động)\s*$",
                       re.IGNORECASE)
# "Thường xuyên", "Định kỳ 06 tháng", "Hằng năm hoặc đột xuất" at the start: the time words only,
# not the action after them ("Thường xuyên nắm bắt, đề xuất …" → "Thường xuyên").
_LEADING = re.compile(r"^(?:Thường xuyên|Định kỳ|Hằng năm|Hàng năm|Hằng quý|Hàng quý|Hằng tháng|"
                      r"Hàng tháng)(?:,?\s+(?:hằng|hàng|định kỳ|hoặc|đột xuất|và|mỗi|tháng|quý|năm|"
                      r"tuần|ngày|lần|\d{1,2}|\(\d{1,2}\)|\d{1,2}/\d{4}))*(?!\w)", re.IGNORECASE)


# A time limit counted from an event, as regulations set them: "Trong thời hạn 03 ngày làm việc kể
# từ khi nhận được văn bản đề nghị", "chậm nhất 03 ngày kể từ ngày nhận kết quả chấm bài".
_RELATIVE = re.compile(r"(?<!\w)(?:trong (?:thời hạn|thời gian|vòng)\s+(?:(?:chậm nhất|không quá|tối đa)"
                       r"(?: là)?\s+)?|(?:chậm nhất|không quá|tối đa)(?: là)?\s+(?:sau\s+)?|sau\s+|trong\s+)"
                       r"\d{1,3}\s*(?:\([^)]{1,12}\)\s*)?(?:ngày(?: làm việc)?|giờ|tuần|tháng)"
                       r"(?:\s+(?:kể từ|tính từ|từ khi|sau khi|sau|trước)\b[^,;.:()]{1,120})?", re.IGNORECASE)


def find_deadline(sentence: str) -> tuple[int, int] | None:
    """Return the span of the deadline a task's sentence states, or None.

    The first deadline introduced as one ("trước ngày …", "hoàn thành trong tháng …",
    "chậm nhất …") is the main action's; a year that only scopes the sentence ("trong năm
    2025", "đến năm 2030") is not a deadline. A sentence that opens with "Thường xuyên" or
    "Định kỳ" states that instead.
    """
    leading = _LEADING.match(sentence)
    if leading:
        recurring = re.search(r"(?:trước ngày [\d/]+ )?(?:hằng|hàng) (?:năm|tháng|quý)"
                              r"(?:,? hoặc đột xuất)?",
                              sentence[:120], re.IGNORECASE)
        end = recurring.end() if recurring and fold(leading.group()).startswith("dinh ky") \
            else leading.end()
        return leading.start(), end
    found = _IN_PROSE.search(sentence)
    relative = _RELATIVE.search(sentence)
    if relative and (found is None or relative.start() < found.start()):
        return relative.start(), len(relative.group().rstrip()) + relative.start()
    if found is None:
        return _adverb(sentence)
    prefix = re.match(r"(?:hoàn thành|thực hiện xong|xong|báo cáo|gửi|trình)\s+", found.group(),
                      re.IGNORECASE)
    return found.start() + (prefix.end() if prefix else 0), found.end()


def _adverb(sentence: str) -> tuple[int, int] | None:
    for found in _ADVERB.finditer(sentence):
        if not _NOT_TIME.search(sentence[max(0, found.start() - 20):found.start()]):
            return found.start(), found.end()
    return None
