"""Voice of the Agent pages: barriers and their threads, the weekly pulse and check-in,
"you said, we did", leadership feedback, and ``GET /api/pulse/results``.

The workflow rules live in :mod:`heartline.people.voice` and :mod:`heartline.people.pulse`;
every figure passes :class:`heartline.people.anonymity.AnonymityGate`.  This module loads
the library's records from the store, lets the library act, and writes back what changed.

Anonymity in the web layer:

* An anonymous barrier is recognised as "mine" only by recomputing the keyed hash of
  (barrier id, signed-in user id) with the application's secret; nothing stores or
  shows the author.  Author actions (reply, confirm, me too) post the barrier id in
  the form body, not the path, so access logs do not tie a barrier to a client.
* Pulse answers are stored without a user id; a per-week keyed token stops a second
  answer and is the respondent key the gate counts (so blocks are weekly: a person
  counts once per week, never more).
* Nothing here logs who acted.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import Connection, Engine, insert, select, update

from heartline.insights import kpis
from heartline.people import pulse as pulse_lib
from heartline.people import voice as voice_lib
from heartline.people.anonymity import (
    AnonymityError,
    Query,
    Shown,
    export_results,
    shift_band,
    tenure_band,
)
from heartline.people.voice import (
    Actor,
    Barrier,
    BarrierError,
    Category,
    Message,
    Status,
)
from heartline.store.tables import AgentRow, InteractionRow, ShiftRow, TeamRow
from heartline.store.tables_voice import (
    BarrierMessageRow,
    BarrierRow,
    BarrierSupportRow,
    CheckInNoteRow,
    DecisionFeedbackRow,
    DecisionResponseRow,
    DecisionRow,
    PulseAnswerRow,
)
from heartline.store.tables_web import UserRow, UserTeamRow
from heartline.web.charts import Series, line_chart
from heartline.web.deps import (
    AgentOnly,
    ApiReader,
    Csrf,
    CurrentUser,
    EngineDep,
    Leader,
    Manager,
    Principal,
)
from heartline.web.errors import BadRequest, Forbidden, NotFound
from heartline.web.queries import orm
from heartline.web.routes import render

router = APIRouter(include_in_schema=False)

#: Working days within which a leader should first respond to a barrier
#: (setting ``HEARTLINE_VOICE_RESPONSE_DAYS``).
RESPONSE_TARGET_DAYS = voice_lib.DEFAULT_RESPONSE_DAYS
#: Rotating questions on each week's pulse, besides eNPS and wellbeing (1-3;
#: setting ``HEARTLINE_VOICE_PULSE_ROTATING``).
PULSE_ROTATING = 2
#: Closed weeks of pulse results charted on the leader's page (``HEARTLINE_VOICE_PULSE_WEEKS``).
PULSE_WEEKS = 12
#: Team key used in pulse answers of agents without a team.
NO_TEAM = "unassigned"
CLOSED = (Status.resolved, Status.wont_fix)


def now() -> datetime:
    """The current time (one place, so tests can move the clock)."""
    return datetime.now(UTC)


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def _thresholds(request: Request) -> tuple[int, int]:
    s = request.app.state.settings
    return int(s.anonymity_min_scores), int(s.anonymity_min_comments)


def _actor(user: Principal) -> Actor:
    return Actor(id=str(user.id), name=user.name, role=user.role)  # type: ignore[arg-type]


def _once_token(secret: str, purpose: str, scope: str, user_id: int) -> str:
    """A keyed hash of (purpose, scope, user): one answer per person per week or decision."""
    message = f"{purpose}\x1f{scope}\x1f{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- barriers: store <-> library ----------------------------------------------------------


def _barriers(conn: Connection, *conditions: Any) -> list[Barrier]:
    """Barriers (with threads and supporters) as the library's records."""
    rows = orm(conn).execute(
        select(BarrierRow, TeamRow.name.label("team_name"), UserRow.display_name.label("author_name"))
        .outerjoin(TeamRow, TeamRow.id == BarrierRow.team_id)
        .outerjoin(UserRow, UserRow.id == BarrierRow.author_user_id)
        .where(*conditions)
        .order_by(BarrierRow.created_at.desc(), BarrierRow.id)
    ).all()
    if not rows:
        return []
    ids = [r.BarrierRow.id for r in rows]
    messages: dict[str, list[Message]] = {}
    for m in orm(conn).execute(
        select(BarrierMessageRow).where(BarrierMessageRow.barrier_id.in_(ids)).order_by(BarrierMessageRow.id)
    ).scalars():
        messages.setdefault(m.barrier_id, []).append(
            Message(
                "author" if m.role == "author" else "leader",
                m.leader_name, m.leader_role, m.text, m.at,
                str(m.leader_user_id) if m.leader_user_id is not None else None,
            )
        )
    support: dict[str, set[str]] = {}
    for s in orm(conn).execute(select(BarrierSupportRow).where(BarrierSupportRow.barrier_id.in_(ids))).scalars():
        support.setdefault(s.barrier_id, set()).add(s.person_token)
    out: list[Barrier] = []
    for r in rows:
        b = r.BarrierRow
        named = not b.anonymous
        out.append(
            Barrier(
                id=b.id, category=Category(b.category), text=b.text, raised_at=b.created_at,
                anonymous=b.anonymous, team=r.team_name,
                author_id=str(b.author_user_id) if named and b.author_user_id is not None else None,
                author_name=r.author_name if named else None,
                evidence_interaction_id=str(b.interaction_id) if named and b.interaction_id else None,
                status=Status(b.status), thread=messages.get(b.id, []), resolution=b.reason,
                resolved_at=b.resolved_at, confirmed_by_author=b.confirmed_by_author,
                first_response_at=b.first_response_at, _author_token=b.author_token,
                _author_person=b.author_person, _supporters=support.get(b.id, set()),
            )
        )
    return out


def _save(conn: Connection, b: Barrier, thread_before: int, supporters_before: set[str]) -> None:
    """Write back what the library changed: status fields, new messages, new supporters."""
    values: dict[str, Any] = {
        "status": b.status.value,
        "reason": b.resolution,
        "confirmed_by_author": b.confirmed_by_author,
        "first_response_at": b.first_response_at,
        "resolved_at": b.resolved_at,
    }
    if b.history and b.history[-1].after is Status.acknowledged:
        values["acknowledged_at"] = b.history[-1].at
    conn.execute(update(BarrierRow).where(BarrierRow.id == b.id).values(**values))
    for m in b.thread[thread_before:]:
        conn.execute(
            insert(BarrierMessageRow).values(
                barrier_id=b.id, role=m.role, text=m.text, at=m.at,
                leader_user_id=int(m.leader_id) if m.leader_id else None,
                leader_name=m.name if m.role == "leader" else None,
                leader_role=m.leader_role if m.role == "leader" else None,
            )
        )
    for token in b._supporters - supporters_before:
        conn.execute(insert(BarrierSupportRow).values(barrier_id=b.id, person_token=token))


def _leader_scope(user: Principal) -> list[Any]:
    """Barriers a leader may see: their teams' (leads) or every one (managers, admins)."""
    if user.sees_all_teams:
        return []
    return [BarrierRow.team_id.in_(sorted(user.lead_team_ids))]


def _agent_visible(user: Principal) -> list[Any]:
    """Barriers an agent may see (without author): their team's and centre-level ones."""
    if user.agent_team_id is None:
        return [BarrierRow.team_id.is_(None)]
    return [(BarrierRow.team_id == user.agent_team_id) | BarrierRow.team_id.is_(None)]


def _mine(conn: Connection, user: Principal, secret: str) -> list[Barrier]:
    """The barriers this agent raised: recognised by recomputing each barrier's keyed hash."""
    actor = _actor(user)
    ids = [
        r.id
        for r in conn.execute(select(BarrierRow.id, BarrierRow.author_token))
        if hmac.compare_digest(r.author_token, voice_lib._token(secret, "author", r.id, actor.id))
    ]
    return _barriers(conn, BarrierRow.id.in_(ids)) if ids else []


def _one(conn: Connection, user: Principal, barrier_id: str, secret: str) -> Barrier:
    """A barrier this principal may act on (leader in scope, or its author)."""
    if user.role == "agent":
        found = [b for b in _mine(conn, user, secret) if b.id == barrier_id]
        if not found:  # a colleague's barrier, for "me too"
            found = _barriers(conn, BarrierRow.id == barrier_id, *_agent_visible(user))
    else:
        found = _barriers(conn, BarrierRow.id == barrier_id, *_leader_scope(user))
    if not found:
        raise NotFound("no such barrier among those you can see")
    return found[0]


def _act(engine: Engine, user: Principal, barrier_id: str, secret: str, action) -> Barrier:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        b = _one(conn, user, barrier_id, secret)
        before_thread, before_support = len(b.thread), set(b._supporters)
        try:
            action(b)
        except BarrierError as exc:
            raise BadRequest(str(exc)) from None
        _save(conn, b, before_thread, before_support)
    return b


# --- pulse: store <-> library -------------------------------------------------------------


def _responses(conn: Connection) -> list[pulse_lib.PulseResponse]:
    out: list[pulse_lib.PulseResponse] = []
    for r in orm(conn).execute(select(PulseAnswerRow)).scalars():
        monday, _ = pulse_lib.week_bounds(r.week)
        out.append(
            pulse_lib.PulseResponse(
                respondent=r.once_token, team=r.team_key, day=monday,
                answers={k: int(v) for k, v in (r.answers or {}).items()}, comment=r.comment,
                tenure=r.tenure, shift=r.shift,
            )
        )
    return out


def _team_keys(conn: Connection, user: Principal) -> list[tuple[str, str]]:
    """(key, name) of the teams whose pulse this principal may read."""
    q = select(TeamRow.key, TeamRow.name).order_by(TeamRow.name)
    if user.team_ids is not None:
        q = q.where(TeamRow.id.in_(user.team_ids))
    return [(r.key, r.name) for r in conn.execute(q)]


def _bands(conn: Connection, user: Principal, today: date) -> tuple[str, str, str]:
    """The agent's team key, tenure band and shift band (their latest shift's start hour)."""
    row = conn.execute(
        select(AgentRow.hired_on, TeamRow.key)
        .outerjoin(TeamRow, TeamRow.id == AgentRow.team_id)
        .where(AgentRow.id == user.agent_id)
    ).first()
    start = conn.execute(
        select(ShiftRow.start).where(ShiftRow.agent_id == user.agent_id).order_by(ShiftRow.day.desc()).limit(1)
    ).scalar()
    team = (row.key if row and row.key else None) or NO_TEAM
    tenure = tenure_band(row.hired_on if row else None, today)
    return team, tenure, shift_band(start.hour if start is not None else None)


def _last_closed_week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday - timedelta(days=1)


def _enps_chart(title: str, labels: Sequence[str], values: Sequence[float | None]) -> Markup:
    """eNPS over time on its own -100..100 scale, with the zero line drawn; gaps stay gaps."""
    width, height, left, right, top, bottom = 460, 180, 44, 10, 30, 26
    pw, ph = width - left - right, height - top - bottom
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (100 - max(-100.0, min(100.0, v))) / 200

    parts = [
        (
            f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
            f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<text x="2" y="12" class="ctitle">{escape(title)}</text>'
        )
    ]
    for v in (100, 50, 0, -50, -100):
        cls = "trail" if v == 0 else "grid"
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="{cls}"/>')
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" class="axis" text-anchor="end">{v}</text>')
    step = max(1, (n + 5) // 6)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" class="axis" text-anchor="middle">{escape(label)}</text>')
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        parts.append(
            f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2 - 8:.1f}" class="nodata" text-anchor="middle">'
            "hidden: too few answers</text>"
        )
    run: list[str] = []
    segments: list[list[str]] = []  # a gap (hidden week) breaks the line
    for i, v in enumerate(values):
        if v is None:
            if run:
                segments.append(run)
            run = []
        else:
            run.append(f"{x(i):.1f},{y(v):.1f}")
    if run:
        segments.append(run)
    for seg in segments:
        if len(seg) == 1:
            cx, cy = seg[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="#be185d"/>')
        else:
            parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="#be185d" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class TeamPulse:
    key: str
    name: str
    latest: dict[str, Any]
    comments: dict[str, Any]
    enps_chart: Markup
    wellbeing_chart: Markup
    week_label: str


def _team_pulse(
    responses: list[pulse_lib.PulseResponse], key: str, name: str, today: date, request: Request
) -> TeamPulse:
    min_scores, min_comments = _thresholds(request)
    last_monday, last_sunday = _last_closed_week(today)
    first_monday = last_monday - timedelta(weeks=PULSE_WEEKS - 1)
    query = Query.make(teams=key, start=first_monday, end=last_sunday)
    series = pulse_lib.pulse_series(
        responses, query, min_scores=min_scores, min_comments=min_comments, grain="week", as_of=today
    )
    by_period = {p.period: p for p in series}
    weeks = [pulse_lib.iso_week(first_monday + timedelta(weeks=i)) for i in range(PULSE_WEEKS)]
    labels = [w.split("-")[1] for w in weeks]
    enps_values = [by_period[w].enps if w in by_period else None for w in weeks]
    wellbeing_values = [by_period[w].wellbeing if w in by_period else None for w in weeks]
    # the last four closed weeks together: a steadier read than one week
    recent = Query.make(teams=key, start=last_monday - timedelta(weeks=3), end=last_sunday)
    result = pulse_lib.pulse_results(
        responses, recent, min_scores=min_scores, min_comments=min_comments, grain="week", as_of=today
    )
    return TeamPulse(
        key, name, result["scores"], result["comments"],  # type: ignore[arg-type]
        _enps_chart(f"eNPS by week, {name}", labels, enps_values),
        line_chart(
            f"How are you really doing? (1–5), {name}", labels,
            [Series("wellbeing", wellbeing_values, "#0f766e")], y_max=5,
        ),
        f"{(last_monday - timedelta(weeks=3)).strftime('%d %b')} – {last_sunday.strftime('%d %b')}",
    )


# --- eNPS on the dashboard ------------------------------------------------------------------


def _whole_closed_weeks(start: date | None, end: date | None, today: date) -> tuple[date, date] | None:
    """The whole Monday-to-Sunday weeks inside [start, end] that have closed, or None."""
    _, last_sunday = _last_closed_week(today)
    end = min(end or last_sunday, last_sunday)
    end = end - timedelta(days=(end.weekday() + 1) % 7)  # back to a Sunday
    if start is None:
        start = end - timedelta(days=PULSE_WEEKS * 7 - 1)
    start = start + timedelta(days=(7 - start.weekday()) % 7)  # on to a Monday
    return (start, end) if start < end else None


def dashboard_enps(conn: Connection, flt: Any) -> tuple[int, int, int] | None:
    """eNPS counts for the dashboard's KPI tile, through the anonymity gate.

    Only team-level selections get a figure (never an agent's); the date range is narrowed
    to the whole closed weeks inside it, and the gate answers from whole blocks of at least
    five people, or not at all ("no data").
    """
    if flt.agent_ids is not None:
        return None
    weeks = _whole_closed_weeks(flt.start, flt.end, now().date())
    if weeks is None:
        return None
    keys: list[str] | None = None
    if flt.team_ids is not None:
        keys = list(conn.execute(select(TeamRow.key).where(TeamRow.id.in_(flt.team_ids))).scalars())
        if not keys:
            return None
    from heartline.people.anonymity import AnonymityGate, Thresholds

    def counts(by_key: Any) -> dict[str, object]:
        values = by_key.get("enps") or []
        return {"n": len(values), "promoters": sum(v >= 9 for v in values),
                "detractors": sum(v <= 6 for v in values)}  # fmt: skip

    gate = AnonymityGate(
        (r.contribution() for r in _responses(conn)),
        thresholds=Thresholds(_DASHBOARD_MIN_SCORES, _DASHBOARD_MIN_SCORES * 2),
        grain="week", as_of=now().date(),
    )  # fmt: skip
    result = gate.scores(Query.make(teams=keys, start=weeks[0], end=weeks[1]), counts)
    if not isinstance(result, Shown) or not result.figures.get("n"):
        return None
    f = result.figures
    return int(f["n"]), int(f["promoters"]), int(f["detractors"])  # type: ignore[call-overload]


#: The dashboard has no request to read settings from; the default score threshold applies.
_DASHBOARD_MIN_SCORES = 5

if dashboard_enps not in kpis.ENPS_SOURCES:
    kpis.ENPS_SOURCES.append(dashboard_enps)


# --- themes ------------------------------------------------------------------------------

_EMBEDDER: list[Any] = []


def _embedder(request: Request):  # type: ignore[no-untyped-def]
    custom = getattr(request.app.state, "voice_embedder", None)
    if custom is not None:
        return custom
    if not _EMBEDDER:
        from heartline.people.themes import minilm_embedder

        _EMBEDDER.append(minilm_embedder())
    return _EMBEDDER[0]


def _themes(request: Request, barriers: list[Barrier]) -> tuple[list[Any], str | None]:
    open_ones = [b for b in barriers if b.status not in CLOSED]
    if len(open_ones) < 2:
        return [], None
    from heartline.people.themes import ThemesError, barrier_texts, find_themes

    try:
        found = find_themes(barrier_texts(open_ones), _embedder(request))
    except (ThemesError, ImportError, OSError) as exc:
        return [], f"themes are unavailable: {exc.__class__.__name__}"
    return [t for t in found if len(t.barrier_ids) >= 2][:6], None


# --- the page -----------------------------------------------------------------------------


@dataclass
class BarrierView:
    b: Barrier
    thread: list[voice_lib.ThreadEntry]
    overdue: bool
    due: date
    next_statuses: list[Status] = field(default_factory=list)
    supported: bool = False

    @property
    def who(self) -> str:
        return self.b.author_label


def _leader_view(b: Barrier, user: Principal, secret: str, at: datetime) -> BarrierView:
    return BarrierView(
        b, voice_lib.thread_view(b, _actor(user), secret),
        voice_lib.is_overdue(b, at, target_days=RESPONSE_TARGET_DAYS),
        voice_lib.response_due(b, target_days=RESPONSE_TARGET_DAYS),
        sorted(voice_lib.TRANSITIONS[b.status]),
    )


@router.get("/voice", response_class=HTMLResponse)
def voice_page(request: Request, user: CurrentUser, engine: EngineDep) -> HTMLResponse:
    secret = _secret(request)
    at = now()
    today = at.date()
    ctx: dict[str, Any] = {
        "categories": list(Category), "target_days": RESPONSE_TARGET_DAYS,
        "prompts": pulse_lib.CHECKIN_PROMPTS, "week": pulse_lib.iso_week(today),
    }
    with engine.connect() as conn:
        if user.role == "agent":
            actor = _actor(user)
            mine = _mine(conn, user, secret)
            mine_ids = {b.id for b in mine}
            ctx["mine"] = [
                BarrierView(b, voice_lib.thread_view(b, actor, secret), False,
                            voice_lib.response_due(b, target_days=RESPONSE_TARGET_DAYS))
                for b in mine
            ]
            person = voice_lib._token(secret, "person", "", actor.id)
            ctx["colleagues"] = [
                BarrierView(b, [], False, voice_lib.response_due(b), supported=person in b._supporters)
                for b in _barriers(conn, *_agent_visible(user), BarrierRow.status.not_in([s.value for s in CLOSED]))
                if b.id not in mine_ids
            ]
            ctx["team_name"] = conn.execute(
                select(TeamRow.name).where(TeamRow.id == user.agent_team_id)
            ).scalar() if user.agent_team_id is not None else None  # fmt: skip
            token = _once_token(secret, "pulse", ctx["week"], user.id)
            answered = conn.execute(select(PulseAnswerRow.id).where(PulseAnswerRow.once_token == token)).first()
            ctx["pulse_form"] = None if answered else pulse_lib.weekly_pulse(today, rotating=PULSE_ROTATING)
            ctx["free_text"] = pulse_lib.FREE_TEXT_PROMPT
            return render(request, "voice_agent.html", **ctx)
        barriers = _barriers(conn, *_leader_scope(user))
        views = [_leader_view(b, user, secret, at) for b in barriers]
        ctx["open"] = [v for v in views if v.b.status not in CLOSED]
        ctx["closed"] = [v for v in views if v.b.status in CLOSED][:20]
        ctx["overdue"] = [v for v in ctx["open"] if v.overdue]
        ctx["themes"], ctx["themes_note"] = _themes(request, barriers)
        responses = _responses(conn)
        teams = _team_keys(conn, user)
        ctx["pulses"] = [_team_pulse(responses, key, name, today, request) for key, name in teams]
        team_rows = conn.execute(
            select(TeamRow.id, TeamRow.name).order_by(TeamRow.name)
            .where(*([TeamRow.id.in_(user.team_ids)] if user.team_ids is not None else []))
        ).all()  # fmt: skip
        ctx["checkin_teams"] = team_rows
        notes = orm(conn).execute(
            select(CheckInNoteRow, TeamRow.name.label("team_name"))
            .join(TeamRow, TeamRow.id == CheckInNoteRow.team_id)
            .where(CheckInNoteRow.team_id.in_([t.id for t in team_rows]))
            .order_by(CheckInNoteRow.created_at.desc())
            .limit(30)
        ).all()
        ctx["notes"] = notes
    return render(request, "voice_lead.html", **ctx)


@router.post("/voice/barriers", dependencies=[Csrf])
def raise_barrier(
    request: Request,
    user: AgentOnly,
    engine: EngineDep,
    category: Annotated[str, Form(max_length=30)],
    text: Annotated[str, Form(max_length=4000)],
    anonymous: Annotated[str | None, Form(max_length=5)] = None,
    share: Annotated[str, Form(max_length=10)] = "team",
    interaction_id: Annotated[str | None, Form(max_length=20)] = None,
) -> RedirectResponse:
    """An agent raises a barrier.  Anonymous: nothing that names them is stored."""
    secret = _secret(request)
    is_anonymous = anonymous in ("on", "yes", "true", "1")
    evidence: int | None = None
    with engine.begin() as conn:
        if interaction_id and interaction_id.strip():
            if is_anonymous:
                raise BadRequest(
                    "an anonymous barrier cannot link an interaction, because the interaction shows "
                    "who handled it; quote the words that matter in the text instead"
                )
            try:
                evidence = int(interaction_id.strip())
            except ValueError:
                raise BadRequest("the interaction is its number, as in /interactions/123") from None
            own = conn.execute(
                select(InteractionRow.id).where(
                    InteractionRow.id == evidence, InteractionRow.agent_id == user.agent_id
                )
            ).first()
            if own is None:
                raise BadRequest("link one of your own interactions as evidence")
        team_id = user.agent_team_id if share == "team" else None
        barrier_id = secrets.token_hex(12)
        try:
            b = voice_lib.raise_barrier(
                barrier_id=barrier_id, author=_actor(user), category=category, text=text, at=now(),
                secret=secret, anonymous=is_anonymous, evidence_interaction_id=str(evidence) if evidence else None,
            )
        except BarrierError as exc:
            raise BadRequest(str(exc)) from None
        conn.execute(
            insert(BarrierRow).values(
                id=b.id, category=b.category.value, text=b.text, anonymous=b.anonymous,
                author_token=b._author_token, author_person=b._author_person,
                author_user_id=None if b.anonymous else user.id,
                interaction_id=None if b.anonymous else evidence, team_id=team_id,
                status=b.status.value, created_at=b.raised_at,
            )
        )
    return _redirect("/voice#mine")


@router.post("/voice/barriers/me-too", dependencies=[Csrf])
def me_too(
    request: Request, user: AgentOnly, engine: EngineDep, barrier_id: Annotated[str, Form(max_length=32)]
) -> RedirectResponse:
    secret = _secret(request)
    _act(engine, user, barrier_id, secret, lambda b: voice_lib.add_me_too(b, _actor(user), secret))
    return _redirect("/voice#colleagues")


@router.post("/voice/barriers/reply", dependencies=[Csrf])
def reply(
    request: Request,
    user: CurrentUser,
    engine: EngineDep,
    barrier_id: Annotated[str, Form(max_length=32)],
    text: Annotated[str, Form(max_length=4000)],
) -> RedirectResponse:
    """The author (as "the author" when anonymous) or a leader in scope writes in the thread."""
    secret = _secret(request)
    _act(engine, user, barrier_id, secret, lambda b: voice_lib.post_message(b, _actor(user), text, now(), secret))
    return _redirect(f"/voice#barrier-{barrier_id}")


@router.post("/voice/barriers/status", dependencies=[Csrf])
def change_status(
    request: Request,
    user: Leader,
    engine: EngineDep,
    barrier_id: Annotated[str, Form(max_length=32)],
    status: Annotated[str, Form(max_length=20)],
    reason: Annotated[str | None, Form(max_length=4000)] = None,
) -> RedirectResponse:
    secret = _secret(request)
    _act(engine, user, barrier_id, secret,
         lambda b: voice_lib.change_status(b, _actor(user), status, now(), reason=reason))  # fmt: skip
    return _redirect(f"/voice#barrier-{barrier_id}")


@router.post("/voice/barriers/confirm", dependencies=[Csrf])
def confirm(
    request: Request,
    user: AgentOnly,
    engine: EngineDep,
    barrier_id: Annotated[str, Form(max_length=32)],
    resolved: Annotated[str, Form(max_length=5)],
    comment: Annotated[str | None, Form(max_length=4000)] = None,
) -> RedirectResponse:
    """Only the author says whether the fix worked for them ("no" reopens it)."""
    secret = _secret(request)
    yes = resolved == "yes"
    _act(engine, user, barrier_id, secret,
         lambda b: voice_lib.confirm_resolved(b, _actor(user), now(), secret, resolved=yes, comment=comment))  # fmt: skip
    return _redirect("/voice#mine")


@router.post("/voice/pulse", dependencies=[Csrf])
async def answer_pulse(request: Request, user: AgentOnly, engine: EngineDep) -> RedirectResponse:
    """This week's pulse: stored with team, week and bands only, once per person and week."""
    form = await request.form()
    secret = _secret(request)
    at = now()
    today = at.date()
    week = pulse_lib.weekly_pulse(today, rotating=PULSE_ROTATING)
    answers: dict[str, int] = {}
    for q in week.questions:
        raw = str(form.get(f"q_{q.id}", "") or "").strip()
        if not raw:
            continue
        try:
            answers[q.id] = int(raw)
        except ValueError:
            raise BadRequest(f"the answer to {q.id!r} must be a whole number") from None
    comment = str(form.get("comment", "") or "").strip() or None
    with engine.begin() as conn:
        team, tenure, shift = _bands(conn, user, today)
        token = _once_token(secret, "pulse", week.week, user.id)
        try:
            response = pulse_lib.submit(
                pulse_lib.PulseResponse(token, team, today, answers, comment, tenure, shift), at,
                rotating=PULSE_ROTATING,
            )
        except (pulse_lib.PulseError, AnonymityError) as exc:
            raise BadRequest(str(exc)) from None
        if conn.execute(select(PulseAnswerRow.id).where(PulseAnswerRow.once_token == token)).first():
            raise BadRequest("you have already answered this week's pulse; thank you")
        conn.execute(
            insert(PulseAnswerRow).values(
                id=secrets.token_hex(12), once_token=token, week=week.week, team_key=team,
                tenure=tenure, shift=shift, answers=dict(response.answers), comment=response.comment,
            )
        )
    return _redirect("/voice#pulse")


@router.post("/voice/checkins", dependencies=[Csrf])
def add_checkin_note(
    request: Request,
    user: Leader,
    engine: EngineDep,
    team_id: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=4000)],
    prompt: Annotated[str | None, Form(max_length=300)] = None,
) -> RedirectResponse:
    """The lead's note of the weekly 10-minute check-in (what was said, not who said it)."""
    if user.team_ids is not None and team_id not in user.team_ids:
        raise Forbidden("that team is not one of yours")
    at = now()
    with engine.begin() as conn:
        team = conn.execute(select(TeamRow.name).where(TeamRow.id == team_id)).scalar()
        if team is None:
            raise NotFound("no such team")
        checkin = pulse_lib.checkin(team, at.date())
        try:
            note = checkin.add_note(user.name, text, at)
        except pulse_lib.PulseError as exc:
            raise BadRequest(str(exc)) from None
        chosen = prompt if prompt in checkin.prompts else None
        conn.execute(
            insert(CheckInNoteRow).values(
                team_id=team_id, week=checkin.week, prompt=chosen, text=note.text,
                author_user_id=user.id, author_name=user.name, created_at=at,
            )
        )
    return _redirect("/voice#checkin")


@router.get("/voice/you-said-we-did", response_class=HTMLResponse)
def you_said_we_did(request: Request, user: CurrentUser, engine: EngineDep) -> HTMLResponse:
    """Resolved barriers of the teams this person belongs to or leads (and centre-level ones)."""
    with engine.connect() as conn:
        if user.role == "agent":
            scope = _agent_visible(user)
        elif user.sees_all_teams:
            scope = []
        else:
            scope = [BarrierRow.team_id.in_(sorted(user.lead_team_ids)) | BarrierRow.team_id.is_(None)]
        barriers = _barriers(conn, BarrierRow.status == Status.resolved.value, *scope)
    rows = voice_lib.you_said_we_did(barriers)
    return render(request, "voice_board.html", rows=rows)


@router.get("/voice/pulse/export.csv")
def export_pulse(request: Request, user: Leader, engine: EngineDep) -> Response:
    """Weekly pulse results of the leader's teams as CSV: gated results only."""
    min_scores, min_comments = _thresholds(request)
    today = now().date()
    last_monday, _ = _last_closed_week(today)
    first = last_monday - timedelta(weeks=PULSE_WEEKS - 1)
    rows: list[tuple[str, Any]] = []
    with engine.connect() as conn:
        responses = _responses(conn)
        teams = _team_keys(conn, user)
    from heartline.people.anonymity import AnonymityGate, Thresholds

    gate = AnonymityGate(
        (r.contribution() for r in responses), thresholds=Thresholds(min_scores, min_comments),
        grain="week", as_of=today,
    )
    for key, name in teams:
        for week_start in (first + timedelta(weeks=i) for i in range(PULSE_WEEKS)):
            q = Query.make(teams=key, start=week_start, end=week_start + timedelta(days=6))
            rows.append((f"{name} {pulse_lib.iso_week(week_start)}", gate.scores(q, pulse_lib.summarise)))
    body = export_results(rows, fmt="csv")
    return Response(
        body, media_type="text/csv",
        headers={"content-disposition": 'attachment; filename="pulse-results.csv"'},
    )


@router.get("/api/pulse/results")
def api_pulse_results(
    request: Request,
    user: ApiReader,
    engine: EngineDep,
    team: str | None = None,
    tenure: str | None = None,
    shift: str | None = None,
) -> dict[str, Any]:
    """Pulse figures for teams and whole weeks (``from`` a Monday ``to`` a Sunday), or
    ``{"hidden": true, "reason": ...}``; comments likewise under ``comments``."""
    if user.role == "agent":
        raise Forbidden("pulse results are for leaders; your own answers are never shown to anyone")
    params = request.query_params
    start, end = params.get("from"), params.get("to")
    min_scores, min_comments = _thresholds(request)
    with engine.connect() as conn:
        mine = _team_keys(conn, user)
        by_name = {name.casefold(): key for key, name in _team_keys(conn, _everyone(user))}
        responses = _responses(conn)
    allowed = {key for key, _ in mine}
    try:
        query = Query.from_params(team=team, start=start, end=end, tenure=tenure, shift=shift)
    except AnonymityError as exc:
        raise BadRequest(str(exc)) from None
    if query.teams is None:
        teams = frozenset(allowed) if user.team_ids is not None else None
    else:
        teams = frozenset(by_name.get(t.casefold(), t) for t in query.teams)
        if user.team_ids is not None and not teams <= allowed:
            raise Forbidden("you can read the pulse of your own teams only")
    query = Query(teams, query.start, query.end, query.tenure, query.shifts)
    result = pulse_lib.pulse_results(
        responses, query, min_scores=min_scores, min_comments=min_comments, grain="week", as_of=now().date()
    )
    return {**result["scores"], "comments": result["comments"]}  # type: ignore[dict-item]


def _everyone(user: Principal) -> Principal:
    """A principal that sees every team, only to map team names to keys (never to read data)."""
    return Principal(id=user.id, login=user.login, name=user.name, role="manager")


# --- leadership feedback ------------------------------------------------------------------


def _decision(row: DecisionRow, responses: list[DecisionResponseRow]) -> voice_lib.LeadershipDecision:
    d = voice_lib.LeadershipDecision(row.id, row.title, row.announced_on, row.closes_on, row.description)
    d.responses.extend(voice_lib.LeaderResponse(r.leader_name, r.leader_role, r.text, r.at) for r in responses)
    return d


@router.get("/voice/leadership", response_class=HTMLResponse)
def leadership(request: Request, user: CurrentUser, engine: EngineDep) -> HTMLResponse:
    secret = _secret(request)
    min_scores, min_comments = _thresholds(request)
    today = now().date()
    items: list[dict[str, Any]] = []
    with engine.connect() as conn:
        rows = orm(conn).execute(select(DecisionRow).order_by(DecisionRow.announced_on.desc())).scalars().all()
        responses = orm(conn).execute(select(DecisionResponseRow).order_by(DecisionResponseRow.id)).scalars().all()
        feedback = orm(conn).execute(select(DecisionFeedbackRow)).scalars().all()
        teams = [key for key, _ in _team_keys(conn, user)]
    for row in rows:
        d = _decision(row, [r for r in responses if r.decision_id == row.id])
        token = _once_token(secret, "leadership", row.id, user.id)
        records = [
            voice_lib.DecisionFeedback(f.decision_id, f.once_token, f.team_key, row.announced_on, f.rating,
                                       f.comment, f.tenure, f.shift)
            for f in feedback if f.decision_id == row.id
        ]
        # leads read their teams; managers everything; agents the whole centre, not counting themselves
        query = Query.make(teams=teams) if user.role == "lead" else Query()
        summary = voice_lib.decision_summary(
            d, records, today, query=query, min_scores=min_scores, min_comments=min_comments,
            viewer=token if user.role == "agent" else None,
        )
        items.append({
            "d": d, "summary": summary, "open": d.is_open(today),
            "rated": any(f.once_token == token for f in feedback),
        })  # fmt: skip
    return render(request, "voice_leadership.html", items=items, today=today)


@router.post("/voice/leadership/decisions", dependencies=[Csrf])
def new_decision(
    user: Manager,
    engine: EngineDep,
    title: Annotated[str, Form(max_length=300)],
    description: Annotated[str, Form(max_length=4000)] = "",
    days: Annotated[int, Form(ge=1, le=90)] = 14,
) -> RedirectResponse:
    at = now()
    try:
        d = voice_lib.leadership_decision(
            secrets.token_hex(12), title, at.date(), description=description, feedback_days=days
        )
    except BarrierError as exc:
        raise BadRequest(str(exc)) from None
    with engine.begin() as conn:
        conn.execute(
            insert(DecisionRow).values(
                id=d.id, title=d.title, description=d.description, announced_on=d.announced_on,
                closes_on=d.closes_on, created_by=user.id, created_at=at,
            )
        )
    return _redirect("/voice/leadership")


@router.post("/voice/leadership/feedback", dependencies=[Csrf])
def rate_decision(
    request: Request,
    user: AgentOnly,
    engine: EngineDep,
    decision_id: Annotated[str, Form(max_length=32)],
    rating: Annotated[int, Form()],
    comment: Annotated[str | None, Form(max_length=2000)] = None,
) -> RedirectResponse:
    """An agent's anonymous rating: no user id stored, one per person and decision."""
    secret = _secret(request)
    at = now()
    with engine.begin() as conn:
        row = orm(conn).execute(select(DecisionRow).where(DecisionRow.id == decision_id)).scalar()
        if row is None:
            raise NotFound("no such leadership decision")
        team, tenure, shift = _bands(conn, user, at.date())
        token = _once_token(secret, "leadership", row.id, user.id)
        try:
            f = voice_lib.rate_decision(
                _decision(row, []), respondent=token, team=team, day=at.date(), rating=rating,
                comment=comment, tenure=tenure, shift=shift,
            )
        except BarrierError as exc:
            raise BadRequest(str(exc)) from None
        if conn.execute(select(DecisionFeedbackRow.id).where(DecisionFeedbackRow.once_token == token)).first():
            raise BadRequest("you have already given feedback on this decision; thank you")
        conn.execute(
            insert(DecisionFeedbackRow).values(
                id=secrets.token_hex(12), decision_id=row.id, once_token=token, team_key=team,
                tenure=tenure, shift=shift, rating=f.rating, comment=f.comment,
            )
        )
    return _redirect("/voice/leadership")


@router.post("/voice/leadership/respond", dependencies=[Csrf])
def respond(
    user: Leader,
    engine: EngineDep,
    decision_id: Annotated[str, Form(max_length=32)],
    text: Annotated[str, Form(max_length=4000)],
) -> RedirectResponse:
    at = now()
    with engine.begin() as conn:
        row = orm(conn).execute(select(DecisionRow).where(DecisionRow.id == decision_id)).scalar()
        if row is None:
            raise NotFound("no such leadership decision")
        try:
            r = voice_lib.respond_to_feedback(_decision(row, []), _actor(user), text, at)
        except BarrierError as exc:
            raise BadRequest(str(exc)) from None
        conn.execute(
            insert(DecisionResponseRow).values(
                decision_id=row.id, leader_user_id=user.id, leader_name=r.name, leader_role=r.role,
                text=r.text, at=r.at,
            )
        )
    return _redirect("/voice/leadership")


# --- demo data ----------------------------------------------------------------------------

#: Leaders' "we did" lines for resolved demo barriers, by category.
_DEMO_WE_DID: dict[str, str] = {
    "knowledge_base": "Rewrote the article with the current prices and added an owner who reviews it monthly.",
    "tools_tech": "IT raised the CRM session limit; the freeze is gone in our tests, tell us if you still see it.",
    "policy": "Raised the no-approval credit limit to 50 pounds for agents past probation.",
    "scripts": "Dropped the mandatory upsell line from complaint calls.",
    "scheduling": "Swaps can now be agreed between agents and approved within a day.",
    "leadership": "Leads now share the reason for every rota change in the Monday huddle.",
    "other": "Fixed, thanks to everyone who said \"me too\".",
}


def seed_demo(engine: Engine, org: object = None, *, seed: int = 7) -> None:
    """Fill the voice tables with believable demo records: barriers in every state (some
    overdue, some resolved and confirmed), "me too" votes, eight closed weeks of pulse
    answers, check-in notes and two leadership decisions.

    Reads teams, agents and leaders from the store (``org`` is accepted for the demo
    command's signature and not needed).  Idempotent: does nothing when barriers exist.
    Demo authors are demo agents who never sign in, so their author tokens are random.
    """
    from heartline.people.themes import load_fixture

    rng = random.Random(seed)
    at = now()
    today = at.date()
    with engine.begin() as conn:
        if conn.execute(select(BarrierRow.id).limit(1)).first() is not None:
            return
        teams = conn.execute(select(TeamRow.id, TeamRow.key, TeamRow.name).order_by(TeamRow.id)).all()
        agents = conn.execute(select(AgentRow.id, AgentRow.team_id, AgentRow.hired_on).order_by(AgentRow.id)).all()
        if not teams or not agents:
            return
        leads: dict[int, tuple[int, str]] = {}
        for r in conn.execute(
            select(UserRow.id, UserRow.display_name, UserTeamRow.team_id)
            .join(UserTeamRow, UserTeamRow.user_id == UserRow.id)
            .where(UserRow.role == "lead")
            .order_by(UserRow.id)
        ):
            leads.setdefault(r.team_id, (r.id, r.display_name))
        manager = conn.execute(
            select(UserRow.id, UserRow.display_name).where(UserRow.role == "manager").order_by(UserRow.id)
        ).first()
        key_of = {t.id: t.key for t in teams}
        fixture = load_fixture()
        rng.shuffle(fixture)
        statuses = ["new"] * 6 + ["acknowledged"] * 4 + ["in_progress"] * 4 + ["resolved"] * 5 + ["wont_fix"]
        for n, item in enumerate(fixture[:40]):
            team = teams[n % len(teams)]
            status = statuses[n % len(statuses)]
            raised = (at - timedelta(days=rng.randint(1, 40))).replace(hour=0, minute=0, second=0, microsecond=0)
            barrier_id = secrets.token_hex(12)
            leader_id, leader_name = leads.get(team.id) or (
                (manager.id, manager.display_name) if manager else (None, "Operations")
            )
            responded = None if status == "new" else raised + timedelta(days=rng.randint(1, 6), hours=10)
            resolved = responded + timedelta(days=rng.randint(2, 9)) if status in ("resolved", "wont_fix") and responded else None
            if resolved and resolved > at:
                resolved = at - timedelta(hours=2)
            reason = None
            if status == "resolved":
                reason = _DEMO_WE_DID.get(item.category, _DEMO_WE_DID["other"])
            elif status == "wont_fix":
                reason = "The regulator requires this check on every call; we shortened the wording instead."
            conn.execute(
                insert(BarrierRow).values(
                    id=barrier_id, category=item.category, text=item.text, anonymous=True,
                    author_token=secrets.token_hex(32), author_person=f"demo-{item.agent}",
                    author_user_id=None, interaction_id=None, team_id=team.id, status=status,
                    reason=reason, confirmed_by_author=True if status == "resolved" and n % 2 else None,
                    created_at=raised, first_response_at=responded,
                    acknowledged_at=responded if status != "new" else None, resolved_at=resolved,
                )
            )
            if responded is not None:
                conn.execute(
                    insert(BarrierMessageRow).values(
                        barrier_id=barrier_id, role="leader", leader_user_id=leader_id, leader_name=leader_name,
                        leader_role="lead" if team.id in leads else "manager",
                        text="Thank you for raising this. I have taken it to the ops meeting and will update you here.",
                        at=responded,
                    )
                )
                if n % 3 == 0:
                    conn.execute(
                        insert(BarrierMessageRow).values(
                            barrier_id=barrier_id, role="author", text="Thanks. It happened twice again today.",
                            at=(responded + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0),
                        )
                    )
            for k in range(rng.choice([0, 0, 1, 2, 3, 5])):
                conn.execute(insert(BarrierSupportRow).values(barrier_id=barrier_id, person_token=f"demo-support-{n}-{k}"))
        # eight closed weeks of pulse answers: about four in five agents answer each week
        last_monday, _ = _last_closed_week(today)
        for w in range(8):
            monday = last_monday - timedelta(weeks=w)
            week = pulse_lib.iso_week(monday)
            form = pulse_lib.weekly_pulse(monday, rotating=PULSE_ROTATING)
            for a in agents:
                if rng.random() > 0.8:
                    continue
                mood = rng.gauss(0.3 - 0.04 * (a.team_id or 0) + 0.02 * (8 - w), 0.25)
                answers: dict[str, int] = {}
                for q in form.questions:
                    low, high = q.scale
                    answers[q.id] = max(low, min(high, round(low + (high - low) * (0.5 + mood / 2 + rng.gauss(0, 0.12)))))
                comment = rng.choice([
                    None, None, None, "The new queue split helped.", "Too many back-to-back angry calls on Monday.",
                    "Thanks for fixing the refund limit.", "Knowledge base still out of date on roaming.",
                ])  # fmt: skip
                conn.execute(
                    insert(PulseAnswerRow).values(
                        id=secrets.token_hex(12), once_token=secrets.token_hex(32), week=week,
                        team_key=key_of.get(a.team_id, NO_TEAM) if a.team_id else NO_TEAM,
                        tenure=tenure_band(a.hired_on, monday), shift=rng.choice(["early", "day", "late"]),
                        answers=answers, comment=comment,
                    )
                )
        for team in teams:
            lead = leads.get(team.id)
            for prompt, text in (
                (pulse_lib.CHECKIN_PROMPTS[0], "Billing errors on the new tariff: customers arrive angry before we say hello."),
                (pulse_lib.CHECKIN_PROMPTS[1], "Refunds over the limit: waiting for a supervisor is the worst part."),
                (pulse_lib.CHECKIN_PROMPTS[2], "Pair new starters with a buddy for their first tough calls."),
            ):
                conn.execute(
                    insert(CheckInNoteRow).values(
                        team_id=team.id, week=pulse_lib.iso_week(last_monday), prompt=prompt, text=text,
                        author_user_id=lead[0] if lead else None, author_name=lead[1] if lead else "Team lead",
                        created_at=datetime.combine(last_monday, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9),
                    )
                )
        closed_id, open_id = secrets.token_hex(12), secrets.token_hex(12)
        for decision_id, title, announced, days in (
            (closed_id, "Break rota: fixed 15-minute breaks after every 2 hours", today - timedelta(days=30), 14),
            (open_id, "Team huddles move from Friday to Monday mornings", today - timedelta(days=3), 14),
        ):
            conn.execute(
                insert(DecisionRow).values(
                    id=decision_id, title=title, description="", announced_on=announced,
                    closes_on=announced + timedelta(days=days - 1), created_by=manager.id if manager else None,
                    created_at=datetime.combine(announced, datetime.min.time(), tzinfo=UTC),
                )
            )
        for a in agents:
            if rng.random() > 0.85:
                continue
            conn.execute(
                insert(DecisionFeedbackRow).values(
                    id=secrets.token_hex(12), decision_id=closed_id, once_token=secrets.token_hex(32),
                    team_key=key_of.get(a.team_id, NO_TEAM) if a.team_id else NO_TEAM,
                    tenure=tenure_band(a.hired_on, today), shift="unknown", rating=rng.choice([2, 3, 4, 4, 5, 5]),
                    comment=rng.choice([None, None, "Fixed breaks help after hard calls.", "Too rigid on busy days."]),
                )
            )
        if manager is not None:
            conn.execute(
                insert(DecisionResponseRow).values(
                    decision_id=closed_id, leader_user_id=manager.id, leader_name=manager.display_name,
                    leader_role="manager",
                    text="Thank you. We keep the fixed breaks and add a 5-minute reset after any call you flag as hard.",
                    at=at - timedelta(days=10),
                )
            )
