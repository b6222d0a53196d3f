"""End to end in a real headless Chromium: search, read the answer and a cited result, open
the document at the cited span."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from indexer.reindex import reindex
from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path, embedder):
    """The real `vankien serve` (waitress) on a temporary index of corpus/."""
    index_dir = tmp_path / "ix"
    reindex(index_dir, [REPO / "corpus"], embedder=embedder)
    yield from serving(index_dir)


@pytest.fixture
def plan_server(tmp_path, embedder):
    """The server on a plan that assigns tasks and the resolution it implements."""
    from test_worklist import PLAN, RESOLUTION

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ke-hoach-310.txt").write_text(PLAN, encoding="utf-8")
    (docs / "nghi-quyet-57.txt").write_text(RESOLUTION, encoding="utf-8")
    reindex(tmp_path / "ix", [docs], embedder=embedder)
    yield from serving(tmp_path / "ix")


def serving(index_dir):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "serve", "--index", str(index_dir),
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                pytest.fail(f"server did not start: {process.stdout.read()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("Chromium not installed (apt-get install chromium); CI runs this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def test_search_click_citation_and_land_on_the_cited_paragraph(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/")
    page.fill("input[name=q]", "nhiệm vụ chuyển đổi số")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.hit")
    first = page.locator("li.hit").first
    assert "chương trình chuyển đổi số" in first.locator(".passage").inner_text()
    assert "đoạn 4" in first.locator(".cite").inner_text()
    marks = first.locator(".passage mark").all_inner_texts()
    assert any("chuyển đổi số" in m for m in marks)
    # The answer panel sits above the results: quoted sentences, each with a marker. A
    # keyword query asks nothing, so its panel is the compact one.
    panel = page.locator("section.answer.compact")
    assert panel.is_visible() and "Câu liên quan nhất" in panel.locator("h2").inner_text()
    assert panel.bounding_box()["y"] < first.bounding_box()["y"]
    quote = panel.locator(".quote").first.inner_text()
    assert "chuyển đổi số" in panel.inner_text()
    assert panel.locator("a.marker").first.inner_text() == "[1]"
    panel.locator("details.answer-sources summary").click()  # the sources, folded away
    assert "Hội nghị Ban Thường vụ Tỉnh ủy lần thứ 4" in panel.locator(".sources").inner_text()
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    first.locator("a.title").click()
    page.wait_for_selector("article.document")
    cited = page.locator("p.para.cited")
    assert cited.count() == 1
    assert cited.get_attribute("id") == "p-4"
    # The cited span is the plain <mark>; the query's words around it are mark.term.
    assert "chương trình chuyển đổi số" in cited.locator("mark:not(.term)").inner_text()
    assert page.url.endswith("#p-4")
    page.screenshot(path=str(tmp_path / "document.png"), full_page=False)
    assert (tmp_path / "document.png").stat().st_size > 10_000

    # The answer's marker [1] opens the document with exactly the quoted sentence marked.
    page.go_back()
    page.wait_for_selector("section.answer")
    page.locator("section.answer a.marker").first.click()
    page.wait_for_selector("article.document")
    assert page.locator("p.para.cited").count() == 1
    assert page.locator("p.para.cited mark:not(.term)").inner_text() == quote
    # Keep a copy where a person can look at it after the run.
    shots = Path(os.environ.get("VANKIEN_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for name in ("search.png", "document.png"):
        if shots != tmp_path:
            shutil.copy(tmp_path / name, shots / name)


def test_phone_width_layout_keeps_the_search_box_usable(server, browser):
    page = browser.new_page(viewport={"width": 380, "height": 800})
    page.goto(server + "/?q=chuyển đổi số")
    box = page.locator("input[name=q]").bounding_box()
    assert box["width"] > 300
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380  # no sideways scrolling


def test_a_keyword_query_on_a_phone_keeps_the_first_result_in_view(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 380, "height": 740})
    page.goto(server + "/?q=nhiệm vụ chuyển đổi số")
    panel = page.locator("section.answer")
    assert panel.count() == 1 and "compact" in panel.get_attribute("class")
    assert panel.locator(".quote").count() <= 1
    first = page.locator("li.hit").first.locator("a.title").bounding_box()
    assert first["y"] + first["height"] < 740  # the first result is above the fold
    page.screenshot(path=str(tmp_path / "phone-keyword.png"))
    # A question gets the full panel: sentences with their sources listed; on a phone it
    # folds to its title and opens again.
    page.goto(server + "/?q=Ai chịu trách nhiệm triển khai kế hoạch chuyển đổi số?")
    full = page.locator("section.answer")
    assert "compact" not in full.get_attribute("class")
    assert full.locator(".sources").is_visible()
    hits_top = page.locator("li.hit").first.bounding_box()["y"]
    full.locator("button.answer-toggle").click()
    assert not full.locator(".sources").is_visible() and full.locator("h2").is_visible()
    assert page.locator("li.hit").first.bounding_box()["y"] < hits_top
    full.locator("button.answer-toggle").click()
    assert full.locator(".sources").is_visible()
    shots = Path(os.environ.get("VANKIEN_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    if shots != tmp_path:
        shutil.copy(tmp_path / "phone-keyword.png", shots / "phone-keyword.png")


def test_the_task_page_filters_exports_and_links_to_the_span(plan_server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page.goto(plan_server + "/tasks")
    assert page.locator("table.tasks tbody tr").count() == 3
    page.fill("input[name=agency]", "so noi vu")  # typed without diacritics
    page.click(".task-filters button")
    page.wait_for_url("**/tasks?*")
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() == 1 and "Sở Nội vụ" in rows.first.inner_text()
    with page.expect_download() as download:
        page.click("text=Excel (XLSX)")
    saved = tmp_path / "nhiem-vu.xlsx"
    download.value.save_as(saved)
    from openpyxl import load_workbook
    sheet = load_workbook(saved).active
    assert sheet.max_row == 2 and sheet["B2"].value == "Sở Nội vụ"
    page.screenshot(path=str(tmp_path / "tasks.png"), full_page=True)
    rows.first.locator("td.task-text a").click()
    page.wait_for_selector("article.document")
    assert "đào tạo kỹ năng số" in page.locator("p.para.cited").inner_text()
    assert "Căn cứ và văn bản liên quan" in page.locator("section.links").inner_text()
    shots = Path(os.environ.get("VANKIEN_SCREENSHOTS", tmp_path))
    if shots != tmp_path:
        shots.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "tasks.png", shots / "tasks.png")


def _keep(tmp_path: Path, *names: str) -> None:
    """Copy screenshots where a person can look at them after the run (VANKIEN_SCREENSHOTS)."""
    shots = Path(os.environ.get("VANKIEN_SCREENSHOTS", tmp_path))
    if shots != tmp_path:
        shots.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(tmp_path / name, shots / name)


def test_print_keeps_the_citations_and_drops_the_page_furniture(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/?q=nhiệm vụ chuyển đổi số")
    page.emulate_media(media="print")
    for selector in ("header.top", "form.search", "aside.facets", ".toolbar", "footer.bottom"):
        assert not page.locator(selector).is_visible(), selector
    first = page.locator("li.hit").first
    assert first.locator("a.title").is_visible() and "đoạn 4" in first.locator(".cite").inner_text()
    assert "văn bản" in page.locator("p.stats").inner_text()
    page.screenshot(path=str(tmp_path / "print-results.png"), full_page=True)
    first.locator("a.title").click()
    page.wait_for_selector("article.document")
    assert not page.locator("header.top").is_visible()
    assert page.locator("dl.meta").is_visible() and page.locator("p.para.cited").is_visible()
    page.screenshot(path=str(tmp_path / "print-document.png"))
    _keep(tmp_path, "print-results.png", "print-document.png")


def test_on_a_phone_the_filters_open_from_a_button_at_the_top(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 380, "height": 740})
    page.goto(server + "/?q=nhiệm vụ chuyển đổi số")
    toggle = page.locator("button.filter-toggle")
    first = page.locator("li.hit").first
    assert toggle.is_visible() and toggle.bounding_box()["y"] < first.bounding_box()["y"]
    assert toggle.bounding_box()["y"] < 300  # at the top, not under ten thousand pixels
    assert not page.locator("aside.facets").is_visible()
    toggle.click()
    facets = page.locator("aside.facets")
    assert facets.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert facets.bounding_box()["y"] < first.bounding_box()["y"]
    assert "ngày ban hành" in facets.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    page.screenshot(path=str(tmp_path / "phone-filters.png"))
    _keep(tmp_path, "phone-filters.png")


def test_the_keyboard_skips_to_the_results_with_a_visible_focus(server, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server + "/?q=chuyển đổi số")
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box["y"] >= 0 and skip.is_visible() and "kết quả" in skip.inner_text()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    # Following the link is a navigation the browser may finish after press() returns (a clean
    # CI run caught the URL still without its fragment), so wait for it instead of reading once.
    page.wait_for_url("**#results", timeout=5000)
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the results
    assert page.evaluate("!!document.activeElement.closest('#results')")


def test_the_document_list_sorts_and_filters(plan_server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(plan_server + "/")
    assert "Đã lập chỉ mục 2 văn bản" in page.locator(".index-summary").inner_text()
    page.click(".index-summary a")
    page.wait_for_selector("table.documents")
    rows = page.locator("table.documents tbody tr")
    assert rows.count() == 2 and "2 / 2 văn bản" in page.locator("p.stats").inner_text()
    page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)
    page.click("th >> text=Số hiệu")
    page.wait_for_url("**sort=number**")
    numbers = page.locator("table.documents tbody tr td:nth-child(3)").all_inner_texts()
    assert numbers == sorted(numbers)
    page.select_option("select[name=type]", "Kế hoạch")
    page.click(".catalog-filters button")
    page.wait_for_url("**type=**")
    assert rows.count() == 1 and "Kế hoạch" in rows.first.inner_text()
    rows.first.locator("a").first.click()
    page.wait_for_selector("article.document")
    _keep(tmp_path, "documents.png")


@pytest.fixture
def secured_server(tmp_path, embedder):
    """The server on two collections, with an editor granted only the public one."""
    from indexer.accounts import AccountStore
    from test_access import INTERNAL, PASSWORD, PUBLIC_PLAN

    public, internal = tmp_path / "cong-khai", tmp_path / "noi-bo"
    public.mkdir()
    internal.mkdir()
    (public / "ke-hoach-310.txt").write_text(PUBLIC_PLAN, encoding="utf-8")
    (internal / "ket-luan-45.txt").write_text(INTERNAL, encoding="utf-8")
    reindex(tmp_path / "ix", [public, internal], embedder=embedder)
    AccountStore(tmp_path / "ix").add_user("bientap", "editor", PASSWORD, ["cong-khai"])
    from indexer.store import open_index

    index = open_index(tmp_path / "ix")
    internal_id = next(i for i, d in index.document_infos().items()
                       if d.rel_path == "ket-luan-45.txt")
    index.close()
    for base in serving(tmp_path / "ix"):
        yield base, internal_id, PASSWORD


def test_log_in_be_refused_a_restricted_document_upload_and_find_it(secured_server, browser,
                                                                     tmp_path):
    base, internal_id, password = secured_server
    page = browser.new_page()
    page.goto(base + "/?q=cảng cạn Phước Thọ")
    assert "/login" in page.url  # nothing without a login
    page.fill("#login-name", "bientap")
    page.fill("#login-password", "sai-mat-khau-9")
    page.click("button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("main")
    page.fill("#login-password", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".account .who")
    assert page.inner_text(".account .who") == "bientap"
    assert "cảng cạn" in page.input_value("input[name=q]")
    assert "Tân Vạn" not in page.inner_text("main")  # the internal conclusion is not found
    response = page.goto(f"{base}/documents/{internal_id}")
    assert response.status == 404 and "Không tìm thấy" in page.inner_text("main")
    # Upload a new notice by the file field and wait for the background reindex.
    notice = tmp_path / "thong-bao-99.txt"
    notice.write_text("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\n\nTHÔNG BÁO\n\nLịch tiếp công dân định "
                      "kỳ tại xã Bình Lợi vào thứ Năm hằng tuần.\n", encoding="utf-8")
    page.goto(base + "/upload")
    page.set_input_files("#upload-files", str(notice))
    page.click(".upload-form button[type=submit]")
    assert "Đã nhận 1 tệp" in page.inner_text("main")
    # A locator, not wait_for_function: the page's CSP forbids evaluating a string as script.
    page.locator("#job-text", has_text="Xong").wait_for(timeout=120_000)
    assert "thêm 1" in page.inner_text("#job-text")
    page.goto(base + "/?q=tiếp công dân Bình Lợi")
    assert "thong-bao-99.txt" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "after-upload.png"), full_page=True)
