"""Weekly pulse, eNPS, series and team check-ins."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from heartline.demo import generate
from heartline.people.anonymity import Query, respondent_key, tenure_band
from heartline.people.pulse import (
    CHECKIN_PROMPTS,
    ENPS,
    ROTATING,
    WELLBEING,
    PulseError,
    PulseResponse,
    checkin,
    enps,
    is_open,
    pulse_results,
    pulse_series,
    submit,
    summarise,
    validate,
    weekly_pulse,
)

SECRET = "pulse-test-secret"


def test_enps_is_promoters_minus_detractors() -> None:
    # 4 promoters (9, 10, 9, 10), 3 passives (7, 8, 8), 3 detractors (0, 5, 6) of 10.
    result = enps([9, 10, 9, 10, 7, 8, 8, 0, 5, 6])
    assert result.score == pytest.approx(10.0)
    assert (result.promoters_pct, result.passives_pct, result.detractors_pct) == (40, 30, 30)
    assert enps([10, 10]).score == 100 and enps([6, 0]).score == -100 and enps([7, 8]).score == 0
    with pytest.raises(PulseError):
        enps([])
    with pytest.raises(PulseError):
        enps([11])


def test_every_pulse_has_enps_wellbeing_and_rotating_questions() -> None:
    for offset in range(0, 120, 7):
        form = weekly_pulse(date(2026, 1, 5) + timedelta(days=offset))
        assert form.questions[:2] == (ENPS, WELLBEING)
        assert 3 <= len(form.questions) <= 5
        assert len({q.id for q in form.questions}) == len(form.questions)
    assert ENPS.text.lower().startswith("how likely are you to recommend working here")
    assert WELLBEING.text == "How are you really doing?"
    for rotating in (1, 3):
        assert len(weekly_pulse(date(2026, 11, 20), rotating=rotating).questions) == 2 + rotating
    with pytest.raises(PulseError):
        weekly_pulse(date(2026, 11, 20), rotating=4)


def test_rotation_is_by_iso_week_and_covers_the_bank() -> None:
    monday = date(2026, 11, 16)
    same_week = {weekly_pulse(monday + timedelta(days=d)).questions for d in range(7)}
    assert len(same_week) == 1
    assert weekly_pulse(monday).week == "2026-W47"
    assert weekly_pulse(monday).questions != weekly_pulse(monday + timedelta(days=7)).questions
    weeks = [weekly_pulse(monday + timedelta(weeks=w)) for w in range(len(ROTATING))]
    seen = {q.id for form in weeks for q in form.questions}
    assert {q.id for q in ROTATING} <= seen


def test_answers_are_checked_against_their_week() -> None:
    day = date(2026, 11, 18)
    form = weekly_pulse(day)
    rotating = form.questions[2].id
    ok = PulseResponse("k", "Harbour", day, {"enps": 9, "wellbeing": 2, rotating: 4})
    assert validate(ok) is ok
    for answers in ({"enps": 11}, {"wellbeing": 0}, {"enps": 7.5}, {"not-this-week": 3}):
        with pytest.raises(PulseError):
            validate(PulseResponse("k", "Harbour", day, answers))  # type: ignore[arg-type]
    with pytest.raises(PulseError, match="empty"):
        validate(PulseResponse("k", "Harbour", day, {}, comment="  "))


def test_a_closed_week_takes_no_more_answers() -> None:
    day = date(2026, 11, 18)
    response = PulseResponse("k", "Harbour", day, {"enps": 8})
    assert is_open("2026-W47", datetime(2026, 11, 22, 23, 59, tzinfo=UTC))
    assert submit(response, date(2026, 11, 22)) is response
    with pytest.raises(PulseError, match="closed"):
        submit(response, date(2026, 11, 23))


def test_summary_figures() -> None:
    figures = summarise({"enps": [10, 3, 9], "wellbeing": [4, 2], "tools": [5]})
    assert figures["enps"] == pytest.approx(33.3)
    assert figures["wellbeing"] == 3.0
    assert figures["questions"] == {  # type: ignore[comparison-overlap]
        "tools": {"mean": 5.0, "answers": 1},
        "wellbeing": {"mean": 3.0, "answers": 2},
    }


def _demo_responses() -> tuple[list[PulseResponse], dict[str, str]]:
    """A deterministic pulse history for the demo organisation (answers vary by agent and week)."""
    org = generate(seed=7, end=date(2026, 11, 20))
    teams = {t.id: t.name for t in org.teams}
    out: list[PulseResponse] = []
    mondays = [date(2026, 9, 7) + timedelta(weeks=w) for w in range(11)]
    for n, agent in enumerate(sorted(org.agents, key=lambda a: a.id)):
        for w, monday in enumerate(mondays):
            if (n + w) % 4 == 0:  # about three in four answer each week
                continue
            day = monday + timedelta(days=(n + w) % 5)
            form = weekly_pulse(day)
            answers = {"enps": (n * 3 + w) % 11, "wellbeing": 1 + (n + 2 * w) % 5}
            answers[form.questions[2].id] = 1 + (n * w) % 5
            out.append(
                PulseResponse(
                    respondent=respondent_key(agent.id, SECRET),
                    team=teams.get(agent.team or "", agent.team or "none"),
                    day=day,
                    answers=answers,
                    comment=f"week {w}: {'calls were long' if n % 2 else 'good support'}",
                    tenure=tenure_band(agent.hired_on, day),
                )
            )
    return out, teams


def test_results_for_the_demo_organisation_over_time() -> None:
    responses, teams = _demo_responses()
    team = sorted(teams.values())[0]
    series = pulse_series(responses, Query.make(teams=team), as_of=date(2026, 11, 20))
    assert [p.period for p in series] == ["2026-09", "2026-10", "2026-11"]
    closed, still_open = series[:2], series[2]
    assert all(p.enps is not None and -100 <= p.enps <= 100 for p in closed)
    assert all(p.wellbeing is not None and 1 <= p.wellbeing <= 5 for p in closed)
    assert still_open.enps is None and "still open" in still_open.result.to_dict()["reason"]
    result = pulse_results(
        responses,
        Query.make(teams=team, start=date(2026, 10, 1), end=date(2026, 10, 31)),
        as_of=date(2026, 11, 20),
    )
    assert result["scores"]["hidden"] is False  # type: ignore[index]
    expected = [r for r in responses if r.team == team and r.day.month == 10]
    assert result["scores"]["responses"] == len(expected)  # type: ignore[index]
    weekly = pulse_series(responses, grain="week", as_of=date(2026, 11, 20))
    assert len(weekly) == 11 and weekly[-1].result.to_dict()["hidden"] is True  # W47 is open


def test_checkin_prompts_and_notes() -> None:
    c = checkin("Harbour", date(2026, 11, 18), extra=["What should we stop doing?", " "])
    assert c.prompts[:3] == CHECKIN_PROMPTS == (
        "What made a call tough this week?",
        "Where do you feel stuck?",
        "How can we support each other more?",
    )
    assert c.prompts[3:] == ("What should we stop doing?",) and c.minutes == 10
    assert c.week == "2026-W47"
    note = c.add_note("lead-priya", "Outage calls ran long; we'll ask for a status page.",
                      datetime(2026, 11, 18, 10, tzinfo=UTC))
    assert c.notes == [note]
    with pytest.raises(PulseError):
        c.add_note("lead-priya", "   ", datetime(2026, 11, 18, tzinfo=UTC))
