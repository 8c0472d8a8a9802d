"""Difficulty readings compared by cross-validation on the *training* conversations.

The held-out conversations are never read.  Each fold comes from
``cv_interaction.cv_folds`` (interaction parameters and the cue head refitted on
the fitting folds), and each variant below then maps the customer-side features
to a 0..100 difficulty and a band.  Variants differ in the regression, in how the
band cut points are chosen, and in extra features; the shipped reading is
the mean of ``ridge 1`` and 300 extra trees, with cuts on out-of-fold readings
(``pipeline.difficulty_reading``); ``-load`` rows drop its
``cue_load`` feature, as the session-5 reading did.

    .venv/bin/python bench/cv_difficulty.py [--folds 5] [--repeats 3] [--fraction 1.0]
                                            [--first-repeat 0]
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
from cv_interaction import cv_folds
from sklearn.ensemble import ExtraTreesRegressor

from heartline.analysis.corpus import load_conversations, split
from heartline.analysis.pipeline import (
    DEFAULT_PARAMS,
    DIFFICULTY_FEATURES,
    DIFFICULTY_RIDGE,
    Analyzer,
    _band_cuts,
    _tuned_cuts,
    difficulty_features,
    label_conversations,
    read_interaction,
    ridge_coef,
)

Regressor = Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]
STRONG = 0.5  # cue_strength at which a customer turn counts as strongly emotional


def ridge(penalty: float) -> Regressor:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        coef = ridge_coef(x, y, penalty)
        return lambda z: np.clip(z @ coef, 0, 100)
    return fit


def trees_of(n: int) -> Regressor:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        model = ExtraTreesRegressor(n_estimators=n, min_samples_leaf=3, random_state=0,
                                    n_jobs=2)
        model.fit(x, y)
        return lambda z: np.clip(model.predict(z), 0, 100)
    return fit


trees = trees_of(300)


def mean_of(*fits: Regressor) -> Regressor:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        predictors = [f(x, y) for f in fits]
        return lambda z: sum(p(z) for p in predictors) / len(predictors)
    return fit


def extra_features(x: Any, lab: Sequence[dict | None]) -> dict[str, float]:
    """How long and how late the customer stays strongly emotional."""
    cue = [float((lab[i] or {}).get("cue_strength") or 0.0)
           for i, t in enumerate(x.turns) if t.speaker == "customer"]
    strong = [c >= STRONG for c in cue]
    n = max(1, len(cue))
    last = max((j for j, s in enumerate(strong) if s), default=-1)
    run = best = 0
    for s in strong:
        run = run + 1 if s else 0
        best = max(best, run)
    return {"late": (last + 1) / n, "run": min(best, 4) / 4, "count": min(sum(strong), 6) / 6,
            "turns": math.log1p(len(cue)) / 3}


def band(v: float, cuts: Sequence[float]) -> str:
    return "low" if v < cuts[0] else "high" if v >= cuts[1] else "medium"


def flag_cuts(predicted: np.ndarray, bands: Sequence[str], prior: list[float]) -> list[float]:
    """Cut points that maximise high-flag plus low-flag hits (the targets), then band hits."""
    cands = sorted({round(float(v), 1) for v in predicted})
    mids = sorted({round((a + b) / 2, 1) for a, b in pairwise(cands)} | set(prior))

    def score(cuts: tuple[float, float]) -> tuple[int, int, float]:
        pred = [band(v, cuts) for v in predicted]
        flags = sum((p == f) == (b == f) for p, b in zip(pred, bands, strict=True)
                    for f in ("high", "low"))
        return flags, sum(p == b for p, b in zip(pred, bands, strict=True)), -(
            abs(cuts[0] - prior[0]) + abs(cuts[1] - prior[1]))

    return list(max(((lo, hi) for lo in mids for hi in mids if lo < hi), key=score))


def out_of_fold(fit: Regressor, x: np.ndarray, y: np.ndarray, k: int = 5) -> np.ndarray:
    out = np.zeros(len(y))
    for j in range(k):
        held = list(range(j, len(y), k))
        rest = [i for i in range(len(y)) if i % k != j]
        out[held] = fit(x[rest], y[rest])(x[held])
    return out


# name: (regressor, cut rule, extra features); "-load" drops the shipped cue_load feature
VARIANTS: dict[str, tuple[Regressor, str, tuple[str, ...]]] = {
    "ridge 1 alone, in-sample cuts (sessions 6-7)": (ridge(DIFFICULTY_RIDGE), "in-sample", ()),
    "without cue_load, ridge 0.3 (session 5)": (ridge(0.3), "in-sample", ("-load",)),
    "without cue_load, ridge 1": (ridge(1.0), "in-sample", ("-load",)),
    "ridge 1, out-of-fold cuts": (ridge(1.0), "out-of-fold", ()),
    "ridge 1, cuts for the flags": (ridge(1.0), "flags", ()),
    "ridge 0.3, in-sample cuts": (ridge(0.3), "in-sample", ()),
    "ridge 3, in-sample cuts": (ridge(3.0), "in-sample", ()),
    "extra trees, out-of-fold cuts": (trees, "out-of-fold", ()),
    "mean of ridge 1 and trees (shipped)": (mean_of(ridge(1.0), trees), "out-of-fold", ()),
    "mean of ridge 1 and 100 trees": (mean_of(ridge(1.0), trees_of(100)), "out-of-fold", ()),
    "+ how late the last strong turn": (ridge(1.0), "in-sample", ("late",)),
    "+ longest run of strong turns": (ridge(1.0), "in-sample", ("run",)),
    "+ number of strong turns": (ridge(1.0), "in-sample", ("count",)),
    "+ number of customer turns": (ridge(1.0), "in-sample", ("turns",)),
    "+ all four": (ridge(1.0), "in-sample", ("late", "run", "count", "turns")),
}
LOAD = DIFFICULTY_FEATURES.index("cue_load")


def columns(base: list[float], extra: dict[str, float], keys: tuple[str, ...]) -> list[float]:
    row = [v for j, v in enumerate(base) if not ("-load" in keys and j == LOAD)]
    return row + [extra[k] for k in keys if k != "-load"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--first-repeat", type=int, default=0,
                    help="seed of the first shuffle (3 gives ten fresh shuffles after the default)")
    ap.add_argument("--fraction", type=float, default=1.0,
                    help="share of each fitting fold to fit on (a learning curve)")
    args = ap.parse_args()
    train, _ = split(load_conversations())
    analyzer = Analyzer(params=DEFAULT_PARAMS)
    xs, labels = label_conversations(train, analyzer)
    gold = np.array([c.difficulty for c in train], dtype=float)
    preds: dict[str, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    bands: dict[str, dict[int, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))

    def features(i: int, lab: Sequence[dict | None], params: dict) -> tuple[list[float], dict]:
        a = read_interaction(xs[i], lab, {}, {}, params)
        base = difficulty_features([t for t in a.turns if t.speaker == "customer"], lab,
                                   [t.text for t in xs[i].turns])
        return base, extra_features(xs[i], lab)

    for rep, fit, held, params, f_labels, h_labels, _h_words in cv_folds(
            train, xs, labels, analyzer, args.folds, args.repeats, args.fraction,
            args.first_repeat):
        f_rows = [features(i, lab, params) for i, lab in zip(fit, f_labels, strict=True)]
        h_rows = [features(i, lab, params) for i, lab in zip(held, h_labels, strict=True)]
        y = gold[fit]
        f_bands = [train[i].difficulty_band for i in fit]
        prior = _band_cuts([train[i] for i in fit])
        for name, (regressor, cut_rule, extras) in VARIANTS.items():
            xf = np.array([columns(b, e, extras) for b, e in f_rows])
            xh = np.array([columns(b, e, extras) for b, e in h_rows])
            predict = regressor(xf, y)
            on_fit = out_of_fold(regressor, xf, y) if cut_rule == "out-of-fold" else predict(xf)
            cuts = (flag_cuts(on_fit, f_bands, prior) if cut_rule == "flags"
                    else _tuned_cuts(on_fit, f_bands, prior))
            for i, v in zip(held, predict(xh), strict=True):
                preds[name][rep][i] = float(v)
                bands[name][rep][i] = band(float(v), cuts)

    n = len(train)
    print(f"{n} training conversations, {args.folds}-fold CV x {args.repeats}, "
          f"fitting on {args.fraction:.0%} of each fitting fold (shuffles {args.first_repeat}.."
          f"{args.first_repeat + args.repeats - 1})")
    print(f"  {'variant':42s} {'high':>6s} {'low':>6s} {'band':>6s} {'MAE':>6s}")
    for name in VARIANTS:
        figs: dict[str, list[float]] = defaultdict(list)
        for rep in bands[name]:
            b, p = bands[name][rep], preds[name][rep]
            for flag in ("high", "low"):
                figs[flag].append(sum((b[i] == flag) == (train[i].difficulty_band == flag)
                                      for i in range(n)) / n)
            figs["band"].append(sum(b[i] == train[i].difficulty_band for i in range(n)) / n)
            figs["mae"].append(sum(abs(p[i] - gold[i]) for i in range(n)) / n)
        print(f"  {name:42s} " + " ".join(f"{np.mean(figs[k]):6.3f}" if k != "mae"
                                           else f"{np.mean(figs[k]):6.1f}"
                                           for k in ("high", "low", "band", "mae")))


if __name__ == "__main__":
    main()
