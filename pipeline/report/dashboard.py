"""The batch dashboard `index.html`: totals, the documents with the most serious findings, a heat map of
documents × requirement groups, and every document with a link to its report.

Memory stays flat whatever the batch size: the results stream is read once, keeping running totals and a
bounded heap of the HEATMAP_MAX most serious documents (small summaries, never findings), while the row of
every document goes to a temporary file that is copied into the page after the heat map. (Decoding the
JSONL is most of the cost, so one pass instead of two halves the time.)
"""
from __future__ import annotations

import heapq
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

from pipeline.classify import KIND_NAMES, UNIT_NAMES
from pipeline.report.groups import ORDER, group_name, group_statuses
from pipeline.report.html_base import (FLAGGED, LABELS, MARKS, REPORT_CSS, STATUSES, esc, lang_of, page, run_block,
                                       status_badge)
from pipeline.report.messages import STATUS_NAMES
from pipeline.report.outputs import batch_writer, doc_basename

HEATMAP_MAX = 100  # rows of the heat map: the most serious documents (a 10,000-row picture helps nobody)
TOP = 10  # documents in the "most serious" table
TOP_RULES = 10

DASH_LABELS = {
    "vi": {"dashboard": "Tổng hợp kết quả rà soát", "totals": "Tổng quan", "documents": "Số văn bản",
           "checked": "Đã kiểm tra", "unreadable": "Không đọc được", "not_applicable": "Ngoài phạm vi áp dụng",
           "with_errors": "Có lỗi", "with_warnings": "Chỉ có cảnh báo", "passing": "Đạt",
           "findings": "Kết quả theo trạng thái (tổng số yêu cầu)", "worst": "Văn bản có vấn đề nghiêm trọng nhất",
           "heatmap": "Bản đồ nhiệt: văn bản × nhóm yêu cầu",
           "heatmap_cap": "Hiển thị {shown} văn bản có vấn đề nghiêm trọng nhất trên tổng số {total} văn bản đã "
                          "kiểm tra; danh sách đầy đủ ở cuối trang.",
           "heatmap_all": "Hiển thị tất cả {shown} văn bản đã kiểm tra, văn bản nghiêm trọng nhất ở trên cùng.",
           "rules": "Yêu cầu bị thiếu hoặc trái luật nhiều nhất", "times": "Số văn bản",
           "all": "Danh sách văn bản", "doc": "Văn bản", "kind": "Phân loại", "unit": "Loại hình đơn vị",
           "errors": "Lỗi", "warnings": "Cảnh báo", "verdict": "Kết luận", "report": "Báo cáo",
           "v_fix": "cần sửa", "v_review": "lưu ý", "v_pass": "đạt", "v_na": "không áp dụng",
           "v_error": "không đọc được", "open": "xem", "none": "Không có.", "no_report": "chưa tạo báo cáo",
           "main": "Lỗi nghiêm trọng", "legend": "Chú giải", "no_rule": "không có yêu cầu áp dụng",
           "failed": "Văn bản không đọc được", "error": "Lỗi", "more": "… và {n} văn bản khác (xem danh sách đầy đủ).",
           "show": "Hiển thị", "show_all": "tất cả", "workflow": "Rà soát",
           "waived": "phát hiện đã chấp nhận", "new": "phát hiện mới so với bản trước",
           "resolved": "phát hiện đã khắc phục"},
    "en": {"dashboard": "Batch review dashboard", "totals": "Totals", "documents": "Documents",
           "checked": "Checked", "unreadable": "Unreadable", "not_applicable": "Out of scope",
           "with_errors": "With errors", "with_warnings": "Warnings only", "passing": "Pass",
           "findings": "Requirements by status (all documents)", "worst": "Documents with the most serious findings",
           "heatmap": "Heat map: documents × requirement groups",
           "heatmap_cap": "Showing the {shown} most serious of {total} checked documents; the full list is at "
                          "the end of the page.",
           "heatmap_all": "Showing all {shown} checked documents, most serious first.",
           "rules": "Requirements most often missing or in conflict", "times": "Documents",
           "all": "All documents", "doc": "Document", "kind": "Kind", "unit": "Unit type",
           "errors": "Errors", "warnings": "Warnings", "verdict": "Verdict", "report": "Report",
           "v_fix": "fix", "v_review": "review", "v_pass": "pass", "v_na": "not applicable",
           "v_error": "unreadable", "open": "open", "none": "None.", "no_report": "no report written",
           "main": "Main errors", "legend": "Legend", "no_rule": "no requirement applies",
           "failed": "Unreadable documents", "error": "Error", "more": "… and {n} more (see the full list).",
           "show": "Show", "show_all": "all", "workflow": "Review",
           "waived": "findings waived", "new": "findings new since the previous version",
           "resolved": "findings resolved"},
}

# heat-map cell fill (strong, for a picture) and the colour of the mark drawn on it
FAILED_MAX = 100  # unreadable documents listed in their own section (all are in the full list)

# Optional: show only the rows of one verdict in the full list (10,000 rows). Hidden without JavaScript.
DASH_SCRIPT = """
(function(){
 var box=document.getElementById('verdict-filter');if(!box)return;
 box.hidden=false;
 box.querySelector('select').addEventListener('change',function(e){
  var v=e.target.value;
  document.querySelectorAll('#all tbody tr').forEach(function(tr){
   tr.classList.toggle('hide',v!=='all'&&tr.dataset.verdict!==v);});
 });
})();
""".strip()

HEAT = {"conflict": ("#a4161a", "#fff"), "missing": ("#e8590c", "#fff"), "partial": ("#f2c14e", "#000"),
        "undetermined": ("#adb5bd", "#000"), "present": ("#6bbf59", "#000"), "not_applicable": ("#eeeeee", "#555")}

DASH_CSS = """
.dccs-report .tiles{display:flex;flex-wrap:wrap;gap:.5em}
.dccs-report .tile{border:1px solid #bbb;padding:.3em .7em;min-width:8em}
.dccs-report .tile b{display:block;font-size:1.5em}
.dccs-report .heat{max-width:100%;height:auto}
.dccs-report .heat text{font-family:"DejaVu Sans","Liberation Sans",sans-serif}
.dccs-report .heat a text{fill:#0b4f9c}
.dccs-report td.num{text-align:right}
.dccs-report .v-error{color:var(--bad);font-weight:bold}
@media print{.dccs-report .heat a text{fill:#000}}
"""


def verdict(result: dict) -> str:
    if result.get("error"):
        return "error"
    if not result.get("findings"):
        return "na"
    sc = result.get("severity_counts") or {}
    return "fix" if sc.get("error") else ("review" if sc.get("warning") else "pass")


def _score(result: dict) -> tuple:
    """Seriousness: errors, then conflicts, then warnings, then missing items."""
    sc, c = result.get("severity_counts") or {}, result.get("counts") or {}
    return (sc.get("error", 0), c.get("conflict", 0), sc.get("warning", 0), c.get("missing", 0),
            c.get("partial", 0))


def _href(result: dict, out_dir: Path) -> str | None:
    """Link to the document's HTML report, only when that report was written (so every link resolves)."""
    rel = f"docs/{doc_basename(result)}.html"
    return rel if (out_dir / rel).is_file() else None


def _name(result: dict) -> str:
    return Path(result.get("file") or "").name or (result.get("file") or "")


def _summary(result: dict, out_dir: Path, lang: str) -> dict:
    main = [f.get("title") or f["rule"] for f in result.get("findings") or []
            if f["status"] in FLAGGED and f["severity"] == "error" and not f.get("waived")][:3]
    return {"name": _name(result), "file": result.get("file"), "href": _href(result, out_dir),
            "kind": result.get("kind"), "reference": (result.get("header") or {}).get("reference"),
            "severity_counts": result.get("severity_counts") or {}, "counts": result.get("counts") or {},
            "groups": group_statuses(result), "main": main}


def _link(text: str, href: str | None, lang: str) -> str:
    if href:
        return f'<a href="{esc(href)}">{esc(text)}</a>'
    return f'{esc(text)} <span class="muted">({DASH_LABELS[lang_of(lang)]["no_report"]})</span>'


def heatmap_svg(rows: list[dict], groups: list[str], lang: str) -> str:
    """An SVG picture: one row per document (linked to its report), one column per requirement group; each
    cell has the colour and the mark of the group's worst status, and a tooltip naming both."""
    lg = lang_of(lang)
    names = STATUS_NAMES[lg]
    label_w, cell, head_h = 330, 30, 190
    # room on the right for the slanted name of the last column
    width, height = label_w + cell * len(groups) + 150, head_h + cell * len(rows) + 10
    out = [f'<svg class="heat" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(DASH_LABELS[lg]["heatmap"])}">']
    for j, g in enumerate(groups):
        x = label_w + j * cell + cell // 2
        out.append(f'<text x="{x}" y="{head_h - 6}" font-size="12" transform="rotate(-55 {x} {head_h - 6})">'
                   f'{esc(group_name(g, lang))}</text>')
    for i, r in enumerate(rows):
        y = head_h + i * cell
        name = r["name"] if len(r["name"]) <= 44 else r["name"][:43] + "…"
        label = f'<text x="4" y="{y + cell * 0.65:.0f}" font-size="12">{esc(name)}<title>{esc(r["file"])}</title></text>'
        out.append(f'<a href="{esc(r["href"])}">{label}</a>' if r["href"] else label)
        for j, g in enumerate(groups):
            x = label_w + j * cell
            status = r["groups"].get(g)
            if status is None:
                out.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="#fff" stroke="#ccc">'
                           f'<title>{esc(group_name(g, lang))}: {DASH_LABELS[lg]["no_rule"]}</title></rect>')
                continue
            fill, ink = HEAT[status]
            out.append(f'<g><title>{esc(r["name"])} — {esc(group_name(g, lang))}: {esc(names[status])}</title>'
                       f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#fff"/>'
                       f'<text x="{x + cell / 2:.0f}" y="{y + cell * 0.68:.0f}" font-size="15" text-anchor="middle" '
                       f'fill="{ink}">{MARKS[status]}</text></g>')
    out.append("</svg>")
    return "".join(out)


def _legend(lang: str) -> str:
    t = DASH_LABELS[lang_of(lang)]
    return f'<p><span class="label">{t["legend"]}:</span> ' + " ".join(status_badge(s, lang) for s in STATUSES) + "</p>"


def _kind(value, lang):
    return KIND_NAMES.get(value, value or "—") if lang_of(lang) == "vi" else (value or "—")


def _unit(value, lang):
    return UNIT_NAMES.get(value, value or "—") if lang_of(lang) == "vi" else (value or "—")


@batch_writer("dashboard")
def write_dashboard(run: dict, results: Callable[[], Iterator[dict]], out_dir: Path, lang: str = "vi") -> list[Path]:
    out_dir = Path(out_dir)
    totals: Counter = Counter()
    statuses: Counter = Counter()
    rule_hits: Counter = Counter()
    rule_titles: dict[str, str] = {}
    groups_seen: set[str] = set()
    heap: list[tuple] = []
    failed: list[dict] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=out_dir) as rows:
        for i, r in enumerate(results()):
            totals["documents"] += 1
            v = verdict(r)
            totals[v] += 1
            rows.write(_list_row(i + 1, r, v, out_dir, lang))
            if v == "error" and len(failed) < FAILED_MAX:
                failed.append({"name": _name(r), "href": _href(r, out_dir), "error": r.get("error")})
            if v in ("error", "na"):
                continue
            statuses.update({s: n for s, n in (r.get("counts") or {}).items() if n})
            totals["resolved"] += len(r.get("resolved") or [])
            for f in r.get("findings") or []:
                totals["waived"] += bool(f.get("waived"))
                totals["new"] += f.get("baseline_state") == "new"
                if f["status"] in ("missing", "conflict") and not f.get("waived"):
                    rule_hits[f["rule"]] += 1
                    rule_titles.setdefault(f["rule"], f.get("title") or "")
            s = _summary(r, out_dir, lang)
            groups_seen.update(s["groups"])
            item = (_score(r), -i, s)  # ties: earlier documents first
            if len(heap) < HEATMAP_MAX:
                heapq.heappush(heap, item)
            elif item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)
        rows.seek(0)
        return [_write_page(run, lang, out_dir, totals, statuses, rule_hits, rule_titles, groups_seen, heap,
                            failed, rows)]


def _list_row(n: int, r: dict, v: str, out_dir: Path, lang: str) -> str:
    t = DASH_LABELS[lang_of(lang)]
    href = _href(r, out_dir)
    if v == "error":
        return (f'<tr data-verdict="error"><td class="num">{n}</td><td>{_link(_name(r), href, lang)}</td>'
                f'<td colspan="4" class="v-error">{esc(r.get("error"))}</td>'
                f'<td class="v-error">✗ {t["v_error"]}</td></tr>\n')
    sc = r.get("severity_counts") or {}
    mark = {"fix": "✗", "review": "!", "pass": "✓", "na": "–"}[v]
    return (f'<tr data-verdict="{v}"><td class="num">{n}</td><td>{_link(_name(r), href, lang)}</td>'
            f'<td>{esc(_kind(r.get("kind"), lang))}</td><td>{esc(_unit(r.get("unit_type"), lang))}</td>'
            f'<td class="num sev-error">{sc.get("error", 0)}</td>'
            f'<td class="num sev-warning">{sc.get("warning", 0)}</td><td>{mark} {t["v_" + v]}</td></tr>\n')


def _write_page(run, lang, out_dir, totals, statuses, rule_hits, rule_titles, groups_seen, heap, failed,
                rows) -> Path:
    lg = lang_of(lang)
    t = DASH_LABELS[lg]
    worst = [s for _, _, s in sorted(heap, key=lambda x: x[:2], reverse=True)]
    groups = [g for g in ORDER if g in groups_seen] + sorted(groups_seen - set(ORDER))
    checked = totals["documents"] - totals["error"]
    path = out_dir / "index.html"
    head, tail = page(t["dashboard"], "\x00", lang, REPORT_CSS + DASH_CSS, script=DASH_SCRIPT).split("\x00")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        fh.write(f'<div class="dccs-report" lang="{lg}"><h1>{t["dashboard"]}</h1>{run_block(run, lang)}')
        tiles = [("documents", totals["documents"]), ("checked", checked), ("unreadable", totals["error"]),
                 ("not_applicable", totals["na"]), ("with_errors", totals["fix"]),
                 ("with_warnings", totals["review"]), ("passing", totals["pass"])]
        fh.write(f'<section id="totals"><h2>{t["totals"]}</h2><div class="tiles">' +
                 "".join(f'<div class="tile"><b>{n}</b>{t[k]}</div>' for k, n in tiles) + "</div>")
        fh.write(f'<p><span class="label">{t["findings"]}:</span> ' +
                 " ".join(f"<span>{status_badge(s, lang)} {statuses[s]}</span>" for s in STATUSES if statuses[s]) +
                 "</p>")
        review = [f"{totals[k]} {t[k]}" for k in ("waived", "new", "resolved") if totals[k]]
        if review:  # only with --waivers / --baseline
            fh.write(f'<p><span class="label">{t["workflow"]}:</span> {esc(" · ".join(review))}</p>')
        fh.write("</section>")
        # the most serious documents
        fh.write(f'<section id="worst"><h2>{t["worst"]}</h2>')
        top = [s for s in worst[:TOP] if s["severity_counts"].get("error") or s["severity_counts"].get("warning")]
        if top:
            fh.write(f'<table><thead><tr><th>{t["doc"]}</th><th>{t["errors"]}</th><th>{t["warnings"]}</th>'
                     f'<th>{t["main"]}</th></tr></thead><tbody>')
            for s in top:
                fh.write(f'<tr><td>{_link(s["name"], s["href"], lang)}<br><span class="muted">'
                         f'{esc(s["reference"] or "")}</span></td>'
                         f'<td class="num sev-error">{s["severity_counts"].get("error", 0)}</td>'
                         f'<td class="num sev-warning">{s["severity_counts"].get("warning", 0)}</td>'
                         f'<td>{esc("; ".join(s["main"]))}</td></tr>')
            fh.write("</tbody></table>")
        else:
            fh.write(f'<p>{t["none"]}</p>')
        fh.write("</section>")
        # heat map
        fh.write(f'<section id="heatmap"><h2>{t["heatmap"]}</h2>')
        if worst:
            note = t["heatmap_cap" if checked - totals["na"] > len(worst) else "heatmap_all"]
            fh.write(f'<p class="muted">{note.format(shown=len(worst), total=checked - totals["na"])}</p>')
            fh.write(_legend(lang) + heatmap_svg(worst, groups, lang))
        else:
            fh.write(f'<p>{t["none"]}</p>')
        fh.write("</section>")
        if rule_hits:
            fh.write(f'<section id="rules"><h2>{t["rules"]}</h2><table><thead><tr><th>{LABELS[lg]["rule"]}</th>'
                     f'<th>{LABELS[lg]["requirement"]}</th><th>{t["times"]}</th></tr></thead><tbody>')
            for rule, n in rule_hits.most_common(TOP_RULES):
                fh.write(f'<tr><td class="rule">{esc(rule)}</td><td>{esc(rule_titles[rule])}</td>'
                         f'<td class="num">{n}</td></tr>')
            fh.write("</tbody></table></section>")
        if failed:
            fh.write(f'<section id="failed"><h2>{t["failed"]} ({totals["error"]})</h2><table><thead><tr>'
                     f'<th>{t["doc"]}</th><th>{t["error"]}</th></tr></thead><tbody>')
            for f in failed:
                fh.write(f'<tr><td>{_link(f["name"], f["href"], lang)}</td><td class="v-error">{esc(f["error"])}</td>'
                         f'</tr>')
            fh.write("</tbody></table>")
            if totals["error"] > len(failed):
                fh.write(f'<p class="muted">{t["more"].format(n=totals["error"] - len(failed))}</p>')
            fh.write("</section>")
        # every document, in input order
        options = "".join(f'<option value="{v}">{t["v_" + v]}</option>' for v in ("fix", "review", "pass", "na", "error")
                          if totals[v])
        fh.write(f'<section id="all"><h2>{t["all"]} ({totals["documents"]})</h2>'
                 f'<p id="verdict-filter" class="filters" hidden><label>{t["show"]}: <select>'
                 f'<option value="all">{t["show_all"]}</option>{options}</select></label></p><table><thead><tr>'
                 f'<th>#</th><th>{t["doc"]}</th><th>{t["kind"]}</th><th>{t["unit"]}</th><th>{t["errors"]}</th>'
                 f'<th>{t["warnings"]}</th><th>{t["verdict"]}</th></tr></thead><tbody>')
        shutil.copyfileobj(rows, fh)
        fh.write(f'</tbody></table></section><p class="muted">{LABELS[lg]["generated"]}</p></div>')
        fh.write(tail)
    return path
