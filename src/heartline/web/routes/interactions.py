"""Searching interactions, the interaction viewer, score reviews and overrides."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heartline.domain import EMOTIONS
from heartline.insights.aggregate import SCORE_FIELDS, refresh
from heartline.web import charts
from heartline.web.deps import AgentOnly, Csrf, CurrentUser, EngineDep, Leader
from heartline.web.queries import (
    InteractionQuery,
    add_override,
    add_review,
    interaction_detail,
    list_interactions,
    parse_score,
    visible_agents,
    visible_teams,
)
from heartline.web.routes import fresh, render
from heartline.web.views import parse_day, parse_int

router = APIRouter(include_in_schema=False)


def interaction_query(
    team: str | None = None,
    agent: str | None = None,
    start: str | None = None,
    end: str | None = None,
    emotion: str | None = None,
    min_difficulty: str | None = None,
    missed_cues: str | None = None,
    robotic: str | None = None,
    channel: str | None = None,
    queue: str | None = None,
) -> InteractionQuery:
    """The list's filters from the query string (empty fields mean "any")."""
    difficulty = parse_int(min_difficulty, "min_difficulty")
    return InteractionQuery(
        team_id=parse_int(team, "team"), agent_id=parse_int(agent, "agent"),
        start=parse_day(start, "start"), end=parse_day(end, "end"), emotion=emotion or None,
        min_difficulty=float(difficulty) if difficulty is not None else None,
        missed_cues=bool(missed_cues), robotic=bool(robotic), channel=channel or None, queue=queue or None,
    )  # fmt: skip


QueryDep = Annotated[InteractionQuery, Depends(interaction_query)]


@router.get("/interactions", response_class=HTMLResponse, dependencies=[Depends(fresh)])
def interactions(request: Request, user: CurrentUser, engine: EngineDep, query: QueryDep, page: int = 1) -> HTMLResponse:
    with engine.connect() as conn:
        result = list_interactions(conn, principal=user, query=query, page=page)
        teams = visible_teams(conn, user)
        agents = visible_agents(conn, user, query.team_id)
    channels, queues = request.app.state.freshness.channels_and_queues()
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return render(
        request, "interactions.html", page=result, q=query, teams=teams, agents=agents,
        channels=channels, queues=queues, emotions=EMOTIONS, base_query=urlencode(params),
    )  # fmt: skip


@router.get("/interactions/{interaction_id}", response_class=HTMLResponse)
def interaction(request: Request, user: CurrentUser, engine: EngineDep, interaction_id: int) -> HTMLResponse:
    with engine.connect() as conn:
        detail = interaction_detail(conn, principal=user, interaction_id=interaction_id)
    points = [
        charts.EmotionPoint(t["index"], t["emotion"], float(t["intensity"] or 0.0))
        for t in detail.turns
        if t["emotion"]
    ]
    timeline = charts.emotion_timeline(points, turns=len(detail.turns))
    own = user.role == "agent" and user.agent_id == detail.interaction.agent_id
    return render(
        request, "interaction.html", d=detail, timeline=timeline, score_fields=list(SCORE_FIELDS),
        can_review=own and detail.analysis is not None,
        can_override=user.role in ("lead", "manager", "admin") and detail.analysis is not None,
    )  # fmt: skip


@router.post("/interactions/{interaction_id}/review", dependencies=[Csrf])
def review(
    user: AgentOnly,
    engine: EngineDep,
    interaction_id: int,
    field: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    with engine.begin() as conn:
        add_review(conn, principal=user, interaction_id=interaction_id, field_name=field, kind=kind, comment=comment)
    return RedirectResponse(f"/interactions/{interaction_id}#scores", status_code=303)


@router.post("/interactions/{interaction_id}/override", dependencies=[Csrf])
def override(
    user: Leader,
    engine: EngineDep,
    interaction_id: int,
    field: Annotated[str, Form()],
    value: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=4000)],
) -> RedirectResponse:
    with engine.begin() as conn:
        add_override(
            conn, principal=user, interaction_id=interaction_id, field_name=field,
            value=parse_score(field, value), reason=reason,
        )  # fmt: skip
    refresh(engine, [interaction_id])
    return RedirectResponse(f"/interactions/{interaction_id}#scores", status_code=303)
