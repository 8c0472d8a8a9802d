"""Anonymity that holds: every pulse and feedback figure passes through one gate.

The promise (DESIGN.md, principle 4) is that nobody -- a lead, a manager, an
admin -- can learn how a particular person answered, whatever filters they try.
Hiding small groups one query at a time is not enough: two allowed queries
that overlap ("my team" and "my team, tenure over two years") can be
subtracted to isolate one person.  So this module does not judge queries one
by one.  It fixes, from the data alone and before any query is seen, a
partition of the responses into *blocks*, each with at least the threshold of
distinct respondents, and answers every query from whole blocks only:

* Responses fall into **cells**: team x period (calendar month, or ISO week)
  x tenure band x shift band.
* Cells are merged upwards until each unit is big enough: a tenure row whose
  shift cells are not all big enough becomes one unit; a team-period whose
  units are not all big enough becomes one block; team-periods that are still
  too small are pooled, per period, into one cross-team block; and if even
  that pool is too small, its responses are never used at all.
* A query answers with exactly the blocks that lie *entirely* inside its
  filters.  A block the filters cut through is left out whole (and the result
  says that part of the selection was left out).  Date ranges must run from
  the first to the last day of periods; a narrower window is refused.

Every score key (question) has its own partition, because a rotating
question may have been put to only some of the people who answered the rest;
comments have their own partition with the comment threshold.

Because every answer is a sum over whole blocks and the blocks never depend
on the query, the difference between *any* two answers is again a sum over
whole blocks, each holding at least the threshold of people.  Differencing,
stacking filters or moving the date window cannot get below it.

Periods that are still open (their last day is not before ``as_of``) are left
out, so a figure cannot be watched moving as individual answers arrive, and
the partition of a closed period never changes.  A ``viewer`` who answered
themselves (a lead who also fills in the pulse) is not counted towards the
threshold of the groups they look at: they already know their own answer.

Identities are opaque keys (:func:`respondent_key`), never names or ids, and
they never appear in a result, an error message or a ``repr``.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

#: Thresholds may be raised but never set below this.
MIN_FLOOR = 3
#: Default smallest group whose scores are shown.
DEFAULT_MIN_SCORES = 5
#: Default smallest group whose free-text comments are shown.
DEFAULT_MIN_COMMENTS = 10

#: Tenure bands, from the hire date to the day of the answer.
TENURE_BANDS: tuple[str, ...] = ("under 6 months", "6 to 24 months", "over 2 years", "unknown")
#: Shift bands, from the hour the shift starts.
SHIFT_BANDS: tuple[str, ...] = ("early", "day", "late", "unknown")

Grain = Literal["week", "month"]


class AnonymityError(ValueError):
    """A setting or a query the gate cannot accept; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Smallest group sizes: ``min_scores`` for figures, ``min_comments`` for comments.

    Both default to DESIGN.md's values (5 and 10) and may never be set below
    :data:`MIN_FLOOR` (3).
    """

    min_scores: int = DEFAULT_MIN_SCORES
    min_comments: int = DEFAULT_MIN_COMMENTS

    def __post_init__(self) -> None:
        for name in ("min_scores", "min_comments"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise AnonymityError(f"{name} must be a whole number, got {value!r}")
            if value < MIN_FLOOR:
                raise AnonymityError(
                    f"{name} is {value}, but anonymity thresholds can never be below {MIN_FLOOR}"
                )


def respondent_key(person_id: str, secret: str | bytes, *, purpose: str = "pulse") -> str:
    """An opaque, stable key for a person within one purpose (pulse, feedback ...).

    A keyed hash (HMAC-SHA256) of the id: the same person always gets the same
    key, so the gate can count distinct people, but without the secret the key
    cannot be turned back into an id or matched across purposes.
    """
    if not person_id:
        raise AnonymityError("a respondent needs a non-empty id to derive a key from")
    key = secret.encode() if isinstance(secret, str) else secret
    if not key:
        raise AnonymityError("the secret used for respondent keys must not be empty")
    digest = hmac.new(key, f"{purpose}\x1f{person_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def tenure_band(hired_on: date | None, on: date) -> str:
    """The tenure band of someone hired on ``hired_on`` as of ``on``."""
    if hired_on is None:
        return "unknown"
    months = (on.year - hired_on.year) * 12 + (on.month - hired_on.month)
    if on.day < hired_on.day:
        months -= 1
    if months < 6:
        return "under 6 months"
    if months < 24:
        return "6 to 24 months"
    return "over 2 years"


def shift_band(start_hour: int | None) -> str:
    """The shift band of a shift starting at ``start_hour`` (0-23, local time).

    Before 09:00 is *early*, 09:00 to 12:59 *day*, from 13:00 *late*.
    """
    if start_hour is None:
        return "unknown"
    if not 0 <= start_hour <= 23:
        raise AnonymityError(f"a shift start hour must be 0-23, got {start_hour}")
    if start_hour < 9:
        return "early"
    if start_hour < 13:
        return "day"
    return "late"


def period_of(day: date, grain: Grain) -> str:
    """The period a day falls in: ``2026-11`` (month) or ``2026-W47`` (ISO week)."""
    if grain == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if grain == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    raise AnonymityError(f"grain must be 'week' or 'month', got {grain!r}")


def period_bounds(period: str, grain: Grain) -> tuple[date, date]:
    """First and last day (inclusive) of a period named by :func:`period_of`."""
    if grain == "month":
        year, month = (int(p) for p in period.split("-"))
        first = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return first, following - timedelta(days=1)
    if grain == "week":
        year, week = period.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
        return first, first + timedelta(days=6)
    raise AnonymityError(f"grain must be 'week' or 'month', got {grain!r}")


@dataclass(frozen=True, slots=True)
class Contribution:
    """One person's answer as the gate sees it.

    ``respondent`` is an opaque key from :func:`respondent_key`.  It, the
    scores and the comment are kept out of ``repr`` so that a stray log line
    cannot carry a person's answers.
    """

    respondent: str = field(repr=False)
    team: str
    day: date
    tenure: str = "unknown"
    shift: str = "unknown"
    scores: Mapping[str, float] = field(default_factory=dict, repr=False)
    comment: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.respondent:
            raise AnonymityError("a contribution needs a respondent key")
        if not self.team:
            raise AnonymityError("a contribution needs a team")
        if self.tenure not in TENURE_BANDS:
            raise AnonymityError(f"tenure must be one of {', '.join(TENURE_BANDS)}")
        if self.shift not in SHIFT_BANDS:
            raise AnonymityError(f"shift must be one of {', '.join(SHIFT_BANDS)}")
        if self.comment is not None and not self.comment.strip():
            object.__setattr__(self, "comment", None)


def _as_set(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value)


@dataclass(frozen=True, slots=True)
class Query:
    """Filters on the four dimensions the gate knows.  ``None`` means "all".

    ``start`` and ``end`` are inclusive and must be the first and last day of
    periods at the gate's grain.
    """

    teams: frozenset[str] | None = None
    start: date | None = None
    end: date | None = None
    tenure: frozenset[str] | None = None
    shifts: frozenset[str] | None = None

    @classmethod
    def make(
        cls,
        *,
        teams: str | Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        tenure: str | Iterable[str] | None = None,
        shifts: str | Iterable[str] | None = None,
    ) -> Query:
        """Build a query from loose values (one string or several)."""
        return cls(_as_set(teams), start, end, _as_set(tenure), _as_set(shifts))

    @classmethod
    def from_params(
        cls,
        *,
        team: str | None = None,
        start: str | None = None,
        end: str | None = None,
        tenure: str | None = None,
        shift: str | None = None,
    ) -> Query:
        """A query from URL parameters (``team=Harbour,Summit&from=2026-10-01&to=2026-10-31``).

        Several values are separated by commas; empty means "all".
        """

        def values(raw: str | None) -> frozenset[str] | None:
            parts = [p.strip() for p in (raw or "").split(",") if p.strip()]
            return frozenset(parts) or None

        def day(raw: str | None, name: str) -> date | None:
            if not raw or not raw.strip():
                return None
            try:
                return date.fromisoformat(raw.strip())
            except ValueError:
                raise AnonymityError(f"{name} must be a date like 2026-10-01") from None

        return cls(values(team), day(start, "from"), day(end, "to"), values(tenure), values(shift))

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise AnonymityError("the date range ends before it starts")
        for band in self.tenure or ():
            if band not in TENURE_BANDS:
                raise AnonymityError(
                    f"unknown tenure band {band!r}; use one of {', '.join(TENURE_BANDS)}"
                )
        for band in self.shifts or ():
            if band not in SHIFT_BANDS:
                raise AnonymityError(
                    f"unknown shift band {band!r}; use one of {', '.join(SHIFT_BANDS)}"
                )


@dataclass(frozen=True, slots=True)
class Hidden:
    """A result that cannot be shown, and why (never who)."""

    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"hidden": True, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Shown:
    """Figures for a group at or above the threshold."""

    respondents: int
    responses: int
    figures: Mapping[str, object]
    partial: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "hidden": False,
            "respondents": self.respondents,
            "responses": self.responses,
            **dict(self.figures),
            "partial": self.partial,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class CommentsShown:
    """Free-text comments of a group at or above the comment threshold, in text order."""

    commenters: int
    comments: tuple[str, ...]
    partial: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "hidden": False,
            "commenters": self.commenters,
            "comments": list(self.comments),
            "partial": self.partial,
            "notes": list(self.notes),
        }


Result = Hidden | Shown | CommentsShown
#: Turns ``{score key: values}`` (already gated) into the figures to show.
Summariser = Callable[[Mapping[str, list[float]]], Mapping[str, object]]


@dataclass(frozen=True, slots=True)
class _Cell:
    team: str
    period: str
    tenure: str
    shift: str


@dataclass(frozen=True, slots=True)
class _Block:
    cells: frozenset[_Cell]
    items: tuple[Contribution, ...] = field(repr=False)


@dataclass(frozen=True, slots=True)
class _Selection:
    """What a query resolves to: whole blocks, plus whether anything was left out."""

    blocks: tuple[_Block, ...] = field(repr=False)
    partial: bool
    open_left_out: bool

    @property
    def items(self) -> list[Contribution]:
        return [item for block in self.blocks for item in block.items]


def _people(items: Iterable[Contribution], viewer: str | None) -> int:
    return len({c.respondent for c in items if c.respondent != viewer})


def _partition(
    items: Sequence[Contribution], k: int, grain: Grain, viewer: str | None
) -> tuple[list[_Block], set[_Cell]]:
    """Blocks of at least ``k`` people (other than ``viewer``), and the cells never used.

    Depends on the data only, never on a query; see the module docstring.
    """
    cells: dict[_Cell, list[Contribution]] = defaultdict(list)
    for c in items:
        cells[_Cell(c.team, period_of(c.day, grain), c.tenure, c.shift)].append(c)

    def people(group: Iterable[_Cell]) -> int:
        return _people((c for cell in group for c in cells[cell]), viewer)

    def block(group: Iterable[_Cell]) -> _Block:
        group = sorted(group, key=_cell_order)
        return _Block(frozenset(group), tuple(c for cell in group for c in cells[cell]))

    team_periods: dict[tuple[str, str], list[_Cell]] = defaultdict(list)
    for cell in cells:
        team_periods[(cell.team, cell.period)].append(cell)

    blocks: list[_Block] = []
    pooled: dict[str, list[_Cell]] = defaultdict(list)
    for (_, period), group in sorted(team_periods.items()):
        rows: dict[str, list[_Cell]] = defaultdict(list)
        for cell in group:
            rows[cell.tenure].append(cell)
        units: list[list[_Cell]] = []
        for row in rows.values():
            if all(people([cell]) >= k for cell in row):
                units.extend([cell] for cell in row)
            else:
                units.append(row)
        if all(people(unit) >= k for unit in units):
            blocks.extend(block(unit) for unit in units)
        elif people(group) >= k:
            blocks.append(block(group))
        else:
            pooled[period].extend(group)

    unused: set[_Cell] = set()
    for _, group in sorted(pooled.items()):
        if people(group) >= k:
            blocks.append(block(group))
        else:
            unused.update(group)
    blocks.sort(key=lambda b: min(_cell_order(c) for c in b.cells))
    return blocks, unused


def _cell_order(cell: _Cell) -> tuple[str, str, str, str]:
    return (cell.period, cell.team, cell.tenure, cell.shift)


class AnonymityGate:
    """The one way figures and comments about people's answers leave the library.

    Build it over all the contributions of one survey (a pulse, one leadership
    decision's feedback), then ask :meth:`scores`, :meth:`comments` or
    :meth:`series`.  ``as_of`` leaves out periods not yet over; ``viewer`` is
    the respondent key of the person looking, if they answered too.
    """

    def __init__(
        self,
        contributions: Iterable[Contribution],
        *,
        thresholds: Thresholds | None = None,
        grain: Grain = "month",
        as_of: date | None = None,
        viewer: str | None = None,
    ) -> None:
        if grain not in ("week", "month"):
            raise AnonymityError(f"grain must be 'week' or 'month', got {grain!r}")
        self.thresholds = thresholds or Thresholds()
        self.grain: Grain = grain
        self.as_of = as_of
        self._viewer = viewer
        items = tuple(contributions)
        for item in items:
            if not isinstance(item, Contribution):
                raise AnonymityError("the gate takes Contribution records only")
        self._closed_items = [c for c in items if self._closed(period_of(c.day, grain))]
        self._periods = sorted({period_of(c.day, grain) for c in items})
        self._score_keys = sorted({key for c in self._closed_items for key in c.scores})
        self._partitions: dict[str, tuple[list[_Block], set[_Cell]]] = {}

    def _partition_for(self, kind: str) -> tuple[list[_Block], set[_Cell]]:
        """The fixed partition for comments (``"comments"``) or one score (``"score:<key>"``).

        Every score key has its own partition, so a question only some people
        were asked (a rotating pulse question) is held to the threshold too.
        """
        if kind not in self._partitions:
            if kind == "comments":
                members = [c for c in self._closed_items if c.comment]
                k = self.thresholds.min_comments
            elif kind.startswith("score:"):
                key = kind.removeprefix("score:")
                members = [c for c in self._closed_items if key in c.scores]
                k = self.thresholds.min_scores
            else:
                raise AnonymityError(f"unknown result kind {kind!r}")
            self._partitions[kind] = _partition(members, k, self.grain, self._viewer)
        return self._partitions[kind]

    def __repr__(self) -> str:
        return (
            f"AnonymityGate(grain={self.grain!r}, min_scores={self.thresholds.min_scores}, "
            f"min_comments={self.thresholds.min_comments}, as_of={self.as_of!r})"
        )

    __str__ = __repr__

    def _closed(self, period: str) -> bool:
        return self.as_of is None or period_bounds(period, self.grain)[1] < self.as_of

    @property
    def periods(self) -> list[str]:
        """Periods that have any answer, oldest first (open ones included)."""
        return list(self._periods)

    def _misaligned(self, query: Query) -> Hidden | None:
        unit = "calendar month" if self.grain == "month" else "ISO week (Monday to Sunday)"
        if query.start is not None:
            first, _ = period_bounds(period_of(query.start, self.grain), self.grain)
            if query.start != first:
                return Hidden(
                    f"date ranges must start on the first day of a {unit}; results are kept in "
                    f"whole {self.grain}s so that a narrow window cannot single anyone out"
                )
        if query.end is not None:
            _, last = period_bounds(period_of(query.end, self.grain), self.grain)
            if query.end != last:
                return Hidden(
                    f"date ranges must end on the last day of a {unit}; results are kept in "
                    f"whole {self.grain}s so that a narrow window cannot single anyone out"
                )
        return None

    def _matches(self, cell: _Cell, query: Query) -> bool:
        if query.teams is not None and cell.team not in query.teams:
            return False
        if query.tenure is not None and cell.tenure not in query.tenure:
            return False
        if query.shifts is not None and cell.shift not in query.shifts:
            return False
        first, last = period_bounds(cell.period, self.grain)
        if query.start is not None and first < query.start:
            return False
        return query.end is None or last <= query.end

    def _open_overlap(self, query: Query) -> bool:
        """Whether the query reaches into periods not over yet (decided without looking at data)."""
        if self.as_of is None:
            return False
        first_open, _ = period_bounds(period_of(self.as_of, self.grain), self.grain)
        return query.end is None or query.end >= first_open

    def _select(self, query: Query, kind: str) -> _Selection | Hidden:
        if not isinstance(query, Query):
            raise AnonymityError("ask the gate with a Query")
        refused = self._misaligned(query)
        if refused is not None:
            return refused
        blocks, unused = self._partition_for(kind)
        inside: list[_Block] = []
        partial = False
        for b in blocks:
            hits = [self._matches(cell, query) for cell in b.cells]
            if all(hits):
                inside.append(b)
            elif any(hits):
                partial = True
        if any(self._matches(cell, query) for cell in unused):
            partial = True
        return _Selection(tuple(inside), partial, self._open_overlap(query))

    def _too_small(self, k: int, what: str, open_left_out: bool) -> Hidden:
        if open_left_out:
            return Hidden(
                f"fewer than {k} people's {what} can be shown for this selection yet; "
                f"the current {self.grain} is still open and is shown once it is over"
            )
        return Hidden(
            f"fewer than {k} people's {what} can be shown for this selection; "
            f"small groups are hidden to protect anonymity"
        )

    @staticmethod
    def _notes(selection: _Selection, grain: str) -> tuple[str, ...]:
        notes: list[str] = []
        if selection.partial:
            notes.append(
                "part of this selection is left out because it would split a group "
                "below the anonymity threshold; widen the filters to include it"
            )
        if selection.open_left_out:
            notes.append(f"the current {grain} is still open and is not included yet")
        return tuple(notes)

    def scores(self, query: Query, summarise: Summariser) -> Hidden | Shown:
        """Figures for the query, or :class:`Hidden`.

        Each score key (question) is selected through its own partition.
        ``summarise`` receives ``{key: sorted values}`` for the keys that pass
        -- no respondent keys, no dates -- and returns the figures to show.
        """
        refused = self._misaligned(query)
        if refused is not None:
            return refused
        by_key: dict[str, list[float]] = {}
        used: dict[int, Contribution] = {}
        partial = False
        open_overlap = self._open_overlap(query)
        for key in self._score_keys:
            selection = self._select(query, f"score:{key}")
            assert isinstance(selection, _Selection)
            partial = partial or selection.partial
            items = selection.items
            if items:
                by_key[key] = sorted(float(c.scores[key]) for c in items)
                used.update((id(c), c) for c in items)
        if not by_key:
            return self._too_small(self.thresholds.min_scores, "answers", open_overlap)
        return Shown(
            respondents=len({c.respondent for c in used.values()}),
            responses=len(used),
            figures=dict(summarise(by_key)),
            partial=partial,
            notes=self._notes(_Selection((), partial, open_overlap), self.grain),
        )

    def comments(self, query: Query) -> Hidden | CommentsShown:
        """Comments for the query (sorted by text, nothing else attached), or :class:`Hidden`."""
        selection = self._select(query, "comments")
        if isinstance(selection, Hidden):
            return selection
        items = selection.items
        if not items:
            return self._too_small(
                self.thresholds.min_comments, "comments", selection.open_left_out
            )
        texts = sorted((c.comment or "" for c in items), key=lambda t: (t.casefold(), t))
        return CommentsShown(
            commenters=len({c.respondent for c in items}),
            comments=tuple(texts),
            partial=selection.partial,
            notes=self._notes(selection, self.grain),
        )

    def series(
        self,
        query: Query,
        summarise: Summariser,
        periods: Sequence[str] | None = None,
    ) -> list[tuple[str, Hidden | Shown]]:
        """One result per period (the query's own dates narrowed to each period)."""
        out: list[tuple[str, Hidden | Shown]] = []
        for period in periods if periods is not None else self._periods:
            first, last = period_bounds(period, self.grain)
            if (query.start and first < query.start) or (query.end and last > query.end):
                continue
            narrowed = Query(query.teams, first, last, query.tenure, query.shifts)
            out.append((period, self.scores(narrowed, summarise)))
        return out


def export_results(rows: Sequence[tuple[str, Result]], fmt: Literal["csv", "json"] = "csv") -> str:
    """Write gated results (and only gated results) as CSV or JSON.

    ``rows`` pairs a label (a team name, a period) with what the gate returned.
    Anything that is not a gate result is refused, so raw answers can never be
    exported by mistake.
    """
    records: list[dict[str, object]] = []
    for label, result in rows:
        if not isinstance(result, Hidden | Shown | CommentsShown):
            raise AnonymityError("only results returned by the anonymity gate can be exported")
        records.append({"label": label, **result.to_dict()})
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, sort_keys=True)
    if fmt != "csv":
        raise AnonymityError(f"export format must be 'csv' or 'json', got {fmt!r}")
    columns: list[str] = []
    for record in records:
        for key in record:
            if key not in columns:
                columns.append(key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False)
                if isinstance(value, list | dict)
                else value
                for key, value in record.items()
            }
        )
    return buffer.getvalue()
