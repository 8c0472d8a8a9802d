"""Rows for ``heartline export``: Heartline JSONL shapes, so an export can be re-imported."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, select

from heartline.store.queries import iter_interactions
from heartline.store.tables import AnalysisRow, InteractionRow


def iter_export_rows(engine: Engine, what: str) -> Iterator[dict[str, object]]:
    if what == "interactions":
        for _row_id, interaction in iter_interactions(engine):
            yield interaction.model_dump(mode="json", exclude_none=True)
        return
    if what == "analyses":
        with engine.connect() as conn:
            q = (
                select(
                    InteractionRow.source,
                    InteractionRow.external_id,
                    AnalysisRow.model_version,
                    AnalysisRow.body,
                )
                .join(AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id)
                .order_by(InteractionRow.id)
            )
            for source, external_id, version, body in conn.execute(q):
                yield {"id": external_id, "source": source, "model_version": version, **body}
        return
    raise ValueError(f"cannot export {what!r}")
