"""Find the documents a query names by number: "310/KH-UBND", "nghị quyết 57", "05-NQ/TU"."""
from __future__ import annotations

import re
import sqlite3

from .normalize import fold

# A full số hiệu: digits, then codes joined by "/" or "-": 597/KH-UBND, 57/2025/NQ-HĐND, 05-NQ/TU.
_FULL_NUMBER = re.compile(r"\b\d{1,5}(?:[/-][0-9A-Za-zĐđ]+)*[/-][A-Za-zĐđ][0-9A-Za-zĐđ&]*"
                          r"(?:[/-][0-9A-Za-zĐđ&]+)*")
_TYPES = ("nghi quyet", "quyet dinh", "ke hoach", "chi thi", "ket luan", "cong van",
          "thong bao", "bao cao", "thong tu", "nghi dinh", "to trinh", "huong dan",
          "chuong trinh", "de an", "quy dinh", "cong dien", "luat")
# A type and a bare number: "nghị quyết 57", "quyết định số 2820".
_TYPE_AND_NUMBER = re.compile(rf"\b({'|'.join(_TYPES)})\s+(?:so\s+)?(\d{{1,5}})\b")


def _key(number: str) -> str:
    return fold(number).replace(" ", "")


def documents_named_in(db: sqlite3.Connection, query: str) -> list[str]:
    """Return ids of the documents whose số hiệu the query names, if any."""
    folded = fold(query)
    wanted = {_key(m.group()) for m in _FULL_NUMBER.finditer(query)}
    partial = [(kind, number) for kind, number in _TYPE_AND_NUMBER.findall(folded)]
    if not wanted and not partial:
        return []
    found = []
    for doc_id, number, doc_type in db.execute(
            "SELECT id, doc_number, doc_type FROM documents WHERE doc_number IS NOT NULL"):
        key = _key(number)
        if key in wanted:
            found.append(doc_id)
        elif any(fold(doc_type or "") == kind and re.match(rf"{n}\b[/-]", key)
                 for kind, n in partial):
            found.append(doc_id)
    return found
