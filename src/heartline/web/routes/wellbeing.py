"""Resilience and wellbeing pages: breaks after hard contacts, emotional load, burnout and
attrition risk, leader actions, and the WFM export.

Everything shown rests on workload (the difficulty of contacts, from the
customer's side; shifts, occupancy, overtime, breaks); nothing reads an
agent's feelings and nothing here feeds a scorecard.  Who sees what follows
``heartline.insights.risk``: an agent their own page, a lead their teams'
agents, a manager aggregates by team and an individual only when their risk
is red.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import Connection, Engine, select

from heartline.insights.risk import (
    ACTIONS,
    CHECKIN_QUESTIONS,
    ActionTaken,
    Viewer,
    assess,
    before_after,
    can_view,
    suggest_actions,
    wellbeing_view,
)
from heartline.insights.wellbeing import (
    BreakPolicy,
    Heatmap,
    IntervalOccupancy,
    ShiftLoad,
    hardest_stretches,
    load_heatmap,
    occupancy_by_interval,
    shift_loads,
    track_breaks,
)
from heartline.insights.wellbeing_store import (
    DEFAULT_POLICY,
    answer_break,
    change_checkin,
    checkins_for,
    deliver,
    latest_day,
    policy_rows,
    recommend_for,
    recommendations_for,
    record_action,
    save_checkin,
    save_policy,
    workload_history,
)
from heartline.insights.wfm import events_csv
from heartline.store.tables import AgentRow, AnalysisRow, InteractionRow, TeamRow
from heartline.store.tables_wellbeing import LeaderActionRow
from heartline.web.deps import AgentOnly, Csrf, CurrentUser, EngineDep, Leader, Principal, require
from heartline.web.errors import BadRequest, Forbidden, NotFound
from heartline.web.queries import visible_teams
from heartline.web.routes import render

router = APIRouter(include_in_schema=False)

#: Proposed settings, with these defaults until they exist in Settings.
WINDOW_DAYS = 14  # days of load, heatmap and risk window shown
OCCUPANCY_WARN_PCT = 85.0  # HEARTLINE_WELLBEING_OCCUPANCY_WARN
OCCUPANCY_INTERVAL_MIN = 30  # HEARTLINE_WELLBEING_OCCUPANCY_INTERVAL
MIN_GROUP = 5  # HEARTLINE_ANONYMITY_MIN_SCORES (the aggregates' minimum group)
HISTORY_DAYS = 42  # risk window (14) + the agent's own baseline (28)
ACTIONS_SHOWN_DAYS = 60
RECS_SHOWN = 25  # newest team breaks listed on the lead's page
ANSWER_HOURS = 24  # an agent answers a recommendation (taken / not this time) within a day
CHECKINS_SHOWN = 20  # the agent's own newest check-ins listed on their page
CHECKIN_BACKDATE_DAYS = 14  # a check-in may be dated up to two weeks back, never ahead

LeadOnly = Annotated[Principal, Depends(require("lead"))]


# ------------------------------------------------------------------ SVG


def _mix(value: float, peak: float) -> str:
    """White to Heartline's deep pink as the load rises toward the peak."""
    t = 0.0 if peak <= 0 else max(0.0, min(1.0, value / peak))
    lo, hi = (253, 242, 248), (157, 23, 77)
    r, g, b = (round(a + (c - a) * t) for a, c in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(title: str, hm: Heatmap, labels: dict[str, str], *, unit: str = "") -> Markup:
    """Rows by days, each cell the day's summed difficulty; blank where nobody worked."""
    left, top, cw, ch = 150, 34, 40, 24
    width = left + cw * max(len(hm.days), 1) + 10
    height = top + ch * max(len(hm.agents), 1) + 10
    peak = hm.peak
    parts = [
        (
            f'<svg class="chart heatmap" width="{width}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
            f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<text x="2" y="12" class="ctitle">{escape(title)}</text>'
        )
    ]
    for j, d in enumerate(hm.days):
        x = left + cw * j + cw / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top - 6}" class="axis" text-anchor="middle">{d.strftime("%a")[:2]} {d.day}</text>'
        )
    for i, agent in enumerate(hm.agents):
        y = top + ch * i
        name = labels.get(agent, agent)
        parts.append(
            f'<text x="{left - 8}" y="{y + ch / 2 + 4:.0f}" class="axis rowlabel" text-anchor="end">{escape(name)}</text>'
        )
        for j, d in enumerate(hm.days):
            v = hm.values[i][j]
            x = left + cw * j
            tip = f"{name}, {d.strftime('%a %d %b')}: " + (
                "did not work" if v is None else f"load {v:,.0f}{unit}"
            )
            if v is None:
                parts.append(
                    f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" class="hm-off" rx="3">'
                    f"<title>{escape(tip)}</title></rect>"
                )
                continue
            fill = _mix(v, peak)
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" fill="{fill}" rx="3">'
                f"<title>{escape(tip)}</title></rect>"
            )
            ink = "hm-ink-light" if peak and v / peak > 0.55 else "hm-ink"
            parts.append(
                f'<text x="{x + cw / 2:.0f}" y="{y + ch / 2 + 4:.0f}" class="{ink}" text-anchor="middle">{v:,.0f}</text>'
            )
    if not hm.agents or not hm.days:
        parts.append(
            f'<text x="{left}" y="{top + 14}" class="nodata">no shifts in this period</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def occupancy_svg(title: str, rows: Sequence[IntervalOccupancy], warn: float) -> Markup:
    """Occupancy per interval as bars, the warning line dashed, bars above it in amber."""
    left, right, top, bottom = 40, 10, 26, 24
    width, height = 720, 190
    pw, ph = width - left - right, height - top - bottom
    n = max(len(rows), 1)
    slot = pw / n
    parts = [
        (
            f'<svg class="chart occupancy" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
            f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<text x="2" y="12" class="ctitle">{escape(title)}</text>'
        )
    ]
    for frac in (0.0, 0.5, 1.0):
        gy = top + ph - ph * frac
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{gy + 4:.1f}" class="axis" text-anchor="end">{frac * 100:.0f}%</text>'
        )
    wy = top + ph - ph * warn / 100
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{wy:.1f}" y2="{wy:.1f}" class="warnline"/>'
    )
    parts.append(
        f'<text x="{width - right}" y="{wy - 4:.1f}" class="axis warntext" text-anchor="end">{warn:g}% warning</text>'
    )
    for i, r in enumerate(rows):
        h = ph * min(r.occupancy_pct, 100) / 100
        x = left + slot * i + slot * 0.1
        cls = "occ-bar warn" if r.warning else "occ-bar"
        tip = f"{r.start.strftime('%H:%M')}–{r.end.strftime('%H:%M')}: {r.occupancy_pct:.0f}% ({r.busy_minutes:.0f} of {r.staffed_minutes:.0f} staffed minutes busy)"
        parts.append(
            f'<rect x="{x:.1f}" y="{top + ph - h:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" class="{cls}" rx="1">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if r.start.minute == 0 and r.start.hour % 2 == 0:
            parts.append(
                f'<text x="{x + slot * 0.4:.1f}" y="{height - 8}" class="axis" text-anchor="middle">{r.start.strftime("%H:%M")}</text>'
            )
    if not rows:
        parts.append(
            f'<text x="{left + pw / 2:.0f}" y="{top + ph / 2:.0f}" class="nodata" text-anchor="middle">nobody staffed</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sequence_svg(load: ShiftLoad, *, heavy: float = 60.0, single: float = 75.0) -> Markup:
    """A shift's contacts in order, each bar its difficulty: the sequence behind the sum."""
    width, height, gap = 220, 34, 2
    n = max(load.contacts, 1)
    bw = min(16.0, (width - gap * n) / n)
    label = f"difficulty of each contact in order: {', '.join(f'{e.difficulty:g}' for e in load.sequence) or 'none'}"
    parts = [
        (
            f'<svg class="seq" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}"'
            f' xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
            f'<line x1="0" x2="{width}" y1="{height - 1}" y2="{height - 1}" class="grid"/>'
        )
    ]
    for i, e in enumerate(load.sequence):
        h = max(2.0, (height - 4) * e.difficulty / 100)
        cls = (
            "seq-bar single"
            if e.difficulty >= single
            else "seq-bar heavy"
            if e.difficulty >= heavy
            else "seq-bar"
        )
        parts.append(
            f'<rect x="{i * (bw + gap):.1f}" y="{height - 1 - h:.1f}" width="{bw:.1f}" height="{h:.1f}" class="{cls}">'
            f"<title>{escape(e.interaction_id)}: {e.difficulty:g}</title></rect>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# ------------------------------------------------------------------ helpers


def _parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2026-11-20") from None


def _days(end: date, n: int) -> list[date]:
    return [end - timedelta(days=n - 1 - i) for i in range(n)]


def _start(d: date) -> datetime:
    return datetime.combine(d, time.min, UTC)


def _viewer(user: Principal, team_keys: Sequence[str]) -> Viewer:
    if user.role == "agent":
        return Viewer("agent", agent_id=str(user.agent_id))
    if user.role == "lead":
        return Viewer("lead", teams=tuple(team_keys) or ("-",))
    return Viewer("manager")


@dataclass
class ActionView:
    row: Any
    agent_name: str
    text: str
    effect: Any


def _actions(
    conn: Connection, agent_ids: Sequence[int], as_of: date, history_end: date
) -> list[ActionView]:
    since = _start(as_of - timedelta(days=ACTIONS_SHOWN_DAYS))
    rows = conn.execute(
        select(LeaderActionRow, AgentRow.key.label("agent_key"), AgentRow.name.label("agent_name"))
        .join(AgentRow, AgentRow.id == LeaderActionRow.agent_id)
        .where(LeaderActionRow.agent_id.in_(agent_ids), LeaderActionRow.taken_at >= since)
        .order_by(LeaderActionRow.taken_at.desc())
        .limit(20)
    ).all()
    if not rows:
        return []
    first = min(r.taken_at for r in rows).date()
    history, _ = workload_history(conn, since=first - timedelta(days=7 + 28), until=history_end)
    out = []
    for row in rows:
        taken = ActionTaken(row.agent_key, row.action, row.taken_by_name, row.taken_at, row.note)
        out.append(
            ActionView(
                row,
                row.agent_name,
                ACTIONS.get(row.action, row.action),
                before_after(history, taken, days=7),
            )
        )
    return out


def _risk_rows(assessments: Sequence[Any], people: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in assessments:
        p = people.get(r.agent_id)
        if p is None:
            continue
        out.append(
            {
                "a": r,
                "agent_id": p.id,
                "name": p.name,
                "team_name": p.team_name,
                "suggestions": suggest_actions(r),
            }
        )
    return out


# ------------------------------------------------------------------ pages


@router.get("/wellbeing", response_class=HTMLResponse)
def wellbeing(
    request: Request,
    user: CurrentUser,
    engine: EngineDep,
    team: int | None = None,
    as_of: str | None = None,
    day: str | None = None,
    found: int | None = None,
) -> HTMLResponse:
    asked = _parse_day(as_of, "as_of")
    with engine.connect() as conn:
        if user.role == "agent":
            ctx = _agent_page(conn, user, asked)
        elif user.role == "lead":
            ctx = _lead_page(conn, user, team, asked, _parse_day(day, "day"))
        else:
            ctx = _manager_page(conn, user, asked)
    return render(
        request, "wellbeing.html", found=found, actions=ACTIONS, warn=OCCUPANCY_WARN_PCT, **ctx
    )


def _agent_page(conn: Connection, user: Principal, asked: date | None) -> dict[str, Any]:
    if user.agent_id is None:
        raise Forbidden("this account is not linked to an agent")
    me = conn.execute(
        select(AgentRow.key, AgentRow.name).where(AgentRow.id == user.agent_id)
    ).first()
    if me is None:
        raise NotFound("your agent record is missing")
    end = asked or latest_day(conn, agent_ids=[user.agent_id]) or datetime.now(UTC).date()
    history, people = workload_history(
        conn, since=end - timedelta(days=HISTORY_DAYS - 1), until=end
    )
    since = end - timedelta(days=WINDOW_DAYS - 1)
    mine = [c for c in history.contacts if c.agent_id == me.key]
    shifts = [s for s in history.shifts if s.agent_id == me.key]
    loads = [ld for ld in shift_loads(mine, shifts) if since <= ld.day <= end]
    loads.sort(key=lambda ld: ld.start, reverse=True)
    assessed = assess(history, end, agents=[me.key])
    viewer = Viewer("agent", agent_id=me.key)
    own = [r for r in assessed if can_view(viewer, r) and r.shifts]
    recs = recommendations_for(conn, agent_ids=[user.agent_id], limit=30)
    return {
        "view": "agent",
        "as_of": end,
        "since": since,
        "me": me,
        "loads": [{"load": ld, "svg": sequence_svg(ld)} for ld in loads],
        "recs": recs,
        "answerable_from": datetime.now(UTC) - timedelta(hours=ANSWER_HOURS),
        "risk": own[0] if own else None,
        "people": people,
        "questions": CHECKIN_QUESTIONS,
        "checkins": checkins_for(conn, agent_id=user.agent_id, limit=CHECKINS_SHOWN),
        "today": datetime.now(UTC).date(),
    }


def _team_choice(
    conn: Connection, user: Principal, team: int | None
) -> tuple[list[tuple[int, str]], int]:
    teams = visible_teams(conn, user)
    if not teams:
        raise Forbidden("you do not lead a team yet")
    ids = [t for t, _ in teams]
    if team is None:
        return teams, ids[0]
    if team not in ids:
        raise Forbidden("that team is not one of yours")
    return teams, team


def _lead_page(
    conn: Connection, user: Principal, team: int | None, asked: date | None, day: date | None
) -> dict[str, Any]:
    teams, team_id = _team_choice(conn, user, team)
    team_row = conn.execute(select(TeamRow.key, TeamRow.name).where(TeamRow.id == team_id)).one()
    end = asked or latest_day(conn, team_ids=[team_id]) or datetime.now(UTC).date()
    since = end - timedelta(days=WINDOW_DAYS - 1)
    history, people = workload_history(
        conn, since=end - timedelta(days=HISTORY_DAYS - 1), until=end
    )
    members = sorted(
        (k for k, p in people.items() if p.team_id == team_id), key=lambda k: people[k].name
    )
    member_set = set(members)
    contacts = [c for c in history.contacts if c.agent_id in member_set]
    shifts = [s for s in history.shifts if s.agent_id in member_set]
    loads = [ld for ld in shift_loads(contacts, shifts) if since <= ld.day <= end]
    names = {k: people[k].name for k in members}
    hm = load_heatmap(loads, agents=members, days=_days(end, WINDOW_DAYS))
    week_from = end - timedelta(days=6)
    stretches = hardest_stretches(
        contacts, since=_start(week_from), until=_start(end + timedelta(days=1))
    )
    row_of_label = _row_ids(
        conn,
        [e.interaction_id for s in stretches for e in s.evidence],
        member_ids=[people[k].id for k in members],
    )
    occ_day = day or end
    taken = [b for b in (history.breaks_taken or []) if b.agent_id in member_set]
    occupancy = occupancy_by_interval(
        [c for c in contacts if c.start.date() == occ_day],
        [s for s in shifts if s.day == occ_day],
        breaks=taken,
        interval_minutes=OCCUPANCY_INTERVAL_MIN,
        warn_above=OCCUPANCY_WARN_PCT,
    )
    week_occ = occupancy_by_interval(
        [c for c in contacts if c.start.date() >= week_from],
        [s for s in shifts if s.day >= week_from],
        breaks=taken,
        interval_minutes=OCCUPANCY_INTERVAL_MIN,
        warn_above=OCCUPANCY_WARN_PCT,
    )
    assessed = assess(history, end, agents=members) if members else []
    viewer = _viewer(user, [team_row.key])
    visible = [r for r in assessed if can_view(viewer, r)]
    recs = recommendations_for(
        conn,
        team_ids=[team_id],
        since=_start(week_from),
        until=_start(end + timedelta(days=1)),
        limit=2000,
    )
    statuses: dict[str, int] = defaultdict(int)
    for r in recs:
        statuses[r["row"].status] += 1
    week_shifts = [s for s in shifts if s.day >= week_from and s.occupancy_pct is not None]
    return {
        "view": "lead",
        "as_of": end,
        "since": since,
        "teams": teams,
        "team_id": team_id,
        "team_name": team_row.name,
        "heatmap": heatmap_svg(
            f"Daily load (summed difficulty), {team_row.name}, last {WINDOW_DAYS} days", hm, names
        ),
        "stretches": [{"s": s, "name": names.get(s.agent_id, s.agent_id)} for s in stretches],
        "row_of": row_of_label,
        "occ_day": occ_day,
        "occupancy": occupancy,
        "occupancy_svg": occupancy_svg(
            f"Occupancy per {OCCUPANCY_INTERVAL_MIN} minutes, {occ_day.strftime('%a %d %b')}",
            occupancy,
            OCCUPANCY_WARN_PCT,
        ),
        "week_warnings": sum(1 for o in week_occ if o.warning),
        "week_intervals": len(week_occ),
        "recs": recs[:RECS_SHOWN],
        "recs_total": len(recs),
        "rec_statuses": dict(statuses),
        "wfm_busy": sum(1 for s in week_shifts if (s.occupancy_pct or 0) > OCCUPANCY_WARN_PCT),
        "wfm_shifts": len(week_shifts),
        "risks": _risk_rows(visible, people),
        "action_log": _actions(conn, [people[k].id for k in members], end, end) if members else [],
        "people": people,
        "week_from": week_from,
    }


def _row_ids(
    conn: Connection, labels: Sequence[str], *, member_ids: Sequence[int]
) -> dict[str, int]:
    """Interaction row ids for contact labels (external ids) among the team's agents, for links."""
    if not labels or not member_ids:
        return {}
    rows = conn.execute(
        select(InteractionRow.id, InteractionRow.external_id).where(
            InteractionRow.external_id.in_(sorted(set(labels))),
            InteractionRow.agent_id.in_(member_ids),
        )
    )
    return {r.external_id: r.id for r in rows}


def _manager_page(conn: Connection, user: Principal, asked: date | None) -> dict[str, Any]:
    end = asked or latest_day(conn) or datetime.now(UTC).date()
    since = end - timedelta(days=WINDOW_DAYS - 1)
    history, people = workload_history(
        conn, since=end - timedelta(days=HISTORY_DAYS - 1), until=end
    )
    assessed = assess(history, end)
    view = wellbeing_view(_viewer(user, ()), assessed, min_group=MIN_GROUP)
    team_names = {p.team_key: p.team_name for p in people.values()}
    # breaks per team over the window: counts only, never one by one
    recs = [r for r in (history.recommendations or []) if since <= r.start.date() <= end]
    status = track_breaks(recs, history.breaks_taken or [])
    per_team: dict[str | None, dict[str, int]] = defaultdict(
        lambda: {"recommended": 0, "taken": 0, "shortened": 0, "skipped": 0}
    )
    for s in status.statuses:
        row = per_team[s.recommendation.team]
        row["recommended"] += 1
        row[s.status] += 1
    # team heatmap: mean daily load per agent who worked, teams with enough agents only
    loads = [ld for ld in shift_loads(history.contacts, history.shifts) if since <= ld.day <= end]
    team_of = {k: p.team_key for k, p in people.items()}
    size: dict[str | None, int] = defaultdict(int)
    for p in people.values():
        size[p.team_key] += 1
    sums: dict[tuple[str, date], list[float]] = defaultdict(list)
    for ld in loads:
        t = team_of.get(ld.agent_id)
        if t is not None and size[t] >= MIN_GROUP:
            sums[(t, ld.day)].append(ld.total)
    shown_teams = sorted(
        (t for t in size if t is not None and size[t] >= MIN_GROUP),
        key=lambda t: team_names.get(t) or t,
    )
    days = _days(end, WINDOW_DAYS)
    hm = Heatmap(
        agents=tuple(shown_teams),
        days=tuple(days),
        values=tuple(
            tuple(
                round(sum(sums[(t, d)]) / len(sums[(t, d)]), 1) if sums.get((t, d)) else None
                for d in days
            )
            for t in shown_teams
        ),
    )
    hidden = sorted(team_names.get(t) or t for t in size if t is not None and size[t] < MIN_GROUP)
    return {
        "view": "manager",
        "as_of": end,
        "since": since,
        "aggregates": [
            {"t": t, "name": team_names.get(t.team) or "No team", "breaks": per_team.get(t.team)}
            for t in view.teams
        ],
        "team_heatmap": heatmap_svg(
            f"Mean daily load per agent, by team, last {WINDOW_DAYS} days",
            hm,
            {t: team_names.get(t) or t for t in shown_teams},
        ),
        "hidden_teams": hidden,
        "risks": _risk_rows(view.individuals, people),
        "people": people,
        "min_group": MIN_GROUP,
    }


# ------------------------------------------------------------------ actions


@router.post("/wellbeing/breaks/answer", dependencies=[Csrf])
def answer(
    user: AgentOnly,
    engine: EngineDep,
    recommendation_id: Annotated[int, Form()],
    answer: Annotated[str, Form()],
) -> RedirectResponse:
    if answer not in ("taken", "skipped"):
        raise BadRequest("answer must be taken or skipped")
    if user.agent_id is None:
        raise Forbidden("this account is not linked to an agent")
    with engine.begin() as conn:
        if not answer_break(
            conn, agent_id=user.agent_id, recommendation_id=recommendation_id, answer=answer
        ):
            raise NotFound("no open break recommendation of yours with that id")
    return RedirectResponse("/wellbeing#breaks", status_code=303)


@router.post("/wellbeing/checkins", dependencies=[Csrf])
async def new_checkin(request: Request, user: AgentOnly, engine: EngineDep) -> RedirectResponse:
    """The agent's own weekly check-in: any of the questions 1..5, shared only if they tick it."""
    if user.agent_id is None:
        raise Forbidden("this account is not linked to an agent")
    form = await request.form()
    answers: dict[str, int] = {}
    for key in CHECKIN_QUESTIONS:
        raw = form.get(key)
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw))
        except ValueError:
            raise BadRequest(f"{key} must be a number from 1 to 5") from None
        if not 1 <= value <= 5:
            raise BadRequest(f"{key} must be a number from 1 to 5")
        answers[key] = value
    if not answers:
        raise BadRequest("answer at least one question, or leave the check-in for another week")
    today = datetime.now(UTC).date()
    day = _parse_day(str(form.get("day") or ""), "day") or today
    if not today - timedelta(days=CHECKIN_BACKDATE_DAYS) <= day <= today:
        raise BadRequest(f"day must be today or within the last {CHECKIN_BACKDATE_DAYS} days")
    consented = form.get("share") == "yes"
    with engine.begin() as conn:
        save_checkin(conn, agent_id=user.agent_id, day=day, answers=answers, consented=consented)
    return RedirectResponse("/wellbeing#checkin", status_code=303)


@router.post("/wellbeing/checkins/change", dependencies=[Csrf])
def change_own_checkin(
    user: AgentOnly,
    engine: EngineDep,
    checkin_id: Annotated[int, Form()],
    change: Annotated[str, Form()],
) -> RedirectResponse:
    """Share, stop sharing or delete one of the agent's own check-ins."""
    if change not in ("share", "unshare", "delete"):
        raise BadRequest("change must be share, unshare or delete")
    if user.agent_id is None:
        raise Forbidden("this account is not linked to an agent")
    with engine.begin() as conn:
        if not change_checkin(conn, agent_id=user.agent_id, checkin_id=checkin_id, change=change):
            raise NotFound("no check-in of yours with that id")
    return RedirectResponse("/wellbeing#checkin", status_code=303)


def _scan_ids(conn: Connection, user: Principal, hours: int) -> list[int]:
    since = datetime.now(UTC) - timedelta(hours=hours)
    q = (
        select(AnalysisRow.interaction_id)
        .join(InteractionRow, InteractionRow.id == AnalysisRow.interaction_id)
        .join(AgentRow, AgentRow.id == InteractionRow.agent_id)
        .where(AnalysisRow.analysed_at >= since, AnalysisRow.difficulty.is_not(None))
    )
    if user.team_ids is not None:
        q = q.where(AgentRow.team_id.in_(user.team_ids))
    return list(conn.execute(q).scalars())


def _send(engine: Engine, ids: list[int], url: str | None, secret: str | None) -> None:
    deliver(engine, ids, url=url, secret=secret)


@router.post("/wellbeing/breaks/scan", dependencies=[Csrf])
def scan(
    request: Request,
    user: Leader,
    engine: EngineDep,
    background: BackgroundTasks,
    hours: Annotated[int, Form(ge=1, le=24 * 14)] = 24,
) -> RedirectResponse:
    """Check the contacts analysed in the last ``hours`` for breaks they earn, and send new ones to WFM."""
    with engine.connect() as conn:
        ids = _scan_ids(conn, user, hours)
    new = recommend_for(engine, ids, source="scan")
    settings = request.app.state.settings
    url = getattr(settings, "wfm_webhook_url", None)
    if new and url:
        background.add_task(_send, engine, new, url, settings.wfm_webhook_secret)
    return RedirectResponse(f"/wellbeing?found={len(new)}#breaks", status_code=303)


def _may_act_for(conn: Connection, user: Principal, agent_id: int) -> Any:
    agent = conn.execute(
        select(AgentRow.id, AgentRow.key, AgentRow.team_id).where(AgentRow.id == agent_id)
    ).first()
    if agent is None or not user.may_see_agent(agent.id, agent.team_id):
        raise NotFound("no such agent among the people you can see")
    if user.role == "lead":
        return agent
    # managers act for an individual only when that agent's risk is red
    end = latest_day(conn) or datetime.now(UTC).date()
    history, _ = workload_history(conn, since=end - timedelta(days=HISTORY_DAYS - 1), until=end)
    scored = assess(history, end, agents=[agent.key])
    if not scored or not can_view(Viewer("manager"), scored[0]):
        raise Forbidden("managers see and act for an individual only when their risk is red")
    return agent


@router.post("/wellbeing/actions", dependencies=[Csrf])
def new_action(
    user: Leader,
    engine: EngineDep,
    agent_id: Annotated[int, Form()],
    action: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    if action not in ACTIONS:
        raise BadRequest(f"action must be one of {', '.join(ACTIONS)}")
    with engine.begin() as conn:
        agent = _may_act_for(conn, user, agent_id)
        record_action(
            conn,
            agent_id=agent.id,
            action=action,
            taken_by=user.id,
            taken_by_name=user.name,
            note=note,
        )
    team = f"?team={agent.team_id}" if user.role == "lead" and agent.team_id is not None else ""
    return RedirectResponse(f"/wellbeing{team}#actions", status_code=303)


@router.get("/wellbeing/breaks.csv")
def breaks_csv(
    user: LeadOnly,
    engine: EngineDep,
    team: int | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Response:
    """The WFM export: recommended breaks of the lead's teams, one row per break (docs/wfm-events.md)."""
    first, last = _parse_day(start, "start"), _parse_day(end, "end")
    with engine.connect() as conn:
        team_ids = list(user.lead_team_ids)
        if team is not None:
            if team not in team_ids:
                raise Forbidden("that team is not one of yours")
            team_ids = [team]
        last = last or latest_day(conn, team_ids=team_ids) or datetime.now(UTC).date()
        first = first or last - timedelta(days=6)
        if first > last:
            raise BadRequest("start is after end")
        recs = recommendations_for(
            conn,
            team_ids=team_ids,
            since=_start(first),
            until=_start(last + timedelta(days=1)),
            limit=100_000,
        )
    body = events_csv([r["rec"] for r in sorted(recs, key=lambda r: (r["row"].start, r["row"].id))])
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="heartline-breaks-{first}-{last}.csv"'
        },
    )


# ------------------------------------------------------------------ policy


@router.get("/wellbeing/policy", response_class=HTMLResponse)
def policy_page(
    request: Request, user: Leader, engine: EngineDep, saved: int | None = None
) -> HTMLResponse:
    with engine.connect() as conn:
        rows = policy_rows(conn, user.team_ids)
    return render(request, "wellbeing_policy.html", rows=rows, default=DEFAULT_POLICY, saved=saved)


@router.post("/wellbeing/policy", dependencies=[Csrf])
def save_policy_form(
    user: Leader,
    engine: EngineDep,
    team_id: Annotated[int, Form()],
    heavy_threshold: Annotated[float, Form()],
    streak_threshold: Annotated[float, Form()],
    streak_length: Annotated[int, Form()],
    break_minutes: Annotated[int, Form()],
    streak_break_minutes: Annotated[int, Form()],
    streak_reset_minutes: Annotated[float, Form()] = DEFAULT_POLICY.streak_reset_minutes,
) -> RedirectResponse:
    if user.team_ids is not None and team_id not in user.team_ids:
        raise Forbidden("that team is not one of yours")
    if break_minutes > 60 or streak_break_minutes > 60:
        raise BadRequest("a resilience break is at most 60 minutes")
    try:
        policy = BreakPolicy(
            heavy_threshold=heavy_threshold,
            streak_threshold=streak_threshold,
            streak_length=streak_length,
            break_minutes=break_minutes,
            streak_break_minutes=streak_break_minutes,
            streak_reset_minutes=streak_reset_minutes,
        )
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    with engine.begin() as conn:
        if conn.execute(select(TeamRow.id).where(TeamRow.id == team_id)).first() is None:
            raise NotFound("no such team")
        save_policy(conn, team_id=team_id, policy=policy, user_id=user.id)
    return RedirectResponse(f"/wellbeing/policy?saved={team_id}", status_code=303)
