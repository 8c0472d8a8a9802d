"""The REST API: tokens, scoped reads, KPIs and JSONL ingest through the import pipeline."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from heartline.store.tables import InteractionRow, TurnRow
from heartline.store.tables_web import ApiTokenRow
from heartline.web.security import token_digest

from .conftest import World, csrf_of  # type: ignore[import-not-found]

NEW_CALL = {
    "id": "api-call-1",
    "channel": "voice",
    "queue": "billing",
    "agent_id": "A",
    "customer_id": "cust-77",
    "started_at": "2026-09-03T10:00:00Z",
    "ended_at": "2026-09-03T10:05:00Z",
    "turns": [
        {"speaker": "customer", "text": "Please write to me at jo.bloggs@example.co.uk about the refund."},
        {"speaker": "agent", "text": "Of course, I'll send it today."},
    ],
    "survey": {"csat": 4, "resolved": True},
}


def bearer(world: World) -> dict[str, str]:
    return {"authorization": f"Bearer {world.token}"}


def test_token_reads_everything_and_is_stored_hashed(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    r = client.get("/api/interactions", headers=bearer(world))
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 5 and not body["total_capped"]
    assert {i["id"] for i in body["items"]} == set(world.org.interactions.values())
    assert "set-cookie" not in r.headers
    with world.engine.connect() as conn:
        hashes = conn.execute(select(ApiTokenRow.token_hash)).scalars().all()
    assert token_digest(world.token) in hashes and world.token not in hashes


def test_sessions_are_scoped_in_the_api_too(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    agent = app_client("agent")
    ids = {i["id"] for i in agent.get("/api/interactions").json()["items"]}
    assert ids == {world.org.interactions[1], world.org.interactions[2]}
    assert agent.get(f"/api/interactions/{world.org.interactions[4]}/analysis").status_code == 404
    r = agent.get(f"/api/kpis?agent={world.org.agents['B']}")
    assert r.status_code == 403
    analyses = agent.get("/api/analyses").json()["items"]
    assert {a["interaction_id"] for a in analyses} == {world.org.interactions[1], world.org.interactions[2]}
    lead = app_client("lead")
    assert lead.get(f"/api/kpis?team={world.org.teams['summit']}").status_code == 403


def test_interaction_and_analysis_endpoints(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client("manager")
    iid = world.org.interactions[1]
    one = client.get(f"/api/interactions/{iid}").json()
    assert one["external_id"] == "c1" and one["survey"]["csat"] == 5
    assert one["turns"][1]["behaviours"] == ["acknowledge_emotion", "apologize", "ownership"]
    assert one["scores"]["empathy_score"] == 80.0 and one["overrides"] == []
    analysis = client.get(f"/api/interactions/{iid}/analysis").json()
    assert analysis["model_version"] == "test-1" and analysis["moments"][0]["kind"] == "glow"
    assert client.get(f"/api/interactions/{world.org.interactions[3]}/analysis").json()["error"]["code"] == "not_found"


def test_kpis_endpoint_matches_the_kpi_module(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    r = client.get(f"/api/kpis?team={world.org.teams['harbour']}", headers=bearer(world))
    body = r.json()
    assert body["contacts"] == 4
    assert body["kpis"]["aht"]["value"] == pytest.approx(317.5)
    assert body["kpis"]["csat"]["value"] == pytest.approx(200 / 3)
    assert body["kpis"]["enps"]["value"] is None
    assert "4 or 5" in body["kpis"]["csat"]["definition"]
    assert body["aht_grace"]["aht_without_heavy"] == pytest.approx(360.0)
    assert "w_h" in body["scorecard"]["formula"]


def test_ingest_stores_good_lines_names_bad_ones_and_redacts(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    batch = "\n".join(
        [
            json.dumps(NEW_CALL),
            "{not json",
            json.dumps({**NEW_CALL, "id": "api-call-2", "turns": [{"speaker": "robot", "text": "beep"}]}),
        ]
    )
    r = client.post("/api/ingest", content=batch.encode(), headers={**bearer(world), "content-type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored_by_kind"].get("interaction") == 1 and body["rejected"] == 2
    assert sorted({x["line"] for x in body["rejects"]}) == [2, 3]
    assert any("turns.0.speaker" in x["field"] for x in body["rejects"])
    with world.engine.connect() as conn:
        iid = conn.execute(select(InteractionRow.id).where(InteractionRow.external_id == "api-call-1")).scalar_one()
        text = conn.execute(select(TurnRow.text).where(TurnRow.interaction_id == iid, TurnRow.idx == 0)).scalar_one()
    assert "jo.bloggs@example.co.uk" not in text and "[EMAIL]" in text
    # re-posting stores nothing new
    again = client.post("/api/ingest", content=json.dumps(NEW_CALL).encode(), headers=bearer(world)).json()
    assert again["stored"] == 0 and again["duplicates"] >= 1
    # and the new contact is in the lists and KPIs straight away
    listed = client.get("/api/interactions", headers=bearer(world)).json()
    assert listed["total"] == 6


def test_revoked_tokens_stop_working(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    admin = app_client("admin")
    page = admin.post("/admin/tokens", data={"name": "short-lived", "csrf_token": csrf_of(admin, "/admin")})
    token = page.text.split('<code class="token">')[1].split("</code>")[0]
    anon = app_client(None)
    assert anon.get("/api/kpis", headers={"authorization": f"Bearer {token}"}).status_code == 200
    with world.engine.connect() as conn:
        tid = conn.execute(select(ApiTokenRow.id).where(ApiTokenRow.name == "short-lived")).scalar_one()
    r = admin.post(f"/admin/tokens/{tid}/revoke", data={"csrf_token": csrf_of(admin, "/admin")}, follow_redirects=False)
    assert r.status_code == 303
    assert anon.get("/api/kpis", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_openapi_and_docs_are_offline(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    spec = client.get("/api/openapi.json").json()
    assert {"/api/interactions", "/api/kpis", "/api/ingest", "/api/analyses"} <= set(spec["paths"])
    assert "/dashboard" not in spec["paths"]
    docs = client.get("/api/docs").text
    assert "/api/ingest" in docs and "http://" not in docs.replace("http://www.w3.org", "")
