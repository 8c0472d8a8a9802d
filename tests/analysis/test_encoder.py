"""The encoder: offline, cached per text, and the same vector however it is computed."""

from __future__ import annotations

import numpy as np

from heartline.analysis.encoder import DIM, Encoder
from tests.analysis.sentences import (
    CANNED_LINE,
    FRUSTRATED_REPEAT_CALLER,
    GERMAN_COMPLAINT,
    GRATEFUL_CUSTOMER,
    OPEN_QUESTION,
)

TEXTS = [FRUSTRATED_REPEAT_CALLER, GRATEFUL_CUSTOMER, CANNED_LINE, OPEN_QUESTION,
         GERMAN_COMPLAINT] * 3 + [f"line number {i}" for i in range(20)]


def test_vectors_are_unit_length_and_empty_is_zero(encoder: Encoder) -> None:
    out = encoder.encode([GRATEFUL_CUSTOMER, ""])
    assert out.shape == (2, DIM)
    assert np.isclose(np.linalg.norm(out[0]), 1.0, atol=1e-3)
    assert not out[1].any()


def test_parallel_workers_give_bit_identical_vectors(encoder: Encoder) -> None:
    one = Encoder(cache_dir=encoder.cache_dir, threads=1).encode(TEXTS)
    two = Encoder(cache_dir=encoder.cache_dir, threads=2).encode(TEXTS)
    alone = np.stack([Encoder(cache_dir=encoder.cache_dir).encode([t])[0] for t in TEXTS[:5]])
    assert np.array_equal(one, two)
    assert np.array_equal(one[:5], alone)


def test_cache_is_bounded(encoder: Encoder) -> None:
    small = Encoder(cache_dir=encoder.cache_dir, cache_size=5)
    small.encode(TEXTS)
    assert len(small._cache) == 5
