"""The coaching workspace: 1:1 agendas from real moments, coaching records, development
goals, the feedback reframer, leader habits and QA calibration.

Who sees what
    * a lead: the agents of the teams they lead, agendas for them, the sessions they
      hold (with notes), and sessions other leads held with their agents (that they
      happened, never the notes);
    * an agent: their own sessions with notes, actions and goals; nobody else's;
    * a manager or admin: that sessions happened, per lead, never their notes or agreed
      actions (unless ``coaching_managers_see_notes`` is set), leader habits for every
      lead, and calibration for every team.

Settings read from ``app.state.settings`` when present, else the module defaults:
``coaching_managers_see_notes`` (False), ``coaching_agenda_days`` (14),
``coaching_habits_days`` (28), ``coaching_calibration_sample`` (12).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update

from heartline.domain import BEHAVIOURS
from heartline.insights import kpis
from heartline.insights.kpis import Filter
from heartline.people.agenda import SUPPORT_QUESTION, Agenda, build_agenda
from heartline.people.calibration import MODEL, CalibrationReport, Score, calibrate
from heartline.people.habits import (
    BarrierResponse,
    CoachingAction,
    Figure,
    ListeningSession,
    OneOnOne,
    Recognition,
    is_support_question,
    leader_habits,
)
from heartline.store.tables import AgentRow, AnalysisRow, InteractionRow
from heartline.store.tables_coaching import (
    ACTION_OWNERS,
    GOAL_KINDS,
    GOAL_STATUSES,
    LISTENING_KINDS,
    SESSION_STATUSES,
    CalibrationScoreRow,
    CelebrationRow,
    CoachingActionRow,
    CoachingMomentRow,
    CoachingSessionRow,
    DevelopmentGoalRow,
    ListeningRow,
)
from heartline.store.tables_recognition import RecognitionRow
from heartline.store.tables_voice import BarrierRow
from heartline.store.tables_web import UserRow, UserTeamRow
from heartline.web import charts
from heartline.web.deps import Csrf, CurrentUser, EngineDep, Leader, Principal, require
from heartline.web.errors import BadRequest, Forbidden, NotFound
from heartline.web.queries import agent_row, data_range, visible_agents, visible_interaction
from heartline.web.routes import fresh, render
from heartline.web.views import parse_day

router = APIRouter(include_in_schema=False)

#: Managers see that a session happened, never its notes (setting coaching_managers_see_notes).
MANAGERS_SEE_NOTES = False
#: Days of interactions an agenda is built from, ending at the newest data (coaching_agenda_days).
AGENDA_DAYS = 14
#: Days the leader habits look back over (coaching_habits_days).
HABITS_DAYS = 28
#: Interactions offered to QA reviewers for calibration (coaching_calibration_sample).
CALIBRATION_SAMPLE = 12

LeadOnly = Annotated[Principal, Depends(require("lead"))]
AgentOrLead = Annotated[Principal, Depends(require("agent", "lead"))]
AgentOnly = Annotated[Principal, Depends(require("agent"))]

GOAL_KIND_LABELS = {"mentoring": "Mentoring", "cross_training": "Cross-training", "skill": "A skill to practise"}


def _setting(request: Request, name: str, default: Any) -> Any:
    return getattr(request.app.state.settings, name, default)


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return _now().date()


def _text(raw: str, name: str, limit: int = 4000, required: bool = True) -> str:
    value = raw.strip()
    if required and not value:
        raise BadRequest(f"{name} is empty")
    if len(value) > limit:
        raise BadRequest(f"{name} is longer than {limit} characters")
    return value


def _choice(raw: str, allowed: tuple[str, ...], name: str) -> str:
    if raw not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}")
    return raw


# --- sessions: reading with privacy ----------------------------------------------------


@dataclass
class SessionView:
    row: Any  # CoachingSessionRow columns + agent_name, team_id, lead_name
    can_read_notes: bool
    can_edit: bool
    moments: list[Any]
    actions: list[Any]
    celebrations: list[Any]


def _session_select():  # type: ignore[no-untyped-def]
    return (
        select(
            CoachingSessionRow.id, CoachingSessionRow.lead_user_id, CoachingSessionRow.agent_id,
            CoachingSessionRow.planned_for, CoachingSessionRow.held_on, CoachingSessionRow.status,
            CoachingSessionRow.opened_with_support_question, CoachingSessionRow.opening_question,
            CoachingSessionRow.notes, CoachingSessionRow.updated_at,
            AgentRow.name.label("agent_name"), AgentRow.team_id, UserRow.display_name.label("lead_name"),
        )  # fmt: skip
        .join(AgentRow, AgentRow.id == CoachingSessionRow.agent_id)
        .join(UserRow, UserRow.id == CoachingSessionRow.lead_user_id)
    )


def may_read_notes(p: Principal, lead_user_id: int, agent_id: int, managers_see_notes: bool) -> bool:
    """Notes belong to the lead who held the session and the agent it was with."""
    if p.role == "lead":
        return p.id == lead_user_id
    if p.role == "agent":
        return p.agent_id is not None and p.agent_id == agent_id
    return p.sees_all_teams and managers_see_notes


def load_session(conn: Connection, p: Principal, session_id: int, managers_see_notes: bool) -> SessionView:
    row = conn.execute(_session_select().where(CoachingSessionRow.id == session_id)).first()
    if row is None or not p.may_see_agent(row.agent_id, row.team_id):
        raise NotFound(f"no coaching session {session_id} among the ones you can see")
    notes_ok = may_read_notes(p, row.lead_user_id, row.agent_id, managers_see_notes)
    moments = list(
        conn.execute(
            select(CoachingMomentRow).where(CoachingMomentRow.session_id == session_id).order_by(
                CoachingMomentRow.kind, CoachingMomentRow.id
            )
        )
    )
    actions = (
        list(
            conn.execute(
                select(CoachingActionRow)
                .where(CoachingActionRow.session_id == session_id)
                .order_by(CoachingActionRow.id)
            )
        )
        if notes_ok
        else []
    )
    celebrations = (
        list(conn.execute(select(CelebrationRow).where(CelebrationRow.session_id == session_id)))
        if notes_ok
        else []
    )
    return SessionView(row, notes_ok, p.role == "lead" and p.id == row.lead_user_id, moments, actions, celebrations)


def _own_session(conn: Connection, p: Principal, session_id: int) -> Any:
    """The session, when ``p`` is the lead who holds it (others: not found / forbidden)."""
    view = load_session(conn, p, session_id, False)
    if not view.can_edit:
        raise Forbidden("only the lead who holds this session can change it")
    return view.row


# --- agenda ----------------------------------------------------------------------------


def agenda_period(conn: Connection, end: date | None, days: int) -> tuple[date, date]:
    """``days`` days ending at ``end`` (default: the newest day with data, else today)."""
    if days < 1 or days > 366:
        raise BadRequest("days must be between 1 and 366")
    end_d = end or data_range(conn)[1] or _today()
    return end_d - timedelta(days=days - 1), end_d


def _analyses(conn: Connection, agent_id: int, start: date, end: date) -> list[dict[str, Any]]:
    lo = datetime.combine(start, datetime.min.time(), UTC)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
    out = []
    for r in conn.execute(
        select(InteractionRow.id, InteractionRow.started_at, AnalysisRow.empathy_score, AnalysisRow.difficulty,
               AnalysisRow.deescalated, AnalysisRow.body)  # fmt: skip
        .join(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
        .where(InteractionRow.agent_id == agent_id, InteractionRow.started_at >= lo, InteractionRow.started_at < hi)
        .order_by(InteractionRow.started_at)
    ):
        body = r.body or {}
        moments = [m for m in body.get("moments") or [] if isinstance(m, dict) and m.get("kind") in ("glow", "growth")]
        out.append(
            {
                "interaction_id": str(r.id), "date": r.started_at, "empathy_score": r.empathy_score,
                "difficulty": r.difficulty, "deescalated": bool(r.deescalated), "moments": moments,
                "turns": [t for t in body.get("turns") or [] if isinstance(t, dict)],
            }  # fmt: skip
        )
    return out


KPI_LINES = (
    ("CSAT %", "human", True, kpis.csat),
    ("Empathy", "human", True, kpis.mean_empathy),
    ("De-escalation %", "human", True, kpis.deescalation_rate),
    ("AHT (s)", "efficiency", False, kpis.aht),
    ("Transfer rate %", "efficiency", False, kpis.transfer_rate),
)


def _kpi_series(conn: Connection, agent_id: int, start: date, end: date) -> list[tuple[date, kpis.Sums]]:
    return kpis.by_day(conn, Filter(agent_ids=(agent_id,), start=start, end=end))


def _kpi_points(series: list[tuple[date, kpis.Sums]]) -> list[dict[str, Any]]:
    """Weekly points of the agent's human and efficiency KPIs (a trend, not a day's noise)."""
    points = []
    for day, sums in kpis.bucket(series, 7):
        for name, group, hib, fn in KPI_LINES:
            points.append({"name": name, "group": group, "higher_is_better": hib, "date": day, "value": fn(sums)})
    return points


def _trend_chart(series: list[tuple[date, kpis.Sums]]) -> Markup:
    labels = [d.strftime("%d %b") for d, _ in series]
    return charts.line_chart(
        "Human KPIs per day", labels,
        [charts.Series("empathy", [kpis.mean_empathy(s) for _, s in series], charts.PALETTE[0]),
         charts.Series("CSAT %", [kpis.csat(s) for _, s in series], charts.PALETTE[2])],
        y_max=100, width=560, height=170,
    )  # fmt: skip


def _goals_and_actions(conn: Connection, agent_id: int, *, lead_user_id: int | None) -> list[dict[str, Any]]:
    """Open agreed actions (of sessions the lead may read) and the agent's open goals."""
    items: list[dict[str, Any]] = []
    q = (
        select(CoachingActionRow.id, CoachingActionRow.text, CoachingActionRow.owner, CoachingActionRow.due_on,
               CoachingActionRow.status)  # fmt: skip
        .join(CoachingSessionRow, CoachingSessionRow.id == CoachingActionRow.session_id)
        .where(CoachingActionRow.agent_id == agent_id, CoachingActionRow.status == "open")
    )
    if lead_user_id is not None:
        q = q.where(CoachingSessionRow.lead_user_id == lead_user_id)
    for r in conn.execute(q):
        items.append({"id": f"a{r.id}", "title": r.text, "kind": "action", "owner": r.owner, "due": r.due_on,
                      "status": r.status})  # fmt: skip
    for g in conn.execute(
        select(DevelopmentGoalRow).where(
            DevelopmentGoalRow.agent_id == agent_id, DevelopmentGoalRow.status.in_(("open", "in_progress"))
        )
    ):
        items.append({"id": f"g{g.id}", "title": f"{GOAL_KIND_LABELS.get(g.kind, g.kind)}: {g.title}", "kind": "goal",
                      "owner": "agent", "due": g.due_on, "status": g.status})  # fmt: skip
    return items


def named_barriers(conn: Connection, agent_id: int) -> list[dict[str, Any]]:
    """Barriers the agent raised under their own name (anonymous ones are never attributed)."""
    return [
        {"id": r.id, "title": r.text, "status": r.status, "raised_on": r.created_at}
        for r in conn.execute(
            select(BarrierRow.id, BarrierRow.text, BarrierRow.status, BarrierRow.created_at)
            .join(UserRow, UserRow.id == BarrierRow.author_user_id)
            .where(BarrierRow.anonymous.is_(False), UserRow.agent_id == agent_id)
            .order_by(BarrierRow.created_at)
        )
    ]


def build_agent_agenda(
    conn: Connection, p: Principal, agent_id: int, *, end: date | None = None, days: int = AGENDA_DAYS
) -> tuple[Any, Agenda, list[tuple[date, kpis.Sums]]]:
    agent = agent_row(conn, p, agent_id)
    start_d, end_d = agenda_period(conn, end, days)
    series = _kpi_series(conn, agent_id, start_d, end_d)
    agenda = build_agenda(
        str(agent_id), _analyses(conn, agent_id, start_d, end_d), kpi_points=_kpi_points(series),
        goals=_goals_and_actions(conn, agent_id, lead_user_id=p.id if p.role == "lead" else None),
        barriers=named_barriers(conn, agent_id), as_of=_today(), start=start_d, end=end_d,
    )  # fmt: skip
    return agent, agenda, series


@router.get("/coaching/agents/{agent_id}/agenda", response_class=HTMLResponse, dependencies=[Depends(fresh)])
def agenda_page(
    request: Request, user: Leader, engine: EngineDep, agent_id: int, end: str | None = None, days: int | None = None
) -> HTMLResponse:
    days = days or int(_setting(request, "coaching_agenda_days", AGENDA_DAYS))
    with engine.connect() as conn:
        agent, agenda, series = build_agent_agenda(conn, user, agent_id, end=parse_day(end, "end"), days=days)
        last = conn.execute(
            select(func.max(CoachingSessionRow.held_on)).where(CoachingSessionRow.agent_id == agent_id)
        ).scalar()
    return render(
        request, "coaching_agenda.html", agent=agent, a=agenda, days=days, chart=_trend_chart(series),
        last_held=last, can_start=user.role == "lead",
    )  # fmt: skip


@router.post("/coaching/agents/{agent_id}/sessions", dependencies=[Csrf])
def start_session(
    request: Request,
    user: LeadOnly,
    engine: EngineDep,
    agent_id: int,
    end: Annotated[str, Form()] = "",
    days: Annotated[int, Form(ge=1, le=366)] = AGENDA_DAYS,
) -> RedirectResponse:
    """Start a 1:1 from the agenda: the moments on it are recorded as the ones to discuss."""
    now = _now()
    with engine.begin() as conn:
        _, agenda, _ = build_agent_agenda(conn, user, agent_id, end=parse_day(end, "end"), days=days)
        sid = conn.execute(
            insert(CoachingSessionRow)
            .values(
                lead_user_id=user.id, agent_id=agent_id, planned_for=now.date(), held_on=None, status="planned",
                opened_with_support_question=False, opening_question=SUPPORT_QUESTION, notes="",
                created_at=now, updated_at=now,
            )  # fmt: skip
            .returning(CoachingSessionRow.id)
        ).scalar_one()
        rows = [
            {"session_id": sid, "interaction_id": int(m.link.interaction_id), "turn": m.link.turn, "kind": m.kind,
             "theme": m.theme[:200], "reason": m.reason}  # fmt: skip
            for m in [*agenda.glow, *agenda.growth]
            if m.link.interaction_id.isdigit()
        ]
        if rows:
            conn.execute(insert(CoachingMomentRow), rows)
    return RedirectResponse(f"/coaching/sessions/{sid}", status_code=303)


# --- the session page ------------------------------------------------------------------


def _highlight(text: str, flags: tuple[Any, ...]) -> list[tuple[str, str | None]]:
    """The draft cut into (piece, flag kind or None) so flagged spans can be marked."""
    spans = sorted((f.span[0], f.span[1], f.kind) for f in flags)
    out: list[tuple[str, str | None]] = []
    pos = 0
    for a, b, kind in spans:
        a = max(a, pos)
        if b <= a:
            continue
        if a > pos:
            out.append((text[pos:a], None))
        out.append((text[a:b], kind))
        pos = b
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _session_page(request: Request, user: Principal, engine: Engine, session_id: int, **extra: Any) -> HTMLResponse:
    with engine.connect() as conn:
        view = load_session(conn, user, session_id, bool(_setting(request, "coaching_managers_see_notes", MANAGERS_SEE_NOTES)))
    return render(
        request, "coaching_session.html", s=view, today=_today(), statuses=SESSION_STATUSES, owners=ACTION_OWNERS,
        **extra,
    )  # fmt: skip


@router.get("/coaching/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, user: CurrentUser, engine: EngineDep, session_id: int) -> HTMLResponse:
    return _session_page(request, user, engine, session_id)


@router.post("/coaching/sessions/{session_id}", dependencies=[Csrf])
def update_session(
    user: LeadOnly,
    engine: EngineDep,
    session_id: int,
    status: Annotated[str, Form()],
    notes: Annotated[str, Form(max_length=20000)] = "",
    held_on: Annotated[str, Form()] = "",
    opening_question: Annotated[str, Form(max_length=1000)] = "",
    opened_with_support: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _choice(status, SESSION_STATUSES, "status")
    with engine.begin() as conn:
        s = _own_session(conn, user, session_id)
        held = parse_day(held_on, "held_on") if status == "held" else None
        if status == "held" and held is None:
            held = s.held_on or _today()
        question = opening_question.strip() or None
        support = bool(opened_with_support) or is_support_question(question)
        conn.execute(
            update(CoachingSessionRow)
            .where(CoachingSessionRow.id == session_id)
            .values(status=status, held_on=held, notes=notes.strip(), opening_question=question,
                    opened_with_support_question=support, updated_at=_now())  # fmt: skip
        )
    return RedirectResponse(f"/coaching/sessions/{session_id}", status_code=303)


@router.post("/coaching/sessions/{session_id}/actions", dependencies=[Csrf])
def add_action(
    user: LeadOnly,
    engine: EngineDep,
    session_id: int,
    text: Annotated[str, Form(max_length=2000)],
    owner: Annotated[str, Form()],
    due_on: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _choice(owner, ACTION_OWNERS, "owner")
    with engine.begin() as conn:
        s = _own_session(conn, user, session_id)
        conn.execute(
            insert(CoachingActionRow).values(
                session_id=session_id, agent_id=s.agent_id, text=_text(text, "the action", 2000), owner=owner,
                due_on=parse_day(due_on, "due_on"), status="open", followed_up_at=None, created_at=_now(),
            )  # fmt: skip
        )
    return RedirectResponse(f"/coaching/sessions/{session_id}#actions", status_code=303)


@router.post("/coaching/actions/{action_id}", dependencies=[Csrf])
def update_action(
    request: Request, user: AgentOrLead, engine: EngineDep, action_id: int, op: Annotated[str, Form()]
) -> RedirectResponse:
    """Lead: done, reopen, drop, follow up.  Agent (their own actions): done, reopen."""
    allowed = ("done", "reopen", "drop", "follow_up") if user.role == "lead" else ("done", "reopen")
    _choice(op, allowed, "op")
    with engine.begin() as conn:
        a = conn.execute(select(CoachingActionRow).where(CoachingActionRow.id == action_id)).first()
        if a is None:
            raise NotFound(f"no action {action_id}")
        view = load_session(conn, user, a.session_id, False)
        if not view.can_read_notes or (user.role == "lead" and not view.can_edit):
            raise NotFound(f"no action {action_id} among the ones you can see")
        if user.role == "agent" and a.owner != "agent":
            raise Forbidden("this action is the lead's to close; the agent closes their own")
        values: dict[str, Any] = {}
        if op == "done":
            values["status"] = "done"
        elif op == "reopen":
            values["status"] = "open"
        elif op == "drop":
            values["status"] = "dropped"
        if user.role == "lead":
            values["followed_up_at"] = _now()  # the lead checking back is the follow-up habit
        conn.execute(update(CoachingActionRow).where(CoachingActionRow.id == action_id).values(**values))
    back = request.headers.get("referer", "")
    target = "/coaching" if user.role == "agent" and back.rstrip("/").endswith("/coaching") else f"/coaching/sessions/{a.session_id}"
    return RedirectResponse(f"{target}#actions", status_code=303)


@router.post("/coaching/sessions/{session_id}/celebrations", dependencies=[Csrf])
def add_celebration(
    user: LeadOnly,
    engine: EngineDep,
    session_id: int,
    kind: Annotated[str, Form()],
    text: Annotated[str, Form(max_length=2000)],
) -> RedirectResponse:
    _choice(kind, ("effort", "learning"), "kind")
    with engine.begin() as conn:
        s = _own_session(conn, user, session_id)
        conn.execute(
            insert(CelebrationRow).values(
                agent_id=s.agent_id, lead_user_id=user.id, session_id=session_id, kind=kind,
                text=_text(text, "what you celebrated", 2000), day=_today(), created_at=_now(),
            )  # fmt: skip
        )
    return RedirectResponse(f"/coaching/sessions/{session_id}#celebrated", status_code=303)


@router.post("/coaching/sessions/{session_id}/reframe", response_class=HTMLResponse, dependencies=[Csrf])
def reframe_draft(
    request: Request, user: LeadOnly, engine: EngineDep, session_id: int, draft: Annotated[str, Form(max_length=4000)]
) -> HTMLResponse:
    """The feedback reframer on the session: style, flagged spans and a coaching suggestion."""
    from heartline.people.reframe import reframe

    text = _text(draft, "the draft")
    with engine.connect() as conn:
        _own_session(conn, user, session_id)
        growth = conn.execute(
            select(CoachingMomentRow)
            .where(CoachingMomentRow.session_id == session_id, CoachingMomentRow.kind == "growth")
            .order_by(CoachingMomentRow.id)
            .limit(1)
        ).first()
    evidence = (
        {"interaction_id": str(growth.interaction_id), "turn": growth.turn, "reason": growth.reason}
        if growth is not None
        else None
    )
    result = reframe(text, evidence)
    return _session_page(
        request, user, engine, session_id, draft=text, result=result, pieces=_highlight(text, result.flags)
    )


# --- listening, goals --------------------------------------------------------------------


@router.post("/coaching/agents/{agent_id}/listening", dependencies=[Csrf])
def log_listening(
    user: LeadOnly,
    engine: EngineDep,
    agent_id: int,
    kind: Annotated[str, Form()],
    day: Annotated[str, Form()] = "",
    minutes: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Log a shadowing or side-by-side listening session with one of the lead's agents."""
    _choice(kind, LISTENING_KINDS, "kind")
    try:
        mins = float(minutes) if minutes.strip() else None
    except ValueError:
        raise BadRequest("minutes must be a number") from None
    if mins is not None and not 0 < mins <= 600:
        raise BadRequest("minutes must be between 1 and 600")
    with engine.begin() as conn:
        agent_row(conn, user, agent_id)
        conn.execute(
            insert(ListeningRow).values(
                lead_user_id=user.id, agent_id=agent_id, kind=kind, day=parse_day(day, "day") or _today(),
                minutes=mins, note=note.strip(), created_at=_now(),
            )  # fmt: skip
        )
    return RedirectResponse("/coaching#listening", status_code=303)


@router.post("/coaching/goals", dependencies=[Csrf])
def add_goal(
    user: AgentOnly,
    engine: EngineDep,
    kind: Annotated[str, Form()],
    title: Annotated[str, Form(max_length=300)],
    detail: Annotated[str, Form(max_length=4000)] = "",
    due_on: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """An agent sets one of their own development goals."""
    _choice(kind, GOAL_KINDS, "kind")
    if user.agent_id is None:
        raise NotFound("this account is not linked to an agent record")
    now = _now()
    with engine.begin() as conn:
        conn.execute(
            insert(DevelopmentGoalRow).values(
                agent_id=user.agent_id, kind=kind, title=_text(title, "the goal", 300), detail=detail.strip(),
                status="open", due_on=parse_day(due_on, "due_on"), created_at=now, updated_at=now,
            )  # fmt: skip
        )
    return RedirectResponse("/coaching#goals", status_code=303)


@router.post("/coaching/goals/{goal_id}", dependencies=[Csrf])
def update_goal(user: AgentOnly, engine: EngineDep, goal_id: int, status: Annotated[str, Form()]) -> RedirectResponse:
    _choice(status, GOAL_STATUSES, "status")
    with engine.begin() as conn:
        done = conn.execute(
            update(DevelopmentGoalRow)
            .where(DevelopmentGoalRow.id == goal_id, DevelopmentGoalRow.agent_id == user.agent_id)
            .values(status=status, updated_at=_now())
        ).rowcount
        if not done:
            raise NotFound(f"no goal {goal_id} of yours")
    return RedirectResponse("/coaching#goals", status_code=303)


# --- the coaching home -------------------------------------------------------------------


def _agent_home(conn: Connection, p: Principal) -> dict[str, Any]:
    if p.agent_id is None:
        return {"sessions": [], "goals": [], "actions": []}
    sessions = list(
        conn.execute(
            _session_select()
            .where(CoachingSessionRow.agent_id == p.agent_id)
            .order_by(CoachingSessionRow.planned_for.desc(), CoachingSessionRow.id.desc())
        )
    )
    goals = list(
        conn.execute(
            select(DevelopmentGoalRow)
            .where(DevelopmentGoalRow.agent_id == p.agent_id)
            .order_by(DevelopmentGoalRow.status == "done", DevelopmentGoalRow.id.desc())
        )
    )
    actions = list(
        conn.execute(
            select(CoachingActionRow)
            .where(CoachingActionRow.agent_id == p.agent_id)
            .order_by(CoachingActionRow.status != "open", CoachingActionRow.due_on, CoachingActionRow.id)
        )
    )
    celebrated = list(
        conn.execute(
            select(CelebrationRow).where(CelebrationRow.agent_id == p.agent_id).order_by(CelebrationRow.day.desc())
        )
    )
    return {"sessions": sessions, "goals": goals, "actions": actions, "celebrated": celebrated}


def _lead_home(conn: Connection, p: Principal) -> dict[str, Any]:
    agents = visible_agents(conn, p)
    ids = [a for a, _ in agents]
    today = _today()
    last_held: dict[int, date] = {}
    open_n: dict[int, int] = defaultdict(int)
    overdue_n: dict[int, int] = defaultdict(int)
    if ids:
        last_held = dict(
            conn.execute(  # type: ignore[arg-type]
                select(CoachingSessionRow.agent_id, func.max(CoachingSessionRow.held_on))
                .where(CoachingSessionRow.agent_id.in_(ids), CoachingSessionRow.status == "held")
                .group_by(CoachingSessionRow.agent_id)
            ).all()
        )
        for a in conn.execute(
            select(CoachingActionRow.agent_id, CoachingActionRow.due_on)
            .join(CoachingSessionRow, CoachingSessionRow.id == CoachingActionRow.session_id)
            .where(CoachingActionRow.agent_id.in_(ids), CoachingActionRow.status == "open",
                   CoachingSessionRow.lead_user_id == p.id)  # fmt: skip
        ):
            open_n[a.agent_id] += 1
            if a.due_on is not None and a.due_on < today:
                overdue_n[a.agent_id] += 1
    rows = [
        {"id": a, "name": n, "last_held": last_held.get(a), "open": open_n[a], "overdue": overdue_n[a]}
        for a, n in agents
    ]
    rows.sort(key=lambda r: (r["last_held"] or date.min, r["name"]))  # longest without a 1:1 first
    sessions = list(
        conn.execute(
            _session_select()
            .where(CoachingSessionRow.agent_id.in_(ids) if ids else CoachingSessionRow.id < 0)
            .order_by(CoachingSessionRow.planned_for.desc(), CoachingSessionRow.id.desc())
            .limit(30)
        )
    )
    listening = list(
        conn.execute(
            select(ListeningRow, AgentRow.name.label("agent_name"))
            .join(AgentRow, AgentRow.id == ListeningRow.agent_id)
            .where(ListeningRow.lead_user_id == p.id)
            .order_by(ListeningRow.day.desc())
            .limit(10)
        )
    )
    return {"agents": rows, "sessions": sessions, "listening": listening, "kinds": LISTENING_KINDS}


def _manager_home(conn: Connection, p: Principal, since: date) -> dict[str, Any]:
    per_lead = []
    for r in conn.execute(
        select(
            UserRow.id, UserRow.display_name,
            func.count(CoachingSessionRow.id).label("total"),
            func.sum(case((CoachingSessionRow.status == "held", 1), else_=0)).label("held"),
            func.sum(case((CoachingSessionRow.status == "cancelled", 1), else_=0)).label("cancelled"),
            func.max(CoachingSessionRow.held_on).label("last_held"),
        )  # fmt: skip
        .join(CoachingSessionRow, CoachingSessionRow.lead_user_id == UserRow.id)
        .where(CoachingSessionRow.planned_for >= since)
        .group_by(UserRow.id, UserRow.display_name)
        .order_by(UserRow.display_name)
    ):
        per_lead.append(r)
    recent = list(
        conn.execute(
            _session_select().order_by(CoachingSessionRow.planned_for.desc(), CoachingSessionRow.id.desc()).limit(30)
        )
    )
    return {"per_lead": per_lead, "recent": recent, "since": since}


@router.get("/coaching", response_class=HTMLResponse)
def coaching_home(request: Request, user: CurrentUser, engine: EngineDep) -> HTMLResponse:
    days = int(_setting(request, "coaching_habits_days", HABITS_DAYS))
    with engine.connect() as conn:
        if user.role == "agent":
            ctx = _agent_home(conn, user)
        elif user.role == "lead":
            ctx = _lead_home(conn, user)
        else:
            ctx = _manager_home(conn, user, _today() - timedelta(days=days - 1))
    return render(
        request, "coaching.html", c=ctx, today=_today(), days=days, goal_kinds=GOAL_KINDS,
        goal_kind_labels=GOAL_KIND_LABELS, goal_statuses=GOAL_STATUSES,
        managers_see_notes=bool(_setting(request, "coaching_managers_see_notes", MANAGERS_SEE_NOTES)),
    )  # fmt: skip


# --- leader habits -----------------------------------------------------------------------


def habits_for(conn: Connection, lead_user_id: int, *, start: date, end: date, now: datetime) -> list[Figure]:
    """A lead's habit figures from their own records; barriers are those raised in their teams."""
    sessions = conn.execute(
        select(CoachingSessionRow.agent_id, CoachingSessionRow.planned_for, CoachingSessionRow.held_on,
               CoachingSessionRow.status, CoachingSessionRow.opened_with_support_question,
               CoachingSessionRow.opening_question)  # fmt: skip
        .where(CoachingSessionRow.lead_user_id == lead_user_id)
    ).all()
    one_on_ones = [
        OneOnOne(str(s.agent_id), s.planned_for, s.held_on if s.status == "held" else None, s.status == "cancelled",
                 s.opened_with_support_question, s.opening_question)  # fmt: skip
        for s in sessions
    ]
    actions = [
        CoachingAction(str(a.id), a.due_on, a.followed_up_at.date() if a.followed_up_at else None, a.status == "done")
        for a in conn.execute(
            select(CoachingActionRow.id, CoachingActionRow.due_on, CoachingActionRow.followed_up_at,
                   CoachingActionRow.status)  # fmt: skip
            .join(CoachingSessionRow, CoachingSessionRow.id == CoachingActionRow.session_id)
            .where(CoachingSessionRow.lead_user_id == lead_user_id, CoachingActionRow.due_on.is_not(None),
                   CoachingActionRow.status != "dropped")  # fmt: skip
        )
    ]
    listening = [
        ListeningSession(str(r.agent_id), r.day, r.kind, r.minutes)
        for r in conn.execute(
            select(ListeningRow.agent_id, ListeningRow.day, ListeningRow.kind, ListeningRow.minutes).where(
                ListeningRow.lead_user_id == lead_user_id
            )
        )
    ]
    # recognition given: effort and learning celebrated in 1:1s, and peer recognitions the lead gave
    recognitions = [
        Recognition(str(r.agent_id), r.day)
        for r in conn.execute(
            select(CelebrationRow.agent_id, CelebrationRow.day).where(CelebrationRow.lead_user_id == lead_user_id)
        )
    ] + [
        Recognition(str(r.receiver_agent_id), r.created_at.date())
        for r in conn.execute(
            select(RecognitionRow.receiver_agent_id, RecognitionRow.created_at).where(
                RecognitionRow.giver_user_id == lead_user_id
            )
        )
    ]
    barriers = [
        BarrierResponse(r.id, r.created_at, r.first_response_at)
        for r in conn.execute(
            select(BarrierRow.id, BarrierRow.created_at, BarrierRow.first_response_at)
            .join(UserTeamRow, UserTeamRow.team_id == BarrierRow.team_id)
            .where(UserTeamRow.user_id == lead_user_id)
        )
        # anonymous barriers keep only the day they were raised: a same-day answer may precede it
        if r.first_response_at is None or r.first_response_at >= r.created_at
    ]
    team_size = conn.execute(
        select(func.count(AgentRow.id))
        .join(UserTeamRow, UserTeamRow.team_id == AgentRow.team_id)
        .where(UserTeamRow.user_id == lead_user_id)
    ).scalar_one()
    return leader_habits(
        one_on_ones=one_on_ones, barriers=barriers, recognitions=recognitions, sessions=listening, actions=actions,
        as_of=now, start=start, end=end, team_size=team_size or None,
    )  # fmt: skip


def fmt_figure(f: Figure) -> str:
    if f.value is None:
        return "no data"
    if f.unit == "share":
        return f"{100 * f.value:.0f}%"
    if f.unit == "hours":
        return f"{f.value:.1f} h"
    return f"{f.value:.0f}"


FIGURE_LABELS = {
    "one_on_ones_held": "1:1s held vs planned",
    "support_opening_share": "1:1s opened with a support question",
    "median_barrier_response_hours": "Median first response to a barrier",
    "barriers_answered_within": "Barriers answered in time",
    "recognitions_given": "Recognition given (1:1 celebrations and peer recognitions)",
    "team_recognised_share": "Team members recognised",
    "listening_sessions": "Shadowing / side-by-side sessions",
    "listening_minutes": "Minutes listening alongside agents",
    "actions_followed_up": "Coaching actions followed up",
}


@router.get("/coaching/habits", response_class=HTMLResponse)
def habits_page(request: Request, user: Leader, engine: EngineDep) -> HTMLResponse:
    """Leader habits: a lead sees their own; their manager (managers, admins) sees every lead's."""
    days = int(_setting(request, "coaching_habits_days", HABITS_DAYS))
    now = _now()
    start, end = now.date() - timedelta(days=days - 1), now.date()
    with engine.connect() as conn:
        if user.role == "lead":
            leads = [(user.id, user.name)]
        else:
            leads = [
                (r.id, r.display_name)
                for r in conn.execute(
                    select(UserRow.id, UserRow.display_name)
                    .where(UserRow.role == "lead", UserRow.active.is_(True))
                    .order_by(UserRow.display_name)
                )
            ]
        cards = [(name, habits_for(conn, lid, start=start, end=end, now=now)) for lid, name in leads]
    return render(
        request, "coaching_habits.html", cards=cards, start=start, end=end, labels=FIGURE_LABELS, fmt=fmt_figure
    )


# --- calibration ---------------------------------------------------------------------------


def _scope_interactions(p: Principal):  # type: ignore[no-untyped-def]
    q = select(InteractionRow.id).join(AgentRow, AgentRow.id == InteractionRow.agent_id)
    if p.team_ids is not None:
        q = q.where(AgentRow.team_id.in_(p.team_ids))
    return q


def calibration_sample(conn: Connection, p: Principal, size: int) -> list[Any]:
    """The newest analysed interactions with an agent in the principal's teams."""
    ids = _scope_interactions(p).join(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
    return list(
        conn.execute(
            select(InteractionRow.id, InteractionRow.external_id, InteractionRow.started_at, AgentRow.name.label("agent"))
            .join(AgentRow, AgentRow.id == InteractionRow.agent_id)
            .where(InteractionRow.id.in_(ids))
            .order_by(InteractionRow.started_at.desc(), InteractionRow.id.desc())
            .limit(size)
        )
    )


def model_behaviours(body: dict[str, Any] | None) -> set[str]:
    """Behaviours the model found in any agent turn of an analysis."""
    found: set[str] = set()
    for t in (body or {}).get("turns") or []:
        if isinstance(t, dict) and t.get("speaker", "agent") == "agent":
            found.update(b for b in t.get("behaviours") or [] if b in BEHAVIOURS)
    return found


def calibration_report(conn: Connection, p: Principal) -> tuple[CalibrationReport, int, int]:
    """Reviewers' scores on interactions in scope, with the model's calls on the same ones."""
    scope = _scope_interactions(p)
    rows = conn.execute(
        select(CalibrationScoreRow.interaction_id, CalibrationScoreRow.behaviour, CalibrationScoreRow.present,
               UserRow.display_name, UserRow.id.label("uid"))  # fmt: skip
        .join(UserRow, UserRow.id == CalibrationScoreRow.reviewer_user_id)
        .where(CalibrationScoreRow.interaction_id.in_(scope))
    ).all()
    scores = [Score(str(r.interaction_id), r.behaviour, f"{r.display_name} #{r.uid}", bool(r.present)) for r in rows]
    items = {r.interaction_id for r in rows}
    if items:
        for iid, body in conn.execute(
            select(AnalysisRow.interaction_id, AnalysisRow.body).where(AnalysisRow.interaction_id.in_(items))
        ):
            found = model_behaviours(body)
            behaviours = {r.behaviour for r in rows if r.interaction_id == iid}
            scores += [Score(str(iid), b, MODEL, b in found) for b in sorted(behaviours)]
    reviewers = len({r.uid for r in rows})
    return calibrate(scores), len(items), reviewers


@router.get("/coaching/calibration", response_class=HTMLResponse)
def calibration_page(request: Request, user: Leader, engine: EngineDep, interaction: int | None = None) -> HTMLResponse:
    size = int(_setting(request, "coaching_calibration_sample", CALIBRATION_SAMPLE))
    with engine.connect() as conn:
        sample = calibration_sample(conn, user, size)
        mine = {
            r.interaction_id: r.n
            for r in conn.execute(
                select(CalibrationScoreRow.interaction_id, func.count().label("n"))
                .where(CalibrationScoreRow.reviewer_user_id == user.id)
                .group_by(CalibrationScoreRow.interaction_id)
            )
        }
        report, n_items, n_reviewers = calibration_report(conn, user)
        scoring = None
        if interaction is not None:
            row = visible_interaction(conn, user, interaction)
            checked = {
                b for b, present in conn.execute(
                    select(CalibrationScoreRow.behaviour, CalibrationScoreRow.present).where(
                        CalibrationScoreRow.reviewer_user_id == user.id,
                        CalibrationScoreRow.interaction_id == interaction,
                    )
                ) if present
            }  # fmt: skip
            scoring = {"id": interaction, "external_id": row[0].external_id, "agent": row[1], "checked": checked}
    return render(
        request, "coaching_calibration.html", sample=sample, mine=mine, report=report, n_items=n_items,
        n_reviewers=n_reviewers, scoring=scoring, behaviours=BEHAVIOURS,
    )  # fmt: skip


@router.post("/coaching/calibration", dependencies=[Csrf])
def score_interaction(
    user: Leader,
    engine: EngineDep,
    interaction_id: Annotated[int, Form()],
    behaviour: Annotated[list[str] | None, Form()] = None,
) -> RedirectResponse:
    """A reviewer's calls on every behaviour of one interaction (ticked: present)."""
    present = set(behaviour or [])
    unknown = present - set(BEHAVIOURS)
    if unknown:
        raise BadRequest(f"unknown behaviours: {', '.join(sorted(unknown))}")
    now = _now()
    with engine.begin() as conn:
        visible_interaction(conn, user, interaction_id)
        conn.execute(
            delete(CalibrationScoreRow).where(
                CalibrationScoreRow.reviewer_user_id == user.id, CalibrationScoreRow.interaction_id == interaction_id
            )
        )
        conn.execute(
            insert(CalibrationScoreRow),
            [{"reviewer_user_id": user.id, "interaction_id": interaction_id, "behaviour": b, "present": b in present,
              "created_at": now} for b in BEHAVIOURS],  # fmt: skip
        )
    return RedirectResponse("/coaching/calibration#report", status_code=303)


# --- demo data -----------------------------------------------------------------------------

_DEMO_NOTES = (
    "Opened with how the week had been: two long outage calls on Tuesday took a lot out of them. "
    "We listened to the glow moment together — they named the customer's worry before explaining — "
    "and agreed to try the same on billing calls. Barrier: the refund tool times out; I will raise it.",
    "Started with support: they asked for a quieter desk for complex calls. We replayed the growth "
    "moment and role-played the first thirty seconds twice. They want to shadow a senior colleague.",
    "Short 1:1. They were proud of a de-escalation with a bereaved customer; we talked about what "
    "helped. Agreed one small thing to practise: say what happens next and when.",
)
_DEMO_ACTIONS = (
    ("Role-play the opening of a repeat-caller call with me", "lead"),
    ("Try naming the customer's feeling before the fix on three calls", "agent"),
    ("Raise the refund tool time-outs with the tools team", "lead"),
    ("Listen back to one call of your choice and tell me what you liked", "agent"),
)
_DEMO_GOALS = (
    ("mentoring", "Pair with a senior colleague on complex billing cases"),
    ("cross_training", "Cross-train on the retention queue"),
    ("skill", "Practise setting expectations: what happens next and when"),
)


def seed_demo(engine: Engine, org: Any = None) -> None:
    """Believable coaching records for the demo organisation (idempotent).

    For every lead account: up to four agents of their teams get two past 1:1s
    (one held, one planned) with moments from their real analyses, notes, agreed
    actions (one done and followed up, one overdue, one upcoming), a development
    goal, a celebration and a listening session.  Leads and managers also score a
    calibration sample.  Nothing is added for a lead who already has sessions, or to
    calibration when it already holds scores.  ``org`` is accepted for the demo
    command's calling convention; the records come from what the store holds.
    """
    rng = random.Random(17)
    now = _now()
    today = now.date()
    with engine.begin() as conn:
        leads = conn.execute(
            select(UserRow.id).where(UserRow.role == "lead", UserRow.active.is_(True)).order_by(UserRow.id)
        ).scalars().all()
        for lead_id in leads:
            if conn.execute(select(CoachingSessionRow.id).where(CoachingSessionRow.lead_user_id == lead_id).limit(1)).first():
                continue
            agents = conn.execute(
                select(AgentRow.id)
                .join(UserTeamRow, UserTeamRow.team_id == AgentRow.team_id)
                .where(UserTeamRow.user_id == lead_id)
                .order_by(AgentRow.id)
                .limit(4)
            ).scalars().all()
            for n, agent_id in enumerate(agents):
                moments = conn.execute(
                    select(InteractionRow.id, AnalysisRow.body)
                    .join(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
                    .where(InteractionRow.agent_id == agent_id)
                    .order_by(InteractionRow.started_at.desc())
                    .limit(20)
                ).all()
                held_day = today - timedelta(days=9 + n)
                sid = conn.execute(
                    insert(CoachingSessionRow).values(
                        lead_user_id=lead_id, agent_id=agent_id, planned_for=held_day, held_on=held_day,
                        status="held", opened_with_support_question=n != 2, opening_question=(
                            SUPPORT_QUESTION if n != 2 else "Let's go through your numbers first."),
                        notes=_DEMO_NOTES[n % len(_DEMO_NOTES)], created_at=now, updated_at=now,
                    ).returning(CoachingSessionRow.id)
                ).scalar_one()  # fmt: skip
                picked = {"glow": 0, "growth": 0}
                for iid, body in moments:
                    for m in (body or {}).get("moments") or []:
                        kind = m.get("kind") if isinstance(m, dict) else None
                        if kind in picked and picked[kind] < 2:
                            picked[kind] += 1
                            conn.execute(
                                insert(CoachingMomentRow).values(
                                    session_id=sid, interaction_id=iid, turn=m.get("turn"), kind=kind,
                                    theme=str(m.get("reason") or kind)[:200], reason=str(m.get("reason") or ""),
                                )  # fmt: skip
                            )
                for k, (text, owner) in enumerate(_DEMO_ACTIONS[: 2 + n % 2]):
                    due = held_day + timedelta(days=(3, 7, 21)[k % 3])
                    done = k == 0
                    conn.execute(
                        insert(CoachingActionRow).values(
                            session_id=sid, agent_id=agent_id, text=text, owner=owner, due_on=due,
                            status="done" if done else "open",
                            followed_up_at=now - timedelta(days=1) if done else None, created_at=now,
                        )  # fmt: skip
                    )
                conn.execute(
                    insert(CoachingSessionRow).values(
                        lead_user_id=lead_id, agent_id=agent_id, planned_for=today + timedelta(days=1 + n),
                        held_on=None, status="planned", opened_with_support_question=False,
                        opening_question=SUPPORT_QUESTION, notes="", created_at=now, updated_at=now,
                    )  # fmt: skip
                )
                kind, title = _DEMO_GOALS[n % len(_DEMO_GOALS)]
                conn.execute(
                    insert(DevelopmentGoalRow).values(
                        agent_id=agent_id, kind=kind, title=title, detail="", status="in_progress" if n % 2 else "open",
                        due_on=today + timedelta(days=30), created_at=now, updated_at=now,
                    )  # fmt: skip
                )
                conn.execute(
                    insert(CelebrationRow).values(
                        agent_id=agent_id, lead_user_id=lead_id, session_id=sid, kind=("effort", "learning")[n % 2],
                        text="Stayed with a distressed customer through a long outage call and kept them informed.",
                        day=held_day, created_at=now,
                    )  # fmt: skip
                )
                if n % 2 == 0:
                    conn.execute(
                        insert(ListeningRow).values(
                            lead_user_id=lead_id, agent_id=agent_id, kind=LISTENING_KINDS[n // 2 % 2],
                            day=today - timedelta(days=4 + n), minutes=float(30 + 15 * n),
                            note="Listened to a morning of billing calls alongside them.", created_at=now,
                        )  # fmt: skip
                    )
        if conn.execute(select(CalibrationScoreRow.id).limit(1)).first() is None:
            reviewers = conn.execute(
                select(UserRow.id).where(UserRow.role.in_(("lead", "manager")), UserRow.active.is_(True)).order_by(UserRow.id)
            ).scalars().all()[:3]
            sample = conn.execute(
                select(AnalysisRow.interaction_id, AnalysisRow.body)
                .join(InteractionRow, InteractionRow.id == AnalysisRow.interaction_id)
                .order_by(InteractionRow.started_at.desc(), InteractionRow.id.desc())
                .limit(CALIBRATION_SAMPLE)
            ).all()
            rows = []
            for uid in reviewers:
                for iid, body in sample:
                    found = model_behaviours(body)
                    for b in BEHAVIOURS:
                        # reviewers mostly agree with the model, more often on clear behaviours
                        doubt = 0.25 if b in ("explore", "paraphrase", "validate") else 0.08
                        present = (b in found) != (rng.random() < doubt)
                        rows.append({"reviewer_user_id": uid, "interaction_id": iid, "behaviour": b,
                                     "present": present, "created_at": now})  # fmt: skip
            if rows:
                conn.execute(insert(CalibrationScoreRow), rows)

