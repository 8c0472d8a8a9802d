"""Weekly pulse, eNPS and the weekly 10-minute team check-in.

The pulse is short on purpose: two questions every week -- eNPS ("how likely
are you to recommend working here", 0-10) and "how are you really doing?"
(1-5) -- plus one to three questions that rotate by ISO week, plus a free-text
box.  The rotation is a pure function of the week, so every agent sees the
same form and a week's form can be rebuilt at any time.

Answers only leave this module through :class:`heartline.people.anonymity.AnonymityGate`:
:func:`pulse_results` and :func:`pulse_series` return figures or
``{"hidden": true, "reason": ...}``, never an individual answer.

A week's pulse accepts answers during that ISO week and closes at the end of
its Sunday; :func:`submit` refuses late answers so that a closed week's
figures never change (which is what keeps them safe from before/after
differencing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Literal

from heartline.people.anonymity import (
    AnonymityGate,
    Contribution,
    Grain,
    Hidden,
    Query,
    Shown,
    Thresholds,
)

QuestionKind = Literal["enps", "scale5"]


class PulseError(ValueError):
    """An answer or a setting the pulse cannot accept."""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    kind: QuestionKind

    @property
    def scale(self) -> tuple[int, int]:
        return (0, 10) if self.kind == "enps" else (1, 5)


ENPS = Question("enps", "How likely are you to recommend working here to a friend?", "enps")
WELLBEING = Question("wellbeing", "How are you really doing?", "scale5")
FREE_TEXT_PROMPT = "Anything else you want us to know? (optional)"

#: Questions that rotate, one slice per ISO week.  Scale 1 (not at all) to 5 (completely).
ROTATING: tuple[Question, ...] = (
    Question("tools", "I had the tools and information I needed to help customers.", "scale5"),
    Question("listened", "When I raised a problem, my lead listened.", "scale5"),
    Question("workload", "My workload this week was manageable.", "scale5"),
    Question("recognised", "Someone noticed good work I did this week.", "scale5"),
    Question("breaks", "I could take the breaks I needed, including after hard calls.", "scale5"),
    Question("policy", "Our policies let me do the right thing for customers.", "scale5"),
    Question("growth", "I learned something this week that makes me better at my job.", "scale5"),
    Question("clear", "I know what is expected of me and why.", "scale5"),
)

#: The three standing prompts of the weekly 10-minute team check-in.
CHECKIN_PROMPTS: tuple[str, ...] = (
    "What made a call tough this week?",
    "Where do you feel stuck?",
    "How can we support each other more?",
)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_bounds(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week named like ``2026-W47``."""
    try:
        year, number = week.split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
    except ValueError as exc:
        raise PulseError(f"{week!r} is not an ISO week like 2026-W47") from exc
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class PulseForm:
    week: str
    questions: tuple[Question, ...]
    free_text: str = FREE_TEXT_PROMPT

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise PulseError(f"question {question_id!r} is not on the pulse of {self.week}")


def weekly_pulse(day: date, *, rotating: int = 2) -> PulseForm:
    """The pulse for the ISO week containing ``day``.

    ``rotating`` (1-3, default 2) questions are added to eNPS and wellbeing,
    so a form has 3-5 scored questions.  Consecutive weeks take consecutive
    slices of :data:`ROTATING`, so every question comes round every
    ``len(ROTATING) / rotating`` weeks.
    """
    if not 1 <= rotating <= 3:
        raise PulseError(f"a pulse rotates 1 to 3 questions (3-5 in all), got {rotating}")
    monday = day - timedelta(days=day.weekday())
    week_index = (monday - date(2001, 1, 1)).days // 7  # 2001-01-01 is a Monday
    start = (week_index * rotating) % len(ROTATING)
    chosen = tuple(ROTATING[(start + i) % len(ROTATING)] for i in range(rotating))
    return PulseForm(iso_week(day), (ENPS, WELLBEING, *chosen))


@dataclass(frozen=True, slots=True)
class PulseResponse:
    """One person's answers to one week's pulse.

    ``respondent`` is an opaque key (``anonymity.respondent_key``), kept with
    the answers and the comment out of ``repr``.
    """

    respondent: str = field(repr=False)
    team: str
    day: date
    answers: Mapping[str, int] = field(repr=False)
    comment: str | None = field(default=None, repr=False)
    tenure: str = "unknown"
    shift: str = "unknown"

    @property
    def week(self) -> str:
        return iso_week(self.day)

    def contribution(self) -> Contribution:
        return Contribution(
            respondent=self.respondent,
            team=self.team,
            day=self.day,
            tenure=self.tenure,
            shift=self.shift,
            scores={k: float(v) for k, v in self.answers.items()},
            comment=self.comment,
        )


def validate(response: PulseResponse, *, rotating: int = 2) -> PulseResponse:
    """Check every answer against its week's form; raise :class:`PulseError` if one is off."""
    form = weekly_pulse(response.day, rotating=rotating)
    if not response.answers and not (response.comment or "").strip():
        raise PulseError("an empty pulse answer cannot be saved")
    for question_id, value in response.answers.items():
        question = form.question(question_id)
        low, high = question.scale
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise PulseError(f"the answer to {question_id!r} must be a whole number {low}-{high}")
    if response.comment is not None and len(response.comment) > 2000:
        raise PulseError("a pulse comment is at most 2000 characters")
    return response


def is_open(week: str, now: datetime | date) -> bool:
    """Whether a week's pulse still takes answers (until the end of its Sunday)."""
    monday, sunday = week_bounds(week)
    today = now.date() if isinstance(now, datetime) else now
    return monday <= today <= sunday


def submit(response: PulseResponse, now: datetime | date, *, rotating: int = 2) -> PulseResponse:
    """Validate an answer and refuse it once its week has closed."""
    validate(response, rotating=rotating)
    if not is_open(response.week, now):
        raise PulseError(f"the pulse of {response.week} is closed; answer this week's pulse")
    return response


@dataclass(frozen=True, slots=True)
class Enps:
    """eNPS = % promoters (9-10) minus % detractors (0-6), from -100 to 100."""

    score: float
    promoters_pct: float
    passives_pct: float
    detractors_pct: float
    n: int


def enps(scores: Iterable[float]) -> Enps:
    values = [float(s) for s in scores]
    if not values:
        raise PulseError("eNPS needs at least one answer")
    for v in values:
        if not 0 <= v <= 10:
            raise PulseError(f"eNPS answers are 0-10, got {v}")
    n = len(values)
    promoters = sum(v >= 9 for v in values) / n * 100
    detractors = sum(v <= 6 for v in values) / n * 100
    return Enps(
        score=round(promoters - detractors, 1),
        promoters_pct=round(promoters, 1),
        passives_pct=round(100 - promoters - detractors, 1),
        detractors_pct=round(detractors, 1),
        n=n,
    )


def summarise(by_question: Mapping[str, Sequence[float]]) -> dict[str, object]:
    """Figures for a group's answers, ``{question id: values}``: eNPS, wellbeing, every mean.

    The anonymity gate calls this with only the questions whose answering group
    is big enough.
    """
    out: dict[str, object] = {}
    if by_question.get("enps"):
        e = enps(by_question["enps"])
        out["enps"] = e.score
        out["enps_breakdown"] = {
            "promoters_pct": e.promoters_pct,
            "passives_pct": e.passives_pct,
            "detractors_pct": e.detractors_pct,
            "answers": e.n,
        }
    questions: dict[str, dict[str, float]] = {}
    for question_id, answers in sorted(by_question.items()):
        if question_id == "enps" or not answers:
            continue
        questions[question_id] = {"mean": round(mean(answers), 2), "answers": len(answers)}
    if "wellbeing" in questions:
        out["wellbeing"] = questions["wellbeing"]["mean"]
    out["questions"] = questions
    return out


def _gate(
    responses: Iterable[PulseResponse],
    *,
    min_scores: int,
    min_comments: int,
    grain: Grain,
    as_of: date | None,
    viewer: str | None,
) -> AnonymityGate:
    return AnonymityGate(
        (r.contribution() for r in responses),
        thresholds=Thresholds(min_scores, min_comments),
        grain=grain,
        as_of=as_of,
        viewer=viewer,
    )


def pulse_results(
    responses: Iterable[PulseResponse],
    query: Query,
    *,
    min_scores: int = 5,
    min_comments: int = 10,
    grain: Grain = "month",
    as_of: date | None = None,
    viewer: str | None = None,
) -> dict[str, object]:
    """Scores and comments for one selection, as ``GET /api/pulse/results`` returns them.

    ``{"scores": {...figures or hidden...}, "comments": {...or hidden...}}``.
    Thresholds default to DESIGN.md (5 and 10); ``grain`` is the time cell
    (``month`` by default, ``week`` for weekly charts of large groups).
    """
    gate = _gate(
        responses,
        min_scores=min_scores,
        min_comments=min_comments,
        grain=grain,
        as_of=as_of,
        viewer=viewer,
    )
    return {
        "scores": gate.scores(query, summarise).to_dict(),
        "comments": gate.comments(query).to_dict(),
    }


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    period: str
    result: Hidden | Shown

    @property
    def enps(self) -> float | None:
        if isinstance(self.result, Shown):
            value = self.result.figures.get("enps")
            return float(value) if isinstance(value, int | float) else None
        return None

    @property
    def wellbeing(self) -> float | None:
        if isinstance(self.result, Shown):
            value = self.result.figures.get("wellbeing")
            return float(value) if isinstance(value, int | float) else None
        return None


def pulse_series(
    responses: Iterable[PulseResponse],
    query: Query | None = None,
    *,
    min_scores: int = 5,
    min_comments: int = 10,
    grain: Grain = "month",
    as_of: date | None = None,
    viewer: str | None = None,
) -> list[SeriesPoint]:
    """The selection's figures period by period, oldest first (hidden points stay hidden)."""
    gate = _gate(
        responses,
        min_scores=min_scores,
        min_comments=min_comments,
        grain=grain,
        as_of=as_of,
        viewer=viewer,
    )
    return [
        SeriesPoint(period, result)
        for period, result in gate.series(query or Query(), summarise)
    ]


@dataclass(slots=True)
class CheckInNote:
    author: str
    text: str
    at: datetime


@dataclass(slots=True)
class CheckIn:
    """A team's weekly 10-minute check-in: the prompts and the lead's notes."""

    team: str
    week: str
    prompts: tuple[str, ...]
    minutes: int = 10
    notes: list[CheckInNote] = field(default_factory=list)

    def add_note(self, author: str, text: str, at: datetime) -> CheckInNote:
        """Record what the team said (in the lead's words, without naming who said it)."""
        if not text.strip():
            raise PulseError("a check-in note needs some text")
        note = CheckInNote(author, text.strip(), at)
        self.notes.append(note)
        return note


def checkin(team: str, day: date, *, extra: Sequence[str] = ()) -> CheckIn:
    """The check-in for ``team`` in the week of ``day``: the three standing prompts,
    plus any the lead adds.  Ten minutes, the same every week so it becomes a habit."""
    if not team:
        raise PulseError("a check-in needs a team")
    prompts = tuple(CHECKIN_PROMPTS) + tuple(p.strip() for p in extra if p.strip())
    return CheckIn(team=team, week=iso_week(day), prompts=prompts)
