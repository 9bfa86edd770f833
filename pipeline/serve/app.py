"""The FastAPI application of `dccs serve`: the upload page, the JSON API and offline API docs.

Nothing an officer uploads is kept: the file is read into memory (never spooled by the form parser), written
for the worker into a private temporary directory named by the server, and that directory is removed when
the answer is sent. Logs carry metadata only (sizes, formats, statuses, times), never text or file names.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import re
import shutil
import tempfile
import time
import unicodedata
from contextlib import asynccontextmanager
from pathlib import Path
from string import Template

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from pipeline import __version__
from pipeline.serve.config import MB, ServeConfig
from pipeline.serve.messages import msg
from pipeline.serve.pool import Busy, TaskTimeout, WorkerDied, WorkerPool
from pipeline.serve.sniff import recognise

log = logging.getLogger("dccs.serve")
HERE = Path(__file__).resolve().parent
FORM_SLACK = 64 * 1024  # multipart boundaries and the small option fields around the file

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: no buffering of bodies)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    if k not in headers:
                        headers[k] = v
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _InMemoryParser(MultiPartParser):
    """Starlette's parser spools files over 1 MB to the system temp dir; the service keeps them in memory."""

    def __init__(self, *args, spool: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.spool_max_size = spool


def display_name(name: str | None) -> str:
    """The client's file name for display only: last component, printable, short. Never used on disk."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "van-ban"


def _error(status: int, code: str, detail: str, extra: dict | None = None, headers: dict | None = None):
    return JSONResponse({"detail": detail, "error_code": code, **(extra or {})}, status_code=status,
                        headers=headers)


def _choice(form, name: str, allowed, lang: str):
    value = str(form.get(name) or "").strip()
    if value in ("", "auto"):
        return None
    if value not in allowed:
        raise ValueError(msg("bad_option", lang, name=name, value=value[:40]))
    return value


def _options(form, lang: str, max_size: int):
    from pipeline.batch import Options
    from pipeline.classify import KINDS, UNIT_TYPES

    staff = str(form.get("staff") or "").strip()
    if staff and not (staff.isdigit() and int(staff) <= 10 ** 6):
        raise ValueError(msg("bad_option", lang, name="staff", value=staff[:40]))
    as_of = str(form.get("as_of") or "").strip()
    try:
        as_of = dt.date.fromisoformat(as_of).isoformat() if as_of else dt.date.today().isoformat()
    except ValueError:
        raise ValueError(msg("bad_option", lang, name="as_of", value=as_of[:40])) from None
    return Options(kind=_choice(form, "kind", KINDS, lang), unit_type=_choice(form, "unit_type", UNIT_TYPES, lang),
                   staff=int(staff) if staff else None, as_of=as_of, lang=lang, max_size=max_size)


CHECK_DOC = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "Văn bản DOCX, PDF hoặc TXT (loại tệp nhận dạng từ nội dung)"},
            "kind": {"type": "string", "description": "Loại văn bản (bỏ trống: tự động)",
                     "enum": ["auto", "quy_che", "quyet_dinh_ban_hanh_quy_che", "ke_hoach", "bao_cao", "other"]},
            "unit_type": {"type": "string", "description": "Loại hình đơn vị (bỏ trống: tự động)",
                          "enum": ["auto", "co_quan_hanh_chinh", "don_vi_su_nghiep", "xa_phuong", "dnnn", "other"]},
            "staff": {"type": "integer", "description": "Số cán bộ, người lao động (nếu văn bản không nêu)"},
            "as_of": {"type": "string", "format": "date", "description": "Ngày đối chiếu (mặc định: hôm nay)"},
            "lang": {"type": "string", "enum": ["vi", "en"], "default": "vi"},
            "format": {"type": "string", "enum": ["json", "html", "xlsx", "docx"], "default": "json",
                       "description": "json: kết quả như `dccs check --format json`; html, xlsx: báo cáo; "
                                      "docx: chính văn bản DOCX kèm nhận xét (comment) tại mỗi phát hiện"},
        }}}}},
    "responses": {
        "200": {"description": "Kết quả kiểm tra (schema của `dccs check --format json`) hoặc tệp báo cáo"},
        "400": {"description": "Thiếu tệp hoặc tham số không hợp lệ"},
        "413": {"description": "Tệp vượt dung lượng tối đa"},
        "415": {"description": "Loại tệp không được hỗ trợ (nhận dạng từ nội dung)"},
        "422": {"description": "Không đọc được văn bản (tệp hỏng, bản quét không nhận dạng được…)"},
        "501": {"description": "Định dạng tải về chưa có trong phiên bản này"},
        "503": {"description": "Máy chủ đang bận (hàng đợi đầy)"},
        "504": {"description": "Xử lý quá thời gian cho phép"},
    },
}


def _no_telemetry() -> dict:
    """FastAPI ≥ 0.165 can export request telemetry when OTEL_* variables are set: not from this service."""
    import inspect

    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        return {"telemetry": {"tracing": False, "metrics": False, "logs": False, "auto_configure": False}}
    return {}


def _page(name: str, **values) -> str:
    return Template((HERE / "templates" / name).read_text(encoding="utf-8")).substitute(**values)


def create_app(config: ServeConfig | None = None) -> FastAPI:
    config = config or ServeConfig()
    pool = WorkerPool(config.workers, config.timeout, config.memory, config.queue)
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from pipeline.check import default_ruleset
        from pipeline.serve.worker import available_formats

        state["ruleset"] = default_ruleset()
        state["formats"] = available_formats()
        await pool.start()
        log.info("serve started workers=%d max_upload=%d timeout=%.0f queue=%d formats=%s", pool.size,
                 config.max_upload, config.timeout, config.queue, ",".join(state["formats"]))
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="dccs — kiểm tra văn bản theo Luật Thực hiện dân chủ ở cơ sở",
        description="Tải lên dự thảo (DOCX, PDF, TXT) và nhận danh sách nội dung còn thiếu, trái luật, kèm căn cứ "
                    "pháp lý và đề xuất nội dung. Văn bản được xử lý trong bộ nhớ và xóa ngay sau khi trả lời; "
                    "máy chủ không lưu lại.",
        version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan, **_no_telemetry())
    app.state.pool = pool
    app.state.config = config
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page(lang: str = "vi") -> HTMLResponse:
        from pipeline.classify import KIND_NAMES, KINDS, UNIT_NAMES, UNIT_TYPES
        from pipeline.serve.page_text import KIND_NAMES_EN, PAGE, SCRIPT, UNIT_NAMES_EN

        lang = "en" if lang == "en" else "vi"
        rs = state["ruleset"]
        kinds, units = (KIND_NAMES_EN, UNIT_NAMES_EN) if lang == "en" else (KIND_NAMES, UNIT_NAMES)

        def options(values, names):
            return "\n".join(f'<option value="{v}">{html.escape(names.get(v, v))}</option>' for v in values)

        max_mb = f"{config.max_upload / MB:g}"
        words = {k: (v if k in ("drop", "privacy") else html.escape(v)) for k, v in PAGE[lang].items()}
        words["drop_hint"] = words["drop_hint"].format(max_mb=max_mb)
        cfg = {"lang": lang, "maxUpload": config.max_upload, "formats": state["formats"], "kinds": kinds,
               "units": units, "t": SCRIPT[lang]}
        return HTMLResponse(_page(
            "index.html", lang=lang, other_code="vi" if lang == "en" else "en", version=__version__,
            rules_version=html.escape(rs.version), legal_snapshot=html.escape(rs.legal_snapshot),
            kind_options=options(KINDS, kinds), unit_options=options(UNIT_TYPES, units),
            config=json.dumps(cfg, ensure_ascii=False).replace("<", "\\u003c"),  # inert inside <script>
            **words))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_page("docs.html", version=__version__))

    @app.get("/healthz", summary="Tình trạng dịch vụ / health")
    async def healthz() -> dict:
        return {"status": "ok", "version": __version__, "workers": pool.size, "waiting": pool.waiting,
                "queue": config.queue, "formats": state.get("formats", [])}

    @app.get("/api/v1/rules", summary="Danh mục quy tắc (như `dccs rules list --format json`)")
    async def rules(lang: str = "vi") -> dict:
        from pipeline.cli import rules_listing

        return rules_listing(state["ruleset"], "en" if lang == "en" else "vi")

    @app.post("/api/v1/check", summary="Kiểm tra một văn bản (như `dccs check --format json`)",
              openapi_extra=CHECK_DOC)
    async def check(request: Request):
        started = time.monotonic()
        lang = "en" if request.query_params.get("lang") == "en" else "vi"
        response, meta = await _check(request, lang)
        log.info("check status=%d in=%s bytes=%s out=%s code=%s ms=%d", response.status_code,
                 meta.get("in", "-"), meta.get("bytes", "-"), meta.get("out", "-"), meta.get("code", "-"),
                 (time.monotonic() - started) * 1000)
        return response

    async def _check(request: Request, lang: str):
        meta: dict = {}
        limit = config.max_upload
        too_large = lambda: _error(413, "too_large", msg("too_large", lang, limit=f"{limit / MB:g}"))  # noqa: E731
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit + FORM_SLACK:
            meta.update(bytes=length, code="too_large")
            return too_large(), meta
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit + FORM_SLACK:
                meta.update(bytes=f">{len(body)}", code="too_large")
                return too_large(), meta
        if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
            return _error(400, "bad_form", msg("bad_form", lang)), meta

        async def stream():
            yield bytes(body)
            yield b""

        try:
            form = await _InMemoryParser(request.headers, stream(), max_files=1, max_fields=16,
                                         max_part_size=4096, spool=limit + FORM_SLACK + 1).parse()
        except MultiPartException:
            return _error(400, "bad_form", msg("bad_form", lang)), meta
        del body
        if form.get("lang") in ("vi", "en"):
            lang = form.get("lang")
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return _error(400, "no_file", msg("no_file", lang)), meta
        data = await upload.read()
        await upload.close()
        meta["bytes"] = len(data)
        if len(data) > limit:
            meta["code"] = "too_large"
            return too_large(), meta
        try:
            opts = _options(form, lang, limit)
            out = _choice(form, "format", ("json", "html", "xlsx", "docx"), lang) or "json"
        except ValueError as exc:
            return _error(400, "bad_option", str(exc)), meta
        meta["out"] = out
        fmt = recognise(data)
        meta["in"] = fmt or "?"
        if fmt is None:
            meta["code"] = "unsupported_type"
            return _error(415, "unsupported_type", msg("unsupported_type", lang)), meta
        if out not in state["formats"]:
            return _error(501, "format_unavailable", msg("format_unavailable", lang, fmt=out)), meta
        if out == "docx" and fmt != "docx":
            return _error(400, "not_docx", msg("not_docx", lang)), meta
        work = tempfile.mkdtemp(prefix="dccs-serve-", dir=config.temp_root)  # mode 0700
        try:
            path = Path(work) / f"upload.{fmt}"  # the server's name, never the client's
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            del data
            task = {"path": str(path), "work_dir": work, "options": opts, "format": out,
                    "display_name": display_name(upload.filename)}
            try:
                reply = await pool.submit(task)
            except Busy:
                meta["code"] = "busy"
                return _error(503, "busy", msg("busy", lang), headers={"retry-after": "30"}), meta
            except TaskTimeout:
                meta["code"] = "timeout"
                return _error(504, "timeout", msg("timeout", lang, seconds=f"{config.timeout:g}")), meta
            except WorkerDied:
                meta["code"] = "worker_died"
                return _error(422, "worker_died", msg("worker_died", lang)), meta
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return _answer(reply, out, lang, meta), meta

    return app


def _answer(reply: dict, out: str, lang: str, meta: dict) -> Response:
    from pipeline.report.outputs import doc_basename
    from pipeline.serve.worker import MEDIA_TYPES

    run, result = reply["run"], reply["result"]
    failed = 1 if result["error"] else 0
    payload = {"run": run, "documents": [result], "summary": {"documents": 1, "checked": 1 - failed,
                                                              "failed": failed}}
    if result["error"]:
        code = result["error_code"] or "internal"
        meta["code"] = code
        status = {"too_large": 413, "unsupported": 415, "not_text": 415, "timeout": 504}.get(code, 422)
        return _error(status, code, msg("unreadable", lang, detail=result["error"]), payload)
    if reply.get("error_code"):
        code = reply["error_code"]
        meta["code"] = code
        return _error(400 if code == "not_docx" else 500, code, reply.get("detail") or msg(code, lang), payload)
    if out == "json":
        return JSONResponse(payload)
    name = re.sub(r"[^A-Za-z0-9._-]", "", doc_basename(result)) + ("-nhan-xet" if out == "docx" else "") + f".{out}"
    return Response(reply["body"], media_type=MEDIA_TYPES[out],
                    headers={"content-disposition": f'attachment; filename="{name}"'})
