"""Importing into the store, run on every backend (see conftest.engine)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from heartline.ingest.pipeline import ingest
from heartline.store.queries import counts, iter_interactions
from heartline.store.tables import AgentRow, InteractionRow, ShiftRow, SurveyRow, TurnRow

BILLING_CALL = {
    "id": "call-1",
    "channel": "voice",
    "queue": "billing",
    "agent_id": "a-01",
    "agent_name": "Priya Shah",
    "team": "harbour",
    "customer_id": "cust-9",
    "started_at": "2026-09-01T09:00:00Z",
    "ended_at": "2026-09-01T09:06:00Z",
    "hold_seconds": 30,
    "acw_seconds": 40,
    "transfers": 1,
    "disposition": "resolved",
    "turns": [
        {"speaker": "customer", "text": "I was charged twice this month.", "start_ms": 0, "end_ms": 2100},
        {"speaker": "agent", "text": "I'm sorry, let me look at that now.", "start_ms": 2300, "end_ms": 4000},
    ],
    "survey": {"csat": 5, "resolved": True, "comment": "She really listened."},
}


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def call(n: int, **changes: object) -> dict:
    return {**BILLING_CALL, "id": f"call-{n}", **changes}


def test_mixed_file_keeps_every_good_record_and_names_every_bad_one(engine: Engine, tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            call(1),
            "{not json",
            call(3, channel="fax"),
            call(4),
            call(5, turns=[{"speaker": "robot", "text": "hi"}]),
            call(6, hold_seconds=-3),
            call(7),
        ],
    )
    report = ingest(engine, [src])
    assert report.stored_by_kind == {"interaction": 3, "survey": 3}
    assert report.rejected == 4
    where = {(r.location, r.field) for r in report.rejects}
    assert ("line 2", "(json)") in where
    assert ("line 3", "channel") in where
    assert ("line 5", "turns.0.speaker") in where
    assert ("line 6", "hold_seconds") in where
    assert all(r.file == str(src) for r in report.rejects)
    with engine.connect() as conn:
        ids = set(conn.execute(select(InteractionRow.external_id)).scalars())
    assert ids == {"call-1", "call-4", "call-7"}


def test_reimport_is_idempotent(engine: Engine, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "calls.jsonl", [call(n) for n in range(1, 6)])
    first = ingest(engine, [src])
    before = counts(engine)
    second = ingest(engine, [src])
    assert first.stored == 10 and first.duplicates == 0
    assert second.stored == 0 and second.duplicates == 10
    assert counts(engine) == before


def test_duplicate_within_one_file_is_stored_once(engine: Engine, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "dup.jsonl", [call(1), call(1), call(2)])
    report = ingest(engine, [src])
    assert report.stored_by_kind["interaction"] == 2
    assert report.duplicates == 2  # the repeated interaction and its repeated survey


def test_turns_agents_and_surveys_are_stored_whole(engine: Engine, tmp_path: Path) -> None:
    ingest(engine, [write_jsonl(tmp_path / "one.jsonl", [call(1)])])
    [(row_id, back)] = list(iter_interactions(engine))
    assert [t.speaker for t in back.turns] == ["customer", "agent"]
    assert back.turns[0].end_ms == 2100
    assert back.agent_id == "a-01" and back.agent_name == "Priya Shah" and back.team == "harbour"
    assert back.survey is not None and back.survey.csat == 5 and back.survey.resolved is True
    assert back.started_at is not None and back.started_at.tzinfo is not None
    assert back.handle_seconds == 360
    with engine.connect() as conn:
        key = conn.execute(select(InteractionRow.customer_key)).scalar_one()
    assert key and "cust-9" not in key  # pseudonymous


def test_pii_is_redacted_before_it_is_stored(engine: Engine, tmp_path: Path) -> None:
    leaky = call(
        1,
        turns=[
            {"speaker": "customer", "text": "my card is 4111 1111 1111 1111 and email jo.bloggs@example.com"},
            {"speaker": "agent", "text": "Thanks, and your SSN 123-45-6789 is not needed."},
        ],
        survey={"csat": 2, "comment": "call me on (555) 123-4567"},
    )
    rejects = tmp_path / "rejects.jsonl"
    bad = call(2, channel="pigeon", turns=[{"speaker": "customer", "text": "card 4111-1111-1111-1111"}])
    ingest(engine, [write_jsonl(tmp_path / "pii.jsonl", [leaky, bad])], rejects_path=rejects)
    with engine.connect() as conn:
        stored = " ".join(conn.execute(select(TurnRow.text)).scalars())
        stored += " ".join(c or "" for c in conn.execute(select(SurveyRow.comment)).scalars())
    for secret in ("4111", "jo.bloggs", "123-45-6789", "123-4567"):
        assert secret not in stored
    for token in ("[CARD]", "[EMAIL]", "[SSN]", "[PHONE]"):
        assert token in stored
    written = rejects.read_text()
    assert "pigeon" in written and "4111" not in written


def test_csv_surveys_shifts_and_agents(engine: Engine, tmp_path: Path) -> None:
    agents = tmp_path / "agents.csv"
    agents.write_text("id,name,team,hired_on\na-01,Priya Shah,harbour,2024-03-01\na-02,Tom Reyes,summit,not-a-date\n")
    shifts = tmp_path / "shifts.csv"
    shifts.write_text(
        "agent_id,day,start,end,adherence_pct,occupancy_pct,break_minutes\n"
        "a-01,2026-09-01,2026-09-01T08:00:00Z,2026-09-01T16:30:00Z,94.5,82,45\n"
        "a-01,2026-09-02,2026-09-02T08:00:00Z,2026-09-02T07:00:00Z,90,80,30\n"
        "a-01,2026-09-03,2026-09-03T08:00:00Z,2026-09-03T16:00:00Z,101,80,30\n"
    )
    surveys = tmp_path / "surveys.csv"
    surveys.write_text(
        "interaction_id,csat,resolved,comment\ncall-1,4,yes,fine\ncall-2,9,no,\ncall-3,,maybe,\n"
    )
    report = ingest(engine, [tmp_path / "*.csv"])
    assert report.stored_by_kind == {"agent": 1, "shift": 1, "survey": 1}
    fields = {(Path(r.file).name, r.location, r.field) for r in report.rejects}
    assert fields == {
        ("agents.csv", "line 3", "hired_on"),
        ("shifts.csv", "line 3", "(record)"),
        ("shifts.csv", "line 4", "adherence_pct"),
        ("surveys.csv", "line 3", "csat"),
        ("surveys.csv", "line 4", "resolved"),
    }
    with engine.connect() as conn:
        shift = conn.execute(select(ShiftRow)).one()
        assert shift.worked_minutes == 510
        assert conn.execute(select(AgentRow.name)).scalar_one() == "Priya Shah"
    again = ingest(engine, [tmp_path / "*.csv"])
    assert again.stored == 0 and again.duplicates == 3


def test_folder_import_and_unknown_format(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", [call(1)])
    (tmp_path / "in" / "notes.csv").write_text("what,is,this\n1,2,3\n")
    report = ingest(engine, [tmp_path / "in"])
    assert report.stored_by_kind["interaction"] == 1
    [rej] = report.rejects
    assert rej.file.endswith("notes.csv") and rej.field in ("(format)", "(header)")


def test_database_refusal_costs_only_that_record(engine: Engine, tmp_path: Path) -> None:
    """A record the database refuses mid-batch is rejected alone; its neighbours are kept whole."""
    if engine.dialect.name == "sqlite":
        trigger = (
            "CREATE TRIGGER poison BEFORE INSERT ON turns WHEN NEW.text = 'poison' "
            "BEGIN SELECT RAISE(ABORT, 'poisoned turn'); END"
        )
        with engine.begin() as conn:
            conn.execute(text(trigger))
    else:
        with engine.begin() as conn:
            conn.execute(text(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
                "IF NEW.text = 'poison' THEN RAISE EXCEPTION 'poisoned turn'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            ))
            conn.execute(text(
                "CREATE TRIGGER poison BEFORE INSERT ON turns FOR EACH ROW EXECUTE FUNCTION poison()"
            ))
    bad = call(2, turns=[{"speaker": "customer", "text": "fine"}, {"speaker": "agent", "text": "poison"}])
    report = ingest(engine, [write_jsonl(tmp_path / "p.jsonl", [call(1), bad, call(3)])])
    assert report.stored_by_kind["interaction"] == 2
    assert [r.location for r in report.rejects] == ["line 2"]
    assert "poisoned turn" in report.rejects[0].message
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(InteractionRow)).scalar_one() == 2
        # nothing half-stored: every interaction has all of its turns, no orphans
        for row_id, turn_count in conn.execute(select(InteractionRow.id, InteractionRow.turn_count)):
            n = conn.execute(select(func.count()).where(TurnRow.interaction_id == row_id)).scalar_one()
            assert n == turn_count
