"""Demo organisations shared by the demo tests (generated once per session)."""

from __future__ import annotations

from datetime import date

import pytest

from heartline.demo import DemoOrganisation, generate

END = date(2026, 11, 20)


@pytest.fixture(scope="session")
def full_org() -> DemoOrganisation:
    """The default organisation: 60 days, 5,000 contacts, 30 agents (about two seconds)."""
    return generate(end=END)


@pytest.fixture(scope="session")
def small_org() -> DemoOrganisation:
    """A smaller centre for checks that do not need the full size."""
    return generate(seed=11, end=END, days=21, interactions=900, agents=12)
