"""Resilience breaks, load and occupancy over hand-built shifts (expected values worked by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from heartline.domain import Interaction, Shift
from heartline.insights.wellbeing import (
    BreakPolicy,
    BreakTaken,
    ScoredContact,
    hardest_stretches,
    load_heatmap,
    occupancy_by_interval,
    outcome_difficulty_proxy,
    recommend_breaks,
    score_contacts,
    shift_loads,
    track_breaks,
)

DAY = date(2026, 9, 14)


def t(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def call(
    cid: str, start: datetime, minutes: float, difficulty: float, agent: str = "ana", team: str = "harbour"
) -> ScoredContact:
    return ScoredContact(cid, agent, start, start + timedelta(minutes=minutes), difficulty, team=team)


def shift(agent: str, start: datetime, end: datetime, **kw: float) -> Shift:
    return Shift(agent_id=agent, day=start.date(), start=start, end=end, **kw)


# Ana's morning: a routine call, a bereavement call at 80, then three at 60+ in a row.
ANA_MORNING = [
    call("c1", t(9, 0), 6, 20),
    call("c2", t(9, 10), 12, 80),  # single heavy call -> break at 09:22
    call("c3", t(9, 40), 10, 62),
    call("c4", t(9, 52), 8, 70),
    call("c5", t(10, 1), 9, 65),  # third >= 60 in a row -> streak break at 10:10
    call("c6", t(10, 12), 5, 30),
]


def test_single_heavy_call_and_streak_earn_breaks_with_evidence() -> None:
    recs = recommend_breaks(ANA_MORNING)
    assert [(r.reason, r.start, r.minutes) for r in recs] == [
        ("single_heavy_call", t(9, 22), 10),
        ("heavy_streak", t(10, 10), 15),
    ]
    assert [(e.interaction_id, e.difficulty) for e in recs[0].evidence] == [("c2", 80)]
    assert [e.interaction_id for e in recs[1].evidence] == ["c3", "c4", "c5"]
    assert recs[1].agent_id == "ana" and recs[1].end == t(10, 25)
    assert "c4 (70)" in recs[1].explanation


def test_a_long_gap_or_an_easy_call_restarts_the_streak() -> None:
    calls = [
        call("a", t(9, 0), 10, 65),
        call("b", t(9, 12), 10, 65),
        call("c", t(9, 40), 10, 65),  # 18 min gap >= 10: count restarts
        call("d", t(9, 52), 10, 65),
        call("e", t(10, 4), 10, 40),  # below 60: restarts
        call("f", t(10, 16), 10, 65),
    ]
    assert recommend_breaks(calls) == []
    # with a 20-minute reset the gap no longer counts and a-b-c is a streak
    recs = recommend_breaks(calls, BreakPolicy(streak_reset_minutes=20))
    assert [(r.reason, [e.interaction_id for e in r.evidence]) for r in recs] == [
        ("heavy_streak", ["a", "b", "c"])
    ]


def test_a_streak_ending_on_a_heavy_call_gives_one_break_of_the_longer_length() -> None:
    calls = [call("a", t(9), 5, 60), call("b", t(9, 6), 5, 60), call("c", t(9, 12), 5, 90)]
    policy = BreakPolicy(break_minutes=20, streak_break_minutes=15)
    recs = recommend_breaks(calls, policy)
    assert [(r.reason, r.minutes, r.start) for r in recs] == [("heavy_streak", 20, t(9, 17))]


def test_team_policies_override_the_default() -> None:
    calls = [
        call("h", t(9), 10, 72, agent="ana", team="harbour"),
        call("s", t(9), 10, 72, agent="ben", team="summit"),
    ]
    recs = recommend_breaks(calls, team_policies={"summit": BreakPolicy(heavy_threshold=70, break_minutes=5)})
    assert [(r.agent_id, r.minutes) for r in recs] == [("ben", 5)]


def test_streaks_do_not_cross_days_or_agents() -> None:
    calls = [
        call("a", t(21, 0), 10, 65),
        call("b", t(21, 11), 10, 65),
        call("c", t(0, 2, DAY + timedelta(days=1)), 10, 65),
        call("x", t(21, 22), 5, 65, agent="ben"),
    ]
    assert recommend_breaks(calls) == []


@pytest.mark.parametrize(
    "kw",
    [
        {"heavy_threshold": 101},
        {"streak_threshold": -1},
        {"streak_length": 1},
        {"break_minutes": 0},
        {"streak_reset_minutes": -5},
    ],
)
def test_bad_policies_are_refused(kw: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="BreakPolicy"):
        BreakPolicy(**kw)  # type: ignore[arg-type]


def test_breaks_taken_versus_recommended() -> None:
    recs = recommend_breaks(ANA_MORNING)  # 09:22 (10 min) and 10:10 (15 min)
    taken = [
        BreakTaken("ana", t(9, 25), t(9, 35)),  # in time, full length -> taken
        BreakTaken("ana", t(10, 30), t(10, 45)),  # 20 min late -> does not count
    ]
    tracking = track_breaks(recs, taken)
    assert [s.status for s in tracking.statuses] == ["taken", "skipped"]
    assert tracking.summary() == {
        "ana": {"recommended": 2, "taken": 1, "shortened": 0, "skipped": 1, "taken_share": 0.5}
    }
    short = track_breaks(recs, [BreakTaken("ana", t(10, 12), t(10, 18))])
    assert [s.status for s in short.statuses] == ["skipped", "shortened"]


def test_one_break_meets_only_one_recommendation() -> None:
    calls = [call("a", t(9), 5, 90), call("b", t(9, 5), 5, 90)]
    recs = recommend_breaks(calls)  # 09:05 and 09:10
    tracking = track_breaks(recs, [BreakTaken("ana", t(9, 12), t(9, 25))])
    assert [s.status for s in tracking.statuses] == ["skipped", "taken"]


def test_shift_load_sum_sequence_and_runs() -> None:
    shifts = [shift("ana", t(8, 30), t(12, 30))]
    loads = shift_loads(ANA_MORNING, shifts)
    (ld,) = loads
    assert [e.difficulty for e in ld.sequence] == [20, 80, 62, 70, 65, 30]
    assert ld.total == 327
    assert ld.mean == pytest.approx(54.5)
    assert ld.peak == 80
    assert ld.heavy_count == 4
    assert ld.longest_heavy_run == 4  # 80, 62, 70, 65
    assert ld.worked_minutes == 240
    assert ld.load_per_hour == pytest.approx(327 / 4)


def test_contacts_outside_any_shift_are_kept_per_day() -> None:
    shifts = [shift("ana", t(8), t(9, 30))]
    loads = shift_loads(ANA_MORNING, shifts)
    assert [(ld.from_shift, ld.total) for ld in loads] == [(True, 100), (False, 227)]
    loose = loads[1]
    assert loose.start == t(9, 40) and loose.end == t(10, 17)


def test_heatmap_of_agents_by_days() -> None:
    d2 = DAY + timedelta(days=1)
    shifts = [
        shift("ana", t(8), t(16)),
        shift("ana", t(8, 0, d2), t(16, 0, d2)),
        shift("ben", t(8), t(16)),
    ]
    calls = [*ANA_MORNING, call("b1", t(9, 0, d2), 10, 55), call("n1", t(11), 10, 45, agent="ben")]
    hm = load_heatmap(shift_loads(calls, shifts), days=[DAY, d2])
    assert hm.agents == ("ana", "ben")
    assert hm.values == ((327, 55), (45, None))
    assert hm.cell("ben", DAY) == 45 and hm.peak == 327
    # without days: every day from the first to the last
    assert load_heatmap(shift_loads(calls, shifts)).days == (DAY, d2)


def test_hardest_stretches_are_the_highest_non_overlapping_windows() -> None:
    calls = [*ANA_MORNING, call("n1", t(9, 0), 10, 50, agent="ben"), call("n2", t(14), 10, 90, agent="ben")]
    top = hardest_stretches(calls, window_minutes=60, top=3)
    # ana 09:10-10:10 window: 80 + 62 + 70 + 65 = 277 (09:00 window: 20+80+62+70 = 232)
    assert (top[0].agent_id, top[0].start, top[0].load) == ("ana", t(9, 10), 277)
    assert [e.interaction_id for e in top[0].evidence] == ["c2", "c3", "c4", "c5"]
    assert top[0].end == t(10, 10)
    # ana's other windows overlap the first; ben's two windows come next
    assert [(s.agent_id, s.load) for s in top[1:]] == [("ben", 90), ("ben", 50)]
    # a week filter keeps only contacts starting inside it
    assert hardest_stretches(calls, since=t(13), top=5)[0].load == 90


def test_occupancy_per_interval_with_a_warning_above_85() -> None:
    shifts = [shift("ana", t(9), t(10)), shift("ben", t(9, 30), t(10))]
    calls = [
        call("a1", t(9, 0), 20, 10),
        call("a2", t(9, 25), 15, 10),  # 5 min in the first interval, 10 in the second
        call("a3", t(9, 41), 19, 10),
        call("b1", t(9, 30), 28, 10, agent="ben"),
    ]
    rows = occupancy_by_interval(calls, shifts)
    assert [(r.start, r.busy_minutes, r.staffed_minutes) for r in rows] == [
        (t(9), 25, 30),
        (t(9, 30), 10 + 19 + 28, 60),
    ]
    assert rows[0].occupancy_pct == pytest.approx(83.33)
    assert not rows[0].warning
    assert rows[1].occupancy_pct == pytest.approx(95.0)
    assert rows[1].warning
    # a higher line, no warning
    assert not any(r.warning for r in occupancy_by_interval(calls, shifts, warn_above=96))


def test_breaks_leave_staffed_time_and_overlaps_are_capped() -> None:
    shifts = [shift("ana", t(9), t(10))]
    calls = [
        call("a1", t(9, 0), 30, 10),
        call("a2", t(9, 10), 10, 10),  # a concurrent chat: no double counting
        call("a3", t(9, 40), 20, 10),
    ]
    rows = occupancy_by_interval(calls, shifts, breaks=[BreakTaken("ana", t(9, 30), t(9, 40))])
    assert [(r.busy_minutes, r.staffed_minutes, r.occupancy_pct) for r in rows] == [
        (30, 30, 100.0),
        (20, 20, 100.0),
    ]
    hourly = occupancy_by_interval(calls, shifts, interval_minutes=60)
    assert [(r.busy_minutes, r.staffed_minutes) for r in hourly] == [(50, 60)]
    with pytest.raises(ValueError, match="divide a day"):
        occupancy_by_interval(calls, shifts, interval_minutes=7)


def _interaction(iid: str, start: datetime, **kw: object) -> Interaction:
    return Interaction(id=iid, agent_id="ana", team="harbour", started_at=start, handle_seconds=600, **kw)  # type: ignore[arg-type]


def test_score_contacts_takes_analysis_dicts_numbers_or_a_function() -> None:
    xs = [_interaction("x1", t(9)), _interaction("x2", t(10)), _interaction("x3", t(11))]
    from_dicts = score_contacts(xs, {"x1": {"difficulty": 80, "empathy_score": 50}, "x2": {"difficulty": 10}})
    assert [(c.interaction_id, c.difficulty, c.end) for c in from_dicts] == [
        ("x1", 80, t(9, 10)),
        ("x2", 10, t(10, 10)),
    ]
    assert [c.difficulty for c in score_contacts(xs, {"x3": 42})] == [42]
    assert [c.difficulty for c in score_contacts(xs, lambda x: 5.0)] == [5, 5, 5]
    with pytest.raises(ValueError, match="outside 0..100"):
        score_contacts(xs, {"x1": 130})


def test_outcome_proxy_is_topic_plus_outcome() -> None:
    xs = [
        _interaction("p1", t(9), topic="fraud worry", disposition="resolved", customer_id="k"),
        _interaction(
            "p2", t(10, 0, DAY + timedelta(days=2)), topic="delivery delay", disposition="escalated",
            transfers=3, hold_seconds=200, customer_id="k",
        ),
        _interaction("p3", t(9), topic="balance question", disposition="resolved"),
        _interaction("p4", t(9), topic="something new", customer_id="k"),
    ]
    proxy = outcome_difficulty_proxy(xs)
    # p4 and p1 both at 09:00 on DAY: p1 sorts first, so p4 is a repeat of p1
    assert proxy == {"p1": 65, "p4": 30 + 8, "p3": 10, "p2": 50 + 15 + 10 + 5 + 16}
