"""KPIs against hand-computed figures (see conftest.build_org for the contacts)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, insert, select

from heartline.insights import kpis
from heartline.insights.aggregate import ensure_fresh, is_fresh, refresh
from heartline.insights.kpis import Filter, Sums, Weights
from heartline.store.tables_web import InteractionFactRow, ScoreOverrideRow, UserRow

from .conftest import Org  # type: ignore[import-not-found]


def harbour(org: Org, **kw: object) -> Filter:
    return Filter(team_ids=(org.teams["harbour"],), **kw)  # type: ignore[arg-type]


def test_team_kpis_match_the_hand_computed_figures(engine: Engine, org: Org) -> None:
    refresh(engine)
    with engine.connect() as conn:
        s = kpis.totals(conn, harbour(org))
    v = kpis.kpis_of(s)
    # contacts 1-4: AHT 400 + 220 + (500 handle + 0 acw) + 150
    assert v["aht"] == pytest.approx(1270 / 4)
    assert v["avg_hold"] == pytest.approx(160 / 4)
    assert v["transfer_rate"] == pytest.approx(50.0)
    assert v["acw"] == pytest.approx(110 / 4)
    # shifts: A 480 min at 90 %, B 240 min at 100 %; worked 470 at 80 %, 250 at 90 %
    assert v["adherence"] == pytest.approx(100 * (432 + 240) / 720)
    assert v["occupancy"] == pytest.approx(100 * (376 + 225) / 720)
    # surveys 5, 3, 4 -> two of three are 4-5; resolved yes/no -> 50 %
    assert v["csat"] == pytest.approx(200 / 3)
    assert v["fcr_survey"] == pytest.approx(50.0)
    # known customers: contacts 1, 2, 3; contact 1 was followed by 2 four days later
    assert v["fcr_repeat"] == pytest.approx(200 / 3)
    assert v["enps"] is None
    assert v["empathy"] == pytest.approx(60.0)
    # opened negative: 1 (anger), 2 (frustration), 4 (worry second); only 1 de-escalated
    assert v["deescalation_rate"] == pytest.approx(100 / 3)
    assert v["positive_feedback"] == 1
    assert v["missed_cue_rate"] == pytest.approx(200 / 3)
    # AHT grace: heavy contacts 1 (difficulty 70) and 4 (80)
    assert kpis.aht_heavy(s) == pytest.approx((400 + 150) / 2)
    assert kpis.aht_without_heavy(s) == pytest.approx((220 + 500) / 2)
    assert kpis.heavy_share(s) == pytest.approx(50.0)


def test_filters_channel_queue_dates_and_agents(engine: Engine, org: Org) -> None:
    refresh(engine)
    with engine.connect() as conn:
        chat = kpis.totals(conn, harbour(org, channel="chat"))
        assert chat.contacts == 1 and kpis.aht(chat) == pytest.approx(500.0)
        tech = kpis.totals(conn, Filter(queue="tech"))
        assert tech.contacts == 1 and kpis.csat(tech) == pytest.approx(100.0)
        fifth = kpis.totals(conn, Filter(start=date(2026, 9, 5), end=date(2026, 9, 5)))
        assert fifth.contacts == 1 and kpis.mean_empathy(fifth) == pytest.approx(40.0)
        assert kpis.adherence(fifth) is None  # no shift that day
        everyone = kpis.totals(conn, Filter())
        assert everyone.contacts == 5 and kpis.mean_empathy(everyone) == pytest.approx((80 + 40 + 60 + 90) / 4)
        per_agent = kpis.by_agent(conn, harbour(org))
        assert set(per_agent) == {org.agents["A"], org.agents["B"]}
        assert kpis.aht(per_agent[org.agents["A"]]) == pytest.approx(310.0)
        assert kpis.adherence(per_agent[org.agents["B"]]) == pytest.approx(100.0)
        per_team = kpis.by_team(conn, Filter())
        assert kpis.adherence(per_team[org.teams["summit"]]) == pytest.approx(50.0)
        days = kpis.by_day(conn, harbour(org))
        assert [d for d, _ in days] == [date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 5)]
        assert [s.contacts for _, s in days] == [1, 2, 1]
        weekly = kpis.bucket(days, 7)
        assert [(d, s.contacts) for d, s in weekly] == [(date(2026, 9, 1), 4)]


def test_an_override_changes_the_kpi_after_a_partial_refresh(engine: Engine, org: Org) -> None:
    refresh(engine)
    assert is_fresh(engine)
    with engine.begin() as conn:
        qa = conn.execute(
            insert(UserRow)
            .values(login="qa", display_name="QA", password_hash="-", role="manager", active=True,
                    created_at=datetime.now(UTC))
            .returning(UserRow.id)
        ).scalar_one()
        conn.execute(
            insert(ScoreOverrideRow).values(
                interaction_id=org.interactions[2], field="empathy_score", old_value=40.0,
                new_value=70.0, reason="agent offered a callback the model missed", user_id=qa,
                created_at=datetime.now(UTC),
            )
        )
    assert not is_fresh(engine)
    refresh(engine, [org.interactions[2]])
    assert is_fresh(engine) and not ensure_fresh(engine)
    with engine.connect() as conn:
        assert kpis.mean_empathy(kpis.totals(conn, harbour(org))) == pytest.approx(70.0)
        f = InteractionFactRow
        fact = conn.execute(
            select(f.repeat_7d, f.heavy, f.peak_emotion).where(f.interaction_id == org.interactions[1])
        ).one()
        # the other contact of the same customer was rebuilt too and kept its repeat flag
        assert fact.repeat_7d and fact.heavy and fact.peak_emotion == "anger"


def test_enps_counts_promoters_minus_detractors() -> None:
    assert kpis.enps_from_scores([]) is None
    assert kpis.enps_from_scores([10, 9, 8, 6, 0]) == pytest.approx(0.0)
    assert kpis.enps_from_scores([10, 10, 7, 3]) == pytest.approx(25.0)
    with pytest.raises(ValueError):
        kpis.enps_from_scores([11])


def test_empty_sums_are_no_data_not_zero() -> None:
    values = kpis.kpis_of(Sums())
    assert all(v is None for v in values.values())
    assert kpis.scorecard(values).score is None


def test_every_kpi_has_a_docstring_and_a_group() -> None:
    assert {k.group for k in kpis.KPIS.values()} == {"human", "efficiency"}
    for k in kpis.KPIS.values():
        assert len(k.doc) > 20, k.key
    with pytest.raises(ValueError):
        kpis.kpi("csat", "again", "human", "percent", True)(lambda s: None)


def test_scorecard_combines_both_sides_with_the_team_weights() -> None:
    values = {
        "csat": 80.0, "fcr_survey": None, "fcr_repeat": 60.0, "empathy": 70.0,
        "deescalation_rate": 50.0, "missed_cue_rate": 20.0, "enps": None,
        "aht": 840.0, "acw": 30.0, "transfer_rate": 10.0, "adherence": 90.0, "occupancy": 95.0,
    }  # fmt: skip
    card = kpis.scorecard(values)
    human = (80 + 60 + 70 + 50 + 80) / 5
    # AHT twice the 420 s target -> 50; ACW under target -> 100; occupancy 10 points over 85 -> 50
    efficiency = (50 + 100 + 90 + 90 + 50) / 5
    assert card.human == pytest.approx(human)
    assert card.efficiency == pytest.approx(efficiency)
    assert card.score == pytest.approx((human + efficiency) / 2)
    weighted = kpis.scorecard(values, Weights(human=3, efficiency=1))
    assert weighted.score == pytest.approx(0.75 * human + 0.25 * efficiency)


def test_weights_are_saved_per_team(engine: Engine, org: Org) -> None:
    with engine.begin() as conn:
        assert kpis.load_weights(conn, org.teams["harbour"]) == Weights()
        kpis.save_weights(conn, org.teams["harbour"], Weights(human=2, efficiency=1, aht_target_seconds=300), user_id=None)
        assert kpis.load_weights(conn, org.teams["harbour"]).aht_target_seconds == 300
        assert kpis.load_weights(conn, org.teams["summit"]) == Weights()
        with pytest.raises(ValueError):
            kpis.save_weights(conn, org.teams["summit"], Weights(human=0, efficiency=0), user_id=None)


def test_customer_emotions_peak_and_opening() -> None:
    from heartline.insights.aggregate import customer_emotions, emotions_in

    def body(*pairs: tuple[str, float]) -> dict[str, object]:
        return {"turns": [{"index": i, "speaker": "customer", "emotion": e, "emotion_intensity": x}
                          for i, (e, x) in enumerate(pairs)]}  # fmt: skip

    mask, peak, opened = customer_emotions(body(("neutral", 0.1), ("worry", 0.5), ("satisfaction", 0.9)))
    assert emotions_in(mask) == ["worry", "satisfaction", "neutral"] and peak == "worry" and opened
    assert customer_emotions(body(("neutral", 0.1), ("neutral", 0.2), ("anger", 0.9)))[1:] == ("anger", False)
    assert customer_emotions(body(("satisfaction", 0.8)))[1] == "satisfaction"
    assert customer_emotions(body(("neutral", 0.2)))[1] == "neutral"
    assert customer_emotions(None) == (0, None, False)


def test_appended_contacts_analyses_and_surveys_fold_in_incrementally(
    engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heartline.insights import aggregate
    from heartline.store.tables import AnalysisRow, InteractionRow, SurveyRow

    refresh(engine)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(InteractionRow)
            .values(source="test", external_id="c6", channel="voice", queue="billing", agent_id=org.agents["B"],
                    customer_key="k2", started_at=datetime(2026, 9, 4, 9, tzinfo=UTC), handle_seconds=300.0,
                    talk_seconds=300.0, hold_seconds=0.0, acw_seconds=0.0, transfers=0, turn_count=0, imported_at=now)
            .returning(InteractionRow.id)
        ).scalar_one()  # fmt: skip
        conn.execute(insert(SurveyRow).values(source="test", interaction_external_id="c6", csat=5))
        conn.execute(insert(AnalysisRow).values(
            interaction_id=new_id, model_version="test-1", empathy_score=100.0, difficulty=20.0, deescalated=False,
            robotic=False, missed_cues=0, body={"turns": []}, analysed_at=now))  # fmt: skip
    calls: list[object] = []
    real_refresh = aggregate.refresh

    def spy(eng: Engine, ids: object = None) -> int:
        calls.append(ids)
        return real_refresh(eng, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(aggregate, "refresh", spy)
    assert ensure_fresh(engine) and is_fresh(engine)
    # incremental (a list, not a full rebuild); recent analyses are looked at again for slack
    assert len(calls) == 1 and isinstance(calls[0], list) and new_id in calls[0]
    assert org.interactions[3] not in calls[0]  # neither new nor re-analysed
    with engine.connect() as conn:
        s = kpis.totals(conn, harbour(org))
        fact = conn.execute(select(InteractionFactRow.repeat_7d).where(InteractionFactRow.interaction_id == org.interactions[3])).scalar_one()
    assert s.contacts == 5 and kpis.mean_empathy(s) == pytest.approx((80 + 40 + 60 + 100) / 4)
    assert kpis.csat(s) == pytest.approx(75.0)  # 5, 3, 4, 5
    assert fact  # contact 3 (customer k2, 2 Sep) now has a repeat two days later
