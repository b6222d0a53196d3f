"""Composers choose and order what an answer quotes; configuration names which one runs.

A composer is called with the question, the passages, their measured sentences and the
settings, and returns (candidate, highlight spans) pairs. Whatever it is — the extractive one
here, or a language model that picks and orders sentences — `ask` checks every quote against
the stored text, so an answer can only quote the documents. A new composer is one module with
a factory, registered in COMPOSERS or named as "package.module:factory" in the configuration
(`vankien ask --composer`, VANKIEN_COMPOSER, the web app's config).
"""
from __future__ import annotations

import importlib
import math
from typing import Callable, Protocol

from ..errors import VankienError
from ..search import Hit
from .candidates import Candidate
from .model import AnswerSettings

Picked = list[tuple[Candidate, tuple]]


class Composer(Protocol):
    def __call__(self, question: str, passages: list[Hit], found: list[Candidate],
                 settings: AnswerSettings) -> Picked: ...


def sentence_score(candidate: Candidate, settings: AnswerSettings) -> float:
    """Score a sentence: its share of the question's words, its passage's rank, the fact, and
    whether the fact is an assignment's lead or deadline (not an agency merely mentioned)."""
    stated = candidate.fact or (candidate.lead.fact if candidate.lead else ())
    return (candidate.ranking_coverage + settings.rank_weight / math.sqrt(1 + candidate.passage)
            + (settings.fact_bonus if stated else 0.0)
            + (settings.task_bonus if candidate.task else 0.0))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def extract(question: str, passages: list[Hit], found: list[Candidate],
            settings: AnswerSettings) -> Picked:
    """Pick up to `max_sentences` relevant, non-repeating sentences in reading order.

    A list item comes with the sentence that introduces it. The asked fact is highlighted
    once, in the best pick that states it.
    """
    ranked = sorted(found, key=lambda c: (-sentence_score(c, settings), -c.own_coverage,
                                          c.passage, c.start))
    chosen: list[Candidate] = []
    marked: tuple[Candidate, tuple] | None = None
    for candidate in ranked:
        if chosen and sentence_score(candidate, settings) < settings.keep_ratio * \
                sentence_score(ranked[0], settings):
            break
        unit = [c for c in (candidate.lead, candidate) if c is not None and c not in chosen]
        if (chosen and candidate.coverage == 0) or \
                len(chosen) + len(unit) > settings.max_sentences or \
                any(_overlap(candidate.words, c.words) > settings.redundancy for c in chosen):
            continue
        chosen += unit
        if marked is None:
            stating = next((c for c in (candidate, candidate.lead) if c and c.fact), None)
            marked = (stating, stating.fact[:1]) if stating else None
    # Reading order: documents by their best sentence, sentences in document order.
    first_seen: dict[str, int] = {}
    for candidate in chosen:
        first_seen.setdefault(passages[candidate.passage].document.id, len(first_seen))
    chosen.sort(key=lambda c: (first_seen[passages[c.passage].document.id], c.start))
    return [(c, marked[1] if marked and c is marked[0] else ()) for c in chosen]


# Name → factory returning a composer.
COMPOSERS: dict[str, Callable[[], Composer]] = {"extractive": lambda: extract}


class ComposerUnavailable(VankienError):
    """The configured composer is neither registered nor importable."""


def composer_named(spec: str) -> Composer:
    """Return the composer a configuration names: "extractive", or "package.module:factory"."""
    if spec in COMPOSERS:
        return COMPOSERS[spec]()
    module_name, _, attribute = spec.partition(":")
    if not attribute:
        raise ComposerUnavailable(f"unknown composer '{spec}': use one of "
                                  f"{', '.join(COMPOSERS)} or 'package.module:factory'")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ComposerUnavailable(f"cannot load composer '{spec}': {exc}") from exc
    return factory()
