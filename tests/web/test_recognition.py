"""Recognition pages on the hand-made world: recognise a peer, the Empathy MVP and its
confirmation, hard days, fairness figures, the stories wall and consent, scope on every page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, insert, inspect, select
from sqlalchemy.orm import Session

from heartline.people import praise
from heartline.store.tables import AnalysisRow, Base, InteractionRow
from heartline.store.tables_recognition import (
    CommentPraiseRow,
    HardDayRow,
    MvpConfirmationRow,
    RecognitionRow,
    StoryConsentRow,
    StoryRow,
)
from heartline.web.routes.recognition import Member, team_mvp

from .conftest import World, csrf_of  # type: ignore[import-not-found]

MINE = {
    "recognitions", "recognition_mvps", "recognition_stories", "recognition_story_consents",
    "recognition_hard_days", "comment_praise",
}  # fmt: skip


def _post(client, path: str, data: dict, referer: str = "/recognition"):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_of(client, referer)}, follow_redirects=False)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _mine(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    if type_ == "table":
        return name in MINE
    return getattr(getattr(obj, "table", None), "name", None) in MINE


def test_migration_creates_exactly_the_recognition_tables(engine: Engine) -> None:
    assert MINE <= set(Base.metadata.tables)
    with engine.connect() as conn:
        assert MINE <= set(inspect(conn).get_table_names())
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _mine})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_a_peer_recognition_reaches_the_team_stream_and_only_the_team(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    a = app_client("agent")
    page = a.get("/recognition")
    assert page.status_code == 200
    assert "Agent B" in page.text and "Agent C" not in page.text  # only own-team colleagues to choose
    r = _post(a, "/recognition", {
        "receiver": world.org.agents["B"], "values": ["empathy", "teamwork"],
        "message": "You stayed so calm with the caller whose flight was cancelled.",
        "interaction": "c3",
    })  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].startswith("/recognition?sent=1")
    with Session(world.engine) as conn:
        row = conn.execute(select(RecognitionRow)).scalar_one()
    assert row.giver_user_id == world.users["agent"] and row.giver_agent_id == world.org.agents["A"]
    assert row.value_tags == ["empathy", "teamwork"] and row.interaction_id == world.org.interactions[3]

    for role in ("agent_b", "lead", "manager"):
        text = _text(app_client(role).get("/recognition").text)
        assert "Agent A recognised Agent B" in text, role
        assert "flight was cancelled" in text
    assert "flight was cancelled" not in app_client("lead_summit").get("/recognition").text


RULES = [
    ({"receiver": "self", "values": ["empathy"], "message": "me!"}, 400, "cannot recognise yourself"),
    ({"receiver": "B", "values": ["speed"], "message": "fast"}, 400, "unknown value tag"),
    ({"receiver": "B", "message": "no tags"}, 400, "at least one value tag"),
    ({"receiver": "B", "values": ["empathy"], "message": "   "}, 400, "message is empty"),
    ({"receiver": "B", "values": ["empathy"], "message": "hi", "interaction": "c1"}, 400, "one your colleague handled"),
    ({"receiver": "B", "values": ["empathy"], "message": "hi", "interaction": "nope"}, 400, "no interaction"),
    ({"receiver": "C", "values": ["empathy"], "message": "other team"}, 403, "own team"),
]


def test_recognition_rules_are_explained(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    a = app_client("agent")
    for form, status, says in RULES:
        data = dict(form)
        data["receiver"] = world.org.agents["A" if form["receiver"] == "self" else form["receiver"]]
        r = _post(a, "/recognition", data)
        assert r.status_code == status and says in r.text, (form, r.status_code, r.text[:300])
    r = _post(app_client("lead_summit"), "/recognition", {"receiver": world.org.agents["A"], "values": ["empathy"], "message": "hi"})
    assert r.status_code == 403
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RecognitionRow)).scalar() == 0


def _add_heavy_day(world: World) -> None:
    """Two more very demanding contacts for B on 2 Sep: with contact 4 that is 3 heavy ones."""
    now = datetime.now(UTC)
    with world.engine.begin() as conn:
        for n, hour in ((6, 12), (7, 14)):
            iid = conn.execute(
                insert(InteractionRow).values(
                    source="test", external_id=f"c{n}", channel="voice", agent_id=world.org.agents["B"],
                    started_at=datetime(2026, 9, 2, hour, tzinfo=UTC), handle_seconds=300.0,
                    turn_count=0, imported_at=now,
                ).returning(InteractionRow.id)
            ).scalar_one()  # fmt: skip
            conn.execute(insert(AnalysisRow).values(
                interaction_id=iid, model_version="test-1", empathy_score=70.0, difficulty=85.0, missed_cues=0,
                body={"moments": []}, analysed_at=now,
            ))  # fmt: skip


def test_mvp_page_explains_the_winner_and_the_lead_confirms(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    _add_heavy_day(world)
    lead = app_client("lead")
    page = lead.get("/recognition/mvp?month=2026-09")
    assert page.status_code == 200
    text = _text(page.text)
    # A: one empathy comment ("She really listened.") and one glow moment over 2 contacts; B: none
    assert "Empathy MVP for Harbour, 2026-09: Agent A." in text
    assert "Why: Agent A (A): score 0.600 = 0.40 x 0.000 peer" in text
    assert "1 empathy comment(s) over 2 contact(s)" in text
    assert "Next: Agent B with 0.000." in text
    assert "Hardest load this month" in text and "Agent B : 3 heavy of 4 contacts" in text
    assert "Agent B · Wed 02 Sep" in text  # the hard day waits for the lead
    assert "Summit" not in text  # a lead sees only their team

    agent_b = app_client("agent_b")
    before = _text(agent_b.get("/recognition/mvp?month=2026-09").text)
    assert "has not confirmed" in before and "Why:" not in before and "0.600" not in before
    assert "Your month: 4 contacts" in before  # their own figures

    assert _post(app_client("lead_summit"), "/recognition/mvp/confirm",
                 {"team": world.org.teams["harbour"], "month": "2026-09", "winner": world.org.agents["A"]}).status_code == 403  # fmt: skip
    wrong = _post(lead, "/recognition/mvp/confirm", {"team": world.org.teams["harbour"], "month": "2026-09", "winner": world.org.agents["B"]})
    assert wrong.status_code == 400 and "figures changed" in wrong.text
    ok = _post(lead, "/recognition/mvp/confirm", {"team": world.org.teams["harbour"], "month": "2026-09", "winner": world.org.agents["A"]})
    assert ok.status_code == 303
    again = _post(lead, "/recognition/mvp/confirm", {"team": world.org.teams["harbour"], "month": "2026-09", "winner": world.org.agents["A"]})
    assert again.status_code == 400 and "already confirmed by Harbour Lead" in again.text
    with Session(world.engine) as conn:
        c = conn.execute(select(MvpConfirmationRow)).scalar_one()
    assert (c.winner_agent_id, c.month, c.confirmed_by, round(c.score, 3)) == (world.org.agents["A"], "2026-09", world.users["lead"], 0.6)
    assert "Why: Agent A" in c.explanation

    after = _text(agent_b.get("/recognition/mvp?month=2026-09").text)
    assert "Confirmed by Harbour Lead" in after and "Why: Agent A" in after
    assert "Next:" not in after and "Hardest load" not in after  # peers' figures stay with the lead


def test_peer_recognition_for_empathy_moves_the_mvp(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    """Two distinct colleagues recognising B for empathy in September put B first (0.40 + ...)."""
    with world.engine.begin() as conn:
        for n, giver in enumerate(("A", "C", "A")):  # A twice: counts once
            conn.execute(insert(RecognitionRow).values(
                key=f"k{n}", giver_user_id=None, giver_agent_id=world.org.agents[giver], giver_name=f"Agent {giver}",
                giver_role="agent", receiver_agent_id=world.org.agents["B"], team_id=world.org.teams["harbour"],
                message="kind", value_tags=["empathy"], interaction_id=None,
                created_at=datetime(2026, 9, 10 + n, tzinfo=UTC),
            ))  # fmt: skip
        members = [Member(world.org.agents[k], k, f"Agent {k}", world.org.teams["harbour"]) for k in ("A", "B")]
        mvp = team_mvp(conn, _NoComments(), team_id=world.org.teams["harbour"], team_name="Harbour",
                       members=members, year=2026, month=9)  # fmt: skip
    b = mvp.result.candidate("B")
    assert b.peer_recognisers == 2 and b.peer_component == 1.0
    a = mvp.result.candidate("A")
    assert a.empathy_comments == 0  # the stub labelled nothing as empathy praise
    assert a.glow_moments == 1 and a.glow_component == 1.0
    assert mvp.result.winner_id == "B" and b.score == pytest.approx(0.40)
    assert a.score == pytest.approx(0.25)


class _NoComments:
    """A classifier stand-in that calls every comment a complaint."""

    meta = {"model": "stub"}

    def classify(self, texts):  # type: ignore[no-untyped-def]
        from heartline.people.praise import PraiseResult

        return [PraiseResult(t, "not_praise", 1.0, {"not_praise": 1.0}, "stub") for t in texts]


def test_lead_thanks_a_hard_day_and_the_agent_reads_it(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    _add_heavy_day(world)
    lead = app_client("lead")
    form = {"agent": world.org.agents["B"], "day": "2026-09-02", "action": "send",
            "message": "Thank you for Wednesday. Three tough calls in a row, handled with care."}  # fmt: skip
    assert _post(app_client("lead_summit"), "/recognition/hard-days", form).status_code == 403
    not_hard = _post(lead, "/recognition/hard-days", {**form, "agent": world.org.agents["A"], "day": "2026-09-01"})
    assert not_hard.status_code == 400 and "not a hard day" in not_hard.text
    assert _post(lead, "/recognition/hard-days", form).status_code == 303
    assert _post(lead, "/recognition/hard-days", form).status_code == 400
    with Session(world.engine) as conn:
        row = conn.execute(select(HardDayRow)).scalar_one()
    assert (row.status, row.heavy_contacts, row.contacts) == ("sent", 3, 4)
    assert "3 high-difficulty contacts" in row.reasons[0] and "A word of thanks" in row.suggested_message
    mvp = _text(lead.get("/recognition/mvp?month=2026-09").text)
    assert "Agent B · Wed 02 Sep" not in mvp and "sent by Harbour Lead" in mvp
    assert "Three tough calls in a row" in app_client("agent_b").get("/recognition").text
    assert "Three tough calls in a row" not in app_client("agent").get("/recognition").text


def test_fairness_figures_and_the_concentration_warning(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    with world.engine.begin() as conn:
        for n in range(5):  # five recognitions, all to A: one of two people has everything
            conn.execute(insert(RecognitionRow).values(
                key=f"f{n}", giver_user_id=world.users["lead"] if n < 2 else None,
                giver_agent_id=None if n < 2 else world.org.agents["B"],
                giver_name="Harbour Lead" if n < 2 else "Agent B", giver_role="lead" if n < 2 else "agent",
                receiver_agent_id=world.org.agents["A"], team_id=world.org.teams["harbour"], message="thanks",
                value_tags=["teamwork"], interaction_id=None, created_at=now - timedelta(days=n + 1),
            ))  # fmt: skip
        conn.execute(insert(RecognitionRow).values(
            key="old", giver_user_id=None, giver_agent_id=world.org.agents["A"], giver_name="Agent A", giver_role="agent",
            receiver_agent_id=world.org.agents["B"], team_id=world.org.teams["harbour"], message="long ago",
            value_tags=["learning"], interaction_id=None, created_at=now - timedelta(days=90),
        ))  # fmt: skip
    page = app_client("lead").get("/recognition/fairness")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Recognition is concentrating" in text and "Gini 0.50" not in text
    # A received 5 from 2 givers and gave 0 in the window; B received 0 and gave 3
    assert "Agent A 0 5 2" in text and "Agent B 3 0 0" in text
    assert re.search(r"Agent B · last \d\d \w\w\w \d{4}", text)  # not recognised in 60 days, with the old date
    assert "Harbour Lead 2 1 50%" in text  # the lead reached one of two people
    assert "teamwork 5" in text
    assert app_client("agent").get("/recognition/fairness").status_code == 403
    assert "Harbour" not in _text(app_client("lead_summit").get("/recognition/fairness").text).replace("Heartline", "")


def test_stories_need_the_agents_consent(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead = app_client("lead")
    page = lead.get("/recognition/stories")
    assert page.status_code == 200 and "She really listened." in page.text
    with world.engine.connect() as conn:
        survey = conn.execute(
            select(CommentPraiseRow.survey_id, CommentPraiseRow.label).where(CommentPraiseRow.label == "empathy_praise")
        ).one()
    assert _post(app_client("lead_summit"), "/recognition/stories", {"survey": survey.survey_id}).status_code == 403
    assert _post(lead, "/recognition/stories", {"survey": survey.survey_id}).status_code == 303
    again = _post(lead, "/recognition/stories", {"survey": survey.survey_id})
    assert again.status_code == 400 and "already a story" in again.text
    with Session(world.engine) as conn:
        story = conn.execute(select(StoryRow)).scalar_one()
    assert story.consent_status == "pending" and story.agent_id == world.org.agents["A"]

    def wall(role: str) -> str:
        html = app_client(role).get("/recognition/stories").text
        return html.split('id="wall"', 1)[1].split("</section>", 1)[0]

    assert "She really listened" not in wall("agent_b")  # not shown before the agent agrees
    agent = app_client("agent")
    assert "waiting for you" in agent.get("/recognition/stories").text
    other = _post(app_client("agent_b"), f"/recognition/stories/{story.id}/consent", {"decision": "grant"})
    assert other.status_code == 404  # only the agent the story is about decides
    assert _post(agent, f"/recognition/stories/{story.id}/consent", {"decision": "grant"}).status_code == 303
    assert "She really listened" in wall("agent_b") and "She really listened" in wall("manager")
    assert "She really listened" not in wall("lead_summit")
    assert _post(agent, f"/recognition/stories/{story.id}/consent", {"decision": "revoke"}).status_code == 303
    assert "She really listened" not in wall("agent_b")
    with Session(world.engine) as conn:
        assert conn.execute(select(StoryRow.consent_status)).scalar_one() == "revoked"
        assert [c.granted for c in conn.execute(select(StoryConsentRow).order_by(StoryConsentRow.id)).scalars()] == [True, False]
    assert "withdrawn" in agent.get("/recognition/stories").text


def test_highlight_stream_and_every_page_for_every_role(world: World, app_client, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def customers(role: str) -> str:
        html = app_client(role).get("/recognition").text
        return html.split('id="customers"', 1)[1].split("</section>", 1)[0]

    assert "She really listened." in customers("agent_b")
    assert "about Agent A" in customers("lead")
    assert "Still not fixed" not in customers("lead")  # a complaint is not praise
    assert "She really listened." not in customers("lead_summit")
    with world.engine.connect() as conn:
        labels = dict(conn.execute(select(CommentPraiseRow.survey_id, CommentPraiseRow.label)).all())
    assert sorted(labels.values()) == ["empathy_praise", "not_praise"]  # each comment classified once, stored
    for role in ("agent", "lead", "manager", "admin"):
        c = app_client(role)
        for path in ("/recognition", "/recognition/mvp", "/recognition/stories"):
            assert c.get(path).status_code == 200, (role, path)
    assert app_client("manager").get("/recognition/mvp?month=2026-13").status_code == 400
    empty = app_client("manager").get("/recognition/mvp?month=2030-01")
    assert empty.status_code == 200 and "No agent of Harbour handled a contact in 2030-01" in empty.text
    assert app_client("lead").get(f"/recognition?team={world.org.teams['summit']}").status_code == 403
    # without a loadable classifier the pages still work from the labels already stored
    lead = app_client("lead")
    lead.app.state.praise_classifier = None
    lead.app.state.praise_classifier_failed = False
    monkeypatch.setattr(praise, "ARTEFACT_PATH", tmp_path / "no_praise_head.json")
    assert "She really listened." in lead.get("/recognition").text
    assert lead.app.state.praise_classifier_failed  # the missing head was noticed once, not raised
    assert lead.get("/recognition/stories").status_code == 200
