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


LEAD_SEARCH_LINES = 60  # how far above a passage its list's lead-in is looked for
HEADING_SHARE = 0.5  # what a question word found only in the headings over a sentence counts


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
    # Its coverage with the headings and title over it counted in part: of two sentences of a
    # rule ("Tội trồng cây cần sa": "1. Người nào trồng …" / "2. … a) Có tổ chức;"), the one
    # with the question's condition is the answer, though only its title names the offence.
    ranking_coverage: float = 0.0
    # Its own words' share, without its lead-in: of the items of one list ("a) Một năm là …",
    # "b) Nửa năm là sáu tháng;"), which share their lead-in's words, the one asked about.
    own_coverage: float = 0.0
    # The passage it is quoted from when that is none of the top ones: a list's lead-in that
    # the chunker left in the passage above its items.
    source: "Hit | None" = field(default=None, repr=False)


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


def coverage(words: list[str], weights: dict[str, float], pairs: dict[tuple, float],
             around: list[str] = (), around_share: float = 0.0) -> float:
    """Return the weighted share of the question's words and word pairs found in `words`;
    those found only in `around` (the headings over a sentence) count `around_share` as much."""
    present, present_pairs = set(words), set(zip(words, words[1:]))
    near, near_pairs = set(around), set(zip(around, around[1:]))
    total = sum(weights.values()) + sum(pairs.values())
    if total <= 0:
        return 0.0

    def found(key, here, there) -> float:
        return 1.0 if key in here else around_share if key in there else 0.0
    return (sum(w * found(word, present, near) for word, w in weights.items())
            + sum(w * found(pair, present_pairs, near_pairs) for pair, w in pairs.items())
            ) / total


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
    seen: set[tuple[str, str]] = set()
    for number, hit in enumerate(hits):
        found += _passage_candidates(asked, number, hit, parts[hit.document.id], seen,
                                     exact, weights, pairs,
                                     _lead_before(backend, asked, hits, number, exact, weights,
                                                  pairs))
    return found


def _lead_before(backend: SearchBackend, asked: Question, hits: list[Hit], number: int,
                 exact: bool, weights, pairs) -> "Candidate | None":
    """Return the line that introduces the list a passage opens with, when the chunker cut
    it off ("1. … thì thời hạn đó được tính như sau:" above "a) Một năm là …"), or None.

    An answer quotes only the passages it cites: the line is quoted from the top passage that
    holds it, or else from its own passage, which the answer then cites too."""
    hit = hits[number]
    first_line = hit.text.lstrip("\n").split("\n", 1)[0]
    marker = SUB_ITEM_MARKER.match(first_line)
    if not marker:
        return None
    document = backend.document(hit.document.id)
    if document is None or document.text[hit.char_start:hit.char_end] != hit.text:
        return None
    end = hit.char_start
    for _ in range(LEAD_SEARCH_LINES):
        start = document.text.rfind("\n", 0, max(0, end - 1)) + 1
        line = document.text[start:end].rstrip()
        if line and not SUB_ITEM_MARKER.match(line):
            if not line.endswith(":"):
                return None
            listed = LIST_MARKER.match(line)
            start += listed.end() if listed else 0
            text = document.text[start:start + len(line) - (listed.end() if listed else 0)]
            words = _syllables(text, exact)
            end = start + len(text)
            holder = next((i for i, other in enumerate(hits)
                           if other.document.id == hit.document.id
                           and other.char_start <= start < end <= other.char_end), None)
            source = None if holder is not None else _passage_holding(backend, hit, start, end)
            if holder is None and source is None:
                return None
            return Candidate(number if holder is None else holder, start, end, text,
                             coverage(words, weights, pairs), _fact(asked, text, []),
                             frozenset(words), source=source)
        if start == 0:
            return None
        end = start - 1
    return None


def _passage_holding(backend: SearchBackend, hit: Hit, start: int, end: int) -> Hit | None:
    """Return the passage of `hit`'s document that holds [start, end), as a hit."""
    for chunk in backend.chunks_of(hit.document.id):
        if chunk.char_start <= start < end <= chunk.char_end:
            return Hit(0, 0.0, chunk.id, chunk.text, chunk.page, chunk.para_start,
                       chunk.para_end, chunk.char_start, chunk.char_end, chunk.heading_path,
                       hit.document)
    return None


def _passage_candidates(asked: Question, number: int, hit: Hit, parts: DocumentParts,
                        seen: set[tuple[str, str]], exact: bool, weights, pairs,
                        lead: "Candidate | None") -> list[Candidate]:
    # A title or heading names a topic; it answers nothing.
    labels = {fold(label).rstrip(" .:") for label in (hit.document.title, *hit.heading_path)}
    around = _syllables(" ".join((hit.document.title, *hit.heading_path)), exact)
    found: list[Candidate] = []
    for start, end in split_sentences(hit.text):
        sentence = hit.text[start:end]
        before = hit.text[hit.text.rfind("\n", 0, start) + 1:start]
        item = bool(SUB_ITEM_MARKER.fullmatch(before))
        if not item and not before.strip(" "):
            lead = None  # a new line that is no list item ends the list
        offset = hit.char_start + start
        # "a) Có tổ chức;" says nothing alone, but with its lead-in it states a whole rule.
        quotable_alone = is_statement(sentence) or \
            item and lead is not None and len(SYLLABLE.findall(sentence)) >= 2
        # "a) Trong chiến đấu;" under another article's lead-in is another rule.
        said = (lead.text if item and lead is not None else "", sentence)
        if said in seen or not quotable_alone or \
                fold(sentence).rstrip(" .:") in labels or \
                not quotable(parts.role_at(offset), asked.asks_basis):
            continue
        seen.add(said)  # a sentence repeated in another passage is quoted once
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
                                               and bool(introduced.fact)),
                              coverage(context, weights, pairs, around, HEADING_SHARE),
                              coverage(words, weights, pairs))
        found.append(candidate)
        if sentence.endswith(":"):
            lead = candidate
    return found
