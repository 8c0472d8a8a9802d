"""Real browser: Debian's Chromium driven by Playwright against the app served by uvicorn.

Signs in as each role, opens the dashboard and an interaction, disputes a score as
an agent and finds it in the lead's queue.  Screenshots go to ``test-artefacts/``.
Skipped (with the reason) where /usr/bin/chromium is missing, failed under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_harness import (
    chromium,
    live_app,
    populated_org,
    require_chromium,
    shot,
    signed_in_pages,
)

from heartline.insights.aggregate import refresh
from heartline.settings import Settings
from heartline.web.accounts import create_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "browser-password-123"
LOGINS = {"agent": "agent@browser", "lead": "lead@browser", "manager": "manager@browser", "admin": "admin@browser"}




@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    from heartline.web.app import create_app

    data = tmp_path_factory.mktemp("browser")
    settings = Settings(data_dir=data, environment="development", secret_key="browser-test-secret-key-123456")
    engine, team, (agent,) = populated_org(settings, interactions=900, agents=12, teams=3, days=35, seed=11,
                                           with_turns=True)
    with engine.begin() as conn:
        create_user(conn, login=LOGINS["agent"], password=PASSWORD, role="agent", display_name="Priya Shah", agent_id=agent)
        create_user(conn, login=LOGINS["lead"], password=PASSWORD, role="lead", display_name="Dana Lead", team_ids=[team])
        create_user(conn, login=LOGINS["manager"], password=PASSWORD, role="manager", display_name="Ops Manager")
        create_user(conn, login=LOGINS["admin"], password=PASSWORD, role="admin", display_name="Admin")
    refresh(engine)
    engine.dispose()
    with live_app(create_app(settings)) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def page_for(browser, server: str):  # type: ignore[no-untyped-def]
    with signed_in_pages(browser, server) as sign_in:
        yield lambda role: sign_in(LOGINS[role], PASSWORD)


@pytest.mark.parametrize("role", ["agent", "lead", "manager", "admin"])
def test_each_role_signs_in_and_lands_on_its_page(page_for, server: str, role: str) -> None:  # type: ignore[no-untyped-def]
    page = page_for(role)
    if role == "agent":
        assert page.url.endswith("/me")
        assert page.locator("h1").inner_text() == "My view"
        assert page.locator("a[href='/dashboard']").count() == 0
        shot(page, "landing-agent")
        page.goto(f"{server}/dashboard")
        assert "not open to the agent role" in page.content()
        assert page.locator("header .who").count() == 1  # still signed in, with the way out
        shot(page, "agent-denied-dashboard")
        return
    else:
        assert page.url.endswith("/dashboard")
        assert page.locator(".kpi-side.human h2").inner_text() == "Human"
        assert page.locator(".kpi-side.efficiency h2").inner_text() == "Efficiency"
        assert page.locator("svg.chart").count() >= 4
        assert page.locator("table.agents tbody tr").count() >= 1
    shot(page, f"landing-{role}")


def test_dashboard_sides_have_equal_weight(page_for) -> None:  # type: ignore[no-untyped-def]
    page = page_for("manager")
    human = page.locator(".sides .side").nth(0).bounding_box()
    efficiency = page.locator(".sides .side").nth(1).bounding_box()
    assert human and efficiency
    assert abs(human["width"] - efficiency["width"]) < 2
    assert abs(human["y"] - efficiency["y"]) < 2


def test_lead_opens_an_interaction(page_for) -> None:  # type: ignore[no-untyped-def]
    page = page_for("lead")
    page.click("header nav a[href='/interactions']")
    page.wait_for_load_state("networkidle")
    shot(page, "interactions-lead")
    page.select_option("select[name=emotion]", "frustration")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.locator("table.list tbody a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("ol.turns li.turn.customer").count() >= 2
    assert page.locator("ol.turns li.turn.agent .chip").count() >= 1
    assert page.locator("svg.timeline circle").count() >= 2
    assert page.locator(".emo-bg-frustration").count() >= 1
    shot(page, "interaction-lead")


def test_agent_disputes_and_the_lead_sees_it(page_for) -> None:  # type: ignore[no-untyped-def]
    agent = page_for("agent")
    agent.locator("section.card table.compact a").first.click()
    agent.wait_for_load_state("networkidle")
    comment = "I offered a callback at turn 3; the score missed it."
    agent.select_option("form.review select[name=field]", "empathy_score")
    agent.fill("form.review textarea[name=comment]", comment)
    agent.click("form.review button[value=dispute]")
    agent.wait_for_load_state("networkidle")
    assert "dispute" in agent.locator("#scores").inner_text()
    shot(agent, "interaction-agent-disputed")

    lead = page_for("lead")
    lead.click("header nav a[href='/disputes']")
    lead.wait_for_load_state("networkidle")
    card = lead.locator("section.dispute").first
    assert comment in card.inner_text()
    shot(lead, "disputes-lead")
    card.locator("input[name=value]").fill("75")
    card.locator("textarea[name=note]").fill("You did offer it; corrected.")
    card.locator("button[value=uphold]").click()
    lead.wait_for_load_state("networkidle")
    assert "upheld" in lead.content()

    agent.reload()
    assert "overridden" in agent.locator("#scores").inner_text()
    assert "corrected" in agent.locator("#scores").inner_text()
    manager = page_for("manager")
    manager.goto(manager.url.replace("/dashboard", "/friction"))
    manager.wait_for_load_state("networkidle")
    assert manager.locator("svg.chart").count() == 3
    shot(manager, "friction-manager")
