"""The team dashboard: human and efficiency KPIs side by side, trends, agents, scorecard."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heartline.insights import kpis
from heartline.web.deps import Csrf, EngineDep, Leader, Manager
from heartline.web.errors import BadRequest, Forbidden
from heartline.web.routes import fresh, render
from heartline.web.views import dashboard as build_dashboard
from heartline.web.views import resolve_filters

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse, dependencies=[Depends(fresh)])
def dashboard(
    request: Request,
    user: Leader,
    engine: EngineDep,
    team: str | None = None,
    start: str | None = None,
    end: str | None = None,
    channel: str | None = None,
    queue: str | None = None,
) -> HTMLResponse:
    with engine.connect() as conn:
        filters = resolve_filters(conn, team=team, start=start, end=end, channel=channel, queue=queue)
        board = build_dashboard(
            conn, principal=user, filters=filters, options=request.app.state.freshness.channels_and_queues()
        )
    return render(request, "dashboard.html", board=board, query=urlencode(filters.query()))


@router.post("/dashboard/weights", dependencies=[Csrf])
def save_weights(
    user: Manager,
    engine: EngineDep,
    team: Annotated[int, Form()],
    human: Annotated[float, Form(ge=0, le=100)],
    efficiency: Annotated[float, Form(ge=0, le=100)],
    aht_target_seconds: Annotated[float, Form(gt=0, le=7200)] = 420.0,
    acw_target_seconds: Annotated[float, Form(gt=0, le=3600)] = 60.0,
) -> RedirectResponse:
    if user.team_ids is not None and team not in user.team_ids:
        raise Forbidden("that team is not one of yours")
    weights = kpis.Weights(
        human=human, efficiency=efficiency,
        aht_target_seconds=aht_target_seconds, acw_target_seconds=acw_target_seconds,
    )  # fmt: skip
    try:
        with engine.begin() as conn:
            kpis.save_weights(conn, team, weights, user_id=user.id)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return RedirectResponse(f"/dashboard?team={team}#scorecard", status_code=303)
