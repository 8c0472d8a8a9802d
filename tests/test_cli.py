"""Every command through Typer's CliRunner: output, exit code, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heartline.cli import app

runner = CliRunner()

CALL = {
    "id": "c-1",
    "channel": "chat",
    "agent_id": "a-1",
    "turns": [
        {"speaker": "customer", "text": "where is my parcel, my email is ann@example.org"},
        {"speaker": "agent", "text": "Let me check that for you now."},
    ],
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEARTLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HEARTLINE_DATABASE_URL", raising=False)
    return tmp_path


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "demo", "serve", "export"):
        assert command in result.output


def test_ingest_reports_stored_duplicates_and_rejects(env: Path) -> None:
    src = env / "in.jsonl"
    src.write_text(json.dumps(CALL) + "\n" + '{"id": "c-2", "channel": "fax"}\n')
    first = runner.invoke(app, ["ingest", str(src), "--rejects", str(env / "rej.jsonl")])
    assert first.exit_code == 1, first.output
    assert "stored 1 (1 interactions), duplicates 0, rejected 1" in first.stdout
    assert f"rejected: {src}, line 2, field 'channel'" in first.stderr
    assert json.loads((env / "rej.jsonl").read_text())["location"] == "line 2"
    src.write_text(json.dumps(CALL) + "\n")
    second = runner.invoke(app, ["ingest", str(src)])
    assert second.exit_code == 0
    assert "stored 0, duplicates 1, rejected 0" in second.stdout


def test_ingest_missing_path_is_one_clear_line(env: Path) -> None:
    result = runner.invoke(app, ["ingest", str(env / "nope.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {env / 'nope.jsonl'}: no such file, folder or matching glob"


def test_ingest_unknown_format_option_is_refused(env: Path) -> None:
    result = runner.invoke(app, ["ingest", "x.jsonl", "--format", "xml"])
    assert result.exit_code == 2
    assert "Invalid value" in result.output


def test_export_round_trip_and_csv(env: Path) -> None:
    src = env / "in.jsonl"
    src.write_text(json.dumps(CALL) + "\n")
    assert runner.invoke(app, ["ingest", str(src)]).exit_code == 0
    exported = runner.invoke(app, ["export"])
    assert exported.exit_code == 0
    row = json.loads(exported.stdout.splitlines()[0])
    assert row["id"] == "c-1" and row["turns"][1]["text"] == CALL["turns"][1]["text"]
    assert "[EMAIL]" in row["turns"][0]["text"]
    out_csv = env / "i.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--out", str(out_csv)])
    assert result.exit_code == 0 and "exported 1 interactions" in result.stdout
    assert out_csv.read_text().startswith("id,source,channel")


def test_export_without_data_says_what_to_do(env: Path) -> None:
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 1
    assert "run `heartline demo` or `heartline ingest` first" in result.stderr


def test_bad_setting_is_one_line(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTLINE_INGEST_BATCH_SIZE", "zero")
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: bad setting HEARTLINE_INGEST_BATCH_SIZE")


def test_production_refuses_placeholder_secret(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTLINE_ENVIRONMENT", "production")
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 2
    assert "HEARTLINE_SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_demo_stores_analyses_then_keeps_with_if_empty(env: Path) -> None:
    args = ["demo", "--end", "2026-11-20", "--interactions", "40", "--days", "7", "--agents", "6"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "40 new interactions" in first.stdout
    assert "analysed 40 interactions" in first.stdout
    assert "lead@demo" in first.stdout and "agent@demo" in first.stdout
    again = runner.invoke(app, [*args, "--if-empty"])
    assert again.exit_code == 0 and "keeping them" in again.stdout
    scored = runner.invoke(app, ["score"])
    assert scored.exit_code == 0 and "analysed 0 interactions" in scored.stdout
    exported = runner.invoke(app, ["export", "analyses"])
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == 40 and all(0 <= r["empathy_score"] <= 100 for r in rows)


def test_demo_without_analysis_then_score(env: Path) -> None:
    args = ["demo", "--end", "2026-11-20", "--interactions", "300", "--days", "14", "--no-analyze"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "300 new interactions" in first.stdout and "analysed" not in first.stdout
    out = env / "demo.jsonl"
    written = runner.invoke(app, [*args, "--out", str(out)])
    assert written.exit_code == 0
    assert len(out.read_text().splitlines()) == 300


def test_demo_bad_date(env: Path) -> None:
    result = runner.invoke(app, ["demo", "--end", "yesterday"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --end 'yesterday' is not a date like 2026-11-20"
