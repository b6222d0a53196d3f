import json

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.evaluate import load_queries, metrics, strip_diacritics

CORPUS = [
    {"id": "luat-a::Điều 1", "title": "Luật A - Điều 1. Phạm vi",
     "text": "Luật này quy định về phòng, chống ma túy và cai nghiện ma túy."},
    {"id": "luat-a::Điều 2", "title": "Luật A - Điều 2. Hợp đồng lữ hành",
     "text": "Hợp đồng lữ hành phải được lập thành văn bản."},
    {"id": "luat-b::Điều 7", "title": "Luật B - Điều 7. Viên chức",
     "text": "Đơn vị sự nghiệp công lập được đơn phương chấm dứt hợp đồng làm việc với viên chức."},
]
QUERIES = [
    {"qid": "q1", "query": "Hợp đồng lữ hành có phải lập thành văn bản không?",
     "relevant_ids": ["luat-a::Điều 2"]},
    {"qid": "q2", "query": "Khi nào chấm dứt hợp đồng làm việc?",
     "choices": {"A": "viên chức", "B": "ma túy"}, "relevant": {"luat-b::Điều 7": 2}},
    {"qid": "q3", "query": "cai nghiện"},  # unjudged: searched and written, not scored
]


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_metrics_on_a_known_ranking():
    scores = metrics(["x", "a", "b"], {"a": 1.0, "z": 1.0})
    assert scores["MRR@10"] == 0.5 and scores["hit@1"] == 0.0
    assert scores["Recall@10"] == 0.5 and scores["Recall@100"] == 0.5
    assert 0 < scores["nDCG@10"] < 1
    assert metrics(["a"], {"a": 1.0})["nDCG@10"] == pytest.approx(1.0)


def test_queries_with_choices_search_the_question_as_posed(tmp_path):
    queries = load_queries(write_jsonl(tmp_path / "q.jsonl", QUERIES))
    assert queries[1].text == "Khi nào chấm dứt hợp đồng làm việc? viên chức ma túy"
    assert queries[1].relevance == {"luat-b::Điều 7": 2.0}
    assert queries[2].relevance == {}
    assert strip_diacritics("Hợp đồng Đảng") == "Hop dong Dang"


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_eval_command_scores_and_writes_rankings(tmp_path, mode):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    out = tmp_path / "run.jsonl"
    result = CliRunner().invoke(main, [
        "eval", "--corpus", str(corpus), "--queries", str(queries), "--mode", mode,
        "--out", str(out), "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert "2 judged queries of 3" in result.output and "MRR@10" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["qid"] for line in lines] == ["q1", "q2", "q3"]
    assert lines[0]["ranked_ids"][0] == "luat-a::Điều 2"
    assert set(lines[0]["ranked_ids"]) <= {row["id"] for row in CORPUS}
    # A second run reuses the index built for this corpus.
    again = CliRunner().invoke(main, [
        "eval", "--corpus", str(corpus), "--queries", str(queries), "--mode", mode,
        "--cache-dir", str(tmp_path / "cache")])
    assert again.exit_code == 0
    indexes = [p for p in (tmp_path / "cache").iterdir() if p.name != "shared-cache"]
    assert len(indexes) == 1
    assert (tmp_path / "cache" / "shared-cache" / "embeddings.sqlite").exists()
