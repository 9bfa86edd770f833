"""DOCX: python-docx opens the package; the body is walked on the lxml elements directly.

Paragraphs, table cells (row-major, nested tables in place), content controls and text
boxes come out in reading order. Word's automatic numbering is rebuilt from numbering.xml
(see docx_numbering) and put back at the start of the text, as a reader sees it on screen.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from pipeline.ingest import legacy
from pipeline.ingest.docx_numbering import W, Numbering
from pipeline.ingest.registry import register
from pipeline.model import Block, ReadError

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 50 * 1024 * 1024  # a high ratio alone is normal for small XML parts
MAX_ENTRIES = 10_000

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_VAL = W + "val"
P, R, T, TBL, TR, TC, SDT, SDT_CONTENT = (
    W + t for t in ("p", "r", "t", "tbl", "tr", "tc", "sdt", "sdtContent"))
PPR, RPR, TXBX = W + "pPr", W + "rPr", W + "txbxContent"
_PSTYLE, _NUMPR, _NUMID, _ILVL, _JCTAG = (W + t for t in ("pStyle", "numPr", "numId", "ilvl", "jc"))
_B, _I, _RFONTS, _RSTYLE, _VANISH = (W + t for t in ("b", "i", "rFonts", "rStyle", "vanish"))
ALT, CHOICE, FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
_OFF = ("0", "false", "off", "none")
# Inline wrappers whose runs are visible text; w:del / w:moveFrom are deleted text and skipped.
_INLINE_CONTAINERS = frozenset(W + t for t in (
    "hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo"))
_RUN_CHARS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n",
              W + "noBreakHyphen": "-"}
_BLOCK_WRAPPERS = frozenset(W + t for t in ("customXml", "ins", "moveTo"))
_JC = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
       "both": "both", "distribute": "both", "mediumKashida": "both", "highKashida": "both",
       "lowKashida": "both", "thaiDistribute": "both"}
_UI_NAMES = {f"heading {i}": f"Heading {i}" for i in range(1, 10)}
_UI_NAMES.update({"caption": "Caption", "header": "Header", "footer": "Footer"})
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


# ------------------------------------------------------------------- package checks
def _check_package(data: bytes) -> None:
    """Reject zip bombs and XML with DTDs before python-docx parses anything."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ReadError("corrupt_docx", str(exc)) from exc
    if len(infos) > MAX_ENTRIES:
        raise ReadError("zip_bomb", f"{len(infos)} entries")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > RATIO_FLOOR and total / packed > MAX_RATIO):
        raise ReadError("zip_bomb", f"{total} bytes uncompressed from {packed}")
    try:
        for info in infos:
            if info.file_size and _hostile(zf, info):
                raise ReadError("hostile_xml", info.filename)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError,
            zlib.error) as exc:  # RuntimeError: an encrypted entry; zlib.error: damaged data
        raise ReadError("corrupt_docx", str(exc)) from exc


def _decode_head(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else (
            "utf-16-le" if raw[:1] == b"<" else "utf-16-be")
        return raw[: len(raw) // 2 * 2].decode(enc, errors="replace")
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def _hostile(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when an XML part declares a DOCTYPE (where entities live).

    A DTD may only sit in the prolog, so reading up to the root element is enough;
    only a part whose prolog outruns the first 8 KB is read whole.
    """
    with zf.open(info) as fh:
        head = fh.read(8192)
        complete = len(head) >= info.file_size
    text = _decode_head(head)
    if not text.lstrip().startswith("<"):
        return False  # not XML (an image, a binary part)
    pos = 0
    while True:
        m = _PROLOG_ITEM.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    rest = text[pos:pos + 9]
    if rest.upper().startswith(("<!DOCTYPE", "<!ENTITY")):
        return True
    if rest.startswith("<") and not rest.startswith(("<!", "<?")):
        return False  # reached the root element
    if complete:
        return "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper()
    full = _decode_head(zf.read(info))
    return "<!DOCTYPE" in full.upper() or "<!ENTITY" in full.upper()


# ----------------------------------------------------------------------- styles
def _on(el) -> bool | None:
    """A toggle property (w:b, w:i, w:vanish): None when absent."""
    if el is None:
        return None
    return el.get(_VAL, "1") not in _OFF


def _rfont(rpr) -> str | None:
    """The font of an rPr: a theme reference ("+minorHAnsi") or a name."""
    if rpr is None:
        return None
    rf = rpr.find(W + "rFonts")
    return _rfont_attrs(rf) if rf is not None else None


def _rfont_attrs(rf) -> str | None:
    for attr in ("asciiTheme", "hAnsiTheme"):
        v = rf.get(W + attr)
        if v:
            return "+" + v
    # ascii/hAnsi cover Vietnamese letters; cs/eastAsia fonts say nothing about legacy encodings
    return rf.get(W + "ascii") or rf.get(W + "hAnsi")


class _Style:
    __slots__ = ("sid", "name", "based_on", "num_id", "ilvl", "jc", "b", "i", "font")


class Styles:
    """styles.xml, each style resolved along its basedOn chain the first time it is used."""

    def __init__(self, root):
        self._el: dict[str, object] = {}
        self._kind: dict[str, str] = {}
        self._raw: dict[str, _Style] = {}
        self._resolved: dict[str, _Style | None] = {}
        self.default_para: str | None = None
        self.default_b = self.default_i = self.default_font = self.default_jc = None
        if root is None:
            return
        dd = root.find(W + "docDefaults")
        if dd is not None:
            rpr = dd.find(f"{W}rPrDefault/{RPR}")
            if rpr is not None:
                self.default_b, self.default_i = _on(rpr.find(W + "b")), _on(rpr.find(W + "i"))
                self.default_font = _rfont(rpr)
            jc = dd.find(f"{W}pPrDefault/{PPR}/{W}jc")
            if jc is not None:
                self.default_jc = jc.get(_VAL)
        for s in root.iterchildren(W + "style"):
            sid = s.get(W + "styleId")
            kind = s.get(W + "type", "paragraph")
            self._el[sid], self._kind[sid] = s, kind
            if (kind == "paragraph" and self.default_para is None
                    and s.get(W + "default") in ("1", "true", "on")):
                self.default_para = sid

    def _parse(self, sid: str) -> _Style | None:
        if sid in self._raw:
            return self._raw[sid]
        s = self._el.get(sid)
        if s is None:
            return None
        st = _Style()
        st.sid = sid
        name = s.find(W + "name")
        st.name = name.get(_VAL) if name is not None else sid
        based = s.find(W + "basedOn")
        st.based_on = based.get(_VAL) if based is not None else None
        st.num_id = st.ilvl = st.jc = None
        ppr = s.find(PPR)
        if ppr is not None:
            np = ppr.find(W + "numPr")
            if np is not None:
                nid, lvl = np.find(W + "numId"), np.find(W + "ilvl")
                st.num_id = nid.get(_VAL) if nid is not None else None
                st.ilvl = _safe_int(lvl.get(_VAL)) if lvl is not None else None
            jc = ppr.find(W + "jc")
            st.jc = jc.get(_VAL) if jc is not None else None
        rpr = s.find(RPR)
        st.b = _on(rpr.find(W + "b")) if rpr is not None else None
        st.i = _on(rpr.find(W + "i")) if rpr is not None else None
        st.font = _rfont(rpr)
        self._raw[sid] = st
        return st

    def _get(self, sid: str | None, kinds: tuple[str, ...]) -> _Style | None:
        if not sid or self._kind.get(sid) not in kinds:
            return None
        if sid in self._resolved:
            return self._resolved[sid]
        chain, cur = [], self._parse(sid)
        while cur is not None and cur not in chain and len(chain) < 32:
            chain.append(cur)
            cur = self._parse(cur.based_on) if cur.based_on else None
        out = _Style()
        out.sid, out.based_on = sid, None
        out.name = _UI_NAMES.get(chain[0].name, chain[0].name)
        for attr in ("num_id", "ilvl", "jc", "b", "i", "font"):
            setattr(out, attr, next((getattr(s, attr) for s in chain if getattr(s, attr) is not None), None))
        self._resolved[sid] = out
        return out

    def para(self, sid: str | None) -> _Style | None:
        return self._get(sid, ("paragraph", "numbering"))

    def char(self, sid: str | None) -> _Style | None:
        return self._get(sid, ("character",))

    def num_id_of(self, style_id: str) -> str | None:
        st = self.para(style_id)
        return st.num_id if st is not None else None


def _safe_int(v) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------- walk
class _Walker:
    def __init__(self, styles: Styles, numbering: Numbering | None, theme_fonts: dict[str, str]):
        self.styles = styles
        self.numbering = numbering
        self.theme_fonts = theme_fonts
        self.blocks: list[Block] = []
        self.index = 0
        self.tables = 0
        self.numbered = 0
        self.default_style = styles.para(styles.default_para)
        # legacy encodings (TCVN3 / VNI): paragraph indices with converted runs, per encoding;
        # the legacy font a paragraph's runs inherit (see _run)
        self.legacy: dict[str, set[int]] = {}
        self.para_legacy: tuple[str, bool] | None = None
        # paragraph_map(): block index -> ParagraphRuns, only when a writer asks for it
        self.track: dict[int, ParagraphRuns] | None = None
        self._runs: list | None = None
        self._pos = 0

    # -- containers
    def container(self, el, cell) -> None:
        for child in el:
            tag = child.tag
            if tag == P:
                self.paragraph(child, cell)
            elif tag == TBL:
                self.table(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.container(content, cell)
            elif tag in _BLOCK_WRAPPERS:
                self.container(child, cell)

    def table(self, tbl) -> None:
        t = self.tables
        self.tables += 1
        for r, tr in enumerate(_children(tbl, TR)):
            col = 0
            trpr = tr.find(W + "trPr")
            if trpr is not None:
                col = _safe_int(_val(trpr.find(W + "gridBefore"))) or 0
            for tc in _children(tr, TC):
                # gridSpan / vMerge: one w:tc is one cell, so each merged cell comes out once;
                # a vMerge continuation cell is normally empty and then emits nothing.
                self.container(tc, (t, r, col))
                tcpr = tc.find(W + "tcPr")
                span = _safe_int(_val(tcpr.find(W + "gridSpan"))) if tcpr is not None else None
                col += span if span and span > 0 else 1

    # -- paragraph
    def paragraph(self, p, cell) -> None:
        index = self.index
        self.index += 1
        style_id = num_id = ilvl = jc = None
        ppr = p[0] if len(p) and p[0].tag == PPR else None  # pPr comes first when present
        if ppr is not None:
            for ch in ppr:  # one pass: find() goes through Python-level ElementPath
                tag = ch.tag
                if tag == _PSTYLE:
                    style_id = ch.get(_VAL)
                elif tag == _NUMPR:
                    for c in ch:
                        if c.tag == _NUMID:
                            num_id = c.get(_VAL)
                        elif c.tag == _ILVL:
                            ilvl = _safe_int(c.get(_VAL))
                elif tag == _JCTAG:
                    jc = ch.get(_VAL)
        style = self.styles.para(style_id) if style_id else None
        if style is None:
            style = self.default_style

        pieces: list[str] = []
        runs: list[tuple] = []  # _rpr_props() of each run with visible text
        boxes: list = []
        # legacy encodings: the font of runs without one of their own
        pf = (style.font if style is not None else None) or self.styles.default_font
        self.para_legacy = legacy.font_encoding(pf) if pf and pf[0] != "+" else None
        if self.track is not None:
            self._runs, self._pos = [], 0
        self._inline(p, pieces, runs, boxes)
        # a page or line break that opens a paragraph leaves no text of its own
        raw = "".join(pieces)
        text = raw.lstrip("\n")
        shift = len(text) - len(raw)  # run offsets -> block text offsets

        label = None
        if self.numbering is not None:
            from_style = num_id is None
            if from_style and style is not None:
                num_id = style.num_id
            if num_id and num_id != "0":
                if ilvl is None and style is not None:
                    ilvl = style.ilvl
                if ilvl is None and from_style and style is not None:
                    ilvl = self.numbering.level_for_style(num_id, style.sid)
                got = self.numbering.label(num_id, ilvl or 0)
                if got and got[0]:
                    label, suff = got
        if text.strip():
            if label is not None:
                prefix = label + ("" if suff == "nothing" else " ")
                text = prefix + text
                shift += len(prefix)
                self.numbered += 1
            bold, italic, font = self._run_format(runs, style)
            if jc is None and style is not None:
                jc = style.jc
            if jc is None:
                jc = self.styles.default_jc
            block = Block(index=index, text=text, style=style.name if style is not None else None,
                          bold=bold, italic=italic, align=_JC.get(jc, "left") if jc else "left",
                          numbering=label, font=font)
            if cell is not None:
                block.kind = "cell"
                block.table, block.row, block.col = cell
            self.blocks.append(block)
        if self.track is not None:
            self.track[index] = ParagraphRuns(p, text, [(r, a + shift, b + shift, n) for r, a, b, n in self._runs])
        for box in boxes:  # text boxes anchored in this paragraph, read after it
            self.container(box, cell)

    def _inline(self, parent, pieces: list, runs: list, boxes: list) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self._run(child, pieces, runs, boxes)
            elif tag in _INLINE_CONTAINERS:
                self._inline(child, pieces, runs, boxes)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, pieces, runs, boxes)
            elif tag == ALT:
                choice = child.find(CHOICE)
                if choice is not None:
                    self._inline(choice, pieces, runs, boxes)

    def _run(self, r, pieces: list, runs: list, boxes: list) -> None:
        rpr = None
        buf = []
        for child in r:
            tag = child.tag
            if tag == T:
                if child.text:
                    buf.append(child.text)
            elif tag == RPR:
                rpr = child
            elif tag in _RUN_CHARS:
                buf.append(_RUN_CHARS[tag])
            elif tag == W + "sym":
                ch = _sym(child)
                if ch:
                    buf.append(ch)
            elif tag in (W + "drawing", W + "pict", W + "object", ALT):
                _find_boxes(child, boxes)
        if not buf:
            return
        props = _rpr_props(rpr) if rpr is not None else _NO_PROPS
        if props[2]:
            return  # hidden text is not on screen
        s = "".join(buf)
        # ---- legacy encodings (TCVN3 / VNI, see legacy.py): a run set in a .Vn* / VNI-*
        # font holds the font's 8-bit codes; it is converted here, run by run.
        enc = self._run_legacy(props)
        if enc is not None:
            new = legacy.convert_font_text(s, enc)
            if new != s:
                s = new
                self.legacy.setdefault(enc[0], set()).add(self.index - 1)
        # ---- end legacy encodings
        pieces.append(s)
        if self._runs is not None:
            # n: characters of the run's own children; a legacy conversion may change the length
            self._runs.append((r, self._pos, self._pos + len(s), len("".join(buf))))
            self._pos += len(s)
        if s.strip():
            runs.append(props)

    def _run_legacy(self, props) -> tuple[str, bool] | None:
        """Legacy encoding of a run's font: its own rFonts, its character style, or the
        paragraph's (a theme font is never a legacy one). Word draws the codes (0x80-0xFF)
        in the hAnsi font, so that one goes first."""
        rf = props[4]
        if rf is not None:
            named = False
            for attr in _LEGACY_FONT_ATTRS:
                f = rf.get(attr)
                if f:
                    enc = legacy.font_encoding(f)
                    if enc is not None:
                        return enc
                    named = True
            if named or rf.get(W + "hAnsiTheme") or rf.get(W + "asciiTheme"):
                return None
        if props[3] is not None:
            cs = self.styles.char(props[3])
            if cs is not None and cs.font is not None:
                return legacy.font_encoding(cs.font) if cs.font[0] != "+" else None
        return self.para_legacy

    def _run_format(self, runs, style) -> tuple[bool | None, bool | None, str | None]:
        if not runs:
            return None, None, None
        sb = style.b if style is not None else None
        si = style.i if style is not None else None
        if sb is None:
            sb = self.styles.default_b
        if si is None:
            si = self.styles.default_i
        bold = italic = True
        font = None
        first = True
        for b, i, _, rstyle, rfonts in runs:
            f = _rfont_attrs(rfonts) if first and rfonts is not None else None
            if rstyle is not None and (b is None or i is None or (first and f is None)):
                cs = self.styles.char(rstyle)
                if cs is not None:
                    b = cs.b if b is None else b
                    i = cs.i if i is None else i
                    f = cs.font if f is None else f
            if bold and not (b if b is not None else sb):
                bold = False
            if italic and not (i if i is not None else si):
                italic = False
            if first:
                if f is None:
                    f = (style.font if style is not None else None) or self.styles.default_font
                font = self.theme_fonts.get(f[1:], None) if f and f.startswith("+") else f
                first = False
        return bold, italic, font


_NO_PROPS = (None, None, False, None, None)
_LEGACY_FONT_ATTRS = (W + "hAnsi", W + "ascii")  # legacy encodings: see _Walker._run_legacy


def _rpr_props(rpr) -> tuple:
    """(bold, italic, hidden, character style id, rFonts element) of a run's rPr, in one pass."""
    b = i = rstyle = rfonts = None
    hidden = False
    for ch in rpr:
        tag = ch.tag
        if tag == _B:
            b = ch.get(_VAL, "1") not in _OFF
        elif tag == _I:
            i = ch.get(_VAL, "1") not in _OFF
        elif tag == _RFONTS:
            rfonts = ch
        elif tag == _RSTYLE:
            rstyle = ch.get(_VAL)
        elif tag == _VANISH:
            hidden = ch.get(_VAL, "1") not in _OFF
    return b, i, hidden, rstyle, rfonts


def _children(el, tag):
    """Rows of a table / cells of a row, including those wrapped in content controls."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _find_boxes(el, boxes: list) -> None:
    """w:txbxContent under a drawing; only the first mc:Choice, so a box is read once."""
    for child in el:
        tag = child.tag
        if tag == TXBX:
            boxes.append(child)
        elif tag == ALT:
            choice = child.find(CHOICE)
            if choice is not None:
                _find_boxes(choice, boxes)
        elif tag != FALLBACK and len(child):
            _find_boxes(child, boxes)


def _val(el):
    return el.get(_VAL) if el is not None else None


def _sym(el) -> str:
    try:
        code = int(el.get(W + "char", ""), 16)
    except ValueError:
        return ""
    if code >= 0xF000:  # Symbol-font private-use range; the low byte is the Latin-1 slot
        code -= 0xF000
        known = {0xB7: "•", 0x2D: "-", 0xA7: "▪", 0xD8: "➢"}
        return known.get(code, chr(code) if 0x20 <= code < 0x7F else "")
    return chr(code)


def _theme_fonts(part) -> dict[str, str]:
    """minorHAnsi/majorHAnsi... -> typeface, from the theme part (only Latin fonts matter here)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    try:
        theme = part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    except Exception:  # no theme or an unreadable one: theme fonts stay unresolved
        return {}
    out = {}
    for kind in ("major", "minor"):
        latin = root.find(f".//{_A}{kind}Font/{_A}latin")
        if latin is not None and latin.get("typeface"):
            for script in ("HAnsi", "Ascii", "Bidi", "EastAsia"):
                out[kind + script] = latin.get("typeface")
    return out


def _related_element(part, reltype):
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError, ValueError):  # ValueError: a relationship pointing outside the file
        return None


def open_document(data: bytes):
    """A python-docx Document from untrusted bytes, after the package and DTD guards."""
    _check_package(data)
    import docx  # imported here so other formats do not pay for it

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx raises KeyError, ValueError, XMLSyntaxError, ...
        raise ReadError("corrupt_docx", f"{type(exc).__name__}: {exc}") from exc
    for pkg_part in document.part.package.iter_parts():  # second guard, for encodings the prolog sniff cannot read
        element = getattr(pkg_part, "_element", None)
        if element is not None and element.getroottree().docinfo.doctype:
            raise ReadError("hostile_xml", str(pkg_part.partname))
    if body is None:
        raise ReadError("corrupt_docx", "no body")
    return document


def _walker(document) -> _Walker:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = document.part
    styles = Styles(_related_element(part, RT.STYLES))
    num_root = _related_element(part, RT.NUMBERING)
    numbering = Numbering(num_root, styles.num_id_of) if num_root is not None else None
    return _Walker(styles, numbering, _LazyThemeFonts(part))


class ParagraphRuns:
    """One paragraph of the walk: its w:p element, the block text the reader made of it, and each visible
    run as (w:r element, start, end, n) in that text's offsets (n: characters of the run's own children;
    when n != end - start a legacy-encoding conversion changed the length and offsets inside the run
    do not map to its children)."""

    __slots__ = ("element", "text", "runs")

    def __init__(self, element, text: str, runs: list[tuple]):
        self.element, self.text, self.runs = element, text, runs


def paragraph_map(document) -> dict[int, ParagraphRuns]:
    """Block index -> paragraph, by the reader's own walk, so a `span` of a check result can be
    found again in the file (the commented DOCX writer anchors Word comments with it)."""
    walker = _walker(document)
    walker.track = {}
    walker.container(document.element.body, None)
    return walker.track


@register("docx", ".docx")
def read_docx(data: bytes) -> tuple[list[Block], dict]:
    document = open_document(data)
    walker = _walker(document)
    walker.container(document.element.body, None)
    quality = {"reader": "python-docx", "numbered_paragraphs": walker.numbered,
               "tables": walker.tables}
    if walker.legacy:  # legacy encodings: blocks with a converted run
        emitted = {b.index for b in walker.blocks}
        quality["legacy_encoding"] = {enc: len(walker.legacy.get(enc, set()) & emitted)
                                      for enc in (legacy.TCVN3, legacy.VNI)}
    return walker.blocks, quality


class _LazyThemeFonts(dict):
    """Theme fonts parsed only when some run actually uses one."""

    def __init__(self, part):
        super().__init__()
        self._part = part
        self._loaded = False

    def get(self, key, default=None):
        if not self._loaded:
            self._loaded = True
            self.update(_theme_fonts(self._part))
        return super().get(key, default)
