"""Fixtures for the analysis tests: one encoder and one analyzer for the whole session."""

from __future__ import annotations

import pytest

from heartline.analysis import Analyzer
from heartline.analysis.encoder import Encoder


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="session")
def analyzer(encoder: Encoder) -> Analyzer:
    return Analyzer(encoder=encoder)
