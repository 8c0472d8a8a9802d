"""Attempts to de-anonymise pulse and feedback results.  Every one of them must fail."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import UTC, date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heartline.people.anonymity import (
    MIN_FLOOR,
    AnonymityError,
    AnonymityGate,
    CommentsShown,
    Contribution,
    Hidden,
    Query,
    Shown,
    Thresholds,
    export_results,
    period_bounds,
    period_of,
    respondent_key,
    shift_band,
    tenure_band,
)
from heartline.people.pulse import PulseResponse, pulse_results, summarise

SECRET = "test-secret-for-respondent-keys"
OCT = (date(2026, 10, 1), date(2026, 10, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def key(name: str) -> str:
    return respondent_key(name, SECRET)


def person(
    name: str,
    team: str = "Harbour",
    day: date = date(2026, 10, 14),
    *,
    score: float = 8,
    tenure: str = "over 2 years",
    shift: str = "day",
    comment: str | None = None,
) -> Contribution:
    return Contribution(
        respondent=key(name),
        team=team,
        day=day,
        tenure=tenure,
        shift=shift,
        scores={"enps": score, "wellbeing": 3},
        comment=comment,
    )


def team_of(n: int, team: str = "Harbour", **kwargs: object) -> list[Contribution]:
    return [person(f"{team}-agent-{i}", team, **kwargs) for i in range(n)]  # type: ignore[arg-type]


def included(gate: AnonymityGate, query: Query, kind: str = "score:enps") -> set[int]:
    selection = gate._select(query, kind)
    if isinstance(selection, Hidden):
        return set()
    return {id(c) for c in selection.items}


# --- thresholds -----------------------------------------------------------------------------


def test_defaults_follow_design() -> None:
    t = Thresholds()
    assert (t.min_scores, t.min_comments) == (5, 10)


@pytest.mark.parametrize("low", [2, 1, 0, -5])
def test_thresholds_can_never_go_below_three(low: int) -> None:
    with pytest.raises(AnonymityError, match="never be below 3"):
        Thresholds(min_scores=low)
    with pytest.raises(AnonymityError, match="never be below 3"):
        Thresholds(min_comments=low)
    with pytest.raises(AnonymityError):
        pulse_results([], Query(), min_scores=low)


def test_thresholds_are_configurable_from_the_floor_up() -> None:
    people = team_of(3)
    gate = AnonymityGate(people, thresholds=Thresholds(MIN_FLOOR, MIN_FLOOR))
    assert isinstance(gate.scores(Query.make(teams="Harbour"), summarise), Shown)
    strict = AnonymityGate(team_of(7), thresholds=Thresholds(8, 12))
    assert isinstance(strict.scores(Query.make(teams="Harbour"), summarise), Hidden)


def test_respondent_keys_are_opaque_and_per_purpose() -> None:
    a = respondent_key("agent-017", SECRET)
    assert a == respondent_key("agent-017", SECRET)
    assert "017" not in a and "agent" not in a
    assert a != respondent_key("agent-017", SECRET, purpose="leadership")
    assert a != respondent_key("agent-017", "another-secret")
    with pytest.raises(AnonymityError):
        respondent_key("agent-017", "")


def test_bands() -> None:
    assert tenure_band(date(2026, 6, 15), date(2026, 11, 20)) == "under 6 months"
    assert tenure_band(date(2026, 5, 20), date(2026, 11, 20)) == "6 to 24 months"
    assert tenure_band(date(2026, 5, 21), date(2026, 11, 20)) == "under 6 months"
    assert tenure_band(date(2020, 1, 1), date(2026, 11, 20)) == "over 2 years"
    assert tenure_band(None, date(2026, 11, 20)) == "unknown"
    assert [shift_band(h) for h in (6, 9, 12, 13, 22)] == ["early", "day", "day", "late", "late"]
    with pytest.raises(AnonymityError):
        shift_band(24)
    assert period_of(date(2026, 11, 20), "week") == "2026-W47"
    assert period_bounds("2026-W47", "week") == (date(2026, 11, 16), date(2026, 11, 22))
    assert period_bounds("2026-12", "month") == (date(2026, 12, 1), date(2026, 12, 31))


def test_queries_from_url_parameters() -> None:
    q = Query.from_params(team="Harbour, Summit", start="2026-10-01", end="2026-10-31",
                          tenure="", shift="late")
    assert q == Query(frozenset({"Harbour", "Summit"}), OCT[0], OCT[1], None, frozenset({"late"}))
    assert Query.from_params() == Query()
    with pytest.raises(AnonymityError, match="from must be a date"):
        Query.from_params(start="last week")
    with pytest.raises(AnonymityError, match="unknown shift band"):
        Query.from_params(shift="graveyard")


# --- attacks ---------------------------------------------------------------------------------


def test_small_team_is_hidden_with_a_reason() -> None:
    gate = AnonymityGate(team_of(4) + team_of(8, "Summit"))
    result = gate.scores(Query.make(teams="Harbour"), summarise)
    assert isinstance(result, Hidden)
    assert result.to_dict() == {"hidden": True, "reason": result.reason}
    assert "fewer than 5" in result.reason
    shown = gate.scores(Query.make(teams="Summit"), summarise)
    assert isinstance(shown, Shown) and shown.respondents == 8


def test_team_at_the_threshold_is_shown() -> None:
    gate = AnonymityGate(team_of(5))
    result = gate.scores(Query.make(teams="Harbour"), summarise)
    assert isinstance(result, Shown)
    assert result.to_dict()["enps"] == 0.0  # every 8 is a passive


def test_an_absent_team_looks_exactly_like_a_small_one() -> None:
    gate = AnonymityGate(team_of(2, "Meadow") + team_of(9))
    tiny = gate.scores(Query.make(teams="Meadow"), summarise)
    nobody = gate.scores(Query.make(teams="Nowhere"), summarise)
    assert isinstance(tiny, Hidden) and isinstance(nobody, Hidden)
    assert tiny.reason == nobody.reason


def test_narrow_date_range_is_refused() -> None:
    gate = AnonymityGate(team_of(9))
    for start, end in [
        (date(2026, 10, 14), date(2026, 10, 14)),
        (date(2026, 10, 1), date(2026, 10, 15)),
        (date(2026, 10, 2), date(2026, 10, 31)),
    ]:
        result = gate.scores(Query.make(teams="Harbour", start=start, end=end), summarise)
        assert isinstance(result, Hidden), (start, end)
        assert "whole months" in result.reason
    whole = gate.scores(Query.make(teams="Harbour", start=OCT[0], end=OCT[1]), summarise)
    assert isinstance(whole, Shown) and whole.respondents == 9


def test_weekly_grain_needs_monday_to_sunday() -> None:
    gate = AnonymityGate(team_of(6, day=date(2026, 11, 18)), grain="week")
    ok = gate.scores(Query.make(start=date(2026, 11, 16), end=date(2026, 11, 22)), summarise)
    assert isinstance(ok, Shown)
    narrow = gate.scores(Query.make(start=date(2026, 11, 18), end=date(2026, 11, 22)), summarise)
    assert isinstance(narrow, Hidden) and "Monday" in narrow.reason


def test_tenure_filter_cannot_single_out_the_new_starter() -> None:
    veterans = team_of(6)
    new_starter = person("new-starter", score=0, tenure="under 6 months")
    gate = AnonymityGate([*veterans, new_starter])
    team = gate.scores(Query.make(teams="Harbour"), summarise)
    assert isinstance(team, Shown) and team.respondents == 7
    for band in ("under 6 months", "over 2 years"):
        one_band = gate.scores(Query.make(teams="Harbour", tenure=band), summarise)
        assert isinstance(one_band, Hidden), band


def test_difference_of_two_overlapping_queries_reveals_nothing() -> None:
    # Six on the day shift and one on the late shift: "whole team" minus "day shift"
    # would be the late-shift agent's answer, if both were shown.
    day_shift = team_of(6)
    night_owl = person("night-owl", shift="late", score=0)
    gate = AnonymityGate([*day_shift, night_owl, *team_of(6, "Summit")])
    whole = gate.scores(Query.make(teams="Harbour"), summarise)
    days = gate.scores(Query.make(teams="Harbour", shifts="day"), summarise)
    assert isinstance(whole, Shown)
    assert isinstance(days, Hidden)
    # Across teams: (Harbour + Summit, day shift) minus (Summit) must not isolate anyone either.
    both_day = gate.scores(Query.make(teams=["Harbour", "Summit"], shifts="day"), summarise)
    summit = gate.scores(Query.make(teams="Summit"), summarise)
    assert isinstance(both_day, Shown) and isinstance(summit, Shown)
    assert both_day.partial and both_day.respondents == summit.respondents
    assert both_day.figures == summit.figures


def test_moving_the_date_window_cannot_isolate_a_late_answer() -> None:
    october = team_of(6, day=date(2026, 10, 10))
    lone_november = person("Harbour-agent-0", day=date(2026, 11, 3), score=0)
    gate = AnonymityGate([*october, lone_november])
    both = gate.scores(Query.make(start=OCT[0], end=NOV[1]), summarise)
    only_oct = gate.scores(Query.make(start=OCT[0], end=OCT[1]), summarise)
    only_nov = gate.scores(Query.make(start=NOV[0], end=NOV[1]), summarise)
    assert isinstance(both, Shown) and isinstance(only_oct, Shown)
    assert both.figures == only_oct.figures and both.responses == only_oct.responses
    assert isinstance(only_nov, Hidden)


def test_a_question_few_people_were_asked_stays_hidden() -> None:
    # Everyone answers eNPS; only two of six got this week's rotating "tools" question.
    answers = team_of(6)
    answers[0] = Contribution(key("Harbour-agent-0"), "Harbour", date(2026, 10, 14),
                              "over 2 years", "day", {"enps": 8, "tools": 1})
    answers[1] = Contribution(key("Harbour-agent-1"), "Harbour", date(2026, 10, 14),
                              "over 2 years", "day", {"enps": 8, "tools": 2})
    result = AnonymityGate(answers).scores(Query.make(teams="Harbour"), summarise)
    assert isinstance(result, Shown)
    assert "tools" not in result.figures["questions"]  # type: ignore[operator]
    # The four who had wellbeing (the two above only answered eNPS and tools) are too few too.
    assert "wellbeing" not in result.figures
    assert "wellbeing" not in result.figures["questions"]  # type: ignore[operator]
    assert result.figures["enps_breakdown"]["answers"] == 6  # type: ignore[index]


def test_open_period_note_does_not_depend_on_who_answered() -> None:
    gate = AnonymityGate(team_of(6, day=date(2026, 10, 10)), as_of=date(2026, 11, 20))
    result = gate.scores(Query(), summarise)
    assert isinstance(result, Shown) and any("still open" in n for n in result.notes)
    closed = gate.scores(Query.make(start=OCT[0], end=OCT[1]), summarise)
    assert isinstance(closed, Shown) and closed.notes == ()


def test_open_period_is_left_out_until_it_closes() -> None:
    answers = team_of(6, day=date(2026, 11, 3))
    during = AnonymityGate(answers, as_of=date(2026, 11, 20))
    result = during.scores(Query.make(teams="Harbour"), summarise)
    assert isinstance(result, Hidden) and "still open" in result.reason
    after = AnonymityGate(answers, as_of=date(2026, 12, 1))
    assert isinstance(after.scores(Query.make(teams="Harbour"), summarise), Shown)


def test_lead_who_is_also_a_respondent_needs_enough_others() -> None:
    # Five answers, but one of them is the lead's own: the lead would see four others.
    lead = person("lead-priya")
    agents = team_of(4)
    gate_for_lead = AnonymityGate([lead, *agents], viewer=key("lead-priya"))
    assert isinstance(gate_for_lead.scores(Query.make(teams="Harbour"), summarise), Hidden)
    gate_for_manager = AnonymityGate([lead, *agents], viewer=key("manager-sam"))
    assert isinstance(gate_for_manager.scores(Query.make(teams="Harbour"), summarise), Shown)


def test_lead_who_is_the_only_other_member_of_a_team() -> None:
    # Tiny team: its lead and one agent.  The lead can see org-wide results and their
    # own answer; neither "all teams" minus "Summit" nor any filter may give the agent's.
    tiny = [person("lead-ngozi", "Meadow"), person("meadow-solo", "Meadow", score=0)]
    summit = team_of(7, "Summit")
    gate = AnonymityGate([*tiny, *summit], viewer=key("lead-ngozi"))
    everyone = gate.scores(Query(), summarise)
    only_summit = gate.scores(Query.make(teams="Summit"), summarise)
    meadow = gate.scores(Query.make(teams="Meadow"), summarise)
    assert isinstance(everyone, Shown) and isinstance(only_summit, Shown)
    assert everyone.figures == only_summit.figures and everyone.responses == 7
    assert isinstance(meadow, Hidden)
    # Even with a generous floor of three, the lead's own answer does not count for them.
    floor = AnonymityGate(tiny + [person("meadow-2", "Meadow")], thresholds=Thresholds(3, 3),
                          viewer=key("lead-ngozi"))
    assert isinstance(floor.scores(Query.make(teams="Meadow"), summarise), Hidden)


def test_small_teams_pool_into_a_block_only_whole() -> None:
    gate = AnonymityGate(team_of(3, "Meadow") + team_of(3, "Delta") + team_of(6, "Summit"))
    everyone = gate.scores(Query(), summarise)
    assert isinstance(everyone, Shown) and everyone.respondents == 12 and not everyone.partial
    for teams in (["Meadow"], ["Delta"], ["Meadow", "Summit"], ["Delta", "Summit"]):
        result = gate.scores(Query.make(teams=teams), summarise)
        if isinstance(result, Shown):
            assert result.respondents == 6 and result.partial, teams
        else:
            assert "Summit" not in teams
    pair = gate.scores(Query.make(teams=["Meadow", "Delta"]), summarise)
    assert isinstance(pair, Shown) and pair.respondents == 6


def test_comments_need_ten_people() -> None:
    nine = [person(f"c{i}", comment=f"comment number {i}") for i in range(9)]
    gate = AnonymityGate(nine)
    assert isinstance(gate.scores(Query(), summarise), Shown)
    hidden = gate.comments(Query())
    assert isinstance(hidden, Hidden) and "fewer than 10" in hidden.reason
    ten = AnonymityGate([*nine, person("c9", comment="A lot of repeat callers this week")])
    shown = ten.comments(Query())
    assert isinstance(shown, CommentsShown) and shown.commenters == 10
    assert list(shown.comments) == sorted(shown.comments, key=lambda t: (t.casefold(), t))
    assert set(shown.to_dict()) == {"hidden", "commenters", "comments", "partial", "notes"}


def test_export_holds_only_gated_results() -> None:
    answers = team_of(4) + team_of(7, "Summit")
    gate = AnonymityGate(answers)
    rows = [(t, gate.scores(Query.make(teams=t), summarise)) for t in ("Harbour", "Summit")]
    text = export_results(rows)
    table = list(csv.DictReader(io.StringIO(text)))
    harbour, summit = table
    assert harbour["hidden"] == "True" and harbour["enps"] == "" and harbour["respondents"] == ""
    assert summit["hidden"] == "False" and summit["respondents"] == "7"
    as_json = json.loads(export_results(rows, fmt="json"))
    assert as_json[0] == {"label": "Harbour", **rows[0][1].to_dict()}
    for c in answers:
        assert c.respondent not in text
    with pytest.raises(AnonymityError, match="only results returned by the anonymity gate"):
        export_results([("raw", answers[0])])  # type: ignore[list-item]


def test_errors_and_reprs_never_carry_an_identity() -> None:
    secret_name = "agent-who-must-stay-hidden"
    k = key(secret_name)
    comment = "my lead keeps ignoring my break requests"
    c = person(secret_name, comment=comment)
    response = PulseResponse(k, "Harbour", date(2026, 11, 18), {"enps": 3}, comment)
    gate = AnonymityGate([c] * 3, viewer=k)
    texts = [repr(c), str(c), repr(response), str(response), repr(gate), str(gate),
             repr(gate._select(Query(), "score:enps")), repr(Query())]
    for text in texts:
        assert k not in text and secret_name not in text and comment not in text, text
        assert "enps" not in text
    failures: list[Exception] = []
    for bad in (
        lambda: Contribution(k, "Harbour", date(2026, 11, 2), tenure="a decade"),
        lambda: Contribution(k, "", date(2026, 11, 2)),
        lambda: Query.make(tenure="forever"),
        lambda: Query.make(start=NOV[1], end=NOV[0]),
        lambda: AnonymityGate([c], grain="day"),  # type: ignore[arg-type]
        lambda: export_results([("x", c)]),  # type: ignore[list-item]
    ):
        with pytest.raises(AnonymityError) as info:
            bad()
        failures.append(info.value)
    for error in failures:
        assert k not in str(error) and secret_name not in str(error) and comment not in str(error)
    hidden = gate.scores(Query(), summarise)
    assert isinstance(hidden, Hidden) and k not in json.dumps(hidden.to_dict())


def test_results_never_include_keys_dates_or_single_answers() -> None:
    answers = [person(f"a{i}", score=i, comment=f"note {i}") for i in range(11)]
    gate = AnonymityGate(answers)
    payload = json.dumps(
        {"s": gate.scores(Query(), summarise).to_dict(), "c": gate.comments(Query()).to_dict()}
    )
    for c in answers:
        assert c.respondent not in payload
    assert "2026-10-14" not in payload


# --- property-based search for a way through ---------------------------------------------------

TEAMS = ("Harbour", "Summit", "Meadow")
TENURES = ("under 6 months", "6 to 24 months", "over 2 years")
SHIFTS = ("early", "day", "late")
MONTHS = ((9, 30), (10, 31), (11, 30))


@st.composite
def populations(draw: st.DrawFn) -> list[Contribution]:
    n = draw(st.integers(1, 28))
    out: list[Contribution] = []
    for i in range(n):
        team = draw(st.sampled_from(TEAMS))
        tenure = draw(st.sampled_from(TENURES))
        shift = draw(st.sampled_from(SHIFTS))
        months = draw(st.lists(st.sampled_from(range(3)), min_size=1, max_size=3, unique=True))
        for m in months:
            month, _ = MONTHS[m]
            day = draw(st.integers(1, 28))
            # Someone may move shift within the window.
            moved = draw(st.sampled_from((shift, shift, draw(st.sampled_from(SHIFTS)))))
            out.append(
                Contribution(
                    respondent=f"k{i:02d}",
                    team=team,
                    day=date(2026, month, day),
                    tenure=tenure,
                    shift=moved,
                    scores={
                        "enps": draw(st.integers(0, 10)),
                        # A rotating question only some people were asked.
                        **({"tools": draw(st.integers(1, 5))} if draw(st.booleans()) else {}),
                    },
                    comment=draw(st.sampled_from((None, f"comment {i}-{m}"))),
                )
            )
    return out


@st.composite
def queries(draw: st.DrawFn) -> Query:
    def subset(options: tuple[str, ...]) -> frozenset[str] | None:
        return draw(
            st.one_of(st.none(), st.frozensets(st.sampled_from(options), min_size=1))
        )

    start = end = None
    if draw(st.booleans()):
        first = draw(st.integers(0, 2))
        last = draw(st.integers(first, 2))
        start = date(2026, MONTHS[first][0], 1)
        end = date(2026, MONTHS[last][0], MONTHS[last][1])
        if draw(st.integers(0, 5)) == 0:  # now and then, try a narrow window
            month, days = MONTHS[first]
            day = draw(st.integers(1, 28))
            start = date(2026, month, day)
            end = date(2026, month, draw(st.integers(max(day, days - 3), days)))
    return Query(subset(TEAMS), start, end, subset(TENURES), subset(SHIFTS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    population=populations(),
    asked=st.lists(queries(), min_size=2, max_size=6),
    k=st.integers(3, 6),
    viewer_index=st.one_of(st.none(), st.integers(0, 27)),
)
def test_no_filter_combination_or_difference_gets_below_the_threshold(
    population: list[Contribution], asked: list[Query], k: int, viewer_index: int | None
) -> None:
    viewer = f"k{viewer_index:02d}" if viewer_index is not None else None
    gate = AnonymityGate(population, thresholds=Thresholds(k, k + 2), viewer=viewer)
    by_id = {id(c): c for c in population}

    def others(ids: set[int]) -> int:
        return len({by_id[i].respondent for i in ids} - {viewer})

    for kind, floor in (("score:enps", k), ("score:tools", k), ("comments", k + 2)):
        selections = [included(gate, q, kind) for q in asked]
        for q, ids in zip(asked, selections, strict=True):
            if ids:
                assert others(ids) >= floor
            if kind == "comments":
                result = gate.comments(q)
                assert isinstance(result, Hidden) == (not ids)
                if ids:
                    assert isinstance(result, CommentsShown) and len(result.comments) == len(ids)
            else:
                shown = gate.scores(q, summarise)
                question = kind.removeprefix("score:")
                values = sorted(float(by_id[i].scores[question]) for i in ids)
                if isinstance(shown, Shown):
                    if question == "enps":
                        breakdown = shown.figures.get("enps_breakdown", {"answers": 0})
                        assert breakdown["answers"] == len(ids)  # type: ignore[index]
                    else:
                        stats = shown.figures["questions"].get(question)  # type: ignore[union-attr]
                        assert (stats or {"answers": 0})["answers"] == len(values)
                else:
                    assert not ids and set(shown.to_dict()) == {"hidden", "reason"}
        for a, b in itertools.permutations(selections, 2):
            isolated = a - b
            assert not isolated or others(isolated) >= floor


# --- every record type, printed -----------------------------------------------------------------


def test_no_record_type_shows_an_anonymous_identity() -> None:
    """Run every flow as one anonymous agent and print every record it leaves behind."""
    import dataclasses
    from datetime import datetime

    from heartline.people import anonymity, pulse, themes, voice

    name, agent_id, comment = "Zephyrine Quill", "agent-zq-991", "my lead ignores break requests"
    me = voice.Actor(agent_id, name, "agent")
    lead = voice.Actor("lead-1", "Priya Raman", "lead")
    when = datetime(2026, 10, 5, 9, tzinfo=UTC)
    k = respondent_key(agent_id, SECRET)
    others = [person(f"other-{i}", comment=f"other comment {i}") for i in range(11)]
    mine = Contribution(k, "Harbour", date(2026, 10, 14), "over 2 years", "day",
                        {"enps": 2, "wellbeing": 1}, comment)
    gate = AnonymityGate([mine, *others], viewer=k)
    response = pulse.PulseResponse(k, "Harbour", date(2026, 10, 14), {"enps": 2}, comment)
    barrier = voice.raise_barrier(barrier_id="B-9", author=me, category="leadership",
                                  text=comment, at=when, secret=SECRET, anonymous=True)
    voice.post_message(barrier, me, "It happened again on Friday.", when, SECRET)
    voice.post_message(barrier, lead, "Thank you, I'll change the rota.", when, SECRET)
    for status in ("acknowledged", "in_progress", "resolved"):
        voice.change_status(barrier, lead, status, when, reason="rota changed")
    voice.confirm_resolved(barrier, me, when, SECRET, resolved=False)
    decision = voice.leadership_decision("D-1", "Fixed lunch rota", date(2026, 10, 1))
    feedback = voice.rate_decision(decision, respondent=k, team="Harbour",
                                   day=date(2026, 10, 2), rating=1, comment=comment)
    respond = voice.respond_to_feedback(decision, lead, "We hear you.", when)
    check = pulse.checkin("Harbour", date(2026, 10, 14))
    check.add_note("lead-1", "Breaks came up; we will protect them.", when)
    texts = themes.barrier_texts([barrier])
    theme_list = themes.find_themes(
        texts, lambda ts: np.ones((len(ts), 4)), distance=0.5  # type: ignore[arg-type]
    )
    records: list[object] = [
        Thresholds(), mine, Query.make(teams="Harbour"), gate.scores(Query(), summarise),
        gate.comments(Query()), Hidden("x"), response, *barrier.thread, *barrier.history,
        *voice.thread_view(barrier, lead, SECRET), barrier, me, decision, feedback, respond,
        check, *check.notes, *texts, *theme_list, pulse.weekly_pulse(date(2026, 10, 14)),
        pulse.ENPS, pulse.enps([1, 9]), *pulse.pulse_series([response], as_of=None),
        themes.LabelledBarrier("x", "Rota is late", "scheduling", "t", agent_id),
        *gate._partition_for("score:enps")[0], gate._select(Query(), "score:enps"),
        *gate._partition_for("score:enps")[0][0].cells,
    ]
    voice.change_status(barrier, lead, "resolved", when, reason="rota changed again")
    voice.confirm_resolved(barrier, me, when, SECRET)
    records += voice.you_said_we_did([barrier])
    for record in [*records, gate, barrier]:
        for text in (repr(record), str(record)):
            assert agent_id not in text and name not in text and k not in text, type(record)
            assert comment not in text or isinstance(
                # Places where the words are the point (the identity never is).
                record,
                CommentsShown | voice.Barrier | voice.YouSaidWeDid | themes.BarrierText
                | themes.Theme,
            ), type(record)
    # Every record type the four modules define has been printed above.
    printed = {type(r) for r in records}
    for module in (anonymity, pulse, voice, themes):
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and (
                value.__module__ == module.__name__
            ):
                assert value in printed, value.__name__
