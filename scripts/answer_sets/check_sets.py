#!/usr/bin/env python3
"""Check the answer evaluation sets in this folder (stdlib only).

    python3 scripts/answer_sets/check_sets.py [--shared DIR] [--no-corpus-checks]

domain_questions.jsonl
  * every line has qid, kind, query, answer, file, evidence, highlight; qids unique;
  * kind is one of who / when / how_much / what / list / unaccented (unaccented lines
    also carry base_kind, the kind of question typed without diacritics);
  * answer, evidence and highlight occur in the named file's normalised text
    (NFC, markdown ** / * / | removed, whitespace collapsed), and answer and
    highlight occur inside evidence;
  * unaccented queries contain no Vietnamese diacritics and no đ; the others do;
  * kinds and distinct documents are counted.

unanswerable_vanban.jsonl / unanswerable_vilqa.jsonl
  * every line has qid, query, derived_from, swap, swapped, check; qids unique;
  * derived_from exists (domain qids, or ViLQA qids in eval/vilqa/queries.jsonl);
  * unless --no-corpus-checks: every clause of the `check` text is re-run against
    the corpus (570 vanban documents, or the 304 ViLQA passages): the quoted terms
    must not occur together (same document / passage, or within the stated number
    of characters) anywhere.  The search is on lower-cased NFC text with one
    tone-mark convention (hoà = hòa), and terms must match at word boundaries.

Exit status 0 when everything passes, 1 otherwise.
"""
import argparse
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"who", "when", "how_much", "what", "list", "unaccented"}
BASE_KINDS = KINDS - {"unaccented"}
VANBAN_SWAPS = {"province", "year", "agency", "number", "subject"}
VILQA_SWAPS = {"subject", "law", "number", "actor"}

errors = []


def err(msg):
    errors.append(msg)


def norm_doc(text):
    """The normalisation the brief asks for: NFC, markdown ** / * / | stripped,
    whitespace collapsed."""
    t = unicodedata.normalize("NFC", text)
    t = t.replace("**", "").replace("*", "").replace("|", " ")
    return re.sub(r"\s+", " ", t).strip()


TONE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
        "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
        "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
TONE_RX = re.compile("|".join(TONE))
WORD = "0-9a-zà-ỹđ"


def search_form(text):
    """Lower-cased NFC with one tone-mark convention, whitespace collapsed."""
    t = unicodedata.normalize("NFC", text).lower()
    t = TONE_RX.sub(lambda m: TONE[m.group(0)], t)
    return re.sub(r"\s+", " ", t)


def term_rx(term):
    return re.compile(r"(?<![%s])%s(?![%s])" % (WORD, re.escape(search_form(term)), WORD))


def has_diacritics(s):
    if "đ" in s.lower():
        return True
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", s))


def read_jsonl(path, label):
    rows = []
    if not path.exists():
        err("%s: file missing (%s)" % (label, path))
        return rows
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err("%s: not UTF-8 (%s)" % (label, e))
        return rows
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if unicodedata.normalize("NFC", line) != line:
            err("%s:%d: line is not NFC" % (label, n))
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            err("%s:%d: bad JSON (%s)" % (label, n, e))
    return rows


def unique_qids(rows, label, prefix):
    c = Counter(r.get("qid") for r in rows)
    for q, k in c.items():
        if k > 1:
            err("%s: duplicate qid %s" % (label, q))
        if not isinstance(q, str) or not q.startswith(prefix):
            err("%s: qid %r does not start with %r" % (label, q, prefix))
    qs = Counter(r.get("query") for r in rows)
    for q, k in qs.items():
        if k > 1:
            err("%s: duplicate query %r" % (label, q))


def check_domain(rows, shared):
    label = "domain_questions.jsonl"
    unique_qids(rows, label, "dom-")
    cache = {}
    kinds, base = Counter(), Counter()
    files = Counter()
    for r in rows:
        qid = r.get("qid")
        for k in ("qid", "kind", "query", "answer", "file", "evidence", "highlight"):
            if not isinstance(r.get(k), str) or not r.get(k).strip():
                err("%s %s: missing or empty field %s" % (label, qid, k))
        kind = r.get("kind")
        kinds[kind] += 1
        if kind not in KINDS:
            err("%s %s: unknown kind %r" % (label, qid, kind))
        if kind == "unaccented":
            bk = r.get("base_kind")
            base[bk] += 1
            if bk not in BASE_KINDS:
                err("%s %s: unaccented line needs base_kind in %s" % (label, qid, sorted(BASE_KINDS)))
            if has_diacritics(r.get("query", "")):
                err("%s %s: unaccented query has diacritics: %r" % (label, qid, r.get("query")))
        elif not has_diacritics(r.get("query", "")):
            err("%s %s: query has no diacritics but kind is %s" % (label, qid, kind))
        f = r.get("file", "")
        files[f] += 1
        path = shared / "corpus" / f
        if f not in cache:
            cache[f] = norm_doc(path.read_text(encoding="utf-8")) if path.exists() else None
        doc = cache[f]
        if doc is None:
            err("%s %s: file not found: %s" % (label, qid, path))
            continue
        ev = norm_doc(r.get("evidence", ""))
        for k in ("answer", "evidence", "highlight"):
            v = norm_doc(r.get(k, ""))
            if v and v not in doc:
                err("%s %s: %s not in %s: %r" % (label, qid, k, f, r.get(k)))
        for k in ("answer", "highlight"):
            v = norm_doc(r.get(k, ""))
            if v and v not in ev:
                err("%s %s: %s not inside evidence" % (label, qid, k))
    print("%s: %d questions, %d distinct documents" % (label, len(rows), len(files)))
    print("  kinds: " + ", ".join("%s=%d" % (k, kinds[k]) for k in
                                  ("who", "when", "how_much", "what", "list", "unaccented")))
    if base:
        print("  unaccented by base kind: " + ", ".join("%s=%d" % kv for kv in sorted(base.items())))
    return {r["qid"] for r in rows if "qid" in r}


CLAUSE_RX = re.compile(r"within (\d+) characters")


def parse_checks(check):
    """Yield (terms, window) for each clause of a `check` string written as
    "no document mentions 'A' together with 'B' within N characters (...)" or
    "no document contains 'A' (...)"; clauses are separated by ';'."""
    for clause in check.split(";"):
        clause = re.sub(r"\([^)]*\)", "", clause)  # drop the "(exact: 0 ...)" notes
        terms = re.findall(r"'([^']+)'", clause)
        if not terms:
            continue
        m = CLAUSE_RX.search(clause)
        yield terms, int(m.group(1)) if m else None


def corpus_hits(texts, terms, window):
    rxs = [term_rx(t) for t in terms]
    hits = []
    for key, t in texts.items():
        if not all(r.search(t) for r in rxs):
            continue
        if window is None:
            hits.append(key)
            continue
        for m in rxs[0].finditer(t):
            seg = t[max(0, m.start() - window): m.end() + window]
            if all(r.search(seg) for r in rxs[1:]):
                hits.append(key)
                break
    return hits


def check_unanswerable(rows, label, prefix, known, swaps, texts):
    unique_qids(rows, label, prefix)
    sw = Counter()
    clauses = 0
    for r in rows:
        qid = r.get("qid")
        for k in ("qid", "query", "derived_from", "swap", "swapped", "check"):
            if not isinstance(r.get(k), str) or not r.get(k).strip():
                err("%s %s: missing or empty field %s" % (label, qid, k))
        if r.get("derived_from") not in known:
            err("%s %s: derived_from %r does not exist" % (label, qid, r.get("derived_from")))
        sw[r.get("swap")] += 1
        if r.get("swap") not in swaps:
            err("%s %s: swap %r not in %s" % (label, qid, r.get("swap"), sorted(swaps)))
        if "→" not in r.get("swapped", ""):
            err("%s %s: swapped should read 'old→new'" % (label, qid))
        if texts is not None:
            parsed = list(parse_checks(r.get("check", "")))
            if not parsed:
                err("%s %s: check text has no quoted terms to verify" % (label, qid))
            for terms, window in parsed:
                clauses += 1
                hits = corpus_hits(texts, terms, window)
                if hits:
                    err("%s %s: check %s%s fails, found in %s" % (
                        label, qid, terms, " within %d" % window if window else "", hits[:3]))
    print("%s: %d questions; swaps: %s" % (label, len(rows), ", ".join(
        "%s=%d" % kv for kv in sorted(sw.items()))))
    if texts is not None:
        print("  re-ran %d corpus check clauses" % clauses)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # scripts/answer_sets/ -> repository root -> ../shared (the project's layout)
    guess = HERE.parents[2] / "shared" if len(HERE.parents) > 2 else Path("../shared")
    default_shared = os.environ.get("VANKIEN_SHARED") or str(guess)
    ap.add_argument("--shared", default=default_shared,
                    help="folder holding corpus/ and eval/vilqa/ (default: %(default)s)")
    ap.add_argument("--no-corpus-checks", action="store_true",
                    help="skip re-running the unanswerable sets' corpus checks")
    a = ap.parse_args()
    shared = Path(a.shared)

    dom = read_jsonl(HERE / "domain_questions.jsonl", "domain_questions.jsonl")
    dom_ids = check_domain(dom, shared)

    vq_path = shared / "eval" / "vilqa" / "queries.jsonl"
    vilqa_ids = {json.loads(l)["qid"] for l in vq_path.read_text(encoding="utf-8").splitlines() if l.strip()}

    van_texts = vil_texts = None
    if not a.no_corpus_checks:
        van_texts = {}
        for line in (shared / "corpus" / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                f = json.loads(line)["file"]
                van_texts[f] = search_form(norm_doc((shared / "corpus" / f).read_text(encoding="utf-8")))
        vil_texts = {}
        for line in (shared / "eval" / "vilqa" / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                p = json.loads(line)
                vil_texts[p["id"]] = search_form(p["title"] + " \n " + p["text"])

    unv = read_jsonl(HERE / "unanswerable_vanban.jsonl", "unanswerable_vanban.jsonl")
    check_unanswerable(unv, "unanswerable_vanban.jsonl", "unv-", dom_ids, VANBAN_SWAPS, van_texts)
    unq = read_jsonl(HERE / "unanswerable_vilqa.jsonl", "unanswerable_vilqa.jsonl")
    check_unanswerable(unq, "unanswerable_vilqa.jsonl", "unq-", vilqa_ids, VILQA_SWAPS, vil_texts)

    if errors:
        print("\n%d problem(s):" % len(errors))
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
