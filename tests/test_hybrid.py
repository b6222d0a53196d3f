"""The behaviours Vietnamese users rely on: no diacritics, abbreviations, numbers, filters."""
import pytest

from indexer.aliases import ABBREVIATIONS
from indexer.lexical import CommonTerms, lexical_fields, query_terms
from indexer.retrievers import LexicalRetriever
from indexer.search import Filters, Searcher
from indexer.store import open_index
from conftest import build_index

DOCS = {
    "kh-310.txt": "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n\nSố: 310/KH-UBND\n\nLào Cai, ngày 5 tháng 3 năm 2024"
                  "\n\nKẾ HOẠCH\n\nPhát triển du lịch cộng đồng\n\nUBND tỉnh giao các sở phát "
                  "triển sản phẩm du lịch gắn với bản làng.",
    "nq-57.txt": "BỘ CHÍNH TRỊ\n\nSố: 57-NQ/TW\n\nHà Nội, ngày 22 tháng 12 năm 2024\n\nNGHỊ QUYẾT"
                 "\n\nVề đột phá phát triển khoa học, công nghệ\n\nĐổi mới sáng tạo là động lực "
                 "phát triển nhanh của đất nước.",
    "qd-57.txt": "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI\n\nSố: 57/QĐ-UBND\n\nYên Bái, ngày 9 tháng 1 năm 2023"
                 "\n\nQUYẾT ĐỊNH\n\nVề việc phê duyệt quy hoạch\n\nPhê duyệt quy hoạch khu dân cư.",
    "hoa.txt": "Báo cáo về hòa giải ở cơ sở: tổ hòa giải đã hòa giải thành công nhiều vụ việc.",
    "hoa-khong-dau.txt": "Bao cao ve hoa giai o co so: to hoa giai da hoa giai thanh cong.",
    "hdnd.txt": "HỘI ĐỒNG NHÂN DÂN TỈNH BẮC NINH\n\nSố: 12/2025/NQ-HĐND\n\nBắc Ninh, ngày 2 tháng "
                "6 năm 2025\n\nNGHỊ QUYẾT\n\nVề chế độ hỗ trợ cán bộ\n\nHội đồng nhân dân tỉnh "
                "quyết định mức hỗ trợ cho cán bộ không chuyên trách ở thôn.",
    "cds.txt": "Ban Thường vụ Tỉnh ủy ban hành nghị quyết về chuyển đổi số giai đoạn 2021-2025, "
               "trọng tâm là chính quyền số và kinh tế số.",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, embedder):
    index_dir = build_index(tmp_path_factory, embedder, DOCS)
    searcher = Searcher.open(open_index(index_dir), embedder)
    yield searcher
    searcher.index.close()


def top_files(searcher, query, k=3, mode="hybrid", filters=None):
    return [h.document.rel_path for h in searcher.search(query, k, mode=mode, filters=filters)]


def test_query_without_diacritics_finds_accented_text(searcher):
    assert top_files(searcher, "chuyen doi so", 1) == ["cds.txt"]
    assert top_files(searcher, "du lich cong dong", 1) == ["kh-310.txt"]
    assert top_files(searcher, "chuyen doi so", 1, mode="lexical") == ["cds.txt"]


def test_exact_diacritics_outrank_a_folded_match(searcher):
    for mode in ("lexical", "hybrid"):
        assert top_files(searcher, "hòa giải ở cơ sở", 2, mode=mode) == [
            "hoa.txt", "hoa-khong-dau.txt"]


def test_abbreviations_expand_both_ways(searcher):
    assert top_files(searcher, "HĐND hỗ trợ cán bộ thôn", 1, mode="lexical") == ["hdnd.txt"]
    terms = query_terms("BTV Tỉnh ủy")
    assert ("folded", "thuong") in terms and ("pairs", "ban_thuong") in terms
    assert ("folded", "ubnd") in query_terms("ủy ban nhân dân tỉnh")
    assert ("folded", "chinh") in query_terms("Nghị định của CP")
    assert ("folded", "chinh") not in query_terms("cp")  # only as typed, in capitals


def test_abbreviation_table_is_well_formed():
    for abbreviation, phrases in ABBREVIATIONS.items():
        assert abbreviation.strip() == abbreviation and phrases
        assert all(p == p.lower() for p in phrases)  # matched folded, shown nowhere


@pytest.mark.parametrize("query,expected", [
    ("310/KH-UBND", "kh-310.txt"),
    ("kế hoạch 310/kh-ubnd", "kh-310.txt"),
    ("nghị quyết 57", "nq-57.txt"),
    ("nghi quyet so 57", "nq-57.txt"),
    ("quyết định 57", "qd-57.txt"),
    ("57-NQ/TW", "nq-57.txt"),
    ("12/2025/NQ-HĐND", "hdnd.txt"),
])
def test_a_document_number_finds_that_document_first(searcher, query, expected):
    assert top_files(searcher, query, 1) == [expected]


def test_filters_apply_before_ranking(searcher):
    resolutions = top_files(searcher, "phát triển", 5, filters=Filters(doc_type="Nghị quyết"))
    assert sorted(resolutions) == ["hdnd.txt", "nq-57.txt"]
    assert top_files(searcher, "quy hoạch", 5, filters=Filters(year=2023)) == ["qd-57.txt"]
    assert top_files(searcher, "hỗ trợ", 5, filters=Filters(year=2023, doc_type="Kế hoạch")) == []
    # A named document outside the filters stays out.
    assert "kh-310.txt" not in top_files(searcher, "310/KH-UBND", 5, filters=Filters(year=2025))


def test_lexical_fields_fold_exact_and_pair():
    assert lexical_fields("Chuyển đổi số, UBND") == {
        "folded": "chuyen doi so ubnd", "exact": "chuyển đổi số ubnd",
        "pairs": "chuyen_doi doi_so so_ubnd"}


def test_only_vietnamese_typed_without_diacritics_skips_the_dense_side():
    from indexer.vietnamese import typed_without_diacritics as unaccented

    assert unaccented("nhiem vu chuyen doi so nam 2021")
    assert unaccented("UBND tinh giao nhiem vu")
    assert not unaccented("nhiệm vụ chuyển đổi số")
    assert not unaccented("forest protection policy")
    assert not unaccented("310/KH-UBND")


def test_common_terms_are_left_out_and_the_best_passage_stays(searcher):
    index = searcher.index
    chunks = index.manifest.chunks
    # What the lexical index holds for each chunk: the same analysis the reindex stored.
    rows = [{column: set(text.split()) for column, text in lexical_fields(chunk.text).items()}
            for document in index.documents() for chunk in index.chunks_of(document.id)]
    assert len(rows) == chunks
    query = "kế hoạch phát triển du lịch của tỉnh"
    terms = query_terms(query)
    for share in (0.25, 0.5):
        common = CommonTerms(index, chunks, share, min_rows=0)
        kept = query_terms(query, common)
        for column, word in terms:
            in_chunks = sum(word in row[column] for row in rows)
            assert ((column, word) not in kept) == (in_chunks >= share * len(rows)), (share, word)
        assert ("folded", "tinh") in common  # "tỉnh" is in most of these chunks
        assert ("folded", "lich") not in common

    def scored(found):  # a chunk matched only by common terms scores ~1e-6 and drops out
        return [(chunk, round(score, 4)) for chunk, score in found if score > 1e-4]

    def lexical(common=None):
        return LexicalRetriever(index, common=common or CommonTerms(index, chunks, min_rows=10**9))

    # From half the chunks on, BM25 gives a term no weight: leaving it out changes nothing.
    half = CommonTerms(index, chunks, 0.5, min_rows=0)
    assert scored(lexical(half).search(query, 20)) == scored(lexical().search(query, 20))
    # A quarter leaves out more, and the passage the query is about still comes first.
    quarter = CommonTerms(index, chunks, 0.25, min_rows=0)
    assert lexical(quarter).search(query, 1)[0][0] == lexical().search(query, 1)[0][0]
    # A query of common terms only is kept whole rather than emptied.
    assert query_terms("tinh", quarter) == [("folded", "tinh")]
    # An index this small (a few documents) leaves nothing out by default.
    assert query_terms(query, CommonTerms(index, chunks)) == terms
