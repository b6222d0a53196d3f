"""Answer a question with quoted, cited sentences from the top passages, or say none is found.

Extractive on purpose: every sentence of an answer is `document_text[start:end]` of an indexed
document, checked against the stored text before the answer is returned, so an answer never
says more than the documents do. When the evidence is weaker than `AnswerSettings.threshold`
(calibrated by scripts/eval_answers.py), the answer says so and still carries the closest
passages. No language model is involved; `Composer` is the seam where one could plug in.
"""
from __future__ import annotations

import bisect
import dataclasses
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Protocol

from .errors import VankienError
from .highlight import STOPWORDS
from .normalize import fold, normalize_line
from .search import Filters, Hit, Searcher

log = logging.getLogger(__name__)

NOT_FOUND = "Không tìm thấy thông tin phù hợp trong các văn bản đã lập chỉ mục."


class QuoteMismatch(VankienError):
    """A composed sentence is not an exact substring of the document it cites (a bug)."""


@dataclass(frozen=True)
class AnswerSettings:
    passages: int = 5  # top passages the sentences are taken from (and shown)
    max_sentences: int = 4
    keep_ratio: float = 0.75  # a further sentence must score this share of the best one
    redundancy: float = 0.6  # word overlap (Jaccard) above which a sentence repeats another
    rank_weight: float = 0.3  # what a passage's rank adds to its sentences (1/sqrt(1 + rank))
    fact_bonus: float = 0.25  # what stating the asked fact (a number, date, agency) adds
    # Support (see `support`) below this means "not found". Chosen on ViLQA against
    # scripts/unanswerable_questions.jsonl; the sweep and the reason are in the README.
    threshold: float = 0.55


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

    @property
    def text(self) -> str:
        """Return the answer as one paragraph with its markers, or the "not found" line."""
        if not self.supported:
            return NOT_FOUND
        return " ".join(f"{quote.text} [{quote.citation}]" for quote in self.sentences)

    def as_dict(self) -> dict:
        return {
            "question": self.question, "supported": self.supported,
            "support": round(self.support, 4), "text": self.text,
            "message": None if self.supported else NOT_FOUND,
            "sentences": [{"text": q.text, "document_id": q.document_id,
                           "char_start": q.char_start, "char_end": q.char_end,
                           "paragraph": q.paragraph, "citation": q.citation,
                           "highlights": [list(span) for span in q.highlights],
                           "score": round(q.score, 4)} for q in self.sentences],
            "citations": [{"number": c.number, **c.hit.as_dict()} for c in self.citations],
            "passages": [hit.as_dict() for hit in self.passages],
        }


# --- sentences -------------------------------------------------------------------------------

# A sentence ends at . ! ? … (and any closing quote) before a capital, a digit or a quote;
# the end of a line always ends one. Group 1 is the closing quote, kept with the sentence.
_BREAK = re.compile(r"(?<=[.!?…])([\"”’)]*)\s+(?=[\"“(]?(\w))")
_LIST_MARKER = re.compile(r"(?:[-+•–]\s+|\d+(?:\.\d+)*[.)]\s+|[a-zđ][.)]\s+|[IVXLC]+[.)]\s+)")
# "TP. Hồ Chí Minh", "PGS. TS. Nguyễn Văn A": a period that ends no sentence.
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:TP|Tp|TS|ThS|PGS|GS|BS|v\.v|Đ/c|đ/c|[^\W\d_])\.$")
_ENDS_SENTENCE = re.compile(r"[.!?…;:][\"”’)]*$")
_SYLLABLE = re.compile(r"[^\W_]+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence of `text`, so that text[start:end] is the sentence.

    Lines are split at sentence ends; a piece too short to stand alone ("Điều 5.", "1.")
    stays with what follows, and a leading list marker ("1.", "a)", "-") is left out.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for cut in _BREAK.finditer(text, line.start(), line.end()):
            next_char = cut.group(2)
            end = cut.start() + len(cut.group(1))
            piece = text[start:end]
            if not (next_char.isupper() or next_char.isdigit()) or \
                    len(_SYLLABLE.findall(piece)) < 3 or _ABBREVIATION.search(piece):
                continue
            spans.append((start, end))
            start = cut.end()
        spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        marker = _LIST_MARKER.match(text, start, end)
        start = marker.end() if marker else start
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def _is_statement(sentence: str) -> bool:
    """Return whether a sentence can be quoted as an answer: not a heading or a title line."""
    syllables = _SYLLABLE.findall(sentence)
    if len(syllables) < 4:
        return False
    letters = [ch for ch in sentence if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return False
    return bool(_ENDS_SENTENCE.search(sentence)) or len(syllables) >= 12


# Question words carry no topic: "ai", "gì", "nào", "bao nhiêu" say what is asked, not about what.
_QUESTION_WORDS = STOPWORDS | {fold(w) for w in
                               "ai gì nào bao nhiêu mấy đâu sao thế nhé vậy hả phải".split()}


# --- the asked fact --------------------------------------------------------------------------

Finder = Callable[[str], list[tuple[int, int]]]

_NUMBER = r"\d+(?:[.,]\d+)*"
_UNITS = {
    "tien": r"(?:nghìn |ngàn |triệu |tỷ )?đồng", "phan tram": r"%| phần trăm",
    "lau": r"năm|tháng|tuần|ngày|giờ|phút",
}
_DATE = re.compile(
    r"ngày \d{1,2}(?: tháng \d{1,2}(?: năm \d{4})?|/\d{1,2}/\d{4})|\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:tháng \d{1,2} )?năm \d{4}|quý [IV]+(?:(?:/| năm )\d{4})?"
    r"|(?:trước|sau|kể từ|chậm nhất|trong thời hạn) [^,.;:]{3,60}")
# Agencies by the word that opens their name; those in _NAMED need a name after them.
_AGENCY = re.compile(
    r"(?<![^\W_])(?:Ủy ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Chính phủ|Quốc hội|Thủ tướng|"
    r"Chủ tịch|Tỉnh ủy|Thành ủy|Huyện ủy|Đảng ủy|Công an|Tòa án|Viện kiểm sát|Mặt trận|"
    r"Kiểm toán|Văn phòng|Tổng cục|Trung tâm|Sở|Bộ|Ban|Cục|Phòng|Vụ)(?![^\W_])")
_NAMED = {"Văn phòng", "Tổng cục", "Trung tâm", "Sở", "Bộ", "Ban", "Cục", "Phòng", "Vụ"}
_NEXT = re.compile(r" ([^\W_]+)")
_PLACE = re.compile(r" (?:và|tỉnh|thành phố|huyện|quận|xã|phường) ")
_WHO = ("ai", "co quan nao", "don vi nao", "to chuc nao", "cap nao", "ben nao")
_WHEN = ("khi nao", "bao gio", "luc nao", "ngay nao", "nam nao", "thang nao", "thoi diem nao",
         "thoi gian nao", "han nao")


def _agency_spans(sentence: str) -> list[tuple[int, int]]:
    """Find agency names: "Sở Thông tin và Truyền thông", "Ủy ban nhân dân tỉnh Thái Nguyên".

    A Vietnamese name capitalises the first syllable of each word ("Thông tin", "Truyền
    thông") and every syllable of a proper name ("Thái Nguyên"). So after its opening word a
    name goes on with a capitalised syllable, with one lower-case syllable after a
    capitalised one that starts a word, or with "và"/"tỉnh"/… before a capitalised one.
    """
    spans = []
    for anchor in _AGENCY.finditer(sentence):
        if spans and anchor.start() < spans[-1][1]:
            continue
        end, named, starts_word, opener_end = anchor.end(), False, False, anchor.end()
        while (token := _NEXT.match(sentence, end)) is not None:
            word = token.group(1)
            place = _PLACE.match(sentence, end)
            if (chained := _AGENCY.match(sentence, token.start(1))) is not None:
                end = opener_end = chained.end()  # "Chủ tịch Ủy ban nhân dân …"
                named, starts_word = True, False
            elif place and sentence[place.end():place.end() + 1].isupper() and \
                    not _AGENCY.match(sentence, place.end()):  # "… và Sở Y tế" is another
                end, starts_word = place.end() - 1, False  # "… tỉnh Thái Nguyên"
            elif word[0].isupper():
                # After the opening word or a lower-case syllable, a capital starts a word of
                # the name; after another capital it goes on with a proper name.
                last = sentence[:end].rsplit(" ", 1)[-1]
                starts_word = end == opener_end or not last[:1].isupper()
                end, named = token.end(), True
            elif starts_word:
                end, starts_word = token.end(), False
            else:
                break
        if named or anchor.group() not in _NAMED:
            spans.append((anchor.start(), end))
    return spans


def _regex_finder(pattern: re.Pattern) -> Finder:
    return lambda sentence: [m.span() for m in pattern.finditer(sentence)]


def fact_finder(question: str) -> Finder | None:
    """Return what finds the phrase answering a how-many / when / who question, if it is one."""
    written = _SYLLABLE.findall(question.lower())
    folded = [fold(w) for w in written]
    text = f" {' '.join(folded)} "
    # "mấy" asks how many; folded it would also be "máy" (a machine), so it is read as written.
    asks = [i for i, w in enumerate(folded) if w == "nhieu" and i and folded[i - 1] == "bao"]
    asks += [i for i, w in enumerate(written) if w == "mấy"]
    if asks:
        after = folded[max(asks) + 1:]  # "từ bao nhiêu đến bao nhiêu năm": the unit is last
        unit = _UNITS.get(" ".join(after[:2])) or _UNITS.get(after[0] if after else "")
        if unit is None and after and after[0] not in _QUESTION_WORDS:
            # The unit as the question spells it: "tuổi", "năm", "nội dung" (a word is often
            # two syllables, and the text may say "15 nội dung" or just "15 nội").
            unit = re.escape(written[max(asks) + 1])
            if len(after) > 1 and after[1] not in _QUESTION_WORDS:
                unit += f"(?: {re.escape(written[max(asks) + 2])})?"
        unit = unit or r"[^\W\d_]+"
        return _regex_finder(re.compile(
            rf"(?:{_NUMBER}(?: [^\W\d_]+)? (?:đến|tới|-|–) )?{_NUMBER} ?(?:{unit})(?![^\W_])",
            re.IGNORECASE))
    if " bao lau " in text:
        return _regex_finder(re.compile(rf"{_NUMBER} (?:{_UNITS['lau']})(?![^\W_])"))
    if any(f" {words} " in text for words in _WHEN):
        return _regex_finder(_DATE)
    if any(f" {words} " in text for words in _WHO):
        return _agency_spans
    return None


# --- scoring -------------------------------------------------------------------------------

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
    words = _SYLLABLE.findall(text.lower())
    return words if exact else [fold(w) for w in words]


def _weights(searcher: Searcher, question: str, exact: bool
             ) -> tuple[dict[str, float], dict[tuple, float]]:
    """Weigh the question's content syllables by IDF over the index, and their pairs."""
    words = _syllables(question, exact)
    total = max(1, searcher.index.manifest.chunks)
    column = "exact" if exact else "folded"
    weights: dict[str, float] = {}
    for word in dict.fromkeys(w for w in words if fold(w) not in _QUESTION_WORDS):
        (df,) = searcher.index.db.execute(
            "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
            (f'{column}:"{word}"',)).fetchone()
        weights[word] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    pairs = {(a, b): (weights.get(a, 0.0) + weights.get(b, 0.0)) / 2
             for a, b in zip(words, words[1:]) if a in weights or b in weights}
    return weights, pairs


def _coverage(words: list[str], weights: dict[str, float], pairs: dict[tuple, float]) -> float:
    present, present_pairs = set(words), set(zip(words, words[1:]))
    total = sum(weights.values()) + sum(pairs.values())
    if total <= 0:
        return 0.0
    return (sum(w for word, w in weights.items() if word in present)
            + sum(w for pair, w in pairs.items() if pair in present_pairs)) / total


_ITEM = re.compile(r"\s*(?:[a-zđ][.)]|[-+•–])\s*")


def candidates(searcher: Searcher, question: str, hits: list[Hit]) -> list[Candidate]:
    """Cut the passages into quotable sentences and measure each against the question."""
    # Typed with diacritics, "tỉnh" must not match "tính" or "tình"; typed without, it may.
    exact = fold(question) != question.lower()
    weights, pairs = _weights(searcher, question, exact)
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
            item = bool(_ITEM.fullmatch(before))
            if not item and not before.strip(" "):
                lead = None  # a new line that is no list item ends the list
            if sentence in seen or not _is_statement(sentence) or \
                    fold(sentence).rstrip(" .:") in labels:
                continue
            seen.add(sentence)  # a sentence repeated in another passage is quoted once
            words = _syllables(sentence, exact)
            context = _syllables(lead.text, exact) + words if item and lead else words
            candidate = Candidate(number, hit.char_start + start, hit.char_start + end,
                                  sentence, _coverage(context, weights, pairs),
                                  tuple(finder(sentence)) if finder else (), frozenset(words),
                                  lead if item else None)
            found.append(candidate)
            if sentence.endswith(":"):
                lead = candidate
    return found


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# --- composing -----------------------------------------------------------------------------

class Composer(Protocol):
    """Choose and order what an answer quotes: (candidate, highlight spans) pairs.

    The extractive composer below is the default. A generator plugged in here must still
    return candidates (sentences of the passages): `ask` checks every one against the stored
    text, so whatever writes the answer can only quote the documents.
    """

    def __call__(self, question: str, passages: list[Hit], found: list[Candidate],
                 settings: AnswerSettings) -> list[tuple[Candidate, tuple]]: ...


def sentence_score(candidate: Candidate, settings: AnswerSettings) -> float:
    """Score a sentence: its share of the question's words, its passage's rank, the fact."""
    stated = candidate.fact or (candidate.lead.fact if candidate.lead else ())
    return (candidate.coverage + settings.rank_weight / math.sqrt(1 + candidate.passage)
            + (settings.fact_bonus if stated else 0.0))


def extract(question: str, passages: list[Hit], found: list[Candidate],
            settings: AnswerSettings) -> list[tuple[Candidate, tuple]]:
    """Pick up to `max_sentences` relevant, non-repeating sentences in reading order.

    A list item comes with the sentence that introduces it. The asked fact is highlighted
    once, in the best pick that states it.
    """
    ranked = sorted(found, key=lambda c: (-sentence_score(c, settings), c.passage, c.start))
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


def support(searcher: Searcher, question: str, hits: list[Hit], found: list[Candidate]) -> float:
    """Measure how well the index supports an answer, on a scale the threshold is set on.

    The fused search score is scaled per query, so it cannot tell a good answer from the best
    of bad ones. Support is the mean of two raw signals: the best passage's cosine with the
    question (dense), and the best sentence's share of the question's weighted words. Either
    alone lets through questions the other catches (a topic-shaped question with no matching
    words; common words matching an unrelated passage). The question's vector comes from the
    searcher's cache, so it is embedded once.
    """
    if not hits:
        return 0.0
    vector = searcher.query_vector(question)
    ids = [hit.chunk_id for hit in hits]
    scores, _ = searcher.index.nearest(vector, len(ids), restrict_to=ids)
    cosine = float(scores[0][0]) if scores.size else 0.0
    coverage = max((c.coverage for c in found), default=0.0)
    return (cosine + coverage) / 2


def ask(searcher: Searcher, question: str, settings: AnswerSettings = AnswerSettings(),
        filters: Filters | None = None, composer: Composer = extract) -> Answer:
    """Answer a question from the index: 1–4 quoted, cited sentences, or "not found".

    Raises QuoteMismatch if a composed sentence is not the stored text at its offsets.
    """
    question = normalize_line(question)
    hits = searcher.search(question, k=settings.passages, filters=filters)
    found = candidates(searcher, question, hits)
    evidence = support(searcher, question, hits, found)
    log.debug("support %.3f (threshold %.3f) for %r", evidence, settings.threshold, question)
    if evidence < settings.threshold or not found:
        return Answer(question, False, evidence, (), (), tuple(hits))
    picked = composer(question, hits, found, settings)
    documents = {hit.document.id: searcher.index.document(hit.document.id) for hit in hits}
    numbers: dict[int, int] = {}
    quotes = []
    for candidate, highlights in picked:
        number = numbers.setdefault(candidate.passage, len(numbers) + 1)
        document = documents[hits[candidate.passage].document.id]
        paragraph = bisect.bisect_right(document["paragraph_offsets"], candidate.start)
        quotes.append(Quote(candidate.text, document["id"], candidate.start, candidate.end,
                            max(1, paragraph), number, tuple(highlights),
                            sentence_score(candidate, settings)))
    citations = tuple(Citation(n, hits[p]) for p, n in numbers.items())
    answer = Answer(question, bool(quotes), evidence, tuple(quotes), citations, tuple(hits))
    verify(answer, {doc_id: doc["text"] for doc_id, doc in documents.items()})
    return answer


def verify(answer: Answer, texts: dict[str, str]) -> None:
    """Raise QuoteMismatch unless each sentence is its document's text at its offsets,
    inside the passage it cites."""
    cited = {c.number: c.hit for c in answer.citations}
    for quote in answer.sentences:
        hit = cited.get(quote.citation)
        text = texts.get(quote.document_id)
        if (text is None or text[quote.char_start:quote.char_end] != quote.text or hit is None
                or hit.document.id != quote.document_id
                or not hit.char_start <= quote.char_start < quote.char_end <= hit.char_end):
            raise QuoteMismatch(f"quoted sentence is not the text of document "
                                f"{quote.document_id} at {quote.char_start}–{quote.char_end}")


# --- evaluation ------------------------------------------------------------------------------

def _normal(text: str) -> str:
    return normalize_line(" ".join(text.split())).casefold()


def evaluate_answers(searcher: Searcher, answerable: list[dict], unanswerable: list[dict],
                     settings: AnswerSettings = AnswerSettings(), progress=None) -> dict:
    """Answer judged questions; return per-question records and the rates at the threshold.

    `answerable` items have "query" and "answer" (a gold string); `unanswerable` items have
    "query". Every question is composed as if supported, so a caller can sweep thresholds
    over the records' "support" without answering again. Gold strings are compared after
    the index's own normalisation, ignoring case.
    """
    composing = dataclasses.replace(settings, threshold=float("-inf"))
    records, quotes, exact = [], 0, 0
    questions = [(q, True) for q in answerable] + [(q, False) for q in unanswerable]
    for item, answerable_item in questions:
        answer = ask(searcher, item["query"], composing)
        for quote in answer.sentences:
            cited = next(c.hit for c in answer.citations if c.number == quote.citation)
            stored = searcher.index.document(quote.document_id)["text"]
            quotes += 1
            exact += (stored[quote.char_start:quote.char_end] == quote.text
                      and cited.document.id == quote.document_id
                      and cited.char_start <= quote.char_start < quote.char_end <= cited.char_end)
        gold = _normal(item.get("answer") or "") if answerable_item else ""
        records.append({
            "qid": item.get("qid"), "answerable": answerable_item,
            "support": answer.support,
            "answer_has_gold": bool(gold) and gold in _normal(answer.text),
            "top_has_gold": bool(gold and answer.passages) and gold in _normal(
                answer.passages[0].text),
            "sentences": len(answer.sentences),
        })
        if progress:
            progress(1)
    return {"records": records, "citation_precision": exact / quotes if quotes else 1.0,
            "quotes": quotes, **rates(records, settings.threshold)}


def rates(records: list[dict], threshold: float) -> dict:
    """Return the answer rates when questions with support below `threshold` abstain."""
    answerable = [r for r in records if r["answerable"]] or [{}]
    unanswerable = [r for r in records if not r["answerable"]]
    kept = [r for r in answerable if r and r["support"] >= threshold]
    return {
        "threshold": threshold,
        "answer_has_gold": sum(r["answer_has_gold"] for r in kept) / len(answerable),
        "top_has_gold": sum(r.get("top_has_gold", False) for r in answerable) / len(answerable),
        "wrong_abstention": 1 - len(kept) / len(answerable),
        "abstention_unanswerable": (sum(r["support"] < threshold for r in unanswerable)
                                    / len(unanswerable)) if unanswerable else None,
    }
