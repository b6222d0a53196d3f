"""Measure each sentence of the top passages against the question: the words it covers."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..search import Hit
from ..store import SearchBackend
from ..vietnamese import QUESTION_WORDS, SUB_ITEM_MARKER, SYLLABLE, fold
from .question import fact_finder
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


def candidates(backend: SearchBackend, question: str, hits: list[Hit]) -> list[Candidate]:
    """Cut the passages into quotable sentences and measure each against the question."""
    # Typed with diacritics, "tỉnh" must not match "tính" or "tình"; typed without, it may.
    exact = fold(question) != question.lower()
    weights, pairs = question_weights(backend, question, exact)
    finder = fact_finder(question)
    found: list[Candidate] = []
    seen: set[str] = set()
    for number, hit in enumerate(hits):
        # A title or heading names a topic; it answers nothing.
        labels = {fold(label).rstrip(" .:") for label in (hit.document.title, *hit.heading_path)}
        lead: Candidate | None = None
        for start, end in split_sentences(hit.text):
            sentence = hit.text[start:end]
            before = hit.text[hit.text.rfind("\n", 0, start) + 1:start]
            item = bool(SUB_ITEM_MARKER.fullmatch(before))
            if not item and not before.strip(" "):
                lead = None  # a new line that is no list item ends the list
            if sentence in seen or not is_statement(sentence) or \
                    fold(sentence).rstrip(" .:") in labels:
                continue
            seen.add(sentence)  # a sentence repeated in another passage is quoted once
            words = _syllables(sentence, exact)
            context = _syllables(lead.text, exact) + words if item and lead else words
            candidate = Candidate(number, hit.char_start + start, hit.char_start + end,
                                  sentence, coverage(context, weights, pairs),
                                  tuple(finder(sentence)) if finder else (), frozenset(words),
                                  lead if item else None)
            found.append(candidate)
            if sentence.endswith(":"):
                lead = candidate
    return found
