"""Burnout and attrition risk from workload, leader actions, and who may see what.

Risk here is *organisational* risk: a measure of the pressure the work puts on
an agent, never a reading of how the agent feels.  Its inputs are workload
signals (the difficulty of the contacts they handled, which comes from the
customer's side; consecutive heavy contacts; occupancy; overtime and extra
days; breaks skipped; adherence shortfall) and, only where the agent chose to
share them, their own check-in answers.  The formula is in
``docs/wellbeing.md``; in short::

    pressure_i  = a signal scaled to 0..1 by a fixed, documented rule
    score       = 100 * sum(w_i * pressure_i) / sum(w_i)   over the signals available
    contribution_i = 100 * w_i * pressure_i / sum(w_i)     (the contributions add up to the score)
    band        = green below 40, amber from 40, red from 65

A signal with no data (no check-ins, no adherence figures) is left out of both
sums and listed as missing, so absent data neither raises nor lowers a score.

Nothing in this module feeds a scorecard or a performance review.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from heartline.domain import Agent, Shift
from heartline.insights.wellbeing import (
    BreakRecommendation,
    BreakTaken,
    ScoredContact,
    ShiftLoad,
    occupancy_by_interval,
    shift_loads,
    track_breaks,
)

__all__ = [
    "ACTIONS",
    "ActionTaken",
    "BeforeAfter",
    "CheckIn",
    "Driver",
    "RiskAssessment",
    "RiskModel",
    "RiskScore",
    "SuggestedAction",
    "TeamAggregate",
    "Viewer",
    "WellbeingView",
    "WorkloadHistory",
    "assess",
    "before_after",
    "can_view",
    "suggest_actions",
    "visible_breaks",
    "wellbeing_view",
]

Band = Literal["green", "amber", "red"]

# ------------------------------------------------------------------ inputs

#: Check-in questions an agent may answer, 1 (worst) to 5 (best).
CHECKIN_QUESTIONS: Mapping[str, str] = {
    "workload": "How manageable was your workload this week?",
    "recovery": "Did you get enough breaks and time to recover between hard contacts?",
    "support": "Did you get the support you needed from your lead and team?",
    "stay": "How likely are you to still be working here in six months?",
}
_BURNOUT_QUESTIONS = ("workload", "recovery", "support")
_ATTRITION_QUESTIONS = ("stay", "support")


@dataclass(frozen=True, slots=True)
class CheckIn:
    """What an agent chose to tell us.  Only ``consented`` check-ins are ever read.

    ``answers`` maps a question key of :data:`CHECKIN_QUESTIONS` to 1..5 (5 is best).
    """

    agent_id: str
    day: date
    consented: bool
    answers: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, value in self.answers.items():
            if key not in CHECKIN_QUESTIONS:
                raise ValueError(f"unknown check-in question {key!r}")
            if not 1 <= value <= 5:
                raise ValueError(f"check-in answer {key}={value} is outside 1..5")


@dataclass(frozen=True, slots=True)
class WorkloadHistory:
    """Everything risk is computed from, for one or many agents.

    ``breaks_taken`` and ``recommendations`` are optional: with both, skipped
    resilience breaks count alongside the shift's own break minutes.
    """

    contacts: Sequence[ScoredContact]
    shifts: Sequence[Shift]
    agents: Sequence[Agent] = ()
    checkins: Sequence[CheckIn] = ()
    recommendations: Sequence[BreakRecommendation] | None = None
    breaks_taken: Sequence[BreakTaken] | None = None


BURNOUT_WEIGHTS: Mapping[str, float] = {
    "load_level": 15,
    "load_trend": 15,
    "heavy_runs": 15,
    "occupancy": 15,
    "overtime": 10,
    "days_worked": 5,
    "breaks_skipped": 10,
    "adherence": 5,
    "checkin": 10,
}

ATTRITION_WEIGHTS: Mapping[str, float] = {
    "burnout": 40,
    "tenure": 15,
    "overtime": 10,
    "days_worked": 10,
    "load_trend": 5,
    "checkin_stay": 20,
}


@dataclass(frozen=True, slots=True)
class RiskModel:
    """The formula's settings, each with its documented default.

    * ``window_days`` (14): the recent period scored; ``baseline_days`` (28):
      the agent's own earlier period the trend compares with.
    * ``amber_from`` (40) and ``red_from`` (65): band limits.
    * ``min_shifts`` (3): fewer shifts in the window gives no band.
    * ``heavy_threshold`` (60): a heavy contact, for consecutive runs.
    * ``occupancy_floor``/``occupancy_full`` (70/95 %): occupancy pressure
      rises from 0 to 1 between them (85 % is 0.6).
    * ``overtime_full_minutes`` (60): mean overtime per shift for full pressure.
    * ``days_full`` (6.5): days worked per week for full pressure (5 is none).
    * ``expected_break_share`` (0.125): breaks expected per scheduled minute
      (60 minutes in 8 hours); ``breaks_full_share`` (0.5): share of them
      skipped for full pressure.
    * ``adherence_target`` (92 %) and ``adherence_span`` (10 points).
    * ``load_ratio_full`` (1.0): load per hour this far above the peer median
      (i.e. double) gives full pressure; ``trend_full`` (0.5): a 50 % rise on
      the agent's own baseline gives full pressure.
    * ``tenure_full_days``/``tenure_none_days`` (90/365): tenure pressure.
    """

    window_days: int = 14
    baseline_days: int = 28
    amber_from: float = 40.0
    red_from: float = 65.0
    min_shifts: int = 3
    heavy_threshold: float = 60.0
    occupancy_floor: float = 70.0
    occupancy_full: float = 95.0
    overtime_full_minutes: float = 60.0
    days_full: float = 6.5
    expected_break_share: float = 0.125
    breaks_full_share: float = 0.5
    adherence_target: float = 92.0
    adherence_span: float = 10.0
    load_ratio_full: float = 1.0
    trend_full: float = 0.5
    tenure_full_days: int = 90
    tenure_none_days: int = 365
    burnout_weights: Mapping[str, float] = field(default_factory=lambda: dict(BURNOUT_WEIGHTS))
    attrition_weights: Mapping[str, float] = field(default_factory=lambda: dict(ATTRITION_WEIGHTS))

    def __post_init__(self) -> None:
        if not 0 < self.amber_from < self.red_from <= 100:
            raise ValueError("RiskModel needs 0 < amber_from < red_from <= 100")
        if self.window_days < 1 or self.baseline_days < 1:
            raise ValueError("RiskModel windows must be at least one day")
        if self.occupancy_full <= self.occupancy_floor:
            raise ValueError("RiskModel.occupancy_full must be above occupancy_floor")
        for name, weights in (("burnout", self.burnout_weights), ("attrition", self.attrition_weights)):
            if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
                raise ValueError(f"RiskModel {name} weights must be non-negative with a positive sum")

    def band(self, score: float) -> Band:
        return "red" if score >= self.red_from else "amber" if score >= self.amber_from else "green"


# ------------------------------------------------------------------ outputs


@dataclass(frozen=True, slots=True)
class Driver:
    """One signal's part in a score: its raw value, pressure (0..1) and points."""

    signal: str
    label: str
    value: float
    pressure: float
    weight: float
    contribution: float
    detail: str


@dataclass(frozen=True, slots=True)
class RiskScore:
    kind: Literal["burnout", "attrition"]
    score: float
    band: Band | None
    drivers: tuple[Driver, ...]
    missing: tuple[str, ...]

    def top(self, n: int = 3) -> tuple[Driver, ...]:
        """The ``n`` drivers adding most points (drivers adding nothing are left out)."""
        return tuple(d for d in self.drivers if d.contribution > 0)[:n]

    @property
    def explanation(self) -> str:
        if self.band is None:
            return f"{self.kind} {self.score:.0f}/100: not enough shifts in the window for a band"
        parts = "; ".join(f"{d.detail} (+{d.contribution:.0f})" for d in self.top())
        return f"{self.kind} {self.score:.0f}/100 ({self.band})" + (f": {parts}" if parts else "")


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    agent_id: str
    team: str | None
    as_of: date
    shifts: int
    burnout: RiskScore
    attrition: RiskScore


# ------------------------------------------------------------------ the formula


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


@dataclass(slots=True)
class _Signal:
    label: str
    value: float
    pressure: float
    detail: str


def assess(
    history: WorkloadHistory,
    as_of: date,
    model: RiskModel | None = None,
    *,
    agents: Iterable[str] | None = None,
) -> list[RiskAssessment]:
    """Burnout and attrition risk per agent for the window ending on ``as_of`` (inclusive).

    Scores every agent with a shift or contact in the window (or those named
    in ``agents``), sorted by burnout score, highest first.  Uses only data up
    to the end of ``as_of``: the same history gives the same scores for a past
    day as it did on that day.
    """
    m = model or RiskModel()
    w_start = as_of - timedelta(days=m.window_days - 1)
    b_start = w_start - timedelta(days=m.baseline_days)
    loads = shift_loads(history.contacts, history.shifts, heavy_threshold=m.heavy_threshold)
    recent: dict[str, list[ShiftLoad]] = defaultdict(list)
    base: dict[str, list[ShiftLoad]] = defaultdict(list)
    for ld in loads:
        if w_start <= ld.day <= as_of:
            recent[ld.agent_id].append(ld)
        elif b_start <= ld.day < w_start:
            base[ld.agent_id].append(ld)
    shifts_recent: dict[str, list[Shift]] = defaultdict(list)
    for s in history.shifts:
        if w_start <= s.day <= as_of:
            shifts_recent[s.agent_id].append(s)
    team_of = {a.id: a.team for a in history.agents}
    hired = {a.id: a.hired_on for a in history.agents}
    contacts_of: dict[str, list[ScoredContact]] = defaultdict(list)
    for c in history.contacts:
        contacts_of[c.agent_id].append(c)
        team_of.setdefault(c.agent_id, c.team)
    everyone = set(recent) | set(shifts_recent)
    wanted = sorted(set(agents) if agents is not None else everyone)

    # load per worked hour, against the median of everyone who worked in the window
    # (peers are everyone in the history, even when only some agents are scored)
    per_hour = {a: _load_per_hour(recent.get(a, [])) for a in everyone | set(wanted)}
    known = [v for a, v in per_hour.items() if v is not None and a in everyone]
    peer_median = statistics.median(known) if known else None

    resilience = _resilience_skips(history, w_start, as_of)
    checkins: dict[str, list[CheckIn]] = defaultdict(list)
    for ci in history.checkins:
        if ci.consented and w_start <= ci.day <= as_of:
            checkins[ci.agent_id].append(ci)

    out: list[RiskAssessment] = []
    for agent_id in wanted:
        sig = _signals(
            m,
            recent.get(agent_id, []),
            base.get(agent_id, []),
            shifts_recent.get(agent_id, []),
            [_occupancy(s, contacts_of.get(agent_id, [])) for s in shifts_recent.get(agent_id, [])],
            per_hour[agent_id],
            peer_median,
            resilience.get(agent_id),
            checkins.get(agent_id, []),
        )
        n_shifts = len(recent.get(agent_id, []))
        enough = n_shifts >= m.min_shifts
        burnout = _score("burnout", m, m.burnout_weights, sig, enough)
        sig["burnout"] = _Signal(
            "burnout pressure", burnout.score, burnout.score / 100, f"burnout risk {burnout.score:.0f}/100"
        )
        tenure = _tenure(m, hired.get(agent_id), as_of)
        if tenure is not None:
            sig["tenure"] = tenure
        attrition = _score("attrition", m, m.attrition_weights, sig, enough)
        out.append(
            RiskAssessment(
                agent_id=agent_id,
                team=team_of.get(agent_id),
                as_of=as_of,
                shifts=n_shifts,
                burnout=burnout,
                attrition=attrition,
            )
        )
    out.sort(key=lambda r: (-r.burnout.score, r.agent_id))
    return out


def _load_per_hour(loads: Sequence[ShiftLoad]) -> float | None:
    minutes = sum(ld.worked_minutes for ld in loads)
    if minutes <= 0:
        return None
    return sum(ld.total for ld in loads) / (minutes / 60)


def _occupancy(s: Shift, contacts: Sequence[ScoredContact]) -> tuple[float, bool] | None:
    """The shift's occupancy: WFM's figure, else handled time over worked time less breaks.

    Returns ``(percent, from_wfm)``, or ``None`` when neither can be had.
    """
    if s.occupancy_pct is not None:
        return s.occupancy_pct, True
    inside = [c for c in contacts if c.start < s.end and c.end > s.start]
    rows = occupancy_by_interval(inside, [s], interval_minutes=1440)
    busy = sum(r.busy_minutes for r in rows)
    staffed = sum(r.staffed_minutes for r in rows) - s.break_minutes
    if staffed <= 0:
        return None
    return min(100.0, 100 * busy / staffed), False


def _resilience_skips(
    history: WorkloadHistory, start: date, end: date
) -> dict[str, tuple[int, int]]:
    """Per agent: (recommended, not fully taken) resilience breaks in the window."""
    if history.recommendations is None or history.breaks_taken is None:
        return {}
    recs = [r for r in history.recommendations if start <= r.start.date() <= end]
    out: dict[str, tuple[int, int]] = {}
    for agent_id, row in track_breaks(recs, history.breaks_taken).summary().items():
        out[agent_id] = (int(row["recommended"]), int(row["recommended"] - row["taken"]))
    return out


def _signals(
    m: RiskModel,
    recent: Sequence[ShiftLoad],
    base: Sequence[ShiftLoad],
    shifts: Sequence[Shift],
    occupancies: Sequence[tuple[float, bool] | None],
    per_hour: float | None,
    peer_median: float | None,
    resilience: tuple[int, int] | None,
    checkins: Sequence[CheckIn],
) -> dict[str, _Signal]:
    sig: dict[str, _Signal] = {}
    if per_hour is not None and peer_median:
        ratio = per_hour / peer_median
        sig["load_level"] = _Signal(
            "emotional load",
            round(ratio, 3),
            _clip((ratio - 1) / m.load_ratio_full),
            f"difficulty per worked hour {ratio:.2f}x the peer median",
        )
    if recent and base:
        now = statistics.fmean(ld.total for ld in recent)
        before = statistics.fmean(ld.total for ld in base)
        if before > 0:
            change = now / before - 1
            sig["load_trend"] = _Signal(
                "load trend",
                round(change, 3),
                _clip(change / m.trend_full),
                f"daily load {now:.0f} vs {before:.0f} before ({change:+.0%})",
            )
    if recent:
        run = statistics.fmean(ld.longest_heavy_run for ld in recent)
        sig["heavy_runs"] = _Signal(
            "consecutive heavy contacts",
            round(run, 3),
            _clip((run - 1) / 3),
            f"longest run of heavy contacts averages {run:.1f} per shift",
        )
    occ = [o for o in occupancies if o is not None]
    if occ:
        mean_occ = statistics.fmean(v for v, _ in occ)
        computed = sum(1 for _, from_wfm in occ if not from_wfm)
        sig["occupancy"] = _Signal(
            "occupancy",
            round(mean_occ, 2),
            _clip((mean_occ - m.occupancy_floor) / (m.occupancy_full - m.occupancy_floor)),
            f"occupancy {mean_occ:.1f}% over {len(occ)} shifts"
            + (f" ({computed} computed from handled contacts)" if computed else ""),
        )
    if shifts:
        ot = statistics.fmean(s.overtime_minutes for s in shifts)
        long_share = sum(1 for s in shifts if s.overtime_minutes > 0) / len(shifts)
        sig["overtime"] = _Signal(
            "overtime",
            round(ot, 2),
            _clip(ot / m.overtime_full_minutes),
            f"{ot:.0f} min overtime per shift, {long_share:.0%} of shifts ran over",
        )
        per_week = len({s.day for s in shifts}) * 7 / m.window_days
        sig["days_worked"] = _Signal(
            "days worked",
            round(per_week, 2),
            _clip((per_week - 5) / (m.days_full - 5)),
            f"{per_week:.1f} days worked per week",
        )
        skipped_shares = []
        for s in shifts:
            expected = (s.scheduled_minutes or s.worked_minutes or 0) * m.expected_break_share
            if expected > 0:
                skipped_shares.append(_clip(1 - s.break_minutes / expected))
        parts = []
        if skipped_shares:
            parts.append(("shift breaks", statistics.fmean(skipped_shares)))
        if resilience and resilience[0]:
            parts.append(("resilience breaks", resilience[1] / resilience[0]))
        if parts:
            share = statistics.fmean(p for _, p in parts)
            sig["breaks_skipped"] = _Signal(
                "breaks skipped",
                round(share, 3),
                _clip(share / m.breaks_full_share),
                ", ".join(f"{p:.0%} of {name} skipped" for name, p in parts),
            )
        adh = [s.adherence_pct for s in shifts if s.adherence_pct is not None]
        if adh:
            mean_adh = statistics.fmean(adh)
            sig["adherence"] = _Signal(
                "adherence pressure",
                round(mean_adh, 2),
                _clip((m.adherence_target - mean_adh) / m.adherence_span),
                f"adherence {mean_adh:.1f}% against a {m.adherence_target:g}% target",
            )
    for key, questions, label in (
        ("checkin", _BURNOUT_QUESTIONS, "check-ins: workload, recovery, support"),
        ("checkin_stay", _ATTRITION_QUESTIONS, "check-ins: intent to stay, support"),
    ):
        answers = [ci.answers[q] for ci in checkins for q in questions if q in ci.answers]
        if answers:
            mean = statistics.fmean(answers)
            sig[key] = _Signal(
                label,
                round(mean, 2),
                (5 - mean) / 4,
                f"{len(checkins)} shared check-ins average {mean:.1f}/5",
            )
    return sig


def _tenure(m: RiskModel, hired_on: date | None, as_of: date) -> _Signal | None:
    if hired_on is None:
        return None
    days = (as_of - hired_on).days
    span = m.tenure_none_days - m.tenure_full_days
    pressure = _clip((m.tenure_none_days - days) / span) if span > 0 else float(days < m.tenure_full_days)
    return _Signal("early tenure", days, pressure, f"{days} days in the job")


def _score(
    kind: Literal["burnout", "attrition"],
    m: RiskModel,
    weights: Mapping[str, float],
    sig: Mapping[str, _Signal],
    enough: bool,
) -> RiskScore:
    present = {k: w for k, w in weights.items() if k in sig and w > 0}
    total_w = sum(present.values())
    drivers = []
    for key, w in present.items():
        s = sig[key]
        drivers.append(
            Driver(
                signal=key,
                label=s.label,
                value=s.value,
                pressure=round(s.pressure, 4),
                weight=w,
                contribution=round(100 * w * s.pressure / total_w, 2),
                detail=s.detail,
            )
        )
    drivers.sort(key=lambda d: (-d.contribution, d.signal))
    score = round(sum(100 * present[k] * sig[k].pressure for k in present) / total_w, 2) if total_w else 0.0
    missing = tuple(k for k, w in weights.items() if w > 0 and k not in sig)
    return RiskScore(
        kind=kind,
        score=score,
        band=m.band(score) if enough and total_w else None,
        drivers=tuple(drivers),
        missing=missing,
    )


# ------------------------------------------------------------------ leader actions

ACTIONS: Mapping[str, str] = {
    "rotate_off_escalation_queue": "Rotate them off the escalation and heavy queues for a few days",
    "protect_break": "Protect their breaks: block the time in the schedule and cover the queue",
    "shield_from_overtime": "Shield them from overtime and extra days until the load comes down",
    "checkin_conversation": "Hold a check-in conversation: ask what would help, and listen",
}

_ACTION_FOR: Mapping[str, str] = {
    "load_level": "rotate_off_escalation_queue",
    "load_trend": "rotate_off_escalation_queue",
    "heavy_runs": "rotate_off_escalation_queue",
    "occupancy": "protect_break",
    "breaks_skipped": "protect_break",
    "adherence": "protect_break",
    "overtime": "shield_from_overtime",
    "days_worked": "shield_from_overtime",
    "checkin": "checkin_conversation",
    "checkin_stay": "checkin_conversation",
    "tenure": "checkin_conversation",
}


@dataclass(frozen=True, slots=True)
class SuggestedAction:
    """A suggestion for the agent's lead; nothing happens until a person acts on it."""

    agent_id: str
    action: str
    text: str
    because: tuple[Driver, ...]


def suggest_actions(assessment: RiskAssessment, *, min_contribution: float = 5.0) -> list[SuggestedAction]:
    """Actions for a lead to consider, from the drivers of the agent's scores.

    Each driver adding at least ``min_contribution`` points to the burnout or
    attrition score suggests its action (heavy load and runs: rotate off the
    escalation queue; occupancy, skipped breaks and adherence: protect a
    break; overtime and extra days: shield from overtime; check-ins and early
    tenure: a check-in conversation).  An amber or red burnout band always
    suggests a check-in conversation.  Ordered by the points behind each.
    """
    reasons: dict[str, list[Driver]] = defaultdict(list)
    for score in (assessment.burnout, assessment.attrition):
        for d in score.drivers:
            action = _ACTION_FOR.get(d.signal)
            if action and d.contribution >= min_contribution:
                if all(x.signal != d.signal for x in reasons[action]):
                    reasons[action].append(d)
    if assessment.burnout.band in ("amber", "red") and "checkin_conversation" not in reasons:
        reasons["checkin_conversation"] = []
    ranked = sorted(reasons.items(), key=lambda kv: (-sum(d.contribution for d in kv[1]), kv[0]))
    return [
        SuggestedAction(assessment.agent_id, action, ACTIONS[action], tuple(drivers))
        for action, drivers in ranked
    ]


@dataclass(frozen=True, slots=True)
class ActionTaken:
    """A leader action that a person took: who, when, which, for whom."""

    agent_id: str
    action: str
    taken_by: str
    taken_at: datetime
    note: str = ""

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown leader action {self.action!r}; one of {', '.join(ACTIONS)}")


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """The agent's load and risk in the ``days`` before an action and the ``days`` after."""

    action: ActionTaken
    days: int
    load_before: float | None
    load_after: float | None
    heavy_run_before: float | None
    heavy_run_after: float | None
    burnout_before: float | None
    burnout_after: float | None
    attrition_before: float | None
    attrition_after: float | None

    @property
    def load_change(self) -> float | None:
        if self.load_before is None or self.load_after is None:
            return None
        return self.load_after - self.load_before

    @property
    def burnout_change(self) -> float | None:
        if self.burnout_before is None or self.burnout_after is None:
            return None
        return self.burnout_after - self.burnout_before


def before_after(
    history: WorkloadHistory, action: ActionTaken, *, days: int = 7, model: RiskModel | None = None
) -> BeforeAfter:
    """Compare the ``days`` days before the action's day with the ``days`` from it on.

    Load is the mean daily load (sum of difficulty per worked shift) and the
    mean longest heavy run; risk is scored as of the day before the action and
    as of the last day after it, each over a ``days``-long window (so both
    sides see the same amount of data).  A side with no shifts gives ``None``.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    m = model or RiskModel()
    short = RiskModel(**{**_model_fields(m), "window_days": days})
    day0 = action.taken_at.astimezone(UTC).date()
    loads = [
        ld
        for ld in shift_loads(history.contacts, history.shifts, heavy_threshold=m.heavy_threshold)
        if ld.agent_id == action.agent_id
    ]
    before = [ld for ld in loads if day0 - timedelta(days=days) <= ld.day < day0]
    after = [ld for ld in loads if day0 <= ld.day < day0 + timedelta(days=days)]

    def mean(xs: Sequence[float]) -> float | None:
        return round(statistics.fmean(xs), 3) if xs else None

    def risk(as_of: date, side: Sequence[ShiftLoad]) -> tuple[float | None, float | None]:
        if not side:
            return None, None
        (r,) = assess(history, as_of, short, agents=[action.agent_id])
        return r.burnout.score, r.attrition.score

    b_burn, b_attr = risk(day0 - timedelta(days=1), before)
    a_burn, a_attr = risk(day0 + timedelta(days=days - 1), after)
    return BeforeAfter(
        action=action,
        days=days,
        load_before=mean([ld.total for ld in before]),
        load_after=mean([ld.total for ld in after]),
        heavy_run_before=mean([ld.longest_heavy_run for ld in before]),
        heavy_run_after=mean([ld.longest_heavy_run for ld in after]),
        burnout_before=b_burn,
        burnout_after=a_burn,
        attrition_before=b_attr,
        attrition_after=a_attr,
    )


def _model_fields(m: RiskModel) -> dict[str, object]:
    return {name: getattr(m, name) for name in RiskModel.__dataclass_fields__}


# ------------------------------------------------------------------ privacy


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: an agent (``agent_id``), a lead (``teams`` they lead) or a manager."""

    role: Literal["agent", "lead", "manager"]
    agent_id: str | None = None
    teams: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ("agent", "lead", "manager"):
            raise ValueError(f"unknown viewer role {self.role!r}")
        if self.role == "agent" and not self.agent_id:
            raise ValueError("an agent viewer needs their agent_id")
        if self.role == "lead" and not self.teams:
            raise ValueError("a lead viewer needs the teams they lead")


@dataclass(frozen=True, slots=True)
class TeamAggregate:
    """A team's wellbeing in aggregate; figures hidden below the minimum group size."""

    team: str | None
    agents: int
    shown: bool
    mean_burnout: float | None
    mean_attrition: float | None
    bands: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class WellbeingView:
    individuals: tuple[RiskAssessment, ...]
    teams: tuple[TeamAggregate, ...]


def _is_red(r: RiskAssessment) -> bool:
    return r.burnout.band == "red" or r.attrition.band == "red"


def can_view(viewer: Viewer, assessment: RiskAssessment) -> bool:
    """May ``viewer`` see this agent's own wellbeing figures?

    An agent sees their own; a lead sees the agents of the teams they lead; a
    manager sees an individual only when that agent's burnout or attrition
    band is red (so someone can act), and otherwise only team aggregates.
    """
    if viewer.role == "agent":
        return assessment.agent_id == viewer.agent_id
    if viewer.role == "lead":
        return assessment.team is not None and assessment.team in viewer.teams
    return _is_red(assessment)


def wellbeing_view(
    viewer: Viewer, assessments: Iterable[RiskAssessment], *, min_group: int = 5
) -> WellbeingView:
    """What ``viewer`` may see of ``assessments`` (see :func:`can_view`).

    Leads get their teams' aggregates and managers every team's.  An
    aggregate over fewer than ``min_group`` agents (default 5, as for pulse
    scores) shows only the head count.  Agents get no aggregates: their page is
    about them.  None of this is ever used in a scorecard.
    """
    if min_group < 3:
        raise ValueError("min_group must be at least 3")
    items = list(assessments)
    individuals = tuple(r for r in items if can_view(viewer, r))
    if viewer.role == "agent":
        return WellbeingView(individuals, ())
    by_team: dict[str | None, list[RiskAssessment]] = defaultdict(list)
    for r in items:
        if viewer.role == "manager" or r.team in viewer.teams:
            by_team[r.team].append(r)
    teams = []
    for team in sorted(by_team, key=lambda t: (t is None, t or "")):
        rs = by_team[team]
        shown = len(rs) >= min_group
        bands = {"green": 0, "amber": 0, "red": 0}
        for r in rs:
            if r.burnout.band is not None:
                bands[r.burnout.band] += 1
        teams.append(
            TeamAggregate(
                team=team,
                agents=len(rs),
                shown=shown,
                mean_burnout=round(statistics.fmean(r.burnout.score for r in rs), 1) if shown else None,
                mean_attrition=round(statistics.fmean(r.attrition.score for r in rs), 1) if shown else None,
                bands=bands if shown else {},
            )
        )
    return WellbeingView(individuals, tuple(teams))


def visible_breaks(
    viewer: Viewer, recommendations: Iterable[BreakRecommendation]
) -> list[BreakRecommendation]:
    """The resilience-break recommendations ``viewer`` is shown.

    The agent sees their own, their lead sees their team's (so they can cover
    the queue); managers see none one by one (a break is between an agent and
    their lead; counts per team are enough for them and come from
    :func:`heartline.insights.wellbeing.track_breaks`).
    """
    if viewer.role == "agent":
        return [r for r in recommendations if r.agent_id == viewer.agent_id]
    if viewer.role == "lead":
        return [r for r in recommendations if r.team is not None and r.team in viewer.teams]
    return []
