"""Word outputs: the commented DOCX (one comment per flagged finding, on the right text) and the letter.

The deficient DOCX is the corpus's complete Sở regulation edited in Word's own format (python-docx):
three disclosure items deleted (v03), two values made unlawful (v04), Mục 1 of Chương VI removed (v02: the
kiểm tra, giám sát items) and the Ban Thanh tra nhân dân's term deleted, so it carries conflicts, missing
items with and without a section to add them to, and a finding that depends on the staff count.
"""
from __future__ import annotations

import copy
import io
from pathlib import Path

import docx
import pytest

from pipeline.batch import Options, check_one
from pipeline.check import default_ruleset
from pipeline.ingest.docx_reader import open_document, paragraph_map, read_docx
from pipeline.report import run_info
from pipeline.report.docx_comments import (AUTHOR, INITIALS, _runs_for, comment_letter, commented_docx,
                                           document_phrase, flagged)
from pipeline.report.outputs import DOCUMENT_WRITERS, doc_basename
from tests.conftest import CORPUS, REAL_DOCS, skip_or_fail

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AS_OF = "2025-01-01"
COMPLETE = CORPUS / "so-noi-vu-quyet-dinh-quy-che.docx"


def deficient_docx(path: Path) -> Path:
    d = docx.Document(str(COMPLETE))
    ps = d.paragraphs

    def drop(p):
        p._p.getparent().remove(p._p)

    for start in ("Kế hoạch công tác hằng năm, hằng quý", "Về đầu tư công", "Văn bản chỉ đạo, điều hành"):
        drop(next(p for p in ps if p.text.startswith(start)))
    for start, old, new in (("Các nội dung quy định tại Điều 4", "chậm nhất là 05 ngày làm việc", "chậm nhất là 10 ngày"),
                            ("Hội nghị hợp lệ khi", "hai phần ba", "một nửa")):
        run = next(p for p in ps if p.text.startswith(start)).runs[0]
        assert old in run.text
        run.text = run.text.replace(old, new)
    i = next(i for i, p in enumerate(ps) if p.text == "Mục 1")
    j = next(i for i, p in enumerate(ps) if p.text == "Mục 2")
    for p in ps[i:j]:
        drop(p)
    drop(next(p for p in ps if p.text == "Nhiệm kỳ của Ban Thanh tra nhân dân Sở là 02 năm."))
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def run():
    return run_info(default_ruleset(), AS_OF)


@pytest.fixture(scope="module")
def deficient(tmp_path_factory):
    path = deficient_docx(tmp_path_factory.mktemp("docx") / "quy-che-thieu.docx")
    return path, check_one(str(path), Options(as_of=AS_OF))


def anchors(document) -> dict[str, str]:
    """Comment id -> the text between its w:commentRangeStart and w:commentRangeEnd, in document order."""
    open_, out = {}, {}
    for el in document.element.body.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "t"):
        if el.tag == W + "commentRangeStart":
            open_[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            out[el.get(W + "id")] = "".join(open_.pop(el.get(W + "id")))
        else:
            for texts in open_.values():
                texts.append(el.text or "")
    assert not open_, "a comment range is never closed"
    return out


def test_fixture_has_every_kind_of_finding(deficient):
    _, result = deficient
    assert result["error"] is None and result["format"] == "docx"
    statuses = {f["status"] for f in flagged(result)}
    assert {"conflict", "missing", "partial", "undetermined"} <= statuses
    missing = [f for f in result["findings"] if f["status"] == "missing"]
    assert any(f.get("where_span") for f in missing) and any(not f.get("where_span") for f in missing)
    # missing but for the staff count (not given): undetermined, and still told where it belongs
    (term,) = [f for f in result["findings"] if f["rule"] == "CQ-TT-03"]
    assert term["status"] == "undetermined" and term["where"] == "Quy chế › Chương VI › Mục 2"


def test_where_span_is_the_heading_of_where(deficient):
    path, result = deficient
    blocks = {b.index: b for b in read_docx(path.read_bytes())[0]}
    with_where = [f for f in result["findings"] if f.get("where")]
    assert with_where
    for f in with_where:
        span = f["where_span"]
        assert span["path"] == f["where"]
        assert blocks[span["block"]].text[span["start"]:span["end"]] == f["where"].split(" › ")[-1]
    assert all(f.get("where_span") is None for f in result["findings"] if f["status"] not in
               ("missing", "partial", "undetermined"))


def test_commented_docx_one_comment_per_finding_on_its_text(deficient, run):
    path, result = deficient
    source = path.read_bytes()
    out = docx.Document(io.BytesIO(commented_docx(source, result, run)))
    comments = list(out.comments)
    expected = flagged(result)
    assert len(comments) == len(expected) > 10
    anchor_of = anchors(out)
    original = {b.index: b.text for b in read_docx(source)[0]}
    title = result["header"]["title"]
    seen = set()
    for c in comments:
        assert (c.author, c.initials) == (AUTHOR, INITIALS)
        f = next(f for f in expected if f"] {f['rule']}: " in c.text.splitlines()[0])
        seen.add(f["rule"])
        text, anchor = c.text, anchor_of[str(c.comment_id)]
        assert f["message"] in text and f["citation"]["text"] in text
        if f.get("suggestion"):
            assert f["suggestion"] in text
        assert run["rules_version"] in text and run["as_of"] in text and run["legal_snapshot"] in text
        if f["evidence"]:
            ev = f["evidence"][0]
            assert anchor == ev["quote"] == original[ev["span"]["block"]][ev["span"]["start"]:ev["span"]["end"]]
        elif f.get("where_span"):
            span = f["where_span"]
            assert anchor == original[span["block"]][span["start"]:span["end"]] == f["where"].split(" › ")[-1]
            assert f["where"] in text
        else:
            assert anchor == title and "Không xác định được vị trí" in text
    assert seen == {f["rule"] for f in expected}
    # the comments change nothing the reader sees: same blocks, same text
    assert {b.index: b.text for b in read_docx(commented_docx(source, result, run))[0]} == original


def test_commented_docx_rechecks_to_the_same_findings(deficient, run, tmp_path):
    path, result = deficient
    again = tmp_path / "quy-che-thieu.nhan-xet.docx"
    again.write_bytes(commented_docx(path.read_bytes(), result, run))
    rechecked = check_one(str(again), Options(as_of=AS_OF))
    assert [(f["rule"], f["status"], [e["span"] for e in f["evidence"]]) for f in rechecked["findings"]] == \
        [(f["rule"], f["status"], [e["span"] for e in f["evidence"]]) for f in result["findings"]]


def test_waived_finding_is_marked_accepted_not_dropped(deficient, run):
    path, result = deficient
    result = copy.deepcopy(result)
    target = next(f for f in result["findings"] if f["status"] == "conflict")
    target["waived"], target["waiver_reason"] = True, "Đơn vị đã sửa trong bản trình ký"
    out = docx.Document(io.BytesIO(commented_docx(path.read_bytes(), result, run)))
    texts = [c.text for c in out.comments if f"] {target['rule']}: " in c.text]
    assert len(texts) == 1 and "Đã chấp nhận" in texts[0] and "Đơn vị đã sửa trong bản trình ký" in texts[0]
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(comment_letter(result, run))).paragraphs)
    assert target["message"] not in letter and "1 nội dung đã được người rà soát chấp nhận" in letter


def test_commented_docx_refuses_other_bytes(deficient, run):
    _, result = deficient
    with pytest.raises(ValueError):
        commented_docx(COMPLETE.read_bytes(), result, run)


def letter_text(data: bytes) -> tuple[docx.document.Document, str]:
    d = docx.Document(io.BytesIO(data))
    cells = [p.text for t in d.tables for cell in t.rows[0].cells for p in cell.paragraphs]
    return d, "\n".join(cells + [p.text for p in d.paragraphs])


def test_letter_lists_conflicts_missing_and_citations(deficient, run):
    _, result = deficient
    d, text = letter_text(comment_letter(result, run))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: ……/……" in text and "ngày …… tháng …… năm 20……" in text and "V/v góp ý Quyết định" in text
    assert f"Kính gửi: {result['header']['issuer'][-1]}" in text
    assert document_phrase(result) in text and "125/QĐ-SNV" in text and "15/3/2024" in text
    sections = [p.text for p in d.paragraphs if p.runs and p.runs[0].bold]
    assert sections == ["1. Nội dung trái quy định của pháp luật", "2. Nội dung còn thiếu hoặc chưa đầy đủ",
                        "3. Nội dung cần làm rõ"]
    paragraphs = [p.text for p in d.paragraphs]
    points = [p.split(")")[0] for p in paragraphs if ")" in p[:3]]
    assert points[points.index("d"):points.index("d") + 4] == ["d", "đ", "e", "g"]  # Vietnamese lettering
    assert "f" not in points
    for f in flagged(result):
        item = next(p for p in paragraphs if f["message"].rstrip(".") in p)
        assert f["citation"]["text"] in item
        if f["status"] == "conflict":
            assert f["evidence"][0]["location"] in item and f["evidence"][0]["quote"][:60] in item
        if f.get("where"):
            assert f"Vị trí bổ sung: {f['where']}" in item
        if f.get("suggestion"):
            assert f["suggestion"].strip() in item
    assert "Nơi nhận:" in text and "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ" in text
    footer = d.sections[0].footer.paragraphs[0].text
    assert run["rules_version"] in footer and run["legal_snapshot"] in footer and run["as_of"] in footer
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    normal = d.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14


def test_letter_in_english(deficient, run):
    _, result = deficient
    _, text = letter_text(comment_letter(result, run, lang="en"))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and "1. Provisions contrary to the law" in text
    assert "To: SỞ NỘI VỤ" in text and "Kính gửi" not in text
    assert all(f["citation"]["text"] in text for f in flagged(result))


def test_complete_document_gets_no_comment_and_a_clean_letter(run):
    result = check_one(str(COMPLETE), Options(as_of=AS_OF))
    # the complete regulation lacks nothing; what is left to look at is the provincial decisions it cites,
    # which the instrument registry does not know (LB-04, info) — set those aside for the no-finding case
    rest = [f for f in flagged(result) if f["rule"] != "LB-04"]
    assert result["applicable"] and not rest
    assert all(f["status"] == "undetermined" and f["severity"] == "info" for f in flagged(result))
    result = {**result, "findings": [f for f in result["findings"] if f["rule"] != "LB-04"]}
    out = docx.Document(io.BytesIO(commented_docx(COMPLETE.read_bytes(), result, run)))
    (note,) = out.comments  # no finding: one note on the title naming the rules, snapshot and date
    assert anchors(out)[str(note.comment_id)] == result["header"]["title"]
    assert "chưa phát hiện" in note.text and run["rules_version"] in note.text and run["as_of"] in note.text
    assert run["legal_snapshot"] in note.text
    _, text = letter_text(comment_letter(result, run))
    assert "chưa phát hiện nội dung trái quy định" in text and "1. Nội dung" not in text


def test_writers_by_input_format(deficient, run, tmp_path):
    path, result = deficient
    docx_writer, letter_writer = DOCUMENT_WRITERS["docx"], DOCUMENT_WRITERS["letter"]
    made = docx_writer(run, result, tmp_path, "vi") + letter_writer(run, result, tmp_path, "vi")
    stem = doc_basename(result)
    assert made == [tmp_path / "docs" / f"{stem}.nhan-xet.docx", tmp_path / "docs" / f"{stem}.thu-gop-y.docx"]
    assert len(list(docx.Document(str(made[0])).comments)) == len(flagged(result))

    txt = check_one(str(CORPUS / "so-noi-vu-v04-cong-khai-10-ngay-tuc-so-mot-nua.txt"), Options(as_of=AS_OF))
    assert txt["format"] == "txt" and any(f["status"] == "conflict" for f in txt["findings"])
    assert docx_writer(run, txt, tmp_path, "vi") == []
    (letter,) = letter_writer(run, txt, tmp_path, "vi")
    assert letter.name.endswith(".thu-gop-y.docx")
    _, text = letter_text(letter.read_bytes())
    assert all(f["citation"]["text"] in text for f in flagged(txt))

    pdf = check_one(str(CORPUS / "so-noi-vu-quyet-dinh-quy-che.pdf"), Options(as_of=AS_OF))
    assert pdf["format"] == "pdf" and pdf["applicable"]
    assert docx_writer(run, pdf, tmp_path, "vi") == [] and len(letter_writer(run, pdf, tmp_path, "vi")) == 1

    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    bad = check_one(str(broken), Options(as_of=AS_OF))
    assert bad["error"]
    assert docx_writer(run, bad, tmp_path, "vi") == [] and letter_writer(run, bad, tmp_path, "vi") == []


def test_changed_file_gets_no_commented_docx(deficient, run, tmp_path):
    path, result = deficient
    moved = copy.deepcopy(result)
    moved["file"] = str(COMPLETE)  # not the bytes the findings were made from
    assert DOCUMENT_WRITERS["docx"](run, moved, tmp_path, "vi") == []


# ------------------------------------------------- the reader's walk, found again
def docx_inputs() -> list[Path]:
    return [COMPLETE, CORPUS / "xa-ke-hoach-dan-chu-2025.docx", *sorted(REAL_DOCS.glob("*.docx"))]


def test_paragraph_map_and_run_splits_on_real_files():
    files = docx_inputs()
    if len(files) < 3:
        skip_or_fail(f"no real DOCX in {REAL_DOCS}")
    split_checked = 0
    for path in files:
        data = path.read_bytes()
        blocks = read_docx(data)[0]
        document = open_document(data)
        paras = paragraph_map(document)
        for b in blocks:
            pr = paras[b.index]
            assert pr.text == b.text, path.name
            for r, a, e, n in pr.runs:
                if n == e - a:
                    assert "".join(t.text or "" for t in r.iter(W + "t")) == b.text[a:e].replace("\t", "").replace("\n", "")
        # anchor inside runs: split where a span starts and ends, and the text is unchanged
        for b in blocks:
            pr = paras[b.index]
            if len(pr.runs) < 2 or len(b.text) < 12:
                continue
            start, end = pr.runs[0][1] + 1, pr.runs[-1][2] - 1
            if start >= end:
                continue
            covered = _runs_for(pr, start, end)
            got = "".join(t.text or "" for r in covered for t in r.iter(W + "t"))
            assert got == b.text[start:end].replace("\t", "").replace("\n", ""), (path.name, b.index)
            split_checked += 1
        out = io.BytesIO()
        document.save(out)
        assert [x.text for x in read_docx(out.getvalue())[0]] == [x.text for x in blocks], path.name
    assert split_checked > 50


def test_letter_calls_a_draft_a_draft_on_real_files(run):
    """Real drafts leave the number or the day blank ("Số:   /KH-MTTQ-BTT"): the letter says "dự thảo"."""
    files = sorted(REAL_DOCS.glob("*.docx"))
    if not files:
        skip_or_fail(f"no real DOCX in {REAL_DOCS}")
    drafts = 0
    for path in files:
        result = check_one(str(path), Options(as_of=AS_OF))
        h, date = result["header"], result["date"] or {}
        draft = h["reference"] is None or h["reference"].startswith("/") or not date.get("day")
        drafts += draft
        _, text = letter_text(comment_letter(result, run))
        vv = next(line for line in text.splitlines() if line.startswith("V/v góp ý "))
        assert vv.startswith("V/v góp ý dự thảo ") == draft, (path.name, vv)
        assert h["doc_type"] in vv
        if h["reference"] and h["reference"].startswith("/"):
            assert f"số ……{h['reference']}" in text  # the blank number shows as a blank to fill
    assert 0 < drafts < len(files)


def test_comments_in_english(deficient, run):
    path, result = deficient
    out = docx.Document(io.BytesIO(commented_docx(path.read_bytes(), result, run, lang="en")))
    texts = [c.text for c in out.comments]
    assert len(texts) == len(flagged(result))
    assert all("Legal basis: " in t and f"rules {run['rules_version']} · as of {run['as_of']}" in t for t in texts)
    assert any(t.startswith("[conflict · error] ") for t in texts) and not any("Căn cứ" in t for t in texts)
