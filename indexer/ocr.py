"""Read scanned pages with Tesseract and its Vietnamese model.

PDF pages are rendered with pypdfium2, images are read with Pillow; each page is turned to
grey, cleaned of specks when it is noisy, straightened, and recognised by its own `tesseract`
process, as many at once as there are cores. Results are cached by the file's content hash, so no file is recognised twice.
The resolution, the ink channel, the noise filter and the confidence threshold were chosen by
measurement:
`scripts/bench_ocr.py`, and the README's OCR section.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
from PIL import Image, ImageFilter, ImageSequence, UnidentifiedImageError

from .errors import OcrFailed, OcrUnavailable, UnreadableDocument, VankienError

log = logging.getLogger(__name__)

MODES = ("auto", "always", "never")
LANGUAGE = "vie"
RENDER_DPI = 300  # measured: 200 dpi reads 9 pt print worse; 400 dpi gains nothing, costs 1/3 more
MAX_SIDE = 7200  # pixels; bigger pages (maps, posters) are rendered smaller than RENDER_DPI
LOW_CONFIDENCE = 85.0  # mean word confidence under which a page is flagged (see the README)
NOISE_LEVEL = 2.5  # grey levels a 3×3 median changes on average; clean scans measure ≤ 1.5
MIN_SKEW = 0.5  # degrees; Tesseract copes with less, and every rotation blurs a little
MAX_SKEW = 10.0
PAGE_TIMEOUT = 300  # seconds for one page
A4_LONG_SIDE = 11.69  # inches: guesses the resolution of an image that does not say it
# Bump when rendering or preprocessing changes, so that cached pages are recognised again.
REVISION = 1

Progress = Callable[[int, str], object]  # returns a bar with update(n) and close()


@dataclass(frozen=True)
class OcrPage:
    number: int  # 1-based
    lines: tuple[str, ...]
    confidence: float | None  # mean word confidence, 0–100; None when no word was found


@dataclass(frozen=True)
class Tesseract:
    command: str
    version: str
    orientation: bool  # the 'osd' model is installed: pages turned 90° or 180° are read too


def find_tesseract(command: str = "tesseract") -> Tesseract:
    """Return the installed Tesseract; raise OcrUnavailable if it or its Vietnamese model is missing."""
    path = shutil.which(command)
    if path is None:
        raise OcrUnavailable("Tesseract is not installed")
    try:
        listed = subprocess.run([path, "--list-langs"], capture_output=True, text=True,
                                timeout=60, check=True)
        version = subprocess.run([path, "--version"], capture_output=True, text=True,
                                 timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract at {path} does not run ({exc})") from exc
    # The first line is a heading: 'List of available languages in "…" (3):'.
    languages = set(listed.stdout.split("\n")[1:]) | set(listed.stderr.split("\n")[1:])
    if LANGUAGE not in {language.strip() for language in languages}:
        raise OcrUnavailable("Tesseract has no Vietnamese model ('vie')")
    first_line = (version.stdout or version.stderr).strip().split("\n")[0]
    return Tesseract(path, first_line, "osd" in {language.strip() for language in languages})


# --- pages as images --------------------------------------------------------------------

def render_pdf(data: bytes, numbers: Iterable[int], dpi: int = RENDER_DPI
               ) -> Iterator[tuple[int, Image.Image, int]]:
    """Yield (page number, image, resolution) for the given 1-based pages of a PDF.

    pdfium is not thread-safe, so pages are rendered one after another by the caller's thread.
    """
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            width, height = page.get_size()  # in points, 72 to the inch
            scale = min(dpi / 72, MAX_SIDE / max(width, height, 1))
            yield number, page.render(scale=scale).to_pil(), round(scale * 72)
            page.close()
    finally:
        pdf.close()


def count_frames(data: bytes) -> int:
    """Return the number of pages of an image file; raise OcrFailed if it is no image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise OcrFailed(f"not a readable image ({exc})") from exc


def image_frames(data: bytes) -> Iterator[tuple[int, Image.Image, int]]:
    """Yield (page number, image, resolution) for each page of an image file (TIFFs have several).

    Pages under RENDER_DPI are enlarged to it, as a PDF page would be rendered; a resolution
    the file does not state is guessed from an A4 page.
    """
    with Image.open(io.BytesIO(data)) as image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            frame = frame.copy()
            stated = (frame.info.get("dpi") or image.info.get("dpi") or (0, 0))[0]
            dpi = stated if 70 <= stated <= 1200 else max(frame.size) / A4_LONG_SIDE
            if dpi < RENDER_DPI * 0.85:
                factor = RENDER_DPI / dpi
                size = (round(frame.width * factor), round(frame.height * factor))
                frame = frame.convert("RGB" if frame.mode not in ("L", "1") else "L")
                frame, dpi = frame.resize(size, Image.Resampling.LANCZOS), RENDER_DPI
            yield number, frame, round(dpi)


def greyscale(image: Image.Image) -> Image.Image:
    """Return the page in grey, taken from the red channel of a colour page.

    Stamps and seals are red: in the red channel they turn light and the black text under them
    stays dark. Text printed in red fades with them (measured in scripts/bench_ocr.py).
    """
    if image.mode in ("L", "1", "I", "I;16", "F"):
        return image.convert("L")
    return image.convert("RGB").getchannel("R")


def denoise(image: Image.Image) -> Image.Image:
    """Remove grain and specks from a grey page with a 3×3 median filter, if the page is noisy.

    Measured on a sample from the middle of the page: the filter costs about as much as a
    third of the recognition, and clean pages gain nothing from it.
    """
    left, top = image.width // 4, image.height // 4
    sample = image.crop((left, top, min(image.width, left + 600), min(image.height, top + 600)))
    smoothed = sample.filter(ImageFilter.MedianFilter(3))
    change = np.abs(np.asarray(sample, dtype=np.int16) - np.asarray(smoothed, dtype=np.int16))
    return image.filter(ImageFilter.MedianFilter(3)) if change.mean() > NOISE_LEVEL else image


def skew_angle(image: Image.Image) -> float:
    """Return the angle in degrees (counter-clockwise) that makes a page's text lines level.

    Projection profile: rotated the right way, the rows of ink pixels alternate sharply
    between text lines and the gaps between them.
    """
    small = image.convert("L")
    small = small.reduce(max(1, small.width // 800))
    ink = small.point(lambda value: 255 if value < 128 else 0)
    if not np.asarray(ink).any():
        return 0.0

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, fillcolor=0), dtype=np.float64).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.1, 1.0), key=sharpness)
    return float(max(np.arange(coarse - 1, coarse + 1.01, 0.1), key=sharpness))


def straighten(image: Image.Image) -> Image.Image:
    """Rotate a grey page so its text lines are level (only when it is noticeably skewed)."""
    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


# --- recognition --------------------------------------------------------------------------

def recognise(tesseract: Tesseract, image: Image.Image, dpi: int, number: int = 1) -> OcrPage:
    """Run Tesseract on one grey page; return its lines and mean word confidence."""
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # uncompressed: the quickest for both sides of the pipe
    # --psm 1 finds the page's orientation first (needs 'osd'); --psm 3 assumes it is upright.
    command = [tesseract.command, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi),
               "--psm", "1" if tesseract.orientation else "3", "tsv"]
    # One thread per process: pages run in parallel, and Tesseract's own threads only contend.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(command, input=buffer.getvalue(), capture_output=True,
                                timeout=PAGE_TIMEOUT, env=env)
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(f"page {number} took over {PAGE_TIMEOUT} s") from exc
    except OSError as exc:
        raise OcrFailed(f"cannot run Tesseract ({exc})") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().split("\n")[-1]
        raise OcrFailed(f"Tesseract failed on page {number}: {message}")
    return parse_tsv(result.stdout.decode("utf-8", "replace"), number)


def parse_tsv(tsv: str, number: int = 1) -> OcrPage:
    """Turn Tesseract's TSV output into lines of words and their mean confidence."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.split("\n")[1:]:
        cells = row.split("\t")
        # level 5 is a word; columns 2–4 number its block, paragraph and line
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        confidence = float(cells[10])
        if confidence < 0:
            continue
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(cells[11].strip())
        confidences.append(confidence)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return OcrPage(number, tuple(" ".join(words) for words in lines.values()), mean)


def prepare(image: Image.Image) -> Image.Image:
    """Turn a scanned page into what Tesseract reads best: grey, without specks, level."""
    return straighten(denoise(greyscale(image)))


def read_page(tesseract: Tesseract, number: int, image: Image.Image, dpi: int) -> OcrPage:
    """Prepare one page image and recognise it."""
    return recognise(tesseract, prepare(image), dpi, number)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class OcrReader:
    """OCR for one reindex run: finds Tesseract when first needed, caches pages, counts its work.

    `mode` is 'auto' (pages without a text layer), 'always' (every PDF page) or 'never'.
    `cache_dir` keeps one JSON file per file hash; without it nothing is cached.
    """

    def __init__(self, mode: str = "auto", cache_dir: Path | None = None, *,
                 workers: int | None = None, progress: Progress | None = None,
                 command: str = "tesseract", dpi: int = RENDER_DPI):
        if mode not in MODES:
            raise VankienError(f"OCR mode must be one of {', '.join(MODES)}, not '{mode}'")
        self.mode, self.cache_dir, self.dpi = mode, cache_dir, dpi
        self.workers = workers or _cores()
        self.progress, self.command = progress, command
        self._tesseract: Tesseract | None = None
        self.unavailable: OcrUnavailable | None = None
        self.not_read: list[str] = []  # files that needed OCR while it was unavailable
        self.pages_read = 0
        self.pages_cached = 0
        self.seconds = 0.0

    @property
    def enabled(self) -> bool:
        return self.mode != "never"

    def tesseract(self) -> Tesseract:
        """Return Tesseract, looked for once; raise OcrUnavailable every time it is missing."""
        if self._tesseract is None and self.unavailable is None:
            try:
                self._tesseract = find_tesseract(self.command)
            except OcrUnavailable as exc:
                log.warning("%s", exc)
                self.unavailable = exc
        if self.unavailable is not None:
            raise self.unavailable
        return self._tesseract

    def read_pdf(self, path: Path, data: bytes, numbers: list[int]) -> dict[int, OcrPage]:
        """Recognise the given 1-based pages of a PDF."""
        return self._read(path, data, numbers, lambda todo: render_pdf(data, todo, self.dpi))

    def read_image(self, path: Path, data: bytes) -> dict[int, OcrPage]:
        """Recognise every page of an image file."""
        try:
            numbers = list(range(1, count_frames(data) + 1))
        except OcrFailed as exc:
            raise UnreadableDocument(path, str(exc)) from exc

        def frames(todo: list[int]):
            return ((n, image, dpi) for n, image, dpi in image_frames(data) if n in set(todo))

        return self._read(path, data, numbers, frames)

    def _read(self, path: Path, data: bytes, numbers: list[int],
              images: Callable[[list[int]], Iterator[tuple[int, Image.Image, int]]]
              ) -> dict[int, OcrPage]:
        file_hash = hashlib.sha256(data).hexdigest()
        cached = self._load(file_hash)
        found = {n: cached[n] for n in numbers if n in cached}
        todo = [n for n in numbers if n not in found]
        if todo:
            try:
                tesseract = self.tesseract()
            except OcrUnavailable:
                self.not_read.append(str(path))
                raise
            started = time.perf_counter()
            found.update(self._recognise_all(path, tesseract, images(todo), len(todo)))
            self.seconds += time.perf_counter() - started
            self.pages_read += len(todo)
            self._store(file_hash, {**cached, **found})
        self.pages_cached += len(numbers) - len(todo)
        return {n: found[n] for n in numbers}

    def _recognise_all(self, path: Path, tesseract: Tesseract, images, total: int
                       ) -> dict[int, OcrPage]:
        bar = self.progress(total, f"OCR {path.name}") if self.progress else None
        pages: dict[int, OcrPage] = {}

        def collect(done):
            for future in done:
                try:
                    page = future.result()
                except OcrFailed as exc:
                    raise UnreadableDocument(path, f"OCR failed: {exc}") from exc
                pages[page.number] = page
                if bar:
                    bar.update(1)

        pool = ThreadPoolExecutor(self.workers)
        try:
            pending = set()
            try:
                for number, image, dpi in images:
                    pending.add(pool.submit(read_page, tesseract, number, image, dpi))
                    # Rendered pages wait in memory; a few per worker keep every core busy.
                    if len(pending) >= 2 * self.workers:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        collect(done)
            except (OSError, ValueError, RuntimeError) as exc:
                # pypdfium2 and Pillow report damaged pages through these.
                raise UnreadableDocument(path, f"cannot render page for OCR ({exc})") from exc
            collect(wait(pending)[0])
        finally:
            pool.shutdown(cancel_futures=True)
            if bar:
                bar.close()
        return pages

    # --- cache: cache_dir/<sha256 of the file>.json ------------------------------------

    def _engine(self) -> str:
        return f"{LANGUAGE} {self.dpi}dpi r{REVISION}"

    def _load(self, file_hash: str) -> dict[int, OcrPage]:
        if self.cache_dir is None:
            return {}
        try:
            data = json.loads((self.cache_dir / f"{file_hash}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("engine") != self._engine():
            return {}
        return {int(n): OcrPage(int(n), tuple(page["lines"]), page["confidence"])
                for n, page in data.get("pages", {}).items()}

    def _store(self, file_hash: str, pages: dict[int, OcrPage]) -> None:
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        path = self.cache_dir / f"{file_hash}.json"
        content = {"engine": self._engine(),
                   "pages": {str(n): {"lines": list(p.lines), "confidence": p.confidence}
                             for n, p in sorted(pages.items())}}
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)  # readers see the old file or the new one, never half
