"""View models: what the dashboard and the agent page show, built from the KPI module."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import Connection

from heartline.insights import kpis
from heartline.insights.kpis import KPIS, Filter, Kpi, Sums
from heartline.web import charts
from heartline.web.deps import Principal
from heartline.web.errors import BadRequest
from heartline.web.queries import (
    InteractionQuery,
    agent_moments,
    agent_reviews,
    channels_and_queues,
    data_range,
    list_interactions,
    scoped_filter,
    visible_agents,
    visible_teams,
)

DEFAULT_DAYS = 28


def fmt_value(value: float | None, unit: str) -> str:
    """A KPI as people read it; ``None`` is "no data", never zero."""
    if value is None:
        return "no data"
    if unit == "seconds":
        m, s = divmod(int(round(value)), 60)
        return f"{m}:{s:02d}"
    if unit == "percent":
        return f"{value:.0f}%"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:.0f}"


@dataclass
class Filters:
    team_id: int | None
    start: date
    end: date
    channel: str | None
    queue: str | None

    def query(self) -> dict[str, str]:
        q = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.team_id is not None:
            q["team"] = str(self.team_id)
        if self.channel:
            q["channel"] = self.channel
        if self.queue:
            q["queue"] = self.queue
        return q


def parse_day(raw: str | None, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2026-11-20") from None


def parse_int(raw: str | None, name: str) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number") from None


def resolve_filters(
    conn: Connection, *, team: str | None, start: str | None, end: str | None, channel: str | None, queue: str | None
) -> Filters:
    """The filters asked for, with the date range defaulting to the last four weeks of data."""
    lo, hi = data_range(conn)
    end_d = parse_day(end, "end") or hi or date.today()
    start_d = parse_day(start, "start") or max(lo or end_d, end_d - timedelta(days=DEFAULT_DAYS - 1))
    if start_d > end_d:
        raise BadRequest("the start date is after the end date")
    return Filters(parse_int(team, "team"), start_d, end_d, channel or None, queue or None)


@dataclass
class KpiTile:
    kpi: Kpi
    value: float | None

    @property
    def text(self) -> str:
        return fmt_value(self.value, self.kpi.unit)

    @property
    def warn(self) -> bool:
        return self.kpi.key == "occupancy" and self.value is not None and self.value > 85


@dataclass
class AgentLine:
    agent_id: int
    name: str
    sums: Sums
    values: dict[str, float | None]

    def show(self, key: str) -> str:
        return fmt_value(self.values.get(key), KPIS[key].unit)

    @property
    def without_heavy(self) -> str:
        return fmt_value(kpis.aht_without_heavy(self.sums), "seconds")


@dataclass
class Dashboard:
    filters: Filters
    teams: list[tuple[int, str]]
    channels: list[str]
    queues: list[str]
    sums: Sums
    human: list[KpiTile]
    efficiency: list[KpiTile]
    grace: dict[str, str]
    scorecard: kpis.Scorecard
    team_cards: list[tuple[str, kpis.Scorecard]]
    charts_human: list[Markup]
    charts_efficiency: list[Markup]
    agents: list[AgentLine]
    bucket_days: int
    formula: str = kpis.SCORECARD_FORMULA
    weights_team: int | None = None
    component_labels: dict[str, str] = field(default_factory=dict)


def _tiles(values: dict[str, float | None], group: str) -> list[KpiTile]:
    return [KpiTile(k, values[k.key]) for k in KPIS.values() if k.group == group]


def _trend(conn: Connection, flt: Filter, start: date, end: date) -> tuple[int, list[str], list[Sums]]:
    span = (end - start).days + 1
    bucket_days = 1 if span <= 31 else 7
    series = kpis.bucket(kpis.by_day(conn, flt), bucket_days)
    labels = [d.strftime("%d %b") for d, _ in series]
    return bucket_days, labels, [s for _, s in series]


def trend_charts(labels: list[str], sums: list[Sums], bucket_days: int) -> tuple[list[Markup], list[Markup]]:
    per = "day" if bucket_days == 1 else "week"
    human = [
        charts.line_chart(
            f"CSAT and FCR per {per} (%)", labels,
            [charts.Series("CSAT", [kpis.csat(s) for s in sums], charts.PALETTE[0]),
             charts.Series("FCR (survey)", [kpis.fcr_survey(s) for s in sums], charts.PALETTE[2])],
            unit="%", y_max=100,
        ),
        charts.line_chart(
            f"Mean empathy score per {per}", labels,
            [charts.Series("empathy", [kpis.mean_empathy(s) for s in sums], charts.PALETTE[0])], y_max=100,
        ),
    ]  # fmt: skip
    efficiency = [
        charts.line_chart(
            f"Adherence and occupancy per {per} (%)", labels,
            [charts.Series("adherence", [kpis.adherence(s) for s in sums], charts.PALETTE[1]),
             charts.Series("occupancy", [kpis.occupancy(s) for s in sums], charts.PALETTE[3])],
            unit="%", y_max=100,
        ),
        charts.line_chart(
            f"Average handle time per {per} (s)", labels,
            [charts.Series("AHT", [kpis.aht(s) for s in sums], charts.PALETTE[1])], unit="s",
        ),
    ]  # fmt: skip
    return human, efficiency


COMPONENT_LABELS = {
    "csat": "CSAT", "fcr": "FCR", "empathy": "Empathy", "deescalation_rate": "De-escalation",
    "missed_cue_rate": "Cues caught (100 − missed)", "enps": "eNPS", "aht": "AHT vs target",
    "acw": "After-call work vs target", "transfer_rate": "No transfer (100 − rate)",
    "adherence": "Adherence", "occupancy": "Occupancy in healthy band",
}  # fmt: skip


def dashboard(
    conn: Connection, *, principal: Principal, filters: Filters, options: tuple[list[str], list[str]] | None = None
) -> Dashboard:
    flt = scoped_filter(
        principal, team_id=filters.team_id, start=filters.start, end=filters.end,
        channel=filters.channel, queue=filters.queue,
    )  # fmt: skip
    teams = visible_teams(conn, principal)
    channels, queues = options if options is not None else channels_and_queues(conn)
    sums = kpis.totals(conn, flt)
    values = kpis.kpis_of(sums)
    weights_team = filters.team_id if filters.team_id is not None else (teams[0][0] if len(teams) == 1 else None)
    weights = kpis.load_weights(conn, weights_team)
    card = kpis.scorecard(values, weights)
    per_team = kpis.by_team(conn, flt)
    team_cards = [
        (name, kpis.scorecard(kpis.kpis_of(per_team[tid]), kpis.load_weights(conn, tid)))
        for tid, name in teams
        if tid in per_team
    ]
    bucket_days, labels, series = _trend(conn, flt, filters.start, filters.end)
    human_charts, efficiency_charts = trend_charts(labels, series, bucket_days)
    names = dict(visible_agents(conn, principal, filters.team_id))
    lines = [
        AgentLine(aid, names[aid], s, kpis.kpis_of(s))
        for aid, s in kpis.by_agent(conn, flt).items()
        if aid in names and s.contacts
    ]
    lines.sort(key=lambda a: a.name)
    return Dashboard(
        filters=filters, teams=teams, channels=channels, queues=queues, sums=sums,
        human=_tiles(values, "human"), efficiency=_tiles(values, "efficiency"),
        grace={
            "all": fmt_value(kpis.aht(sums), "seconds"),
            "without_heavy": fmt_value(kpis.aht_without_heavy(sums), "seconds"),
            "heavy": fmt_value(kpis.aht_heavy(sums), "seconds"),
            "heavy_share": fmt_value(kpis.heavy_share(sums), "percent"),
            "heavy_n": f"{sums.heavy_n:,}",
        },
        scorecard=card, team_cards=team_cards, charts_human=human_charts,
        charts_efficiency=efficiency_charts, agents=lines, bucket_days=bucket_days,
        weights_team=weights_team, component_labels=COMPONENT_LABELS,
    )  # fmt: skip


@dataclass
class AgentPage:
    agent: Any
    filters: Filters
    human: list[KpiTile]
    efficiency: list[KpiTile]
    grace: dict[str, str]
    charts: list[Markup]
    moments: dict[str, list[dict[str, Any]]]
    reviews: list[dict[str, Any]]
    recent: list[dict[str, Any]]


def agent_page(conn: Connection, *, principal: Principal, agent: Any, filters: Filters) -> AgentPage:
    flt = scoped_filter(principal, agent_id=agent.id, start=filters.start, end=filters.end)
    sums = kpis.totals(conn, flt)
    values = kpis.kpis_of(sums)
    bucket_days, labels, series = _trend(conn, flt, filters.start, filters.end)
    per = "day" if bucket_days == 1 else "week"
    trend = [
        charts.line_chart(
            f"My CSAT and empathy per {per}", labels,
            [charts.Series("CSAT %", [kpis.csat(s) for s in series], charts.PALETTE[0]),
             charts.Series("empathy", [kpis.mean_empathy(s) for s in series], charts.PALETTE[2])],
            y_max=100,
        ),
        charts.line_chart(
            f"My handle time per {per} (s)", labels,
            [charts.Series("AHT", [kpis.aht(s) for s in series], charts.PALETTE[1])], unit="s",
        ),
    ]  # fmt: skip
    recent = list_interactions(
        conn, principal=principal, query=InteractionQuery(agent_id=agent.id), per_page=12
    ).items
    return AgentPage(
        agent=agent, filters=filters, human=_tiles(values, "human"), efficiency=_tiles(values, "efficiency"),
        grace={
            "all": fmt_value(kpis.aht(sums), "seconds"),
            "without_heavy": fmt_value(kpis.aht_without_heavy(sums), "seconds"),
            "heavy": fmt_value(kpis.aht_heavy(sums), "seconds"),
            "heavy_n": f"{sums.heavy_n:,}",
        },
        charts=trend, moments=agent_moments(conn, agent_id=agent.id),
        reviews=agent_reviews(conn, agent_id=agent.id), recent=recent,
    )  # fmt: skip
