"""Relational schema.  Migrations in ``store/migrations`` create exactly this."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps them as naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TeamRow(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class AgentRow(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    hired_on: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[TeamRow | None] = relationship()


class InteractionRow(Base):
    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_interactions_source_external_id"),
        Index("ix_interactions_agent_started", "agent_id", "started_at"),
        Index("ix_interactions_customer_started", "customer_key", "started_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(10))
    queue: Mapped[str | None] = mapped_column(String(120))
    topic: Mapped[str | None] = mapped_column(String(120))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    customer_key: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    language: Mapped[str | None] = mapped_column(String(20))
    handle_seconds: Mapped[float | None] = mapped_column(Float)
    talk_seconds: Mapped[float | None] = mapped_column(Float)
    hold_seconds: Mapped[float] = mapped_column(Float, default=0)
    acw_seconds: Mapped[float] = mapped_column(Float, default=0)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    disposition: Mapped[str | None] = mapped_column(String(120))
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    agent: Mapped[AgentRow | None] = relationship()
    turns: Mapped[list[TurnRow]] = relationship(order_by="TurnRow.idx", cascade="all, delete-orphan")


class TurnRow(Base):
    __tablename__ = "turns"
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    start_ms: Mapped[int | None] = mapped_column(Integer)
    end_ms: Mapped[int | None] = mapped_column(Integer)


class SurveyRow(Base):
    __tablename__ = "surveys"
    __table_args__ = (
        UniqueConstraint("source", "interaction_external_id", name="uq_surveys_source_interaction"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    interaction_external_id: Mapped[str] = mapped_column(String(200))
    csat: Mapped[int | None] = mapped_column(Integer)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ShiftRow(Base):
    __tablename__ = "shifts"
    __table_args__ = (UniqueConstraint("agent_id", "start", name="uq_shifts_agent_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime] = mapped_column(UTCDateTime())
    scheduled_minutes: Mapped[float | None] = mapped_column(Float)
    worked_minutes: Mapped[float | None] = mapped_column(Float)
    adherence_pct: Mapped[float | None] = mapped_column(Float)
    occupancy_pct: Mapped[float | None] = mapped_column(Float)
    break_minutes: Mapped[float] = mapped_column(Float, default=0)
    overtime_minutes: Mapped[float] = mapped_column(Float, default=0)


class AnalysisRow(Base):
    """The analysis of one interaction, as JSON, keyed by the model version that made it."""

    __tablename__ = "analyses"
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    model_version: Mapped[str] = mapped_column(String(60))
    empathy_score: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    deescalated: Mapped[bool | None] = mapped_column(Boolean)
    robotic: Mapped[bool | None] = mapped_column(Boolean)
    missed_cues: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[dict] = mapped_column(JSON)
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime())
