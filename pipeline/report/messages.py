"""Finding messages in Vietnamese (default) and English."""
from __future__ import annotations

STATUS_NAMES = {
    "vi": {"present": "Đạt", "partial": "Chưa đầy đủ", "missing": "Thiếu", "conflict": "Trái luật",
           "not_applicable": "Không áp dụng", "undetermined": "Chưa xác định"},
    "en": {"present": "present", "partial": "partial", "missing": "missing", "conflict": "conflict",
           "not_applicable": "not applicable", "undetermined": "undetermined"},
}
SEVERITY_NAMES = {"vi": {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"},
                  "en": {"error": "error", "warning": "warning", "info": "info"}}

NOTES = {
    "outside_scope": {"vi": "Nội dung chỉ được nhắc đến ngoài phần quy định về chủ đề này.",
                      "en": "The content is only mentioned outside the part on this topic."},
    "no_value": {"vi": "Có quy định nhưng không nêu cụ thể số liệu (luật quy định: {law_value}).",
                 "en": "Provided for, but without a figure (the law says: {law_value})."},
    "no_heading": {"vi": "Có nội dung nhưng không thành phần (chương, mục, điều) riêng.",
                   "en": "The content is there but has no part (chapter, section, article) of its own."},
    "shared_heading": {"vi": "Tiêu đề có nêu chủ đề này cùng với nội dung khác, nhưng bên dưới chưa có nội dung về chủ đề này.",
                       "en": "A heading names this topic together with another, but nothing under it deals with this one."},
    "staff": {"vi": "Không áp dụng do số lượng cán bộ, người lao động của đơn vị.",
              "en": "Not applicable because of the unit's staff count."},
    "staff_unknown": {"vi": "Phụ thuộc số lượng cán bộ, công chức, viên chức, người lao động (văn bản không nêu; "
                            "dùng --staff N): đơn vị có từ 07 người trở xuống thì không bắt buộc.",
                      "en": "Depends on the staff count, which the document does not give (use --staff N): "
                            "units of 7 or fewer are exempt."},
    "topic": {"vi": "Văn bản không đề cập nội dung này.", "en": "The document does not deal with this subject."},
    "amended_2025": {"vi": "Hạ xuống mức cảnh báo: văn bản có ngày từ 01/7/2025, khi Luật số 47/2024/QH15 và Luật số "
                            "97/2025/QH15 đã sửa đổi Luật Thực hiện dân chủ ở cơ sở (cấp huyện, thị trấn, cơ cấu Mặt trận, "
                            "công đoàn); văn bản sửa đổi chưa được đối chiếu.",
                     "en": "Downgraded to a warning: the document is dated from 1 July 2025, when Laws 47/2024/QH15 and "
                           "97/2025/QH15 had amended the Law (district level, townships, the Front's and the trade union's "
                           "structure); the amending texts have not been checked."},
    "not_in_force": {"vi": "Quy định chưa có hiệu lực hoặc đã hết hiệu lực vào ngày của văn bản.",
                     "en": "The provision was not in force on the document's date."},
}


def finding_message(rule, outcome, lang: str = "vi") -> str:
    lang = lang if lang in ("vi", "en") else "vi"
    d = outcome.detail
    title = getattr(rule.title, lang)
    if d.get("message"):  # kinds that word their own finding (legal bases: both values, dates, instruments)
        return f"{title}: {d['message'][lang]}"
    if outcome.status == "present":
        return f"{title}: " + ("có quy định." if lang == "vi" else "provided for.")
    if outcome.status == "not_applicable":
        note = NOTES.get(d.get("note", ""), {}).get(lang, "")
        return f"{title}: " + (note or ("không áp dụng." if lang == "vi" else "not applicable."))
    if outcome.status == "conflict":
        if lang == "vi":
            return f"{title}: văn bản quy định “{d.get('doc_value')}”, trái với quy định của pháp luật " \
                   f"({d.get('law_value')})."
        return f"{title}: the document says “{d.get('doc_value')}”, contrary to the law ({d.get('law_value')})."
    if outcome.status == "undetermined" and d.get("doc_value"):
        if lang == "vi":
            return f"{title}: “{d.get('doc_value')}” chưa đủ căn cứ để so với quy định ({d.get('law_value')}), " \
                   f"tùy cách tính ngày nghỉ."
        return f"{title}: “{d.get('doc_value')}” cannot be compared with the law ({d.get('law_value')}) " \
               f"without knowing the days off."
    base = getattr(rule.message, lang)
    note = NOTES.get(d.get("note", ""), {}).get(lang, "")
    return (base + (" " + note.format_map({"law_value": "", **d}) if note else "")).strip()
