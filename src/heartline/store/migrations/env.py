"""Alembic environment: runs on the connection Heartline hands over (never reads a URL itself)."""

from __future__ import annotations

from alembic import context

import heartline.store.tables_coaching
import heartline.store.tables_recognition
import heartline.store.tables_voice
import heartline.store.tables_web
import heartline.store.tables_wellbeing  # noqa: F401
from heartline.store.tables import Base


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Migrations name plain SQLAlchemy types, never Heartline's Python classes."""
    from heartline.store.tables import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


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
    render_item=_render_item,
)
with context.begin_transaction():
    context.run_migrations()
