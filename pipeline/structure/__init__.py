"""Structure stage: NormDocument -> ParsedDocument.

Entry point: `structure(norm)`. Line-based and regex-driven: the header, the legal
bases of each part's preamble, the outline tree, the closing, and the parts of a
decision that issues an attached regulation.
"""
from __future__ import annotations

from pipeline.model import Closing, Header, Issue, LegalBasis, NormDocument, OutlineItem, ParsedDocument, Part
from pipeline.structure.bases import PROPOSAL, is_basis_line, parse_bases
from pipeline.structure.closing import find_closing_start, is_authority, is_name, parse_closing
from pipeline.structure.header import (REFERENCE_LINE, doc_type_of, motto_kind, parse_date_line,
                                       parse_header)
from pipeline.structure.lines import Line, build_lines
from pipeline.structure.outline import OutlineBuilder, match_item
from pipeline.structure.portal import find_portal
from pipeline.structure.registry import resolve_document

TYPE_LINE_WINDOW = 25


def _is_header_line(line: Line) -> bool:
    return bool(motto_kind(line) or REFERENCE_LINE.match(line.fold) and ("/" in line.text or "-" in line.text)
                or parse_date_line(line) or line.is_upper)


def _part_starts(lines: list[Line], start: int) -> list[int]:
    """Indices where a part begins: the document start and each attached instrument."""
    starts = [start]
    body_seen = False
    for j in range(start, len(lines)):
        line = lines[j]
        if not body_seen:
            body_seen = match_item(line) is not None or is_basis_line(line)
            continue
        if doc_type_of(line) is None:
            continue
        attached = any("kèm theo" in x.fold for x in lines[j + 1:j + 5])
        motto_above = any(motto_kind(x) == "motto" for x in lines[max(starts[-1], j - 6):j])
        if not (attached or motto_above):
            continue
        k = j
        while k - 1 > starts[-1] and j - k < 6 and not is_authority(lines[k - 1]) and (
                motto_kind(lines[k - 1]) or (lines[k - 1].is_upper and not is_name(lines[k - 1]))):
            k -= 1
        starts.append(k)
        body_seen = False
    return starts


def _title_lines(lines: list[Line], t: int, end: int) -> list[Line]:
    title: list[Line] = []
    for line in lines[t + 1:end]:
        if title:
            prev = title[-1]
            if (len(title) >= 4 or line.is_upper != title[0].is_upper
                    or prev.text.rstrip().endswith((".", ":", ";"))):
                break
        if (is_basis_line(line) or PROPOSAL.match(line.fold) or match_item(line)
                or line.text.lstrip().startswith("(") or line.text.rstrip().endswith(":") and title):
            break
        title.append(line)
    return title


def _parse_part(lines: list[Line], index: int, a: int, b: int, issues: list[Issue], parts: list[Part]):
    t = next((i for i in range(a, min(a + TYPE_LINE_WINDOW, b)) if doc_type_of(lines[i])), None)
    if t is not None:
        region = lines[a:t]
        title = _title_lines(lines, t, b)
        pos = t + 1 + len(title)
    else:
        pos = a
        while pos < b and _is_header_line(lines[pos]) and not match_item(lines[pos]) \
                and not is_basis_line(lines[pos]):
            pos += 1
        region, title = lines[a:pos], []
        if pos < b and lines[pos].fold.startswith(("v/v", "về việc")):
            title, pos = [lines[pos]], pos + 1
    header = parse_header(region, lines[t] if t is not None else None, title)
    reference = None
    if pos < b and lines[pos].text.lstrip().startswith("(") and "kèm theo" in lines[pos].fold:
        ref_lines = [lines[pos].text.strip()]
        pos += 1
        while ")" not in ref_lines[-1] and pos < b and len(ref_lines) < 3:  # wrapped "(Kèm theo …)"
            ref_lines.append(lines[pos].text.strip())
            pos += 1
        reference = " ".join(ref_lines)
    name = header.doc_type or "Văn bản"
    basis_lines: list[Line] = []
    while pos < b:
        line = lines[pos]
        if is_basis_line(line):
            basis_lines.append(line)
        elif PROPOSAL.match(line.fold) or (line.is_upper and not basis_lines and match_item(line) is None
                                           and doc_type_of(line) is None):
            pass  # the signing authority's line, or "Theo đề nghị của …"
        else:
            break
        pos += 1
    bases, basis_issues = parse_bases(basis_lines, index, name)
    issues.extend(basis_issues)
    part_lines = lines[a:b]
    c = a + find_closing_start(part_lines, pos - a)
    builder = OutlineBuilder(index, name)
    for line in lines[pos:c]:
        builder.feed(line)
    outline = builder.finish()
    issues.extend(builder.issues)
    closing = parse_closing(lines[c:b])
    if index == 0:
        role = "main"
    elif header.doc_type == "Phụ lục" or (parts and parts[-1].role == "appendix") or reference is None:
        role = "appendix"
    else:
        role = "attachment"
    part = Part(index=index, role=role, doc_type=header.doc_type,
                title=header.title, header_lines=[x.text.strip() for x in region if not x.is_separator],
                legal_bases=bases, outline=outline, first_block=lines[a].block,
                last_block=lines[b - 1].block, issued_by=0 if index else None, reference=reference)
    return part, header, closing


def structure(norm: NormDocument) -> ParsedDocument:
    lines = [x for x in build_lines(norm) if not x.is_separator]
    for i, x in enumerate(lines):
        x.pos = i
    portal, start = find_portal(lines)
    issues: list[Issue] = []
    parts: list[Part] = []
    headers, closings = [], []
    if start < len(lines):
        starts = _part_starts(lines, start) + [len(lines)]
        for index, (a, b) in enumerate(zip(starts, starts[1:])):
            part, header, closing = _parse_part(lines, index, a, b, issues, parts)
            parts.append(part)
            headers.append(header)
            closings.append(closing)
    header = headers[0] if headers else Header()
    closing = next((c for c, p in zip(closings, parts)
                    if p.role != "appendix" and (c.recipients or c.signer.name)), Closing())
    _header_issues(header, issues)
    # appendices (forms, annexes) keep their own bases and outline in `parts` only
    body = [p for p in parts if p.role != "appendix"]
    legal_bases: list[LegalBasis] = [b for p in body for b in p.legal_bases]
    outline: list[OutlineItem] = [o for p in body for o in p.outline]
    quality = {**norm.raw.quality, **norm.quality, "blocks": len(norm.raw.blocks)}
    doc = ParsedDocument(file=norm.raw.file, sha256=norm.raw.sha256, format=norm.raw.format,
                         header=header, legal_bases=legal_bases, outline=outline, closing=closing,
                         parts=parts, issues=issues, quality=quality, portal=portal, norm=norm)
    resolve_document(doc)  # each citation's instrument and status on the header's date
    return doc


def _header_issues(header, issues: list[Issue]) -> None:
    checks = [
        (not header.issuer, "missing_issuer", "Thiếu tên cơ quan ban hành"),
        (not header.motto, "missing_motto", "Thiếu Quốc hiệu, Tiêu ngữ"),
        (header.reference is None, "missing_reference", "Thiếu số, ký hiệu văn bản"),
        (header.reference is not None and header.number is None, "blank_number",
         "Số văn bản để trống (dự thảo)"),
        (header.date is None, "missing_date", "Thiếu địa danh, ngày tháng năm ban hành"),
        (header.date is not None and (header.date.day is None or header.date.month is None),
         "blank_date", "Ngày hoặc tháng ban hành để trống (dự thảo)"),
        (header.doc_type is None, "missing_doc_type", "Không xác định được tên loại văn bản"),
    ]
    for cond, code, msg in checks:
        if cond:
            issues.append(Issue(code, msg, None))
