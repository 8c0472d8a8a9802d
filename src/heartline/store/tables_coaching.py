"""Tables for coaching: 1:1 sessions, agreed actions, development goals, celebrations,
shadowing / side-by-side listening, and QA calibration scores.

Migration ``0003_coaching`` creates exactly this.  Session notes are private to the
lead who held the session and the agent it was with; the pages enforce that
(:mod:`heartline.web.routes.coaching`), the tables only keep who is who.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from heartline.store.tables import Base, UTCDateTime

#: Session states: planned (on the calendar), held, cancelled.
SESSION_STATUSES: tuple[str, ...] = ("planned", "held", "cancelled")
#: Who owns an agreed action.
ACTION_OWNERS: tuple[str, ...] = ("agent", "lead")
ACTION_STATUSES: tuple[str, ...] = ("open", "done", "dropped")
#: The agent's own development goals.
GOAL_KINDS: tuple[str, ...] = ("mentoring", "cross_training", "skill")
GOAL_STATUSES: tuple[str, ...] = ("open", "in_progress", "done", "dropped")
LISTENING_KINDS: tuple[str, ...] = ("side_by_side", "shadowing")


class CoachingSessionRow(Base):
    """One 1:1 between a lead and an agent, planned or held."""

    __tablename__ = "coaching_sessions"
    __table_args__ = (
        Index("ix_coaching_sessions_agent_planned", "agent_id", "planned_for"),
        Index("ix_coaching_sessions_lead_planned", "lead_user_id", "planned_for"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    planned_for: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    opened_with_support_question: Mapped[bool] = mapped_column(Boolean, default=False)
    opening_question: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoachingMomentRow(Base):
    """A moment discussed in a session: an interaction and a turn, with why it was chosen."""

    __tablename__ = "coaching_session_moments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), index=True
    )
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    turn: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # glow | growth
    theme: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")


class CoachingActionRow(Base):
    """An action agreed in a session, with its owner, due date and follow-up."""

    __tablename__ = "coaching_actions"
    __table_args__ = (Index("ix_coaching_actions_agent_status", "agent_id", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DevelopmentGoalRow(Base):
    """A goal the agent sets for themself: a mentor, cross-training, a skill to practise."""

    __tablename__ = "development_goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CelebrationRow(Base):
    """Effort or learning a lead celebrated with an agent (not only results)."""

    __tablename__ = "coaching_celebrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    lead_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))  # effort | learning
    text: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ListeningRow(Base):
    """A shadowing or side-by-side listening session: the lead walking in the agent's shoes."""

    __tablename__ = "coaching_listening"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    kind: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    minutes: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalibrationScoreRow(Base):
    """A QA reviewer's call on one behaviour in one interaction: present or not."""

    __tablename__ = "calibration_scores"
    __table_args__ = (
        UniqueConstraint(
            "reviewer_user_id", "interaction_id", "behaviour", name="uq_calibration_scores_rater_item"
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reviewer_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    behaviour: Mapped[str] = mapped_column(String(40))
    present: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
