"""Old and open office files (.doc, .rtf, .odt, .xls, .ods) read through LibreOffice.

The inputs are made here: DOCX and XLSX files written with python-docx and openpyxl, turned
into .odt, .doc, .xls and .ods by soffice itself; RTF is plain text. Tests that convert need
soffice and are skipped without it (CI installs it); the others make the conditions they test
for real: a missing executable, an soffice that hangs.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

import hostile_inputs as H
from indexer.ingest import ReadLimits
from indexer.ingest.office import read_workbook
from indexer.ingest.soffice import COMMAND_ENV, INSTALL
from indexer.prepare import new_document
from indexer.extract.tasks import TaskExtractor
from indexer.reindex import ReindexSettings, reindex
from indexer.sources import SourceFile
from indexer.store import open_index
from test_hostile import found

SOFFICE = shutil.which("soffice")
# CI installs LibreOffice (.ci/run), so there a missing soffice fails these tests.
needs_soffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                                   reason=f"LibreOffice (soffice) is not installed: {INSTALL}")

HEADER = ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "Số: 12/KH-UBND", "KẾ HOẠCH",
          "Triển khai chuyển đổi số năm 2026"]
# Tasks are read from a document's body, which its first sentence opens (indexer.sections).
INTRODUCTION = "Ủy ban nhân dân tỉnh giao các sở, ngành thực hiện những nhiệm vụ sau đây:"
TASK_HEADER = ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]
TASK_ROW = [1, "Rà soát thủ tục hành chính trên môi trường điện tử", "Văn phòng UBND tỉnh",
            "Sở Tư pháp", datetime(2026, 3, 15)]
# One phrase per file, found in no other, so a search shows which files were read.
MARKERS = {"cong-van-de-dieu.doc": "gia cố đê điều xung yếu",
           "bao-cao-rung.odt": "khoanh nuôi tái sinh rừng phòng hộ",
           "thong-bao.rtf": "tiêm chủng vắc xin sởi"}


def _docx(path: Path, marker: str) -> None:
    import docx

    document = docx.Document()
    for line in HEADER:
        document.add_paragraph(line)
    document.add_paragraph(f"Ủy ban nhân dân tỉnh chỉ đạo {marker} trước mùa mưa bão.")
    table = document.add_table(rows=2, cols=2)
    for column, text in enumerate(("Nhiệm vụ", "Đơn vị chủ trì")):
        table.cell(0, column).text = text
    for column, text in enumerate((f"Kiểm tra việc {marker}", "Sở Nông nghiệp")):
        table.cell(1, column).text = text
    document.save(path)


def _xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục nhiệm vụ"
    for line in HEADER + [INTRODUCTION]:
        sheet.append([line])
    sheet.append(TASK_HEADER)
    sheet.append(TASK_ROW)
    book.save(path)


def _rtf(path: Path, marker: str) -> None:
    # RTF writes what is not ASCII as \uN? (N the UTF-16 code, ? what old readers show).
    escaped = "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in marker)
    path.write_text(r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 "
                    r"TH\u212?NG B\u193?O\par "
                    f"Ph\\u242?ng y t\\u7871? t\\u7893? ch\\u7913?c {escaped} cho tr\\u7867? "
                    r"em.\par}", encoding="ascii")


def _soffice(profile: Path, target: str, folder: Path, *files: Path) -> None:
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(folder), *map(str, files)],
                   check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def office_docs(tmp_path_factory) -> Path:
    """A folder with one file of each converted type, two damaged ones and a text file."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail(f"LibreOffice (soffice) is not installed: {INSTALL}")
        pytest.skip(f"LibreOffice (soffice) is not installed: {INSTALL}")
    work, docs = tmp_path_factory.mktemp("made"), tmp_path_factory.mktemp("docs")
    profile = work / "profile"
    _docx(work / "cong-van-de-dieu.docx", MARKERS["cong-van-de-dieu.doc"])
    _docx(work / "bao-cao-rung.docx", MARKERS["bao-cao-rung.odt"])
    _xlsx(work / "ke-hoach.xlsx")
    # LibreOffice 7.4 drops a python-docx table written straight to .doc; through .odt it stays.
    _soffice(profile, "odt", work, work / "cong-van-de-dieu.docx", work / "bao-cao-rung.docx")
    _soffice(profile, "doc", docs, work / "cong-van-de-dieu.odt")
    _soffice(profile, "xls", docs, work / "ke-hoach.xlsx")
    _soffice(profile, "ods", docs, work / "ke-hoach.xlsx")
    shutil.copy(work / "bao-cao-rung.odt", docs)
    _rtf(docs / "thong-bao.rtf", MARKERS["thong-bao.rtf"])
    H.unsupported_doc(docs)  # an OLE2 header and nothing sound after it
    H.unsupported_xls(docs)
    (docs / "ghi-chu.txt").write_text("Ghi chú về lịch tiếp công dân tháng 6.", encoding="utf-8")
    return docs


def _counting_soffice(folder: Path) -> tuple[Path, Path]:
    """Write an soffice that notes each conversion in a log, then runs the real one."""
    log, command = folder / "conversions.log", folder / "soffice-counted"
    command.write_text(f'#!/bin/sh\ncase "$*" in *--convert-to*) echo "$@" >> "{log}";; esac\n'
                       f'exec "{SOFFICE}" "$@"\n')
    command.chmod(0o755)
    return command, log


def _conversions(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


@pytest.fixture(scope="module")
def office_index(office_docs, tmp_path_factory, embedder):
    """The folder indexed through the counting soffice: (index, summary, conversion log)."""
    command, log = _counting_soffice(tmp_path_factory.mktemp("bin"))
    index_dir = tmp_path_factory.mktemp("office") / "ix"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(COMMAND_ENV, str(command))
        summary = reindex(index_dir, [office_docs], embedder=embedder)
    return index_dir, summary, log


@needs_soffice
def test_converted_text_is_searchable(office_index, embedder):
    index_dir, summary, _ = office_index
    for name, marker in MARKERS.items():
        assert found(index_dir, marker, embedder) == [name], name
    assert sorted(Path(p).name for p in summary.added) == [
        "bao-cao-rung.odt", "cong-van-de-dieu.doc", "ghi-chu.txt", "ke-hoach.ods", "ke-hoach.xls",
        "thong-bao.rtf"]
    index = open_index(index_dir)
    try:
        formats = {d.rel_path: d.format for d in index.documents()}
        doc = next(d for d in index.documents() if d.rel_path == "cong-van-de-dieu.doc")
    finally:
        index.close()
    assert formats["cong-van-de-dieu.doc"] == "doc" and formats["ke-hoach.ods"] == "ods"
    assert doc.title == "Triển khai chuyển đổi số năm 2026"
    assert (1, 1, 0) in doc.paragraph_cells  # the Word table's cells survive the conversion


@needs_soffice
def test_damaged_office_files_are_skipped_with_their_reason(office_index, office_docs):
    _, summary, _ = office_index
    reasons = {Path(p).name: r for p, r in summary.skipped}
    assert set(reasons) == {"cong-van-cu.doc", "bang-so-lieu.xls"}
    assert "LibreOffice could not open this Word 97–2003 (.doc)" in reasons["cong-van-cu.doc"]
    assert "password" in reasons["cong-van-cu.doc"]
    # LibreOffice reads this one as text; its OLE2 header gives it away as a damaged .xls.
    assert "a damaged Excel 97–2003 (.xls)" in reasons["bang-so-lieu.xls"]


@needs_soffice
def test_spreadsheet_rows_are_table_cells_and_their_tasks_are_read(office_index):
    index_dir, _, _ = office_index
    index = open_index(index_dir)
    try:
        sheets = {d.rel_path: d for d in index.documents() if d.format in ("xls", "ods")}
        tasks = {d.rel_path: [r.data for r in index.records("tasks", [d.id])]
                 for d in sheets.values()}
    finally:
        index.close()
    for name, sheet in sheets.items():
        cells = dict(zip(sheet.paragraph_cells, _paragraphs(sheet)))
        assert cells[(1, 6, 0)] == "1" and cells[(1, 6, 4)] == "15/03/2026"
        assert cells[(1, 6, 2)] == "Văn phòng UBND tỉnh"
        [task] = tasks[name]
        assert (task["lead"], task["cooperate"], task["deadline_iso"]) == (
            ["Văn phòng UBND tỉnh"], ["Sở Tư pháp"], "2026-03-15"), name


def _paragraphs(document) -> list[str]:
    ends = list(document.paragraph_offsets[1:]) + [len(document.text)]
    return [document.text[s:e].strip() for s, e in zip(document.paragraph_offsets, ends)]


@needs_soffice
def test_a_second_reindex_takes_conversions_from_the_cache(office_index, office_docs, embedder):
    index_dir, _, log = office_index
    # Five sound files and two damaged ones were converted, each once.
    assert _conversions(log) == 7
    cached = sorted((index_dir / "cache" / "office").iterdir())
    assert len(cached) == 7
    before = {p: p.stat().st_mtime_ns for p in cached}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(COMMAND_ENV, str(log.parent / "soffice-counted"))
        summary = reindex(index_dir, [office_docs], embedder=embedder, full=True)
    assert _conversions(log) == 7  # every file read again, none converted again
    assert len(summary.skipped) == 2 and summary.unchanged == 0
    assert {p: p.stat().st_mtime_ns for p in cached} == before


def test_without_libreoffice_the_file_is_skipped_with_the_install_command(
        tmp_path, embedder, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    _rtf(docs / "thong-bao.rtf", MARKERS["thong-bao.rtf"])
    (docs / "ghi-chu.txt").write_text("Ghi chú về lịch tiếp công dân tháng 6.", encoding="utf-8")
    monkeypatch.setenv(COMMAND_ENV, str(tmp_path / "no-such-soffice"))
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder)
    [(path, reason)] = summary.skipped
    assert path == str(docs / "thong-bao.rtf")
    assert "LibreOffice is not installed" in reason and f"`{INSTALL}`" in reason
    assert len(summary.added) == 1


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has stopped; only its parent (gone) could reap it


def test_a_hung_soffice_is_stopped_with_everything_it_started(tmp_path, embedder, monkeypatch):
    hung, pids = tmp_path / "soffice-hangs", tmp_path / "pids"
    # Answers `--version` as LibreOffice does, then hangs in a child as soffice.bin would.
    hung.write_text('#!/bin/sh\n[ "$1" = --version ] && { echo "LibreOffice 0.0 hangs"; '
                    f'exit 0; }}\nsleep 600 &\necho $$ $! >> "{pids}"\nwait\n')
    hung.chmod(0o755)
    docs = tmp_path / "docs"
    docs.mkdir()
    _rtf(docs / "thong-bao.rtf", MARKERS["thong-bao.rtf"])
    (docs / "ghi-chu.txt").write_text("Ghi chú về lịch tiếp công dân tháng 6.", encoding="utf-8")
    monkeypatch.setenv(COMMAND_ENV, str(hung))
    temporary = tmp_path / "tmp"  # where the worker makes the conversion's folder
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    started = time.monotonic()
    summary = reindex(tmp_path / "ix", [docs], embedder=embedder,
                      settings=ReindexSettings(limits=ReadLimits(seconds=2)))
    assert time.monotonic() - started < 60
    [(path, reason)] = summary.skipped
    assert path == str(docs / "thong-bao.rtf") and "took over 2 s" in reason
    started_pids = [int(p) for p in pids.read_text().split()]
    deadline = time.monotonic() + 5  # SIGKILL is sent; the kernel may take a moment
    while any(map(_running, started_pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, started_pids))
    assert list(temporary.iterdir()) == []  # its profile and copy of the file removed


def test_a_workbook_is_read_cell_by_cell(tmp_path):
    path = tmp_path / "ke-hoach.xlsx"
    _xlsx(path)
    parsed = read_workbook(path, path.read_bytes())
    cells = {p.cell: p.text for p in parsed.paragraphs if p.cell}
    assert parsed.paragraphs[0].text == "Phụ lục nhiệm vụ" and parsed.paragraphs[0].cell is None
    assert cells[(1, 0, 0)] == HEADER[0] and cells[(1, 5, 2)] == "Đơn vị chủ trì"
    assert [cells[(1, 6, c)] for c in (0, 4)] == ["1", "15/03/2026"]
    document = new_document(SourceFile(path, path.name), "", 0, parsed)
    [task] = [r.data for r in TaskExtractor().extract(document)]
    assert task["lead"] == ["Văn phòng UBND tỉnh"] and task["deadline_iso"] == "2026-03-15"
