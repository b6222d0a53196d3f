"""Measure answers on judged questions: gold string found, citations exact, abstention."""
from __future__ import annotations

import dataclasses

from ..normalize import normalize_line
from ..search import Searcher
from .ask import compose_answer
from .model import AnswerSettings
from .verify import mismatched_quotes


def _normal(text: str) -> str:
    return normalize_line(" ".join(text.split())).casefold()


def evaluate_answers(searcher: Searcher, answerable: list[dict], unanswerable: list[dict],
                     settings: AnswerSettings = AnswerSettings(), progress=None) -> dict:
    """Answer judged questions; return per-question records and the rates at the threshold.

    `answerable` items have "query" and "answer" (a gold string); `unanswerable` items have
    "query". Every question is composed as if supported, so a caller can sweep thresholds
    over the records' "support" without answering again. Gold strings are compared after
    the index's own normalisation, ignoring case. Quotes are checked by the same check `ask`
    makes, counted here instead of raised.
    """
    composing = dataclasses.replace(settings, threshold=float("-inf"), min_coverage=0.0)
    records, quotes, exact = [], 0, 0
    questions = [(q, True) for q in answerable] + [(q, False) for q in unanswerable]
    for item, answerable_item in questions:
        answer, texts = compose_answer(searcher, item["query"], composing)
        quotes += len(answer.sentences)
        exact += len(answer.sentences) - len(mismatched_quotes(answer, texts))
        records.append(_record(item, answerable_item, answer))
        if progress:
            progress(1)
    return {"records": records, "citation_precision": exact / quotes if quotes else 1.0,
            "quotes": quotes, **rates(records, settings.threshold, settings.min_coverage)}


def _record(item: dict, answerable: bool, answer) -> dict:
    gold = _normal(item.get("answer") or "") if answerable else ""
    marked = [_normal(quote.text[a:b]) for quote in answer.sentences for a, b in quote.highlights]
    wanted = _normal(item.get("highlight") or "") or gold
    return {
        "qid": item.get("qid"), "answerable": answerable, "kind": answer.kind,
        "support": answer.support, "coverage": answer.coverage,
        # Composed as if supported, an answer is still refused when its evidence misses a
        # term that pins the question down (a province, a year, a number, an agency).
        "pinned": answer.supported,
        "answer_has_gold": bool(gold) and gold in _normal(answer.text),
        "top_has_gold": bool(gold and answer.passages) and gold in _normal(
            answer.passages[0].text),
        # The highlighted phrase is the right one when it holds the expected phrase or lies
        # inside it ("Quý II/2027" marked in "trước Quý II/2027", or the other way round).
        "highlight_right": bool(wanted) and any(wanted in m or (m and m in wanted)
                                                for m in marked),
        "highlighted": bool(marked),
        "sentences": len(answer.sentences),
    }


def answered(record: dict, threshold: float, min_coverage: float = 0.0) -> bool:
    return record["pinned"] and record["support"] >= threshold and \
        record.get("coverage", 1.0) >= min_coverage


def rates(records: list[dict], threshold: float, min_coverage: float = 0.0) -> dict:
    """Return the answer rates when questions with support below `threshold`, or whose best
    quoted sentence covers less than `min_coverage` of the question, abstain."""
    answerable = [r for r in records if r["answerable"]] or [{}]
    unanswerable = [r for r in records if not r["answerable"]]
    kept = [r for r in answerable if r and answered(r, threshold, min_coverage)]
    return {
        "threshold": threshold, "min_coverage": min_coverage,
        "answer_has_gold": sum(r["answer_has_gold"] for r in kept) / len(answerable),
        "top_has_gold": sum(r.get("top_has_gold", False) for r in answerable) / len(answerable),
        "highlight_right": sum(r["highlight_right"] for r in kept) / len(answerable),
        "wrong_abstention": 1 - len(kept) / len(answerable),
        "abstention_unanswerable": (sum(not answered(r, threshold, min_coverage)
                                        for r in unanswerable)
                                    / len(unanswerable)) if unanswerable else None,
        "questions": len([r for r in records if r["answerable"]]),
        "unanswerable": len(unanswerable),
    }
