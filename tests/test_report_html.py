"""HTML outputs: one report per document and the batch dashboard.

Results come from real corpus documents (regulations with deficient variants, DOCX, a plan, a report, a file
that is out of scope, an unreadable file, and a copy of a regulation carrying hostile markup). The pages are
checked twice: parsed with lxml (fast), and opened in headless Chromium (Debian's, driven by Playwright),
which also shows no request leaves the pages, every link resolves and the inline script runs under the CSP.
Screenshots land in outputs/screenshots/.
"""
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import lxml.html
import pytest

from conftest import CORPUS, ROOT
from pipeline.batch import Options, run_batch
from pipeline.check import context_of, default_ruleset
from pipeline.report import run_info
from pipeline.report import dashboard as dash
from pipeline.report.html import REPORT_CSS, SCRIPT, render_document_html, render_report_fragment
from pipeline.report.messages import STATUS_NAMES
from pipeline.report.outputs import BATCH_WRITERS, DOCUMENT_WRITERS, doc_basename, read_jsonl

AS_OF = "2026-01-01"
SHOTS = ROOT / "outputs" / "screenshots"
HOSTILE = '<script>window.__pwned = 1</script><img src="https://example.com/x.png" onerror="window.__pwned=2"> “q” \'a\' & "b"'
NAMES = ["so-noi-vu-v05-ban-ttnd-trai-luat.txt",  # three conflicts
         "so-noi-vu-v09-thieu-ban-thanh-tra-52-nguoi.txt",  # missing items
         "truong-thpt-v04-hoi-nghi-va-niem-yet-trai-luat.txt",
         "so-noi-vu-quyet-dinh-quy-che.docx",
         "xa-ke-hoach-dan-chu-2025.docx",  # a plan
         "truong-bao-cao-dan-chu-2024.txt",  # a report
         "so-noi-vu-v01-thieu-ban-thanh-tra.txt",  # undetermined: depends on the staff count
         "xa-ke-hoach-dan-chu-2025.pdf",  # evidence with PDF pages
         "README.md"]  # read, but no rule pack applies


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A batch written the way `dccs check --out` will: findings.jsonl, then the writers."""
    tmp = tmp_path_factory.mktemp("html")
    hostile = tmp / 'hostile <b>"name"<i>.txt'
    text = (CORPUS / NAMES[0]).read_text(encoding="utf-8")
    line = "3. Nhiệm kỳ của Ban Thanh tra nhân dân Sở là 03 năm."
    assert line in text
    hostile.write_text(text.replace(line, line + " " + HOSTILE), encoding="utf-8")
    broken = tmp / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    paths = [str(CORPUS / n) for n in NAMES] + [str(hostile), str(broken)]
    results = run_batch(paths, Options(as_of=AS_OF), jobs=0)
    run = run_info(default_ruleset(), AS_OF)
    out = tmp / "out"
    out.mkdir()
    with open(out / "findings.jsonl", "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    written = [p for r in results for p in DOCUMENT_WRITERS["html"](run, r, out, "vi")]
    index = BATCH_WRITERS["dashboard"](run, lambda: read_jsonl(out / "findings.jsonl"), out, "vi")
    return {"run": run, "results": results, "out": out, "written": written, "index": index[0],
            "by_name": {Path(r["file"]).name: r for r in results}}


def report_path(batch, name):
    return batch["out"] / "docs" / f"{doc_basename(batch['by_name'][name])}.html"


def parse(path: Path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def text_of(el) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


# ---- the evidence context (upstream key) ------------------------------------------------------------------

def test_every_evidence_has_its_paragraph_with_the_quote_inside(batch):
    n = 0
    for r in batch["results"]:
        for f in r["findings"]:
            for ev in f["evidence"]:
                ctx = ev["context"]
                assert ctx["text"][ctx["start"]:ctx["end"]] == ev["quote"]
                n += 1
    assert n > 100


def test_a_long_paragraph_is_cut_around_the_quote_at_spaces():
    para = ("Lorem ipsum dolor sit amet. " * 60) + "Nhiệm kỳ là 03 năm." + (" Sed do eiusmod tempor." * 60)
    start = para.index("Nhiệm kỳ")
    ctx = context_of(para, start, start + len("Nhiệm kỳ là 03 năm."))
    assert ctx["text"][ctx["start"]:ctx["end"]] == "Nhiệm kỳ là 03 năm."
    assert ctx["cut_before"] and ctx["cut_after"] and len(ctx["text"]) < 520
    assert para.find(ctx["text"]) > 0 and not ctx["text"].startswith(" ") and ctx["text"][0].isalpha()
    short = context_of("Điều 5. Công khai.", 8, 18)
    assert short == {"text": "Điều 5. Công khai.", "start": 8, "end": 18, "cut_before": False, "cut_after": False}
    assert context_of("", 0, 0) is None


# ---- the document report, parsed --------------------------------------------------------------------------

def test_report_names_the_run_and_summarises_the_document(batch):
    tree = parse(report_path(batch, NAMES[0]))
    body = text_of(tree)
    run = batch["run"]
    assert tree.get("lang") == "vi"
    for value in (run["rules_version"], run["legal_snapshot"], run["as_of"]):
        assert value in body
    for label in ("Báo cáo rà soát văn bản", "Thông tin văn bản", "Số, ký hiệu", "Cơ quan ban hành", "Bảng yêu cầu",
                  "Loại hình đơn vị"):
        assert label in body
    r = batch["by_name"][NAMES[0]]
    assert r["header"]["reference"] in body and "15/3/2024" in body
    assert "quyết định ban hành quy chế" in body and "cơ quan hành chính nhà nước" in body


def test_requirements_table_gives_each_rule_its_vietnamese_status_and_mark(batch):
    for name in (NAMES[0], NAMES[1], NAMES[4]):
        r = batch["by_name"][name]
        tree = parse(report_path(batch, name))
        rows = tree.cssselect("table.requirements tbody tr")
        assert len(rows) == len(r["findings"]) > 0
        status = {f["rule"]: f["status"] for f in r["findings"]}
        for row in rows:
            rule = text_of(row.cssselect("td.rule")[0])
            badge = row.cssselect(".st")[0]
            want = STATUS_NAMES["vi"][status[rule]]
            assert text_of(badge).endswith(want) and len(text_of(badge)) > len(want)  # mark + name
            assert f"st-{status[rule]}" in badge.get("class")
    body = text_of(parse(report_path(batch, NAMES[0])))
    assert "✗ Trái luật" in body and "✓ Đạt" in body
    assert "○ Thiếu" in text_of(parse(report_path(batch, NAMES[1])))
    undetermined = text_of(parse(report_path(batch, NAMES[6])))
    assert "? Chưa xác định" in undetermined and "dùng --staff N" in undetermined


def test_each_finding_has_its_evidence_highlighted_citation_and_wording(batch):
    r = batch["by_name"][NAMES[0]]
    tree = parse(report_path(batch, NAMES[0]))
    conflicts = [f for f in r["findings"] if f["status"] == "conflict"]
    assert len(conflicts) == 3
    for f in conflicts:
        art = tree.get_element_by_id(f"f-{f['rule']}")
        marks = [text_of(m) for m in art.cssselect("blockquote mark")]
        assert marks == [re.sub(r"\s+", " ", ev["quote"]).strip() for ev in f["evidence"]]
        body = text_of(art)
        assert f["citation"]["text"] in body and "Căn cứ pháp lý" in body
        assert f["evidence"][0]["location"] in body
        assert "Đề xuất sửa thành" in body and "Đề xuất nội dung bổ sung" not in body and text_of(art.cssselect(".suggestion")[0]) == \
            re.sub(r"\s+", " ", f["suggestion"]).strip()
    # the quote stands in its paragraph: text around the mark is the paragraph's
    art = tree.get_element_by_id("f-CQ-TT-10")
    assert "sau đó triệu tập phiên họp đầu tiên" in text_of(art.cssselect("blockquote")[0])


def test_pdf_evidence_gives_its_page(batch):
    r = batch["by_name"]["xa-ke-hoach-dan-chu-2025.pdf"]
    tree = parse(report_path(batch, "xa-ke-hoach-dan-chu-2025.pdf"))
    f = next(f for f in r["findings"] if f["evidence"] and f["status"] != "present")
    ev = f["evidence"][0]
    loc = text_of(tree.get_element_by_id(f"f-{f['rule']}").cssselect("p.loc")[0])
    assert loc == f"Vị trí: {ev['location']} · trang {ev['span']['page']}"


def test_english_dashboard(batch, tmp_path):
    index = dash.write_dashboard(batch["run"], lambda: iter(batch["results"]), tmp_path, "en")[0]
    body = text_of(parse(index))
    assert "Batch review dashboard" in body and "Legal snapshot" in body and "✗ conflict" in body
    assert "Tổng hợp" not in body


def test_revised_draft_shows_waivers_new_findings_and_resolved_ones(tmp_path):
    """The reviewer's loop: a draft with three conflicts is checked, then revised at the same path into one with
    missing items; one of those is waived. The report says what was fixed, what is new, and who waived what."""
    import yaml

    from pipeline.report.workflow import annotate, load_baseline, load_waivers

    draft = tmp_path / "du-thao.txt"
    draft.write_text((CORPUS / "so-noi-vu-v05-ban-ttnd-trai-luat.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = run_batch([str(draft)], Options(as_of=AS_OF), jobs=0)[0]
    prev = tmp_path / "prev"
    prev.mkdir()
    (prev / "findings.jsonl").write_text(json.dumps(before, ensure_ascii=False) + "\n", encoding="utf-8")
    draft.write_text((CORPUS / "so-noi-vu-v02-thieu-kiem-tra-giam-sat.txt").read_text(encoding="utf-8"),
                     encoding="utf-8")
    after = run_batch([str(draft)], Options(as_of=AS_OF), jobs=0)[0]
    missing = next(f["rule"] for f in after["findings"] if f["status"] == "missing")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(yaml.safe_dump([{"path": "du-thao.txt", "rule": missing, "reason": "Đã có quy chế riêng <b>",
                                        "by": "Lê Văn B", "date": "2026-01-05"}], allow_unicode=True), encoding="utf-8")
    annotate(after, load_waivers(waivers), load_baseline(prev))
    tree = lxml.html.fromstring(render_document_html(run_info(default_ruleset(), AS_OF), after))
    body = text_of(tree)
    flagged = [f for f in after["findings"] if f["status"] in ("missing", "partial", "conflict")]
    assert f"So với bản trước: {draft} (cùng đường dẫn) — {len(flagged)} mới, 0 như bản trước, 3 đã khắc phục" in body
    resolved = [text_of(li) for li in tree.cssselect("#resolved li")]
    assert len(resolved) == 3 and all(r.endswith("(trước đây: ✗ Trái luật)") for r in resolved)
    assert {r.split(" — ")[0] for r in resolved} == {f["rule"] for f in before["findings"] if f["status"] == "conflict"}
    art = tree.get_element_by_id(f"f-{missing}")
    assert "Đã chấp nhận: Đã có quy chế riêng <b> (người chấp nhận: Lê Văn B, 2026-01-05)" in text_of(art)
    assert [text_of(x) for x in art.cssselect("h3 .state")] == ["mới"] and "○ Thiếu" in text_of(art)
    partial = tree.get_element_by_id("f-CQ-GS-02")  # mentioned only outside its part
    assert text_of(partial.cssselect("h3 .st")[0]) == "! Chưa đầy đủ" and partial.cssselect("blockquote mark")
    index = dash.write_dashboard(run_info(default_ruleset(), AS_OF), lambda: iter([after]), tmp_path / "out", "vi")[0]
    assert (f"Rà soát: 1 phát hiện đã chấp nhận · {len(flagged)} phát hiện mới so với bản trước · "
            "3 phát hiện đã khắc phục") in text_of(parse(index))


def test_every_anchor_of_a_report_has_its_target(batch):
    for path in batch["written"]:
        tree = parse(path)
        ids = {el.get("id") for el in tree.iter() if el.get("id")}
        for a in tree.cssselect("a[href]"):
            href = a.get("href")
            assert href.startswith("#") and href[1:] in ids, (path.name, href)


def test_hostile_document_text_and_name_are_escaped(batch):
    name = 'hostile <b>"name"<i>.txt'
    path = report_path(batch, name)
    assert re.fullmatch(r"hostile-b-name-i-[0-9a-f]{8}\.html", path.name)
    tree = parse(path)
    scripts = tree.cssselect("script")
    assert [s.text for s in scripts] == [SCRIPT]  # only the page's own
    assert not tree.cssselect("img") and not tree.cssselect("b") and not tree.xpath("//@onerror")
    body = text_of(tree)
    assert name in body  # shown as text
    art = tree.get_element_by_id("f-CQ-TT-03")
    assert "<script>window.__pwned = 1</script>" in text_of(art.cssselect("blockquote")[0])
    raw = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned" in raw and "<script>window.__pwned" not in raw


def test_unreadable_and_out_of_scope_documents_say_so(batch):
    bad = text_of(parse(report_path(batch, "hong.docx")))
    assert "Không đọc được văn bản" in bad and batch["by_name"]["hong.docx"]["error"] in bad
    assert batch["run"]["rules_version"] in bad
    na = text_of(parse(report_path(batch, "README.md")))
    assert "không thuộc phạm vi áp dụng" in na


def test_english_report_and_embeddable_fragment(batch):
    r = batch["by_name"][NAMES[0]]
    en = lxml.html.fromstring(render_document_html(batch["run"], r, lang="en"))
    body = text_of(en)
    assert en.get("lang") == "en" and "Document review report" in body and "✗ conflict" in body
    assert "Legal snapshot" in body and "Báo cáo rà soát" not in body
    frag = render_report_fragment(batch["run"], r)
    div = lxml.html.fragment_fromstring(frag)
    assert div.tag == "div" and div.get("class") == "dccs-report" and not div.cssselect("script, style")
    # the CSS styles only inside the report, so a host page keeps its own look
    selectors = [s.strip() for block in re.findall(r"(?:^|})([^{}@]+){", REPORT_CSS) for s in block.split(",")]
    assert selectors and all(s.startswith(".dccs-report") for s in selectors if s), selectors


def test_report_is_self_contained(batch):
    for path in batch["written"]:
        raw = path.read_text(encoding="utf-8")
        tree = lxml.html.fromstring(raw)
        assert not tree.cssselect("link, img, iframe, object, embed, script[src]")
        assert "@import" not in raw and "url(" not in raw and "@font-face" not in raw
        csp = tree.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
        assert "default-src 'none'" in csp
        assert "@page{size:A4" in raw


# ---- the dashboard, parsed ----------------------------------------------------------------------------------

def test_dashboard_totals_worst_documents_and_full_list(batch):
    tree = parse(batch["index"])
    body = text_of(tree)
    run = batch["run"]
    for value in (run["rules_version"], run["legal_snapshot"], run["as_of"], "Tổng hợp kết quả rà soát",
                  "Văn bản có vấn đề nghiêm trọng nhất", "Bản đồ nhiệt"):
        assert value in body
    tiles = {text_of(t)[len(t.find("b").text):]: int(t.find("b").text) for t in tree.cssselect(".tile")}
    results = batch["results"]
    assert tiles["Số văn bản"] == len(results) == 11
    assert tiles["Không đọc được"] == 1 and tiles["Ngoài phạm vi áp dụng"] == 1
    assert tiles["Có lỗi"] == sum(1 for r in results if r["severity_counts"]["error"])
    rows = tree.cssselect("#all tbody tr")
    assert [text_of(r.cssselect("td")[1]) for r in rows] == [Path(r["file"]).name for r in results]
    broken = rows[-1]
    assert broken.get("data-verdict") == "error" and results[-1]["error"] in text_of(broken)
    failed = tree.cssselect("#failed tbody tr")  # unreadable documents also have a section of their own
    assert [[text_of(td) for td in r.cssselect("td")] for r in failed] == [["hong.docx", results[-1]["error"]]]
    worst = tree.cssselect("#worst tbody tr")
    first = text_of(worst[0].cssselect("td")[0])
    top = max(results, key=lambda r: (r["severity_counts"]["error"], r["counts"]["conflict"]) if not r["error"] else (-1, 0))
    assert Path(top["file"]).name in first


def test_dashboard_links_resolve_to_the_reports(batch):
    tree = parse(batch["index"])
    hrefs = [a.get("href") for a in tree.iter("a") if a.get("href")] + \
            [a.get("href") for a in tree.xpath("//*[local-name()='a']") if a.get("href")]
    assert len(set(hrefs)) == len(batch["results"])  # every document has its report
    for href in hrefs:
        assert (batch["out"] / href).is_file(), href


def test_heat_map_has_a_row_per_checked_document_with_marks(batch):
    tree = parse(batch["index"])
    svg = tree.xpath("//*[local-name()='svg']")[0]
    applicable = [r for r in batch["results"] if r["findings"]]
    rows = svg.xpath(".//*[local-name()='a']")
    assert len(rows) == len(applicable)
    titles = [text_of(t) for t in svg.xpath(".//*[local-name()='g']/*[local-name()='title']")]
    assert any(t.endswith(": Trái luật") for t in titles) and any(t.endswith(": Đạt") for t in titles)
    marks = {text_of(t) for t in svg.xpath(".//*[local-name()='g']/*[local-name()='text']")}
    assert {"✗", "✓", "○"} <= marks
    assert "Hiển thị tất cả 9 văn bản" in text_of(tree)


def test_heat_map_is_capped_on_a_large_batch_and_memory_stays_streamed(batch, tmp_path, monkeypatch):
    """A batch of 600 results (the real ones repeated): the picture keeps the HEATMAP_MAX worst, says so, and the
    full list still names every document; the writer reads the stream once and holds no list of results."""
    monkeypatch.setattr(dash, "HEATMAP_MAX", 40)
    src = batch["out"] / "findings.jsonl"
    calls = []

    def results():
        calls.append(1)
        for _ in range(600 // len(batch["results"]) + 1):
            yield from read_jsonl(src)

    out = tmp_path / "big"
    index = dash.write_dashboard(batch["run"], results, out, "vi")[0]
    tree = parse(index)
    svg = tree.xpath("//*[local-name()='svg']")[0]
    assert len(svg.xpath(".//*[local-name()='text'][@x='4']")) == 40
    n = (600 // len(batch["results"]) + 1) * len(batch["results"])
    assert len(tree.cssselect("#all tbody tr")) == n and len(calls) == 1
    assert re.search(r"Hiển thị 40 văn bản có vấn đề nghiêm trọng nhất trên tổng số \d+", text_of(tree))
    # no report was written in this folder: the dashboard says so instead of linking to nothing
    assert not [a for a in tree.iter("a") if a.get("href")]
    assert "chưa tạo báo cáo" in text_of(tree)


# ---- in a real browser ------------------------------------------------------------------------------------

# the `browser` fixture (headless Debian chromium) is in conftest.py


@pytest.fixture(scope="module")
def served(batch):
    """The output folder on a local HTTP server, so a link that does not resolve shows as a 404."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(batch["out"]))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def page(browser, served):
    """A page that records every request and every console error, and refuses anything off the local server."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 1500})
    pg = ctx.new_page()
    pg.requests, pg.errors = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))

    def route(r):
        pg.requests.append(r.request.url)
        r.continue_() if r.request.url.startswith(served) else r.abort()

    ctx.route("**/*", route)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield pg
    ctx.close()


def test_browser_dashboard_and_every_link(page, served, batch):
    resp = page.goto(served + "index.html")
    assert resp.status == 200
    body = page.inner_text("body")
    assert "Tổng hợp kết quả rà soát" in body and batch["run"]["legal_snapshot"] in body
    assert "✗ Trái luật" in body and "✓ Đạt" in body and batch["by_name"]["hong.docx"]["error"] in body
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    links = page.eval_on_selector_all(
        "a", "els => els.map(a => new URL(a.getAttribute('href'), document.baseURI).href)")
    assert len(set(links)) == len(batch["results"])
    for url in sorted(set(links)):
        r = page.request.get(url)
        assert r.status == 200, url
    # the inline script ran under the CSP: the list can show the unreadable documents only
    assert page.locator("#all tbody tr").nth(0).is_visible()
    page.select_option("#verdict-filter select", "error")
    visible = [t for t in page.locator("#all tbody tr").all() if t.is_visible()]
    assert len(visible) == 1 and "hong.docx" in visible[0].inner_text()
    # a real click through the heat map to a report
    page.click("svg a >> nth=0")
    page.wait_for_load_state()
    assert "/docs/" in page.url and "Báo cáo rà soát văn bản" in page.inner_text("h1")
    assert all(u.startswith(served) for u in page.requests) and not page.errors, (page.requests, page.errors)


def test_browser_report_statuses_anchors_filter_and_no_network(page, served, batch):
    r = batch["by_name"][NAMES[0]]
    page.goto(served + f"docs/{doc_basename(r)}.html")
    assert page.title().startswith("Báo cáo rà soát văn bản")
    text = page.inner_text("body")
    assert "Bảng yêu cầu" in text and "✗ Trái luật" in text and batch["run"]["rules_version"] in text
    page.screenshot(path=str(SHOTS / "report.png"), full_page=False)
    # every in-page link has its target, and following one brings the finding into view
    targets = page.eval_on_selector_all("a[href^='#']", "els => els.map(a => a.getAttribute('href').slice(1))")
    assert len(targets) > len(r["findings"])
    missing = page.evaluate("ids => ids.filter(i => !document.getElementById(i))", targets)
    assert missing == []
    page.click("a[href='#f-CQ-TT-03']")
    assert page.is_visible("#f-CQ-TT-03 mark")
    page.screenshot(path=str(SHOTS / "report-finding.png"))
    # the inline script ran under the page's CSP: the status filter hides the met requirements
    assert page.is_visible(".filters")
    present = page.locator("table.requirements tr[data-status='present']")
    assert present.first.is_visible()
    page.uncheck(".filters input[value='present']")
    assert not present.first.is_visible() and page.locator("tr[data-status='conflict']").first.is_visible()
    assert all(u.startswith(served) for u in page.requests) and not page.errors, (page.requests, page.errors)


def test_browser_hostile_report_runs_nothing_and_loads_nothing(page, served, batch):
    r = batch["by_name"]['hostile <b>"name"<i>.txt']
    page.goto(served + f"docs/{doc_basename(r)}.html")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.inner_text("#f-CQ-TT-03 blockquote")
    assert not [u for u in page.requests if "example.com" in u]
    assert len(page.requests) == 1  # the page itself: no font, style, image or script from anywhere
    page.locator("#f-CQ-TT-03").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "report-hostile.png"))


def test_browser_prints_the_report_on_a4(page, served, batch, tmp_path):
    import pypdfium2

    r = batch["by_name"][NAMES[1]]
    page.goto(served + f"docs/{doc_basename(r)}.html")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    doc = pypdfium2.PdfDocument(str(pdf))
    w, h = doc[0].get_size()
    assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2  # A4 in points, from the page's @page rule
    text = doc[0].get_textpage().get_text_range()
    assert "Báo cáo rà soát văn bản" in text
    assert 1 <= len(doc) <= 15
    shutil.copy(pdf, SHOTS / "report-print.pdf")
