"""`vankien search` and `vankien ask`."""
from __future__ import annotations

import json

import click

from ..answer import AnswerSettings, ask
from ..relevance import RELEVANCE_FLOOR, query_words
from ..search import Searcher
from ..store import open_index
from .app import citation_label, fail_cleanly, index_option, main, text_argument

composer_option = click.option(
    "--composer", default="extractive", show_default=True, envvar="VANKIEN_COMPOSER",
    show_envvar=True, help="What writes the answer: 'extractive' (quoted sentences) or "
                           "'package.module:factory' for a composer of your own.")


def _snippet(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat[:length] + ("…" if len(flat) > length else "")


@main.command("search")
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Number of passages.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@index_option
@fail_cleanly
def search_command(query, k, as_json, index_dir):
    """Find the passages that best match QUERY."""
    query = text_argument(query, "QUERY", "query")
    index = open_index(index_dir)
    try:
        hits = Searcher.open(index).search(query, k)
        words = query_words(index, query)
        # The scale the web shows: the share of the query's weighted words the passage holds.
        relevance = [words.relevance(" ".join((*hit.heading_path, hit.text))) for hit in hits]
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps([{**hit.as_dict(), "relevance": round(share, 3)}
                               for hit, share in zip(hits, relevance)],
                              ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No passages found.")
    for hit, share in zip(hits, relevance):
        weak = "" if share >= RELEVANCE_FLOOR else ", under the relevance floor"
        click.echo(f"{hit.rank}. [match {share:.0%}{weak}] {citation_label(hit)}")
        if hit.heading_path:
            click.echo(f"   {' › '.join(hit.heading_path)}")
        click.echo(f"   {_snippet(hit.text, 300)}\n")


@main.command("ask")
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Passages the answer is taken from.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@composer_option
@index_option
@fail_cleanly
def ask_command(question, k, as_json, composer, index_dir):
    """Answer QUESTION with sentences quoted from the documents, each cited.

    When nothing in the index supports an answer, it says so and lists the closest passages.
    """
    question = text_argument(question, "QUESTION", "question")
    index = open_index(index_dir)
    try:
        answer = ask(Searcher.open(index), question,
                     AnswerSettings(passages=k, composer=composer))
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
            click.echo(f"  {hit.rank}. {citation_label(hit)}")
            click.echo(f"     {_snippet(hit.text, 200)}")
        return
    click.echo("Trả lời:")
    for quote in answer.sentences:
        text = quote.text
        for start, end in reversed(quote.highlights):
            text = text[:start] + click.style(text[start:end], bold=True) + text[end:]
        click.echo(f"  {text} [{quote.citation}]")
    click.echo("\nNguồn:")
    for citation in answer.citations:
        click.echo(f"  [{citation.number}] {citation_label(citation.hit)}")
