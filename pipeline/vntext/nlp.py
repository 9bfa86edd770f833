"""spaCy over Vietnamese syllables, with a folded NORM so phrase matching ignores case and tone style.

A blank `vi` pipeline with pyvi off (no model, nothing downloaded). Tokens are syllables and
punctuation from our own regex, so "59/2023/NĐ-CP"-style strings never matter here: the
matcher works on words. `PhraseMatcher(attr="NORM")` then matches "Ủy ban", "UỶ BAN" and
"uỷ ban" alike.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.vntext import fold

TOKEN = re.compile(r"\w+|[^\w\s]")


@lru_cache(maxsize=1)
def vocab():
    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.vi.VietnameseTokenizer",
                                                          "use_pyvi": False}}})
    return nlp.vocab


def make_doc(text: str):
    """A Doc over `text` (NFC) whose token offsets are offsets into `text`; NORM = folded form."""
    from spacy.tokens import Doc

    words, spaces = [], []
    matches = list(TOKEN.finditer(text))
    for i, m in enumerate(matches):
        words.append(m.group())
        nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        spaces.append(nxt > m.end() and text[m.end()] == " ")
    doc = Doc(vocab(), words=words, spaces=spaces)
    folded = fold(text)
    for tok, m in zip(doc, matches):
        tok.norm_ = folded[m.start():m.end()]
    return doc, [m.start() for m in matches]


class PhraseIndex:
    """Many cue phrases, matched in one pass over a document."""

    def __init__(self, phrases):
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(vocab(), attr="NORM")
        self.phrases = sorted(set(phrases))
        self.keys = {}
        for phrase in self.phrases:
            key = vocab().strings.add(phrase)
            self.keys[key] = phrase
            doc, _ = make_doc(phrase)
            self.matcher.add(phrase, [doc])

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(phrase, start, end) character spans of every cue found in `text`."""
        doc, starts = make_doc(text)
        out = []
        for key, s, e in self.matcher(doc):
            last = doc[e - 1]
            out.append((self.keys[key], starts[s], starts[e - 1] + len(last.text)))
        return out

    def find_folded(self, folded: str) -> list[tuple[str, int, int]]:
        """Like `find`, for text that is already folded (the normalize stage's `fold`)."""
        from spacy.tokens import Doc

        matches = list(TOKEN.finditer(folded))
        doc = Doc(vocab(), words=[m.group() for m in matches], spaces=[False] * len(matches))
        out = []
        for key, s, e in self.matcher(doc):
            out.append((self.keys[key], matches[s].start(), matches[e - 1].end()))
        return out
