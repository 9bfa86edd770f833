// The upload page: sends the draft to /api/v1/check and renders the JSON result. No library, no network
// beyond this server. Only the previous result's rule -> status map is kept (localStorage), never text.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("config").textContent);
  const T = config.t;  // the page's words in its language (pipeline/serve/page_text.py)
  const STATUS = T.status, SEVERITY = T.severity;
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const ORDER = {conflict: 0, missing: 1, partial: 2, undetermined: 3, present: 4, not_applicable: 5};
  const SEV_ORDER = {error: 0, warning: 1, info: 2};
  const PREVIOUS_KEY = "dccs.previous";
  const $ = (id) => document.getElementById(id);
  const form = $("upload"), fileInput = $("file"), drop = $("drop"), statusLine = $("status");
  let current = null;  // {payload, file, fields}

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function showChosen() {
    const f = fileInput.files[0];
    $("chosen").textContent = f ? fmt(T.chosen, {name: f.name, kb: (f.size / 1024).toFixed(0)}) : "";
  }

  fileInput.addEventListener("change", showChosen);
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => {
    e.preventDefault(); drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      fileInput.files = e.dataTransfer.files;
      showChosen();
    }
  });

  function fields() {
    return {kind: $("kind").value, unit_type: $("unit_type").value, staff: $("staff").value.trim()};
  }

  function formData(file, f, format) {
    const fd = new FormData();
    fd.append("file", file, file.name);
    for (const [k, v] of Object.entries(f)) if (v) fd.append(k, v);
    fd.append("format", format);
    fd.append("lang", config.lang);
    return fd;
  }

  async function errorText(resp) {
    try {
      const body = await resp.json();
      if (typeof body.detail === "string") return body.detail;
    } catch (e) { /* not JSON */ }
    return fmt(T.server_error, {status: resp.status});
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = fileInput.files[0];
    if (!file) { say(T.no_file, "bad"); return; }
    if (file.size > config.maxUpload) {
      say(fmt(T.too_large, {mb: config.maxUpload / 1048576}), "bad");
      return;
    }
    const f = fields();
    $("submit").disabled = true;
    const started = performance.now();
    say(T.checking);
    try {
      const resp = await fetch("/api/v1/check", {method: "POST", body: formData(file, f, "json")});
      if (!resp.ok) { say(await errorText(resp), "bad"); return; }
      const payload = await resp.json();
      current = {payload, file, fields: f};
      render(payload, file.name);
      say(fmt(T.done, {s: ((performance.now() - started) / 1000).toFixed(1)}), "ok");
    } catch (err) {
      say(T.offline, "bad");
    } finally {
      $("submit").disabled = false;
    }
  });

  function dateText(d) {
    if (!d) return "";
    return `${d.day || ".."}/${d.month || ".."}/${d.year || "...."}`;
  }

  function renderSummary(payload, fileName) {
    const r = payload.documents[0], run = payload.run, h = r.header || {}, c = r.classification || {};
    const box = $("summary");
    box.replaceChildren();
    box.append(el("p", {class: "docname"}, el("strong", {}, fileName)));
    const facts = el("dl", {class: "facts"});
    const fact = (k, v) => { if (v) facts.append(el("dt", {}, k), el("dd", {}, v)); };
    fact(T.f_doc, [h.doc_type, h.reference].filter(Boolean).join(" ") + (r.date ? ` ${T.f_date} ${dateText(r.date)}` : ""));
    fact(T.f_issuer, (h.issuer || []).join(" / "));
    fact(T.f_title, h.title);
    fact(T.f_kind, config.kinds[r.kind] || r.kind);
    fact(T.f_unit, (config.units[r.unit_type] || r.unit_type || "?") + (c.unit_reason ? ` (${c.unit_reason})` : ""));
    if (c.date_note) fact(T.f_note, c.date_note);
    fact(T.f_run, fmt(T.run, {v: run.rules_version, snap: run.legal_snapshot, d: run.as_of}));
    box.append(facts);
    if (!r.applicable) {
      box.append(el("p", {class: "verdict na"}, T.not_applicable));
      return;
    }
    const sc = r.severity_counts;
    const verdict = sc.error ? ["bad", fmt(T.v_bad, {e: sc.error, w: sc.warning})]
      : sc.warning ? ["warn", fmt(T.v_warn, {w: sc.warning})] : ["ok", T.v_ok];
    box.append(el("p", {class: "verdict " + verdict[0]}, verdict[1]));
    const counts = el("ul", {class: "counts"});
    for (const s of Object.keys(ORDER)) {
      if (r.counts[s]) counts.append(el("li", {class: "st-" + s}, `${r.counts[s]} ${STATUS[s]}`));
    }
    box.append(counts);
  }

  function renderChanges(r, fileName) {
    const box = $("changes");
    box.replaceChildren();
    box.hidden = true;
    let previous = null;
    try { previous = JSON.parse(localStorage.getItem(PREVIOUS_KEY) || "null"); } catch (e) { previous = null; }
    const statuses = {}, titles = {};
    for (const f of r.findings) { statuses[f.rule] = f.status; titles[f.rule] = f.title || f.rule; }
    if (previous && previous.statuses && r.findings.length) {
      const rows = [];
      for (const rule of Object.keys(statuses)) {
        const before = previous.statuses[rule];
        if (before !== statuses[rule]) rows.push([rule, before, statuses[rule]]);
      }
      const when = new Date(previous.at).toLocaleString(T.locale);
      box.append(el("h3", {}, fmt(T.changes, {file: previous.file, when})));
      if (!rows.length) {
        box.append(el("p", {}, T.no_changes));
      } else {
        const better = rows.filter(([, b, a]) => a === "present" && b && b !== "present").length;
        box.append(el("p", {}, fmt(T.n_changes, {n: rows.length, better})));
        const list = el("ul", {class: "changelist"});
        for (const [rule, before, after] of rows) {
          list.append(el("li", {class: "st-" + after}, el("code", {}, rule), " ", titles[rule], ": ",
            before ? STATUS[before] : T.unchecked, " → ", el("strong", {}, STATUS[after])));
        }
        box.append(list);
      }
      box.hidden = false;
    }
    if (r.findings.length) {
      // Only rule ids and statuses: never the document's text.
      localStorage.setItem(PREVIOUS_KEY, JSON.stringify({file: fileName, at: Date.now(), statuses}));
    }
  }

  function renderFinding(f) {
    const li = el("li", {class: `finding st-${f.status} sev-${f.severity}`, "data-rule": f.rule,
                         "data-status": f.status});
    li.append(el("div", {class: "fhead"},
      el("span", {class: "badge st-" + f.status}, STATUS[f.status]),
      ["missing", "partial", "conflict"].includes(f.status) ? el("span", {class: "sev"}, SEVERITY[f.severity]) : null,
      el("code", {class: "rule"}, f.rule), " ", el("strong", {}, f.title || "")));
    li.append(el("p", {class: "msg"}, f.message));
    li.append(el("p", {class: "cite"}, el("span", {class: "k"}, T.cite), f.citation.text,
      f.citation.also && f.citation.also.length ? ` (${T.and} ${f.citation.also.join(", ")})` : ""));
    for (const ev of f.evidence || []) {
      li.append(el("p", {class: "evidence"}, el("span", {class: "k"}, T.quote),
        el("mark", {}, ev.quote), el("span", {class: "loc"}, ` — ${ev.location}`)));
    }
    if (f.where && f.status !== "present") {
      li.append(el("p", {class: "where"}, el("span", {class: "k"}, T.where), f.where));
    }
    for (const n of f.notes || []) li.append(el("p", {class: "note"}, n));
    if (f.suggestion && f.status !== "present" && f.status !== "not_applicable") {
      const copy = el("button", {type: "button", class: "link"}, T.copy);
      copy.addEventListener("click", () => {
        if (navigator.clipboard) navigator.clipboard.writeText(f.suggestion).then(() => { copy.textContent = T.copied; });
      });
      li.append(el("div", {class: "suggest"}, el("span", {class: "k"}, T.suggest), copy,
        el("blockquote", {}, f.suggestion)));
    }
    if (f.waived) li.append(el("p", {class: "note"}, T.waived + (f.waiver_reason || "")));
    return li;
  }

  function renderFindings(r) {
    const list = $("findings");
    list.replaceChildren();
    const all = $("showall").checked;
    const sorted = [...r.findings].sort((a, b) =>
      (ORDER[a.status] - ORDER[b.status]) || (SEV_ORDER[a.severity] - SEV_ORDER[b.severity]));
    for (const f of sorted) {
      if (!all && (f.status === "present" || f.status === "not_applicable")) continue;
      list.append(renderFinding(f));
    }
    if (!list.children.length && r.findings.length) {
      list.append(el("li", {class: "finding"}, T.nothing));
    }
  }

  function renderDownloads(r) {
    for (const b of $("downloads").querySelectorAll("button")) {
      const fmt = b.dataset.format;
      const ok = config.formats.includes(fmt);
      b.hidden = fmt === "docx" && r.format !== "docx";
      b.disabled = !ok;
      b.title = ok ? "" : T.unavailable;
    }
  }

  function render(payload, fileName) {
    const r = payload.documents[0];
    $("report").hidden = false;
    renderSummary(payload, fileName);
    renderChanges(r, fileName);
    renderDownloads(r);
    renderFindings(r);
    $("report").scrollIntoView({behavior: "smooth", block: "start"});
  }

  $("showall").addEventListener("change", () => { if (current) renderFindings(current.payload.documents[0]); });
  $("forget").addEventListener("click", () => {
    localStorage.removeItem(PREVIOUS_KEY);
    say(T.forgotten, "ok");
  });

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", {href: url, download: name});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function baseName(name) { return name.replace(/\.[^.]*$/, "") || "van-ban"; }

  $("downloads").addEventListener("click", async (e) => {
    const b = e.target.closest("button");
    if (!b || !current) return;
    const fmt = b.dataset.format;
    const stem = baseName(current.file.name);
    if (fmt === "json") {
      save(new Blob([JSON.stringify(current.payload, null, 2)], {type: "application/json"}), `${stem}.json`);
      return;
    }
    // Nothing is kept on the server, so a download sends the same file again and gets the report back.
    b.disabled = true;
    say(T.making);
    try {
      const resp = await fetch("/api/v1/check", {method: "POST", body: formData(current.file, current.fields, fmt)});
      if (!resp.ok) { say(await errorText(resp), "bad"); return; }
      save(await resp.blob(), fmt === "docx" ? `${stem}-nhan-xet.docx` : `${stem}.${fmt}`);
      say(T.made, "ok");
    } catch (err) {
      say(T.offline, "bad");
    } finally {
      b.disabled = false;
    }
  });
})();
