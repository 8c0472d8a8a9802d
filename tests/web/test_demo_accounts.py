"""The demo organisation, stored the way `heartline demo` stores it, gets one login per role."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from heartline.settings import Settings
from heartline.store.engine import open_store
from heartline.web.accounts import ensure_demo_accounts
from heartline.web.app import create_app


def test_demo_organisation_logins_reach_their_pages(tmp_path: Path) -> None:
    from heartline.demo import generate
    from heartline.store.demo_load import load_organisation

    settings = Settings(data_dir=tmp_path, environment="development")
    org = generate(seed=7, end=date(2026, 11, 20), days=14, interactions=300, agents=9)
    with open_store(settings) as engine:
        load_organisation(engine, org)
        accounts = ensure_demo_accounts(engine, org)
    assert [a.role for a in accounts] == ["agent", "lead", "manager", "admin"]
    lead_team = next(iter(org.leads))
    assert org.leads[lead_team] in accounts[1].who
    landing = {"agent": "/me", "lead": "/dashboard", "manager": "/dashboard", "admin": "/dashboard"}
    with TestClient(create_app(settings)) as client:
        for login, password, role, _who in accounts:
            client.cookies.clear()
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
            r = client.post("/login", data={"login": login, "password": password, "csrf_token": token})
            assert r.status_code == 200 and r.url.path == landing[role], role
            assert client.get("/interactions").status_code == 200
