"""Put the organisation together: people, shifts, contacts, surveys."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from heartline.demo.conversation import CallScript, CallWriter
from heartline.demo.people import AgentProfile, build_people
from heartline.demo.scenarios import (
    HEAVY_SCENARIOS,
    ROUTINE_SCENARIOS,
    WEEKDAYS,
    Customer,
    Scenario,
    make_customer,
    pick,
)
from heartline.demo.schedule import ShiftPlan, allocate, place, plan_shifts
from heartline.demo.survey import maybe_survey
from heartline.demo.timeline import chat_times, voice_times
from heartline.domain import Agent, Interaction, Shift, Team

VOICE_SHARE = 0.65
REPEAT_CHANCE = {"unresolved": 0.6, "escalated": 0.4, "callback": 0.3, "resolved": 0.03}


@dataclass(frozen=True, slots=True)
class TurnTruth:
    """What the generator meant a turn to carry (DESIGN.md vocabulary)."""

    speaker: str
    emotion: str | None = None
    intensity: float | None = None
    behaviours: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CallTruth:
    """What the generator meant a contact to be; for tests and detector sanity checks."""

    scenario: str
    heavy: bool
    attempt: int
    start_emotion: str
    end_emotion: str
    difficulty: int
    deescalated: bool
    robotic: bool
    missed_cues: int
    turns: tuple[TurnTruth, ...]


@dataclass(slots=True)
class DemoOrganisation:
    teams: list[Team]
    agents: list[Agent]
    leads: dict[str, str]
    interactions: list[Interaction]
    shifts: list[Shift]
    profiles: dict[str, AgentProfile]
    truth: dict[str, CallTruth] = field(default_factory=dict)


@dataclass(slots=True)
class _Issue:
    customer: Customer
    scenario: Scenario
    emotion: str
    attempt: int
    last_day: date
    due: date
    channel: str


@dataclass(slots=True)
class _Contact:
    plan: ShiftPlan
    script: CallScript
    channel: str
    customer: Customer
    times: list[tuple[int, int]]
    duration_s: float
    talk_s: float | None
    start: datetime | None = None


def generate(
    *,
    seed: int = 7,
    end: date,
    days: int = 60,
    interactions: int = 5000,
    agents: int = 30,
) -> DemoOrganisation:
    """A realistic contact centre: same arguments, same organisation, byte for byte."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if interactions < 0:
        raise ValueError("interactions must not be negative")
    if agents < 1:
        raise ValueError("agents must be at least 1")
    first_day = end - timedelta(days=days - 1)
    people_rng = random.Random(f"heartline-demo/{seed}/people")
    teams, agent_records, leads, profiles = build_people(
        people_rng, agents=agents, first_day=first_day, last_day=end
    )
    sched_rng = random.Random(f"heartline-demo/{seed}/schedule")
    plans = plan_shifts(sched_rng, list(profiles.values()), first_day, days)
    allocate(sched_rng, plans, interactions)

    call_rng = random.Random(f"heartline-demo/{seed}/calls")
    customers: list[Customer] = []
    open_issues: list[_Issue] = []
    contacts: list[_Contact] = []

    by_day: dict[date, list[ShiftPlan]] = {}
    for plan in plans:
        by_day.setdefault(plan.day, []).append(plan)

    for day in sorted(by_day):
        # issues whose window has passed are gone; the customer gave up or went elsewhere
        open_issues = [i for i in open_issues if (day - i.last_day).days <= 7]
        for plan in by_day[day]:
            shift_contacts: list[_Contact] = []
            prof = plan.profile
            for _ in range(plan.contacts):
                shift_contacts.append(
                    _one_contact(call_rng, plan, prof, day, customers, open_issues)
                )
            _lay_out(call_rng, plan, shift_contacts)
            contacts.extend(shift_contacts)
            for c in shift_contacts:
                _maybe_open_issue(call_rng, c, day, open_issues)

    contacts.sort(key=lambda c: (c.start, c.plan.profile.agent_id))
    records: list[Interaction] = []
    truth: dict[str, CallTruth] = {}
    for n, c in enumerate(contacts, start=1):
        iid = f"demo-{seed}-{n:05d}"
        record, t = _record(call_rng, iid, c)
        records.append(record)
        truth[iid] = t
    shifts = [p.to_record() for p in sorted(plans, key=lambda p: (p.day, p.profile.agent_id))]
    return DemoOrganisation(
        teams=teams,
        agents=agent_records,
        leads=leads,
        interactions=records,
        shifts=shifts,
        profiles=profiles,
        truth=truth,
    )


def iter_jsonl(org: DemoOrganisation) -> Iterator[dict[str, Any]]:
    """Heartline JSONL dicts, one per interaction, in time order (write with ``json.dumps``)."""
    for record in org.interactions:
        yield record.model_dump(mode="json", exclude_none=True)


# ---------------------------------------------------------------- internals


def _one_contact(
    rng: random.Random,
    plan: ShiftPlan,
    prof: AgentProfile,
    day: date,
    customers: list[Customer],
    open_issues: list[_Issue],
) -> _Contact:
    heavy = rng.random() < prof.heavy_share_at(plan.progress)
    issue = None
    if heavy:
        for i, candidate in enumerate(open_issues):
            if candidate.due <= day:
                issue = open_issues.pop(i)
                break
    if issue is not None:
        scenario, customer, attempt = issue.scenario, issue.customer, issue.attempt + 1
        emotion = issue.emotion
        prev_day = WEEKDAYS[issue.last_day.weekday()]
        channel = issue.channel if rng.random() < 0.7 else _channel(rng)
    else:
        scenario = pick(rng, HEAVY_SCENARIOS if heavy else ROUTINE_SCENARIOS)
        if customers and rng.random() < 0.12:
            customer = customers[rng.randrange(len(customers))]
        else:
            customer = make_customer(rng, len(customers) + 1)
            customers.append(customer)
        attempt, emotion, prev_day = 1, None, None
        channel = _channel(rng)
    writer = CallWriter(
        rng,
        scenario=scenario,
        profile=prof,
        customer=customer,
        day=day,
        progress=plan.progress,
        channel=channel,
        attempt=attempt,
        prev_day=prev_day,
        emotion=emotion,
    )
    script = writer.write()
    if channel == "voice":
        timed = voice_times(script.lines, rng, prof.speech_rate)
    else:
        timed = chat_times(script.lines, rng)
    # the hold happened inside the conversation; its length is already in the gaps
    return _Contact(
        plan=plan,
        script=script,
        channel=channel,
        customer=customer,
        times=timed.times,
        duration_s=timed.duration_s,
        talk_s=timed.talk_s,
    )


def _channel(rng: random.Random) -> str:
    return "voice" if rng.random() < VOICE_SHARE else "chat"


def _lay_out(rng: random.Random, plan: ShiftPlan, contacts: list[_Contact]) -> None:
    drift = plan.profile.drift_at(plan.progress)
    back_to_back = drift > 0.25
    if back_to_back:
        # the hard ones arrive in a run: heavy contacts together, in the middle of the day
        heavy = [c for c in contacts if c.script.scenario.heavy]
        light = [c for c in contacts if not c.script.scenario.heavy]
        cut = rng.randint(0, len(light))
        contacts[:] = light[:cut] + heavy + light[cut:]
    durations = [c.duration_s + c.script.acw_seconds for c in contacts]
    starts = place(
        rng, plan, durations, [c.script.scenario.heavy for c in contacts], back_to_back=back_to_back
    )
    for c, s in zip(contacts, starts, strict=True):
        c.start = s


def _maybe_open_issue(rng: random.Random, c: _Contact, day: date, open_issues: list[_Issue]) -> None:
    script = c.script
    if not script.scenario.heavy or script.attempt >= 4:
        return
    if rng.random() >= REPEAT_CHANCE.get(script.disposition, 0.0):
        return
    open_issues.append(
        _Issue(
            customer=c.customer,
            scenario=script.scenario,
            emotion=script.emotion,
            attempt=script.attempt,
            last_day=day,
            due=day + timedelta(days=rng.randint(1, 6)),
            channel=c.channel,
        )
    )


def _record(rng: random.Random, iid: str, c: _Contact) -> tuple[Interaction, CallTruth]:
    script = c.script
    prof = c.plan.profile
    assert c.start is not None
    handle = round(c.duration_s + script.acw_seconds, 1)
    ended = c.start + timedelta(seconds=handle)
    turns = [
        {"speaker": ln.speaker, "text": ln.text, "start_ms": s, "end_ms": e}
        for ln, (s, e) in zip(script.lines, c.times, strict=True)
    ]
    survey = maybe_survey(
        rng,
        interaction_id=iid,
        script=script,
        profile=prof,
        handle_seconds=handle,
        ended_at=ended,
    )
    record = Interaction(
        id=iid,
        channel=c.channel,
        queue=script.scenario.queue,
        topic=script.scenario.topic,
        agent_id=prof.agent_id,
        agent_name=prof.name,
        team=prof.team,
        customer_id=c.customer.customer_id,
        started_at=c.start,
        ended_at=ended,
        language="en-GB",
        turns=turns,
        handle_seconds=handle,
        talk_seconds=c.talk_s,
        hold_seconds=script.hold_seconds if c.channel == "voice" else 0,
        acw_seconds=script.acw_seconds,
        transfers=script.transfers,
        disposition=script.disposition,
        survey=survey,
    )
    return record, _truth(script)


def _truth(script: CallScript) -> CallTruth:
    turns = tuple(
        TurnTruth("customer", emotion=ln.emotion, intensity=ln.intensity)
        if ln.speaker == "customer"
        else TurnTruth("agent", behaviours=ln.behaviours)
        for ln in script.lines
    )
    cust = [t for t in turns if t.speaker == "customer"]
    negative = ("anger", "frustration", "confusion", "worry", "sadness")
    peak = max((t.intensity or 0.0) for t in cust if t.emotion in negative) if any(
        t.emotion in negative for t in cust
    ) else 0.0
    difficulty = round(100 * (0.45 * script.scenario.difficulty + 0.55 * peak))
    start_emotion = cust[0].emotion or "neutral"
    end_emotion = cust[-1].emotion or "neutral"
    return CallTruth(
        scenario=script.scenario.key,
        heavy=script.scenario.heavy,
        attempt=script.attempt,
        start_emotion=start_emotion,
        end_emotion=end_emotion,
        difficulty=difficulty,
        deescalated=start_emotion in negative and end_emotion in ("neutral", "satisfaction"),
        robotic=script.canned_count >= 2,
        missed_cues=script.missed_cues,
        turns=turns,
    )
