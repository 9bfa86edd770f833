"""A page per rule, generated from the rule file itself (ruff's model): what it checks, why, the
legal basis, examples, the wording to add. `dccs rules show ID` prints it; docs/rules/ holds it."""
from __future__ import annotations

from pipeline.classify import KIND_NAMES, UNIT_NAMES


def _groups(groups: list[list[str]]) -> str:
    return " và ".join("(" + " | ".join(f"“{p}”" for p in g) + ")" for g in groups)


def what_it_checks(rule, ruleset, lang: str = "vi") -> str:
    c = rule.check.model_dump()
    pack = ruleset.packs[rule.pack]
    scope = c.get("scope")
    where = ""
    if scope:
        heads = ", ".join(f"“{h}”" for h in pack.scopes[scope].headings)
        where = (f"trong phần của văn bản có tiêu đề chứa {heads}" if lang == "vi"
                 else f"in the part of the document whose heading contains {heads}")
    kind = c["kind"]
    if kind == "section.v1":
        return (f"Văn bản có một phần riêng (chương, mục, điều) về chủ đề này: {where}." if lang == "vi" else
                f"The document has a part (chapter, section, article) on this topic: {where}.")
    if kind == "presence.v1":
        return (f"Tìm {where} một điều, khoản hoặc điểm có đồng thời các cụm từ {_groups(c['cues'])} "
                "(mỗi nhóm là các cách diễn đạt tương đương; không phân biệt chữ hoa, kiểu bỏ dấu). Chỉ nhắc đến "
                "ở phần khác thì là “chưa đầy đủ”." if lang == "vi" else
                f"Looks {where} for one article, clause or point holding all of {_groups(c['cues'])} (each group "
                "lists equivalent wordings; case and tone style ignored). A mention elsewhere only is “partial”.")
    if kind == "value.v1":
        law = c["lawful"]
        bound = ", ".join(f"{k} {v}" for k, v in law.items() if v not in (None, False))
        return (f"Đọc con số {where} trong câu có {_groups(c['context'])} (số viết bằng chữ số hoặc bằng chữ), "
                f"quy đổi đơn vị và so với quy định: {c['law_value']} ({bound}, đơn vị {c['unit']}). Quy định chặt "
                "hơn luật là hợp lệ; lỏng hơn là trái luật." if lang == "vi" else
                f"Reads the number {where} in a sentence holding {_groups(c['context'])} (digits or words), "
                f"converts units and compares with the law: {c['law_value']} ({bound}, unit {c['unit']}). "
                "Stricter than the law passes; looser is a conflict.")
    from pipeline.check.kinds import CHECK_KINDS

    describe = getattr(CHECK_KINDS.get(kind), "describe", None)  # kinds kept in their own modules
    return describe(rule, lang) if describe else kind


def rule_page(rule, ruleset, lang: str = "vi") -> str:
    vi = lang == "vi"
    t = getattr(rule.title, lang)
    a = rule.applies_to
    kinds = ", ".join(KIND_NAMES.get(k, k) if vi else k for k in a.kinds)
    units = ", ".join(UNIT_NAMES.get(u, u) if vi else u for u in a.unit_types)
    cond = ""
    if a.condition and a.condition.staff_gt is not None:
        cond = (f"; chỉ khi đơn vị có trên {a.condition.staff_gt} người" if vi
                else f"; only for units with more than {a.condition.staff_gt} staff")
    lines = [f"# {rule.id}: {t}", ""]
    lines.append(f"- {'Bộ quy tắc' if vi else 'Pack'}: `{rule.pack}` · {'mức độ khi thiếu' if vi else 'severity when missing'}: "
                 f"**{rule.severity}**" + ("" if rule.verified else (" · chưa kiểm chứng [M]" if vi else " · unverified [M]"))
                 + (" · theo thực tiễn" if rule.practice_based and vi else " · practice-based" if rule.practice_based else ""))
    lines.append(f"- {'Áp dụng cho' if vi else 'Applies to'}: {kinds} — {units}{cond}")
    lines.append(f"- {'Căn cứ pháp lý' if vi else 'Legal basis'}: {rule.legal_basis.cite()}"
                 + (f" (và {', '.join(rule.legal_basis.also)})" if rule.legal_basis.also else ""))
    lines.append(f"- {'Hiệu lực' if vi else 'In force'}: {rule.valid.from_.isoformat()} – "
                 f"{rule.valid.to.isoformat() if rule.valid.to else ('nay' if vi else 'now')}")
    lines.append(f"- {'Kiểu kiểm tra' if vi else 'Check'}: `{rule.check.kind}`")
    lines += ["", f"## {'Kiểm tra gì' if vi else 'What it checks'}", "", what_it_checks(rule, ruleset, lang)]
    if rule.why:
        lines += ["", f"## {'Vì sao' if vi else 'Why'}", "", getattr(rule.why, lang)]
    lines += ["", f"## {'Khi không đạt' if vi else 'When it fails'}", "", getattr(rule.message, lang)]
    lines += ["", f"## {'Đề xuất nội dung bổ sung' if vi else 'Suggested wording (Vietnamese)'}", "", rule.suggestion]
    lines += ["", f"## {'Ví dụ đạt' if vi else 'Passing example'}", ""]
    for ex in rule.examples.pass_:
        lines += ["```text", ex.rstrip("\n"), "```"]
    lines += ["", f"## {'Ví dụ không đạt' if vi else 'Failing example'}", ""]
    for ex in rule.examples.fail:
        lines += ["```text", ex.rstrip("\n"), "```"]
    lines += ["", f"_{'Sinh tự động từ' if vi else 'Generated from'} `rules/{rule.source}`._"]
    return "\n".join(lines)
