"""Alembic environment: runs on the connection Heartline hands over (never reads a URL itself)."""

from __future__ import annotations

from alembic import context

from heartline.store.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    engine = config.attributes["engine"]
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
