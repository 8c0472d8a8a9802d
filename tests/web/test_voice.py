"""Voice pages through the web layer: barriers from raising to "you said, we did", the weekly
pulse (once per person and week, stored without a user id), check-in notes, leadership
feedback, ``GET /api/pulse/results``, the demo seed, and the migration matching the tables."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import func, insert, select

from heartline.people import pulse as pulse_lib
from heartline.store.tables import Base
from heartline.store.tables_voice import (
    BarrierMessageRow,
    BarrierRow,
    BarrierSupportRow,
    CheckInNoteRow,
    DecisionFeedbackRow,
    DecisionRow,
    PulseAnswerRow,
)
from heartline.web.queries import orm
from heartline.web.routes import voice as voice_routes

from .conftest import CSRF_RE, World  # type: ignore[import-not-found]


def words_embedder(texts):  # type: ignore[no-untyped-def]
    """A small stand-in for MiniLM: hashed bag of words, so pages stay quick in tests."""
    out = np.zeros((len(texts), 64), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"[a-z]+", t.lower()):
            if len(w) > 3:
                out[i, sum(map(ord, w)) % 64] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def post(client, path: str, data: dict[str, object], page: str = "/voice"):  # type: ignore[no-untyped-def]
    token = CSRF_RE.search(client.get(page).text)
    assert token, f"no CSRF token on {page}"
    return client.post(path, data={**data, "csrf_token": token.group(1)}, follow_redirects=False)


def last_closed_week() -> tuple[date, date]:
    return voice_routes._last_closed_week(voice_routes.now().date())


def add_answers(world: World, team_key: str, monday: date, people: int, *, enps: int = 9,
                tenure: str = "over 2 years", comment: str | None = None) -> None:  # fmt: skip
    """``people`` answers to the pulse of the week starting ``monday`` (each a distinct token)."""
    form = pulse_lib.weekly_pulse(monday, rotating=voice_routes.PULSE_ROTATING)
    with world.engine.begin() as conn:
        for _ in range(people):
            answers = {q.id: (enps if q.kind == "enps" else 4) for q in form.questions}
            conn.execute(
                insert(PulseAnswerRow).values(
                    id=secrets.token_hex(12), once_token=secrets.token_hex(32), week=pulse_lib.iso_week(monday),
                    team_key=team_key, tenure=tenure, shift="day", answers=answers, comment=comment,
                )
            )


def barrier_id_with(world: World, text: str) -> str:
    with world.engine.connect() as conn:
        return conn.execute(select(BarrierRow.id).where(BarrierRow.text == text)).scalar_one()


def test_migration_creates_exactly_the_voice_tables(world: World) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with world.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    ours = [d for d in diff if "voice_" in repr(d)]
    assert ours == []


def test_barrier_from_raising_to_you_said_we_did(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent, agent_b, lead = app_client("agent"), app_client("agent_b"), app_client("lead")
    lead.app.state.voice_embedder = words_embedder
    text = "The roaming article in the knowledge base still lists the prices of last year."
    r = post(agent, "/voice/barriers", {"category": "knowledge_base", "text": text, "anonymous": "on"})
    assert r.status_code == 303
    bid = barrier_id_with(world, text)
    mine = agent.get("/voice").text
    assert text in mine and "anonymous" in mine and f'id="barrier-{bid}"' in mine

    # a colleague says "me too" (once); the author cannot
    assert post(agent_b, "/voice/barriers/me-too", {"barrier_id": bid}).status_code == 303
    assert "You said &#34;me too&#34;" in agent_b.get("/voice").text or 'You said "me too"' in agent_b.get("/voice").text
    r = post(agent, "/voice/barriers/me-too", {"barrier_id": bid})
    assert r.status_code == 400 and "already counted" in r.text

    # the lead sees it with a handle, answers, and moves it along; won't fix needs a reason
    page = lead.get("/voice").text
    assert text in page and "the author (author-" in page and "respond by" in page
    assert post(lead, "/voice/barriers/reply", {"barrier_id": bid, "text": "Thank you, I am on it."}).status_code == 303
    r = post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": "wont_fix"})
    assert r.status_code == 400 and "reason is required" in r.text
    r = post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": "resolved", "reason": "x"})
    assert r.status_code == 400 and "cannot go from new to resolved" in r.text
    for status in ("acknowledged", "in_progress"):
        assert post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": status}).status_code == 303
    we_did = "Rewrote the article with the current prices."
    r = post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": "resolved", "reason": we_did})
    assert r.status_code == 303

    # the author sees who answered, and confirms; only the author can
    page = agent.get("/voice").text
    assert "Harbour Lead (lead)" in page and "Resolved for me" in page
    r = post(agent_b, "/voice/barriers/confirm", {"barrier_id": bid, "resolved": "yes"})
    assert r.status_code in (400, 404)
    assert post(agent, "/voice/barriers/confirm", {"barrier_id": bid, "resolved": "yes"}).status_code == 303
    with world.engine.connect() as conn:
        row = orm(conn).execute(select(BarrierRow).where(BarrierRow.id == bid)).scalar_one()
        supporters = conn.execute(select(func.count()).select_from(BarrierSupportRow)).scalar_one()
        messages = conn.execute(select(func.count()).select_from(BarrierMessageRow)).scalar_one()
    assert (row.status, row.confirmed_by_author, row.reason) == ("resolved", True, we_did)
    assert row.author_user_id is None and row.interaction_id is None
    assert row.first_response_at is not None and row.acknowledged_at is not None
    assert (supporters, messages) == (1, 1)

    board = agent_b.get("/voice/you-said-we-did").text
    assert text in board and we_did in board and "confirmed by the person who raised it" in board
    # another team's lead neither sees it on the page nor can act on it
    summit = app_client("lead_summit")
    assert text not in summit.get("/voice").text
    r = post(summit, "/voice/barriers/reply", {"barrier_id": bid, "text": "hello"})
    assert r.status_code == 404


def test_not_resolved_for_me_reopens(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent, lead = app_client("agent"), app_client("lead")
    text = "The refund limit means customers wait on hold for a supervisor."
    post(agent, "/voice/barriers", {"category": "policy", "text": text})  # named
    bid = barrier_id_with(world, text)
    assert "Agent A" in lead.get("/voice").text  # named barriers show their author
    for status in ("acknowledged", "in_progress"):
        post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": status})
    post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": "resolved", "reason": "Limit raised."})
    r = post(agent, "/voice/barriers/confirm", {"barrier_id": bid, "resolved": "no", "comment": "Still 20 pounds."})
    assert r.status_code == 303
    with world.engine.connect() as conn:
        row = orm(conn).execute(select(BarrierRow).where(BarrierRow.id == bid)).scalar_one()
    assert (row.status, row.confirmed_by_author) == ("in_progress", False)
    assert "Still 20 pounds." in lead.get("/voice").text


def test_anonymous_barrier_cannot_link_an_interaction(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent = app_client("agent")
    iid = world.org.interactions[1]
    r = post(agent, "/voice/barriers", {"category": "scripts", "text": "The closing script is too long.",
                                        "anonymous": "on", "interaction_id": str(iid)})  # fmt: skip
    assert r.status_code == 400 and "cannot link an interaction" in r.text
    other = world.org.interactions[3]  # agent B's contact
    r = post(agent, "/voice/barriers", {"category": "scripts", "text": "The closing script is too long.",
                                        "interaction_id": str(other)})  # fmt: skip
    assert r.status_code == 400 and "your own interactions" in r.text
    r = post(agent, "/voice/barriers", {"category": "scripts", "text": "The closing script is too long.",
                                        "interaction_id": str(iid)})  # fmt: skip
    assert r.status_code == 303
    with world.engine.connect() as conn:
        assert conn.execute(select(BarrierRow.interaction_id)).scalar_one() == iid


def test_overdue_after_five_working_days(world: World, app_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    agent, lead = app_client("agent"), app_client("lead")
    text = "Shift swaps take a week to approve."
    post(agent, "/voice/barriers", {"category": "scheduling", "text": text, "anonymous": "on"})
    assert "overdue" not in lead.get("/voice").text.split('id="barriers"')[1]
    later = voice_routes.now() + timedelta(days=8)  # eight calendar days hold at least five working days
    monkeypatch.setattr(voice_routes, "now", lambda: later)
    page = lead.get("/voice").text
    assert "overdue: response was due" in page
    bid = barrier_id_with(world, text)
    post(lead, "/voice/barriers/reply", {"barrier_id": bid, "text": "Sorry for the wait."})
    assert "overdue: response was due" not in lead.get("/voice").text


def test_pulse_is_answered_once_a_week_without_a_user_id(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent = app_client("agent")
    page = agent.get("/voice").text
    form = pulse_lib.weekly_pulse(voice_routes.now().date(), rotating=voice_routes.PULSE_ROTATING)
    assert all(q.text in page for q in form.questions) and 3 <= len(form.questions) <= 5
    data = {f"q_{q.id}": (9 if q.kind == "enps" else 4) for q in form.questions}
    assert post(agent, "/voice/pulse", {**data, "comment": "Good week."}).status_code == 303
    assert "you have answered this week's pulse" in agent.get("/voice").text
    r = post(agent, "/voice/pulse", data)
    assert r.status_code == 400 and "already answered" in r.text
    r = post(app_client("agent_b"), "/voice/pulse", {"q_enps": 11})
    assert r.status_code == 400 and "0-10" in r.text
    with world.engine.connect() as conn:
        rows = orm(conn).execute(select(PulseAnswerRow)).scalars().all()
    assert len(rows) == 1
    stored = rows[0]
    assert set(PulseAnswerRow.__table__.columns.keys()) == {
        "id", "once_token", "week", "team_key", "tenure", "shift", "answers", "comment"
    }
    assert stored.team_key == "harbour" and stored.week == form.week
    # the token is a keyed hash of user and week: it stops a second answer this week and
    # cannot be matched with the same person's answer of another week
    uid, secret = world.users["agent"], world.settings.secret_key
    assert stored.once_token == voice_routes._once_token(secret, "pulse", form.week, uid)
    next_week = pulse_lib.iso_week(voice_routes.now().date() + timedelta(days=7))
    assert voice_routes._once_token(secret, "pulse", next_week, uid) != stored.once_token


def test_api_pulse_results_figures_hidden_and_scope(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    monday, sunday = last_closed_week()
    add_answers(world, "harbour", monday, 4, enps=10)
    add_answers(world, "harbour", monday, 2, enps=3)
    lead, manager, agent = app_client("lead"), app_client("manager"), app_client("agent")
    url = f"/api/pulse/results?team=harbour&from={monday}&to={sunday}"
    body = lead.get(url).json()
    assert body["hidden"] is False and body["responses"] == 6
    assert body["enps"] == pytest.approx(100 * (4 - 2) / 6, abs=0.1)
    assert body["comments"]["hidden"] is True
    assert manager.get(f"/api/pulse/results?team=Harbour&from={monday}&to={sunday}").json()["enps"] == body["enps"]
    token = lead.get(url, headers={"authorization": f"Bearer {world.token}"}).json()
    assert token["enps"] == body["enps"]
    # summit has no answers: hidden, with a reason
    hidden = manager.get(f"/api/pulse/results?team=summit&from={monday}&to={sunday}").json()
    assert hidden["hidden"] is True and hidden["reason"]
    # errors keep the API's JSON shape
    r = lead.get(f"/api/pulse/results?team=summit&from={monday}&to={sunday}")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = agent.get(url)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = lead.get("/api/pulse/results?from=yesterday")
    assert r.status_code == 400 and "date like" in r.json()["error"]["message"]
    # the lead's page shows the same figure and a chart
    page = lead.get("/voice").text
    assert 'aria-label="eNPS by week, Harbour"' in page and f">{body['enps']}<" in page


def test_checkin_notes_and_leadership_feedback(world: World, app_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lead, manager, agent = app_client("lead"), app_client("manager"), app_client("agent")
    harbour, summit = world.org.teams["harbour"], world.org.teams["summit"]
    note = "Angry repeat callers about the tariff change made Monday tough."
    assert post(lead, "/voice/checkins", {"team_id": harbour, "text": note,
                                          "prompt": pulse_lib.CHECKIN_PROMPTS[0]}).status_code == 303  # fmt: skip
    assert post(lead, "/voice/checkins", {"team_id": summit, "text": "x"}).status_code == 403
    assert note in lead.get("/voice").text and note not in app_client("lead_summit").get("/voice").text
    with world.engine.connect() as conn:
        assert conn.execute(select(CheckInNoteRow.prompt)).scalar_one() == pulse_lib.CHECKIN_PROMPTS[0]

    title = "Fixed 15-minute breaks after every two hours"
    assert post(manager, "/voice/leadership/decisions", {"title": title, "days": 7},
                "/voice/leadership").status_code == 303  # fmt: skip
    with world.engine.connect() as conn:
        decision_id = conn.execute(select(DecisionRow.id)).scalar_one()
    r = post(agent, "/voice/leadership/feedback", {"decision_id": decision_id, "rating": 4}, "/voice/leadership")
    assert r.status_code == 303
    r = post(agent, "/voice/leadership/feedback", {"decision_id": decision_id, "rating": 5}, "/voice/leadership")
    assert r.status_code == 400 and "already" in r.text
    assert "your feedback is in" in agent.get("/voice/leadership").text
    page = manager.get("/voice/leadership").text
    assert title in page and "results appear after" in page
    assert post(lead, "/voice/leadership/respond", {"decision_id": decision_id, "text": "We hear you."},
                "/voice/leadership").status_code == 303  # fmt: skip
    assert "We hear you." in agent.get("/voice/leadership").text
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DecisionFeedbackRow)).scalar_one() == 1
    # after the window, one rating stays hidden
    later = voice_routes.now() + timedelta(days=10)
    monkeypatch.setattr(voice_routes, "now", lambda: later)
    assert "Ratings hidden" in manager.get("/voice/leadership").text


def test_seed_demo_fills_living_pages_once(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    voice_routes.seed_demo(world.engine, None)
    with world.engine.connect() as conn:
        counts = {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in (BarrierRow, PulseAnswerRow, DecisionRow, CheckInNoteRow)}  # fmt: skip
        statuses = set(conn.execute(select(BarrierRow.status)).scalars())
    voice_routes.seed_demo(world.engine, None)
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(BarrierRow)).scalar_one() == counts["voice_barriers"]
    assert counts["voice_barriers"] == 40 and counts["voice_decisions"] == 2
    assert counts["voice_pulse_answers"] > 0 and counts["voice_checkin_notes"] == 6
    assert {"new", "acknowledged", "in_progress", "resolved", "wont_fix"} <= statuses
    manager = app_client("manager")
    manager.app.state.voice_embedder = words_embedder
    page = manager.get("/voice").text
    assert page.count('class="barrier') >= 20 and "Themes" in page and "agents, same" in page
    assert "We did" in manager.get("/voice/you-said-we-did").text
    assert "Mean rating" in manager.get("/voice/leadership").text or "Ratings hidden" in manager.get(
        "/voice/leadership"
    ).text


def enps_tile(page: str) -> str:
    m = re.search(r'<div class="label">eNPS</div>\s*<div class="value">([^<]*)</div>', page)
    assert m, "no eNPS tile on the dashboard"
    return m.group(1).strip()


def test_dashboard_enps_comes_through_the_gate(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    monday, sunday = last_closed_week()
    manager, lead = app_client("manager"), app_client("lead")
    harbour, summit = world.org.teams["harbour"], world.org.teams["summit"]
    window = f"start={monday - timedelta(days=3)}&end={sunday + timedelta(days=1)}"  # not week-aligned
    before = enps_tile(manager.get(f"/dashboard?team={harbour}&{window}").text)
    add_answers(world, "harbour", monday, 4, enps=10)
    add_answers(world, "harbour", monday, 2, enps=5)
    add_answers(world, "summit", monday, 2, enps=0)  # too few: never used
    shown = enps_tile(manager.get(f"/dashboard?team={harbour}&{window}").text)
    assert before != shown and "33" in shown  # (4 - 2) / 6 promoters minus detractors
    assert enps_tile(lead.get(f"/dashboard?{window}").text) == shown
    assert enps_tile(manager.get(f"/dashboard?team={summit}&{window}").text) == before  # no data
    assert enps_tile(manager.get(f"/dashboard?{window}").text) == shown  # summit's two add nothing
    # an agent-level selection never gets a pulse figure
    from heartline.insights import kpis

    flt = kpis.Filter(team_ids=(harbour,), agent_ids=(world.org.agents["A"],), start=monday, end=sunday)
    with world.engine.connect() as conn:
        assert voice_routes.dashboard_enps(conn, flt) is None
        assert voice_routes.dashboard_enps(conn, kpis.Filter(team_ids=(harbour,), start=monday, end=sunday)) == (6, 4, 2)


@pytest.mark.slow
def test_manager_sees_minilm_themes_on_demo_barriers(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    """The real all-MiniLM-L6-v2 embedder groups the demo barriers into themes."""
    voice_routes.seed_demo(world.engine, None)
    manager = app_client("manager")
    assert getattr(manager.app.state, "voice_embedder", None) is None
    page = manager.get("/voice").text
    section = page.split('id="themes"')[1].split("</section>")[0]
    headlines = re.findall(r"<strong>(\d+) agents?, same ([^<]+)</strong>", section)
    assert len(headlines) >= 2, section
    assert all(int(n) >= 2 for n, _ in headlines)
