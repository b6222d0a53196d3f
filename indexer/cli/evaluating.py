"""`vankien eval`: retrieval and answers measured on judged queries."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import VankienError
from .app import Bar, fail_cleanly, main


@main.command("eval")
@click.option("--corpus", type=click.Path(exists=True, path_type=Path), required=True,
              help="JSONL file (id, title, text per line) or a folder of documents.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="JSONL: qid, query, relevant_ids or relevant, choices.")
@click.option("--mode", type=click.Choice(["hybrid", "lexical", "dense"]), default="hybrid",
              show_default=True, help="Retriever; hybrid is what `vankien search` uses.")
@click.option("--unaccented", is_flag=True, help="Strip diacritics from the queries first.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one JSON line per query: qid and the top 100 corpus ids.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path.home() / ".cache" / "vankien" / "eval", envvar="VANKIEN_EVAL_CACHE",
              show_default=True, help="Where corpus indexes are kept for reuse.")
@click.option("--answers", is_flag=True,
              help="Measure answers instead: gold 'answer' string in the composed answer and "
                   "in the top passage, citation precision, abstention.")
@click.option("--unanswerable", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --answers: questions the corpus cannot answer, as JSONL ('query') or "
                   "plain text, one question per line.")
@click.option("--json", "as_json", is_flag=True,
              help="With --answers: print one JSON object with the measures.")
@fail_cleanly
def eval_command(corpus, queries, mode, unaccented, out, cache_dir, answers, unanswerable,
                 as_json):
    """Measure retrieval: MRR@10, nDCG@10, hit@1, Recall@10 and Recall@100.

    With --answers, measure `vankien ask` instead (see scripts/eval_answers.py for the
    threshold sweep). The corpus is indexed once through the regular pipeline and kept for
    later runs (keyed by its content and the settings).
    """
    from ..embed import load_embedder
    from ..evaluate import evaluate, load_queries, open_searcher, prepare_index

    embedder = load_embedder()
    index_dir, ids = prepare_index(corpus, cache_dir, embedder,
                                   progress=None if as_json else Bar)
    if answers:
        _eval_answers(open_searcher(index_dir, embedder), queries, unanswerable, out, as_json)
        return
    judged = load_queries(queries)
    searcher = open_searcher(index_dir, embedder)
    means, records = evaluate(searcher, judged, mode, ids=ids, unaccented=unaccented)
    if out:
        _write_jsonl(out, records)
    click.echo(f"{mode}{' (queries without diacritics)' if unaccented else ''}: "
               f"{means.pop('queries')} judged queries of {len(judged)}")
    click.echo("  " + "  ".join(f"{name} {value:.3f}" for name, value in means.items()))


def _read_jsonl(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except ValueError as exc:
        raise VankienError(f"{path}: not JSON lines ({exc})") from exc


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_questions(path: Path) -> list[dict]:
    """Read questions as JSON lines ({"query": …}) or as plain text, one per line."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        return _read_jsonl(path)
    return [{"qid": f"line-{number}", "query": line.strip()}
            for number, line in enumerate(lines, 1)]


def answer_summary(result: dict) -> dict:
    """The measures `eval --answers --json` prints, named as the README reports them."""
    return {"questions": result["questions"], "unanswerable": result["unanswerable"],
            "threshold": result["threshold"], "min_coverage": result["min_coverage"],
            "gold_in_answer": round(result["answer_has_gold"], 4),
            "gold_in_top_passage": round(result["top_has_gold"], 4),
            "highlight_right": round(result["highlight_right"], 4),
            "citation_precision": round(result["citation_precision"], 4),
            "quoted_sentences": result["quotes"],
            "wrong_abstention": round(result["wrong_abstention"], 4),
            "abstention_unanswerable": None if result["abstention_unanswerable"] is None
            else round(result["abstention_unanswerable"], 4)}


def _eval_answers(searcher, queries: Path, unanswerable: Path | None, out: Path | None,
                  as_json: bool = False):
    from ..answer import AnswerSettings, evaluate_answers

    answerable = [q for q in _read_jsonl(queries) if q.get("answer")]
    if not answerable:
        raise VankienError(f"{queries}: no question has an 'answer' string to check")
    unanswered = read_questions(unanswerable) if unanswerable else []
    settings = AnswerSettings()
    bar = None if as_json else Bar(len(answerable) + len(unanswered), "Answering")
    try:
        result = evaluate_answers(searcher, answerable, unanswered, settings,
                                  progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    if out:
        _write_jsonl(out, result["records"])
    if as_json:
        click.echo(json.dumps(answer_summary(result), ensure_ascii=False))
        return
    click.echo(f"answers: {len(answerable)} questions with a gold answer, "
               f"threshold {settings.threshold}")
    click.echo(f"  answer contains gold {result['answer_has_gold']:.3f}  "
               f"top passage contains gold {result['top_has_gold']:.3f}  "
               f"citation precision {result['citation_precision']:.3f} "
               f"({result['quotes']} sentences)")
    click.echo(f"  highlight is the expected phrase {result['highlight_right']:.3f}  "
               f"wrongly abstains {result['wrong_abstention']:.3f}"
               + (f"  abstains on {len(unanswered)} unanswerable "
                  f"{result['abstention_unanswerable']:.3f}" if unanswered else ""))
