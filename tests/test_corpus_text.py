"""Corpus documents written for the project, as text: their parse, asserted field by field.

Expected values come from reading the documents (corpus/README.md), not from running the tool."""
import pytest

from conftest import CORPUS
from pipeline.api import parse_file

CIT_KEYS = ("kind", "reference", "number", "year", "symbol", "date", "issuer")


def sig(items):
    """Compact outline signature: 'I(1(- - -) 2)' — labels and nesting only."""
    out = []
    for i in items:
        label = {"chuong": "Chương ", "muc": "Mục ", "dieu": "Điều ", "phan": "Phần "}.get(i.kind, "") + i.label
        out.append(f"{label}({sig(i.children)})" if i.children else label)
    return " ".join(out)


def bases(doc):
    return [[tuple(c.to_dict()[k] for k in CIT_KEYS) for c in b.citations] for b in doc.legal_bases]


def dashes(n):
    return " ".join(["-"] * n)


# ---------------------------------------------------------------- QUYẾT ĐỊNH + QUY CHẾ
@pytest.fixture(scope="module")
def qd():
    return parse_file(CORPUS / "so-noi-vu-quyet-dinh-quy-che.txt")


def test_qd_header(qd):
    assert qd.header.to_dict() == {
        "issuer": ["UBND TỈNH HÒA BÌNH AN", "SỞ NỘI VỤ"], "motto": True,
        "reference": "125/QĐ-SNV", "number": "125", "symbol": "QĐ-SNV", "doc_type": "Quyết định",
        "place": "Hòa Bình An", "date": {"year": 2024, "month": 3, "day": 15},
        "title": "Ban hành Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ"}


def test_qd_bases(qd):
    assert bases(qd) == [
        [("Luật", None, None, None, None, "2015-06-19", None)],
        [("Luật", None, None, None, None, "2012-06-20", None)],
        [("Luật", None, None, None, None, "2022-11-10", None)],
        [("Nghị định", "59/2023/NĐ-CP", "59", 2023, "NĐ-CP", "2023-08-14", "Chính phủ")],
        [("Quyết định", "15/2023/QĐ-UBND", "15", 2023, "QĐ-UBND", "2023-04-20",
          "Ủy ban nhân dân tỉnh Hòa Bình An")],
    ]
    assert [b.citations[0].title for b in qd.legal_bases[:3]] == [
        "Tổ chức chính quyền địa phương", "Công đoàn", "Thực hiện dân chủ ở cơ sở"]
    # the attached regulation has no preamble of its own
    assert qd.parts[1].legal_bases == []


def test_qd_two_linked_parts(qd):
    main, reg = qd.parts
    assert (main.role, main.doc_type, main.title) == (
        "main", "Quyết định", "Ban hành Quy chế thực hiện dân chủ ở cơ sở tại Sở Nội vụ")
    assert (reg.role, reg.doc_type, reg.title, reg.issued_by) == (
        "attachment", "Quy chế", "Thực hiện dân chủ ở cơ sở tại Sở Nội vụ tỉnh Hòa Bình An", 0)
    assert reg.reference == ("(Ban hành kèm theo Quyết định số 125/QĐ-SNV ngày 15 tháng 3 năm 2024 "
                             "của Giám đốc Sở Nội vụ)")
    assert reg.header_lines == ["UBND TỈNH HÒA BÌNH AN", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                "Độc lập - Tự do - Hạnh phúc"]
    assert sig(main.outline) == "Điều 1 Điều 2 Điều 3"


def test_quy_che_outline(qd):
    reg = qd.parts[1]
    chapters = [(c.label, c.title, [d.label for d in c.walk() if d.kind == "dieu"]) for c in reg.outline]
    r = lambda a, b: [str(n) for n in range(a, b + 1)]  # noqa: E731
    assert chapters == [
        ("I", "QUY ĐỊNH CHUNG", r(1, 3)),
        ("II", "CÔNG KHAI THÔNG TIN", r(4, 8)),
        ("III", "NHỮNG NỘI DUNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC, NGƯỜI LAO ĐỘNG BÀN VÀ QUYẾT ĐỊNH", r(9, 11)),
        ("IV", "HỘI NGHỊ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC, NGƯỜI LAO ĐỘNG", r(12, 17)),
        ("V", "NHỮNG NỘI DUNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC, NGƯỜI LAO ĐỘNG THAM GIA Ý KIẾN", r(18, 20)),
        ("VI", "KIỂM TRA, GIÁM SÁT", r(21, 31)),
        ("VII", "TỔ CHỨC THỰC HIỆN", r(32, 38)),
    ]
    ch6 = reg.outline[5]
    assert [(m.kind, m.label, m.title) for m in ch6.children] == [
        ("muc", "1", "NỘI DUNG, HÌNH THỨC KIỂM TRA, GIÁM SÁT"), ("muc", "2", "BAN THANH TRA NHÂN DÂN")]
    dieu = {d.label: d for d in reg.outline[0].walk() if d.kind == "dieu"}
    for c in reg.outline[1:]:
        dieu.update({d.label: d for d in c.walk() if d.kind == "dieu"})
    assert sig([dieu["1"]]) == "Điều 1(1(a b c d đ e) 2(a b c) 3)"
    assert dieu["1"].title == "Phạm vi điều chỉnh và đối tượng áp dụng"
    assert sig(dieu["4"].children) == " ".join(map(str, range(1, 13)))
    assert sig(dieu["5"].children) == "1(a b c d đ e g) 2(a b c d)"
    assert sig(dieu["13"].children) == "1(a b c) 2 3"
    assert sig(dieu["18"].children) == " ".join(map(str, range(1, 12)))
    assert len(dieu["25"].children) == 7 and dieu["37"].children == []
    k = dieu["13"].children[0].children[0]
    assert (k.kind, k.label) == ("diem", "a")
    assert k.location.path == "Quy chế › Chương IV › Điều 13 › khoản 1 › điểm a"
    assert "dưới 100 người" in k.text
    d25 = dieu["25"]
    assert d25.location.path == "Quy chế › Chương VI › Mục 2 › Điều 25"
    assert not qd.issues  # the reference documents have clean numbering


def test_qd_closing(qd):
    assert qd.closing.recipients == ["Như Điều 3", "UBND tỉnh (b/c)", "Giám đốc, các Phó Giám đốc Sở",
                                     "Công đoàn Sở", "Trang thông tin điện tử Sở", "Lưu: VT, VP"]
    assert qd.closing.signer.to_dict() == {"authority": None, "body": None, "title": "GIÁM ĐỐC",
                                           "name": "Đỗ Thanh Bình"}


def test_locations_quote_the_original_text(qd):
    text = (CORPUS / "so-noi-vu-quyet-dinh-quy-che.txt").read_text(encoding="utf-8").split("\n")
    for item in (x for root in qd.outline for x in root.walk()):
        loc = item.location
        line = text[loc.block][loc.start:loc.end]
        assert line == text[loc.block].strip()  # the item's own line, whole
        label = "-" if item.kind == "dash" else item.label
        assert line.split()[0 if item.kind not in ("dieu", "chuong", "muc") else 1].startswith(label)


# ---------------------------------------------------------------- KẾ HOẠCH (xã)
@pytest.fixture(scope="module")
def kh():
    return parse_file(CORPUS / "xa-ke-hoach-dan-chu-2025.txt")


def test_plan_header_and_bases(kh):
    assert kh.header.to_dict() == {
        "issuer": ["UBND HUYỆN AN THẠNH", "UBND XÃ TÂN AN"], "motto": True,
        "reference": "45/KH-UBND", "number": "45", "symbol": "KH-UBND", "doc_type": "Kế hoạch",
        "place": "Tân An", "date": {"year": 2025, "month": 1, "day": 10},
        "title": "Thực hiện dân chủ ở cơ sở trên địa bàn xã năm 2025"}
    assert bases(kh) == [
        [("Luật", None, None, None, None, "2015-06-19", None)],
        [("Luật", None, None, None, None, "2022-11-10", None)],
        [("Nghị định", "59/2023/NĐ-CP", "59", 2023, "NĐ-CP", "2023-08-14", "Chính phủ")],
        [("Nghị định", "61/2023/NĐ-CP", "61", 2023, "NĐ-CP", "2023-08-16", "Chính phủ")],
        [("Kế hoạch", "12/KH-UBND", "12", None, "KH-UBND", "2025-01-05", "Ủy ban nhân dân huyện An Thạnh")],
    ]
    assert [b.intro for b in kh.legal_bases] == ["Căn cứ"] * 4 + ["Thực hiện"]


def test_plan_outline(kh):
    assert sig(kh.outline[:1]) == f"I(1({dashes(3)}) 2({dashes(3)}))"
    ii = kh.outline[1]
    assert sig(ii.children[:2]) == (f"1(a({dashes(3)}) b({dashes(2)})) "
                                    f"2(a({dashes(14)}) b({dashes(5)}) c({dashes(2)}))")
    assert [c.label for c in ii.children] == [str(n) for n in range(1, 8)]
    assert sig(ii.children[4:5]) == f"5(a(-) b(-) c({dashes(2)}) d(-))"
    iii = kh.outline[2]
    assert (iii.label, iii.title) == ("III", "TỔ CHỨC THỰC HIỆN")
    assert [c.label for c in iii.children] == [str(n) for n in range(1, 10)]
    assert sig(iii.children[-1:]) == f"9({dashes(2)})"
    # "Trên đây là …" belongs to no item
    assert "Trên đây là" not in iii.children[-1].children[-1].text
    assert ii.children[1].children[0].children[0].location.path == "Kế hoạch › II › 2 › a › gạch đầu dòng 1"


def test_plan_closing(kh):
    assert kh.closing.recipients == ["UBND huyện (b/c)", "Phòng Nội vụ huyện (b/c)",
                                     "TT Đảng ủy, TT HĐND xã (b/c)", "UBMTTQ Việt Nam xã",
                                     "Các tổ chức chính trị - xã hội xã", "Công chức chuyên môn xã",
                                     "Trưởng các thôn", "Lưu: VT"]
    assert kh.closing.signer.to_dict() == {"authority": "TM.", "body": "ỦY BAN NHÂN DÂN",
                                           "title": "CHỦ TỊCH", "name": "Phạm Văn Lộc"}


# ---------------------------------------------------------------- BÁO CÁO (trường)
@pytest.fixture(scope="module")
def bc():
    return parse_file(CORPUS / "truong-bao-cao-dan-chu-2024.txt")


def test_report(bc):
    assert bc.header.to_dict() == {
        "issuer": ["SỞ GIÁO DỤC VÀ ĐÀO TẠO HÒA BÌNH AN", "TRƯỜNG THPT BÌNH MINH"], "motto": True,
        "reference": "210/BC-THPTBM", "number": "210", "symbol": "BC-THPTBM", "doc_type": "Báo cáo",
        "place": "Bình Minh", "date": {"year": 2024, "month": 12, "day": 20},
        "title": "Kết quả thực hiện dân chủ ở cơ sở năm 2024"}
    assert bases(bc) == [[("Công văn", "2145/SGDĐT-TCCB", "2145", None, "SGDĐT-TCCB", "2024-12-02",
                           "Sở Giáo dục và Đào tạo")]]
    assert sig(bc.outline) == (
        f"I({dashes(4)}) "
        f"II(1({dashes(3)}) 2({dashes(2)}) 3({dashes(2)}) 4({dashes(3)}) 5({dashes(3)}) 6({dashes(3)})) "
        f"III(1({dashes(2)}) 2(a({dashes(2)}) b({dashes(2)}))) "
        "IV(1 2 3 4 5) V(1 2)")
    assert [i.title for i in bc.outline] == ["CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "KẾT QUẢ THỰC HIỆN", "ĐÁNH GIÁ CHUNG",
                                             "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025", "ĐỀ XUẤT, KIẾN NGHỊ"]
    assert bc.closing.recipients == ["Sở GDĐT (b/c)", "Công đoàn ngành Giáo dục tỉnh (b/c)",
                                     "Chi bộ, Công đoàn trường", "Ban Thanh tra nhân dân trường", "Lưu: VT"]
    assert bc.closing.signer.to_dict() == {"authority": None, "body": None, "title": "HIỆU TRƯỞNG",
                                           "name": "Vũ Thị Minh Hòa"}
