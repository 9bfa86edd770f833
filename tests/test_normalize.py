"""Normalization: NFC, tone-mark folding, white space, and offsets back to the original."""
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SEED
from pipeline.normalize import normalize_text
from pipeline.vntext import fold, tone_normalize, tone_normalize_word


@pytest.mark.parametrize("old,new", [
    ("hoà", "hòa"), ("Hoà", "Hòa"), ("HOÀ", "HÒA"), ("thuỷ", "thủy"), ("Uỷ", "Ủy"), ("qúy", "quý"),
    ("khoẻ", "khỏe"), ("xoá", "xóa"), ("thoả", "thỏa"), ("loè", "lòe"), ("tuỳ", "tùy"),
])
def test_old_and_new_tone_styles_fold_alike(old, new):
    assert tone_normalize_word(old) == new
    assert fold(old) == fold(new) == new.lower()


@pytest.mark.parametrize("word", ["hoàng", "quyết", "người", "nghĩa", "giữ", "gìn", "thuở", "khuya",
                                  "chuyện", "Quảng", "hướng", "luật", "NĐ-CP", "COVID", "abcà"])
def test_words_already_canonical_or_foreign_are_unchanged(word):
    assert tone_normalize(word) == word


def test_tone_folding_agrees_with_underthesea_on_corpus_words():
    """underthesea's token_normalize is an independent reference for tone placement."""
    from underthesea.pipeline.text_normalize import token_normalize
    import re
    words = set()
    for f in [SEED, *CORPUS.glob("*.txt")]:
        words.update(re.findall(r"[^\W\d_]+", f.read_text(encoding="utf-8")))
    old_style = {w.replace("òa", "oà").replace("óa", "oá").replace("ủy", "uỷ").replace("ùy", "uỳ") for w in words}
    disagreements = [w for w in sorted(words | old_style)
                     if tone_normalize_word(w).lower() != token_normalize(w).lower()]
    assert disagreements == []


def test_whitespace_and_invisible_characters():
    text, offsets = normalize_text("  Căn\u00a0cứ\u200b  Luật\t;\r\n  tiếp ")
    assert text == "Căn cứ Luật ;\ntiếp"
    assert len(offsets) == len(text) + 1


def test_nfd_is_recomposed_and_offsets_point_into_the_original():
    original = unicodedata.normalize("NFD", "Quảng Ninh, ngày 26 tháng 02 năm 2024")
    text, offsets = normalize_text(original)
    assert text == "Quảng Ninh, ngày 26 tháng 02 năm 2024"
    i = text.index("ngày")
    assert unicodedata.normalize("NFC", original[offsets[i]:offsets[i + 4]]) == "ngày"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâeêioôơuưy đĐ\t\n\u00a0\u200b.,;-/0123456789"
                                             "\u0300\u0301\u0303\u0309\u0323AĂÂHQNG")), max_size=80))
def test_offsets_map_every_normalized_character_back(raw):
    text, offsets = normalize_text(raw)
    assert len(offsets) == len(text) + 1
    assert offsets == sorted(offsets)
    # characters sharing a source offset came from one source cluster (a base and its marks)
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and offsets[j] == offsets[i]:
            j += 1
        src = raw[offsets[i]:offsets[j]].replace("\u200b", "")
        if text[i] in " \n":
            assert src.isspace()
        else:
            assert unicodedata.normalize("NFC", src) == text[i:j]
        i = j
    assert len(fold(text)) == len(text)
