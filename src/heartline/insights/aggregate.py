"""Pre-aggregates behind the KPIs and the interaction lists.

``interaction_facts`` holds one flat row per interaction (effective scores,
survey answers, customer emotions as a bit mask, repeat-contact flag);
``agent_daily`` sums those rows per agent, day, channel and queue in SQL.  Every
KPI in :mod:`heartline.insights.kpis` is a ratio of ``agent_daily`` sums, so a
dashboard over 200,000 interactions reads a few thousand rows.

Both tables are derived: :func:`refresh` rebuilds them from the base tables
(all of them, or only what some interactions touch), and :func:`ensure_fresh`
does so when the base tables changed since the last build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, and_, case, delete, func, insert, select

from heartline.domain import EMOTIONS
from heartline.store.tables import (
    AgentRow,
    AnalysisRow,
    InteractionRow,
    SurveyRow,
)
from heartline.store.tables_web import (
    AgentDailyDetailRow,
    AgentDailyRow,
    AggregateStateRow,
    InteractionFactRow,
    ScoreOverrideRow,
)

#: Difficulty at or above which a call counts as heavy for "AHT grace".
HEAVY_DIFFICULTY = 65.0
#: A second contact from the same customer within this window means the first was not resolved.
REPEAT_WINDOW = timedelta(days=7)
#: Emotions that make an opening "negative" for the de-escalation rate.
NEGATIVE_EMOTIONS: frozenset[str] = frozenset({"anger", "frustration", "worry", "sadness"})
#: Score fields an agent may acknowledge or dispute and QA may override.
SCORE_FIELDS: dict[str, tuple[float, float]] = {
    "empathy_score": (0.0, 100.0),
    "difficulty": (0.0, 100.0),
    "missed_cues": (0.0, 1000.0),
    "robotic": (0.0, 1.0),
    "deescalated": (0.0, 1.0),
}
_CHUNK = 2000
_IDS = 400


def emotion_bit(emotion: str) -> int:
    """The bit of ``emotion`` in ``interaction_facts.emotions_mask``."""
    return 1 << EMOTIONS.index(emotion)


def emotions_in(mask: int) -> list[str]:
    return [e for i, e in enumerate(EMOTIONS) if mask & (1 << i)]


def customer_emotions(body: dict | None) -> tuple[int, str | None, bool]:
    """(emotion mask, peak emotion, opened negative) from an analysis body's turns.

    The peak is the most intense difficult emotion (anger, frustration,
    confusion, worry, sadness; the earliest on ties); when there was none,
    ``satisfaction`` if the customer showed it, else ``neutral``.  The opening is
    negative when one of the first two customer turns carries a negative emotion.
    """
    mask = 0
    peak: str | None = None
    peak_intensity = -1.0
    opened_negative = False
    difficult = NEGATIVE_EMOTIONS | {"confusion"}
    seen_customer = 0
    for turn in (body or {}).get("turns") or []:
        if turn.get("speaker") != "customer" or not turn.get("emotion"):
            continue
        emotion = str(turn["emotion"])
        if emotion not in EMOTIONS:
            continue
        mask |= emotion_bit(emotion)
        seen_customer += 1
        if seen_customer <= 2 and emotion in NEGATIVE_EMOTIONS:
            opened_negative = True
        intensity = float(turn.get("emotion_intensity") or 0.0)
        if emotion in difficult and intensity > peak_intensity:
            peak, peak_intensity = emotion, intensity
    if peak is None and mask:
        peak = "satisfaction" if mask & emotion_bit("satisfaction") else "neutral"
    return mask, peak, opened_negative


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def fingerprint(conn: Connection) -> str:
    """Changes whenever interactions, analyses or overrides change."""
    n_i, max_i = conn.execute(select(func.count(), func.max(InteractionRow.id))).one()
    n_a, last_a = conn.execute(select(func.count(), func.max(AnalysisRow.analysed_at))).one()
    n_o = conn.execute(select(func.count()).select_from(ScoreOverrideRow)).scalar_one()
    n_s, max_s = conn.execute(select(func.count(), func.max(SurveyRow.id))).one()
    return f"i{n_i}:{max_i}|a{n_a}:{last_a}|o{n_o}|s{n_s}:{max_s}"


def is_fresh(engine: Engine) -> bool:
    with engine.connect() as conn:
        state = conn.execute(
            select(AggregateStateRow.fingerprint).where(AggregateStateRow.name == "kpi")
        ).scalar_one_or_none()
        return state == fingerprint(conn)


_FINGERPRINT = re.compile(r"^i(\d+):(\d+|None)\|a(\d+):(.*)\|o(\d+)\|s(\d+):(\d+|None)$")
#: Analyses written this long before the last build are looked at again (clock and commit slack).
_SLACK = timedelta(minutes=10)


def _changed_since(conn: Connection, old_fp: str, new_fp: str, refreshed_at: datetime) -> list[int] | None:
    """The interactions to rebuild when only appends happened since ``old_fp``; None: rebuild all."""
    old, new = _FINGERPRINT.match(old_fp), _FINGERPRINT.match(new_fp)
    if old is None or new is None or old.group(5) != new.group(5):
        return None  # overrides changed outside the app: rebuild all
    n_old, n_new = int(old.group(1)), int(new.group(1))
    a_old, a_new = int(old.group(3)), int(new.group(3))
    s_old, s_new = int(old.group(6)), int(new.group(6))
    if n_new < n_old or a_new < a_old or s_new < s_old:
        return None  # something was deleted
    max_old = 0 if old.group(2) == "None" else int(old.group(2))
    fresh = list(conn.execute(select(InteractionRow.id).where(InteractionRow.id > max_old)).scalars())
    if len(fresh) != n_new - n_old:
        return None
    max_s = 0 if old.group(7) == "None" else int(old.group(7))
    surveyed = list(
        conn.execute(
            select(InteractionRow.id).join(
                SurveyRow,
                and_(
                    SurveyRow.source == InteractionRow.source,
                    SurveyRow.interaction_external_id == InteractionRow.external_id,
                ),
            ).where(SurveyRow.id > max_s)
        ).scalars()
    )
    if conn.execute(select(func.count()).where(SurveyRow.id > max_s)).scalar_one() != s_new - s_old:
        return None
    since = refreshed_at - _SLACK
    analysed = conn.execute(select(AnalysisRow.interaction_id).where(AnalysisRow.analysed_at >= since)).scalars()
    ids = sorted(set(fresh).union(analysed, surveyed))
    if len(ids) > max(1000, n_new // 4):
        return None  # a big change: one full rebuild is quicker
    return ids


def ensure_fresh(engine: Engine) -> bool:
    """Bring the pre-aggregates up to date when the base tables changed; True when it did.

    Appended interactions and new analyses are folded in incrementally; any other
    change (a deletion, new surveys, an override made outside the app) rebuilds all.
    """
    with engine.connect() as conn:
        state = conn.execute(
            select(AggregateStateRow.fingerprint, AggregateStateRow.refreshed_at).where(
                AggregateStateRow.name == "kpi"
            )
        ).first()
        current = fingerprint(conn)
        if state is not None and state.fingerprint == current:
            return False
        ids = None if state is None else _changed_since(conn, state.fingerprint, current, state.refreshed_at)
    refresh(engine, ids)
    return True


def refresh(engine: Engine, interaction_ids: Iterable[int] | None = None) -> int:
    """Rebuild facts and daily sums: everything, or what the given interactions touch.

    With ``interaction_ids`` the facts of those interactions (and of every other
    contact of the same customers, whose repeat flags may change) are rebuilt,
    then the daily sums of every day they fall on.  Returns the facts written.
    """
    with engine.begin() as conn:
        if interaction_ids is None:
            conn.execute(delete(AgentDailyRow))
            conn.execute(delete(AgentDailyDetailRow))
            conn.execute(delete(InteractionFactRow))
            written = _write_facts(conn, None)
            _write_daily(conn, None)
        else:
            ids = sorted(set(interaction_ids))
            ids = _with_same_customers(conn, ids)
            days: set[date | None] = set()
            for chunk in _chunks(ids, _IDS):
                days.update(
                    conn.execute(
                        select(InteractionFactRow.day).where(
                            InteractionFactRow.interaction_id.in_(chunk)
                        )
                    ).scalars()
                )
                conn.execute(
                    delete(InteractionFactRow).where(InteractionFactRow.interaction_id.in_(chunk))
                )
            written = _write_facts(conn, ids)
            for chunk in _chunks(ids, _IDS):
                days.update(
                    conn.execute(
                        select(InteractionFactRow.day).where(
                            InteractionFactRow.interaction_id.in_(chunk)
                        )
                    ).scalars()
                )
            _write_daily(conn, days)
        _save_state(conn)
    return written


def _save_state(conn: Connection) -> None:
    fp = fingerprint(conn)
    now = datetime.now(UTC)
    conn.execute(delete(AggregateStateRow).where(AggregateStateRow.name == "kpi"))
    conn.execute(insert(AggregateStateRow).values(name="kpi", fingerprint=fp, refreshed_at=now))


def _with_same_customers(conn: Connection, ids: list[int]) -> list[int]:
    keys: set[str] = set()
    for chunk in _chunks(ids, _IDS):
        keys.update(
            k
            for k in conn.execute(
                select(InteractionRow.customer_key).where(InteractionRow.id.in_(chunk))
            ).scalars()
            if k
        )
    out = set(ids)
    for chunk in _chunks(sorted(keys), _IDS):
        out.update(
            conn.execute(
                select(InteractionRow.id).where(InteractionRow.customer_key.in_(chunk))
            ).scalars()
        )
    return sorted(out)


def _repeat_flags(conn: Connection, ids: list[int] | None) -> tuple[set[int], set[int]]:
    """(contacts followed by another from the same customer within the window, the contacts
    that followed one)."""
    q = (
        select(InteractionRow.id, InteractionRow.customer_key, InteractionRow.started_at)
        .where(InteractionRow.customer_key.is_not(None), InteractionRow.started_at.is_not(None))
        .order_by(InteractionRow.customer_key, InteractionRow.started_at, InteractionRow.id)
    )
    rows: list[tuple[int, str, datetime]] = []
    if ids is None:
        rows = [tuple(r) for r in conn.execute(q)]  # type: ignore[misc]
    else:
        for chunk in _chunks(ids, _IDS):
            rows.extend(tuple(r) for r in conn.execute(q.where(InteractionRow.id.in_(chunk))))  # type: ignore[misc]
        rows.sort(key=lambda r: (r[1], r[2], r[0]))
    repeated: set[int] = set()
    repeats: set[int] = set()
    for (id_, key, at), (nid, nkey, nat) in zip(rows, rows[1:]):
        if key == nkey and nat - at <= REPEAT_WINDOW:
            repeated.add(id_)
            repeats.add(nid)
    return repeated, repeats


def _overrides(conn: Connection, ids: list[int] | None) -> dict[tuple[int, str], float]:
    """The latest override of each (interaction, field)."""
    q = select(
        ScoreOverrideRow.interaction_id, ScoreOverrideRow.field, ScoreOverrideRow.new_value
    ).order_by(ScoreOverrideRow.id)
    out: dict[tuple[int, str], float] = {}
    chunks = [None] if ids is None else list(_chunks(ids, _IDS))
    for chunk in chunks:
        qq = q if chunk is None else q.where(ScoreOverrideRow.interaction_id.in_(chunk))
        for iid, fld, value in conn.execute(qq):
            out[(iid, fld)] = value
    return out


def _source_query():  # type: ignore[no-untyped-def]
    return (
        select(
            InteractionRow.id,
            InteractionRow.agent_id,
            AgentRow.team_id,
            InteractionRow.started_at,
            InteractionRow.channel,
            InteractionRow.queue,
            InteractionRow.customer_key,
            InteractionRow.handle_seconds,
            InteractionRow.talk_seconds,
            InteractionRow.hold_seconds,
            InteractionRow.acw_seconds,
            InteractionRow.transfers,
            SurveyRow.csat,
            SurveyRow.resolved,
            SurveyRow.comment,
            AnalysisRow.interaction_id.label("analysed_id"),
            AnalysisRow.empathy_score,
            AnalysisRow.difficulty,
            AnalysisRow.deescalated,
            AnalysisRow.robotic,
            AnalysisRow.missed_cues,
            AnalysisRow.body,
        )
        .outerjoin(AgentRow, AgentRow.id == InteractionRow.agent_id)
        .outerjoin(
            SurveyRow,
            and_(
                SurveyRow.source == InteractionRow.source,
                SurveyRow.interaction_external_id == InteractionRow.external_id,
            ),
        )
        .outerjoin(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
        .order_by(InteractionRow.id)
    )


def aht_seconds(
    talk: float | None, hold: float | None, acw: float | None, handle: float | None
) -> float | None:
    """Handle time of one contact: talk + hold + after-call work.

    When talk time is unknown, the contact's span (``handle_seconds``, start to
    end, which holds talk and hold) plus after-call work stands in.
    """
    if talk is not None:
        return talk + (hold or 0.0) + (acw or 0.0)
    if handle is not None:
        return handle + (acw or 0.0)
    return None


def fact_row(r, repeated: tuple[set[int], set[int]], overrides: dict[tuple[int, str], float]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The ``interaction_facts`` row of one source row (see :func:`_source_query`)."""
    analysed = r.analysed_id is not None

    def eff(field: str, value: object) -> object:
        o = overrides.get((r.id, field))
        return value if o is None else o

    empathy = eff("empathy_score", r.empathy_score) if analysed else None
    difficulty = eff("difficulty", r.difficulty) if analysed else None
    mask, peak, opened_negative = customer_emotions(r.body if analysed else None)
    deesc = bool(eff("deescalated", r.deescalated)) if analysed else False
    aht = aht_seconds(r.talk_seconds, r.hold_seconds, r.acw_seconds, r.handle_seconds)
    return {
        "interaction_id": r.id,
        "agent_id": r.agent_id,
        "team_id": r.team_id,
        "started_at": r.started_at,
        "day": r.started_at.date() if r.started_at else None,
        "channel": r.channel,
        "queue": r.queue or "",
        "aht_seconds": aht,
        "hold_seconds": r.hold_seconds or 0.0,
        "acw_seconds": r.acw_seconds or 0.0,
        "transfers": r.transfers or 0,
        "csat": r.csat,
        "resolved": r.resolved,
        "positive_feedback": bool(r.comment and r.comment.strip() and (r.csat or 0) >= 4),
        "has_customer": r.customer_key is not None,
        "repeat_7d": r.id in repeated[0],
        "is_repeat": r.id in repeated[1],
        "analysed": analysed,
        "empathy_score": float(empathy) if empathy is not None else None,
        "difficulty": float(difficulty) if difficulty is not None else None,
        "heavy": difficulty is not None and float(difficulty) >= HEAVY_DIFFICULTY,
        "deescalated": deesc,
        # a de-escalation implies a negative opening, whatever the turn labels say
        "opened_negative": bool(opened_negative or deesc),
        "missed_cues": int(eff("missed_cues", r.missed_cues) or 0) if analysed else 0,
        "robotic": bool(eff("robotic", r.robotic)) if analysed else False,
        "emotions_mask": mask,
        "peak_emotion": peak,
    }


def _write_facts(conn: Connection, ids: list[int] | None) -> int:
    repeated = _repeat_flags(conn, ids)
    overrides = _overrides(conn, ids)
    written = 0
    if ids is not None:
        for chunk in _chunks(ids, _IDS):
            rows = conn.execute(_source_query().where(InteractionRow.id.in_(chunk))).all()
            if rows:
                conn.execute(insert(InteractionFactRow), [fact_row(r, repeated, overrides) for r in rows])
                written += len(rows)
        return written
    last = 0
    while True:
        rows = conn.execute(
            _source_query().where(InteractionRow.id > last).limit(_CHUNK)
        ).all()
        if not rows:
            return written
        conn.execute(insert(InteractionFactRow), [fact_row(r, repeated, overrides) for r in rows])
        written += len(rows)
        last = rows[-1].id


def _flag(col) -> object:  # type: ignore[no-untyped-def]
    return func.sum(case((col.is_(True), 1), else_=0))


SUM_COLUMNS: tuple[str, ...] = (
    "contacts", "aht_n", "aht_sum", "hold_sum", "acw_sum", "transferred", "csat_n", "csat_pos",
    "resolved_n", "resolved_yes", "repeat_base", "repeats", "positive_feedback", "analysed",
    "empathy_n", "empathy_sum", "opened_negative", "deescalated", "missed_any", "robotic",
    "heavy_n", "heavy_aht_sum",
)  # fmt: skip


def _detail_select():  # type: ignore[no-untyped-def]
    """Facts summed per agent, day, channel and queue, in the order of SUM_COLUMNS."""
    f = InteractionFactRow
    return select(
        f.agent_id,
        f.team_id,
        f.day,
        f.channel,
        f.queue,
        func.count(),
        func.count(f.aht_seconds),
        func.coalesce(func.sum(f.aht_seconds), 0.0),
        func.coalesce(func.sum(f.hold_seconds), 0.0),
        func.coalesce(func.sum(f.acw_seconds), 0.0),
        func.sum(case((f.transfers > 0, 1), else_=0)),
        func.count(f.csat),
        func.sum(case((f.csat >= 4, 1), else_=0)),
        func.count(f.resolved),
        _flag(f.resolved),
        _flag(f.has_customer),
        _flag(f.repeat_7d),
        _flag(f.positive_feedback),
        _flag(f.analysed),
        func.count(f.empathy_score),
        func.coalesce(func.sum(f.empathy_score), 0.0),
        _flag(f.opened_negative),
        _flag(f.deescalated),
        func.sum(case((f.missed_cues > 0, 1), else_=0)),
        _flag(f.robotic),
        func.sum(case((and_(f.heavy.is_(True), f.aht_seconds.is_not(None)), 1), else_=0)),
        func.coalesce(func.sum(case((f.heavy.is_(True), f.aht_seconds), else_=None)), 0.0),
    ).group_by(f.agent_id, f.team_id, f.day, f.channel, f.queue)


def _coarse_select():  # type: ignore[no-untyped-def]
    """The detail rows summed over channel and queue."""
    d = AgentDailyDetailRow
    return select(
        d.agent_id, d.team_id, d.day, *(func.sum(getattr(d, c)) for c in SUM_COLUMNS)
    ).group_by(d.agent_id, d.team_id, d.day)


def _write_daily(conn: Connection, days: set[date | None] | None) -> None:
    detail_cols = ["agent_id", "team_id", "day", "channel", "queue", *SUM_COLUMNS]
    coarse_cols = ["agent_id", "team_id", "day", *SUM_COLUMNS]
    if days is None:
        conn.execute(insert(AgentDailyDetailRow).from_select(detail_cols, _detail_select()))
        conn.execute(insert(AgentDailyRow).from_select(coarse_cols, _coarse_select()))
        return
    f, d = InteractionFactRow, AgentDailyDetailRow
    real = sorted(x for x in days if x is not None)
    for chunk in _chunks(real, _IDS):
        for table in (AgentDailyRow, AgentDailyDetailRow):
            conn.execute(delete(table).where(table.day.in_(chunk)))
        conn.execute(insert(d).from_select(detail_cols, _detail_select().where(f.day.in_(chunk))))
        conn.execute(insert(AgentDailyRow).from_select(coarse_cols, _coarse_select().where(d.day.in_(chunk))))
    if None in days:
        for table in (AgentDailyRow, AgentDailyDetailRow):
            conn.execute(delete(table).where(table.day.is_(None)))
        conn.execute(insert(d).from_select(detail_cols, _detail_select().where(f.day.is_(None))))
        conn.execute(insert(AgentDailyRow).from_select(coarse_cols, _coarse_select().where(d.day.is_(None))))
