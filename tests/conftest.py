"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEARTLINE_SHARED_DIR", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (samples and outside evaluation data), beside the repo."""
    if not SHARED.is_dir():
        pytest.fail(f"shared folder not found at {SHARED}; set HEARTLINE_SHARED_DIR")
    return SHARED


@pytest.fixture(scope="session")
def samples_dir(shared_dir: Path) -> Path:
    return shared_dir / "formats" / "samples"
