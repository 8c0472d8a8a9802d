"""Coaching pages: agenda from real moments, sessions and their privacy, actions, goals,
the reframer, leader habits, calibration, the migration and the demo seed."""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from heartline.store.tables import Base
from heartline.store.tables_coaching import (
    CalibrationScoreRow,
    CoachingActionRow,
    CoachingMomentRow,
    CoachingSessionRow,
    DevelopmentGoalRow,
)
from heartline.web.deps import Principal
from heartline.web.routes.coaching import may_read_notes, seed_demo

from .conftest import World, csrf_of  # type: ignore[import-not-found]

COACHING_TABLES = {
    "coaching_sessions", "coaching_session_moments", "coaching_actions", "development_goals",
    "coaching_celebrations", "coaching_listening", "calibration_scores",
}  # fmt: skip
PERIOD = "end=2026-09-30&days=60"
NOTE = "We talked about the repeat caller; they want to practise naming the feeling first."


def _post(client, url: str, data: dict, page: str = "/coaching"):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf_of(client, page)}, follow_redirects=False)


def _start_session(world: World, app_client):  # type: ignore[no-untyped-def]
    lead = app_client("lead")
    agent_a = world.org.agents["A"]
    r = _post(lead, f"/coaching/agents/{agent_a}/sessions", {"end": "2026-09-30", "days": 60})
    assert r.status_code == 303, r.text
    sid = int(re.search(r"/coaching/sessions/(\d+)$", r.headers["location"]).group(1))  # type: ignore[union-attr]
    return lead, sid


def test_migration_creates_exactly_the_coaching_tables(world: World) -> None:
    with world.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)

    def table_of(d):  # type: ignore[no-untyped-def]
        item = d[0] if isinstance(d, list) else d
        for part in item[1:]:
            name = getattr(part, "name", None) if not isinstance(part, str) else part
            table = getattr(part, "table", None)
            if table is not None:
                return table.name
            if isinstance(name, str) and name in COACHING_TABLES:
                return name
        return None

    mine = [d for d in diffs if table_of(d) in COACHING_TABLES]
    assert mine == []
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CoachingSessionRow)).scalar_one() == 0


def test_agenda_is_built_from_real_moments_and_opens_with_support(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead = app_client("lead")
    iid = world.org.interactions[1]
    r = lead.get(f"/coaching/agents/{world.org.agents['A']}/agenda?{PERIOD}")
    assert r.status_code == 200
    assert "What kind of support do you need today?" in r.text
    assert f'href="/interactions/{iid}#turn-1"' in r.text  # the glow moment
    assert f'href="/interactions/{iid}#turn-3"' in r.text  # the growth moment
    assert "named the frustration and owned the fix" in r.text
    assert "@media print" in lead.get("/static/heartline.css").text
    # another team's lead cannot build it
    assert app_client("lead_summit").get(f"/coaching/agents/{world.org.agents['A']}/agenda").status_code == 404


def test_session_notes_are_private_to_the_lead_and_the_agent(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead, sid = _start_session(world, app_client)
    with world.engine.connect() as conn:
        moments = conn.execute(select(CoachingMomentRow.interaction_id, CoachingMomentRow.turn, CoachingMomentRow.kind)
                               .where(CoachingMomentRow.session_id == sid)).all()  # fmt: skip
    assert {(m.turn, m.kind) for m in moments} == {(1, "glow"), (3, "growth")}
    page = f"/coaching/sessions/{sid}"
    r = _post(lead, page, {"status": "held", "notes": NOTE, "opening_question": "How are you doing this week?"}, page)
    assert r.status_code == 303
    due = (date.today() + timedelta(days=7)).isoformat()
    r = _post(lead, f"{page}/actions", {"text": "Role-play the repeat caller together", "owner": "lead", "due_on": due}, page)
    assert r.status_code == 303
    assert NOTE in lead.get(page).text
    agent = app_client("agent")
    seen = agent.get(page)
    assert seen.status_code == 200 and NOTE in seen.text and "Role-play the repeat caller together" in seen.text
    assert f"/coaching/sessions/{sid}" in agent.get("/coaching").text
    assert app_client("agent_b").get(page).status_code == 404
    assert NOTE not in app_client("agent_b").get("/coaching").text
    assert app_client("lead_summit").get(page).status_code == 404
    for role in ("manager", "admin"):
        r = app_client(role).get(page)
        assert r.status_code == 200 and NOTE not in r.text and "Role-play the repeat caller" not in r.text
        assert "private to" in r.text
    assert "Harbour Lead" in app_client("manager").get("/coaching").text  # sessions held per lead
    with world.engine.connect() as conn:
        s = conn.execute(select(CoachingSessionRow).where(CoachingSessionRow.id == sid)).one()
    assert s.status == "held" and s.held_on is not None and s.opened_with_support_question


def test_only_the_session_lead_changes_it_and_agents_close_their_actions(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead, sid = _start_session(world, app_client)
    page = f"/coaching/sessions/{sid}"
    _post(lead, f"{page}/actions", {"text": "Try naming the feeling", "owner": "agent", "due_on": "2026-01-01"}, page)
    with world.engine.connect() as conn:
        aid = conn.execute(select(CoachingActionRow.id).where(CoachingActionRow.session_id == sid)).scalar_one()
    summit = app_client("lead_summit")
    assert _post(summit, page, {"status": "held", "notes": "x"}).status_code == 404
    assert _post(app_client("agent_b"), f"/coaching/actions/{aid}", {"op": "done"}).status_code == 404
    # the overdue action comes back first on the next agenda
    agenda = lead.get(f"/coaching/agents/{world.org.agents['A']}/agenda?{PERIOD}").text
    assert "overdue" in agenda and "Try naming the feeling" in agenda
    assert "is past its date" in agenda
    r = _post(app_client("agent"), f"/coaching/actions/{aid}", {"op": "done"})
    assert r.status_code == 303
    r = _post(lead, f"/coaching/actions/{aid}", {"op": "follow_up"}, page)
    with world.engine.connect() as conn:
        a = conn.execute(select(CoachingActionRow).where(CoachingActionRow.id == aid)).one()
    assert a.status == "done" and a.followed_up_at is not None
    assert "Try naming the feeling" not in lead.get(f"/coaching/agents/{world.org.agents['A']}/agenda?{PERIOD}").text


def test_agents_own_their_goals(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent = app_client("agent")
    r = _post(agent, "/coaching/goals", {"kind": "cross_training", "title": "Cross-train on retention"})
    assert r.status_code == 303
    assert "Cross-train on retention" in agent.get("/coaching").text
    with world.engine.connect() as conn:
        gid = conn.execute(select(DevelopmentGoalRow.id)).scalar_one()
    assert _post(app_client("agent_b"), f"/coaching/goals/{gid}", {"status": "done"}).status_code == 404
    assert _post(agent, f"/coaching/goals/{gid}", {"status": "in_progress"}).status_code == 303
    assert _post(agent, "/coaching/goals", {"kind": "astrology", "title": "x"}).status_code == 400
    lead = app_client("lead")
    assert "Cross-train on retention" in lead.get(f"/coaching/agents/{world.org.agents['A']}/agenda?{PERIOD}").text


@pytest.mark.slow
def test_reframer_on_the_session_page(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead, sid = _start_session(world, app_client)
    page = f"/coaching/sessions/{sid}"
    r = _post(lead, f"{page}/reframe", {"draft": "Your AHT was 30 seconds too high. Fix it."}, page)
    assert r.status_code == 200
    assert "style-corrective" in r.text
    assert re.search(r'<mark class="rf rf-command"[^>]*>Fix it\.</mark>', r.text)
    assert 'class="suggestion"' in r.text


def test_leader_habits_and_calibration(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead, sid = _start_session(world, app_client)
    page = f"/coaching/sessions/{sid}"
    _post(lead, page, {"status": "held", "notes": "ok", "opened_with_support": "1"}, page)
    r = lead.get("/coaching/habits")
    assert r.status_code == 200 and "1:1s held vs planned" in r.text and "100%" in r.text
    assert "Summit Lead" not in r.text
    assert "Summit Lead" in app_client("manager").get("/coaching/habits").text
    iid = world.org.interactions[1]
    # the model found acknowledge_emotion, apologize, ownership, set_expectations
    r = _post(lead, "/coaching/calibration", {"interaction_id": iid, "behaviour": ["acknowledge_emotion", "apologize"]})
    assert r.status_code == 303
    manager = app_client("manager")
    _post(manager, "/coaching/calibration", {"interaction_id": iid, "behaviour": ["acknowledge_emotion", "ownership"]})
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CalibrationScoreRow)).scalar_one() == 18
    r = manager.get("/coaching/calibration")
    assert r.status_code == 200 and "2 reviewer(s), 1 interaction(s)" in r.text
    assert "Where the model is wrong most" in r.text
    # another team's lead may not score or see it
    summit = app_client("lead_summit")
    assert _post(summit, "/coaching/calibration", {"interaction_id": iid}).status_code == 404
    assert "0 reviewer(s)" in summit.get("/coaching/calibration").text


def test_managers_see_notes_only_when_configured() -> None:
    manager = Principal(id=9, login="m", name="M", role="manager")
    lead = Principal(id=3, login="l", name="L", role="lead", lead_team_ids=frozenset({1}))
    other_lead = Principal(id=4, login="o", name="O", role="lead", lead_team_ids=frozenset({1}))
    agent = Principal(id=5, login="a", name="A", role="agent", agent_id=7, agent_team_id=1)
    assert not may_read_notes(manager, 3, 7, False) and may_read_notes(manager, 3, 7, True)
    assert may_read_notes(lead, 3, 7, False) and not may_read_notes(other_lead, 3, 7, True)
    assert may_read_notes(agent, 3, 7, False) and not may_read_notes(agent, 3, 8, True)


def test_seed_demo_is_idempotent(world: World) -> None:
    seed_demo(world.engine, None)

    def counts() -> dict[str, int]:
        with world.engine.connect() as conn:
            return {t: conn.execute(select(func.count()).select_from(Base.metadata.tables[t])).scalar_one()
                    for t in sorted(COACHING_TABLES)}  # fmt: skip

    first = counts()
    assert first["coaching_sessions"] > 0 and first["coaching_actions"] > 0 and first["calibration_scores"] > 0
    seed_demo(world.engine, None)
    assert counts() == first


def test_named_barriers_reach_the_agenda_and_the_habits_but_anonymous_ones_stay_unattributed(
    world: World, app_client  # type: ignore[no-untyped-def]
) -> None:
    from datetime import datetime

    from sqlalchemy import insert

    from heartline.store.tables_voice import BarrierRow

    raised = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=2)
    with world.engine.begin() as conn:
        common = {"category": "tools", "author_token": "t" * 64, "author_person": "p" * 64,
                  "team_id": world.org.teams["harbour"], "created_at": raised}  # fmt: skip
        conn.execute(insert(BarrierRow).values(
            id="b1", text="The refund tool times out", anonymous=False, author_user_id=world.users["agent"],
            status="open", first_response_at=raised + timedelta(hours=6), **common))  # fmt: skip
        conn.execute(insert(BarrierRow).values(
            id="b2", text="Nobody listens to the night shift", anonymous=True, author_user_id=None,
            status="open", first_response_at=raised + timedelta(hours=10), **common))  # fmt: skip
    lead = app_client("lead")
    agenda = lead.get(f"/coaching/agents/{world.org.agents['A']}/agenda?{PERIOD}").text
    assert "The refund tool times out" in agenda and "Nobody listens to the night shift" not in agenda
    assert "What barriers are in your way?" in agenda
    other = lead.get(f"/coaching/agents/{world.org.agents['B']}/agenda?{PERIOD}").text
    assert "The refund tool times out" not in other and "Nobody listens" not in other
    habits = lead.get("/coaching/habits").text
    assert "8.0 h" in habits  # median of the 6 h and 10 h first responses in the lead's team


def test_peer_recognitions_a_lead_gives_count_as_recognition_given(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from sqlalchemy import insert

    from heartline.store.tables_recognition import RecognitionRow

    lead = app_client("lead")
    label = "Recognition given (1:1 celebrations and peer recognitions)"
    before = lead.get("/coaching/habits").text
    assert label in before
    with world.engine.begin() as conn:
        conn.execute(insert(RecognitionRow).values(
            key="r-lead-1", giver_user_id=world.users["lead"], giver_name="Lead", giver_role="lead",
            receiver_agent_id=world.org.agents["A"], team_id=world.org.teams["harbour"],
            message="You stayed calm with a grieving caller.", value_tags=["empathy"],
            created_at=datetime.now(UTC) - timedelta(days=1)))  # fmt: skip
    after = lead.get("/coaching/habits").text
    def given(html: str) -> str:
        tile = re.search(re.escape(label) + r'</div>\s*<div class="value">([^<]*)</div>', html)
        assert tile is not None
        return tile.group(1)

    assert given(before) in ("0", "no data")
    assert given(after) == "1"
