"""Word and character n-gram TF-IDF features, stored as plain arrays.

The vocabulary and inverse document frequencies are learnt with
scikit-learn on the training split; at inference only the analyzers
(pure functions of the text) and the saved numbers are used, so nothing is
pickled and a saved vectorizer reproduces the training features exactly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

WORD_PATTERN = r"(?u)\b\w+\b"
MIN_DF_WORD = 2
MIN_DF_CHAR = 3
MAX_CHAR_FEATURES = 20_000
WORD_RANGE = (1, 2)
CHAR_RANGE = (3, 5)


def _analyzers() -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(ngram_range=WORD_RANGE, token_pattern=WORD_PATTERN).build_analyzer()
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE).build_analyzer()
    return word, char


class NgramVectorizer:
    """Two L2-normalised sublinear TF-IDF blocks: word 1-2-grams and char_wb 3-5-grams."""

    def __init__(self, vocab: Sequence[str] = (), idf: np.ndarray | None = None, n_word: int = 0):
        self.vocab = list(vocab)
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.idf = np.asarray(idf if idf is not None else np.zeros(0), dtype=np.float64)
        self.n_word = n_word
        self._word, self._char = _analyzers()

    @property
    def size(self) -> int:
        return len(self.vocab)

    def fit(self, texts: Sequence[str]) -> NgramVectorizer:
        from sklearn.feature_extraction.text import TfidfVectorizer

        word = TfidfVectorizer(
            ngram_range=WORD_RANGE, token_pattern=WORD_PATTERN, min_df=MIN_DF_WORD, sublinear_tf=True
        ).fit(texts)
        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_RANGE,
            min_df=MIN_DF_CHAR,
            sublinear_tf=True,
            max_features=MAX_CHAR_FEATURES,
        ).fit(texts)
        wv = sorted(word.vocabulary_, key=word.vocabulary_.__getitem__)
        cv = sorted(char.vocabulary_, key=char.vocabulary_.__getitem__)
        self.vocab = [f"w:{t}" for t in wv] + [f"c:{t}" for t in cv]
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.idf = np.concatenate([word.idf_, char.idf_]).astype(np.float32).astype(np.float64)
        self.n_word = len(wv)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return transform_many([self], texts)[0]

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict]:
        return {f"{prefix}.idf": self.idf.astype(np.float32)}, {
            f"{prefix}.vocab": self.vocab,
            f"{prefix}.n_word": self.n_word,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], meta: dict, prefix: str) -> NgramVectorizer:
        return cls(meta[f"{prefix}.vocab"], arrays[f"{prefix}.idf"], int(meta[f"{prefix}.n_word"]))


def transform_many(vectorizers: Sequence[NgramVectorizer], texts: Sequence[str]
                   ) -> list[sp.csr_matrix]:
    """The same texts under several vectorizers, each text's n-grams counted once.

    Every vectorizer uses the same two analyzers and differs only in vocabulary and
    idf, so several heads reading the same lines need one pass of n-gram extraction.
    """
    if not vectorizers:
        return []
    word, char = vectorizers[0]._word, vectorizers[0]._char
    parts: list[tuple[list[int], list[int], list[float]]] = [([], [], []) for _ in vectorizers]
    for r, text in enumerate(texts):
        for prefix, analyzer in (("w:", word), ("c:", char)):
            counts = Counter(analyzer(text))
            for vec, (rows, cols, vals) in zip(vectorizers, parts, strict=True):
                block: list[tuple[int, float]] = []
                for term, n in counts.items():
                    j = vec.index.get(prefix + term)
                    if j is not None:
                        block.append((j, (1.0 + math.log(n)) * vec.idf[j]))
                norm = math.sqrt(sum(v * v for _, v in block))
                for j, v in sorted(block):
                    rows.append(r)
                    cols.append(j)
                    vals.append(v / norm)
    return [sp.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)),
                          shape=(len(texts), vec.size))
            for vec, (rows, cols, vals) in zip(vectorizers, parts, strict=True)]
