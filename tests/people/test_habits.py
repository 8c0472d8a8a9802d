"""Leader habit figures on hand-built records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from heartline.people.habits import (
    BarrierResponse,
    CoachingAction,
    HabitsError,
    ListeningSession,
    OneOnOne,
    Recognition,
    actions_followed_up,
    barriers_answered_within,
    is_support_question,
    leader_habits,
    listening_sessions,
    median_barrier_response_hours,
    one_on_ones_held,
    recognitions_given,
    support_opening_share,
)

NOV = date(2026, 11, 1)
END = date(2026, 11, 30)
AS_OF = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def t(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


# Five 1:1s planned in November, one in October (outside the period):
#   held: 3 (one moved to another day), cancelled: 1, not yet held: 1
#   opened with support: recorded yes, inferred yes from the question, recorded no
ONE_ON_ONES = [
    OneOnOne("a1", date(2026, 11, 3), held_on=date(2026, 11, 3), opened_with_support=True),
    OneOnOne(
        "a2",
        date(2026, 11, 4),
        held_on=date(2026, 11, 6),
        opening_question="What barriers are in your way this week?",
    ),
    OneOnOne(
        "a3",
        date(2026, 11, 10),
        held_on=date(2026, 11, 10),
        opened_with_support=False,
        opening_question="How are you?",
    ),
    OneOnOne("a4", date(2026, 11, 12), cancelled=True),
    OneOnOne("a5", date(2026, 11, 28)),
    OneOnOne("a1", date(2026, 10, 20), held_on=date(2026, 10, 20), opened_with_support=True),
]

# Barriers: responses after 2 h, 30 h, 100 h; one unanswered for 10 days; one raised 5 h ago.
BARRIERS = [
    BarrierResponse("b1", t(2), t(2, 11)),
    BarrierResponse("b2", t(5), t(6, 15)),
    BarrierResponse("b3", t(10), t(10) + timedelta(hours=100)),
    BarrierResponse("b4", t(20), None),
    BarrierResponse("b5", t(30, 13), None),
]


def test_one_on_ones_held_vs_planned() -> None:
    f = one_on_ones_held(ONE_ON_ONES, NOV, END)
    assert (f.numerator, f.denominator) == (3, 5)
    assert f.value == pytest.approx(0.6)


def test_support_opening_share_uses_record_then_text() -> None:
    f = support_opening_share(ONE_ON_ONES, NOV, END)
    # a1 recorded yes, a2 inferred yes, a3 recorded no even though the text asks "How are you?"
    assert (f.numerator, f.denominator) == (2, 3)


def test_support_question_reader() -> None:
    assert is_support_question("What kind of support do you need today?")
    assert is_support_question("How are things going for you?")
    assert not is_support_question("Your AHT was high. Why?")
    assert not is_support_question("support")  # not a question
    assert not is_support_question(None)


def test_median_barrier_response() -> None:
    f = median_barrier_response_hours(BARRIERS, NOV, END)
    # answered: 2 h, 30 h, 100 h -> median 30
    assert f.value == pytest.approx(30.0)
    assert f.denominator == 3


def test_barriers_answered_within_48h() -> None:
    f = barriers_answered_within(BARRIERS, AS_OF, 48, NOV, END)
    # b1 and b2 in time, b3 late, b4 unanswered past 48 h, b5 still has time -> 2 of 4
    assert (f.numerator, f.denominator) == (2, 4)
    assert f.value == pytest.approx(0.5)


def test_barrier_times_must_be_aware_and_ordered() -> None:
    naive = [BarrierResponse("x", datetime(2026, 11, 2, 9), None)]
    with pytest.raises(HabitsError, match="time zone"):
        median_barrier_response_hours(naive)
    backwards = [BarrierResponse("y", t(3), t(2))]
    with pytest.raises(HabitsError, match="before it was raised"):
        median_barrier_response_hours(backwards)


def test_recognition_count_and_spread() -> None:
    recs = [
        Recognition("a1", date(2026, 11, 2)),
        Recognition("a1", date(2026, 11, 9)),
        Recognition("a2", date(2026, 11, 9)),
        Recognition("a3", date(2026, 10, 30)),
    ]
    count, spread = recognitions_given(recs, NOV, END, team_size=8)
    assert count.value == 3
    assert spread.value == pytest.approx(2 / 8)
    _, unknown = recognitions_given(recs, NOV, END)
    assert unknown.value is None
    with pytest.raises(HabitsError):
        recognitions_given(recs, NOV, END, team_size=1)


def test_listening_sessions() -> None:
    sessions = [
        ListeningSession("a1", date(2026, 11, 3), "shadowing", 45),
        ListeningSession("a2", date(2026, 11, 4), "side_by_side", 30),
        ListeningSession("a2", date(2026, 11, 18), "side_by_side", None),
    ]
    n, minutes = listening_sessions(sessions, NOV, END)
    assert n.value == 3
    assert minutes.value == 75 and minutes.denominator == 2
    none_n, none_minutes = listening_sessions([], NOV, END)
    assert none_n.value == 0 and none_minutes.value is None


def test_actions_followed_up_counts_only_due_ones() -> None:
    actions = [
        CoachingAction("c1", date(2026, 11, 5), followed_up_on=date(2026, 11, 6)),
        CoachingAction("c2", date(2026, 11, 12), followed_up_on=date(2026, 11, 12), done=True),
        CoachingAction("c3", date(2026, 11, 19)),
        CoachingAction("c4", date(2026, 12, 10)),
    ]  # not due yet
    f = actions_followed_up(actions, date(2026, 11, 30), NOV, END)
    assert (f.numerator, f.denominator) == (2, 3)


def test_no_data_is_none_not_zero() -> None:
    figures = leader_habits(as_of=AS_OF, start=NOV, end=END)
    by_name = {f.name: f for f in figures}
    for name in (
        "one_on_ones_held",
        "support_opening_share",
        "median_barrier_response_hours",
        "barriers_answered_within",
        "actions_followed_up",
        "team_recognised_share",
    ):
        assert by_name[name].value is None, name
        assert by_name[name].explanation


def test_leader_habits_all_figures_in_order() -> None:
    figures = leader_habits(
        one_on_ones=ONE_ON_ONES, barriers=BARRIERS, as_of=AS_OF, start=NOV, end=END, team_size=6
    )
    assert [f.name for f in figures] == [
        "one_on_ones_held",
        "support_opening_share",
        "median_barrier_response_hours",
        "barriers_answered_within",
        "recognitions_given",
        "team_recognised_share",
        "listening_sessions",
        "listening_minutes",
        "actions_followed_up",
    ]
    assert figures[0].value == pytest.approx(0.6)
