"""Tables for recognition (join Base.metadata; created by migration ``0006_recognition``).

* ``recognitions``: one colleague recognises another (an agent) for living a value;
* ``recognition_mvps``: a lead's confirmation of a team's monthly Empathy MVP;
* ``recognition_stories`` and ``recognition_story_consents``: customer comments a
  lead selected for the stories wall (anonymised), and the agent's consent history;
* ``recognition_hard_days``: "hard day" acknowledgements a lead sent (or set aside);
* ``comment_praise``: the empathy-praise label of each survey comment, kept so pages
  never classify the same comment twice (derived data, rebuilt by classifying again).
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from heartline.store.tables import Base, UTCDateTime


class RecognitionRow(Base):
    """A recognition: giver (an account or an agent record), receiver (an agent), values."""

    __tablename__ = "recognitions"
    __table_args__ = (Index("ix_recognitions_team_created", "team_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    giver_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    giver_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    giver_name: Mapped[str] = mapped_column(String(200))
    giver_role: Mapped[str] = mapped_column(String(20))
    receiver_agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    message: Mapped[str] = mapped_column(Text)
    value_tags: Mapped[list] = mapped_column(JSON)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MvpConfirmationRow(Base):
    """A team's Empathy MVP for one month, as the lead confirmed it (once per team and month)."""

    __tablename__ = "recognition_mvps"
    __table_args__ = (UniqueConstraint("team_id", "month", name="uq_recognition_mvps_team_month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    winner_agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_by_name: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoryRow(Base):
    """A customer comment chosen for the stories wall; the text is already anonymised."""

    __tablename__ = "recognition_stories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"))
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    selected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    selected_by_name: Mapped[str] = mapped_column(String(200))
    selected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_status: Mapped[str] = mapped_column(String(20))  # pending | granted | revoked


class StoryConsentRow(Base):
    """One consent decision of an agent (every one is kept: the history)."""

    __tablename__ = "recognition_story_consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("recognition_stories.id", ondelete="CASCADE"), index=True
    )  # None: all of the agent's stories
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class HardDayRow(Base):
    """A hard-day acknowledgement: suggested from the workload, then sent or set aside by a lead."""

    __tablename__ = "recognition_hard_days"
    __table_args__ = (UniqueConstraint("agent_id", "day", name="uq_recognition_hard_days_agent_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    heavy_contacts: Mapped[int] = mapped_column(Integer)
    contacts: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list] = mapped_column(JSON)
    suggested_message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # sent | dismissed
    message: Mapped[str | None] = mapped_column(Text)
    suggested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CommentPraiseRow(Base):
    """The praise classifier's label for one survey comment (a cache; ``model`` names the head)."""

    __tablename__ = "comment_praise"
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(20))
    probability: Mapped[float] = mapped_column(Float)
    model: Mapped[str] = mapped_column(String(64))
    classified_at: Mapped[datetime] = mapped_column(UTCDateTime())
