"""Measure each sentence of the top passages against the question: the words it covers."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..search import Hit
from ..store import SearchBackend
from ..vietnamese import LIST_MARKER, QUESTION_WORDS, SUB_ITEM_MARKER, SYLLABLE, fold
from .evidence import (DocumentParts, TaskSpan, document_parts, evidence_keys, matchable,
                       pins_found, quotable)
from .question import AGENCY, DEADLINE, Question, analyse, weighed_text
from .sentences import is_statement, split_sentences


@dataclass(frozen=True)
class Candidate:
    """A sentence of a top passage, with what the composer needs to weigh it."""

    passage: int  # index into the passages
    start: int  # offsets into the document text
    end: int
    text: str
    coverage: float  # share of the question's weighted words and pairs (with its lead-in's)
    fact: tuple[tuple[int, int], ...]  # spans of the asked fact in `text`
    words: frozenset[str] = field(repr=False)
    # A list item ("a) Là chỉ huy hoặc sĩ quan;") means little without the sentence that
    # introduces it ("Phạm tội …, thì bị phạt tù từ 07 năm đến 15 năm:"); this is that one.
    lead: "Candidate | None" = field(default=None, repr=False)
    pinned: bool = True  # the question's pinning terms are in its evidence
    # It states an assigned task whose lead (who?) or deadline (when?) is the asked fact.
    task: bool = False


def _syllables(text: str, exact: bool) -> list[str]:
    """Lower-case syllables, with diacritics when `exact`, else folded ("tỉnh" → "tinh")."""
    words = SYLLABLE.findall(text.lower())
    return words if exact else [fold(w) for w in words]


def question_weights(backend: SearchBackend, question: str, exact: bool
                     ) -> tuple[dict[str, float], dict[tuple, float]]:
    """Weigh the question's content syllables by IDF over the index, and their pairs.

    The document frequencies are the lexical index's own (the store's term statistics).
    """
    words = _syllables(question, exact)
    total = max(1, backend.manifest.chunks)
    column = "exact" if exact else "folded"
    weights: dict[str, float] = {}
    for word in dict.fromkeys(w for w in words if fold(w) not in QUESTION_WORDS):
        frequency = backend.document_frequency(column, word)
        weights[word] = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
    pairs = {(a, b): (weights.get(a, 0.0) + weights.get(b, 0.0)) / 2
             for a, b in zip(words, words[1:]) if a in weights or b in weights}
    return weights, pairs


def coverage(words: list[str], weights: dict[str, float], pairs: dict[tuple, float]) -> float:
    """Return the weighted share of the question's words and word pairs found in `words`."""
    present, present_pairs = set(words), set(zip(words, words[1:]))
    total = sum(weights.values()) + sum(pairs.values())
    if total <= 0:
        return 0.0
    return (sum(w for word, w in weights.items() if word in present)
            + sum(w for pair, w in pairs.items() if pair in present_pairs)) / total


def _task_names(question: Question, tasks: list[TaskSpan]) -> list[str]:
    """What answers the question in the tasks a sentence states: leads, or deadlines."""
    if question.kind == AGENCY:
        return [name for task in tasks for name in task.lead if name]
    return [task.deadline for task in tasks if task.deadline]


def _find(text: str, names: list[str]) -> tuple | None:
    folded = fold(text)
    for name in names:
        at = folded.find(fold(name))
        if at >= 0:
            return ((at, at + len(name)),)
    return None


def _fact(question: Question, sentence: str, tasks: list[TaskSpan]) -> tuple:
    """Find the phrase that answers: for a who / when question about an assigned task, its
    lead or deadline (an agency merely mentioned, a date of a cited decision, is none)."""
    names = _task_names(question, tasks) if question.kind in (AGENCY, DEADLINE) else []
    if names:
        return _find(sentence, names) or ()
    return tuple(question.finder(sentence)) if question.finder else ()


def _task_line(number: int, hit: Hit, start: int, end: int, names: list[str], exact: bool
               ) -> "Candidate | None":
    """Find, near a sentence in its passage, the line that names its task's lead or deadline:
    the heading above ("3. Sở Tài chính"), or a cell of its table row ("Quý II/2027")."""
    folded = fold(hit.text)
    found = []
    for name in names:
        key = fold(name)
        before, after = folded.rfind(key, 0, start), folded.find(key, end)
        found += [(start - before, before, name)] * (before >= 0) + \
            [(after - end, after, name)] * (after >= 0)
    if not found:
        return None
    _, at, name = min(found)
    line_start = hit.text.rfind("\n", 0, at) + 1
    line_end = hit.text.find("\n", at)
    line_end = len(hit.text) if line_end < 0 else line_end
    marker = LIST_MARKER.match(hit.text, line_start, line_end)
    line_start = marker.end() if marker else line_start
    text = hit.text[line_start:line_end].rstrip()
    if not text or start <= line_start < end:
        return None
    return Candidate(number, hit.char_start + line_start, hit.char_start + line_start + len(text),
                     text, 0.0, ((at - line_start, at - line_start + len(name)),),
                     frozenset(_syllables(text, exact)))


def _pinned(question: Question, hit: Hit, sentence: str, lead: "Candidate | None",
            tasks: list[TaskSpan]) -> bool:
    if not question.pins:
        return True
    near = matchable(" ".join((sentence, lead.text if lead else "", *hit.heading_path,
                               *(name for task in tasks for name in task.lead + task.cooperate))))
    return pins_found(question.pins, near, *evidence_keys(hit))


def candidates(backend: SearchBackend, question: str | Question, hits: list[Hit]
               ) -> list[Candidate]:
    """Cut the passages into quotable sentences and measure each against the question.

    Only the body of a document is quoted (the preamble too when the legal basis is asked):
    never its header, recipients, signature or a website's text around it.
    """
    asked = question if isinstance(question, Question) else analyse(question)
    # Typed with diacritics, "tỉnh" must not match "tính" or "tình"; typed without, it may.
    exact = fold(asked.text) != asked.text.lower()
    weights, pairs = question_weights(backend, weighed_text(asked), exact)
    parts = document_parts(backend, [hit.document.id for hit in hits])
    found: list[Candidate] = []
    seen: set[str] = set()
    for number, hit in enumerate(hits):
        found += _passage_candidates(asked, number, hit, parts[hit.document.id], seen,
                                     exact, weights, pairs)
    return found


def _passage_candidates(asked: Question, number: int, hit: Hit, parts: DocumentParts,
                        seen: set[str], exact: bool, weights, pairs) -> list[Candidate]:
    # A title or heading names a topic; it answers nothing.
    labels = {fold(label).rstrip(" .:") for label in (hit.document.title, *hit.heading_path)}
    lead: Candidate | None = None
    found: list[Candidate] = []
    for start, end in split_sentences(hit.text):
        sentence = hit.text[start:end]
        before = hit.text[hit.text.rfind("\n", 0, start) + 1:start]
        item = bool(SUB_ITEM_MARKER.fullmatch(before))
        if not item and not before.strip(" "):
            lead = None  # a new line that is no list item ends the list
        offset = hit.char_start + start
        if sentence in seen or not is_statement(sentence) or \
                fold(sentence).rstrip(" .:") in labels or \
                not quotable(parts.role_at(offset), asked.asks_basis):
            continue
        seen.add(sentence)  # a sentence repeated in another passage is quoted once
        words = _syllables(sentence, exact)
        context = _syllables(lead.text, exact) + words if item and lead else words
        tasks = parts.tasks_over(offset, hit.char_start + end)
        fact = _fact(asked, sentence, tasks)
        introduced = lead if item else None
        names = _task_names(asked, tasks) if asked.kind in (AGENCY, DEADLINE) else []
        if names and not fact:
            # "3. Sở Tài chính" / "a) Thẩm định dự toán …", or a table row: the lead or the
            # deadline is in another line; that line is quoted with it, the answer marked there.
            introduced = _task_line(number, hit, start, end, names, exact) or introduced
        candidate = Candidate(number, offset, hit.char_start + end, sentence,
                              coverage(context, weights, pairs), fact, frozenset(words),
                              introduced, _pinned(asked, hit, sentence, introduced, tasks),
                              bool(names) and (bool(fact) or introduced is not None
                                               and bool(introduced.fact)))
        found.append(candidate)
        if sentence.endswith(":"):
            lead = candidate
    return found
