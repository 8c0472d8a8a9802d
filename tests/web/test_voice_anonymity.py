"""Attempts to de-anonymise through the web layer, every one of which must fail.

An agent raises an anonymous barrier, writes in its thread, a colleague says "me too", the
lead answers and resolves it, the author confirms.  Then every page, the API, the export,
error messages, the logs and the admin's view are searched for the author; and the pulse
is attacked with a small team, narrow dates, a tenure filter, the difference of two
overlapping queries, and a lead who is the only other member of a team.
"""

from __future__ import annotations

import csv
import io
import logging
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from heartline.people import pulse as pulse_lib
from heartline.store.tables_voice import BarrierMessageRow, BarrierRow, PulseAnswerRow
from heartline.web.queries import orm
from heartline.web.routes import voice as voice_routes

from .conftest import CSRF_RE, ROLES_AND_LOGINS, World  # type: ignore[import-not-found]

AUTHOR_TEXT = "Our callback tool drops the notes field whenever the queue is busy."
AUTHOR_REPLY = "It happened again on three calls this morning."


def post(client, path: str, data: dict[str, object], page: str = "/voice"):  # type: ignore[no-untyped-def]
    token = CSRF_RE.search(client.get(page).text)
    assert token, f"no CSRF token on {page}"
    return client.post(path, data={**data, "csrf_token": token.group(1)}, follow_redirects=False)


def add_answers(world: World, team_key: str, monday, people: int, *, enps: int = 9,  # type: ignore[no-untyped-def]
                tenure: str = "over 2 years", comment: str | None = None) -> None:  # fmt: skip
    form = pulse_lib.weekly_pulse(monday, rotating=voice_routes.PULSE_ROTATING)
    with world.engine.begin() as conn:
        for _ in range(people):
            conn.execute(
                insert(PulseAnswerRow).values(
                    id=secrets.token_hex(12), once_token=secrets.token_hex(32), week=pulse_lib.iso_week(monday),
                    team_key=team_key, tenure=tenure, shift="day",
                    answers={q.id: (enps if q.kind == "enps" else 3) for q in form.questions}, comment=comment,
                )
            )


def identifiers(world: World, role: str = "agent") -> list[str]:
    """What would give the author away: their name, login, and links to their records."""
    agent_id = world.org.agents["A"]
    return ["Agent A", ROLES_AND_LOGINS[role], f"/agents/{agent_id}", f"user_id={world.users[role]}",
            f'"author_id": "{world.users[role]}"']  # fmt: skip


def assert_absent(text: str, needles: list[str], where: str) -> None:
    for needle in needles:
        assert needle not in text, f"{needle!r} found in {where}"


@pytest.fixture
def raised(world: World, app_client, caplog):  # type: ignore[no-untyped-def]
    """The whole workflow of one anonymous barrier, logs captured from the first request."""
    caplog.set_level(logging.DEBUG)
    agent, agent_b, lead = app_client("agent"), app_client("agent_b"), app_client("lead")
    lead.app.state.voice_embedder = lambda texts: __import__("numpy").eye(max(len(texts), 1))[: len(texts)]
    assert post(agent, "/voice/barriers", {"category": "tools_tech", "text": AUTHOR_TEXT,
                                           "anonymous": "on"}).status_code == 303  # fmt: skip
    with world.engine.connect() as conn:
        bid = conn.execute(select(BarrierRow.id).where(BarrierRow.text == AUTHOR_TEXT)).scalar_one()
    assert post(agent, "/voice/barriers/reply", {"barrier_id": bid, "text": AUTHOR_REPLY}).status_code == 303
    assert post(agent_b, "/voice/barriers/me-too", {"barrier_id": bid}).status_code == 303
    assert post(lead, "/voice/barriers/reply", {"barrier_id": bid, "text": "Thanks, raising it with IT."}).status_code == 303
    for status in ("acknowledged", "in_progress"):
        assert post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": status}).status_code == 303
    r = post(lead, "/voice/barriers/status", {"barrier_id": bid, "status": "resolved",
                                              "reason": "IT fixed the notes field."})  # fmt: skip
    assert r.status_code == 303
    assert post(agent, "/voice/barriers/confirm", {"barrier_id": bid, "resolved": "yes"}).status_code == 303
    return bid


def test_no_page_api_or_export_names_the_author(world: World, app_client, raised: str) -> None:  # type: ignore[no-untyped-def]
    monday, sunday = voice_routes._last_closed_week(voice_routes.now().date())
    add_answers(world, "harbour", monday, 6)
    needles = identifiers(world)
    pages = ["/voice", "/voice/you-said-we-did", "/voice/leadership", "/voice/pulse/export.csv",
             f"/api/pulse/results?team=harbour&from={monday}&to={sunday}", "/api/pulse/results"]  # fmt: skip
    seen_text = 0
    for role in ("lead", "manager", "admin"):
        client = app_client(role)
        for url in pages:
            r = client.get(url)
            assert r.status_code == 200, (role, url, r.status_code)
            assert_absent(r.text, needles, f"{role} {url}")
            seen_text += AUTHOR_TEXT in r.text
        # the thread is there, with the author behind a handle
        page = client.get("/voice").text
        assert AUTHOR_REPLY in page and "the author (author-" in page
    assert seen_text >= 6  # the barrier itself is on the leaders' pages: the test looks at real content
    # a colleague sees the board, not the author
    board = app_client("agent_b").get("/voice/you-said-we-did").text
    assert AUTHOR_TEXT in board
    assert_absent(board, needles, "colleague's board")
    # the admin's own page lists accounts but nothing of the barrier
    admin_page = app_client("admin").get("/admin").text
    assert AUTHOR_TEXT not in admin_page and raised not in admin_page


def test_the_store_keeps_no_author(world: World, raised: str) -> None:
    with world.engine.connect() as conn:
        row = orm(conn).execute(select(BarrierRow).where(BarrierRow.id == raised)).scalar_one()
        messages = orm(conn).execute(select(BarrierMessageRow).where(BarrierMessageRow.barrier_id == raised)).scalars().all()
    assert row.author_user_id is None and row.interaction_id is None
    stored = " ".join(str(getattr(row, c.key)) for c in BarrierRow.__table__.columns)
    assert_absent(stored, ["Agent A", ROLES_AND_LOGINS["agent"]], "the barrier row")
    # the author token is keyed by the secret and this barrier's random id
    uid = str(world.users["agent"])
    assert row.author_token not in (uid, f"{uid}:{raised}") and len(row.author_token) == 64
    author_messages = [m for m in messages if m.role == "author"]
    assert len(author_messages) == 1
    m = author_messages[0]
    assert m.leader_user_id is None and m.leader_name is None
    assert (m.at.hour, m.at.minute, m.at.second) == (0, 0, 0)  # dated to the day only
    assert (row.created_at.hour, row.created_at.minute) == (0, 0)


def test_error_messages_and_logs_name_nobody(world: World, app_client, raised: str, caplog) -> None:  # type: ignore[no-untyped-def]
    needles = identifiers(world)
    agent_b, lead, summit = app_client("agent_b"), app_client("lead"), app_client("lead_summit")
    attempts = [
        post(agent_b, "/voice/barriers/confirm", {"barrier_id": raised, "resolved": "no"}),
        post(agent_b, "/voice/barriers/reply", {"barrier_id": raised, "text": "who wrote this?"}),
        post(agent_b, "/voice/barriers/me-too", {"barrier_id": raised}),
        post(lead, "/voice/barriers/confirm", {"barrier_id": raised, "resolved": "yes"}),
        post(lead, "/voice/barriers/status", {"barrier_id": raised, "status": "new"}),
        post(summit, "/voice/barriers/status", {"barrier_id": raised, "status": "wont_fix", "reason": "x"}),
        post(summit, "/voice/barriers/reply", {"barrier_id": raised, "text": "hello"}),
    ]
    assert all(r.status_code in (400, 403, 404) for r in attempts), [r.status_code for r in attempts]
    for r in attempts:
        assert_absent(r.text, needles, f"error page {r.status_code}")
    # the author's own pages name them (sanity: the needles are real), the logs never do
    assert "Agent A" in app_client("agent").get("/voice").text
    assert caplog.records, "nothing was logged: the log check would prove nothing"
    assert_absent(caplog.text, needles + [AUTHOR_REPLY], "the logs")
    with world.engine.connect() as conn:
        token = conn.execute(select(BarrierRow.author_token).where(BarrierRow.id == raised)).scalar_one()
    assert token not in caplog.text
    # author actions carry the barrier id in the form, never in the path that access logs keep
    assert f"/voice/barriers/{raised}" not in caplog.text


def test_lead_who_is_the_only_other_member_of_a_team_learns_nothing(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    """Summit: agent C and its lead.  C answers the pulse; the lead must see nothing."""
    monday, sunday = voice_routes._last_closed_week(voice_routes.now().date())
    add_answers(world, "summit", monday, 1, enps=0, comment="I am thinking of leaving.")
    add_answers(world, "harbour", monday, 6, enps=10)
    summit = app_client("lead_summit")
    for url in (f"/api/pulse/results?team=summit&from={monday}&to={sunday}", "/api/pulse/results"):
        body = summit.get(url).json()
        assert body["hidden"] is True and "enps" not in body, url
        assert body["comments"]["hidden"] is True
    page = summit.get("/voice").text
    assert "Hidden" in page and "I am thinking of leaving." not in page
    export = summit.get("/voice/pulse/export.csv").text
    rows = list(csv.DictReader(io.StringIO(export)))
    assert rows and all(r["hidden"] == "True" for r in rows)
    assert "I am thinking of leaving." not in export
    # adding summit to harbour changes nothing: the single answer is never used
    manager = app_client("manager")
    both = manager.get(f"/api/pulse/results?team=harbour,summit&from={monday}&to={sunday}").json()
    harbour = manager.get(f"/api/pulse/results?team=harbour&from={monday}&to={sunday}").json()
    assert both["hidden"] is False and both["enps"] == harbour["enps"] == 100.0
    assert both["responses"] == harbour["responses"] == 6


def test_narrow_dates_tenure_and_differences_reveal_nothing(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    monday, sunday = voice_routes._last_closed_week(voice_routes.now().date())
    week_before = monday - timedelta(days=7)
    add_answers(world, "harbour", monday, 5, enps=9)
    add_answers(world, "harbour", monday, 1, enps=0, tenure="under 6 months")  # the new starter
    add_answers(world, "harbour", week_before, 1, enps=0)  # a lone answer the week before
    lead = app_client("lead")
    base = f"/api/pulse/results?team=harbour&from={monday}&to={sunday}"
    whole = lead.get(base).json()
    assert whole["hidden"] is False and whole["responses"] == 6
    # one day, or a window that starts mid-week: refused, not rounded
    for start, end in ((sunday, sunday), (monday + timedelta(days=1), sunday)):
        body = lead.get(f"/api/pulse/results?team=harbour&from={start}&to={end}").json()
        assert body["hidden"] is True and "whole weeks" in body["reason"], (start, end)
    # tenure filters cut through the team's only block: both bands hidden
    for band in ("under 6 months", "over 2 years"):
        body = lead.get(f"{base}&tenure={band}").json()
        assert body["hidden"] is True and "enps" not in body, band
    # two weeks minus last week would be the lone answer: the two answers are identical
    two_weeks = lead.get(f"/api/pulse/results?team=harbour&from={week_before}&to={sunday}").json()
    assert {k: two_weeks[k] for k in ("enps", "responses")} == {k: whole[k] for k in ("enps", "responses")}
    alone = lead.get(f"/api/pulse/results?team=harbour&from={week_before}&to={week_before + timedelta(days=6)}").json()
    assert alone["hidden"] is True
    # the export holds gated figures only, and no tokens
    export = lead.get("/voice/pulse/export.csv").text
    with world.engine.connect() as conn:
        tokens = list(conn.execute(select(PulseAnswerRow.once_token)).scalars())
    assert_absent(export, tokens, "the export")
    rows = {r["label"]: r for r in csv.DictReader(io.StringIO(export))}
    last = rows[f"Harbour {pulse_lib.iso_week(monday)}"]
    before = rows[f"Harbour {pulse_lib.iso_week(week_before)}"]
    assert last["hidden"] == "False" and last["enps"] == str(whole["enps"])
    assert before["hidden"] == "True" and not before.get("enps")
