"""Measure answers on ViLQA and the abstention threshold against unanswerable questions.

Usage: python scripts/eval_answers.py [--corpus F --queries F] [--unanswerable F] [--limit N]

Defaults to ../shared/eval/vilqa (queries with a gold `answer` string) and
scripts/unanswerable_questions.jsonl (questions the corpus cannot answer). Reports the share of
questions whose gold string is in the composed answer and in the top passage, the citation
precision, how often it abstains on each set, and a threshold sweep. The corpus index is built
once and reused (~/.cache/vankien/eval, or $VANKIEN_EVAL_CACHE).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.answer import AnswerSettings, evaluate_answers, rates  # noqa: E402
from indexer.embed import load_embedder  # noqa: E402
from indexer.evaluate import open_searcher, prepare_index  # noqa: E402

HERE = Path(__file__).resolve().parent
VILQA = HERE.parent.parent / "shared" / "eval" / "vilqa"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=VILQA / "corpus.jsonl")
    parser.add_argument("--queries", type=Path, default=VILQA / "queries.jsonl")
    parser.add_argument("--unanswerable", type=Path,
                        default=HERE / "unanswerable_questions.jsonl")
    parser.add_argument("--limit", type=int, help="Only the first N answerable questions.")
    args = parser.parse_args()
    for path in (args.corpus, args.queries, args.unanswerable):
        if not path.exists():
            sys.exit(f"evaluation data not found: {path} (ViLQA lives in ../shared/eval)")
    cache = Path(os.environ.get("VANKIEN_EVAL_CACHE", Path.home() / ".cache/vankien/eval"))
    embedder = load_embedder()
    index_dir, _ = prepare_index(args.corpus, cache, embedder)
    searcher = open_searcher(index_dir, embedder)
    answerable = [q for q in read_jsonl(args.queries) if q.get("answer")][:args.limit]
    unanswerable = read_jsonl(args.unanswerable)
    settings = AnswerSettings()
    started = time.perf_counter()
    result = evaluate_answers(searcher, answerable, unanswerable, settings)
    seconds = time.perf_counter() - started
    records = result["records"]
    print(f"{args.corpus.parent.name}: {len(answerable)} answerable questions, "
          f"{len(unanswerable)} unanswerable ({args.unanswerable.name}), "
          f"{seconds * 1000 / len(records):.0f} ms/question\n")
    print(f"threshold {settings.threshold}")
    print(f"  answer contains gold        {result['answer_has_gold']:.1%}")
    print(f"  top passage contains gold   {result['top_has_gold']:.1%}")
    print(f"  citation precision          {result['citation_precision']:.1%} "
          f"({result['quotes']} quoted sentences)")
    print(f"  abstains on unanswerable    {result['abstention_unanswerable']:.1%}")
    print(f"  abstains on answerable      {result['wrong_abstention']:.1%} (wrong)")
    answered = [r for r in records if r["answerable"]]
    print(f"  sentences per answer        "
          f"{statistics.mean(r['sentences'] for r in answered):.2f}\n")

    supports = {kind: sorted(r["support"] for r in records if r["answerable"] == kind)
                for kind in (True, False)}
    print(f"support: answerable min {supports[True][0]:.3f}, "
          f"1st percentile {supports[True][len(supports[True]) // 100]:.3f}, "
          f"median {statistics.median(supports[True]):.3f}; "
          f"unanswerable median {statistics.median(supports[False]):.3f}, "
          f"max {supports[False][-1]:.3f}\n")
    print("| threshold | abstains on unanswerable | wrongly abstains on answerable "
          "| answer contains gold |")
    print("|---|---|---|---|")
    for step in range(9):
        threshold = round(0.45 + 0.025 * step, 3)
        row = rates(records, threshold)
        print(f"| {threshold:.3f} | {row['abstention_unanswerable']:.1%} "
              f"| {row['wrong_abstention']:.1%} | {row['answer_has_gold']:.1%} |")


if __name__ == "__main__":
    main()
