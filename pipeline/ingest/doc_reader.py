"""Word 97–2003 `.doc`: converted to DOCX by LibreOffice (headless), then read by the DOCX reader.

Each conversion runs in its own temporary directory with its own LibreOffice profile: two
conversions sharing a profile can silently write nothing (PLATFORM-NOTES §5). The process
group is killed when the conversion runs over its time limit. LibreOffice keeps Word's
automatic numbering as numPr, so the DOCX reader rebuilds the labels as for any DOCX.

The OLE container (magic D0 CF 11 E0) is also what a password-protected OOXML file (.docx,
.xlsx) is wrapped in: its streams are "EncryptionInfo" and "EncryptedPackage". That, and a
Word file's own password flag (fEncrypted in the FIB), are checked before LibreOffice is
started, which would only fail on them. An RTF file saved under a .doc name is converted too.
"""
from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from pipeline.ingest.docx_reader import read_docx
from pipeline.ingest.registry import register
from pipeline.model import Block, ReadError

TIMEOUT = 120.0  # seconds for one conversion
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def converter() -> str | None:
    """Path of LibreOffice's `soffice`, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@register("doc", ".doc")
def read_doc(data: bytes) -> tuple[list[Block], dict]:
    if data.lstrip()[:5] == b"{\\rtf":  # RTF saved under a .doc name, as portals often serve
        return _converted(data, "Rich Text Format", "rtf")
    if not data.startswith(OLE_MAGIC):
        raise ReadError("corrupt_doc", "not an OLE compound file")
    if _encrypted_ooxml(data):
        raise ReadError("encrypted_office")
    fib = _fib(data)
    if fib is not None and fib[1] & 0x0100:  # fEncrypted
        raise ReadError("encrypted_office")
    # The import filter is named: left to guess, LibreOffice reads a damaged file as plain
    # text and "converts" its bytes. Word 6/95 (nFib < 193) has a filter of its own.
    word95 = fib is not None and fib[0] < 193
    return _converted(data, "MS Word 95" if word95 else "MS Word 97", "doc")


def _converted(data: bytes, infilter: str, source: str) -> tuple[list[Block], dict]:
    exe = converter()
    if exe is None:
        raise ReadError("doc_converter_missing")
    docx = convert(data, exe, infilter=infilter)
    try:
        blocks, quality = read_docx(docx)
    except ReadError as exc:  # LibreOffice wrote a package the DOCX reader refuses
        raise ReadError("corrupt_doc", f"{exc.code}: {exc.detail}") from exc
    quality = dict(quality)
    quality.update({"converted_from": source, "converter": "libreoffice"})
    return blocks, quality


def convert(data: bytes, exe: str, timeout: float | None = None, infilter: str = "MS Word 97") -> bytes:
    """The .doc as DOCX bytes; ReadError on a time-out or a failed conversion."""
    timeout = TIMEOUT if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="dccs-doc-") as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / "in.doc"
        src.write_bytes(data)
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        cmd = [exe, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
               "--nolockcheck", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
               f"--infilter={infilter}", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(out_dir), str(src)]
        env = dict(os.environ)
        env["HOME"] = tmp  # LibreOffice may write under $HOME besides its profile
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=tmp, env=env,
                                    start_new_session=True)
        except OSError as exc:
            raise ReadError("doc_converter_missing", str(exc)) from exc
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise ReadError("doc_conversion_timeout", f"{timeout:g} s") from exc
        except BaseException:
            _kill_group(proc)
            raise
        result = out_dir / "in.docx"
        if not result.is_file() or result.stat().st_size == 0:
            msg = (err or out or b"").decode("utf-8", "replace").strip().splitlines()
            detail = msg[-1] if msg else f"exit {proc.returncode}"
            if "password" in detail.lower():
                raise ReadError("encrypted_office", detail)
            raise ReadError("corrupt_doc", detail)
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the conversion's process group (soffice starts soffice.bin under it), while its
    leader is still running, so the group id is still the one this call started."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass


def _encrypted_ooxml(data: bytes) -> bool:
    """An encrypted OOXML package: its OLE directory names the "EncryptedPackage" stream.

    The directory usually sits in the first sectors, but a writer may put it anywhere, so
    the whole file is searched (a few ms at the largest size accepted) for the name where a
    directory entry starts (a multiple of 128 bytes), ended by a NUL character: the same
    words in a document's UTF-16 text do not count."""
    for name in _ENCRYPTED_STREAMS:
        pos = data.find(name)
        while pos >= 0:
            if pos % 128 == 0 and data[pos + len(name):pos + len(name) + 2] == b"\0\0":
                return True
            pos = data.find(name, pos + 1)
    return False


def _fib(data: bytes) -> tuple[int, int] | None:
    """(nFib, flags) from the start of the "WordDocument" stream, found through the OLE
    directory's first sector (where Word lists it); None on any surprise."""
    try:
        return _read_fib(data)
    except (IndexError, ValueError, struct.error):
        return None


def _read_fib(data: bytes) -> tuple[int, int] | None:
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    if size not in (512, 4096):
        return None
    dir_start = struct.unpack_from("<I", data, 48)[0]
    mini_cutoff = struct.unpack_from("<I", data, 56)[0]
    name = "WordDocument".encode("utf-16-le")
    base = (dir_start + 1) * size
    for k in range(size // 128):
        entry = data[base + 128 * k: base + 128 * (k + 1)]
        if len(entry) < 128:
            break
        n = struct.unpack_from("<H", entry, 64)[0]
        if n == len(name) + 2 and entry[:n - 2] == name and entry[66] == 2:  # a stream
            start = struct.unpack_from("<I", entry, 116)[0]
            length = struct.unpack_from("<I", entry, 120)[0]
            if length < mini_cutoff:
                return None  # (in the mini stream: never so for a real document)
            off = (start + 1) * size
            ident, nfib = struct.unpack_from("<HH", data, off)
            flags = struct.unpack_from("<H", data, off + 10)[0]
            return (nfib, flags) if ident == 0xA5EC else None
    return None
