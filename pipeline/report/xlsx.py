"""`summary.xlsx`: the reviewer's workbook, written in openpyxl's write-only mode from the result stream.

Sheets: documents (one row per document), requirement groups (documents × groups, coloured by the worst
status), findings (every non-present finding, then the resolved ones when re-checked against a baseline;
continued on "… (2)", "… (3)" past Excel's row limit), and an "about" sheet naming the rules version,
legal snapshot and as-of date, the score's definition, the colours, and any continuation.
Memory stays flat: two passes over `results()` (documents and findings, then groups); nothing is kept
per document but the set of groups seen.
"""
from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Callable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline import __version__
from pipeline.classify import KIND_NAMES, UNIT_NAMES
from pipeline.report.groups import ORDER, group_name, group_statuses
from pipeline.report.messages import STATUS_NAMES
from pipeline.report.outputs import batch_writer
from pipeline.report.tables import (DOCUMENT_COLUMNS, FINDING_COLUMNS, SCORE_WEIGHTS, document_row,
                                    finding_rows, label)

MAX_DATA_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header row

SHEETS = {"vi": {"documents": "Văn bản", "groups": "Nhóm yêu cầu", "findings": "Phát hiện", "about": "Thông tin"},
          "en": {"documents": "Documents", "groups": "Requirement groups", "findings": "Findings", "about": "About"}}

# Cell colours of the groups sheet (Excel's own good/neutral/bad palette, so they read as usual)
STATUS_FILLS = {"present": "C6EFCE", "partial": "FFEB9C", "missing": "FFC7CE", "conflict": "FF8B8B",
                "undetermined": "DDEBF7", "not_applicable": "EDEDED"}
ERROR_FILL = "BFBFBF"
_BOLD = Font(bold=True)

# Columns of the documents sheet: the CSV's, less the run columns (stated once on the about sheet)
XLSX_DOCUMENT_COLUMNS = [c for c in DOCUMENT_COLUMNS if c not in ("rules_version", "legal_snapshot", "as_of")]
_WIDTHS = {"file": 48, "sha256": 18, "issuer": 30, "error": 30, "title": 40, "message": 60, "location": 34,
           "quote": 50, "citation": 40, "suggestion": 50, "kind": 22, "unit_type": 22, "group": 22,
           "waiver_reason": 30}


MAX_CELL_CHARS = 32_767  # Excel's limit; a longer cell makes Excel "repair" the file


def _cell(value):
    """A value Excel accepts: no control characters (openpyxl refuses them; PDF text may hold form
    feeds), at most MAX_CELL_CHARS characters."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > MAX_CELL_CHARS:
            value = value[:MAX_CELL_CHARS - 1] + "…"
    return value


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "vi"


def _header(ws, columns: list[str], labels: list[str], freeze: str = "A2") -> None:
    """Widths and frozen panes go before the first row in write-only mode."""
    for i, key in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(key, 14)
    ws.freeze_panes = freeze
    cells = []
    for text in labels:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = _BOLD
        cells.append(cell)
    ws.append(cells)


def _filter(ws, n_columns: int, n_rows: int) -> None:
    """The filter spans the header and every data row (written at save time, so set it last)."""
    ws.auto_filter.ref = f"A1:{get_column_letter(n_columns)}{max(1, n_rows + 1)}"


class _Findings:
    """The findings sheets: a new one each MAX_DATA_ROWS rows, named "… (2)", "… (3)"."""

    def __init__(self, wb, lang: str):
        self.wb, self.base = wb, SHEETS[lang]["findings"]
        self.labels = [label(c, lang) for c in FINDING_COLUMNS]
        self.sheets: list[tuple[str, int]] = []  # (name, data rows) of the finished ones
        self.ws, self.rows = None, 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        if self.ws is not None:
            self._close()
        name = self.base if self.ws is None else f"{self.base} ({len(self.sheets) + 1})"
        self.ws = self.wb.create_sheet(name)
        _header(self.ws, FINDING_COLUMNS, self.labels, freeze="D2")
        self.rows = 0

    def _close(self) -> None:
        _filter(self.ws, len(FINDING_COLUMNS), self.rows)
        self.sheets.append((self.ws.title, self.rows))

    def append(self, row: dict) -> None:
        if self.rows >= MAX_DATA_ROWS:
            self._new_sheet()
        self.ws.append([_cell(row[c]) for c in FINDING_COLUMNS])
        self.rows += 1

    def finish(self) -> list[tuple[str, int]]:
        self._close()
        return self.sheets


def _documents_and_findings(wb, docs_ws, run: dict, results, lang: str) -> tuple[set[str], list[tuple[str, int]]]:
    """One pass: a row per document, the findings rows, and the requirement groups seen."""
    lg = _lang(lang)
    _header(docs_ws, XLSX_DOCUMENT_COLUMNS, [label(c, lg) for c in XLSX_DOCUMENT_COLUMNS], freeze="B2")
    findings = _Findings(wb, lg)
    groups: set[str] = set()
    n = 0
    for result in results():
        row = document_row(run, result)
        if lg == "vi":
            row["kind"] = KIND_NAMES.get(row["kind"], row["kind"])
            row["unit_type"] = UNIT_NAMES.get(row["unit_type"], row["unit_type"])
        docs_ws.append([_cell(row[c]) for c in XLSX_DOCUMENT_COLUMNS])
        for frow in finding_rows(result, lg):
            findings.append(frow)
        groups |= set(group_statuses(result))
        n += 1
    _filter(docs_ws, len(XLSX_DOCUMENT_COLUMNS), n)
    return groups, findings.finish()


def _filled(ws, colours: dict[str, str]):
    """A maker of coloured cells. Setting `fill` on every cell costs a style lookup each time (most of
    this sheet's time on big batches); copying a template's style array gives the same cell."""
    templates = {}
    for key, colour in colours.items():
        t = WriteOnlyCell(ws)
        t.fill = PatternFill("solid", fgColor=colour)
        templates[key] = t._style

    def make(key: str, value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell._style = copy(templates[key])
        return cell

    return make


def _groups_sheet(ws, results, groups: list[str], lang: str) -> None:
    lg = _lang(lang)
    _header(ws, ["file"] + groups, [label("file", lg)] + [group_name(g, lg) for g in groups], freeze="B2")
    cell = _filled(ws, {**STATUS_FILLS, "error": ERROR_FILL})
    unreadable = "không đọc được" if lg == "vi" else "unreadable"
    no_pack = "không áp dụng" if lg == "vi" else "not applicable"
    names = STATUS_NAMES[lg]
    n = 0
    for result in results():
        if result.get("error"):
            cells = [cell("error", unreadable) for _ in groups]
        elif not result.get("findings"):
            cells = [cell("not_applicable", no_pack) for _ in groups]
        else:
            statuses = group_statuses(result)
            # an empty cell: no rule of this group applies to this document
            cells = [cell(statuses[g], names[statuses[g]]) if g in statuses else None for g in groups]
        ws.append([_cell(result["file"]), *cells])
        n += 1
    _filter(ws, len(groups) + 1, n)


def _about_sheet(wb, run: dict, findings_sheets: list[tuple[str, int]], lang: str) -> None:
    lg = _lang(lang)
    ws = wb.create_sheet(SHEETS[lg]["about"])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    vi = lg == "vi"
    w = SCORE_WEIGHTS
    rows = [
        ("Mục" if vi else "Item", "Giá trị" if vi else "Value"),
        ("dccs", __version__),
        (label("rules_version", lg), run["rules_version"]),
        (label("legal_snapshot", lg), run["legal_snapshot"]),
        (label("as_of", lg), run["as_of"]),
        (label("score", lg),
         f"100 × đạt / (đạt + trọng số các phát hiện chưa khắc phục); mỗi nội dung thiếu, chưa đầy đủ hoặc trái "
         f"luật ở mức lỗi tính {w['error']}, ở mức khác tính {w['warning']}; phát hiện đã được chấp nhận tính như "
         f"đạt; nội dung không áp dụng hoặc chưa xác định không tính." if vi else
         f"100 × present / (present + weight of open findings); each missing, partial or conflicting item counts "
         f"{w['error']} at error level and {w['warning']} otherwise; waived findings count as present; "
         f"not-applicable and undetermined checks are left out."),
    ]
    for status, colour in STATUS_FILLS.items():
        cell = WriteOnlyCell(ws, value=STATUS_NAMES[lg][status])
        cell.fill = PatternFill("solid", fgColor=colour)
        rows.append(((("Màu: " if vi else "Colour: ") + STATUS_NAMES[lg][status]), cell))
    if len(findings_sheets) > 1:
        names = ", ".join(f"“{name}” ({n:,} {'dòng' if vi else 'rows'})" for name, n in findings_sheets)
        rows.append(("Ghi chú" if vi else "Note",
                     f"Số phát hiện vượt giới hạn {MAX_DATA_ROWS:,} dòng của một trang tính Excel; danh sách được "
                     f"chia thành {len(findings_sheets)} trang: {names}." if vi else
                     f"The findings exceed Excel's {MAX_DATA_ROWS:,} rows per sheet; they continue over "
                     f"{len(findings_sheets)} sheets: {names}."))
    for key, value in rows:
        cell = WriteOnlyCell(ws, value=key)
        cell.font = _BOLD
        ws.append([cell, value])


@batch_writer("xlsx")
def write_xlsx(run: dict, results: Callable[[], Iterator[dict]], out_dir: Path, lang: str = "vi") -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lg = _lang(lang)
    wb = Workbook(write_only=True)
    # write-only sheets take rows in any order once created: create them in display order, fill the
    # documents and findings in one pass, then the groups (whose columns are the groups seen)
    docs_ws = wb.create_sheet(SHEETS[lg]["documents"])
    groups_ws = wb.create_sheet(SHEETS[lg]["groups"])
    seen, sheets = _documents_and_findings(wb, docs_ws, run, results, lg)
    groups = [g for g in ORDER if g in seen] + sorted(seen - set(ORDER))
    _groups_sheet(groups_ws, results, groups, lg)
    _about_sheet(wb, run, sheets, lg)
    path = out_dir / "summary.xlsx"
    wb.save(path)
    return [path]
