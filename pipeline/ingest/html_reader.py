"""HTML copied from legal portals: one Block per rendered line, tables cell by cell.

Block-level elements and <br> end lines, as a browser renders them. Table cells become
kind "cell" blocks with table/row/col (col is the grid column, so colspan/rowspan keep
columns aligned); everything else is kind "paragraph". `index` counts emitted blocks.
"""
from __future__ import annotations

import codecs
import re

import lxml.etree
import lxml.html

from pipeline.ingest.registry import register
from pipeline.model import Block, ReadError

# Elements whose content is never document text.
_SKIP = frozenset({"head", "title", "script", "style", "noscript", "template", "iframe", "object",
                   "embed", "svg", "math", "canvas", "audio", "video", "select", "button", "textarea",
                   "input", "map"})
# Elements that start and end a line.
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                    "table", "thead", "tbody", "tfoot", "tr", "caption", "blockquote", "pre", "section",
                    "article", "header", "footer", "nav", "aside", "main", "address", "figure",
                    "figcaption", "hr", "form", "fieldset", "legend", "center", "details", "summary",
                    "body", "html"})
_WS = re.compile(r"[ \t\n\r\f]+")  # HTML white space; U+00A0 is not in it
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
MAX_DEPTH = 2000  # libxml2 stops building the tree at depth 2048 even with huge_tree


def _decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): BOM, then valid UTF-8, then <meta charset>, then windows-1258."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    # Valid UTF-8 wins over a declared charset: pages re-saved as UTF-8 often keep the old
    # meta, and Vietnamese text in a legacy code page is never valid UTF-8 by accident.
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            enc = codecs.lookup(m.group(1).decode("ascii")).name
            if not enc.startswith(("utf-16", "utf-32")):  # a meta we could read is not UTF-16
                return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    if len(data) >= 4 and data.count(0) > len(data) // 4:  # UTF-16 without BOM
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    # Vietnamese Windows code page: the usual legacy encoding of saved Word/portal pages.
    return data.decode("cp1258", errors="replace"), "cp1258"


class _Table:
    __slots__ = ("index", "row", "col", "taken")

    def __init__(self, index: int):
        self.index = index
        self.row = -1
        self.col = 0
        self.taken: dict[tuple[int, int], bool] = {}  # grid slots filled by rowspans above


class _Builder:
    def __init__(self):
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.cell: tuple[int, int, int] | None = None  # (table, row, col) of the open cell
        self.tables = 0
        self.pre = 0  # depth inside <pre>

    def text(self, s: str | None) -> None:
        if not s:
            return
        if self.pre:
            lines = s.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self.buf.append(lines[0])
            for line in lines[1:]:
                self.flush()
                self.buf.append(line)
        else:
            self.buf.append(_WS.sub(" ", s))

    def flush(self) -> None:
        text = "".join(self.buf).replace("\xa0", " ").strip()
        self.buf = []
        if not text:
            return
        if self.cell is None:
            self.blocks.append(Block(index=len(self.blocks), text=text, kind="paragraph"))
        else:
            t, r, c = self.cell
            self.blocks.append(Block(index=len(self.blocks), text=text, kind="cell", table=t, row=r, col=c))


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def _walk(root) -> tuple[list[Block], dict]:
    b = _Builder()
    tables: list[_Table] = []
    depth = max_depth = 0
    # Iterative walk: deep tables must not hit Python's recursion limit. A frame is
    # (element, leaving, saved cell); an element's tail is its parent's content.
    stack: list[tuple] = [(root, False, None)]
    while stack:
        el, leaving, saved = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if leaving:
            depth -= 1
            b_tag = tag if tables or tag not in ("td", "th", "tr") else "div"
            if b_tag in ("td", "th"):
                b.flush()
                b.cell = saved
            elif b_tag == "table":
                b.flush()
                tables.pop()
            elif b_tag == "pre":
                b.flush()
                b.pre -= 1
            elif b_tag in _BLOCK:
                b.flush()
            b.text(el.tail)
            continue
        if not tag or tag in _SKIP or _hidden(el):  # comments, scripts, hidden: keep the tail
            b.text(el.tail)
            continue
        if tag == "br":
            b.flush()
            b.text(el.tail)
            continue
        saved = None
        if tag == "table":
            b.flush()
            tables.append(_Table(b.tables))
            b.tables += 1
        elif tag == "tr" and tables:
            b.flush()
            t = tables[-1]
            t.row += 1
            t.col = 0
        elif tag in ("td", "th") and tables:
            b.flush()
            t = tables[-1]
            t.row = max(t.row, 0)  # a cell before any <tr>: the parser's recovery
            while t.taken.pop((t.row, t.col), False):
                t.col += 1
            col = t.col
            span = _span(el.get("colspan"))
            for r in range(1, _span(el.get("rowspan"))):
                for c in range(col, col + span):
                    t.taken[(t.row + r, c)] = True
            t.col += span
            saved = b.cell
            b.cell = (t.index, t.row, col)
        elif tag == "pre":
            b.flush()
            b.pre += 1
        elif tag in _BLOCK or tag in ("td", "th", "tr"):  # stray cells: still line breaks
            b.flush()
        depth += 1
        max_depth = max(max_depth, depth)
        stack.append((el, True, saved))
        b.text(el.text)
        stack.extend((child, False, None) for child in reversed(el))  # pop in document order
    b.flush()
    return b.blocks, {"tables": b.tables, "depth_limited": max_depth >= MAX_DEPTH}


def _span(value: str | None) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), 1000)  # browsers clamp spans too


@register("html", ".html", ".htm")
def read_html(data: bytes) -> tuple[list[Block], dict]:
    try:
        text, enc = _decode(data)
        if "\x00" in text:
            raise ReadError("corrupt_html", "binary data")
        if not text.strip():
            return [], {"reader": "lxml.html", "encoding": enc, "tables": 0}
        # Re-encode so lxml ignores any charset or XML declaration inside the page.
        parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True,
                                      remove_pis=True, huge_tree=True, default_doctype=False)
        try:
            root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
        except lxml.etree.ParserError as exc:
            if "empty" in str(exc).lower():  # only comments or white space
                return [], {"reader": "lxml.html", "encoding": enc, "tables": 0}
            raise
        blocks, notes = _walk(root)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001  (hostile or broken input is a per-file error)
        raise ReadError("corrupt_html", f"{type(exc).__name__}: {exc}") from exc
    quality = {"reader": "lxml.html", "encoding": enc, "tables": notes["tables"]}
    if notes["depth_limited"]:
        quality["depth_limited"] = True
    return blocks, quality
