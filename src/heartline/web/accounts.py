"""Local accounts, and the demo accounts ``heartline demo`` prints.

The demo passwords are fixed so a newcomer can sign in from the README; they
are for the demo organisation only and must never exist in a real deployment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection, Engine, delete, insert, select, update

from heartline.store.tables import AgentRow, TeamRow
from heartline.store.tables_web import ROLES, UserRow, UserTeamRow
from heartline.web.security import hash_password, verify_password

if TYPE_CHECKING:
    from heartline.demo import DemoOrganisation

MIN_PASSWORD = 10


class AccountError(ValueError):
    """An account that cannot be created as asked; the message says why."""


class DemoAccount(NamedTuple):
    """(login, password, role, who): a tuple, with names."""

    login: str
    password: str
    role: str
    who: str


def create_user(
    conn: Connection,
    *,
    login: str,
    password: str,
    role: str,
    display_name: str,
    agent_id: int | None = None,
    team_ids: Iterable[int] = (),
) -> int:
    """A new account; agents must link to an agent record, leads to at least one team."""
    login = login.strip().lower()
    if not login or len(login) > 200:
        raise AccountError("a login is 1 to 200 characters")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    teams = sorted(set(team_ids))
    if role == "agent" and agent_id is None:
        raise AccountError("an agent account links to an agent record")
    if role == "lead" and not teams:
        raise AccountError("a lead account needs at least one team")
    if conn.execute(select(UserRow.id).where(UserRow.login == login)).first():
        raise AccountError(f"the login {login!r} is taken")
    user_id = conn.execute(
        insert(UserRow)
        .values(
            login=login,
            display_name=display_name,
            password_hash=hash_password(password),
            role=role,
            agent_id=agent_id if role == "agent" else None,
            active=True,
            created_at=datetime.now(UTC),
        )
        .returning(UserRow.id)
    ).scalar_one()
    if role == "lead":
        conn.execute(insert(UserTeamRow), [{"user_id": user_id, "team_id": t} for t in teams])
    return int(user_id)


def authenticate(conn: Connection, login: str, password: str) -> int | None:
    """The user id when the login and password match an active account."""
    row = conn.execute(
        select(UserRow.id, UserRow.password_hash).where(
            UserRow.login == login.strip().lower(), UserRow.active.is_(True)
        )
    ).first()
    if row is None or not verify_password(row.password_hash, password):
        return None
    return int(row.id)


def demo_password(role: str) -> str:
    """The demo organisation's password for a role (demo only, documented in the README)."""
    return f"demo-{role}-heartline"


def _upsert_demo(
    conn: Connection,
    *,
    login: str,
    role: str,
    name: str,
    agent_id: int | None = None,
    team_ids: Iterable[int] = (),
) -> None:
    password = demo_password(role)
    existing = conn.execute(select(UserRow.id, UserRow.password_hash).where(UserRow.login == login)).first()
    if existing is None:
        create_user(
            conn, login=login, password=password, role=role, display_name=name,
            agent_id=agent_id, team_ids=team_ids,
        )  # fmt: skip
        return
    values: dict[str, object] = {"display_name": name, "role": role, "active": True, "agent_id": agent_id}
    if not verify_password(existing.password_hash, password):
        values["password_hash"] = hash_password(password)
    conn.execute(update(UserRow).where(UserRow.id == existing.id).values(**values))
    conn.execute(delete(UserTeamRow).where(UserTeamRow.user_id == existing.id))
    teams = sorted(set(team_ids))
    if teams:
        conn.execute(insert(UserTeamRow), [{"user_id": existing.id, "team_id": t} for t in teams])


def ensure_demo_accounts(engine: Engine, org: DemoOrganisation | None = None) -> list[DemoAccount]:
    """One demo account per role, created or reset; returns (login, password, role, who).

    The agent account is the first agent of the first team; the lead leads that
    team (named after ``org.leads`` when an organisation is given).  Without an
    organisation the store's first team and agent are used.  Raises
    :class:`AccountError` when the store has no team with an agent yet.
    """
    with engine.begin() as conn:
        teams = conn.execute(select(TeamRow.id, TeamRow.key, TeamRow.name).order_by(TeamRow.id)).all()
        team = None
        agent = None
        for t in teams:
            agent = conn.execute(
                select(AgentRow.id, AgentRow.key, AgentRow.name)
                .where(AgentRow.team_id == t.id)
                .order_by(AgentRow.id)
                .limit(1)
            ).first()
            if agent is not None:
                team = t
                break
        if team is None or agent is None:
            raise AccountError("no team with an agent in the store yet; load data first (heartline demo)")
        lead_name = f"Lead of {team.name}"
        if org is not None:
            lead_name = str(getattr(org, "leads", {}).get(team.key, lead_name))
        _upsert_demo(conn, login="agent@demo", role="agent", name=agent.name, agent_id=agent.id)
        _upsert_demo(conn, login="lead@demo", role="lead", name=lead_name, team_ids=[team.id])
        _upsert_demo(conn, login="manager@demo", role="manager", name="Operations manager")
        _upsert_demo(conn, login="admin@demo", role="admin", name="Administrator")
    return [
        DemoAccount("agent@demo", demo_password("agent"), "agent", f"{agent.name} ({agent.key}, team {team.name})"),
        DemoAccount("lead@demo", demo_password("lead"), "lead", f"{lead_name}, leads team {team.name}"),
        DemoAccount("manager@demo", demo_password("manager"), "manager", "all teams"),
        DemoAccount("admin@demo", demo_password("admin"), "admin", "accounts, API tokens, all teams"),
    ]
