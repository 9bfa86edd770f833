"""`dccs serve` in a real headless Chromium: upload a draft, read the report, upload the revision (issue #7)."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, skip_or_fail

DEFICIENT_TXT = CORPUS / "so-noi-vu-v09-thieu-ban-thanh-tra-52-nguoi.txt"  # labelled: CQ-TR-TT missing
COMPLETE_DOCX = CORPUS / "so-noi-vu-quyet-dinh-quy-che.docx"
SHOTS = ROOT / "outputs" / "serve"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`dccs serve` started the way a user starts it, on a free port, with its temp root in tmp."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        skip_or_fail("fastapi/uvicorn are not installed (pip install -e '.[test]')")
    temp_root = tmp_path_factory.mktemp("serve-temp")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = temp_root.parent / "serve.log"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--workers", "1",
                             "--temp-dir", str(temp_root)], cwd=ROOT, env=env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    proc.log = log
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("dccs serve did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.3)
    yield url, temp_root, proc
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def deficient_docx(path: Path) -> Path:
    """The corpus variant without a Ban Thanh tra nhân dân, as the DOCX an officer would upload."""
    from docx import Document

    doc = Document()
    for line in DEFICIENT_TXT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    doc.save(path)
    return path


def test_upload_report_and_revision(server, browser, tmp_path):
    from pipeline.check import default_ruleset

    url, temp_root, proc = server
    rule = default_ruleset().by_id["CQ-TR-TT"]
    citation = rule.legal_basis.cite()
    draft = deficient_docx(tmp_path / "du-thao-quy-che.docx")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems, outside = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "blob:", "data:")) else None)
    page.goto(url + "/")
    assert "Kiểm tra dự thảo" in page.title()

    page.set_input_files("#file", str(draft))
    page.click("#submit")
    item = page.locator('#findings li[data-rule="CQ-TR-TT"]')
    item.wait_for(timeout=60000)
    assert item.get_attribute("data-status") == "missing"
    assert item.locator(".badge").inner_text() == "Thiếu"
    assert citation in item.inner_text()  # the legal citation is shown with the finding
    assert rule.suggestion.split("\n")[0][:40] in item.locator("blockquote").inner_text()
    assert "Cần sửa" in page.locator("#summary").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "ket-qua-du-thao.png"), full_page=True)

    # What the browser keeps: rule -> status of the last result, never the document's text.
    kept = json.loads(page.evaluate("localStorage.getItem('dccs.previous')"))
    assert set(kept) == {"file", "at", "statuses"} and kept["statuses"]["CQ-TR-TT"] == "missing"
    assert set(kept["statuses"].values()) <= {"present", "partial", "missing", "conflict", "not_applicable",
                                              "undetermined"}

    with page.expect_download() as dl:
        page.click('#downloads button[data-format="json"]')
    saved = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert saved["documents"][0]["findings"] and saved["run"]["rules_version"]

    formats = json.loads(urllib.request.urlopen(url + "/healthz").read())["formats"]
    for fmt, magic in (("html", b"<!doctype html"), ("xlsx", b"pk\x03\x04"), ("docx", b"pk\x03\x04")):
        button = page.locator(f'#downloads button[data-format="{fmt}"]')
        if fmt not in formats:  # that writer is not in this build: the button says so instead of failing
            assert button.is_disabled()
            continue
        with page.expect_download() as dl:
            button.click()
        body = Path(dl.value.path()).read_bytes()
        assert body[:20].lower().startswith(magic), fmt
        assert dl.value.suggested_filename.endswith(f".{fmt}")

    # The revised draft: the page says what changed since the previous upload.
    page.set_input_files("#file", str(COMPLETE_DOCX))
    page.click("#submit")
    page.locator("#changes").wait_for(state="visible", timeout=60000)
    changes = page.locator("#changes").inner_text()
    assert "CQ-TR-TT" in changes and "Thiếu → Đạt" in changes
    page.screenshot(path=str(SHOTS / "ket-qua-ban-sua.png"), full_page=True)

    assert problems == [], problems  # no CSP violation, no script error
    assert outside == [], outside  # nothing fetched from another host
    assert os.listdir(temp_root) == []
    page.close()

    # The server's own output (uvicorn and dccs.serve logs): metadata only.
    logged = proc.log.read_text(encoding="utf-8", errors="replace")
    assert "status=200 in=docx" in logged
    assert "du-thao-quy-che" not in logged and "so-noi-vu" not in logged
    for line in DEFICIENT_TXT.read_text(encoding="utf-8").splitlines():
        if len(line.strip()) > 12:
            assert line.strip() not in logged


def test_wrong_type_message_in_page(server, browser, tmp_path):
    url, temp_root, _ = server
    fake = tmp_path / "anh.docx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    page = browser.new_page()
    page.goto(url + "/")
    page.set_input_files("#file", str(fake))
    page.click("#submit")
    status = page.locator("#status.bad")
    status.wait_for(timeout=30000)
    assert "Không nhận dạng được loại tệp" in status.inner_text()
    assert page.locator("#report").is_hidden()
    page.close()


def test_api_docs_page_works_offline(server, browser):
    url, _, _ = server
    page = browser.new_page()
    outside, problems = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:")) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(url + "/docs")
    page.locator("section.op").first.wait_for(timeout=30000)
    text = page.locator("#ops").inner_text()
    assert "/api/v1/check" in text and "/api/v1/rules" in text and "/healthz" in text
    assert "multipart/form-data" in text and "413" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "api-docs.png"), full_page=True)
    assert outside == [] and problems == []
    page.close()
