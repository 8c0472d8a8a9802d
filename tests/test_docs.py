"""Docs that cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

import typer.main

from heartline.cli import app
from heartline.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "settings.md").read_text()
    for name in Settings.model_fields:
        assert f"`HEARTLINE_{name.upper()}`" in doc, name


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"heartline {name}" in readme, name


def test_readme_gives_the_two_commands_ci_uses() -> None:
    readme = (REPO / "README.md").read_text()
    assert "bash scripts/run.sh" in readme and "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()
