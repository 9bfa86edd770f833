"""OCR for PDF pages that have no text layer: the `tesseract` CLI with the Vietnamese model.

Debian packages tesseract-ocr + tesseract-ocr-vie. A page is rendered by pypdfium2 (300 dpi,
grey), handed to tesseract on stdin, and read back as TSV: words with their boxes and
confidence, grouped by tesseract into blocks, paragraphs and lines. Layout (header columns,
paragraphs) is left to the PDF reader, which knows the header anchors.

`OMP_THREAD_LIMIT=1`: with tesseract's default OpenMP threads a page took 4.6–6.6 s instead
of ~1 s (PLATFORM-NOTES §4). Each page has its own time limit; a page over it is reported
as failed, the other pages go on.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field

LANG = "vie"
# 200 dpi, not the usual 300: tesseract's Vietnamese model reads 12–14 pt text better at
# that size. Measured on the corpus PDFs rendered to images (27 pages): 51 wrong words at
# 200 dpi against 99 at 300, most of the difference being tone marks added at 300 ("dân"
# read "dần", "lấy" read "lẫy"). Small print is read again at HIGH_DPI.
DPI = 200
HIGH_DPI = 300
SMALL_TEXT = 20  # px: median word height at DPI under which the page is read at HIGH_DPI
PAGE_TIMEOUT = 60.0  # seconds per page
MAX_PIXELS = 40_000_000  # a huge page is rendered at a lower resolution (A3 at 300 dpi: 17 M)
PSM = "3"  # automatic page segmentation: finds the columns of a header or signature table

_status: tuple[str | None, str | None] | None = None


class OcrError(Exception):
    """One page could not be OCR'd (time limit, tesseract error)."""


def status() -> tuple[str | None, str | None]:
    """(engine, None) when OCR can run, e.g. ("tesseract 5.3.0 vie", None); else (None, why)."""
    global _status
    if _status is None:
        _status = _probe()
    return _status


def reset() -> None:
    """Forget the cached probe (tests; a package installed while the process runs)."""
    global _status
    _status = None


def _probe() -> tuple[str | None, str | None]:
    exe = shutil.which("tesseract")
    if exe is None:
        return None, "tesseract is not installed"
    try:
        ver = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20,
                             env=_env(), check=False)
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20,
                               env=_env(), check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"tesseract does not run: {exc}"
    if LANG not in (langs.stdout + langs.stderr).split():
        return None, f"the Vietnamese model ({LANG}.traineddata) of tesseract is not installed"
    m = re.search(r"tesseract\s+v?(\d[\w.\-]*)", ver.stdout + ver.stderr)
    return f"tesseract {m.group(1) if m else '?'} {LANG}", None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


# --------------------------------------------------------------------------- results
@dataclass
class Word:
    text: str
    left: int  # pixels, y down
    top: int
    right: int
    bottom: int
    conf: float


@dataclass
class Line:
    block: int  # tesseract's block and paragraph numbers (a paragraph never spans blocks)
    par: int
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)


@dataclass
class Page:
    lines: list[Line]
    width: int  # pixels
    height: int
    scale: float  # pixels per PDF point
    confidence: float | None  # mean word confidence, 0–100
    seconds: float

    def word_height(self) -> float:
        """Median word height in pixels (the text size, roughly)."""
        hs = [w.bottom - w.top for ln in self.lines for w in ln.words if len(w.text) > 1]
        return float(statistics.median(hs)) if hs else 12.0 * self.scale


def read_page(page, timeout: float | None = None) -> Page:
    """OCR of one pypdfium2 page: at DPI, or at HIGH_DPI when its print is small."""
    timeout = PAGE_TIMEOUT if timeout is None else timeout
    image, scale = render(page)
    result = recognize(image, scale, timeout)
    if result.lines and result.word_height() < SMALL_TEXT and DPI < HIGH_DPI:
        image, scale2 = render(page, HIGH_DPI)
        if scale2 > scale:
            again = recognize(image, scale2, timeout)
            again.seconds = round(again.seconds + result.seconds, 2)
            result = again
    return result


def render(page, dpi: int | None = None) -> tuple[object, float]:
    """The page as a grey PIL image at `dpi` (less for a huge page), and pixels per point."""
    w, h = page.get_size()
    scale = (dpi or DPI) / 72
    if w * h * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (w * h)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return bitmap.to_pil(), scale
    finally:
        bitmap.close()


def recognize(image, scale: float, timeout: float | None = None) -> Page:
    """Words of one page image; raises OcrError on a time-out or a tesseract failure."""
    timeout = PAGE_TIMEOUT if timeout is None else timeout
    engine, why = status()
    if engine is None:
        raise OcrError(why or "OCR unavailable")
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    cmd = [shutil.which("tesseract") or "tesseract", "stdin", "stdout", "-l", LANG,
           "--psm", PSM, "--dpi", str(round(scale * 72)), "tsv"]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=timeout,
                              env=_env(), check=False)
    except subprocess.TimeoutExpired as exc:  # run() has killed tesseract
        raise OcrError(f"timeout after {timeout:g} s") from exc
    except OSError as exc:
        raise OcrError(str(exc)) from exc
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract exit {proc.returncode}: {err[-1] if err else ''}")
    lines = parse_tsv(proc.stdout.decode("utf-8", "replace"))
    confs = [w.conf for ln in lines for w in ln.words if w.conf >= 0]
    return Page(lines=lines, width=image.width, height=image.height, scale=scale,
                confidence=round(statistics.fmean(confs), 1) if confs else None,
                seconds=round(seconds, 2))


def parse_tsv(tsv: str) -> list[Line]:
    """Lines of words in tesseract's reading order (level-5 rows of its TSV output)."""
    lines: dict[tuple[int, int, int, int], Line] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        text = f[11].strip()
        if not text:
            continue
        try:
            page, block, par, line = int(f[1]), int(f[2]), int(f[3]), int(f[4])
            left, top, width, height = int(f[6]), int(f[7]), int(f[8]), int(f[9])
            conf = float(f[10])
        except ValueError:
            continue
        key = (page, block, par, line)
        ln = lines.get(key)
        if ln is None:
            ln = lines[key] = Line(block=block, par=par)
        ln.words.append(Word(text, left, top, left + width, top + height, conf))
    return list(lines.values())


def segments(line: Line, gap: float) -> list[list[Word]]:
    """The line cut where words stand more than `gap` pixels apart: tesseract reads a
    two-column header or signature row as one line ("UBND XÃ TÂN AN  Độc lập - ...")."""
    out: list[list[Word]] = [[line.words[0]]]
    for a, b in zip(line.words, line.words[1:]):
        if b.left - a.right > gap:
            out.append([])
        out[-1].append(b)
    return out


# --------------------------------------------------------------------------- clean-up
# Confusions of tesseract's Vietnamese model that no Vietnamese text has, fixed in place:
# the Icelandic eth for Đ (also doubled: "QĐÐ-SNV"), a tone mark added to "dân" / "lấy" in
# word pairs that only exist without it, and a roman heading number read as H, l or T
# ("HI. TỔ CHỨC THỰC HIỆN"), "c)" read "©)".
_ETH = re.compile("Đ?Ð|ÐĐ")
_PAIRS = {
    "dần chủ": "dân chủ", "dần cư": "dân cư", "dần sự": "dân sự", "dần tộc": "dân tộc",
    "dần số": "dân số", "dần quân": "dân quân", "dần vận": "dân vận", "dần sinh": "dân sinh",
    "nhần dân": "nhân dân", "nhân dần": "nhân dân", "nhần dần": "nhân dân",
    "công dần": "công dân", "người dần": "người dân", "lẫy ý": "lấy ý",
}
# ("giảm dần, chủ yếu", "dần chủ động" are Vietnamese: "chủ" then one of these keeps "dần")
_PAIR = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _PAIRS)) + r")(?!\w)"
                   r"(?<!chủ(?=\s(?:yếu|động|trì|quan|đạo|lực|thể|đề|trương)\b))", re.IGNORECASE)
_ROMAN_MISREAD = {"H": "II", "HI": "III", "IH": "III", "HII": "III", "IIH": "III", "Il": "II",
                  "lI": "II", "ll": "II", "lll": "III", "TV": "IV", "TII": "III", "VH": "VII",
                  "VHI": "VIII", "XH": "XII", "Xl": "XI"}
_ROMAN_HEAD = re.compile(r"^(" + "|".join(sorted(_ROMAN_MISREAD, key=len, reverse=True))
                         + r")\.(?=\s+[^\W\d_]{2,}\b)")


def clean(text: str) -> str:
    text = _ETH.sub("Đ", text).replace("ð", "đ")
    text = _PAIR.sub(_fix_pair, text)
    if text.startswith("©)"):
        text = "c" + text[1:]  # "c)" read as the copyright sign
    m = _ROMAN_HEAD.match(text)
    if m is not None:
        word = text[m.end():].split(None, 1)[0]
        if word.isupper():  # a section heading is set in capitals
            text = _ROMAN_MISREAD[m.group(1)] + text[m.end(1):]
    return text


def _fix_pair(m: re.Match) -> str:
    found = m.group(0)
    fixed = _PAIRS[found.lower()]
    if found.isupper():
        return fixed.upper()
    return fixed[0].upper() + fixed[1:] if found[0].isupper() else fixed
