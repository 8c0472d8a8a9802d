"""Every route, every role: allowed or denied exactly as the access table says.

A route added without an entry here fails the test, so access is always decided
on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert

from heartline.store.tables_web import ScoreReviewRow
from heartline.web.app import create_app

from .conftest import PASSWORD, ROLES_AND_LOGINS, World, csrf_of, sign_in  # type: ignore[import-not-found]

SIGNED_IN = {"agent", "lead", "manager", "admin"}
LEADERS = {"lead", "manager", "admin"}
MANAGERS = {"manager", "admin"}
EVERYONE = {"anon", "token", *SIGNED_IN}
PRINCIPALS = sorted(EVERYONE)

ACCESS: dict[tuple[str, str], set[str]] = {
    ("GET", "/"): SIGNED_IN,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/logout"): EVERYONE,
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/dashboard"): LEADERS,
    ("POST", "/dashboard/weights"): MANAGERS,
    ("GET", "/interactions"): SIGNED_IN,
    ("GET", "/interactions/{interaction_id}"): SIGNED_IN,
    ("POST", "/interactions/{interaction_id}/review"): {"agent"},
    ("POST", "/interactions/{interaction_id}/override"): LEADERS,
    ("GET", "/me"): {"agent"},
    ("GET", "/agents/{agent_id}"): SIGNED_IN,
    ("GET", "/disputes"): LEADERS,
    ("POST", "/disputes/{review_id}/resolve"): LEADERS,
    ("GET", "/friction"): LEADERS,
    ("GET", "/admin"): {"admin"},
    ("POST", "/admin/tokens"): {"admin"},
    ("POST", "/admin/tokens/{token_id}/revoke"): {"admin"},
    ("POST", "/admin/refresh"): {"admin"},
    ("POST", "/admin/users"): {"admin"},
    ("POST", "/admin/users/{user_id}/deactivate"): {"admin"},
    ("GET", "/api/openapi.json"): EVERYONE,
    ("GET", "/api/docs"): EVERYONE,
    ("GET", "/api/interactions"): SIGNED_IN | {"token"},
    ("GET", "/api/interactions/{interaction_id}"): SIGNED_IN | {"token"},
    ("GET", "/api/interactions/{interaction_id}/analysis"): SIGNED_IN | {"token"},
    ("GET", "/api/analyses"): SIGNED_IN | {"token"},
    ("GET", "/api/kpis"): SIGNED_IN | {"token"},
    ("POST", "/api/ingest"): {"token"},
}


def _feature_access() -> None:
    """Each feature's routes keep their entries in their own access_<feature>.py beside this file."""
    import importlib.util
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("access_*.py")):
        spec = importlib.util.spec_from_file_location(f"heartline_tests_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        overlap = set(module.ACCESS) & set(ACCESS)
        assert not overlap, f"{path.name} repeats entries: {sorted(overlap)}"
        ACCESS.update(module.ACCESS)


_feature_access()


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, included routers expanded; mounts (static) skipped."""

    def walk(routes):  # type: ignore[no-untyped-def]
        for r in routes:
            if hasattr(r, "effective_route_contexts"):
                for ctx in r.effective_route_contexts():
                    yield ctx.path, getattr(ctx.original_route, "methods", None)
            else:
                yield r.path, getattr(r, "methods", None)

    for path, methods in walk(app.routes):
        for m in sorted(methods or ()):
            if m != "HEAD":
                yield m, path


def form_for(path: str, world: World) -> dict[str, object] | None:
    a = world.org
    forms: dict[str, dict[str, object]] = {
        "/login": {"login": ROLES_AND_LOGINS["manager"], "password": PASSWORD, "next": "/"},
        "/dashboard/weights": {"team": a.teams["harbour"], "human": 1, "efficiency": 1},
        "/interactions/{interaction_id}/review": {"field": "empathy_score", "kind": "acknowledge"},
        "/interactions/{interaction_id}/override": {"field": "difficulty", "value": "50", "reason": "checked"},
        "/disputes/{review_id}/resolve": {"decision": "decline", "note": "the score holds"},
        "/admin/tokens": {"name": "another"},
        "/admin/users": {"login": "new.manager@test", "display_name": "New", "role": "manager",
                         "password": "a long enough password"},
    }
    return forms.get(path, {})


def fill(path: str, world: World, review_id: int) -> str:
    return (
        path.replace("{interaction_id}", str(world.org.interactions[1]))
        .replace("{agent_id}", str(world.org.agents["A"]))
        .replace("{review_id}", str(review_id))
        .replace("{token_id}", str(world.spare_token_id))
        .replace("{user_id}", str(world.users["agent_b"]))
    )


def denied(r) -> bool:  # type: ignore[no-untyped-def]
    if r.status_code in (401, 403):
        return True
    return r.status_code in (302, 303, 307) and r.headers.get("location", "").startswith("/login?")


def test_every_route_is_in_the_access_table(world: World) -> None:
    routes = set(app_routes(create_app(world.settings)))
    assert routes == set(ACCESS), (
        f"routes without an access entry: {sorted(routes - set(ACCESS))}; "
        f"entries without a route: {sorted(set(ACCESS) - routes)}"
    )


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_each_role_reaches_exactly_its_routes(world: World, principal: str) -> None:
    with world.engine.begin() as conn:
        review_id = conn.execute(
            insert(ScoreReviewRow)
            .values(
                interaction_id=world.org.interactions[1], agent_id=world.org.agents["A"],
                author_id=world.users["agent"], field="empathy_score", kind="dispute",
                comment="the customer thanked me", status="open", created_at=datetime.now(UTC),
            )  # fmt: skip
            .returning(ScoreReviewRow.id)
        ).scalar_one()
    app = create_app(world.settings)
    with TestClient(app, base_url="https://testserver") as client:

        def start() -> None:
            client.cookies.clear()
            if principal in ROLES_AND_LOGINS:
                sign_in(client, ROLES_AND_LOGINS[principal])

        start()
        headers = {"authorization": f"Bearer {world.token}"} if principal == "token" else {}
        wrong: list[str] = []
        # sign-out last: it ends the session the other checks use
        for method, path in sorted(ACCESS, key=lambda k: k[1] == "/logout"):
            url = fill(path, world, review_id)
            if method == "GET":
                r = client.get(url, headers=headers, follow_redirects=False)
            elif path == "/api/ingest":
                r = client.post(url, content=b'{"id": "api-1", "agent_id": "A"}\n', headers=headers)
            else:
                data = {**(form_for(path, world) or {}), "csrf_token": csrf_of(client, "/login")}
                r = client.post(url, data=data, headers=headers, follow_redirects=False)
            allowed = principal in ACCESS[(method, path)]
            if denied(r) == allowed:
                wrong.append(f"{method} {path}: {r.status_code} {r.headers.get('location', '')}")
            if path == "/login" and method == "POST":
                start()
        assert not wrong, f"{principal}: " + "; ".join(wrong)


def test_html_denials_say_why_and_api_denials_are_json(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    anon = app_client(None)
    r = anon.get("/dashboard", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdashboard"
    agent = app_client("agent")
    r = agent.get("/dashboard")
    assert r.status_code == 403 and "not open to the agent role" in r.text
    r = anon.get("/api/kpis")
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"
    r = anon.get("/api/kpis", headers={"authorization": "Bearer hl_not-a-token"})
    assert r.status_code == 401 and "unknown or revoked" in r.json()["error"]["message"]
    assert re.search(r"Sign in", anon.get("/login").text)
