"""Answers: quoted, cited sentences from the documents, or an honest "not found".

  sentences.py   cut passages into quotable sentences, with their offsets
  question.py    what a question asks for, and the phrase that states it
  candidates.py  each sentence measured against the question
  compose.py     composers choose and order the quotes (configurable)
  verify.py      every quote checked against the stored text
  ask.py         the whole: search, measure, abstain or compose, verify
  evaluate.py    the same on judged questions
"""
from .ask import ask, compose_answer, support
from .candidates import Candidate, candidates
from .compose import COMPOSERS, Composer, ComposerUnavailable, composer_named, extract
from .evaluate import evaluate_answers, rates
from .model import NOT_FOUND, Answer, AnswerSettings, Citation, Quote
from .question import fact_finder
from .sentences import split_sentences
from .verify import QuoteMismatch, mismatched_quotes, verify

__all__ = ["COMPOSERS", "NOT_FOUND", "Answer", "AnswerSettings", "Candidate", "Citation",
           "Composer", "ComposerUnavailable", "Quote", "QuoteMismatch", "ask", "candidates",
           "compose_answer", "composer_named", "evaluate_answers", "extract", "fact_finder",
           "mismatched_quotes", "rates", "split_sentences", "support", "verify"]
