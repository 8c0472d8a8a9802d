"""End to end in the library: a demo agent takes a very difficult contact; the break
recommendation reaches the agent and their lead (not other agents) and a webhook
receiver on 127.0.0.1 gets the signed event.  The web pages will sit on top of this."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from webhook_receiver import WebhookReceiver

from heartline.demo import generate
from heartline.insights.risk import Viewer, visible_breaks
from heartline.insights.wellbeing import outcome_difficulty_proxy, recommend_breaks, score_contacts
from heartline.insights.wfm import break_event, send_webhook, verify_signature

SECRET = "flow-test-secret"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(default=202) as r:
        yield r


def test_a_very_difficult_demo_call_reaches_agent_lead_and_wfm(
    receiver: WebhookReceiver,
) -> None:
    org = generate(seed=7, end=date(2026, 11, 20), days=10, interactions=400, agents=10)
    difficulty = outcome_difficulty_proxy(org.interactions)
    hardest = max(org.interactions, key=lambda x: (difficulty[x.id], x.id))
    assert difficulty[hardest.id] >= 75
    recs = recommend_breaks(score_contacts(org.interactions, difficulty))
    mine = [r for r in recs if any(e.interaction_id == hardest.id for e in r.evidence)]
    assert len(mine) == 1
    rec = mine[0]
    assert rec.agent_id == hardest.agent_id and rec.start == hardest.ended_at

    assert rec in visible_breaks(Viewer("agent", agent_id=hardest.agent_id), recs)
    assert rec in visible_breaks(Viewer("lead", teams=(hardest.team or "",)), recs)
    other = next(a.id for a in org.agents if a.id != hardest.agent_id)
    assert rec not in visible_breaks(Viewer("agent", agent_id=other), recs)

    url, got = receiver.url, receiver.requests
    result = send_webhook(url, break_event(rec), timeout=5, secret=SECRET)
    assert result.status == 202
    ((headers, body),) = got
    event = json.loads(body)
    assert event["agent"] == hardest.agent_id and event["minutes"] == rec.minutes
    assert hardest.id in [e["interaction_id"] for e in event["evidence"]]
    assert verify_signature(body, headers["X-Heartline-Signature"], headers["X-Heartline-Timestamp"], SECRET)
