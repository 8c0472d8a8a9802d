"""Leader habits: what a team lead does, measured from the lead's own records.

Seen by the lead and their manager.  These are habits of leading with empathy
— holding 1:1s, opening them with support, answering barriers quickly,
recognising people, listening side by side, following up on what was agreed —
not a score of the agents.

Each figure is a small function over plain records and returns a
:class:`Figure` with its numerator, denominator and a sentence explaining it.
A figure with nothing to measure has ``value=None`` ("no data"), never zero.
:func:`leader_habits` computes them all for one lead and period.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from statistics import median

#: Default target for a first response to a barrier an agent raised (hours).
DEFAULT_BARRIER_RESPONSE_HOURS = 48.0

_SUPPORT = re.compile(
    r"\b(?:support|barriers?|in your way|what do you need|what would help|how are you|"
    r"how(?:'s| is) (?:it|everything) going|how are things|how have you been|"
    r"what can I (?:do|take)|help you|what's getting in the way)\b",
    re.IGNORECASE,
)


class HabitsError(ValueError):
    """A record the habits cannot use; the message names it."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class OneOnOne:
    """A planned 1:1.  ``held_on`` is None when it did not happen (yet)."""

    agent_id: str
    planned_for: date
    held_on: date | None = None
    cancelled: bool = False
    opened_with_support: bool | None = None
    opening_question: str | None = None


@dataclass(frozen=True)
class BarrierResponse:
    """A barrier an agent raised and the lead's first response to it (None: not yet answered)."""

    barrier_id: str
    raised_at: datetime
    first_response_at: datetime | None = None


@dataclass(frozen=True)
class Recognition:
    agent_id: str
    given_on: date


@dataclass(frozen=True)
class ListeningSession:
    """Shadowing or side-by-side listening with an agent (walking in the agent's shoes)."""

    agent_id: str
    day: date
    kind: str = "side_by_side"  # or "shadowing"
    minutes: float | None = None


@dataclass(frozen=True)
class CoachingAction:
    """An action agreed in a coaching session; ``followed_up_on`` is when the lead checked back."""

    action_id: str
    due: date
    followed_up_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class Figure:
    """One habit figure.  ``value`` is None when there is nothing to measure."""

    name: str
    value: float | None
    unit: str  # "share" (0..1), "hours", "count", "minutes"
    numerator: float | None
    denominator: float | None
    explanation: str


# --------------------------------------------------------------------------- helpers


def _in(d: date, start: date | None, end: date | None) -> bool:
    return (start is None or d >= start) and (end is None or d <= end)


def _utc(v: datetime, where: str) -> datetime:
    if v.tzinfo is None:
        raise HabitsError(f"{where}: time {v.isoformat()} has no time zone")
    return v.astimezone(UTC)


def is_support_question(text: str | None) -> bool:
    """True when an opening line asks about support, barriers or how the agent is."""
    return bool(text and "?" in text and _SUPPORT.search(text))


# --------------------------------------------------------------------------- figures


def one_on_ones_held(
    records: Iterable[OneOnOne], start: date | None = None, end: date | None = None
) -> Figure:
    """1:1s held vs planned: of the 1:1s planned in the period, the share that were held.

    A 1:1 counts as held if it has a ``held_on`` date (even if moved to another
    day); a cancelled one counts as planned and not held.
    """
    planned = [r for r in records if _in(r.planned_for, start, end)]
    held = [r for r in planned if r.held_on is not None and not r.cancelled]
    if not planned:
        return Figure(
            "one_on_ones_held", None, "share", 0, 0, "No 1:1s were planned in this period."
        )
    return Figure(
        "one_on_ones_held",
        len(held) / len(planned),
        "share",
        len(held),
        len(planned),
        f"{len(held)} of {len(planned)} planned 1:1s were held.",
    )


def support_opening_share(
    records: Iterable[OneOnOne], start: date | None = None, end: date | None = None
) -> Figure:
    """Share of held 1:1s that opened with a support question.

    Uses ``opened_with_support`` when recorded, otherwise reads
    ``opening_question`` with :func:`is_support_question`; a held 1:1 with
    neither is counted as not opened with support.
    """
    held = [
        r
        for r in records
        if r.held_on is not None and not r.cancelled and _in(r.held_on, start, end)
    ]
    if not held:
        return Figure(
            "support_opening_share", None, "share", 0, 0, "No 1:1s were held in this period."
        )
    yes = sum(
        1
        for r in held
        if (
            r.opened_with_support
            if r.opened_with_support is not None
            else is_support_question(r.opening_question)
        )
    )
    return Figure(
        "support_opening_share",
        yes / len(held),
        "share",
        yes,
        len(held),
        f"{yes} of {len(held)} held 1:1s opened with a support question.",
    )


def median_barrier_response_hours(
    records: Iterable[BarrierResponse], start: date | None = None, end: date | None = None
) -> Figure:
    """Median time, in hours, from an agent raising a barrier to the lead's first response.

    Covers barriers raised in the period that have been answered; unanswered
    ones are counted separately by :func:`barriers_answered_within`.
    """
    times = []
    for r in records:
        raised = _utc(r.raised_at, f"barrier {r.barrier_id}: raised_at")
        if not _in(raised.date(), start, end) or r.first_response_at is None:
            continue
        first = _utc(r.first_response_at, f"barrier {r.barrier_id}: first_response_at")
        if first < raised:
            raise HabitsError(f"barrier {r.barrier_id}: first response is before it was raised")
        times.append((first - raised).total_seconds() / 3600)
    if not times:
        return Figure(
            "median_barrier_response_hours",
            None,
            "hours",
            None,
            0,
            "No barrier raised in this period has been answered yet.",
        )
    m = median(times)
    return Figure(
        "median_barrier_response_hours",
        m,
        "hours",
        None,
        len(times),
        f"Median first response {m:.1f} h over {len(times)} answered barrier(s).",
    )


def barriers_answered_within(
    records: Iterable[BarrierResponse],
    as_of: datetime,
    hours: float = DEFAULT_BARRIER_RESPONSE_HOURS,
    start: date | None = None,
    end: date | None = None,
) -> Figure:
    """Share of barriers raised in the period that got a first response within ``hours``.

    A barrier still unanswered at ``as_of`` counts as missed once ``hours``
    have passed; one raised less than ``hours`` ago and not yet answered is
    left out (it still has time).
    """
    now = _utc(as_of, "as_of")
    hit = due = 0
    for r in records:
        raised = _utc(r.raised_at, f"barrier {r.barrier_id}: raised_at")
        if not _in(raised.date(), start, end):
            continue
        limit = hours * 3600
        if r.first_response_at is not None:
            waited = (
                _utc(r.first_response_at, f"barrier {r.barrier_id}: first_response_at") - raised
            ).total_seconds()
            due += 1
            hit += waited <= limit
        elif (now - raised).total_seconds() > limit:
            due += 1
    if not due:
        return Figure(
            "barriers_answered_within",
            None,
            "share",
            0,
            0,
            "No barrier in this period has reached its response deadline.",
        )
    return Figure(
        "barriers_answered_within",
        hit / due,
        "share",
        hit,
        due,
        f"{hit} of {due} barriers got a first response within {hours:g} h.",
    )


def recognitions_given(
    records: Iterable[Recognition],
    start: date | None = None,
    end: date | None = None,
    team_size: int | None = None,
) -> list[Figure]:
    """Recognition given in the period, and how widely it was shared.

    Two figures: the number of recognitions, and the share of the team
    recognised at least once (needs ``team_size``; fair recognition reaches
    more than the usual few).
    """
    recs = [r for r in records if _in(r.given_on, start, end)]
    people = {r.agent_id for r in recs}
    out = [
        Figure(
            "recognitions_given",
            float(len(recs)),
            "count",
            len(recs),
            None,
            f"{len(recs)} recognition(s) given to {len(people)} agent(s).",
        )
    ]
    if team_size:
        if team_size < len(people):
            raise HabitsError(
                f"team_size {team_size} is smaller than the {len(people)} agents recognised"
            )
        out.append(
            Figure(
                "team_recognised_share",
                len(people) / team_size,
                "share",
                len(people),
                team_size,
                f"{len(people)} of {team_size} agents were recognised at least once.",
            )
        )
    else:
        out.append(
            Figure(
                "team_recognised_share",
                None,
                "share",
                len(people),
                None,
                "Team size unknown, so the share recognised cannot be shown.",
            )
        )
    return out


def listening_sessions(
    records: Iterable[ListeningSession], start: date | None = None, end: date | None = None
) -> list[Figure]:
    """Shadowing and side-by-side listening logged: sessions, agents reached, minutes."""
    recs = [r for r in records if _in(r.day, start, end)]
    agents = {r.agent_id for r in recs}
    minutes = [r.minutes for r in recs if r.minutes is not None]
    return [
        Figure(
            "listening_sessions",
            float(len(recs)),
            "count",
            len(recs),
            None,
            f"{len(recs)} shadowing / side-by-side session(s) with {len(agents)} agent(s).",
        ),
        Figure(
            "listening_minutes",
            float(sum(minutes)) if minutes else None,
            "minutes",
            float(sum(minutes)) if minutes else None,
            len(minutes) or None,
            f"{sum(minutes):.0f} minutes logged over {len(minutes)} session(s)."
            if minutes
            else "No session durations were logged.",
        ),
    ]


def actions_followed_up(
    records: Iterable[CoachingAction],
    as_of: date,
    start: date | None = None,
    end: date | None = None,
) -> Figure:
    """Share of coaching actions due in the period (and by ``as_of``) that the lead followed up.

    An action is followed up when ``followed_up_on`` is set, whether or not
    the action was done: checking back is the habit measured here.
    """
    due = [r for r in records if r.due <= as_of and _in(r.due, start, end)]
    if not due:
        return Figure(
            "actions_followed_up",
            None,
            "share",
            0,
            0,
            "No coaching action fell due in this period.",
        )
    done = sum(1 for r in due if r.followed_up_on is not None)
    return Figure(
        "actions_followed_up",
        done / len(due),
        "share",
        done,
        len(due),
        f"{done} of {len(due)} coaching actions that fell due were followed up.",
    )


def leader_habits(
    *,
    one_on_ones: Sequence[OneOnOne] = (),
    barriers: Sequence[BarrierResponse] = (),
    recognitions: Sequence[Recognition] = (),
    sessions: Sequence[ListeningSession] = (),
    actions: Sequence[CoachingAction] = (),
    as_of: datetime,
    start: date | None = None,
    end: date | None = None,
    team_size: int | None = None,
    barrier_response_hours: float = DEFAULT_BARRIER_RESPONSE_HOURS,
) -> list[Figure]:
    """All habit figures for one lead and period, in display order.

    ``barrier_response_hours`` (default 48) is the target for a first response
    to a barrier; ``team_size`` lets the share of the team recognised be shown.
    """
    return [
        one_on_ones_held(one_on_ones, start, end),
        support_opening_share(one_on_ones, start, end),
        median_barrier_response_hours(barriers, start, end),
        barriers_answered_within(barriers, as_of, barrier_response_hours, start, end),
        *recognitions_given(recognitions, start, end, team_size),
        *listening_sessions(sessions, start, end),
        actions_followed_up(actions, _utc(as_of, "as_of").date(), start, end),
    ]
