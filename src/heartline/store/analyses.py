"""Persisting analyses: run the analysis engine over stored interactions that lack one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine, delete, func, insert, select

from heartline.domain import Interaction
from heartline.store.queries import iter_interactions
from heartline.store.tables import AnalysisRow, InteractionRow


class Analyzes(Protocol):
    def analyze_many(self, interactions: list[Interaction]) -> list[Any]: ...


def pending_count(engine: Engine, *, model_version: str | None = None) -> int:
    """Interactions with no analysis (or, given a version, none by that version)."""
    with engine.connect() as conn:
        q = select(func.count()).select_from(InteractionRow).outerjoin(
            AnalysisRow, AnalysisRow.interaction_id == InteractionRow.id
        )
        if model_version:
            q = q.where((AnalysisRow.interaction_id.is_(None)) | (AnalysisRow.model_version != model_version))
        else:
            q = q.where(AnalysisRow.interaction_id.is_(None))
        return int(conn.execute(q).scalar_one())


def analysis_row(interaction_id: int, body: dict[str, Any], model_version: str) -> dict[str, Any]:
    return {
        "interaction_id": interaction_id,
        "model_version": model_version,
        "empathy_score": body.get("empathy_score"),
        "difficulty": body.get("difficulty"),
        "deescalated": body.get("deescalated"),
        "robotic": body.get("robotic"),
        "missed_cues": len(body.get("missed_emotion_turns") or []),
        "body": body,
        "analysed_at": datetime.now(UTC),
    }


def analyse_pending(
    engine: Engine,
    analyzer: Analyzes,
    *,
    model_version: str,
    batch_size: int = 256,
    on_progress: Callable[[int], None] | None = None,
    on_batch: Callable[[list[int]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Analyse every interaction whose analysis is missing or from another model version.

    Work is committed batch by batch, so it can be stopped and resumed at any point.
    """
    version = model_version
    total = 0
    batch: list[tuple[int, Interaction]] = []

    def flush() -> None:
        nonlocal total
        results = analyzer.analyze_many([i for _, i in batch])
        rows = [
            analysis_row(row_id, r.model_dump(mode="json"), version)
            for (row_id, _), r in zip(batch, results, strict=True)
        ]
        with engine.begin() as conn:
            conn.execute(delete(AnalysisRow).where(AnalysisRow.interaction_id.in_([r["interaction_id"] for r in rows])))
            conn.execute(insert(AnalysisRow), rows)
        total += len(rows)
        if on_batch:
            on_batch([r["interaction_id"] for r in rows])
        if on_progress:
            on_progress(len(rows))
        batch.clear()

    for row_id, interaction in iter_interactions(engine, lacking_analysis=version):
        if should_stop and should_stop():
            break
        batch.append((row_id, interaction))
        if len(batch) >= batch_size:
            flush()
    if batch and not (should_stop and should_stop()):
        flush()
    return total
