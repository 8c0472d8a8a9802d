"""Analysing stored interactions: resumable, and never reads work already done."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from heartline.analysis import Analyzer
from heartline.analysis.pipeline import model_version
from heartline.demo import generate
from heartline.ingest.base import Parsed
from heartline.ingest.pipeline import store_records
from heartline.store.analyses import analyse_pending, pending_count
from heartline.store.queries import iter_interactions
from heartline.store.tables import AnalysisRow


@pytest.mark.slow
def test_stopped_analysis_resumes_where_it_stopped(engine: Engine) -> None:
    org = generate(seed=3, end=date(2026, 11, 20), days=3, interactions=9, agents=3)
    store_records(engine, (Parsed(i, "demo", i.id) for i in org.interactions))
    analyzer = Analyzer()
    version = model_version()
    batches: list[list[int]] = []
    first = analyse_pending(
        engine, analyzer, model_version=version, batch_size=4,
        on_batch=batches.append, should_stop=lambda: len(batches) >= 1,
    )  # fmt: skip
    assert first == 4 and pending_count(engine, model_version=version) == 5
    left = [row_id for row_id, _ in iter_interactions(engine, lacking_analysis=version)]
    assert len(left) == 5 and not set(left) & set(batches[0])
    assert analyse_pending(engine, analyzer, model_version=version, batch_size=4) == 5
    assert analyse_pending(engine, analyzer, model_version=version) == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AnalysisRow)).scalar_one() == 9
    # a new model version makes every analysis pending again
    assert pending_count(engine, model_version="another-version") == 9
