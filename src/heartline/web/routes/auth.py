"""Signing in and out, and the front door that sends each role to its page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heartline.web.accounts import authenticate
from heartline.web.deps import Csrf, CurrentUser, EngineDep, optional_principal
from heartline.web.routes import render
from heartline.web.security import (
    clear_failures,
    dummy_verify,
    new_csrf_token,
    record_failure,
    throttled_until,
)

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/", response_class=RedirectResponse)
def home(user: CurrentUser) -> RedirectResponse:
    return RedirectResponse("/me" if user.role == "agent" else "/dashboard", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    if optional_principal(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)  # type: ignore[return-value]
    return render(request, "login.html", next=_safe_next(next), error=None, login="")


@router.post("/login", response_class=HTMLResponse, dependencies=[Csrf])
def login(
    request: Request,
    engine: EngineDep,
    login: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> HTMLResponse:
    with engine.begin() as conn:
        until = throttled_until(conn, login)
        if until is not None:
            dummy_verify()
            return render(
                request, "login.html", status_code=429, next=_safe_next(next), login=login,
                error=f"Too many failed attempts for this login. Try again after {until:%H:%M} UTC.",
            )  # fmt: skip
        user_id = authenticate(conn, login, password)
        if user_id is None:
            record_failure(conn, login)
            return render(
                request, "login.html", status_code=401, next=_safe_next(next), login=login,
                error="That login and password do not match an account.",
            )  # fmt: skip
        clear_failures(conn, login)
    # a fresh session (and CSRF token) at every sign-in
    request.state.session = {"uid": user_id, "csrf": new_csrf_token()}
    request.state.session_changed = True
    return RedirectResponse(_safe_next(next), status_code=303)  # type: ignore[return-value]


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request) -> RedirectResponse:
    request.state.session = {"csrf": new_csrf_token()}
    request.state.session_changed = True
    return RedirectResponse("/login", status_code=303)
