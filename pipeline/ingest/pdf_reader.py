"""PDF with a text layer: one Block per line, in the order a plain-text copy reads.

pypdfium2 gives text in content-stream order (~1 ms/page). LibreOffice and Word draw a
table cell by cell, so that order is already right, except where two cells share a
baseline and pdfium joins them into one line ("Số: 56/KH-UBND Quảng Ninh, ngày ..."), or
where a producer draws line by line across the columns. So only two regions are re-read
with geometry: the two-column header at the top of page 1 (and of an attached part), and
the closing ("Nơi nhận" list | signer). Everything else keeps stream order.

pdfplumber is not used: on ruled tables pypdfium2 already yields each cell whole, and
pdfplumber costs ~45 ms/page.
"""
from __future__ import annotations

import re
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.registry import register
from pipeline.model import Block, ReadError

_EOL = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# Page numbers that cannot be body text: "- 2 -", "Trang 2", "2/5".
_PAGE_LABEL = re.compile(r"^(?:-\s*\d{1,4}\s*-|(?:trang|page)\s*\d{1,4}(?:\s*/\s*\d{1,4})?"
                         r"|\d{1,4}\s*/\s*\d{1,4})$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")  # also a table cell: dropped only when it stands apart
_MOTTO = re.compile(r"CỘNG\s*H(?:ÒA|OÀ)\s*XÃ\s*HỘI|ĐỘC\s*LẬP\s*[-–]\s*TỰ\s*DO")
# "Số: 56/KH-UBND", "Số     /QĐ", "Luật số: 83/2025/QH15", "Nghị quyết số:"
_NUMBER_LINE = re.compile(r"^\s*(?:Số\s*[:\d/.…_]|(?:[^\W\d_]+\s+){1,2}số\s*:)", re.IGNORECASE)
# "Quảng Ninh, ngày 26 tháng 02 năm 2024", blanks allowed; anchored at both ends so a
# "Căn cứ Luật ..., ngày 19 tháng 6 năm 2015;" line does not match.
_PLACE_DATE = re.compile(r"^\s*[^\W\d_][^\d,;:()]{0,40},\s*ngày\b[\d\s.…_/-]*(?:tháng\b[\d\s.…_/-]*"
                         r"(?:năm\b[\d\s.…_]*)?)?$", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^\s*Nơi\s*nhận\b", re.IGNORECASE)

HEAD_LINES = 12  # header anchors are looked for among a page's first non-blank lines
MIN_GAP = 12.0  # pt; a column gutter is wider than any word space
BACK_LINES = 6  # signer lines drawn before "Nơi nhận" on the same row


class _Line:
    __slots__ = ("page", "text", "start", "tp", "box", "_rects", "drop")

    def __init__(self, page: int, text: str, start: int, tp, box):
        self.page = page  # 1-based
        self.text = text
        self.start = start  # index of the first char in the textpage
        self.tp = tp  # textpage when geometry is usable, else None
        self.box = box  # (x0, x1) of the page
        self._rects = None
        self.drop = False

    def rects(self) -> list[tuple[float, float, float, float]]:
        """Text rectangles (left, bottom, right, top), PDF units, y up."""
        if self._rects is None:
            n = self.tp.count_rects(self.start, len(self.text))
            self._rects = [self.tp.get_rect(i) for i in range(n)]
        return self._rects

    def top(self) -> float:
        return max(r[3] for r in self.rects())

    def bottom(self) -> float:
        return min(r[1] for r in self.rects())


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@register("pdf", ".pdf")
def read_pdf(data: bytes) -> tuple[list[Block], dict]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError("encrypted_pdf") from exc
        raise ReadError("corrupt_pdf", str(exc)) from exc
    except Exception as exc:  # noqa: BLE001  (bad input of any kind is a per-file error)
        raise ReadError("corrupt_pdf", f"{type(exc).__name__}: {exc}") from exc
    held: list = []  # pages and textpages kept open for the geometry pass
    try:
        return _read(doc, held)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ReadError("corrupt_pdf", f"{type(exc).__name__}: {exc}") from exc
    finally:
        for obj in reversed(held):
            obj.close()
        doc.close()


def _read(doc, held: list) -> tuple[list[Block], dict]:
    n_pages = len(doc)
    if n_pages == 0:
        raise ReadError("corrupt_pdf", "no pages")
    pages: list[list[_Line]] = []
    without_text: list[int] = []
    any_text = False
    prev_has_recipients = False
    for p in range(n_pages):
        page = doc[p]
        tp = page.get_textpage()
        text = tp.get_text_range()
        lines: list[_Line] = []
        keep = False
        if text.strip():
            any_text = True
            # Geometry needs text offsets == char indices (false with astral chars); rotated
            # pages would need coordinate transforms, and never carry the header.
            geo = tp if tp.count_chars() == len(text) and page.get_rotation() == 0 else None
            box = None
            if geo is not None:
                x0, _, x1, _ = page.get_mediabox()
                box = (x0, x1)
            pos = 0
            for m in _EOL.finditer(text):
                lines.append(_Line(p + 1, text[pos:m.start()], pos, geo, box))
                pos = m.end()
            lines.append(_Line(p + 1, text[pos:], pos, geo, box))
            _drop_page_numbers(lines)
            has_recipients = any(_is_recipients(ln.text) for ln in lines)
            keep = geo is not None and (has_recipients or prev_has_recipients
                                        or _header_end(lines, p == 0) is not None)
            prev_has_recipients = has_recipients
        else:
            prev_has_recipients = False
            if _has_image(page):
                without_text.append(p + 1)
        pages.append(lines)
        if keep:
            held.extend((page, tp))
        else:
            for ln in lines:
                ln.tp = None
            tp.close()
            page.close()

    quality = {"reader": "pypdfium2", "pages": n_pages, "pages_without_text": without_text,
               "needs_ocr": bool(without_text) or not any_text}
    if not any_text:
        return [], quality
    return _emit(pages), quality


def _has_image(page) -> bool:
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        return True
    return False


def _is_recipients(text: str) -> bool:
    s = text.lstrip()
    return s[:1] in ("N", "n") and bool(_RECIPIENTS.match(_nfc(s)))


# ----------------------------------------------------------------------- page numbers
def _drop_page_numbers(lines: list[_Line]) -> None:
    live = [ln for ln in lines if ln.text.strip()]
    if not live:
        return
    ends = [(live[0], live[1] if len(live) > 1 else None)]
    if len(live) > 1:
        ends.append((live[-1], live[-2]))
    for ln, neighbour in ends:
        s = ln.text.strip()
        if _PAGE_LABEL.match(s):
            ln.drop = True
        elif _BARE_NUMBER.match(s) and int(s) > 0 and ln.tp is not None:
            # A bare number is also an STT cell of a table that runs over the page; a
            # page number stands apart from its stream neighbour (above or below it).
            if neighbour is None:
                ln.drop = True
                continue
            if not ln.rects() or not neighbour.rects():
                continue
            top, bottom = ln.top(), ln.bottom()
            n_top, n_bottom = neighbour.top(), neighbour.bottom()
            gap = max(bottom - n_top, n_bottom - top)
            ln.drop = gap >= 0.8 * max(top - bottom, 6.0)


# ----------------------------------------------------------------------- regions
def _header_end(lines: list[_Line], first_page: bool) -> int | None:
    """Position (in `lines`) of the last header anchor near the top of the page, if any."""
    end = None
    seen_motto = False
    count = 0
    for i, ln in enumerate(lines):
        if ln.drop or not ln.text.strip():
            continue
        count += 1
        if count > HEAD_LINES:
            break
        s = _nfc(ln.text)
        motto = bool(_MOTTO.search(s.upper()))
        seen_motto |= motto
        if motto or _NUMBER_LINE.match(s) or _PLACE_DATE.match(s):
            end = i
    if end is None or (not first_page and not seen_motto):
        return None  # a later page has a header only when it carries the national motto
    return end


def _emit(pages: list[list[_Line]]) -> list[Block]:
    flat: list[_Line] = [ln for lines in pages for ln in lines]
    regions: dict[int, tuple[int, list[tuple[str, int]]]] = {}  # start -> (end, parts)
    offset = 0
    claimed_until = 0  # lines before this position already belong to a region
    for p, lines in enumerate(pages):
        base = offset
        offset += len(lines)
        if not lines or lines[0].tp is None:
            continue
        h_end = _header_end(lines, p == 0)
        if h_end is not None and base >= claimed_until:
            parts = _safe(_regroup, lines[:h_end + 1], True)
            if parts is not None:
                regions[base] = (base + h_end + 1, parts)
            claimed_until = base + h_end + 1
        for i, ln in enumerate(lines):
            if base + i < claimed_until or ln.drop or not _is_recipients(ln.text):
                continue
            span = _safe(_closing_span, pages, p, i, claimed_until - base)
            if span is None:
                continue
            start, region = span
            end = base + start + len(region)
            claimed_until = end
            parts = _safe(_regroup, region, False)
            if parts is not None:
                regions[base + start] = (end, parts)
    blocks: list[Block] = []
    idx = 0
    i = 0
    while i < len(flat):
        if i in regions:
            end, parts = regions[i]
            first = idx
            for text, page in parts:
                blocks.append(Block(index=idx, text=text, kind="line", page=page))
                idx += 1
            # A split line yields two blocks; otherwise indices stay the raw line numbers.
            idx = max(idx, first + end - i)
            i = end
            continue
        ln = flat[i]
        if not ln.drop and ln.text.strip():
            blocks.append(Block(index=idx, text=ln.text, kind="line", page=ln.page))
        idx += 1
        i += 1
    return blocks


def _safe(fn, *args):
    """Layout repair is an improvement only: on a geometry surprise keep stream order."""
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001
        return None


def _closing_span(pages: list[list[_Line]], p: int, i: int, floor: int):
    """Lines of the closing that starts at pages[p][i]: (start position in page p, lines).

    Runs to the end of the page, plus the top of the next page when the closing table
    breaks across pages.
    """
    lines = pages[p]
    nn = lines[i]
    if not nn.rects():
        return None
    nn_top = nn.top()
    tol = 0.5 * (nn_top - nn.bottom())
    start = i
    seen = 0
    # Signer lines on the same row may be drawn before "Nơi nhận": take earlier lines that
    # are not above it.
    for j in range(i - 1, max(floor, 0) - 1, -1):
        ln = lines[j]
        if ln.drop or not ln.text.strip():
            continue
        seen += 1
        if seen > BACK_LINES or not ln.rects() or ln.top() > nn_top + tol:
            break
        start = j
    region = lines[start:]
    if p + 1 < len(pages):
        region = region + _continuation(region, pages[p + 1])
    return start, region


def _continuation(region: list[_Line], nxt: list[_Line]) -> list[_Line]:
    """Leading lines of the next page that continue the closing's two columns."""
    if not nxt or nxt[0].tp is None or _header_end(nxt, False) is not None:
        return []
    live = [ln for ln in region if ln.text.strip() and not ln.drop and ln.rects()]
    x = _split_x(live)
    if x is None:
        return []
    left = [r for ln in live for r in ln.rects() if r[2] <= x]
    right = [r for ln in live for r in ln.rects() if r[0] >= x]
    if not left or not right:
        return []
    left_edge = min(r[0] for r in left)
    r0, r1 = min(r[0] for r in right), max(r[2] for r in right)
    centre, slack = (r0 + r1) / 2, 0.15 * (r1 - r0) + 5
    taken = 0
    for k, ln in enumerate(nxt):
        if ln.drop or not ln.text.strip():
            taken = k + 1
            continue
        rects = ln.rects()
        lefts = [q for q in rects if q[2] <= x]
        rights = [q for q in rects if q[0] >= x]
        if not rects or len(lefts) + len(rights) < len(rects):
            break  # nothing to place, or text across the gutter
        # A recipient is aligned with the list; a signer line is centred in its column.
        if lefts and abs(min(q[0] for q in lefts) - left_edge) > 4:
            break
        if rights and abs((min(q[0] for q in rights) + max(q[2] for q in rights)) / 2 - centre) > slack:
            break
        taken = k + 1
    return nxt[:taken]


def _split_x(lines: list[_Line]) -> float | None:
    """x of the gutter between two columns, or None when the lines are not two columns."""
    if not lines:
        return None
    x0, x1 = lines[0].box
    lo, hi = x0 + 0.15 * (x1 - x0), x0 + 0.85 * (x1 - x0)
    spans = [(r[0], r[2]) for ln in lines for r in ln.rects()]
    edges = sorted({lo, hi, *(v for s in spans for v in s if lo < v < hi)})
    runs: list[list[float]] = []  # [count, a, b]: how many rects cover (a, b)
    for a, b in zip(edges, edges[1:]):
        m = (a + b) / 2
        c = sum(1 for l, r in spans if l < m < r)
        if runs and runs[-1][0] == c:
            runs[-1][2] = b
        else:
            runs.append([c, a, b])
    best = None
    for c, a, b in runs:
        if b - a < MIN_GAP:
            continue
        if not any(r <= a for _, r in spans) or not any(l >= b for l, _ in spans):
            continue  # text on both sides, or it is a margin, not a gutter
        key = (c, a - b)
        if best is None or key < best[0]:
            best = (key, (a + b) / 2)
    if best is None:
        return None
    crossing = best[0][0]
    if crossing > max(1, len(lines) // 4):
        return None
    return best[1]


def _regroup(region: list[_Line], header: bool) -> list[tuple[str, int]] | None:
    """Region text as (text, page) in reading order, or None to keep stream order."""
    live = [ln for ln in region if ln.text.strip() and not ln.drop]
    if not live or any(ln.tp is None or not ln.rects() for ln in live):
        return None
    x = _split_x(live)
    if x is None:
        return None
    # Column runs between full-width lines; a part is (col, top, bottom, text, page).
    segments: list[list[tuple]] = [[]]
    order: list = [segments[-1]]  # column runs and full-width lines, in stream order
    for ln in live:
        rects = ln.rects()
        top, bottom = max(r[3] for r in rects), min(r[1] for r in rects)
        if all(r[2] <= x for r in rects):
            segments[-1].append(("L", top, bottom, ln.text, ln.page))
        elif all(r[0] >= x for r in rects):
            segments[-1].append(("R", top, bottom, ln.text, ln.page))
        else:
            pieces = _split_line(ln, x)
            if pieces is None:  # one line across the gutter: it separates two runs
                order.append((ln.text, ln.page))
                segments.append([])
                order.append(segments[-1])
                continue
            segments[-1].extend(pieces)
    out: list[tuple[str, int]] = []
    for item in order:
        if isinstance(item, tuple):
            out.append(item)
            continue
        for row in (_rows(item) if header else [item]):
            out.extend((t, pg) for col, _, _, t, pg in row if col == "L")
            out.extend((t, pg) for col, _, _, t, pg in row if col == "R")
    return out


def _split_line(ln: _Line, x: float) -> list[tuple] | None:
    """Split a line that pdfium joined across the gutter into one piece per column run."""
    tp = ln.tp
    runs: list[list] = []  # [col, chars, top, bottom]
    l_max, r_min = float("-inf"), float("inf")
    for k, ch in enumerate(ln.text):
        if ch.isspace():
            if runs:
                runs[-1][1].append(ch)
            continue
        left, bottom, right, top = tp.get_charbox(ln.start + k)
        if left < x < right:
            return None  # a glyph sits on the gutter: this is one full-width line
        col = "L" if right <= x else "R"
        if col == "L":
            l_max = max(l_max, right)
        else:
            r_min = min(r_min, left)
        if not runs or runs[-1][0] != col:
            runs.append([col, [], top, bottom])
        run = runs[-1]
        run[1].append(ch)
        run[2] = max(run[2], top)
        run[3] = min(run[3], bottom)
    if r_min - l_max < MIN_GAP:
        return None
    # Glyph boxes are tighter than text rects; use the rects when one lies on that side.
    rects = ln.rects()
    side = {"L": [r for r in rects if r[2] <= x], "R": [r for r in rects if r[0] >= x]}
    pieces = []
    for col, chars, top, bottom in runs:
        text = "".join(chars).strip()
        if text:
            if side[col]:
                top, bottom = max(r[3] for r in side[col]), min(r[1] for r in side[col])
            pieces.append((col, top, bottom, text, ln.page))
    return pieces


def _rows(parts: list[tuple]) -> list[list[tuple]]:
    """Header rows: [right-hand lines above the table], issuer | motto, "Số" | place-date.

    Each column breaks at its own anchor ("Số" left, place-date right): the date may sit a
    little above "Số" (both in one cell) or level with the issuer's last line, and still
    belongs to the second row.
    """
    rows: list[list[tuple]] = []
    left = [p for p in parts if p[0] == "L"]
    if left:  # "Mẫu số 02/HNCT" drawn top right before the table
        left_top = max(p[1] for p in left)
        k = 0
        while k < len(parts) and parts[k][0] == "R" and parts[k][2] > left_top:
            k += 1
        if k:
            rows.append(parts[:k])
            parts = parts[k:]
    number = next((p for p in parts if p[0] == "L" and _NUMBER_LINE.match(_nfc(p[3]))), None)
    date = next((p for p in parts if p[0] == "R" and _PLACE_DATE.match(_nfc(p[3]))), None)
    if number is None and date is None:
        return rows + [parts]
    # A column without its anchor stays whole in the first row ("THÔN……." under the issuer).
    limits = {"L": _limit(number) if number else float("-inf"),
              "R": _limit(date) if date else float("-inf")}
    rows.append([p for p in parts if p[1] > limits[p[0]]])
    rows.append([p for p in parts if p[1] <= limits[p[0]]])
    return rows


def _limit(anchor: tuple) -> float:
    """Tops at or below this are on the anchor's row (half a line of slack)."""
    return anchor[1] + 0.5 * (anchor[1] - anchor[2])
