"""Cut a passage into the sentences an answer may quote, keeping their offsets."""
from __future__ import annotations

import re

from ..vietnamese import (ABBREVIATION_PERIOD, LIST_MARKER, SENTENCE_BREAK, SENTENCE_END,
                          SYLLABLE, is_upper_line)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence of `text`, so that text[start:end] is the sentence.

    Lines are split at sentence ends; a piece too short to stand alone ("Điều 5.", "1.")
    stays with what follows, and a leading list marker ("1.", "a)", "-") is left out.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for cut in SENTENCE_BREAK.finditer(text, line.start(), line.end()):
            next_char = cut.group(2)
            end = cut.start() + len(cut.group(1))
            piece = text[start:end]
            if not (next_char.isupper() or next_char.isdigit()) or \
                    len(SYLLABLE.findall(piece)) < 3 or ABBREVIATION_PERIOD.search(piece):
                continue
            spans.append((start, end))
            start = cut.end()
        spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        marker = LIST_MARKER.match(text, start, end)
        start = marker.end() if marker else start
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


def is_statement(sentence: str) -> bool:
    """Return whether a sentence can be quoted as an answer: not a heading or a title line."""
    syllables = SYLLABLE.findall(sentence)
    if len(syllables) < 4 or is_upper_line(sentence):
        return False
    return bool(SENTENCE_END.search(sentence)) or len(syllables) >= 12
