"""WFM events: the JSON body, CSV rows and a signed webhook against a real local HTTP server."""

from __future__ import annotations

import csv
import io
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from webhook_receiver import WebhookReceiver

from heartline.insights.wellbeing import ScoredContact, recommend_breaks
from heartline.insights.wfm import (
    CSV_COLUMNS,
    WebhookError,
    break_event,
    events_csv,
    send_webhook,
    sign,
    verify_signature,
)

SECRET = "wfm-shared-secret-for-tests"
REPO = Path(__file__).resolve().parents[2]


def t(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 9, 14, hour, minute, tzinfo=UTC)


def call(cid: str, start: datetime, minutes: float, difficulty: float) -> ScoredContact:
    return ScoredContact(cid, "a-07", start, start + timedelta(minutes=minutes), difficulty, team="summit")


CALLS = [
    call("c1", t(9), 12, 82),
    call("c2", t(9, 40), 10, 61),
    call("c3", t(9, 51), 8, 66),
    call("c4", t(10), 9, 64),
]




@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(path="/wfm/events") as r:
        yield r


def test_event_body_has_the_documented_fields() -> None:
    recs = recommend_breaks(CALLS)
    assert [r.reason for r in recs] == ["single_heavy_call", "heavy_streak"]
    ev = break_event(recs[0])
    assert ev["agent"] == "a-07" and ev["team"] == "summit"
    assert ev["start"] == "2026-09-14T09:12:00Z" and ev["end"] == "2026-09-14T09:22:00Z"
    assert ev["minutes"] == 10 and ev["reason"] == "single_heavy_call"
    assert ev["evidence"] == [{"interaction_id": "c1", "difficulty": 82}]
    assert ev["event"] == "resilience_break.recommended"
    # the id is stable and differs between recommendations
    assert ev["id"] == break_event(recommend_breaks(CALLS)[0])["id"] != break_event(recs[1])["id"]
    json.dumps(ev)  # plain JSON


def test_csv_rows() -> None:
    text = events_csv(recommend_breaks(CALLS))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["start"], r["minutes"], r["reason"], r["interaction_ids"], r["difficulties"]) for r in rows] == [
        ("2026-09-14T09:12:00Z", "10", "single_heavy_call", "c1", "82"),
        ("2026-09-14T10:09:00Z", "15", "heavy_streak", "c2;c3;c4", "61;66;64"),
    ]


def test_webhook_delivers_a_signed_event(receiver: WebhookReceiver) -> None:
    ev = break_event(recommend_breaks(CALLS)[1])
    result = send_webhook(receiver.url, ev, timeout=5, secret=SECRET)
    assert (result.status, result.attempts) == (200, 1)
    ((headers, body),) = receiver.requests
    assert json.loads(body) == ev
    assert headers["Content-Type"] == "application/json"
    assert verify_signature(
        body, headers["X-Heartline-Signature"], headers["X-Heartline-Timestamp"], SECRET
    )
    # a different secret, a changed body or an old timestamp are all refused
    sig, ts = headers["X-Heartline-Signature"], headers["X-Heartline-Timestamp"]
    assert not verify_signature(body, sig, ts, "someone-else")
    assert not verify_signature(body.replace(b"a-07", b"a-08"), sig, ts, SECRET)
    assert not verify_signature(body, sig, ts, SECRET, now=int(ts) + 301)
    assert not verify_signature(body, None, ts, SECRET)


def test_webhook_retries_server_errors_then_succeeds() -> None:
    waits: list[float] = []
    with WebhookReceiver([503, 500]) as r:
        result = send_webhook(r.url, {"agent": "a-07"}, timeout=5, secret=SECRET, sleep=waits.append)
    assert (result.status, result.attempts) == (200, 3)
    assert waits == [0.5, 1.0]
    assert [h["X-Heartline-Delivery-Attempt"] for h, _ in r.requests] == ["1", "2", "3"]


def test_webhook_does_not_retry_a_refusal() -> None:
    with WebhookReceiver([400]) as r, pytest.raises(WebhookError, match="refused the event: HTTP 400"):
        send_webhook(r.url, {"agent": "a-07"}, timeout=5, secret=SECRET, sleep=lambda s: None)
    assert len(r.requests) == 1


def test_webhook_gives_up_after_the_retries() -> None:
    with WebhookReceiver([502, 502, 502]) as r, pytest.raises(WebhookError, match="after 3 attempts: HTTP 502"):
        send_webhook(r.url, {"agent": "a-07"}, timeout=5, secret=SECRET, retries=2, sleep=lambda s: None)
    assert len(r.requests) == 3


def test_webhook_retries_a_timeout() -> None:
    with WebhookReceiver([], delay_s=1.5) as r:
        result = send_webhook(r.url, {"agent": "a-07"}, timeout=0.3, secret=SECRET, sleep=lambda s: None)
    assert result.attempts == 2 and len(r.requests) == 2


def test_webhook_reports_a_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(WebhookError, match="after 2 attempts: connection failed"):
        send_webhook(f"http://127.0.0.1:{port}/x", {}, timeout=1, secret=SECRET, retries=1, sleep=lambda s: None)


def test_webhook_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="http"):
        send_webhook("file:///etc/passwd", {}, secret=SECRET)
    with pytest.raises(ValueError, match="secret"):
        send_webhook("http://127.0.0.1:1/", {}, secret="")


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert sign(b"{}", "k", 1_700_000_000) == f"sha256={expected}"


def test_the_docs_example_matches_the_event_shape() -> None:
    doc = (REPO / "docs" / "wfm-events.md").read_text()
    block = doc.split("```json", 1)[1].split("```", 1)[0]
    recs = recommend_breaks(CALLS)
    assert json.loads(block) == break_event(recs[1])
    assert events_csv(recs).strip() in doc
    for column in CSV_COLUMNS:
        assert f"`{column}`" in doc, column


# ------------------------------------------------------------------ command line


def _cli_files(tmp_path: Path) -> tuple[Path, Path]:
    contacts = [
        ("c1", "2026-09-14T09:00:00Z", 720, "fraud worry"),
        ("c2", "2026-09-14T09:40:00Z", 600, "service outage"),
        ("c3", "2026-09-14T09:51:00Z", 480, "billing error"),
        ("c4", "2026-09-14T10:00:00Z", 540, "service outage"),
    ]
    lines = [
        json.dumps({
            "id": cid, "agent_id": "a-07", "team": "summit", "started_at": start, "handle_seconds": secs,
            "topic": topic, "disposition": "resolved",
            "turns": [{"speaker": "customer", "text": "Hello?"}, {"speaker": "agent", "text": "Hi, how can I help?"}],
        })
        for cid, start, secs, topic in contacts
    ]
    src = tmp_path / "contacts.jsonl"
    src.write_text("\n".join(lines) + "\n")
    analyses = tmp_path / "analyses.jsonl"
    analyses.write_text(
        "\n".join(json.dumps({"id": c.interaction_id, "difficulty": c.difficulty, "empathy_score": 70}) for c in CALLS)
        + "\n"
    )
    return src, analyses


def _app() -> object:
    import typer

    from heartline.insights.wfm import register

    app = typer.Typer()
    register(app)
    return app


def test_cli_prints_csv_from_analyses(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    src, analyses = _cli_files(tmp_path)
    result = CliRunner().invoke(_app(), ["wellbeing", "breaks", str(src), "--analyses", str(analyses)])  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    assert result.stdout == events_csv(recommend_breaks(CALLS))
    assert "2 breaks recommended from 4 interactions" in result.stderr


def test_cli_json_lines_with_the_proxy_and_a_stricter_policy(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    src, _ = _cli_files(tmp_path)
    # proxy: fraud worry 65, outage 60, billing error 58, outage 60; threshold 64 -> only c1
    result = CliRunner().invoke(
        _app(), ["wellbeing", "breaks", str(src), "--proxy", "--format", "json", "--heavy-threshold", "64"]  # type: ignore[arg-type]
    )
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["reason"], e["evidence"]) for e in events] == [
        ("single_heavy_call", [{"interaction_id": "c1", "difficulty": 65.0}])
    ]


def test_cli_sends_to_a_webhook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    src, analyses = _cli_files(tmp_path)
    monkeypatch.setenv("HEARTLINE_WFM_WEBHOOK_SECRET", SECRET)
    with WebhookReceiver([]) as r:
        result = CliRunner().invoke(
            _app(),  # type: ignore[arg-type]
            ["wellbeing", "breaks", str(src), "--analyses", str(analyses), "--webhook", r.url],
        )
    assert result.exit_code == 0, result.output
    bodies = [json.loads(body) for _, body in r.requests]
    assert [b["reason"] for b in bodies] == ["single_heavy_call", "heavy_streak"]
    assert all(verify_signature(body, h["X-Heartline-Signature"], h["X-Heartline-Timestamp"], SECRET) for h, body in r.requests)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "exactly one difficulty source"),
        (["--proxy", "--analyses", "x.jsonl"], "exactly one difficulty source"),
        (["--proxy", "--streak-length", "1"], "streak_length must be at least 2"),
        (["--proxy", "--webhook", "http://127.0.0.1:9/"], "HEARTLINE_WFM_WEBHOOK_SECRET"),
    ],
)
def test_cli_failures_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str], message: str
) -> None:
    from typer.testing import CliRunner

    monkeypatch.delenv("HEARTLINE_WFM_WEBHOOK_SECRET", raising=False)
    src, _ = _cli_files(tmp_path)
    result = CliRunner().invoke(_app(), ["wellbeing", "breaks", str(src), *extra])  # type: ignore[arg-type]
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_cli_reports_a_bad_analyses_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    src, analyses = _cli_files(tmp_path)
    analyses.write_text('{"id": "c1", "difficulty": 50}\nnot json\n')
    result = CliRunner().invoke(_app(), ["wellbeing", "breaks", str(src), "--analyses", str(analyses)])  # type: ignore[arg-type]
    assert result.exit_code == 2
    assert f"{analyses}, line 2" in result.stderr
