"""User-facing messages: Vietnamese by default, English with --lang en."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "not_found": {"vi": "không tìm thấy tệp", "en": "file not found"},
    "is_directory": {"vi": "là thư mục, không phải tệp", "en": "is a directory, not a file"},
    "symlink": {"vi": "là liên kết tượng trưng, đã bỏ qua", "en": "is a symbolic link, skipped"},
    "too_large": {"vi": "tệp quá lớn", "en": "file too large"},
    "unreadable": {"vi": "không đọc được tệp", "en": "cannot read the file"},
    "empty": {"vi": "tệp rỗng", "en": "the file is empty"},
    "no_text": {"vi": "tệp không có nội dung văn bản", "en": "the file holds no text"},
    "not_text": {"vi": "không phải tệp văn bản (không giải mã được UTF-8/UTF-16)",
                 "en": "not a text file (neither UTF-8 nor UTF-16)"},
    "unsupported": {"vi": "định dạng tệp không được hỗ trợ", "en": "unsupported file type"},
    "format_not_supported": {"vi": "định dạng {detail} chưa được hỗ trợ",
                             "en": "the {detail} format is not yet supported"},
    "corrupt_docx": {"vi": "tệp DOCX bị hỏng hoặc không hợp lệ", "en": "the DOCX file is corrupt or invalid"},
    "zip_bomb": {"vi": "tệp DOCX có dung lượng giải nén bất thường (nghi là tệp độc hại)",
                 "en": "the DOCX file decompresses to an abnormal size (suspected zip bomb)"},
    "hostile_xml": {"vi": "tệp chứa khai báo XML nguy hiểm (DTD/thực thể), đã từ chối",
                    "en": "the file holds a dangerous XML declaration (DTD/entity), refused"},
    "corrupt_pdf": {"vi": "tệp PDF bị hỏng hoặc không hợp lệ", "en": "the PDF file is corrupt or invalid"},
    "encrypted_pdf": {"vi": "tệp PDF được đặt mật khẩu", "en": "the PDF file is password-protected"},
    "needs_ocr": {"vi": "tệp PDF là bản quét (không có lớp văn bản), cần nhận dạng ký tự (OCR)",
                  "en": "the PDF is a scan with no text layer and needs OCR"},
    "ocr_unavailable": {"vi": "tệp PDF là bản quét (không có lớp văn bản) nhưng không nhận dạng ký tự (OCR) "
                              "được: chưa cài tesseract hoặc dữ liệu tiếng Việt (tesseract-ocr-vie)",
                        "en": "the PDF is a scan with no text layer and OCR is unavailable: tesseract or "
                              "its Vietnamese model (tesseract-ocr-vie) is not installed"},
    "ocr_failed": {"vi": "tệp PDF là bản quét, nhận dạng ký tự (OCR) không thành công ({detail})",
                   "en": "the PDF is a scan and OCR failed ({detail})"},
    "corrupt_doc": {"vi": "tệp DOC bị hỏng hoặc không chuyển đổi được", "en": "the DOC file is corrupt or cannot be converted"},
    "encrypted_office": {"vi": "tệp Word/Office được đặt mật khẩu", "en": "the Word/Office file is password-protected"},
    "doc_converter_missing": {"vi": "không đọc được tệp DOC: chưa cài LibreOffice (cần để chuyển sang DOCX)",
                              "en": "cannot read the DOC file: LibreOffice is not installed (needed to convert it to DOCX)"},
    "doc_conversion_timeout": {"vi": "chuyển đổi tệp DOC bằng LibreOffice quá thời gian cho phép",
                               "en": "converting the DOC file with LibreOffice took too long"},
    "corrupt_html": {"vi": "tệp HTML không đọc được", "en": "the HTML file cannot be read"},
    "timeout": {"vi": "xử lý quá thời gian cho phép, đã dừng", "en": "processing took too long and was stopped"},
    "worker_died": {"vi": "tiến trình xử lý tệp bị dừng bất thường (có thể do vượt giới hạn bộ nhớ)",
                    "en": "the process handling the file stopped abnormally (possibly over the memory limit)"},
    "out_of_memory": {"vi": "tệp cần quá nhiều bộ nhớ để xử lý", "en": "the file needs too much memory"},
    "too_complex": {"vi": "cấu trúc tệp lồng nhau quá sâu", "en": "the file is nested too deeply"},
    "internal": {"vi": "lỗi khi xử lý tệp", "en": "error while processing the file"},
    "usage_no_input": {"vi": "chưa chỉ định tệp nào", "en": "no input file given"},
    "summary": {"vi": "Tổng: {total} tệp, đọc được {ok}, lỗi {failed}",
                "en": "Total: {total} files, read {ok}, failed {failed}"},
}


def message(code: str, lang: str = "vi", **kwargs) -> str:
    entry = MESSAGES.get(code) or MESSAGES["internal"]
    kwargs.setdefault("detail", "")
    return entry.get(lang, entry["vi"]).format(**kwargs)


def read_error_message(exc, lang: str = "vi") -> str:
    """The localized line for a ReadError; `format_not_supported` names the format."""
    detail = exc.detail.upper() if exc.code == "format_not_supported" else exc.detail
    return message(exc.code, lang, detail=detail)
