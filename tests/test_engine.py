"""The checking engine on small documents with rules built here (independent of the packs):
scope, paraphrase, numbers in words, units, the law's direction, applicability, statuses."""
import datetime as dt
from fractions import Fraction

import pytest

from pipeline.check import check
from pipeline.check.kinds import CHECK_KINDS
from pipeline.check.rules import Pack, Rule, RuleSet
from pipeline.check.view import build_view
from pipeline.classify import classify
from pipeline.ingest import read_bytes
from pipeline.normalize import normalize
from pipeline.structure import structure
from pipeline.vntext import fold
from pipeline.vntext.numbers import find_quantities
from pipeline.vntext.nlp import PhraseIndex

PACK = Pack.model_validate({"pack": "t", "title": {"vi": "t", "en": "t"}, "scopes": {
    "cong_khai": {"headings": ["công khai"]}, "hoi_nghi": {"headings": ["hội nghị"]}}})


def rule(check, rid="T-01", severity="warning", condition=None):
    return Rule.model_validate({
        "id": rid, "title": {"vi": "Thử", "en": "Test"}, "pack": "t",
        "applies_to": {"kinds": ["quy_che", "quyet_dinh_ban_hanh_quy_che"], "unit_types": ["co_quan_hanh_chinh"],
                       **({"condition": condition} if condition else {})},
        "legal_basis": {"instrument": "10/2022/QH15", "article": 47, "clause": 2}, "severity": severity,
        "check": check, "message": {"vi": "thiếu", "en": "missing"}, "suggestion": "bổ sung",
        "valid": {"from": "2023-07-01"}, "examples": {"pass": ["x"], "fail": ["y"]}})


def run(r, text):
    doc = structure(normalize(read_bytes(text.encode("utf-8"), "t.txt", ".txt")))
    kind = CHECK_KINDS[r.check.kind]
    index = PhraseIndex(kind.phrases(r) | {fold(h) for s in PACK.scopes.values() for h in s.headings})
    return kind.evaluate(r, build_view(doc, index, PACK.scopes))


DEADLINE = {"kind": "value.v1", "scope": "cong_khai", "context": [["công khai"], ["chậm nhất", "trong thời hạn"]],
            "exclude": ["liên tục"], "units": ["working_day", "day", "month"], "unit": "working_day",
            "lawful": {"max": 5}, "law_value": "05 ngày làm việc"}
BODY = "Chương II. CÔNG KHAI THÔNG TIN\nĐiều 6. Thời điểm công khai\n{}\nChương III. HỘI NGHỊ\nĐiều 7. Hội nghị\n{}"


@pytest.mark.parametrize("sentence,status", [
    ("Thông tin được công khai chậm nhất là 05 ngày làm việc kể từ ngày ban hành.", "present"),
    ("Thông tin được công khai chậm nhất là 03 ngày làm việc kể từ ngày ban hành.", "present"),  # stricter
    ("Thông tin được CÔNG KHAI chậm nhất là năm ngày làm việc.", "present"),  # words, capitals
    ("Thông tin được công khai chậm nhất là 10 ngày làm việc.", "conflict"),
    ("Thông tin được công khai chậm nhất là mười ngày kể từ ngày ký.", "conflict"),  # calendar days, clearly more
    ("Thông tin được công khai chậm nhất là 05 ngày kể từ ngày ký.", "present"),  # 5 calendar ≤ 5 working
    ("Thông tin được công khai chậm nhất là 07 ngày kể từ ngày ký.", "undetermined"),  # depends on days off
    ("Thông tin được công khai trong thời hạn 01 tháng.", "conflict"),
    ("Thông tin được công khai kịp thời, chậm nhất theo quy định.", "partial"),  # no figure
    ("Thông tin được niêm yết ít nhất 30 ngày liên tục.", "missing"),  # another rule's sentence
])
def test_value_direction_units_and_words(sentence, status):
    assert run(rule(DEADLINE), BODY.format(sentence, "Hội nghị mỗi năm một lần.")).status == status


def test_conflict_quotes_both_values():
    out = run(rule(DEADLINE), BODY.format("Nội dung được công khai chậm nhất là 10 ngày làm việc.", "-"))
    assert out.detail == {"doc_value": "10 ngày làm việc", "law_value": "05 ngày làm việc"}


def test_value_outside_its_part_is_not_read():
    text = BODY.format("Các nội dung phải công khai.", "Kết quả hội nghị được công khai chậm nhất 30 ngày.")
    assert run(rule(DEADLINE), text).status == "missing"  # the only deadline sentence is in another part


QUORUM = {"kind": "value.v1", "scope": "hoi_nghi", "context": [["hội nghị"], ["tham dự", "có mặt"]],
          "units": ["ratio"], "unit": "ratio", "lawful": {"min": 0.6666666}, "law_value": "ít nhất hai phần ba"}


@pytest.mark.parametrize("sentence,status", [
    ("Hội nghị hợp lệ khi có ít nhất hai phần ba tổng số người được triệu tập tham dự.", "present"),
    ("Hội nghị hợp lệ khi có ít nhất 2/3 tổng số cán bộ tham dự.", "present"),
    ("Hội nghị hợp lệ khi có ba phần tư số người tham dự.", "present"),  # stricter
    ("Hội nghị hợp lệ khi có một nửa số người tham dự.", "conflict"),
    ("Hội nghị hợp lệ khi có 50% số người có mặt.", "conflict"),
])
def test_fractions(sentence, status):
    assert run(rule(QUORUM), BODY.format("-", sentence)).status == status


PRESENCE = {"kind": "presence.v1", "scope": "cong_khai", "cues": [["dự toán", "ngân sách"], ["quyết toán", "thuyết minh"]]}


@pytest.mark.parametrize("text,status", [
    (BODY.format("1. Dự toán ngân sách được giao và quyết toán ngân sách hằng năm.", "-"), "present"),
    # paraphrase and merged items: one khoản covering budget, assets and investment
    (BODY.format("1. Công khai DỰ TOÁN, QUYẾT TOÁN và tài sản công, đầu tư công.", "-"), "present"),
    (BODY.format("1. Kế hoạch công tác hằng năm.", "Hội nghị thảo luận dự toán và quyết toán."), "partial"),
    (BODY.format("1. Kế hoạch công tác hằng năm.", "-"), "missing"),
])
def test_presence_scope_and_paraphrase(text, status):
    out = run(rule(PRESENCE), text)
    assert out.status == status


YEAR_END = {"kind": "presence.v1", "scope": "hoi_nghi", "cues": [["hội nghị thôn"], ["cuối năm", "mỗi năm một lần"]],
            "bound": {"context": [["hội nghị"], ["năm", "tháng", "quý"]], "units": ["month", "quarter"], "unit": "month",
                      "lawful": {"min": 10}, "law_value": "vào cuối năm"}}
YEAR_END_BODY = "Chương II. CÔNG KHAI\nĐiều 6. Công khai\n-\nChương III. HỘI NGHỊ\nĐiều 7. Hội nghị thôn cuối năm\n{}"


@pytest.mark.parametrize("sentence,status", [
    ("Mỗi năm một lần, Trưởng thôn triệu tập hội nghị định kỳ.", "present"),  # no month: the title's year end
    ("Vào tháng 12 hằng năm, Trưởng thôn triệu tập hội nghị định kỳ.", "present"),
    ("Vào quý IV, Trưởng thôn triệu tập hội nghị định kỳ.", "present"),
    # the presence is there, but the time the item sets is unlawful
    ("Mỗi năm một lần, trong 06 tháng đầu năm, Trưởng thôn triệu tập hội nghị định kỳ.", "conflict"),
])
def test_presence_bound_makes_an_unlawful_value_a_conflict(sentence, status):
    out = run(rule(YEAR_END), YEAR_END_BODY.format(sentence))
    assert out.status == status
    if status == "conflict":
        assert out.detail["doc_value"] == "06 tháng đầu năm" and out.detail["law_value"] == "vào cuối năm"


def test_presence_evidence_is_the_smallest_item():
    text = BODY.format("Các nội dung sau đây được công khai:\n1. Kế hoạch công tác.\n"
                       "2. Dự toán ngân sách và quyết toán.", "-")
    doc = structure(normalize(read_bytes(text.encode(), "t.txt", ".txt")))
    r = rule(PRESENCE)
    index = PhraseIndex(CHECK_KINDS["presence.v1"].phrases(r) | {"công khai", "hội nghị"})
    view = build_view(doc, index, PACK.scopes)
    out = CHECK_KINDS["presence.v1"].evaluate(r, view)
    assert view.items[out.item].path == "Văn bản › Chương II › Điều 6 › khoản 2"


def test_section_present_missing():
    sec = {"kind": "section.v1", "scope": "hoi_nghi", "cues": [["hội nghị"]]}
    assert run(rule(sec), BODY.format("-", "-")).status == "present"
    assert run(rule(sec), "Chương II. CÔNG KHAI\nĐiều 6. Nội dung\n1. Kế hoạch.").status == "missing"


@pytest.mark.parametrize("text,value,unit", [
    ("mười lăm ngày", 15, "day"), ("hai mươi mốt ngày", 21, "day"), ("03 tháng", 3, "month"),
    ("nhiệm kỳ ba năm", 3, "year"), ("từ 03 đến 09 thành viên", 3, "member"), ("hai phần ba", Fraction(2, 3), "ratio"),
    ("mỗi năm một lần", 12, "period_month"), ("định kỳ 06 tháng một lần", 6, "period_month"), ("trong quý I", 3, "month"),
])
def test_number_reading(text, value, unit):
    q = find_quantities(fold(text))[0]
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("text,value,unit", [
    # the number restated in words between brackets, as drafting offices write it
    ("Định kỳ 06 (sáu) tháng, Giám đốc kiểm tra việc thực hiện nghị quyết", 6, "period_month"),
    ("06 (sáu) tháng một lần", 6, "period_month"),
    ("mỗi năm 01 (một) lần", 12, "period_month"),
    # a choice of months: the later one is the deadline
    ("trong tháng 01 hoặc tháng 02 của năm sau", 2, "month"),
    # the first month of the new work year
    ("chậm nhất trong tháng 01 của năm công tác mới", 1, "month"),
    # half a year said in words is a six-month period
    ("Định kỳ nửa năm, Giám đốc kiểm tra, đánh giá việc thực hiện nghị quyết", 6, "period_month"),
    ("nửa năm một lần", 6, "period_month"),
])
def test_number_restated_in_brackets(text, value, unit):
    qs = find_quantities(fold(text))
    assert [(q.value, q.unit) for q in qs] == [(value, unit)]


def test_ratio_restated_in_words_is_read_once_with_its_comparator():
    # "(năm mươi phần trăm)" repeats "trên 50%": it is not a second, bare 50% (nor "mươi phần trăm" = 10%)
    qs = find_quantities(fold("nghị quyết được thông qua khi trên 50% (năm mươi phần trăm) người dự hội nghị tán thành"))
    assert [(q.value, q.comparator) for q in qs] == [(Fraction(1, 2), "gt")]


def _doc(text):
    return structure(normalize(read_bytes(text.encode(), "t.txt", ".txt")))


HEADER = ("SỞ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 01/QC-SNV\n"
          "Hòa Bình, ngày 10 tháng 8 năm {year}\nQUY CHẾ\nThực hiện dân chủ ở cơ sở tại Sở Nội vụ\n")


def test_applicability_staff_condition_and_dates():
    rs = RuleSet("t", "snapshot", {"t": PACK}, [
        rule({"kind": "section.v1", "scope": "hoi_nghi"}, "T-HN", "error", {"staff_gt": 7})])
    doc = _doc(HEADER.format(year=2024) + "Chương I. CÔNG KHAI\nĐiều 1. Nội dung\n1. Kế hoạch.")
    assert [f.status for f in check(doc, classify(doc), rs)] == ["undetermined"]  # staff unknown
    assert [f.status for f in check(doc, classify(doc, staff=6), rs)] == ["not_applicable"]
    f = check(doc, classify(doc, staff=40), rs)[0]
    assert (f.status, f.severity) == ("missing", "error")
    old = _doc(HEADER.format(year=2022) + "Chương I. CÔNG KHAI\nĐiều 1. Nội dung\n1. Kế hoạch.")
    assert [f.status for f in check(old, classify(old, staff=40), rs)] == ["not_applicable"]  # before the Law


def test_a_plan_gets_no_regulation_findings():
    rs = RuleSet("t", "snapshot", {"t": PACK}, [rule({"kind": "section.v1", "scope": "hoi_nghi"}, "T-HN", "error")])
    plan = _doc(HEADER.format(year=2024).replace("QUY CHẾ", "KẾ HOẠCH") + "I. MỤC ĐÍCH\n1. Mục đích")
    c = classify(plan)
    assert c.kind == "ke_hoach" and check(plan, c, rs) == []


def test_deterministic():
    rs = RuleSet("t", "s", {"t": PACK}, [rule(DEADLINE, "T-1"), rule(PRESENCE, "T-2"), rule(QUORUM, "T-3")])
    doc = _doc(HEADER.format(year=2024) + BODY.format("Công khai chậm nhất 10 ngày làm việc.",
                                                       "Hội nghị có một nửa số người tham dự."))
    runs = [[f.to_dict() for f in check(doc, classify(doc, staff=30), rs)] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert [f["status"] for f in runs[0]] == ["conflict", "missing", "conflict"]
    assert runs[0][0]["evidence"][0]["quote"] == "Công khai chậm nhất 10 ngày làm việc."


# --- context from titles, excluded items, entries, parts split by pillar, work-year dates -------------
COMPOSITION = {"kind": "presence.v1", "scope": "hoi_nghi", "cues": [["thành phần"], ["toàn thể", "đại biểu"]],
               "exclude": ["hợp lệ khi"]}
CONF = "Chương IV. HỘI NGHỊ\nĐiều 12. Thời gian, chủ trì và thành phần\n1. Giám đốc chủ trì hội nghị.\n{}"


def test_an_article_title_gives_its_khoan_their_context():
    r = rule(COMPOSITION)
    doc = structure(normalize(read_bytes(CONF.format("2. Cơ quan tổ chức hội nghị toàn thể.").encode(), "t.txt", ".txt")))
    kind = CHECK_KINDS[r.check.kind]
    index = PhraseIndex(kind.phrases(r) | {fold(h) for s in PACK.scopes.values() for h in s.headings})
    view = build_view(doc, index, PACK.scopes)
    out = kind.evaluate(r, view)
    # present, and the evidence is the khoản that says it, not the whole article
    assert out.status == "present" and view.items[out.item].path.endswith("Điều 12 › khoản 2")


def test_an_excluded_item_lends_no_words_to_its_article():
    # "toàn thể" sits only in the quorum khoản, which the rule excludes: the article has no composition
    text = CONF.format("2. Hội nghị hợp lệ khi có hai phần ba toàn thể công chức tham dự.")
    assert run(rule(COMPOSITION), text).status == "missing"


ENTRY = {"kind": "presence.v1", "scope": "cong_khai", "cues": [["dự án đầu tư"], ["giải ngân", "quyết toán"]],
         "unit": "entry"}
LIST = ("Chương II. CÔNG KHAI THÔNG TIN\nĐiều 4. Nội dung công khai\n"
        "1. Chủ trương về quản lý dự án đầu tư xây dựng.\n{}\n3. Dự toán, quyết toán ngân sách.")


def test_an_entry_takes_no_words_from_its_siblings():
    assert run(rule(ENTRY), LIST.format("2. Kế hoạch công tác năm.")).status == "missing"
    assert run(rule(ENTRY), LIST.format("2. Tiến độ, giải ngân các dự án đầu tư.")).status == "present"
    assert run(rule({**ENTRY, "unit": "subtree"}), LIST.format("2. Kế hoạch công tác năm.")).status == "present"


def test_a_chapter_split_by_pillar_is_not_each_pillar():
    from pipeline.check.rules import load_ruleset

    rs = load_ruleset()
    section = rs.by_id["CQ-TR-BQ"]
    pack = rs.packs[section.pack]
    text = ("Chương III\nBÀN, QUYẾT ĐỊNH VÀ THAM GIA Ý KIẾN\nMục 1\nNHỮNG NỘI DUNG VIÊN CHỨC BÀN VÀ QUYẾT ĐỊNH\n"
            "Điều 7. Nội dung\n1. Bầu Ban Thanh tra nhân dân.\nMục 2\nNHỮNG NỘI DUNG VIÊN CHỨC THAM GIA Ý KIẾN\n"
            "Điều 9. Nội dung\n1. Kế hoạch công tác năm.")
    from pipeline.check import phrase_index

    def status(t):
        doc = structure(normalize(read_bytes(t.encode(), "t.txt", ".txt")))
        view = build_view(doc, phrase_index(rs), pack.scopes)
        return CHECK_KINDS["section.v1"].evaluate(section, view).status

    assert status(text) == "present"
    without = text.split("Mục 1")[0] + "Mục 2" + text.split("Mục 2")[1]
    assert status(without) != "present"  # only the consultation section is left under the joint title


WORK_YEAR = {"kind": "value.v1", "scope": "hoi_nghi", "context": [["hội nghị"], ["chậm nhất", "không muộn quá"]],
             "units": ["month"], "unit": "month", "lawful": {"max": 3}, "law_value": "03 tháng", "dates": "work_year"}


@pytest.mark.parametrize("body,status", [
    ("Hội nghị tổ chức hằng năm, không muộn quá ngày 31 tháng 3 của năm liền kề.", "present"),
    ("Hội nghị tổ chức hằng năm, không muộn quá ngày 30 tháng 6 của năm liền kề.", "conflict"),
    # a school: the work year (năm học) ends 31/8, so 30/11 is three months later
    ("Hội nghị tổ chức sau khi kết thúc năm học, chậm nhất trước ngày 30 tháng 11.\nĐiều 13. Kế hoạch năm học", "present"),
])
def test_dated_deadlines_count_from_the_end_of_the_work_year(body, status):
    assert run(rule(WORK_YEAR), "Chương IV. HỘI NGHỊ\nĐiều 12. Thời gian\n" + body).status == status


def test_an_exception_clause_does_not_hide_the_deadline():
    text = BODY.format("Việc công khai chậm nhất 05 ngày làm việc, trừ nội dung mà pháp luật quy định liên tục.", "-")
    assert run(rule(DEADLINE), text).status == "present"


def test_a_dated_deadline_in_the_following_year_counts_from_the_calendar_year():
    """A school that says "sau khi kết thúc năm công tác, trước ngày 31 tháng 3 năm sau" works by the
    calendar year for its conference, whatever the rest of the text says of the school year."""
    body = ("Hội nghị được tổ chức mỗi năm một lần, sau khi kết thúc năm công tác, chậm nhất ngày 31 tháng 3 năm sau.\n"
            "Điều 13. Kế hoạch năm học\nKế hoạch năm học do Hiệu trưởng ban hành; năm học kết thúc ngày 31/8.")
    assert run(rule(WORK_YEAR), "Chương IV. HỘI NGHỊ\nĐiều 12. Thời gian\n" + body).status == "present"


SIZE = {"kind": "value.v1", "scope": "hoi_nghi", "context": [["ban thanh tra"], ["gồm", "thành viên"]],
        "units": ["member", "person"], "unit": "member", "lawful": {"min": 3, "max": 9}, "law_value": "03 đến 09",
        "no_value": "missing"}


@pytest.mark.parametrize("line,status", [
    # the statement goes on after the semicolon with its subject left out
    ("1. Ban Thanh tra nhân dân do hội nghị bầu; nhiệm kỳ này gồm 11 thành viên.", "conflict"),
    ("1. Ban Thanh tra nhân dân do hội nghị bầu; nhiệm kỳ này gồm 05 thành viên.", "present"),
    # a clause with a number of its own does not lend its subject to the next one
    ("1. Ban Thanh tra nhân dân có 05 thành viên; tổ công tác gồm 12 thành viên.", "present"),
    # a count per sub-unit is not the size
    ("1. Ban Thanh tra nhân dân gồm 05 thành viên, bảo đảm mỗi lâm trường có ít nhất một thành viên.", "present"),
])
def test_a_statement_continued_after_a_semicolon_keeps_its_subject(line, status):
    assert run(rule(SIZE), "Chương IV. HỘI NGHỊ\nĐiều 20. Ban\n" + line).status == status


def test_an_appendix_the_body_points_to_is_read_as_its_list_and_a_form_is_not():
    lists = {"kind": "presence.v1", "scope": "cong_khai", "cues": [["dự toán"], ["quyết toán"]], "unit": "entry"}
    main = ("QUY CHẾ\nThực hiện dân chủ\nChương II. CÔNG KHAI THÔNG TIN\nĐiều 4. Danh mục thông tin công khai\n"
            "1. Thủ trưởng công khai các thông tin nêu trong Danh mục tại Phụ lục kèm theo Quy chế này.\n"
            "Điều 5. Hình thức công khai\nNiêm yết tại trụ sở.\nChương III. HỘI NGHỊ\nĐiều 6. Hội nghị\n"
            "Hội nghị mỗi năm một lần.\n\nPHỤ LỤC\n{}\n(Kèm theo Quy chế số 05/QC-ĐV)\n"
            "1. Kế hoạch công tác năm.\n2. Dự toán ngân sách, quyết toán năm.\n")
    r = run(rule(lists), main.format("DANH MỤC THÔNG TIN CÔNG KHAI"))
    assert r.status == "present"
    # the same list as a form to fill in is not content of the regulation
    assert run(rule(lists), main.format("MẪU BÁO CÁO CÔNG KHAI")).status == "missing"
    # nor is an appendix the body never points to
    unreferenced = main.replace("nêu trong Danh mục tại Phụ lục kèm theo Quy chế này", "về hoạt động của đơn vị")
    assert run(rule(lists), unreferenced.format("DANH MỤC THÔNG TIN CÔNG KHAI")).status == "missing"
    # the appendix headed "Phụ lục" in ordinary capitalisation (writer 15's museum: it merged into the
    # article above it and the list was lost)
    assert run(rule(lists), main.replace("PHỤ LỤC\n", "Phụ lục\n").format("DANH MỤC THÔNG TIN CÔNG KHAI")).status \
        == "present"


def test_a_part_continues_over_articles_titled_by_its_short_name():
    # writer 10's centre: "Điều 22. Ban Thanh tra nhân dân: tổ chức, nhiệm kỳ", then "Điều 23. Nhiệm vụ,
    # quyền hạn của Ban", "Điều 24. Hoạt động của Ban", "Điều 25. Bảo đảm hoạt động của Ban"
    from pathlib import Path

    from pipeline.api import parse_file
    from pipeline.check.rules import load_ruleset

    rs = load_ruleset()
    doc = parse_file(Path(__file__).parent.parent / "corpus" / "dev7" / "ttdvvl-quy-che.txt")
    view = build_view(doc, None, rs.packs["co-quan"].scopes)
    titles = [view.items[i].heading for i in view.scopes["ban_thanh_tra"]]
    assert titles[1:] == ["nhiệm vụ, quyền hạn của ban", "hoạt động của ban", "bảo đảm hoạt động của ban"]
    # the union's article is not the Ban's, though it names "Ban Chấp hành"
    text = ("Chương V\nKIỂM TRA, GIÁM SÁT\nĐiều 22. Ban Thanh tra nhân dân\n1. Ban có 05 thành viên.\n"
            "Điều 23. Trách nhiệm của Ban Chấp hành Công đoàn\n1. Hỗ trợ kinh phí.")
    view = build_view(_doc(text), None, rs.packs["co-quan"].scopes)
    assert [view.items[i].heading for i in view.scopes["ban_thanh_tra"]] == ["ban thanh tra nhân dân"]


DEPUTIES = {"kind": "value.v1", "scope": "hoi_nghi", "context": [["phó trưởng ban"]], "units": ["deputy", "person"],
            "unit": "deputy", "lawful": {"max": 2}, "law_value": "không quá 02", "no_value": "missing",
            "applies_from": {"context": [["ban thanh tra", "ban có", "ban gồm"], ["thành viên", "gồm"]],
                             "exclude": ["số phó trưởng ban"], "units": ["member", "person"], "min": 9, "title_context": True,
                             "message": {"vi": "Ban có {doc_value}.", "en": "Ban of {doc_value}."}}}


@pytest.mark.parametrize("body,status", [
    # a Ban the regulation fixes below the threshold is not concerned, whatever it says of deputies
    ("1. Ban Thanh tra nhân dân có 05 thành viên.\n2. Ban gồm Trưởng ban, 01 Phó Trưởng ban và các ủy viên.",
     "not_applicable"),
    ("1. Ban Thanh tra nhân dân có năm thành viên.\n2. Ban gồm Trưởng ban, Phó Trưởng ban và ủy viên.", "not_applicable"),
    # a size reaching the threshold, a range up to it, a lower bound or no size: the rule judges the deputies
    ("1. Ban Thanh tra nhân dân có 11 thành viên.\n2. Ban gồm Trưởng ban, 03 Phó Trưởng ban và các ủy viên.", "conflict"),
    ("1. Ban Thanh tra nhân dân có 11 thành viên.\n2. Ban gồm Trưởng ban, 01 Phó Trưởng ban và các ủy viên.", "present"),
    ("1. Ban Thanh tra nhân dân có từ 03 đến 09 thành viên.\n2. Ban gồm Trưởng ban, Phó Trưởng ban và ủy viên.", "missing"),
    ("1. Ban Thanh tra nhân dân có ít nhất 05 thành viên.\n2. Ban gồm Trưởng ban, 03 Phó Trưởng ban và ủy viên.", "conflict"),
    ("1. Ban gồm Trưởng ban, 01 Phó Trưởng ban và các ủy viên.", "present"),
    ("1. Ban gồm Trưởng ban, Phó Trưởng ban và các ủy viên.", "missing"),
    # a deputies' cap in persons is not the Ban's size
    ("1. Khi Ban có từ 09 thành viên trở lên thì số Phó Trưởng ban không quá 02 người.", "present"),
    # a size fixed below the threshold, but the regulation foresees a larger Ban: the rule applies
    ("1. Ban Thanh tra nhân dân có 05 thành viên.\n2. Khi cần, hội nghị quyết định số thành viên trong phạm vi từ 03 "
     "đến 09 người.\n3. Ban gồm Trưởng ban, Phó Trưởng ban và ủy viên.", "missing"),
    ("1. Ban Thanh tra nhân dân có 05 thành viên.\n2. Trường hợp hội nghị bầu từ 09 thành viên trở lên, Ban có không "
     "quá 02 Phó Trưởng ban.", "present"),
    ("1. Ban Thanh tra nhân dân có 05 thành viên.\n2. Trường hợp hội nghị bầu từ 09 thành viên trở lên, Ban có không "
     "quá 03 Phó Trưởng ban.", "conflict"),
])
def test_a_rule_for_a_body_of_some_size_does_not_apply_to_a_smaller_one(body, status):
    out = run(rule(DEPUTIES), "Chương IV. HỘI NGHỊ\nĐiều 20. Ban Thanh tra nhân dân\n" + body)
    assert out.status == status, out
    if status == "not_applicable":  # says why, quoting the size
        assert out.detail["message"]["vi"] == f"Ban có {out.detail['doc_value']}." and "thành viên" in out.detail["doc_value"]
        assert out.evidence


def test_flat_regulation_pillar_needs_its_leading_article():
    # no Chương: a pillar is a run of Điều led by the one naming the topic; an article that only says how
    # ("Cách thức và thời hạn công khai") is not the pillar on its own
    r = rule({"kind": "section.v1", "scope": "cong_khai"})
    lead = "Điều 3. Thông tin phải công khai trong cơ quan\n1. Kế hoạch công tác năm.\n"
    how = "Điều 4. Cách thức và thời hạn công khai\n1. Niêm yết tại bảng tin.\n"
    assert run(r, lead + how).status == "present"
    assert run(r, how).status == "partial"
    # inside a chapter the same article is the part (the chapter title names it)
    assert run(r, "Chương II. CÔNG KHAI THÔNG TIN\n" + how).status == "present"


REPORT_PACK = Pack.model_validate({"pack": "r", "title": {"vi": "r", "en": "r"}, "scopes": {
    "giam_sat": {"headings": ["giám sát"]},
    "ban_tt": {"headings": ["thanh tra nhân dân"], "bullet_heads": True, "not_inside": ["han_che"]},
    "han_che": {"headings": ["hạn chế"]},
    "phuong_huong": {"headings": ["phương hướng"], "yield_to": ["de_xuat"]},
    "de_xuat": {"headings": ["kiến nghị"], "yield_to": ["phuong_huong"]}}})


def _report_status(r, text):
    doc = _doc(text)
    kind = CHECK_KINDS[r.check.kind]
    index = PhraseIndex(kind.phrases(r) | {fold(h) for s in REPORT_PACK.scopes.values() for h in s.headings})
    return kind.evaluate(r, build_view(doc, index, REPORT_PACK.scopes)).status


def test_a_bullet_that_opens_with_the_parts_name_is_its_heading_when_the_scope_says_so():
    # writer 12/13's reports: the Ban's results are a bullet of "5. Kiểm tra, giám sát", not a numbered part
    ban = rule({"kind": "section.v1", "scope": "ban_tt", "cues": [["thanh tra nhân dân"], ["cuộc giám sát"]]})
    text = ("II. KẾT QUẢ\n5. Kiểm tra, giám sát\n- Công chức giám sát qua hòm thư góp ý.\n"
            "- Ban Thanh tra nhân dân Sở thực hiện 02 cuộc giám sát.\nIII. HẠN CHẾ\n"
            "- Ban Thanh tra nhân dân chưa xây dựng chương trình.\n")
    assert _report_status(ban, text) == "present"
    # without the Ban's bullet, the one under the limitations is not an account of its results
    assert _report_status(ban, text.replace("- Ban Thanh tra nhân dân Sở thực hiện 02 cuộc giám sát.\n", "")) \
        == "missing"
    # a bullet that names the Ban further on is not its heading ("- Công chức … qua Ban Thanh tra nhân dân …" is body text)
    assert _report_status(ban, "II. KẾT QUẢ\n5. Kiểm tra, giám sát\n- Công chức, người lao động giám sát việc mua sắm "
                               "thông qua Ban Thanh tra nhân dân và 02 cuộc giám sát.\n") == "partial"
    # a scope without the option keeps bullets as body text
    assert _report_status(rule({"kind": "section.v1", "scope": "giam_sat"}),
                          "II. KẾT QUẢ\n1. Công khai\n- Giám sát qua hòm thư góp ý.\n") == "missing"


def test_a_heading_shared_by_two_parts_holds_each_only_with_its_content():
    # "IV. PHƯƠNG HƯỚNG NĂM 2026 VÀ KIẾN NGHỊ" with untitled items: each part is there when the text under the
    # heading bears its cues; the heading alone names it (partial)
    direction = rule({"kind": "section.v1", "scope": "phuong_huong", "cues": [["phương hướng"], ["tiếp tục", "năm tới"]]})
    proposal = rule({"kind": "section.v1", "scope": "de_xuat", "cues": [["đề nghị"], ["sở"]]})
    both = ("IV. PHƯƠNG HƯỚNG NĂM 2026 VÀ KIẾN NGHỊ\n1. Năm 2026, tiếp tục triển khai Quy chế.\n"
            "2. Đề nghị Sở Nội vụ tổ chức tập huấn.\n")
    assert _report_status(direction, both) == "present"
    assert _report_status(proposal, both) == "present"
    assert _report_status(direction, both.replace("1. Năm 2026, tiếp tục triển khai Quy chế.\n", "")) == "partial"
    assert _report_status(proposal, both.replace("2. Đề nghị Sở Nội vụ tổ chức tập huấn.\n", "")) == "partial"
    # a heading of one part only needs no cue below it
    assert _report_status(direction, "IV. PHƯƠNG HƯỚNG NĂM 2026\n1. Tổ chức hội nghị.\n") == "present"


def test_a_lead_in_that_only_names_whose_duties_follow_lends_its_subject_to_an_item():
    # writer 13's company: "Điều 15. Trách nhiệm" with "2. Ban Chấp hành Công đoàn Công ty:" over its duties
    union = rule({"kind": "presence.v1", "unit": "item",
                  "cues": [["công đoàn"], ["ý kiến"], ["quy chế này"]]})
    text = ("Chương VII\nTRÁCH NHIỆM THỰC HIỆN\nĐiều 15. Trách nhiệm\n1. Tổng Giám đốc:\n"
            "a. Tổ chức thực hiện Quy chế này;\n2. Ban Chấp hành Công đoàn Công ty:\n"
            "a. Tham gia ý kiến bằng văn bản trước khi Công ty ban hành Quy chế này;\n"
            "b. Chỉ đạo Ban Thanh tra nhân dân.\n")
    out = run(union, text)
    assert out.status == "present"
    assert out.item is not None
    # a lead-in that says more than a name is a sentence of its own, not a subject for its points
    longer = text.replace("2. Ban Chấp hành Công đoàn Công ty:", "2. Trách nhiệm phối hợp của Ban Chấp hành Công đoàn "
                          "Công ty trong việc tuyên truyền, phổ biến và thực hiện các nội dung sau:")
    assert run(union, longer).status == "missing"
    # the union named under another body is not the union's duty
    assert run(union, text.replace("2. Ban Chấp hành Công đoàn Công ty:", "2. Phòng Tổ chức - Hành chính:")).status \
        == "missing"


def test_an_appendix_list_is_not_excluded_by_the_title_of_the_article_pointing_to_it():
    # writer 15's museum: "Điều 2. Nội dung, hình thức, thời điểm và thời gian công khai" points to the Phụ lục;
    # a rule that excludes form and timing items must still find the budget entry of the appendix list
    lists = {"kind": "presence.v1", "scope": "cong_khai", "cues": [["dự toán"], ["quyết toán"]], "unit": "entry",
             "exclude": ["hình thức, thời điểm"]}
    text = ("QUY CHẾ\nThực hiện dân chủ\nChương II. CÔNG KHAI THÔNG TIN\n"
            "Điều 2. Nội dung, hình thức, thời điểm và thời gian công khai\n"
            "1. Giám đốc công khai các nhóm thông tin nêu tại Phụ lục kèm theo Quy chế này.\n"
            "2. Hình thức công khai: niêm yết tại trụ sở.\nChương III. HỘI NGHỊ\nĐiều 3. Hội nghị\n"
            "Hội nghị mỗi năm một lần.\n\nPHỤ LỤC\nDANH MỤC THÔNG TIN CÔNG KHAI\n(Kèm theo Quy chế)\n"
            "1. Kế hoạch công tác năm.\n2. Dự toán ngân sách, quyết toán năm.\n")
    assert run(rule(lists), text).status == "present"
    # in the body, the same entry under that title is still about form and timing
    inline = text.replace("1. Giám đốc công khai các nhóm thông tin nêu tại Phụ lục kèm theo Quy chế này.",
                          "1. Dự toán ngân sách, quyết toán năm.")
    inline = inline.split("\n\nPHỤ LỤC")[0]
    assert run(rule(lists), inline).status != "present"


def test_a_chapter_naming_two_pillars_splits_by_its_articles():
    # writer 15's museum: "Chương III. NHỮNG VIỆC … BÀN VÀ QUYẾT ĐỊNH; THAM GIA Ý KIẾN" with one article per pillar
    from pipeline.check.rules import load_ruleset

    rs = load_ruleset()
    text = ("Chương III\nNHỮNG VIỆC VIÊN CHỨC, NGƯỜI LAO ĐỘNG BÀN VÀ QUYẾT ĐỊNH; THAM GIA Ý KIẾN\n"
            "Điều 3. Bàn và quyết định\n1. Bầu Ban Thanh tra nhân dân.\nĐiều 4. Tham gia ý kiến\n"
            "1. Kế hoạch công tác năm.\nChương IV\nKIỂM TRA, GIÁM SÁT\nĐiều 5. Nội dung\nViên chức giám sát.")
    view = build_view(_doc(text), None, rs.packs["co-quan"].scopes)
    heads = {name: [view.items[i].heading for i in view.scopes[name]] for name in ("ban_quyet_dinh", "tham_gia_y_kien")}
    assert heads == {"ban_quyet_dinh": ["bàn và quyết định"], "tham_gia_y_kien": ["tham gia ý kiến"]}


def test_a_label_style_tail_stays_with_its_sentence():
    from pipeline.vntext.sentences import sentence_spans
    text = "Xem xét, trả lời kiến nghị của Ban TTND. Thời hạn: 15 ngày kể từ ngày nhận kiến nghị."
    assert sentence_spans(text) == [(0, len(text))]
    # an ordinary next statement is still a sentence of its own
    assert len(sentence_spans("Ban trả lời kiến nghị. Công đoàn giám sát việc trả lời.")) == 2


TERSE_QUORUM = {"kind": "value.v1", "scope": "hoi_nghi", "context": [["hội nghị"], ["có mặt"]], "units": ["ratio"],
          "unit": "ratio", "lawful": {"min": 0.66666}, "law_value": "2/3", "title_context": True}
TERSE = "Chương IV\nHỘI NGHỊ\nMục 1\nHỘI NGHỊ THƯỜNG NIÊN\nĐiều 8. Tổ chức\n4. Điều kiện hợp lệ: có mặt ít nhất hai phần ba (2/3)."


def test_section_context_lets_section_titles_lend_their_subject():
    assert run(rule(TERSE_QUORUM), TERSE).status == "missing"  # the Điều title "Tổ chức" names no conference
    assert run(rule({**TERSE_QUORUM, "section_context": True}), TERSE).status == "present"


def test_a_count_per_sub_unit_after_a_comma_is_not_the_size():
    """", bảo đảm mỗi mỏ, xưởng có ít nhất 01 thành viên" spreads the Ban over sub-units (writer 16's mining
    company): the clause is cut there, so 09 is the size and 01 is not read."""
    line = ("1. Ban Thanh tra nhân dân gồm 09 thành viên do hội nghị bầu, bảo đảm mỗi mỏ, xưởng có ít nhất 01 "
            "thành viên.")
    assert run(rule(SIZE), "Chương IV. HỘI NGHỊ\nĐiều 20. Ban\n" + line).status == "present"


def test_a_lettered_point_that_opens_with_the_parts_name_is_its_heading_when_the_scope_says_so():
    # writer 16's report: "5. Về kiểm tra, giám sát — b) Ban Thanh tra nhân dân Công ty (09 thành viên) thực hiện …"
    ban = rule({"kind": "section.v1", "scope": "ban_tt", "cues": [["thanh tra nhân dân"], ["cuộc giám sát"]]})
    text = ("II. KẾT QUẢ\n5. Kiểm tra, giám sát\na) Người lao động giám sát qua hòm thư góp ý.\n"
            "b) Ban Thanh tra nhân dân Công ty thực hiện 04 cuộc giám sát.\n")
    assert _report_status(ban, text) == "present"
    assert _report_status(ban, text.replace("b) Ban Thanh tra nhân dân Công ty", "b) Người lao động, qua Ban Thanh tra "
                                                                                 "nhân dân,")) == "partial"


def test_an_articles_title_alone_does_not_provide_for_a_content_through_its_aspect_words():
    """Writer 17: "Điều 11. Kế hoạch và thời hạn lấy ý kiến" — with the khoản on the plan gone, the title's
    "thời hạn" (an aspect word) does not make the article provide for a plan with its deadline."""
    plan = {"kind": "presence.v1", "scope": "cong_khai", "unit": "item",
            "cues": [["kế hoạch"], ["lấy ý kiến"], ["thời hạn", "mặt trận"]]}
    head = "Chương IV. CÔNG KHAI\nĐiều 11. Kế hoạch và thời hạn lấy ý kiến\n"
    rest = "2. Thời hạn: ít nhất 20 ngày từ ngày công bố.\n"
    assert run(rule(plan), head + rest).status == "missing"
    assert run(rule(plan), head + "1. UBND lập kế hoạch lấy ý kiến, gửi Ủy ban Mặt trận.\n" + rest).status == "present"
