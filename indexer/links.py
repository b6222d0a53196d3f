"""Which indexed document a reference names: by số hiệu, or a law by its name (and date).

References are stored as the document writes them; they are resolved when read, against the
version being served, so a document removed from the index leaves the references to it
unresolved, and one added later resolves the references made before it arrived.
"""
from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass
from typing import Iterable

from .store import DocumentInfo
from .vietnamese import fold, number_key


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", fold(name))).strip()


class DocumentDirectory:
    """Finds indexed documents by number, or laws and codes by name."""

    def __init__(self, documents: Iterable[DocumentInfo]):
        self.by_number: dict[str, list[DocumentInfo]] = {}
        self.laws: list[tuple[str, DocumentInfo]] = []
        for info in documents:
            if info.doc_number:
                self.by_number.setdefault(number_key(info.doc_number), []).append(info)
            if info.doc_type in ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"):
                self.laws.append((_name_key(f"{info.doc_type} {info.title}"), info))

    def find(self, number: str | None, doc_type: str | None = None, name: str | None = None,
             date: str | None = None) -> str | None:
        """Return the id of the document a reference names, or None if it is not indexed.

        A number names a document when exactly one indexed document has it (or the date tells
        several apart). A law without a number is named by its title, and by its date when
        the reference gives one.
        """
        if number:
            found = self.by_number.get(number_key(number), [])
            if len(found) > 1 and date:
                found = [info for info in found if info.issued_date == date] or found
            return found[0].id if len(found) == 1 else None
        if not name:
            return None
        wanted = _name_key(name)
        found = [info for key, info in self.laws if key == wanted]
        if not found:
            # "Luật Việc làm" also names "Luật Việc làm" filed as "Luật số 74/2025/QH15 Luật
            # Việc làm"; but "Luật sửa đổi, bổ sung … của Luật Bảo hiểm y tế" is another law.
            found = [info for key, info in self.laws
                     if key.endswith(" " + wanted) and " sua doi" not in key]
        if date:
            found = [info for info in found if info.issued_date == date] or found
        return found[0].id if len(found) == 1 else None


@dataclass(frozen=True)
class Reference:
    """One mention of another document, and that document when the index holds it."""

    source: DocumentInfo  # the citing document
    char_start: int
    char_end: int
    paragraph: int
    text: str
    number: str | None
    doc_type: str | None
    name: str | None
    date: str | None
    relation: str
    target: DocumentInfo | None

    def as_dict(self) -> dict:
        return {"document_id": self.source.id, "rel_path": self.source.rel_path,
                "title": self.source.title, "doc_number": self.source.doc_number,
                "issued_date": self.source.issued_date, "text": self.text,
                "number": self.number, "type": self.doc_type, "name": self.name,
                "date": self.date, "relation": self.relation, "relation_label":
                RELATION_LABELS.get(self.relation, self.relation),
                "char_start": self.char_start, "char_end": self.char_end,
                "paragraph": self.paragraph,
                "target_id": self.target.id if self.target else None,
                "target_rel_path": self.target.rel_path if self.target else None,
                "target_title": self.target.title if self.target else None}


RELATIONS = ("can_cu", "thuc_hien", "sua_doi", "thay_the", "bai_bo", "dan_chieu")
RELATION_LABELS = {"can_cu": "Căn cứ", "thuc_hien": "Thực hiện", "sua_doi": "Sửa đổi, bổ sung",
                   "thay_the": "Thay thế", "bai_bo": "Bãi bỏ", "dan_chieu": "Dẫn chiếu"}


class Links:
    """The references of one published version, resolved against the documents it holds."""

    def __init__(self, index):
        infos = index.document_infos()
        self.directory = DocumentDirectory(infos.values())
        starts = index.paragraph_starts()
        self.references: list[Reference] = []
        for record in index.records("references"):
            data = record.data
            target_id = self.directory.find(data.get("number"), data.get("type"),
                                            data.get("name"), data.get("date"))
            offsets = starts.get(record.document_id, (0,))
            self.references.append(Reference(
                infos[record.document_id], record.char_start, record.char_end,
                max(1, bisect.bisect_right(offsets, record.char_start)), data.get("text", ""),
                data.get("number"), data.get("type"), data.get("name"), data.get("date"),
                data.get("relation", "dan_chieu"),
                infos.get(target_id) if target_id and target_id != record.document_id else None))

    def cited_by(self, document_id: str) -> list[Reference]:
        """Return the references other documents make to this one."""
        return [r for r in self.references if r.target and r.target.id == document_id]

    def cites(self, document_id: str) -> list[Reference]:
        """Return the references a document makes, in its order."""
        return [r for r in self.references if r.source.id == document_id]

    def to_number(self, number: str) -> list[Reference]:
        """Return every reference to a số hiệu, whether or not that document is indexed."""
        key = number_key(number)
        return [r for r in self.references if r.number and number_key(r.number) == key]


_LINKS: "weakref.WeakKeyDictionary[object, Links]" = weakref.WeakKeyDictionary()


def links_of(index) -> Links:
    """Return the resolved references of a published version (read once per version)."""
    if index not in _LINKS:
        _LINKS[index] = Links(index)
    return _LINKS[index]
