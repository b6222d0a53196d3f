"""Measure the task and reference extractors against the hand labels in scripts/eval_tasks/.

Usage: python scripts/eval_extraction.py [--split dev|dev2|tune|test|test2 … test15|heldout|all] [--show N] [--file NAME]

Each labelled document of ../shared/corpus/vanban is read by the regular pipeline (ingest,
header) and given to the extractors registered in indexer.extract; their records are compared
with the labels (rules: scripts/eval_tasks/GUIDELINES.md):

  tasks       a predicted task matches a labelled one when its span holds the label's anchor
              (where the label's text starts) and one of its lead agencies is one of the
              label's (compared folded: no diacritics, lower case, spaces collapsed). Over
              matched pairs: lead, cooperating agencies (as sets) and deadline (as written,
              and its ISO date and period; a leading completion verb, "hoàn thành", is not
              part of it) are scored as accuracy.
  references  a predicted reference matches a labelled one when their spans overlap and the
              số hiệu agrees (or, without one, the name). Over matched pairs: relation
              accuracy; resolution to an indexed document is right when it names the document
              of the corpus whose số hiệu is the label's (or none when the corpus has none).
With --show N, the first N misses and false alarms of each kind are printed.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.extract import EXTRACTORS  # noqa: E402
from indexer.extract.agencies import normalized as spelled_out  # noqa: E402
from indexer.ingest import parse_file  # noqa: E402
from indexer.links import DocumentDirectory  # noqa: E402
from indexer.prepare import new_document  # noqa: E402
from indexer.sources import SourceFile  # noqa: E402
from indexer.vietnamese import fold, number_key  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
_TASKS_DIR = Path(__file__).resolve().parent / "eval_tasks"
LABELS = tuple([_TASKS_DIR / "labels.jsonl", _TASKS_DIR / "labels_more.jsonl"] +
               sorted(_TASKS_DIR.glob("labels_test*.jsonl"),
                      key=lambda path: int(re.sub(r"\D", "", path.stem) or 0)))
TEST_SPLITS = ("test",) + tuple(path.stem.removeprefix("labels_") for path in LABELS[2:])  # "test": labels.jsonl


def squeezed(text: str, folded: bool = True) -> tuple[str, list[int]]:
    """Text for matching (markup gone, spaces collapsed, folded unless told); map each character
    back."""
    out, where = [], []
    for i, ch in enumerate(fold(text) if folded else unicodedata.normalize("NFC", text)):
        if ch in "*|_":
            continue
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def indexes(text: str) -> tuple[tuple[str, list[int]], tuple[str, list[int]]]:
    """The document's text squeezed as written and folded, to locate anchors in."""
    return squeezed(text, folded=False), squeezed(text)


def locate(anchor: str, indexed) -> int | None:
    """Return where the anchor starts in the document text, or None. The labels' anchors are
    unique as written (check_labels.py), not folded: "Thành viên Ban Chỉ đạo có trách nhiệm …"
    also occurs, folded, inside "Các thành viên Ban Chỉ đạo có trách nhiệm …"."""
    for (text, where), folded in zip(indexed, (False, True)):
        position = text.find(squeezed(anchor, folded=folded)[0].strip())
        if position >= 0:
            return where[position]
    return None


def _key(text: str | None) -> str:
    """Compare names as the same agency: abbreviations spelled out, folded, punctuation gone."""
    return re.sub(r"[\s.,;:]+", " ", fold(spelled_out(text or "", None))).strip()


def same(a: str | None, b: str | None) -> bool:
    return _key(a) == _key(b)


# The labels disagree on whether a completion verb before a deadline belongs to it ("hoàn thành
# trước ngày 05/12/2025", "Thực hiện thường xuyên"); GUIDELINES 1.4 counts only the time words.
_COMPLETION_VERB = re.compile(r"^(?:hoan thanh|thuc hien xong|thuc hien|xong)\s+")


def same_deadline(a: str | None, b: str | None) -> bool:
    return _COMPLETION_VERB.sub("", _key(a).lower()) == _COMPLETION_VERB.sub("", _key(b).lower())


def same_set(a, b) -> bool:
    return sorted(map(_key, a or [])) == sorted(map(_key, b or []))


@dataclass
class Tally:
    labelled: int = 0
    predicted: int = 0
    matched: int = 0
    fields: dict = field(default_factory=dict)  # name → [right, total]
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)
    wrong: list = field(default_factory=list)  # matched, but a field differs: what and how

    def score(self, name: str, right: bool) -> None:
        entry = self.fields.setdefault(name, [0, 0])
        entry[0] += bool(right)
        entry[1] += 1

    def line(self, title: str) -> str:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.labelled if self.labelled else 0.0
        parts = [f"{title}: {self.labelled} labelled, {self.predicted} predicted, "
                 f"{self.matched} matched; precision {precision:.3f}, recall {recall:.3f}"]
        parts += [f"  {name} accuracy {right / total:.3f} ({right}/{total})"
                  for name, (right, total) in self.fields.items() if total]
        return "\n".join(parts)


def read(path: Path):
    parsed = parse_file(path)
    data = path.read_bytes()
    return new_document(SourceFile(path.absolute(), path.name), "", len(data), parsed)


def compare_tasks(document, labels: list[dict], records, tally: Tally) -> None:
    indexed = indexes(document.text)
    tally.labelled += len(labels)
    tally.predicted += len(records)
    unmatched = list(records)
    for label in labels:
        start = locate(label["anchor"], indexed)
        candidates = [r for r in unmatched if start is not None
                      and r.char_start <= start < r.char_end
                      and any(same(lead, gold) for lead in r.data["lead"] for gold in label["lead"])]
        if not candidates:
            tally.misses.append((document.rel_path, label["anchor"], label["lead"]))
            continue
        record = min(candidates, key=lambda r: abs(r.char_start - start))
        unmatched.remove(record)
        tally.matched += 1
        data = record.data
        tally.score("lead", same_set(data["lead"], label["lead"]))
        if not same_set(data["lead"], label["lead"]):
            tally.wrong.append((document.rel_path, label["anchor"][:70],
                                f"lead {data['lead']} for {label['lead']}"))
        tally.score("cooperate", same_set(data["cooperate"], label["cooperate"]))
        if not same_set(data["cooperate"], label["cooperate"]):
            tally.wrong.append((document.rel_path, label["anchor"][:70],
                                f"cooperate {data['cooperate']} for {label['cooperate']}"))
        deadline_right = same_deadline(data["deadline"], label["deadline"]) and \
            data["deadline_iso"] == label["deadline_iso"] and \
            data["deadline_period"] == label["deadline_period"]
        tally.score("deadline", deadline_right)
        if not deadline_right:
            tally.wrong.append((document.rel_path, label["anchor"][:70],
                                f"deadline {data['deadline']!r} ({data['deadline_iso']}) for "
                                f"{label['deadline']!r} ({label['deadline_iso']})"))
        tally.score("product", same(data.get("product"), label["product"]))
    tally.false_alarms += [(document.rel_path, document.text[r.char_start:r.char_end][:90],
                            r.data["lead"]) for r in unmatched]


def compare_references(document, labels: list[dict], records, directory: DocumentDirectory,
                       gold_targets: dict[str, str], tally: Tally) -> None:
    indexed = indexes(document.text)
    tally.labelled += len(labels)
    tally.predicted += len(records)
    unmatched = list(records)
    for label in labels:
        start = locate(label["anchor"], indexed)
        end = start + len(label["anchor"]) if start is not None else None

        def agrees(record) -> bool:
            if label["number"]:
                return number_key(record.data.get("number") or "") == number_key(label["number"])
            return not record.data.get("number") and same(record.data.get("name"), label["name"])

        candidates = [r for r in unmatched if start is not None and r.char_start < end + 40
                      and r.char_end > start - 40 and agrees(r)]
        if not candidates:
            tally.misses.append((document.rel_path, label["anchor"], label["relation"]))
            continue
        record = min(candidates, key=lambda r: abs(r.char_start - start))
        unmatched.remove(record)
        tally.matched += 1
        data = record.data
        tally.score("relation", data["relation"] == label["relation"])
        if data["relation"] != label["relation"]:
            tally.wrong.append((document.rel_path, label["anchor"][:70],
                                f"{data['relation']} for {label['relation']}"))
        tally.score("type", same(data.get("type"), label["type"]))
        tally.score("date", data.get("date") == label["date"])
        gold = gold_targets.get(number_key(label["number"])) if label["number"] else None
        predicted = directory.find(data.get("number"), data.get("type"), data.get("name"),
                                   data.get("date"))
        tally.score("resolution", predicted == gold)
    tally.false_alarms += [(document.rel_path, document.text[r.char_start:r.char_end][:90],
                            r.data.get("relation")) for r in unmatched]


def corpus_directory() -> tuple[DocumentDirectory, dict[str, str]]:
    """Read every corpus document's header: the directory references resolve against."""
    from indexer.header import extract_metadata
    from indexer.store import DocumentInfo

    infos = []
    for path in sorted((SHARED / "vanban").glob("*.md")):
        meta = extract_metadata([p.text for p in parse_file(path).paragraphs], path.name)
        infos.append(DocumentInfo(path.name, meta.title, meta.doc_number, meta.doc_type,
                                  meta.issuer, meta.issued_date, path.name, "md"))
    gold = {number_key(i.doc_number): i.id for i in infos if i.doc_number}
    return DocumentDirectory(infos), gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split",
                        choices=("dev", "dev2", "tune") + TEST_SPLITS + ("heldout", "all"),
                        default="all", help="tune = dev and dev2, the documents rules are "
                                            "tuned on; the test splits are kept apart; heldout pools them")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--file", help="only this labelled file (e.g. 8718801c503045f9.md)")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: this evaluation needs ../shared")
    labels = [json.loads(line) for path in LABELS if path.exists()
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    heldout = tuple({d["split"] for d in labels if d["split"].startswith("test")})
    wanted = {"tune": ("dev", "dev2"), "all": ("dev", "dev2", "test"),
              "heldout": heldout}.get(args.split, (args.split,))
    labels = [d for d in labels if d["split"] in wanted
              and (not args.file or d["file"].endswith(args.file))]
    extractors = {e.kind: e for e in EXTRACTORS}
    directory, gold_targets = corpus_directory()
    tasks, references = Tally(), Tally()
    for item in labels:
        document = read(SHARED / item["file"])
        if "tasks" in extractors:
            compare_tasks(document, item["tasks"], extractors["tasks"].extract(document), tasks)
        if "references" in extractors:
            compare_references(document, item["references"],
                               extractors["references"].extract(document), directory,
                               gold_targets, references)
    print(f"{len(labels)} documents ({args.split})")
    print(tasks.line("tasks"))
    print(references.line("references"))
    for title, tally in (("tasks", tasks), ("references", references)):
        for kind, items in (("missed", tally.misses), ("false alarm", tally.false_alarms),
                            ("wrong", tally.wrong)):
            for entry in items[:args.show]:
                print(f"{title} {kind}: {entry}")


if __name__ == "__main__":
    main()
