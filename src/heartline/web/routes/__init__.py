"""One router per resource.  Helpers shared by the page routers live here."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from heartline.web.deps import optional_principal


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the signed-in principal (``user``) always in the context."""
    context.setdefault("user", optional_principal(request))
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, template, context, status_code=status_code
    )


def fresh(request: Request) -> None:
    """Dependency: bring the KPI pre-aggregates up to date when the store changed."""
    request.app.state.freshness.check()
