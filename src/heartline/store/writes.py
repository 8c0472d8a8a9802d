"""Writing imported records: whole records or nothing, idempotent by natural keys.

A batch is written in one transaction.  If the database refuses it (a race with
another importer, a constraint a validator could not see), the batch is rolled
back and retried record by record, each in its own transaction, so one bad
record costs only itself and never leaves half an interaction behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, select, tuple_, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from heartline.domain import Agent, Interaction, Shift, Survey
from heartline.ingest.base import Parsed, Reject
from heartline.store.tables import AgentRow, InteractionRow, ShiftRow, SurveyRow, TeamRow, TurnRow

if TYPE_CHECKING:
    from heartline.ingest.pipeline import IngestReport

_CHUNK = 400  # keys per IN (...) clause, well under every backend's parameter limit


@dataclass
class _Counts:
    stored: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    duplicates: int = 0


def store_batch(engine: Engine, batch: Sequence[Parsed], report: IngestReport) -> None:
    try:
        with engine.begin() as conn:
            counts = _write(conn, [p.record for p in batch])
    except (IntegrityError, DBAPIError):
        for parsed in batch:
            try:
                with engine.begin() as conn:
                    counts = _write(conn, [parsed.record])
            except (IntegrityError, DBAPIError) as exc:
                report.rejected += 1
                report.rejects.append(
                    Reject(
                        parsed.file,
                        parsed.location,
                        "(record)",
                        f"the database refused it: {str(exc.orig).splitlines()[0]}",
                    )
                )
            else:
                _merge(report, counts)
        return
    _merge(report, counts)


def _merge(report: IngestReport, counts: _Counts) -> None:
    for kind, n in counts.stored.items():
        report.add_stored(kind, n)
    report.duplicates += counts.duplicates


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _write(conn: Connection, records: Sequence[object]) -> _Counts:
    counts = _Counts()
    agents = [r for r in records if isinstance(r, Agent)]
    interactions = [r for r in records if isinstance(r, Interaction)]
    surveys = [r for r in records if isinstance(r, Survey)]
    shifts = [r for r in records if isinstance(r, Shift)]
    surveys += [i.survey for i in interactions if i.survey is not None]

    agent_ids = _ensure_agents(conn, agents, interactions, shifts, counts)
    if interactions:
        _write_interactions(conn, interactions, agent_ids, counts)
    if surveys:
        _write_surveys(conn, surveys, counts)
    if shifts:
        _write_shifts(conn, shifts, agent_ids, counts)
    return counts


def _ensure_teams(conn: Connection, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(keys)):
        found.update(conn.execute(select(TeamRow.key, TeamRow.id).where(TeamRow.key.in_(chunk))).all())
    for key in sorted(keys - found.keys()):
        found[key] = conn.execute(
            insert(TeamRow).values(key=key, name=key).returning(TeamRow.id)
        ).scalar_one()
    return found


def _ensure_agents(
    conn: Connection,
    agents: list[Agent],
    interactions: list[Interaction],
    shifts: list[Shift],
    counts: _Counts,
) -> dict[str, int]:
    """Agent key → row id for every agent the batch mentions; directory records upserted."""
    wanted: dict[str, dict[str, object]] = {}
    for i in interactions:
        if i.agent_id and i.agent_id not in wanted:
            wanted[i.agent_id] = {"name": i.agent_name or i.agent_id, "team": i.team}
    for s in shifts:
        wanted.setdefault(s.agent_id, {"name": s.agent_id, "team": None})
    directory = {a.id: a for a in agents}
    for a in agents:
        wanted[a.id] = {"name": a.name, "team": a.team}
    if not wanted:
        return {}
    teams = _ensure_teams(conn, {str(v["team"]) for v in wanted.values() if v["team"]})

    existing: dict[str, tuple[int, str, int | None, object, str | None]] = {}
    for chunk in _chunks(sorted(wanted)):
        rows = conn.execute(
            select(AgentRow.key, AgentRow.id, AgentRow.name, AgentRow.team_id, AgentRow.hired_on, AgentRow.email).where(
                AgentRow.key.in_(chunk)
            )
        ).all()
        for key, id_, name, team_id, hired_on, email in rows:
            existing[key] = (id_, name, team_id, hired_on, email)

    ids: dict[str, int] = {}
    for key, info in wanted.items():
        team_id = teams.get(str(info["team"])) if info["team"] else None
        rec = directory.get(key)
        if key in existing:
            id_, name, old_team, hired_on, email = existing[key]
            ids[key] = id_
            changes: dict[str, object] = {}
            if rec is not None:
                if rec.name != name:
                    changes["name"] = rec.name
                if team_id is not None and team_id != old_team:
                    changes["team_id"] = team_id
                if rec.hired_on is not None and rec.hired_on != hired_on:
                    changes["hired_on"] = rec.hired_on
                if rec.email is not None and rec.email != email:
                    changes["email"] = rec.email
            else:
                # An interaction may name an agent first seen as a bare key (a shift).
                if name == key and info["name"] != key:
                    changes["name"] = info["name"]
                if old_team is None and team_id is not None:
                    changes["team_id"] = team_id
            if changes:
                conn.execute(update(AgentRow).where(AgentRow.id == id_).values(**changes))
                if rec is not None:
                    counts.stored["agent"] += 1
            elif rec is not None:
                counts.duplicates += 1
            continue
        values = {
            "key": key,
            "name": str(info["name"]),
            "team_id": team_id,
            "hired_on": rec.hired_on if rec else None,
            "email": rec.email if rec else None,
        }
        ids[key] = conn.execute(insert(AgentRow).values(**values).returning(AgentRow.id)).scalar_one()
        if rec is not None:
            counts.stored["agent"] += 1
    return ids


def _write_interactions(
    conn: Connection, interactions: list[Interaction], agent_ids: dict[str, int], counts: _Counts
) -> None:
    by_key: dict[tuple[str, str], Interaction] = {}
    for i in interactions:
        key = (i.source, i.id)
        if key in by_key:
            counts.duplicates += 1
        else:
            by_key[key] = i
    keys = list(by_key)
    for chunk in _chunks(keys):
        for src, ext in conn.execute(
            select(InteractionRow.source, InteractionRow.external_id).where(
                tuple_(InteractionRow.source, InteractionRow.external_id).in_(chunk)
            )
        ):
            if by_key.pop((src, ext), None) is not None:
                counts.duplicates += 1
    if not by_key:
        return
    now = datetime.now(UTC)
    fresh = list(by_key.values())
    rows = [
        {
            "source": i.source,
            "external_id": i.id,
            "channel": i.channel.value,
            "queue": i.queue,
            "topic": i.topic,
            "agent_id": agent_ids.get(i.agent_id) if i.agent_id else None,
            "customer_key": i.customer_key,
            "started_at": i.started_at,
            "ended_at": i.ended_at,
            "language": i.language,
            "handle_seconds": i.handle_seconds,
            "talk_seconds": i.talk_seconds,
            "hold_seconds": i.hold_seconds,
            "acw_seconds": i.acw_seconds,
            "transfers": i.transfers,
            "disposition": i.disposition,
            "turn_count": len(i.turns),
            "imported_at": now,
        }
        for i in fresh
    ]
    new_ids = conn.execute(
        insert(InteractionRow).returning(InteractionRow.id, sort_by_parameter_order=True), rows
    ).scalars().all()
    turns = [
        (row_id, n, t.speaker.value, t.text, t.start_ms, t.end_ms)
        for row_id, i in zip(new_ids, fresh, strict=True)
        for n, t in enumerate(i.turns)
    ]
    if turns:
        _insert_turns(conn, turns)
    counts.stored["interaction"] += len(fresh)


def _insert_turns(conn: Connection, turns: list[tuple[object, ...]]) -> None:
    """Turns are most of the rows an import writes: hand them to the driver's executemany."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "INSERT INTO turns (interaction_id, idx, speaker, text, start_ms, end_ms) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            turns,
        )
        return
    cols = ("interaction_id", "idx", "speaker", "text", "start_ms", "end_ms")
    conn.execute(insert(TurnRow), [dict(zip(cols, t, strict=True)) for t in turns])


def _write_surveys(conn: Connection, surveys: list[Survey], counts: _Counts) -> None:
    by_key: dict[tuple[str, str], Survey] = {}
    for s in surveys:
        key = (s.source, s.interaction_id)
        if key in by_key:
            counts.duplicates += 1
        else:
            by_key[key] = s
    for chunk in _chunks(list(by_key)):
        for src, ext in conn.execute(
            select(SurveyRow.source, SurveyRow.interaction_external_id).where(
                tuple_(SurveyRow.source, SurveyRow.interaction_external_id).in_(chunk)
            )
        ):
            if by_key.pop((src, ext), None) is not None:
                counts.duplicates += 1
    if not by_key:
        return
    conn.execute(
        insert(SurveyRow),
        [
            {
                "source": s.source,
                "interaction_external_id": s.interaction_id,
                "csat": s.csat,
                "resolved": s.resolved,
                "comment": s.comment,
                "responded_at": s.responded_at,
            }
            for s in by_key.values()
        ],
    )
    counts.stored["survey"] += len(by_key)


def _write_shifts(
    conn: Connection, shifts: list[Shift], agent_ids: dict[str, int], counts: _Counts
) -> None:
    by_key: dict[tuple[int, datetime], Shift] = {}
    for s in shifts:
        key = (agent_ids[s.agent_id], s.start)
        if key in by_key:
            counts.duplicates += 1
        else:
            by_key[key] = s
    agent_set = sorted({k[0] for k in by_key})
    for chunk in _chunks(agent_set):
        for agent_id, start in conn.execute(
            select(ShiftRow.agent_id, ShiftRow.start).where(ShiftRow.agent_id.in_(chunk))
        ):
            if by_key.pop((agent_id, start), None) is not None:
                counts.duplicates += 1
    if not by_key:
        return
    conn.execute(
        insert(ShiftRow),
        [
            {
                "agent_id": agent_id,
                "day": s.day,
                "start": s.start,
                "end": s.end,
                "scheduled_minutes": s.scheduled_minutes,
                "worked_minutes": s.worked_minutes,
                "adherence_pct": s.adherence_pct,
                "occupancy_pct": s.occupancy_pct,
                "break_minutes": s.break_minutes,
                "overtime_minutes": s.overtime_minutes,
            }
            for (agent_id, _), s in by_key.items()
        ],
    )
    counts.stored["shift"] += len(by_key)
