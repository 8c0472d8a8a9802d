"""Resilience breaks as workforce-management (WFM) events: CSV rows and a signed webhook.

A WFM system logs a recommended break as an idle/AUX code for the agent.  The
event body is documented in ``docs/wfm-events.md``; this module builds it,
writes it as CSV and posts it with nothing but the standard library::

    {"event": "resilience_break.recommended", "id": "...", "agent": "a-01",
     "team": "harbour", "start": "2026-09-14T09:22:00Z", "minutes": 10,
     "reason": "single_heavy_call", "evidence": [...]}

Webhook requests carry ``X-Heartline-Timestamp`` and
``X-Heartline-Signature: sha256=<hex>``, an HMAC-SHA256 over
``"<timestamp>.<body>"`` with the shared secret; :func:`verify_signature` is
the receiver's side of the same rule.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from heartline.insights.wellbeing import (
    BreakPolicy,
    BreakRecommendation,
    outcome_difficulty_proxy,
    recommend_breaks,
    score_contacts,
)

__all__ = [
    "CSV_COLUMNS",
    "EVENT_TYPE",
    "WebhookError",
    "WebhookResult",
    "break_event",
    "events_csv",
    "send_webhook",
    "sign",
    "verify_signature",
]

EVENT_TYPE = "resilience_break.recommended"
SIGNATURE_HEADER = "X-Heartline-Signature"
TIMESTAMP_HEADER = "X-Heartline-Timestamp"
CSV_COLUMNS: tuple[str, ...] = (
    "id", "agent", "team", "start", "end", "minutes", "reason", "interaction_ids", "difficulties",
)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_id(rec: BreakRecommendation) -> str:
    """A stable id: the same recommendation always gets the same id (receivers can de-duplicate)."""
    key = f"{rec.agent_id}|{_iso(rec.start)}|{rec.reason}|" + ",".join(
        e.interaction_id for e in rec.evidence
    )
    return "brk_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def break_event(rec: BreakRecommendation) -> dict[str, Any]:
    """The webhook JSON body for one recommended break (see docs/wfm-events.md)."""
    return {
        "event": EVENT_TYPE,
        "id": event_id(rec),
        "agent": rec.agent_id,
        "team": rec.team,
        "start": _iso(rec.start),
        "end": _iso(rec.end),
        "minutes": rec.minutes,
        "reason": rec.reason,
        "explanation": rec.explanation,
        "evidence": [
            {"interaction_id": e.interaction_id, "difficulty": e.difficulty} for e in rec.evidence
        ],
    }


def events_csv(recommendations: Iterable[BreakRecommendation]) -> str:
    """CSV text, one row per recommended break, columns :data:`CSV_COLUMNS`.

    ``interaction_ids`` and ``difficulties`` list the evidence separated by
    ``;`` in the same order.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rec in recommendations:
        ev = break_event(rec)
        writer.writerow(
            [
                ev["id"], ev["agent"], ev["team"] or "", ev["start"], ev["end"], ev["minutes"],
                ev["reason"],
                ";".join(e.interaction_id for e in rec.evidence),
                ";".join(f"{e.difficulty:g}" for e in rec.evidence),
            ]
        )
    return buf.getvalue()


def _body(event: Mapping[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``b"<timestamp>." + body`` keyed with ``secret``."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    body: bytes,
    signature: str | None,
    timestamp: str | None,
    secret: str,
    *,
    tolerance_s: float = 300.0,
    now: float | None = None,
) -> bool:
    """True when ``signature`` is right for ``body`` and the timestamp is recent.

    A receiver calls this with the raw request body and the two headers; a
    timestamp more than ``tolerance_s`` seconds away from ``now`` is refused so
    a captured request cannot be replayed later.
    """
    if not signature or not timestamp:
        return False
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(body, secret, ts), signature)


class WebhookError(RuntimeError):
    """The receiver did not accept the event after every attempt."""


@dataclass(frozen=True, slots=True)
class WebhookResult:
    status: int
    attempts: int


def send_webhook(
    url: str,
    event: Mapping[str, Any],
    *,
    timeout: float = 5.0,
    secret: str,
    retries: int = 3,
    backoff_s: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> WebhookResult:
    """POST ``event`` as JSON to ``url``, signed, retrying on failure.

    The request is retried (``retries`` more times, waiting ``backoff_s``,
    then twice that, and so on) when the connection fails, times out, or the
    receiver answers 408, 429 or 5xx.  Other 4xx answers mean the request
    itself is wrong and are not retried.  Returns the accepted status and the
    number of attempts; raises :class:`WebhookError` saying what went wrong
    otherwise.  Only ``http`` and ``https`` URLs are accepted.
    """
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"webhook URL must be http(s): {url!r}")
    if not secret:
        raise ValueError("a webhook secret is required to sign the event")
    if retries < 0:
        raise ValueError("retries must not be negative")
    body = _body(event)
    last = "no attempt made"
    for attempt in range(1, retries + 2):
        ts = int(clock())
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "heartline-wfm/1",
                TIMESTAMP_HEADER: str(ts),
                SIGNATURE_HEADER: sign(body, secret, ts),
                "X-Heartline-Event": str(event.get("event", EVENT_TYPE)),
                "X-Heartline-Delivery-Attempt": str(attempt),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return WebhookResult(status=response.status, attempts=attempt)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            exc.close()
            if exc.code not in (408, 429) and exc.code < 500:
                raise WebhookError(f"webhook {url} refused the event: {last}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            last = f"connection failed: {reason}"
        if attempt <= retries:
            sleep(backoff_s * 2 ** (attempt - 1))
    raise WebhookError(f"webhook {url} failed after {retries + 1} attempts: {last}")


# ------------------------------------------------------------------ command line

WEBHOOK_SECRET_ENV = "HEARTLINE_WFM_WEBHOOK_SECRET"


class OutFormat(StrEnum):
    csv = "csv"
    json = "json"


def read_difficulties(path: str) -> dict[str, float]:
    """``interaction id -> difficulty`` from JSONL analyses (``heartline analyze`` output).

    Lines without a ``difficulty`` are skipped; a line that is not a JSON
    object with an ``id`` raises ``ValueError`` naming the file and line.
    """
    out: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "id" not in row:
                    raise ValueError("expected a JSON object with an id")
                if row.get("difficulty") is not None:
                    out[str(row["id"])] = float(row["difficulty"])
            except ValueError as exc:
                raise ValueError(f"{path}, line {n}: {exc}") from None
    return out


def register(app: typer.Typer) -> None:
    """Add ``heartline wellbeing breaks`` to a Typer app."""
    group = typer.Typer(help="Resilience and wellbeing, from workload signals only.", no_args_is_help=True)

    @group.command("breaks")
    def breaks(
        paths: Annotated[list[str], typer.Argument(help="Interaction files (any format `heartline ingest` reads).")],
        analyses: Annotated[
            str | None,
            typer.Option("--analyses", help="JSONL with {id, difficulty} per line, e.g. `heartline analyze` output."),
        ] = None,
        proxy: Annotated[
            bool,
            typer.Option("--proxy", help="Use the topic-and-outcome difficulty proxy instead of analyses."),
        ] = False,
        fmt: Annotated[OutFormat, typer.Option("--format", help="csv rows or JSON event lines.")] = OutFormat.csv,
        heavy_threshold: Annotated[float, typer.Option(help="One contact at or above this earns a break.")] = 75.0,
        streak_threshold: Annotated[float, typer.Option(help="Difficulty that counts toward a streak.")] = 60.0,
        streak_length: Annotated[int, typer.Option(help="Contacts in a row that earn a streak break.")] = 3,
        break_minutes: Annotated[int, typer.Option(help="Break after one heavy contact.")] = 10,
        streak_break_minutes: Annotated[int, typer.Option(help="Break after a streak.")] = 15,
        webhook: Annotated[
            str | None,
            typer.Option("--webhook", help=f"Also POST each event here, signed with ${WEBHOOK_SECRET_ENV}."),
        ] = None,
        timeout: Annotated[float, typer.Option(help="Webhook timeout in seconds.")] = 5.0,
    ) -> None:
        """Recommend resilience breaks for the contacts in PATHS and print them as WFM events."""
        from heartline.ingest.base import Reject
        from heartline.ingest.pipeline import IngestError, read_interactions

        def fail(message: str, code: int = 2) -> None:
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(code)

        if (analyses is None) == (not proxy):
            fail("give exactly one difficulty source: --analyses FILE or --proxy")
        from heartline.settings import Settings

        secret = Settings().wfm_webhook_secret or ""
        if webhook and not secret:
            fail(f"--webhook needs the shared secret in ${WEBHOOK_SECRET_ENV}")
        try:
            policy = BreakPolicy(
                heavy_threshold=heavy_threshold,
                streak_threshold=streak_threshold,
                streak_length=streak_length,
                break_minutes=break_minutes,
                streak_break_minutes=streak_break_minutes,
            )
            interactions = []
            rejected = 0
            for item in read_interactions(paths):
                if isinstance(item, Reject):
                    rejected += 1
                    typer.echo(f"rejected: {item}", err=True)
                else:
                    interactions.append(item.record)
            source = read_difficulties(analyses) if analyses else outcome_difficulty_proxy(interactions)
            recs = recommend_breaks(score_contacts(interactions, source), policy)
        except (IngestError, ValueError, OSError) as exc:
            fail(str(exc))
        if fmt is OutFormat.csv:
            typer.echo(events_csv(recs), nl=False)
        else:
            for rec in recs:
                typer.echo(json.dumps(break_event(rec), ensure_ascii=False))
        if webhook:
            for rec in recs:
                try:
                    send_webhook(webhook, break_event(rec), timeout=timeout, secret=secret)
                except (WebhookError, ValueError) as exc:
                    fail(str(exc), 1)
        typer.echo(
            f"{len(recs)} breaks recommended from {len(interactions)} interactions"
            + (f", {rejected} rejected" if rejected else "")
            + (f", sent to {webhook}" if webhook else ""),
            err=True,
        )

    app.add_typer(group, name="wellbeing")
