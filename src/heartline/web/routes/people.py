"""An agent's own view, and the same view of one agent for their lead or QA."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from heartline.web.deps import AgentOnly, CurrentUser, EngineDep
from heartline.web.errors import NotFound
from heartline.web.queries import agent_row
from heartline.web.routes import fresh, render
from heartline.web.views import agent_page, resolve_filters

router = APIRouter(include_in_schema=False)


def _page(request: Request, user, engine, agent_id: int, start: str | None, end: str | None) -> HTMLResponse:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        agent = agent_row(conn, user, agent_id)
        filters = resolve_filters(conn, team=None, start=start, end=end, channel=None, queue=None)
        page = agent_page(conn, principal=user, agent=agent, filters=filters)
    return render(request, "agent.html", p=page, own=user.agent_id == agent_id)


@router.get("/me", response_class=HTMLResponse, dependencies=[Depends(fresh)])
def me(request: Request, user: AgentOnly, engine: EngineDep, start: str | None = None, end: str | None = None) -> HTMLResponse:
    if user.agent_id is None:
        raise NotFound("this account is not linked to an agent record")
    return _page(request, user, engine, user.agent_id, start, end)


@router.get("/agents/{agent_id}", response_class=HTMLResponse, dependencies=[Depends(fresh)])
def agent(
    request: Request, user: CurrentUser, engine: EngineDep, agent_id: int, start: str | None = None, end: str | None = None
) -> HTMLResponse:
    return _page(request, user, engine, agent_id, start, end)
