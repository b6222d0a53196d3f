"""`vankien tasks` and `vankien refs`: what the documents assign, and what they cite."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ..export import TASK_COLUMNS, to_csv, to_xlsx
from ..links import links_of
from ..store import Filters, open_index
from ..tasklist import PERIODS, TaskFilter, find_tasks, period_bounds
from .app import fail_cleanly, index_option, main

_ISO = click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"])


@main.command("tasks")
@click.option("--agency", help="Tasks of this agency (words of its name, with or without "
                                "diacritics), as lead or as cooperating agency.")
@click.option("--role", type=click.Choice(["any", "lead", "cooperate"]), default="any",
              show_default=True, help="With --agency: as what the agency takes part.")
@click.option("--due-after", type=_ISO, help="Deadline on or after this date (YYYY-MM-DD).")
@click.option("--due-before", type=_ISO, help="Deadline on or before this date.")
@click.option("--due", type=click.Choice(PERIODS), help="Overdue, or due this month, quarter "
                                                       "or year (today's).")
@click.option("--query", "-q", help="Only tasks about these words (hybrid search).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the tasks to a CSV file (UTF-8, opens in Excel).")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the tasks to an XLSX workbook.")
@index_option
@fail_cleanly
def tasks_command(agency, role, due_after, due_before, due, query, as_json, csv_file,
                  xlsx_file, index_dir):
    """List the tasks the indexed documents assign: task, lead and cooperating agencies,
    deadline, product and the document, soonest deadline first."""
    after = due_after.date().isoformat() if due_after else None
    before = due_before.date().isoformat() if due_before else None
    if due:
        after, before = period_bounds(due, date.today())
    index = open_index(index_dir)
    try:
        searcher = None
        if query:
            from ..search import Searcher
            searcher = Searcher.open(index)
        tasks = find_tasks(index, TaskFilter(agency, role, after, before, Filters(), query),
                           searcher)
    finally:
        index.close()
    rows = [task.as_dict() for task in tasks]
    if csv_file:
        csv_file.write_bytes(to_csv(rows, TASK_COLUMNS))
    if xlsx_file:
        xlsx_file.write_bytes(to_xlsx(rows, TASK_COLUMNS, "Nhiệm vụ"))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if csv_file or xlsx_file:
        click.echo(f"{len(rows)} tasks written to {csv_file or ''} {xlsx_file or ''}".strip())
        return
    for task in tasks:
        deadline = task.deadline or "—"
        click.echo(f"{deadline:>22}  {'; '.join(task.lead)}")
        click.echo(f"{'':>22}  {' '.join(task.task.split())[:160]}")
        source = " ".join(p for p in (task.document.doc_type, task.document.doc_number) if p)
        click.echo(f"{'':>22}  — {source or task.document.title}, {task.document.rel_path}, "
                   f"đoạn {task.paragraph}\n")
    click.echo(f"{len(tasks)} task{'s' if len(tasks) != 1 else ''}")


@main.command("refs")
@click.argument("number", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@index_option
@fail_cleanly
def refs_command(number, as_json, index_dir):
    """List the references between documents: with NUMBER (a số hiệu such as 57-NQ/TW), the
    documents that cite it and how; without, every reference in the index."""
    index = open_index(index_dir)
    try:
        links = links_of(index)
        references = links.to_number(number) if number else links.references
    finally:
        index.close()
    rows = [ref.as_dict() for ref in references]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for ref in references:
        target = f" → {ref.target.rel_path}" if ref.target else ""
        cited = ref.number or ref.name or ref.text
        click.echo(f"{ref.source.rel_path}: {ref.relation} {ref.doc_type or ''} {cited}{target}")
    click.echo(f"{len(rows)} reference{'s' if len(rows) != 1 else ''}")
