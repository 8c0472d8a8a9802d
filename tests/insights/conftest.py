"""A migrated store on every backend (the pattern of tests/store/conftest.py) and a small
hand-made contact center whose KPIs are worked out by hand in test_kpis.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from backends import engine  # noqa: F401  (the parametrized SQLite / PostgreSQL store)
from sqlalchemy import Engine, insert

from heartline.store.tables import (
    AgentRow,
    AnalysisRow,
    InteractionRow,
    ShiftRow,
    SurveyRow,
    TeamRow,
)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 9, day, hour, tzinfo=UTC)


def turns(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    """Analysis turns: one customer turn per (emotion, intensity), an agent turn after each."""
    out: list[dict[str, object]] = []
    for emotion, intensity in pairs:
        out.append({"index": len(out), "speaker": "customer", "emotion": emotion, "emotion_intensity": intensity})
        out.append({"index": len(out), "speaker": "agent", "behaviours": []})
    return out


@dataclass
class Org:
    teams: dict[str, int]
    agents: dict[str, int]
    interactions: dict[int, int]  # fixture number -> row id


def build_org(engine: Engine) -> Org:
    """Two teams: harbour (agents A, B) and summit (agent C), five contacts, three shifts."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        teams = {
            key: conn.execute(insert(TeamRow).values(key=key, name=key.title()).returning(TeamRow.id)).scalar_one()
            for key in ("harbour", "summit")
        }
        agents = {
            key: conn.execute(
                insert(AgentRow).values(key=key, name=f"Agent {key}", team_id=teams[team]).returning(AgentRow.id)
            ).scalar_one()
            for key, team in (("A", "harbour"), ("B", "harbour"), ("C", "summit"))
        }
        contacts = [
            # n, agent, started, channel, talk, handle, hold, acw, transfers, customer
            (1, "A", at(1), "voice", 300.0, 360.0, 60.0, 40.0, 0, "k1"),
            (2, "A", at(5), "voice", 200.0, 200.0, 0.0, 20.0, 1, "k1"),
            (3, "B", at(2), "chat", None, 500.0, 100.0, 0.0, 0, "k2"),
            (4, "B", at(2, 11), "voice", 100.0, 100.0, 0.0, 50.0, 2, None),
            (5, "C", at(20), "voice", 600.0, 600.0, 0.0, 0.0, 0, "k1"),
        ]
        ids: dict[int, int] = {}
        for n, agent, started, channel, talk, handle, hold, acw, transfers, cust in contacts:
            ids[n] = conn.execute(
                insert(InteractionRow)
                .values(
                    source="test", external_id=f"c{n}", channel=channel, queue="billing" if n != 4 else "tech",
                    agent_id=agents[agent], customer_key=cust, started_at=started, ended_at=None,
                    handle_seconds=handle, talk_seconds=talk, hold_seconds=hold, acw_seconds=acw,
                    transfers=transfers, turn_count=0, imported_at=now,
                )
                .returning(InteractionRow.id)
            ).scalar_one()
        for n, csat, resolved, comment in (
            (1, 5, True, "She really listened."),
            (2, 3, False, "Still not fixed."),
            (4, 4, None, None),
        ):
            conn.execute(
                insert(SurveyRow).values(
                    source="test", interaction_external_id=f"c{n}", csat=csat, resolved=resolved, comment=comment
                )
            )
        for n, empathy, difficulty, deesc, missed, robotic, body_turns in (
            (1, 80.0, 70.0, True, 0, False, turns(("anger", 0.9), ("satisfaction", 0.7))),
            (2, 40.0, 30.0, False, 2, True, turns(("frustration", 0.8), ("frustration", 0.6))),
            (4, 60.0, 80.0, False, 1, False, turns(("neutral", 0.1), ("worry", 0.7))),
            (5, 90.0, 10.0, False, 0, False, turns(("confusion", 0.4))),
        ):
            conn.execute(
                insert(AnalysisRow).values(
                    interaction_id=ids[n], model_version="test-1", empathy_score=empathy, difficulty=difficulty,
                    deescalated=deesc, robotic=robotic, missed_cues=missed,
                    body={"empathy_score": empathy, "turns": body_turns, "moments": []}, analysed_at=now,
                )
            )
        for agent, day, sched, adh, worked, occ in (
            ("A", 1, 480.0, 90.0, 470.0, 80.0),
            ("B", 2, 240.0, 100.0, 250.0, 90.0),
            ("C", 1, 480.0, 50.0, 480.0, 50.0),
        ):
            conn.execute(
                insert(ShiftRow).values(
                    agent_id=agents[agent], day=date(2026, 9, day), start=at(day, 8), end=at(day, 16),
                    scheduled_minutes=sched, worked_minutes=worked, adherence_pct=adh, occupancy_pct=occ,
                    break_minutes=0.0, overtime_minutes=0.0,
                )
            )
    return Org(teams=teams, agents=agents, interactions=ids)


@pytest.fixture
def org(engine: Engine) -> Org:
    return build_org(engine)
