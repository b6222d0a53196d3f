"""What an answer is: quoted sentences, each the exact text of a cited passage."""
from __future__ import annotations

from dataclasses import dataclass

from ..search import Hit

NOT_FOUND = "Không tìm thấy thông tin phù hợp trong các văn bản đã lập chỉ mục."


@dataclass(frozen=True)
class AnswerSettings:
    passages: int = 5  # top passages the sentences are taken from (and shown)
    max_sentences: int = 4
    keep_ratio: float = 0.75  # a further sentence must score this share of the best one
    redundancy: float = 0.6  # word overlap (Jaccard) above which a sentence repeats another
    rank_weight: float = 0.3  # what a passage's rank adds to its sentences (1/sqrt(1 + rank))
    fact_bonus: float = 0.25  # what stating the asked fact (a number, date, agency) adds
    task_bonus: float = 0.2  # what stating it as an assignment's lead or deadline adds
    # Support (see `ask.support`) below this means "not found". Chosen on ViLQA against
    # scripts/unanswerable_questions.jsonl; the sweep and the reason are in the README.
    threshold: float = 0.55
    # The best quoted sentence (with its lead-in, and the headings over it at half weight) must
    # hold this share of the question's weighted words, or the answer is "not found": an
    # on-topic passage that answers another
    # question ("trộm cắp" asked, "chiếm đoạt di vật" quoted) covers less. Chosen with the
    # threshold on the dev halves of scripts/answer_sets (README, Answers).
    min_coverage: float = 0.40
    keyword_sentences: int = 1  # a keyword query gets a compact panel: one sentence at most
    list_sentences: int = 6  # "những nhiệm vụ nào": the list's lead-in and its items
    composer: str = "extractive"  # a name in compose.COMPOSERS, or "package.module:factory"


@dataclass(frozen=True)
class Quote:
    """One quoted sentence: exactly `document text[char_start:char_end]`."""

    text: str
    document_id: str
    char_start: int
    char_end: int
    paragraph: int  # 1-based paragraph of the document view where the sentence starts
    citation: int  # its marker: [1], [2], … numbers Answer.citations
    highlights: tuple[tuple[int, int], ...]  # spans of `text` stating the asked fact
    score: float


@dataclass(frozen=True)
class Citation:
    number: int
    hit: Hit  # the passage the quoted sentences come from


@dataclass(frozen=True)
class Answer:
    question: str
    supported: bool
    support: float  # the evidence compared with the threshold
    sentences: tuple[Quote, ...]  # empty when not supported
    citations: tuple[Citation, ...]
    passages: tuple[Hit, ...]  # the closest passages, shown whether supported or not
    kind: str = "other"  # what the question asks (answer.question.KINDS)
    coverage: float = 0.0  # the best quoted sentence's share of the question's words

    @property
    def compact(self) -> bool:
        """A keyword query ("nhiệm vụ chuyển đổi số") asks nothing: its panel stays small."""
        return self.kind == "keyword"

    @property
    def text(self) -> str:
        """Return the answer as one paragraph with its markers, or the "not found" line."""
        if not self.supported:
            return NOT_FOUND
        return " ".join(f"{quote.text} [{quote.citation}]" for quote in self.sentences)

    def as_dict(self) -> dict:
        return {
            "question": self.question, "supported": self.supported,
            "support": round(self.support, 4), "coverage": round(self.coverage, 4),
            "text": self.text, "kind": self.kind,
            "compact": self.compact,
            "message": None if self.supported else NOT_FOUND,
            "sentences": [{"text": q.text, "document_id": q.document_id,
                           "char_start": q.char_start, "char_end": q.char_end,
                           "paragraph": q.paragraph, "citation": q.citation,
                           "highlights": [list(span) for span in q.highlights],
                           "score": round(q.score, 4)} for q in self.sentences],
            "citations": [{"number": c.number, **c.hit.as_dict()} for c in self.citations],
            "passages": [hit.as_dict() for hit in self.passages],
        }
