"""The lead's queue of disputed scores, and resolving them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heartline.insights.aggregate import refresh
from heartline.web.deps import Csrf, EngineDep, Leader
from heartline.web.queries import disputes as open_disputes
from heartline.web.queries import resolve_dispute
from heartline.web.routes import render

router = APIRouter(include_in_schema=False)


@router.get("/disputes", response_class=HTMLResponse)
def disputes(request: Request, user: Leader, engine: EngineDep) -> HTMLResponse:
    with engine.connect() as conn:
        waiting = open_disputes(conn, principal=user, status="open")
        done = [d for d in open_disputes(conn, principal=user, status=None) if d["ScoreReviewRow"].status != "open"][:30]
    return render(request, "disputes.html", waiting=waiting, done=done)


@router.post("/disputes/{review_id}/resolve", dependencies=[Csrf])
def resolve(
    user: Leader,
    engine: EngineDep,
    review_id: int,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)],
    value: Annotated[str | None, Form(max_length=20)] = None,
) -> RedirectResponse:
    with engine.begin() as conn:
        interaction_id = resolve_dispute(
            conn, principal=user, review_id=review_id, decision=decision, note=note, value=value
        )
    if decision == "uphold":
        refresh(engine, [interaction_id])
    return RedirectResponse("/disputes", status_code=303)
