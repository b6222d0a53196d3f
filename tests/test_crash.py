"""Kill a reindex with SIGKILL at each stage: the published index must stay whole."""
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from indexer.reindex import reindex
from test_reindex import consistent, search_ids

QUERIES = ["nhiệm vụ chuyển đổi số", "bảo vệ rừng", "thủ tục hành chính"]
TOPICS = ["cải cách thủ tục hành chính", "phát triển du lịch cộng đồng", "xây dựng nông thôn mới",
          "bảo vệ môi trường sông suối", "phòng chống dịch bệnh gia súc", "chuyển đổi số cấp xã"]

# The child runs the real library; at the chosen stage it says so and waits to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from indexer.reindex import reindex
    stop_at = sys.argv[3]
    def on_stage(stage):
        if stage == stop_at:
            print("STOPPED", stage, flush=True)
            time.sleep(600)
    reindex(sys.argv[1], [sys.argv[2]], on_stage=on_stage)
""")


def add_documents(folder, count, tag):
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        paragraphs = [f"Kế hoạch số {i}/{tag} về {topic}."] + [
            f"{j}. Nhiệm vụ {j} của kế hoạch {tag}-{i}: tổ chức thực hiện {topic} tại địa phương "
            f"số {j}, báo cáo kết quả trước ngày {j + 1} tháng {i % 12 + 1}." for j in range(1, 6)]
        (folder / f"{tag}-{i:03d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


def run_until(index_dir, folder, stage):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(index_dir), str(folder), stage],
                             stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    assert line.strip() == f"STOPPED {stage}", f"child ended before {stage}: {line!r}"
    child.send_signal(signal.SIGKILL)
    child.wait()


@pytest.mark.parametrize("stage", ["parsed", "embedded-batch", "written", "publishing"])
def test_kill_during_reindex_leaves_previous_index_answering(tmp_path, corpus, embedder, stage):
    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    before = {q: search_ids(ix, embedder, q) for q in QUERIES}
    add_documents(corpus, 30, "new")  # about 150 chunks: several embedding batches

    run_until(ix, corpus, stage)

    assert {q: search_ids(ix, embedder, q) for q in QUERIES} == before
    assert consistent(ix)
    summary = reindex(ix, [corpus], embedder=embedder)
    assert len(summary.added) == 30 and summary.version == 2
    if stage != "parsed":  # embeddings computed before the kill are reused, not redone
        assert summary.chunks_from_cache >= 64
    assert consistent(ix)
    assert search_ids(ix, embedder, "du lịch cộng đồng", 1)[0][0].startswith("new-")


def test_kill_at_random_moments_never_breaks_the_index(tmp_path, corpus, embedder):
    ix = tmp_path / "ix"
    reindex(ix, [corpus], embedder=embedder)
    before = {q: search_ids(ix, embedder, q) for q in QUERIES}
    add_documents(corpus, 20, "batch")
    for delay in (0.3, 0.9, 1.6):
        child = subprocess.Popen([sys.executable, "-m", "indexer.cli", "reindex", str(corpus),
                                  "--index", str(ix), "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        current = (ix / "CURRENT").read_text().strip()
        if current == "v000001":
            assert {q: search_ids(ix, embedder, q) for q in QUERIES} == before
        assert consistent(ix)
    reindex(ix, [corpus], embedder=embedder)
    assert consistent(ix)
    assert open_index_documents(ix) == 24


def open_index_documents(ix):
    from indexer.store import open_index

    index = open_index(ix)
    try:
        return index.manifest.documents
    finally:
        index.close()
