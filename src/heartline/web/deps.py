"""Who is asking, and what they may see: the dependencies every route declares.

A request is made by a :class:`Principal`: a signed-in person (session
cookie) or an integration (``Authorization: Bearer hl_...``).  Routes declare
the roles they accept with :func:`require`; what a principal may *see* inside
a route (their teams, or only their own contacts) comes from :class:`Scope`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from sqlalchemy import Engine, select

from heartline.store.tables import AgentRow
from heartline.store.tables_web import ROLES, UserRow, UserTeamRow
from heartline.web.errors import BadRequest, Forbidden, NotAuthenticated
from heartline.web.security import check_api_token, same_token

#: The role an API token acts with: reads everything, may ingest, has no pages.
INTEGRATION = "integration"


@dataclass(frozen=True)
class Principal:
    id: int
    login: str
    name: str
    role: str
    agent_id: int | None = None
    agent_team_id: int | None = None
    lead_team_ids: frozenset[int] = frozenset()
    via: str = "session"

    @property
    def sees_all_teams(self) -> bool:
        return self.role in ("manager", "admin", INTEGRATION)

    @property
    def team_ids(self) -> tuple[int, ...] | None:
        """Teams whose figures this principal may read; None means every team."""
        if self.sees_all_teams:
            return None
        if self.role == "lead":
            return tuple(sorted(self.lead_team_ids))
        return (self.agent_team_id,) if self.agent_team_id is not None else ()

    @property
    def only_agent_id(self) -> int | None:
        """For agents: the one agent whose contacts they may see."""
        return self.agent_id if self.role == "agent" else None

    def may_see_agent(self, agent_id: int | None, team_id: int | None) -> bool:
        if self.sees_all_teams:
            return True
        if self.role == "lead":
            return team_id is not None and team_id in self.lead_team_ids
        if self.role == "agent":
            return agent_id is not None and agent_id == self.agent_id
        return False


def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]


def load_principal(engine: Engine, user_id: int) -> Principal | None:
    with engine.connect() as conn:
        user = conn.execute(
            select(
                UserRow.id, UserRow.login, UserRow.display_name, UserRow.role, UserRow.agent_id,
                AgentRow.team_id,
            )
            .outerjoin(AgentRow, AgentRow.id == UserRow.agent_id)
            .where(UserRow.id == user_id, UserRow.active.is_(True))
        ).first()
        if user is None:
            return None
        teams = frozenset(
            conn.execute(select(UserTeamRow.team_id).where(UserTeamRow.user_id == user.id)).scalars()
        )
    return Principal(
        id=user.id,
        login=user.login,
        name=user.display_name,
        role=user.role,
        agent_id=user.agent_id,
        agent_team_id=user.team_id,
        lead_team_ids=teams,
    )


def optional_principal(request: Request) -> Principal | None:
    """The principal behind the request, or None (cached on the request)."""
    if hasattr(request.state, "principal"):
        return request.state.principal  # type: ignore[no-any-return]
    principal: Principal | None = None
    engine = get_engine(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        with engine.begin() as conn:
            found = check_api_token(conn, auth[7:].strip())
        if found is None:
            raise NotAuthenticated("the API token is unknown or revoked")
        principal = Principal(id=found[0], login=f"token:{found[1]}", name=found[1], role=INTEGRATION, via="token")
    else:
        uid = request.state.session.get("uid")
        if isinstance(uid, int):
            principal = load_principal(engine, uid)
    request.state.principal = principal
    return principal


def require(*roles: str) -> Callable[[Request], Principal]:
    """A dependency that lets in only the given roles (403 for others, 401 when signed out)."""
    unknown = set(roles) - set(ROLES) - {INTEGRATION}
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def dependency(request: Request) -> Principal:
        p = optional_principal(request)
        if p is None:
            raise NotAuthenticated("sign in first")
        if p.role not in roles:
            raise Forbidden(f"this page is not open to the {p.role} role")
        return p

    dependency.roles = roles  # type: ignore[attr-defined]
    return dependency


CurrentUser = Annotated[Principal, Depends(require(*ROLES))]
Leader = Annotated[Principal, Depends(require("lead", "manager", "admin"))]
AgentOnly = Annotated[Principal, Depends(require("agent"))]
Manager = Annotated[Principal, Depends(require("manager", "admin"))]
Admin = Annotated[Principal, Depends(require("admin"))]
ApiReader = Annotated[Principal, Depends(require(*ROLES, INTEGRATION))]
Integration = Annotated[Principal, Depends(require(INTEGRATION))]


def csrf_protect(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Every form carries the session's CSRF token; a POST without it is refused."""
    if not same_token(csrf_token, request.state.session.get("csrf")):  # type: ignore[arg-type]
        raise BadRequest("the form expired or did not come from Heartline; reload the page and try again")


Csrf = Depends(csrf_protect)
