"""One HTML report per document: self-contained (inline CSS, no fonts, images or scripts from anywhere),
printable on A4, Vietnamese by default.

- `render_document_html(run, result, lang)`: the full standalone page (what `--format html` writes);
- `render_report_fragment(run, result, lang)` + `REPORT_CSS`: the same report as a `<div class="dccs-report">`
  for embedding in another page (the web service); the CSS is scoped to that class.

Everything taken from the document or the result is escaped: document text is hostile. The page also carries
a Content-Security-Policy that forbids any network load and allows only its own inline script (by hash).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.classify import KIND_NAMES, UNIT_NAMES
from pipeline.report.groups import ORDER, STATUS_RANK, group_name, group_of
from pipeline.report.html_base import (FLAGGED, LABELS, NOTE_TEXT, REPORT_CSS, SCRIPT, SEVERITY_ORDER,  # noqa: F401
                                       STATUSES, anchor, esc, format_date, lang_of, page, run_block, status_badge)
from pipeline.report.messages import SEVERITY_NAMES
from pipeline.report.outputs import doc_basename, document_writer


def highlighted(ev: dict) -> str:
    """The paragraph with the quote marked; just the quote when the result has no context."""
    ctx = ev.get("context")
    if not ctx or ctx["text"][ctx["start"]:ctx["end"]] != ev.get("quote"):
        return f"<mark>{esc(ev.get('quote'))}</mark>"
    text, a, b = ctx["text"], ctx["start"], ctx["end"]
    return ("…" if ctx.get("cut_before") else "") + esc(text[:a]) + f"<mark>{esc(text[a:b])}</mark>" + \
        esc(text[b:]) + ("…" if ctx.get("cut_after") else "")


def _kind_unit(value: str | None, names: dict, lang: str) -> str:
    if value is None:
        return LABELS[lang_of(lang)]["unknown"]
    return names.get(value, value) if lang_of(lang) == "vi" else value


def _summary(result: dict, lang: str) -> str:
    t = LABELS[lang_of(lang)]
    h = result.get("header") or {}
    c = result.get("classification") or {}
    rows = [(t["doc_type"], esc(h.get("doc_type"))), (t["reference"], esc(h.get("reference"))),
            (t["date"], esc(format_date(result.get("date"), lang))),
            (t["issuer"], esc(" / ".join(h.get("issuer") or []))), (t["title"], esc(h.get("title"))),
            (t["kind"], esc(_kind_unit(result.get("kind"), KIND_NAMES, lang)) +
             (f' <span class="muted">({esc(c["kind_reason"])})</span>' if c.get("kind_reason") else "")),
            (t["unit"], esc(_kind_unit(result.get("unit_type"), UNIT_NAMES, lang)) +
             (f' <span class="muted">({esc(c["unit_reason"])})</span>' if c.get("unit_reason") else ""))]
    if c.get("staff") is not None or c.get("staff_source"):
        staff = c.get("staff") if c.get("staff") is not None else (f"≤ {c['staff_max']}" if c.get("staff_max") else "")
        rows.append((t["staff"], esc(staff) + (f' <span class="muted">({esc(c["staff_source"])})</span>'
                                              if c.get("staff_source") else "")))
    if c.get("judged_on"):
        rows.append((t["judged_on"], esc(c["judged_on"])))
    if c.get("date_note"):
        rows.append((t["note"], esc(c["date_note"])))
    body = "".join(f"<dt>{k}</dt><dd>{v or '—'}</dd>" for k, v in rows)
    return f'<section class="summary"><h2>{t["summary"]}</h2><dl class="meta">{body}</dl></section>'


def _counts(result: dict, lang: str) -> str:
    t = LABELS[lang_of(lang)]
    counts = result.get("counts") or {}
    parts = [f"<span>{status_badge(s, lang)} {counts.get(s, 0)}</span>" for s in STATUSES if counts.get(s)]
    sc = result.get("severity_counts") or {}
    sev = (f'<span class="sev-error">{sc.get("error", 0)} {t["errors"]}</span> · '
           f'<span class="sev-warning">{sc.get("warning", 0)} {t["warnings"]}</span>')
    return f'<p class="counts">{"".join(parts)}</p><p>{sev}</p>'


def _sort_key(f: dict):
    return (-STATUS_RANK.get(f["status"], 0), SEVERITY_ORDER.get(f["severity"], 3), f["rule"])


def _requirements_table(findings: list[dict], lang: str) -> str:
    t = LABELS[lang_of(lang)]
    sev = SEVERITY_NAMES[lang_of(lang)]
    order = {g: i for i, g in enumerate(ORDER)}
    rows = []
    for f in sorted(findings, key=lambda f: (order.get(group_of(f["rule"]), len(order)), f["rule"])):
        status = f["status"]
        waived = f' <span class="muted">({t["waived"]})</span>' if f.get("waived") else ""
        # a met requirement has no severity worth reading ("info"): a dash keeps the column on what matters
        severity = esc(sev.get(f["severity"], f["severity"])) if status in FLAGGED else "—"
        rows.append(
            f'<tr data-status="{esc(status)}"><td class="rule"><a href="#{anchor(f["rule"])}">{esc(f["rule"])}</a></td>'
            f'<td>{esc(f.get("title"))}</td><td>{esc(group_name(group_of(f["rule"]), lang))}</td>'
            f'<td>{status_badge(status, lang)}{waived}</td>'
            f'<td class="sev-{esc(f["severity"])}">{severity}</td>'
            f'<td>{esc((f.get("citation") or {}).get("text"))}</td></tr>')
    head = "".join(f"<th>{t[k]}</th>" for k in ("rule", "requirement", "group", "status", "severity", "citation"))
    return f'<table class="requirements"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _finding(f: dict, result: dict, lang: str) -> str:
    lg = lang_of(lang)
    t = LABELS[lg]
    sev = SEVERITY_NAMES[lg]
    status = f["status"]
    out = [f'<article class="finding st-b-{esc(status)}" id="{anchor(f["rule"])}" data-status="{esc(status)}">',
           f'<h3>{status_badge(status, lang)} <span class="sev-{esc(f["severity"])}">'
           f'[{esc(sev.get(f["severity"], f["severity"]))}]</span> {esc(f["rule"])} — {esc(f.get("title"))}'
           + (f' <span class="state">{t[f["baseline_state"]]}</span>' if f.get("baseline_state") in ("new", "unchanged")
              else "") + '</h3>',
           f'<p>{esc(f.get("message"))}</p>']
    if f.get("waived"):
        who = ", ".join(esc(x) for x in (f.get("waiver_by"), f.get("waiver_date")) if x)
        out.append(f'<p><span class="label">{t["waived"]}:</span> {esc(f.get("waiver_reason"))}'
                   + (f' <span class="muted">({t["waived_by"]}: {who})</span>' if who else "") + "</p>")
    evidence = f.get("evidence") or []
    if evidence:
        out.append(f'<p class="label">{t["evidence"]}:</p>')
        for ev in evidence:
            span = ev.get("span") or {}
            page = f' · {t["page"]} {esc(span["page"])}' if span.get("page") else ""
            out.append(f'<p class="loc"><span class="label">{t["location"]}:</span> {esc(ev.get("location"))}'
                       f'{page}</p><blockquote>{highlighted(ev)}</blockquote>')
    elif status in ("missing", "partial"):
        out.append(f'<p class="muted">{t["no_evidence"]}</p>')
    cit = f.get("citation") or {}
    also = f' <span class="muted">({t["also"]}: {esc(", ".join(cit["also"]))})</span>' if cit.get("also") else ""
    out.append(f'<p><span class="label">{t["legal"]}:</span> {esc(cit.get("text"))}{also}</p>')
    if f.get("where"):
        out.append(f'<p><span class="label">{t["where"]}:</span> {esc(f["where"])}</p>')
    if f.get("suggestion"):
        label = t["suggestion_fix"] if f["status"] == "conflict" else t["suggestion"]
        out.append(f'<p class="label">{label}:</p><div class="suggestion">{esc(f["suggestion"])}</div>')
    notes = []
    for n in f.get("notes") or []:
        text = NOTE_TEXT.get(n, {}).get(lg)
        judged = (result.get("classification") or {}).get("judged_on") or ""
        notes.append(text.format(judged_on=judged) if text else n)
    if notes:
        out.append(f'<p class="muted"><span class="label">{t["note"]}:</span> {esc(" ".join(notes))}</p>')
    out.append(f'<p class="muted">{t["confidence"]}: {esc(f.get("confidence"))} · '
               f'<a class="back" href="#requirements">{t["back"]}</a></p></article>')
    return "".join(out)


def _baseline(result: dict, lang: str) -> str:
    """With --baseline: which previous version this one was compared with, and how many findings are new."""
    b = result.get("baseline")
    if not b:
        return ""
    t = LABELS[lang_of(lang)]
    if not b.get("previous_file"):
        return f'<p><span class="label">{t["baseline"]}:</span> {t["no_previous"]}.</p>'
    states = [f.get("baseline_state") for f in result.get("findings") or []]
    return (f'<p><span class="label">{t["baseline"]}:</span> {esc(b["previous_file"])} '
            f'<span class="muted">({t["match"].get(b.get("match"), esc(b.get("match")))})</span> — '
            f'{states.count("new")} {t["new"]}, {states.count("unchanged")} {t["unchanged"]}, '
            f'{len(result.get("resolved") or [])} {t["resolved"].lower()}.</p>')


def _resolved(result: dict, lang: str) -> str:
    resolved = result.get("resolved") or []
    if not resolved:
        return ""
    t = LABELS[lang_of(lang)]
    items = "".join(f'<li>{esc(r.get("rule"))} — {esc(r.get("title"))} <span class="muted">({t["was"]}: '
                    f'{status_badge(r.get("status"), lang)})</span></li>' for r in resolved)
    return f'<section id="resolved"><h2>{t["resolved"]} ({len(resolved)})</h2><ul>{items}</ul></section>'


def _filters(findings: list[dict], lang: str) -> str:
    t = LABELS[lang_of(lang)]
    present = [s for s in STATUSES if any(f["status"] == s for f in findings)]
    boxes = "".join(f'<label><input type="checkbox" value="{s}" checked> {status_badge(s, lang)}</label>'
                    for s in present)
    # hidden until the script shows it: without JS there is nothing to filter with, and everything is shown
    return f'<div class="filters" hidden><span class="label">{t["filter"]}:</span> {boxes}</div>'


def render_report_fragment(run: dict, result: dict, lang: str = "vi") -> str:
    """The report as one `<div class="dccs-report">` (styled by REPORT_CSS), for embedding in a page."""
    lg = lang_of(lang)
    t = LABELS[lg]
    out = [f'<div class="dccs-report" lang="{lg}">', f'<h1>{t["report"]}</h1>',
           f'<p><span class="label">{t["file"]}:</span> {esc(result.get("file"))}</p>', run_block(run, lang)]
    if result.get("error"):
        out.append(f'<section class="error" role="alert"><h2>{t["error"]}</h2><p>{esc(result["error"])}</p>'
                   f'<p class="muted">{esc(result.get("error_code"))}</p></section></div>')
        return "".join(out)
    out.append(_summary(result, lang))
    findings = result.get("findings") or []
    out.append(f'<section><h2>{t["result"]}</h2>')
    if not findings:
        out.append(f'<p>{t["not_applicable_doc"]}</p></section></div>')
        return "".join(out)
    out.append(_counts(result, lang) + _baseline(result, lang) + "</section>")
    out.append(f'<section id="requirements"><h2>{t["requirements"]}</h2>{_filters(findings, lang)}'
               f'{_requirements_table(findings, lang)}</section>')
    flagged = sorted((f for f in findings if f["status"] in FLAGGED), key=_sort_key)
    rest = sorted((f for f in findings if f["status"] not in FLAGGED), key=_sort_key)
    out.append(f'<section id="findings"><h2>{t["findings"]} ({len(flagged)})</h2>')
    out.append("".join(_finding(f, result, lang) for f in flagged) if flagged else f'<p>{t["no_issue"]}</p>')
    out.append("</section>")
    if rest:
        # collapsed (the long, reassuring part): the requirements table already gives each one's status, so
        # the printout stays a few pages; following a table link opens it
        out.append(f'<section id="passed"><details><summary><h2 style="display:inline">{t["passed"]} '
                   f'({len(rest)})</h2></summary>{"".join(_finding(f, result, lang) for f in rest)}</details></section>')
    out.append(_resolved(result, lang))
    out.append(f'<p class="muted">{t["generated"]}</p></div>')
    return "".join(out)


def render_document_html(run: dict, result: dict, lang: str = "vi") -> str:
    """The full standalone HTML page of one document's report."""
    from pathlib import PurePath

    title = f'{LABELS[lang_of(lang)]["report"]} — {PurePath(result.get("file") or "").name}'
    return page(title, render_report_fragment(run, result, lang), lang, REPORT_CSS)


@document_writer("html")
def write_document_html(run: dict, result: dict, out_dir: Path, lang: str = "vi") -> list[Path]:
    path = Path(out_dir) / "docs" / f"{doc_basename(result)}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_document_html(run, result, lang), encoding="utf-8")
    return [path]
