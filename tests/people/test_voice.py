"""Barriers (workflow, anonymity, response target, board) and leadership feedback."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from heartline.people.anonymity import Query, respondent_key
from heartline.people.voice import (
    Actor,
    Barrier,
    BarrierError,
    Category,
    DecisionFeedback,
    InvalidTransition,
    LeadershipDecision,
    Status,
    add_me_too,
    add_working_days,
    change_status,
    confirm_resolved,
    decision_summary,
    is_overdue,
    leadership_decision,
    overdue,
    post_message,
    raise_barrier,
    rate_decision,
    respond_to_feedback,
    response_due,
    thread_view,
    you_said_we_did,
)

SECRET = "voice-test-secret"
AGENT = Actor("agent-0042", "Dara Okonkwo-Finch", "agent")
COLLEAGUE = Actor("agent-0007", "Lin Petrov", "agent")
LEAD = Actor("lead-priya", "Priya Raman", "lead")
MANAGER = Actor("mgr-sam", "Sam Whitlock", "manager")
KB_GAP = "The knowledge base article on roaming charges still lists last year's prices."
MON = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def anonymous_barrier(**kwargs: object) -> Barrier:
    args: dict[str, object] = dict(
        barrier_id="B-17", author=AGENT, category="knowledge_base", text=KB_GAP, at=MON,
        secret=SECRET, anonymous=True, team="Harbour",
    )
    args.update(kwargs)
    return raise_barrier(**args)  # type: ignore[arg-type]


def leaks(text: str) -> bool:
    return AGENT.id in text or AGENT.name in text or "Dara" in text or "0042" in text


def test_anonymous_barrier_end_to_end() -> None:
    """Raised anonymously, answered by a lead who never learns who, confirmed, on the board."""
    b = anonymous_barrier()
    assert b.author_id is None and b.author_name is None
    post_message(b, LEAD, "Thanks for flagging. Which article number is it?", at(17), SECRET)
    post_message(b, AGENT, "It's KB-2231, the roaming one.", at(17, 11), SECRET)
    change_status(b, LEAD, "acknowledged", at(17, 12))
    change_status(b, LEAD, Status.in_progress, at(18))
    change_status(b, LEAD, Status.resolved, at(19),
                  reason="KB-2231 updated with this year's prices")

    lead_view = thread_view(b, LEAD, SECRET)
    assert [e.who for e in lead_view] == ["Priya Raman (lead)", f"the author ({b.handle})"]
    assert lead_view[0].mine and not lead_view[1].mine
    author_view = thread_view(b, AGENT, SECRET)
    assert author_view[0].who == "Priya Raman (lead)" and author_view[1].who == "you"

    confirm_resolved(b, AGENT, at(20), SECRET, comment="Checked it today, all correct now.")
    assert b.confirmed_by_author is True
    board = you_said_we_did([b])
    assert [(r.barrier_id, r.we_did, r.confirmed_by_author) for r in board] == [
        ("B-17", "KB-2231 updated with this year's prices", True)
    ]
    everything = " ".join(
        [repr(b), str(b), json.dumps(b.public()), repr(board), repr(lead_view),
         repr(b.thread), repr(b.history)]
    )
    assert not leaks(everything)


def test_named_barrier_shows_the_author() -> None:
    b = raise_barrier(barrier_id="B-2", author=AGENT, category=Category.tools_tech,
                      text="The CRM freezes when I open a second account tab.", at=MON,
                      secret=SECRET, evidence_interaction_id="call-881")
    post_message(b, AGENT, "Happened three times today.", at(16, 15), SECRET)
    assert b.public()["author"] == AGENT.name
    assert thread_view(b, LEAD, SECRET)[0].who == AGENT.name
    assert b.public()["evidence_interaction_id"] == "call-881"


def test_anonymous_barrier_refuses_interaction_evidence() -> None:
    with pytest.raises(BarrierError, match="cannot link an interaction"):
        anonymous_barrier(evidence_interaction_id="call-881")


def test_anonymous_author_actions_are_dated_to_the_day() -> None:
    b = anonymous_barrier(at=datetime(2026, 11, 16, 2, 13, tzinfo=UTC))
    post_message(b, AGENT, "Still the same this morning.", at(17, 6), SECRET)
    post_message(b, LEAD, "Looking into it now.", at(17, 9), SECRET)
    assert b.public()["raised_at"] == "2026-11-16T00:00:00+00:00"
    assert [m.at.hour for m in b.thread] == [0, 9]
    assert (b.raised_at.hour, b.raised_at.minute) == (0, 0)
    named = anonymous_barrier(barrier_id="B-30", anonymous=False,
                              at=datetime(2026, 11, 16, 2, 13, tzinfo=UTC))
    assert named.raised_at.hour == 2


def test_handles_cannot_link_two_barriers_of_one_author() -> None:
    one = anonymous_barrier()
    two = anonymous_barrier(barrier_id="B-18")
    assert one.handle != two.handle
    assert one._author_token != two._author_token


def test_status_machine() -> None:
    b = anonymous_barrier()
    for bad in (Status.in_progress, Status.resolved, Status.new):
        with pytest.raises(InvalidTransition, match="allowed next: acknowledged, won't fix"):
            change_status(b, LEAD, bad, at(17))
    with pytest.raises(InvalidTransition, match="unknown status"):
        change_status(b, LEAD, "done", at(17))
    change_status(b, LEAD, "acknowledged", at(17))
    with pytest.raises(InvalidTransition):
        change_status(b, LEAD, "resolved", at(17))
    change_status(b, LEAD, "in_progress", at(18))
    with pytest.raises(BarrierError, match="reason is required"):
        change_status(b, LEAD, "wont_fix", at(18), reason="  ")
    change_status(b, MANAGER, "wont_fix", at(19), reason="The article is owned by the vendor.")
    assert b.status is Status.wont_fix and b.resolution == "The article is owned by the vendor."
    with pytest.raises(InvalidTransition, match="none"):
        change_status(b, LEAD, "in_progress", at(20))
    assert [h.after for h in b.history] == [
        Status.acknowledged, Status.in_progress, Status.wont_fix
    ]
    assert you_said_we_did([b]) == []


def test_only_leaders_change_status_and_only_the_author_confirms() -> None:
    b = anonymous_barrier()
    with pytest.raises(BarrierError, match="only leads"):
        change_status(b, COLLEAGUE, "acknowledged", at(17))
    with pytest.raises(BarrierError, match="only leads"):
        change_status(b, AGENT, "acknowledged", at(17))
    for s in ("acknowledged", "in_progress", "resolved"):
        change_status(b, LEAD, s, at(18))
    for impostor in (LEAD, COLLEAGUE, MANAGER):
        with pytest.raises(BarrierError, match="only the author") as info:
            confirm_resolved(b, impostor, at(19), SECRET)
        assert not leaks(str(info.value))


def test_not_resolved_for_me_reopens() -> None:
    b = anonymous_barrier()
    for s in ("acknowledged", "in_progress", "resolved"):
        change_status(b, LEAD, s, at(18))
    confirm_resolved(b, AGENT, at(19), SECRET, resolved=False, comment="Still the old prices.")
    assert b.status is Status.in_progress and b.confirmed_by_author is False
    assert b.thread[-1].role == "author" and b.thread[-1].name is None
    assert you_said_we_did([b]) == []
    with pytest.raises(BarrierError, match="not resolved"):
        confirm_resolved(b, AGENT, at(19), SECRET)


def test_thread_is_for_author_and_leaders_only() -> None:
    b = anonymous_barrier()
    with pytest.raises(BarrierError, match="only the author"):
        post_message(b, COLLEAGUE, "Me as well!", at(17), SECRET)
    with pytest.raises(BarrierError, match="only the author"):
        thread_view(b, COLLEAGUE, SECRET)
    with pytest.raises(BarrierError):
        post_message(b, LEAD, "   ", at(17), SECRET)


def test_me_too_counts_people_once_and_not_the_author() -> None:
    b = anonymous_barrier()
    assert add_me_too(b, COLLEAGUE, SECRET) == 1
    assert add_me_too(b, COLLEAGUE, SECRET) == 1
    assert add_me_too(b, LEAD, SECRET) == 2
    with pytest.raises(BarrierError, match="already counted"):
        add_me_too(b, AGENT, SECRET)
    assert COLLEAGUE.id not in repr(b) and b.public()["me_too"] == 2


def test_working_days_skip_weekends() -> None:
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1) == date(2026, 11, 23)
    assert add_working_days(friday, 5) == date(2026, 11, 27)
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # from a Saturday
    assert add_working_days(friday, 2, holidays=[date(2026, 11, 23)]) == date(2026, 11, 25)
    assert add_working_days(friday, 0) == friday


def test_response_target_and_overdue_flags() -> None:
    b = anonymous_barrier()  # raised Monday 16 Nov
    assert response_due(b) == date(2026, 11, 23)
    assert response_due(b, target_days=2) == date(2026, 11, 18)
    assert not is_overdue(b, at(23, 17))
    assert is_overdue(b, at(24, 8))
    assert is_overdue(b, at(19), target_days=2)
    answered = anonymous_barrier(barrier_id="B-20")
    post_message(answered, LEAD, "On it.", at(25), SECRET)
    assert not is_overdue(answered, at(30))
    acknowledged = anonymous_barrier(barrier_id="B-21")
    change_status(acknowledged, LEAD, "acknowledged", at(17))
    assert overdue([answered, b, acknowledged], at(30)) == [b]


def test_board_lists_resolved_newest_first() -> None:
    older = anonymous_barrier(barrier_id="B-1")
    newer = anonymous_barrier(barrier_id="B-2", text="Shift swaps need three approvals.",
                              category="scheduling")
    open_one = anonymous_barrier(barrier_id="B-3")
    for b, day in ((older, 18), (newer, 20)):
        for s in ("acknowledged", "in_progress"):
            change_status(b, LEAD, s, at(17))
        post_message(b, LEAD, "Approvals cut to one.", at(day), SECRET)
        change_status(b, LEAD, "resolved", at(day))
    board = you_said_we_did([older, open_one, newer])
    assert [r.barrier_id for r in board] == ["B-2", "B-1"]
    assert board[0].we_did == "Approvals cut to one." and board[0].you_said.startswith("Shift")
    confirm_resolved(older, AGENT, at(21), SECRET)
    assert [r.barrier_id for r in you_said_we_did([older, newer], confirmed_only=True)] == ["B-1"]


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(BarrierError, match="unknown category"):
        anonymous_barrier(category="coffee")
    with pytest.raises(BarrierError, match="at least 5"):
        anonymous_barrier(text="meh")
    with pytest.raises(BarrierError, match="secret"):
        anonymous_barrier(secret="")


def test_no_barrier_error_names_the_anonymous_author() -> None:
    b = anonymous_barrier()
    attempts = [
        lambda: change_status(b, LEAD, "resolved", at(17)),
        lambda: confirm_resolved(b, LEAD, at(17), SECRET),
        lambda: confirm_resolved(b, AGENT, at(17), SECRET),
        lambda: post_message(b, COLLEAGUE, "hi", at(17), SECRET),
        lambda: add_me_too(b, AGENT, SECRET),
        lambda: thread_view(b, COLLEAGUE, SECRET),
    ]
    for attempt in attempts:
        with pytest.raises(BarrierError) as info:
            attempt()
        assert not leaks(str(info.value)) and not leaks(repr(info.value))


# --- leadership feedback ----------------------------------------------------------------------


def _decision() -> LeadershipDecision:
    return leadership_decision("D-3", "Lunch breaks move to a fixed rota", date(2026, 10, 5))


def _ratings(decision: LeadershipDecision, n: int, comments: int = 0) -> list[DecisionFeedback]:
    out = []
    for i in range(n):
        out.append(
            rate_decision(
                decision,
                respondent=respondent_key(f"agent-{i}", SECRET, purpose="leadership"),
                team="Harbour" if i % 2 else "Summit",
                day=date(2026, 10, 6 + i % 10),
                rating=1 + i % 5,
                comment=f"thoughts number {i}" if i < comments else None,
            )
        )
    return out


def test_leadership_feedback_is_aggregated_after_the_window_closes() -> None:
    d = _decision()
    assert d.closes_on == date(2026, 10, 18)
    feedback = _ratings(d, 10, comments=10)
    during = decision_summary(d, feedback, date(2026, 10, 12))
    assert during["ratings"]["hidden"] is True  # type: ignore[index]
    after = decision_summary(d, feedback, date(2026, 10, 20))
    ratings = after["ratings"]
    assert ratings["hidden"] is False and ratings["mean_rating"] == 3.0  # type: ignore[index]
    assert ratings["agree_pct"] == 40.0 and ratings["respondents"] == 10  # type: ignore[index]
    assert after["comments"]["hidden"] is False  # type: ignore[index]
    by_team = decision_summary(d, feedback, date(2026, 10, 20), query=Query.make(teams="Harbour"))
    assert by_team["ratings"]["hidden"] is False  # five in Harbour  # type: ignore[index]
    assert by_team["comments"]["hidden"] is True  # type: ignore[index]


def test_leadership_feedback_uses_the_same_thresholds() -> None:
    d = _decision()
    summary = decision_summary(d, _ratings(d, 4, comments=4), date(2026, 10, 20))
    assert summary["ratings"]["hidden"] is True  # type: ignore[index]
    assert summary["comments"]["hidden"] is True  # type: ignore[index]
    with pytest.raises(ValueError):
        decision_summary(d, [], date(2026, 10, 20), min_scores=2)


def test_rating_rules_and_leader_response() -> None:
    d = _decision()
    key = respondent_key("agent-1", SECRET, purpose="leadership")
    with pytest.raises(BarrierError, match="1 to 5"):
        rate_decision(d, respondent=key, team="Harbour", day=date(2026, 10, 6), rating=6)
    with pytest.raises(BarrierError, match="open from"):
        rate_decision(d, respondent=key, team="Harbour", day=date(2026, 10, 30), rating=3)
    fb = rate_decision(d, respondent=key, team="Harbour", day=date(2026, 10, 6), rating=2,
                       comment="We lost the flexibility to cover each other.")
    assert key not in repr(fb) and "flexibility" not in repr(fb) and "rating=2" not in repr(fb)
    with pytest.raises(BarrierError):
        respond_to_feedback(d, COLLEAGUE, "I agree", at(1))
    respond_to_feedback(d, MANAGER, "We'll keep swaps allowed within the team.", at(1))
    summary = decision_summary(d, [fb], date(2026, 10, 20))
    assert summary["responses"] == [  # type: ignore[comparison-overlap]
        {"name": "Sam Whitlock", "role": "manager",
         "text": "We'll keep swaps allowed within the team.", "at": at(1).isoformat()}
    ]
