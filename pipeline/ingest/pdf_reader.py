"""PDF with a text layer: one Block per line of a plain-text copy, in its reading order.

pypdfium2 gives text in content-stream order (~1 ms/page). LibreOffice and Word draw a
table cell by cell, so that order is already right, except where two cells share a
baseline and pdfium joins them into one line ("Số: 56/KH-UBND Quảng Ninh, ngày ..."), or
where a producer draws line by line across the columns. So only two regions are re-read
with geometry: the two-column header at the top of page 1 (and of an attached part), and
the closing ("Nơi nhận" list | signer). Everything else keeps stream order.

A paragraph that wraps over several visual lines, also over a page break, is joined back
into one block (text joined with a space; the index and page of its first line), from
cheap geometry taken while each page is open: the origin of each line's first character,
the loose box of its last, its font size, and for lines that may be centred the font name
(see `_continues`, `_measure`). The header and closing columns stay one block per visual
line: their structure parsers read them line by line.

pdfplumber is not used: on ruled tables pypdfium2 already yields each cell whole, and
pdfplumber costs ~45 ms/page.
"""
from __future__ import annotations

import ctypes
import re
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest import ocr
from pipeline.ingest import legacy
from pipeline.ingest.registry import register
from pipeline.model import Block, ReadError

_EOL = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_EOL_RARE = "\x0b\x0c\x85\u2028\u2029"
# Page numbers that cannot be body text: "- 2 -", "Trang 2", "2/5".
_PAGE_LABEL = re.compile(r"^(?:-\s*\d{1,4}\s*-|(?:trang|page)\s*\d{1,4}(?:\s*/\s*\d{1,4})?"
                         r"|\d{1,4}\s*/\s*\d{1,4})$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")  # also a table cell: dropped only when it stands apart
# The motto as set: "CỘNG HÒA XÃ HỘI" in capitals (a basis "Căn cứ Hiến pháp nước Cộng hòa
# xã hội chủ nghĩa Việt Nam" is not a motto), "Độc lập - Tự do" in any case.
_MOTTO_LINE = re.compile(r"CỘNG\s*H(?:ÒA|OÀ)\s*XÃ\s*HỘI|(?i:ĐỘC\s*LẬP\s*[-–]\s*TỰ\s*DO)")
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
    __slots__ = ("page", "text", "start", "tp", "box", "_rects", "drop", "g")

    def __init__(self, page: int, text: str, start: int, tp, box):
        self.page = page  # 1-based
        self.text = text
        self.start = start  # index of the first char in the textpage
        self.tp = tp  # textpage when geometry is usable, else None
        self.box = box  # (x0, x1) of the page
        self._rects = None
        self.drop = False
        self.g: _Geo | None = None  # set for non-blank lines of pages with usable geometry

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
    ocr_state = _OcrState()
    legacy_counts: dict[str, int] = {}  # legacy encodings: units converted
    for p in range(n_pages):
        page = doc[p]
        tp = page.get_textpage()
        text = tp.get_text_range()
        lines: list[_Line] = []
        keep = False
        if text.strip():
            any_text = True
            ocr_state.tail = None  # an OCR'd paragraph does not run on into a text page
            # Geometry needs text offsets == char indices (false with astral chars); rotated
            # pages would need coordinate transforms, and never carry the header.
            geo = tp if tp.count_chars() == len(text) and page.get_rotation() == 0 else None
            box = None
            if geo is not None:
                x0, _, x1, _ = page.get_mediabox()
                box = (x0, x1)
            pos = 0
            crlf = text.count("\r\n")
            if (text.count("\r") == crlf == text.count("\n")  # pdfium ends lines with "\r\n"
                    and not any(c in text for c in _EOL_RARE)):
                for piece in text.split("\r\n"):
                    lines.append(_Line(p + 1, piece, pos, geo, box))
                    pos += len(piece) + 2
            else:
                for m in _EOL.finditer(text):
                    lines.append(_Line(p + 1, text[pos:m.start()], pos, geo, box))
                    pos = m.end()
                lines.append(_Line(p + 1, text[pos:], pos, geo, box))
            text = _legacy_tcvn3(text, lines, geo, legacy_counts)  # legacy encodings
            _drop_page_numbers(lines)
            if geo is not None:
                _safe(_measure, geo, lines)  # geometry for joining wrapped lines
            if "\ufffe" in text:
                # pdfium's mark for a hyphen that ended a line it then joined to the next
                # ("NĐ-" + "CP"); Vietnamese is not hyphenated, so it is a real hyphen.
                for ln in lines:
                    ln.text = ln.text.replace("\ufffe", "-")
            # Cheap tests on the page's text before the line by line ones: "Nơi nhận", and
            # a later page has a header only with the motto (see _MOTTO_LINE).
            nfc = _nfc(text)
            has_recipients = (("nhận" in nfc or "NHẬN" in nfc or "Nhận" in nfc)
                              and any(_is_recipients(ln.text) for ln in lines))
            keep = geo is not None and (has_recipients or prev_has_recipients or (
                (p == 0 or any(m in nfc for m in ("CỘNG", "ĐỘC", "Độc", "độc")))
                and _header_end(lines, p == 0) is not None))
            prev_has_recipients = has_recipients
        else:
            prev_has_recipients = False
            if _has_image(page):
                without_text.append(p + 1)
                lines = _ocr(page, p + 1, pages, ocr_state)
                any_text |= bool(lines)
        pages.append(lines)
        if keep:
            held.extend((page, tp))
        else:
            for ln in lines:
                ln.tp = None
            tp.close()
            page.close()

    if ocr_state.confidence:
        _ocr_roman_sequence(pages, ocr_state.confidence)
    # needs_ocr: a page with no text layer that OCR did not read either
    unread = [n for n in without_text if n not in ocr_state.confidence]
    quality = {"reader": "pypdfium2", "pages": n_pages, "pages_without_text": without_text,
               "needs_ocr": bool(unread) or not any_text}
    if ocr_state.confidence:  # (only when OCR gave text: a text PDF's quality is unchanged)
        quality["ocr_pages"] = sorted(ocr_state.confidence)
        quality["ocr_confidence"] = ocr_state.confidence
        quality["ocr_engine"] = ocr_state.engine
        quality["ocr_seconds"] = round(ocr_state.seconds, 2)
    if ocr_state.failed:
        quality["ocr_failed"] = ocr_state.failed
    if ocr_state.unavailable and unread:
        quality["ocr_unavailable"] = ocr_state.unavailable
    if not any_text:
        if ocr_state.unavailable:
            # an image-only PDF and no OCR: say so rather than return an empty document
            raise ReadError("ocr_unavailable", ocr_state.unavailable)
        if ocr_state.failed:
            raise ReadError("ocr_failed", "; ".join(f"{k}: {v}" for k, v in ocr_state.failed.items()))
        return [], quality
    blocks = _join(_emit(pages))
    _legacy_vni(blocks, legacy_counts, quality)  # legacy encodings
    return blocks, quality


# ---------------------------------------------------------- legacy encodings (legacy.py)
def _legacy_tcvn3(text: str, lines: list[_Line], geo, counts: dict) -> str:
    """TCVN3 lines of a page converted before the layout work reads them (the header and
    closing anchors are Unicode words): one code is one letter, so every offset into the
    textpage holds. Returns the page text with the same lines converted."""
    texts = [ln.text for ln in lines]
    font_of = None
    if geo is not None:
        buf = ctypes.create_string_buffer(_FONT_NAME_LEN)

        def font_of(i: int) -> str | None:
            ln = lines[i]
            k = len(ln.text) - len(ln.text.lstrip())
            return _font_name(geo.raw, ln.start + k, buf) if k < len(ln.text) else None
    new, got = legacy.convert_units(texts, (legacy.TCVN3,), font_of)
    if not got:
        return text
    chars = list(text)
    for ln, t in zip(lines, new):
        if t is not ln.text and len(t) == len(ln.text):
            chars[ln.start:ln.start + len(t)] = t
            ln.text = t
    for enc, n in got.items():
        counts[enc] = counts.get(enc, 0) + n
    return "".join(chars)


def _legacy_vni(blocks: list[Block], counts: dict, quality: dict) -> None:
    """VNI blocks converted once the layout is done: a vowel and its mark are two codes,
    so converting earlier would move the offsets the layout work reads."""
    new, got = legacy.convert_units([b.text for b in blocks], (legacy.VNI,))
    for b, t in zip(blocks, new):
        b.text = t
    for enc, n in got.items():
        counts[enc] = counts.get(enc, 0) + n
    if counts:
        quality["legacy_encoding"] = {enc: counts.get(enc, 0) for enc in (legacy.TCVN3, legacy.VNI)}


# ----------------------------------------------------------------------- OCR
class _OcrState:
    def __init__(self):
        self.engine: str | None = None
        self.unavailable: str | None = None  # why OCR cannot run, once asked
        self.confidence: dict[int, float | None] = {}  # page -> mean word confidence
        self.failed: dict[int, str] = {}
        self.seconds = 0.0
        self.tail: _Line | None = None  # last body paragraph of the page before, if OCR'd


def _ocr(page, number: int, pages: list[list[_Line]], state: _OcrState) -> list[_Line]:
    """Lines of a page with no text layer, read by OCR: one _Line per block-to-be (a header
    or closing line, or a whole paragraph), without geometry, so nothing re-joins them."""
    tail, state.tail = state.tail, None
    if state.unavailable:
        return []
    if state.engine is None:
        state.engine, state.unavailable = ocr.status()
        if state.engine is None:
            return []
    try:
        result = ocr.read_page(page)
    except ocr.OcrError as exc:
        state.failed[number] = str(exc)
        return []
    except Exception as exc:  # noqa: BLE001  (a rendering surprise fails the page only)
        state.failed[number] = f"{type(exc).__name__}: {exc}"
        return []
    state.seconds += result.seconds
    try:
        items = _ocr_layout(result, number == 1 or not any(pages))
    except Exception:  # noqa: BLE001  (layout is an improvement only: tesseract's lines)
        items = [(ln.text, False) for ln in result.lines]
    if not items:
        return []
    state.confidence[number] = result.confidence
    lines = []
    for k, (text, body) in enumerate(items):
        text = ocr.clean(text)
        if k == 0 and body and tail is not None and _ocr_continues(tail.text, text):
            tail.text = f"{tail.text.rstrip()} {text.lstrip()}"  # across the page break
            continue
        lines.append(_Line(number, text, 0, None, None))
    if items[-1][1] and lines:
        state.tail = lines[-1]
    return lines


_ROMAN_HEADING = re.compile(r"^([IVX]{1,5})\.\s+(\S+)")
_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
           "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]


def _ocr_roman_sequence(pages: list[list[_Line]], ocr_pages: dict) -> None:
    """A roman section number that OCR read with one "I" too few or too many ("II." after
    "II.", where the page shows "III."): put back the next number in the sequence. Only
    capital headings of OCR'd pages are changed; the text layer's count too."""
    last = 0  # position of the last heading's number in _ROMANS, 1-based
    for lines in pages:
        for ln in lines:
            m = _ROMAN_HEADING.match(ln.text)
            if m is None or not m.group(2).isupper():
                continue
            read = m.group(1)
            num = _ROMANS.index(read) + 1 if read in _ROMANS else None
            if num == last + 1 or num == 1:
                last = num
                continue
            expected = _ROMANS[last] if last < len(_ROMANS) else None
            if (ln.tp is None and ln.page in ocr_pages and expected is not None
                    and _one_i_apart(read, expected)):
                ln.text = expected + ln.text[m.end(1):]
                last += 1
            elif num is not None:
                last = num


def _one_i_apart(a: str, b: str) -> bool:
    """b is a with one "I" inserted or removed."""
    if abs(len(a) - len(b)) != 1:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[k] == "I" and long[:k] + long[k + 1:] == short for k in range(len(long)))


def _ocr_continues(a: str, b: str) -> bool:
    """A paragraph cut by the page end: no end punctuation, and the next page goes on in
    lower case."""
    a, b = a.rstrip(), b.lstrip()
    return bool(a and b) and a[-1] not in _END_CHARS and b[0].islower() and not _PARA_START.match(_nfc(b))


def _ocr_layout(page: "ocr.Page", first_page: bool) -> list[tuple[str, bool]]:
    """(text, is body paragraph) in reading order. Tesseract's lines are split where words
    stand a column gutter apart; the header at the top of the page and the closing ("Nơi
    nhận" | signer) are put column by column as `_regroup` does for a text layer; other
    lines are joined into tesseract's paragraphs, cut again before an item label."""
    lines = page.lines
    if not lines:
        return []
    h = page.word_height()
    gap = 2.5 * h
    segs = [[s for s in ocr.segments(ln, gap) if _ocr_keep(s)] for ln in lines]
    keep = [bool(s) for s in segs]
    texts = [" ".join(w.text for s in ss for w in s) for ss in segs]
    # page numbers: a lone number or "- 2 -" as the first or last line, standing apart (its
    # own paragraph, or a gap to the next line of most of its height)
    for i, j in ((0, 1), (len(lines) - 1, len(lines) - 2)):
        s = texts[i].strip()
        if not (_PAGE_LABEL.match(s) or _BARE_NUMBER.match(s)):
            continue
        a, b = lines[i], lines[j] if 0 <= j < len(lines) and j != i else None
        if b is None or (a.block, a.par) != (b.block, b.par) or (
                max(b.top - a.bottom, a.top - b.bottom) >= 0.8 * (a.bottom - a.top)):
            keep[i] = False
    live = [i for i in range(len(lines)) if keep[i]]
    regions: dict[int, int] = {}  # first line -> one past the last
    head_end = None
    seen_motto = False
    for i in live[:HEAD_LINES]:
        for s in segs[i]:
            t = _nfc(" ".join(w.text for w in s))
            motto = bool(_MOTTO_LINE.search(t))
            seen_motto |= motto
            if motto or _NUMBER_LINE.match(t) or _PLACE_DATE.match(t):
                head_end = i
    if head_end is not None and (first_page or seen_motto):
        regions[live[0]] = head_end + 1
    floor = max(regions.values(), default=0)
    start = next((i for i in live if i >= floor and _is_recipients(texts[i])), None)
    if start is not None:
        regions[start] = len(lines)  # to the page end: the signer column ends the page
    out: list[tuple[str, bool]] = []
    para: list[str] = []
    para_key = None
    prev_text = ""
    right = max(ln.right for ln in lines)

    def flush():
        nonlocal para
        if para:
            out.append((_ocr_join(para), True))
        para = []

    i = 0
    while i < len(lines):
        if i in regions:
            flush()
            end = regions[i]
            out.extend((t, False) for t in _ocr_region(page, lines, segs, keep, i, end, i == live[0]))
            i = end
            para_key = None
            continue
        if not keep[i]:
            i += 1
            continue
        ln, text = lines[i], texts[i]
        key = (ln.block, ln.par)
        new = key != para_key or not para
        if not new:
            prev = lines[i - 1]
            if _PARA_START.match(_nfc(text)) and (prev_text[-1:] in _END_CHARS or prev.right < right - 3 * h):
                new = True  # "...;" then "- ...": tesseract may keep list items together
        if new:
            flush()
        para.append(text)
        para_key = key
        prev_text = text.rstrip()
        i += 1
    flush()
    return out


def _ocr_keep(words: list) -> bool:
    """Not a speck: a stamp, a signature or dirt reads as stray marks ("v ˆ", "l")."""
    alnum = _ocr_chars(words)
    return alnum >= 2 or (alnum == 1 and len(words) == 1 and words[0].conf >= 60)


def _ocr_chars(words: list) -> int:
    """Letters and digits, not counting modifier letters ("ˆ", "ˋ": a tone mark alone)."""
    return sum(ch.isalnum() and unicodedata.category(ch) != "Lm" for w in words for ch in w.text)


def _ocr_join(parts: list[str]) -> str:
    text = parts[0].rstrip()
    for part in parts[1:]:
        part = part.strip()
        if text[-1:] in _GLUE and len(text) > 1 and not text[-2].isspace():
            text += part  # "NĐ-" + "CP"
        else:
            text += " " + part
    return text


def _ocr_region(page, lines, segs, keep, start: int, end: int, header: bool) -> list[str]:
    """A header or closing region, column by column (as `_regroup`), or line by line when no
    line has two columns."""
    # (in a header or closing a one-character piece is a mark of the seal or signature)
    segs = {i: [sg for sg in segs[i] if _ocr_chars(sg) >= 2]
            for i in range(start, end)}
    idx = [i for i in range(start, end) if keep[i] and segs[i]]
    cuts = [(s[0][-1].right, s[1][0].left) for i in idx for s in (segs[i],) if len(s) == 2]
    if not cuts:
        return [" ".join(w.text for s in segs[i] for w in s) for i in idx]
    x = sum(a + b for a, b in cuts) / (2 * len(cuts))
    to_pt = 1 / page.scale
    order: list = [[]]
    for i in idx:
        pieces = []
        for s in segs[i]:
            left, right = s[0].left, max(w.right for w in s)
            col = "L" if right <= x else "R" if left >= x else None
            top = (page.height - min(w.top for w in s)) * to_pt
            bottom = (page.height - max(w.bottom for w in s)) * to_pt
            pieces.append((col, top, bottom, " ".join(w.text for w in s), 0))
        if any(p[0] is None for p in pieces):  # a line across the gutter
            if len(order) > 1 or order[-1]:
                order.append(" ".join(p[3] for p in pieces))
                order.append([])
            else:  # above the columns: keep it first
                order.insert(0, " ".join(p[3] for p in pieces))
            continue
        order[-1].extend(pieces)
    out: list[str] = []
    for item in order:
        if isinstance(item, str):
            out.append(item)
            continue
        for row in (_rows(item) if header else [item]):
            out.extend(t for col, _, _, t, _ in row if col == "L")
            out.extend(t for col, _, _, t, _ in row if col == "R")
    return out


def _has_image(page) -> bool:
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        return True
    return False


def _is_recipients(text: str) -> bool:
    s = text.lstrip()
    return s[:1] in ("N", "n") and bool(_RECIPIENTS.match(_nfc(s)))


# ----------------------------------------------------------------------- page numbers
def _drop_page_numbers(lines: list[_Line]) -> None:
    head = _live(lines, 2)
    if not head:
        return
    ends = [(head[0], head[1] if len(head) > 1 else None)]
    if len(head) > 1:
        tail = _live(reversed(lines), 2)
        ends.append((tail[0], tail[1]))
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


def _live(lines, count: int) -> list[_Line]:
    """The first `count` non-blank lines."""
    out = []
    for ln in lines:
        if ln.text.strip():
            out.append(ln)
            if len(out) == count:
                break
    return out


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
        motto = bool(_MOTTO_LINE.search(s))
        seen_motto |= motto
        if motto or _NUMBER_LINE.match(s) or _PLACE_DATE.match(s):
            end = i
    if end is None or (not first_page and not seen_motto):
        return None  # a later page has a header only when it carries the national motto
    return end


def _emit(pages: list[list[_Line]]) -> list[tuple]:
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
    # (index, text, page, line): line is None for a header/closing line (never joined), and
    # the text is None for a blank line (it ends a paragraph on its page).
    out: list[tuple[int, str | None, int, _Line | None]] = []
    idx = 0
    i = 0
    while i < len(flat):
        if i in regions:
            end, parts = regions[i]
            first = idx
            for text, page in parts:
                out.append((idx, text, page, None))
                idx += 1
            # A split line yields two blocks; otherwise indices stay the raw line numbers.
            idx = max(idx, first + end - i)
            i = end
            continue
        ln = flat[i]
        if not ln.drop:
            out.append((idx, ln.text if ln.text.strip() else None, ln.page, ln))
        idx += 1
        i += 1
    return out


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


# ----------------------------------------------------------------------- paragraphs
# A label that starts an item: "Điều 5.", "Chương II", "Mục 2", "Phần thứ nhất", "II.",
# "1.", "1.2.", "1)", "a)", "(1)", "(a)", "-", "+", "•".
_LABEL = re.compile(r"(?:Điều\s+\d+[a-zđ]?\.?|Chương\s+[IVXLCDM\d]+|Mục\s+\d+|Phần\s+(?:thứ\s+\S+|[IVXLCDM\d]+)"
                    r"|[IVXLCDM]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|\((?:\d+|[a-zđ])\)|[-–—+•])(?=\s)")
_LABEL_FIRST = frozenset("0123456789IVXLCDMĐP(-–—+•")
_PARA_START = re.compile(_LABEL.pattern + r"|(?:Căn\s+cứ|Nơi\s+nhận)\b")
_PARA_END = re.compile(r"[.;:!?…][\"'”’)\]]*$")
_END_CHARS = frozenset(".;:!?…\"'”’)]")
_FONT_NAME_LEN = 128
_GLUE = ("-", "/")


class _Geo:
    """Where a line sits (PDF units, y up), from loose character boxes: the pen position
    of the first character and the advance end of the last one, which do not depend on
    the glyph shapes."""

    __slots__ = ("x0", "x1", "y", "y1", "size", "n", "w", "xt", "f0", "f1")

    def __init__(self, x0: float, x1: float, y: float, size: float, n: int):
        self.x0 = x0  # left of the first non-blank character
        self.x1 = x1  # right of the last non-blank character
        self.y = y  # baseline of the first character
        self.y1 = y  # baseline of the last character
        self.size = size  # font size of the first character
        self.n = n  # characters from the first to the last non-blank one
        self.w = None  # width of the first word, when the line before may have wrapped
        self.xt = None  # left of the text after a leading label ("1.", "a)", "-"), if any
        self.f0 = self.f1 = None  # font names of the first / last character, when fetched


def _font_name(raw, index: int, buf) -> str | None:
    n = pdfium_c.FPDFText_GetFontInfo(raw, index, buf, _FONT_NAME_LEN, None)
    if not n or n > _FONT_NAME_LEN:
        return None
    name = buf.value.decode("latin-1")
    # a subset prefix ("ABCDEF+") differs from one subset of the same font to the next
    return name[7:] if len(name) > 7 and name[6] == "+" and name[:6].isupper() else name


def _plain(fn, restype, *argtypes):
    """`fn` declared again with untyped pointer arguments: pypdfium2's typed ones cost a
    conversion on each call, about a third of a call on this hot path (4 calls a line).
    Same calling convention (same function class); on any surprise, `fn` itself."""
    try:
        plain = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
        plain.restype, plain.argtypes = restype, argtypes
        return plain
    except Exception:  # noqa: BLE001
        return None


_P, _I = ctypes.c_void_p, ctypes.c_int
_CALLS = None


def _calls():
    """(box, origin, size) for _measure, and whether they take a plain pointer."""
    global _CALLS
    if _CALLS is None:
        plain = (_plain(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, _P, _I, _P),
                 _plain(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, _P, _I, _P, _P),
                 _plain(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _P, _I))
        if all(f is not None for f in plain):
            _CALLS = plain + (True,)
        else:
            _CALLS = (pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin,
                      pdfium_c.FPDFText_GetFontSize, False)
    return _CALLS


def _measure(tp, lines: list[_Line]) -> None:
    """Fill `g` for the page's non-blank lines: per line the first character's origin,
    the last one's loose box and the font size (3 calls, ~3 µs); the width of its first
    word when the line before runs near the right side (one more box); the font names of
    lines that may be centred and of the line before them; for a line that starts with a
    label and runs near the right side, where its text starts after the label."""
    box, origin, size, plain = _calls()
    raw = ctypes.cast(tp.raw, ctypes.c_void_p).value if plain else tp.raw
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    measured = []  # (line, geometry, index of its first character, its text stripped)
    for ln in lines:
        text = ln.text
        body = text.strip()
        if not body or ln.drop:
            continue
        i0 = ln.start + text.find(body[0])
        n = len(body)
        # The origin is the pen position: the loose box's left edge, on the baseline.
        if not origin(raw, i0, pox, poy) or not box(raw, i0 + n - 1, ref):
            continue
        ln.g = g = _Geo(ox.value, rect.right, oy.value, size(raw, i0), n)
        if "\ufffe" in body and origin(raw, i0 + n - 1, pox, poy):
            g.y1 = oy.value  # pdfium joined two visual lines at a hyphen
        measured.append((ln, g, i0, body))
    if not measured:
        return
    # the page's text column, as _margins finds it for the document (a header table may
    # stick out of it)
    x0s = [m[1].x0 for m in measured]
    x1s = [m[1].x1 for m in measured]
    lo = _cluster(x0s, False)
    hi = _cluster(x1s, True, 5.0)  # (ragged text too)
    lo = min(x0s) if lo is None else lo
    hi = max(x1s) if hi is None else hi
    mid = (lo + hi) / 2
    # Justified text needs no word widths (its wrapped lines end on the margin); ragged
    # text does: after a line that ends right of `wraps`.
    justified = _justified(x1s, lo, _cluster(x1s, True))
    lo, hi = lo + 1.5, hi - 1.5
    wraps = float("inf") if justified else hi - 0.3 * (hi - lo)
    buf = None
    prev = None
    for item in measured:
        ln, g, i0, body = item
        if prev is None and not justified or prev is not None and prev[1].x1 > wraps:
            # the next word after a wrapped line: would it have fitted on that line?
            k = body.find(" ")
            if k < 0:
                g.w = g.x1 - g.x0
            elif box(raw, i0 + k - 1, ref):
                g.w = rect.right - g.x0
        x0, x1 = g.x0, g.x1
        # A centred line that may continue a centred title, and the line before it: the
        # centred rule compares the font where they meet.
        if x0 > lo and x1 < hi and abs((x0 + x1) / 2 - mid) <= max(3.0, 0.3 * g.size):
            if buf is None:
                buf = ctypes.create_string_buffer(_FONT_NAME_LEN)
            g.f0 = _font_name(tp.raw, i0, buf)
            g.f1 = _font_name(tp.raw, i0 + g.n - 1, buf)
            if prev is not None and prev[1].f1 is None:
                prev[1].f1 = _font_name(tp.raw, prev[2] + prev[1].n - 1, buf)
        prev = item
        if x1 > hi - 4 * g.size and (body[0] in _LABEL_FIRST or body[1:2] == ")"):
            m = _LABEL.match(body)  # may wrap: where its text starts after the label
            if m is not None:
                k = m.end()
                while k < g.n and body[k].isspace():
                    k += 1
                if k < g.n and origin(raw, i0 + k, pox, poy):
                    g.xt = ox.value


def _cluster(values: list[float], reverse: bool, within: float = 1.5) -> float | None:
    """The first value (smallest, or largest when `reverse`) with another `within` pt:
    the margin that several lines share, not one stray line's."""
    values = sorted(values, reverse=reverse)
    for v, w in zip(values, values[1:]):
        if abs(v - w) <= within:
            return v
    return None


def _justified(x1s: list[float], left: float, right: float | None) -> bool:
    """More lines end on the right margin than a little short of it."""
    if right is None:
        return False
    near = right - 0.15 * (right - left)
    at = short = 0
    for x in x1s:
        if x > near:
            if x >= right - 1.5:
                at += 1
            else:
                short += 1
    return at >= 2 * short


def _margins(entries: list[tuple]) -> dict[tuple, tuple[float, float, bool]]:
    """(left, right, justified) of the text column per page width (a landscape annex has
    its own), from the body lines (the header and closing columns are not counted).
    Keyed by the lines' `box`.

    Justified: wrapped lines end on the right margin, where more lines end than a little
    short of it. Ragged (left-aligned text, as some portals' copies are): the right
    margin is where the longest lines end.
    """
    by_width: dict[int, tuple[list[float], list[float]]] = {}
    boxes: dict[tuple, int] = {}
    for _, text, _, ln in entries:
        if ln is None or ln.g is None:
            continue
        width = boxes.get(ln.box)
        if width is None:
            width = boxes[ln.box] = round(ln.box[1] - ln.box[0])
        x0s, x1s = by_width.setdefault(width, ([], []))
        x0s.append(ln.g.x0)
        x1s.append(ln.g.x1)
    cols = {}
    for width, (x0s, x1s) in by_width.items():
        left, right = _cluster(x0s, False), _cluster(x1s, True)
        if left is None or right is None:
            continue
        justified = _justified(x1s, left, right)
        if not justified:
            right = _cluster(x1s, True, 5.0)
        if right - left >= 0.4 * width:
            cols[width] = (left, right, justified)
    return {b: cols[w] for b, w in boxes.items() if w in cols}


class _Para:
    __slots__ = ("index", "page", "parts", "first", "second", "last", "pitch", "centred")

    def __init__(self, index: int, page: int, text: str, ln: _Line | None, centred: bool):
        self.index, self.page, self.parts = index, page, [text]
        self.first = self.last = ln  # lines with geometry, or None: nothing joins on
        self.second = None
        self.pitch = None  # distance between two of its lines on one page
        self.centred = centred

    def add(self, text: str, ln: _Line, centred: bool) -> None:
        self.centred = centred
        a = self.last
        if self.pitch is None and ln.page == a.page:
            self.pitch = a.g.y1 - ln.g.y
        if self.second is None:
            self.second = ln
        self.last = ln
        head = self.parts[-1].rstrip()
        tail = text.lstrip()
        # A break after a hyphen or slash inside a token ("NĐ-" + "CP" at a page end,
        # "và/" + "hoặc") joins without a space; "kinh tế -" + "xã hội" keeps it.
        if head[-1:] in _GLUE and len(head) > 1 and not head[-2].isspace():
            self.parts[-1] = head + tail
        else:
            self.parts[-1] = head
            self.parts.append(tail)

    def block(self) -> Block:
        text = self.parts[0] if len(self.parts) == 1 else " ".join(self.parts)
        return Block(index=self.index, text=text, kind="line", page=self.page)


def _join(entries: list[tuple]) -> list[Block]:
    """Blocks from the lines in reading order, a wrapped paragraph joined into one."""
    try:
        return _paragraphs(entries)
    except Exception:  # noqa: BLE001  (joining is an improvement only)
        return [Block(index=i, text=t, kind="line", page=p) for i, t, p, _ in entries
                if t is not None]


def _paragraphs(entries: list[tuple]) -> list[Block]:
    margins = _margins(entries)
    blocks: list[Block] = []
    para: _Para | None = None
    cut_page = None  # page of a blank line seen after the paragraph's last line
    for index, text, page, ln in entries:
        if text is None:
            cut_page = page
            continue
        cols = margins.get(ln.box) if ln is not None and ln.g is not None else None
        mode = None
        if (cols is not None and para is not None and para.last is not None
                and not (cut_page == page == para.last.page)):
            mode = _continues(para, ln, cols)
        if mode is not None:
            para.add(text, ln, mode)
        else:
            if para is not None:
                blocks.append(para.block())
            if cols is None:
                para = _Para(index, page, text, None, False)
            else:
                para = _Para(index, page, text, ln, _centred(ln.g, cols, False))
        cut_page = None
    if para is not None:
        blocks.append(para.block())
    return blocks


def _centred(g: _Geo, cols: tuple[float, float, bool], strict: bool = True) -> bool:
    """Centred in the column; `strict`: and short of both margins (a full line is centred
    too, whether it is the first line of a wrapped title or of a justified paragraph)."""
    left, right, _ = cols
    if abs((g.x0 + g.x1) / 2 - (left + right) / 2) > max(2.0, 0.2 * g.size):
        return False
    tol = max(1.5, 0.15 * g.size)
    return not strict or (left + tol < g.x0 and g.x1 < right - tol)


def _continues(para: _Para, ln: _Line, cols: tuple[float, float, bool]) -> bool | None:
    """Whether line `ln` continues paragraph `para`, whose last line is `para.last`: None
    if not, else whether the paragraph is a centred one.

    Body text: the last line runs to the right margin (justified text, as Nghị định
    30/2020 asks: within two average character widths; ragged text: within 30% of the
    column) and the next line's first word would not have fitted after it; the next
    line starts where the paragraph's second line does, or for the second line: at the
    left margin, or left of an indented first line (a left indent), or under the text
    after a label (a hanging indent). Centred lines (a wrapped title): both centred, the
    same font where they meet, and the first one too full for the next line's first word.
    Either way: same font size, the next line just below (or first on the next page), no
    wider gap than between the paragraph's earlier lines, not "...;" then "- ...", and in
    ragged text not "...." then a capital.
    """
    last = para.last
    a, b = last.g, ln.g
    left, right, justified = cols
    size = a.size
    # a centred first line (of a title, or a full justified line) goes on centred or not
    centred = para.centred and (para.second is not None or _centred(b, cols))
    if centred:
        if ln.page != last.page or a.f1 is None or a.f1 != b.f0 or not _centred(b, cols):
            return None
    elif right - a.x1 > (2 * (a.x1 - a.x0) / a.n + 0.5 if justified else 0.3 * (right - left)):
        return None  # the line ends short of the margin: the paragraph ends there
    if size <= 0 or abs(b.size - size) > 0.1 * size:
        return None
    if ln.page == last.page:
        pitch = a.y1 - b.y
        if not 0.5 * size < pitch < 2.6 * size:
            return None  # above the last line (another table cell), or far below it
        if para.pitch is not None and abs(pitch - para.pitch) > 0.2 * size:
            return None  # paragraph spacing
    elif ln.page != last.page + 1 or ln.box != last.box:
        return None
    tol = max(1.5, 0.15 * size)
    if not centred:
        if para.first.g.x0 - left > 0.25 * (right - left):
            return None  # not a body paragraph (a cell of a table's last column)
        if para.second is not None:
            if abs(b.x0 - para.second.g.x0) > tol:
                return None
        elif not left - tol <= b.x0 <= max(left + tol, a.x0 - tol) and (
                a.xt is None or a.xt - a.x0 <= tol or abs(b.x0 - a.xt) > tol):
            # neither at the margin, nor left of an indented first line (a paragraph with
            # a left indent), nor under the text after a label (a hanging indent)
            return None
    b_text = ln.text.lstrip()
    word = b.w
    if word is None or centred:
        first_word = b_text.split(None, 1)[0]
        if centred and not any(ch.isalnum() for ch in first_word):
            return None  # the "-----" under a title
        if word is None:
            word = len(first_word) * (b.x1 - b.x0) / b.n
    room = (right - left) - (a.x1 - a.x0) if centred else right - a.x1
    # (LibreOffice leaves up to ~1 pt more than the word needs; other tools may too)
    if room > 0.25 * size + word + (0.5 if justified and not centred else 0.3 * size):
        return None  # that word would have fitted on the line: it was not wrapped
    a_text = last.text.rstrip()
    end = _PARA_END.search(a_text) if a_text[-1] in _END_CHARS else None
    if end is not None:
        if _PARA_START.match(_nfc(b_text)):
            return None  # "...;" then "- ...", "...:" then "a) ..."
        if (not justified and end.group()[0] != ":" and (b_text[0].isupper() or b_text[0].isdigit())
                and (para.pitch is None or ln.page != last.page)):
            # Ragged text, and no earlier line spacing of the paragraph to compare with:
            # nothing else shows where a nearly full last line ends its paragraph (least
            # of all across a page break). "cấp xã:" + "2.100.000 đồng" goes on.
            return None
    return centred
