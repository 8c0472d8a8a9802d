"""The words head: summaries of the customer's turns, a stored logistic head, out-of-fold values."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from heartline.analysis import Analyzer
from heartline.analysis.corpus import load_conversations
from heartline.analysis.heads import ArtefactError, save_arrays
from heartline.analysis.words import (
    WORDS_PARTS,
    WordsHead,
    out_of_fold_words,
    words_inputs,
    words_vector,
)
from heartline.domain import Interaction, Turn


def test_summaries_take_the_first_half_the_end_and_the_last_turn() -> None:
    v = np.arange(1, 6, dtype=np.float32)[:, None] * np.array([[1.0, -1.0]], dtype=np.float32)
    out = words_vector(v)  # five turns: the first three are early, the last two the end
    assert out.tolist() == [2.0, -2.0, 3.0, -1.0, 4.5, -4.5, 5.0, -5.0]
    one = words_vector(v[:1])  # one turn is early, end and last at once
    assert one.tolist() == [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0]
    three = words_vector(v[:3])  # under four turns the end is the last turn alone
    assert three[4:6].tolist() == [3.0, -3.0]
    assert words_vector(np.zeros((0, 2))).tolist() == [0.0] * 8


def _toy(n: int = 60, dim: int = 6, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim))
    return x, [int(v) for v in (x[:, 0] + 0.3 * rng.normal(size=n) > 0)]


def test_fit_save_load_gives_the_same_values_and_the_same_bytes(tmp_path: Path) -> None:
    x, y = _toy()
    head = WordsHead.fit(x, y)
    assert head is not None
    p = head.predict(x)
    assert ((p >= 0.5) == np.array(y, dtype=bool)).mean() > 0.85
    head.save(tmp_path / "a.npz")
    WordsHead.fit(x, y).save(tmp_path / "b.npz")  # type: ignore[union-attr]
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    loaded = WordsHead.load(tmp_path / "a.npz")
    assert np.array_equal(loaded.predict(x), p)  # training keeps the stored precision
    assert WordsHead.fit(x, [1] * len(y)) is None  # one class: nothing to learn
    with pytest.raises(ValueError, match="rows of 6 values"):
        head.predict(x[:, :5])


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, (7, 6), elements=st.floats(-5, 5)))
def test_a_row_reads_the_same_alone_and_in_a_batch(rows: np.ndarray) -> None:
    head = WordsHead.fit(*_toy())
    assert head is not None
    batch = head.predict(rows)
    assert all(head.predict(rows[i:i + 1])[0] == batch[i] for i in range(len(rows)))


def test_a_damaged_or_foreign_file_asks_for_training(tmp_path: Path) -> None:
    head = WordsHead.fit(*_toy())
    assert head is not None
    head.save(tmp_path / "ok.npz")
    with pytest.raises(ArtefactError, match="another version"):
        WordsHead.load(tmp_path / "ok.npz", dim=384)  # six wide, not four summaries of 384
    save_arrays(tmp_path / "short.npz", {"coef": head.coef.astype(np.float32)},
                {"parts": list(WORDS_PARTS)})
    with pytest.raises(ArtefactError, match="heartline train"):
        WordsHead.load(tmp_path / "short.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ArtefactError, match="heartline train"):
        WordsHead.load(tmp_path / "junk.npz")


def test_values_are_out_of_fold() -> None:
    """A conversation's value never comes from a head that saw its own label."""
    convs = sorted(load_conversations(), key=lambda c: c.id)[:40]
    x = np.random.default_rng(1).normal(size=(len(convs), 8))
    base = out_of_fold_words(convs, x)
    flipped = copy.deepcopy(convs)
    flipped[0].deescalated = not flipped[0].deescalated
    again = out_of_fold_words(flipped, x)
    assert again[0] == base[0]
    assert again[1:] != base[1:]
    assert all(0.0 < v < 1.0 for v in base)


def test_the_analyzer_reads_each_interaction_on_its_own(analyzer: Analyzer) -> None:
    def call(i: str, *lines: str) -> Interaction:
        turns = []
        for k, text in enumerate(lines):
            turns.append(Turn(speaker="customer" if k % 2 == 0 else "agent", text=text))
        return Interaction(id=i, turns=turns)

    calmed = call("a", "I'm furious, this is the third time my card has been blocked!",
                  "I'm sorry, that's infuriating. I've unblocked it and stopped the flag.",
                  "Oh brilliant, that's sorted then. Thank you so much.")
    routine = call("b", "Hi, could you tell me my balance please?", "Of course, it's 240 pounds.",
                   "Great, thanks.")
    still = call("c", "This is a joke. Nobody has called me back in two weeks.",
                 "I can see the ticket.", "Fine. Whatever. I'm cancelling.")
    xs = [calmed, routine, still]
    batch = analyzer.words(xs)
    assert [analyzer.words([x])[0] for x in xs] == batch
    assert batch[0] > 0.5 > max(batch[1], batch[2])
    assert analyzer.words([]) == []
    assert words_inputs(analyzer.encoder, xs).shape == (3, len(WORDS_PARTS) * 384)
    assert Analyzer(Path("/nonexistent"), analyzer.encoder).words(xs) == [0.0] * 3
