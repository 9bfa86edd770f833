"""What the checks look at: the outline flattened into items with their lines, cue hits per
line, and the document's sections matched to each pack's scopes. Built once per document."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.model import Location, OutlineItem, ParsedDocument
from pipeline.vntext.sentences import sentence_spans

LEAD_IN_KINDS = {"roman", "arabic", "decimal"}  # numbered parts of plans and reports
SUBJECT_LEAD_IN_WORDS = 10  # "2. Ban Chấp hành Công đoàn Công ty:" names whose duties follow
BULLET_HEAD_WORDS = 6  # a bullet names its part in its opening words ("- Ban Thanh tra nhân dân Sở thực hiện …")
SECTION_KINDS = {"phan", "chuong", "muc", "roman"}  # sub-parts of a regulation above the Điều
HEADING_KINDS = {"phan", "chuong", "muc", "dieu", "roman", "arabic", "decimal", "letter", "khoan"}


@dataclass
class ItemView:
    index: int
    item: OutlineItem | None  # None for the body text outside any item
    path: str
    part: int
    lines: list  # structure.lines.Line
    first: int  # index range [first, last) of this item's subtree in DocumentView.items
    last: int
    depth: int
    heading: str = ""  # folded title, when the item has one
    parent: int | None = None

    @property
    def is_root(self) -> bool:
        return self.item is None


@dataclass(slots=True)
class Hit:
    phrase: str
    line: int  # position in DocumentView.lines
    start: int  # offsets in that line's text
    end: int


@dataclass
class DocumentView:
    doc: ParsedDocument
    items: list[ItemView]
    lines: list  # every body line, in order
    line_item: list[int]  # line position -> index of the item that owns it
    hits_by_line: dict[int, list[Hit]] = field(default_factory=dict)
    scopes: dict[str, list[int]] = field(default_factory=dict)  # scope -> indices of heading items
    # scope -> its heading items that are also headings of another part of the pack ("PHƯƠNG HƯỚNG … VÀ KIẾN NGHỊ")
    shared: dict[str, set[int]] = field(default_factory=dict)
    _sentences: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    judged_on: Any = None  # datetime.date the document is judged on (set by check; legal-basis kinds use it)

    def clauses(self, line_pos: int) -> list[tuple[int, int]]:
        cache = self.__dict__.setdefault("_clauses", {})
        if line_pos not in cache:
            from pipeline.vntext.sentences import clause_spans

            cache[line_pos] = clause_spans(self.lines[line_pos].text)
        return cache[line_pos]

    def quantities(self, line_pos: int, start: int, end: int) -> list:
        """Numbers with units in one clause of a line, read once per document (many value rules ask)."""
        cache = self.__dict__.setdefault("_quantities", {})
        key = (line_pos, start, end)
        if key not in cache:
            from pipeline.vntext.numbers import find_quantities

            cache[key] = find_quantities(self.lines[line_pos].fold[start:end])
        return cache[key]

    def sentences(self, line_pos: int) -> list[tuple[int, int]]:
        if line_pos not in self._sentences:
            self._sentences[line_pos] = sentence_spans(self.lines[line_pos].text)
        return self._sentences[line_pos]

    def subtree_lines(self, item_index: int) -> range:
        """Line positions of an item and its sub-items (contiguous: items are in document order)."""
        iv = self.items[item_index]
        if iv.is_root:
            return range(0, len(self.lines))
        return range(self.next_line[iv.first], self.next_line[iv.last])

    def heading_lines(self, item_index: int) -> list[int]:
        cache = self.__dict__.setdefault("_heading_cache", {})
        if item_index not in cache:
            cache[item_index] = self._heading_lines(item_index)
        return cache[item_index]

    def _heading_lines(self, item_index: int) -> list[int]:
        """The lines that give an item its context: the titles of the sections (Phần, Chương, Mục) above
        it — "Điều 27. Nhiệm vụ" under "Mục 2 BAN THANH TRA NHÂN DÂN" is about the Ban even when its own
        text never names it — and the titles of the Điều or numbered headings above it ("Điều 12. Nội
        dung công khai" over "1. Kế hoạch công tác năm"). A lead-in ending in ":" is not context: the
        list under it is found as a whole by the item that holds the lead-in."""
        out: list[int] = []
        a = self.items[item_index].parent
        while a is not None:
            iv = self.items[a]
            own = self.own_lines(a)
            if iv.heading and iv.item.kind in ("phan", "chuong", "muc"):  # section titles
                if own:
                    out.extend(own[:2])
            elif own:
                out.extend(self.title_lines(a))
            a = iv.parent
        return out

    def section_lines(self, item_index: int) -> list[int]:
        """The title lines of the sections (Phần, Chương, Mục) above an item only."""
        out: list[int] = []
        a = self.items[item_index].parent
        while a is not None:
            iv = self.items[a]
            if iv.heading and iv.item.kind in ("phan", "chuong", "muc"):
                out.extend(self.own_lines(a)[:2])
            a = iv.parent
        return out

    def subject_lines(self, item_index: int) -> list[int]:
        """The lead-in of the item's parent when it only names who the list is for ("2. Ban Chấp hành Công đoàn
        Công ty:" over "a. Tham gia ý kiến … trước khi Công ty ban hành Quy chế này"): a short line ending in ":"
        with nothing after it. Each duty of such a list is that body's, as if it named it."""
        a = self.items[item_index].parent
        if a is None or self.items[a].item is None or self.items[a].item.kind in ("phan", "chuong", "muc", "dieu"):
            return []
        own = self.own_lines(a)
        if len(own) != 1:
            return []
        text = self.lines[own[0]].text.strip()
        return [own[0]] if text.endswith(":") and len(text.split()) <= SUBJECT_LEAD_IN_WORDS else []

    def title_lines(self, item_index: int) -> list[int]:
        """The title line of a titled item below the sections (an Điều, a numbered heading): the first
        own line, and the second when the title is set on a line of its own."""
        iv = self.items[item_index]
        own = self.own_lines(item_index)
        if not iv.heading or not own or iv.item.kind in ("phan", "chuong", "muc"):
            return []
        if iv.heading[:20] in self.lines[own[0]].fold or len(own) == 1:
            return [own[0]]
        return [own[0], own[1]]

    def enclosing_lines(self, item_index: int) -> list[int]:
        """Own lines of the items above an item up to its Điều (titles and lead-ins: "2. Hình thức công
        khai áp dụng cho từng nhóm nội dung như sau:" over "a) …")."""
        out: list[int] = []
        part = self.items[item_index].part
        a = self.items[item_index].parent
        while a is not None and self.items[a].item.kind not in ("phan", "chuong", "muc"):
            out.extend(self.own_lines(a))
            # an appendix list read under the item pointing to it ("1. … công khai các nhóm thông tin nêu tại
            # Phụ lục") is that item's content: the pointer speaks for it, not the title of its Điều
            # ("Điều 2. Nội dung, hình thức, thời điểm và thời gian công khai")
            if self.items[a].part != part:
                break
            a = self.items[a].parent
        return out

    def dieu_title_lines(self, item_index: int) -> list[int]:
        """Title lines of the titled items (Điều, numbered headings) above an item, nearest first."""
        cache = self.__dict__.setdefault("_dieu_title_cache", {})
        if item_index not in cache:
            out: list[int] = []
            a = self.items[item_index].parent
            while a is not None and self.items[a].item.kind not in ("phan", "chuong", "muc"):
                out.extend(self.title_lines(a))
                a = self.items[a].parent
            cache[item_index] = out
        return cache[item_index]

    def section_title_lines(self, item_index: int) -> list[int]:
        """Title lines of the sections (Phần, Chương, Mục) above an item, nearest first."""
        out: list[int] = []
        a = self.items[item_index].parent
        while a is not None:
            if self.items[a].item.kind in ("phan", "chuong", "muc"):
                out.extend(list(self.own_lines(a))[:2])
            a = self.items[a].parent
        return out

    def own_lines(self, item_index: int) -> range:
        return range(self.next_line[item_index], self.next_line[item_index + 1]) \
            if self.next_line[item_index] < self.next_line[item_index + 1] and \
            self.line_item[self.next_line[item_index]] == item_index else range(0)

    @cached_property
    def next_line(self) -> list[int]:
        """next_line[j]: the first line position of item j or of the first item after it that has lines."""
        out = [len(self.lines)] * (len(self.items) + 1)
        for pos in range(len(self.line_item) - 1, -1, -1):
            out[self.line_item[pos]] = pos
        for j in range(len(self.items) - 1, -1, -1):
            out[j] = min(out[j], out[j + 1])
        return out

    @cached_property
    def work_year_end(self) -> int:
        """Month in which the unit's work year ends: a school year ends on 31 August (a school
        regulation speaks of "năm học"), other units work by the calendar (or financial) year."""
        n = sum(x.fold.count("năm học") for x in self.lines)
        return 8 if n >= 2 else 12

    @cached_property
    def item_line_start(self) -> list[int | None]:
        return [r.start if r else None for r in (self.own_lines(i) for i in range(len(self.items)))]

    @cached_property
    def item_line_end(self) -> list[int | None]:
        return [r.stop if r else None for r in (self.own_lines(i) for i in range(len(self.items)))]

    @cached_property
    def line_phrases(self) -> dict[int, set[str]]:
        return {li: {h.phrase for h in hits} for li, hits in self.hits_by_line.items()}

    def group_lines(self, group: tuple[str, ...]) -> list[int]:
        """Sorted line positions where any phrase of a cue group occurs (cached per group)."""
        cache = self.__dict__.setdefault("_group_lines", {})
        if group not in cache:
            found: set[int] = set()
            for phrase in group:
                found.update(self.phrase_lines.get(phrase, ()))
            cache[group] = sorted(found)
        return cache[group]

    @cached_property
    def phrase_lines(self) -> dict[str, list[int]]:
        """phrase -> sorted line positions where it occurs."""
        out: dict[str, list[int]] = {}
        for li in sorted(self.hits_by_line):
            for h in self.hits_by_line[li]:
                lst = out.setdefault(h.phrase, [])
                if not lst or lst[-1] != li:
                    lst.append(li)
        return out

    def location(self, line_pos: int, start: int = 0, end: int | None = None) -> Location:
        iv = self.items[self.line_item[line_pos]]
        return self.lines[line_pos].location(iv.path, iv.part, start, end)

    @cached_property
    def blocks(self) -> dict:
        return {nb.block.index: nb.block for nb in self.doc.norm.blocks}

    def block_text(self, loc: Location) -> str:
        """The original text of the block (paragraph, cell, line) that holds a location."""
        block = self.blocks.get(loc.block)
        return block.text if block else ""

    def quote(self, loc: Location) -> str:
        return self.block_text(loc)[loc.start:loc.end]


def _lead_in(item: OutlineItem) -> str:
    """The folded lead-in title of a numbered part of a plan or report written on one line ("4. Chế độ
    báo cáo: các phòng gửi báo cáo …"): a short phrase before a colon. Khoản of a regulation are items
    of its articles, not parts, and keep no heading."""
    from pipeline.vntext import fold

    if item.kind not in LEAD_IN_KINDS or not item.lines:
        return ""
    text = item.lines[0].text
    head, colon, _ = text.partition(":")
    words = head.split()
    if not colon or len(words) < 2 or len(words) > 9:
        return ""
    return fold(" ".join(words[1:]))  # without the number ("4.")


_APPENDIX_REF = None
# an appendix that is a form to fill in (a template, a ballot, minutes) is not content of the regulation
_FORM_WORDS = ("mẫu", "biểu", "phiếu", "biên bản", "đơn ")


def _attached_appendices(doc: ParsedDocument, body: list) -> dict[int, list]:
    """Appendices that the regulation's body refers to as holding its content ("các thông tin nêu trong
    Danh mục tại Phụ lục kèm theo Quy chế này", "theo Phụ lục I"), keyed by the id of the outline item
    that refers to them. A form or template ("Mẫu biên bản …", "Phiếu lấy ý kiến") is not content; nor is
    an appendix the body never points to."""
    global _APPENDIX_REF
    import re

    from pipeline.vntext import fold

    if _APPENDIX_REF is None:
        _APPENDIX_REF = re.compile(r"(?:tại|theo|trong|ở|nêu ở|thuộc)\s+(?:các\s+)?phụ lục(?:\s+(?:số\s+)?([0-9ivx]+)\b)?"
                                   r"|phụ lục(?:\s+(?:số\s+)?([0-9ivx]+)\b)?\s+(?:kèm theo|ban hành kèm)")
    apps = [p for p in doc.parts if p.role == "appendix" and p not in body and p.outline]
    if not apps:
        return {}

    def number(p) -> str | None:
        m = re.match(r"phụ lục\s+(?:số\s+)?([0-9ivx]+)\b", fold(" ".join([p.doc_type or ""] + p.header_lines[:1])))
        return m.group(1).lstrip("0") if m else None

    def is_form(p) -> bool:
        first = p.outline[0]
        text = fold(" ".join(x for x in (p.title or "", first.title or "") if x))
        return any(w in text + " " for w in _FORM_WORDS)

    refs: list[tuple[int, str | None]] = []  # (id of the referring item, appendix number named)

    def walk(item: OutlineItem) -> None:
        for line in item.lines:
            for m in _APPENDIX_REF.finditer(line.fold):
                n = m.group(1) or m.group(2)
                refs.append((id(item), n.lstrip("0") if n else None))
        for c in item.children:
            walk(c)

    for part in body:
        for item in part.outline:
            walk(item)
    out: dict[int, list] = {}
    for app in apps:
        if is_form(app):
            continue
        n = number(app)
        owner = next((i for i, k in refs if k == n), None) or next((i for i, k in refs if k is None), None)
        if owner is not None:
            out.setdefault(owner, []).append(app)
    return out


def build_view(doc: ParsedDocument, phrase_index=None, pack_scopes: dict | None = None) -> DocumentView:
    from pipeline.vntext import fold

    items: list[ItemView] = []
    lines: list = []
    line_item: list[int] = []
    body = [p for p in doc.parts if p.role != "appendix"] or doc.parts
    attached = _attached_appendices(doc, body)  # id(referring item) -> appendix parts it holds

    def add(item: OutlineItem, part: int, depth: int, parent: int | None) -> None:
        idx = len(items)
        heading = fold(item.title) if item.title and item.kind in HEADING_KINDS else _lead_in(item)
        iv = ItemView(idx, item, item.location.path, part, list(item.lines), idx, idx + 1, depth, heading, parent)
        items.append(iv)
        for line in item.lines:
            lines.append(line)
            line_item.append(idx)
        for child in item.children:
            add(child, part, depth + 1, idx)
        # an appendix the item refers to as holding its content ("các thông tin nêu trong Danh mục tại
        # Phụ lục kèm theo") is the item's list, as if written under it
        for app in attached.pop(id(item), ()):
            for sub in app.outline:
                add(sub, app.index, depth + 1, idx)
        iv.last = len(items)

    for part in body:
        for item in part.outline:
            add(item, part.index, 0, None)
    for apps in attached.values():  # referred to from text outside any item: a part of its own
        for app in apps:
            for item in app.outline:
                add(item, app.index, 0, None)
    view = DocumentView(doc, items, lines, line_item)
    if phrase_index is not None and lines:
        text = "\n".join(x.fold for x in lines)
        hits_by_line = view.hits_by_line
        # matches come sorted by start: walk the lines alongside instead of a search per match
        li, line_start, line_end = 0, 0, len(lines[0].fold)
        for phrase, s, e in sorted(phrase_index.find_folded(text), key=lambda m: m[1]):
            while s > line_end:
                line_start = line_end + 1
                li += 1
                line_end = line_start + len(lines[li].fold)
            if e <= line_end:
                hit = Hit(phrase, li, s - line_start, e - line_start)
                if li in hits_by_line:
                    hits_by_line[li].append(hit)
                else:
                    hits_by_line[li] = [hit]

    def matches(iv, scope) -> bool:
        heading = iv.heading
        if not heading and scope.bullet_heads and iv.item is not None and iv.item.kind in ("dash", "plus", "letter") \
                and iv.lines:
            # the bullet's subject: its first words, without the marker (a lettered point "b) Ban Thanh tra nhân dân …"
            # is a bullet too)
            marker = r"^[a-zđ]\s*[.)]\s*" if iv.item.kind == "letter" else r"^[^\w]+"
            heading = " ".join(re.sub(marker, "", iv.lines[0].fold).split()[:BULLET_HEAD_WORDS])
        return bool(heading) and any(h in heading for h in scope.headings) \
            and not any(x in heading for x in scope.exclude)

    def pillars(scope) -> list:
        """The pack's other parts: scopes that share no heading with this one (a combined scope such as
        "bàn, quyết định và hội nghị" shares its headings with both of its parts, so is not another part)."""
        mine = set(scope.headings)
        return [o for o in (pack_scopes or {}).values() if o is not scope and not mine & set(o.headings)]

    def find(scope, lo: int, hi: int) -> list[int]:
        found, covered_until = [], -1
        for iv in items[lo:hi]:
            if iv.index < covered_until or not matches(iv, scope):
                continue
            covered_until = iv.last
            # a part split into sections by pillar ("Chương III. BÀN, QUYẾT ĐỊNH VÀ THAM GIA Ý KIẾN" with
            # "Mục 1 … bàn và quyết định", "Mục 2 … tham gia ý kiến"): the other pillars' sections are not
            # this part, so the part is what remains; nothing when only the others remain
            subs = [x for x in items[iv.index + 1:iv.last] if x.parent == iv.index and x.item.kind in SECTION_KINDS]
            others = pillars(scope)
            # … or into articles, when the title names both pillars ("Chương III. NHỮNG VIỆC … BÀN VÀ QUYẾT
            # ĐỊNH; THAM GIA Ý KIẾN" with "Điều 3. Bàn và quyết định", "Điều 4. Tham gia ý kiến")
            if not subs and any(matches(iv, o) for o in others):
                subs = [x for x in items[iv.index + 1:iv.last] if x.parent == iv.index and x.item.kind == "dieu"]
            if subs and any(matches(x, o) for x in subs for o in others):
                found.extend(x.index for x in subs if not any(matches(x, o) for o in others))
                continue
            others = [pack_scopes[o] for o in scope.yield_to if o in pack_scopes]
            if others and any(matches(x, o) for x in items[iv.index + 1:iv.last] for o in others):
                inner = find(scope, iv.index + 1, iv.last)
                if inner:
                    found.extend(inner)
                    continue
                children = [x for x in items[iv.index + 1:iv.last] if x.parent == iv.index]
                if all(any(matches(x, o) for o in others) for x in children):
                    continue  # nothing left under this heading but the other parts
            found.append(iv.index)
        return found

    def continues(iv, scope) -> bool:
        # the short name as the title's last words, or before a colon/comma ("… của Ban", "… của Ban: …"),
        # so that "của Ban Chấp hành Công đoàn" does not continue the Ban Thanh tra nhân dân
        return bool(iv.heading) and any(re.search(re.escape(c) + r"\s*(?:$|[:;,.(])", iv.heading)
                                        for c in scope.continued_by)

    def continued(scope, found: list[int]) -> list[int]:
        out = []
        for h in found:
            out.append(h)
            nxt = items[h].last
            while nxt < len(items) and items[nxt].parent == items[h].parent and nxt not in found \
                    and continues(items[nxt], scope):
                out.append(nxt)
                nxt = items[nxt].last
        return out

    for name, scope in (pack_scopes or {}).items():
        view.scopes[name] = find(scope, 0, len(items))
        if scope.continued_by:
            view.scopes[name] = continued(scope, view.scopes[name])
    # `not_inside`: a heading inside another part belongs to that part ("Điều 29. Chương trình công tác và
    # kế hoạch kiểm tra, giám sát" in the chapter on the Ban Thanh tra nhân dân is the Ban's, not the staff's
    # supervision), unless that part's own title also names this one ("KIỂM TRA, GIÁM SÁT VÀ BAN …")
    for name, scope in (pack_scopes or {}).items():
        outer = [h for o in scope.not_inside for h in view.scopes.get(o, [])]
        view.scopes[name] = [
            h for h in view.scopes[name]
            if not any(items[c].first < h < items[c].last and not any(x in items[c].heading for x in scope.headings)
                       for c in outer)]
    # a heading that is also the heading of another part ("IV. PHƯƠNG HƯỚNG NĂM 2026 VÀ KIẾN NGHỊ", where the other part
    # shares no heading phrase with this one) is shared: what is under it decides which part it holds (section.v1)
    for name, scope in (pack_scopes or {}).items():
        mine = set(view.scopes[name])
        view.shared[name] = {h for o in pillars(scope) for on, os in pack_scopes.items() if os is o
                             for h in view.scopes.get(on, []) if h in mine}
    return view
