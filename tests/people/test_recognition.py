"""Peer recognition, Empathy MVP, effort and fairness on hand-built fixtures.

Every expected number below was worked out by hand from the fixture; the
arithmetic is written next to the assertion.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest

from heartline.people.recognition import (
    DEFAULT_VALUES,
    CustomerPraise,
    HandledContact,
    MvpWeights,
    RecognitionError,
    concentration,
    contacts_from,
    empathy_mvp,
    fairness_report,
    gini,
    hard_day_suggestions,
    hardest_load,
    month_bounds,
    recognise,
    top_share,
    validate_values,
)

NOV = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)

THANKS_FOR_CALM = "You kept that furious customer calm and still found the refund. Thank you."


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- records


def test_recognise_builds_a_normalised_record() -> None:
    r = recognise(
        "a2", "a1", f"  {THANKS_FOR_CALM} ", [" Empathy", "teamwork", "empathy"],
        given_at=datetime(2026, 11, 3, 12, 0), interaction_id="demo-7-00042",
    )  # fmt: skip
    assert r.values == ("empathy", "teamwork")
    assert r.message == THANKS_FOR_CALM
    assert r.given_at.tzinfo is not None
    assert r.interaction_id == "demo-7-00042"
    assert r.for_empathy
    again = recognise("a2", "a1", THANKS_FOR_CALM, ["empathy", "teamwork"],
                      given_at=datetime(2026, 11, 3, 12, 0, tzinfo=UTC),
                      interaction_id="demo-7-00042")  # fmt: skip
    assert again.id == r.id and r.id.startswith("rec-")


def test_self_recognition_is_refused() -> None:
    with pytest.raises(RecognitionError, match="cannot recognise yourself"):
        recognise("a1", "a1", THANKS_FOR_CALM, ["empathy"], given_at=NOV)


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_message_is_refused(message: str) -> None:
    with pytest.raises(RecognitionError, match="message is empty"):
        recognise("a2", "a1", message, ["empathy"], given_at=NOV)


def test_unknown_value_tag_names_the_allowed_ones() -> None:
    with pytest.raises(RecognitionError) as err:
        recognise("a2", "a1", THANKS_FOR_CALM, ["empathy", "speed"], given_at=NOV)
    assert "unknown value tag(s): speed" in str(err.value)
    assert "empathy, teamwork, creativity, resilience, learning" in str(err.value)


def test_no_value_tag_is_refused() -> None:
    with pytest.raises(RecognitionError, match="at least one value tag"):
        recognise("a2", "a1", THANKS_FOR_CALM, [], given_at=NOV)


def test_value_list_is_configurable() -> None:
    custom = ("empathy", "courage")
    r = recognise("a2", "a1", THANKS_FOR_CALM, ["Courage"], given_at=NOV, allowed_values=custom)
    assert r.values == ("courage",)
    with pytest.raises(RecognitionError, match="unknown value tag"):
        recognise("a2", "a1", THANKS_FOR_CALM, ["teamwork"], given_at=NOV, allowed_values=custom)
    with pytest.raises(RecognitionError, match="invalid value name"):
        validate_values(["x"], ["Has Space"])
    assert validate_values("learning") == ("learning",)
    assert DEFAULT_VALUES == ("empathy", "teamwork", "creativity", "resilience", "learning")


def test_blank_interaction_link_is_dropped() -> None:
    r = recognise("a2", "a1", THANKS_FOR_CALM, ["empathy"], given_at=NOV, interaction_id="  ")
    assert r.interaction_id is None


def test_month_bounds() -> None:
    assert month_bounds(2026, 12) == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(RecognitionError):
        month_bounds(2026, 13)


# --------------------------------------------------------------------------- MVP fixture


def _contacts(agent: str, n: int, glow: int, start: datetime, prefix: str) -> list[HandledContact]:
    """n contacts an hour apart; the first ``glow`` of them carry one glow moment each."""
    return [
        HandledContact(f"{prefix}-{agent}-{i}", agent, start + timedelta(hours=i), 50.0, int(i < glow))
        for i in range(n)
    ]


@pytest.fixture
def november() -> dict:
    contacts = (
        _contacts("a1", 40, 8, NOV, "nov")       # 40 contacts, 8 glow
        + _contacts("a2", 10, 4, NOV, "nov")     # 10 contacts, 4 glow
        + _contacts("a3", 25, 0, NOV, "nov")     # 25 contacts, no glow
        + _contacts("a1", 30, 30, OCT, "oct")    # October: ignored for November
        + _contacts("a3", 2, 0, OCT, "oct")
        + _contacts("x9", 50, 50, NOV, "nov")    # another team: ignored
    )  # fmt: skip
    recs = [
        recognise("a2", "a1", "Stayed so calm with a grieving caller.", ["empathy"], given_at=at(3)),
        recognise("a3", "a1", "Listened to the whole story first.", ["empathy", "learning"], given_at=at(4)),
        recognise("a2", "a1", "Again, so kind on that outage call.", ["empathy"], given_at=at(9)),
        recognise("lead-h", "a2", "Gentle with the fraud worry.", ["empathy"], given_at=at(5)),
        recognise("a1", "a3", "Covered my queue.", ["teamwork"], given_at=at(6)),
        recognise("a1", "a3", "Patient with a confused customer.", ["empathy"], given_at=at(20, month=10)),
    ]  # fmt: skip
    praise = [
        CustomerPraise("nov-a1-0", "a1", "empathy_praise"),
        CustomerPraise("nov-a1-1", "a1", "empathy_praise"),
        CustomerPraise("nov-a2-0", "a2", "empathy_praise"),
        CustomerPraise("nov-a3-0", "a3", "empathy_praise"),
        CustomerPraise("nov-a3-1", "a3", "speed_praise"),      # not empathy
        CustomerPraise("oct-a3-0", "a3", "empathy_praise"),    # October contact
        CustomerPraise("nov-a1-5", "a3", "empathy_praise"),    # a1's contact, claimed for a3
    ]  # fmt: skip
    return {"contacts": contacts, "recognitions": recs, "praise": praise}


def _mvp(fx: dict, **kw):  # type: ignore[no-untyped-def]
    return empathy_mvp(
        "harbour", ["a1", "a2", "a3", "a4"], 2026, 11,
        contacts=fx["contacts"], recognitions=fx["recognitions"], customer_praise=fx["praise"], **kw,
    )  # fmt: skip


def test_mvp_figures_per_candidate(november: dict) -> None:
    result = _mvp(november)
    a1, a2, a3 = (result.candidate(a) for a in ("a1", "a2", "a3"))
    # contacts in November
    assert (a1.contacts, a2.contacts, a3.contacts) == (40, 10, 25)
    # distinct empathy recognisers: a1 <- a2, a3 (a2 twice counts once); a2 <- lead; a3: only teamwork
    assert (a1.peer_recognisers, a2.peer_recognisers, a3.peer_recognisers) == (2, 1, 0)
    # empathy comments on own November contacts
    assert (a1.empathy_comments, a2.empathy_comments, a3.empathy_comments) == (2, 1, 1)
    # rates over max(n, 20): a1 2/40 = .05, a2 1/20 = .05, a3 1/25 = .04
    assert a1.customer_rate == pytest.approx(0.05)
    assert a2.customer_rate == pytest.approx(0.05)
    assert a3.customer_rate == pytest.approx(0.04)
    # glow rates: a1 8/40 = .2, a2 4/20 = .2, a3 0
    assert (a1.glow_rate, a2.glow_rate, a3.glow_rate) == pytest.approx((0.2, 0.2, 0.0))
    # components scaled to the team's best (peer max 2, customer max .05, glow max .2)
    assert (a2.peer_component, a2.customer_component, a2.glow_component) == pytest.approx((0.5, 1, 1))
    assert a3.customer_component == pytest.approx(0.8)
    # scores: a1 .4+.35+.25 = 1; a2 .4*.5+.35+.25 = .8; a3 .35*.8 = .28
    assert a1.score == pytest.approx(1.0)
    assert a2.score == pytest.approx(0.8)
    assert a3.score == pytest.approx(0.28)
    assert [c.agent_id for c in result.candidates] == ["a1", "a2", "a3"]
    assert [c.rank for c in result.candidates] == [1, 2, 3]
    assert result.winner_id == "a1"
    assert result.not_eligible == ("a4",)
    assert result.month == "2026-11"
    assert len(a1.recognition_ids) == 2
    assert a1.comment_interaction_ids == ("nov-a1-0", "nov-a1-1")


def test_mvp_explanation_names_winner_and_components(november: dict) -> None:
    result = _mvp(november, names={"a1": "Elif Kowalski"})
    text = result.explanation
    assert "Empathy MVP for harbour, 2026-11: Elif Kowalski." in text
    assert "score 1.000" in text
    assert "2 colleague(s) recognised their empathy" in text
    assert "2 empathy comment(s) over 40 contact(s)" in text
    assert "Next: a2 with 0.800" in text
    assert "Not eligible (no contacts this month): a4" in text
    assert result.tie_break is None


def test_volume_floor_keeps_small_samples_from_winning(november: dict) -> None:
    # Without the floor, a2's 1 comment over 10 contacts is a rate of .1 (the best) and
    # 4 glow over 10 is .4 (the best): a1 = .4*1 + .35*.5 + .25*.5 = .7; a2 = .4*.5 + .35 + .25 = .8
    result = _mvp(november, min_contacts=1)
    assert result.winner_id == "a2"
    assert result.candidate("a1").score == pytest.approx(0.7)
    assert result.candidate("a2").score == pytest.approx(0.8)


def test_weights_are_rescaled(november: dict) -> None:
    # weights 2:1:1 -> .5/.25/.25; a2 = .5*.5 + .25 + .25 = .75
    result = _mvp(november, weights=MvpWeights(peer=2, customer=1, glow=1))
    assert result.weights == MvpWeights(0.5, 0.25, 0.25)
    assert result.candidate("a2").score == pytest.approx(0.75)
    with pytest.raises(RecognitionError, match="at least one MVP weight"):
        _mvp(november, weights=MvpWeights(0, 0, 0))
    with pytest.raises(RecognitionError, match="non-negative"):
        _mvp(november, weights=MvpWeights(-1, 1, 1))


def _twins() -> list[HandledContact]:
    return _contacts("b1", 20, 2, NOV, "t") + _contacts("b2", 20, 2, NOV, "t")


def test_tie_goes_to_fewer_earlier_titles() -> None:
    result = empathy_mvp(
        "summit", ["b1", "b2"], 2026, 11, contacts=_twins(),
        history=[("2026-09", "b1"), ("2026-12", "b2")],  # a later title does not count
    )  # fmt: skip
    assert result.candidate("b1").score == result.candidate("b2").score == pytest.approx(0.25)
    assert result.winner_id == "b2"
    assert "fewer earlier MVP titles" in (result.tie_break or "")


def test_tie_goes_to_the_longest_wait() -> None:
    result = empathy_mvp(
        "summit", ["b1", "b2"], 2026, 11, contacts=_twins(),
        history=[("2026-10", "b1"), ("2026-08", "b2")],
    )  # fmt: skip
    assert result.winner_id == "b2"
    assert "waited longest" in (result.tie_break or "")


def test_tie_without_history_is_a_reproducible_monthly_lottery() -> None:
    def lot(month: str, agent: str) -> str:
        return hashlib.sha256(f"summit|{month}|{agent}".encode()).hexdigest()

    for month in (9, 10, 11):
        twins = _contacts("b1", 20, 2, NOV.replace(month=month), "t") + _contacts(
            "b2", 20, 2, NOV.replace(month=month), "t"
        )
        r = empathy_mvp("summit", ["b1", "b2"], 2026, month, contacts=twins)
        label = f"2026-{month:02d}"
        expected = min(("b1", "b2"), key=lambda a: lot(label, a))
        assert r.winner_id == expected
        assert "lottery" in (r.tie_break or "")
        # the order of the input does not matter
        again = empathy_mvp("summit", ["b2", "b1"], 2026, month, contacts=list(reversed(twins)))
        assert again.winner_id == r.winner_id


def test_no_evidence_means_no_mvp() -> None:
    result = empathy_mvp("meadow", ["c1", "c2"], 2026, 11, contacts=_contacts("c1", 5, 0, NOV, "m"))
    assert result.winner_id is None
    assert "No Empathy MVP" in result.explanation
    with pytest.raises(RecognitionError, match="no Empathy MVP to confirm"):
        result.confirm("lead-m", at(30))
    empty = empathy_mvp("meadow", ["c1"], 2026, 11, contacts=[])
    assert empty.candidates == () and "handled a contact" in empty.explanation


def test_lead_confirms_once(november: dict) -> None:
    result = _mvp(november)
    assert not result.confirmed
    with pytest.raises(RecognitionError, match="only the lead of harbour"):
        result.confirm("lead-s", at(30), team_lead="lead-h")
    done = result.confirm("lead-h", datetime(2026, 12, 1, 9, 0), team_lead="lead-h")
    assert done.confirmed and done.confirmed_by == "lead-h"
    assert done.confirmed_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert done.winner_id == result.winner_id and not result.confirmed
    with pytest.raises(RecognitionError, match="already confirmed"):
        done.confirm("lead-h", at(30))


# --------------------------------------------------------------------------- effort


def _hc(iid: str, agent: str, when: datetime, difficulty: float | None) -> HandledContact:
    return HandledContact(iid, agent, when, difficulty, 0)


def test_hardest_load_lists_heavy_contacts_first() -> None:
    contacts = [
        _hc("1", "a1", at(2), 80), _hc("2", "a1", at(2, 11), 70), _hc("3", "a1", at(2, 12), 10),
        _hc("4", "a2", at(2), 90), _hc("5", "a2", at(2, 11), 95), _hc("6", "a2", at(2, 12), None),
        _hc("7", "a3", at(2), 66.9), _hc("8", "a4", at(2), 67),
    ]  # fmt: skip
    load = hardest_load(contacts, heavy_threshold=67, top=3)
    # a1: 2 heavy, total 160; a2: 2 heavy, total 185 -> a2 first; a4: 1 heavy; a3: none
    assert [e.agent_id for e in load] == ["a2", "a1", "a4"]
    assert load[0].contacts == 3 and load[0].heavy_contacts == 2
    assert load[0].mean_difficulty == pytest.approx(92.5)
    assert load[1].total_difficulty == pytest.approx(160)
    assert hardest_load(contacts, top=1)[0].agent_id == "a2"


def test_mvp_result_lists_hardest_load(november: dict) -> None:
    heavy = [_hc(f"h{i}", "a3", at(12, 8 + i), 85) for i in range(3)]
    result = _mvp({**november, "contacts": november["contacts"] + heavy})
    assert [e.agent_id for e in result.hardest_load] == ["a3"]
    assert result.hardest_load[0].heavy_contacts == 3


class _Shift:
    def __init__(self, agent: str, day: int, overtime: float = 0.0) -> None:
        self.agent_id = agent
        self.day = date(2026, 11, day)
        self.start = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
        self.end = datetime(2026, 11, day, 17, 0, tzinfo=UTC)
        self.overtime_minutes = overtime


def test_hard_day_suggestions() -> None:
    contacts = [
        # 17 Nov, a1: 70, 80, 75 back to back then 20 -> 3 heavy, run 3, mean 61.25
        _hc("1", "a1", at(17, 9), 70), _hc("2", "a1", at(17, 10), 80),
        _hc("3", "a1", at(17, 11), 75), _hc("4", "a1", at(17, 12), 20),
        _hc("late", "a1", at(17, 18), 99),  # after the shift ended: not counted
        # 17 Nov, a2: 65, 62, 61, 60 -> no heavy, but mean 62 over 4 contacts
        _hc("5", "a2", at(17, 9), 65), _hc("6", "a2", at(17, 10), 62),
        _hc("7", "a2", at(17, 11), 61), _hc("8", "a2", at(17, 12), 60),
        # 18 Nov, a1: 90, 90, 10 -> 2 heavy, mean 63.3 but only 3 contacts: not a hard day
        _hc("9", "a1", at(18, 9), 90), _hc("10", "a1", at(18, 10), 90), _hc("11", "a1", at(18, 11), 10),
    ]  # fmt: skip
    shifts = [_Shift("a1", 17, overtime=45), _Shift("a2", 17), _Shift("a1", 18), _Shift("a3", 17)]
    got = hard_day_suggestions(shifts, contacts, lead_of={"a1": "lead-h"}, names={"a1": "Elif"})
    assert [(s.agent_id, s.day.day) for s in got] == [("a1", 17), ("a2", 17)]
    first, second = got
    assert first.lead_id == "lead-h" and second.lead_id is None
    assert first.contacts == 4 and first.heavy_contacts == 3
    assert first.heavy_interaction_ids == ("1", "2", "3")
    assert first.longest_heavy_run == 3
    assert first.mean_difficulty == pytest.approx(61.25)
    assert len(first.reasons) == 2
    assert first.message.startswith("Elif handled 4 contacts on Tue 17 Nov (3 of them very demanding, 3 back to back)")
    assert "45 minutes over" in first.message
    assert second.heavy_contacts == 0
    assert second.reasons == ("average difficulty 62 over 4 contacts",)
    # thresholds are parameters
    strict = hard_day_suggestions(shifts, contacts, min_heavy=4, heavy_mean=70)
    assert strict == []


def test_contacts_from_reads_dicts_and_objects() -> None:
    class _It:
        def __init__(self, iid: str, agent: str | None) -> None:
            self.id, self.agent_id, self.started_at = iid, agent, datetime(2026, 11, 2, 9)

    class _Moment:
        def __init__(self, kind: str) -> None:
            self.kind = kind

    class _Analysis:
        difficulty = 72.5
        moments = [_Moment("glow"), _Moment("growth"), _Moment("glow")]

    analyses = {
        "i1": {"difficulty": 40, "moments": [{"kind": "glow", "turn": 3}, {"kind": "growth"}]},
        "i2": _Analysis(),
    }
    got = contacts_from([_It("i1", "a1"), _It("i2", "a2"), _It("i3", "a3"), _It("i4", None)], analyses)
    assert [(c.interaction_id, c.difficulty, c.glow_moments) for c in got] == [
        ("i1", 40.0, 1), ("i2", 72.5, 2), ("i3", None, 0),
    ]  # fmt: skip
    assert got[0].started_at.tzinfo is not None


# --------------------------------------------------------------------------- fairness


def test_gini_and_top_share_by_hand() -> None:
    # [4,1,0,0,0]: sum |xi-xj| over ordered pairs = 2*(3 + 3*4 + 3*1) = 36; 36 / (2*25*1) = .72
    assert gini([4, 1, 0, 0, 0]) == pytest.approx(0.72)
    assert gini([2, 2, 2, 2]) == 0.0
    assert gini([0, 0, 0, 5]) == pytest.approx(0.75)  # (n-1)/n
    assert gini([]) == 0.0 and gini([0, 0]) == 0.0
    with pytest.raises(RecognitionError):
        gini([1, -1])
    # top 20% of 10 people = 2 people: (5+3)/10
    assert top_share([5, 3, 1, 1, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.8)
    # top 20% of 5 people = 1 person: 4/5
    assert top_share([1, 4, 0, 0, 0]) == pytest.approx(0.8)
    assert top_share([1, 1, 1, 1, 1]) == pytest.approx(0.2)


def test_concentration_needs_enough_recognitions() -> None:
    # [3,1,0]: Gini 12 / (2*9*4/3) = .5, top 1 of 3 holds 3/4: skewed, but only 4 recognitions
    few = concentration([3, 1, 0])
    assert few.gini == pytest.approx(0.5) and few.top20_share == pytest.approx(0.75)
    assert not few.warning
    even = concentration([2, 2, 1, 2, 2])
    assert not even.warning
    skewed = concentration([6, 0, 0, 0, 0])
    assert skewed.warning and "Gini 0.80" in (skewed.reason or "")


@pytest.fixture
def team_recognitions() -> list:
    rec = recognise
    return [
        rec("lead-h", "m1", "Calm on the outage line.", ["empathy"], given_at=at(1)),
        rec("lead-h", "m1", "Shared a great tip.", ["learning"], given_at=at(5)),
        rec("m2", "m1", "Helped me with a tough caller.", ["teamwork"], given_at=at(10, month=10)),
        rec("m3", "m1", "Kind to a bereaved customer.", ["empathy"], given_at=at(20, month=10)),
        rec("m1", "m2", "New macro idea.", ["creativity"], given_at=at(10)),
        rec("m5", "x7", "Covered my break.", ["teamwork"], given_at=at(2)),
        rec("m5", "m4", "Kept going on a brutal day.", ["resilience"], given_at=at(1, month=8)),
        rec("m2", "m3", "Future dated: not yet.", ["teamwork"], given_at=at(25)),
    ]  # fmt: skip


def test_fairness_report_by_hand(team_recognitions: list) -> None:
    report = fairness_report(
        "harbour", ["m1", "m2", "m3", "m4", "m5"], team_recognitions,
        as_of=datetime(2026, 11, 20, 12, 0, tzinfo=UTC), leaders=["lead-h"],
    )  # fmt: skip
    people = {p.agent_id: p for p in report.people}
    # window (Sep 21, Nov 20]: m1 received 4 (lead twice, m2, m3), m2 received 1
    assert [people[m].received for m in ("m1", "m2", "m3", "m4", "m5")] == [4, 1, 0, 0, 0]
    assert [people[m].given for m in ("m1", "m2", "m3", "m4", "m5")] == [1, 1, 1, 0, 1]
    assert people["m1"].distinct_givers == 3
    assert people["m1"].last_received == at(5)
    assert report.total == 5
    # nobody recognised m3, m5; m4 last in August (more than 60 days before)
    assert report.not_recognised == (
        ("m3", None), ("m4", at(1, month=8)), ("m5", None),
    )  # fmt: skip
    (lead,) = report.leaders
    assert (lead.leader_id, lead.given, lead.distinct_receivers) == ("lead-h", 2, 1)
    assert lead.reach == pytest.approx(0.2)
    assert report.concentration.gini == pytest.approx(0.72)
    assert report.concentration.top20_share == pytest.approx(0.8)
    assert report.concentration.top20_people == 1
    assert report.concentration.warning
    assert "top 1 of 5 people received 80%" in (report.concentration.reason or "")
    assert report.values == {"creativity": 1, "empathy": 2, "learning": 1, "teamwork": 1}
    assert report.since == datetime(2026, 9, 21, 12, 0, tzinfo=UTC)


def test_fairness_windows_are_parameters(team_recognitions: list) -> None:
    report = fairness_report(
        "harbour", ["m1", "m2", "m3", "m4", "m5"], team_recognitions,
        as_of=datetime(2026, 11, 20, 12, 0, tzinfo=UTC), window_days=15, unrecognised_days=150,
    )  # fmt: skip
    # last 15 days (Nov 5 12:00 onwards): only m1 -> m2 on Nov 10
    assert report.total == 1
    assert [p.received for p in report.people] == [0, 1, 0, 0, 0]
    assert not report.concentration.warning  # fewer than 5 recognitions
    # within 150 days everyone but m3 and m5 was recognised
    assert [m for m, _ in report.not_recognised] == ["m3", "m5"]
    assert report.leaders == ()
