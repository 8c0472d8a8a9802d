"""Wellbeing on the store and its pages: recommendations kept once, WFM deliveries,
who sees what, answers, actions, policies, the CSV export, the demo seed and the schema.

Runs on SQLite and (with HEARTLINE_TEST_POSTGRES_URL) PostgreSQL through the web world.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, insert, select, update
from webhook_receiver import WebhookReceiver

from heartline.insights.wellbeing import BreakPolicy
from heartline.insights.wellbeing_store import (
    deliver,
    latest_day,
    on_analysed,
    recommend_for,
    save_checkin,
    save_policy,
    seed_demo,
    workload_history,
)
from heartline.insights.wfm import CSV_COLUMNS, verify_signature
from heartline.settings import Settings
from heartline.store.tables import AnalysisRow, Base, InteractionRow
from heartline.store.tables_wellbeing import (
    BreakPolicyRow,
    BreakRecommendationRow,
    BreakTakenRow,
    CheckInRow,
    LeaderActionRow,
    WfmDeliveryRow,
)

from .conftest import World, csrf_of  # type: ignore[import-not-found]

SECRET = "a-shared-wfm-secret"


def _recs(engine: Engine) -> list[BreakRecommendationRow]:
    with engine.connect() as conn:
        return list(
            conn.execute(select(BreakRecommendationRow).order_by(BreakRecommendationRow.id))
        )


def _post(client, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(
        path, data={**data, "csrf_token": csrf_of(client, "/login")}, follow_redirects=False
    )


# ------------------------------------------------------------------ schema


def test_migration_matches_the_tables(world: World) -> None:
    with world.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    ours = [d for d in diff if "wellbeing_" in repr(d)]
    assert ours == []
    assert {t for t in Base.metadata.tables if t.startswith("wellbeing_")} == {
        "wellbeing_break_policies",
        "wellbeing_break_recommendations",
        "wellbeing_breaks_taken",
        "wellbeing_checkins",
        "wellbeing_leader_actions",
        "wellbeing_wfm_deliveries",
    }
    assert "secret" not in " ".join(c.name for c in WfmDeliveryRow.__table__.columns)


# ------------------------------------------------------------------ recommendations


def test_recommendations_follow_the_team_policy_and_are_stored_once(world: World) -> None:
    ids = world.org.interactions
    new = recommend_for(world.engine, ids.values())
    # only contact 4 (agent B, difficulty 80) reaches the default heavy threshold of 75
    assert len(new) == 1
    (rec,) = _recs(world.engine)
    assert rec.agent_id == world.org.agents["B"] and rec.team_id == world.org.teams["harbour"]
    assert rec.reason == "single_heavy_call" and rec.minutes == 10 and rec.status == "recommended"
    assert rec.evidence == [{"interaction_id": ids[4], "external_id": "c4", "difficulty": 80.0}]
    assert rec.explanation == "10-minute break after one especially difficult contact: c4 (80)"
    assert recommend_for(world.engine, ids.values()) == []  # idempotent
    with world.engine.begin() as conn:
        save_policy(
            conn,
            team_id=world.org.teams["harbour"],
            policy=BreakPolicy(heavy_threshold=65),
            user_id=None,
        )
    # a stricter policy: contact 1 (agent A, 70) now earns one; contact 4's is not stored again
    assert len(recommend_for(world.engine, [ids[1], ids[4]])) == 1
    assert sorted(r.agent_id for r in _recs(world.engine)) == sorted(
        [world.org.agents["A"], world.org.agents["B"]]
    )
    assert recommend_for(world.engine, [ids[5], ids[2]]) == []  # light contacts earn nothing




@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as r:
        yield r




def test_on_analysed_sends_signed_events_and_records_each_delivery(
    world: World, receiver: WebhookReceiver
) -> None:
    settings = Settings(
        data_dir=world.settings.data_dir, wfm_webhook_secret=SECRET, wfm_webhook_url=receiver.url
    )
    new = on_analysed(world.engine, world.org.interactions.values(), settings)
    assert len(new) == 1 and len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert verify_signature(
        body, headers["X-Heartline-Signature"], headers["X-Heartline-Timestamp"], SECRET
    )
    assert (
        b'"agent":"B"' in body
        and b'"reason":"single_heavy_call"' in body
        and SECRET.encode() not in body
    )
    with world.engine.connect() as conn:
        (d,) = conn.execute(select(WfmDeliveryRow)).all()
    assert (d.status, d.http_status, d.attempts, d.url) == ("delivered", 200, 1, receiver.url)
    # a second batch with the same contacts sends nothing again
    assert on_analysed(world.engine, world.org.interactions.values(), settings) == []
    assert len(receiver.requests) == 1


def test_deliveries_without_a_secret_or_to_a_failing_receiver_are_recorded(world: World) -> None:
    new = recommend_for(world.engine, world.org.interactions.values())
    assert deliver(world.engine, new, url=None, secret=SECRET) == []
    (unsigned,) = deliver(world.engine, new, url="http://127.0.0.1:9/hook", secret=None)
    assert unsigned.status == "not_sent" and "SECRET" in (unsigned.error or "")
    failing = WebhookReceiver(default=503)
    try:
        (res,) = deliver(
            world.engine, new, url=failing.url, secret=SECRET, retries=2, sleep=lambda _s: None
        )
    finally:
        failing.close()
    assert res.status == "failed" and res.attempts == 3 and len(failing.requests) == 3
    with world.engine.connect() as conn:
        assert [
            r.status for r in conn.execute(select(WfmDeliveryRow).order_by(WfmDeliveryRow.id))
        ] == [
            "not_sent",
            "failed",
        ]


# ------------------------------------------------------------------ pages


def _rec_for_a(world: World) -> int:
    with world.engine.begin() as conn:
        save_policy(
            conn,
            team_id=world.org.teams["harbour"],
            policy=BreakPolicy(heavy_threshold=65),
            user_id=None,
        )
    recommend_for(world.engine, world.org.interactions.values())
    return next(r.id for r in _recs(world.engine) if r.agent_id == world.org.agents["A"])


def test_agent_sees_own_breaks_and_answers_them(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    rec_a = _rec_for_a(world)
    with world.engine.begin() as conn:  # recommended just now, so it can still be answered
        conn.execute(
            update(BreakRecommendationRow)
            .where(BreakRecommendationRow.id == rec_a)
            .values(start=datetime.now(UTC) - timedelta(minutes=5))
        )
    a, b = app_client("agent"), app_client("agent_b")
    page = a.get("/wellbeing").text
    assert ">c1<" in page and "I took it" in page and ">c4<" not in page
    assert "Burnout risk" in page or "Not enough shifts" in page
    assert ">c1<" not in b.get("/wellbeing").text
    assert (
        _post(
            b, "/wellbeing/breaks/answer", {"recommendation_id": rec_a, "answer": "taken"}
        ).status_code
        == 404
    )
    assert (
        _post(
            a, "/wellbeing/breaks/answer", {"recommendation_id": rec_a, "answer": "maybe"}
        ).status_code
        == 400
    )
    r = _post(a, "/wellbeing/breaks/answer", {"recommendation_id": rec_a, "answer": "taken"})
    assert r.status_code == 303
    with world.engine.connect() as conn:
        row = conn.execute(
            select(BreakRecommendationRow).where(BreakRecommendationRow.id == rec_a)
        ).one()
        taken = conn.execute(select(BreakTakenRow)).one()
    assert row.status == "taken" and taken.recommendation_id == rec_a
    assert (taken.end - taken.start) == timedelta(minutes=row.minutes)
    # answered once only
    assert (
        _post(
            a, "/wellbeing/breaks/answer", {"recommendation_id": rec_a, "answer": "skipped"}
        ).status_code
        == 404
    )
    assert "I took it" not in a.get("/wellbeing").text


def test_lead_sees_their_team_only(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    _rec_for_a(world)
    lead, other = app_client("lead"), app_client("lead_summit")
    page = lead.get("/wellbeing").text
    assert 'class="chart heatmap"' in page and "Agent A" in page and "Agent B" in page
    assert ">c4<" in page and "Burnout and attrition risk" in page and "Agent C" not in page
    assert 'class="chart occupancy"' in page
    summit = other.get("/wellbeing").text
    assert "Agent C" in summit and "Agent A" not in summit and ">c4<" not in summit
    assert other.get(f"/wellbeing?team={world.org.teams['harbour']}").status_code == 403
    assert lead.get("/wellbeing?as_of=yesterday").status_code == 400


def test_manager_sees_aggregates_and_no_individual_below_red(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    _rec_for_a(world)
    page = app_client("manager").get("/wellbeing").text
    assert "Harbour" in page and "Summit" in page
    assert "figures hidden" in page  # two teams of one or two agents: head counts only
    for name in ("Agent A", "Agent B", "Agent C", "c1", "c4"):
        assert name not in page


def test_csv_export_for_the_lead(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    _rec_for_a(world)
    r = app_client("lead").get("/wellbeing/breaks.csv?start=2026-09-01&end=2026-09-30")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sorted((row[1], row[6], row[7]) for row in rows[1:]) == [
        ("A", "single_heavy_call", "c1"),
        ("B", "single_heavy_call", "c4"),
    ]
    other = app_client("lead_summit").get("/wellbeing/breaks.csv?start=2026-09-01&end=2026-09-30")
    assert other.text.strip().splitlines() == [",".join(CSV_COLUMNS)]
    assert (
        app_client("lead")
        .get(f"/wellbeing/breaks.csv?team={world.org.teams['summit']}")
        .status_code
        == 403
    )


def test_policy_editing_is_scoped_and_validated(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead = app_client("lead")
    form = {
        "team_id": world.org.teams["harbour"],
        "heavy_threshold": 80,
        "streak_threshold": 55,
        "streak_length": 4,
        "break_minutes": 12,
        "streak_break_minutes": 20,
        "streak_reset_minutes": 15,
    }
    assert "Harbour" in lead.get("/wellbeing/policy").text
    assert "Summit" not in lead.get("/wellbeing/policy").text
    assert _post(lead, "/wellbeing/policy", form).status_code == 303
    assert (
        _post(lead, "/wellbeing/policy", {**form, "team_id": world.org.teams["summit"]}).status_code
        == 403
    )
    assert _post(lead, "/wellbeing/policy", {**form, "streak_length": 1}).status_code == 400
    assert (
        _post(
            app_client("manager"),
            "/wellbeing/policy",
            {**form, "team_id": world.org.teams["summit"]},
        ).status_code
        == 303
    )
    with world.engine.connect() as conn:
        rows = {r.team_id: r for r in conn.execute(select(BreakPolicyRow))}
    assert (
        rows[world.org.teams["harbour"]].streak_length == 4
        and rows[world.org.teams["harbour"]].break_minutes == 12
    )
    assert world.org.teams["summit"] in rows


def test_leader_actions_are_recorded_within_scope(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    form = {
        "agent_id": world.org.agents["A"],
        "action": "protect_break",
        "note": "blocked 15 minutes after 11:00",
    }
    assert _post(app_client("lead_summit"), "/wellbeing/actions", form).status_code == 404
    assert (
        _post(app_client("manager"), "/wellbeing/actions", form).status_code == 403
    )  # A is not red
    lead = app_client("lead")
    assert _post(lead, "/wellbeing/actions", {**form, "action": "fire_them"}).status_code == 400
    assert _post(lead, "/wellbeing/actions", form).status_code == 303
    with world.engine.connect() as conn:
        (row,) = conn.execute(select(LeaderActionRow)).all()
    assert (row.action, row.taken_by, row.taken_by_name) == (
        "protect_break",
        world.users["lead"],
        "Harbour Lead",
    )
    page = lead.get("/wellbeing").text
    assert "blocked 15 minutes after 11:00" in page and "Protect their breaks" in page


def test_scan_finds_breaks_in_recently_analysed_contacts(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    with world.engine.begin() as conn:
        conn.execute(update(AnalysisRow).values(analysed_at=now - timedelta(days=3)))
        iid = conn.execute(
            insert(InteractionRow)
            .values(
                source="test",
                external_id="hard-now",
                channel="voice",
                agent_id=world.org.agents["B"],
                started_at=now - timedelta(minutes=20),
                ended_at=now - timedelta(minutes=5),
                handle_seconds=900.0,
                turn_count=0,
                imported_at=now,
            )
            .returning(InteractionRow.id)
        ).scalar_one()
        conn.execute(
            insert(AnalysisRow).values(
                interaction_id=iid, model_version="t", difficulty=90.0, body={}, analysed_at=now
            )
        )
    summit = _post(app_client("lead_summit"), "/wellbeing/breaks/scan", {"hours": 24})
    assert summit.headers["location"].startswith("/wellbeing?found=0")  # not their team
    r = _post(app_client("lead"), "/wellbeing/breaks/scan", {"hours": 24})
    assert r.status_code == 303 and r.headers["location"].startswith("/wellbeing?found=1")
    assert [e["external_id"] for r in _recs(world.engine) for e in r.evidence] == ["hard-now"]


# ------------------------------------------------------------------ demo seed


def test_seed_demo_is_believable_and_idempotent(engine: Engine) -> None:
    from heartline.demo import generate
    from heartline.store.demo_load import load_organisation

    org = generate(seed=7, end=date(2026, 11, 20), days=35, interactions=1200, agents=20)
    load_organisation(engine, org)
    with engine.begin() as conn:
        ids = {
            r.external_id: r.id
            for r in conn.execute(select(InteractionRow.id, InteractionRow.external_id))
        }
        conn.execute(
            insert(AnalysisRow),
            [
                {
                    "interaction_id": ids[k],
                    "model_version": "truth",
                    "difficulty": float(t.difficulty),
                    "body": {},
                    "analysed_at": datetime.now(UTC),
                }
                for k, t in org.truth.items()
            ],
        )
    seed_demo(engine, org)

    def counts() -> dict[str, int]:
        with engine.connect() as conn:
            return {
                t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (BreakPolicyRow, BreakRecommendationRow, BreakTakenRow, LeaderActionRow)
            }

    first = counts()
    seed_demo(engine, org)
    assert counts() == first
    drifting = {k for k, p in org.profiles.items() if p.burnout_drift}
    assert first["wellbeing_break_policies"] == len(org.teams)
    assert first["wellbeing_leader_actions"] == len(drifting) >= 1
    assert first["wellbeing_break_recommendations"] > 50 and first["wellbeing_breaks_taken"] > 20
    # drifting agents earn more breaks per agent and take a smaller share of them
    from heartline.store.tables import AgentRow

    with engine.connect() as conn:
        rows = conn.execute(
            select(AgentRow.key, BreakRecommendationRow.status).join(
                AgentRow, AgentRow.id == BreakRecommendationRow.agent_id
            )
        ).all()

    def share(keys: set[str]) -> tuple[float, float]:
        mine = [s for k, s in rows if k in keys]
        return len(mine) / max(len(keys), 1), sum(s == "taken" for s in mine) / max(len(mine), 1)

    others = {a.id for a in org.agents} - drifting
    (d_per, d_taken), (o_per, o_taken) = share(drifting), share(others)
    assert d_per > o_per and d_taken < o_taken


def test_svgs_mark_days_off_warnings_and_escape_names() -> None:
    from heartline.insights.wellbeing import Heatmap, IntervalOccupancy
    from heartline.web.routes.wellbeing import heatmap_svg, occupancy_svg

    hm = Heatmap(agents=("x",), days=(date(2026, 9, 1), date(2026, 9, 2)), values=((120.0, None),))
    svg = str(heatmap_svg("Load <team>", hm, {"x": "<script>alert(1)</script>"}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Load &lt;team&gt;" in svg
    assert svg.count('class="hm-off"') == 1 and ">120<" in svg and "did not work" in svg
    t = datetime(2026, 9, 1, 10, tzinfo=UTC)
    rows = [
        IntervalOccupancy(t, t + timedelta(minutes=30), 27.0, 30.0, 90.0, True),
        IntervalOccupancy(
            t + timedelta(minutes=30), t + timedelta(minutes=60), 15.0, 30.0, 50.0, False
        ),
    ]
    occ = str(occupancy_svg("Occupancy", rows, 85.0))
    assert occ.count('class="occ-bar warn"') == 1 and occ.count('class="occ-bar"') == 1
    assert "85% warning" in occ and "10:00–10:30: 90%" in occ


# ------------------------------------------------------------------ check-ins


def _risk_cell(page: str, agent_id: int) -> str:
    """The lead's risk-table row of one agent."""
    start = page.index(f'id="risk-{agent_id}"')
    return page[start : page.index("</tr>", start)]


def _checkin_rows(world: World) -> list[CheckInRow]:
    with world.engine.connect() as conn:
        return list(conn.execute(select(CheckInRow).order_by(CheckInRow.id)))


def _date_into_window(world: World) -> None:
    """The world's shifts are in the past: move the check-ins to its last day, inside the risk window."""
    with world.engine.begin() as conn:
        end = latest_day(conn, team_ids=[world.org.teams["harbour"]])
        conn.execute(update(CheckInRow).values(day=end))


def _checkin_form(day: str, share: bool, **answers: int) -> dict[str, object]:
    return {**answers, "day": day, **({"share": "yes"} if share else {})}


def test_shared_checkins_reach_the_risk_score_only_as_an_aggregate(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    a_id = world.org.agents["A"]
    lead = app_client("lead")
    before = _risk_cell(lead.get("/wellbeing").text, a_id)
    assert "shared check-ins" in before  # listed as missing: nothing shared yet
    agent = app_client("agent")
    page = agent.get("/wellbeing").text
    assert "Weekly check-in" in page and 'name="share" value="yes"' in page
    assert 'name="share" value="yes" checked' not in page  # unticked by default
    day = datetime.now(UTC).date().isoformat()
    # a private check-in (box unticked) changes nothing the lead sees
    r = _post(agent, "/wellbeing/checkins", _checkin_form(day, False, workload=1, recovery=1, support=2, stay=1))
    assert r.status_code == 303
    (private,) = _checkin_rows(world)
    assert private.consented is False and private.answers == {"workload": 1, "recovery": 1, "support": 2, "stay": 1}
    _date_into_window(world)
    assert _risk_cell(lead.get("/wellbeing").text, a_id) == before
    # two shared ones: the lead's drivers show their average, never the answers
    for answers in ({"workload": 1, "recovery": 2, "support": 3}, {"workload": 2, "recovery": 2, "support": 2, "stay": 4}):
        assert _post(agent, "/wellbeing/checkins", _checkin_form(day, True, **answers)).status_code == 303
    _date_into_window(world)
    lead_page = lead.get("/wellbeing").text
    after = _risk_cell(lead_page, a_id)
    assert after != before
    assert "2 shared check-ins average 2.0/5" in after  # (1+2+3+2+2+2)/6, the private one left out
    for text in ("workload 1/5", "recovery 2/5", "stay 4/5", "Stop sharing", "only you see this"):
        assert text not in lead_page
    # the agent sees their own answers and what is shared
    own = agent.get("/wellbeing").text
    assert "workload 1/5" in own and "shared as part of your risk score" in own and "only you see this" in own
    # the manager sees no individual check-in either
    assert "shared check-ins average" not in app_client("manager").get("/wellbeing").text
    # withdrawing consent and deleting take the aggregate back out
    shared = [c for c in _checkin_rows(world) if c.consented]
    assert _post(agent, "/wellbeing/checkins/change", {"checkin_id": shared[0].id, "change": "unshare"}).status_code == 303
    assert _post(agent, "/wellbeing/checkins/change", {"checkin_id": shared[1].id, "change": "delete"}).status_code == 303
    assert [c.consented for c in _checkin_rows(world)] == [False, False]
    assert _risk_cell(lead.get("/wellbeing").text, a_id) == before


def test_checkins_are_the_agents_own_and_validated(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    day = datetime.now(UTC).date().isoformat()
    agent, agent_b = app_client("agent"), app_client("agent_b")
    form = _checkin_form(day, True, workload=3)
    # only agents post check-ins, and always as themselves
    for role in ("lead", "manager"):
        assert _post(app_client(role), "/wellbeing/checkins", {**form, "agent_id": world.org.agents["B"]}).status_code == 403
    assert _post(agent, "/wellbeing/checkins", {**form, "agent_id": world.org.agents["B"]}).status_code == 303
    (row,) = _checkin_rows(world)
    assert row.agent_id == world.org.agents["A"]
    # nobody else can change or see it
    assert _post(agent_b, "/wellbeing/checkins/change", {"checkin_id": row.id, "change": "delete"}).status_code == 404
    assert _post(app_client("lead"), "/wellbeing/checkins/change", {"checkin_id": row.id, "change": "unshare"}).status_code == 403
    assert "workload 3/5" not in agent_b.get("/wellbeing").text
    assert _checkin_rows(world)[0].consented is True
    # without the CSRF token it is refused
    refused = agent.post("/wellbeing/checkins", data=form, follow_redirects=False)
    assert refused.status_code == 400
    # bad answers, no answers, dates ahead or too far back
    too_old = (datetime.now(UTC).date() - timedelta(days=30)).isoformat()
    ahead = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    for bad in (
        _checkin_form(day, True, workload=6),
        _checkin_form(day, True, workload=0),
        {**_checkin_form(day, True), "workload": "lots"},
        _checkin_form(day, True),
        _checkin_form(too_old, True, workload=2),
        _checkin_form(ahead, True, workload=2),
        {**_checkin_form(day, True, workload=2), "day": "last week"},
    ):
        assert _post(agent, "/wellbeing/checkins", bad).status_code == 400, bad
    assert _post(agent, "/wellbeing/checkins/change", {"checkin_id": row.id, "change": "publish"}).status_code == 400
    assert len(_checkin_rows(world)) == 1


def test_unconsented_checkins_are_never_read(world: World) -> None:
    a_id = world.org.agents["A"]
    today = datetime.now(UTC).date()
    with world.engine.begin() as conn:
        save_checkin(conn, agent_id=a_id, day=today, answers={"workload": 1}, consented=False)
        history, _ = workload_history(conn, since=today - timedelta(days=7), until=today)
    assert list(history.checkins) == []
    with world.engine.begin() as conn:
        save_checkin(conn, agent_id=a_id, day=today, answers={"workload": 4, "stay": 5}, consented=True)
        history, _ = workload_history(conn, since=today - timedelta(days=7), until=today)
    (ci,) = history.checkins
    assert (ci.consented, dict(ci.answers), ci.day) == (True, {"workload": 4, "stay": 5}, today)
    with pytest.raises(ValueError), world.engine.begin() as conn:
        save_checkin(conn, agent_id=a_id, day=today, answers={"mood": 2}, consented=True)
