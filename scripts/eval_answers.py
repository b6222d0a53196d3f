"""Measure answers: gold in answer, right highlight, citations, abstention, and its trade-off.

Usage: python scripts/eval_answers.py [--set vilqa|vanban|both] [--json] [--records F]
                                      [--limit N]

Two judged sets, both built from ../shared (skipped when it is absent):

- vilqa: ../shared/eval/vilqa (530 questions with a gold `answer` string) against its 304
  passages, with scripts/answer_sets/unanswerable_vilqa.jsonl (80 on-topic questions no
  passage answers) and scripts/unanswerable_questions.jsonl (40 off-topic ones);
- vanban: scripts/answer_sets/domain_questions.jsonl (200 questions about the 570 documents
  of ../shared/corpus/vanban, by kind) with scripts/answer_sets/unanswerable_vanban.jsonl
  (120 on-topic questions made by swapping a province, year, agency, number or subject).

The unanswerable questions are split in two halves by qid (odd = dev, even = test): the
threshold and the coverage floor are chosen on dev and reported on both; the trade-off table
covers both sets together. Each corpus is indexed once and reused
(~/.cache/vankien/eval, or $VANKIEN_EVAL_CACHE).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.answer import AnswerSettings, evaluate_answers, rates  # noqa: E402
from indexer.answer.evaluate import answered  # noqa: E402
from indexer.cli.evaluating import answer_summary  # noqa: E402
from indexer.embed import load_embedder  # noqa: E402
from indexer.evaluate import open_searcher, prepare_index  # noqa: E402

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
SETS = HERE / "answer_sets"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def half_of(qid: str | None) -> str:
    digits = re.findall(r"\d+", qid or "")
    return "dev" if digits and int(digits[-1]) % 2 else "test"


def judged_sets(which: str) -> list[tuple[str, Path, list[dict], list[dict]]]:
    """Return (name, corpus, answerable, unanswerable) for the sets asked for and present."""
    found = []
    vilqa = SHARED / "eval" / "vilqa"
    if which in ("vilqa", "both") and (vilqa / "corpus.jsonl").exists():
        answerable = [q for q in read_jsonl(vilqa / "queries.jsonl") if q.get("answer")]
        unanswerable = read_jsonl(SETS / "unanswerable_vilqa.jsonl") + [
            {**q, "off_topic": True} for q in read_jsonl(HERE / "unanswerable_questions.jsonl")]
        found.append(("vilqa", vilqa / "corpus.jsonl", answerable, unanswerable))
    vanban = SHARED / "corpus" / "vanban"
    if which in ("vanban", "both") and vanban.is_dir():
        found.append(("vanban", vanban, read_jsonl(SETS / "domain_questions.jsonl"),
                      read_jsonl(SETS / "unanswerable_vanban.jsonl")))
    return found


def _on_topic(records: list[dict]) -> list[dict]:
    return [r for r in records if r["answerable"] or not r.get("off_topic")]


def tradeoff(records: list[dict], settings: AnswerSettings) -> list[str]:
    """The trade-off between abstaining on the on-topic unanswerable questions (dev and test
    halves) and wrongly abstaining on answerable ones, per set, over both knobs."""
    names = sorted({r["set"] for r in records})
    lines = ["| threshold | min coverage | " + " | ".join(
        f"{n}: wrongly abstains | {n}: gold in answer" for n in names)
        + " | on-topic unanswerable abstained: dev / test |",
        "|---" * (3 + 2 * len(names)) + "|"]
    grid = [(settings.threshold, c) for c in (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)] + [
        (t, settings.min_coverage) for t in (0.45, 0.5, 0.6, 0.62, 0.65, 0.7)]
    for threshold, coverage in grid:
        cells = []
        for name in names:
            row = rates([r for r in records if r["set"] == name and r["answerable"]],
                        threshold, coverage)
            cells += [f"{row['wrong_abstention']:.1%}", f"{row['answer_has_gold']:.1%}"]
        unanswerable = [r for r in _on_topic(records) if not r["answerable"]]
        halves = [sum(not answered(r, threshold, coverage) for r in group) / len(group)
                  for group in ([r for r in unanswerable if r["half"] == h]
                                for h in ("dev", "test"))]
        chosen = (threshold, coverage) == (settings.threshold, settings.min_coverage)
        mark = "**" if chosen else ""
        lines.append(f"| {mark}{threshold:.2f}{mark} | {mark}{coverage:.2f}{mark} | "
                     + " | ".join(cells) + f" | {halves[0]:.1%} / {halves[1]:.1%} |")
    return lines


def by_kind(records: list[dict], questions: list[dict], settings: AnswerSettings) -> list[str]:
    kinds = {q.get("qid"): q.get("kind") for q in questions}
    groups = defaultdict(list)
    for record in records:
        if record["answerable"] and kinds.get(record["qid"]):
            groups[kinds[record["qid"]]].append(record)
    lines = ["| kind | n | gold in answer | highlight right | abstained |", "|---|---|---|---|---|"]
    for kind, group in sorted(groups.items()):
        row = rates(group, settings.threshold, settings.min_coverage)
        lines.append(f"| {kind} | {len(group)} | {row['answer_has_gold']:.1%} | "
                     f"{row['highlight_right']:.1%} | {row['wrong_abstention']:.1%} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["vilqa", "vanban", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="One JSON object per set.")
    parser.add_argument("--records", type=Path, help="Write every question's record (JSONL).")
    parser.add_argument("--limit", type=int, help="Only the first N answerable questions.")
    args = parser.parse_args()
    sets = judged_sets(args.set)
    if not sets:
        sys.exit(f"evaluation data not found under {SHARED}")
    cache = Path(os.environ.get("VANKIEN_EVAL_CACHE", Path.home() / ".cache/vankien/eval"))
    embedder = load_embedder()
    settings = AnswerSettings()
    written = []
    for name, corpus, answerable, unanswerable in sets:
        answerable = answerable[:args.limit]
        index_dir, _ = prepare_index(corpus, cache, embedder)
        searcher = open_searcher(index_dir, embedder)
        started = time.perf_counter()
        result = evaluate_answers(searcher, answerable, unanswerable, settings)
        seconds = time.perf_counter() - started
        records = result["records"]
        halves = {q.get("qid"): half_of(q.get("qid")) for q in unanswerable}
        for record in records:
            record["set"] = name
            record["half"] = None if record["answerable"] else halves.get(record["qid"])
        written += records
        offs = {q.get("qid") for q in unanswerable if q.get("off_topic")}
        for record in records:
            record["off_topic"] = record["qid"] in offs
        summary = {"set": name, **answer_summary(result),
                   "abstention_on_topic": rates(_on_topic(records), settings.threshold,
                                                settings.min_coverage)["abstention_unanswerable"],
                   "ms_per_question": round(seconds * 1000 / len(records))}
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
            continue
        print(f"## {name}: {len(answerable)} answerable, {len(unanswerable)} unanswerable, "
              f"{summary['ms_per_question']} ms/question, threshold {settings.threshold}, "
              f"min coverage {settings.min_coverage}\n")
        for key, value in summary.items():
            if key != "set":
                print(f"  {key:26s} {value}")
        supports = sorted(r["support"] for r in records if r["answerable"])
        print(f"\n  support of answerable: 1st percentile {supports[len(supports) // 100]:.3f}, "
              f"median {statistics.median(supports):.3f}\n")
        if name == "vanban":
            print("\n".join(by_kind(records, answerable, settings)) + "\n")
    if written and not args.json:
        print("## trade-off (on-topic unanswerable questions of both sets, by half)\n")
        print("\n".join(tradeoff(written, settings)) + "\n")
    if args.records:
        with open(args.records, "w", encoding="utf-8") as handle:
            for record in written:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
