"""Stories wall: positive customer stories, anonymised, shown only with the agent's consent.

A lead selects a customer comment and the contact it came from
(:func:`select_story`); the comment is anonymised on the way in
(:func:`anonymise`): card numbers, SSNs, e-mails, phone numbers and IBANs are
replaced by :func:`heartline.ingest.redact.redact`, then greetings and
sign-offs that carry a name, self-introductions ("my name is ..."), names after
a title ("Mrs Patel"), UK postcodes and any name the caller passes in are
removed or replaced with ``[NAME]`` / ``[POSTCODE]``.

The agent the story is about decides whether it is shown.  Consent is a list
of :class:`ConsentEvent` records (grant or revoke, for one story or for all of
the agent's stories).  A story is visible at time *t* when the latest event at
or before *t* that applies to it (same agent; same story or all stories) is a
grant; with no such event it is hidden.  So revoking hides a story at once, a
general revoke later than a story-specific grant hides that story too, and a
story-specific revoke hides one story while the others stay.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from heartline.ingest.redact import redact

__all__ = [
    "ConsentEvent",
    "Story",
    "StoryError",
    "anonymise",
    "consent_state",
    "grant",
    "revoke",
    "select_story",
    "visible_stories",
]

NAME = "[NAME]"
POSTCODE = "[POSTCODE]"
MAX_STORY = 2_000

_NAME_WORD = r"[A-Z][a-z'\-]+"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD})?"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Madam)\.?"

# "Hi Sarah," / "Dear Mrs Patel -" / "Good morning John!" at the very start.
_GREETING = re.compile(
    rf"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|morning|evening)\b"
    rf"[ \t]*(?:(?:{_TITLE})\s+)?(?:{_FULL_NAME})?\s*[,!.:\-\u2013\u2014]*\s*",
    re.IGNORECASE,
)
# Sign-offs at the end, after a comma or line break:
# "Regards, Jo Bloggs" / "Thanks,\nSam" / "- Margaret".
_SIGN_OFF = re.compile(
    rf"(?:(?<=[.!?])|^|\n)\s*(?i:(?:kind |best |warm )?regards|thanks|thank you|many thanks|"
    rf"cheers|best wishes|yours(?: sincerely| faithfully)?|from|love)[ \t]*(?:,|\n)\s*"
    rf"(?:{_TITLE}\s+)?{_FULL_NAME}\s*\.?\s*$"
    rf"|\s*[\-\u2013\u2014]+\s*(?:{_TITLE}\s+)?{_FULL_NAME}\s*\.?\s*$",
)
# "my name is Jo Bloggs" / "this is Jo speaking" / "I'm Jo Bloggs from Leeds"
_INTRO = re.compile(
    rf"\b(my name is|my name's|this is|i am|i'm)\s+{_FULL_NAME}\b"
    r"(?=\s*(?:,|\.|!|$|speaking|from|and))",
    re.IGNORECASE,
)
_TITLED = re.compile(rf"\b{_TITLE}\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b")


class StoryError(ValueError):
    """A story or consent record that breaks a rule; the message says which."""


def _utc(v: datetime) -> datetime:
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)


def anonymise(text: str, *, names: Sequence[str] = ()) -> str:
    """The comment without the customer's personal data (see the module docstring).

    ``names`` are known names to replace wherever they appear (for example the
    customer's first and last name from the contact record), whole words,
    case-insensitive.
    """
    if not text:
        return ""
    out = redact(text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        out = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME, out, flags=re.IGNORECASE)
    out = _GREETING.sub("", out, count=1)
    out = _SIGN_OFF.sub("", out)
    out = _INTRO.sub(lambda m: f"{m.group(1)} {NAME}", out)
    out = _TITLED.sub(NAME, out)
    out = _POSTCODE.sub(POSTCODE, out)
    out = re.sub(r"[ \t]{2,}", " ", out).strip(" \t\n,;:-")
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return out


@dataclass(frozen=True, slots=True)
class Story:
    """A positive customer story a lead chose for the wall (text already anonymised)."""

    id: str
    interaction_id: str
    agent_id: str
    team: str | None
    text: str
    selected_by: str
    selected_at: datetime


def select_story(
    *,
    interaction_id: str,
    agent_id: str,
    comment: str,
    lead_id: str,
    at: datetime,
    team: str | None = None,
    team_lead: str | None = None,
    names: Sequence[str] = (),
) -> Story:
    """A lead picks a customer comment as a story; the text is anonymised here.

    ``team_lead``, when given, must equal ``lead_id`` (only the agent's own lead
    selects).  The id is stable for the same interaction and agent.
    """
    if not interaction_id or not interaction_id.strip():
        raise StoryError("a story must link the interaction it came from")
    if not agent_id or not agent_id.strip():
        raise StoryError("a story must name the agent it is about")
    if not lead_id or not lead_id.strip():
        raise StoryError("a story must be selected by a lead")
    if team_lead is not None and team_lead != lead_id:
        raise StoryError(f"only the team's lead ({team_lead}) can select stories about {agent_id}")
    text = anonymise(comment or "", names=names)
    if not text:
        raise StoryError("the comment is empty once personal data is removed; choose another")
    if len(text) > MAX_STORY:
        raise StoryError(f"the story is longer than {MAX_STORY} characters")
    sid = "story-" + hashlib.sha256(f"{interaction_id}\x1f{agent_id}".encode()).hexdigest()[:12]
    return Story(sid, interaction_id.strip(), agent_id.strip(), team, text, lead_id, _utc(at))


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    """The agent grants or revokes consent, for one story or (``story_id=None``) all of theirs."""

    agent_id: str
    granted: bool
    at: datetime
    story_id: str | None = None

    def __post_init__(self) -> None:
        if not self.agent_id or not self.agent_id.strip():
            raise StoryError("a consent record needs the agent's id")
        object.__setattr__(self, "at", _utc(self.at))

    def applies_to(self, story: Story) -> bool:
        return self.agent_id == story.agent_id and self.story_id in (None, story.id)


def grant(agent_id: str, at: datetime, story_id: str | None = None) -> ConsentEvent:
    return ConsentEvent(agent_id, True, at, story_id)


def revoke(agent_id: str, at: datetime, story_id: str | None = None) -> ConsentEvent:
    return ConsentEvent(agent_id, False, at, story_id)


def consent_state(
    story: Story, consents: Iterable[ConsentEvent], at: datetime | None = None
) -> ConsentEvent | None:
    """The event that decides whether ``story`` shows at ``at`` (default: the latest), or None.

    Events at the same instant: a revoke wins over a grant, and a story-specific
    event over a general one (the safer reading).
    """
    when = _utc(at) if at is not None else None
    relevant = [
        e for e in consents if e.applies_to(story) and (when is None or e.at <= when)
    ]
    if not relevant:
        return None
    return max(relevant, key=lambda e: (e.at, not e.granted, e.story_id is not None))


def visible_stories(
    stories: Iterable[Story],
    consents: Iterable[ConsentEvent],
    *,
    at: datetime | None = None,
    team: str | None = None,
) -> list[Story]:
    """Stories the agent has consented to show (and not revoked), newest selection first."""
    consents = list(consents)
    out = []
    for s in stories:
        if team is not None and s.team != team:
            continue
        decisive = consent_state(s, consents, at)
        if decisive is not None and decisive.granted:
            out.append(s)
    out.sort(key=lambda s: (-s.selected_at.timestamp(), s.id))
    return out
