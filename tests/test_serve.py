"""`dccs serve`: the JSON API, its limits, and that nothing of an upload is kept (issue #7)."""
import io
import json
import logging
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import CORPUS, skip_or_fail

try:
    from fastapi.testclient import TestClient
except ImportError:  # the serve extra is part of the test extra: absent only on a partial install
    TestClient = None

AS_OF = "2026-01-15"
TXT_MISSING = CORPUS / "so-noi-vu-v09-thieu-ban-thanh-tra-52-nguoi.txt"  # labelled: CQ-TR-TT missing
DOCX_COMPLETE = CORPUS / "so-noi-vu-quyet-dinh-quy-che.docx"
PDF_PLAN = CORPUS / "xa-ke-hoach-dan-chu-2025.pdf"
SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def make_app(tmp, **kw):
    if TestClient is None:
        skip_or_fail("fastapi/httpx are not installed (pip install -e '.[test]')")
    from pipeline.serve import ServeConfig, create_app

    return create_app(ServeConfig(temp_root=str(tmp), **kw))


@pytest.fixture(scope="module")
def temp_root(tmp_path_factory):
    return tmp_path_factory.mktemp("serve-temp")


@pytest.fixture(scope="module")
def client(temp_root):
    with TestClient(make_app(temp_root, workers=2)) as c:
        yield c


@pytest.fixture(autouse=True)
def nothing_left(request):
    """After every test: the service's temporary root holds nothing."""
    yield
    if "client" in request.fixturenames:
        root = request.getfixturevalue("temp_root")
        assert os.listdir(root) == [], "an upload was left on disk"


def post(c, name, data, **fields):
    return c.post("/api/v1/check", files={"file": (name, data)}, data={"as_of": AS_OF, **fields})


def cli_json(path, capsys):
    from pipeline.cli import main

    main(["check", str(path), "--format", "json", "--jobs", "0", "--as-of", AS_OF])
    return json.loads(capsys.readouterr().out)


def test_good_document_same_schema_and_findings_as_cli(client, capsys):
    r = post(client, TXT_MISSING.name, TXT_MISSING.read_bytes())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    api = r.json()
    cli = cli_json(TXT_MISSING, capsys)
    assert api.keys() == cli.keys() == {"run", "documents", "summary"}
    assert api["run"] == cli["run"] and api["summary"] == cli["summary"]
    a, b = api["documents"][0], cli["documents"][0]
    assert a["file"] == TXT_MISSING.name  # the client's name, for display only
    a.pop("file"), b.pop("file")
    assert a == b
    tt = next(f for f in a["findings"] if f["rule"] == "CQ-TR-TT")
    assert tt["status"] == "missing" and tt["citation"]["text"] and tt["suggestion"]


def test_docx_and_pdf_recognised_from_content_not_name(client):
    # A DOCX named .pdf and a PDF named .txt are read as what they are.
    r = post(client, "ban-thao.pdf", DOCX_COMPLETE.read_bytes())
    assert r.status_code == 200 and r.json()["documents"][0]["format"] == "docx"
    r = post(client, "ke-hoach.txt", PDF_PLAN.read_bytes())
    assert r.status_code == 200
    doc = r.json()["documents"][0]
    assert doc["format"] == "pdf" and doc["kind"] == "ke_hoach"


def test_options_are_applied(client):
    data = TXT_MISSING.read_bytes()
    base = post(client, "a.txt", data).json()["documents"][0]
    forced = post(client, "a.txt", data, kind="bao_cao", unit_type="dnnn").json()["documents"][0]
    assert (base["kind"], base["unit_type"]) != ("bao_cao", "dnnn")
    assert (forced["kind"], forced["unit_type"]) == ("bao_cao", "dnnn")
    r = post(client, "a.txt", data, kind="bogus")
    assert r.status_code == 400 and "kind" in r.json()["detail"]
    assert post(client, "a.txt", data, as_of="15/01/2026").status_code == 400


def test_oversize_is_413_with_a_vietnamese_message(client):
    limit = client.app.state.config.max_upload
    assert limit == 20 * 1024 * 1024
    r = post(client, "lon.txt", b"a" * (limit + 1))
    assert r.status_code == 413
    assert r.json()["detail"] == "Tệp quá lớn: dung lượng tối đa cho phép là 20 MB."
    r = client.post("/api/v1/check?lang=en", files={"file": ("lon.txt", b"a" * (limit + 1))})
    assert r.status_code == 413 and r.json()["detail"] == "The file is too large: the limit is 20 MB."


def test_configured_limit_and_early_refusal(tmp_path):
    with TestClient(make_app(tmp_path, max_upload=1024 * 1024)) as c:
        assert post(c, "a.txt", TXT_MISSING.read_bytes()).status_code == 200  # ~40 KB < 1 MB
        r = post(c, "big.txt", b"x" * (2 * 1024 * 1024))
        assert r.status_code == 413 and "1 MB" in r.json()["detail"]
        # A declared body far over the limit is refused before it is read.
        r = c.post("/api/v1/check", content=b"x" * 10, headers={"content-length": str(50 * 1024 * 1024),
                                                                  "content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413
    assert os.listdir(tmp_path) == []


def _zip(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("name,data", [
    ("anh.docx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
    ("bang-tinh.docx", _zip(["[Content_Types].xml", "xl/workbook.xml"])),
    ("nhi-phan.txt", bytes(range(256)) * 64),
    ("chuong-trinh.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 500),
])
def test_wrong_type_is_415(client, name, data):
    r = post(client, name, data)
    assert r.status_code == 415
    assert r.json()["error_code"] == "unsupported_type" and "DOCX, PDF hoặc TXT" in r.json()["detail"]


@pytest.mark.parametrize("data,code", [
    (DOCX_COMPLETE.read_bytes()[:4000], "corrupt_docx"),
    (b"%PDF-1.7\n" + b"\x00garbage" * 200, "corrupt_pdf"),
])
def test_corrupt_file_is_422_with_the_reason(client, data, code):
    r = post(client, "hong.bin", data)
    assert r.status_code == 422
    body = r.json()
    assert body["error_code"] == code
    assert body["detail"].startswith("Không đọc được văn bản: ")
    assert body["documents"][0]["error_code"] == code and body["summary"]["failed"] == 1


def test_missing_file_and_bad_form_are_400(client):
    assert client.post("/api/v1/check", data={"kind": "auto"}).status_code in (400, 422)
    r = client.post("/api/v1/check", content=b"hello", headers={"content-type": "text/plain"})
    assert r.status_code == 400 and r.json()["error_code"] == "bad_form"


def test_client_path_never_used(client, temp_root):
    for name in ("../../../../tmp/dccs-evil-name.txt", "..\\..\\dccs-evil-name.txt"):
        r = post(client, name, TXT_MISSING.read_bytes())
        assert r.status_code == 200
        assert r.json()["documents"][0]["file"] == "dccs-evil-name.txt"  # the last component, display only
    assert not os.path.exists("/tmp/dccs-evil-name.txt")
    assert not (temp_root.parent / "dccs-evil-name.txt").exists()


def test_concurrent_requests_all_answered_correctly(client):
    inputs = [("a.txt", TXT_MISSING.read_bytes(), 200), ("b.docx", DOCX_COMPLETE.read_bytes(), 200),
              ("c.pdf", PDF_PLAN.read_bytes(), 200), ("d.docx", b"GIF89a" + b"\x00" * 100, 415),
              ("e.docx", DOCX_COMPLETE.read_bytes()[:3000], 422),
              ("f.txt", (CORPUS / "truong-thpt-v01-thieu-ban-thanh-tra.txt").read_bytes(), 200)]
    expected = {}
    for name, data, status in inputs:
        r = post(client, name, data)
        assert r.status_code == status
        expected[name] = r.json()
    jobs = [inputs[i % len(inputs)] for i in range(24)]
    with ThreadPoolExecutor(max_workers=24) as ex:
        answers = list(ex.map(lambda job: (job, post(client, job[0], job[1])), jobs))
    assert len(answers) == 24
    for (name, _, status), r in answers:
        assert r.status_code == status, (name, r.text[:200])
        assert r.json() == expected[name]


def test_timeout_is_504_and_the_worker_is_replaced(tmp_path):
    with TestClient(make_app(tmp_path, workers=1, timeout=0.001)) as c:
        before = c.app.state.pool.pids()
        r = post(c, "a.docx", DOCX_COMPLETE.read_bytes())
        assert r.status_code == 504
        assert r.json()["detail"].startswith("Xử lý văn bản quá 0.001 giây")
        assert c.app.state.pool.pids() != before
        assert os.listdir(tmp_path) == []
        r = post(c, "a.docx", DOCX_COMPLETE.read_bytes())  # the replacement answers (and times out) too
        assert r.status_code == 504


def test_dead_worker_costs_one_request_only(tmp_path):
    import signal

    with TestClient(make_app(tmp_path, workers=1)) as c:
        [pid] = c.app.state.pool.pids()
        os.kill(pid, signal.SIGKILL)  # as the kernel does to a worker over its memory limit
        r = post(c, "a.txt", TXT_MISSING.read_bytes())
        assert r.status_code == 422 and r.json()["error_code"] == "worker_died"
        assert "bộ nhớ" in r.json()["detail"]
        assert c.app.state.pool.pids() != [pid]
        assert post(c, "a.txt", TXT_MISSING.read_bytes()).status_code == 200  # the replacement answers
    assert os.listdir(tmp_path) == []


def test_full_queue_is_503(tmp_path):
    with TestClient(make_app(tmp_path, workers=1, queue=0)) as c:
        data = DOCX_COMPLETE.read_bytes()
        with ThreadPoolExecutor(max_workers=6) as ex:
            codes = list(ex.map(lambda _: post(c, "a.docx", data), range(6)))
        statuses = [r.status_code for r in codes]
        assert set(statuses) <= {200, 503} and 200 in statuses and 503 in statuses
        busy = next(r for r in codes if r.status_code == 503)
        assert busy.json()["error_code"] == "busy" and busy.headers["retry-after"]
        assert os.listdir(tmp_path) == []


def test_logs_carry_metadata_only(client, caplog):
    text = TXT_MISSING.read_text(encoding="utf-8")
    with caplog.at_level(logging.DEBUG):
        assert post(client, "bi-mat-noi-bo.txt", text.encode()).status_code == 200
        assert post(client, "x.docx", b"\x89PNG\r\n\x1a\n" + b"\x01" * 64).status_code == 415
    lines = [rec.getMessage() for rec in caplog.records]
    assert any("status=200" in m and "in=txt" in m for m in lines)
    assert any("status=415" in m for m in lines)
    logged = "\n".join(lines)
    assert "bi-mat-noi-bo" not in logged
    for line in (ln.strip() for ln in text.splitlines()):
        if len(line) > 12:
            assert line not in logged


def test_security_headers_and_offline_page(client):
    for path in ("/", "/docs", "/healthz", "/static/app.js"):
        r = client.get(path)
        assert r.status_code == 200
        for h in SECURITY:
            assert h in r.headers, (path, h)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    r = post(client, "x.docx", b"\x89PNG\r\n\x1a\n")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    page = client.get("/").text
    # No inline script (CSP forbids it): only external same-origin scripts and an inert JSON data block.
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag
    assert " style=" not in page
    assets = [page, client.get("/docs").text, client.get("/static/app.js").text, client.get("/static/app.css").text,
              client.get("/static/docs.js").text]
    for text in assets:
        # Nothing is fetched from another host (the page must work with no internet).
        assert not re.search(r"(src|href)=[\"']?(https?:)?//|url\(\s*[\"']?(https?:)?//|@import|fetch\(\s*[\"'`]"
                             r"(https?:)?//", text)
    assert "không lưu" in page.lower() and "20 MB" in page


def test_page_in_english(client):
    page = client.get("/?lang=en").text
    assert '<html lang="en">' in page and "Screen a draft" in page and "Nothing is kept" in page
    config = json.loads(re.search(r'<script type="application/json" id="config">(.*?)</script>', page).group(1))
    assert config["lang"] == "en" and config["t"]["status"]["missing"] == "Missing"
    assert '<html lang="vi">' in client.get("/").text
    r = post(client, "x.docx", b"\x89PNG\r\n\x1a\n", lang="en")
    assert r.status_code == 415 and r.json()["detail"].startswith("The file type is not recognised")


def test_rules_healthz_openapi(client, capsys):
    from pipeline.cli import main

    main(["rules", "list", "--format", "json"])
    assert client.get("/api/v1/rules").json() == json.loads(capsys.readouterr().out)
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["workers"] == 2 and "json" in h["formats"]
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/check", "/api/v1/rules", "/healthz"} <= set(spec["paths"])
    body = spec["paths"]["/api/v1/check"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["properties"]["file"]["format"] == "binary"
    assert '<script src="/static/docs.js"' in client.get("/docs").text


def deficient_docx() -> bytes:
    """The corpus variant without a Ban Thanh tra nhân dân as a DOCX (CQ-TR-TT labelled missing)."""
    from docx import Document

    doc = Document()
    for line in TXT_MISSING.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_downloads(client):
    """Each report format is served when its writer is in this build, else a clear 501."""
    formats = client.get("/healthz").json()["formats"]
    data = deficient_docx()
    for fmt in ("html", "xlsx", "docx"):
        r = post(client, "Dự thảo quy chế.docx", data, format=fmt)
        if fmt not in formats:
            assert r.status_code == 501 and r.json()["error_code"] == "format_unavailable"
            continue
        assert r.status_code == 200, r.text[:300]
        assert r.headers["content-disposition"].startswith('attachment; filename="du-thao-quy-che-')
        if fmt == "html":
            assert r.headers["content-type"].startswith("text/html")
            assert "CQ-TR-TT" in r.text and "Ban Thanh tra nhân dân" in r.text
        elif fmt == "xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
            cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
            assert "CQ-TR-TT" in cells
        else:
            comments = zipfile.ZipFile(io.BytesIO(r.content)).read("word/comments.xml").decode("utf-8")
            assert "CQ-TR-TT" in comments  # a Word comment at the missing Ban Thanh tra nhân dân
            r = post(client, "thieu.txt", TXT_MISSING.read_bytes(), format="docx")
            assert r.status_code == 400 and r.json()["error_code"] == "not_docx"


def _tcvn3_bytes(text: str) -> bytes:
    """Text as an old TCVN3 (.VnTime) file: 8-bit codes, not UTF-8 (table from PLATFORM-NOTES §6)."""
    u = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    t = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ"
    return text.lower().translate(str.maketrans(u, t)).encode("latin-1", errors="ignore")


@pytest.mark.parametrize("data,expected", [
    (TXT_MISSING.read_bytes(), "txt"),
    (TXT_MISSING.read_text(encoding="utf-8").encode("utf-16"), "txt"),
    (_tcvn3_bytes(TXT_MISSING.read_text(encoding="utf-8")), "txt"),
    (DOCX_COMPLETE.read_bytes(), "docx"),
    (DOCX_COMPLETE.read_bytes()[:3000], "docx"),  # damaged Word file: a reader error (422), not a wrong type
    (PDF_PLAN.read_bytes(), "pdf"),
    ((CORPUS / "xa-ke-hoach-dan-chu-2025.html").read_bytes(), "html"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), None),
    (bytes(range(256)) * 16, None),
    (_zip(["mimetype", "content.xml"]), None),  # an OpenDocument file
])
def test_type_from_content(data, expected):
    from pipeline.serve.sniff import recognise

    with pytest.raises(UnicodeDecodeError):  # the legacy sample really is 8-bit, not UTF-8
        _tcvn3_bytes("Cộng hòa xã hội chủ nghĩa Việt Nam").decode("utf-8")
    assert recognise(data) == expected
