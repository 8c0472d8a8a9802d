"""Errors handled in one place: a page for people, a fixed JSON shape for the API.

Every error body under ``/api`` is ``{"error": {"status": int, "code": str,
"message": str}}``; ``tests/web/test_errors.py`` fixes that shape.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


class WebError(Exception):
    """An error with its HTTP status, a stable code and a message a person can act on."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class BadRequest(WebError):
    status, code = 400, "bad_request"


class NotAuthenticated(WebError):
    status, code = 401, "not_authenticated"


class Forbidden(WebError):
    status, code = 403, "forbidden"


class NotFound(WebError):
    status, code = 404, "not_found"


class PayloadTooLarge(WebError):
    status, code = 413, "payload_too_large"


class Throttled(WebError):
    status, code = 429, "too_many_attempts"


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "invalid_request",
    429: "too_many_attempts",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_body(status: int, code: str, message: str) -> dict[str, dict[str, object]]:
    return {"error": {"status": status, "code": code, "message": message}}


def _respond(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "user": getattr(request.state, "principal", None)},
        status_code=status,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    """Route every error through one renderer."""

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        return _respond(request, exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if status == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}"
        if status == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return _respond(request, status, _CODES.get(status, "error"), detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        message = f"{where}: {first['msg']}" if where else str(first["msg"])
        return _respond(request, 422, "invalid_request", message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        return _respond(
            request, 500, "internal_error", "something went wrong on our side; the server log has the details"
        )
