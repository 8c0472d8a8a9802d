"""Storing a generated demo organisation through the same path as any import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Engine, delete, insert, select, update

from heartline.ingest.base import Parsed
from heartline.ingest.pipeline import IngestReport, store_records
from heartline.store.tables import Base, TeamRow

if TYPE_CHECKING:
    from heartline.demo import DemoOrganisation


def reset_store(engine: Engine) -> None:
    """Delete every row (children first); the schema stays."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "alembic_version":
                conn.execute(delete(table))


def load_organisation(
    engine: Engine,
    org: DemoOrganisation,
    *,
    reset: bool = False,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = 500,
) -> IngestReport:
    if reset:
        reset_store(engine)
    with engine.begin() as conn:
        for team in org.teams:
            row = conn.execute(select(TeamRow.id, TeamRow.name).where(TeamRow.key == team.id)).first()
            if row is None:
                conn.execute(insert(TeamRow).values(key=team.id, name=team.name))
            elif row.name != team.name:
                conn.execute(update(TeamRow).where(TeamRow.id == row.id).values(name=team.name))

    def records() -> Iterator[Parsed]:
        for a in org.agents:
            yield Parsed(a, "demo", f"agent {a.id}")
        for i in org.interactions:
            yield Parsed(i, "demo", f"interaction {i.id}")
        for s in org.shifts:
            yield Parsed(s, "demo", f"shift {s.agent_id} {s.day}")

    return store_records(engine, records(), batch_size=batch_size, on_progress=on_progress)
