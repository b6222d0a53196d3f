
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
    # Pages of passages (group=0): the grouped list has fewer results than two pages of two.
    page1 = client.get("/api/search?q=chuyển đổi số&k=2&page=1&group=0").get_json()
    page2 = client.get("/api/search?q=chuyển đổi số&k=2&page=2&group=0").get_json()
    assert page1["hits"][0]["chunk_id"] != page2["hits"][0]["chunk_id"]
    by_date = client.get("/api/search?q=chuyển đổi số&k=100&sort=date").get_json()
    dates = [h["document"]["issued_date"] or "" for h in by_date["hits"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("query,code,message", [
    ("q=", "query_empty", "Chưa nhập nội dung tìm kiếm"),
    ("q=%20%20", "query_empty", "Chưa nhập nội dung tìm kiếm"),
    ("q=" + "a" * 501, "query_too_long", "dài 501 ký tự, quá giới hạn 500"),
    ("q=x&k=0", "out_of_range", "'k' phải nằm trong khoảng 1–100"),
    ("q=x&k=abc", "not_a_number", "'k' phải là số nguyên"),
    ("q=x&page=-1", "out_of_range", "'page' phải nằm trong khoảng"),
    ("q=x&year=20x5", "not_a_number", "'year'"),
    ("q=x&sort=random", "bad_sort", "'sort' phải là một trong"),
    ("q=x&group=2", "bad_group", "'group'"), ("q=x&from=2025-13-01", "bad_date", "'from'"),
    ("q=x&from=2025-06-01&to=2025-01-01", "date_order", "phải trước"),
])
def test_api_rejects_bad_parameters_with_json_400(client, query, code, message):
    # Errors say in Vietnamese what is wrong, with a stable code for programs.
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and message in error["message"]


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
    assert health["embedder"].startswith("e5onnx")
    for url in ("/api/documents/ffff", "/api/documents/ffff/file", "/api/nope",
                "/api/documents/..%2F..%2Fetc%2Fpasswd/file", "/api/documents/../../etc/passwd"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.is_json and response.get_json()["error"]["message"].startswith("Không")


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
    ("q=", "Chưa nhập nội dung"), ("q=" + "a" * 501, "quá giới hạn 500 ký tự"),
    ("q=x&k=0", "'k' phải nằm trong khoảng"), ("q=x&year=abc", "'year'"),
])
def test_api_answer_rejects_bad_parameters_with_json_400(client, query, message):
    response = client.get("/api/answer?" + query)
    assert response.status_code == 400 and message in response.get_json()["error"]["message"]


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
    assert response.get_json()["error"]["code"] == "answer_unchecked"
    page = client.get("/", query_string={"q": "Ai chịu trách nhiệm triển khai kế hoạch "
                                              "chuyển đổi số?"})
    assert page.status_code == 200  # the results, without an answer panel
    assert 'class="hit"' in page.get_data(as_text=True)
    assert "Bộ Tài chính chịu trách nhiệm" not in page.get_data(as_text=True)


def test_api_without_an_index_is_a_json_503(tmp_path):
    client = create_app({"VANKIEN_INDEX": str(tmp_path / "none")}).test_client()
    for url in ("/api/search?q=x", "/api/answer?q=x"):
        response = client.get(url)
        error = response.get_json()["error"]
        assert response.status_code == 503 and error["code"] == "index_unavailable"
        assert "vankien reindex" in error["message"] and "vankien reindex" in error["detail"]


def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/api/health", "/api/nope"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


# --- issue 16: results a clerk can trust at a glance ------------------------------------------

def search(client, **args):
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def test_an_off_topic_query_finds_nothing_and_says_so(client):
    data = search(client, q="công thức nấu phở bò")
    assert not data["relevant"] and data["documents"] == data["passages"] == data["total"] == 0
    assert 0 < len(data["hits"]) <= 3  # the closest few, for the page to label as such
    assert all(h["relevance"] < data["relevance_floor"] for h in data["hits"])
    page = client.get("/", query_string={"q": "công thức nấu phở bò"}).get_data(as_text=True)
    assert "Không tìm thấy văn bản nào liên quan đến “công thức nấu phở bò”" in page
    assert "Các đoạn gần nhất, có thể không liên quan" in page
    assert "đoạn phù hợp" not in page and "Trang 1/" not in page


def test_counts_are_documents_and_passages_that_pass_the_floor(client):
    data = search(client, q="chuyển đổi số", group=0, k=100)
    assert data["relevant"] and data["passages"] == data["total"] == len(data["hits"])
    assert all(h["relevance"] >= data["relevance_floor"] for h in data["hits"])
    assert all("chuyển đổi số" in h["text"].lower() for h in data["hits"])
    assert data["documents"] == len({h["document"]["id"] for h in data["hits"]}) == 2
    page = client.get("/", query_string={"q": "chuyển đổi số"}).get_data(as_text=True)
    assert f"{data['documents']} văn bản, {data['passages']} đoạn phù hợp" in page


def test_results_are_grouped_by_document_with_the_other_passages_nested(client):
    grouped = search(client, q="chuyển đổi số", k=100)
    flat = search(client, q="chuyển đổi số", k=100, group=0)
    ids = [h["document"]["id"] for h in grouped["hits"]]
    assert len(ids) == len(set(ids)) == grouped["total"] == grouped["documents"]
    assert sum(1 + h["other_count"] for h in grouped["hits"]) == flat["total"]
    nested = next(h for h in grouped["hits"] if h["other_count"])
    other = nested["others"][0]
    assert other["chunk_id"] != nested["chunk_id"] and other["highlights"]
    page = client.get("/", query_string={"q": "chuyển đổi số"}).get_data(as_text=True)
    assert f"{nested['other_count']} đoạn khác trong văn bản này" in page
    assert '<details class="others">' in page


def test_a_number_query_shows_the_documents_header_passage(client):
    data = search(client, q="597/KH-UBND")
    assert data["documents"] == 1
    top = data["hits"][0]
    assert top["para_start"] == 1 and "Số: 597/KH-UBND" in top["text"]
    assert "Thái Nguyên, ngày 14 tháng 4 năm 2025" in top["text"]


def test_sorting_by_date_sorts_only_relevant_results(client):
    data = search(client, q="tỉnh", sort="date", k=100)
    assert all(h["relevance"] >= data["relevance_floor"] for h in data["hits"])
    dates = [h["document"]["issued_date"] for h in data["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dated
    assert dates[:len(dated)] == dated  # undated documents last


def test_facets_count_documents_under_the_other_filters(client):
    data = search(client, q="tỉnh", type="Kế hoạch")
    assert data["facets_count"] == "documents"
    # The type facet drops its own filter, so the other types stay on offer.
    assert {f["value"] for f in data["facets"]["type"]} >= {"Kế hoạch", "Nghị quyết"}
    for facet, name in (("issuer", "issuer"), ("year", "year")):
        for value in data["facets"][facet]:
            chosen = search(client, q="tỉnh", type="Kế hoạch", **{name: value["value"]})
            assert chosen["documents"] == value["count"], (facet, value)
    page = client.get("/", query_string={"q": "tỉnh", "type": "Kế hoạch"}).get_data(as_text=True)
    assert "số văn bản phù hợp, tính cùng các bộ lọc khác" in page


def test_more_facet_values_fold_behind_xem_them(index_dir, embedder):
    app = create_app({"VANKIEN_INDEX": str(index_dir), "EMBEDDER": embedder, "TESTING": True,
                      "FACET_VALUES": 1})
    page = app.test_client().get("/", query_string={"q": "tỉnh"}).get_data(as_text=True)
    assert '<details class="more-facets"><summary>Xem thêm 1</summary>' in page


def test_a_date_range_filters_results_and_facets(client):
    data = search(client, q="tỉnh", **{"from": "2025-05-01", "to": "2025-12-31"})
    assert data["from"] == "2025-05-01" and data["to"] == "2025-12-31"
    assert [h["document"]["rel_path"] for h in data["hits"]] == ["nghi-quyet-rung.md"]
    assert [f["value"] for f in data["facets"]["type"]] == ["Nghị quyết"]
    dated = search(client, q="tỉnh", **{"from": "14/04/2025", "to": "14/04/2025"})
    assert [h["document"]["rel_path"] for h in dated["hits"]] == ["ke-hoach-cds.txt"]
    page = client.get("/", query_string={"q": "tỉnh", "from": "2025-05-01"}).get_data(True)
    assert 'name="from" form="search-form" value="2025-05-01"' in page and "Bỏ lọc ngày" in page


@pytest.mark.parametrize("query", ["chuyển đổi số", "chuyen doi so", "597/KH-UBND",
                                   "nghị quyết 57"])
def test_one_relevance_scale_for_every_kind_of_query(client, query):
    data = search(client, q=query)
    assert data["hits"] and all(0 <= h["relevance"] <= 1 for h in data["hits"])
    assert data["hits"][0]["relevance"] == 1.0
    page = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert "độ khớp 100%" in page and "độ liên quan" not in page


def test_accented_queries_highlight_only_exact_matches(client):
    data = search(client, q="Ban Thường vụ", k=100, group=0)
    for hit in data["hits"]:
        assert all(hit["text"][a:b].lower() in ("ban thường vụ",) for a, b in hit["highlights"])


def test_document_view_marks_the_query_words_beside_the_cited_span(client):
    hit = search(client, q="bảo vệ rừng", k=1)["hits"][0]
    url = (f"/documents/{hit['document']['id']}?start={hit['char_start']}"
           f"&end={hit['char_start'] + 5}&q=bảo vệ rừng")
    page = client.get(url).get_data(as_text=True)
    assert '<mark class="term">bảo vệ rừng</mark>' in page or '<mark class="term">rừng</mark>' in page
    assert "<mark>" in page and "các từ của câu tìm kiếm" in page
    plain = client.get(f"/documents/{hit['document']['id']}").get_data(as_text=True)
    assert 'class="term"' not in plain


def test_the_document_list_filters_sorts_and_counts(client):
    page = client.get("/documents").get_data(as_text=True)
    assert "5 / 5 văn bản" in page and "Kế hoạch (1)" in page and "597/KH-UBND" in page
    assert page.index("57/2025/NQ-HĐND") < page.index("597/KH-UBND")  # newest first
    oldest = client.get("/documents?sort=date&order=asc").get_data(as_text=True)
    assert oldest.index("597/KH-UBND") < oldest.index("57/2025/NQ-HĐND")
    for args, shown in (({"type": "Kế hoạch"}, "597/KH-UBND"), ({"number": "57/2025"}, "57/2025/NQ-HĐND"),
                        ({"title": "chuyen doi so"}, "597/KH-UBND"),
                        ({"from": "2025-07-01"}, "57/2025/NQ-HĐND")):
        found = client.get("/documents", query_string=args).get_data(as_text=True)
        assert "1 / 5 văn bản" in found and shown in found, args
    assert client.get("/documents?sort=size").status_code == 400
    home = client.get("/").get_data(as_text=True)
    assert "Đã lập chỉ mục" in home and ">5 văn bản</a>" in home and "cập nhật lần cuối" in home


def test_results_export_as_csv_and_xlsx(client):
    data = search(client, q="chuyển đổi số", k=100)
    response = client.get("/export", query_string={"q": "chuyển đổi số", "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffSTT,Độ khớp,Văn bản,Loại văn bản,Số hiệu")
    import csv
    import io
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + data["total"]
    assert "597/KH-UBND" in text and "/documents/" in text
    xlsx = client.get("/export", query_string={"q": "chuyển đổi số", "format": "xlsx"})
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 1 + data["total"] and sheet["E1"].value == "Số hiệu"
    flat = client.get("/export", query_string={"q": "chuyển đổi số", "group": "0"})
    assert len(flat.data.decode("utf-8").strip().splitlines()) >= len(rows)
    assert client.get("/export?q=x&format=pdf").status_code == 400
    assert "tìm kiếm" in client.get("/").get_data(as_text=True)
    assert 'href="/export?q=' in client.get("/?q=chuyển đổi số").get_data(as_text=True)


def test_a_long_pasted_query_is_refused_in_vietnamese_not_cut(client):
    long = "chuyển đổi số " * 40
    response = client.get("/", query_string={"q": long})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "quá giới hạn 500 ký tự" in page
    assert long.strip() in page  # kept in the box, whole
    assert "maxlength" not in page


def test_skip_link_and_favicon(client):
    page = client.get("/?q=chuyển đổi số").get_data(as_text=True)
    assert '<a class="skip" href="#results">Bỏ qua đến kết quả</a>' in page
    assert 'id="results"' in page and 'rel="icon"' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data


def test_an_active_filter_with_no_result_is_shown_with_zero(client):
    page = client.get("/", query_string={"q": "chuyển đổi số", "type": "Thông báo"}).get_data(True)
    assert "<strong>Thông báo</strong> (0 văn bản)" in page
    assert "Không tìm thấy văn bản nào liên quan" in page and "với các bộ lọc đã chọn" in page
    sheet = client.get("/export", query_string={"q": "công thức nấu phở bò"}).data.decode()
    assert len(sheet.strip().splitlines()) == 1  # headers only: nothing relevant to export
