"""Real browser: after the demo agent takes a very difficult call, the resilience break
appears for the agent and their lead, and a webhook receiver gets the signed WFM event.

The demo organisation (a smaller one, ending today) is stored with the generator's own
difficulty as the analyses, the wellbeing tables are seeded with ``seed_demo``, and the
app is served by uvicorn with a WFM webhook pointing at a receiver started here on
127.0.0.1.  Screenshots go to ``test-artefacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from browser_harness import chromium, live_app, require_chromium, shot, signed_in_pages
from sqlalchemy import insert, select
from webhook_receiver import WebhookReceiver

from heartline.demo import generate
from heartline.insights.aggregate import refresh
from heartline.insights.wellbeing_store import seed_demo
from heartline.insights.wfm import verify_signature
from heartline.settings import Settings
from heartline.store.demo_load import load_organisation
from heartline.store.engine import make_engine, migrate
from heartline.store.tables import AgentRow, AnalysisRow, InteractionRow
from heartline.web.accounts import demo_password, ensure_demo_accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "wfm-shared-secret-for-the-browser-test"
HARD_CALL = "browser-hard-call-1"






@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(default=204, path="/wfm/breaks") as r:
        yield r


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, receiver: WebhookReceiver
) -> Iterator[dict[str, object]]:
    require_chromium()
    from heartline.web.app import create_app

    data = tmp_path_factory.mktemp("browser-wellbeing")
    settings = Settings(
        data_dir=data,
        environment="development",
        secret_key="browser-test-secret-key-123456",
        wfm_webhook_secret=SECRET,
        wfm_webhook_url=receiver.url,
    )
    engine = make_engine(settings)
    migrate(engine)
    today = datetime.now(UTC).date()
    org = generate(seed=7, end=today, days=42, interactions=2500, agents=30)
    load_organisation(engine, org)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        ids = {
            r.external_id: r.id
            for r in conn.execute(select(InteractionRow.id, InteractionRow.external_id))
        }
        # the generator's own difficulty stands in for the analysis engine (quick and known)
        conn.execute(
            insert(AnalysisRow),
            [
                {
                    "interaction_id": ids[k],
                    "model_version": "truth",
                    "difficulty": float(t.difficulty),
                    "empathy_score": 60.0,
                    "deescalated": t.deescalated,
                    "robotic": t.robotic,
                    "missed_cues": t.missed_cues,
                    "body": {},
                    "analysed_at": now - timedelta(days=2),
                }
                for k, t in org.truth.items()
                if k in ids
            ],
        )
    seed_demo(engine, org)
    accounts = ensure_demo_accounts(engine, org)
    with engine.connect() as conn:
        agent = conn.execute(
            select(AgentRow.id, AgentRow.key, AgentRow.name).where(
                AgentRow.name == accounts[0].who.split(" (")[0]
            )
        ).one()
    refresh(engine)
    engine.dispose()
    with live_app(create_app(settings)) as base:
        yield {"url": base, "settings": settings, "agent": agent}


@pytest.fixture(scope="module")
def browser(server: dict[str, object]) -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def page_for(browser, server):  # type: ignore[no-untyped-def]
    base = str(server["url"])

    with signed_in_pages(browser, base) as sign_in:

        def make(role: str):  # type: ignore[no-untyped-def]
            page = sign_in(f"{role}@demo", demo_password(role))
            page.goto(f"{base}/wellbeing")
            page.wait_for_load_state("networkidle")
            return page

        yield make


def _take_a_very_difficult_call(server: dict[str, object]) -> None:
    """The demo agent has just finished a call whose customer brought a very heavy load."""
    settings = server["settings"]
    agent = server["agent"]
    engine = make_engine(settings)  # type: ignore[arg-type]
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            iid = conn.execute(
                insert(InteractionRow)
                .values(
                    source="browser",
                    external_id=HARD_CALL,
                    channel="voice",
                    queue="bereavement",
                    topic="bereavement account closure",
                    agent_id=agent.id,
                    started_at=now - timedelta(minutes=14),  # type: ignore[attr-defined]
                    ended_at=now - timedelta(minutes=3),
                    handle_seconds=660.0,
                    transfers=0,
                    turn_count=0,
                    imported_at=now,
                )
                .returning(InteractionRow.id)
            ).scalar_one()
            conn.execute(
                insert(AnalysisRow).values(
                    interaction_id=iid,
                    model_version="test",
                    difficulty=94.0,
                    empathy_score=70.0,
                    deescalated=False,
                    robotic=False,
                    missed_cues=0,
                    body={},
                    analysed_at=now,
                )
            )
    finally:
        engine.dispose()


def test_a_very_difficult_call_earns_a_break_for_agent_and_lead_and_reaches_wfm(  # type: ignore[no-untyped-def]
    page_for, server, receiver: WebhookReceiver
) -> None:
    lead = page_for("lead")
    assert lead.locator("svg.heatmap rect").count() >= 10
    assert lead.locator("table.risk tbody tr").count() >= 5
    assert HARD_CALL not in lead.content()

    _take_a_very_difficult_call(server)
    lead.click("form[action='/wellbeing/breaks/scan'] button")
    lead.wait_for_load_state("networkidle")
    assert "1 new break recommended" in lead.locator("p.notice").inner_text()
    row = lead.locator("#breaks tr.wb-rec", has_text=HARD_CALL)
    assert row.count() == 1
    assert "recommended" in row.inner_text()
    assert "especially difficult contact" in row.inner_text() or "in a row" in row.inner_text()
    shot(lead, "wellbeing-lead")

    headers, body = receiver.wait_for(HARD_CALL)
    assert verify_signature(
        body, headers.get("X-Heartline-Signature"), headers.get("X-Heartline-Timestamp"), SECRET
    )
    assert not verify_signature(
        body, headers.get("X-Heartline-Signature"), headers.get("X-Heartline-Timestamp"), "wrong"
    )
    event = json.loads(body)
    assert event["event"] == "resilience_break.recommended"
    assert event["agent"] == server["agent"].key
    assert event["reason"] in ("single_heavy_call", "heavy_streak")
    assert event["minutes"] >= 10
    assert {"interaction_id": HARD_CALL, "difficulty": 94.0} in event["evidence"]
    assert SECRET not in body.decode()

    agent = page_for("agent")
    mine = agent.locator("#breaks li.wb-rec", has_text=HARD_CALL)
    assert mine.count() == 1
    assert f"{event['minutes']}-minute break" in mine.inner_text()
    shot(agent, "wellbeing-agent")
    mine.locator("button[value=taken]").click()
    agent.wait_for_load_state("networkidle")
    mine = agent.locator("#breaks li.wb-rec", has_text=HARD_CALL)
    assert "taken" in mine.locator(".wb-status").inner_text()
    assert mine.locator("button").count() == 0

    lead.reload()
    assert "taken" in lead.locator("#breaks tr.wb-rec", has_text=HARD_CALL).inner_text()


def test_manager_sees_teams_and_red_agents_only(page_for) -> None:  # type: ignore[no-untyped-def]
    manager = page_for("manager")
    assert manager.locator("table.wb-teams tbody tr").count() == 3
    names = manager.locator("table.risk tbody tr th").all_inner_texts()
    assert names and all("shifts" in n for n in names)
    assert manager.locator("table.risk .band-red").count() >= 1
    assert manager.locator("#breaks").count() == 0
    shot(manager, "wellbeing-manager")


def test_lead_edits_the_break_policy(page_for, server) -> None:  # type: ignore[no-untyped-def]
    lead = page_for("lead")
    lead.click("a[href='/wellbeing/policy']")
    lead.wait_for_load_state("networkidle")
    form = lead.locator("form.wb-policy-form").first
    form.locator("input[name=heavy_threshold]").fill("80")
    form.locator("button[type=submit]").click()
    lead.wait_for_load_state("networkidle")
    assert "Saved" in lead.locator("p.notice").inner_text()
    assert lead.locator("input[name=heavy_threshold]").first.input_value() == "80"
    shot(lead, "wellbeing-policy")
