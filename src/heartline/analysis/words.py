"""The customer's words read whole: a conversation-level head for de-escalation.

The turn labels say how each customer turn felt, and the de-escalation model
reads them as early and end summaries.  Some of what annotators go by only shows
in the wording as a whole: a worry that is named once and then answered, or a
closing "right, thanks" that still sounds beaten.  This head reads the customer's
sentence embeddings directly: the mean and the element-wise maximum over the
first half of their turns, the mean over the end turns (the last two once there
are four or more), and the last turn.  A logistic regression on those gives a
probability that becomes one more de-escalation feature.  The interaction model
is fitted on out-of-fold values, as it is for ``cue_strength``, so it meets the
head's values as they are on unseen calls (chosen on training cross-validation:
bench/cv_interaction.py and the model card).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from heartline.analysis.heads import ArtefactError, load_arrays, save_arrays
from heartline.domain import Interaction

#: file name of the stored head, next to interaction.v1.json
WORDS_FILE = "deescalation.words.v1.npz"
#: inverse regularisation (a plateau from 3 to 10 on training CV; bench/cv_interaction.py)
WORDS_C = 3.0
#: summaries of the customer's turns, each one embedding wide
WORDS_PARTS = ("early_mean", "early_max", "end_mean", "last")


def customer_texts(x: Interaction) -> list[str]:
    return [t.text.strip() for t in x.turns if t.speaker == "customer"]


def words_vector(vectors: np.ndarray) -> np.ndarray:
    """The four summaries of one call's customer-turn embeddings, end to end."""
    n, dim = vectors.shape
    if n == 0:
        return np.zeros(len(WORDS_PARTS) * dim)
    v = vectors.astype(np.float64)
    early = v[: max(1, math.ceil(n / 2))]
    end = v[-2:] if n >= 4 else v[-1:]
    return np.concatenate([early.mean(axis=0), early.max(axis=0), end.mean(axis=0), v[-1]])


def words_inputs(encoder: Any, xs: Sequence[Interaction]) -> np.ndarray:
    """One row of summaries per interaction; every distinct text is encoded once."""
    texts = [customer_texts(x) for x in xs]
    flat = encoder.encode([t for ts in texts for t in ts])
    rows, pos = [], 0
    for ts in texts:
        rows.append(words_vector(flat[pos:pos + len(ts)]))
        pos += len(ts)
    if not rows:
        return np.zeros((0, len(WORDS_PARTS) * flat.shape[1]))
    return np.array(rows)


@dataclass(frozen=True)
class WordsHead:
    """``sigmoid(x @ coef + intercept)`` over ``words_vector`` rows."""

    coef: np.ndarray  # float64, stored as float32
    intercept: float

    @classmethod
    def fit(cls, x: np.ndarray, y: Sequence[int], c: float = WORDS_C) -> WordsHead | None:
        """``None`` when the targets hold one class only (nothing to learn)."""
        if len(set(y)) < 2:
            return None
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, max_iter=3000, tol=1e-6)
        model.fit(x, np.asarray(y))
        # exactly the numbers a saved-and-loaded head has
        return cls(coef=model.coef_[0].astype(np.float32).astype(np.float64),
                   intercept=float(np.float32(model.intercept_[0])))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Row by row, so a row's value never depends on which other rows share the batch."""
        if x.ndim != 2 or x.shape[1] != len(self.coef):
            raise ValueError(f"expected rows of {len(self.coef)} values, got shape {x.shape}")
        z = np.array([float(np.dot(row, self.coef)) for row in x]) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))

    def save(self, path: Path, meta: dict | None = None) -> None:
        save_arrays(path, {"coef": self.coef.astype(np.float32),
                           "intercept": np.array([self.intercept], dtype=np.float32)},
                    {**(meta or {}), "parts": list(WORDS_PARTS)})

    @classmethod
    def load(cls, path: Path, dim: int | None = None) -> WordsHead:
        arrays, meta = load_arrays(path)
        try:
            coef = arrays["coef"].astype(np.float64)
            intercept = float(arrays["intercept"].reshape(-1)[0])
        except (KeyError, IndexError) as exc:
            raise ArtefactError(f"{path} lacks {exc}; run `heartline train`") from exc
        if coef.ndim != 1 or meta.get("parts") != list(WORDS_PARTS) or (
                dim is not None and len(coef) != len(WORDS_PARTS) * dim):
            raise ArtefactError(f"{path} was trained for another version of the words head; "
                                "run `heartline train`")
        return cls(coef=coef, intercept=intercept)


def words_targets(conversations: Sequence[Any]) -> list[int]:
    return [int(c.deescalated) for c in conversations]


def out_of_fold_words(conversations: Sequence[Any], inputs: np.ndarray,
                      folds: int = 5) -> list[float]:
    """Each conversation's value from a head fitted without it (folds by sorted id)."""
    order = sorted(range(len(conversations)), key=lambda i: conversations[i].id)
    y = words_targets(conversations)
    out = [0.0] * len(conversations)
    for k in range(min(folds, len(order))):
        held = order[k::folds]
        held_set = set(held)
        rest = [i for i in order if i not in held_set]
        head = WordsHead.fit(inputs[rest], [y[i] for i in rest])
        if head is None:
            continue
        for i, v in zip(held, head.predict(inputs[held]), strict=True):
            out[i] = float(v)
    return out
