"""The difficulty forest: plain arrays that predict exactly what scikit-learn's trees predict."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import ExtraTreesRegressor

from heartline.analysis.forest import LEAF, Forest
from heartline.analysis.heads import ArtefactError, load_arrays, save_arrays


def data(seed: int, n: int = 80, k: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k))
    y = np.clip(40 + 15 * x[:, 1] - 10 * x[:, 2] * x[:, 3] + rng.normal(size=n), 0, 100)
    return x, y


def test_predictions_are_scikit_learns_exactly() -> None:
    x, y = data(0)
    forest = Forest.fit(x, y, n_trees=50, min_leaf=3, seed=0)
    model = ExtraTreesRegressor(n_estimators=50, min_samples_leaf=3, random_state=0).fit(x, y)
    probe = np.vstack([x, data(1, 200)[0]])
    assert np.array_equal(forest.predict(probe), model.predict(probe))
    # one row at a time gives the same as the batch (batch equals single)
    assert [forest.predict(row)[0] for row in probe[:20]] == list(forest.predict(probe[:20]))
    assert forest.predict(probe).min() >= y.min() and forest.predict(probe).max() <= y.max()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(6, 60), min_leaf=st.integers(1, 4))
def test_any_data_matches_scikit_learn(seed: int, n: int, min_leaf: int) -> None:
    x, y = data(seed, n, 4)
    x[:, 0] = np.round(x[:, 0])  # ties and repeated values
    forest = Forest.fit(x, y, n_trees=7, min_leaf=min_leaf, seed=seed)
    model = ExtraTreesRegressor(n_estimators=7, min_samples_leaf=min_leaf,
                                random_state=seed).fit(x, y)
    probe = np.vstack([x, data(seed + 1, 30, 4)[0]])
    assert np.array_equal(forest.predict(probe), model.predict(probe))


def test_same_data_gives_byte_identical_files(tmp_path: Path) -> None:
    x, y = data(2)
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    Forest.fit(x, y, n_trees=20).save(a, {"note": "x"})
    Forest.fit(x, y, n_trees=20).save(b, {"note": "x"})
    assert a.read_bytes() == b.read_bytes()
    loaded = Forest.load(a)
    assert loaded.n_features == x.shape[1] and len(loaded.roots) == 20
    assert np.array_equal(loaded.predict(x), Forest.fit(x, y, n_trees=20).predict(x))


def test_wrong_width_is_a_clear_error() -> None:
    x, y = data(3)
    with pytest.raises(ValueError, match="expects 6 features, got 5"):
        Forest.fit(x, y, n_trees=3).predict(x[:, :5])


def test_damaged_files_ask_for_training(tmp_path: Path) -> None:
    x, y = data(4)
    good = tmp_path / "good.npz"
    Forest.fit(x, y, n_trees=3).save(good)
    arrays, meta = load_arrays(good)

    looping = dict(arrays)
    inner = np.flatnonzero(arrays["feature"] != LEAF)
    looping["left"] = arrays["left"].copy()
    looping["left"][inner[-1]] = inner[-1]  # a node that points at itself would never end
    short = {**arrays, "value": arrays["value"][:-1]}
    missing = {k: v for k, v in arrays.items() if k != "roots"}
    for name, bad in (("looping", looping), ("short", short), ("missing", missing)):
        path = tmp_path / f"{name}.npz"
        save_arrays(path, bad, meta)
        with pytest.raises(ArtefactError, match="heartline train"):
            Forest.load(path)
    with pytest.raises(ArtefactError, match="missing"):
        Forest.load(tmp_path / "absent.npz")
