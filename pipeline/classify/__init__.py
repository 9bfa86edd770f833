"""Classify stage: ParsedDocument -> Classification (document kind, unit type, staff count, date).

Entry point: `classify(doc, kind=None, unit_type=None, staff=None, as_of=None)`. Every decision
carries a confidence and a reason a reviewer can read; explicit options override it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from pipeline.model import ParsedDocument
from pipeline.structure.registry import period_end
from pipeline.vntext import fold

KINDS = ("quy_che", "quyet_dinh_ban_hanh_quy_che", "ke_hoach", "bao_cao", "other")
UNIT_TYPES = ("co_quan_hanh_chinh", "don_vi_su_nghiep", "xa_phuong", "dnnn", "other")

# checked on the unit's own issuing line first (the last one), then on the parent line and the title
UNIT_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("dnnn", re.compile(r"\b(công ty|tổng công ty|tập đoàn|doanh nghiệp)\b")),
    ("xa_phuong", re.compile(r"^(ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd)\s+(xã|phường|thị trấn|đặc khu)\b"
                             r"|^(xã|phường|thị trấn|đặc khu)\s+\w")),
    ("don_vi_su_nghiep", re.compile(r"\b(trường|bệnh viện|trung tâm|viện|học viện|đài|nhà văn hóa|bảo tàng|"
                                    r"thư viện|ban quản lý dự án|trạm y tế|vườn quốc gia)\b")),
    ("co_quan_hanh_chinh", re.compile(r"\b(sở|phòng|ủy ban nhân dân|ubnd|bộ|cục|chi cục|tổng cục|văn phòng|"
                                      r"thanh tra|ban dân tộc|ban quản lý khu|kho bạc|chi cục thuế|"
                                      r"cơ quan)\b")),
]
UNIT_NAMES = {"co_quan_hanh_chinh": "cơ quan hành chính nhà nước", "don_vi_su_nghiep": "đơn vị sự nghiệp công lập",
              "xa_phuong": "xã, phường, đặc khu", "dnnn": "doanh nghiệp nhà nước", "other": "khác"}
KIND_NAMES = {"quy_che": "quy chế", "quyet_dinh_ban_hanh_quy_che": "quyết định ban hành quy chế",
              "ke_hoach": "kế hoạch", "bao_cao": "báo cáo", "other": "văn bản khác"}
# names of units that state their size ("Thanh tra tỉnh có 45 công chức"); "thanh tra" but not the Ban
# Thanh tra nhân dân, whose members are not the unit's staff
_UNIT_WORD = (r"(?:sở|trường(?! hợp)|cơ quan|đơn vị|công ty|bệnh viện|phòng|trung tâm|nhà trường|chi cục|cục|ban quản lý|"
              r"viện|ubnd|ủy ban|trạm|(?<!ban )thanh tra|văn phòng|kho bạc|đài|bảo tàng|thư viện|xí nghiệp|nhà máy|"
              r"chi nhánh)")
STAFF = re.compile(_UNIT_WORD + r"[^.;:]{0,60}?(?:có|gồm)\s+(?:tất cả\s+|tổng số\s+|tổng cộng\s+)?(\d{1,6})\s*(?:\([^()\d]{1,40}\)\s*)?"
                   r"(?:cán bộ|công chức|viên chức|người lao động|người|lao động|cbccvc|cbcc|ccvc|nlđ)")
# "áp dụng đối với toàn bộ 23 công chức", "hiện nay là 152 người", "có 118 CBCCVC, NLĐ": looked for in
# the general provisions only (the first quarter of the text), where units state their size
STAFF_STATED = re.compile(r"(?:toàn bộ|toàn thể|tổng số|hiện nay là|hiện có|tổng cộng|có)\s+(\d{1,6})\s*(?:\([^()\d]{1,40}\)\s*)?"
                          r"(?:cán bộ|công chức|viên chức|người lao động|lao động|người|cbccvc|cbcc|ccvc|vc|nlđ)\b")
# "với tổng số 156 viên chức", "tổng số người lao động đang làm việc là 184 người"
STAFF_TOTAL = re.compile(r"(?:tổng số|tất cả)\b[^.;\d]{0,60}?(\d{1,6})\s*(?:\([^()\d]{1,40}\)\s*)?"
                         r"(?:cán bộ|công chức|viên chức|người lao động|lao động|người|cbccvc|cbcc|ccvc|vc|nlđ)\b")
BOARD = re.compile(r"\b(?:ban thanh tra|ban giám sát|ban chấp hành|hội đồng|tổ công tác|tổ giúp việc)\b[^.;\n]*$")
STAFF_FEW = re.compile(_UNIT_WORD + r"[^.;:]{0,40}?(?:có|gồm|tổng số)[^.;]{0,60}?(?:dưới|ít hơn|không quá)\s+(\d{1,6})\s*(?:\([^()\d]{1,40}\)\s*)?(?:người|cán bộ|"
                       r"công chức|viên chức|lao động)")


@dataclass
class Classification:
    kind: str
    kind_confidence: float
    kind_reason: str
    unit_type: str | None
    unit_confidence: float
    unit_reason: str
    topic_democracy: bool  # the document is about grassroots democracy
    staff: int | None
    staff_max: int | None  # an upper bound the document states ("dưới 100 người")
    staff_source: str | None
    date: dict | None
    judged_on: str  # YYYY-MM-DD the rules are judged on
    date_note: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def _all_text_fold(doc: ParsedDocument) -> str:
    return "\n".join(nb.fold for nb in doc.norm.blocks) if doc.norm else ""


def classify_kind(doc: ParsedDocument) -> tuple[str, float, str, bool]:
    h = doc.header
    title = fold(h.title or "")
    types = [p.doc_type for p in doc.parts]
    topic = "dân chủ" in title or any("dân chủ" in fold(p.title or "") for p in doc.parts)
    if h.doc_type in ("Quyết định", "Nghị quyết", "Nghị quyết liên tịch") and (
            "Quy chế" in types[1:] or title.startswith("ban hành quy chế") or "ban hành quy chế" in title):
        attached = "Quy chế" in types[1:]
        return ("quyet_dinh_ban_hanh_quy_che", 0.95 if attached else 0.75,
                f"{h.doc_type} ban hành quy chế" + (" kèm theo" if attached else " (không thấy phần quy chế kèm theo)"),
                topic)
    if h.doc_type == "Quy chế":
        return "quy_che", 0.95, "Tên loại văn bản là Quy chế", topic
    if h.doc_type == "Kế hoạch":
        return "ke_hoach", 0.95, "Tên loại văn bản là Kế hoạch", topic
    if h.doc_type == "Báo cáo":
        return "bao_cao", 0.95, "Tên loại văn bản là Báo cáo", topic
    if h.doc_type is None and title.startswith("quy chế"):
        return "quy_che", 0.6, "Trích yếu bắt đầu bằng 'Quy chế'", topic
    return "other", 0.8, f"Tên loại văn bản: {h.doc_type or 'không xác định'}", topic


def classify_unit(doc: ParsedDocument) -> tuple[str | None, float, str]:
    issuer = [fold(x) for x in doc.header.issuer]
    for i, line in enumerate(reversed(issuer)):
        for unit, pat in UNIT_PATTERNS:
            if pat.search(line):
                conf = 0.9 if i == 0 else 0.7
                return unit, conf, f"Cơ quan ban hành “{doc.header.issuer[len(issuer) - 1 - i]}”"
    title = fold(" ".join(filter(None, [doc.header.title] + [p.title for p in doc.parts])))
    m = re.search(r"(?:tại|của|ở)\s+(.{3,60})$", title)
    if m:
        for unit, pat in UNIT_PATTERNS:
            if pat.search(m.group(1)):
                return unit, 0.6, f"Trích yếu: “{m.group(1)}”"
    return None, 0.0, "Không xác định được loại hình cơ quan, đơn vị"


def _judged_on(date, as_of: dt.date) -> tuple[str, str | None]:
    """A partial date is judged as of the last day of the period it names."""
    if date is None or date.year is None:
        return as_of.isoformat(), "Văn bản không ghi ngày ban hành; áp dụng ngày kiểm tra"
    day = period_end(date)  # the same day structure resolved the citations' status on
    if day is None:
        return as_of.isoformat(), "Ngày ban hành không hợp lệ; áp dụng ngày kiểm tra"
    if date.month is None:
        return day.isoformat(), f"Văn bản chỉ ghi năm {date.year}; xét theo ngày 31/12/{date.year}"
    if date.day is None:
        return day.isoformat(), f"Văn bản để trống ngày; xét theo ngày cuối tháng {date.month}/{date.year}"
    return day.isoformat(), None


def classify(doc: ParsedDocument, kind: str | None = None, unit_type: str | None = None,
             staff: int | None = None, as_of: dt.date | None = None) -> Classification:
    as_of = as_of or dt.date.today()
    k, kc, kr, topic = classify_kind(doc)
    if kind:
        k, kc, kr, topic = kind, 1.0, "Chỉ định bằng --kind", True
    u, uc, ur = classify_unit(doc)
    if unit_type:
        u, uc, ur = unit_type, 1.0, "Chỉ định bằng --unit-type"
    staff_max = None
    source = None
    if staff is not None:
        source = "--staff"
    else:
        text = _all_text_fold(doc)
        m = STAFF.search(text)
        if m is None and doc.norm:
            blocks = doc.norm.blocks
            head = "\n".join(nb.fold for nb in blocks[:max(60, len(blocks) // 4)])
            # "Ban Thanh tra nhân dân có 05 người" counts a board's members, not the unit's staff
            m = next((x for pattern in (STAFF_STATED, STAFF_TOTAL) for x in pattern.finditer(head)
                      if not BOARD.search(head[max(0, x.start() - 50):x.start()])), None)
        if m:
            staff, source = int(m.group(1)), f"văn bản: “{m.group(0)}”"
        m2 = STAFF_FEW.search(text)
        if m2:
            staff_max = int(m2.group(1)) - 1
            source = source or f"văn bản: “{m2.group(0)}”"
    judged, note = _judged_on(doc.header.date, as_of)
    return Classification(kind=k, kind_confidence=kc, kind_reason=kr, unit_type=u, unit_confidence=uc,
                          unit_reason=ur, topic_democracy=topic, staff=staff, staff_max=staff_max,
                          staff_source=source,
                          date=doc.header.date.to_dict() if doc.header.date else None,
                          judged_on=judged, date_note=note)
