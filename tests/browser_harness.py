"""What every real-browser test needs: Debian's Chromium, the app served by uvicorn, screenshots.

``from browser_harness import chromium, live_app, require_chromium, shot`` in a
browser test (``tests`` is on pytest's pythonpath).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artefacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip with the reason where Debian's Chromium is missing; under CI=true, fail instead."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing (apt-get install chromium)")
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_app(app: Any) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright, Debian's binary, no background networking)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot in test-artefacts/ (look at it)."""
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


@contextmanager
def signed_in_pages(browser: Any, base: str) -> Iterator[Any]:
    """Yields ``sign_in(login, password) -> page``, each page in a context of its own.

    On exit every context closes, and the test fails if a page asked for anything
    outside the app (the app must work with no network).
    """
    contexts: list[Any] = []
    outside: list[str] = []

    def sign_in(login: str, password: str) -> Any:
        ctx = browser.new_context(viewport={"width": 1366, "height": 900})
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(base) else None)
        page.goto(f"{base}/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    yield sign_in
    for ctx in contexts:
        ctx.close()
    assert not outside, f"the app loaded something from the network: {outside[:5]}"


def bench_populate() -> Any:
    """``populate(engine, ...)`` from bench/bench_web.py: fast bulk rows for pages to show."""
    import importlib.util
    import sys

    name = "heartline_bench_web"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "bench" / "bench_web.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].populate


def populated_org(settings: Any, first_team_agents: int = 1, **populate: Any
                  ) -> tuple[Any, str, list[str]]:
    """A migrated database filled by :func:`bench_populate` with ``populate``'s sizes.

    Returns the engine, the first team's id and that team's first ``first_team_agents``
    agents (by id): the people a browser test signs in as.
    """
    from sqlalchemy import select

    from heartline.store.engine import make_engine, migrate
    from heartline.store.tables import AgentRow, TeamRow

    engine = make_engine(settings)
    migrate(engine)
    bench_populate()(engine, **populate)
    with engine.connect() as conn:
        team = conn.execute(select(TeamRow.id).order_by(TeamRow.id)).scalars().first()
        agents = list(conn.execute(
            select(AgentRow.id).where(AgentRow.team_id == team).order_by(AgentRow.id)
            .limit(first_team_agents)).scalars())
    return engine, team, agents
