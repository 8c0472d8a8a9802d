"""Administration: accounts, API tokens, rebuilding the KPI pre-aggregates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select, update

from heartline.insights.aggregate import refresh
from heartline.store.tables import AgentRow, TeamRow
from heartline.store.tables_web import ROLES, ApiTokenRow, UserRow
from heartline.web.accounts import AccountError, create_user
from heartline.web.deps import Admin, Csrf, EngineDep
from heartline.web.errors import BadRequest, NotFound
from heartline.web.queries import orm, users
from heartline.web.routes import render
from heartline.web.security import create_api_token, revoke_api_token

router = APIRouter(include_in_schema=False)


def _page(request: Request, engine, new_token=None, message: str | None = None) -> HTMLResponse:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        tokens = list(orm(conn).execute(select(ApiTokenRow).order_by(ApiTokenRow.id.desc())).scalars())
        people = users(conn)
        agents = [(r.id, r.name) for r in conn.execute(select(AgentRow.id, AgentRow.name).order_by(AgentRow.name))]
        teams = [(r.id, r.name) for r in conn.execute(select(TeamRow.id, TeamRow.name).order_by(TeamRow.name))]
    return render(
        request, "admin.html", tokens=tokens, people=people, new_token=new_token, message=message,
        agents=agents, teams=teams, roles=ROLES,
    )  # fmt: skip


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, user: Admin, engine: EngineDep) -> HTMLResponse:
    return _page(request, engine)


@router.post("/admin/tokens", response_class=HTMLResponse, dependencies=[Csrf])
def new_token(request: Request, user: Admin, engine: EngineDep, name: Annotated[str, Form(max_length=200)]) -> HTMLResponse:
    try:
        with engine.begin() as conn:
            token = create_api_token(conn, name=name, created_by=user.id)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    # the clear token is shown on this response only
    return _page(request, engine, new_token=token)


@router.post("/admin/tokens/{token_id}/revoke", dependencies=[Csrf])
def revoke(user: Admin, engine: EngineDep, token_id: int) -> RedirectResponse:
    with engine.begin() as conn:
        if not revoke_api_token(conn, token_id):
            raise NotFound("no live token with that id")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users", response_class=HTMLResponse, dependencies=[Csrf])
def new_user(
    request: Request,
    user: Admin,
    engine: EngineDep,
    login: Annotated[str, Form(max_length=200)],
    display_name: Annotated[str, Form(min_length=1, max_length=200)],
    role: Annotated[str, Form()],
    password: Annotated[str, Form(max_length=1000)],
    agent: Annotated[str, Form()] = "",
    teams: Annotated[list[int] | None, Form()] = None,
) -> HTMLResponse:
    try:
        with engine.begin() as conn:
            create_user(
                conn, login=login, password=password, role=role, display_name=display_name.strip(),
                agent_id=int(agent) if agent.strip() else None, team_ids=teams or [],
            )  # fmt: skip
    except (AccountError, ValueError) as exc:
        raise BadRequest(str(exc)) from None
    return _page(request, engine, message=f"Account {login.strip().lower()} ({role}) created.")


@router.post("/admin/users/{user_id}/deactivate", dependencies=[Csrf])
def deactivate(user: Admin, engine: EngineDep, user_id: int) -> RedirectResponse:
    if user_id == user.id:
        raise BadRequest("you cannot deactivate your own account")
    with engine.begin() as conn:
        done = conn.execute(
            update(UserRow).where(UserRow.id == user_id, UserRow.active.is_(True)).values(active=False)
        ).rowcount
    if not done:
        raise NotFound("no active account with that id")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/refresh", response_class=HTMLResponse, dependencies=[Csrf])
def rebuild(request: Request, user: Admin, engine: EngineDep) -> HTMLResponse:
    n = refresh(engine)
    return _page(request, engine, message=f"KPI pre-aggregates rebuilt from {n:,} interactions.")
