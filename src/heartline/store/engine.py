"""Engines, sessions and migrations.  Built from Settings by the caller; nothing at import time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from heartline.settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(RuntimeError):
    """The database cannot be used as configured; the message says how to fix it."""


def make_engine(settings: Settings, *, url: str | None = None) -> Engine:
    """An engine for the configured database, with SQLite tuned for a single writer."""
    url = url or settings.resolved_database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.execute("PRAGMA cache_size=-64000")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    try:
        with engine.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")  # feature branches may each add a head
    except Exception as exc:
        raise StoreError(
            f"could not migrate the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
            "Check HEARTLINE_DATABASE_URL and that the server is running."
        ) from exc


def is_migrated(engine: Engine) -> bool:
    return "interactions" in inspect(engine).get_table_names()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def open_store(settings: Settings, *, url: str | None = None) -> Iterator[Engine]:
    """Engine with the schema migrated; disposed on exit."""
    engine = make_engine(settings, url=url)
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
