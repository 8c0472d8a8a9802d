"""One error shape for the API, a page for people."""

from __future__ import annotations

from .conftest import World  # type: ignore[import-not-found]

ERROR_KEYS = {"status", "code", "message"}


def assert_error(r, status: int, code: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


def test_api_errors_have_one_fixed_shape(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    anon = app_client(None)
    assert_error(anon.get("/api/interactions"), 401, "not_authenticated")
    agent = app_client("agent")
    assert_error(agent.get(f"/api/interactions/{world.org.interactions[3]}"), 404, "not_found")
    assert_error(agent.get("/api/no-such-thing"), 404, "not_found")
    assert_error(agent.get("/api/interactions?page=first"), 422, "invalid_request")
    assert_error(agent.get("/api/interactions?emotion=grumpy"), 400, "bad_request")
    assert_error(agent.post("/api/ingest", content=b"{}"), 403, "forbidden")
    assert_error(agent.delete("/api/kpis"), 405, "method_not_allowed")
    token = {"authorization": f"Bearer {world.token}"}
    assert_error(anon.post("/api/ingest", content=b"  \n", headers=token), 400, "bad_request")


def test_html_errors_are_pages(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    lead = app_client("lead")
    r = lead.get("/no-such-page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "404 · not found" in r.text and "Back to the start" in r.text
    r = lead.get(f"/interactions/{world.org.interactions[5]}")
    assert r.status_code == 404 and "among the ones you can see" in r.text


def test_security_headers_on_every_response(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    r = app_client(None).get("/login")
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
