"""Header dates written as digits, and staff counts stated in the words agencies use: read, not missed.

Regression: a writer's whole set of documents came out with no date (and so were judged as of the run
date) because only the "ngày … tháng … năm …" form of Nghị định 30/2020 was read."""
import pytest

from pipeline.api import parse_bytes

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH LÂM GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/KH-UBND\n"
TAIL = "KẾ HOẠCH\nThực hiện dân chủ ở cơ sở năm 2026\nCăn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ;\nI. MỤC ĐÍCH\n"


@pytest.mark.parametrize("line, place, date", [
    ("Lâm Giang, ngày 12/6/2025", "Lâm Giang", (2025, 6, 12)),
    ("Đông Hải, ngày 05-01-2026.", "Đông Hải", (2026, 1, 5)),
    ("Hà Nội, ngày 3.12.2024", "Hà Nội", (2024, 12, 3)),
    ("Ngày 12/6/2025", None, (2025, 6, 12)),
    ("Lâm Giang, ngày 12 tháng 6 năm 2025", "Lâm Giang", (2025, 6, 12)),
])
def test_numeric_header_date(line, place, date):
    doc = parse_bytes((HEAD + line + "\n" + TAIL).encode(), "kh.txt")
    d = doc.header.date
    assert (doc.header.place, (d.year, d.month, d.day)) == (place, date)
    assert "missing_date" not in [i.code for i in doc.issues]


def test_a_legal_basis_date_is_not_the_header_date():
    doc = parse_bytes((HEAD + TAIL).encode(), "kh.txt")
    assert doc.header.date is None  # "ngày 14/8/2023" sits inside a Căn cứ line
    assert "missing_date" in [i.code for i in doc.issues]


def test_impossible_numeric_date_is_not_a_date():
    doc = parse_bytes((HEAD + "Lâm Giang, ngày 31/13/2025\n" + TAIL).encode(), "kh.txt")
    assert doc.header.date is None


def test_staff_count_of_an_inspectorate_is_read():
    """Regression: "Thanh tra tỉnh có 45 công chức" was not read (no unit word for an inspectorate), so every
    Ban Thanh tra nhân dân finding of that regulation said "depends on the staff count"."""
    from pipeline.classify import classify

    body = ("QUY CHẾ\nThực hiện dân chủ ở cơ sở tại Thanh tra tỉnh\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\n"
            "Tại thời điểm ban hành Quy chế, Thanh tra tỉnh có 45 công chức và người lao động.\n"
            "Điều 2. Ban Thanh tra nhân dân\nBan Thanh tra nhân dân có 05 người.\n")
    c = classify(parse_bytes((HEAD + "Lâm Giang, ngày 12/6/2025\n" + body).encode(), "qc.txt"))
    assert c.staff == 45
    only_board = body.replace("Thanh tra tỉnh có 45 công chức và người lao động", "đơn vị thực hiện")
    c = classify(parse_bytes((HEAD + "Lâm Giang, ngày 12/6/2025\n" + only_board).encode(), "qc.txt"))
    assert c.staff is None  # the Ban's 05 members are not the unit's staff


def test_staff_count_with_the_number_in_words_beside_it():
    """Regression: "Sở có 118 (một trăm mười tám) công chức" was not read (the words in brackets stood between
    the number and the noun), and "trường hợp Ban có … không quá 02 (hai) người" was read as a school's size."""
    from pipeline.classify import classify

    body = ("QUY CHẾ\nThực hiện dân chủ ở cơ sở tại Sở Tài chính\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\n"
            "Tại thời điểm ban hành Quy chế, Sở có 118 (một trăm mười tám) công chức, viên chức, người lao động.\n"
            "Điều 20. Ban Thanh tra nhân dân\nTrường hợp Ban có từ 09 thành viên trở lên thì số Phó Trưởng ban "
            "không quá 02 (hai) người.\n")
    c = classify(parse_bytes((HEAD + "Lâm Giang, ngày 12/6/2025\n" + body).encode(), "qc.txt"))
    assert (c.staff, c.staff_max) == (118, None)


@pytest.mark.parametrize("sentence, staff", [
    ("Tính đến ngày ban hành Quy chế, Trường có tất cả 32 người gồm giáo viên, nhân viên.", 32),
    ("Trung tâm có 09 khoa, phòng với tổng số 156 viên chức, người lao động (kể cả lao động hợp đồng).", 156),
    ("Công ty có 04 phòng nghiệp vụ; tổng số người lao động đang làm việc là 184 người.", 184),
])
def test_staff_count_in_other_words(sentence, staff):
    """Regression: three writers' ways of stating the size were not read, and every Ban Thanh tra nhân dân
    finding of their regulations said "depends on the staff count" instead of "missing"."""
    from pipeline.classify import classify

    body = ("QUY CHẾ\nThực hiện dân chủ ở cơ sở\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\n" + sentence + "\n")
    c = classify(parse_bytes((HEAD + "Lâm Giang, ngày 12/6/2025\n" + body).encode(), "qc.txt"))
    assert c.staff == staff
