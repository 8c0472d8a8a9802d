"""The analysis commands, exercised through a local Typer app with a CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

from heartline.analysis.cli import register
from tests.analysis.sentences import (
    CLOSED_PROCEDURAL_QUESTION,
    FRUSTRATED_REPEAT_CALLER,
    FURIOUS_THREAT,
    GRATEFUL_CUSTOMER,
    REAL_APOLOGY,
)


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_commands_are_registered(app: typer.Typer, runner: CliRunner) -> None:
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for name in ("label", "analyze", "train", "evaluate"):
        assert name in res.output


def test_label(app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "utterances.jsonl"
    f.write_text(
        json.dumps({"id": "u1", "speaker": "customer", "text": GRATEFUL_CUSTOMER}) + "\n"
        + json.dumps({"id": "u2", "speaker": "agent", "text": REAL_APOLOGY,
                      "context": FRUSTRATED_REPEAT_CALLER}) + "\n"
        + "not json\n"
        + json.dumps({"id": "u4", "speaker": "robot", "text": "beep"}) + "\n"
    )
    res = runner.invoke(app, ["label", str(f)])
    assert res.exit_code == 0, res.output
    out = lines(res.stdout)
    assert out[0] == {"id": "u1", "emotion": "satisfaction",
                      "emotion_intensity": out[0]["emotion_intensity"]}
    assert out[1]["id"] == "u2" and "apologize" in out[1]["behaviours"]
    assert set(out[1]) == {"id", "behaviours"}
    errors = res.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "line 3: not valid JSON" in errors[0]
    assert "line 4: field 'speaker'" in errors[1]


def test_label_missing_file_is_one_line(app: typer.Typer, runner: CliRunner) -> None:
    res = runner.invoke(app, ["label", "/no/such/file.jsonl"])
    assert res.exit_code == 1
    assert res.stderr.strip() == "error: /no/such/file.jsonl: no such file"


def test_analyze_jsonl_with_a_reject(app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "calls.jsonl"
    good = {"id": "c-1", "agent_id": "a-1", "turns": [
        {"speaker": "customer", "text": FURIOUS_THREAT},
        {"speaker": "agent", "text": CLOSED_PROCEDURAL_QUESTION}]}
    bad = {"id": "c-2", "turns": [{"speaker": "martian", "text": "hi"}]}
    f.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n")
    res = runner.invoke(app, ["analyze", str(f), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    (out,) = lines(res.stdout)
    assert out["interaction_id"] == "c-1" and out["missed_emotion_turns"] == [1]
    assert len(res.stderr.strip().splitlines()) == 1 and "line 2" in res.stderr


def test_analyze_unknown_format(app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["analyze", str(tmp_path), "--format", "xml"])
    assert res.exit_code == 1
    assert res.stderr.startswith("error: unknown format 'xml'")
    assert "Traceback" not in res.output


def test_analyze_missing_path(app: typer.Typer, runner: CliRunner) -> None:
    res = runner.invoke(app, ["analyze", "/no/such/dir/*.jsonl"])
    assert res.exit_code == 1
    assert len(res.stderr.strip().splitlines()) == 1 and res.stderr.startswith("error: ")


def test_analyze_contact_lens_sample(app: typer.Typer, runner: CliRunner, samples_dir: Path
                                     ) -> None:
    pytest.importorskip("heartline.ingest.contact_lens")
    sample = samples_dir / "contact_lens_voice.json"
    res = runner.invoke(app, ["analyze", str(sample), "--format", "contact-lens"])
    assert res.exit_code == 0, res.output
    (out,) = lines(res.stdout)
    assert out["turns"] and out["listening"]["timed"] is True
    auto = runner.invoke(app, ["analyze", str(sample)])
    assert lines(auto.stdout) == [out]


@pytest.mark.slow
def test_evaluate_json(app: typer.Typer, runner: CliRunner, shared_dir: Path) -> None:
    res = runner.invoke(app, ["evaluate", "--json",
                              "--goemotions", str(shared_dir / "eval" / "goemotions")])
    assert res.exit_code == 0, res.output
    (report,) = lines(res.stdout)
    assert report["customer_emotion"]["macro_f1"] > 0.6
    assert report["agent_behaviours"]["macro_f1"] > 0.6
    assert report["goemotions"]["n"] > 1000
    assert len(report["customer_emotion"]["confusion"]["matrix"]) == 7


def test_evaluate_bad_goemotions_path(app: typer.Typer, runner: CliRunner, tmp_path: Path
                                      ) -> None:
    res = runner.invoke(app, ["evaluate", "--goemotions", str(tmp_path)])
    assert res.exit_code == 1
    assert "GoEmotions file" in res.stderr and "--goemotions" in res.stderr
