"""What the index knows about the passages an answer may quote: which part of its document a
sentence is in, which assigned task it states, and whether it is about the question's pins.

The parts ("sections" records: header, preamble, body, recipients, signature, website text)
and the tasks ("tasks" records: lead, partners, deadline) were read at index time by
indexer/extract; here they are looked up by offset. An index without those records (built by
an older release) reads as all body and no tasks.
"""
from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass

from ..aliases import ABBREVIATIONS
from ..sections import BODY, PREAMBLE
from ..store import SearchBackend
from ..vietnamese import fold
from .question import Pin


@dataclass(frozen=True)
class TaskSpan:
    start: int
    end: int
    lead: tuple[str, ...]
    cooperate: tuple[str, ...]
    deadline: str | None


@dataclass(frozen=True)
class DocumentParts:
    role_starts: tuple[int, ...]
    roles: tuple[str, ...]
    tasks: tuple[TaskSpan, ...]

    def role_at(self, offset: int) -> str:
        at = bisect.bisect_right(self.role_starts, offset) - 1
        return self.roles[at] if at >= 0 else BODY

    def tasks_over(self, start: int, end: int) -> list[TaskSpan]:
        """Return the tasks whose span overlaps [start, end), innermost (shortest) first."""
        found = [task for task in self.tasks if task.start < end and start < task.end]
        return sorted(found, key=lambda task: task.end - task.start)


def quotable(role: str, asks_basis: bool) -> bool:
    """Say whether a sentence in this part of a document may answer a question."""
    return role == BODY or (asks_basis and role == PREAMBLE)


_PARTS: "weakref.WeakKeyDictionary[object, dict[str, DocumentParts]]" = \
    weakref.WeakKeyDictionary()


def document_parts(backend: SearchBackend, document_ids: list[str]) -> dict[str, DocumentParts]:
    """Return the parts and tasks of documents (read once per published version)."""
    known = _PARTS.setdefault(backend, {})
    missing = [doc_id for doc_id in dict.fromkeys(document_ids) if doc_id not in known]
    if missing:
        sections: dict[str, list] = {doc_id: [] for doc_id in missing}
        for record in backend.records("sections", missing):
            sections[record.document_id].append((record.char_start, record.data["role"]))
        tasks: dict[str, list] = {doc_id: [] for doc_id in missing}
        for record in backend.records("tasks", missing):
            data = record.data
            tasks[record.document_id].append(TaskSpan(
                record.char_start, record.char_end, tuple(data["lead"]) +
                tuple(data["lead_normalized"]), tuple(data["cooperate"]) +
                tuple(data["cooperate_normalized"]), data["deadline"]))
        for doc_id in missing:
            spans = sorted(sections[doc_id])
            known[doc_id] = DocumentParts(tuple(s for s, _ in spans), tuple(r for _, r in spans),
                                          tuple(tasks[doc_id]))
    return {doc_id: known[doc_id] for doc_id in document_ids}


# --- pins ------------------------------------------------------------------------------------

_SPELLED = {fold(short): fold(long[0]) for short, long in ABBREVIATIONS.items()}
_SHORT = re.compile(r"(?<![^\W_])(" + "|".join(re.escape(k) for k in
                                                sorted(_SPELLED, key=len, reverse=True)) +
                    r")(?![^\W_])")


def matchable(text: str) -> str:
    """Fold a text and spell out its abbreviations, so "UBND" matches "Ủy ban nhân dân"."""
    return " " + " ".join(_SHORT.sub(lambda m: _SPELLED[m.group(1)], fold(text)).split()) + " "


def evidence_keys(hit) -> tuple[str, str, str]:
    """Return a passage's evidence as pins are matched: the passage with its headings and
    its document's title, issuer and year of issue (each `matchable`), and the document's số
    hiệu with the passage, folded only (a số hiệu's codes are no abbreviations to spell out)."""
    document = hit.document
    passage = " ".join((hit.text, *hit.heading_path))
    year = (document.issued_date or "")[:4]
    return (matchable(passage), matchable(f"{document.title} {document.issuer or ''} {year}"),
            fold(f"{document.doc_number or ''} {passage}"))


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", text)) + " "


def pin_found(pin: Pin, near: str, passage: str, document: str, numbers: str) -> bool:
    """Say whether a pin is in the evidence, each part given by `matchable`.

    `near` is the sentence with what introduces it (its lead-in, its headings, the task it
    states); `passage` the passage; `document` its title, issuer and year of issue; `numbers`
    its số hiệu and the passage, folded only (abbreviations kept: "155-KL/TW"). A place or a document number may
    be anywhere in the passage or the document's citation; an agency must be near the sentence
    (one plan assigns many agencies); a year or another number in the passage or the
    citation (a 2030 question is not answered by a 2025 target).
    """
    if pin.kind == "document":
        return pin.key in numbers.replace(" ", "")
    if pin.kind == "province":
        return f" {pin.key} " in _words(passage + document)
    if pin.kind == "agency":
        name = _words(matchable(pin.text))
        return name in _words(near) or name in _words(document)
    number = re.escape(pin.key)
    pattern = re.compile(rf"(?<![\d.,]){'' if pin.kind == 'year' else '0*'}{number}(?![\d])")
    return any(pattern.search(text) for text in (passage, document, numbers))


def pins_found(pins, near: str, passage: str, document: str, numbers: str) -> bool:
    """Say whether the evidence is about the question's pins: every one of them, except that
    one place of several is enough ("các địa phương từ Đà Nẵng đến Lâm Đồng")."""
    places = [pin for pin in pins if pin.kind == "province"]
    others = [pin for pin in pins if pin.kind != "province"]
    return (not places or any(pin_found(pin, near, passage, document, numbers)
                              for pin in places)) and \
        all(pin_found(pin, near, passage, document, numbers) for pin in others)
