"""Artefacts are plain arrays, saved deterministically, and heads score rows independently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from heartline.analysis.heads import (
    ArtefactError,
    LinearHead,
    fit_sigmoids,
    fit_softmax,
    load_arrays,
    save_arrays,
)
from heartline.analysis.ngrams import NgramVectorizer


def _data(n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(0)
    x = rng.normal(size=(n, 5))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int) + (x[:, 2] > 1).astype(int)
    return x, y


def test_save_is_byte_identical_and_round_trips(tmp_path: Path) -> None:
    x, y = _data()
    head = fit_softmax(x, y, 3, 1.0)
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    save_arrays(a, head.to_arrays("h"), {"k": 1})
    save_arrays(b, fit_softmax(x, y, 3, 1.0).to_arrays("h"), {"k": 1})
    assert a.read_bytes() == b.read_bytes()
    arrays, meta = load_arrays(a)
    again = LinearHead.from_arrays(arrays, "h", "softmax", ())
    assert meta == {"k": 1}
    assert np.array_equal(again.predict(x), head.predict(x))


def test_rows_do_not_depend_on_the_batch() -> None:
    x, y = _data()
    head = fit_sigmoids(x, np.stack([y > 0, y > 1], axis=1).astype(int), 1.0)
    whole = head.predict(x)
    for i in (0, 7, 59):
        assert np.array_equal(head.predict(x[i : i + 1])[0], whole[i])


def test_ngram_features_round_trip(tmp_path: Path) -> None:
    texts = ["i am so sorry", "so sorry about that", "what is your account number",
             "your account number please", "sorry about the wait"]
    vec = NgramVectorizer().fit(texts)
    arrays, meta = vec.to_arrays("ng")
    again = NgramVectorizer.from_arrays(arrays, meta, "ng")
    a, b = vec.transform(texts), again.transform(texts)
    assert isinstance(a, sp.csr_matrix)
    assert np.allclose(a.toarray(), b.toarray())
    norms = np.sqrt((a.toarray() ** 2).sum(axis=1))
    # each non-empty block (words, characters) is a unit vector
    assert all(np.isclose(n, 1.0) or np.isclose(n, np.sqrt(2)) for n in norms)


def test_missing_artefact_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ArtefactError, match="heartline train"):
        load_arrays(tmp_path / "nope.npz")


def test_a_single_class_is_always_predicted() -> None:
    x, _ = _data()
    head = fit_softmax(x, np.full(len(x), 2), 3, 1.0)
    assert (head.predict(x).argmax(axis=1) == 2).all()
