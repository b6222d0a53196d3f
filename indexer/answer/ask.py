"""Answer a question with quoted, cited sentences from the top passages, or say none is found.

Extractive on purpose: every sentence of an answer is `document_text[start:end]` of an indexed
document, checked against the stored text before the answer is returned, so an answer never
says more than the documents do. When the evidence is weaker than `AnswerSettings.threshold`
(calibrated by scripts/eval_answers.py), the answer says so and still carries the closest
passages.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from ..normalize import normalize_line
from ..search import Filters, Hit, Searcher
from .candidates import Candidate, candidates
from .compose import Composer, composer_named, sentence_score
from .evidence import evidence_keys, pins_found
from .model import Answer, AnswerSettings, Citation, Quote
from .question import LIST, Question, analyse
from .sentences import split_sentences
from .verify import verify

log = logging.getLogger(__name__)


def support(searcher: Searcher, question: str, hits: list[Hit], found: list[Candidate]) -> float:
    """Measure how well the index supports an answer, on a scale the threshold is set on.

    The fused search score is scaled per query, so it cannot tell a good answer from the best
    of bad ones. Support is the mean of two raw signals: the best passage's cosine with the
    question (dense), and the best sentence's share of the question's weighted words. Either
    alone lets through questions the other catches (a topic-shaped question with no matching
    words; common words matching an unrelated passage). The question's vector comes from the
    dense retriever's cache, so it is embedded once.
    """
    if not hits:
        return 0.0
    nearest = searcher.dense.nearest(question, len(hits), [hit.chunk_id for hit in hits])
    cosine = nearest[0][1] if nearest else 0.0
    coverage = max((c.coverage for c in found), default=0.0)
    return (cosine + coverage) / 2


def _best_first(question: Question, hits: list[Hit], passages: int) -> list[Hit]:
    """Keep the best `passages` hits, those that fit the question first: whose document
    matches its place or document number ("Ở Cà Mau, …" is answered from Cà Mau's documents
    if one is found), and, for "X là gì?", that define X ("X là …")."""
    wanted = [pin for pin in question.pins if pin.kind in ("province", "document")]
    if not wanted and not question.term:
        return hits[:passages]

    def fits(hit: Hit) -> int:
        pinned = pins_found(wanted, "", *evidence_keys(hit))
        defines = question.term is not None and question.finder is not None and any(
            question.finder(hit.text[a:b]) for a, b in split_sentences(hit.text))
        return 2 * pinned + defines

    kept = sorted(hits, key=lambda hit: -fits(hit))  # stable: search order within each
    return [replace(hit, rank=rank) for rank, hit in enumerate(kept[:passages], 1)]


def compose_answer(searcher: Searcher, question: str, settings: AnswerSettings = AnswerSettings(),
                   filters: Filters | None = None, composer: Composer | None = None
                   ) -> tuple[Answer, dict[str, str]]:
    """Compose an answer without checking it; return it with the texts of the cited documents."""
    asked = analyse(normalize_line(question))
    question = asked.text
    depth = settings.passages * (3 if asked.pins or asked.term else 1)
    hits = _best_first(asked, searcher.search(question, k=depth, filters=filters),
                       settings.passages)
    found = candidates(searcher.index, asked, hits)
    evidence = support(searcher, question, hits, found)
    log.debug("support %.3f (threshold %.3f) for %r", evidence, settings.threshold, question)
    found = [candidate for candidate in found if candidate.pinned]
    if evidence < settings.threshold or not found:
        return Answer(question, False, evidence, (), (), tuple(hits), asked.kind), {}
    if asked.is_keyword:
        settings = replace(settings, max_sentences=settings.keyword_sentences)
    elif asked.kind == LIST:
        settings = replace(settings, max_sentences=settings.list_sentences)
    composer = composer or composer_named(settings.composer)
    picked = composer(question, hits, found, settings)
    covered = max((candidate.ranking_coverage for candidate, _ in picked), default=0.0)
    if covered < settings.min_coverage:
        return Answer(question, False, evidence, (), (), tuple(hits), asked.kind, covered), {}
    documents = {}
    for hit in hits:
        if hit.document.id not in documents:
            documents[hit.document.id] = searcher.index.document(hit.document.id)
    numbers: dict[int, int] = {}  # chunk id → citation number
    cited: dict[int, Hit] = {}
    quotes = []
    for candidate, highlights in picked:
        # A list's lead-in may come from the passage above the top ones: that one is cited.
        hit = candidate.source or hits[candidate.passage]
        number = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
        cited.setdefault(number, hit)
        document = documents[hit.document.id]
        quotes.append(Quote(candidate.text, document.id, candidate.start, candidate.end,
                            document.paragraph_at(candidate.start), number, tuple(highlights),
                            sentence_score(candidate, settings)))
    citations = tuple(Citation(n, hit) for n, hit in cited.items())
    answer = Answer(question, bool(quotes), evidence, tuple(quotes), citations, tuple(hits),
                    asked.kind, covered)
    return answer, {doc_id: document.text for doc_id, document in documents.items()}


def ask(searcher: Searcher, question: str, settings: AnswerSettings = AnswerSettings(),
        filters: Filters | None = None, composer: Composer | None = None) -> Answer:
    """Answer a question from the index: 1–4 quoted, cited sentences, or "not found".

    Raises QuoteMismatch if a composed sentence is not the stored text at its offsets.
    """
    answer, texts = compose_answer(searcher, question, settings, filters, composer)
    verify(answer, texts)
    return answer
