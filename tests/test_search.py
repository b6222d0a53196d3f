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
