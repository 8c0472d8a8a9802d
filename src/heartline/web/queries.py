"""What the pages and the API read and write, scoped to the principal asking.

Keyword-only functions over a connection; routes stay thin.  Scope is applied
here, once: an agent reads only their own contacts, a lead only their teams'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, case, func, insert, select, update
from sqlalchemy.orm import Session

from heartline.domain import EMOTIONS
from heartline.insights.aggregate import SCORE_FIELDS, emotion_bit
from heartline.insights.kpis import Filter, scope_conditions
from heartline.store.tables import (
    AgentRow,
    AnalysisRow,
    InteractionRow,
    SurveyRow,
    TeamRow,
    TurnRow,
)
from heartline.store.tables_web import (
    AgentDailyDetailRow,
    AgentDailyRow,
    InteractionFactRow,
    ScoreOverrideRow,
    ScoreReviewRow,
    UserRow,
)
from heartline.web.deps import Principal
from heartline.web.errors import BadRequest, Forbidden, NotFound

PER_PAGE = 50
COUNT_CAP = 10_000
NEGATIVE_MASK = emotion_bit("anger") | emotion_bit("frustration")


def orm(conn: Connection) -> Session:
    """A session on the caller's connection and transaction, for selects of whole rows."""
    return Session(bind=conn)


# --- scope ----------------------------------------------------------------------------


def scoped_filter(p: Principal, *, team_id: int | None = None, agent_id: int | None = None, **kw: Any) -> Filter:
    """A KPI filter narrowed to what ``p`` may see; asking for more is refused."""
    teams = p.team_ids
    if team_id is not None:
        if teams is not None and team_id not in teams:
            raise Forbidden("that team is not one of yours")
        teams = (team_id,)
    agents: tuple[int, ...] | None = None
    if p.only_agent_id is not None:
        if agent_id is not None and agent_id != p.only_agent_id:
            raise Forbidden("agents see their own figures only")
        agents = (p.only_agent_id,)
    elif agent_id is not None:
        agents = (agent_id,)
    return Filter(team_ids=teams, agent_ids=agents, **kw)


def visible_teams(conn: Connection, p: Principal) -> list[tuple[int, str]]:
    q = select(TeamRow.id, TeamRow.name).order_by(TeamRow.name)
    if p.team_ids is not None:
        q = q.where(TeamRow.id.in_(p.team_ids))
    return [(r.id, r.name) for r in conn.execute(q)]


def visible_agents(conn: Connection, p: Principal, team_id: int | None = None) -> list[tuple[int, str]]:
    q = select(AgentRow.id, AgentRow.name).order_by(AgentRow.name)
    if p.only_agent_id is not None:
        q = q.where(AgentRow.id == p.only_agent_id)
    elif p.team_ids is not None:
        q = q.where(AgentRow.team_id.in_(p.team_ids))
    if team_id is not None:
        q = q.where(AgentRow.team_id == team_id)
    return [(r.id, r.name) for r in conn.execute(q)]


def channels_and_queues(conn: Connection) -> tuple[list[str], list[str]]:
    """Channels and queues present in the data (see :class:`heartline.web.app.Freshness`
    for the cached copy the pages use)."""
    d = AgentDailyDetailRow
    channels = sorted(c for c in conn.execute(select(d.channel).distinct()).scalars() if c)
    queues = sorted(q for q in conn.execute(select(d.queue).distinct()).scalars() if q)
    return channels, queues


def agent_row(conn: Connection, p: Principal, agent_id: int) -> Any:
    row = conn.execute(
        select(AgentRow.id, AgentRow.key, AgentRow.name, AgentRow.team_id, TeamRow.name.label("team_name"))
        .outerjoin(TeamRow, TeamRow.id == AgentRow.team_id)
        .where(AgentRow.id == agent_id)
    ).first()
    if row is None or not p.may_see_agent(row.id, row.team_id):
        raise NotFound("no such agent among the people you can see")
    return row


# --- interaction list -----------------------------------------------------------------


@dataclass(frozen=True)
class InteractionQuery:
    team_id: int | None = None
    agent_id: int | None = None
    start: date | None = None
    end: date | None = None
    emotion: str | None = None
    min_difficulty: float | None = None
    missed_cues: bool = False
    robotic: bool = False
    channel: str | None = None
    queue: str | None = None

    def __post_init__(self) -> None:
        if self.emotion is not None and self.emotion not in EMOTIONS:
            raise BadRequest(f"emotion must be one of {', '.join(EMOTIONS)}")


@dataclass
class Page:
    items: list[dict[str, Any]]
    page: int
    per_page: int
    total: int
    total_capped: bool
    has_next: bool


def list_interactions(
    conn: Connection, *, principal: Principal, query: InteractionQuery, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """Newest first, filtered and scoped; the total is counted up to 10,000."""
    flt = scoped_filter(principal, team_id=query.team_id, agent_id=query.agent_id)
    f = InteractionFactRow
    cond: list[Any] = []
    if flt.agent_ids is not None:
        # one agent: check their team here, so the database walks that agent's index alone
        team_of = dict(conn.execute(select(AgentRow.id, AgentRow.team_id).where(AgentRow.id.in_(flt.agent_ids))).all())
        if any(not principal.may_see_agent(a, team_of.get(a)) for a in flt.agent_ids):
            raise NotFound("no such agent among the people you can see")
        if query.team_id is not None and any(team_of.get(a) != query.team_id for a in flt.agent_ids):
            return Page([], max(1, page), per_page, 0, False, False)
        cond.append(f.agent_id.in_(flt.agent_ids))
    elif flt.team_ids is not None:
        cond.append(f.team_id.in_(flt.team_ids))
    if query.start:
        cond.append(f.started_at >= datetime.combine(query.start, datetime.min.time(), UTC))
    if query.end:
        cond.append(f.day <= query.end)
    if query.emotion:
        cond.append(f.emotions_mask.op("&")(emotion_bit(query.emotion)) != 0)
    if query.min_difficulty is not None:
        cond.append(f.difficulty >= query.min_difficulty)
    if query.missed_cues:
        cond.append(f.missed_cues > 0)
    if query.robotic:
        cond.append(f.robotic.is_(True))
    if query.channel:
        cond.append(f.channel == query.channel)
    if query.queue:
        cond.append(f.queue == query.queue)
    page = max(1, page)
    per_page = max(1, min(per_page, 200))
    rows = conn.execute(
        select(
            f.interaction_id, f.started_at, f.channel, f.queue, f.aht_seconds, f.hold_seconds,
            f.transfers, f.csat, f.empathy_score, f.difficulty, f.missed_cues, f.robotic,
            f.peak_emotion, f.deescalated, f.analysed, f.agent_id,
            InteractionRow.external_id, InteractionRow.topic, AgentRow.name.label("agent_name"),
        )  # fmt: skip
        .join(InteractionRow, InteractionRow.id == f.interaction_id)
        .outerjoin(AgentRow, AgentRow.id == f.agent_id)
        .where(*cond)
        .order_by(f.started_at.desc(), f.interaction_id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    total = conn.execute(
        select(func.count()).select_from(select(f.interaction_id).where(*cond).limit(COUNT_CAP + 1).subquery())
    ).scalar_one()
    items = [dict(r._mapping) for r in rows[:per_page]]
    return Page(items, page, per_page, min(total, COUNT_CAP), total > COUNT_CAP, len(rows) > per_page)


# --- one interaction ------------------------------------------------------------------


@dataclass
class Detail:
    interaction: Any
    agent_name: str | None
    team_id: int | None
    team_name: str | None
    turns: list[dict[str, Any]]
    survey: Any
    analysis: dict[str, Any] | None
    model_version: str | None
    scores: dict[str, float | None]
    model_scores: dict[str, float | None]
    overrides: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)


def visible_interaction(conn: Connection, p: Principal, interaction_id: int) -> Any:
    row = orm(conn).execute(
        select(InteractionRow, AgentRow.name, AgentRow.team_id, TeamRow.name)
        .outerjoin(AgentRow, AgentRow.id == InteractionRow.agent_id)
        .outerjoin(TeamRow, TeamRow.id == AgentRow.team_id)
        .where(InteractionRow.id == interaction_id)
    ).first()
    if row is None or not p.may_see_agent(row[0].agent_id, row[2]):
        raise NotFound(f"no interaction {interaction_id} among the ones you can see")
    return row


def _mark(text: str, evidence: list[str]) -> list[tuple[str, bool]]:
    """Split text into (piece, highlighted) around the first occurrence of each evidence."""
    spans: list[tuple[int, int]] = []
    low = text.lower()
    for ev in evidence:
        # evidence may be clipped ("…") and have its whitespace squeezed
        ev = " ".join(ev.replace("…", " ").split())
        if not ev:
            continue
        for probe in (ev, ev[:40]):
            i = low.find(probe.lower())
            if i >= 0:
                spans.append((i, i + len(probe)))
                break
    if not spans:
        return [(text, False)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in merged:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def interaction_detail(conn: Connection, *, principal: Principal, interaction_id: int) -> Detail:
    row = visible_interaction(conn, principal, interaction_id)
    inter, agent_name, team_id, team_name = row
    analysis = orm(conn).execute(select(AnalysisRow).where(AnalysisRow.interaction_id == inter.id)).first()
    a = analysis[0] if analysis else None
    body: dict[str, Any] = dict(a.body) if a else {}
    by_index = {int(t.get("index", -1)): t for t in body.get("turns") or [] if isinstance(t, dict)}
    moments = [m for m in body.get("moments") or [] if isinstance(m, dict)]
    evidence_by_turn: dict[int, list[str]] = {}
    for m in moments:
        if m.get("turn") is not None and m.get("evidence"):
            ev = m["evidence"]
            evidence_by_turn.setdefault(int(m["turn"]), []).extend(ev if isinstance(ev, list) else [str(ev)])
    missed = set(int(x) for x in body.get("missed_emotion_turns") or [])
    turns = []
    for t in orm(conn).execute(
        select(TurnRow).where(TurnRow.interaction_id == inter.id).order_by(TurnRow.idx)
    ).scalars():
        ann = by_index.get(t.idx, {})
        turns.append(
            {
                "index": t.idx,
                "speaker": t.speaker,
                "pieces": _mark(t.text, evidence_by_turn.get(t.idx, [])),
                "emotion": ann.get("emotion") if t.speaker == "customer" else None,
                "intensity": ann.get("emotion_intensity"),
                "behaviours": list(ann.get("behaviours") or []) if t.speaker == "agent" else [],
                "missed": t.idx in missed,
                "moments": [m for m in moments if m.get("turn") == t.idx],
                "start_ms": t.start_ms,
            }
        )
    survey = orm(conn).execute(
        select(SurveyRow).where(
            SurveyRow.source == inter.source, SurveyRow.interaction_external_id == inter.external_id
        )
    ).scalar_one_or_none()
    model_scores: dict[str, float | None] = {}
    if a is not None:
        model_scores = {
            "empathy_score": a.empathy_score,
            "difficulty": a.difficulty,
            "missed_cues": float(a.missed_cues) if a.missed_cues is not None else None,
            "robotic": None if a.robotic is None else float(a.robotic),
            "deescalated": None if a.deescalated is None else float(a.deescalated),
        }
    overrides = [
        dict(r._mapping)
        for r in orm(conn).execute(
            select(ScoreOverrideRow, UserRow.display_name.label("by"))
            .join(UserRow, UserRow.id == ScoreOverrideRow.user_id)
            .where(ScoreOverrideRow.interaction_id == inter.id)
            .order_by(ScoreOverrideRow.id)
        )
    ]
    scores = dict(model_scores)
    for o in overrides:
        scores[o["ScoreOverrideRow"].field] = o["ScoreOverrideRow"].new_value
    reviews = [
        dict(r._mapping)
        for r in orm(conn).execute(
            select(ScoreReviewRow, UserRow.display_name.label("author"))
            .join(UserRow, UserRow.id == ScoreReviewRow.author_id)
            .where(ScoreReviewRow.interaction_id == inter.id)
            .order_by(ScoreReviewRow.id)
        )
    ]
    return Detail(
        interaction=inter, agent_name=agent_name, team_id=team_id, team_name=team_name, turns=turns,
        survey=survey, analysis=body or None, model_version=a.model_version if a else None,
        scores=scores, model_scores=model_scores, overrides=overrides, reviews=reviews,
    )  # fmt: skip


# --- reviews, disputes and overrides --------------------------------------------------


def _check_field(field_name: str) -> None:
    if field_name not in SCORE_FIELDS:
        raise BadRequest(f"score must be one of {', '.join(SCORE_FIELDS)}")


def add_review(
    conn: Connection, *, principal: Principal, interaction_id: int, field_name: str, kind: str, comment: str
) -> int:
    """An agent acknowledges or disputes a score on one of their own contacts."""
    _check_field(field_name)
    if kind not in ("acknowledge", "dispute"):
        raise BadRequest("choose acknowledge or dispute")
    comment = comment.strip()
    if kind == "dispute" and not comment:
        raise BadRequest("a dispute needs a comment saying what the score missed")
    if len(comment) > 4000:
        raise BadRequest("keep the comment under 4,000 characters")
    row = visible_interaction(conn, principal, interaction_id)
    if principal.agent_id is None or row[0].agent_id != principal.agent_id:
        raise Forbidden("only the agent who handled the contact can review its scores")
    if conn.execute(
        select(AnalysisRow.interaction_id).where(AnalysisRow.interaction_id == interaction_id)
    ).first() is None:
        raise BadRequest("this contact has no scores yet")
    return int(
        conn.execute(
            insert(ScoreReviewRow)
            .values(
                interaction_id=interaction_id, agent_id=principal.agent_id, author_id=principal.id,
                field=field_name, kind=kind, comment=comment or None,
                status="acknowledged" if kind == "acknowledge" else "open",
                created_at=datetime.now(UTC),
            )  # fmt: skip
            .returning(ScoreReviewRow.id)
        ).scalar_one()
    )


def parse_score(field_name: str, raw: str) -> float:
    _check_field(field_name)
    lo, hi = SCORE_FIELDS[field_name]
    text = raw.strip().lower()
    if hi == 1.0 and text in ("yes", "true", "no", "false"):
        return 1.0 if text in ("yes", "true") else 0.0
    try:
        value = float(text)
    except ValueError:
        raise BadRequest(f"{field_name} takes a number from {lo:g} to {hi:g}") from None
    if not lo <= value <= hi:
        raise BadRequest(f"{field_name} takes a number from {lo:g} to {hi:g}")
    return value


def add_override(
    conn: Connection, *, principal: Principal, interaction_id: int, field_name: str, value: float,
    reason: str, review_id: int | None = None,
) -> int:  # fmt: skip
    """QA or a lead corrects a score; the old value and the reason are kept."""
    if principal.role not in ("lead", "manager", "admin"):
        raise Forbidden("only leads and QA can override a score")
    _check_field(field_name)
    reason = reason.strip()
    if not reason:
        raise BadRequest("an override needs a reason")
    visible_interaction(conn, principal, interaction_id)
    detail_scores = orm(conn).execute(select(AnalysisRow).where(AnalysisRow.interaction_id == interaction_id)).first()
    if detail_scores is None:
        raise BadRequest("this contact has no scores to override")
    current = conn.execute(
        select(ScoreOverrideRow.new_value)
        .where(ScoreOverrideRow.interaction_id == interaction_id, ScoreOverrideRow.field == field_name)
        .order_by(ScoreOverrideRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if current is None:
        model = getattr(detail_scores[0], field_name)
        current = None if model is None else float(model)
    return int(
        conn.execute(
            insert(ScoreOverrideRow)
            .values(
                interaction_id=interaction_id, field=field_name, old_value=current, new_value=value,
                reason=reason[:4000], user_id=principal.id, review_id=review_id,
                created_at=datetime.now(UTC),
            )  # fmt: skip
            .returning(ScoreOverrideRow.id)
        ).scalar_one()
    )


def disputes(conn: Connection, *, principal: Principal, status: str | None = "open") -> list[dict[str, Any]]:
    """Disputes of the agents ``principal`` may see (a lead: their teams), newest first."""
    q = (
        select(
            ScoreReviewRow, AgentRow.name.label("agent_name"), AgentRow.team_id,
            InteractionRow.external_id, InteractionRow.started_at,
        )  # fmt: skip
        .join(AgentRow, AgentRow.id == ScoreReviewRow.agent_id)
        .join(InteractionRow, InteractionRow.id == ScoreReviewRow.interaction_id)
        .where(ScoreReviewRow.kind == "dispute")
        .order_by(ScoreReviewRow.id.desc())
        .limit(200)
    )
    if status:
        q = q.where(ScoreReviewRow.status == status)
    if principal.only_agent_id is not None:
        q = q.where(ScoreReviewRow.agent_id == principal.only_agent_id)
    elif principal.team_ids is not None:
        q = q.where(AgentRow.team_id.in_(principal.team_ids))
    return [dict(r._mapping) for r in orm(conn).execute(q)]


def resolve_dispute(
    conn: Connection, *, principal: Principal, review_id: int, decision: str, note: str, value: str | None
) -> int:
    """Uphold (and override the score) or decline a dispute; returns its interaction id."""
    row = orm(conn).execute(
        select(ScoreReviewRow, AgentRow.team_id)
        .join(AgentRow, AgentRow.id == ScoreReviewRow.agent_id)
        .where(ScoreReviewRow.id == review_id, ScoreReviewRow.kind == "dispute")
    ).first()
    if row is None or not principal.may_see_agent(row[0].agent_id, row[1]):
        raise NotFound("no such dispute in your queue")
    review = row[0]
    if review.status != "open":
        raise BadRequest("this dispute is already resolved")
    if decision not in ("uphold", "decline"):
        raise BadRequest("decide uphold or decline")
    note = note.strip()
    if not note:
        raise BadRequest("say why, so the agent learns from the answer")
    if decision == "uphold":
        if value is None or not value.strip():
            raise BadRequest("upholding a dispute sets the corrected score")
        add_override(
            conn, principal=principal, interaction_id=review.interaction_id, field_name=review.field,
            value=parse_score(review.field, value), reason=note, review_id=review.id,
        )  # fmt: skip
    conn.execute(
        update(ScoreReviewRow)
        .where(ScoreReviewRow.id == review.id)
        .values(
            status="upheld" if decision == "uphold" else "declined",
            resolved_by=principal.id,
            resolved_at=datetime.now(UTC),
            resolution_note=note[:4000],
        )
    )
    return int(review.interaction_id)


def agent_reviews(conn: Connection, *, agent_id: int) -> list[dict[str, Any]]:
    return [
        dict(r._mapping)
        for r in orm(conn).execute(
            select(ScoreReviewRow, InteractionRow.external_id)
            .join(InteractionRow, InteractionRow.id == ScoreReviewRow.interaction_id)
            .where(ScoreReviewRow.agent_id == agent_id)
            .order_by(ScoreReviewRow.id.desc())
            .limit(50)
        )
    ]


def agent_moments(conn: Connection, *, agent_id: int, per_kind: int = 6) -> dict[str, list[dict[str, Any]]]:
    """The most recent glow and growth moments of an agent, up to ``per_kind`` of each, so a
    page of moments is never only things to fix."""
    out: dict[str, list[dict[str, Any]]] = {"glow": [], "growth": []}
    rows = conn.execute(
        select(InteractionRow.id, InteractionRow.external_id, InteractionRow.started_at, AnalysisRow.body)
        .join(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
        .where(InteractionRow.agent_id == agent_id)
        .order_by(InteractionRow.started_at.desc())
        .limit(80)
    )
    for iid, ext, started, body in rows:
        for m in (body or {}).get("moments") or []:
            kind = m.get("kind") if isinstance(m, dict) else None
            if kind not in out or len(out[kind]) >= per_kind:
                continue
            ev = m.get("evidence")
            out[kind].append(
                {
                    "interaction_id": iid, "external_id": ext, "started_at": started,
                    "kind": kind, "turn": m.get("turn"), "reason": m.get("reason", ""),
                    "evidence": ev if isinstance(ev, list) else ([str(ev)] if ev else []),
                }  # fmt: skip
            )
        if all(len(v) >= per_kind for v in out.values()):
            break
    return out


# --- friction -------------------------------------------------------------------------


@dataclass
class FrictionRow:
    label: str
    contacts: int
    negative_pct: float | None
    difficulty: float | None
    csat_pct: float | None


def friction(conn: Connection, *, flt: Filter) -> dict[str, list[FrictionRow]]:
    """Hold, transfers and repeat contacts against the customer's emotion, bucket by bucket."""
    f = InteractionFactRow
    cond: list[Any] = [f.analysed.is_(True), *scope_conditions(flt, f.team_id, f.agent_id, f.day)]
    if flt.channel:
        cond.append(f.channel == flt.channel)
    if flt.queue:
        cond.append(f.queue == flt.queue)
    negative = case((f.emotions_mask.op("&")(NEGATIVE_MASK) != 0, 1), else_=0)
    buckets = {
        "hold": (
            case((f.hold_seconds <= 0, 0), (f.hold_seconds <= 60, 1), (f.hold_seconds <= 180, 2), else_=3),
            ["no hold", "≤ 1 min", "1–3 min", "> 3 min"],
        ),
        "transfers": (case((f.transfers <= 0, 0), (f.transfers == 1, 1), else_=2), ["none", "one", "two +"]),
        "repeat": (case((f.is_repeat.is_(True), 1), else_=0), ["first contact", "repeat within 7 days"]),
    }
    out: dict[str, list[FrictionRow]] = {}
    for name, (expr, labels) in buckets.items():
        key = expr.label("bucket")
        got = {
            r.bucket: r
            for r in conn.execute(
                select(
                    key,
                    func.count().label("n"),
                    func.sum(negative).label("neg"),
                    func.avg(f.difficulty).label("difficulty"),
                    func.count(f.csat).label("csat_n"),
                    func.sum(case((f.csat >= 4, 1), else_=0)).label("csat_pos"),
                )
                .where(*cond)
                .group_by(key)
            )
        }
        rows = []
        for i, label in enumerate(labels):
            r = got.get(i)
            if r is None:
                rows.append(FrictionRow(label, 0, None, None, None))
                continue
            rows.append(
                FrictionRow(
                    label, int(r.n), 100.0 * float(r.neg or 0) / r.n if r.n else None,
                    float(r.difficulty) if r.difficulty is not None else None,
                    100.0 * float(r.csat_pos or 0) / r.csat_n if r.csat_n else None,
                )  # fmt: skip
            )
        out[name] = rows
    return out


def data_range(conn: Connection) -> tuple[date | None, date | None]:
    lo, hi = conn.execute(select(func.min(AgentDailyRow.day), func.max(AgentDailyRow.day))).one()
    return lo, hi


def users(conn: Connection) -> list[Any]:
    return list(
        conn.execute(
            select(UserRow.id, UserRow.login, UserRow.display_name, UserRow.role, UserRow.active, AgentRow.name.label("agent"))
            .outerjoin(AgentRow, AgentRow.id == UserRow.agent_id)
            .order_by(UserRow.role, UserRow.login)
        )
    )
