"""Wellbeing on the store: break recommendations kept and sent to WFM, leader actions, history.

The rules live in :mod:`heartline.insights.wellbeing`, :mod:`heartline.insights.risk`
and :mod:`heartline.insights.wfm`; this module feeds them from the database and
keeps what they produce.  Difficulty comes from the stored analyses
(``AnalysisRow.difficulty``, the load the *customer* brought); nothing here
reads an agent's feelings, and nothing here feeds a scorecard.

* :func:`recommend_for` turns newly analysed interactions into stored break
  recommendations (idempotent: the WFM event id is unique);
  :func:`deliver` posts them to the WFM webhook and records each delivery;
  :func:`on_analysed` does both, for callers that have just scored a batch.
* :func:`workload_history` loads what risk and load are computed from.
* :func:`seed_demo` fills the wellbeing tables for the demo organisation.
"""

from __future__ import annotations

import hashlib
import time as _clock
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from heartline.domain import Agent, Shift
from heartline.insights.risk import CHECKIN_QUESTIONS, ActionTaken, CheckIn, WorkloadHistory
from heartline.insights.wellbeing import (
    BreakPolicy,
    BreakRecommendation,
    BreakTaken,
    Evidence,
    ScoredContact,
    recommend_breaks,
)
from heartline.insights.wfm import EVENT_TYPE, WebhookError, break_event, event_id, send_webhook
from heartline.store.tables import AgentRow, AnalysisRow, InteractionRow, ShiftRow, TeamRow
from heartline.store.tables_wellbeing import (
    BreakPolicyRow,
    BreakRecommendationRow,
    BreakTakenRow,
    CheckInRow,
    LeaderActionRow,
    WfmDeliveryRow,
)

if TYPE_CHECKING:
    from heartline.demo import DemoOrganisation
    from heartline.settings import Settings

__all__ = [
    "DEFAULT_POLICY",
    "Delivery",
    "change_checkin",
    "checkins_for",
    "deliver",
    "on_analysed",
    "policy_rows",
    "recommend_for",
    "save_checkin",
    "save_policy",
    "seed_demo",
    "team_policies",
    "workload_history",
]

DEFAULT_POLICY = BreakPolicy()
#: Webhook timeout in seconds (proposed setting ``HEARTLINE_WFM_WEBHOOK_TIMEOUT``).
WEBHOOK_TIMEOUT_S = 5.0
_CHUNK = 500


def _pause(seconds: float) -> None:
    _clock.sleep(seconds)


def _utc_day(d: date) -> datetime:
    return datetime.combine(d, time.min, UTC)


# ------------------------------------------------------------------ policies


def _policy_of(row: Any) -> BreakPolicy:
    return BreakPolicy(
        heavy_threshold=row.heavy_threshold,
        streak_threshold=row.streak_threshold,
        streak_length=row.streak_length,
        break_minutes=row.break_minutes,
        streak_break_minutes=row.streak_break_minutes,
        streak_reset_minutes=row.streak_reset_minutes,
    )


def team_policies(conn: Connection) -> dict[str, BreakPolicy]:
    """Each team's stored policy, keyed by team key; teams without one use :data:`DEFAULT_POLICY`."""
    rows = conn.execute(
        select(BreakPolicyRow, TeamRow.key.label("team_key")).join(
            TeamRow, TeamRow.id == BreakPolicyRow.team_id
        )
    ).all()
    return {row.team_key: _policy_of(row) for row in rows}


def policy_rows(conn: Connection, team_ids: Sequence[int] | None) -> list[dict[str, Any]]:
    """Teams (all, or those given) with their policy and whether it is the default."""
    q = select(TeamRow.id, TeamRow.key, TeamRow.name).order_by(TeamRow.name)
    if team_ids is not None:
        q = q.where(TeamRow.id.in_(team_ids))
    stored = {r.team_id: r for r in conn.execute(select(BreakPolicyRow))}
    out = []
    for t in conn.execute(q):
        row = stored.get(t.id)
        out.append(
            {
                "team_id": t.id,
                "team_key": t.key,
                "team_name": t.name,
                "policy": _policy_of(row) if row else DEFAULT_POLICY,
                "default": row is None,
                "updated_at": row.updated_at if row else None,
            }
        )
    return out


def save_policy(
    conn: Connection, *, team_id: int, policy: BreakPolicy, user_id: int | None
) -> None:
    """Store a team's policy (insert or replace)."""
    values = {
        "heavy_threshold": policy.heavy_threshold,
        "streak_threshold": policy.streak_threshold,
        "streak_length": policy.streak_length,
        "break_minutes": policy.break_minutes,
        "streak_break_minutes": policy.streak_break_minutes,
        "streak_reset_minutes": policy.streak_reset_minutes,
        "updated_by": user_id,
        "updated_at": datetime.now(UTC),
    }
    done = conn.execute(
        update(BreakPolicyRow).where(BreakPolicyRow.team_id == team_id).values(**values)
    ).rowcount
    if not done:
        conn.execute(insert(BreakPolicyRow).values(team_id=team_id, **values))


# ------------------------------------------------------------------ contacts


@dataclass
class _Contacts:
    """Scored contacts with the row ids behind their labels."""

    contacts: list[ScoredContact]
    row_of: dict[str, int]
    label_of: dict[int, str]


def _contact_query() -> Any:
    return (
        select(
            InteractionRow.id,
            InteractionRow.source,
            InteractionRow.external_id,
            InteractionRow.started_at,
            InteractionRow.ended_at,
            InteractionRow.handle_seconds,
            InteractionRow.queue,
            AnalysisRow.difficulty,
            AgentRow.key.label("agent_key"),
            TeamRow.key.label("team_key"),
        )
        .join(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
        .join(AgentRow, AgentRow.id == InteractionRow.agent_id)
        .outerjoin(TeamRow, TeamRow.id == AgentRow.team_id)
        .where(AnalysisRow.difficulty.is_not(None), InteractionRow.started_at.is_not(None))
    )


def _scored(rows: Iterable[Any]) -> _Contacts:
    contacts: list[ScoredContact] = []
    row_of: dict[str, int] = {}
    label_of: dict[int, str] = {}
    for r in rows:
        if r.id in label_of:
            continue
        label = r.external_id if r.external_id not in row_of else f"{r.source}:{r.external_id}"
        end = r.ended_at or r.started_at + timedelta(seconds=r.handle_seconds or 0)
        contacts.append(
            ScoredContact(
                interaction_id=label,
                agent_id=r.agent_key,
                start=r.started_at,
                end=max(end, r.started_at),
                difficulty=max(0.0, min(100.0, float(r.difficulty))),
                team=r.team_key,
                queue=r.queue,
            )
        )
        row_of[label] = r.id
        label_of[r.id] = label
    contacts.sort(key=lambda c: (c.start, c.agent_id, c.interaction_id))
    return _Contacts(contacts, row_of, label_of)


# ------------------------------------------------------------------ recommendations


def _row_values(
    rec: BreakRecommendation, found: _Contacts, ids: dict[str, tuple[int, int | None]], source: str
) -> dict[str, Any]:
    agent_id, team_id = ids[rec.agent_id]
    return {
        "event_id": event_id(rec),
        "agent_id": agent_id,
        "team_id": team_id,
        "start": rec.start,
        "minutes": rec.minutes,
        "reason": rec.reason,
        "explanation": rec.explanation,
        "evidence": [
            {
                "interaction_id": found.row_of[e.interaction_id],
                "external_id": e.interaction_id,
                "difficulty": e.difficulty,
            }
            for e in rec.evidence
        ],
        "status": "recommended",
        "source": source,
        "created_at": datetime.now(UTC),
        "answered_at": None,
    }


def _agent_ids(conn: Connection, keys: Iterable[str]) -> dict[str, tuple[int, int | None]]:
    keys = sorted(set(keys))
    if not keys:
        return {}
    return {
        r.key: (r.id, r.team_id)
        for r in conn.execute(
            select(AgentRow.key, AgentRow.id, AgentRow.team_id).where(AgentRow.key.in_(keys))
        )
    }


def _store(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows whose event id is new; returns the new row ids (in order)."""
    if not rows:
        return []
    known: set[str] = set()
    ids = [r["event_id"] for r in rows]
    for i in range(0, len(ids), _CHUNK):
        known |= set(
            conn.execute(
                select(BreakRecommendationRow.event_id).where(
                    BreakRecommendationRow.event_id.in_(ids[i : i + _CHUNK])
                )
            ).scalars()
        )
    out = []
    for r in rows:
        if r["event_id"] in known:
            continue
        known.add(r["event_id"])
        out.append(
            conn.execute(
                insert(BreakRecommendationRow).values(**r).returning(BreakRecommendationRow.id)
            ).scalar_one()
        )
    return out


def recommend_for(
    engine: Engine, interaction_ids: Iterable[int], *, source: str = "analysis"
) -> list[int]:
    """Store the resilience breaks that newly analysed interactions earn; returns the new row ids.

    For each agent and day touched by ``interaction_ids`` (row ids with a
    stored difficulty), the day's contacts are walked with the team's break
    policy (a streak may have started before the new contacts).  Only
    recommendations whose evidence includes one of the new interactions are
    kept, and one already stored (same WFM event id) is not stored twice, so
    calling this again with the same ids changes nothing.
    """
    wanted = sorted({int(i) for i in interaction_ids})
    if not wanted:
        return []
    with engine.begin() as conn:
        touched: dict[str, set[date]] = defaultdict(set)
        new_rows: set[int] = set()
        for i in range(0, len(wanted), _CHUNK):
            for r in conn.execute(
                _contact_query().where(InteractionRow.id.in_(wanted[i : i + _CHUNK]))
            ):
                touched[r.agent_key].add(r.started_at.astimezone(UTC).date())
                new_rows.add(r.id)
        if not touched:
            return []
        rows: list[Any] = []
        for agent_key, days in touched.items():
            lo, hi = _utc_day(min(days)), _utc_day(max(days) + timedelta(days=1))
            for r in conn.execute(
                _contact_query().where(
                    AgentRow.key == agent_key,
                    InteractionRow.started_at >= lo,
                    InteractionRow.started_at < hi,
                )
            ):
                if r.started_at.astimezone(UTC).date() in days:
                    rows.append(r)
        found = _scored(rows)
        fresh = {found.label_of[i] for i in new_rows if i in found.label_of}
        recs = [
            rec
            for rec in recommend_breaks(
                found.contacts, DEFAULT_POLICY, team_policies=team_policies(conn)
            )
            if any(e.interaction_id in fresh for e in rec.evidence)
        ]
        ids = _agent_ids(conn, (r.agent_id for r in recs))
        return _store(conn, [_row_values(rec, found, ids, source) for rec in recs])


def _as_recommendation(row: Any, agent_key: str, team_key: str | None) -> BreakRecommendation:
    return BreakRecommendation(
        agent_id=agent_key,
        start=row.start,
        minutes=row.minutes,
        reason=row.reason,
        evidence=tuple(Evidence(e["external_id"], float(e["difficulty"])) for e in row.evidence),
        team=team_key,
    )


def stored_recommendations(
    conn: Connection, ids: Sequence[int]
) -> list[tuple[Any, BreakRecommendation]]:
    """Rows and their library form (the WFM event is rebuilt from it, with the same id)."""
    out = []
    for i in range(0, len(ids), _CHUNK):
        for row in conn.execute(
            select(
                BreakRecommendationRow,
                AgentRow.key.label("agent_key"),
                TeamRow.key.label("team_key"),
            )
            .join(AgentRow, AgentRow.id == BreakRecommendationRow.agent_id)
            .outerjoin(TeamRow, TeamRow.id == BreakRecommendationRow.team_id)
            .where(BreakRecommendationRow.id.in_(ids[i : i + _CHUNK]))
            .order_by(BreakRecommendationRow.start, BreakRecommendationRow.id)
        ):
            out.append((row, _as_recommendation(row, row.agent_key, row.team_key)))
    return out


# ------------------------------------------------------------------ WFM webhook


@dataclass(frozen=True)
class Delivery:
    recommendation_id: int
    event_id: str
    status: str  # delivered | failed | not_sent
    attempts: int
    http_status: int | None
    error: str | None


def deliver(
    engine: Engine,
    recommendation_ids: Sequence[int],
    *,
    url: str | None,
    secret: str | None,
    timeout: float = WEBHOOK_TIMEOUT_S,
    retries: int = 3,
    sleep: Callable[[float], None] | None = None,
) -> list[Delivery]:
    """Post each recommendation's WFM event to ``url``, signed with ``secret``; record every delivery.

    Nothing is sent without a URL.  With a URL but no secret, each event is
    recorded as ``not_sent`` (unsigned events are never sent).  A failed
    delivery is recorded with the reason and does not stop the others.  The
    secret itself is never stored.
    """
    if not url or not recommendation_ids:
        return []
    with engine.connect() as conn:
        items = stored_recommendations(conn, list(recommendation_ids))
    out: list[Delivery] = []
    for row, rec in items:
        event = break_event(rec)
        waits: list[float] = []
        wait = _counting(waits, sleep or _pause)

        if not secret:
            result = Delivery(
                row.id, event["id"], "not_sent", 0, None, "HEARTLINE_WFM_WEBHOOK_SECRET is not set"
            )
        else:
            try:
                sent = send_webhook(
                    url, event, timeout=timeout, secret=secret, retries=retries, sleep=wait
                )
                result = Delivery(
                    row.id, event["id"], "delivered", sent.attempts, sent.status, None
                )
            except (WebhookError, ValueError) as exc:
                result = Delivery(
                    row.id, event["id"], "failed", len(waits) + 1, None, str(exc)[:2000]
                )
        out.append(result)
        with engine.begin() as conn:
            conn.execute(
                insert(WfmDeliveryRow).values(
                    recommendation_id=row.id,
                    url=url[:2000],
                    event=EVENT_TYPE,
                    status=result.status,
                    http_status=result.http_status,
                    attempts=result.attempts,
                    error=result.error,
                    created_at=datetime.now(UTC),
                )
            )
    return out


def _counting(waits: list[float], sleep: Callable[[float], None]) -> Callable[[float], None]:
    def wait(seconds: float) -> None:
        waits.append(seconds)
        sleep(seconds)

    return wait


def on_analysed(engine: Engine, interaction_ids: Iterable[int], settings: Settings) -> list[int]:
    """After a scoring batch: store the breaks the new analyses earn and send them to WFM.

    ``settings.wfm_webhook_url`` (proposed; read with a default of None until
    the setting exists) is where events go, signed with
    ``settings.wfm_webhook_secret``.  Returns the new recommendation row ids.
    """
    new = recommend_for(engine, interaction_ids)
    deliver(
        engine,
        new,
        url=getattr(settings, "wfm_webhook_url", None),
        secret=settings.wfm_webhook_secret,
    )
    return new


# ------------------------------------------------------------------ history


def workload_history(
    conn: Connection, *, since: date, until: date, agent_ids: Sequence[int] | None = None
) -> tuple[WorkloadHistory, dict[str, Any]]:
    """Everything load and risk are computed from, for the days ``since``..``until`` (inclusive).

    Returns the history (agents keyed by ``AgentRow.key``, teams by
    ``TeamRow.key``) and a map from agent key to its row (``id``, ``name``,
    ``team_id``, ``team_name``).  ``agent_ids`` narrows it to some agents;
    risk needs every agent (load is compared with peers), so pages pass None.
    Check-ins come in only where the agent ticked "share" (``consented``);
    the others are never selected.
    """
    lo, hi = _utc_day(since), _utc_day(until + timedelta(days=1))
    q = _contact_query().where(InteractionRow.started_at >= lo, InteractionRow.started_at < hi)
    if agent_ids is not None:
        q = q.where(AgentRow.id.in_(agent_ids))
    found = _scored(conn.execute(q))
    aq = select(
        AgentRow.id,
        AgentRow.key,
        AgentRow.name,
        AgentRow.team_id,
        AgentRow.hired_on,
        TeamRow.key.label("team_key"),
        TeamRow.name.label("team_name"),
    ).outerjoin(TeamRow, TeamRow.id == AgentRow.team_id)
    if agent_ids is not None:
        aq = aq.where(AgentRow.id.in_(agent_ids))
    people = {r.key: r for r in conn.execute(aq)}
    key_of = {r.id: k for k, r in people.items()}
    agents = [
        Agent(id=k, name=r.name, team=r.team_key, hired_on=r.hired_on) for k, r in people.items()
    ]
    sq = select(ShiftRow).where(ShiftRow.day >= since, ShiftRow.day <= until)
    if agent_ids is not None:
        sq = sq.where(ShiftRow.agent_id.in_(agent_ids))
    shifts = []
    for s in conn.execute(sq):
        if s.agent_id not in key_of or s.end <= s.start:
            continue
        shifts.append(
            Shift(
                agent_id=key_of[s.agent_id],
                day=s.day,
                start=s.start,
                end=s.end,
                scheduled_minutes=s.scheduled_minutes,
                worked_minutes=s.worked_minutes,
                adherence_pct=s.adherence_pct,
                occupancy_pct=s.occupancy_pct,
                break_minutes=s.break_minutes or 0,
                overtime_minutes=s.overtime_minutes or 0,
            )
        )
    team_key_of = {r.team_id: r.team_key for r in people.values()}
    rq = select(BreakRecommendationRow).where(
        BreakRecommendationRow.start >= lo, BreakRecommendationRow.start < hi
    )
    bq = select(BreakTakenRow).where(BreakTakenRow.start >= lo, BreakTakenRow.start < hi)
    if agent_ids is not None:
        rq = rq.where(BreakRecommendationRow.agent_id.in_(agent_ids))
        bq = bq.where(BreakTakenRow.agent_id.in_(agent_ids))
    recs = [
        _as_recommendation(r, key_of[r.agent_id], team_key_of.get(r.team_id))
        for r in conn.execute(rq)
        if r.agent_id in key_of
    ]
    taken = [
        BreakTaken(key_of[b.agent_id], b.start, b.end)
        for b in conn.execute(bq)
        if b.agent_id in key_of and b.end > b.start
    ]
    cq = select(CheckInRow.agent_id, CheckInRow.day, CheckInRow.answers).where(
        CheckInRow.consented.is_(True), CheckInRow.day >= since, CheckInRow.day <= until
    )
    if agent_ids is not None:
        cq = cq.where(CheckInRow.agent_id.in_(agent_ids))
    checkins = [
        CheckIn(key_of[c.agent_id], c.day, True, _clean_answers(c.answers))
        for c in conn.execute(cq)
        if c.agent_id in key_of
    ]
    history = WorkloadHistory(
        contacts=found.contacts,
        shifts=shifts,
        agents=agents,
        checkins=checkins,
        recommendations=recs,
        breaks_taken=taken,
    )
    return history, people


def _clean_answers(raw: Any) -> dict[str, int]:
    """Stored answers as the risk model takes them: known questions, whole numbers 1..5."""
    if not isinstance(raw, dict):
        return {}
    return {
        k: int(v)
        for k, v in raw.items()
        if k in CHECKIN_QUESTIONS and isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5
    }


# ------------------------------------------------------------------ check-ins


def save_checkin(
    conn: Connection,
    *,
    agent_id: int,
    day: date,
    answers: dict[str, int],
    consented: bool,
    now: datetime | None = None,
) -> int:
    """Store a check-in the agent chose to fill in; returns its row id.

    ``answers`` must use keys of ``CHECKIN_QUESTIONS`` with values 1..5 and
    hold at least one answer (``ValueError`` otherwise).
    """
    if not answers:
        raise ValueError("answer at least one question, or leave the check-in")
    CheckIn(str(agent_id), day, consented, answers)  # validates keys and 1..5
    row = conn.execute(
        insert(CheckInRow)
        .values(
            agent_id=agent_id,
            day=day,
            answers=dict(answers),
            consented=consented,
            created_at=now or datetime.now(UTC),
        )
        .returning(CheckInRow.id)
    ).scalar_one()
    return int(row)


def checkins_for(conn: Connection, *, agent_id: int, limit: int = 20) -> list[Any]:
    """One agent's own check-ins, newest first (for that agent's eyes only)."""
    return list(
        conn.execute(
            select(CheckInRow)
            .where(CheckInRow.agent_id == agent_id)
            .order_by(CheckInRow.day.desc(), CheckInRow.id.desc())
            .limit(limit)
        )
    )


def change_checkin(conn: Connection, *, agent_id: int, checkin_id: int, change: str) -> bool:
    """The agent withdraws (``unshare`` or ``delete``) or gives (``share``) consent.

    Only the agent's own row is touched; returns False when there is none.
    """
    own = (CheckInRow.id == checkin_id) & (CheckInRow.agent_id == agent_id)
    if change == "delete":
        return conn.execute(delete(CheckInRow).where(own)).rowcount > 0
    if change in ("share", "unshare"):
        return (
            conn.execute(update(CheckInRow).where(own).values(consented=change == "share")).rowcount
            > 0
        )
    raise ValueError("change must be share, unshare or delete")


def latest_day(
    conn: Connection,
    *,
    agent_ids: Sequence[int] | None = None,
    team_ids: Sequence[int] | None = None,
) -> date | None:
    """The last day with a shift or a scored contact in scope (never after today)."""
    sq = select(func.max(ShiftRow.day)).join(AgentRow, AgentRow.id == ShiftRow.agent_id)
    iq = select(func.max(InteractionRow.started_at)).join(
        AgentRow, AgentRow.id == InteractionRow.agent_id
    )
    if agent_ids is not None:
        sq = sq.where(AgentRow.id.in_(agent_ids))
        iq = iq.where(AgentRow.id.in_(agent_ids))
    if team_ids is not None:
        sq = sq.where(AgentRow.team_id.in_(team_ids))
        iq = iq.where(AgentRow.team_id.in_(team_ids))
    today = datetime.now(UTC).date()
    days = [d for d in (conn.execute(sq).scalar(), conn.execute(iq).scalar()) if d is not None]
    days = [d.astimezone(UTC).date() if isinstance(d, datetime) else d for d in days]
    return min(max(days), today) if days else None


# ------------------------------------------------------------------ people's records


def answer_break(conn: Connection, *, agent_id: int, recommendation_id: int, answer: str) -> bool:
    """The agent says they took the break (a break-taken record is kept) or let it pass.

    Only the agent's own recommendation, and only once: returns False when
    there is no such open recommendation.
    """
    if answer not in ("taken", "skipped"):
        raise ValueError("answer must be taken or skipped")
    row = conn.execute(
        select(BreakRecommendationRow).where(
            BreakRecommendationRow.id == recommendation_id,
            BreakRecommendationRow.agent_id == agent_id,
            BreakRecommendationRow.status == "recommended",
        )
    ).first()
    if row is None:
        return False
    now = datetime.now(UTC)
    conn.execute(
        update(BreakRecommendationRow)
        .where(BreakRecommendationRow.id == row.id)
        .values(status=answer, answered_at=now)
    )
    if answer == "taken":
        start = row.start
        conn.execute(
            insert(BreakTakenRow).values(
                agent_id=agent_id,
                start=start,
                end=start + timedelta(minutes=row.minutes),
                recommendation_id=row.id,
                source="agent",
                created_at=now,
            )
        )
    return True


def record_action(
    conn: Connection,
    *,
    agent_id: int,
    action: str,
    taken_by: int | None,
    taken_by_name: str,
    note: str,
    taken_at: datetime | None = None,
) -> int:
    """Keep a leader action that a person took (checked against :data:`ACTIONS`)."""
    ActionTaken(
        agent_id=str(agent_id),
        action=action,
        taken_by=taken_by_name,
        taken_at=taken_at or datetime.now(UTC),
    )
    return int(
        conn.execute(
            insert(LeaderActionRow)
            .values(
                agent_id=agent_id,
                action=action,
                taken_by=taken_by,
                taken_by_name=taken_by_name[:200],
                taken_at=taken_at or datetime.now(UTC),
                note=note.strip(),
            )
            .returning(LeaderActionRow.id)
        ).scalar_one()
    )


# ------------------------------------------------------------------ demo


def _chance(*parts: object) -> float:
    """A repeatable number in [0, 1) from the parts (the demo draws no global randomness)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


#: The demo's teams' policies: Meadow (bereavement and fraud queues) breaks a little sooner.
DEMO_POLICIES: dict[str, BreakPolicy] = {
    "meadow": BreakPolicy(heavy_threshold=70.0, break_minutes=10, streak_break_minutes=15),
}


def seed_demo(engine: Engine, org: DemoOrganisation) -> None:
    """Fill the wellbeing tables from the demo organisation already in the store (idempotent).

    Run it after the demo's contacts are analysed: recommendations come from
    the stored difficulty.  It stores each team's break policy (the default,
    Meadow's a little stricter), the breaks the analyses earn over the whole
    period, the agents' answers to them (most taken; the agents whose workload
    drifts toward burnout skip far more, as the demo's shifts say they skip
    breaks), and for each drifting agent one leader action recorded by their
    lead ten days before the end, so before/after has something to show.  The
    last day's breaks are left unanswered.  Running it again adds nothing.
    """
    with engine.begin() as conn:
        teams = {r.key: r.id for r in conn.execute(select(TeamRow.key, TeamRow.id))}
        known = {r.team_id for r in conn.execute(select(BreakPolicyRow.team_id))}
        for team in org.teams:
            if team.id in teams and teams[team.id] not in known:
                save_policy(
                    conn,
                    team_id=teams[team.id],
                    policy=DEMO_POLICIES.get(team.id, DEFAULT_POLICY),
                    user_id=None,
                )
        agent_keys = [a.id for a in org.agents]
        ids = [
            r.id
            for r in conn.execute(
                select(InteractionRow.id)
                .join(AgentRow, AgentRow.id == InteractionRow.agent_id)
                .where(AgentRow.key.in_(agent_keys))
            )
        ]
    new = recommend_for(engine, ids, source="demo")
    if not org.shifts:
        return
    last = max(s.day for s in org.shifts)
    drifting = {k for k, p in org.profiles.items() if p.burnout_drift}
    with engine.begin() as conn:
        key_of = {
            r.id: r.key
            for r in conn.execute(
                select(AgentRow.id, AgentRow.key).where(AgentRow.key.in_(agent_keys))
            )
        }
        for row, rec in stored_recommendations(conn, new):
            if row.status != "recommended" or rec.start.date() >= last:
                continue
            share = 0.3 if rec.agent_id in drifting else 0.8
            roll = _chance("demo-break", row.event_id)
            if roll < share:
                late = int(_chance("late", row.event_id) * 6)
                minutes = (
                    rec.minutes
                    if _chance("full", row.event_id) > 0.15
                    else max(3, rec.minutes // 2)
                )
                start = rec.start + timedelta(minutes=late)
                conn.execute(
                    update(BreakRecommendationRow)
                    .where(BreakRecommendationRow.id == row.id)
                    .values(status="taken", answered_at=start)
                )
                conn.execute(
                    insert(BreakTakenRow).values(
                        agent_id=row.agent_id,
                        start=start,
                        end=start + timedelta(minutes=minutes),
                        recommendation_id=row.id,
                        source="demo",
                        created_at=start,
                    )
                )
            elif roll > 0.9 or rec.agent_id in drifting:
                conn.execute(
                    update(BreakRecommendationRow)
                    .where(BreakRecommendationRow.id == row.id)
                    .values(status="skipped", answered_at=rec.end)
                )
        actions = ("protect_break", "rotate_off_escalation_queue", "shield_from_overtime")
        team_of = {a.id: a.team for a in org.agents}
        row_of = {k: i for i, k in key_of.items()}
        for n, key in enumerate(sorted(drifting)):
            if key not in row_of:
                continue
            when = datetime.combine(last - timedelta(days=10), time(16, 30), UTC)
            action = actions[n % len(actions)]
            exists = conn.execute(
                select(LeaderActionRow.id).where(
                    LeaderActionRow.agent_id == row_of[key],
                    LeaderActionRow.action == action,
                    LeaderActionRow.taken_at == when,
                )
            ).first()
            if exists:
                continue
            lead = org.leads.get(team_of.get(key) or "", "Team lead")
            record_action(
                conn,
                agent_id=row_of[key],
                action=action,
                taken_by=None,
                taken_by_name=lead,
                taken_at=when,
                note="Talked after a run of heavy contacts; agreed to try this for two weeks.",
            )


def recommendations_for(
    conn: Connection,
    *,
    agent_ids: Sequence[int] | None = None,
    team_ids: Sequence[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Stored recommendations with agent and team names, newest first, narrowed as asked."""
    q = (
        select(
            BreakRecommendationRow,
            AgentRow.name.label("agent_name"),
            AgentRow.key.label("agent_key"),
            TeamRow.key.label("team_key"),
            TeamRow.name.label("team_name"),
        )
        .join(AgentRow, AgentRow.id == BreakRecommendationRow.agent_id)
        .outerjoin(TeamRow, TeamRow.id == BreakRecommendationRow.team_id)
        .order_by(BreakRecommendationRow.start.desc(), BreakRecommendationRow.id.desc())
        .limit(limit)
    )
    cond = []
    if agent_ids is not None:
        cond.append(BreakRecommendationRow.agent_id.in_(agent_ids))
    if team_ids is not None:
        cond.append(AgentRow.team_id.in_(team_ids))
    if since is not None:
        cond.append(BreakRecommendationRow.start >= since)
    if until is not None:
        cond.append(BreakRecommendationRow.start < until)
    out = []
    for row in conn.execute(q.where(*cond)):
        out.append(
            {
                "row": row,
                "agent_name": row.agent_name,
                "agent_key": row.agent_key,
                "team_key": row.team_key,
                "team_name": row.team_name,
                "rec": _as_recommendation(row, row.agent_key, row.team_key),
            }
        )
    return out
