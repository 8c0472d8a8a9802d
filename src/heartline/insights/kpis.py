"""Every KPI Heartline shows, each defined once, and the balanced scorecard.

The numbers come from sums: :func:`totals`, :func:`by_agent`, :func:`by_day`
and :func:`by_team` add up the pre-aggregated ``agent_daily`` rows (and the
shifts, for adherence and occupancy) in SQL, and each KPI is a small function
of one :class:`Sums`.  A KPI with nothing to measure is ``None`` and is shown
as "no data", never as zero.

Human KPIs and efficiency KPIs are registered the same way and carry the same
weight in the balanced scorecard unless a team chooses other weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, and_, case, delete, func, insert, select

from heartline.store.tables import AgentRow, ShiftRow
from heartline.store.tables_web import AgentDailyDetailRow, AgentDailyRow, ScorecardWeightsRow

Group = Literal["human", "efficiency"]
Unit = Literal["seconds", "percent", "score", "count"]


@dataclass(frozen=True)
class Filter:
    """Which contacts a KPI covers.  ``None`` means no restriction; ``end`` is inclusive."""

    team_ids: tuple[int, ...] | None = None
    agent_ids: tuple[int, ...] | None = None
    start: date | None = None
    end: date | None = None
    channel: str | None = None
    queue: str | None = None


@dataclass
class Sums:
    """Additive figures over a set of contacts and shifts; every KPI is a ratio of these."""

    contacts: int = 0
    aht_n: int = 0
    aht_sum: float = 0.0
    hold_sum: float = 0.0
    acw_sum: float = 0.0
    transferred: int = 0
    csat_n: int = 0
    csat_pos: int = 0
    resolved_n: int = 0
    resolved_yes: int = 0
    repeat_base: int = 0
    repeats: int = 0
    positive_feedback: int = 0
    analysed: int = 0
    empathy_n: int = 0
    empathy_sum: float = 0.0
    opened_negative: int = 0
    deescalated: int = 0
    missed_any: int = 0
    robotic: int = 0
    heavy_n: int = 0
    heavy_aht_sum: float = 0.0
    scheduled_minutes: float = 0.0
    adherent_minutes: float = 0.0
    worked_minutes: float = 0.0
    occupied_minutes: float = 0.0
    enps_n: int = 0
    enps_promoters: int = 0
    enps_detractors: int = 0

    def __add__(self, other: Sums) -> Sums:
        return Sums(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


DAILY_SUMS: tuple[str, ...] = tuple(
    f.name
    for f in fields(Sums)
    if f.name
    not in {"scheduled_minutes", "adherent_minutes", "worked_minutes", "occupied_minutes"}
    and not f.name.startswith("enps")
)

_FLOAT_SUMS: dict[str, type] = {f.name: float for f in fields(Sums) if f.type in ("float", float)}


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    group: Group
    unit: Unit
    higher_is_better: bool | None
    compute: Callable[[Sums], float | None]

    @property
    def doc(self) -> str:
        return " ".join((self.compute.__doc__ or "").split())

    def __call__(self, sums: Sums) -> float | None:
        return self.compute(sums)


#: Every KPI by key, in display order within each group.
KPIS: dict[str, Kpi] = {}


def kpi(
    key: str, label: str, group: Group, unit: Unit, higher_is_better: bool | None
) -> Callable[[Callable[[Sums], float | None]], Callable[[Sums], float | None]]:
    def register(fn: Callable[[Sums], float | None]) -> Callable[[Sums], float | None]:
        if key in KPIS:
            raise ValueError(f"KPI {key!r} is defined twice")
        KPIS[key] = Kpi(key, label, group, unit, higher_is_better, fn)
        return fn

    return register


def _ratio(num: float, den: float, scale: float = 1.0) -> float | None:
    return None if not den else scale * num / den


# --- efficiency -----------------------------------------------------------------------


@kpi("aht", "Average handle time", "efficiency", "seconds", False)
def aht(s: Sums) -> float | None:
    """Mean of talk + hold + after-call work per contact, in seconds (contacts whose talk
    time is unknown count their start-to-end span plus after-call work)."""
    return _ratio(s.aht_sum, s.aht_n)


@kpi("avg_hold", "Average hold", "efficiency", "seconds", False)
def avg_hold(s: Sums) -> float | None:
    """Mean seconds on hold per contact, contacts without hold counted as zero."""
    return _ratio(s.hold_sum, s.contacts)


@kpi("transfer_rate", "Transfer rate", "efficiency", "percent", False)
def transfer_rate(s: Sums) -> float | None:
    """Share of contacts transferred at least once, in percent."""
    return _ratio(s.transferred, s.contacts, 100)


@kpi("acw", "After-call work", "efficiency", "seconds", False)
def after_call_work(s: Sums) -> float | None:
    """Mean seconds of after-call work (wrap-up) per contact."""
    return _ratio(s.acw_sum, s.contacts)


@kpi("adherence", "Schedule adherence", "efficiency", "percent", True)
def adherence(s: Sums) -> float | None:
    """Schedule adherence over the shifts, in percent, each shift weighted by its
    scheduled minutes."""
    return _ratio(s.adherent_minutes, s.scheduled_minutes, 100)


@kpi("occupancy", "Occupancy", "efficiency", "percent", None)
def occupancy(s: Sums) -> float | None:
    """Share of worked time spent handling contacts, in percent, each shift weighted by its
    worked minutes.  Above 85% is a burnout warning, not a goal."""
    return _ratio(s.occupied_minutes, s.worked_minutes, 100)


# --- human ----------------------------------------------------------------------------


@kpi("csat", "CSAT", "human", "percent", True)
def csat(s: Sums) -> float | None:
    """Share of survey answers of 4 or 5 on the 1–5 scale, in percent."""
    return _ratio(s.csat_pos, s.csat_n, 100)


@kpi("fcr_survey", "FCR (survey)", "human", "percent", True)
def fcr_survey(s: Sums) -> float | None:
    """First-contact resolution by survey: share of "was it resolved?" answers that say
    yes, in percent."""
    return _ratio(s.resolved_yes, s.resolved_n, 100)


@kpi("fcr_repeat", "FCR (no repeat in 7 days)", "human", "percent", True)
def fcr_repeat(s: Sums) -> float | None:
    """First-contact resolution by behaviour: share of contacts from a known customer that
    were not followed by another contact from the same customer within 7 days, in
    percent."""
    return _ratio(s.repeat_base - s.repeats, s.repeat_base, 100)


@kpi("enps", "eNPS", "human", "score", True)
def enps(s: Sums) -> float | None:
    """Employee NPS from pulse answers (0–10): percent of promoters (9–10) minus percent of
    detractors (0–6), from −100 to 100.  No data until pulses exist."""
    if not s.enps_n:
        return None
    return 100.0 * (s.enps_promoters - s.enps_detractors) / s.enps_n


@kpi("empathy", "Mean empathy score", "human", "score", True)
def mean_empathy(s: Sums) -> float | None:
    """Mean empathy score (0–100) of the analysed contacts, overrides included."""
    return _ratio(s.empathy_sum, s.empathy_n)


@kpi("deescalation_rate", "De-escalation rate", "human", "percent", True)
def deescalation_rate(s: Sums) -> float | None:
    """Of the analysed contacts that opened negative (anger, frustration, worry or sadness
    in one of the first two customer turns), the share that ended neutral or satisfied,
    in percent."""
    return _ratio(s.deescalated, s.opened_negative, 100)


@kpi("positive_feedback", "Positive customer feedback", "human", "count", True)
def positive_feedback(s: Sums) -> float | None:
    """Number of survey comments left with a CSAT of 4 or 5: praise in the customer's own
    words."""
    return float(s.positive_feedback) if s.contacts or s.positive_feedback else None


@kpi("missed_cue_rate", "Missed-cue rate", "human", "percent", False)
def missed_cue_rate(s: Sums) -> float | None:
    """Share of analysed contacts with at least one missed emotional cue (an agent turn after
    a strongly emotional customer turn with no acknowledgement, validation or apology),
    in percent."""
    return _ratio(s.missed_any, s.analysed, 100)


# --- AHT grace ------------------------------------------------------------------------


def aht_heavy(s: Sums) -> float | None:
    """AHT of heavy contacts only (difficulty 65 or more)."""
    return _ratio(s.heavy_aht_sum, s.heavy_n)


def aht_without_heavy(s: Sums) -> float | None:
    """AHT of every contact except the heavy ones, so a long hard call never reads as a
    slow agent."""
    return _ratio(s.aht_sum - s.heavy_aht_sum, s.aht_n - s.heavy_n)


def heavy_share(s: Sums) -> float | None:
    """Share of contacts (with a known handle time) that were heavy, in percent."""
    return _ratio(s.heavy_n, s.aht_n, 100)


def enps_from_scores(scores: Iterable[int]) -> float | None:
    """eNPS of raw 0–10 answers (see :func:`enps`)."""
    s = Sums()
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"an eNPS answer is 0..10, got {score}")
        s.enps_n += 1
        s.enps_promoters += score >= 9
        s.enps_detractors += score <= 6
    return enps(s)


def kpis_of(s: Sums) -> dict[str, float | None]:
    return {key: k(s) for key, k in KPIS.items()}


def group_keys(group: Group) -> list[str]:
    return [k for k, v in KPIS.items() if v.group == group]


# --- queries --------------------------------------------------------------------------


def daily_table(flt: Filter) -> type[AgentDailyRow | AgentDailyDetailRow]:
    """Per-day sums without channel and queue (small) unless the filter needs them."""
    return AgentDailyDetailRow if (flt.channel or flt.queue is not None) else AgentDailyRow


def scope_conditions(flt: Filter, team_id: Any, agent_id: Any, day: Any) -> list[Any]:
    """The filter's teams, agents and date range as conditions on the given columns."""
    cond: list[Any] = []
    if flt.team_ids is not None:
        cond.append(team_id.in_(flt.team_ids))
    if flt.agent_ids is not None:
        cond.append(agent_id.in_(flt.agent_ids))
    if flt.start:
        cond.append(day >= flt.start)
    if flt.end:
        cond.append(day <= flt.end)
    return cond


def _daily_where(flt: Filter) -> list[object]:
    d = daily_table(flt)
    cond: list[object] = scope_conditions(flt, d.team_id, d.agent_id, d.day)
    if flt.channel:
        cond.append(AgentDailyDetailRow.channel == flt.channel)
    if flt.queue is not None:
        cond.append(AgentDailyDetailRow.queue == flt.queue)
    return cond


def _shift_where(flt: Filter) -> list[object]:
    return scope_conditions(flt, AgentRow.team_id, ShiftRow.agent_id, ShiftRow.day)


def _daily_columns(flt: Filter) -> list[object]:
    d = daily_table(flt)
    return [func.coalesce(func.sum(getattr(d, n)), 0) for n in DAILY_SUMS]


def _shift_columns() -> list[object]:
    s = ShiftRow
    both_a = and_(s.adherence_pct.is_not(None), s.scheduled_minutes.is_not(None))
    both_o = and_(s.occupancy_pct.is_not(None), s.worked_minutes.is_not(None))
    return [
        func.coalesce(func.sum(case((both_a, s.scheduled_minutes), else_=0.0)), 0.0),
        func.coalesce(
            func.sum(case((both_a, s.scheduled_minutes * s.adherence_pct / 100.0), else_=0.0)),
            0.0,
        ),
        func.coalesce(func.sum(case((both_o, s.worked_minutes), else_=0.0)), 0.0),
        func.coalesce(
            func.sum(case((both_o, s.worked_minutes * s.occupancy_pct / 100.0), else_=0.0)), 0.0
        ),
    ]


def _sums(daily: Iterable[object], shift: Iterable[object] | None) -> Sums:
    s = Sums(**{n: _FLOAT_SUMS.get(n, int)(v or 0) for n, v in zip(DAILY_SUMS, daily, strict=True)})
    if shift is not None:
        sm, am, wm, om = (float(v) for v in shift)
        s.scheduled_minutes, s.adherent_minutes, s.worked_minutes, s.occupied_minutes = sm, am, wm, om
    return s


#: Where eNPS answers come from: ``(conn, flt) -> (answers, promoters, detractors)`` or None.
#: The pulse feature registers one that reads through its anonymity gate (never per agent).
ENPS_SOURCES: list[Callable[[Connection, Filter], tuple[int, int, int] | None]] = []


def totals(conn: Connection, flt: Filter) -> Sums:
    """Sums over every contact and shift the filter covers (channel and queue do not apply
    to shifts)."""
    daily = conn.execute(select(*_daily_columns(flt)).where(*_daily_where(flt))).one()
    shift = conn.execute(
        select(*_shift_columns())
        .select_from(ShiftRow)
        .join(AgentRow, AgentRow.id == ShiftRow.agent_id)
        .where(*_shift_where(flt))
    ).one()
    s = _sums(daily, shift)
    for source in ENPS_SOURCES:
        found = source(conn, flt)
        if found is not None:
            s.enps_n, s.enps_promoters, s.enps_detractors = found
    return s


def _grouped(conn: Connection, flt: Filter, daily_key: str, shift_key) -> dict[object, Sums]:  # type: ignore[no-untyped-def]
    out: dict[object, Sums] = {}
    key = getattr(daily_table(flt), daily_key)
    for row in conn.execute(select(key, *_daily_columns(flt)).where(*_daily_where(flt)).group_by(key)):
        out[row[0]] = _sums(row[1:], None)
    for row in conn.execute(
        select(shift_key, *_shift_columns())
        .select_from(ShiftRow)
        .join(AgentRow, AgentRow.id == ShiftRow.agent_id)
        .where(*_shift_where(flt))
        .group_by(shift_key)
    ):
        s = out.setdefault(row[0], Sums())
        s.scheduled_minutes, s.adherent_minutes, s.worked_minutes, s.occupied_minutes = (
            float(v) for v in row[1:]
        )
    return out


def by_agent(conn: Connection, flt: Filter) -> dict[int | None, Sums]:
    """Sums per agent row id."""
    return _grouped(conn, flt, "agent_id", ShiftRow.agent_id)  # type: ignore[return-value]


def by_team(conn: Connection, flt: Filter) -> dict[int | None, Sums]:
    """Sums per team row id."""
    return _grouped(conn, flt, "team_id", AgentRow.team_id)  # type: ignore[return-value]


def by_day(conn: Connection, flt: Filter) -> list[tuple[date, Sums]]:
    """Sums per calendar day (UTC), oldest first."""
    per = _grouped(conn, flt, "day", ShiftRow.day)
    return sorted(((d, s) for d, s in per.items() if d is not None), key=lambda x: x[0])  # type: ignore[misc]


def bucket(series: list[tuple[date, Sums]], days: int) -> list[tuple[date, Sums]]:
    """Adds consecutive days into buckets of ``days`` days, labelled by their first day."""
    if days <= 1 or not series:
        return series
    first = series[0][0]
    out: dict[date, Sums] = {}
    for d, s in series:
        start = date.fromordinal(first.toordinal() + ((d - first).days // days) * days)
        out[start] = out.get(start, Sums()) + s
    return sorted(out.items())


# --- balanced scorecard ---------------------------------------------------------------


@dataclass
class Weights:
    """How a team's balanced scorecard adds up.  Default: human and efficiency equal."""

    human: float = 1.0
    efficiency: float = 1.0
    aht_target_seconds: float = 420.0
    acw_target_seconds: float = 60.0

    def normalised(self) -> tuple[float, float]:
        total = self.human + self.efficiency
        if total <= 0:
            return 0.5, 0.5
        return self.human / total, self.efficiency / total


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def component_scores(values: dict[str, float | None], w: Weights) -> dict[str, float | None]:
    """Each KPI on a 0–100 "good" scale, the way the scorecard page explains it."""

    def at_most(value: float | None, target: float) -> float | None:
        if value is None:
            return None
        return 100.0 if value <= target else _clamp(100.0 * target / value)

    def occupancy_score(v: float | None) -> float | None:
        if v is None:
            return None
        return _clamp(100.0 - 2.0 * max(0.0, 75.0 - v) - 5.0 * max(0.0, v - 85.0))

    def inverse(v: float | None) -> float | None:
        return None if v is None else _clamp(100.0 - v)

    fcr = values.get("fcr_survey")
    if fcr is None:
        fcr = values.get("fcr_repeat")
    return {
        "csat": values.get("csat"),
        "fcr": fcr,
        "empathy": values.get("empathy"),
        "deescalation_rate": values.get("deescalation_rate"),
        "missed_cue_rate": inverse(values.get("missed_cue_rate")),
        "enps": None if values.get("enps") is None else (values["enps"] + 100.0) / 2.0,  # type: ignore[operator]
        "aht": at_most(values.get("aht"), w.aht_target_seconds),
        "acw": at_most(values.get("acw"), w.acw_target_seconds),
        "transfer_rate": inverse(values.get("transfer_rate")),
        "adherence": values.get("adherence"),
        "occupancy": occupancy_score(values.get("occupancy")),
    }


SCORECARD_GROUPS: dict[str, Group] = {
    "csat": "human", "fcr": "human", "empathy": "human", "deescalation_rate": "human",
    "missed_cue_rate": "human", "enps": "human", "aht": "efficiency", "acw": "efficiency",
    "transfer_rate": "efficiency", "adherence": "efficiency", "occupancy": "efficiency",
}  # fmt: skip

SCORECARD_FORMULA = (
    "scorecard = w_h × (mean of the human components) + w_e × (mean of the efficiency "
    "components), with w_h + w_e = 1. Components on a 0–100 scale: CSAT, FCR (survey, or "
    "no-repeat when no survey answers), mean empathy and de-escalation rate as they are; "
    "missed-cue rate and transfer rate as 100 − rate; eNPS as (eNPS + 100) / 2; AHT and "
    "after-call work as 100 × target / actual (100 at or under target); adherence as it "
    "is; occupancy 100 inside 75–85%, −2 per point below, −5 per point above. A component "
    "without data is left out of its group's mean."
)


@dataclass
class Scorecard:
    score: float | None
    human: float | None
    efficiency: float | None
    components: dict[str, float | None] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)


def scorecard(values: dict[str, float | None], w: Weights | None = None) -> Scorecard:
    """The balanced scorecard of a set of KPI values (see :data:`SCORECARD_FORMULA`)."""
    w = w or Weights()
    comps = component_scores(values, w)

    def mean(group: Group) -> float | None:
        xs = [v for k, v in comps.items() if SCORECARD_GROUPS[k] == group and v is not None]
        return sum(xs) / len(xs) if xs else None

    h, e = mean("human"), mean("efficiency")
    wh, we = w.normalised()
    if h is None and e is None:
        score = None
    elif h is None:
        score = e
    elif e is None:
        score = h
    else:
        score = wh * h + we * e
    return Scorecard(score=score, human=h, efficiency=e, components=comps, weights=w)


def load_weights(conn: Connection, team_id: int | None) -> Weights:
    if team_id is None:
        return Weights()
    row = conn.execute(
        select(ScorecardWeightsRow.weights).where(ScorecardWeightsRow.team_id == team_id)
    ).scalar_one_or_none()
    if not row:
        return Weights()
    known = {f.name for f in fields(Weights)}
    return Weights(**{k: float(v) for k, v in row.items() if k in known})


def save_weights(conn: Connection, team_id: int, w: Weights, *, user_id: int | None) -> None:
    if w.human < 0 or w.efficiency < 0 or w.human + w.efficiency <= 0:
        raise ValueError("weights must be zero or more and not both zero")
    if w.aht_target_seconds <= 0 or w.acw_target_seconds <= 0:
        raise ValueError("targets must be more than zero seconds")
    conn.execute(delete(ScorecardWeightsRow).where(ScorecardWeightsRow.team_id == team_id))
    conn.execute(
        insert(ScorecardWeightsRow).values(
            team_id=team_id,
            weights=asdict(w),
            updated_by=user_id,
            updated_at=datetime.now(UTC),
        )
    )
