"""Recognition and purpose: peer recognition, the monthly Empathy MVP, fairness, the stories wall.

The arithmetic lives in :mod:`heartline.people.recognition`, :mod:`heartline.people.praise`
and :mod:`heartline.people.stories`; this module reads the store, scoped to the
person asking, hands plain records to those functions and writes what people
decide (a recognition, a confirmed MVP, a story, a consent, a hard-day thank-you).

Identities handed to the library are strings: an agent is their agent key, an
account without an agent record is ``user:<id>``, and a giver known only by name
(imported or demo data) is ``name:<name>``.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection, Engine, and_, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from heartline.people.praise import (
    EMPATHY,
    PraiseClassifier,
    PraiseError,
    PraiseResult,
    SurveyComment,
    highlight_stream,
)
from heartline.people.recognition import (
    DEFAULT_VALUES,
    CustomerPraise,
    HandledContact,
    MvpResult,
    Recognition,
    RecognitionError,
    empathy_mvp,
    fairness_report,
    hard_day_suggestions,
    recognise,
)
from heartline.people.stories import (
    ConsentEvent,
    Story,
    StoryError,
    anonymise,
    consent_state,
    select_story,
)
from heartline.store.tables import (
    AgentRow,
    AnalysisRow,
    InteractionRow,
    ShiftRow,
    SurveyRow,
    TeamRow,
)
from heartline.store.tables_recognition import (
    CommentPraiseRow,
    HardDayRow,
    MvpConfirmationRow,
    RecognitionRow,
    StoryConsentRow,
    StoryRow,
)
from heartline.store.tables_web import UserRow, UserTeamRow
from heartline.web.charts import Bar, bar_chart
from heartline.web.deps import AgentOnly, Csrf, CurrentUser, EngineDep, Leader, Principal
from heartline.web.errors import BadRequest, Forbidden, NotFound
from heartline.web.queries import orm
from heartline.web.routes import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

# Settings (module constants until they join heartline.settings.Settings; see the report).
#: The organisation's recognition values.
RECOGNITION_VALUES: tuple[str, ...] = DEFAULT_VALUES
#: Volume floor for the MVP's per-contact rates.
MVP_MIN_CONTACTS = 20
#: Days of customer comments in the highlight stream, and of candidates for the stories wall.
HIGHLIGHT_DAYS = 60
#: Days of shifts read for hard-day suggestions (back from the newest shift).
HARD_DAY_DAYS = 14
#: Hard-day suggestions shown per team at once (newest first).
HARD_DAYS_SHOWN = 6
#: Most survey comments classified while one page is built (the rest wait for the next view).
CLASSIFY_BATCH = 600
#: Recognitions shown in a team's stream.
STREAM_LIMIT = 40

_CLASSIFIER_LOCK = threading.Lock()


# --------------------------------------------------------------------------- identities


def giver_key(*, user_id: int | None, agent_key: str | None, name: str) -> str:
    """The string the library sees for a giver (see the module docstring)."""
    if agent_key:
        return agent_key
    if user_id is not None:
        return f"user:{user_id}"
    return f"name:{name}"


@dataclass(frozen=True)
class Member:
    id: int
    key: str
    name: str
    team_id: int | None


def _teams(conn: Connection, user: Principal, team: int | None = None) -> list[tuple[int, str]]:
    q = select(TeamRow.id, TeamRow.name).order_by(TeamRow.name)
    if user.team_ids is not None:
        q = q.where(TeamRow.id.in_(user.team_ids))
    rows = [(r.id, r.name) for r in conn.execute(q)]
    if team is not None:
        rows = [t for t in rows if t[0] == team]
        if not rows:
            raise Forbidden("that team is not one of yours")
    return rows


def _members(conn: Connection, team_ids: Iterable[int]) -> dict[int, list[Member]]:
    out: dict[int, list[Member]] = defaultdict(list)
    ids = list(team_ids)
    if not ids:
        return out
    for r in conn.execute(
        select(AgentRow.id, AgentRow.key, AgentRow.name, AgentRow.team_id)
        .where(AgentRow.team_id.in_(ids))
        .order_by(AgentRow.name, AgentRow.id)
    ):
        out[r.team_id].append(Member(r.id, r.key, r.name, r.team_id))
    return out


def _my_team(user: Principal) -> int | None:
    return user.agent_team_id if user.role == "agent" else None


# --------------------------------------------------------------------------- customer comments


class StoredLabels:
    """A classifier that answers from labels already stored (for :func:`highlight_stream`)."""

    def __init__(self, labels: dict[str, tuple[str, float]]) -> None:
        self.labels = labels

    def classify(self, texts: Sequence[str]) -> list[PraiseResult]:
        out = []
        for t in texts:
            label, p = self.labels.get(t, ("not_praise", 1.0))
            out.append(PraiseResult(t, label, p, {label: p}, "stored"))
        return out


def _model_name(classifier: Any) -> str:
    meta = getattr(classifier, "meta", {}) or {}
    return str(meta.get("train_ids_sha256") or meta.get("model") or "praise")[:64]


def classifier_of(request: Request) -> PraiseClassifier | None:
    """The app's praise classifier, loaded once (tests may set ``app.state.praise_classifier``).

    None when it cannot be loaded (model package or head missing): pages then use the
    labels already stored and say nothing new about comments, rather than failing.
    """
    state = request.app.state
    with _CLASSIFIER_LOCK:
        clf = getattr(state, "praise_classifier", None)
        if clf is None and not getattr(state, "praise_classifier_failed", False):
            try:
                clf = PraiseClassifier.load()
            except (PraiseError, ImportError, OSError) as exc:
                log.warning("praise classifier unavailable, customer comments are not classified: %s", exc)
                state.praise_classifier_failed = True
                return None
            state.praise_classifier = clf
    return clf  # type: ignore[no-any-return]


def _comment_query(team_ids: Sequence[int] | None):  # type: ignore[no-untyped-def]
    q = (
        select(
            SurveyRow.id.label("survey_id"), SurveyRow.comment, SurveyRow.responded_at, SurveyRow.csat,
            InteractionRow.id.label("interaction_id"), InteractionRow.started_at,
            AgentRow.id.label("agent_id"), AgentRow.key.label("agent_key"), AgentRow.name.label("agent_name"),
            AgentRow.team_id,
        )  # fmt: skip
        .join(
            InteractionRow,
            and_(
                InteractionRow.source == SurveyRow.source,
                InteractionRow.external_id == SurveyRow.interaction_external_id,
            ),
        )
        .join(AgentRow, AgentRow.id == InteractionRow.agent_id)
        .where(SurveyRow.comment.is_not(None), SurveyRow.comment != "")
    )
    if team_ids is not None:
        q = q.where(AgentRow.team_id.in_(list(team_ids)))
    return q


def classify_pending(
    conn: Connection,
    classifier: Any,
    *,
    team_ids: Sequence[int] | None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = CLASSIFY_BATCH,
) -> int:
    """Classify comments in scope that have no stored label yet (newest first); returns how many.

    Two page views racing over the same comments store each label once (a conflict is skipped).
    """
    if classifier is None:
        return 0
    q = _comment_query(team_ids).outerjoin(CommentPraiseRow, CommentPraiseRow.survey_id == SurveyRow.id)
    q = q.where(CommentPraiseRow.survey_id.is_(None))
    if since is not None:
        q = q.where(InteractionRow.started_at >= since)
    if until is not None:
        q = q.where(InteractionRow.started_at < until)
    q = q.order_by(InteractionRow.started_at.desc(), SurveyRow.id)
    if limit is not None:
        q = q.limit(limit)
    rows = conn.execute(q).all()
    if not rows:
        return 0
    texts = list(dict.fromkeys(r.comment.strip() for r in rows))
    results = {t: r for t, r in zip(texts, classifier.classify(texts), strict=True)}
    now = datetime.now(UTC)
    model = _model_name(classifier)
    if conn.dialect.name == "postgresql":
        stmt = pg_insert(CommentPraiseRow).on_conflict_do_nothing(index_elements=["survey_id"])
    elif conn.dialect.name == "sqlite":
        stmt = sqlite_insert(CommentPraiseRow).on_conflict_do_nothing(index_elements=["survey_id"])
    else:  # pragma: no cover - Heartline runs on SQLite and PostgreSQL
        stmt = insert(CommentPraiseRow)
    conn.execute(
        stmt,
        [
            {
                "survey_id": r.survey_id, "label": results[r.comment.strip()].label,
                "probability": round(float(results[r.comment.strip()].probability), 6),
                "model": model, "classified_at": now,
            }  # fmt: skip
            for r in rows
        ],
    )
    return len(rows)


def _labelled_comments(
    conn: Connection, team_ids: Sequence[int] | None, since: datetime, until: datetime | None = None
) -> list[Any]:
    q = _comment_query(team_ids).add_columns(CommentPraiseRow.label, CommentPraiseRow.probability)
    q = q.join(CommentPraiseRow, CommentPraiseRow.survey_id == SurveyRow.id).where(InteractionRow.started_at >= since)
    if until is not None:
        q = q.where(InteractionRow.started_at < until)
    return list(conn.execute(q.order_by(InteractionRow.started_at.desc(), SurveyRow.id)))


def _latest_contact(conn: Connection, team_ids: Sequence[int] | None) -> datetime | None:
    q = select(func.max(InteractionRow.started_at)).join(AgentRow, AgentRow.id == InteractionRow.agent_id)
    if team_ids is not None:
        q = q.where(AgentRow.team_id.in_(list(team_ids)))
    value = conn.execute(q).scalar()
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value  # type: ignore[no-any-return]


def highlights(conn: Connection, classifier: Any, team_ids: Sequence[int] | None, *, agent_id: int | None = None) -> list[dict[str, Any]]:
    """The empathy-praise highlight stream of the teams' customer comments (last HIGHLIGHT_DAYS)."""
    latest = _latest_contact(conn, team_ids)
    if latest is None:
        return []
    since = latest - timedelta(days=HIGHLIGHT_DAYS)
    classify_pending(conn, classifier, team_ids=team_ids, since=since)
    rows = [r for r in _labelled_comments(conn, team_ids, since) if agent_id is None or r.agent_id == agent_id]
    labels = {r.comment: (r.label, r.probability) for r in rows}
    comments = [
        SurveyComment(str(r.interaction_id), r.agent_key, str(r.team_id), r.comment,
                      r.responded_at or r.started_at, r.csat)  # fmt: skip
        for r in rows
    ]
    names = {r.agent_key: r.agent_name for r in rows}
    picked = highlight_stream(comments, StoredLabels(labels), anonymise=anonymise)
    return [
        {"interaction_id": int(h.interaction_id), "agent": names.get(h.agent_id, h.agent_id),
         "text": h.text, "when": h.responded_at, "probability": h.probability}  # fmt: skip
        for h in picked
    ]


# --------------------------------------------------------------------------- recognitions


def _recognitions(conn: Connection, *, team_ids: Sequence[int] | None, since: datetime | None = None) -> list[Any]:
    giver = AgentRow.__table__.alias("giver")
    receiver = AgentRow.__table__.alias("receiver")
    q = (
        select(
            RecognitionRow, receiver.c.key.label("receiver_key"), receiver.c.name.label("receiver_name"),
            receiver.c.team_id.label("receiver_team"), giver.c.key.label("giver_key"),
            InteractionRow.external_id.label("interaction_external_id"),
        )  # fmt: skip
        .join(receiver, receiver.c.id == RecognitionRow.receiver_agent_id)
        .outerjoin(giver, giver.c.id == RecognitionRow.giver_agent_id)
        .outerjoin(InteractionRow, InteractionRow.id == RecognitionRow.interaction_id)
    )
    if team_ids is not None:
        q = q.where(receiver.c.team_id.in_(list(team_ids)))
    if since is not None:
        q = q.where(RecognitionRow.created_at >= since)
    return list(orm(conn).execute(q.order_by(RecognitionRow.created_at.desc(), RecognitionRow.id.desc())))


def _as_library(row: Any) -> Recognition:
    r = row.RecognitionRow
    return Recognition(
        id=r.key,
        giver_id=giver_key(user_id=r.giver_user_id, agent_key=row.giver_key, name=r.giver_name),
        receiver_id=row.receiver_key,
        message=r.message,
        values=tuple(r.value_tags),
        given_at=r.created_at,
        interaction_id=str(r.interaction_id) if r.interaction_id is not None else None,
    )


def _resolve_interaction(conn: Connection, raw: str, receiver_id: int) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    q = select(InteractionRow.id, InteractionRow.agent_id)
    row = conn.execute(q.where(InteractionRow.id == int(raw))).first() if raw.isdigit() else None
    if row is None:
        row = conn.execute(q.where(InteractionRow.external_id == raw).order_by(InteractionRow.id)).first()
    if row is None:
        raise BadRequest(f"no interaction {raw!r}; give its number or its id from the interaction page")
    if row.agent_id != receiver_id:
        raise BadRequest("the linked interaction must be one your colleague handled")
    return int(row.id)


def add_recognition(
    conn: Connection,
    *,
    principal: Principal,
    receiver_id: int,
    message: str,
    values: Sequence[str],
    interaction: str = "",
    at: datetime | None = None,
) -> int:
    """Store a recognition from ``principal``; the receiver must be an agent they may see."""
    receiver = orm(conn).execute(select(AgentRow).where(AgentRow.id == receiver_id)).scalar_one_or_none()
    if receiver is None:
        raise NotFound("no such colleague")
    if principal.role == "agent":
        if receiver.team_id is None or receiver.team_id != principal.agent_team_id:
            raise Forbidden("agents recognise colleagues in their own team")
    elif not principal.may_see_agent(receiver.id, receiver.team_id):
        raise Forbidden("that agent is not in one of your teams")
    giver_agent = None
    if principal.agent_id is not None:
        giver_agent = conn.execute(select(AgentRow.key).where(AgentRow.id == principal.agent_id)).scalar()
    interaction_id = _resolve_interaction(conn, interaction, receiver.id)
    when = at or datetime.now(UTC)
    try:
        rec = recognise(
            giver_key(user_id=principal.id, agent_key=giver_agent, name=principal.name),
            receiver.key,
            message,
            values,
            given_at=when,
            interaction_id=str(interaction_id) if interaction_id is not None else None,
            allowed_values=RECOGNITION_VALUES,
        )
    except RecognitionError as exc:
        raise BadRequest(str(exc)) from None
    exists = conn.execute(select(RecognitionRow.id).where(RecognitionRow.key == rec.id)).scalar()
    if exists is not None:
        return int(exists)
    return int(
        conn.execute(
            insert(RecognitionRow)
            .values(
                key=rec.id, giver_user_id=principal.id, giver_agent_id=principal.agent_id,
                giver_name=principal.name, giver_role=principal.role, receiver_agent_id=receiver.id,
                team_id=receiver.team_id, message=rec.message, value_tags=list(rec.values),
                interaction_id=interaction_id, created_at=rec.given_at,
            )  # fmt: skip
            .returning(RecognitionRow.id)
        ).scalar_one()
    )


# --------------------------------------------------------------------------- Empathy MVP


def _month_of(raw: str | None, fallback: datetime | None) -> tuple[int, int]:
    if raw:
        try:
            y, m = (int(x) for x in raw.split("-"))
            if 2000 <= y <= 2100 and 1 <= m <= 12:
                return y, m
        except ValueError:
            pass
        raise BadRequest(f"month {raw!r} is not like 2026-11")
    when = fallback or datetime.now(UTC)
    return when.year, when.month


def _month_range(y: int, m: int) -> tuple[datetime, datetime]:
    start = datetime(y, m, 1, tzinfo=UTC)
    end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)
    return start, end


def _contacts(conn: Connection, agent_ids: Sequence[int], start: datetime, end: datetime) -> list[HandledContact]:
    if not agent_ids:
        return []
    rows = conn.execute(
        select(InteractionRow.id, AgentRow.key, InteractionRow.started_at, AnalysisRow.difficulty, AnalysisRow.body)
        .join(AgentRow, AgentRow.id == InteractionRow.agent_id)
        .outerjoin(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
        .where(InteractionRow.agent_id.in_(list(agent_ids)), InteractionRow.started_at >= start, InteractionRow.started_at < end)
    )
    out = []
    for r in rows:
        moments = (r.body or {}).get("moments") or []
        glow = sum(1 for mo in moments if isinstance(mo, dict) and mo.get("kind") == "glow")
        out.append(HandledContact(str(r.id), r.key, r.started_at, r.difficulty, glow))
    return out


@dataclass
class TeamMvp:
    team_id: int
    team_name: str
    month: str
    result: MvpResult
    names: dict[str, str]
    ids: dict[str, int]
    confirmation: Any
    history: list[Any]


def team_mvp(conn: Connection, classifier: Any, *, team_id: int, team_name: str, members: list[Member], year: int, month: int) -> TeamMvp:
    """Compute one team's Empathy MVP for a month from the store."""
    start, end = _month_range(year, month)
    label = f"{year:04d}-{month:02d}"
    ids = [m.id for m in members]
    contacts = _contacts(conn, ids, start, end)
    praise: list[CustomerPraise] = []
    if contacts:
        classify_pending(conn, classifier, team_ids=[team_id], since=start, until=end, limit=None)
        praise = [
            CustomerPraise(str(r.interaction_id), r.agent_key, r.label)
            for r in _labelled_comments(conn, [team_id], start, end)
        ]
    recs = [_as_library(r) for r in _recognitions(conn, team_ids=[team_id], since=start) if r.RecognitionRow.created_at < end]
    confirmations = list(
        orm(conn).execute(
            select(MvpConfirmationRow, AgentRow.key, AgentRow.name)
            .join(AgentRow, AgentRow.id == MvpConfirmationRow.winner_agent_id)
            .where(MvpConfirmationRow.team_id == team_id)
            .order_by(MvpConfirmationRow.month.desc())
        )
    )
    history = [(c.MvpConfirmationRow.month, c.key) for c in confirmations]
    names = {m.key: m.name for m in members}
    result = empathy_mvp(
        team_name, [m.key for m in members], year, month, contacts=contacts, recognitions=recs,
        customer_praise=praise, history=history, min_contacts=MVP_MIN_CONTACTS, names=names,
    )  # fmt: skip
    confirmation = next((c for c in confirmations if c.MvpConfirmationRow.month == label), None)
    return TeamMvp(team_id, team_name, label, result, names, {m.key: m.id for m in members}, confirmation,
                   [c for c in confirmations if c.MvpConfirmationRow.month != label][:6])  # fmt: skip


def explanation_lines(mvp: TeamMvp) -> list[str]:
    """The library's explanation, with the not-eligible line given names instead of keys."""
    lines = [ln for ln in mvp.result.explanation.splitlines() if not ln.startswith("Not eligible")]
    if mvp.result.not_eligible and mvp.result.candidates:
        who = ", ".join(mvp.names.get(a, a) for a in mvp.result.not_eligible)
        lines.append(f"Not eligible (no contacts this month): {who}.")
    return lines


def _shift_window(conn: Connection, agent_ids: Sequence[int]) -> tuple[date, date] | None:
    last = conn.execute(select(func.max(ShiftRow.day)).where(ShiftRow.agent_id.in_(list(agent_ids)))).scalar()
    if last is None:
        return None
    return last - timedelta(days=HARD_DAY_DAYS - 1), last


def hard_days(conn: Connection, members: list[Member], *, agent_id: int | None = None, day: date | None = None) -> list[Any]:
    """Hard-day suggestions for these agents over the last HARD_DAY_DAYS days of shifts."""
    by_id = {m.id: m for m in members}
    ids = [agent_id] if agent_id is not None else list(by_id)
    if not ids:
        return []
    if day is not None:
        first = last = day
    else:
        window = _shift_window(conn, ids)
        if window is None:
            return []
        first, last = window
    shifts = list(
        conn.execute(
            select(ShiftRow.agent_id, ShiftRow.day, ShiftRow.start, ShiftRow.end, ShiftRow.overtime_minutes)
            .where(ShiftRow.agent_id.in_(ids), ShiftRow.day >= first, ShiftRow.day <= last)
        )
    )
    if not shifts:
        return []
    start = min(s.start for s in shifts)
    end = max(s.end for s in shifts) + timedelta(seconds=1)
    contacts = _contacts(conn, ids, start, end)
    records = [
        {"agent_id": by_id[s.agent_id].key, "day": s.day, "start": s.start, "end": s.end,
         "overtime_minutes": s.overtime_minutes}  # fmt: skip
        for s in shifts
    ]
    return hard_day_suggestions(records, contacts, names={m.key: m.name for m in members})


# --------------------------------------------------------------------------- stories


def _story_objects(rows: Iterable[Any]) -> list[tuple[Any, Story]]:
    return [
        (r, Story(r.StoryRow.key, str(r.StoryRow.interaction_id), r.agent_key, str(r.StoryRow.team_id),
                  r.StoryRow.text, r.StoryRow.selected_by_name, r.StoryRow.selected_at))  # fmt: skip
        for r in rows
    ]


def _consents(conn: Connection, agent_ids: Iterable[int], story_keys: dict[int, str], agent_keys: dict[int, str]) -> list[ConsentEvent]:
    ids = list(agent_ids)
    if not ids:
        return []
    return [
        ConsentEvent(agent_keys[c.agent_id], c.granted, c.at, story_keys.get(c.story_id) if c.story_id is not None else None)
        for c in orm(conn).execute(select(StoryConsentRow).where(StoryConsentRow.agent_id.in_(ids))).scalars()
        if c.agent_id in agent_keys and (c.story_id is None or c.story_id in story_keys)
    ]


def stories(conn: Connection, team_ids: Sequence[int] | None, *, agent_id: int | None = None) -> list[dict[str, Any]]:
    """Stories in scope with their consent state now (``visible`` when the agent consented)."""
    q = (
        select(StoryRow, AgentRow.key.label("agent_key"), AgentRow.name.label("agent_name"),
               InteractionRow.external_id, TeamRow.name.label("team_name"))  # fmt: skip
        .join(AgentRow, AgentRow.id == StoryRow.agent_id)
        .join(InteractionRow, InteractionRow.id == StoryRow.interaction_id)
        .outerjoin(TeamRow, TeamRow.id == StoryRow.team_id)
        .order_by(StoryRow.selected_at.desc(), StoryRow.id.desc())
    )
    if team_ids is not None:
        q = q.where(StoryRow.team_id.in_(list(team_ids)))
    if agent_id is not None:
        q = q.where(StoryRow.agent_id == agent_id)
    pairs = _story_objects(orm(conn).execute(q))
    agent_keys = {r.StoryRow.agent_id: r.agent_key for r, _ in pairs}
    consents = _consents(conn, agent_keys, {r.StoryRow.id: s.id for r, s in pairs}, agent_keys)
    out = []
    for r, s in pairs:
        decisive = consent_state(s, consents)
        status = "pending" if decisive is None else ("granted" if decisive.granted else "revoked")
        out.append({"row": r.StoryRow, "agent": r.agent_name, "team": r.team_name, "external_id": r.external_id,
                    "status": status, "visible": status == "granted", "decided_at": decisive.at if decisive else None})  # fmt: skip
    return out


def _story_candidates(conn: Connection, classifier: Any, team_ids: Sequence[int] | None, limit: int = 12) -> list[Any]:
    latest = _latest_contact(conn, team_ids)
    if latest is None:
        return []
    since = latest - timedelta(days=HIGHLIGHT_DAYS)
    classify_pending(conn, classifier, team_ids=team_ids, since=since)
    taken = set(conn.execute(select(StoryRow.interaction_id)).scalars())
    rows = [
        r for r in _labelled_comments(conn, team_ids, since)
        if r.label in ("empathy_praise", "other_praise", "speed_praise") and r.interaction_id not in taken
    ]
    rows.sort(key=lambda r: (r.label != EMPATHY, -(r.probability or 0.0)))
    return [
        {"survey_id": r.survey_id, "text": anonymise(r.comment), "agent_name": r.agent_name,
         "interaction_id": r.interaction_id, "label": r.label}  # fmt: skip
        for r in rows[:limit]
    ]


def add_story(conn: Connection, *, principal: Principal, survey_id: int, at: datetime | None = None) -> int:
    row = conn.execute(_comment_query(None).where(SurveyRow.id == survey_id)).first()
    if row is None:
        raise NotFound("no customer comment with that id")
    if not principal.may_see_agent(row.agent_id, row.team_id) or principal.role == "agent":
        raise Forbidden("that comment is about an agent outside your teams")
    when = at or datetime.now(UTC)
    try:
        story = select_story(
            interaction_id=str(row.interaction_id), agent_id=row.agent_key, comment=row.comment,
            lead_id=principal.name, at=when, team=str(row.team_id),
        )  # fmt: skip
    except StoryError as exc:
        raise BadRequest(str(exc)) from None
    if conn.execute(select(StoryRow.id).where(StoryRow.key == story.id)).scalar() is not None:
        raise BadRequest("that comment is already a story")
    return int(
        conn.execute(
            insert(StoryRow)
            .values(
                key=story.id, survey_id=row.survey_id, interaction_id=row.interaction_id, agent_id=row.agent_id,
                team_id=row.team_id, text=story.text, selected_by=principal.id, selected_by_name=principal.name,
                selected_at=story.selected_at, consent_status="pending",
            )  # fmt: skip
            .returning(StoryRow.id)
        ).scalar_one()
    )


def set_consent(conn: Connection, *, principal: Principal, story_id: int, granted: bool, at: datetime | None = None) -> str:
    """The agent grants or revokes consent for one of their stories; returns the new status."""
    story = orm(conn).execute(select(StoryRow).where(StoryRow.id == story_id)).scalar_one_or_none()
    if story is None or principal.agent_id is None or story.agent_id != principal.agent_id:
        raise NotFound("no such story of yours")
    when = at or datetime.now(UTC)
    conn.execute(
        insert(StoryConsentRow).values(story_id=story.id, agent_id=story.agent_id, granted=granted, at=when, by_user=principal.id)
    )
    status = next(s["status"] for s in stories(conn, None, agent_id=story.agent_id) if s["row"].id == story.id)
    conn.execute(update(StoryRow).where(StoryRow.id == story.id).values(consent_status=status))
    return status


# --------------------------------------------------------------------------- fairness


def team_fairness(conn: Connection, *, team_id: int, team_name: str, members: list[Member], as_of: datetime) -> dict[str, Any]:
    rows = _recognitions(conn, team_ids=None, since=as_of - timedelta(days=365))
    keys = {m.key for m in members}
    relevant = [r for r in rows if r.receiver_key in keys or r.giver_key in keys]
    recs = [_as_library(r) for r in relevant]
    giver_names = {
        giver_key(user_id=r.RecognitionRow.giver_user_id, agent_key=r.giver_key, name=r.RecognitionRow.giver_name): r.RecognitionRow.giver_name
        for r in relevant
    }
    lead_users = list(
        conn.execute(
            select(UserRow.id, UserRow.display_name)
            .join(UserTeamRow, UserTeamRow.user_id == UserRow.id)
            .where(UserTeamRow.team_id == team_id, UserRow.role == "lead")
            .order_by(UserRow.display_name)
        )
    )
    leaders = [f"user:{u.id}" for u in lead_users]
    giver_names.update({f"user:{u.id}": u.display_name for u in lead_users})
    for r in relevant:
        g = giver_key(user_id=r.RecognitionRow.giver_user_id, agent_key=r.giver_key, name=r.RecognitionRow.giver_name)
        if r.RecognitionRow.giver_role in ("lead", "manager", "admin") and g not in leaders and r.receiver_key in keys:
            leaders.append(g)
    report = fairness_report(team_name, [m.key for m in members], recs, as_of=as_of, leaders=leaders)
    names = {m.key: m.name for m in members}
    chart = bar_chart(
        "Recognitions received, last 60 days",
        [Bar(names[p.agent_id].split()[0], float(p.received)) for p in report.people],
        width=max(360, 46 * len(report.people)),
    )
    return {"team_id": team_id, "team": team_name, "report": report, "names": names, "giver_names": giver_names, "chart": chart}


# --------------------------------------------------------------------------- pages


def _team_param(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)  # type: ignore[arg-type]
    except ValueError:
        raise BadRequest("team must be a team number") from None


@router.get("/recognition", response_class=HTMLResponse)
def recognition_page(request: Request, user: CurrentUser, engine: EngineDep, team: str | None = None) -> HTMLResponse:
    classifier = classifier_of(request)
    with engine.begin() as conn:
        own = _my_team(user)
        teams_all = _teams(conn, user)
        teams = _teams(conn, user, _team_param(team)) if own is None else teams_all
        team_ids = [t[0] for t in teams]
        members = _members(conn, team_ids)
        colleagues = [m for t in team_ids for m in members.get(t, []) if m.id != user.agent_id]
        stream = _recognitions(conn, team_ids=team_ids)[:STREAM_LIMIT]
        praise = highlights(conn, classifier, team_ids)
        thanks = []
        if user.agent_id is not None:
            thanks = list(
                orm(conn).execute(
                    select(HardDayRow)
                    .where(HardDayRow.agent_id == user.agent_id, HardDayRow.status == "sent")
                    .order_by(HardDayRow.day.desc())
                    .limit(5)
                ).scalars()
            )
    return render(
        request, "recognition.html", teams=teams, team=_team_param(team), colleagues=colleagues,
        values=RECOGNITION_VALUES, stream=stream, praise=praise, thanks=thanks,
        teams_all=teams_all, team_names=dict(teams), sent=request.query_params.get("sent") == "1",
    )  # fmt: skip


@router.post("/recognition", dependencies=[Csrf])
def recognition_give(
    user: CurrentUser,
    engine: EngineDep,
    receiver: Annotated[int | None, Form()] = None,
    message: Annotated[str, Form(max_length=4000)] = "",
    values: Annotated[list[str] | None, Form()] = None,
    interaction: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    if receiver is None:
        raise BadRequest("choose the colleague you recognise")
    with engine.begin() as conn:
        add_recognition(conn, principal=user, receiver_id=receiver, message=message, values=values or [], interaction=interaction)
    return RedirectResponse("/recognition?sent=1#stream", status_code=303)


@router.get("/recognition/mvp", response_class=HTMLResponse)
def mvp_page(request: Request, user: CurrentUser, engine: EngineDep, month: str | None = None, team: str | None = None) -> HTMLResponse:
    classifier = classifier_of(request)
    with engine.begin() as conn:
        own = _my_team(user)
        teams_all = _teams(conn, user)
        teams = teams_all if own is not None else _teams(conn, user, _team_param(team))
        team_ids = [t[0] for t in teams]
        y, m = _month_of(month, _latest_contact(conn, team_ids))
        members = _members(conn, team_ids)
        results = [
            team_mvp(conn, classifier, team_id=tid, team_name=name, members=members.get(tid, []), year=y, month=m)
            for tid, name in teams
        ]
        suggestions: dict[int, list[Any]] = {}
        decided: dict[int, list[Any]] = {}
        if user.role != "agent":
            for tid, _name in teams:
                done = list(
                    orm(conn).execute(
                        select(HardDayRow, AgentRow.name).join(AgentRow, AgentRow.id == HardDayRow.agent_id)
                        .where(HardDayRow.team_id == tid).order_by(HardDayRow.day.desc()).limit(10)
                    )
                )  # fmt: skip
                seen = {(d.HardDayRow.agent_id, d.HardDayRow.day) for d in done}
                ids = {mm.key: mm.id for mm in members.get(tid, [])}
                suggestions[tid] = [
                    (s, ids[s.agent_id]) for s in reversed(hard_days(conn, members.get(tid, [])))
                    if (ids[s.agent_id], s.day) not in seen
                ][:HARD_DAYS_SHOWN]
                decided[tid] = done
    months = []
    yy, mm = y, m
    for _ in range(6):
        months.append(f"{yy:04d}-{mm:02d}")
        yy, mm = (yy - 1, 12) if mm == 1 else (yy, mm - 1)
    return render(
        request, "recognition_mvp.html", results=results, month=f"{y:04d}-{m:02d}", months=months,
        teams=teams, teams_all=teams_all, team=_team_param(team), suggestions=suggestions, decided=decided,
        explain=explanation_lines, leader=user.role != "agent", me=_agent_key(engine, user),
        min_contacts=MVP_MIN_CONTACTS,
    )  # fmt: skip


def _agent_key(engine: Engine, user: Principal) -> str | None:
    if user.agent_id is None:
        return None
    with engine.connect() as conn:
        return conn.execute(select(AgentRow.key).where(AgentRow.id == user.agent_id)).scalar()  # type: ignore[no-any-return]


@router.post("/recognition/mvp/confirm", dependencies=[Csrf])
def mvp_confirm(
    request: Request,
    user: Leader,
    engine: EngineDep,
    team: Annotated[int | None, Form()] = None,
    month: Annotated[str, Form(max_length=7)] = "",
    winner: Annotated[int | None, Form()] = None,
) -> RedirectResponse:
    if team is None or winner is None or not month:
        raise BadRequest("the confirmation needs the team, the month and the winner")
    classifier = classifier_of(request)
    with engine.begin() as conn:
        teams = _teams(conn, user, team)
        y, m = _month_of(month, None)
        mvp = team_mvp(conn, classifier, team_id=team, team_name=teams[0][1], members=_members(conn, [team]).get(team, []), year=y, month=m)
        if mvp.confirmation is not None:
            raise BadRequest(f"the {mvp.team_name} {mvp.month} Empathy MVP was already confirmed by {mvp.confirmation.MvpConfirmationRow.confirmed_by_name}")
        if mvp.result.winner_id is None or mvp.ids.get(mvp.result.winner_id) != winner:
            raise BadRequest("the figures changed since the page was opened; reload it and check the winner again")
        now = datetime.now(UTC)
        try:
            confirmed = mvp.result.confirm(f"user:{user.id}", now)
        except RecognitionError as exc:
            raise BadRequest(str(exc)) from None
        conn.execute(
            insert(MvpConfirmationRow).values(
                team_id=team, month=mvp.month, winner_agent_id=winner,
                score=confirmed.candidate(confirmed.winner_id or "").score,
                explanation="\n".join(explanation_lines(mvp)), confirmed_by=user.id,
                confirmed_by_name=user.name, confirmed_at=now,
            )  # fmt: skip
        )
    return RedirectResponse(f"/recognition/mvp?month={mvp.month}#team-{team}", status_code=303)


@router.post("/recognition/hard-days", dependencies=[Csrf])
def hard_day_decide(
    user: Leader,
    engine: EngineDep,
    agent: Annotated[int | None, Form()] = None,
    day: Annotated[str, Form(max_length=10)] = "",
    action: Annotated[str, Form(max_length=10)] = "",
    message: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    if agent is None or not day or action not in ("send", "dismiss"):
        raise BadRequest("choose the agent, the day, and send or set aside")
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise BadRequest(f"{day!r} is not a date like 2026-11-20") from None
    with engine.begin() as conn:
        row = orm(conn).execute(select(AgentRow).where(AgentRow.id == agent)).scalar_one_or_none()
        if row is None:
            raise NotFound("no such agent")
        if not user.may_see_agent(row.id, row.team_id):
            raise Forbidden("that agent is not in one of your teams")
        found = hard_days(conn, [Member(row.id, row.key, row.name, row.team_id)], agent_id=row.id, day=the_day)
        if not found:
            raise BadRequest("that shift was not a hard day by the workload figures")
        s = found[0]
        if conn.execute(select(HardDayRow.id).where(HardDayRow.agent_id == row.id, HardDayRow.day == the_day)).scalar() is not None:
            raise BadRequest("that hard day was already acknowledged or set aside")
        now = datetime.now(UTC)
        text = (message or "").strip() or s.message
        conn.execute(
            insert(HardDayRow).values(
                agent_id=row.id, team_id=row.team_id, day=the_day, heavy_contacts=s.heavy_contacts,
                contacts=s.contacts, reasons=list(s.reasons), suggested_message=s.message,
                status="sent" if action == "send" else "dismissed", message=text if action == "send" else None,
                suggested_at=now, decided_by=user.id, decided_by_name=user.name, decided_at=now,
            )  # fmt: skip
        )
    return RedirectResponse(f"/recognition/mvp#team-{row.team_id}", status_code=303)


@router.get("/recognition/fairness", response_class=HTMLResponse)
def fairness_page(request: Request, user: Leader, engine: EngineDep, team: str | None = None) -> HTMLResponse:
    now = datetime.now(UTC)
    with engine.connect() as conn:
        teams_all = _teams(conn, user)
        teams = _teams(conn, user, _team_param(team))
        members = _members(conn, [t[0] for t in teams])
        reports = [
            team_fairness(conn, team_id=tid, team_name=name, members=members.get(tid, []), as_of=now)
            for tid, name in teams
            if members.get(tid)
        ]
    return render(request, "recognition_fairness.html", reports=reports, teams=teams, teams_all=teams_all, team=_team_param(team), as_of=now)


@router.get("/recognition/stories", response_class=HTMLResponse)
def stories_page(request: Request, user: CurrentUser, engine: EngineDep, team: str | None = None) -> HTMLResponse:
    classifier = classifier_of(request) if user.role != "agent" else None
    with engine.begin() as conn:
        own = _my_team(user)
        teams_all = _teams(conn, user)
        teams = teams_all if own is not None else _teams(conn, user, _team_param(team))
        team_ids = [t[0] for t in teams]
        everything = stories(conn, team_ids)
        wall = [s for s in everything if s["visible"]]
        mine = stories(conn, None, agent_id=user.agent_id) if user.agent_id is not None else []
        candidates = _story_candidates(conn, classifier, team_ids) if classifier is not None else []
    return render(
        request, "recognition_stories.html", wall=wall, mine=mine, chosen=everything if user.role != "agent" else [],
        candidates=candidates, teams=teams, teams_all=teams_all, team=_team_param(team),
    )  # fmt: skip


@router.post("/recognition/stories", dependencies=[Csrf])
def stories_select(user: Leader, engine: EngineDep, survey: Annotated[int | None, Form()] = None) -> RedirectResponse:
    if survey is None:
        raise BadRequest("choose the customer comment to share")
    with engine.begin() as conn:
        add_story(conn, principal=user, survey_id=survey)
    return RedirectResponse("/recognition/stories#chosen", status_code=303)


@router.post("/recognition/stories/{story_id}/consent", dependencies=[Csrf])
def stories_consent(user: AgentOnly, engine: EngineDep, story_id: int, decision: Annotated[str, Form(max_length=10)] = "") -> RedirectResponse:
    if decision not in ("grant", "revoke"):
        raise BadRequest("choose to share the story or to withdraw it")
    with engine.begin() as conn:
        set_consent(conn, principal=user, story_id=story_id, granted=decision == "grant")
    return RedirectResponse("/recognition/stories#mine", status_code=303)


# --------------------------------------------------------------------------- demo data

_DEMO_NOTES: dict[str, tuple[str, ...]] = {
    "empathy": (
        "The way you stayed with that bereaved customer and let her talk was lovely to hear.",
        "You slowed right down for the worried gentleman and he calmed within a minute.",
        "You named how frustrating the third call was before fixing anything. Textbook.",
        "You listened to the whole story before jumping in. The customer noticed.",
    ),
    "teamwork": (
        "Thanks for taking my queue while I was in the 1:1.",
        "You talked me through the refund tool twice without a sigh.",
        "Covered the late shift so I could get to my kid's play. Thank you.",
    ),
    "creativity": (
        "Your cheat-sheet for the new tariff saved the whole team time.",
        "Clever workaround for the stuck direct debit; I used it twice today.",
    ),
    "resilience": (
        "Three angry callers in a row and you stayed kind to every one.",
        "Tough morning on the outage line and you still checked on the new starter.",
    ),
    "learning": (
        "You asked for feedback on that escalation and used it the same afternoon.",
        "Great question in the huddle about vulnerable customers; we all learnt from it.",
    ),
}


def _demo_classifier(classifier: Any | None) -> Any:
    return classifier if classifier is not None else PraiseClassifier.load()


def seed_demo(engine: Engine, org: Any, *, classifier: Any | None = None) -> None:
    """Fill the recognition tables with believable records from the demo organisation (idempotent).

    Peer and lead recognitions over the last 60 days of the demo data (warmer agents
    are recognised for empathy a little more often), classified customer comments,
    a few stories chosen by each team's lead (most consented, one still waiting),
    the previous month's Empathy MVP confirmed, and a couple of hard days thanked.
    The random choices are seeded, so running it again adds nothing.
    """
    rng = random.Random(20261124)
    profiles = getattr(org, "profiles", {}) or {}
    leads = getattr(org, "leads", {}) or {}
    with engine.begin() as conn:
        agents = list(conn.execute(select(AgentRow.id, AgentRow.key, AgentRow.name, AgentRow.team_id).order_by(AgentRow.id)))
        teams = {t.key: (t.id, t.name) for t in conn.execute(select(TeamRow.id, TeamRow.key, TeamRow.name))}
        demo_keys = {a.id for a in getattr(org, "agents", [])}
        agents = [a for a in agents if not demo_keys or a.key in demo_keys]
        latest = _latest_contact(conn, None)
        if latest is None or not agents:
            return
        by_team: dict[int, list[Any]] = defaultdict(list)
        for a in agents:
            if a.team_id is not None:
                by_team[a.team_id].append(a)
        team_lead = {tid: str(leads.get(key, f"Lead of {name}")) for key, (tid, name) in teams.items()}
        lead_user: dict[int, int] = {}
        for u in conn.execute(
            select(UserRow.id, UserRow.display_name, UserTeamRow.team_id)
            .join(UserTeamRow, UserTeamRow.user_id == UserRow.id)
            .where(UserRow.role == "lead", UserRow.active.is_(True))
            .order_by(UserRow.id)
        ):
            if u.team_id not in lead_user:  # the team's lead has an account: recognitions come from it
                lead_user[u.team_id] = u.id
                team_lead[u.team_id] = u.display_name
        existing = set(conn.execute(select(RecognitionRow.key)).scalars())
        rows = []
        for tid, people in sorted(by_team.items()):
            if len(people) < 2:
                continue
            for _ in range(len(people) * 3):
                receiver = rng.choice(people)
                warm = getattr(profiles.get(receiver.key), "style", "") in ("warm", "steady")
                value = "empathy" if rng.random() < (0.55 if warm else 0.2) else rng.choice(RECOGNITION_VALUES[1:])
                values = [value] + ([rng.choice(RECOGNITION_VALUES)] if rng.random() < 0.25 else [])
                day = latest - timedelta(days=rng.randint(0, 58))
                when = min(latest, day.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59), second=0, microsecond=0))
                from_lead = rng.random() < 0.3
                giver = None if from_lead else rng.choice([p for p in people if p.id != receiver.id])
                message = rng.choice(_DEMO_NOTES[value])
                name = team_lead[tid] if giver is None else giver.name
                lead_id = lead_user.get(tid) if giver is None else None
                rec = recognise(
                    giver_key(user_id=lead_id, agent_key=giver.key if giver else None, name=name),
                    receiver.key, message, values, given_at=when,
                )
                if rec.id in existing:
                    continue
                existing.add(rec.id)
                rows.append({
                    "key": rec.id, "giver_user_id": lead_id, "giver_agent_id": giver.id if giver else None,
                    "giver_name": name, "giver_role": "lead" if giver is None else "agent",
                    "receiver_agent_id": receiver.id, "team_id": tid, "message": rec.message,
                    "value_tags": list(rec.values), "interaction_id": None, "created_at": rec.given_at,
                })  # fmt: skip
        if rows:
            conn.execute(insert(RecognitionRow), rows)

        clf = _demo_classifier(classifier)
        classify_pending(conn, clf, team_ids=None, limit=None)

        # stories: each team's lead picks the best empathy comments; most agents agree
        since = latest - timedelta(days=HIGHLIGHT_DAYS)
        for key, (tid, _name) in sorted(teams.items()):
            picked = [r for r in _labelled_comments(conn, [tid], since) if r.label == EMPATHY][:4]
            lead_name = team_lead[tid]
            for n, r in enumerate(picked):
                story = select_story(interaction_id=str(r.interaction_id), agent_id=r.agent_key, comment=r.comment,
                                     lead_id=lead_name, at=r.started_at + timedelta(days=2), team=str(tid))  # fmt: skip
                if conn.execute(select(StoryRow.id).where(StoryRow.key == story.id)).scalar() is not None:
                    continue
                status = "pending" if n == len(picked) - 1 and n > 0 else "granted"
                sid = conn.execute(
                    insert(StoryRow).values(
                        key=story.id, survey_id=r.survey_id, interaction_id=r.interaction_id, agent_id=r.agent_id,
                        team_id=tid, text=story.text, selected_by=lead_user.get(tid), selected_by_name=lead_name,
                        selected_at=story.selected_at, consent_status=status,
                    ).returning(StoryRow.id)
                ).scalar_one()  # fmt: skip
                if status == "granted":
                    conn.execute(insert(StoryConsentRow).values(story_id=sid, agent_id=r.agent_id, granted=True,
                                                                at=story.selected_at + timedelta(hours=3), by_user=None))  # fmt: skip

        # last month's Empathy MVP, confirmed by each lead
        first_of_month = latest.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        prev = first_of_month - timedelta(days=1)
        for key, (tid, name) in sorted(teams.items()):
            members = [Member(a.id, a.key, a.name, a.team_id) for a in by_team.get(tid, [])]
            if not members:
                continue
            mvp = team_mvp(conn, clf, team_id=tid, team_name=name, members=members, year=prev.year, month=prev.month)
            if mvp.confirmation is not None or mvp.result.winner_id is None:
                continue
            winner = mvp.result.candidate(mvp.result.winner_id)
            conn.execute(insert(MvpConfirmationRow).values(
                team_id=tid, month=mvp.month, winner_agent_id=mvp.ids[winner.agent_id], score=winner.score,
                explanation="\n".join(explanation_lines(mvp)), confirmed_by=lead_user.get(tid), confirmed_by_name=team_lead[tid],
                confirmed_at=first_of_month + timedelta(days=2, hours=9),
            ))  # fmt: skip

            # two hard days thanked by the lead (older ones; the newest wait on the MVP page)
            for s in hard_days(conn, members)[:2]:
                aid = mvp.ids[s.agent_id]
                if conn.execute(select(HardDayRow.id).where(HardDayRow.agent_id == aid, HardDayRow.day == s.day)).scalar():
                    continue
                at = datetime(s.day.year, s.day.month, s.day.day, 18, tzinfo=UTC)
                conn.execute(insert(HardDayRow).values(
                    agent_id=aid, team_id=tid, day=s.day, heavy_contacts=s.heavy_contacts, contacts=s.contacts,
                    reasons=list(s.reasons), suggested_message=s.message, status="sent",
                    message=s.message.replace("A word of thanks for carrying a hard day could mean a lot.",
                                              "Thank you for carrying that day. It did not go unnoticed."),
                    suggested_at=at, decided_by=lead_user.get(tid), decided_by_name=team_lead[tid], decided_at=at,
                ))  # fmt: skip
