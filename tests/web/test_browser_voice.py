"""Real browser, Voice of the Agent: an agent raises an anonymous barrier, a lead answers it
without learning who raised it, the agent confirms it resolved, and it appears on "you said,
we did".  Debian's Chromium through Playwright against uvicorn; screenshots to
``test-artefacts/voice-*.png``.  Skipped where /usr/bin/chromium is missing, failed under CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
from browser_harness import chromium, live_app, require_chromium, shot
from sqlalchemy import insert

from heartline.settings import Settings
from heartline.store.engine import make_engine, migrate
from heartline.store.tables import AgentRow, TeamRow
from heartline.web.accounts import create_user
from heartline.web.routes.voice import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "browser-password-123"
AGENT = {"login": "priya@voice", "name": "Priya Shah"}
LEAD = {"login": "dana@voice", "name": "Dana Okafor"}
BARRIER = "The knowledge base has no article on the new family roaming bundle, so I put customers on hold to ask around."
WE_DID = "Knowledge team published the roaming bundle article; it is pinned on the home page."


def keyword_embedder(texts):  # type: ignore[no-untyped-def]
    """Stand-in for MiniLM in the browser run: hashed bag of words (themes stay meaningful)."""
    out = np.zeros((len(texts), 96), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"[a-z]+", t.lower()):
            if len(w) > 4:
                out[i, sum(map(ord, w)) % 96] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    require_chromium()
    from heartline.web.app import create_app

    data = tmp_path_factory.mktemp("browser-voice")
    settings = Settings(data_dir=data, environment="development", secret_key="browser-voice-secret-key-123456")
    engine = make_engine(settings)
    migrate(engine)
    with engine.begin() as conn:
        teams = [
            conn.execute(insert(TeamRow).values(key=k, name=n).returning(TeamRow.id)).scalar_one()
            for k, n in (("harbour", "Harbour"), ("summit", "Summit"))
        ]
        agent_ids = [
            conn.execute(
                insert(AgentRow).values(key=f"a{i:02d}", name=f"Demo Agent {i}", team_id=teams[i % 2],
                                        hired_on=date(2023, 1 + i % 12, 1)).returning(AgentRow.id)
            ).scalar_one()
            for i in range(16)
        ]
        create_user(conn, login=AGENT["login"], password=PASSWORD, role="agent", display_name=AGENT["name"],
                    agent_id=agent_ids[0])  # fmt: skip
        create_user(conn, login=LEAD["login"], password=PASSWORD, role="lead", display_name=LEAD["name"],
                    team_ids=[teams[0]])  # fmt: skip
    seed_demo(engine, None)
    engine.dispose()
    app = create_app(settings)
    app.state.voice_embedder = keyword_embedder
    with live_app(app) as base:
        yield base, agent_ids[0]


def test_anonymous_barrier_answered_resolved_and_on_the_board(server) -> None:  # type: ignore[no-untyped-def]
    base, agent_id = server
    outside: list[str] = []
    with chromium() as browser:

        def signed_in(who: dict[str, str]):  # type: ignore[no-untyped-def]
            ctx = browser.new_context(viewport={"width": 1366, "height": 900})
            page = ctx.new_page()
            page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(base) else None)
            page.goto(f"{base}/login")
            page.fill("input[name=login]", who["login"])
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            return page

        # 1. the agent raises an anonymous barrier (anonymous is the default)
        agent = signed_in(AGENT)
        agent.click("header nav a[href='/voice']")
        agent.wait_for_load_state("networkidle")
        shot(agent, "voice-agent-form")
        form = agent.locator("form[action='/voice/barriers']")
        form.locator("select[name=category]").select_option("knowledge_base")
        form.locator("textarea[name=text]").fill(BARRIER)
        assert form.locator("input[name=anonymous]").is_checked()
        form.locator("button[type=submit]").click()
        agent.wait_for_load_state("networkidle")
        mine = agent.locator("#mine article.barrier", has_text=BARRIER)
        assert mine.count() == 1 and "anonymous" in mine.inner_text()
        # and answers this week's pulse
        pulse = agent.locator("form[action='/voice/pulse']")
        for fieldset in pulse.locator("fieldset.scale").all():
            fieldset.locator("label.pick").nth(3).click()
        pulse.locator("button[type=submit]").click()
        agent.wait_for_load_state("networkidle")
        assert "you have answered this week's pulse" in agent.content()

        # 2. the lead answers it without learning who raised it
        lead = signed_in(LEAD)
        lead.goto(f"{base}/voice")
        card = lead.locator("article.barrier", has_text=BARRIER)
        assert card.count() == 1
        assert "the author (author-" in card.inner_text()
        card.locator("form.reply input[name=text]").fill("Thank you. I have asked the knowledge team for the article.")
        card.locator("form.reply button").click()
        lead.wait_for_load_state("networkidle")
        for status in ("acknowledged", "in_progress", "resolved"):
            card = lead.locator("article.barrier", has_text=BARRIER)
            card.locator("form.status-form select[name=status]").select_option(status)
            if status == "resolved":
                card.locator("form.status-form input[name=reason]").fill(WE_DID)
            card.locator("form.status-form button").click()
            lead.wait_for_load_state("networkidle")
        html = lead.content()
        for secret in (AGENT["name"], "Priya", AGENT["login"], f"/agents/{agent_id}"):
            assert secret not in html, f"{secret!r} shown to the lead"
        lead.goto(f"{base}/voice")
        html = lead.content()
        assert BARRIER in html and all(s not in html for s in (AGENT["name"], AGENT["login"]))
        assert lead.locator("svg.chart").count() >= 2 and "Themes" in html
        shot(lead, "voice-lead")

        # 3. the agent sees who answered and confirms it is resolved for them
        agent.goto(f"{base}/voice")
        mine = agent.locator("#mine article.barrier", has_text=BARRIER)
        assert LEAD["name"] in mine.inner_text() and WE_DID in mine.inner_text()
        mine.locator("button[value=yes]").click()
        agent.wait_for_load_state("networkidle")
        assert "You confirmed it is resolved." in agent.locator("#mine").inner_text()
        shot(agent, "voice-agent-confirmed")

        # 4. it is on "you said, we did", confirmed, with no author
        agent.click(".voice-tabs a[href='/voice/you-said-we-did']")
        agent.wait_for_load_state("networkidle")
        item = agent.locator("article.ysd", has_text=BARRIER)
        assert item.count() == 1
        assert WE_DID in item.inner_text() and "confirmed by the person who raised it" in item.inner_text()
        shot(agent, "voice-you-said-we-did")
        lead.goto(f"{base}/voice/you-said-we-did")
        assert BARRIER in lead.content() and AGENT["name"] not in lead.content()
        lead.goto(f"{base}/voice/leadership")
        shot(lead, "voice-leadership")
    assert not outside, f"the app loaded something from the network: {outside[:5]}"
