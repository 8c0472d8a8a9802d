"""Batch equals single, on Ray: a local Ray cluster gives exactly the local results."""

from __future__ import annotations

from datetime import date

import pytest

from heartline.analysis import Analyzer
from heartline.demo import generate
from heartline.scale.ray_batch import score_on_ray


@pytest.mark.slow
def test_ray_scores_equal_local_scores() -> None:
    org = generate(seed=11, end=date(2026, 11, 20), days=7, interactions=40, agents=6)
    local = [a.model_dump(mode="json") for a in Analyzer().analyze_many(org.interactions)]
    seen: list[int] = []
    on_ray = score_on_ray(org.interactions, num_actors=2, batch_size=7, on_progress=seen.append)
    assert on_ray == local
    assert sum(seen) == len(org.interactions)


def test_nothing_to_score_starts_nothing() -> None:
    assert score_on_ray([]) == []
