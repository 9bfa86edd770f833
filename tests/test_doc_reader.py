"""Word 97–2003 .doc, converted by LibreOffice and read by the DOCX reader.

The real files are read where they are (shared/real-docs), never copied. The expected
header of each was read by converting it to plain text with LibreOffice and looking.
"""
import os
import struct
import subprocess
import sys
import time

import pytest

from conftest import REAL_DOCS, require_tool
from pipeline.api import parse_bytes, parse_file
from pipeline.ingest import doc_reader, read_bytes
from pipeline.messages import message
from pipeline.model import ReadError

# read from each file converted to plain text by LibreOffice (see the module docstring)
EXPECTED = {
    "101_2025_UBTVQH15_678562.doc": ("Nghị quyết", "101/2025/UBTVQH15", "101", (2025, 9, 26)),
    "83_2025_QH15_663780.doc": ("Luật", "83/2025/QH15", "83", (2025, 6, 24)),
    "99_2025_NQ-HDND_685704.doc": ("Nghị quyết", "99/2025/NQ-HĐND", "99", (2025, 12, 16)),
}

@pytest.fixture(scope="module")
def soffice():
    return require_tool("soffice")


@pytest.fixture(scope="module")
def parsed(soffice):
    docs = sorted(p for p in REAL_DOCS.iterdir() if p.suffix == ".doc")
    assert [p.name for p in docs] == sorted(EXPECTED)
    return {p.name: parse_file(p) for p in docs}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_doc_header(parsed, name):
    doc = parsed[name]
    doc_type, reference, number, (y, m, d) = EXPECTED[name]
    assert doc.format == "doc"
    assert doc.quality["converted_from"] == "doc" and doc.quality["converter"] == "libreoffice"
    assert doc.header.doc_type == doc_type
    assert (doc.header.date.year, doc.header.date.month, doc.header.date.day) == (y, m, d)
    assert doc.header.motto is True
    # laws and resolutions number themselves "Luật số: 83/2025/QH15", "Nghị quyết số: …"
    assert doc.header.reference == reference and doc.header.number == number


def test_real_doc_body_survives_conversion(parsed):
    doc = parsed["99_2025_NQ-HDND_685704.doc"]
    assert doc.header.issuer == ["HỘI ĐỒNG NHÂN DÂN", "TỈNH QUẢNG NINH"]
    assert doc.header.place == "Quảng Ninh"
    assert len(doc.legal_bases) >= 5
    assert any(c.reference == "83/2025/QH15" for b in doc.legal_bases for c in b.citations)
    assert doc.closing.signer.name == "Trịnh Thị Minh Thanh"
    law = parsed["83_2025_QH15_663780.doc"]
    texts = [b.block.text for b in law.norm.blocks]
    assert texts.count("Điều 2. Hiệu lực thi hành") == 1
    assert law.outline[0].kind == "dieu" and law.outline[0].label == "1"


def test_random_bytes_with_ole_magic(soffice):
    import random
    data = doc_reader.OLE_MAGIC + random.Random(7).randbytes(6000)
    t0 = time.monotonic()
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.doc", ".doc")
    assert err.value.code == "corrupt_doc"
    assert time.monotonic() - t0 < doc_reader.TIMEOUT
    # LibreOffice would read it as plain text if the import filter were not named
    for lang in ("vi", "en"):
        assert "DOC" in message("corrupt_doc", lang)


def test_truncated_doc(soffice):
    data = (REAL_DOCS / "99_2025_NQ-HDND_685704.doc").read_bytes()[:3000]
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.doc", ".doc")
    assert err.value.code == "corrupt_doc"


def test_not_ole_under_doc_name():
    with pytest.raises(ReadError) as err:
        doc_reader.read_doc(b"just some bytes, not a Word file")
    assert err.value.code == "corrupt_doc"


def _ole(names: list[str]) -> bytes:
    """A minimal compound file: header, one FAT sector, one directory sector."""
    header = bytearray(512)
    header[:8] = doc_reader.OLE_MAGIC
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, shift
    struct.pack_into("<H", header, 32, 6)  # mini sector shift
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for k in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * k, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    directory = bytearray(512)
    for k, name in enumerate(["Root Entry", *names]):
        raw = name.encode("utf-16-le")
        directory[128 * k:128 * k + len(raw)] = raw
        struct.pack_into("<HB", directory, 128 * k + 64, len(raw) + 2, 5 if k == 0 else 2)
    return bytes(header + fat + directory)


def test_encrypted_ooxml_in_ole():
    data = _ole(["EncryptionInfo", "EncryptedPackage"])
    with pytest.raises(ReadError) as err:
        read_bytes(data, "secret.doc", ".doc")
    assert err.value.code == "encrypted_office"
    with pytest.raises(ReadError) as err:  # the same bytes named .docx: sniffed as OLE
        read_bytes(data, "secret.docx", ".docx")
    assert err.value.code == "encrypted_office"
    assert "mật khẩu" in message("encrypted_office", "vi")
    assert "password" in message("encrypted_office", "en")


def test_encryption_words_in_text_are_not_a_directory_entry():
    # the name at an offset that is not a directory entry's start
    data = _ole(["WordDocument"]) + b"\x00" * 7 + "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    assert doc_reader._encrypted_ooxml(data) is False
    assert doc_reader._encrypted_ooxml(_ole(["EncryptedPackage"])) is True


def test_password_protected_word97():
    """The FIB's fEncrypted flag set on a real file (in memory): refused before LibreOffice."""
    data = bytearray((REAL_DOCS / "99_2025_NQ-HDND_685704.doc").read_bytes())
    nfib, flags = doc_reader._fib(bytes(data))
    assert nfib >= 193 and not flags & 0x0100
    # find the WordDocument stream as the reader does, and set the flag
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    base = (struct.unpack_from("<I", data, 48)[0] + 1) * size
    for k in range(size // 128):
        if data[base + 128 * k:base + 128 * k + 24] == "WordDocument".encode("utf-16-le"):
            off = (struct.unpack_from("<I", data, base + 128 * k + 116)[0] + 1) * size
            struct.pack_into("<H", data, off + 10, flags | 0x0100)
            break
    else:
        pytest.fail("no WordDocument entry")
    with pytest.raises(ReadError) as err:
        doc_reader.read_doc(bytes(data))
    assert err.value.code == "encrypted_office"


def test_converter_missing(monkeypatch):
    monkeypatch.setattr(doc_reader, "converter", lambda: None)
    data = (REAL_DOCS / "99_2025_NQ-HDND_685704.doc").read_bytes()
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.doc", ".doc")
    assert err.value.code == "doc_converter_missing"
    assert "LibreOffice" in message("doc_converter_missing", "vi")
    assert "LibreOffice is not installed" in message("doc_converter_missing", "en")


def test_cli_without_libreoffice(tmp_path):
    doc = REAL_DOCS / "99_2025_NQ-HDND_685704.doc"
    env = dict(os.environ, PATH=str(tmp_path))  # neither soffice nor libreoffice on the PATH
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(doc), "--lang", "en"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and str(doc) in lines[0] and "LibreOffice is not installed" in lines[0]


def test_conversion_timeout_kills_the_process_group(soffice, monkeypatch):
    started = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(doc_reader.subprocess, "Popen", popen)
    monkeypatch.setattr(doc_reader, "TIMEOUT", 0.05)  # soffice needs ~1 s to start
    data = (REAL_DOCS / "99_2025_NQ-HDND_685704.doc").read_bytes()
    with pytest.raises(ReadError) as err:
        read_bytes(data, "x.doc", ".doc")
    assert err.value.code == "doc_conversion_timeout"
    assert "LibreOffice" in message("doc_conversion_timeout", "en")
    (proc,) = started
    assert proc.returncode is not None  # the leader is reaped
    deadline = time.monotonic() + 5
    while True:  # and nothing is left in its group
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "soffice processes left running"
        time.sleep(0.1)


def test_rtf_under_doc_name(soffice):
    rtf = (rb"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0 Times New Roman;}}"
           rb"\f0 \u7910?Y BAN NH\u194?N D\u194?N\par X\u195? T\u194?N AN\par "
           rb"C\u7896?NG H\u210?A X\u195? H\u7896?I CH\u7910? NGH\u296?A VI\u7878?T NAM\par "
           rb"\u272?\u7897?c l\u7853?p - T\u7921? do - H\u7841?nh ph\u250?c\par "
           rb"S\u7889?: 12/KH-UBND\par T\u226?n An, ng\u224?y 05 th\u225?ng 3 n\u259?m 2025\par "
           rb"K\u7870? HO\u7840?CH\par Th\u7921?c hi\u7879?n d\u226?n ch\u7911?\par}")
    doc = parse_bytes(rtf, "kh.doc", ".doc")
    assert doc.quality["converted_from"] == "rtf"
    assert doc.header.reference == "12/KH-UBND" and doc.header.doc_type == "Kế hoạch"
    assert (doc.header.date.year, doc.header.date.month, doc.header.date.day) == (2025, 3, 5)
