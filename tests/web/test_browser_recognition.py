"""Real browser on the recognition pages: an agent recognises a peer and finds it on the
team page; the lead opens the Empathy MVP page, reads why the winner was chosen and
confirms; the fairness and stories pages render.  Screenshots go to ``test-artefacts/``.
Skipped (with the reason) where /usr/bin/chromium is missing, failed under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

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
from heartline.web.routes.recognition import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "browser-password-123"
LOGINS = {"agent": "agent@recognition", "lead": "lead@recognition", "manager": "manager@recognition"}




@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    from heartline.web.app import create_app

    data = tmp_path_factory.mktemp("browser-recognition")
    settings = Settings(data_dir=data, environment="development", secret_key="browser-recognition-secret-123456")
    engine, team, (agent,) = populated_org(settings, interactions=500, agents=8, teams=2, days=40, seed=5,
                                           with_turns=False)
    with engine.begin() as conn:
        create_user(conn, login=LOGINS["agent"], password=PASSWORD, role="agent", display_name="Agent", agent_id=agent)
        create_user(conn, login=LOGINS["lead"], password=PASSWORD, role="lead", display_name="Dana Lead", team_ids=[team])
        create_user(conn, login=LOGINS["manager"], password=PASSWORD, role="manager", display_name="Ops Manager")
    refresh(engine)
    seed_demo(engine, SimpleNamespace(leads={}))  # recognitions, stories, last month's MVP: a living page
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


def test_recognise_a_peer_then_read_the_mvp_and_its_explanation(page_for) -> None:  # type: ignore[no-untyped-def]
    message = "You stayed with the worried caller until she felt sure. Lovely work."
    agent = page_for("agent")
    agent.click("header nav a[href='/recognition']")
    agent.wait_for_load_state("networkidle")
    form = agent.locator("form.rec-form")
    colleague = form.locator("select[name=receiver] option").nth(1)
    name = colleague.inner_text().strip()
    form.locator("select[name=receiver]").select_option(colleague.get_attribute("value"))
    form.locator("input[name=values][value=resilience]").check()
    form.locator("textarea[name=message]").fill(message)
    shot(agent, "recognition-agent-form")
    form.locator("button[type=submit]").click()
    agent.wait_for_load_state("networkidle")
    assert "Your recognition is on the team stream" in agent.locator("p.notice").inner_text()
    first = agent.locator("#stream li.rec-item").first
    assert message in first.inner_text() and name in first.inner_text()
    assert first.locator(".rec-value").all_inner_texts() == ["empathy", "resilience"]
    shot(agent, "recognition-agent")

    lead = page_for("lead")
    lead.goto(lead.url.replace("/dashboard", "/recognition"))
    lead.wait_for_load_state("networkidle")
    assert message in lead.locator("#stream").inner_text()  # the team page shows it to the lead too
    assert lead.locator("#customers blockquote").count() >= 1  # customers' empathy praise
    shot(lead, "recognition-lead")

    lead.click("nav.rec-tabs a[href='/recognition/mvp']")
    lead.wait_for_load_state("networkidle")
    section = lead.locator("section.rec-mvp").first
    explanation = section.locator(".rec-explanation").inner_text()
    winner = section.locator(".rec-winner-name").inner_text()
    assert "Empathy MVP for" in explanation and winner in explanation
    assert "Why:" in explanation and "peer" in explanation and "glow" in explanation
    assert section.locator("table.rec-candidates tbody tr").count() >= 2
    assert section.locator("table.rec-candidates tr.rec-top td").nth(1).inner_text() == winner
    assert "max(contacts, 20)" in section.locator(".formula").inner_text()
    shot(lead, "recognition-mvp-lead")
    section.locator("form.rec-confirm button").click()
    lead.wait_for_load_state("networkidle")
    assert "Confirmed by Dana Lead" in lead.locator("section.rec-mvp").first.inner_text()

    agent.click("nav.rec-tabs a[href='/recognition/mvp']")
    agent.wait_for_load_state("networkidle")
    mine = agent.locator("section.rec-mvp").first.inner_text()
    assert "Confirmed by Dana Lead" in mine and "Why:" in mine
    assert agent.locator("table.rec-candidates").count() == 0  # peers' figures stay with the lead
    shot(agent, "recognition-mvp-agent")


def test_fairness_and_stories_pages(page_for) -> None:  # type: ignore[no-untyped-def]
    manager = page_for("manager")
    manager.goto(manager.url.replace("/dashboard", "/recognition/fairness"))
    manager.wait_for_load_state("networkidle")
    assert manager.locator("section.rec-fair").count() == 2
    assert manager.locator("section.rec-fair svg.chart").count() == 2
    assert manager.locator("table.rec-people tbody tr").count() >= 4
    shot(manager, "recognition-fairness-manager")
    manager.click("nav.rec-tabs a[href='/recognition/stories']")
    manager.wait_for_load_state("networkidle")
    assert manager.locator(".rec-wall figure.rec-story").count() >= 1
    shot(manager, "recognition-stories-manager")
