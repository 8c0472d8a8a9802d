"""A small regression forest kept as plain arrays.

scikit-learn's ``ExtraTreesRegressor`` grows the trees at training time; only
their numbers are kept (split feature, threshold, children, leaf value), so the
artefact needs no pickle and prediction needs nothing but numpy.  Prediction
walks every tree at once, one level per step, and gives exactly what
scikit-learn's ``predict`` gives (it compares in float32, as scikit-learn does).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from heartline.analysis.heads import ArtefactError, load_arrays, save_arrays

LEAF = -1


@dataclass(frozen=True)
class Forest:
    """Trees laid end to end: node ``i`` splits on ``feature[i]`` at ``threshold[i]``.

    ``left``/``right`` are absolute node indices (``LEAF`` at a leaf), ``roots``
    the first node of each tree, ``value`` each node's mean target.
    """

    feature: np.ndarray  # int32, LEAF at leaves
    threshold: np.ndarray  # float64
    left: np.ndarray  # int32
    right: np.ndarray  # int32
    value: np.ndarray  # float64
    roots: np.ndarray  # int32
    n_features: int

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, n_trees: int = 300, min_leaf: int = 3,
            seed: int = 0) -> Forest:
        """Grow extremely randomised trees (deterministic for a given ``seed``)."""
        from sklearn.ensemble import ExtraTreesRegressor

        model = ExtraTreesRegressor(n_estimators=n_trees, min_samples_leaf=min_leaf,
                                    random_state=seed, n_jobs=1)
        model.fit(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        parts: dict[str, list[np.ndarray]] = {k: [] for k in
                                              ("feature", "threshold", "left", "right", "value")}
        roots, offset = [], 0
        for est in model.estimators_:
            t = est.tree_
            leaf = t.children_left == -1
            roots.append(offset)
            parts["feature"].append(np.where(leaf, LEAF, t.feature).astype(np.int32))
            parts["threshold"].append(np.where(leaf, 0.0, t.threshold).astype(np.float64))
            parts["left"].append(np.where(leaf, LEAF, t.children_left + offset).astype(np.int32))
            parts["right"].append(np.where(leaf, LEAF, t.children_right + offset)
                                  .astype(np.int32))
            parts["value"].append(t.value[:, 0, 0].astype(np.float64))
            offset += t.node_count
        return cls(**{k: np.concatenate(v) for k, v in parts.items()},
                   roots=np.array(roots, dtype=np.int32), n_features=int(x.shape[1]))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Mean leaf value over the trees, one prediction per row of ``x``."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float32)).astype(np.float64)
        if x.shape[1] != self.n_features:
            raise ValueError(f"forest expects {self.n_features} features, got {x.shape[1]}")
        rows = np.arange(len(x))[:, None]
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        while True:
            feat = self.feature[node]
            inner = feat != LEAF
            if not inner.any():
                break
            go_left = x[rows, np.where(inner, feat, 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        leaves = self.value[node]
        total = np.zeros(len(x))
        for j in range(leaves.shape[1]):  # in tree order, as scikit-learn adds them up
            total += leaves[:, j]
        return total / leaves.shape[1]

    # -- storage ------------------------------------------------------------------------------
    def save(self, path: Path, meta: dict | None = None) -> None:
        arrays = {"feature": self.feature, "threshold": self.threshold, "left": self.left,
                  "right": self.right, "value": self.value, "roots": self.roots}
        save_arrays(path, arrays, {**(meta or {}), "n_features": self.n_features,
                                   "n_trees": len(self.roots)})

    @classmethod
    def load(cls, path: Path) -> Forest:
        arrays, meta = load_arrays(path)
        try:
            forest = cls(feature=arrays["feature"].astype(np.int32),
                         threshold=arrays["threshold"].astype(np.float64),
                         left=arrays["left"].astype(np.int32),
                         right=arrays["right"].astype(np.int32),
                         value=arrays["value"].astype(np.float64),
                         roots=arrays["roots"].astype(np.int32),
                         n_features=int(meta["n_features"]))
        except KeyError as exc:
            raise ArtefactError(f"{path} lacks {exc}; run `heartline train`") from exc
        n = len(forest.feature)
        sizes = {len(forest.threshold), len(forest.left), len(forest.right), len(forest.value)}
        inner = forest.feature != LEAF
        if (sizes != {n} or not len(forest.roots) or forest.roots.max() >= n
                or (forest.feature[inner] >= forest.n_features).any()
                or (forest.left[inner] >= n).any() or (forest.right[inner] >= n).any()
                or (forest.left[inner] <= np.flatnonzero(inner)).any()
                or (forest.right[inner] <= np.flatnonzero(inner)).any()):
            raise ArtefactError(f"{path} is not a consistent forest; run `heartline train`")
        return forest
