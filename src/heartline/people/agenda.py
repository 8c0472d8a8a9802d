"""The 1:1 agenda: a week's real moments turned into a supportive conversation.

:func:`build_agenda` takes plain inputs — the agent's analyses for the period
(dicts with the analysis engine's keys), KPI trend points, open goals and
agreed actions, barriers the agent raised — and returns a typed
:class:`Agenda`: 2–3 growth moments, 2–3 glow moments, opening questions that
put support first, the human and efficiency KPI trend, actions (overdue ones
first) and barriers with their status.  :meth:`Agenda.to_markdown` prints it.

How moments are chosen
    Every moment gets a *theme*: its ``behaviour``/``theme`` key when the
    analysis provides one, otherwise the head of its ``reason`` ("missed cue",
    "robotic", "blame and dismissive", "met the customer's emotion").  Moments
    are grouped by kind and theme; a theme seen in two or more interactions
    is a *pattern* and ranks above one-offs (more
    interactions first, then the most recent).  Each chosen theme shows one
    example — the moment from the most difficult call, where it mattered most
    (ties: the most recent) — plus links to the other occurrences, most recent
    first.  The agenda never
    holds growth moments alone: when the period has no glow moment, the
    warmest analysed call (highest empathy score) or a de-escalation stands in
    as the thing to celebrate, and if there is nothing at all to celebrate the
    growth list is cut to one moment and the agenda says so.

Every moment links to the interaction viewer (``/interactions/<id>#turn-<n>``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean
from typing import Any, Literal

from heartline.domain import EMOTIONS

#: Evidence links printed per moment (the Agenda keeps them all).
MAX_LINKS_SHOWN = 3
#: The first opening question, always.
SUPPORT_QUESTION = "What kind of support do you need today?"
BARRIER_QUESTION = "What barriers are in your way?"
TENSE_QUESTION = "That call sounded tense — what was happening for you there?"

#: Difficulty (0..100) from which a call counts as tense for the opening questions.
DEFAULT_TENSE_DIFFICULTY = 60.0
#: KPIs where a lower value is better; every other KPI is better higher.
LOWER_IS_BETTER = frozenset(
    {
        "aht",
        "acw",
        "hold",
        "hold_rate",
        "transfers",
        "transfer_rate",
        "repeat_contacts",
        "repeat_rate",
        "handle_time",
        "after_call_work",
    }
)
#: KPIs shown as human KPIs when a point does not say its group.
HUMAN_KPIS = frozenset(
    {
        "csat",
        "fcr",
        "enps",
        "empathy",
        "empathy_score",
        "deescalation",
        "deescalation_rate",
        "positive_feedback",
        "resolution",
    }
)


class AgendaError(ValueError):
    """Input the agenda cannot use; the message names the record and field."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class EvidenceLink:
    """Where a moment happened: an interaction and a turn, with a link to the viewer."""

    interaction_id: str
    turn: int | None
    day: date | None = None

    @property
    def href(self) -> str:
        base = f"/interactions/{self.interaction_id}"
        return f"{base}#turn-{self.turn}" if self.turn is not None else base


@dataclass(frozen=True)
class AgendaMoment:
    """One glow or growth theme chosen for the 1:1, with its evidence."""

    kind: Literal["glow", "growth"]
    theme: str
    reason: str
    evidence: str
    link: EvidenceLink
    occurrences: tuple[EvidenceLink, ...]
    why: str  # why it was chosen, in words

    @property
    def pattern(self) -> bool:
        return len({o.interaction_id for o in self.occurrences}) >= 2

    def shown_occurrences(self, limit: int) -> list[EvidenceLink]:
        """The first occurrence in each of the ``limit`` most recent interactions (for print)."""
        out: list[EvidenceLink] = []
        seen: set[str] = set()
        for o in self.occurrences:
            if o.interaction_id not in seen:
                seen.add(o.interaction_id)
                out.append(o)
        return out[:limit]


@dataclass(frozen=True)
class Question:
    text: str
    why: str
    link: EvidenceLink | None = None


@dataclass(frozen=True)
class KpiTrend:
    name: str
    group: str  # "human" | "efficiency"
    first: float
    last: float
    points: int
    higher_is_better: bool

    @property
    def change(self) -> float:
        return self.last - self.first

    @property
    def direction(self) -> Literal["improving", "declining", "steady"]:
        if abs(self.change) < 1e-9:
            return "steady"
        better = self.change > 0 if self.higher_is_better else self.change < 0
        return "improving" if better else "declining"


@dataclass(frozen=True)
class ActionItem:
    id: str
    title: str
    kind: str  # "action" | "goal"
    owner: str | None
    due: date | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class BarrierItem:
    id: str
    title: str
    status: str
    raised_on: date | None
    days_open: int | None


@dataclass
class Agenda:
    """Everything a lead needs for one agent's 1:1, each item with its evidence."""

    agent_id: str
    start: date | None
    end: date | None
    as_of: date
    growth: list[AgendaMoment]
    glow: list[AgendaMoment]
    questions: list[Question]
    kpis: list[KpiTrend]
    actions: list[ActionItem]
    barriers: list[BarrierItem]
    notes: list[str] = field(default_factory=list)

    def to_markdown(self) -> str:
        """A printable agenda (Markdown, readable as plain text)."""
        period = (
            f"{self.start.isoformat() if self.start else '…'} to "
            f"{self.end.isoformat() if self.end else '…'}"
        )
        out = [
            f"# 1:1 agenda — {self.agent_id}",
            "",
            f"Period: {period} (as of {self.as_of.isoformat()})",
            "",
        ]
        out += ["## Opening questions", ""]
        for i, q in enumerate(self.questions, 1):
            link = (
                f" ([{q.link.interaction_id}, turn {q.link.turn}]({q.link.href}))" if q.link else ""
            )
            out.append(f"{i}. {q.text}{link}")
        out.append("")
        for title, items in (
            ("To celebrate (glow)", self.glow),
            ("To coach (growth)", self.growth),
        ):
            out += [f"## {title}", ""]
            if not items:
                out.append("- nothing this period")
            for m in items:
                out.append(f"- **{m.theme}** — {m.reason}")
                if m.evidence:
                    out.append(f"  > {m.evidence}")
                shown = m.shown_occurrences(MAX_LINKS_SHOWN)
                links = ", ".join(f"[{o.interaction_id} turn {o.turn}]({o.href})" for o in shown)
                rest = len({o.interaction_id for o in m.occurrences}) - len(shown)
                more = f" and {rest} more interaction(s)" if rest > 0 else ""
                out.append(f"  Evidence: {links}{more}. {m.why}")
            out.append("")
        out += ["## Human and efficiency KPIs", ""]
        if not self.kpis:
            out.append("- no KPI points for this period")
        for k in self.kpis:
            out.append(f"- {k.name} ({k.group}): {_num(k.first)} → {_num(k.last)}, {k.direction}")
        out += ["", "## Goals and agreed actions", ""]
        if not self.actions:
            out.append("- none open")
        for a in self.actions:
            due = f", due {a.due.isoformat()}" if a.due else ""
            flag = " **OVERDUE**" if a.overdue else ""
            owner = f" (owner: {a.owner})" if a.owner else ""
            out.append(f"- [{a.kind}] {a.title}{owner}{due}{flag}")
        out += ["", "## Barriers raised", ""]
        if not self.barriers:
            out.append("- none")
        for b in self.barriers:
            age = f", open {b.days_open} days" if b.days_open is not None else ""
            out.append(f"- {b.title}: {b.status}{age}")
        if self.notes:
            out += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        return "\n".join(out) + "\n"


def _num(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:.2f}"


# --------------------------------------------------------------------------- helpers


def _as_date(v: Any, where: str) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return (
                datetime.fromisoformat(v.replace("Z", "+00:00")).date()
                if "T" in v or " " in v
                else date.fromisoformat(v)
            )
        except ValueError:
            raise AgendaError(f"{where}: {v!r} is not an ISO date") from None
    raise AgendaError(f"{where}: {v!r} is not a date")


_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]|\([^)]*\)")
_EMOTION_WORDS = re.compile(r"\b(?:" + "|".join(EMOTIONS) + r")\b")


def theme_of(moment: Mapping[str, Any]) -> str:
    """The recurring idea behind a moment, used to spot patterns across interactions."""
    for key in ("theme", "behaviour", "code"):
        if moment.get(key):
            return str(moment[key]).strip().lower()
    reason = str(moment.get("reason") or "").strip().lower()
    head = reason.split(":", 1)[0] if ":" in reason else reason
    head = _QUOTED.sub("", head)
    head = re.sub(r"\bat turn \d+\b|\bturns? [\d, ]+\b|\d+", "", head)
    head = _EMOTION_WORDS.sub("emotion", head)
    # "met the customer's emotion with apologize, validate" -> one theme, whatever the behaviours
    head = re.sub(r"^(met the customer's emotion)\b.*$", r"\1", head)
    return re.sub(r"\s+", " ", head).strip(" ,.;-") or "other"


def _evidence_text(v: Any) -> str:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, Iterable):
        return " … ".join(str(x).strip() for x in v if str(x).strip())
    return ""


@dataclass(frozen=True)
class _Seen:
    kind: str
    theme: str
    reason: str
    evidence: str
    link: EvidenceLink
    difficulty: float | None


def _moments(analyses: Sequence[Mapping[str, Any]]) -> list[_Seen]:
    seen: list[_Seen] = []
    for i, a in enumerate(analyses):
        iid = a.get("interaction_id") or a.get("id")
        if not iid:
            raise AgendaError(f"analysis {i}: field interaction_id is missing")
        day = _as_date(a.get("date") or a.get("started_at"), f"analysis {iid}: date")
        diff = a.get("difficulty")
        for j, m in enumerate(a.get("moments") or []):
            kind = m.get("kind")
            if kind not in ("glow", "growth"):
                raise AgendaError(
                    f"analysis {iid}, moment {j}: kind must be glow or growth, not {kind!r}"
                )
            turn = m.get("turn")
            seen.append(
                _Seen(
                    kind=kind,
                    theme=theme_of(m),
                    reason=str(m.get("reason") or "").strip(),
                    evidence=_evidence_text(m.get("evidence")),
                    link=EvidenceLink(str(iid), int(turn) if turn is not None else None, day),
                    difficulty=float(diff) if isinstance(diff, int | float) else None,
                )
            )
    return seen


def _rank(seen: Sequence[_Seen], kind: str, limit: int) -> list[AgendaMoment]:
    groups: dict[str, list[_Seen]] = defaultdict(list)
    for s in seen:
        if s.kind == kind:
            groups[s.theme].append(s)

    def key(theme: str) -> tuple[int, int, str]:
        items = groups[theme]
        n = len({s.link.interaction_id for s in items})
        latest = max((s.link.day or date.min) for s in items)
        return (-n, -latest.toordinal(), theme)

    chosen = []
    for theme in sorted(groups, key=key)[:limit]:
        items = sorted(
            groups[theme],
            key=lambda s: (s.link.day or date.min, s.link.interaction_id, s.link.turn or 0),
            reverse=True,
        )
        # the example to discuss: the hardest call (where the moment mattered most), then the latest
        rep = max(
            items,
            key=lambda s: (
                s.difficulty if s.difficulty is not None else -1.0,
                s.link.day or date.min,
                s.link.interaction_id,
            ),
        )
        n = len({s.link.interaction_id for s in items})
        occ = tuple(s.link for s in items)
        why = (
            f"A pattern: seen in {n} interactions this period."
            if n >= 2
            else "A one-off this period."
        )
        moment_kind: Literal["glow", "growth"] = "glow" if kind == "glow" else "growth"
        chosen.append(
            AgendaMoment(moment_kind, theme, rep.reason, rep.evidence, rep.link, occ, why)
        )
    return chosen


def _stand_in_glow(analyses: Sequence[Mapping[str, Any]]) -> list[AgendaMoment]:
    """Something to celebrate when the analyses raised no glow moment."""
    scored = [a for a in analyses if isinstance(a.get("empathy_score"), int | float)]
    out: list[AgendaMoment] = []
    deesc = [a for a in analyses if a.get("deescalated")]
    if deesc:
        a = deesc[-1]
        link = EvidenceLink(
            str(a.get("interaction_id") or a.get("id")),
            None,
            _as_date(a.get("date") or a.get("started_at"), "analysis date"),
        )
        out.append(
            AgendaMoment(
                "glow",
                "de-escalated",
                "the customer ended calmer than they began",
                "",
                link,
                (link,),
                "No glow moment was flagged; this call de-escalated.",
            )
        )
    if scored:
        best = max(scored, key=lambda a: (float(a["empathy_score"]), str(a.get("interaction_id"))))
        link = EvidenceLink(
            str(best.get("interaction_id") or best.get("id")),
            None,
            _as_date(best.get("date") or best.get("started_at"), "analysis date"),
        )
        if all(o.link.interaction_id != link.interaction_id for o in out):
            out.append(
                AgendaMoment(
                    "glow",
                    "warmest call",
                    f"empathy score {float(best['empathy_score']):.0f}, the highest of the period",
                    "",
                    link,
                    (link,),
                    "No glow moment was flagged; this was the agent's warmest call of the period.",
                )
            )
    return out


def _kpis(points: Iterable[Mapping[str, Any]]) -> list[KpiTrend]:
    series: dict[str, list[tuple[date, float]]] = defaultdict(list)
    meta: dict[str, tuple[str, bool]] = {}
    for i, p in enumerate(points):
        name = p.get("name") or p.get("kpi")
        if not name:
            raise AgendaError(f"KPI point {i}: field name is missing")
        value = p.get("value")
        if value is None:
            continue  # "no data" is not zero
        if not isinstance(value, int | float):
            raise AgendaError(f"KPI point {i} ({name}): value {value!r} is not a number")
        d = _as_date(
            p.get("date") or p.get("day") or p.get("period"), f"KPI point {i} ({name}): date"
        )
        series[str(name)].append((d or date.min, float(value)))
        hib = p.get("higher_is_better")
        group = str(
            p.get("group") or ("human" if str(name).lower() in HUMAN_KPIS else "efficiency")
        )
        meta[str(name)] = (
            group,
            bool(hib) if hib is not None else str(name).lower() not in LOWER_IS_BETTER,
        )
    out = []
    for name in sorted(series, key=lambda n: (meta[n][0] != "human", n)):
        pts = sorted(series[name])
        out.append(KpiTrend(name, meta[name][0], pts[0][1], pts[-1][1], len(pts), meta[name][1]))
    return out


def _actions(goals: Iterable[Mapping[str, Any]], as_of: date) -> list[ActionItem]:
    out = []
    for i, g in enumerate(goals):
        status = str(g.get("status") or "open").lower()
        if status in ("done", "closed", "completed", "cancelled"):
            continue
        title = g.get("title") or g.get("text")
        if not title:
            raise AgendaError(f"goal/action {i}: field title is missing")
        due = _as_date(g.get("due") or g.get("due_on"), f"goal/action {i}: due")
        out.append(
            ActionItem(
                str(g.get("id", i)),
                str(title),
                str(g.get("kind") or "action"),
                g.get("owner"),
                due,
                status,
                bool(due and due < as_of),
            )
        )
    return sorted(
        out, key=lambda a: (not a.overdue, a.due or date.max, a.kind != "action", a.title)
    )


def _barriers(barriers: Iterable[Mapping[str, Any]], as_of: date) -> list[BarrierItem]:
    out = []
    for i, b in enumerate(barriers):
        title = b.get("title") or b.get("text")
        if not title:
            raise AgendaError(f"barrier {i}: field title is missing")
        status = str(b.get("status") or "open").lower()
        raised = _as_date(b.get("raised_on") or b.get("created_at"), f"barrier {i}: raised_on")
        open_ = status not in ("resolved", "closed", "done")
        out.append(
            BarrierItem(
                str(b.get("id", i)),
                str(title),
                status,
                raised,
                (as_of - raised).days if raised and open_ else None,
            )
        )
    return sorted(
        out,
        key=lambda b: (
            b.status in ("resolved", "closed", "done"),
            b.raised_on or date.min,
            b.title,
        ),
    )


def _is_tense(a: Mapping[str, Any], tense_difficulty: float) -> bool:
    d = a.get("difficulty")
    if isinstance(d, int | float) and d >= tense_difficulty:
        return True
    for t in a.get("turns") or []:
        if (
            t.get("emotion") in ("anger", "frustration")
            and float(t.get("emotion_intensity") or 0) >= 0.7
        ):
            return True
    return False


# --------------------------------------------------------------------------- the agenda


def build_agenda(
    agent_id: str,
    analyses: Sequence[Mapping[str, Any]],
    *,
    kpi_points: Iterable[Mapping[str, Any]] = (),
    goals: Iterable[Mapping[str, Any]] = (),
    barriers: Iterable[Mapping[str, Any]] = (),
    as_of: date,
    start: date | None = None,
    end: date | None = None,
    max_moments: int = 3,
    tense_difficulty: float = DEFAULT_TENSE_DIFFICULTY,
) -> Agenda:
    """Build one agent's 1:1 agenda from plain records.

    ``analyses``: dicts with ``interaction_id``, ``date``/``started_at``,
    ``empathy_score``, ``difficulty``, ``moments`` ([{kind, turn, reason,
    evidence}]) and optionally ``turns`` (customer ``emotion`` and
    ``emotion_intensity``) and ``deescalated``.  Analyses outside
    ``start``..``end`` (inclusive) are left out.  ``kpi_points``: dicts with
    ``name``, ``date``, ``value`` and optionally ``group`` and
    ``higher_is_better``.  ``goals``: goals and agreed actions with ``title``,
    ``kind``, ``owner``, ``due``, ``status``.  ``barriers``: with ``title``,
    ``status``, ``raised_on``.  ``max_moments`` (default 3) caps each of glow
    and growth; ``tense_difficulty`` (default 60) is the difficulty from which
    a call is called tense in the opening questions.
    """
    if max_moments < 1:
        raise AgendaError("max_moments must be at least 1")
    in_period = []
    for a in analyses:
        d = _as_date(
            a.get("date") or a.get("started_at"), f"analysis {a.get('interaction_id', '?')}: date"
        )
        if (start and d and d < start) or (end and d and d > end):
            continue
        in_period.append(a)
    seen = _moments(in_period)
    growth = _rank(seen, "growth", max_moments)
    glow = _rank(seen, "glow", max_moments)
    notes: list[str] = []
    if not glow:
        glow = _stand_in_glow(in_period)[:max_moments]
    if growth and not glow:
        growth = growth[:1]
        notes.append(
            "No glow moment in this period: start by asking the agent which call they are "
            "proudest of, and keep the growth part to one theme."
        )
    if not in_period:
        notes.append("No analysed interactions in this period.")
    actions = _actions(goals, as_of)
    barrier_items = _barriers(barriers, as_of)

    by_id = {str(a.get("interaction_id") or a.get("id")): a for a in in_period}
    questions = [
        Question(SUPPORT_QUESTION, "Support first: every 1:1 opens with what the agent needs.")
    ]
    open_barriers = [b for b in barrier_items if b.days_open is not None]
    if open_barriers:
        oldest = open_barriers[0]
        questions.append(
            Question(
                f'{BARRIER_QUESTION} (You raised "{oldest.title}" — it is {oldest.status}; '
                "let's check it is moving.)",
                f"{len(open_barriers)} barrier(s) raised by the agent are still open.",
            )
        )
    else:
        questions.append(Question(BARRIER_QUESTION, "Invite barriers before talking about calls."))
    tense = next(
        (
            o
            for m in growth
            for o in m.occurrences
            if o.interaction_id in by_id and _is_tense(by_id[o.interaction_id], tense_difficulty)
        ),
        None,
    )
    if tense is not None:
        questions.append(
            Question(
                TENSE_QUESTION,
                "A growth moment happened in a difficult call; ask before coaching.",
                tense,
            )
        )
    diffs = [
        float(a["difficulty"]) for a in in_period if isinstance(a.get("difficulty"), int | float)
    ]
    if diffs and mean(diffs) >= tense_difficulty:
        questions.append(
            Question(
                "You've taken a run of difficult calls — how are you doing, and what would help?",
                f"Average call difficulty this period was {mean(diffs):.0f}/100.",
            )
        )
    overdue = [a for a in actions if a.overdue]
    if overdue:
        questions.append(
            Question(
                f'"{overdue[0].title}" is past its date — '
                "what got in the way, and what would help?",
                "Overdue actions come back on the next agenda, as a question, not a reprimand.",
            )
        )
    if glow and glow[0].pattern:
        questions.append(
            Question(
                f"You did this on several calls ({glow[0].theme}) — what helps you do it?",
                "Start from a strength the agent shows repeatedly.",
                glow[0].link,
            )
        )
    return Agenda(
        agent_id,
        start,
        end,
        as_of,
        growth,
        glow,
        questions,
        _kpis(kpi_points),
        actions,
        barrier_items,
        notes,
    )
