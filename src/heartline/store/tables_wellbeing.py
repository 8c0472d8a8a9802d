"""Tables for wellbeing: break policies, break recommendations and breaks taken,
leader actions, WFM webhook deliveries and agents' own check-ins.

Migration ``0004_wellbeing`` creates the first five; ``0007_wellbeing_checkins``
adds ``wellbeing_checkins``.  Everything here rests on
workload (the difficulty of contacts, from the customer's side) and on what
people chose to record; nothing stores a reading of an agent's feelings, and
nothing here is an input to a scorecard.  The WFM webhook secret is never
stored: it lives in ``HEARTLINE_WFM_WEBHOOK_SECRET`` only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from heartline.store.tables import Base, UTCDateTime

#: Where a recommendation stands: shown to the agent, answered "taken", or answered "skipped".
BREAK_STATUSES: tuple[str, ...] = ("recommended", "taken", "skipped")


class BreakPolicyRow(Base):
    """A team's resilience-break policy (see ``heartline.insights.wellbeing.BreakPolicy``)."""

    __tablename__ = "wellbeing_break_policies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), unique=True)
    heavy_threshold: Mapped[float] = mapped_column(Float)
    streak_threshold: Mapped[float] = mapped_column(Float)
    streak_length: Mapped[int] = mapped_column(Integer)
    break_minutes: Mapped[int] = mapped_column(Integer)
    streak_break_minutes: Mapped[int] = mapped_column(Integer)
    streak_reset_minutes: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BreakRecommendationRow(Base):
    """A recommended resilience break, with the contacts that earned it.

    ``event_id`` is the stable WFM event id (``brk_...``): computing the same
    break twice finds the same row.  ``evidence`` lists
    ``{"interaction_id": <row id>, "external_id": ..., "difficulty": ...}``.
    """

    __tablename__ = "wellbeing_break_recommendations"
    __table_args__ = (
        Index("ix_wellbeing_break_recommendations_agent_start", "agent_id", "start"),
        Index("ix_wellbeing_break_recommendations_team_start", "team_id", "start"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))
    explanation: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(JSON)  # type: ignore[type-arg]
    status: Mapped[str] = mapped_column(String(12), default="recommended")
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BreakTakenRow(Base):
    """A break the agent took: said so on their page, or reported by WFM."""

    __tablename__ = "wellbeing_breaks_taken"
    __table_args__ = (Index("ix_wellbeing_breaks_taken_agent_start", "agent_id", "start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    end: Mapped[datetime] = mapped_column(UTCDateTime())
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("wellbeing_break_recommendations.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeaderActionRow(Base):
    """A leader action a person took (``heartline.insights.risk.ACTIONS``): who, when, for whom."""

    __tablename__ = "wellbeing_leader_actions"
    __table_args__ = (Index("ix_wellbeing_leader_actions_agent_taken", "agent_id", "taken_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(40))
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    taken_by_name: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")


class WfmDeliveryRow(Base):
    """One break event posted to the WFM webhook: where, how it went, how many attempts.

    The shared secret that signed it is never stored.
    """

    __tablename__ = "wellbeing_wfm_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("wellbeing_break_recommendations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    event: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    http_status: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckInRow(Base):
    """A weekly check-in an agent chose to fill in: ``answers`` maps a question key of
    ``heartline.insights.risk.CHECKIN_QUESTIONS`` to 1..5.

    Only rows with ``consented`` set are ever read, and only into the agent's
    risk score (as an aggregate); the agent can withdraw consent or delete the
    row at any time.  Nobody but the agent sees the answers themselves.
    """

    __tablename__ = "wellbeing_checkins"
    __table_args__ = (Index("ix_wellbeing_checkins_agent_day", "agent_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    consented: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
