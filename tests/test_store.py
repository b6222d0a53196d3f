import numpy as np
import pytest

from indexer.errors import EmbedderMismatch, IndexNotFound
from indexer.reindex import reindex
from indexer.store import new_vector_index, open_index


def brute_force(matrix, ids, queries, k):
    scores = queries @ matrix.T
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, axis=1), ids[order]


def test_faiss_matches_brute_force_on_random_vectors():
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(2000, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = rng.choice(10**9, size=2000, replace=False).astype(np.int64)
    index = new_vector_index(384)
    index.add_with_ids(matrix, ids)
    queries = rng.normal(size=(50, 384)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    scores, found = index.search(queries, 10)
    expected_scores, expected_ids = brute_force(matrix, ids, queries, 10)
    np.testing.assert_allclose(scores, expected_scores, atol=1e-5)
    assert (found == expected_ids).mean() > 0.999  # ties may swap at float precision


def test_index_search_matches_brute_force_over_stored_chunks(tmp_path, corpus, embedder):
    reindex(tmp_path / "ix", [corpus], embedder=embedder)
    index = open_index(tmp_path / "ix")
    count = index.vectors.ntotal
    assert count == index.manifest.chunks > 5
    ids = np.array([index.vectors.id_map.at(i) for i in range(count)], dtype=np.int64)
    matrix = np.vstack([index.vectors.reconstruct(int(i)) for i in ids])
    stored_ids = set(index.chunk_ids(index.document_infos()))
    assert set(ids.tolist()) == stored_ids
    queries = embedder.embed(["chuyển đổi số", "bảo vệ rừng", "phòng chống thiên tai"], "query")
    scores, found = index.nearest(queries, 5)
    expected_scores, expected_ids = brute_force(matrix, ids, queries, 5)
    np.testing.assert_allclose(scores, expected_scores, atol=1e-5)
    np.testing.assert_array_equal(found, expected_ids)
    index.close()


def test_manifest_records_the_build(tmp_path, corpus, embedder):
    reindex(tmp_path / "ix", [corpus], embedder=embedder)
    index = open_index(tmp_path / "ix")
    manifest = index.manifest
    assert manifest.format_version == 4
    assert manifest.embedder_id == embedder.id and manifest.dimension == 384
    assert manifest.chunker == {"target_chars": 900, "max_chars": 1400, "min_chars": 200}
    assert manifest.documents == 4 and manifest.version == 1
    assert manifest.sources == [str(corpus)]
    with pytest.raises(EmbedderMismatch, match="run a full reindex"):
        index.check_embedder("st:some-other-model")
    index.close()


def test_opening_a_missing_index_says_what_to_run(tmp_path):
    with pytest.raises(IndexNotFound, match="vankien reindex"):
        open_index(tmp_path / "nothing-here")
