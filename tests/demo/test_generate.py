"""The demo generator: determinism, sizes, valid records, and a believable schedule."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from heartline.demo import DemoOrganisation, generate, iter_jsonl
from heartline.domain import Agent, Interaction, Shift, Team

from .conftest import END

SMALL = dict(days=10, interactions=300, agents=8)


def _dump(org: DemoOrganisation) -> str:
    return json.dumps(
        {
            "interactions": list(iter_jsonl(org)),
            "shifts": [s.model_dump(mode="json") for s in org.shifts],
            "agents": [a.model_dump(mode="json") for a in org.agents],
            "teams": [t.model_dump(mode="json") for t in org.teams],
            "leads": org.leads,
        },
        sort_keys=True,
    )


def test_same_seed_gives_identical_json() -> None:
    random.seed(1)  # the global generator must not matter
    first = _dump(generate(seed=5, end=END, **SMALL))
    random.seed(99)
    random.random()
    second = _dump(generate(seed=5, end=END, **SMALL))
    assert first == second


def test_other_seed_or_end_gives_other_organisation() -> None:
    base = _dump(generate(seed=5, end=END, **SMALL))
    assert _dump(generate(seed=6, end=END, **SMALL)) != base
    assert _dump(generate(seed=5, end=END + timedelta(days=1), **SMALL)) != base


def test_default_sizes(full_org: DemoOrganisation) -> None:
    org = full_org
    assert len(org.interactions) == 5000
    assert len(org.agents) == 30
    assert len(org.teams) == 3
    assert set(org.leads) == {t.id for t in org.teams}
    assert set(org.profiles) == {a.id for a in org.agents}
    team_sizes = Counter(a.team for a in org.agents)
    assert set(team_sizes) == {t.id for t in org.teams}
    assert all(8 <= n <= 12 for n in team_sizes.values())
    # every team gets a mix of styles
    for team in org.teams:
        styles = {org.profiles[a.id].style for a in org.agents if a.team == team.id}
        assert len(styles) >= 3, (team.id, styles)


def test_window_and_order(full_org: DemoOrganisation) -> None:
    first = END - timedelta(days=59)
    starts = [i.started_at for i in full_org.interactions]
    assert starts == sorted(starts)
    days = {s.date() for s in starts}
    assert min(days) >= first and max(days) <= END
    assert len(days) == 60
    assert {s.day for s in full_org.shifts} == {first + timedelta(days=k) for k in range(60)}


def test_proportions(full_org: DemoOrganisation) -> None:
    inter = full_org.interactions
    voice = sum(i.channel == "voice" for i in inter) / len(inter)
    assert 0.60 <= voice <= 0.70
    surveyed = sum(i.survey is not None for i in inter) / len(inter)
    assert 0.18 <= surveyed <= 0.32
    queues = Counter(i.queue for i in inter)
    for q in ("billing", "tech_support", "retention", "fraud", "bereavement", "deliveries", "accounts"):
        assert queues[q] >= 100, q
    topics = Counter(i.topic for i in inter)
    for topic in (
        "billing error", "service outage", "cancellation", "fraud worry",
        "bereavement account closure", "delivery delay", "confusing tech setup",
        "address change", "balance question",
    ):
        assert topics[topic] >= 80, topic
    dispositions = Counter(i.disposition for i in inter)
    assert set(dispositions) == {"resolved", "unresolved", "escalated", "callback"}
    assert 0.6 <= dispositions["resolved"] / len(inter) <= 0.95


def test_every_record_validates_as_the_domain_type(full_org: DemoOrganisation) -> None:
    rows = list(iter_jsonl(full_org))
    assert len(rows) == len(full_org.interactions)
    for row, record in zip(rows, full_org.interactions, strict=True):
        json.dumps(row)  # JSON-ready
        again = Interaction.model_validate(row)
        assert again == record
        assert again.turns, again.id
        assert all(t.start_ms is not None and t.end_ms is not None for t in again.turns)
        if again.survey is not None:
            assert again.survey.interaction_id == again.id
    for shift in full_org.shifts:
        assert Shift.model_validate(shift.model_dump(mode="json")) == shift
    for agent in full_org.agents:
        assert Agent.model_validate(agent.model_dump(mode="json")) == agent
    for team in full_org.teams:
        assert Team.model_validate(team.model_dump(mode="json")) == team
    assert len({i.id for i in full_org.interactions}) == len(full_org.interactions)


def test_operational_fields_add_up(full_org: DemoOrganisation) -> None:
    for i in full_org.interactions:
        assert i.handle_seconds is not None and i.started_at and i.ended_at
        assert i.handle_seconds == pytest.approx((i.ended_at - i.started_at).total_seconds(), abs=0.01)
        last_end = max(t.end_ms for t in i.turns) / 1000
        assert last_end + i.acw_seconds <= i.handle_seconds + 0.01
        if i.channel == "voice":
            assert i.talk_seconds is not None and 0 < i.talk_seconds <= last_end
            assert i.hold_seconds + i.talk_seconds <= i.handle_seconds
        else:
            assert i.hold_seconds == 0
        if i.hold_seconds:
            gaps = [b.start_ms - a.end_ms for a, b in zip(i.turns, i.turns[1:], strict=False)]
            assert max(gaps) >= i.hold_seconds * 1000 * 0.99  # the hold is a silence in the call


def test_contacts_sit_inside_their_agents_shifts(full_org: DemoOrganisation) -> None:
    shifts = {(s.agent_id, s.day): s for s in full_org.shifts}
    per_agent = defaultdict(list)
    for i in full_org.interactions:
        shift = shifts.get((i.agent_id, i.started_at.date()))
        assert shift is not None, f"{i.id} has no shift"
        assert shift.start <= i.started_at and i.ended_at <= shift.end, i.id
        per_agent[i.agent_id].append(i)
    for contacts in per_agent.values():
        for a, b in zip(contacts, contacts[1:], strict=False):
            assert a.ended_at <= b.started_at, (a.id, b.id)  # one contact at a time


def test_shift_figures_are_consistent(full_org: DemoOrganisation) -> None:
    for s in full_org.shifts:
        worked = (s.end - s.start).total_seconds() / 60
        assert s.worked_minutes == pytest.approx(worked, abs=0.1)
        assert s.scheduled_minutes in (420, 480)
        assert 0 < s.break_minutes <= 75
        assert 0 <= s.overtime_minutes <= 130
        assert 50 <= s.adherence_pct <= 100
        assert 40 <= s.occupancy_pct <= 99
    # every agent works most days, five a week give or take
    per_agent = Counter(s.agent_id for s in full_org.shifts)
    assert all(36 <= n <= 56 for n in per_agent.values()), per_agent


def test_repeat_contacts_come_back_within_a_week(full_org: DemoOrganisation) -> None:
    by_customer = defaultdict(list)
    for i in full_org.interactions:
        by_customer[(i.customer_id, i.topic)].append(i)
    repeats = 0
    for contacts in by_customer.values():
        for a, b in zip(contacts, contacts[1:], strict=False):
            if (b.started_at - a.started_at) <= timedelta(days=7):
                repeats += 1
    assert repeats >= 100
    saying_so = [
        i for i in full_org.interactions
        if full_org.truth[i.id].attempt > 1
    ]
    assert len(saying_so) >= 100
    # the returning customer says so in the first words (chat typos aside)
    said = [
        any(
            w in next(t.text for t in i.turns if t.speaker == "customer").lower()
            for w in ("called", "call ", "again", "already", "promised", "passed around",
                      "transferred", "explained", "last person", "rang me back")
        )
        for i in saying_so
    ]
    assert sum(said) / len(said) >= 0.9


def test_small_and_edge_sizes() -> None:
    org = generate(seed=1, end=END, days=1, interactions=0, agents=1)
    assert org.interactions == []
    org = generate(seed=1, end=END, days=7, interactions=120, agents=5)
    assert len(org.interactions) == 120
    assert {p.style for p in org.profiles.values()} == {
        "warm", "steady", "robotic", "brusque", "trainee"
    }
    org = generate(seed=2, end=date(2027, 3, 1), days=14, interactions=400, agents=40)
    assert len(org.agents) == 40 and len({a.name for a in org.agents}) == 40


@pytest.mark.parametrize(
    "kwargs",
    [dict(days=0), dict(agents=0), dict(interactions=-1), dict(days=2, agents=1, interactions=500)],
)
def test_bad_arguments_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        generate(end=END, **kwargs)


_HASH_SCRIPT = """
import hashlib, json
from datetime import date
from heartline.demo import generate, iter_jsonl
org = generate(seed=4, end=date(2026, 11, 20), days=10, interactions=250, agents=8)
rows = json.dumps(list(iter_jsonl(org)), sort_keys=True)
rows += json.dumps([s.model_dump(mode="json") for s in org.shifts], sort_keys=True)
print(hashlib.sha256(rows.encode()).hexdigest())
"""


def test_output_does_not_depend_on_string_hashing() -> None:
    """Two interpreters with different hash seeds produce the same organisation."""
    import os
    import subprocess
    import sys

    digests = set()
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", _HASH_SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_jsonl_file_round_trip(tmp_path, small_org: DemoOrganisation) -> None:
    path = tmp_path / "demo.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in iter_jsonl(small_org):
            fh.write(json.dumps(row) + "\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(small_org.interactions) == 900
    back = [Interaction.model_validate_json(line) for line in lines]
    assert back == small_org.interactions
    first = json.loads(lines[0])
    assert {"id", "channel", "queue", "agent_id", "team", "customer_id", "started_at", "ended_at",
            "turns", "handle_seconds", "disposition"} <= set(first)


def test_profiles_describe_each_agent(small_org: DemoOrganisation) -> None:
    from heartline.demo import STYLES

    for agent in small_org.agents:
        prof = small_org.profiles[agent.id]
        assert prof.name == agent.name and prof.team == agent.team
        assert prof.style in STYLES
        assert prof.description.startswith(STYLES[prof.style])
        assert 0 <= prof.care_at(0.0) <= 1 and 0 <= prof.care_at(1.0) <= 1
        if prof.style == "trainee":
            assert prof.care_at(1.0) > prof.care_at(0.0) + 0.3
            assert agent.hired_on is not None and agent.hired_on > date(2026, 10, 1)
