"""Plain text files, in whatever encoding an office machine wrote them."""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import UnreadableDocument
from ..normalize import join_wrapped_lines, normalize_line
from .document import Paragraph, ParsedDocument, ReadContext

ISOLATED = False
SUFFIXES = (".txt",)

_VIETNAMESE_LETTERS = set(
    "ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)


def _vietnamese_score(text: str) -> float:
    folded = unicodedata.normalize("NFC", text).lower()
    hits = sum(ch in _VIETNAMESE_LETTERS for ch in folded)
    junk = sum(ch in "ÃÂÐÞ¤¦¨´¸¼½¾ðþ" or 0x80 <= ord(ch) < 0xA0 for ch in text)
    return hits - 5 * junk


def decode_text(data: bytes, path: Path) -> str:
    """Decode bytes whose encoding is unknown: BOMs, UTF-8, UTF-16, Windows-1258 or -1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    sample = data[:4000]
    # UTF-16 without a BOM: every other byte of ASCII-range text is zero.
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        zeros_at_odd = sample[1::2].count(0) > sample[0::2].count(0)
        return data.decode("utf-16-le" if zeros_at_odd else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in sample:
        raise UnreadableDocument(path, "binary data, not text")
    # Windows-1258 and -1252 share most bytes; keep the reading with more Vietnamese letters.
    candidates = [data.decode(enc, errors="replace") for enc in ("cp1258", "cp1252")]
    return max(candidates, key=_vietnamese_score)


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    bad = sum(ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f") for ch in sample)
    return bad > max(8, len(sample) // 50)


def decoded(path: Path, data: bytes) -> str:
    """Decode a text file with unix line ends; raise UnreadableDocument for binary data."""
    text = decode_text(data, path)
    if _looks_binary(text):
        raise UnreadableDocument(path, "binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blocks(text: str) -> list[list[str]]:
    """Split text at blank lines into blocks of lines."""
    return [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


def _is_hard_wrapped(text_blocks: list[list[str]]) -> bool:
    """Say whether a text file wraps paragraphs over several lines (else one line each)."""
    lengths = [len(line) for block in text_blocks if len(block) > 1 for line in block[:-1]]
    if len(lengths) < 3:
        return False
    lengths.sort()
    return 40 <= lengths[len(lengths) // 2] <= 100


def read(path: Path, data: bytes, context: ReadContext) -> ParsedDocument:
    text_blocks = blocks(decoded(path, data))
    wrapped = _is_hard_wrapped(text_blocks)
    paragraphs: list[str] = []
    for block in text_blocks:
        if wrapped:
            paragraphs += join_wrapped_lines(block)
        else:
            paragraphs += [line for line in map(normalize_line, block) if line]
    return ParsedDocument(tuple(Paragraph(p) for p in paragraphs), "txt")
