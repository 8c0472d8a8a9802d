"""Burnout and attrition risk over hand-built shifts, leader actions and privacy.

The fixture: three agents of team harbour, a 7-day window (21-27 Sep 2026) and
a 7-day baseline (14-20 Sep).  Ben and Cai work three ordinary shifts in each
week with one contact of difficulty 40.  Ana works the same in the baseline
week, then six long shifts in the window, each with three contacts of 80 back
to back, at 90 % occupancy, 60 minutes' overtime, half her breaks skipped and
87 % adherence.  Every expected figure below is worked out by hand in the
comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from heartline.domain import Agent, Shift
from heartline.insights.risk import (
    ActionTaken,
    CheckIn,
    RiskAssessment,
    RiskModel,
    RiskScore,
    Viewer,
    WorkloadHistory,
    assess,
    before_after,
    can_view,
    suggest_actions,
    visible_breaks,
    wellbeing_view,
)
from heartline.insights.wellbeing import BreakTaken, ScoredContact, recommend_breaks

MODEL = RiskModel(window_days=7, baseline_days=7)
AS_OF = date(2026, 9, 27)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def ordinary(agent: str, day: date) -> tuple[Shift, list[ScoredContact]]:
    s = Shift(
        agent_id=agent, day=day, start=at(day, 9), end=at(day, 17), scheduled_minutes=480,
        occupancy_pct=80, adherence_pct=95, break_minutes=60, overtime_minutes=0,
    )
    c = ScoredContact(f"{agent}-{day:%d}", agent, at(day, 10), at(day, 10, 10), 40, team="harbour")
    return s, [c]


def heavy(agent: str, day: date) -> tuple[Shift, list[ScoredContact]]:
    s = Shift(
        agent_id=agent, day=day, start=at(day, 9), end=at(day, 18), scheduled_minutes=480,
        occupancy_pct=90, adherence_pct=87, break_minutes=30, overtime_minutes=60,
    )
    calls = [
        ScoredContact(f"{agent}-{day:%d}-{k}", agent, at(day, 10, 12 * k), at(day, 10, 12 * k + 10), 80, team="harbour")
        for k in range(3)
    ]
    return s, calls


def build(extra: list[tuple[Shift, list[ScoredContact]]] = (), **kw: object) -> WorkloadHistory:  # type: ignore[assignment]
    base_days = [date(2026, 9, d) for d in (15, 16, 17)]
    window_days = [date(2026, 9, d) for d in (22, 23, 24)]
    parts = []
    for agent in ("ben", "cai"):
        parts += [ordinary(agent, d) for d in base_days + window_days]
    parts += [ordinary("ana", d) for d in base_days]
    parts += [heavy("ana", date(2026, 9, d)) for d in range(22, 28)]
    parts += list(extra)
    agents = [
        Agent(id="ana", name="Ana", team="harbour", hired_on=AS_OF - timedelta(days=90)),
        Agent(id="ben", name="Ben", team="harbour", hired_on=date(2020, 1, 6)),
        Agent(id="cai", name="Cai", team="harbour"),
    ]
    return WorkloadHistory(
        contacts=[c for _, cs in parts for c in cs],
        shifts=[s for s, _ in parts],
        agents=agents,
        **kw,  # type: ignore[arg-type]
    )


def by_agent(results: list[RiskAssessment]) -> dict[str, RiskAssessment]:
    return {r.agent_id: r for r in results}


# Ana's burnout pressures (weights 15,15,15,15,10,5,10,5 = 90 without check-ins):
#   load_level: 1440 difficulty / 54 h = 26.67/h vs the peer median 5/h -> ratio 5.33 -> 1
#   load_trend: daily 240 vs 40 before -> +500 % -> 1
#   heavy_runs: run of 3 per shift -> (3 - 1) / 3 = 2/3
#   occupancy: (90 - 70) / 25 = 0.8
#   overtime: 60 min / 60 = 1;  days_worked: 6 per week -> (6 - 5) / 1.5 = 2/3
#   breaks_skipped: 30 of 60 taken -> 0.5 skipped / 0.5 = 1;  adherence: (92 - 87) / 10 = 0.5
ANA_POINTS = 15 + 15 + 15 * 2 / 3 + 15 * 0.8 + 10 + 5 * 2 / 3 + 10 + 5 * 0.5
ANA_BURNOUT = 100 * ANA_POINTS / 90


def test_burnout_score_band_and_drivers_match_the_hand_computation() -> None:
    results = assess(build(), AS_OF, MODEL)
    assert [r.agent_id for r in results][0] == "ana"
    ana = by_agent(results)["ana"]
    assert ana.shifts == 6
    assert ana.burnout.score == pytest.approx(ANA_BURNOUT, abs=0.01)  # 86.48
    assert ana.burnout.band == "red"
    assert ana.burnout.missing == ("checkin",)
    assert [d.signal for d in ana.burnout.top()] == ["load_level", "load_trend", "occupancy"]
    assert ana.burnout.top()[0].contribution == pytest.approx(100 * 15 / 90, abs=0.01)
    assert sum(d.contribution for d in ana.burnout.drivers) == pytest.approx(ana.burnout.score, abs=0.05)
    pressures = {d.signal: d.pressure for d in ana.burnout.drivers}
    assert pressures["heavy_runs"] == pytest.approx(2 / 3, abs=1e-3)
    assert pressures["days_worked"] == pytest.approx(2 / 3, abs=1e-3)
    assert pressures["adherence"] == pytest.approx(0.5)
    assert "occupancy 90.0% over 6 shifts" in ana.burnout.explanation


def test_ordinary_agents_are_green() -> None:
    ben = by_agent(assess(build(), AS_OF, MODEL))["ben"]
    # only occupancy presses: (80 - 70) / 25 = 0.4 at weight 15 of 90
    assert ben.burnout.score == pytest.approx(100 * 15 * 0.4 / 90, abs=0.01)
    assert ben.burnout.band == "green"
    assert [d.signal for d in ben.burnout.top()] == ["occupancy"]


def test_attrition_score_weighs_burnout_tenure_and_schedule() -> None:
    ana = by_agent(assess(build(), AS_OF, MODEL))["ana"]
    # burnout 0.8648 x 40, tenure 90 days -> 1 x 15, overtime 1 x 10, days 2/3 x 10,
    # load_trend 1 x 5; no check-ins: weights 80
    expected = 100 * (40 * ANA_BURNOUT / 100 + 15 + 10 + 10 * 2 / 3 + 5) / 80
    assert ana.attrition.score == pytest.approx(expected, abs=0.02)  # 89.07
    assert ana.attrition.band == "red"
    assert ana.attrition.missing == ("checkin_stay",)
    cai = by_agent(assess(build(), AS_OF, MODEL))["cai"]
    assert "tenure" not in {d.signal for d in cai.attrition.drivers}  # no hire date, no tenure signal


@pytest.mark.parametrize(
    ("score", "band"), [(0, "green"), (39.99, "green"), (40, "amber"), (64.99, "amber"), (65, "red"), (100, "red")]
)
def test_band_limits(score: float, band: str) -> None:
    assert RiskModel().band(score) == band


def test_amber_from_a_single_signal_model() -> None:
    # with occupancy the only burnout signal, Ben's 0.4 is exactly 40: amber
    model = RiskModel(window_days=7, baseline_days=7, burnout_weights={"occupancy": 1})
    ben = by_agent(assess(build(), AS_OF, model))["ben"]
    assert (ben.burnout.score, ben.burnout.band) == (40.0, "amber")


def test_only_consented_check_ins_count() -> None:
    answers = {"workload": 2, "recovery": 1, "support": 3, "stay": 2}
    private = build(checkins=[CheckIn("ben", date(2026, 9, 25), consented=False, answers=answers)])
    shared = build(checkins=[CheckIn("ben", date(2026, 9, 25), consented=True, answers=answers)])
    ben_private = by_agent(assess(private, AS_OF, MODEL))["ben"]
    assert ben_private.burnout.score == pytest.approx(100 * 6 / 90, abs=0.01)
    assert "checkin" in ben_private.burnout.missing
    ben = by_agent(assess(shared, AS_OF, MODEL))["ben"]
    # workload/recovery/support mean 2 -> (5 - 2) / 4 = 0.75 at weight 10; all weights 100
    assert ben.burnout.score == pytest.approx(6 + 7.5, abs=0.01)
    # attrition: stay 2 and support 3 -> mean 2.5 -> 0.625 at weight 20; tenure 0 (hired 2020)
    burnout_p = 0.135
    expected = 100 * (40 * burnout_p + 20 * 0.625) / 100
    assert ben.attrition.score == pytest.approx(expected, abs=0.02)
    assert ben.attrition.top()[0].signal == "checkin_stay"


def test_skipped_resilience_breaks_join_the_shift_breaks() -> None:
    history = build()
    recs = recommend_breaks(history.contacts)  # Ana: 3 x 80 in a row on each of 6 days
    ana_recs = [r for r in recs if r.agent_id == "ana"]
    assert len(ana_recs) == 18  # each 80 is a single heavy call, the third also ends a streak
    with_breaks = build(recommendations=recs, breaks_taken=[])
    ben = by_agent(assess(with_breaks, AS_OF, MODEL))["ben"]
    assert ben.burnout.score == pytest.approx(100 * 6 / 90, abs=0.01)  # Ben earned none
    # Ana: shift breaks 0.5 skipped, resilience breaks all skipped -> mean 0.75 -> pressure 1
    ana = by_agent(assess(with_breaks, AS_OF, MODEL))["ana"]
    skipped = next(d for d in ana.burnout.drivers if d.signal == "breaks_skipped")
    assert skipped.value == pytest.approx(0.75)
    assert "100% of resilience breaks skipped" in skipped.detail
    # had she taken them all, shift breaks alone: 0.5
    taken = [BreakTaken("ana", r.start, r.end) for r in ana_recs]
    ana2 = by_agent(assess(build(recommendations=recs, breaks_taken=taken), AS_OF, MODEL))["ana"]
    assert next(d for d in ana2.burnout.drivers if d.signal == "breaks_skipped").value == pytest.approx(0.25)


def test_too_few_shifts_give_no_band() -> None:
    results = by_agent(assess(build(), AS_OF, RiskModel(window_days=7, baseline_days=7, min_shifts=4)))
    assert results["ben"].shifts == 3 and results["ben"].burnout.band is None
    assert results["ana"].burnout.band == "red"
    assert "not enough shifts" in results["ben"].burnout.explanation


def test_the_past_is_scored_only_from_the_past() -> None:
    # as of 20 Sep nobody had a heavy week yet
    early = by_agent(assess(build(), date(2026, 9, 20), MODEL))
    assert early["ana"].burnout.score == pytest.approx(early["ben"].burnout.score)


def test_leader_actions_follow_the_drivers() -> None:
    ana = by_agent(assess(build(), AS_OF, MODEL))["ana"]
    actions = suggest_actions(ana)
    # rotate: load_level 16.7 + load_trend 16.7 + heavy_runs 11.1; protect_break: occupancy 13.3
    # + breaks 11.1; shield: overtime 11.1 + days_worked (attrition) 8.3; check-in: tenure 18.75
    assert [a.action for a in actions] == [
        "rotate_off_escalation_queue", "protect_break", "shield_from_overtime", "checkin_conversation",
    ]
    assert [d.signal for d in actions[0].because] == ["load_level", "load_trend", "heavy_runs"]
    ben = by_agent(assess(build(), AS_OF, MODEL))["ben"]
    # Ben: occupancy adds 6.7 points -> protect a break; green, so no check-in is pushed
    assert [a.action for a in suggest_actions(ben)] == ["protect_break"]


def test_action_records_refuse_unknown_actions() -> None:
    with pytest.raises(ValueError, match="unknown leader action"):
        ActionTaken("ana", "fire_them", "lead-1", at(AS_OF, 9))


def test_before_and_after_an_action() -> None:
    lighter = [ordinary("ana", date(2026, 9, d)) for d in (28, 29, 30)]
    history = build(extra=lighter)
    action = ActionTaken("ana", "rotate_off_escalation_queue", "priya", at(date(2026, 9, 28), 8))
    ba = before_after(history, action, days=7, model=MODEL)
    assert (ba.load_before, ba.load_after) == (240, 40)
    assert (ba.heavy_run_before, ba.heavy_run_after) == (3, 0)
    assert ba.load_change == -200
    # before: scored as of 27 Sep over 7 days = the red score above
    assert ba.burnout_before == pytest.approx(ANA_BURNOUT, abs=0.01)
    # after: 28 Sep - 4 Oct, three ordinary shifts, she is the only one working, load below
    # her baseline: only occupancy presses -> 6.67
    assert ba.burnout_after == pytest.approx(100 * 6 / 90, abs=0.01)
    assert ba.burnout_change is not None and ba.burnout_change < -70
    # no shifts after the action: nothing to compare
    quiet = before_after(build(), action, days=7, model=MODEL)
    assert quiet.load_after is None and quiet.burnout_after is None and quiet.burnout_change is None


# ------------------------------------------------------------------ privacy


def score(kind: str, value: float) -> RiskScore:
    return RiskScore(kind=kind, score=value, band=RiskModel().band(value), drivers=(), missing=())  # type: ignore[arg-type]


def person(agent: str, team: str, burnout: float, attrition: float = 10) -> RiskAssessment:
    return RiskAssessment(agent, team, AS_OF, 10, score("burnout", burnout), score("attrition", attrition))


TEAM = [
    person("h1", "harbour", 80),  # red
    person("h2", "harbour", 50),
    person("h3", "harbour", 10),
    person("h4", "harbour", 20),
    person("h5", "harbour", 30, attrition=70),  # red on attrition
    person("s1", "summit", 45),
    person("s2", "summit", 5),
]


def test_an_agent_sees_only_their_own() -> None:
    view = wellbeing_view(Viewer("agent", agent_id="h2"), TEAM)
    assert [r.agent_id for r in view.individuals] == ["h2"] and view.teams == ()


def test_a_lead_sees_their_team() -> None:
    view = wellbeing_view(Viewer("lead", teams=("summit",)), TEAM)
    assert [r.agent_id for r in view.individuals] == ["s1", "s2"]
    (agg,) = view.teams
    # two agents: below the minimum group of 5, only the head count
    assert (agg.team, agg.agents, agg.shown, agg.mean_burnout, agg.bands) == ("summit", 2, False, None, {})


def test_a_manager_sees_aggregates_and_only_red_individuals() -> None:
    view = wellbeing_view(Viewer("manager"), TEAM)
    assert [r.agent_id for r in view.individuals] == ["h1", "h5"]
    harbour, summit = view.teams
    assert harbour.shown and harbour.agents == 5
    assert harbour.mean_burnout == pytest.approx((80 + 50 + 10 + 20 + 30) / 5)
    assert harbour.mean_attrition == pytest.approx((10 * 4 + 70) / 5)
    assert harbour.bands == {"green": 3, "amber": 1, "red": 1}
    assert not summit.shown
    assert not can_view(Viewer("manager"), TEAM[1])
    assert can_view(Viewer("lead", teams=("harbour",)), TEAM[1])
    assert not can_view(Viewer("agent", agent_id="h1"), TEAM[1])


def test_viewers_must_say_who_they_are() -> None:
    with pytest.raises(ValueError):
        Viewer("agent")
    with pytest.raises(ValueError):
        Viewer("lead")
    with pytest.raises(ValueError):
        Viewer("director")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 3"):
        wellbeing_view(Viewer("manager"), TEAM, min_group=2)


def test_break_recommendations_reach_the_agent_and_their_lead_only() -> None:
    recs = recommend_breaks(build().contacts)  # all Ana's, team harbour
    assert recs and all(r.agent_id == "ana" for r in recs)
    assert visible_breaks(Viewer("agent", agent_id="ana"), recs) == recs
    assert visible_breaks(Viewer("agent", agent_id="ben"), recs) == []
    assert visible_breaks(Viewer("lead", teams=("harbour",)), recs) == recs
    assert visible_breaks(Viewer("lead", teams=("summit",)), recs) == []
    assert visible_breaks(Viewer("manager"), recs) == []


def test_the_docs_weights_and_bands_match_the_code() -> None:
    from pathlib import Path

    from heartline.insights.risk import ATTRITION_WEIGHTS, BURNOUT_WEIGHTS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "wellbeing.md").read_text()
    header = next(line for line in doc.splitlines() if line.startswith("| weights |"))
    names = [c.strip() for c in header.strip("|").split("|")][1:]
    for kind, weights in (("burnout", BURNOUT_WEIGHTS), ("attrition", ATTRITION_WEIGHTS)):
        row = next(line for line in doc.splitlines() if line.startswith(f"| {kind} |"))
        cells = [c.strip() for c in row.strip("|").split("|")][1:]
        documented = {n: float(c) for n, c in zip(names, cells, strict=True) if c}
        assert documented == weights, kind
    m = RiskModel()
    assert f"green below {m.amber_from:g}, amber from {m.amber_from:g}, red from {m.red_from:g}" in doc


def test_occupancy_falls_back_to_handled_time_when_wfm_has_none() -> None:
    day = date(2026, 9, 23)
    # 08:00-10:00, 20 minutes of breaks: 100 staffed minutes; contacts 08:00-09:00 and 09:10-09:30
    s = Shift(agent_id="dan", day=day, start=at(day, 8), end=at(day, 10), break_minutes=20)
    calls = [
        ScoredContact("d1", "dan", at(day, 8), at(day, 9), 20),
        ScoredContact("d2", "dan", at(day, 9, 10), at(day, 9, 30), 20),
    ]
    history = WorkloadHistory(contacts=calls, shifts=[s])
    (dan,) = assess(history, AS_OF, RiskModel(window_days=7, baseline_days=7, burnout_weights={"occupancy": 1}))
    # 80 busy of 100 staffed -> 80 % -> (80 - 70) / 25 = 0.4
    (driver,) = dan.burnout.drivers
    assert driver.value == pytest.approx(80.0)
    assert dan.burnout.score == pytest.approx(40.0)
    assert "1 computed from handled contacts" in driver.detail
