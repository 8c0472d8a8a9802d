"""``heartline train``: rebuild every trained artefact from the corpus in the repo.

Only the training split is used (see :mod:`heartline.analysis.corpus`);
hyper-parameters and thresholds are chosen by cross-validation inside it.
Folds, candidate grids and tie-breaks are fixed, so the same data always
gives byte-identical artefacts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from heartline.analysis import behaviour as behaviour_mod
from heartline.analysis import corpus as corpus_mod
from heartline.analysis import emotion as emotion_mod
from heartline.analysis.encoder import Encoder
from heartline.analysis.heads import fit_ridge, fit_sigmoids, fit_softmax
from heartline.analysis.ngrams import NgramVectorizer
from heartline.analysis.registry import Utterance
from heartline.domain import BEHAVIOURS, EMOTIONS

EMOTION_C = (10.0, 30.0, 100.0)
INTENSITY_ALPHA = (30.0, 300.0, 3000.0)
# (C, dense weight) pairs: the behaviour head leans on n-grams, and the 1,900-odd dense
# features need far stronger shrinkage than C alone gives (chosen by training-split CV)
BEHAVIOUR_GRID = ((10.0, 0.03), (30.0, 0.02), (100.0, 0.02))
DENSE_WEIGHT = 0.05
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.86, 0.05))
FOLDS = 5

Progress = Callable[[str, int], None]  # (description, steps advanced)


class TrainingError(ValueError):
    """The corpus is too small or inconsistent to train on."""


@dataclass
class TrainReport:
    files: dict[str, str]  # artefact → sha256
    n_customer: int
    n_agent: int
    n_conversations: int
    emotion_c: float
    intensity_alpha: float
    behaviour_c: float
    behaviour_dense_weight: float
    cv_emotion_macro_f1: float
    cv_behaviour_macro_f1: float


def _folds(n: int, strat: np.ndarray | None = None) -> list[np.ndarray]:
    """Deterministic fold ids: stratified round-robin over a fixed permutation."""
    rng = np.random.RandomState(20261124)
    order = rng.permutation(n)
    fold = np.zeros(n, dtype=int)
    if strat is None:
        fold[order] = np.arange(n) % FOLDS
    else:
        for cls in sorted(set(strat.tolist())):
            members = [i for i in order if strat[i] == cls]
            for k, i in enumerate(members):
                fold[i] = k % FOLDS
    return [np.where(fold == k)[0] for k in range(FOLDS)]


def _fold_ngrams(texts: list[str], folds: list[np.ndarray]) -> list[tuple[Any, Any]]:
    """Per fold, n-gram features fitted on the fold's training part only."""
    out = []
    for test in folds:
        train_idx = np.setdiff1d(np.arange(len(texts)), test)
        ng = NgramVectorizer().fit([texts[i] for i in train_idx])
        out.append((ng.transform([texts[i] for i in train_idx]),
                    ng.transform([texts[i] for i in test])))
    return out


def _macro_f1(y_true: np.ndarray, y_pred: np.ndarray, n: int) -> float:
    f1s = []
    for c in range(n):
        tp = int(((y_pred == c) & (y_true == c)).sum())
        fp = int(((y_pred == c) & (y_true != c)).sum())
        fn = int(((y_pred != c) & (y_true == c)).sum())
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s)) if f1s else 0.0


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int((y & pred).sum())
    fp = int((~y & pred).sum())
    fn = int((y & ~pred).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def train(
    artefacts: Path,
    corpus_dir: Path = corpus_mod.CORPUS_DIR,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
) -> TrainReport:
    """Fit every head on the training split and write the artefacts to ``artefacts``."""
    step = progress or (lambda desc, n: None)
    enc = encoder or Encoder()
    customers, _ = corpus_mod.split(corpus_mod.load_customer(corpus_dir))
    agents, _ = corpus_mod.split(corpus_mod.load_agent(corpus_dir))
    conversations, _ = corpus_mod.split(corpus_mod.load_conversations(corpus_dir))
    if len(customers) < 20 or len(agents) < 20:
        raise TrainingError(
            f"the corpus in {corpus_dir} has too few training examples "
            f"({len(customers)} customer, {len(agents)} agent; need 20 of each)"
        )
    step("encoding customer turns", 1)
    texts_c = [e.text for e in customers]
    texts_a = [e.text for e in agents]
    xc = emotion_mod.features(enc, texts_c)
    yc = np.array([EMOTIONS.index(e.emotion) for e in customers])
    yi = np.array([e.intensity for e in customers])
    step("encoding agent turns", 1)
    xa = behaviour_mod.features(enc, [e.text for e in agents], [e.context for e in agents])
    ya = np.array([[int(b in e.behaviours) for b in BEHAVIOURS] for e in agents], dtype=bool)

    # emotion: C by cross-validated macro-F1
    folds_c = _folds(len(customers), yc)
    fold_ng_c = _fold_ngrams(texts_c, folds_c)
    best_c, best_f1 = EMOTION_C[0], -1.0
    for c in EMOTION_C:
        pred = np.zeros(len(yc), dtype=int)
        for k in range(FOLDS):
            test = folds_c[k]
            train_idx = np.setdiff1d(np.arange(len(yc)), test)
            s_train, s_test = fold_ng_c[k]
            head = fit_softmax(xc[train_idx], yc[train_idx], len(EMOTIONS), c, s_train,
                               DENSE_WEIGHT)
            pred[test] = head.predict(xc[test], s_test).argmax(axis=1)
        f1 = _macro_f1(yc, pred, len(EMOTIONS))
        if f1 > best_f1 + 1e-9:
            best_c, best_f1 = c, f1
        step(f"emotion C={c}: cv macro-F1 {f1:.3f}", 1)
    best_alpha, best_mae = INTENSITY_ALPHA[0], float("inf")
    for alpha in INTENSITY_ALPHA:
        err = np.zeros(len(yi))
        for k in range(FOLDS):
            test = folds_c[k]
            train_idx = np.setdiff1d(np.arange(len(yi)), test)
            head = fit_ridge(xc[train_idx], yi[train_idx], alpha)
            err[test] = np.abs(np.clip(head.predict(xc[test])[:, 0], 0, 1) - yi[test])
        if err.mean() < best_mae - 1e-9:
            best_alpha, best_mae = alpha, float(err.mean())
        step(f"intensity alpha={alpha}: cv MAE {err.mean():.3f}", 1)

    # behaviours: C and per-label thresholds by cross-validated F1
    folds_a = _folds(len(agents))
    fold_ng_a = _fold_ngrams(texts_a, folds_a)
    best_bc, best_bw = BEHAVIOUR_GRID[0]
    best_bf1, best_thr = -1.0, np.full(len(BEHAVIOURS), 0.5)
    for c, w in BEHAVIOUR_GRID:
        oof = np.zeros(ya.shape)
        for k in range(FOLDS):
            test = folds_a[k]
            train_idx = np.setdiff1d(np.arange(len(ya)), test)
            s_train, s_test = fold_ng_a[k]
            head = fit_sigmoids(xa[train_idx], ya[train_idx].astype(int), c, s_train, w)
            oof[test] = head.predict(xa[test], s_test)
        thr = np.zeros(len(BEHAVIOURS))
        f1s = []
        for j in range(len(BEHAVIOURS)):
            scores = [(_f1(ya[:, j], oof[:, j] >= t), -abs(t - 0.5), t) for t in THRESHOLDS]
            f, _, t = max(scores)
            thr[j] = t
            if ya[:, j].any():
                f1s.append(f)
        f1 = float(np.mean(f1s)) if f1s else 0.0
        if f1 > best_bf1 + 1e-9:
            best_bc, best_bw, best_bf1, best_thr = c, w, f1, thr
        step(f"behaviours C={c} w={w}: cv macro-F1 {f1:.3f}", 1)

    artefacts.mkdir(parents=True, exist_ok=True)
    data_hash = _corpus_hash(corpus_dir)
    meta = {"corpus_sha256": data_hash, "cv_macro_f1": None}

    emo = emotion_mod.EmotionDetector(
        enc, artefacts, c=best_c, alpha=best_alpha, dense_weight=DENSE_WEIGHT
    )
    emo.fit([Utterance(e.text, "customer", e.context) for e in customers],
            [(e.emotion, e.intensity) for e in customers])
    emo.save(extra_meta={**meta, "cv_macro_f1": round(best_f1, 4),
                         "cv_intensity_mae": round(best_mae, 4)})
    step("emotion head saved", 1)

    beh = behaviour_mod.BehaviourDetector(enc, artefacts, c=best_bc, dense_weight=best_bw)
    beh.fit([Utterance(e.text, "agent", e.context) for e in agents],
            [e.behaviours for e in agents])
    beh.thresholds = best_thr
    beh.save(extra_meta={**meta, "cv_macro_f1": round(best_bf1, 4),
                         "thresholds": [float(t) for t in best_thr]})
    step("behaviour head saved", 1)

    _write_interaction_params(artefacts, conversations, enc, data_hash)
    step("interaction parameters saved", 1)

    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(artefacts.iterdir())
        if p.is_file() and not p.name.endswith(".tmp")
    }
    return TrainReport(files, len(customers), len(agents), len(conversations), best_c,
                       best_alpha, best_bc, best_bw, best_f1, best_bf1)


def train_interaction(
    artefacts: Path, corpus_dir: Path = corpus_mod.CORPUS_DIR, encoder: Encoder | None = None
) -> Path:
    """Refit only the interaction-level parameters on the heads already in ``artefacts``.

    The result is the file a full :func:`train` would write when the heads are
    unchanged (only conversations were added or edited), in seconds instead of minutes.
    """
    for name in ("emotion.customer.v1.npz", "behaviour.agent.v1.npz"):
        if not (artefacts / name).is_file():
            raise TrainingError(f"{artefacts / name} is missing; run a full `heartline train`")
    conversations, _ = corpus_mod.split(corpus_mod.load_conversations(corpus_dir))
    return _write_interaction_params(artefacts, conversations, encoder or Encoder(),
                                     _corpus_hash(corpus_dir))


def _write_interaction_params(artefacts: Path, conversations: list[corpus_mod.Conversation],
                              encoder: Encoder, data_hash: str) -> Path:
    from heartline.analysis.pipeline import DIFFICULTY_FOREST_FILE, tune_interaction_params
    from heartline.analysis.words import WORDS_FILE

    params = tune_interaction_params(conversations, artefacts, encoder)
    # the fitted parts kept as arrays next to the parameters, which name their files
    for key, name in (("difficulty_forest", DIFFICULTY_FOREST_FILE),
                      ("deescalation_words", WORDS_FILE)):
        part = params.pop(key, None)
        if part is not None:
            part.save(artefacts / name, {"corpus_sha256": data_hash})
            params[key] = name
        else:
            (artefacts / name).unlink(missing_ok=True)
            params[key] = None
    path = artefacts / "interaction.v1.json"
    path.write_text(
        json.dumps({**params, "corpus_sha256": data_hash, "n_conversations": len(conversations)},
                   sort_keys=True, indent=1) + "\n"
    )
    return path


TRAIN_STEPS = 2 + len(EMOTION_C) + len(INTENSITY_ALPHA) + len(BEHAVIOUR_GRID) + 3


def _corpus_hash(corpus_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(corpus_dir.glob("*.jsonl")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()
