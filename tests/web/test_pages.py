"""Pages render what they promise, for the people allowed to see them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from heartline.store.tables_web import ScoreOverrideRow, ScoreReviewRow

from .conftest import RELIEVED_THANKS, World, csrf_of  # type: ignore[import-not-found]


def test_dashboard_shows_human_and_efficiency_side_by_side(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead: TestClient = app_client("lead")
    r = lead.get("/dashboard?start=2026-09-01&end=2026-09-30")
    assert r.status_code == 200
    html = r.text
    assert "Human" in html and "Efficiency" in html
    # the harbour lead sees harbour's 4 contacts: CSAT 67%, AHT 5:18 (317.5 s), empathy 60
    assert "4 contacts" in html
    assert ">67%<" in html and ">5:18<" in html and ">60<" in html
    assert "eNPS" in html and "no data" in html
    assert html.count("<svg") >= 4
    assert "Agent A" in html and "Agent B" in html and "Agent C" not in html
    assert "scorecard = w_h" in html  # the formula is on the page


def test_filters_narrow_the_dashboard(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    manager = app_client("manager")
    r = manager.get("/dashboard?start=2026-09-01&end=2026-09-30&channel=chat")
    assert r.status_code == 200 and "1 contacts" in r.text
    r = manager.get(f"/dashboard?start=2026-09-01&end=2026-09-30&team={world.org.teams['summit']}")
    assert "Agent C" in r.text and "Agent A" not in r.text
    assert manager.get("/dashboard?start=yesterday").status_code == 400


def test_interaction_viewer_colours_emotions_and_highlights_evidence(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent = app_client("agent")
    iid = world.org.interactions[1]
    r = agent.get(f"/interactions/{iid}")
    assert r.status_code == 200
    html = r.text
    assert "emo-bg-anger" in html and "emo-bg-satisfaction" in html
    assert "acknowledge emotion" in html and "chip-apologize" in html
    assert "<mark>I can hear how frustrating this has been</mark>" in html
    assert RELIEVED_THANKS in html
    assert "Customer emotion through the conversation" in html
    assert "CSAT 5" in html and "She really listened." in html
    assert "Acknowledge" in html and "Dispute" in html  # the agent's own contact
    # the difficulty's evidence: the customer turn that weighed most, linked to the transcript
    drivers = html.split("What made it hard", 1)[1].split("</ul>", 1)[0]
    assert 'href="#turn-0"' in drivers and "emo-anger" in drivers


def test_a_call_without_drivers_shows_no_difficulty_evidence(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    r = app_client("lead").get(f"/interactions/{world.org.interactions[2]}")
    assert r.status_code == 200 and "What made it hard" not in r.text


def test_dispute_reaches_the_lead_and_an_upheld_dispute_overrides(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    iid = world.org.interactions[2]
    agent = app_client("agent")
    token = csrf_of(agent, f"/interactions/{iid}")
    r = agent.post(
        f"/interactions/{iid}/review",
        data={"field": "empathy_score", "kind": "dispute", "comment": "I offered a callback", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # a dispute without a comment is refused
    r = agent.post(
        f"/interactions/{iid}/review",
        data={"field": "empathy_score", "kind": "dispute", "comment": " ", "csrf_token": token},
    )
    assert r.status_code == 400
    summit = app_client("lead_summit")
    assert "I offered a callback" not in summit.get("/disputes").text
    lead = app_client("lead")
    queue = lead.get("/disputes").text
    assert "I offered a callback" in queue
    review_id = int(re.search(r"/disputes/(\d+)/resolve", queue).group(1))  # type: ignore[union-attr]
    # another team's lead cannot resolve it
    r = summit.post(
        f"/disputes/{review_id}/resolve",
        data={"decision": "decline", "note": "no", "csrf_token": csrf_of(summit, "/disputes")},
    )
    assert r.status_code == 404
    r = lead.post(
        f"/disputes/{review_id}/resolve",
        data={"decision": "uphold", "value": "70", "note": "You did offer it; the model missed it.",
              "csrf_token": csrf_of(lead, "/disputes")},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    with world.engine.connect() as conn:
        review = conn.execute(select(ScoreReviewRow.status)).scalar_one()
        override = conn.execute(select(ScoreOverrideRow.old_value, ScoreOverrideRow.new_value)).one()
    assert review == "upheld" and tuple(override) == (40.0, 70.0)
    page = agent.get(f"/interactions/{iid}").text
    assert "overridden" in page and "You did offer it" in page
    # the dashboard mean empathy follows the override: harbour (80 + 70 + 60) / 3
    assert ">70<" in lead.get("/dashboard?start=2026-09-01&end=2026-09-30").text


def test_agent_view_and_lists_are_scoped(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent = app_client("agent")
    me = agent.get("/me?start=2026-09-01&end=2026-09-30")
    assert me.status_code == 200 and "My view" in me.text
    assert "named the frustration and owned the fix" in me.text  # their glow moment
    listing = agent.get("/interactions").text
    own = {int(x) for x in re.findall(r'href="/interactions/(\d+)"', listing)}
    assert own == {world.org.interactions[1], world.org.interactions[2]}
    assert agent.get(f"/interactions/{world.org.interactions[3]}").status_code == 404
    assert agent.get(f"/agents/{world.org.agents['B']}").status_code == 404
    assert agent.get(f"/agents/{world.org.agents['A']}").status_code == 200
    assert agent.get("/disputes").status_code == 403
    lead = app_client("lead")
    assert lead.get(f"/interactions/{world.org.interactions[5]}").status_code == 404
    assert lead.get(f"/agents/{world.org.agents['C']}").status_code == 404
    assert lead.get(f"/dashboard?team={world.org.teams['summit']}").status_code == 403


def test_interaction_search_filters(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    manager = app_client("manager")

    def ids(query: str) -> set[int]:
        r = manager.get(f"/interactions?{query}")
        assert r.status_code == 200, r.text
        return {int(x) for x in re.findall(r'href="/interactions/(\d+)"', r.text)}

    i = world.org.interactions
    assert ids("") == set(i.values())
    assert ids("emotion=frustration") == {i[2]}
    assert ids("emotion=worry") == {i[4]}
    assert ids("min_difficulty=65") == {i[1], i[4]}
    assert ids("missed_cues=1") == {i[2], i[4]}
    assert ids("robotic=1") == {i[2]}
    assert ids(f"agent={world.org.agents['B']}") == {i[3], i[4]}
    assert ids("start=2026-09-02&end=2026-09-02") == {i[3], i[4]}
    assert ids("channel=chat") == {i[3]}
    assert manager.get("/interactions?emotion=grumpy").status_code == 400


def test_friction_page(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    r = app_client("manager").get("/friction?start=2026-09-01&end=2026-09-30")
    assert r.status_code == 200
    assert "Time on hold" in r.text and "Transfers" in r.text and "Repeat contacts" in r.text


def test_weights_form_changes_the_scorecard(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    manager = app_client("manager")
    team = world.org.teams["harbour"]
    r = manager.post(
        "/dashboard/weights",
        data={"team": team, "human": 3, "efficiency": 1, "aht_target_seconds": 300, "acw_target_seconds": 60,
              "csrf_token": csrf_of(manager, "/dashboard")},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    page = manager.get(f"/dashboard?team={team}&start=2026-09-01&end=2026-09-30").text
    assert "human 0.75, efficiency 0.25" in page and "AHT target 5:00" in page


def test_transcript_text_is_escaped(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from heartline.store.tables import TurnRow

    iid = world.org.interactions[2]
    with world.engine.begin() as conn:
        conn.execute(insert(TurnRow).values(interaction_id=iid, idx=0, speaker="customer",
                                            text='<script>alert("x")</script> why'))  # fmt: skip
    html = app_client("manager").get(f"/interactions/{iid}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_acknowledging_a_score_is_kept_and_does_not_queue(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    iid = world.org.interactions[1]
    agent = app_client("agent")
    r = agent.post(
        f"/interactions/{iid}/review",
        data={"field": "empathy_score", "kind": "acknowledge", "csrf_token": csrf_of(agent, f"/interactions/{iid}")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with world.engine.connect() as conn:
        assert conn.execute(select(ScoreReviewRow.status)).scalar_one() == "acknowledged"
    assert "No open disputes" in app_client("lead").get("/disputes").text
    assert "acknowledged" in agent.get("/me?start=2026-09-01&end=2026-09-30").text
    # an agent cannot review another agent's contact
    other = world.org.interactions[3]
    r = agent.post(
        f"/interactions/{other}/review",
        data={"field": "empathy_score", "kind": "acknowledge", "csrf_token": csrf_of(agent, f"/interactions/{iid}")},
    )
    assert r.status_code == 404


def test_an_empty_store_renders_no_data_not_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from heartline.settings import Settings
    from heartline.store.engine import make_engine, migrate
    from heartline.web.accounts import create_user
    from heartline.web.app import create_app

    from .conftest import PASSWORD, sign_in  # type: ignore[import-not-found]

    settings = Settings(data_dir=tmp_path, environment="test", secret_key="empty-store-secret-0123456789")
    engine = make_engine(settings)
    migrate(engine)
    with engine.begin() as conn:
        create_user(conn, login="first@admin", password=PASSWORD, role="admin", display_name="First admin")
    engine.dispose()
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        sign_in(client, "first@admin")
        for path in ("/dashboard", "/interactions", "/friction", "/disputes", "/admin", "/api/kpis", "/api/interactions"):
            r = client.get(path)
            assert r.status_code == 200, path
        assert "no data" in client.get("/dashboard").text
        assert "Nothing matches" in client.get("/interactions").text
