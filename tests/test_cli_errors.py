"""Unreadable or unsupported inputs: one clear line naming the file, exit code 2, no traceback."""
import json
import os
import subprocess
import sys

import pytest

from conftest import REAL_DOCS, SEED


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("name,content,needle_vi,needle_en", [
    ("empty.txt", b"", "tệp rỗng", "the file is empty"),
    ("blank.txt", b"   \n\n  ", "tệp rỗng", "the file is empty"),
    ("binary.txt", bytes(range(256)) * 4, "không phải tệp văn bản", "not a text file"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "không được hỗ trợ", "unsupported"),
    ("broken.docx", b"PK\x03\x04garbage-not-a-zip", "DOCX", "DOCX"),
    ("broken.pdf", b"%PDF-1.7\n garbage", "PDF", "PDF"),
])
def test_bad_file_gives_one_line_and_exit_2(tmp_path, name, content, needle_vi, needle_en):
    f = tmp_path / name
    f.write_bytes(content)
    for lang, needle in (("vi", needle_vi), ("en", needle_en)):
        r = run("parse", f, "--lang", lang)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        lines = [x for x in r.stderr.splitlines() if x.strip()]
        assert len(lines) == 1 and str(f) in lines[0] and needle in lines[0], r.stderr


def test_missing_file(tmp_path):
    r = run("parse", tmp_path / "nope.txt")
    assert r.returncode == 2 and "không tìm thấy tệp" in r.stderr and "Traceback" not in r.stderr


def test_doc_is_not_yet_supported():
    # (name kept from when .doc was refused) a Word 97-2003 file now parses via LibreOffice
    from conftest import require_tool
    require_tool("soffice")
    doc = REAL_DOCS / "99_2025_NQ-HDND_685704.doc"
    r = run("parse", doc, "--lang", "en", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["format"] == "doc" and data["header"]["reference"] == "99/2025/NQ-HĐND"
    assert data["quality"]["converted_from"] == "doc"


def test_batch_goes_on_and_counts_every_input(tmp_path):
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(b"")
    os.symlink(tmp_path / "a.txt", tmp_path / "c.txt")
    out = tmp_path / "out"
    r = run("parse", tmp_path, "--format", "json", "--out", out)
    assert r.returncode == 2
    assert "b.txt" in r.stderr and "c.txt" in r.stderr and "liên kết" in r.stderr
    assert "Tổng: 3 tệp, đọc được 1, lỗi 2" in r.stderr
    data = json.loads((out / "a.txt.json").read_text(encoding="utf-8"))
    assert data["header"]["reference"] == "56/KH-UBND"


def test_usage_error_exit_2():
    assert run("parse").returncode == 2
    assert run("frobnicate").returncode == 2


def test_utf16_and_bom_text(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    for enc, name in (("utf-16", "u16.txt"), ("utf-8-sig", "bom.txt")):
        f = tmp_path / name
        f.write_bytes(text.encode(enc))
        r = run("parse", f, "--format", "json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["header"]["title"] == "THỰC HIỆN DÂN CHỦ Ở CƠ SỞ TỈNH QUẢNG NINH NĂM 2024"


def test_nfd_text_parses_like_nfc(tmp_path):
    import unicodedata
    text = unicodedata.normalize("NFD", SEED.read_text(encoding="utf-8"))
    f = tmp_path / unicodedata.normalize("NFD", "kế hoạch nfd.txt")
    f.write_text(text, encoding="utf-8")
    r = run("parse", f, "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["header"]["issuer"] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]
    assert data["legal_bases"][1]["citations"][0]["reference"] == "59/2023/NĐ-CP"
    assert data["quality"]["nfc_recomposed_blocks"] > 0
    # offsets point into the NFD original
    loc = data["legal_bases"][1]["location"]
    line = text.split("\n")[loc["block"]]
    assert unicodedata.normalize("NFC", line[loc["start"]:loc["end"]]) == data["legal_bases"][1]["text"]


def test_main_in_process_leaves_sigpipe_as_it_was():
    """Regression: main() set SIGPIPE to its default for good, so a test suite that called it in-process was
    killed (exit 141) by the next write to the pipe of a worker it had replaced."""
    import signal

    from pipeline.cli import main

    before = signal.getsignal(signal.SIGPIPE)
    assert main(["rules", "list", "--format", "json"]) == 0
    assert signal.getsignal(signal.SIGPIPE) == before
