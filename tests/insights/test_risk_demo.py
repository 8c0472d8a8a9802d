"""The risk formula on the demo organisation: the agents meant to drift toward burnout are found.

Difficulty comes from the transparent topic-and-outcome proxy (the analysis
engine's difficulty plugs in the same way); see bench/validate_risk.py for the
full printout.
"""

from __future__ import annotations

from datetime import date

import pytest

from heartline.demo import DemoOrganisation, generate
from heartline.insights.risk import WorkloadHistory, assess, suggest_actions
from heartline.insights.wellbeing import outcome_difficulty_proxy, score_contacts

END = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo() -> tuple[DemoOrganisation, WorkloadHistory]:
    org = generate(seed=7, end=END)
    contacts = score_contacts(org.interactions, outcome_difficulty_proxy(org.interactions))
    return org, WorkloadHistory(contacts=contacts, shifts=org.shifts, agents=org.agents)


def test_drifting_agents_rank_first_and_red_at_the_end(demo: tuple[DemoOrganisation, WorkloadHistory]) -> None:
    org, history = demo
    drifting = {a for a, p in org.profiles.items() if p.burnout_drift}
    assert 2 <= len(drifting) <= 3
    results = assess(history, END)
    assert len(results) == len(org.agents)
    top = results[: len(drifting)]
    assert {r.agent_id for r in top} == drifting
    assert all(r.burnout.band == "red" for r in top)
    assert all(r.burnout.band == "green" for r in results[len(drifting):])
    for r in top:
        assert {a.action for a in suggest_actions(r)} >= {"rotate_off_escalation_queue", "shield_from_overtime"}


def test_nobody_is_flagged_before_the_drift_starts(demo: tuple[DemoOrganisation, WorkloadHistory]) -> None:
    _, history = demo
    early = assess(history, date(2026, 10, 9))  # a third of the way in
    assert all(r.burnout.band == "green" for r in early)
