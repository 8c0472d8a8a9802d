"""The store on every backend: one parametrized fixture, so storage tests are written once.

Import the fixture into a folder's conftest with ``from backends import engine``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from heartline.settings import Settings
from heartline.store.engine import make_engine, migrate

PG_URL = os.environ.get("HEARTLINE_TEST_POSTGRES_URL")


def postgres_engine(settings: Settings) -> Iterator[Engine]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL for real: HEARTLINE_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server (set HEARTLINE_TEST_POSTGRES_URL)")
    name = f"heartline_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    engine = make_engine(settings, url=f"{PG_URL.rsplit('/', 1)[0]}/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on each backend."""
    settings = Settings(data_dir=tmp_path, environment="test")
    if request.param == "sqlite":
        eng = make_engine(settings)
        migrate(eng)
        yield eng
        eng.dispose()
    else:
        for eng in postgres_engine(settings):
            migrate(eng)
            yield eng
