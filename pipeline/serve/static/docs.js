// Offline API docs: renders the operations of /openapi.json (Swagger UI would load assets from a CDN).
"use strict";
(async function () {
  const box = document.getElementById("ops");
  const el = (tag, text, cls) => { const n = document.createElement(tag); if (text) n.textContent = text;
    if (cls) n.className = cls; return n; };
  let spec;
  try { spec = await (await fetch("/openapi.json")).json(); } catch (e) {
    box.replaceChildren(el("p", "Không tải được /openapi.json.")); return;
  }
  box.replaceChildren(el("h2", `${spec.info.title} — ${spec.info.version}`), el("p", spec.info.description || ""));
  const resolve = (s) => {
    if (s && s.$ref) return spec.components.schemas[s.$ref.split("/").pop()] || s;
    return s || {};
  };
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const card = el("section", "", "op");
      const h = el("h3");
      h.append(el("span", method, "method"), el("code", path));
      card.append(h, el("p", op.summary || ""));
      if (op.description) card.append(el("p", op.description));
      const rows = [];
      for (const p of op.parameters || []) rows.push([p.name, p.in, (resolve(p.schema).type || ""), p.description || ""]);
      const body = op.requestBody && op.requestBody.content;
      if (body) {
        for (const [ctype, media] of Object.entries(body)) {
          const schema = resolve(media.schema);
          for (const [name, prop] of Object.entries(schema.properties || {})) {
            const enumText = prop.enum ? ` (${prop.enum.join(" | ")})` : "";
            rows.push([name, ctype, (prop.format || prop.type || "") + enumText, prop.description || ""]);
          }
        }
      }
      if (rows.length) {
        const t = el("table"); const head = el("tr");
        for (const c of ["Tham số", "Vị trí", "Kiểu", "Mô tả"]) head.append(el("th", c));
        t.append(head);
        for (const r of rows) { const tr = el("tr"); for (const c of r) tr.append(el("td", String(c))); t.append(tr); }
        card.append(t);
      }
      const resp = el("ul");
      for (const [code, r] of Object.entries(op.responses || {})) resp.append(el("li", `${code}: ${r.description || ""}`));
      card.append(el("p", "Trả về:"), resp);
      box.append(card);
    }
  }
})();
