"""Voice of the Agent: barriers raised and followed up, and feedback on leadership decisions.

Records and workflow rules only; storage and pages are built on top of them.

**Barriers.**  An agent raises a barrier (a category, free text, optionally a
link to an interaction as evidence), named or anonymous.  Colleagues add "me
too".  Leaders answer in a two-way thread, move the barrier along
``new -> acknowledged -> in progress -> resolved | won't fix`` (a reason is
required for won't fix), and only the author can confirm "resolved for me" --
or say it is not, which reopens it.  A response-time target (default five
working days) flags barriers nobody has answered in time, and resolved
barriers make up the "you said, we did" board.

**Anonymous means anonymous.**  An anonymous barrier does not store who raised
it: it keeps a keyed hash of (barrier id, agent id) -- enough to recognise the
author when they come back to the thread, useless for finding them.  The
thread shows the author as "the author" with a handle derived from the barrier
id alone (so two anonymous barriers cannot be linked), while the author sees
the name of every leader who answers.  An anonymous barrier cannot carry a
link to an interaction, because the interaction names its agent.  "Me too"
supporters are kept the same way and only ever counted.  The author's own
actions are dated to the day, not the minute, so they cannot be matched
against who was on shift or logged in at that moment.

**Leadership feedback.**  Agents rate (1-5) and comment on a leadership
decision anonymously; leaders see the aggregate through the same anonymity
gate and thresholds as the pulse, once the feedback window has closed, and
can post a response.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from heartline.people.anonymity import (
    AnonymityGate,
    Contribution,
    Hidden,
    Query,
    Thresholds,
)

#: Default response-time target, in working days (Monday to Friday).
DEFAULT_RESPONSE_DAYS = 5

Role = Literal["agent", "lead", "manager", "admin"]
LEADER_ROLES: frozenset[str] = frozenset({"lead", "manager", "admin"})


class BarrierError(ValueError):
    """A barrier action that is not allowed; the message says why (and never who raised it)."""


class InvalidTransition(BarrierError):
    """A status change the workflow does not allow."""


class Category(StrEnum):
    tools_tech = "tools_tech"
    policy = "policy"
    scripts = "scripts"
    knowledge_base = "knowledge_base"
    scheduling = "scheduling"
    leadership = "leadership"
    other = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.tools_tech: "tools and tech",
    Category.policy: "policy",
    Category.scripts: "scripts",
    Category.knowledge_base: "knowledge base",
    Category.scheduling: "scheduling",
    Category.leadership: "leadership",
    Category.other: "other",
}


class Status(StrEnum):
    new = "new"
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    resolved = "resolved"
    wont_fix = "wont_fix"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace("wont", "won't")


#: Where a leader may move a barrier from each status.  ``resolved`` goes back to
#: ``in_progress`` only when its author says it is not resolved for them.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.new: frozenset({Status.acknowledged, Status.wont_fix}),
    Status.acknowledged: frozenset({Status.in_progress, Status.wont_fix}),
    Status.in_progress: frozenset({Status.resolved, Status.wont_fix}),
    Status.resolved: frozenset(),
    Status.wont_fix: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever is acting: the signed-in person as the web layer knows them.

    The id and name stay out of ``repr``: an actor printed in a log or a
    traceback next to an anonymous barrier would give its author away.
    """

    id: str = field(repr=False)
    name: str = field(repr=False)
    role: Role = "agent"

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES


def _token(secret: str | bytes, purpose: str, barrier_id: str, person_id: str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    if not key:
        raise BarrierError("a non-empty secret is needed to protect anonymous authors")
    message = f"{purpose}\x1f{barrier_id}\x1f{person_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Message:
    """One entry of a barrier's thread.  ``name`` is None for an anonymous author."""

    role: Literal["author", "leader"]
    name: str | None
    leader_role: str | None
    text: str
    at: datetime
    leader_id: str | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    before: Status
    after: Status
    by: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """A thread message as one viewer sees it."""

    who: str
    text: str
    at: datetime
    mine: bool


@dataclass(slots=True)
class Barrier:
    """A barrier and its follow-up.  Build one with :func:`raise_barrier`."""

    id: str
    category: Category
    text: str
    raised_at: datetime
    anonymous: bool
    team: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    evidence_interaction_id: str | None = None
    status: Status = Status.new
    history: list[StatusChange] = field(default_factory=list)
    thread: list[Message] = field(default_factory=list)
    resolution: str | None = None
    resolved_at: datetime | None = None
    confirmed_by_author: bool | None = None
    first_response_at: datetime | None = None
    _author_token: str = field(default="", repr=False)
    _author_person: str = field(default="", repr=False)
    _supporters: set[str] = field(default_factory=set, repr=False)

    @property
    def handle(self) -> str:
        """An opaque name for the author of this barrier only."""
        return "author-" + hashlib.sha256(f"barrier\x1f{self.id}".encode()).hexdigest()[:6]

    @property
    def author_label(self) -> str:
        if self.anonymous:
            return f"the author ({self.handle})"
        return self.author_name or "the author"

    @property
    def me_too(self) -> int:
        return len(self._supporters)

    def voices(self) -> frozenset[str]:
        """Opaque keys of the author and everyone who said "me too".

        Used only to count distinct people across barriers (themes); the keys
        are keyed hashes and are never shown.
        """
        return frozenset({self._author_person, *self._supporters} - {""})

    def is_author(self, actor: Actor, secret: str | bytes) -> bool:
        return hmac.compare_digest(self._author_token, _token(secret, "author", self.id, actor.id))

    def public(self) -> dict[str, object]:
        """What any page, API or export may show about the barrier."""
        return {
            "id": self.id,
            "category": self.category.value,
            "category_label": self.category.label,
            "text": self.text,
            "team": self.team,
            "raised_at": self.raised_at.isoformat(),
            "anonymous": self.anonymous,
            "author": self.author_label,
            "evidence_interaction_id": self.evidence_interaction_id,
            "status": self.status.value,
            "me_too": self.me_too,
            "resolution": self.resolution,
            "confirmed_by_author": self.confirmed_by_author,
            "thread": [
                {
                    "who": _message_label(self, m),
                    "text": m.text,
                    "at": m.at.isoformat(),
                }
                for m in self.thread
            ],
        }


def _coarse(at: datetime) -> datetime:
    """The start of the day: when an anonymous author acted, to the day and no closer.

    An exact time could be matched against who was on shift or logged in.
    """
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def _message_label(barrier: Barrier, message: Message) -> str:
    if message.role == "author":
        return barrier.author_label
    return f"{message.name} ({message.leader_role})"


def raise_barrier(
    *,
    barrier_id: str,
    author: Actor,
    category: Category | str,
    text: str,
    at: datetime,
    secret: str | bytes,
    anonymous: bool = False,
    team: str | None = None,
    evidence_interaction_id: str | None = None,
) -> Barrier:
    """A new barrier.  For an anonymous one, nothing that names the author is kept."""
    if not barrier_id:
        raise BarrierError("a barrier needs an id")
    text = text.strip()
    if len(text) < 5:
        raise BarrierError("describe the barrier in a few words (at least 5 characters)")
    if len(text) > 4000:
        raise BarrierError("a barrier description is at most 4000 characters")
    try:
        category = Category(category)
    except ValueError:
        raise BarrierError(
            f"unknown category; use one of {', '.join(c.value for c in Category)}"
        ) from None
    if anonymous and evidence_interaction_id:
        raise BarrierError(
            "an anonymous barrier cannot link an interaction, because the interaction shows "
            "who handled it; quote the words that matter in the text instead"
        )
    return Barrier(
        id=barrier_id,
        category=category,
        text=text,
        raised_at=_coarse(at) if anonymous else at,
        anonymous=anonymous,
        team=team,
        author_id=None if anonymous else author.id,
        author_name=None if anonymous else author.name,
        evidence_interaction_id=evidence_interaction_id,
        _author_token=_token(secret, "author", barrier_id, author.id),
        _author_person=_token(secret, "person", "", author.id),
    )


def add_me_too(barrier: Barrier, actor: Actor, secret: str | bytes) -> int:
    """Add ``actor``'s "me too" (once); returns how many colleagues share the barrier."""
    if barrier.is_author(actor, secret):
        raise BarrierError("you raised this barrier; your voice is already counted")
    if barrier.status in (Status.resolved, Status.wont_fix):
        raise BarrierError("this barrier is closed; raise a new one if it is back")
    barrier._supporters.add(_token(secret, "person", "", actor.id))
    return barrier.me_too


def post_message(
    barrier: Barrier, actor: Actor, text: str, at: datetime, secret: str | bytes
) -> Message:
    """Write in the barrier's thread: the author (as "the author" if anonymous) or a leader."""
    text = text.strip()
    if not text:
        raise BarrierError("a message needs some text")
    if barrier.is_author(actor, secret):
        if barrier.anonymous:
            message = Message("author", None, None, text, _coarse(at))
        else:
            message = Message("author", barrier.author_name, None, text, at)
    elif actor.is_leader:
        message = Message("leader", actor.name, actor.role, text, at, actor.id)
        if barrier.first_response_at is None:
            barrier.first_response_at = at
    else:
        raise BarrierError("only the author of a barrier and leaders can write in its thread")
    barrier.thread.append(message)
    return message


def thread_view(barrier: Barrier, viewer: Actor, secret: str | bytes) -> list[ThreadEntry]:
    """The thread as ``viewer`` sees it: leaders by name, the author as the author."""
    viewer_is_author = barrier.is_author(viewer, secret)
    if not (viewer_is_author or viewer.is_leader):
        raise BarrierError("only the author of a barrier and leaders can read its thread")
    entries: list[ThreadEntry] = []
    for m in barrier.thread:
        mine = (m.role == "author" and viewer_is_author) or (
            m.role == "leader" and m.leader_id == viewer.id
        )
        who = "you" if mine and m.role == "author" else _message_label(barrier, m)
        entries.append(ThreadEntry(who, m.text, m.at, mine))
    return entries


def change_status(
    barrier: Barrier,
    actor: Actor,
    to: Status | str,
    at: datetime,
    *,
    reason: str | None = None,
) -> StatusChange:
    """Move a barrier along its workflow (leaders only).

    ``reason`` is required for won't fix; for resolved it is the "we did" line
    shown on the board.
    """
    if not actor.is_leader:
        raise BarrierError("only leads, managers and admins change a barrier's status")
    try:
        target = Status(to)
    except ValueError:
        raise InvalidTransition(
            f"unknown status; use one of {', '.join(s.value for s in Status)}"
        ) from None
    allowed = TRANSITIONS[barrier.status]
    if target not in allowed:
        options = ", ".join(s.label for s in sorted(allowed)) or "none (it is closed)"
        raise InvalidTransition(
            f"a barrier cannot go from {barrier.status.label} to {target.label}; "
            f"allowed next: {options}"
        )
    reason = (reason or "").strip() or None
    if target is Status.wont_fix and not reason:
        raise BarrierError("say why it won't be fixed: a reason is required")
    change = StatusChange(barrier.status, target, actor.name, at, reason)
    barrier.history.append(change)
    barrier.status = target
    if barrier.first_response_at is None:
        barrier.first_response_at = at
    if target in (Status.resolved, Status.wont_fix):
        barrier.resolution = reason
        barrier.resolved_at = at
        barrier.confirmed_by_author = None
    return change


def confirm_resolved(
    barrier: Barrier,
    actor: Actor,
    at: datetime,
    secret: str | bytes,
    *,
    resolved: bool = True,
    comment: str | None = None,
) -> Barrier:
    """The author says whether the fix worked for them.  Not resolved reopens it (in progress)."""
    if not barrier.is_author(actor, secret):
        raise BarrierError("only the author of a barrier can confirm it is resolved for them")
    if barrier.status is not Status.resolved:
        raise BarrierError(f"the barrier is {barrier.status.label}, not resolved")
    if comment and comment.strip():
        post_message(barrier, actor, comment, at, secret)
    if resolved:
        barrier.confirmed_by_author = True
    else:
        barrier.history.append(
            StatusChange(Status.resolved, Status.in_progress, barrier.author_label,
                         _coarse(at) if barrier.anonymous else at, "not resolved for the author")
        )
        barrier.status = Status.in_progress
        barrier.confirmed_by_author = False
        barrier.resolved_at = None
    return barrier


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """``days`` working days after ``start``, skipping Saturdays, Sundays and ``holidays``."""
    if days < 0:
        raise BarrierError("the response target must be zero or more working days")
    skip = set(holidays)
    current = start
    left = days
    while left:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in skip:
            left -= 1
    return current


def response_due(
    barrier: Barrier, *, target_days: int = DEFAULT_RESPONSE_DAYS, holidays: Iterable[date] = ()
) -> date:
    """The last day a first response (a reply or a status change) is due."""
    return add_working_days(barrier.raised_at.date(), target_days, holidays)


def is_overdue(
    barrier: Barrier,
    now: datetime,
    *,
    target_days: int = DEFAULT_RESPONSE_DAYS,
    holidays: Iterable[date] = (),
) -> bool:
    """No leader has responded and the due day has passed."""
    if barrier.first_response_at is not None:
        return False
    return now.date() > response_due(barrier, target_days=target_days, holidays=holidays)


def overdue(
    barriers: Iterable[Barrier],
    now: datetime,
    *,
    target_days: int = DEFAULT_RESPONSE_DAYS,
    holidays: Sequence[date] = (),
) -> list[Barrier]:
    """Barriers past the response target, oldest first (for the lead's and manager's pages)."""
    late = [b for b in barriers if is_overdue(b, now, target_days=target_days, holidays=holidays)]
    return sorted(late, key=lambda b: (b.raised_at, b.id))


@dataclass(frozen=True, slots=True)
class YouSaidWeDid:
    barrier_id: str
    category: Category
    you_said: str
    we_did: str
    resolved_on: date
    confirmed_by_author: bool
    me_too: int


def you_said_we_did(
    barriers: Iterable[Barrier], *, confirmed_only: bool = False
) -> list[YouSaidWeDid]:
    """Resolved barriers for the board, newest first.

    "We did" is the resolution note, or else the last leader message.  With
    ``confirmed_only`` only barriers whose author confirmed the fix are shown.
    """
    rows: list[YouSaidWeDid] = []
    for b in barriers:
        if b.status is not Status.resolved or b.resolved_at is None:
            continue
        if confirmed_only and not b.confirmed_by_author:
            continue
        leader_lines = [m.text for m in b.thread if m.role == "leader"]
        we_did = b.resolution or (leader_lines[-1] if leader_lines else "Resolved.")
        rows.append(
            YouSaidWeDid(
                b.id, b.category, b.text, we_did, b.resolved_at.date(),
                bool(b.confirmed_by_author), b.me_too,
            )
        )
    return sorted(rows, key=lambda r: (r.resolved_on, r.barrier_id), reverse=True)


# --- leadership feedback ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeaderResponse:
    name: str
    role: str
    text: str
    at: datetime


@dataclass(slots=True)
class LeadershipDecision:
    """A decision or behaviour of leadership that agents are asked to rate."""

    id: str
    title: str
    announced_on: date
    closes_on: date
    description: str = ""
    responses: list[LeaderResponse] = field(default_factory=list)

    def is_open(self, today: date) -> bool:
        return self.announced_on <= today <= self.closes_on


def leadership_decision(
    decision_id: str,
    title: str,
    announced_on: date,
    *,
    description: str = "",
    feedback_days: int = 14,
) -> LeadershipDecision:
    """A decision open for feedback for ``feedback_days`` calendar days (default 14)."""
    if not title.strip():
        raise BarrierError("a leadership decision needs a title")
    if feedback_days < 1:
        raise BarrierError("feedback needs to stay open at least one day")
    return LeadershipDecision(
        decision_id, title.strip(), announced_on,
        announced_on + timedelta(days=feedback_days - 1), description,
    )


@dataclass(frozen=True, slots=True)
class DecisionFeedback:
    """One agent's anonymous rating of a decision.  The key, rating and comment stay out of repr."""

    decision_id: str
    respondent: str = field(repr=False)
    team: str = ""
    day: date = date.min
    rating: int = field(default=0, repr=False)
    comment: str | None = field(default=None, repr=False)
    tenure: str = "unknown"
    shift: str = "unknown"

    def contribution(self) -> Contribution:
        return Contribution(
            respondent=self.respondent,
            team=self.team,
            day=self.day,
            tenure=self.tenure,
            shift=self.shift,
            scores={"rating": float(self.rating)},
            comment=self.comment,
        )


def rate_decision(
    decision: LeadershipDecision,
    *,
    respondent: str,
    team: str,
    day: date,
    rating: int,
    comment: str | None = None,
    tenure: str = "unknown",
    shift: str = "unknown",
) -> DecisionFeedback:
    """An agent's rating (1 = disagree strongly ... 5 = agree strongly) while feedback is open.

    ``respondent`` is an opaque key (``anonymity.respondent_key`` with
    ``purpose="leadership"``).
    """
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise BarrierError("a rating is a whole number from 1 to 5")
    if not decision.is_open(day):
        raise BarrierError(
            f"feedback on this decision is open from {decision.announced_on} "
            f"to {decision.closes_on}"
        )
    return DecisionFeedback(
        decision.id, respondent, team, day, rating,
        comment.strip() if comment and comment.strip() else None, tenure, shift,
    )


def respond_to_feedback(
    decision: LeadershipDecision, leader: Actor, text: str, at: datetime
) -> LeaderResponse:
    """A leader's public answer to the feedback on a decision."""
    if not leader.is_leader:
        raise BarrierError("only leads, managers and admins can respond for leadership")
    if not text.strip():
        raise BarrierError("a response needs some text")
    response = LeaderResponse(leader.name, leader.role, text.strip(), at)
    decision.responses.append(response)
    return response


def _rating_figures(by_key: Mapping[str, Sequence[float]]) -> dict[str, object]:
    ratings = list(by_key["rating"])
    n = len(ratings)
    return {
        "mean_rating": round(sum(ratings) / n, 2),
        "agree_pct": round(sum(r >= 4 for r in ratings) / n * 100, 1),
        "disagree_pct": round(sum(r <= 2 for r in ratings) / n * 100, 1),
    }


def decision_summary(
    decision: LeadershipDecision,
    feedback: Iterable[DecisionFeedback],
    today: date,
    *,
    query: Query | None = None,
    min_scores: int = 5,
    min_comments: int = 10,
    viewer: str | None = None,
) -> dict[str, object]:
    """What leaders see: the aggregate (or hidden), comments (or hidden) and their responses.

    Results appear once the feedback window has closed, so a figure cannot be
    watched changing as single ratings arrive.
    """
    thresholds = Thresholds(min_scores, min_comments)
    header = {
        "id": decision.id,
        "title": decision.title,
        "announced_on": decision.announced_on.isoformat(),
        "closes_on": decision.closes_on.isoformat(),
    }
    responses = [
        {"name": r.name, "role": r.role, "text": r.text, "at": r.at.isoformat()}
        for r in decision.responses
    ]
    if today <= decision.closes_on:
        waiting = Hidden(f"feedback is open until {decision.closes_on}; results appear after")
        return {"decision": header, "ratings": waiting.to_dict(),
                "comments": waiting.to_dict(), "responses": responses}
    gate = AnonymityGate(
        (f.contribution() for f in feedback if f.decision_id == decision.id),
        thresholds=thresholds,
        viewer=viewer,
    )
    q = query or Query()
    return {
        "decision": header,
        "ratings": gate.scores(q, _rating_figures).to_dict(),
        "comments": gate.comments(q).to_dict(),
        "responses": responses,
    }
