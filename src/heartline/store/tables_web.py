"""Tables of the web app: accounts, API tokens, score reviews and the KPI pre-aggregates.

Migration ``0002_web`` creates exactly this.  ``interaction_facts`` and
``agent_daily`` are derived data: :mod:`heartline.insights.aggregate` rebuilds
them from the base tables, so they can always be thrown away and refreshed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from heartline.store.tables import Base, UTCDateTime

#: Roles a person can hold, least to most reach.
ROLES: tuple[str, ...] = ("agent", "lead", "manager", "admin")


class UserRow(Base):
    """A local account.  Agents link to their agent record; leads list their teams."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserTeamRow(Base):
    """The teams a lead leads."""

    __tablename__ = "user_teams"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)


class LoginFailureRow(Base):
    """One failed login, kept for throttling (5 per login per 15 minutes)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_login_at", "login", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiTokenRow(Base):
    """A token for an integration.  Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScoreReviewRow(Base):
    """An agent's answer to one score: acknowledged, or disputed with a comment."""

    __tablename__ = "score_reviews"
    __table_args__ = (Index("ix_score_reviews_status_agent", "status", "agent_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # acknowledge | dispute
    comment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # acknowledged | open | upheld | declined
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_note: Mapped[str | None] = mapped_column(Text)


class ScoreOverrideRow(Base):
    """A score corrected by QA or a lead, with the reason.  Every override is kept."""

    __tablename__ = "score_overrides"
    __table_args__ = (Index("ix_score_overrides_interaction_field", "interaction_id", "field"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("score_reviews.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScorecardWeightsRow(Base):
    """Per-team weights of the balanced scorecard (absent: equal weights)."""

    __tablename__ = "scorecard_weights"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    weights: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class InteractionFactRow(Base):
    """One row per interaction with everything the lists and KPIs filter or sum on.

    Scores here are the effective ones (an override wins over the model).
    ``emotions_mask`` has bit ``i`` set when the customer showed ``EMOTIONS[i]``.
    """

    __tablename__ = "interaction_facts"
    __table_args__ = (
        Index("ix_interaction_facts_team_started", "team_id", "started_at"),
        Index("ix_interaction_facts_agent_started", "agent_id", "started_at"),
        Index("ix_interaction_facts_started", "started_at"),
    )
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    agent_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    day: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))
    queue: Mapped[str] = mapped_column(String(120), default="")
    aht_seconds: Mapped[float | None] = mapped_column(Float)
    hold_seconds: Mapped[float] = mapped_column(Float, default=0)
    acw_seconds: Mapped[float] = mapped_column(Float, default=0)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    csat: Mapped[int | None] = mapped_column(Integer)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    positive_feedback: Mapped[bool] = mapped_column(Boolean, default=False)
    has_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_7d: Mapped[bool] = mapped_column(Boolean, default=False)
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    analysed: Mapped[bool] = mapped_column(Boolean, default=False)
    empathy_score: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    heavy: Mapped[bool] = mapped_column(Boolean, default=False)
    deescalated: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    missed_cues: Mapped[int] = mapped_column(Integer, default=0)
    robotic: Mapped[bool] = mapped_column(Boolean, default=False)
    emotions_mask: Mapped[int] = mapped_column(Integer, default=0)
    peak_emotion: Mapped[str | None] = mapped_column(String(20))


class _DailySums:
    """The additive figures both daily tables hold; every KPI is a ratio of these."""

    contacts: Mapped[int] = mapped_column(Integer)
    aht_n: Mapped[int] = mapped_column(Integer)
    aht_sum: Mapped[float] = mapped_column(Float)
    hold_sum: Mapped[float] = mapped_column(Float)
    acw_sum: Mapped[float] = mapped_column(Float)
    transferred: Mapped[int] = mapped_column(Integer)
    csat_n: Mapped[int] = mapped_column(Integer)
    csat_pos: Mapped[int] = mapped_column(Integer)
    resolved_n: Mapped[int] = mapped_column(Integer)
    resolved_yes: Mapped[int] = mapped_column(Integer)
    repeat_base: Mapped[int] = mapped_column(Integer)
    repeats: Mapped[int] = mapped_column(Integer)
    positive_feedback: Mapped[int] = mapped_column(Integer)
    analysed: Mapped[int] = mapped_column(Integer)
    empathy_n: Mapped[int] = mapped_column(Integer)
    empathy_sum: Mapped[float] = mapped_column(Float)
    opened_negative: Mapped[int] = mapped_column(Integer)
    deescalated: Mapped[int] = mapped_column(Integer)
    missed_any: Mapped[int] = mapped_column(Integer)
    robotic: Mapped[int] = mapped_column(Integer)
    heavy_n: Mapped[int] = mapped_column(Integer)
    heavy_aht_sum: Mapped[float] = mapped_column(Float)


class AgentDailyRow(_DailySums, Base):
    """Sums per agent and day, every channel and queue together (what dashboards read)."""

    __tablename__ = "agent_daily"
    __table_args__ = (
        Index("ix_agent_daily_team_day", "team_id", "day"),
        Index("ix_agent_daily_agent_day", "agent_id", "day"),
        Index("ix_agent_daily_day", "day"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date | None] = mapped_column(Date)


class AgentDailyDetailRow(_DailySums, Base):
    """Sums per agent, day, channel and queue (read when a channel or queue filter is set)."""

    __tablename__ = "agent_daily_detail"
    __table_args__ = (
        Index("ix_agent_daily_detail_team_day", "team_id", "day"),
        Index("ix_agent_daily_detail_agent_day", "agent_id", "day"),
        Index("ix_agent_daily_detail_day", "day"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))
    queue: Mapped[str] = mapped_column(String(120))


class AggregateStateRow(Base):
    """What the pre-aggregates were built from, to tell when they are stale."""

    __tablename__ = "aggregate_state"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
