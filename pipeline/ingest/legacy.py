"""Legacy Vietnamese font encodings: TCVN3 (ABC) and VNI, detected and converted to Unicode.

Before Unicode, Vietnamese was typed in 8-bit fonts whose code points reuse Latin-1 slots. A
document set in such a font reaches us as text that shows those slots literally: TCVN3
"Céng hoµ x· héi chñ nghÜa ViÖt Nam", VNI "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
(Word stores the run text as the Windows-1252 reading of the font's bytes; a PDF text layer
and an 8-bit .txt read as cp1252 give the same characters).

TCVN3 (TCVN 5712:1993, the "ABC" fonts .VnTime, .VnArial ...) is one code per letter. Its
fonts have no accented capitals: headings use the sister fonts whose names end in "H"
(.VnTimeH), where the same codes draw capitals. Text typed with Caps Lock in the plain
font comes out "CéNG HOµ" ("CộNG HOà" on screen); `convert` restores such words to capitals
(see `_restore_case`).

VNI (the VNI-Windows fonts: VNI-Times, VNI-Helve ...) writes a vowel as the base letter
followed by one mark code: "o" + "ä" = "ộ". Capitals exist and use the capital mark codes
("O" + "Ä" = "Ộ").

`detect(text, font=None)` is conservative: a font name decides (.Vn*/VNI-* fonts); without
one, the text must carry enough codes that ordinary Unicode Vietnamese never has in a word
(TCVN3: µ ¸ ¶ · ¹ ¨ © ª « ¬ ® ...; VNI: vowel + mark pairs such as "oä", "aø", "eá") and
none of the letters only Unicode has (ạ ả ấ ... ơ ư đ ă, or combining marks).

The tables below are our own, written from the layout of each encoding; tests/test_legacy.py
checks them against strings encoded independently.
"""
from __future__ import annotations

import re
from functools import lru_cache

TCVN3 = "tcvn3"
VNI = "vni"

# ------------------------------------------------------------------------- TCVN3 table
# Unicode rows in the order TCVN3 lays each vowel out: plain, grave, hook, tilde, acute, dot.
# Next to each, the code points of the five toned forms (the plain vowel is its ASCII
# letter, or the code given first for ă â ê ô ơ ư).
_TCVN3_ROWS = (
    # vowel row       plain  grave hook  tilde acute dot
    ("aàảãáạ", (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9)),
    ("ăằẳẵắặ", (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6)),
    ("âầẩẫấậ", (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB)),
    ("eèẻẽéẹ", (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1)),
    ("êềểễếệ", (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6)),
    ("iìỉĩíị", (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE)),
    ("oòỏõóọ", (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4)),
    ("ôồổỗốộ", (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9)),
    ("ơờởỡớợ", (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE)),
    ("uùủũúụ", (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4)),
    ("ưừửữứự", (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9)),
    ("yỳỷỹýỵ", (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE)),
)
# đ, and the only capitals TCVN3 has: Ă Â Ê Ô Ơ Ư Đ at 0xA1-0xA7.
_TCVN3_OTHER = {0xAE: "đ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}


def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for letters, codes in _TCVN3_ROWS:
        for letter, code in zip(letters, codes):
            if code is not None:
                table[code] = letter
    table.update(_TCVN3_OTHER)
    return table


TCVN3_TO_UNICODE: dict[int, str] = _tcvn3_table()
# codes that stand for a lowercase letter (all but the seven capitals)
_TCVN3_LOWER = frozenset(chr(c) for c, u in TCVN3_TO_UNICODE.items() if u.islower())
# Codes ordinary Unicode Vietnamese never has inside a word (0xA1-0xBF, and the few of
# 0xC0-0xDF that are no Vietnamese letter: Æ Ç Ð × Þ ß). VNI uses none of 0xA0-0xBF.
_TCVN3_STRONG = "".join(sorted(
    {chr(c) for c in TCVN3_TO_UNICODE if c <= 0xBF} | set("ÆÇÐ×Þß")))

# --------------------------------------------------------------------------- VNI table
# Mark codes (lowercase; the capital mark is the Latin-1 capital of the same letter,
# 0x20 lower).  Order: acute, grave, hook, tilde, dot.
_VNI_TONE = "ùøûõï"  # on a e o u y, and on ơ (ô) / ư (ö)
_VNI_CIRC = "âáàåãä"  # a/e/o + circumflex: none, then acute, grave, hook, tilde, dot
_VNI_BREVE = "êéèúüë"  # a + breve: none, then acute, grave, hook, tilde, dot
# Unicode rows: plain, acute, grave, hook, tilde, dot.
_VNI_ROWS = {
    "a": "aáàảãạ", "e": "eéèẻẽẹ", "o": "oóòỏõọ", "u": "uúùủũụ", "y": "yýỳỷỹỵ",
    "ơ": "ơớờởỡợ", "ư": "ưứừửữự",
}
_VNI_CIRC_ROWS = {"a": "âấầẩẫậ", "e": "êếềểễệ", "o": "ôốồổỗộ"}
_VNI_BREVE_ROW = "ăắằẳẵặ"
# Letters that are one code: ơ ư đ, the five toned i, and ỵ.
_VNI_SINGLE_LOWER = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
# (í and ì are themselves: VNI put í, ì at their Latin-1 places.)
_VNI_BASE_CODE = {"ơ": "ô", "ư": "ö"}  # how the bases ơ, ư are written


def _vni_table() -> dict[str, str]:
    low: dict[str, str] = dict(_VNI_SINGLE_LOWER)
    for base, row in _VNI_ROWS.items():
        code = _VNI_BASE_CODE.get(base, base)
        for mark, out in zip(_VNI_TONE, row[1:]):
            low[code + mark] = out
    for base, row in _VNI_CIRC_ROWS.items():
        for mark, out in zip(_VNI_CIRC, row):
            low[base + mark] = out
    for mark, out in zip(_VNI_BREVE, _VNI_BREVE_ROW):
        low["a" + mark] = out
    table = dict(low)
    for code, out in low.items():
        up = code.upper()
        table[up] = out.upper()
        if len(code) == 2:  # a capital base with a small mark, or the reverse: case of the base
            table[up[0] + code[1]] = out.upper()
            table[code[0] + up[1]] = out
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()
_VNI_BASES = "aeouyôöAEOUYÔÖ"
_VNI_MARKS = "".join(sorted(set(_VNI_TONE + _VNI_CIRC + _VNI_BREVE)))
_VNI_MARKS += _VNI_MARKS.upper()
_VNI_SINGLES = "".join(k for k in VNI_TO_UNICODE if len(k) == 1)
_VNI_RE = re.compile(f"[{_VNI_BASES}][{_VNI_MARKS}]|[{_VNI_SINGLES}]")
# Pairs that mark VNI: a vowel and a mark that ordinary Unicode Vietnamese never puts next
# to each other. Unicode "hoà", "hoá", "choã" have o + à/á/ã, so those three are left out.
_VNI_PAIR = re.compile(
    "(?![oO][àáãÀÁÃ])(?:[aeoAEO][âáàåãäÂÁÀÅÃÄ]|[aA][êéèúüëÊÉÈÚÜË]|[aeouyôöAEOUYÔÖ][ùøûõïÙØÛÕÏ])")

# ---------------------------------------------------------------------- detection
# Letters only Unicode Vietnamese has (no legacy text read as cp1252 can hold them): ă đ ĩ
# ũ ơ ư and capitals, the Latin Extended Additional block, and the combining tone marks.
_UNICODE_VI = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1"
                         "\u01af\u01b0\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
# A TCVN3 code counts inside a word: next to a letter or another code. Strong codes are
# never in Unicode Vietnamese nor in VNI; weak ones are VNI marks too, so they count only
# where VNI would not have them, after a consonant ("chñ" is TCVN3, "chuû" VNI).
_WORDISH = "A-Za-z\u00a1-\u00ff"
_TCVN3_WEAK = "\xe4\xe5\xeb\xef\xf8\xfb\xfc\xcb\xcf\xd8\xdc"  # ä å ë ï ø û ü Ë Ï Ø Ü
_STRONG_SET = _TCVN3_STRONG + "\xe7\xf7\xfe"  # and ç ÷ þ (ỗ ữ ỵ), in neither
_STRONG_IN_WORD = re.compile(
    f"(?<=[{_WORDISH}])[{re.escape(_STRONG_SET)}]|[{re.escape(_STRONG_SET)}](?=[{_WORDISH}])")
_WEAK_IN_WORD = re.compile(f"(?<=[{_WORDISH}])(?<![{_VNI_BASES}])[{_TCVN3_WEAK}]"
                           f"|(?<![{_VNI_BASES}])[{_TCVN3_WEAK}](?=[{_WORDISH}])")
_WORD = re.compile(f"[{_WORDISH}\u0100-\u024f\u1e00-\u1eff]+")
_ASCII_LETTERS = re.compile("[A-Za-z]")
# Codes of either encoding that are no Unicode Vietnamese letter (VNI's ù õ â á à ã ê é è ú
# are; every VNI text has these others too): Unicode text without one is not looked at.
_LEGACY_HINT = re.compile(f"[{re.escape(_STRONG_SET)}{_TCVN3_WEAK}øïûäåëüØÏÛÄÅËÜ]")


def scores(text: str) -> tuple[int, int, int, int, int]:
    """(TCVN3 strong codes in words, TCVN3 weak codes in words, VNI vowel+mark pairs,
    Unicode-only Vietnamese letters, words)."""
    return (len(_STRONG_IN_WORD.findall(text)), len(_WEAK_IN_WORD.findall(text)),
            len(_VNI_PAIR.findall(text)), len(_UNICODE_VI.findall(text)),
            len(_WORD.findall(text)))


def detect(text: str, font: str | None = None, *, min_evidence: int = 3,
           density: float = 0.08) -> str | None:
    """"tcvn3", "vni" or None (Unicode, ASCII, or not enough evidence).

    A legacy `font` (.VnTime, VNI-Times ...) decides, unless the text itself is Unicode
    Vietnamese (typed in Unicode while the style kept an old font name). Without a font the
    text must show at least `min_evidence` codes of one encoding, at least `density` per
    word, twice as many as of the other, practically no Unicode-only letters, and mostly
    ASCII letters (as Vietnamese in these encodings is; random bytes are not).
    """
    if font:
        enc = font_encoding(font)
        if enc is not None:
            return enc[0] if not _unicode_text(text, enc[0]) else None
    if not _LEGACY_HINT.search(text):
        return None
    strong, weak, v, u, words = scores(text)
    t = strong + weak
    enc, e, other = (TCVN3, t, v) if t >= v else (VNI, v, t)
    if e < min_evidence or e < 2 * other or u > 0.05 * e or e < density * words:
        return None
    if enc == TCVN3 and 3 * strong < t:  # à á ả ã ạ ă â đ ê ô ơ ư are all strong codes
        return None
    letters = sum(len(w) for w in _WORD.findall(text))
    if len(_ASCII_LETTERS.findall(text)) < 0.4 * letters:
        return None
    return enc


def _unicode_text(text: str, enc: str) -> bool:
    """Text in a legacy font that is nevertheless Unicode Vietnamese."""
    u = len(_UNICODE_VI.findall(text))
    if not u:
        return False
    if enc == TCVN3:
        e = len(_STRONG_IN_WORD.findall(text)) + len(_WEAK_IN_WORD.findall(text))
    else:
        e = len(_VNI_PAIR.findall(text))
    return u >= e


_PS_STYLE = re.compile(r"[-,](?:Bold|Italic|Oblique|Regular|BoldItalic|BoldOblique)$", re.IGNORECASE)


@lru_cache(maxsize=256)
def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """(encoding, capitals) for a legacy font name, else None.

    TCVN3: ".VnTime", ".VnArial NarrowH" ... (a name ending in "H" draws capitals); VNI:
    "VNI-Times", "VNI-Helve" ... Symbol fonts of either family are not text. PDF names
    come with a subset prefix and a style ("ABCDEF+VnTimeH,Bold"): both are dropped.
    """
    if not font:
        return None
    name = font.strip()
    if len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper():
        name = name[7:]
    name = _PS_STYLE.sub("", name).rstrip()
    low = name.lower()
    if "symbol" in low or "wingding" in low:
        return None
    if low.startswith(".vn") or low in ("vntime", "vntimeh", "vnarial", "vnarialh"):
        return TCVN3, name.endswith("H")
    if low.startswith(("vni-", "vni ")):
        return VNI, False
    return None


def convert_font_text(text: str, enc: tuple[str, bool]) -> str:
    """Text set in a legacy font (`enc` from `font_encoding`) as Unicode; unchanged when the
    text is Unicode Vietnamese after all (see `detect`)."""
    if _unicode_text(text, enc[0]):
        return text
    return convert(text, enc[0], upper=enc[1])


# ----------------------------------------------------------------------- conversion
def convert(text: str, encoding: str, *, upper: bool = False, restore_case: bool = True) -> str:
    """Text in `encoding` ("tcvn3" | "vni") as Unicode (NFC).

    `upper`: the text was set in a capitals font (.VnTimeH): everything is upper case.
    `restore_case` (TCVN3): words typed in capitals in a font without accented capitals
    ("CéNG HOµ") come back as capitals ("CỘNG HOÀ").
    TCVN3 conversion keeps the length (one code, one letter); VNI shortens it.
    """
    if encoding == TCVN3:
        out = text.translate(TCVN3_TO_UNICODE)
        if upper:
            return _upper(out)
        if restore_case and out != text:
            out = _restore_case(text, out)
        return out
    if encoding == VNI:
        out = _VNI_RE.sub(_vni_sub, text)
        return _upper(out) if upper else out
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


def _vni_sub(m: re.Match) -> str:
    s = m.group()
    got = VNI_TO_UNICODE.get(s)
    if got is not None:
        return got
    # a base with a mark it does not take: convert the base alone (ô -> ơ, ö -> ư)
    return VNI_TO_UNICODE.get(s[0], s[0]) + s[1:]


def _upper(s: str) -> str:
    """Upper case, one character for one (so offsets stay put)."""
    out = s.upper()
    if len(out) == len(s):
        return out
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in s)


_TOKEN = re.compile(r"[^\W_]+")
_LOWER_CODES = re.escape("".join(sorted(_TCVN3_LOWER)))
_HAS_LOWER_CODE = re.compile(f"[{_LOWER_CODES}]").search
_HAS_ASCII_LOWER = re.compile("[a-z]").search
_HAS_DIGIT = re.compile(r"\d").search
_CAPITALS = re.compile("[A-Z\u00a1-\u00a7]").findall  # capitals in TCVN3 text
# a word of two capitals or more and no small ASCII letter ("CéNG", "UBND", "N§"): only a
# line with one can need capitals restored
_CAPS_WORD = re.compile("(?<![A-Za-z0-9\u00a1-\u00ff])(?=[^A-Z\u00a1-\u00a7\\s]*[A-Z\u00a1-\u00a7]"
                        "[^\\s]*?[A-Z\u00a1-\u00a7])[A-Z0-9\u00a1-\u00ff]{2,}(?![A-Za-z0-9\u00a1-\u00ff])")


def _restore_case(src: str, out: str) -> str:
    """Capitals for TCVN3 words typed in capitals: "CộNG HOà" -> "CỘNG HOÀ".

    Words are runs of letters and digits (in `out`, same positions as `src`). A word with a
    converted small letter and no ASCII small letter is a capitals word when it has two
    capitals ("CộNG", "PHố"). With fewer ("Hà", "xã", "ở", "TẾ") it is ambiguous, and goes
    to capitals when its line has more capitals words than others (1.5 to 1) and the nearest
    clear word on each side is a capitals word or there is none (ambiguous words and a lone
    capital, "Y", "V", are skipped): "UỶ BAN NHÂN DÂN XÃ TÂN AN", "SỞ Y TẾ", "KINH TẾ - XÃ
    HỘI", but "UBND xã Tân An", "- Sở NN&PTNT (b/c);", "Số: 45/KH-UBND" (a number is no
    capitals word).
    """
    chars = None
    pos = 0
    for line in src.split("\n"):
        a, pos = pos, pos + len(line) + 1
        if not _CAPS_WORD.search(line):
            continue
        done = _restore_line(line, out[a:a + len(line)])
        if done is not None:
            if chars is None:
                chars = list(out)
            chars[a:a + len(line)] = done
    return "".join(chars) if chars is not None else out


def _restore_line(src: str, out: str) -> str | None:
    words = []  # (start, end, kind, converted): kind "caps" | "amb" | "one" | "other"
    caps = other = 0
    for m in _TOKEN.finditer(out):
        a, b = m.span()
        orig = src[a:b]
        conv = _HAS_LOWER_CODE(orig) is not None
        if _HAS_ASCII_LOWER(orig) or _HAS_DIGIT(out, a, b):
            kind = "other"
        elif len(_CAPITALS(orig)) >= 2:
            kind = "caps"
        elif conv:
            kind = "amb"
        else:
            kind = "one" if b - a == 1 else "other"
        if kind == "caps":
            caps += 1
        elif kind == "other":
            other += 1
        words.append((a, b, kind, conv))

    def side(k: int, step: int) -> str | None:
        k += step
        while 0 <= k < len(words):
            if words[k][2] in ("caps", "other"):
                return words[k][2]
            k += step
        return None

    chars = None
    for k, (a, b, kind, conv) in enumerate(words):
        if not conv or kind in ("other", "one"):
            continue
        if kind == "amb":
            left, right = side(k, -1), side(k, 1)
            if "other" in (left, right) or left == right is None or caps < 1.5 * other:
                continue
        if chars is None:
            chars = list(out)
        chars[a:b] = _upper(out[a:b])
    return "".join(chars) if chars is not None else None


# ------------------------------------------------------------------ units of a document
def convert_units(texts: list[str], encodings: tuple[str, ...] = (TCVN3, VNI),
                  font_of=None) -> tuple[list[str], dict[str, int]]:
    """The units (lines, blocks) of one page or document, legacy ones converted, and how many
    were converted per encoding.

    The encoding of the whole is the one `detect` finds in all the text, or else the one
    that three units or more show on their own (judged more strictly) and no unit shows the
    other (a page may mix a legacy font and a Unicode one). A unit in that encoding converts
    unless it has Unicode-only letters or shows more of the other encoding. Without one, each
    unit is judged alone. `font_of(i)`, when given, names the font of unit i; it is asked
    only for units that carry a legacy code, and a legacy font decides. Only `encodings` are
    converted (a caller that must keep lengths passes TCVN3 alone).
    """
    out = list(texts)
    counts: dict[str, int] = {}
    hints = [_LEGACY_HINT.search(t) is not None for t in texts]
    if not any(hints):
        return out, counts
    whole = detect("\n".join(texts))
    alone: list[str | None] = [None] * len(texts)
    if whole is None:
        for i, text in enumerate(texts):
            if hints[i]:
                alone[i] = detect(text, min_evidence=2, density=0.15)
        votes = {enc: alone.count(enc) for enc in (TCVN3, VNI)}
        for enc, other in ((TCVN3, VNI), (VNI, TCVN3)):
            if votes[enc] >= 3 and not votes[other]:
                whole = enc
    for i, text in enumerate(texts):
        enc: tuple[str, bool] | None = None
        if font_of is not None and hints[i]:
            enc = font_encoding(font_of(i))
        if enc is None:
            if alone[i] is not None:
                enc = (alone[i], False)
            elif whole is not None:
                if _UNICODE_VI.search(text) or not _has_letter_code(text, whole):
                    continue
                strong, weak, v, _, _ = scores(text)
                if (v > strong + weak) if whole == TCVN3 else (strong + weak > v):
                    continue
                enc = (whole, False)
            else:
                continue
        if enc[0] not in encodings:
            continue
        new = convert_font_text(text, enc)
        if new != text:
            out[i] = new
            counts[enc[0]] = counts.get(enc[0], 0) + 1
    return out, counts


def _has_letter_code(text: str, enc: str) -> bool:
    if enc == TCVN3:
        return any(ord(c) in TCVN3_TO_UNICODE for c in text if c > "\x7f")
    return _VNI_RE.search(text) is not None
