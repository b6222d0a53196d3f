"""Cut a document into paragraph chunks that follow its structure.

Headings (Phần, Chương, Mục, Điều, I., 1., a)) start chunks and form each chunk's heading
path; short paragraphs merge with their neighbours up to a target size; a paragraph longer
than the limit is split at sentence boundaries. Every chunk's text is exactly
`document.text[char_start:char_end]`, so a citation can point at the span.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .ingest import Paragraph
from .store.records import PARAGRAPH_SEPARATOR
from .vietnamese import CLAUSE_BREAK, HEADING_LEVELS


@dataclass(frozen=True)
class ChunkerSettings:
    target_chars: int = 900  # chosen on ALQAC dev, see README "Chunk size"
    max_chars: int = 1400
    min_chars: int = 200

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    text: str
    char_start: int
    char_end: int
    para_start: int  # 1-based, inclusive
    para_end: int
    page: int | None
    heading_path: tuple[str, ...]

    def embedding_text(self) -> str:
        """Return the text to embed: the headings above the chunk, then the chunk."""
        context = [h for h in self.heading_path if h not in self.text]
        return " › ".join(context) + "\n" + self.text if context else self.text


_ALWAYS_SPLIT_LEVEL = 4  # Phần, Chương, Mục and Điều always start a new chunk
_LABEL_CHARS = 80


def heading_level(text: str) -> int | None:
    """Return the structural level of a heading paragraph, or None for body text."""
    for level, pattern in HEADING_LEVELS:
        if pattern.match(text):
            return level
    return None


def heading_label(text: str) -> str:
    """Return a short label for a heading paragraph ("Điều 5. Trách nhiệm thi hành")."""
    if len(text) <= _LABEL_CHARS:
        return text.rstrip(".:")
    cut = text[:_LABEL_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def document_text(paragraphs: tuple[Paragraph, ...]) -> tuple[str, list[int]]:
    """Join paragraphs into the stored document text; return it with each paragraph's offset."""
    offsets, position = [], 0
    for paragraph in paragraphs:
        offsets.append(position)
        position += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(p.text for p in paragraphs), offsets


def _sentence_pieces(text: str, start: int, limit: int) -> list[tuple[int, int]]:
    """Split text (found at `start`) into spans of at most `limit` chars at sentence ends."""
    bounds = [0] + [m.end() for m in CLAUSE_BREAK.finditer(text)] + [len(text)]
    spans, piece_start = [], 0
    for i in range(1, len(bounds)):
        end = bounds[i]
        if end - piece_start > limit and bounds[i - 1] > piece_start:
            spans.append((piece_start, bounds[i - 1]))
            piece_start = bounds[i - 1]
        while end - piece_start > limit * 1.5:  # one enormous sentence: cut at a space
            cut = text.rfind(" ", piece_start, piece_start + limit)
            cut = cut if cut > piece_start else piece_start + limit
            spans.append((piece_start, cut))
            piece_start = cut
    spans.append((piece_start, len(text)))
    result = []
    for a, b in spans:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            result.append((start + a + lead, start + a + trail))
    return result


def chunk_document(paragraphs: tuple[Paragraph, ...],
                   settings: ChunkerSettings = ChunkerSettings()) -> list[Chunk]:
    """Cut a parsed document into chunks (see the module docstring)."""
    text, offsets = document_text(paragraphs)
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    current: list[int] = []  # paragraph indices of the chunk being built
    current_path: tuple[str, ...] = ()

    def emit(start: int, end: int, first: int, last: int, heading_path: tuple[str, ...]):
        chunks.append(Chunk(len(chunks), text[start:end], start, end, first + 1, last + 1,
                            paragraphs[first].page, heading_path))

    def flush():
        if current:
            first, last = current[0], current[-1]
            emit(offsets[first], offsets[last] + len(paragraphs[last].text), first, last,
                 current_path)
            current.clear()

    def size_of(indices: list[int]) -> int:
        if not indices:
            return 0
        return offsets[indices[-1]] + len(paragraphs[indices[-1]].text) - offsets[indices[0]]

    for i, paragraph in enumerate(paragraphs):
        level = heading_level(paragraph.text)
        if level is not None:
            if level <= _ALWAYS_SPLIT_LEVEL or size_of(current) >= settings.min_chars:
                flush()
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, heading_label(paragraph.text)))
        if len(paragraph.text) > settings.max_chars:
            flush()
            heading_path = tuple(label for _, label in path)
            for a, b in _sentence_pieces(paragraph.text, offsets[i], settings.target_chars):
                emit(a, b, i, i, heading_path)
            continue
        if current and (size_of(current + [i]) > settings.target_chars
                        or paragraphs[current[0]].page != paragraph.page):
            flush()
        if not current:
            current_path = tuple(label for _, label in path)
        current.append(i)
    flush()
    return _merge_tiny(chunks, text, settings)


def _merge_tiny(chunks: list[Chunk], text: str, settings: ChunkerSettings) -> list[Chunk]:
    """Fold a chunk under `min_chars` into the one before when they share heading and page."""
    merged: list[Chunk] = []
    for chunk in chunks:
        previous = merged[-1] if merged else None
        if (previous is not None and len(chunk.text) < settings.min_chars
                and previous.heading_path == chunk.heading_path and previous.page == chunk.page
                and chunk.char_end - previous.char_start <= settings.max_chars):
            merged[-1] = Chunk(previous.ordinal, text[previous.char_start:chunk.char_end],
                               previous.char_start, chunk.char_end, previous.para_start,
                               chunk.para_end, previous.page, previous.heading_path)
        else:
            merged.append(Chunk(len(merged), chunk.text, chunk.char_start, chunk.char_end,
                                chunk.para_start, chunk.para_end, chunk.page,
                                chunk.heading_path))
    return merged
