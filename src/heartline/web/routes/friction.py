"""Friction: hold, transfers and repeat contacts against the customer's emotion."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from heartline.web import charts
from heartline.web.deps import EngineDep, Leader
from heartline.web.queries import friction as friction_rows
from heartline.web.queries import scoped_filter, visible_teams
from heartline.web.routes import fresh, render
from heartline.web.views import resolve_filters

router = APIRouter(include_in_schema=False)

TITLES = {"hold": "Time on hold", "transfers": "Transfers", "repeat": "Repeat contacts"}


@router.get("/friction", response_class=HTMLResponse, dependencies=[Depends(fresh)])
def friction(
    request: Request, user: Leader, engine: EngineDep, team: str | None = None,
    start: str | None = None, end: str | None = None,
) -> HTMLResponse:  # fmt: skip
    with engine.connect() as conn:
        filters = resolve_filters(conn, team=team, start=start, end=end, channel=None, queue=None)
        flt = scoped_filter(user, team_id=filters.team_id, start=filters.start, end=filters.end)
        rows = friction_rows(conn, flt=flt)
        teams = visible_teams(conn, user)
    panels = []
    for key, buckets in rows.items():
        panels.append(
            {
                "title": TITLES[key],
                "rows": buckets,
                "chart": charts.bar_chart(
                    f"{TITLES[key]}: share of contacts with anger or frustration",
                    [charts.Bar(b.label, b.negative_pct, f"{b.contacts:,}") for b in buckets],
                    unit="%", y_max=100, colour=charts.EMOTION_COLOURS["frustration"],
                ),
            }
        )
    return render(request, "friction.html", panels=panels, filters=filters, teams=teams, query=urlencode(filters.query()))
