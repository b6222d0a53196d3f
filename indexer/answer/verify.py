"""Check that every quoted sentence is the stored text of the passage it cites."""
from __future__ import annotations

from typing import Mapping

from .model import Answer, Quote


class QuoteMismatch(Exception):
    """A composed sentence is not an exact substring of the document it cites.

    A bug, never the user's doing: it is not a VankienError, so no adapter mistakes it for
    an index that cannot be opened.
    """


def mismatched_quotes(answer: Answer, texts: Mapping[str, str]) -> list[Quote]:
    """Return the sentences that are not their document's text at their offsets, inside the
    passage they cite (`texts`: document id → stored text)."""
    cited = {c.number: c.hit for c in answer.citations}
    wrong = []
    for quote in answer.sentences:
        hit = cited.get(quote.citation)
        text = texts.get(quote.document_id)
        if (text is None or text[quote.char_start:quote.char_end] != quote.text or hit is None
                or hit.document.id != quote.document_id
                or not hit.char_start <= quote.char_start < quote.char_end <= hit.char_end):
            wrong.append(quote)
    return wrong


def verify(answer: Answer, texts: Mapping[str, str]) -> None:
    """Raise QuoteMismatch unless every quote is exactly the text it cites."""
    wrong = mismatched_quotes(answer, texts)
    if wrong:
        quote = wrong[0]
        raise QuoteMismatch(f"quoted sentence is not the text of document "
                            f"{quote.document_id} at {quote.char_start}–{quote.char_end}")
