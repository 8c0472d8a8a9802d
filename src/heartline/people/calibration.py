"""Calibration: do QA reviewers agree with each other, and with the model?

QA reviewers score a sample of interactions on the same behaviours (a
behaviour present or not, or a small scale).  :func:`calibrate` takes those
scores — plus the model's, under the rater name ``model`` — and reports per
behaviour:

* agreement between every pair of reviewers: percent agreement and Cohen's
  kappa on the interactions both scored, and their means over pairs;
* agreement between the model and each reviewer, and between the model and
  the reviewers' consensus (the strict majority value; interactions where
  reviewers tie have no consensus and are left out);
* the model's error rate against the consensus, which orders
  :attr:`CalibrationReport.model_worst` — the behaviours the model gets wrong
  most.

Cohen's kappa is ``(p_o - p_e) / (1 - p_e)`` where ``p_o`` is observed
agreement and ``p_e`` the agreement expected from each rater's own label
frequencies.  When ``p_e`` is 1 (both raters used a single, identical label)
kappa is undefined and reported as ``None``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

#: Rater name the model's scores are given under, unless told otherwise.
MODEL = "model"


class CalibrationError(ValueError):
    """Scores the calibration cannot use; the message names the record."""


@dataclass(frozen=True)
class Score:
    """One rater's score of one behaviour in one interaction."""

    interaction_id: str
    behaviour: str
    rater: str
    value: Hashable


@dataclass(frozen=True)
class Agreement:
    """Agreement between two raters on the ``n`` interactions both scored."""

    a: str
    b: str
    n: int
    percent: float | None  # 0..100, None when n == 0
    kappa: float | None


@dataclass(frozen=True)
class BehaviourCalibration:
    behaviour: str
    reviewer_pairs: tuple[Agreement, ...]
    reviewers_percent: float | None  # mean over reviewer pairs
    reviewers_kappa: float | None
    model_vs_reviewers: tuple[Agreement, ...]
    model_vs_consensus: Agreement | None
    model_error_rate: float | None  # share of consensus items the model got wrong
    model_errors: tuple[str, ...]  # interaction ids where the model differs from the consensus


@dataclass(frozen=True)
class CalibrationReport:
    behaviours: tuple[BehaviourCalibration, ...]

    @property
    def model_worst(self) -> list[BehaviourCalibration]:
        """Behaviours ordered from the model's highest error rate to its lowest (no data last)."""
        return sorted(
            self.behaviours,
            key=lambda b: (b.model_error_rate is None, -(b.model_error_rate or 0.0), b.behaviour),
        )

    def to_text(self) -> str:
        header = (
            f"{'behaviour':<22}{'reviewers %':>12}{'kappa':>8}"
            f"{'model %':>10}{'kappa':>8}{'model err':>11}"
        )
        lines = [header]
        for b in self.model_worst:
            mc = b.model_vs_consensus
            lines.append(
                f"{b.behaviour:<22}{_f(b.reviewers_percent, 1):>12}{_f(b.reviewers_kappa, 3):>8}"
                f"{_f(mc.percent if mc else None, 1):>10}{_f(mc.kappa if mc else None, 3):>8}"
                f"{_f(None if b.model_error_rate is None else 100 * b.model_error_rate, 1):>11}"
            )
        return "\n".join(lines)


def _f(v: float | None, digits: int) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two equally long label sequences (None when undefined)."""
    if len(a) != len(b):
        raise CalibrationError("the two raters must score the same items")
    n = len(a)
    if n == 0:
        return None
    p_o = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    if abs(1.0 - p_e) < 1e-12:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def agreement(
    a: str, b: str, ratings_a: dict[str, Hashable], ratings_b: dict[str, Hashable]
) -> Agreement:
    """Percent agreement and kappa of two raters on the interactions both scored."""
    shared = sorted(ratings_a.keys() & ratings_b.keys())
    xs = [ratings_a[i] for i in shared]
    ys = [ratings_b[i] for i in shared]
    if not shared:
        return Agreement(a, b, 0, None, None)
    pct = 100.0 * sum(1 for x, y in zip(xs, ys, strict=True) if x == y) / len(shared)
    return Agreement(a, b, len(shared), pct, cohen_kappa(xs, ys))


def consensus(ratings: Iterable[Hashable]) -> Hashable | None:
    """The strict majority value of the reviewers' ratings, or None on a tie."""
    counts = Counter(ratings).most_common()
    if not counts:
        return None
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return None
    return counts[0][0]


def _mean(xs: Iterable[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


def calibrate(scores: Iterable[Score], model: str = MODEL) -> CalibrationReport:
    """Per-behaviour agreement among reviewers and between reviewers and the model.

    ``model`` (default ``"model"``) is the rater name of the model's scores;
    every other rater is a reviewer.  A rater scoring the same behaviour of the
    same interaction twice is an error.
    """
    by_beh: dict[str, dict[str, dict[str, Hashable]]] = defaultdict(lambda: defaultdict(dict))
    for s in scores:
        cell = by_beh[s.behaviour][s.rater]
        if s.interaction_id in cell:
            raise CalibrationError(
                f"{s.rater} scored {s.behaviour} in interaction {s.interaction_id} twice"
            )
        cell[s.interaction_id] = s.value
    out = []
    for beh in sorted(by_beh):
        raters = by_beh[beh]
        reviewers = sorted(r for r in raters if r != model)
        pairs = tuple(agreement(a, b, raters[a], raters[b]) for a, b in combinations(reviewers, 2))
        model_r = raters.get(model, {})
        vs = tuple(agreement(model, r, model_r, raters[r]) for r in reviewers) if model_r else ()
        items = sorted({i for r in reviewers for i in raters[r]})
        cons = {}
        for i in items:
            c = consensus(raters[r][i] for r in reviewers if i in raters[r])
            if c is not None:
                cons[i] = c
        mc = agreement(model, "consensus", model_r, cons) if model_r else None
        errors = tuple(i for i in sorted(cons.keys() & model_r.keys()) if cons[i] != model_r[i])
        err_rate = len(errors) / mc.n if mc and mc.n else None
        out.append(
            BehaviourCalibration(
                behaviour=beh,
                reviewer_pairs=pairs,
                reviewers_percent=_mean(p.percent for p in pairs),
                reviewers_kappa=_mean(p.kappa for p in pairs),
                model_vs_reviewers=vs,
                model_vs_consensus=mc,
                model_error_rate=err_rate,
                model_errors=errors,
            )
        )
    return CalibrationReport(tuple(out))
