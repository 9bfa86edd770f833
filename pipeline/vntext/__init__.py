"""Vietnamese text helpers shared by every stage.

`fold()` gives the matching form of a text: NFC, lower case, one tone-mark style
("hoà"/"hòa" and "thuỷ"/"thủy" fold alike). It keeps the length of NFC input, so an
offset into the folded text is an offset into the text it came from.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (NFD): grave, acute, hook above, tilde, dot below.
TONES = "\u0300\u0301\u0309\u0303\u0323"
VOWELS = set("aăâeêioôơuưy")
MODIFIED = set("ăâêôơư")  # vowels that carry a shape mark win the tone
_WORD = re.compile(r"[^\W\d_]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _split_tone(ch: str) -> tuple[str, str]:
    """('ồ') -> ('ô', '\u0300'); a letter without tone -> (letter, '')."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
    return base, tone


@lru_cache(maxsize=65536)
def tone_normalize_word(word: str) -> str:
    """Put the tone mark of one syllable where the common (old) style puts it.

    hoà -> hòa, thuỷ -> thủy, qúy -> quý; words that are not one Vietnamese syllable
    with one tone mark are returned unchanged.
    """
    parts = [_split_tone(c) for c in word]
    toned = [i for i, (_, t) in enumerate(parts) if t]
    if len(toned) != 1 or any(len(b) != 1 for b, _ in parts):
        return word
    tone = parts[toned[0]][1]
    bases = [b for b, _ in parts]
    low = [b.lower() for b in bases]
    # the vowel cluster: first run of vowels, after "qu"/"gi" onsets
    i = 0
    while i < len(low) and low[i] not in VOWELS:
        i += 1
    if i == len(low):
        return word
    start = i
    if start > 0 and ((low[start - 1] == "q" and low[start] == "u")
                      or (low[start - 1] == "g" and low[start] == "i")):
        if start + 1 < len(low) and low[start + 1] in VOWELS:
            start += 1
    end = start
    while end < len(low) and low[end] in VOWELS:
        end += 1
    cluster = list(range(start, end))
    coda = end < len(low)
    if any(c in VOWELS for c in low[end:]):
        return word  # vowels after a consonant: not one syllable
    marked = [k for k in cluster if low[k] in MODIFIED]
    if marked:
        pos = marked[-1] if not (len(marked) == 2 and low[marked[0]] == "ư") else marked[1]
    elif len(cluster) == 1:
        pos = cluster[0]
    elif len(cluster) == 3:
        pos = cluster[1]
    elif len(cluster) == 2:
        pos = cluster[1] if coda else cluster[0]
    else:
        return word
    if pos == toned[0]:
        return word
    out = list(bases)
    out[pos] = unicodedata.normalize("NFC", bases[pos] + tone)
    return "".join(out)


# Only words where two tone styles exist (oa, oe, uy with the mark on the second vowel; "qú…")
# can change: find those two-letter cores (rare, and a simple pattern is fast), then take the word.
_CORE = re.compile(r"[oOuU][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ]|[qQ][ùúủũụÙÚỦŨỤ]")


def _is_letter(c: str) -> bool:
    return c.isalpha()


def tone_normalize(text: str) -> str:
    """Apply `tone_normalize_word` to the words of an NFC text that may change; keeps length and layout."""
    out = None
    last_end = -1
    for m in _CORE.finditer(text):
        if m.start() < last_end:
            continue
        a, b = m.start(), m.end()
        while a > 0 and _is_letter(text[a - 1]):
            a -= 1
        while b < len(text) and _is_letter(text[b]):
            b += 1
        last_end = b
        word = text[a:b]
        new = tone_normalize_word(word)
        if new != word:
            if out is None:
                out = list(text)
            out[a:b] = new
    return text if out is None else "".join(out)


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def fold(text: str) -> str:
    """Matching form of an NFC text: one tone style, lower case, same length."""
    return lower_same_length(tone_normalize(text))


_STRIP_MARKS = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    """'Nghị định' -> 'Nghi dinh' (for comparing spellings such as NĐ/ND)."""
    d = unicodedata.normalize("NFD", text.translate(_STRIP_MARKS))
    return "".join(c for c in d if not unicodedata.combining(c))
