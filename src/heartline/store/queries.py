"""Reading the store back as domain records (keyword-only, engine passed in)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from heartline.domain import Interaction, Survey, Turn
from heartline.store.tables import (
    AgentRow,
    AnalysisRow,
    InteractionRow,
    ShiftRow,
    SurveyRow,
    TeamRow,
    TurnRow,
)


@dataclass(frozen=True)
class StoreCounts:
    teams: int
    agents: int
    interactions: int
    turns: int
    surveys: int
    shifts: int
    analyses: int


def counts(engine: Engine) -> StoreCounts:
    with engine.connect() as conn:

        def n(table: type) -> int:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

        return StoreCounts(
            teams=n(TeamRow),
            agents=n(AgentRow),
            interactions=n(InteractionRow),
            turns=n(TurnRow),
            surveys=n(SurveyRow),
            shifts=n(ShiftRow),
            analyses=n(AnalysisRow),
        )


def iter_interactions(
    engine: Engine,
    *,
    batch_size: int = 500,
    source: str | None = None,
    lacking_analysis: str | None = None,
) -> Iterator[tuple[int, Interaction]]:
    """Every stored interaction as (row id, domain record), oldest first, with turns and survey.

    ``lacking_analysis`` (a model version) keeps only interactions with no analysis by
    that version, so resuming work never reads what is already done.
    """
    last_id = 0
    with Session(engine) as conn:
        while True:
            q = (
                select(
                    InteractionRow,
                    AgentRow.key,
                    AgentRow.name,
                    TeamRow.key,
                )
                .outerjoin(AgentRow, AgentRow.id == InteractionRow.agent_id)
                .outerjoin(TeamRow, TeamRow.id == AgentRow.team_id)
                .where(InteractionRow.id > last_id)
                .order_by(InteractionRow.id)
                .limit(batch_size)
            )
            if source:
                q = q.where(InteractionRow.source == source)
            if lacking_analysis:
                q = q.outerjoin(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id).where(
                    or_(
                        AnalysisRow.interaction_id.is_(None),
                        AnalysisRow.model_version != lacking_analysis,
                    )
                )
            rows = conn.execute(q).all()
            if not rows:
                return
            ids = [r[0].id for r in rows]
            turns: dict[int, list[Turn]] = {i: [] for i in ids}
            for t in conn.execute(
                select(TurnRow).where(TurnRow.interaction_id.in_(ids)).order_by(
                    TurnRow.interaction_id, TurnRow.idx
                )
            ).scalars():
                turns[t.interaction_id].append(
                    Turn(speaker=t.speaker, text=t.text, start_ms=t.start_ms, end_ms=t.end_ms)
                )
            keys = [(r[0].source, r[0].external_id) for r in rows]
            surveys: dict[tuple[str, str], SurveyRow] = {}
            for s in conn.execute(
                select(SurveyRow).where(
                    SurveyRow.interaction_external_id.in_([k[1] for k in keys])
                )
            ).scalars():
                surveys[(s.source, s.interaction_external_id)] = s
            for row, agent_key, agent_name, team_key in rows:
                s = surveys.get((row.source, row.external_id))
                yield row.id, Interaction(
                    id=row.external_id,
                    source=row.source,
                    channel=row.channel,
                    queue=row.queue,
                    topic=row.topic,
                    agent_id=agent_key,
                    agent_name=agent_name,
                    team=team_key,
                    started_at=row.started_at,
                    ended_at=row.ended_at,
                    language=row.language,
                    turns=turns[row.id],
                    handle_seconds=row.handle_seconds,
                    talk_seconds=row.talk_seconds,
                    hold_seconds=row.hold_seconds,
                    acw_seconds=row.acw_seconds,
                    transfers=row.transfers,
                    disposition=row.disposition,
                    survey=Survey(
                        interaction_id=row.external_id,
                        source=row.source,
                        csat=s.csat,
                        resolved=s.resolved,
                        comment=s.comment,
                        responded_at=s.responded_at,
                    )
                    if s is not None
                    else None,
                )
            last_id = ids[-1]


def customer_keys(engine: Engine, interaction_ids: list[int]) -> dict[int, str | None]:
    with engine.connect() as conn:
        return dict(
            conn.execute(
                select(InteractionRow.id, InteractionRow.customer_key).where(
                    InteractionRow.id.in_(interaction_ids)
                )
            ).all()
        )
