"""Measure retrieval against judged queries: MRR@10, nDCG@10, hit@1, Recall@10, Recall@100.

The corpus is a JSONL file (`id`, `title`, `text` per line) or a folder of documents. Either
goes through the regular pipeline (ingest, chunk, embed, index); a JSONL record becomes a text
document whose first line is its title. The index is kept under the cache folder, keyed by
the corpus content and the settings, so later runs reuse it. Documents are ranked by their
best passage.
"""
from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .chunk import ChunkerSettings
from .embed import Embedder
from .errors import VankienError
from .reindex import PIPELINE_VERSION, ReindexSettings, reindex
from .search import Searcher
from .store import FORMAT_VERSION, open_index
from .vietnamese import fold

RANK_DEPTH = 100
CHUNK_POOL = 400  # passages fetched to fill RANK_DEPTH distinct documents


@dataclass(frozen=True)
class Judged:
    qid: str
    text: str  # what is searched: the query, then the choices' text when it has any
    relevance: dict[str, float]  # document id → grade; empty when the query is unjudged


def load_queries(path: Path) -> list[Judged]:
    """Read queries: `qid`, `query`, and `relevant_ids` (binary) or `relevant` (graded)."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["query"]
        except (ValueError, KeyError, TypeError) as exc:
            raise VankienError(f"{path}:{number}: not a query line with 'query' ({exc})") from exc
        choices = record.get("choices")
        if isinstance(choices, dict):
            text = " ".join([text, *map(str, choices.values())])
        elif isinstance(choices, list):
            text = " ".join([text, *map(str, choices)])
        relevance = {str(k): float(v) for k, v in (record.get("relevant") or {}).items()}
        relevance.update({str(rid): 1.0 for rid in record.get("relevant_ids") or []
                          if str(rid) not in relevance})
        queries.append(Judged(str(record.get("qid", number)), text, relevance))
    return queries


def strip_diacritics(text: str) -> str:
    """Return the text as typed without diacritics: case kept, đ→d."""
    folded = fold(text)
    return "".join(f.upper() if o.isupper() else f for o, f in zip(text, folded)) \
        if len(folded) == len(text) else folded


def _corpus_key(corpus: Path, settings: ChunkerSettings, embedder: Embedder) -> str:
    digest = hashlib.sha256()
    files = [corpus] if corpus.is_file() else sorted(p for p in corpus.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(corpus) if corpus.is_dir() else path.name).encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps([settings.as_dict(), embedder.id, FORMAT_VERSION,
                              PIPELINE_VERSION]).encode())
    return digest.hexdigest()[:20]


def _materialise_jsonl(corpus: Path, folder: Path) -> dict[str, str]:
    """Write each JSONL record as a text file; return file name → corpus id."""
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id, text = str(record["id"]), record["text"]
        except (ValueError, KeyError, TypeError) as exc:
            raise VankienError(f"{corpus}:{number}: not a corpus line with 'id' and 'text' "
                               f"({exc})") from exc
        name = hashlib.sha256(doc_id.encode()).hexdigest()[:16] + ".txt"
        title = record.get("title") or ""
        body = f"{title}\n\n{text}" if title else text
        (folder / name).write_text(unicodedata.normalize("NFC", body), encoding="utf-8")
        names[name] = doc_id
    return names


def prepare_index(corpus: Path, cache_dir: Path, embedder: Embedder,
                  settings: ChunkerSettings = ChunkerSettings(), progress=None
                  ) -> tuple[Path, dict[str, str]]:
    """Build or reuse the index of a corpus; return it and the map rel_path → corpus id."""
    if not corpus.exists():
        raise VankienError(f"corpus not found: {corpus}")
    home = cache_dir / _corpus_key(corpus, settings, embedder)
    if corpus.is_file():
        names = _materialise_jsonl(corpus, home / "documents")
        source = home / "documents"
    else:
        names, source = {}, corpus
    # Embeddings (keyed by embedder and text hash) and OCR results (keyed by file hash) stay
    # valid across settings and format versions: every corpus index shares one cache, so a
    # version bump rebuilds an evaluation index without embedding its texts again.
    shared = cache_dir / "shared-cache"
    shared.mkdir(parents=True, exist_ok=True)
    (home / "index").mkdir(parents=True, exist_ok=True)
    if not (home / "index" / "cache").exists():
        (home / "index" / "cache").symlink_to(shared.resolve(), target_is_directory=True)
    reindex(home / "index", [source], embedder=embedder, settings=ReindexSettings(chunker=settings),
            progress=progress)
    return home / "index", names


def rank_documents(searcher: Searcher, query: str, mode: str, depth: int = RANK_DEPTH,
                   ids: dict[str, str] | None = None) -> list[str]:
    """Return up to `depth` corpus ids, best first, each document at its best passage."""
    ranked: list[str] = []
    for hit in searcher.search(query, k=CHUNK_POOL, mode=mode):
        doc_id = (ids or {}).get(hit.document.rel_path, hit.document.rel_path)
        if doc_id not in ranked:
            ranked.append(doc_id)
            if len(ranked) == depth:
                break
    return ranked


def metrics(ranked: list[str], relevance: dict[str, float]) -> dict[str, float]:
    """Score one ranking against graded judgments."""
    relevant = {d for d, grade in relevance.items() if grade > 0}
    first = next((i for i, d in enumerate(ranked[:10], start=1) if d in relevant), None)
    dcg = sum((2 ** relevance.get(d, 0) - 1) / math.log2(i + 1)
              for i, d in enumerate(ranked[:10], start=1))
    ideal = sorted(relevance.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 1) for i, g in enumerate(ideal, start=1))
    return {
        "MRR@10": 1 / first if first else 0.0,
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "hit@1": float(bool(ranked) and ranked[0] in relevant),
        "Recall@10": len(relevant & set(ranked[:10])) / len(relevant),
        "Recall@100": len(relevant & set(ranked[:100])) / len(relevant),
    }


def evaluate(searcher: Searcher, queries: Iterable[Judged], mode: str,
             ids: dict[str, str] | None = None, unaccented: bool = False
             ) -> tuple[dict[str, float], list[dict]]:
    """Run every query; return mean metrics over judged queries and one record per query."""
    totals: dict[str, float] = {}
    judged = 0
    records = []
    for query in queries:
        text = strip_diacritics(query.text) if unaccented else query.text
        ranked = rank_documents(searcher, text, mode, ids=ids)
        records.append({"qid": query.qid, "ranked_ids": ranked})
        if query.relevance and any(g > 0 for g in query.relevance.values()):
            judged += 1
            for name, value in metrics(ranked, query.relevance).items():
                totals[name] = totals.get(name, 0.0) + value
    means = {name: value / judged for name, value in totals.items()} if judged else {}
    means["queries"] = judged
    return means, records


def open_searcher(index_dir: Path, embedder: Embedder) -> Searcher:
    return Searcher.open(open_index(index_dir), embedder)
