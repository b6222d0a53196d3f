"""Normalise Vietnamese text for storage: NFC, one tone-mark convention, wrapped lines joined.

Stored and shown text is NFC with one tone-mark convention; folding (no diacritics, đ→d,
lower case: `vietnamese.fold`) is for matching only and never reaches what a user sees.
"""
from __future__ import annotations

import re
import unicodedata

from .vietnamese import LIST_START, SENTENCE_END, STRUCTURE_HEADING, is_upper_line

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng

# "hoà"/"hòa", "khoẻ"/"khỏe", "thuỷ"/"thủy": in an open syllable ending in oa, oe or uy the
# two conventions put the tone on different vowels. We keep the one most of these documents
# use ("hòa", "thủy"): tone on the first vowel. Works on NFD text, where the tone is a
# separate combining mark right after its vowel; "qu" is a consonant, so "quý" is left alone.
# The lookahead also refuses a combining mark: NFD puts the dot below before the breve, so
# "hoặc" is o, a, dot below, breve, c; the vowel there is "ặ", not a bare "a" with a tone.
_OLD_TO_NEW_TONE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONE_MARKS}])(?![^\W\d_]|[\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])([{_TONE_MARKS}])(?![^\W\d_]|[\u0300-\u036f])"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200c\u200d\u2060\ufeff\u00ad]")


def _move_tone(match: re.Match) -> str:
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def unify_tone_marks(text: str) -> str:
    """Return NFC text with oa/oe/uy tone marks in one convention ("hoà" → "hòa")."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_TO_NEW_TONE.sub(_move_tone, decomposed))


def normalize_line(text: str) -> str:
    """Return one line in NFC, one tone convention, single spaces, no zero-width characters."""
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return unify_tone_marks(text).strip()


def continues_previous_line(previous: str, line: str, short_line: int = 0) -> bool:
    """Return whether `line` is the same paragraph as `previous` in hard-wrapped text.

    A line continues the one before unless that one ends a sentence, is a structural heading
    ("Điều 5. ...") or a short line (under `short_line` chars) followed by a capital, or the
    new line starts a list item or heading; an upper-case line after a mixed-case one starts
    anew.
    """
    if not previous or not line:
        return False
    if LIST_START.match(line):
        return False
    if line[0].isupper() and (STRUCTURE_HEADING.match(previous) or len(previous) < short_line):
        return False
    if SENTENCE_END.search(previous):
        # "Số:" followed by "2820/QĐ-UBND" is one field, not two paragraphs.
        return previous.endswith(":") and line[0].isdigit()
    if is_upper_line(line) != is_upper_line(previous) and line[0].isupper():
        return False
    return True


def join_wrapped_lines(lines: list[str], line_width: int = 0) -> list[str]:
    """Join hard-wrapped lines into paragraphs, re-joining words hyphenated at a line end.

    With `line_width` (the usual length of a full line), a line much shorter than that ends
    its paragraph when the next line starts with a capital letter.
    """
    short_line = int(line_width * 0.6)
    paragraphs: list[str] = []
    last_line = ""
    for line in lines:
        line = normalize_line(line)
        if not line:
            continue
        if paragraphs and re.search(r"\w-$", paragraphs[-1]) and line[0].islower():
            paragraphs[-1] = paragraphs[-1][:-1] + line
        elif paragraphs and continues_previous_line(last_line, line, short_line) and \
                continues_previous_line(paragraphs[-1], line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        last_line = line
    return paragraphs
