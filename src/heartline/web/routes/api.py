"""The REST API under ``/api``: interactions, analyses, KPIs and ingest.

Reads accept an API token or a signed-in session (scoped like the pages);
ingest accepts API tokens only, so no browser session can be abused to write.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from heartline.ingest.pipeline import read_records, store_records
from heartline.insights import kpis
from heartline.insights.aggregate import ensure_fresh
from heartline.store.tables import AgentRow, AnalysisRow, InteractionRow
from heartline.web.deps import ApiReader, EngineDep, Integration
from heartline.web.errors import BadRequest, NotFound, PayloadTooLarge
from heartline.web.queries import (
    interaction_detail,
    list_interactions,
    orm,
    scoped_filter,
    visible_interaction,
)
from heartline.web.routes import fresh, render
from heartline.web.routes.interactions import QueryDep
from heartline.web.views import parse_day, parse_int

router = APIRouter(prefix="/api", tags=["api"])

MAX_INGEST_BYTES = 20 * 1024 * 1024


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody} for s in (400, 401, 403, 404, 422)
}


class InteractionSummary(BaseModel):
    id: int
    external_id: str
    started_at: datetime | None
    agent_id: int | None
    agent_name: str | None
    channel: str
    queue: str
    topic: str | None
    handle_seconds: float | None = Field(description="talk + hold + after-call work")
    hold_seconds: float
    transfers: int
    csat: int | None
    analysed: bool
    empathy_score: float | None
    difficulty: float | None
    missed_cues: int
    robotic: bool
    peak_emotion: str | None


class InteractionList(BaseModel):
    items: list[InteractionSummary]
    page: int
    per_page: int
    total: int
    total_capped: bool = Field(description="true when there are more than `total` matches")
    has_next: bool


class IngestReject(BaseModel):
    line: int | None
    location: str
    field: str
    message: str


class IngestResult(BaseModel):
    stored: int
    stored_by_kind: dict[str, int]
    duplicates: int
    rejected: int
    rejects: list[IngestReject]


@router.get("/interactions", response_model=InteractionList, responses=ERRORS, dependencies=[Depends(fresh)])
def api_interactions(
    user: ApiReader, engine: EngineDep, query: QueryDep, page: int = 1, per_page: int = 50
) -> InteractionList:
    """Interactions, newest first, filtered like the search page (agent, team, dates, emotion,
    min_difficulty, missed_cues, robotic, channel, queue)."""
    with engine.connect() as conn:
        result = list_interactions(conn, principal=user, query=query, page=page, per_page=per_page)
    items = [
        InteractionSummary(
            id=r["interaction_id"], external_id=r["external_id"], started_at=r["started_at"],
            agent_id=r["agent_id"], agent_name=r["agent_name"], channel=r["channel"], queue=r["queue"],
            topic=r["topic"], handle_seconds=r["aht_seconds"], hold_seconds=r["hold_seconds"],
            transfers=r["transfers"], csat=r["csat"], analysed=r["analysed"], empathy_score=r["empathy_score"],
            difficulty=r["difficulty"], missed_cues=r["missed_cues"], robotic=r["robotic"],
            peak_emotion=r["peak_emotion"],
        )  # fmt: skip
        for r in result.items
    ]
    return InteractionList(
        items=items, page=result.page, per_page=result.per_page, total=result.total,
        total_capped=result.total_capped, has_next=result.has_next,
    )  # fmt: skip


@router.get("/interactions/{interaction_id}", responses=ERRORS)
def api_interaction(user: ApiReader, engine: EngineDep, interaction_id: int) -> dict[str, Any]:
    """One interaction: metadata, turns, survey, the analysis and any score overrides."""
    with engine.connect() as conn:
        d = interaction_detail(conn, principal=user, interaction_id=interaction_id)
    i = d.interaction
    return {
        "id": i.id, "external_id": i.external_id, "source": i.source, "channel": i.channel,
        "queue": i.queue, "topic": i.topic, "agent": d.agent_name, "team": d.team_name,
        "started_at": i.started_at, "ended_at": i.ended_at, "handle_seconds": i.handle_seconds,
        "talk_seconds": i.talk_seconds, "hold_seconds": i.hold_seconds, "acw_seconds": i.acw_seconds,
        "transfers": i.transfers, "disposition": i.disposition,
        "turns": [
            {"index": t["index"], "speaker": t["speaker"], "text": "".join(p for p, _ in t["pieces"]),
             "emotion": t["emotion"], "emotion_intensity": t["intensity"], "behaviours": t["behaviours"]}
            for t in d.turns
        ],
        "survey": None if d.survey is None else {
            "csat": d.survey.csat, "resolved": d.survey.resolved, "comment": d.survey.comment,
        },
        "scores": d.scores,
        "model_scores": d.model_scores,
        "model_version": d.model_version,
        "overrides": [
            {"field": o["ScoreOverrideRow"].field, "old_value": o["ScoreOverrideRow"].old_value,
             "new_value": o["ScoreOverrideRow"].new_value, "reason": o["ScoreOverrideRow"].reason,
             "by": o["by"], "at": o["ScoreOverrideRow"].created_at}
            for o in d.overrides
        ],
    }  # fmt: skip


@router.get("/interactions/{interaction_id}/analysis", responses=ERRORS)
def api_analysis(user: ApiReader, engine: EngineDep, interaction_id: int) -> dict[str, Any]:
    """The stored analysis of one interaction, as the analysis engine wrote it."""
    with engine.connect() as conn:
        visible_interaction(conn, user, interaction_id)
        row = orm(conn).execute(select(AnalysisRow).where(AnalysisRow.interaction_id == interaction_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"interaction {interaction_id} has not been analysed yet")
    return {"interaction_id": interaction_id, "model_version": row.model_version, "analysed_at": row.analysed_at, **row.body}


@router.get("/analyses", responses=ERRORS)
def api_analyses(user: ApiReader, engine: EngineDep, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """Analyses in interaction-id order, ``limit`` at a time; pass the last id as ``after``."""
    limit = max(1, min(limit, 500))
    flt = scoped_filter(user)
    with engine.connect() as conn:
        q = (
            select(AnalysisRow)
            .join(InteractionRow, InteractionRow.id == AnalysisRow.interaction_id)
            .where(AnalysisRow.interaction_id > after)
            .order_by(AnalysisRow.interaction_id)
            .limit(limit)
        )
        if flt.agent_ids is not None:
            q = q.where(InteractionRow.agent_id.in_(flt.agent_ids))
        elif flt.team_ids is not None:
            q = q.join(AgentRow, AgentRow.id == InteractionRow.agent_id).where(AgentRow.team_id.in_(flt.team_ids))
        rows = list(orm(conn).execute(q).scalars())
    return {
        "items": [
            {"interaction_id": r.interaction_id, "model_version": r.model_version, "analysed_at": r.analysed_at, **r.body}
            for r in rows
        ],
        "next_after": rows[-1].interaction_id if len(rows) == limit else None,
    }


@router.get("/kpis", responses=ERRORS, dependencies=[Depends(fresh)])
def api_kpis(
    user: ApiReader, engine: EngineDep, team: str | None = None, agent: str | None = None,
    start: str | None = None, end: str | None = None, channel: str | None = None,
    queue: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Every KPI for the filter, with its definition, AHT grace and the balanced scorecard."""
    team_id = parse_int(team, "team")
    flt = scoped_filter(
        user, team_id=team_id, agent_id=parse_int(agent, "agent"), start=parse_day(start, "start"),
        end=parse_day(end, "end"), channel=channel or None, queue=queue or None,
    )  # fmt: skip
    with engine.connect() as conn:
        s = kpis.totals(conn, flt)
        weights = kpis.load_weights(conn, team_id)
    values = kpis.kpis_of(s)
    card = kpis.scorecard(values, weights)
    return {
        "filter": {
            "team_ids": flt.team_ids, "agent_ids": flt.agent_ids, "start": flt.start, "end": flt.end,
            "channel": flt.channel, "queue": flt.queue,
        },
        "contacts": s.contacts,
        "kpis": {
            k.key: {"label": k.label, "group": k.group, "unit": k.unit, "value": values[k.key], "definition": k.doc}
            for k in kpis.KPIS.values()
        },
        "aht_grace": {
            "heavy_difficulty_at_least": 65, "heavy_contacts": s.heavy_n, "aht_all": kpis.aht(s),
            "aht_without_heavy": kpis.aht_without_heavy(s), "aht_heavy": kpis.aht_heavy(s),
        },
        "scorecard": {
            "score": card.score, "human": card.human, "efficiency": card.efficiency,
            "components": card.components, "weights": vars(card.weights), "formula": kpis.SCORECARD_FORMULA,
        },
    }  # fmt: skip


@router.post(
    "/ingest",
    response_model=IngestResult,
    responses=ERRORS | {413: {"model": ErrorBody}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            "description": "Heartline JSONL: one interaction, survey, shift or agent per line.",
        }
    },
)
async def api_ingest(request: Request, user: Integration, engine: EngineDep) -> IngestResult:
    """Store a JSONL batch through the same validation and PII redaction as `heartline ingest`.

    Good lines are stored whatever the bad ones do; each reject names its line and field.
    """
    body = await request.body()
    if len(body) > MAX_INGEST_BYTES:
        raise PayloadTooLarge(f"send at most {MAX_INGEST_BYTES // (1024 * 1024)} MiB per request")
    if not body.strip():
        raise BadRequest("the body is empty; send Heartline JSONL, one record per line")
    with tempfile.TemporaryDirectory(prefix="heartline-ingest-") as tmp:
        path = Path(tmp) / "request.jsonl"
        path.write_bytes(body)
        report = store_records(engine, read_records([path], "jsonl"))
    if report.stored:
        ensure_fresh(engine)
    rejects = []
    for r in report.rejects:
        loc = r.location
        line = int(loc.split()[1]) if loc.startswith("line ") and loc.split()[1].isdigit() else None
        rejects.append(IngestReject(line=line, location=loc, field=r.field, message=r.message))
    return IngestResult(
        stored=report.stored, stored_by_kind=report.stored_by_kind, duplicates=report.duplicates,
        rejected=report.rejected, rejects=rejects,
    )  # fmt: skip


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI description as a page (no script, nothing from the network)."""
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                (p["name"], p.get("in", ""), p.get("required", False)) for p in op.get("parameters", [])
            ]
            ops.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "params": params,
                "responses": sorted(op.get("responses", {})),
            })  # fmt: skip
    return render(request, "api_docs.html", ops=ops, spec=spec, today=date.today())
