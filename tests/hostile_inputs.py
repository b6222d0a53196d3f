"""Hostile inputs for the robustness battery (issue 12), built on the fly.

Every generator writes one hostile file into the folder it is given and returns its path;
the index-damage helpers break one part of an existing index directory in place and return
the path of what they broke. Nothing here is a committed fixture: bombs are generated small
on disk (a 1 MB PDF that inflates to 1 GiB, a 5 MB DOCX that inflates to 1 GiB) by code that
stays under a few seconds and a few MB of memory.

This is a plain module, imported by the tests (pytest puts tests/ on sys.path) and by
scripts/hostile.py, so it imports nothing from pytest. Only the OCR scan needs Pillow (a
dependency of the project), imported where it is used.

Marker words: each document carries a made-up word found nowhere else, so a test can search
for it and tell whether exactly that text was (or was not) indexed. Markers are plain ASCII,
so they are the same with or without diacritic folding.
"""
from __future__ import annotations

import json
import os
import random
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

# --- marker words ---------------------------------------------------------------------------

GOOD_MARKERS = {"ke-hoach-tot.txt": "dauhieutxt", "nghi-quyet-tot.md": "dauhieumd",
                "bao-cao-tot.docx": "dauhieudocx"}
NON_UTF8_MARKER = "dauhieutenhong"        # text of the file whose name is not UTF-8
COMMENT_MARKER = "dauhieughichu"           # text of the ordinary DOCX with an XML comment
ENTITY_MARKER = "dauhieubimat"             # value of an internal DTD entity: must NOT be indexed
EXTERNAL_MARKER = "dauhieungoai"           # content of an external entity's target: must NOT be
ENTITY_VISIBLE_MARKER = "dauhieucongkhai"  # the same DOCX's own visible text
SYMLINK_MARKER = "dauhieulienket"          # content outside the indexed folders, behind a symlink
NEWLINE_MARKER = "dauhieuxuongdong"        # text of the file whose name holds a newline
OCR_PHRASE = "Biên bản kiểm tra công tác lưu trữ hồ sơ"  # words the OCR'd scan shows

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GiB = 2**30
MiB = 2**20


# --- DOCX -----------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _document_xml(body: str, doctype: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype
            + f'<w:document xmlns:w="{WORD_NS}"><w:body>{body}</w:body></w:document>')


def _write_docx(path: Path, document_xml: str) -> Path:
    """Write the three parts python-docx needs; nothing else, so the test controls it all."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document_xml)
    return path


def docx_of(path: Path, paragraphs: list[str]) -> Path:
    """Write a well-formed DOCX holding `paragraphs` (a helper for the good documents)."""
    return _write_docx(path, _document_xml("".join(map(_paragraph, paragraphs))))


def docx_with_comment(folder: Path) -> Path:
    """An ordinary DOCX with an XML comment in its body: lxml gives comment nodes a function
    as .tag, which breaks readers that assume every child is an element."""
    body = (_paragraph("BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
            + "<!-- ghi chú của người soạn thảo -->"
            + _paragraph(f"Các sở, ngành hoàn thành kế hoạch năm {COMMENT_MARKER} đúng hạn.")
            + "<w:p><w:r><!-- chú thích trong đoạn --><w:t>Nơi nhận: như trên.</w:t></w:r></w:p>")
    return _write_docx(Path(folder) / "bao-cao-co-ghi-chu.docx", _document_xml(body))


def docx_with_doctype_entity(folder: Path, outside: Path | None = None) -> Path:
    """A DOCX whose document.xml declares a DTD with an internal entity (value ENTITY_MARKER)
    and an external one (a file holding EXTERNAL_MARKER): resolving either is XML injection
    (XXE); the marker words must never reach the index.

    The external entity's target goes to `outside` (a folder that is not indexed) or, without
    it, to a dotfile in `folder` (the walk skips dotfiles, so only the entity could carry it in).
    """
    target_dir = Path(outside) if outside is not None else Path(folder)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / (".bi-mat-ngoai.txt" if outside is None else "bi-mat-ngoai.txt")
    target.write_text(f"Nội dung mật {EXTERNAL_MARKER}\n", encoding="utf-8")
    doctype = (f'<!DOCTYPE w:document [\n  <!ENTITY bimat "{ENTITY_MARKER}">\n'
               f'  <!ENTITY ngoai SYSTEM "{target.absolute().as_uri()}">\n]>\n')
    body = (_paragraph(f"Thông báo công khai {ENTITY_VISIBLE_MARKER} về lịch tiếp công dân.")
            + '<w:p><w:r><w:t xml:space="preserve">Phần mật: &bimat; và &ngoai; hết.'
              '</w:t></w:r></w:p>')
    return _write_docx(Path(folder) / "thong-bao-co-dtd.docx", _document_xml(body, doctype))


def docx_billion_laughs(folder: Path) -> Path:
    """A DOCX with the classic entity bomb: nine nested entities that would expand to 3 GB
    of "lol" (10**9 copies) in a file under 1 KB."""
    lines = ['<!ENTITY lol "lol">']
    for level in range(1, 10):
        previous = "lol" if level == 1 else f"lol{level - 1}"
        lines.append(f'<!ENTITY lol{level} "{("&" + previous + ";") * 10}">')
    doctype = "<!DOCTYPE w:document [\n  " + "\n  ".join(lines) + "\n]>\n"
    body = _paragraph("Tờ trình về việc phê duyệt dự án") + "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return _write_docx(Path(folder) / "to-trinh-bom-thuc-the.docx", _document_xml(body, doctype))


def docx_zip_bomb(folder: Path, inflated: int = GiB) -> Path:
    """A DOCX whose word/document.xml inflates to `inflated` bytes (1 GiB) of whitespace
    between two paragraphs, about 5 MB on disk: a reader that inflates the part into memory
    needs over 1 GB before the XML parser even starts.

    Compression level 1: deflate at level 6 makes a 1 MB file but takes 4 s per GiB; level 1
    takes about 1 s and 5 MB, still "a few MB".
    """
    path = Path(folder) / "quyet-dinh-bom-zip.docx"
    head, tail = _document_xml(_paragraph("QUYẾT ĐỊNH về việc ban hành quy chế") + "\0").split("\0")
    chunk = b" " * MiB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head.encode("utf-8"))
            remaining = inflated
            while remaining > 0:  # written in 1 MiB pieces: memory stays flat
                part.write(chunk[:min(remaining, MiB)])
                remaining -= MiB
            part.write((_paragraph("Điều 1. Hiệu lực thi hành") + tail).encode("utf-8"))
    return path


# --- PDF (raw syntax) ------------------------------------------------------------------------

def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """Assemble a PDF from bodies of objects 1..n with a classic cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _text_content(text: str) -> bytes:
    """A content stream showing one line of (Latin-1) text in Helvetica."""
    literal = text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"BT /F1 12 Tf 72 720 Td (" + literal + b") Tj ET"


def _page(parent: int, contents: int, font: int) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (parent, font, contents))


def _deflate_repeated(unit: bytes, count: int) -> bytes:
    """Return the zlib stream of `unit` repeated `count` times, without compressing it all.

    After a full flush, deflate forgets its history, so every further copy of `unit` comes
    out as the same bytes: compress it twice, repeat the second result, and end with an empty
    final block and the Adler-32 of the whole (computed copy by copy; ~0.6 s per GiB).
    """
    compressor = zlib.compressobj(9)
    first = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(unit, checksum)
    return first + again * (count - 1) + b"\x03\x00" + struct.pack(">I", checksum)


def pdf_flate_bomb(folder: Path, inflated: int = GiB) -> Path:
    """A one-page PDF of about 1 MB whose /FlateDecode content stream inflates to `inflated`
    bytes (1 GiB) of whitespace: decoding it whole exhausts memory (pypdf stops at 75 MB
    with LimitReachedError)."""
    bomb = _deflate_repeated(b" " * MiB, max(1, inflated // MiB))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               _page(2, 4, 5),
               _stream(bomb, b"/Filter /FlateDecode "),
               _FONT]
    path = Path(folder) / "bao-cao-bom-flate.pdf"
    path.write_bytes(_pdf(objects))
    return path


def pdf_huge_page_tree(folder: Path, entries: int = 1_000_000) -> Path:
    """A PDF whose one /Pages node lists `entries` (1,000,000) /Kids, all the same page, kept
    in a compressed object stream so the file stays about 10 KB: a reader that flattens the
    page tree builds a million page objects.

    PDF 1.5 syntax: the /Pages node lives in an object stream (/Type /ObjStm), so the file
    needs a cross-reference stream (/Type /XRef) that points into it.
    """
    kids = b"<< /Type /Pages /Count %d /Kids [" % entries + b"3 0 R " * entries + b"] >>"
    prefix = b"2 0 "  # "object number, offset" pairs; the one object starts at offset 0
    packed = zlib.compress(prefix + kids, 9)
    plain = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
             3: _page(2, 6, 4),
             4: _FONT,
             5: _stream(packed, b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode " % len(prefix)),
             6: _stream(_text_content("Trang"))}
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_number = 7
    offsets[xref_number] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, xref_number + 1):
        if number == 2:  # compressed: type 2, object stream 5, index 0
            rows.append(struct.pack(">BIH", 2, 5, 0))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    xref = _stream(b"".join(rows), b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (xref_number + 1))
    out += b"%d 0 obj\n" % xref_number + xref + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    path = Path(folder) / "so-tay-cay-trang-khong-lo.pdf"
    path.write_bytes(bytes(out))
    return path


def pdf_repeated_page(folder: Path, times: int = 90_000) -> Path:
    """A 4 KB PDF whose page tree names one page `times` (90,000) times through a two-level
    tree (300 kids, each the same 300-kid node): every name is a page to extract, and the
    text repeated on every page is dropped as a running header, so it ends in "no text"
    after minutes of CPU."""
    fan = max(1, round(times ** 0.5))
    leaves = max(1, times // fan)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [" % (fan * leaves) + b"3 0 R " * fan + b"] >>",
               b"<< /Type /Pages /Parent 2 0 R /Count %d /Kids [" % leaves + b"4 0 R " * leaves + b"] >>",
               _page(3, 5, 6),
               _stream(_text_content("Trang lap lai")),
               _FONT]
    path = Path(folder) / "trang-lap-lai.pdf"
    path.write_bytes(_pdf(objects))
    return path


def ocr_scan_pdf(folder: Path) -> Path:
    """An image-only PDF (a 'scan') showing OCR_PHRASE, for the routes that show OCR'd
    documents; needs Pillow and the DejaVu font (fonts-dejavu-core) to draw the text."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 46)
    image = Image.new("L", (2480, 700), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate([OCR_PHRASE, "năm 2025 của Văn phòng Ủy ban nhân dân tỉnh.",
                                "Các hồ sơ được sắp xếp theo đúng quy định."]):
        draw.text((200, 150 + row * 120), line, font=font, fill=0)
    width, height = image.size
    pixels = zlib.compress(image.tobytes(), 6)
    points = (width * 72 / 300, height * 72 / 300)  # drawn for 300 dpi
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q" % points
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
               b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>" % points,
               _stream(content),
               _stream(pixels, b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                               b"/ColorSpace /DeviceGray /BitsPerComponent 8 "
                               b"/Filter /FlateDecode " % (width, height))]
    path = Path(folder) / "bien-ban-scan.pdf"
    path.write_bytes(_pdf(objects))
    return path


# --- names and links -----------------------------------------------------------------------

def non_utf8_name(folder: Path) -> Path:
    """A valid text file named b"bad\\xff.txt": the name is not UTF-8, so Python sees it as
    'bad\\udcff.txt' (surrogateescape) and encoding it to UTF-8 (e.g. for a document id)
    raises UnicodeEncodeError."""
    raw = os.path.join(os.fsencode(str(folder)), b"bad\xff.txt")
    with open(raw, "wb") as handle:  # a bytes path: the name's bytes reach the disk as they are
        handle.write(f"Thông báo về lịch họp giao ban {NON_UTF8_MARKER} tháng 5.\n".encode("utf-8"))
    return Path(os.fsdecode(raw))


def filename_with_newline(folder: Path) -> Path:
    """A valid text file whose name holds a newline ("dong\\nmoi.txt"): sent as a download,
    the name must be encoded (RFC 6266 filename*) or the header is refused."""
    path = Path(folder) / "dong\nmoi.txt"
    path.write_text(f"Công văn về việc xuống dòng {NEWLINE_MARKER} trong tên tệp.\n",
                    encoding="utf-8")
    return path


def symlink_outside(folder: Path, outside_dir: Path) -> Path:
    """A symlink inside `folder` to a file in `outside_dir` (holding SYMLINK_MARKER): followed,
    it indexes and serves for download a file outside the indexed folders."""
    outside_dir = Path(outside_dir)
    outside_dir.mkdir(parents=True, exist_ok=True)
    secret = outside_dir / "mat-khau.txt"
    secret.write_text(f"Tài liệu mật ngoài thư mục {SYMLINK_MARKER}.\n", encoding="utf-8")
    link = Path(folder) / "lien-ket.txt"
    link.symlink_to(secret.absolute())
    return link


# --- unsupported formats --------------------------------------------------------------------

_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File Binary: legacy .doc, .xls


def unsupported_doc(folder: Path) -> Path:
    """A damaged Word 97-2003 .doc (an OLE2 header and nothing LibreOffice can read): counted
    as skipped with the reason, never silently ignored, never blocking the run."""
    path = Path(folder) / "cong-van-cu.doc"
    path.write_bytes(_OLE2_MAGIC + bytes(504) + "Công văn cũ".encode("utf-16-le"))
    return path


def unsupported_xls(folder: Path) -> Path:
    """A damaged Excel .xls (an OLE2 header and nothing else): skipped with the reason."""
    path = Path(folder) / "bang-so-lieu.xls"
    path.write_bytes(_OLE2_MAGIC + bytes(504) + "Số liệu".encode("utf-16-le"))
    return path


# --- the good documents ---------------------------------------------------------------------

def good_documents(folder: Path) -> dict[Path, str]:
    """Write three small well-formed Vietnamese documents (txt, md, docx); return each path
    with its marker word, so a test can check that the rest of the folder is still indexed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    txt, md, docx = (folder / name for name in GOOD_MARKERS)
    txt.write_text(
        "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN\n\nKẾ HOẠCH\n\n"
        f"Triển khai chuyển đổi số năm 2025 {GOOD_MARKERS[txt.name]}.\n\n"
        "1. Sở Thông tin và Truyền thông chủ trì xây dựng hạ tầng số của tỉnh.\n",
        encoding="utf-8")
    md.write_text(
        "**HỘI ĐỒNG NHÂN DÂN TỈNH BẮC KẠN**\n\n**NGHỊ QUYẾT**\n\n"
        f"Quy định chính sách bảo vệ và phát triển rừng {GOOD_MARKERS[md.name]}.\n\n"
        "Hỗ trợ 5 triệu đồng cho mỗi héc-ta rừng trồng mới.\n", encoding="utf-8")
    docx_of(docx, ["BÁO CÁO", f"Kết quả công tác phòng, chống thiên tai {GOOD_MARKERS[docx.name]}.",
                   "Ban Chỉ huy phòng chống thiên tai tỉnh tổng hợp báo cáo."])
    return {txt: GOOD_MARKERS[txt.name], md: GOOD_MARKERS[md.name], docx: GOOD_MARKERS[docx.name]}


# --- damage to an existing index -------------------------------------------------------------

def published_version(index_dir: Path) -> Path:
    """Return the directory CURRENT names (read before CURRENT itself is damaged)."""
    name = (Path(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    return Path(index_dir) / "versions" / name


def _meta_sqlite(index_dir: Path) -> Path:
    return published_version(index_dir) / "meta.sqlite"


def zero_sqlite_header(index_dir: Path) -> Path:
    """Zero the first 100 bytes (the header) of the published meta.sqlite: SQLite then says
    "file is not a database" on the first query, not when the file is opened."""
    path = _meta_sqlite(index_dir)
    with open(path, "r+b") as handle:
        handle.write(bytes(100))
    return path


def truncate_sqlite(index_dir: Path) -> Path:
    """Cut the published meta.sqlite to half its size (not on a page boundary), as a copy
    interrupted by a full disk leaves it: the header is intact, later pages are missing."""
    path = _meta_sqlite(index_dir)
    size = path.stat().st_size
    os.truncate(path, max(1024, size // 2 + 123))
    return path


def scramble_sqlite_pages(index_dir: Path, seed: int = 12) -> Path:
    """Overwrite about half the pages of the published meta.sqlite (never the header page)
    with random bytes, chosen by `seed`: the database opens, and some queries fail."""
    path = _meta_sqlite(index_dir)
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big") or 4096
    page_size = 65536 if page_size == 1 else page_size
    pages = max(1, len(data) // page_size)
    chooser = random.Random(seed)
    victims = [n for n in range(1, pages) if chooser.random() < 0.5] or [pages - 1]
    with open(path, "r+b") as handle:
        for number in victims:
            handle.seek(number * page_size if number else 100)
            handle.write(chooser.randbytes(page_size if number else page_size - 100))
    return path


def current_missing_version(index_dir: Path) -> Path:
    """Point CURRENT at a version that does not exist (v999999), as a half-restored backup does."""
    path = Path(index_dir) / "CURRENT"
    path.write_text("v999999\n", encoding="utf-8")
    return path


def current_empty(index_dir: Path) -> Path:
    """Empty CURRENT (a crash between creating and writing it on a file system without
    ordered writes): it then names the versions folder itself."""
    path = Path(index_dir) / "CURRENT"
    path.write_bytes(b"")
    return path


def current_binary(index_dir: Path) -> Path:
    """Fill CURRENT with binary garbage that is not UTF-8 (a disk error)."""
    path = Path(index_dir) / "CURRENT"
    path.write_bytes(b"\xff\xfe\x00v0\x9c\x00\x01\n\xc3")
    return path


def manifest_garbage(index_dir: Path) -> Path:
    """Replace the published manifest.json with bytes that are neither UTF-8 nor JSON."""
    path = published_version(index_dir) / "manifest.json"
    path.write_bytes(b"\x00\xff{\"format_version\": 3, garbage")
    return path


def manifest_list(index_dir: Path) -> Path:
    """Replace the published manifest.json with valid JSON of the wrong shape: `[]`."""
    path = published_version(index_dir) / "manifest.json"
    path.write_text("[]", encoding="utf-8")
    return path


def _embedding_cache(index_dir: Path) -> Path:
    path = Path(index_dir) / "cache" / "embeddings.sqlite"
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)  # else SQLite could repair the file from its WAL
    return path


def corrupt_embedding_cache(index_dir: Path) -> Path:
    """Overwrite the embedding cache's header and first pages with garbage: SQLite says
    "file is not a database"."""
    path = _embedding_cache(index_dir)
    size = max(path.stat().st_size, 8192) if path.exists() else 8192
    path.write_bytes(b"this is not sqlite " + random.Random(5).randbytes(size - 19))
    return path


def truncate_embedding_cache(index_dir: Path) -> Path:
    """Cut the embedding cache to one page and a half: the header says more pages than the
    file holds, so reads fail with "database disk image is malformed"."""
    path = _embedding_cache(index_dir)
    page_size = int.from_bytes(path.read_bytes()[16:18], "big") or 4096
    os.truncate(path, page_size + page_size // 2)
    return path


def manifest_of(index_dir: Path) -> dict:
    """Return the published manifest as JSON (a helper for tests checking a rebuild)."""
    return json.loads((published_version(index_dir) / "manifest.json").read_text(encoding="utf-8"))


# Every file generator, by the class name the battery reports it under.
FILE_GENERATORS = {
    "non-utf8-name": non_utf8_name,
    "docx-comment": docx_with_comment,
    "docx-doctype-entity": docx_with_doctype_entity,
    "docx-billion-laughs": docx_billion_laughs,
    "docx-zip-bomb": docx_zip_bomb,
    "pdf-flate-bomb": pdf_flate_bomb,
    "pdf-huge-page-tree": pdf_huge_page_tree,
    "pdf-repeated-page": pdf_repeated_page,
}

# Every index-damage helper, by class name.
INDEX_DAMAGE = {
    "sqlite-zeroed-header": zero_sqlite_header,
    "sqlite-truncated": truncate_sqlite,
    "sqlite-scrambled-pages": scramble_sqlite_pages,
    "current-missing-version": current_missing_version,
    "current-empty": current_empty,
    "current-binary": current_binary,
    "manifest-garbage": manifest_garbage,
    "manifest-list": manifest_list,
}

CACHE_DAMAGE = {
    "embeddings-corrupt": corrupt_embedding_cache,
    "embeddings-truncated": truncate_embedding_cache,
}
