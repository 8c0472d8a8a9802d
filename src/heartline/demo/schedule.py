"""Shifts, and where each contact sits inside one.

Every agent works five days a week at their usual start time, with breaks
(two short ones and lunch).  Agents drifting toward burnout pick up extra days,
overtime and skip breaks as the window goes on, and their occupancy climbs past
85%.  Contacts are shared out over shifts in proportion to the time on the
phones and the agent's load, then laid out inside the shift between breaks;
for drifting agents the heavy contacts come back to back.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from heartline.demo.people import AgentProfile
from heartline.domain import Shift

MAX_CONTACTS_PER_SHIFT = 16


@dataclass(slots=True)
class ShiftPlan:
    profile: AgentProfile
    day: date
    progress: float
    start: datetime
    end: datetime
    scheduled_minutes: float
    break_minutes: float
    overtime_minutes: float
    adherence_pct: float
    occupancy_pct: float
    breaks: list[tuple[datetime, datetime]]
    weight: float = 0.0
    contacts: int = 0
    extra_day: bool = False

    def to_record(self) -> Shift:
        return Shift(
            agent_id=self.profile.agent_id,
            day=self.day,
            start=self.start,
            end=self.end,
            scheduled_minutes=self.scheduled_minutes,
            worked_minutes=round((self.end - self.start).total_seconds() / 60, 1),
            adherence_pct=self.adherence_pct,
            occupancy_pct=self.occupancy_pct,
            break_minutes=self.break_minutes,
            overtime_minutes=self.overtime_minutes,
        )


def plan_shifts(
    rng: random.Random, profiles: list[AgentProfile], first_day: date, days: int
) -> list[ShiftPlan]:
    plans: list[ShiftPlan] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        progress = offset / (days - 1) if days > 1 else 1.0
        for prof in profiles:
            drift = prof.drift_at(progress)
            off_day = day.weekday() in prof.days_off
            extra = False
            if off_day:
                # drifting agents cover extra days late in the window
                if drift > 0.3 and rng.random() < 0.45 * drift:
                    extra = True
                else:
                    continue
            elif drift == 0 and rng.random() < 0.025:
                continue  # sick day or leave
            plans.append(_one_shift(rng, prof, day, progress, drift, extra))
    return plans


def _one_shift(
    rng: random.Random, prof: AgentProfile, day: date, progress: float, drift: float, extra: bool
) -> ShiftPlan:
    h, m = prof.shift_start
    scheduled_start = datetime.combine(day, time(h, m), tzinfo=UTC)
    scheduled = float(prof.scheduled_minutes)
    late = rng.randint(2, 12) if rng.random() < 0.07 else 0
    start = scheduled_start + timedelta(minutes=late)
    if drift > 0:
        overtime = round(drift * rng.uniform(35, 120), 0) if rng.random() < 0.45 + 0.55 * drift else 0.0
        planned_breaks = 60.0 if scheduled >= 480 else 45.0
        taken = planned_breaks * (1 - 0.8 * drift * rng.uniform(0.7, 1.0))
        break_minutes = float(max(10, round(taken / 5) * 5))
    else:
        overtime = float(rng.choice((10, 15, 20, 30))) if rng.random() < 0.08 else 0.0
        planned_breaks = 60.0 if scheduled >= 480 else 45.0
        break_minutes = planned_breaks + rng.choice((0, 0, 0, -5, 5, 10))
    end = scheduled_start + timedelta(minutes=scheduled + overtime)
    breaks = _break_windows(start, end, break_minutes)
    deviation = late + abs(break_minutes - planned_breaks) + rng.uniform(4, 22)
    adherence = round(max(55.0, 100 - deviation / scheduled * 100), 1)
    occupancy = prof.occupancy_at(progress) + rng.gauss(0, 0.018)
    occupancy_pct = round(max(40.0, min(99.0, occupancy * 100)), 1)
    worked = (end - start).total_seconds() / 60
    load = prof.load_at(progress)
    weight = (worked - break_minutes) * occupancy * load * rng.uniform(0.75, 1.25)
    return ShiftPlan(
        profile=prof,
        day=day,
        progress=progress,
        start=start,
        end=end,
        scheduled_minutes=scheduled,
        break_minutes=break_minutes,
        overtime_minutes=overtime,
        adherence_pct=adherence,
        occupancy_pct=occupancy_pct,
        breaks=breaks,
        weight=weight,
        extra_day=extra,
    )


def _break_windows(start: datetime, end: datetime, minutes: float) -> list[tuple[datetime, datetime]]:
    """Lunch in the middle, short breaks either side; skipped breaks go first."""
    length = (end - start).total_seconds() / 60
    lunch = min(30.0, minutes)
    rest = minutes - lunch
    windows = [(length * 0.5 - lunch / 2, lunch)]
    if rest > 0:
        first = min(15.0, rest)
        windows.append((length * 0.25, first))
        if rest - first > 0:
            windows.append((length * 0.75, rest - first))
    out = [
        (start + timedelta(minutes=at), start + timedelta(minutes=at + dur))
        for at, dur in sorted(windows)
        if dur > 0
    ]
    return out


def allocate(rng: random.Random, plans: list[ShiftPlan], total: int) -> None:
    """Share ``total`` contacts over the shifts in proportion to their weights (exactly)."""
    if total == 0:
        return
    weights = [p.weight for p in plans]
    w_sum = sum(weights)
    if not plans or w_sum <= 0:
        raise ValueError(
            "no agent works a shift in this window (days off); ask for more days or agents"
        )
    capacity = MAX_CONTACTS_PER_SHIFT * len(plans)
    if total > capacity:
        raise ValueError(
            f"{total} interactions do not fit in {len(plans)} shifts "
            f"(at most {MAX_CONTACTS_PER_SHIFT} each); ask for more days or agents"
        )
    # systematic sampling: exact total, every count within one of its expectation
    u = rng.random()
    acc = 0.0
    prev = 0
    for p, w in zip(plans, weights, strict=True):
        acc += total * w / w_sum
        upto = math.floor(acc + u)
        p.contacts = upto - prev
        prev = upto
    # floating point can leave the total one off at the very end
    diff = total - sum(p.contacts for p in plans)
    i = 0
    while diff != 0:
        p = plans[i % len(plans)]
        if diff > 0 and p.contacts < MAX_CONTACTS_PER_SHIFT:
            p.contacts += 1
            diff -= 1
        elif diff < 0 and p.contacts > 0:
            p.contacts -= 1
            diff += 1
        i += 1
    # respect the per-shift cap by moving the surplus to the next shifts with room
    surplus = 0
    for p in plans:
        if p.contacts > MAX_CONTACTS_PER_SHIFT:
            surplus += p.contacts - MAX_CONTACTS_PER_SHIFT
            p.contacts = MAX_CONTACTS_PER_SHIFT
    i = 0
    while surplus:
        p = plans[i % len(plans)]
        if p.contacts < MAX_CONTACTS_PER_SHIFT:
            p.contacts += 1
            surplus -= 1
        i += 1


def place(
    rng: random.Random, plan: ShiftPlan, durations: list[float], heavy: list[bool],
    *, back_to_back: bool,
) -> list[datetime]:
    """Start times for contacts of the given lengths (seconds), in order, inside the shift.

    Contacts never overlap each other or a break and end before the shift does.
    With ``back_to_back`` a heavy contact that follows another heavy one starts
    within a minute of it ending.
    """
    segments = _segments(plan)
    n = len(durations)
    if n == 0:
        return []
    free = sum((b - a).total_seconds() for a, b in segments) - sum(durations)
    if free < 0:
        raise ValueError("contacts do not fit in the shift")
    raw = [rng.expovariate(1.0) for _ in range(n + 1)]
    scale = free * rng.uniform(0.6, 0.95) / sum(raw)
    gaps = [g * scale for g in raw]
    if back_to_back:
        for i in range(1, n):
            if heavy[i] and heavy[i - 1]:
                gaps[i] = rng.uniform(5, 50)
    for squeeze in (1.0, 0.6, 0.3, 0.1, 0.0):
        starts = _walk(segments, durations, [g * squeeze for g in gaps])
        if starts is not None:
            return starts
    raise ValueError("contacts do not fit in the shift")  # pragma: no cover - free >= 0 above


def _segments(plan: ShiftPlan) -> list[tuple[datetime, datetime]]:
    segs = []
    cur = plan.start
    for b_start, b_end in plan.breaks:
        if b_start > cur:
            segs.append((cur, b_start))
        cur = max(cur, b_end)
    if plan.end > cur:
        segs.append((cur, plan.end))
    return segs


def _walk(
    segments: list[tuple[datetime, datetime]], durations: list[float], gaps: list[float]
) -> list[datetime] | None:
    starts: list[datetime] = []
    seg = 0
    t = segments[0][0]
    for d, g in zip(durations, gaps, strict=False):
        t = t + timedelta(seconds=g)
        while seg < len(segments) and t + timedelta(seconds=d) > segments[seg][1]:
            seg += 1
            if seg < len(segments):
                t = max(t, segments[seg][0] + timedelta(seconds=min(g, 60)))
        if seg >= len(segments):
            return None
        t = max(t, segments[seg][0])
        if t.microsecond:  # whole seconds, rounded up so nothing overlaps
            t = t.replace(microsecond=0) + timedelta(seconds=1)
        if t + timedelta(seconds=d) > segments[seg][1]:
            return None
        starts.append(t)
        t = t + timedelta(seconds=d)
    return starts
