"""The page's words, Vietnamese (default) and English (`/?lang=en`): the template's and the script's."""
from __future__ import annotations

KIND_NAMES_EN = {"quy_che": "regulation (quy chế)", "quyet_dinh_ban_hanh_quy_che": "decision issuing a regulation",
                 "ke_hoach": "plan (kế hoạch)", "bao_cao": "report (báo cáo)", "other": "other document"}
UNIT_NAMES_EN = {"co_quan_hanh_chinh": "state administrative agency", "don_vi_su_nghiep": "public service unit",
                 "xa_phuong": "commune, ward or special zone", "dnnn": "state-owned enterprise", "other": "other"}

PAGE = {
    "vi": {
        "title": "Kiểm tra dự thảo theo Luật Thực hiện dân chủ ở cơ sở",
        "h1": "Kiểm tra dự thảo văn bản về thực hiện dân chủ ở cơ sở",
        "sub": "Đối chiếu với Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 và Nghị định số 59/2023/NĐ-CP: nội dung "
               "còn thiếu, nội dung trái luật, căn cứ pháp lý và đề xuất nội dung bổ sung.",
        "step1": "1. Chọn dự thảo",
        "drop": "Kéo thả tệp vào đây hoặc <u>bấm để chọn tệp</u>",
        "drop_hint": "DOCX, PDF (có lớp chữ) hoặc TXT · tối đa {max_mb} MB",
        "kind": "Loại văn bản", "unit": "Loại hình đơn vị", "auto": "Tự động nhận biết",
        "staff": "Số người của đơn vị", "staff_hint": "(nếu văn bản không nêu)", "optional": "không bắt buộc",
        "submit": "Kiểm tra",
        "privacy": "<strong>Không lưu văn bản.</strong> Tệp được xử lý trong bộ nhớ của máy chủ và xóa ngay sau khi trả "
                   "kết quả; nhật ký chỉ ghi dung lượng, định dạng và thời gian xử lý. Để so sánh với lần kiểm tra sau, "
                   "trình duyệt này chỉ giữ trạng thái (đạt / thiếu…) của từng yêu cầu trong lần kiểm tra gần nhất, "
                   "không giữ nội dung văn bản.",
        "forget": "Xóa dữ liệu so sánh",
        "step2": "2. Kết quả", "downloads": "Tải báo cáo:", "dl_docx": "Dự thảo DOCX kèm nhận xét",
        "showall": "Hiện cả các yêu cầu đã đạt và không áp dụng",
        "footer": "bộ quy tắc", "other_lang": "English", "other_href": "/?lang=en",
    },
    "en": {
        "title": "Screen a draft against the Law on Implementing Grassroots Democracy",
        "h1": "Screen a draft on grassroots democracy",
        "sub": "Checked against the Law on Implementing Grassroots Democracy 10/2022/QH15 and Decree 59/2023/NĐ-CP: "
               "what is missing, what contradicts the law, the legal citation and the wording to add.",
        "step1": "1. Choose the draft",
        "drop": "Drop the file here or <u>click to choose it</u>",
        "drop_hint": "DOCX, PDF (with a text layer) or TXT · at most {max_mb} MB",
        "kind": "Document kind", "unit": "Unit type", "auto": "Detect automatically",
        "staff": "Staff count", "staff_hint": "(if the document does not say)", "optional": "optional",
        "submit": "Check",
        "privacy": "<strong>Nothing is kept.</strong> The file is processed in the server's memory and deleted as "
                   "soon as the result is sent; the log records only size, format and time. To compare with your next "
                   "check, this browser keeps only the status (present / missing…) of each requirement from the last "
                   "check, never the document's text.",
        "forget": "Forget the comparison data",
        "step2": "2. Result", "downloads": "Download:", "dl_docx": "The DOCX draft with comments",
        "showall": "Also show requirements that are met or not applicable",
        "footer": "rules", "other_lang": "Tiếng Việt", "other_href": "/",
    },
}

SCRIPT = {
    "vi": {
        "status": {"present": "Đạt", "partial": "Chưa đầy đủ", "missing": "Thiếu", "conflict": "Trái luật",
                   "not_applicable": "Không áp dụng", "undetermined": "Chưa xác định"},
        "severity": {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"},
        "chosen": "Đã chọn: {name} ({kb} KB)", "no_file": "Chưa chọn tệp văn bản.",
        "too_large": "Tệp quá lớn: dung lượng tối đa cho phép là {mb} MB.", "checking": "Đang kiểm tra…",
        "done": "Đã kiểm tra xong trong {s} giây.", "server_error": "Máy chủ trả lỗi {status}.",
        "offline": "Không kết nối được tới máy chủ.",
        "f_doc": "Văn bản", "f_date": "ngày", "f_issuer": "Cơ quan ban hành", "f_title": "Trích yếu",
        "f_kind": "Loại văn bản", "f_unit": "Loại hình đơn vị", "f_note": "Ghi chú", "f_run": "Đối chiếu",
        "run": "bộ quy tắc {v} · {snap} · ngày đối chiếu {d}",
        "not_applicable": "Văn bản không thuộc phạm vi áp dụng của các bộ quy tắc (không phải quy chế, kế hoạch, "
                          "báo cáo về thực hiện dân chủ ở cơ sở của đơn vị thuộc diện điều chỉnh).",
        "v_bad": "Cần sửa: {e} lỗi, {w} cảnh báo.", "v_warn": "Cần xem lại: {w} cảnh báo.",
        "v_ok": "Đạt: không có lỗi hay cảnh báo.",
        "changes": "Thay đổi so với lần kiểm tra trước ({file}, {when})",
        "no_changes": "Không có yêu cầu nào thay đổi trạng thái.",
        "n_changes": "{n} yêu cầu thay đổi trạng thái, trong đó {better} yêu cầu nay đã đạt.",
        "unchecked": "(chưa kiểm tra)", "cite": "Căn cứ pháp lý: ", "and": "và", "quote": "Trích văn bản: ",
        "where": "Vị trí phù hợp: ", "suggest": "Đề xuất nội dung: ", "copy": "Sao chép", "copied": "Đã chép",
        "waived": "Đã chấp nhận: ", "nothing": "Không có yêu cầu nào còn thiếu hay trái luật.",
        "unavailable": "Phiên bản này chưa có định dạng này", "forgotten": "Đã xóa dữ liệu so sánh trong trình duyệt này.",
        "making": "Đang tạo tệp tải về…", "made": "Đã tạo tệp tải về.", "locale": "vi-VN",
    },
    "en": {
        "status": {"present": "Present", "partial": "Partial", "missing": "Missing", "conflict": "Conflict",
                   "not_applicable": "Not applicable", "undetermined": "Undetermined"},
        "severity": {"error": "error", "warning": "warning", "info": "info"},
        "chosen": "Chosen: {name} ({kb} KB)", "no_file": "No document chosen.",
        "too_large": "The file is too large: the limit is {mb} MB.", "checking": "Checking…",
        "done": "Checked in {s} s.", "server_error": "The server answered {status}.",
        "offline": "Cannot reach the server.",
        "f_doc": "Document", "f_date": "dated", "f_issuer": "Issued by", "f_title": "Title",
        "f_kind": "Kind", "f_unit": "Unit type", "f_note": "Note", "f_run": "Checked against",
        "run": "rules {v} · {snap} · as of {d}",
        "not_applicable": "No rule pack applies (not a grassroots-democracy regulation, plan or report of a covered "
                          "unit).",
        "v_bad": "To fix: {e} errors, {w} warnings.", "v_warn": "To review: {w} warnings.",
        "v_ok": "Passes: no errors or warnings.",
        "changes": "Changes since the previous check ({file}, {when})",
        "no_changes": "No requirement changed status.",
        "n_changes": "{n} requirements changed status; {better} of them are now met.",
        "unchecked": "(not checked)", "cite": "Legal basis: ", "and": "and", "quote": "Quote: ",
        "where": "Belongs in: ", "suggest": "Suggested wording: ", "copy": "Copy", "copied": "Copied",
        "waived": "Waived: ", "nothing": "No requirement is missing or in conflict.",
        "unavailable": "This build has no such format", "forgotten": "Comparison data forgotten in this browser.",
        "making": "Preparing the download…", "made": "Download ready.", "locale": "en-GB",
    },
}
