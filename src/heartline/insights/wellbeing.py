"""Resilience breaks and emotional load, from workload signals only.

Nothing in this module reads an agent's feelings.  Its inputs are the
difficulty of the contacts an agent handled (an estimate of the emotional load
*the customer* brought, 0..100, from the analysis engine), when those contacts
started and ended, the shifts the agent worked and the breaks they took.  See
``docs/wellbeing.md`` for the rules and their limits.

The functions are pure: plain records in, plain records out, every result
carrying the evidence (interaction ids and their difficulty) behind it.  No
database, no settings object: the figures a deployment may tune are keyword
parameters with documented defaults.

* :func:`score_contacts` joins interactions to a difficulty source (analysis
  dicts, a mapping of numbers or any function) -- the source is pluggable.
* :func:`recommend_breaks` applies a team's :class:`BreakPolicy`;
  :func:`track_breaks` compares recommendations with the breaks taken.
* :func:`shift_loads`, :func:`load_heatmap`, :func:`hardest_stretches` and
  :func:`occupancy_by_interval` describe emotional load and occupancy.
* :func:`outcome_difficulty_proxy` is a stand-in difficulty computed from a
  contact's topic and outcome, for demos and validation before the analysis
  engine has scored anything.  It is a proxy, and named as one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from heartline.domain import Interaction, Shift

__all__ = [
    "BreakPolicy",
    "BreakRecommendation",
    "BreakStatus",
    "BreakTaken",
    "BreakTracking",
    "Evidence",
    "Heatmap",
    "IntervalOccupancy",
    "ScoredContact",
    "ShiftLoad",
    "Stretch",
    "hardest_stretches",
    "load_heatmap",
    "occupancy_by_interval",
    "outcome_difficulty_proxy",
    "recommend_breaks",
    "score_contacts",
    "shift_loads",
    "track_breaks",
]

# ------------------------------------------------------------------ contacts


@dataclass(frozen=True, slots=True)
class ScoredContact:
    """One handled contact with the difficulty it carried (0..100, customer side)."""

    interaction_id: str
    agent_id: str
    start: datetime
    end: datetime
    difficulty: float
    team: str | None = None
    queue: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.difficulty <= 100 or math.isnan(self.difficulty):
            raise ValueError(
                f"contact {self.interaction_id}: difficulty {self.difficulty} is outside 0..100"
            )
        if self.end < self.start:
            raise ValueError(f"contact {self.interaction_id}: ends before it starts")
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"contact {self.interaction_id}: times must be timezone-aware")

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


DifficultySource = (
    Mapping[str, float] | Mapping[str, Mapping[str, Any]] | Callable[[Interaction], float | None]
)


def score_contacts(
    interactions: Iterable[Interaction], difficulty: DifficultySource
) -> list[ScoredContact]:
    """Contacts with their difficulty, in time order.

    ``difficulty`` is where the numbers come from, so the source can change
    without touching anything downstream:

    * a mapping ``interaction id -> analysis dict`` with a ``"difficulty"`` key
      (what the analysis engine and ``heartline analyze`` produce),
    * a mapping ``interaction id -> number``, or
    * a function ``Interaction -> number | None``.

    Interactions with no agent, no start time or no difficulty are left out:
    a load figure is only as good as the contacts it can place in time.
    ``ended_at`` falls back to ``started_at + handle_seconds``.
    """
    out: list[ScoredContact] = []
    for x in interactions:
        if not x.agent_id or x.started_at is None:
            continue
        value = _difficulty_of(x, difficulty)
        if value is None:
            continue
        end = x.ended_at
        if end is None:
            end = x.started_at + timedelta(seconds=x.handle_seconds or 0)
        out.append(
            ScoredContact(
                interaction_id=x.id,
                agent_id=x.agent_id,
                start=x.started_at,
                end=end,
                difficulty=float(value),
                team=x.team,
                queue=x.queue,
            )
        )
    out.sort(key=lambda c: (c.start, c.agent_id, c.interaction_id))
    return out


def _difficulty_of(x: Interaction, source: DifficultySource) -> float | None:
    if callable(source) and not isinstance(source, Mapping):
        return source(x)
    value = source.get(x.id)
    if value is None:
        return None
    if isinstance(value, Mapping):
        d = value.get("difficulty")
        return None if d is None else float(d)
    return float(value)


# Base difficulty of the demo organisation's topics: the load a contact about
# that topic usually carries, before its outcome is known.
DEMO_TOPIC_BASE: Mapping[str, float] = {
    "bereavement account closure": 70.0,
    "fraud worry": 65.0,
    "service outage": 60.0,
    "billing error": 58.0,
    "delivery delay": 50.0,
    "cancellation": 48.0,
    "confusing tech setup": 42.0,
    "address change": 12.0,
    "order status": 12.0,
    "balance question": 10.0,
    "payment date change": 10.0,
}


def outcome_difficulty_proxy(
    interactions: Iterable[Interaction],
    *,
    topic_base: Mapping[str, float] = DEMO_TOPIC_BASE,
    unknown_topic: float = 30.0,
    repeat_window_days: int = 7,
) -> dict[str, float]:
    """A *proxy* difficulty per interaction id, from topic and outcome alone.

    This is not the analysis engine's difficulty: it never reads a word of the
    conversation.  It exists so that load and risk can be shown and validated
    before the engine has scored contacts.  It is transparent on purpose::

        topic base (``topic_base``, else ``unknown_topic``)
        + 15 if escalated, + 10 if unresolved, + 5 if a callback is owed
        + 5 per transfer (at most 10)
        + 5 if the customer was on hold for more than two minutes
        + 8 per earlier contact from the same customer in the last
          ``repeat_window_days`` days (at most 16): repeat callers arrive upset
        clipped to 0..100.
    """
    items = sorted(
        (x for x in interactions if x.started_at is not None), key=lambda x: (x.started_at, x.id)
    )
    seen: dict[str, list[datetime]] = defaultdict(list)
    out: dict[str, float] = {}
    window = timedelta(days=repeat_window_days)
    for x in items:
        assert x.started_at is not None
        value = topic_base.get(x.topic or "", unknown_topic)
        value += {"escalated": 15.0, "unresolved": 10.0, "callback": 5.0}.get(
            x.disposition or "", 0.0
        )
        value += min(10.0, 5.0 * x.transfers)
        if x.hold_seconds > 120:
            value += 5.0
        key = x.customer_key
        if key is not None:
            earlier = [t for t in seen[key] if x.started_at - t <= window]
            value += min(16.0, 8.0 * len(earlier))
            seen[key].append(x.started_at)
        out[x.id] = max(0.0, min(100.0, value))
    return out


# ------------------------------------------------------------------ breaks


@dataclass(frozen=True, slots=True)
class BreakPolicy:
    """When a team recommends a resilience break, and how long.

    * ``heavy_threshold`` (default 75): one contact at or above it earns a break
      of ``break_minutes`` (default 10).
    * ``streak_threshold`` (default 60) and ``streak_length`` (default 3):
      that many contacts in a row at or above the streak threshold earn a break
      of ``streak_break_minutes`` (default 15).
    * ``streak_reset_minutes`` (default 10): a gap at least this long between
      two contacts (the agent was off the queue that long) or a new day starts
      the count again.
    """

    heavy_threshold: float = 75.0
    streak_threshold: float = 60.0
    streak_length: int = 3
    break_minutes: int = 10
    streak_break_minutes: int = 15
    streak_reset_minutes: float = 10.0

    def __post_init__(self) -> None:
        for name in ("heavy_threshold", "streak_threshold"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                raise ValueError(f"BreakPolicy.{name} must be within 0..100, got {value}")
        if self.streak_length < 2:
            raise ValueError("BreakPolicy.streak_length must be at least 2 (one call is a single heavy call)")
        for name in ("break_minutes", "streak_break_minutes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"BreakPolicy.{name} must be positive")
        if self.streak_reset_minutes < 0:
            raise ValueError("BreakPolicy.streak_reset_minutes must not be negative")


@dataclass(frozen=True, slots=True)
class Evidence:
    interaction_id: str
    difficulty: float


BreakReason = Literal["single_heavy_call", "heavy_streak"]

REASON_TEXT: Mapping[str, str] = {
    "single_heavy_call": "one especially difficult contact",
    "heavy_streak": "several difficult contacts in a row",
}


@dataclass(frozen=True, slots=True)
class BreakRecommendation:
    """A recommended resilience break: starts when the triggering contact ended."""

    agent_id: str
    start: datetime
    minutes: int
    reason: BreakReason
    evidence: tuple[Evidence, ...]
    team: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def explanation(self) -> str:
        calls = ", ".join(f"{e.interaction_id} ({e.difficulty:g})" for e in self.evidence)
        return f"{self.minutes}-minute break after {REASON_TEXT[self.reason]}: {calls}"


def recommend_breaks(
    contacts: Iterable[ScoredContact],
    policy: BreakPolicy | None = None,
    *,
    team_policies: Mapping[str, BreakPolicy] | None = None,
) -> list[BreakRecommendation]:
    """Resilience breaks earned by each agent's contacts, in time order.

    Each agent's contacts are walked in order.  A contact at or above the
    policy's ``heavy_threshold`` earns a ``single_heavy_call`` break.  The
    ``streak_length``-th contact in a row at or above ``streak_threshold``
    earns a ``heavy_streak`` break instead (the longer of the two lengths when
    it is heavy on its own too), and the count starts again.  A contact below
    the streak threshold, a gap of ``streak_reset_minutes`` or more, or a new
    day also starts the count again.  The policy is the contact's team's entry
    in ``team_policies`` when there is one, else ``policy`` (default
    :class:`BreakPolicy()`).
    """
    default = policy or BreakPolicy()
    teams = team_policies or {}
    by_agent: dict[str, list[ScoredContact]] = defaultdict(list)
    for c in contacts:
        by_agent[c.agent_id].append(c)
    out: list[BreakRecommendation] = []
    for agent_id, items in by_agent.items():
        items.sort(key=lambda c: (c.start, c.interaction_id))
        streak: list[ScoredContact] = []
        prev: ScoredContact | None = None
        for c in items:
            pol = teams.get(c.team or "", default)
            if prev is not None and (
                c.start.date() != prev.start.date()
                or (c.start - prev.end) >= timedelta(minutes=pol.streak_reset_minutes)
            ):
                streak = []
            prev = c
            if c.difficulty >= pol.streak_threshold:
                streak.append(c)
            else:
                streak = []
            single = c.difficulty >= pol.heavy_threshold
            if len(streak) >= pol.streak_length:
                minutes = pol.streak_break_minutes
                if single:
                    minutes = max(minutes, pol.break_minutes)
                out.append(_rec(agent_id, c, minutes, "heavy_streak", streak))
                streak = []
            elif single:
                out.append(_rec(agent_id, c, pol.break_minutes, "single_heavy_call", [c]))
    out.sort(key=lambda r: (r.start, r.agent_id))
    return out


def _rec(
    agent_id: str, c: ScoredContact, minutes: int, reason: BreakReason, calls: Sequence[ScoredContact]
) -> BreakRecommendation:
    return BreakRecommendation(
        agent_id=agent_id,
        start=c.end,
        minutes=minutes,
        reason=reason,
        evidence=tuple(Evidence(x.interaction_id, x.difficulty) for x in calls),
        team=c.team,
    )


@dataclass(frozen=True, slots=True)
class BreakTaken:
    """A break the agent actually took (from WFM or the agent's own status)."""

    agent_id: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"break for {self.agent_id}: end is not after start")

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True, slots=True)
class BreakStatus:
    recommendation: BreakRecommendation
    status: Literal["taken", "shortened", "skipped"]
    taken: BreakTaken | None


@dataclass(frozen=True, slots=True)
class BreakTracking:
    """Recommended breaks matched with the breaks taken."""

    statuses: tuple[BreakStatus, ...]

    def summary(self) -> dict[str, dict[str, float]]:
        """Per agent: recommended, taken, shortened, skipped and the share taken (0..1)."""
        out: dict[str, dict[str, float]] = {}
        for s in self.statuses:
            row = out.setdefault(
                s.recommendation.agent_id,
                {"recommended": 0, "taken": 0, "shortened": 0, "skipped": 0, "taken_share": 0.0},
            )
            row["recommended"] += 1
            row[s.status] += 1
        for row in out.values():
            row["taken_share"] = row["taken"] / row["recommended"]
        return out


def track_breaks(
    recommendations: Iterable[BreakRecommendation],
    taken: Iterable[BreakTaken],
    *,
    grace_minutes: float = 15.0,
    full_share: float = 0.8,
) -> BreakTracking:
    """Which recommended breaks were taken.

    A break taken by the agent meets the latest recommendation (not yet met)
    that starts at or before it and no more than ``grace_minutes`` earlier:
    after two heavy calls in a row, the break that follows answers the second.
    The break is ``taken`` when it lasts at least ``full_share`` of the
    recommended length and ``shortened`` when it is shorter; a recommendation no
    break meets is ``skipped``.  Each break meets at most one recommendation.
    """
    recs = sorted(recommendations, key=lambda r: (r.start, r.agent_id))
    grace = timedelta(minutes=grace_minutes)
    met: dict[int, BreakTaken] = {}
    for b in sorted(taken, key=lambda b: (b.start, b.agent_id)):
        fits = [
            i for i, r in enumerate(recs)
            if i not in met and r.agent_id == b.agent_id and r.start <= b.start <= r.start + grace
        ]
        if fits:
            met[fits[-1]] = b
    statuses: list[BreakStatus] = []
    for i, rec in enumerate(recs):
        match = met.get(i)
        if match is None:
            statuses.append(BreakStatus(rec, "skipped", None))
        elif match.minutes >= full_share * rec.minutes:
            statuses.append(BreakStatus(rec, "taken", match))
        else:
            statuses.append(BreakStatus(rec, "shortened", match))
    return BreakTracking(tuple(statuses))


# ------------------------------------------------------------------ load


@dataclass(frozen=True, slots=True)
class ShiftLoad:
    """The emotional load of one agent's shift: its contacts' difficulty in order."""

    agent_id: str
    day: date
    start: datetime
    end: datetime
    sequence: tuple[Evidence, ...]
    heavy_threshold: float
    worked_minutes: float
    from_shift: bool = True

    @property
    def total(self) -> float:
        return sum(e.difficulty for e in self.sequence)

    @property
    def contacts(self) -> int:
        return len(self.sequence)

    @property
    def mean(self) -> float | None:
        return self.total / len(self.sequence) if self.sequence else None

    @property
    def peak(self) -> float | None:
        return max((e.difficulty for e in self.sequence), default=None)

    @property
    def heavy_count(self) -> int:
        return sum(1 for e in self.sequence if e.difficulty >= self.heavy_threshold)

    @property
    def longest_heavy_run(self) -> int:
        best = run = 0
        for e in self.sequence:
            run = run + 1 if e.difficulty >= self.heavy_threshold else 0
            best = max(best, run)
        return best

    @property
    def load_per_hour(self) -> float | None:
        return self.total / (self.worked_minutes / 60) if self.worked_minutes > 0 else None


def shift_loads(
    contacts: Iterable[ScoredContact],
    shifts: Iterable[Shift],
    *,
    heavy_threshold: float = 60.0,
) -> list[ShiftLoad]:
    """Load per agent per shift, in (day, agent) order.

    A contact belongs to the agent's shift that contains its start.  Contacts
    outside every shift are grouped per agent and calendar day (UTC) into a
    load with ``from_shift=False`` whose span runs from the first contact's
    start to the last one's end.  Shifts with no contacts have a load of 0.
    ``heavy_threshold`` (default 60, the break policy's streak threshold) is
    what counts as a heavy contact in ``heavy_count`` and ``longest_heavy_run``.
    """
    by_agent: dict[str, list[Shift]] = defaultdict(list)
    for s in shifts:
        by_agent[s.agent_id].append(s)
    buckets: dict[tuple[str, datetime], list[ScoredContact]] = defaultdict(list)
    loose: dict[tuple[str, date], list[ScoredContact]] = defaultdict(list)
    for c in contacts:
        home = next((s for s in by_agent.get(c.agent_id, []) if s.start <= c.start <= s.end), None)
        if home is None:
            loose[(c.agent_id, c.start.date())].append(c)
        else:
            buckets[(c.agent_id, home.start)].append(c)
    out: list[ShiftLoad] = []
    for agent_id, items in by_agent.items():
        for s in items:
            calls = sorted(buckets.get((agent_id, s.start), []), key=lambda c: c.start)
            worked = s.worked_minutes if s.worked_minutes is not None else 0.0
            out.append(
                ShiftLoad(
                    agent_id=agent_id,
                    day=s.day,
                    start=s.start,
                    end=s.end,
                    sequence=tuple(Evidence(c.interaction_id, c.difficulty) for c in calls),
                    heavy_threshold=heavy_threshold,
                    worked_minutes=worked,
                )
            )
    for (agent_id, day), calls in loose.items():
        calls.sort(key=lambda c: c.start)
        start, end = calls[0].start, max(c.end for c in calls)
        out.append(
            ShiftLoad(
                agent_id=agent_id,
                day=day,
                start=start,
                end=end,
                sequence=tuple(Evidence(c.interaction_id, c.difficulty) for c in calls),
                heavy_threshold=heavy_threshold,
                worked_minutes=(end - start).total_seconds() / 60,
                from_shift=False,
            )
        )
    out.sort(key=lambda x: (x.day, x.agent_id, x.start))
    return out


@dataclass(frozen=True, slots=True)
class Heatmap:
    """Daily load, agents (rows) by days (columns); ``None`` where the agent did not work."""

    agents: tuple[str, ...]
    days: tuple[date, ...]
    values: tuple[tuple[float | None, ...], ...]

    def cell(self, agent_id: str, day: date) -> float | None:
        return self.values[self.agents.index(agent_id)][self.days.index(day)]

    @property
    def peak(self) -> float:
        return max((v for row in self.values for v in row if v is not None), default=0.0)


def load_heatmap(
    loads: Iterable[ShiftLoad],
    *,
    agents: Sequence[str] | None = None,
    days: Sequence[date] | None = None,
) -> Heatmap:
    """A team heatmap: the sum of difficulty per agent per day.

    ``agents`` and ``days`` fix the rows and columns (default: those seen in
    ``loads``, sorted; with ``days`` unset, every day from the first to the
    last).  A cell is ``None`` when the agent had no shift or contact that day,
    and 0 when they worked but took no scored contact.
    """
    totals: dict[tuple[str, date], float] = defaultdict(float)
    for ld in loads:
        totals[(ld.agent_id, ld.day)] += ld.total
    rows = tuple(agents) if agents is not None else tuple(sorted({a for a, _ in totals}))
    if days is not None:
        cols = tuple(days)
    elif totals:
        first = min(d for _, d in totals)
        last = max(d for _, d in totals)
        cols = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    else:
        cols = ()
    values = tuple(
        tuple(round(totals[(a, d)], 3) if (a, d) in totals else None for d in cols) for a in rows
    )
    return Heatmap(rows, cols, values)


@dataclass(frozen=True, slots=True)
class Stretch:
    """A run of contacts inside one rolling window with the highest total difficulty."""

    agent_id: str
    start: datetime
    end: datetime
    load: float
    evidence: tuple[Evidence, ...]


def hardest_stretches(
    contacts: Iterable[ScoredContact],
    *,
    window_minutes: float = 120.0,
    top: int = 5,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Stretch]:
    """The hardest stretches of the period: the highest rolling-window loads.

    For every contact, the window opens at its start and runs
    ``window_minutes`` (default 120); its load is the total difficulty of the
    agent's contacts starting inside it.  The best windows are taken greedily,
    highest load first, never two overlapping windows of the same agent, up to
    ``top``.  ``since``/``until`` (start inclusive, end exclusive) restrict the
    contacts, e.g. to one week.  Ties go to the earlier window.
    """
    if window_minutes <= 0:
        raise ValueError("window_minutes must be positive")
    width = timedelta(minutes=window_minutes)
    by_agent: dict[str, list[ScoredContact]] = defaultdict(list)
    for c in contacts:
        if since is not None and c.start < since:
            continue
        if until is not None and c.start >= until:
            continue
        by_agent[c.agent_id].append(c)
    candidates: list[Stretch] = []
    for agent_id, items in by_agent.items():
        items.sort(key=lambda c: c.start)
        j = 0
        for i, first in enumerate(items):
            j = max(j, i)
            while j + 1 < len(items) and items[j + 1].start < first.start + width:
                j += 1
            inside = items[i : j + 1]
            candidates.append(
                Stretch(
                    agent_id=agent_id,
                    start=first.start,
                    end=max(c.end for c in inside),
                    load=round(sum(c.difficulty for c in inside), 3),
                    evidence=tuple(Evidence(c.interaction_id, c.difficulty) for c in inside),
                )
            )
    candidates.sort(key=lambda s: (-s.load, s.start, s.agent_id))
    chosen: list[Stretch] = []
    for s in candidates:
        if len(chosen) >= top:
            break
        if any(o.agent_id == s.agent_id and o.start < s.end and s.start < o.end for o in chosen):
            continue
        chosen.append(s)
    return chosen


# ------------------------------------------------------------------ occupancy


@dataclass(frozen=True, slots=True)
class IntervalOccupancy:
    """Handled time over staffed time in one interval."""

    start: datetime
    end: datetime
    busy_minutes: float
    staffed_minutes: float
    occupancy_pct: float
    warning: bool


def occupancy_by_interval(
    contacts: Iterable[ScoredContact | Interaction],
    shifts: Iterable[Shift],
    *,
    breaks: Iterable[BreakTaken] = (),
    interval_minutes: int = 30,
    warn_above: float = 85.0,
) -> list[IntervalOccupancy]:
    """Occupancy per interval for the agents in ``shifts`` (one agent, a team, a site).

    Intervals are ``interval_minutes`` long (default 30), aligned to midnight
    UTC.  Staffed time is each agent's shift time inside the interval less the
    breaks taken; busy time is the time their contacts (start to end, after-call
    work included when the source counts it in the end time) overlap it,
    capped at that agent's staffed time (concurrent chats do not push anyone
    past 100%).  Occupancy is busy over staffed, summed over agents; intervals
    nobody staffed are left out.  ``warning`` is set above ``warn_above``
    percent (default 85, the field's burnout line).  Contacts may be
    :class:`ScoredContact` or plain :class:`Interaction` records.
    """
    if interval_minutes <= 0 or 1440 % interval_minutes:
        raise ValueError("interval_minutes must divide a day (e.g. 15, 30, 60)")
    step = timedelta(minutes=interval_minutes)
    staffed: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for s in shifts:
        staffed[s.agent_id].append((s.start, s.end))
    off: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for b in breaks:
        off[b.agent_id].append((b.start, b.end))
    busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for c in contacts:
        span = _span(c)
        if span is not None and span[0] in staffed:
            busy[span[0]].append((span[1], span[2]))

    grid: dict[datetime, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for agent_id, spans in staffed.items():
        on = _subtract(_union(spans), _union(off.get(agent_id, [])))
        working = _intersect(_union(busy.get(agent_id, [])), on)
        for start, end in on:
            for slot, secs in _per_slot(start, end, step):
                grid[slot][1] += secs
        for start, end in working:
            for slot, secs in _per_slot(start, end, step):
                grid[slot][0] += secs
    out = []
    for slot in sorted(grid):
        busy_s, staffed_s = grid[slot]
        if staffed_s <= 0:
            continue
        pct = 100.0 * busy_s / staffed_s
        out.append(
            IntervalOccupancy(
                start=slot,
                end=slot + step,
                busy_minutes=round(busy_s / 60, 4),
                staffed_minutes=round(staffed_s / 60, 4),
                occupancy_pct=round(pct, 2),
                warning=pct > warn_above,
            )
        )
    return out


def _span(c: ScoredContact | Interaction) -> tuple[str, datetime, datetime] | None:
    if isinstance(c, ScoredContact):
        return c.agent_id, c.start, c.end
    if not c.agent_id or c.started_at is None:
        return None
    end = c.ended_at or c.started_at + timedelta(seconds=c.handle_seconds or 0)
    return c.agent_id, c.started_at, end


Span = tuple[datetime, datetime]


def _union(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in spans:
        cur = a
        for h0, h1 in holes:
            if h1 <= cur or h0 >= b:
                continue
            if h0 > cur:
                out.append((cur, h0))
            cur = max(cur, h1)
        if cur < b:
            out.append((cur, b))
    return out


def _intersect(xs: list[Span], ys: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in xs:
        for c, d in ys:
            lo, hi = max(a, c), min(b, d)
            if lo < hi:
                out.append((lo, hi))
    return out


def _per_slot(start: datetime, end: datetime, step: timedelta) -> Iterable[tuple[datetime, float]]:
    midnight = datetime(start.year, start.month, start.day, tzinfo=start.tzinfo or UTC)
    slot = midnight + step * int((start - midnight) / step)
    while slot < end:
        lo, hi = max(slot, start), min(slot + step, end)
        if hi > lo:
            yield slot, (hi - lo).total_seconds()
        slot += step
