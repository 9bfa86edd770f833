"""Answers of the web service in Vietnamese (default) and English."""
from __future__ import annotations

MESSAGES = {
    "too_large": {"vi": "Tệp quá lớn: dung lượng tối đa cho phép là {limit} MB.",
                  "en": "The file is too large: the limit is {limit} MB."},
    "unsupported_type": {"vi": "Không nhận dạng được loại tệp từ nội dung: chỉ nhận văn bản DOCX, PDF hoặc TXT "
                               "(và DOC, HTML).",
                         "en": "The file type is not recognised from its content: only DOCX, PDF or TXT "
                               "(and DOC, HTML) documents are accepted."},
    "no_file": {"vi": "Chưa chọn tệp văn bản (trường “file”).", "en": "No document file given (field “file”)."},
    "bad_form": {"vi": "Yêu cầu không đúng định dạng multipart/form-data.",
                 "en": "The request is not valid multipart/form-data."},
    "bad_option": {"vi": "Giá trị không hợp lệ cho “{name}”: {value}.", "en": "Invalid value for “{name}”: {value}."},
    "busy": {"vi": "Máy chủ đang bận xử lý nhiều văn bản, vui lòng thử lại sau ít phút.",
             "en": "The server is busy with other documents; please try again in a few minutes."},
    "timeout": {"vi": "Xử lý văn bản quá {seconds} giây nên đã dừng. Văn bản có thể quá dài hoặc có cấu trúc "
                      "bất thường.",
                "en": "Processing the document took longer than {seconds} seconds and was stopped. It may be too "
                      "long or unusually structured."},
    "worker_died": {"vi": "Tiến trình xử lý văn bản bị dừng bất thường (có thể do văn bản cần quá nhiều bộ nhớ).",
                    "en": "The process handling the document stopped abnormally (it may need too much memory)."},
    "format_unavailable": {"vi": "Phiên bản này chưa có định dạng tải về “{fmt}”.",
                           "en": "This build has no “{fmt}” download."},
    "not_docx": {"vi": "Chỉ trả lại bản có nhận xét cho văn bản DOCX.",
                 "en": "Only a DOCX document can be returned with comments."},
    "render_failed": {"vi": "Không tạo được báo cáo định dạng này.", "en": "This report format could not be made."},
    "unreadable": {"vi": "Không đọc được văn bản: {detail}", "en": "The document cannot be read: {detail}"},
}


def msg(code: str, lang: str = "vi", **kw) -> str:
    entry = MESSAGES[code]
    return entry.get(lang, entry["vi"]).format(**kw)
