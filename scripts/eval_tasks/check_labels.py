#!/usr/bin/env python3
"""Check the hand-labelled assignment/reference evaluation set (stdlib only).

Usage:
    python3 scripts/eval_tasks/check_labels.py [--labels PATH] [--corpus DIR]

For every document in labels.jsonl it verifies that
  * the record has the expected fields, enums and types, and all strings are NFC;
  * every task anchor and every reference anchor occurs exactly once in the
    document text, after both sides are normalised the same way (NFC, markdown
    emphasis ``**`` ``*`` ``__`` and table pipes ``|`` removed, whitespace
    collapsed);
  * deadline / deadline_iso / deadline_period are mutually consistent;
and prints per-document counts (tasks by kind, references by relation).
Exit status 1 if any error was found.

The corpus directory defaults to $VANKIEN_CORPUS, else ../shared/corpus
relative to the repository root (the ``file`` field is relative to it,
e.g. ``vanban/xxxx.md``).
"""
import argparse
import calendar
import collections
import datetime
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# dev: labels.jsonl with test; dev2: labels_more.jsonl; testN: labels_testN.jsonl, held-out batches
# labelled blind (see README for which were seen once, then tuned on).
SPLITS = re.compile(r"dev2?|test\d*")
DOC_KINDS = {"plan-prose", "plan-table", "decision-list", "conclusion",
             "directive", "official-letter", "amending", "party"}
TASK_KINDS = {"prose", "agency_list", "table", "execution_clause"}
PERIODS = {"day", "month", "quarter", "year", "recurring", "continuous", None}
RELATIONS = {"can_cu", "thuc_hien", "sua_doi", "thay_the", "bai_bo", "dan_chieu"}
TASK_KEYS = ["anchor", "lead", "lead_normalized", "cooperate", "deadline",
             "deadline_iso", "deadline_period", "product", "kind", "generic"]
REF_KEYS = ["anchor", "number", "type", "name", "date", "relation", "issuer"]
DOC_KEYS = ["file", "split", "doc_kind", "province", "issuer", "tasks",
            "references", "notes"]

_WS = re.compile(r"\s+")


def normalize(text):
    """NFC, drop markdown emphasis and table pipes, collapse whitespace."""
    text = unicodedata.normalize("NFC", text)
    for mark in ("**", "__", "*", "|"):
        text = text.replace(mark, " " if mark == "|" else "")
    return _WS.sub(" ", text).strip()


def count_occurrences(haystack, needle):
    count, start = 0, 0
    while True:
        i = haystack.find(needle, start)
        if i < 0:
            return count
        count += 1
        start = i + 1


def parse_iso(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def last_day(year, month):
    return calendar.monthrange(year, month)[1]


def check_deadline(task, err, warn):
    dl, iso, period = task["deadline"], task["deadline_iso"], task["deadline_period"]
    if period not in PERIODS:
        err(f"bad deadline_period {period!r}")
        return
    if dl is None:
        if iso is not None or period is not None:
            err("deadline is null but deadline_iso/deadline_period are not")
        return
    if not isinstance(dl, str) or not dl.strip():
        err("deadline must be a non-empty string or null")
    if period in ("recurring", "continuous", None):
        if iso is not None:
            err(f"deadline_period {period!r} requires deadline_iso null")
        return
    d = parse_iso(iso)
    if d is None:
        err(f"deadline_period {period!r} requires a valid deadline_iso, got {iso!r}")
        return
    if period == "month" and d.day != last_day(d.year, d.month):
        err(f"month deadline must be the month's last day, got {iso}")
    if period == "quarter" and (d.month not in (3, 6, 9, 12)
                                or d.day != last_day(d.year, d.month)):
        err(f"quarter deadline must be a quarter's last day, got {iso}")
    if period == "year" and (d.month, d.day) != (12, 31):
        err(f"year deadline must be 31 December, got {iso}")
    if str(d.year) not in dl:
        warn(f"deadline {dl!r}: year {d.year} of deadline_iso not written in it")


def check_strings_nfc(obj, err, path="record"):
    if isinstance(obj, str):
        if unicodedata.normalize("NFC", obj) != obj:
            err(f"{path}: string is not NFC: {obj[:40]!r}")
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            check_strings_nfc(x, err, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            check_strings_nfc(v, err, f"{path}.{k}")


def check_doc(rec, corpus, errors, warnings):
    fname = rec.get("file", "?")

    def err(msg):
        errors.append(f"{fname}: {msg}")

    def warn(msg):
        warnings.append(f"{fname}: {msg}")

    for k in DOC_KEYS:
        if k not in rec:
            err(f"missing field {k!r}")
    if errors and any(e.startswith(f"{fname}: missing field") for e in errors):
        return None
    check_strings_nfc(rec, err)
    if not SPLITS.fullmatch(str(rec["split"])):
        err(f"bad split {rec['split']!r}")
    if rec["doc_kind"] not in DOC_KINDS:
        err(f"bad doc_kind {rec['doc_kind']!r}")
    path = os.path.join(corpus, fname)
    try:
        with open(path, encoding="utf-8") as fh:
            text = normalize(fh.read())
    except OSError as exc:
        err(f"cannot read document: {exc}")
        return None

    def check_anchor(anchor, what):
        if not isinstance(anchor, str) or not anchor.strip():
            err(f"{what}: empty anchor")
            return
        a = normalize(anchor)
        if a != anchor.strip():
            err(f"{what}: anchor contains markup or irregular whitespace: {anchor!r}")
        n = count_occurrences(text, a)
        if n != 1:
            err(f"{what}: anchor occurs {n} times: {anchor!r}")

    task_kinds = collections.Counter()
    generic = 0
    seen = set()
    for i, t in enumerate(rec["tasks"]):
        what = f"task[{i}]"
        missing = [k for k in TASK_KEYS if k not in t]
        if missing:
            err(f"{what}: missing {missing}")
            continue
        extra = set(t) - set(TASK_KEYS)
        if extra:
            err(f"{what}: unknown fields {sorted(extra)}")
        check_anchor(t["anchor"], what)
        if t["anchor"] in seen:
            err(f"{what}: duplicate anchor {t['anchor']!r}")
        seen.add(t["anchor"])
        if not isinstance(t["lead"], list) or not t["lead"]:
            err(f"{what}: lead must be a non-empty list")
        elif (not isinstance(t["lead_normalized"], list)
              or len(t["lead_normalized"]) != len(t["lead"])):
            err(f"{what}: lead_normalized must be a list as long as lead")
        if not isinstance(t["cooperate"], list):
            err(f"{what}: cooperate must be a list")
        if t["kind"] not in TASK_KINDS:
            err(f"{what}: bad kind {t['kind']!r}")
        if not isinstance(t["generic"], bool):
            err(f"{what}: generic must be a boolean")
        if t["product"] is not None and not isinstance(t["product"], str):
            err(f"{what}: product must be a string or null")
        check_deadline(t, lambda m, w=what: err(f"{w}: {m}"),
                       lambda m, w=what: warn(f"{w}: {m}"))
        task_kinds[t["kind"]] += 1
        generic += bool(t["generic"])

    rels = collections.Counter()
    for i, r in enumerate(rec["references"]):
        what = f"reference[{i}]"
        missing = [k for k in REF_KEYS if k not in r]
        if missing:
            err(f"{what}: missing {missing}")
            continue
        extra = set(r) - set(REF_KEYS)
        if extra:
            err(f"{what}: unknown fields {sorted(extra)}")
        check_anchor(r["anchor"], what)
        if r["anchor"] in seen:
            err(f"{what}: duplicate anchor {r['anchor']!r}")
        seen.add(r["anchor"])
        if r["relation"] not in RELATIONS:
            err(f"{what}: bad relation {r['relation']!r}")
        if r["number"] is not None and (not isinstance(r["number"], str)
                                        or re.search(r"\s", r["number"])):
            err(f"{what}: number must be a string without spaces or null")
        if r["number"] is None and not r["name"]:
            err(f"{what}: an unnumbered reference needs a name")
        if not r["type"]:
            err(f"{what}: type is required")
        if r["date"] is not None and parse_iso(r["date"]) is None:
            err(f"{what}: bad date {r['date']!r}")
        rels[r["relation"]] += 1
    return task_kinds, generic, rels


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", default=os.path.join(HERE, "labels.jsonl"))
    ap.add_argument("--corpus", default=os.environ.get(
        "VANKIEN_CORPUS", os.path.join(os.path.dirname(REPO), "shared", "corpus")))
    args = ap.parse_args(argv)

    errors, warnings = [], []
    rows = []
    files = set()
    with open(args.labels, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {ln}: invalid JSON: {exc}")
                continue
            if rec.get("file") in files:
                errors.append(f"line {ln}: duplicate file {rec.get('file')}")
            files.add(rec.get("file"))
            res = check_doc(rec, args.corpus, errors, warnings)
            if res:
                rows.append((rec, *res))

    rel_order = ["can_cu", "thuc_hien", "sua_doi", "thay_the", "bai_bo", "dan_chieu"]
    header = (f"{'file':<28} {'split':<5} {'doc_kind':<16} {'tasks':>5} "
              f"{'prose':>5} {'list':>4} {'table':>5} {'exec':>4} {'gen':>4} "
              f"{'refs':>4} " + " ".join(f"{r:>9}" for r in rel_order))
    print(header)
    print("-" * len(header))
    tot_t, tot_r = collections.Counter(), collections.Counter()
    split_counts = collections.Counter()
    for rec, kinds, generic, rels in rows:
        nt, nr = sum(kinds.values()), sum(rels.values())
        split_counts[rec["split"]] += 1
        tot_t.update(kinds)
        tot_t["_generic"] += generic
        tot_r.update(rels)
        print(f"{rec['file']:<28} {rec['split']:<5} {rec['doc_kind']:<16} {nt:>5} "
              f"{kinds['prose']:>5} {kinds['agency_list']:>4} {kinds['table']:>5} "
              f"{kinds['execution_clause']:>4} {generic:>4} {nr:>4} "
              + " ".join(f"{rels[r]:>9}" for r in rel_order))
    print("-" * len(header))
    nt = sum(v for k, v in tot_t.items() if not k.startswith("_"))
    print(f"{'TOTAL':<28} {'':<5} {'':<16} {nt:>5} {tot_t['prose']:>5} "
          f"{tot_t['agency_list']:>4} {tot_t['table']:>5} "
          f"{tot_t['execution_clause']:>4} {tot_t['_generic']:>4} "
          f"{sum(tot_r.values()):>4} " + " ".join(f"{tot_r[r]:>9}" for r in rel_order))
    print(f"documents: {len(rows)} ({', '.join(f'{k}={v}' for k, v in sorted(split_counts.items()))})")
    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
