"""Requirement groups: the columns of the documents × requirements views (XLSX sheet, dashboard heat map).

A group is the second segment of a rule id (CQ-CK-03 → CK), the pillar of the Law the rule belongs to;
plan (KH-…) and report (BC-…) rules form one group each, and legal-basis rules (LB-…) another.
"""
from __future__ import annotations

GROUPS: dict[str, dict[str, str]] = {
    "TR": {"vi": "Bố cục quy chế", "en": "Structure"},
    "CK": {"vi": "Công khai", "en": "Disclosure"},
    "BQ": {"vi": "Bàn và quyết định", "en": "Discuss and decide"},
    "YK": {"vi": "Tham gia ý kiến", "en": "Consultation"},
    "GS": {"vi": "Kiểm tra, giám sát", "en": "Supervision"},
    "HN": {"vi": "Hội nghị", "en": "Conference"},
    "DT": {"vi": "Đối thoại", "en": "Dialogue"},
    "TT": {"vi": "Ban Thanh tra nhân dân", "en": "People's Inspection Board"},
    "GSDT": {"vi": "Giám sát đầu tư cộng đồng", "en": "Community investment supervision"},
    "TN": {"vi": "Trách nhiệm tổ chức thực hiện", "en": "Responsibilities"},
    "KH": {"vi": "Kế hoạch", "en": "Plan"},
    "BC": {"vi": "Báo cáo", "en": "Report"},
    "LB": {"vi": "Căn cứ pháp lý", "en": "Legal bases"},
}
ORDER = list(GROUPS)


def group_of(rule_id: str) -> str:
    """CQ-CK-03 → CK; KH-01 → KH; XA-GSDT-02 → GSDT; an unknown shape → its first segment."""
    parts = rule_id.split("-")
    if parts[0] in ("KH", "BC", "LB"):
        return parts[0]
    return parts[1] if len(parts) > 1 and parts[1] in GROUPS else parts[0]


def group_name(group: str, lang: str = "vi") -> str:
    return GROUPS.get(group, {}).get("en" if lang == "en" else "vi", group)


# The worst status of a group's findings decides its cell: conflict > missing > partial > undetermined > present.
STATUS_RANK = {"conflict": 5, "missing": 4, "partial": 3, "undetermined": 2, "present": 1, "not_applicable": 0}


def group_statuses(result: dict) -> dict[str, str]:
    """Per group of the rules applied to one document, the worst status among its (non-waived) findings."""
    out: dict[str, str] = {}
    for f in result.get("findings", []):
        status = "present" if f.get("waived") else f["status"]
        g = group_of(f["rule"])
        if g not in out or STATUS_RANK[status] > STATUS_RANK[out[g]]:
            out[g] = status
    return out
