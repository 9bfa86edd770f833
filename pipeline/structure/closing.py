"""Closing: Nơi nhận (recipients) and the signature block."""
from __future__ import annotations

import re

from pipeline.model import Closing, Signer
from pipeline.structure.lines import Line

AUTHORITY = re.compile(r"^(tm|kt|q|tl|tuq|t/m|k/t|t\.m|k\.t)\s*[.:]?\s+(.+)$")
CANONICAL_AUTHORITY = {"tm": "TM.", "t/m": "TM.", "t.m": "TM.", "kt": "KT.", "k/t": "KT.",
                       "k.t": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."}
SIGNED = re.compile(r"^[(\[]?\s*(đã ký|ký|đã kí|kí|ký tên|đóng dấu|chữ ký|daky)[^)\]]*[)\]]?$")
RECIPIENTS = re.compile(r"^nơi\s*nhận\s*:?\s*(.*)$")
BULLET = re.compile(r"^\s*[-–—+•*]\s*")


def is_authority(line: Line) -> bool:
    return bool(AUTHORITY.match(line.fold)) and line.is_upper


def is_name(line: Line) -> bool:
    """A person's name as signatures give it: 2-6 capitalised words, not all in capitals."""
    words = line.text.strip().split()
    if not 2 <= len(words) <= 6 or line.is_upper:
        return False
    return all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def is_signature_line(line: Line) -> bool:
    """A line that can belong to a signature block."""
    if is_authority(line) or SIGNED.match(line.fold.strip()):
        return True
    if line.is_upper and len(line.text.split()) <= 10 and not line.text.rstrip().endswith((".", ";", ":")):
        return True
    return is_name(line)


def find_closing_start(lines: list[Line], body_start: int) -> int:
    """Index (into `lines`) where the closing begins; len(lines) when there is none."""
    for i in range(len(lines) - 1, body_start - 1, -1):
        if RECIPIENTS.match(lines[i].fold):
            j = i
            while j - 1 >= body_start and is_signature_line(lines[j - 1]) and (
                    any(is_authority(x) or is_name(x) for x in lines[j - 1:i])):
                j -= 1
            # the signer block above "Nơi nhận" needs a name or an authority to count
            return j if any(is_authority(x) or is_name(x) for x in lines[j:i]) else i
    # no recipients: a trailing signature block (title line(s) and a name)
    j = len(lines)
    while j - 1 >= body_start and is_signature_line(lines[j - 1]) and not lines[j - 1].fold.startswith(("điều", "chương")):
        j -= 1
    block = lines[j:]
    if block and any(is_name(x) for x in block) and any(x.is_upper for x in block):
        return j
    return len(lines)


def clean_recipient(text: str) -> str:
    text = BULLET.sub("", text).strip()
    return text.rstrip(" ;,.").strip()


def parse_closing(lines: list[Line]) -> Closing:
    closing = Closing()
    signer_lines: list[Line] = []
    in_recipients = False
    open_item = False  # the last recipient line did not end with ";" or "."
    for line in lines:
        m = RECIPIENTS.match(line.fold)
        if m:
            in_recipients = True
            rest = line.text[m.start(1):].strip() if m.group(1) else ""
            if rest:
                closing.recipients.append(rest)
            continue
        if in_recipients and (BULLET.match(line.text) or line.fold.startswith("lưu")):
            closing.recipients.append(line.text)
            open_item = not line.text.rstrip().endswith((";", "."))
            continue
        if in_recipients and closing.recipients and open_item and not is_authority(line) \
                and not line.is_upper:
            # a recipient wrapped onto the next paragraph
            closing.recipients[-1] = closing.recipients[-1].rstrip() + " " + line.text.strip()
            open_item = not line.text.rstrip().endswith((";", "."))
            continue
        in_recipients = False
        signer_lines.append(line)
    closing.recipients = [r for r in map(clean_recipient, closing.recipients) if r]
    closing.signer = parse_signer(signer_lines)
    return closing


def parse_signer(lines: list[Line]) -> Signer:
    signer = Signer()
    title_after = 0
    for i, line in enumerate(lines):
        m = AUTHORITY.match(line.fold)
        if m and line.is_upper:
            key = m.group(1)
            signer.authority = CANONICAL_AUTHORITY.get(key, key.upper() + ".")
            rest = line.text[m.start(2):].strip()
            if key in ("tm", "t/m", "t.m") and signer.body is None:
                signer.body = rest
            signer.title = rest if key not in ("tm", "t/m", "t.m") else signer.title
            title_after = i + 1
    for line in lines[title_after:]:
        if SIGNED.match(line.fold.strip()):
            continue
        if line.is_upper:
            signer.title = line.text.strip()
            break
        if is_name(line):
            break
    names = [x for x in lines[title_after:] if is_name(x)]
    if names:
        signer.name = names[0].text.strip()
    return signer
