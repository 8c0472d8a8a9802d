"""Web fixtures: a store on every backend with the hand-made contact center of
tests/insights, accounts for every role, and signed-in test clients."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, update

from heartline.settings import Settings
from heartline.store.tables import AnalysisRow, TurnRow
from heartline.web.accounts import create_user
from heartline.web.app import create_app
from heartline.web.security import create_api_token

_spec = importlib.util.spec_from_file_location(
    "heartline_tests_insights_org", Path(__file__).resolve().parents[1] / "insights" / "conftest.py"
)
assert _spec and _spec.loader
_org = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _org
_spec.loader.exec_module(_org)
engine = _org.engine  # the parametrized SQLite / PostgreSQL store fixture
Org = _org.Org

PASSWORD = "correct horse battery staple"
FRUSTRATED_REPEAT_CALLER = "This is the third time I've called about the same charge."
WARM_ACKNOWLEDGEMENT = "I can hear how frustrating this has been, I'm sorry. I'll fix it now."
RELIEVED_THANKS = "Oh thank you, that is such a relief."
ROLES_AND_LOGINS = {
    "agent": "agent.a@test",
    "agent_b": "agent.b@test",
    "lead": "lead.harbour@test",
    "lead_summit": "lead.summit@test",
    "manager": "manager@test",
    "admin": "admin@test",
}


@dataclass
class World:
    org: Org
    engine: Engine
    settings: Settings
    users: dict[str, int]
    token: str
    spare_token_id: int


def build_world(engine: Engine, tmp_path: Path) -> World:
    org = _org.build_org(engine)
    with engine.begin() as conn:
        # a transcript and moments for contact 1 (agent A, team harbour)
        iid = org.interactions[1]
        texts = [
            ("customer", FRUSTRATED_REPEAT_CALLER),
            ("agent", WARM_ACKNOWLEDGEMENT),
            ("customer", RELIEVED_THANKS),
            ("agent", "You're welcome. The refund will show within three days."),
        ]
        conn.execute(
            insert(TurnRow),
            [{"interaction_id": iid, "idx": n, "speaker": s, "text": t} for n, (s, t) in enumerate(texts)],
        )
        body = {
            "empathy_score": 80.0,
            "turns": [
                {"index": 0, "speaker": "customer", "emotion": "anger", "emotion_intensity": 0.9},
                {"index": 1, "speaker": "agent", "behaviours": ["acknowledge_emotion", "apologize", "ownership"]},
                {"index": 2, "speaker": "customer", "emotion": "satisfaction", "emotion_intensity": 0.7},
                {"index": 3, "speaker": "agent", "behaviours": ["set_expectations"]},
            ],
            "moments": [
                {"kind": "glow", "turn": 1, "reason": "named the frustration and owned the fix",
                 "evidence": "I can hear how frustrating this has been"},
                {"kind": "growth", "turn": 3, "reason": "could check the customer is happy with three days",
                 "evidence": "within three days"},
            ],
            "missed_emotion_turns": [],
            "difficulty_drivers": [
                {"turn": 0, "emotion": "anger", "strength": 0.93, "evidence": FRUSTRATED_REPEAT_CALLER},
            ],
        }
        conn.execute(update(AnalysisRow).where(AnalysisRow.interaction_id == iid).values(body=body))
        users = {
            "agent": create_user(conn, login=ROLES_AND_LOGINS["agent"], password=PASSWORD, role="agent",
                                 display_name="Agent A", agent_id=org.agents["A"]),
            "agent_b": create_user(conn, login=ROLES_AND_LOGINS["agent_b"], password=PASSWORD, role="agent",
                                   display_name="Agent B", agent_id=org.agents["B"]),
            "lead": create_user(conn, login=ROLES_AND_LOGINS["lead"], password=PASSWORD, role="lead",
                                display_name="Harbour Lead", team_ids=[org.teams["harbour"]]),
            "lead_summit": create_user(conn, login=ROLES_AND_LOGINS["lead_summit"], password=PASSWORD, role="lead",
                                       display_name="Summit Lead", team_ids=[org.teams["summit"]]),
            "manager": create_user(conn, login=ROLES_AND_LOGINS["manager"], password=PASSWORD, role="manager",
                                   display_name="Ops Manager"),
            "admin": create_user(conn, login=ROLES_AND_LOGINS["admin"], password=PASSWORD, role="admin",
                                 display_name="Admin"),
        }  # fmt: skip
        token = create_api_token(conn, name="crm import", created_by=users["admin"]).token
        spare = create_api_token(conn, name="spare", created_by=users["admin"]).id
    settings = Settings(
        data_dir=tmp_path,
        environment="test",
        secret_key="test-secret-key-long-enough-for-signing",
        database_url=engine.url.render_as_string(hide_password=False),
    )
    return World(org, engine, settings, users, token, spare)


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> World:
    return build_world(engine, tmp_path)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    m = CSRF_RE.search(page.text)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client)
    r = client.post(
        "/login", data={"login": login, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def app_client(world: World) -> Iterator[Callable[[str | None], TestClient]]:
    """Clients signed in as a role key of ROLES_AND_LOGINS (None: signed out)."""
    app = create_app(world.settings)
    clients: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        c = TestClient(app, base_url="https://testserver")
        c.__enter__()
        clients.append(c)
        if role is not None:
            sign_in(c, ROLES_AND_LOGINS[role])
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)
