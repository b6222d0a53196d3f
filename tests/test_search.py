from indexer.reindex import reindex
from indexer.search import Searcher
from indexer.store import open_index
from conftest import REPO


def test_seed_query_finds_the_digital_transformation_paragraph(tmp_path, embedder):
    reindex(tmp_path / "ix", [REPO / "corpus"], embedder=embedder)
    index = open_index(tmp_path / "ix")
    hits = Searcher.open(index, embedder).search("nhiệm vụ chuyển đổi số", k=3)
    top = hits[0]
    assert "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh về chương trình chuyển đổi số" in top.text
    text = index.document(top.document.id).text
    assert text[top.char_start:top.char_end] == top.text
    assert top.document.rel_path == "hoi-nghi-ban-thuong-vu-tinh-uy-lan-thu-4.txt"
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].score >= hits[1].score >= hits[2].score
    index.close()


def test_relevance_is_one_scale_for_accented_unaccented_and_off_topic_queries(tmp_path, embedder):
    from click.testing import CliRunner

    from indexer.cli import main
    from indexer.relevance import RELEVANCE_FLOOR, query_words

    reindex(tmp_path / "ix", [REPO / "corpus"], embedder=embedder)
    index = open_index(tmp_path / "ix")
    searcher = Searcher.open(index, embedder)
    for query in ("chuyển đổi số", "chuyen doi so"):
        top = searcher.search(query, k=1)[0]
        assert query_words(index, query).relevance(top.text) == 1.0
    off = "công thức nấu phở bò"
    words = query_words(index, off)
    assert all(words.relevance(h.text) < RELEVANCE_FLOOR for h in searcher.search(off, k=20))
    index.close()
    output = CliRunner().invoke(main, ["search", "chuyển đổi số", "-k", "2", "--index",
                                       str(tmp_path / "ix")]).output
    assert output.startswith("1. [match 100%] ")
