"""Plain typed records that every part of Heartline speaks.

These are the shapes that importers produce, the store persists and the
analysis reads.  They carry no database or web concerns.  Field names follow
``shared/DESIGN.md`` and Heartline's own JSONL interchange format (see
``docs/formats.md``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Channel(StrEnum):
    voice = "voice"
    chat = "chat"
    email = "email"


class Speaker(StrEnum):
    agent = "agent"
    customer = "customer"


#: Customer emotion labels, fixed by DESIGN.md.
EMOTIONS: tuple[str, ...] = (
    "anger",
    "frustration",
    "confusion",
    "worry",
    "sadness",
    "satisfaction",
    "neutral",
)

#: Agent behaviour labels, fixed by DESIGN.md.
BEHAVIOURS: tuple[str, ...] = (
    "acknowledge_emotion",
    "validate",
    "apologize",
    "ownership",
    "explore",
    "paraphrase",
    "set_expectations",
    "blame",
    "dismissive",
)

NonNegInt = Annotated[int, Field(ge=0)]
NonNegFloat = Annotated[float, Field(ge=0)]


class Record(BaseModel):
    """Base for all records: strict about unknown shapes, forgiving about extras."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=False)


class Turn(Record):
    """One utterance.  ``start_ms``/``end_ms`` are offsets from the start of the interaction."""

    speaker: Speaker
    text: str = Field(max_length=20_000)
    start_ms: NonNegInt | None = None
    end_ms: NonNegInt | None = None

    @field_validator("text")
    @classmethod
    def _no_nul(cls, v: str) -> str:
        # NUL bytes are refused by PostgreSQL and mean nothing to a reader.
        return v.replace("\x00", "")

    @model_validator(mode="after")
    def _times_in_order(self) -> Turn:
        if self.start_ms is not None and self.end_ms is not None and self.end_ms < self.start_ms:
            raise ValueError("end_ms is before start_ms")
        return self


class Survey(Record):
    """A post-contact survey joined to an interaction by its external id."""

    interaction_id: str = Field(min_length=1, max_length=200)
    source: str = Field(default="heartline", min_length=1, max_length=40)
    csat: Annotated[int, Field(ge=1, le=5)] | None = None
    resolved: bool | None = None
    comment: str | None = Field(default=None, max_length=5_000)
    responded_at: datetime | None = None

    @field_validator("responded_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        return _as_utc(v) if v is not None else None

    @model_validator(mode="after")
    def _has_an_answer(self) -> Survey:
        if self.csat is None and self.resolved is None and not self.comment:
            raise ValueError("a survey needs at least one of csat, resolved, comment")
        return self


class Interaction(Record):
    """One customer contact: a call, a chat or an e-mail thread."""

    id: str = Field(min_length=1, max_length=200, description="external id in the source system")
    source: str = Field(default="heartline", min_length=1, max_length=40)
    channel: Channel = Channel.voice
    queue: str | None = Field(default=None, max_length=120)
    topic: str | None = Field(default=None, max_length=120)
    agent_id: str | None = Field(default=None, max_length=120)
    agent_name: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=120)
    customer_id: str | None = Field(default=None, max_length=200)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    language: str | None = Field(default=None, max_length=20)
    turns: list[Turn] = Field(default_factory=list)
    handle_seconds: NonNegFloat | None = None
    talk_seconds: NonNegFloat | None = None
    hold_seconds: NonNegFloat = 0
    acw_seconds: NonNegFloat = 0
    transfers: NonNegInt = 0
    disposition: str | None = Field(default=None, max_length=120)
    survey: Survey | None = None

    @field_validator("started_at", "ended_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        return _as_utc(v) if v is not None else None

    @field_validator("survey", mode="before")
    @classmethod
    def _survey_joins_here(cls, v: object, info) -> object:  # type: ignore[no-untyped-def]
        if isinstance(v, dict) and "interaction_id" not in v:
            v = {**v, "interaction_id": info.data.get("id", "?")}
            if "source" in info.data:
                v["source"] = info.data["source"]
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Interaction:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        if self.handle_seconds is None and self.started_at and self.ended_at:
            self.handle_seconds = (self.ended_at - self.started_at).total_seconds()
        return self

    @property
    def customer_key(self) -> str | None:
        """A pseudonymous, stable key for the customer (the raw id may be a phone number)."""
        return customer_key(self.source, self.customer_id)


class Team(Record):
    id: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=200)


class Agent(Record):
    id: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=200)
    team: str | None = Field(default=None, max_length=120)
    hired_on: date | None = None
    email: str | None = Field(default=None, max_length=200)


class Shift(Record):
    """One worked shift, with the workforce-management figures for it."""

    agent_id: str = Field(min_length=1, max_length=120)
    day: date
    start: datetime
    end: datetime
    scheduled_minutes: NonNegFloat | None = None
    worked_minutes: NonNegFloat | None = None
    adherence_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    occupancy_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    break_minutes: NonNegFloat = 0
    overtime_minutes: NonNegFloat = 0

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        return _as_utc(v)

    @model_validator(mode="after")
    def _in_order(self) -> Shift:
        if self.end <= self.start:
            raise ValueError("shift end is not after its start")
        if self.worked_minutes is None:
            self.worked_minutes = (self.end - self.start).total_seconds() / 60
        return self


RecordKind = Literal["interaction", "survey", "shift", "agent"]


def customer_key(source: str, customer_id: str | None) -> str | None:
    if not customer_id:
        return None
    return hashlib.sha256(f"{source}\x1f{customer_id}".encode()).hexdigest()[:20]


def _as_utc(v: datetime) -> datetime:
    if v.tzinfo is None:
        return v.replace(tzinfo=UTC)
    return v.astimezone(UTC)
