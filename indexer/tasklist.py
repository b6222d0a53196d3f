"""The tasks an index holds, as a clerk looks for them: by agency, deadline, document, words.

Tasks are the "tasks" records the reindex stored (indexer/extract/tasks.py). They are read
once per published version (versions never change) and filtered in memory: a province's
documents hold thousands of tasks, not millions. A text query ranks tasks by the hybrid
search over the passages that hold them, and by the query's words in the task itself.
"""
from __future__ import annotations

import bisect
import weakref
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Iterable

from .search import Searcher
from .store import DocumentInfo, Filters, SearchBackend
from .vietnamese import fold, syllables

PERIODS = ("overdue", "month", "quarter", "year")


@dataclass(frozen=True)
class Task:
    document: DocumentInfo
    ordinal: int
    char_start: int
    char_end: int
    paragraph: int
    task: str
    lead: tuple[str, ...]
    lead_normalized: tuple[str, ...]
    cooperate: tuple[str, ...]
    cooperate_normalized: tuple[str, ...]
    deadline: str | None
    deadline_iso: str | None
    deadline_period: str | None
    product: str | None
    kind: str
    generic: bool
    score: float = 0.0

    def as_dict(self) -> dict:
        return {"document_id": self.document.id, "rel_path": self.document.rel_path,
                "title": self.document.title, "doc_number": self.document.doc_number,
                "doc_type": self.document.doc_type, "issuer": self.document.issuer,
                "issued_date": self.document.issued_date, "task": self.task,
                "lead": list(self.lead), "lead_normalized": list(self.lead_normalized),
                "cooperate": list(self.cooperate),
                "cooperate_normalized": list(self.cooperate_normalized),
                "deadline": self.deadline, "deadline_iso": self.deadline_iso,
                "deadline_period": self.deadline_period, "product": self.product,
                "kind": self.kind, "generic": self.generic, "char_start": self.char_start,
                "char_end": self.char_end, "paragraph": self.paragraph}


@dataclass(frozen=True)
class TaskFilter:
    agency: str | None = None  # words of an agency's name, folded; matched as lead or partner
    role: str = "any"  # "lead", "cooperate" or "any"
    due_after: str | None = None  # ISO dates, inclusive
    due_before: str | None = None
    documents: Filters = Filters()  # type, issuer, year of the document that assigns
    query: str | None = None


_CACHE: "weakref.WeakKeyDictionary[object, list[Task]]" = weakref.WeakKeyDictionary()


def all_tasks(index: SearchBackend) -> list[Task]:
    """Return every task of a published version, in document order (read once per version)."""
    if index in _CACHE:
        return _CACHE[index]
    infos = index.document_infos()
    starts = index.paragraph_starts()
    tasks = []
    for record in index.records("tasks"):
        data = record.data
        offsets = starts.get(record.document_id, (0,))
        tasks.append(Task(
            infos[record.document_id], record.ordinal, record.char_start, record.char_end,
            max(1, bisect.bisect_right(offsets, record.char_start)), data["task"],
            tuple(data["lead"]), tuple(data["lead_normalized"]), tuple(data["cooperate"]),
            tuple(data["cooperate_normalized"]), data["deadline"], data["deadline_iso"],
            data["deadline_period"], data["product"], data["kind"], data["generic"]))
    _CACHE[index] = tasks
    return tasks


def period_bounds(period: str, today: date) -> tuple[str | None, str | None]:
    """Return the (due after, due before) that a quick filter means on a given day."""
    if period == "overdue":
        return None, (today - timedelta(days=1)).isoformat()
    if period == "month":
        start = today.replace(day=1)
    elif period == "quarter":
        start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    elif period == "year":
        start = today.replace(month=1, day=1)
    else:
        raise ValueError(f"period must be one of {PERIODS}")
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    end = date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return start.isoformat(), end.isoformat()


def _agency_matches(task: Task, words: str, role: str) -> bool:
    names = {"lead": task.lead + task.lead_normalized,
             "cooperate": task.cooperate + task.cooperate_normalized}
    pool = names["lead"] + names["cooperate"] if role == "any" else names[role]
    return any(words in f" {fold(name)} " for name in pool)


def _matches(task: Task, wanted: TaskFilter, allowed: frozenset[str] | None) -> bool:
    if allowed is not None and task.document.id not in allowed:
        return False
    if wanted.agency and not _agency_matches(task, f" {' '.join(syllables(fold(wanted.agency)))} ",
                                             wanted.role):
        return False
    if wanted.due_after and not (task.deadline_iso and task.deadline_iso >= wanted.due_after):
        return False
    if wanted.due_before and not (task.deadline_iso and task.deadline_iso <= wanted.due_before):
        return False
    return True


def find_tasks(index: SearchBackend, wanted: TaskFilter = TaskFilter(),
               searcher: Searcher | None = None, sort: str = "deadline") -> list[Task]:
    """Return the tasks that pass the filter; with a query, best first, else by `sort`.

    `sort` is "deadline" (dated tasks first, soonest first), "document" or "relevance".
    """
    allowed = index.matching_documents(wanted.documents)
    tasks = [task for task in all_tasks(index) if _matches(task, wanted, allowed)]
    if wanted.query and searcher is not None:
        tasks = _ranked(tasks, wanted.query, searcher)
        if sort == "relevance":
            return tasks
    if sort == "deadline":
        return sorted(tasks, key=lambda t: (t.deadline_iso is None, t.deadline_iso or "",
                                            t.document.rel_path, t.char_start))
    return tasks


def _ranked(tasks: list[Task], query: str, searcher: Searcher) -> list[Task]:
    """Keep the tasks a query is about: in a passage it finds, or holding its words."""
    ranked = searcher.rank(query, k=400)
    chunks = searcher.index.chunks([chunk_id for chunk_id, _ in ranked])
    spans: dict[str, list[tuple[int, int, float]]] = {}
    for chunk_id, score in ranked:
        if chunk := chunks.get(chunk_id):
            spans.setdefault(chunk.document.id, []).append((chunk.char_start, chunk.char_end, score))
    words = [w for w in syllables(fold(query)) if len(w) > 1]
    scored = []
    for task in tasks:
        passage = max((score for start, end, score in spans.get(task.document.id, [])
                       if start <= task.char_start < end), default=0.0)
        text = f" {' '.join(syllables(fold(task.task)))} "
        coverage = sum(f" {w} " in text for w in words) / len(words) if words else 0.0
        if passage > 0 or coverage >= 0.5:
            scored.append(replace(task, score=round(passage + coverage, 4)))
    return sorted(scored, key=lambda t: -t.score)


def agencies(tasks: Iterable[Task]) -> list[tuple[str, int]]:
    """Count the lead agencies of tasks (normalised names), most tasks first."""
    from collections import Counter

    counts = Counter(name for task in tasks for name in task.lead_normalized)
    return counts.most_common()
