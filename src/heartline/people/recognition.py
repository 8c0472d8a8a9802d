"""Recognition: peer recognition records, the monthly Empathy MVP, effort and fairness.

Everything here is a pure function over plain records: recognitions, the
contacts each agent handled (with the analysis engine's ``difficulty`` and glow
moments), customer comments already classified by :mod:`heartline.people.praise`,
and shifts.  Nothing is read from a database or from settings; the tunable
numbers are keyword parameters whose defaults are documented here and in
``docs/recognition.md``.

Empathy MVP (one per team per calendar month)
---------------------------------------------
For each agent *a* of the team who handled at least one contact in the month:

* ``contacts``  n_a: contacts the agent handled that month;
* ``peer``      P_a: **distinct people** who recognised the agent that month with a
  recognition tagged ``empathy`` (ten notes from one friend count once);
* ``customer``  C_a: comments classified ``empathy_praise`` on contacts the agent
  handled that month;
* ``glow``      G_a: glow moments in the analyses of those contacts.

Customer praise and glow moments grow with volume, so they become rates over
``max(n_a, min_contacts)`` (default ``min_contacts = 20``; the floor stops an
agent with two contacts and one kind comment from outranking everyone).
Peer recognition does not grow with volume and stays a count.  Each of the
three figures is divided by the team's highest value of that figure (0 when
nobody in the team has any), and the score is the weighted sum::

    score_a = 0.40 * P_a / max P
            + 0.35 * (C_a / max(n_a, 20)) / max(C / max(n, 20))
            + 0.25 * (G_a / max(n_a, 20)) / max(G / max(n, 20))

(weights ``peer=0.40, customer=0.35, glow=0.25``; any non-negative weights are
rescaled to sum to 1).  The winner has the highest score; nobody wins with a
score of 0.  Scores equal to 9 decimals are a tie, broken in this order:

1. fewer Empathy MVP titles in ``history`` (spreads the title around);
2. the longer time since the last title (never beats any date);
3. a per-month lottery: the lowest SHA-256 of ``"team|YYYY-MM|agent_id"``.  It is
   deterministic and reproducible, favours no name or id (unlike alphabetical
   order) and changes from month to month.

The result lists every candidate's components and a plain-language explanation;
a lead confirms it with :meth:`MvpResult.confirm`.  ``hardest_load`` lists the
agents who carried the heaviest contacts that month (effort counts, not only
the top score) and :func:`hard_day_suggestions` proposes a "hard day"
acknowledgement to a lead after a heavy shift.  Both read workload only, never
an agent's feelings.

Fairness
--------
:func:`fairness_report` gives, for one team and window (default the last 60
days): what each member gave and received, members not recognised in the last
60 days, what each leader gave and how much of the team it reached, and the
concentration of recognition received across *all* members (zeros included):
the Gini coefficient ``sum_i sum_j |x_i - x_j| / (2 n^2 mean)`` and the share
received by the top 20% of members (``ceil(0.2 n)`` people).  A warning is raised
when at least ``min_recognitions`` (default 5) were given and the Gini is above
0.5 or the top-20% share above 0.6.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

__all__ = [
    "DEFAULT_VALUES",
    "Concentration",
    "CustomerPraise",
    "EffortEntry",
    "FairnessReport",
    "HandledContact",
    "HardDaySuggestion",
    "LeaderCount",
    "MvpCandidate",
    "MvpResult",
    "MvpWeights",
    "PersonCount",
    "Recognition",
    "RecognitionError",
    "concentration",
    "contacts_from",
    "empathy_mvp",
    "fairness_report",
    "gini",
    "hard_day_suggestions",
    "hardest_load",
    "month_bounds",
    "recognise",
    "top_share",
    "validate_values",
]

#: The default recognition values (configurable per organisation).
DEFAULT_VALUES: tuple[str, ...] = ("empathy", "teamwork", "creativity", "resilience", "learning")
EMPATHY_VALUE = "empathy"
MAX_MESSAGE = 2_000
_VALUE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class RecognitionError(ValueError):
    """A recognition, MVP confirmation or story that breaks a rule; the message says which."""


def _utc(v: datetime) -> datetime:
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


# --------------------------------------------------------------------------- records


def validate_values(
    values: Iterable[str], allowed: Sequence[str] = DEFAULT_VALUES
) -> tuple[str, ...]:
    """Normalise value tags (trimmed, lower case, de-duplicated, in the order given).

    Raises :class:`RecognitionError` for no tags or tags outside ``allowed``.
    """
    allowed_set = {a.strip().lower() for a in allowed}
    if not allowed_set:
        raise RecognitionError("the list of recognition values is empty")
    bad_names = sorted(a for a in allowed_set if not _VALUE_NAME.match(a))
    if bad_names:
        raise RecognitionError(
            f"invalid value name(s) in the configured list: {', '.join(bad_names)}"
        )
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        tag = str(v).strip().lower()
        if tag and tag not in out:
            out.append(tag)
    if not out:
        raise RecognitionError("a recognition needs at least one value tag")
    unknown = [t for t in out if t not in allowed_set]
    if unknown:
        raise RecognitionError(
            f"unknown value tag(s): {', '.join(unknown)}; "
            f"allowed: {', '.join(a.strip().lower() for a in allowed)}"
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Recognition:
    """Someone (agent or lead) recognises a colleague for living a value.

    Build it with :func:`recognise`, which also checks the tags against the
    organisation's list; the constructor checks the rest.
    """

    id: str
    giver_id: str
    receiver_id: str
    message: str
    values: tuple[str, ...]
    given_at: datetime
    interaction_id: str | None = None

    def __post_init__(self) -> None:
        if not self.giver_id or not self.giver_id.strip():
            raise RecognitionError("a recognition needs a giver")
        if not self.receiver_id or not self.receiver_id.strip():
            raise RecognitionError("a recognition needs a receiver")
        if self.giver_id.strip() == self.receiver_id.strip():
            raise RecognitionError("you cannot recognise yourself; recognise a colleague")
        if not self.message or not self.message.strip():
            raise RecognitionError("the recognition message is empty; say what they did")
        if len(self.message) > MAX_MESSAGE:
            raise RecognitionError(
                f"the recognition message is longer than {MAX_MESSAGE} characters"
            )
        if not self.values:
            raise RecognitionError("a recognition needs at least one value tag")
        if self.interaction_id is not None and not self.interaction_id.strip():
            raise RecognitionError("the interaction link is blank; leave it out or give an id")
        object.__setattr__(self, "given_at", _utc(self.given_at))

    @property
    def for_empathy(self) -> bool:
        return EMPATHY_VALUE in self.values


def recognise(
    giver_id: str,
    receiver_id: str,
    message: str,
    values: Iterable[str],
    *,
    given_at: datetime,
    interaction_id: str | None = None,
    allowed_values: Sequence[str] = DEFAULT_VALUES,
    id: str | None = None,
) -> Recognition:
    """Create a validated :class:`Recognition`.

    ``allowed_values`` is the organisation's list (default :data:`DEFAULT_VALUES`);
    unknown tags are refused with a message listing the allowed ones.  The id
    defaults to a hash of giver, receiver, time and message (stable on re-import).
    """
    tags = validate_values(values, allowed_values)
    msg = (message or "").strip()
    giver, receiver = (giver_id or "").strip(), (receiver_id or "").strip()
    link = interaction_id.strip() if isinstance(interaction_id, str) else None
    when = _utc(given_at)
    rid = id or "rec-" + hashlib.sha256(
        f"{giver}\x1f{receiver}\x1f{when.isoformat()}\x1f{msg}".encode()
    ).hexdigest()[:16]
    return Recognition(rid, giver, receiver, msg, tags, when, link or None)


@dataclass(frozen=True, slots=True)
class HandledContact:
    """One contact an agent handled, with what the analysis engine said about it."""

    interaction_id: str
    agent_id: str
    started_at: datetime
    difficulty: float | None = None
    glow_moments: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "started_at", _utc(self.started_at))


@dataclass(frozen=True, slots=True)
class CustomerPraise:
    """A classified survey comment on one contact (label from :mod:`heartline.people.praise`)."""

    interaction_id: str
    agent_id: str
    label: str


def contacts_from(
    interactions: Iterable[Any], analyses: Mapping[str, Any] | None = None
) -> list[HandledContact]:
    """Join interactions (``id``, ``agent_id``, ``started_at``) with their analyses.

    ``analyses`` maps interaction id to the engine's output, as a dict or an
    object with ``difficulty`` (0..100) and ``moments`` (items with
    ``kind`` = ``glow`` | ``growth``).  Interactions without an agent or a start
    time are skipped; a missing analysis gives ``difficulty=None`` and no glow.
    """
    analyses = analyses or {}
    out: list[HandledContact] = []
    for it in interactions:
        iid, agent, started = _get(it, "id"), _get(it, "agent_id"), _get(it, "started_at")
        if not iid or not agent or started is None:
            continue
        a = analyses.get(iid)
        difficulty = _get(a, "difficulty") if a is not None else None
        moments = (_get(a, "moments") or []) if a is not None else []
        glow = sum(1 for m in moments if _get(m, "kind") == "glow")
        out.append(
            HandledContact(
                iid, agent, started, float(difficulty) if difficulty is not None else None, glow
            )
        )
    return out


# --------------------------------------------------------------------------- months


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """``[start, end)`` of a calendar month in UTC."""
    if not 1 <= month <= 12:
        raise RecognitionError(f"month must be 1..12, not {month}")
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def _in(ts: datetime, start: datetime, end: datetime) -> bool:
    return start <= _utc(ts) < end


# --------------------------------------------------------------------------- Empathy MVP


@dataclass(frozen=True, slots=True)
class MvpWeights:
    """Weights of the three components (rescaled to sum to 1)."""

    peer: float = 0.40
    customer: float = 0.35
    glow: float = 0.25

    def normalised(self) -> MvpWeights:
        for name in ("peer", "customer", "glow"):
            v = getattr(self, name)
            if not math.isfinite(v) or v < 0:
                raise RecognitionError(f"MVP weight {name} must be a non-negative number, not {v}")
        total = self.peer + self.customer + self.glow
        if total <= 0:
            raise RecognitionError("at least one MVP weight must be positive")
        return MvpWeights(self.peer / total, self.customer / total, self.glow / total)


@dataclass(frozen=True, slots=True)
class MvpCandidate:
    """One agent's figures for the month and how they became a score."""

    agent_id: str
    contacts: int
    peer_recognisers: int
    empathy_comments: int
    glow_moments: int
    customer_rate: float
    glow_rate: float
    peer_component: float
    customer_component: float
    glow_component: float
    score: float
    rank: int
    recognition_ids: tuple[str, ...] = ()
    comment_interaction_ids: tuple[str, ...] = ()

    def why(self, weights: MvpWeights, name: str | None = None) -> str:
        who = f"{name} ({self.agent_id})" if name else self.agent_id
        return (
            f"{who}: score {self.score:.3f} = "
            f"{weights.peer:.2f} x {self.peer_component:.3f} peer "
            f"({self.peer_recognisers} colleague(s) recognised their empathy) + "
            f"{weights.customer:.2f} x {self.customer_component:.3f} customer "
            f"({self.empathy_comments} empathy comment(s) over {self.contacts} contact(s)) + "
            f"{weights.glow:.2f} x {self.glow_component:.3f} glow "
            f"({self.glow_moments} glow moment(s) over {self.contacts} contact(s))"
        )


@dataclass(frozen=True, slots=True)
class EffortEntry:
    """How heavy an agent's contacts were in a period (workload, never feelings)."""

    agent_id: str
    contacts: int
    heavy_contacts: int
    mean_difficulty: float
    total_difficulty: float


@dataclass(frozen=True, slots=True)
class MvpResult:
    """The month's Empathy MVP for a team, with the evidence and the lead's confirmation."""

    team: str
    month: str
    winner_id: str | None
    candidates: tuple[MvpCandidate, ...]
    weights: MvpWeights
    explanation: str
    tie_break: str | None = None
    hardest_load: tuple[EffortEntry, ...] = ()
    not_eligible: tuple[str, ...] = ()
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None

    def candidate(self, agent_id: str) -> MvpCandidate:
        for c in self.candidates:
            if c.agent_id == agent_id:
                return c
        raise KeyError(agent_id)

    def confirm(self, lead_id: str, at: datetime, *, team_lead: str | None = None) -> MvpResult:
        """The lead confirms the winner.  ``team_lead``, when given, must be ``lead_id``."""
        if self.winner_id is None:
            raise RecognitionError(
                f"there is no Empathy MVP to confirm for {self.team} {self.month}"
            )
        if self.confirmed:
            raise RecognitionError(
                f"the {self.team} {self.month} Empathy MVP was already confirmed "
                f"by {self.confirmed_by}"
            )
        if not lead_id or not lead_id.strip():
            raise RecognitionError("a confirmation needs the lead who confirms")
        if team_lead is not None and lead_id != team_lead:
            raise RecognitionError(
                f"only the lead of {self.team} ({team_lead}) can confirm its MVP"
            )
        return replace(self, confirmed_by=lead_id, confirmed_at=_utc(at))


def _lottery(team: str, month: str, agent_id: str) -> str:
    return hashlib.sha256(f"{team}|{month}|{agent_id}".encode()).hexdigest()


def empathy_mvp(
    team: str,
    members: Sequence[str],
    year: int,
    month: int,
    *,
    contacts: Iterable[HandledContact],
    recognitions: Iterable[Recognition] = (),
    customer_praise: Iterable[CustomerPraise] = (),
    weights: MvpWeights = MvpWeights(),
    min_contacts: int = 20,
    history: Iterable[tuple[str, str]] = (),
    heavy_threshold: float = 67.0,
    top_effort: int = 3,
    names: Mapping[str, str] | None = None,
) -> MvpResult:
    """Compute one team's Empathy MVP for a month (formula in the module docstring).

    ``members`` are the team's agent ids; ``contacts`` the contacts handled (any
    team, any month: they are filtered); ``customer_praise`` classified comments
    (only ``empathy_praise`` on the agent's own contacts of the month counts);
    ``history`` earlier titles as ``(month "YYYY-MM", agent_id)`` for this team,
    used only to break ties.  ``heavy_threshold`` (default 67, the engine's
    "high" difficulty band) and ``top_effort`` shape the hardest-load list.
    """
    if min_contacts < 1:
        raise RecognitionError("min_contacts must be at least 1")
    w = weights.normalised()
    start, end = month_bounds(year, month)
    label = f"{year:04d}-{month:02d}"
    names = names or {}
    member_set = list(dict.fromkeys(members))

    month_contacts: dict[str, list[HandledContact]] = defaultdict(list)
    for c in contacts:
        if c.agent_id in member_set and _in(c.started_at, start, end):
            month_contacts[c.agent_id].append(c)
    owner = {c.interaction_id: a for a, cs in month_contacts.items() for c in cs}

    peers: dict[str, dict[str, str]] = defaultdict(dict)  # receiver -> giver -> first rec id
    for r in sorted(recognitions, key=lambda r: (r.given_at, r.id)):
        if r.receiver_id in member_set and r.for_empathy and _in(r.given_at, start, end):
            peers[r.receiver_id].setdefault(r.giver_id, r.id)

    comments: dict[str, list[str]] = defaultdict(list)
    for p in customer_praise:
        if p.label == "empathy_praise" and owner.get(p.interaction_id) == p.agent_id:
            comments[p.agent_id].append(p.interaction_id)

    eligible = [a for a in member_set if month_contacts.get(a)]
    not_eligible = tuple(a for a in member_set if not month_contacts.get(a))
    raw = {}
    for a in eligible:
        n = len(month_contacts[a])
        denom = max(n, min_contacts)
        glow = sum(c.glow_moments for c in month_contacts[a])
        raw[a] = (n, len(peers[a]), len(comments[a]), glow, len(comments[a]) / denom, glow / denom)
    max_peer = max((v[1] for v in raw.values()), default=0)
    max_cust = max((v[4] for v in raw.values()), default=0.0)
    max_glow = max((v[5] for v in raw.values()), default=0.0)

    prior_wins: dict[str, list[str]] = defaultdict(list)
    for m, a in history:
        if m < label:
            prior_wins[a].append(m)

    scored = []
    for a in eligible:
        n, p, cm, g, cr, gr = raw[a]
        pc = p / max_peer if max_peer else 0.0
        cc = cr / max_cust if max_cust else 0.0
        gc = gr / max_glow if max_glow else 0.0
        score = round(w.peer * pc + w.customer * cc + w.glow * gc, 9)
        scored.append((a, n, p, cm, g, cr, gr, pc, cc, gc, score))

    def order(row: tuple) -> tuple:
        a, score = row[0], row[-1]
        wins = prior_wins.get(a, [])
        last = max(wins) if wins else ""
        return (-score, len(wins), last, _lottery(team, label, a))

    scored.sort(key=order)
    candidates = tuple(
        MvpCandidate(
            agent_id=a, contacts=n, peer_recognisers=p, empathy_comments=cm, glow_moments=g,
            customer_rate=cr, glow_rate=gr, peer_component=pc, customer_component=cc,
            glow_component=gc, score=score, rank=i + 1,
            recognition_ids=tuple(sorted(peers[a].values())),
            comment_interaction_ids=tuple(sorted(comments[a])),
        )
        for i, (a, n, p, cm, g, cr, gr, pc, cc, gc, score) in enumerate(scored)
    )  # fmt: skip

    winner = candidates[0] if candidates and candidates[0].score > 0 else None
    tie_break = None
    if winner is not None:
        tied = [c for c in candidates if c.score == winner.score]
        if len(tied) > 1:
            tie_break = _describe_tie(tied, prior_wins, team, label)
    effort = hardest_load(
        [c for cs in month_contacts.values() for c in cs],
        heavy_threshold=heavy_threshold,
        top=top_effort,
    )
    explanation = _explain(team, label, winner, candidates, w, tie_break, not_eligible, names)
    return MvpResult(
        team=team,
        month=label,
        winner_id=winner.agent_id if winner else None,
        candidates=candidates,
        weights=w,
        explanation=explanation,
        tie_break=tie_break,
        hardest_load=tuple(effort),
        not_eligible=not_eligible,
    )


def _describe_tie(
    tied: list[MvpCandidate], prior_wins: Mapping[str, list[str]], team: str, label: str
) -> str:
    ids = ", ".join(c.agent_id for c in tied)
    wins = [len(prior_wins.get(c.agent_id, [])) for c in tied]
    if wins[0] < wins[1]:
        return f"tie on score between {ids}: {tied[0].agent_id} has fewer earlier MVP titles"
    lasts = [max(prior_wins.get(c.agent_id, [""]) or [""]) for c in tied]
    if lasts[0] < lasts[1]:
        since = f"last title {lasts[0]}" if lasts[0] else "never MVP before"
        return f"tie on score between {ids}: {tied[0].agent_id} waited longest ({since})"
    return (
        f"tie on score between {ids}: drawn by the per-month lottery "
        f"(lowest SHA-256 of '{team}|{label}|agent')"
    )


def _explain(
    team: str,
    label: str,
    winner: MvpCandidate | None,
    candidates: Sequence[MvpCandidate],
    w: MvpWeights,
    tie_break: str | None,
    not_eligible: Sequence[str],
    names: Mapping[str, str],
) -> str:
    if not candidates:
        return f"No agent of {team} handled a contact in {label}, so there is no Empathy MVP."
    if winner is None:
        return (
            f"No Empathy MVP for {team} in {label}: nobody received an empathy recognition, "
            "an empathy-focused customer comment or a glow moment."
        )
    lines = [
        f"Empathy MVP for {team}, {label}: {names.get(winner.agent_id, winner.agent_id)}.",
        "Why: " + winner.why(w, names.get(winner.agent_id)),
    ]
    if len(candidates) > 1:
        second = candidates[1]
        lines.append(
            f"Next: {names.get(second.agent_id, second.agent_id)} with {second.score:.3f}."
        )
    if tie_break:
        lines.append(f"Tie-break: {tie_break}.")
    if not_eligible:
        lines.append(f"Not eligible (no contacts this month): {', '.join(not_eligible)}.")
    lines.append(
        "Customer comments and glow moments are rates per contact (at least 20 assumed), "
        "so volume alone does not win; each component is scaled to the team's best."
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- effort


def hardest_load(
    contacts: Iterable[HandledContact], *, heavy_threshold: float = 67.0, top: int = 3
) -> list[EffortEntry]:
    """Agents who carried the most heavy contacts (difficulty >= ``heavy_threshold``).

    Ordered by heavy contacts, then total difficulty, then agent id; agents with
    no heavy contact are left out; at most ``top`` entries.  Contacts without a
    difficulty are counted as contacts but add no load.
    """
    by_agent: dict[str, list[HandledContact]] = defaultdict(list)
    for c in contacts:
        by_agent[c.agent_id].append(c)
    entries = []
    for a, cs in by_agent.items():
        diffs = [c.difficulty for c in cs if c.difficulty is not None]
        heavy = sum(1 for d in diffs if d >= heavy_threshold)
        if heavy == 0:
            continue
        total = float(sum(diffs))
        entries.append(EffortEntry(a, len(cs), heavy, total / len(diffs), total))
    entries.sort(key=lambda e: (-e.heavy_contacts, -e.total_difficulty, e.agent_id))
    return entries[: max(0, top)]


@dataclass(frozen=True, slots=True)
class HardDaySuggestion:
    """A suggestion to a lead: acknowledge an agent's heavy shift."""

    agent_id: str
    lead_id: str | None
    day: date
    contacts: int
    heavy_contacts: int
    heavy_interaction_ids: tuple[str, ...]
    longest_heavy_run: int
    mean_difficulty: float
    overtime_minutes: float
    reasons: tuple[str, ...]
    message: str


def hard_day_suggestions(
    shifts: Iterable[Any],
    contacts: Iterable[HandledContact],
    *,
    lead_of: Mapping[str, str] | None = None,
    heavy_threshold: float = 67.0,
    min_heavy: int = 3,
    heavy_mean: float = 60.0,
    min_contacts_for_mean: int = 4,
    names: Mapping[str, str] | None = None,
) -> list[HardDaySuggestion]:
    """Shifts after which a lead could acknowledge a hard day.

    A shift (``agent_id``, ``day``, ``start``, ``end``, optional
    ``overtime_minutes``) is a hard day when, among the contacts the agent
    started during it, at least ``min_heavy`` (default 3) had difficulty
    ``>= heavy_threshold`` (default 67), or at least ``min_contacts_for_mean``
    (default 4) averaged ``>= heavy_mean`` (default 60).  ``lead_of`` maps agent
    id to their lead.  Ordered by day, then heavy contacts (most first), then
    agent id.  Only workload is read: the message never guesses feelings.
    """
    names = names or {}
    lead_of = lead_of or {}
    by_agent: dict[str, list[HandledContact]] = defaultdict(list)
    for c in contacts:
        by_agent[c.agent_id].append(c)
    for cs in by_agent.values():
        cs.sort(key=lambda c: (c.started_at, c.interaction_id))
    out: list[HardDaySuggestion] = []
    for s in shifts:
        agent = _get(s, "agent_id")
        start, end = _utc(_get(s, "start")), _utc(_get(s, "end"))
        during = [c for c in by_agent.get(agent, []) if start <= c.started_at <= end]
        diffs = [c.difficulty for c in during if c.difficulty is not None]
        if not diffs:
            continue
        heavy_ids = tuple(
            c.interaction_id
            for c in during
            if c.difficulty is not None and c.difficulty >= heavy_threshold
        )
        run = best = 0
        for c in during:
            run = run + 1 if c.difficulty is not None and c.difficulty >= heavy_threshold else 0
            best = max(best, run)
        mean = sum(diffs) / len(diffs)
        reasons = []
        if len(heavy_ids) >= min_heavy:
            reasons.append(
                f"{len(heavy_ids)} high-difficulty contacts (difficulty >= {heavy_threshold:g})"
            )
        if len(diffs) >= min_contacts_for_mean and mean >= heavy_mean:
            reasons.append(f"average difficulty {mean:.0f} over {len(diffs)} contacts")
        if not reasons:
            continue
        overtime = float(_get(s, "overtime_minutes") or 0.0)
        day = _get(s, "day") or start.date()
        who = names.get(agent, agent)
        detail = f"{len(heavy_ids)} of them very demanding" if heavy_ids else "a demanding mix"
        run_note = f", {best} back to back" if best >= 2 else ""
        ot_note = f" and stayed {overtime:.0f} minutes over" if overtime > 0 else ""
        message = (
            f"{who} handled {len(during)} contacts on {day:%a %d %b} "
            f"({detail}{run_note}){ot_note}. "
            "A word of thanks for carrying a hard day could mean a lot."
        )
        out.append(
            HardDaySuggestion(
                agent_id=agent, lead_id=lead_of.get(agent), day=day, contacts=len(during),
                heavy_contacts=len(heavy_ids), heavy_interaction_ids=heavy_ids,
                longest_heavy_run=best, mean_difficulty=mean, overtime_minutes=overtime,
                reasons=tuple(reasons), message=message,
            )
        )  # fmt: skip
    out.sort(key=lambda h: (h.day, -h.heavy_contacts, h.agent_id))
    return out


# --------------------------------------------------------------------------- fairness


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 = all equal, (n-1)/n = one person has all."""
    xs = [float(v) for v in values]
    if any(v < 0 for v in xs):
        raise RecognitionError("the Gini coefficient needs non-negative values")
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    xs.sort()
    # sum_i sum_j |x_i - x_j| = 2 * sum_i (2i - n - 1) x_i for x sorted ascending, i = 1..n
    pair_sum = 2 * sum((2 * i - n - 1) * x for i, x in enumerate(xs, 1))
    return pair_sum / (2 * n * n * (total / n))


def top_share(values: Sequence[float], fraction: float = 0.2) -> float:
    """Share of the total held by the top ``ceil(fraction * n)`` values (0 when the total is 0)."""
    xs = sorted((float(v) for v in values), reverse=True)
    total = sum(xs)
    if not xs or total == 0:
        return 0.0
    k = max(1, math.ceil(fraction * len(xs) - 1e-9))
    return sum(xs[:k]) / total


@dataclass(frozen=True, slots=True)
class Concentration:
    gini: float
    top20_share: float
    top20_people: int
    total: int
    warning: bool
    reason: str | None


def concentration(
    received: Sequence[int],
    *,
    gini_threshold: float = 0.5,
    top_share_threshold: float = 0.6,
    min_recognitions: int = 5,
) -> Concentration:
    """Concentration of recognition received across all members (zeros included)."""
    g = gini(received)
    share = top_share(received, 0.2)
    total = int(sum(received))
    k = max(1, math.ceil(0.2 * len(received) - 1e-9)) if received else 0
    reasons = []
    if total >= min_recognitions:
        if g > gini_threshold:
            reasons.append(f"Gini {g:.2f} is above {gini_threshold:g}")
        if share > top_share_threshold:
            reasons.append(
                f"the top {k} of {len(received)} people received {share:.0%} "
                f"(above {top_share_threshold:.0%})"
            )
    reason = (
        "recognition is concentrating on a few people: " + "; ".join(reasons) if reasons else None
    )
    return Concentration(g, share, k, total, bool(reasons), reason)


@dataclass(frozen=True, slots=True)
class PersonCount:
    agent_id: str
    given: int
    received: int
    distinct_givers: int
    last_received: datetime | None


@dataclass(frozen=True, slots=True)
class LeaderCount:
    leader_id: str
    given: int
    distinct_receivers: int
    reach: float


@dataclass(frozen=True, slots=True)
class FairnessReport:
    team: str
    since: datetime
    until: datetime
    total: int
    people: tuple[PersonCount, ...]
    not_recognised: tuple[tuple[str, datetime | None], ...]
    leaders: tuple[LeaderCount, ...]
    concentration: Concentration
    values: dict[str, int] = field(default_factory=dict)


def fairness_report(
    team: str,
    members: Sequence[str],
    recognitions: Iterable[Recognition],
    *,
    as_of: datetime,
    leaders: Sequence[str] = (),
    window_days: int = 60,
    unrecognised_days: int = 60,
    gini_threshold: float = 0.5,
    top_share_threshold: float = 0.6,
    min_recognitions: int = 5,
) -> FairnessReport:
    """Who gives and receives recognition in a team, who is missed, what leaders give.

    The window is ``(as_of - window_days, as_of]``.  ``received`` counts the
    recognitions each member received from anyone; ``given`` what they gave to
    anyone.  ``not_recognised`` lists members with nothing received in the last
    ``unrecognised_days`` (with the date of their last recognition, if any, from
    all the recognitions passed in).  ``leaders`` get what they gave to members
    and their *reach*: the share of the team they recognised at least once.
    ``values`` counts the value tags on recognitions received by members.
    """
    asof = _utc(as_of)
    since = asof - timedelta(days=window_days)
    missed_since = asof - timedelta(days=unrecognised_days)
    members = list(dict.fromkeys(members))
    member_set = set(members)
    recs = [r for r in recognitions if r.given_at <= asof]

    received: dict[str, int] = defaultdict(int)
    givers: dict[str, set[str]] = defaultdict(set)
    given: dict[str, int] = defaultdict(int)
    last: dict[str, datetime] = {}
    recent: set[str] = set()
    leader_given: dict[str, int] = defaultdict(int)
    leader_reach: dict[str, set[str]] = defaultdict(set)
    values: dict[str, int] = defaultdict(int)
    total = 0
    for r in recs:
        if r.receiver_id in member_set:
            if r.receiver_id not in last or r.given_at > last[r.receiver_id]:
                last[r.receiver_id] = r.given_at
            if r.given_at > missed_since:
                recent.add(r.receiver_id)
        if r.given_at <= since:
            continue
        if r.giver_id in member_set:
            given[r.giver_id] += 1
        if r.receiver_id in member_set:
            total += 1
            received[r.receiver_id] += 1
            givers[r.receiver_id].add(r.giver_id)
            for v in r.values:
                values[v] += 1
            if r.giver_id in leaders:
                leader_given[r.giver_id] += 1
                leader_reach[r.giver_id].add(r.receiver_id)

    people = tuple(
        PersonCount(m, given[m], received[m], len(givers[m]), last.get(m)) for m in members
    )
    not_recognised = tuple((m, last.get(m)) for m in members if m not in recent)
    leader_counts = tuple(
        LeaderCount(
            lid,
            leader_given[lid],
            len(leader_reach[lid]),
            len(leader_reach[lid]) / len(members) if members else 0.0,
        )
        for lid in dict.fromkeys(leaders)
    )
    conc = concentration(
        [received[m] for m in members],
        gini_threshold=gini_threshold,
        top_share_threshold=top_share_threshold,
        min_recognitions=min_recognitions,
    )
    return FairnessReport(
        team=team,
        since=since,
        until=asof,
        total=total,
        people=people,
        not_recognised=not_recognised,
        leaders=leader_counts,
        concentration=conc,
        values=dict(sorted(values.items())),
    )
