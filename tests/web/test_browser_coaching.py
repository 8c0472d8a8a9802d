"""Real browser for the coaching workspace (Debian's Chromium via Playwright, uvicorn in a thread).

A lead opens an agent's 1:1 agenda, starts a session from it, records notes and an
action; the agent sees the session with its notes, while another agent (not found)
and a manager (no notes) do not.  Screenshots of every page go to ``test-artefacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_harness import chromium, live_app, populated_org, require_chromium, shot

from heartline.insights.aggregate import refresh
from heartline.settings import Settings
from heartline.web.accounts import create_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "coaching-browser-pass-1"
LOGINS = {
    "agent": "agent@coaching", "agent_other": "other.agent@coaching", "lead": "lead@coaching",
    "manager": "manager@coaching",
}  # fmt: skip
NOTES = "Opened with support: a hard week of outage calls. We replayed the growth moment together."
ACTION = "Role-play the first minute of an outage call with me"




@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    require_chromium()
    from heartline.web.app import create_app

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("coaching-browser"), environment="development",
        secret_key="coaching-browser-secret-key-12345",
    )  # fmt: skip
    engine, team, (a1, a2) = populated_org(settings, 2, interactions=240, agents=6, teams=2, days=14, seed=5,
                                           with_turns=True)
    with engine.begin() as conn:
        create_user(conn, login=LOGINS["agent"], password=PASSWORD, role="agent", display_name="Priya Shah", agent_id=a1)
        create_user(conn, login=LOGINS["agent_other"], password=PASSWORD, role="agent", display_name="Tom Berg",
                    agent_id=a2)  # fmt: skip
        create_user(conn, login=LOGINS["lead"], password=PASSWORD, role="lead", display_name="Dana Lead", team_ids=[team])
        create_user(conn, login=LOGINS["manager"], password=PASSWORD, role="manager", display_name="Ops Manager")
    refresh(engine)
    engine.dispose()
    with live_app(create_app(settings)) as base:
        yield {"url": base, "agent_id": a1}


@pytest.fixture(scope="module")
def browser(site: dict[str, object]) -> Iterator[object]:
    with chromium() as b:
        yield b


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, f"coaching-{name}")


def test_lead_runs_a_session_from_the_agenda_and_only_the_agent_reads_the_notes(browser, site) -> None:  # type: ignore[no-untyped-def]
    base = str(site["url"])
    outside: list[str] = []
    contexts = []

    def sign_in(role: str):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(base) else None)
        page.goto(f"{base}/login")
        page.fill("input[name=login]", LOGINS[role])
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    try:
        lead = sign_in("lead")
        lead.click("header nav a[href='/coaching']")
        lead.wait_for_load_state("networkidle")
        _shot(lead, "home-lead")
        lead.click(f"a[href='/coaching/agents/{site['agent_id']}/agenda']")
        lead.wait_for_load_state("networkidle")
        assert "What kind of support do you need today?" in lead.locator(".agenda-questions").inner_text()
        assert lead.locator(".agenda-growth a[href^='/interactions/']").count() >= 1
        assert lead.locator(".agenda-glow a[href^='/interactions/']").count() >= 1
        assert lead.locator(".agenda-kpis svg.chart").count() == 1
        _shot(lead, "agenda")
        lead.emulate_media(media="print")
        assert not lead.locator("header.top").is_visible()
        assert not lead.locator("form.start-session").is_visible()
        _shot(lead, "agenda-print")
        lead.emulate_media(media="screen")

        lead.click("form.start-session button[type=submit]")
        lead.wait_for_load_state("networkidle")
        assert "/coaching/sessions/" in lead.url
        session_url = lead.url
        assert lead.locator(".session-moments li.moment").count() >= 2
        lead.fill("form.session-form textarea[name=notes]", NOTES)
        lead.check("form.session-form input[name=opened_with_support]")
        lead.select_option("form.session-form select[name=status]", "held")
        lead.click("form.session-form button[type=submit]")
        lead.wait_for_load_state("networkidle")
        lead.fill("form.action-form input[name=text]", ACTION)
        lead.select_option("form.action-form select[name=owner]", "lead")
        lead.fill("form.action-form input[name=due_on]", "2030-01-15")
        lead.click("form.action-form button[type=submit]")
        lead.wait_for_load_state("networkidle")
        assert ACTION in lead.locator("table.session-actions").inner_text()
        lead.fill("#reframer textarea[name=draft]", "Your AHT was 30 seconds too high. Fix it.")
        lead.click("#reframer button[type=submit]")
        lead.wait_for_load_state("networkidle")
        assert lead.locator(".reframe-result mark.rf").count() >= 1
        assert lead.locator(".reframe-result .suggestion").inner_text().strip()
        _shot(lead, "session-lead")

        agent = sign_in("agent")
        agent.click("header nav a[href='/coaching']")
        agent.wait_for_load_state("networkidle")
        _shot(agent, "home-agent")
        agent.locator("table.coaching-sessions a").first.click()
        agent.wait_for_load_state("networkidle")
        assert agent.url == session_url
        assert NOTES in agent.locator(".session-notes").inner_text()
        assert ACTION in agent.locator("table.session-actions").inner_text()
        _shot(agent, "session-agent")

        other = sign_in("agent_other")
        response = other.goto(session_url)
        assert response is not None and response.status == 404
        assert NOTES not in other.content()
        other.goto(f"{base}/coaching")
        assert NOTES not in other.content() and other.locator("table.coaching-sessions a").count() == 0
        _shot(other, "home-other-agent")

        manager = sign_in("manager")
        manager.goto(f"{base}/coaching")
        assert "Dana Lead" in manager.locator("table.coaching-per-lead").inner_text()
        _shot(manager, "home-manager")
        manager.goto(session_url)
        assert manager.locator(".private-notes").is_visible()
        assert NOTES not in manager.content() and ACTION not in manager.content()
        _shot(manager, "session-manager")
        manager.goto(f"{base}/coaching/habits")
        assert "Dana Lead" in manager.content()
        _shot(manager, "habits-manager")
        manager.goto(f"{base}/coaching/calibration")
        manager.locator("table.calibration-sample a[href*='interaction=']").first.click()
        manager.wait_for_load_state("networkidle")
        manager.check("input[name=behaviour][value=acknowledge_emotion]")
        manager.click("#score button[type=submit]")
        manager.wait_for_load_state("networkidle")
        assert "1 reviewer(s), 1 interaction(s)" in manager.content()
        _shot(manager, "calibration-manager")
    finally:
        for ctx in contexts:
            ctx.close()
    assert not outside, f"the app loaded something from the network: {outside[:5]}"
