"""Tables for Voice of the Agent: barriers and their threads, pulse answers, check-ins and
leadership feedback.  Migration ``0005_voice`` creates exactly this.

What is *not* here matters as much as what is:

* An anonymous barrier has no author column.  ``author_token`` is
  HMAC(secret_key, "author", barrier id, user id) -- the barrier id is a random
  nonce, so the token recognises the signed-in author and nothing else, and two
  barriers of one person carry unrelated tokens.  ``author_user_id`` is filled
  for named barriers only.
* "Me too" rows hold a keyed hash of the supporter and no time: they are counted, never shown.
* Pulse answers and leadership ratings hold no user id and no time of day: only
  the team, the ISO week (or the decision), tenure and shift bands, and a
  once-only token (a keyed hash of the user and the week or decision) that
  stops a second answer.  Their ids are random, so row order says nothing
  about who answered when.

Residual risks (what this does not protect against):

* Whoever holds both the database and ``HEARTLINE_SECRET_KEY`` can recompute the keyed
  hashes for every user id and so find the author of an anonymous barrier and which
  answers of a week came from one person.  Keep the secret out of the database's
  backups and away from database administrators.  Rotating the secret makes existing
  authors unable to recognise (and confirm) their own barriers.
* ``author_person`` is the same for every barrier of one person (it counts distinct
  voices in themes), so someone reading the table can tell that two anonymous barriers
  came from one, unnamed, person.
* An anonymous barrier names the team it was raised in; in a very small team that
  narrows the author down, which is why agents can raise barriers at centre level.
* The text itself can identify its author ("as the only night-shift trainer ..."); and
  web-server access logs keep the time of each request, though author actions carry the
  barrier id in the form body, not in the logged path.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from heartline.store.tables import Base, UTCDateTime


class BarrierRow(Base):
    """A barrier an agent raised, named or anonymous, and where it stands."""

    __tablename__ = "voice_barriers"
    __table_args__ = (Index("ix_voice_barriers_team_status", "team_id", "status"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    #: keyed hash that recognises the author when signed in (never the id in clear)
    author_token: Mapped[str] = mapped_column(String(64))
    #: keyed hash of the author as a person, to count distinct voices in themes
    author_person: Mapped[str] = mapped_column(String(64))
    #: named barriers only
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: evidence, named barriers only (an interaction names its agent)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"))
    #: None: raised at centre level, seen by managers only
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    confirmed_by_author: Mapped[bool | None] = mapped_column(Boolean)
    #: to the day for anonymous barriers
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BarrierSupportRow(Base):
    """One colleague's "me too": a keyed hash, counted and never shown."""

    __tablename__ = "voice_barrier_support"
    barrier_id: Mapped[str] = mapped_column(
        ForeignKey("voice_barriers.id", ondelete="CASCADE"), primary_key=True
    )
    person_token: Mapped[str] = mapped_column(String(64), primary_key=True)


class BarrierMessageRow(Base):
    """A message in a barrier's thread: from "the author" or from a named leader."""

    __tablename__ = "voice_barrier_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    barrier_id: Mapped[str] = mapped_column(
        ForeignKey("voice_barriers.id", ondelete="CASCADE"), index=True
    )
    #: "author" or "leader"
    role: Mapped[str] = mapped_column(String(10))
    leader_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    leader_name: Mapped[str | None] = mapped_column(String(200))
    leader_role: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    #: to the day for an anonymous author
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class PulseAnswerRow(Base):
    """One pulse answer: no user id, no time; a once-only token per person and week."""

    __tablename__ = "voice_pulse_answers"
    __table_args__ = (Index("ix_voice_pulse_answers_week_team", "week", "team_key"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    once_token: Mapped[str] = mapped_column(String(64), unique=True)
    week: Mapped[str] = mapped_column(String(10))
    team_key: Mapped[str] = mapped_column(String(120))
    tenure: Mapped[str] = mapped_column(String(20))
    shift: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)


class CheckInNoteRow(Base):
    """The lead's note of a weekly 10-minute team check-in (what the team said, unattributed)."""

    __tablename__ = "voice_checkin_notes"
    __table_args__ = (Index("ix_voice_checkin_notes_team_week", "team_id", "week"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    week: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DecisionRow(Base):
    """A leadership decision or behaviour agents are asked to rate."""

    __tablename__ = "voice_decisions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    announced_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DecisionFeedbackRow(Base):
    """One anonymous rating of a decision: no user id, no day; a once-only token per decision."""

    __tablename__ = "voice_decision_feedback"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    decision_id: Mapped[str] = mapped_column(
        ForeignKey("voice_decisions.id", ondelete="CASCADE"), index=True
    )
    once_token: Mapped[str] = mapped_column(String(64), unique=True)
    team_key: Mapped[str] = mapped_column(String(120))
    tenure: Mapped[str] = mapped_column(String(20))
    shift: Mapped[str] = mapped_column(String(20))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)


class DecisionResponseRow(Base):
    """A leader's public response to the feedback on a decision."""

    __tablename__ = "voice_decision_responses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[str] = mapped_column(
        ForeignKey("voice_decisions.id", ondelete="CASCADE"), index=True
    )
    leader_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    leader_name: Mapped[str] = mapped_column(String(200))
    leader_role: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
