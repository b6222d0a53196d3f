"""Fuzz the JSON API's parameters: whatever a client sends, the answer is JSON and never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from webapp import create_app
from conftest import DOCS, build_index

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
NUMBERISH = st.one_of(st.integers(-10**12, 10**12).map(str), TEXT,
                      st.sampled_from(["", "0", "1", "100", "101", "1e3", " 5", "五", "NaN"]))


@pytest.fixture(scope="module")
def client(tmp_path_factory, embedder):
    index_dir = build_index(tmp_path_factory, embedder, DOCS)
    app = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder})
    return app.test_client()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(TEXT, st.text(min_size=400, max_size=700)), k=NUMBERISH, page=NUMBERISH,
       year=NUMBERISH, doc_type=TEXT, issuer=TEXT, sort=st.one_of(TEXT, st.sampled_from(["date"])))
def test_search_parameters_never_cause_a_500(client, q, k, page, year, doc_type, issuer, sort):
    response = client.get("/api/search", query_string={
        "q": q, "k": k, "page": page, "year": year, "type": doc_type, "issuer": issuer,
        "sort": sort})
    assert response.status_code in (200, 400), response.data[:300]
    body = response.get_json()
    assert body is not None
    if response.status_code == 400:
        assert body["error"]
    else:
        assert isinstance(body["hits"], list)
        # With nothing relevant the hits are the closest passages, labelled so, and count 0.
        assert body["total"] >= len(body["hits"]) if body["relevant"] else body["total"] == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document_id=st.text(max_size=80))
def test_document_ids_never_cause_a_500(client, document_id):
    for url in (f"/api/documents/{document_id}", f"/api/documents/{document_id}/file"):
        response = client.get(url)
        assert response.status_code in (200, 404, 405, 308), (url, response.status_code)
        if response.status_code == 404:
            assert response.get_json()["error"]
