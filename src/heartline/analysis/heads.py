"""Small linear heads over sentence embeddings, saved without pickle.

A head is a standardiser plus a weight matrix.  Trained with scikit-learn,
then only the numbers are kept: an artefact is a zip of ``.npy`` arrays and a
``meta.json`` entry, written with fixed timestamps and in a fixed order, so
the same data always gives byte-identical files.  ``numpy.load`` reads them.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from heartline.analysis.ngrams import NgramVectorizer

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class ArtefactError(RuntimeError):
    """A trained artefact is missing or unreadable; the message says how to rebuild it."""


def save_arrays(path: Path, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Write ``arrays`` and ``meta`` to ``path`` deterministically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            arr = np.ascontiguousarray(arrays[name])
            data = io.BytesIO()
            np.save(data, arr, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data.getvalue())
        info = zipfile.ZipInfo("meta.json", date_time=FIXED_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, json.dumps(meta, sort_keys=True, indent=1).encode())
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def load_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    if not path.is_file():
        raise ArtefactError(f"trained artefact {path} is missing; run `heartline train`")
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read("meta.json"))
            arrays = {
                n[:-4]: np.load(io.BytesIO(zf.read(n)), allow_pickle=False)
                for n in zf.namelist()
                if n.endswith(".npy")
            }
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArtefactError(f"{path} is not a readable artefact ({exc}); run `heartline train`")
    return arrays, meta


@dataclass
class LinearHead:
    """``y = ((x - mean) / scale) @ coef.T + intercept``; softmax, sigmoid or identity on top."""

    coef: np.ndarray
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    link: str  # "softmax" | "sigmoid" | "identity"
    labels: tuple[str, ...] = field(default_factory=tuple)
    sparse_coef: np.ndarray | None = None  # (outputs, n-gram vocabulary) or None

    def raw(self, x: np.ndarray, s: sp.spmatrix | None = None) -> np.ndarray:
        """Row by row, so a row's result never depends on which other rows share the batch."""
        z = (x.astype(np.float64) - self.mean) / self.scale
        out = np.empty((z.shape[0], self.coef.shape[0]))
        sparse = sp.csr_matrix(s) if self.sparse_coef is not None and s is not None else None
        for i in range(z.shape[0]):
            row = self.coef @ z[i] + self.intercept
            if sparse is not None:
                lo, hi = sparse.indptr[i], sparse.indptr[i + 1]
                cols = sparse.indices[lo:hi]
                row = row + self.sparse_coef[:, cols] @ sparse.data[lo:hi]  # type: ignore[index]
            out[i] = row
        return out

    def predict(self, x: np.ndarray, s: sp.spmatrix | None = None) -> np.ndarray:
        r = self.raw(x, s)
        if self.link == "softmax":
            r = r - r.max(axis=1, keepdims=True)
            e = np.exp(r)
            return e / e.sum(axis=1, keepdims=True)
        if self.link == "sigmoid":
            return 1.0 / (1.0 + np.exp(-np.clip(r, -40, 40)))
        return r

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {
            f"{prefix}.coef": self.coef.astype(np.float32),
            f"{prefix}.intercept": self.intercept.astype(np.float32),
            f"{prefix}.mean": self.mean.astype(np.float32),
            f"{prefix}.scale": self.scale.astype(np.float32),
        }
        if self.sparse_coef is not None:
            out[f"{prefix}.sparse_coef"] = self.sparse_coef.astype(np.float32)
        return out

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], prefix: str, link: str, labels: tuple[str, ...]
    ) -> LinearHead:
        try:
            return cls(
                coef=arrays[f"{prefix}.coef"].astype(np.float64),
                intercept=arrays[f"{prefix}.intercept"].astype(np.float64),
                mean=arrays[f"{prefix}.mean"].astype(np.float64),
                scale=arrays[f"{prefix}.scale"].astype(np.float64),
                link=link,
                labels=labels,
                sparse_coef=(
                    arrays[f"{prefix}.sparse_coef"].astype(np.float64)
                    if f"{prefix}.sparse_coef" in arrays
                    else None
                ),
            )
        except KeyError as exc:
            raise ArtefactError(f"artefact lacks {exc}; run `heartline train`") from exc


def standardiser(x: np.ndarray, weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale; ``weight`` shrinks the dense block relative to sparse n-grams."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    scale = scale / weight
    # round-trip through float32 so training and inference standardise identically
    return mean.astype(np.float32).astype(np.float64), scale.astype(np.float32).astype(np.float64)


def _design(
    x: np.ndarray, s: sp.spmatrix | None, weight: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray | sp.csr_matrix]:
    mean, scale = standardiser(x, weight if s is not None else 1.0)
    z = (x - mean) / scale
    if s is None:
        return mean, scale, z
    return mean, scale, sp.hstack([sp.csr_matrix(z), s]).tocsr()


def _split_coef(head: LinearHead, full: np.ndarray, n_dense: int, sparse: bool) -> LinearHead:
    head.coef = full[:, :n_dense]
    head.sparse_coef = full[:, n_dense:] if sparse else None
    return head


def fit_softmax(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    c: float,
    s: sp.spmatrix | None = None,
    weight: float = 1.0,
) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    mean, scale, z = _design(x, s, weight)
    present = sorted({int(v) for v in y})
    coef = np.zeros((n_classes, z.shape[1]))
    intercept = np.full(n_classes, -30.0)  # classes absent from training are never predicted
    if len(present) == 1:  # nothing to learn: always that class
        intercept[present[0]] = 30.0
        head = LinearHead(coef, intercept, mean, scale, "softmax")
        return _float32_roundtrip(_split_coef(head, coef, x.shape[1], s is not None))
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", tol=1e-6)
    model.fit(z, y)
    if len(present) == 2:  # binary problem: sklearn keeps one row
        coef[present[1]] = model.coef_[0] / 2
        coef[present[0]] = -model.coef_[0] / 2
        intercept[present[1]] = model.intercept_[0] / 2
        intercept[present[0]] = -model.intercept_[0] / 2
    else:
        for row, cls in enumerate(model.classes_):
            coef[int(cls)] = model.coef_[row]
            intercept[int(cls)] = model.intercept_[row]
    head = LinearHead(coef, intercept, mean, scale, "softmax")
    return _float32_roundtrip(_split_coef(head, coef, x.shape[1], s is not None))


def fit_sigmoids(
    x: np.ndarray, y: np.ndarray, c: float, s: sp.spmatrix | None = None, weight: float = 1.0
) -> LinearHead:
    """One binary logistic regression per column of ``y`` (multi-label)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale, z = _design(x, s, weight)
    coef = np.zeros((y.shape[1], z.shape[1]))
    intercept = np.full(y.shape[1], -30.0)
    for j in range(y.shape[1]):
        col = y[:, j]
        if col.min() == col.max():
            intercept[j] = 30.0 if col.min() == 1 else -30.0
            continue
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", tol=1e-6)
        model.fit(z, col)
        coef[j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    head = LinearHead(coef, intercept, mean, scale, "sigmoid")
    return _float32_roundtrip(_split_coef(head, coef, x.shape[1], s is not None))


def fit_ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> LinearHead:
    from sklearn.linear_model import Ridge

    mean, scale = standardiser(x)
    z = (x - mean) / scale
    model = Ridge(alpha=alpha)
    model.fit(z, y)
    coef = np.asarray(model.coef_, dtype=np.float64).reshape(1, -1)
    intercept = np.asarray([model.intercept_], dtype=np.float64).reshape(1)
    return _float32_roundtrip(LinearHead(coef, intercept, mean, scale, "identity"))


def _float32_roundtrip(head: LinearHead) -> LinearHead:
    """Training returns exactly the numbers a saved-and-loaded head has."""
    head.coef = head.coef.astype(np.float32).astype(np.float64)
    head.intercept = head.intercept.astype(np.float32).astype(np.float64)
    if head.sparse_coef is not None:
        head.sparse_coef = head.sparse_coef.astype(np.float32).astype(np.float64)
    return head


class TurnHead:
    """A yes/no head learnt from annotated *conversations*, one turn at a time.

    A sigmoid over a detector's dense features plus its own n-grams.  Subclasses
    name the artefact (``prefix``, ``name``) and its regularisation.
    """

    prefix = "turn"
    name = "turn.v1"
    c = 3.0
    dense_weight = 0.05

    def __init__(self, head: LinearHead, ngrams: NgramVectorizer, meta: dict | None = None):
        self.head = head
        self.ngrams = ngrams
        self.meta = dict(meta or {})

    @classmethod
    def fit(cls, x: np.ndarray, texts: Sequence[str], y: np.ndarray) -> TurnHead:
        ngrams = NgramVectorizer().fit(list(texts))
        head = fit_sigmoids(x, np.asarray(y, dtype=int)[:, None], cls.c,
                            ngrams.transform(list(texts)), cls.dense_weight)
        return cls(head, ngrams, {"name": cls.name, "c": cls.c,
                                  "dense_weight": cls.dense_weight, "n_train": len(texts),
                                  "positives": int(np.sum(y))})

    def predict(self, x: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        return self.predict_grams(x, self.ngrams.transform(list(texts)))

    def predict_grams(self, x: np.ndarray, grams: sp.spmatrix) -> np.ndarray:
        """``predict`` with the texts' n-grams already counted by ``self.ngrams``."""
        return self.head.predict(x, grams)[:, 0]

    def save(self, path: Path, extra_meta: dict | None = None) -> Path:
        ng_arrays, ng_meta = self.ngrams.to_arrays("ngrams")
        save_arrays(path, {**self.head.to_arrays(self.prefix), **ng_arrays},
                    {**self.meta, **ng_meta, **(extra_meta or {})})
        return path

    @classmethod
    def load(cls, path: Path) -> TurnHead:
        arrays, meta = load_arrays(path)
        return cls(LinearHead.from_arrays(arrays, cls.prefix, "sigmoid", (cls.prefix,)),
                   NgramVectorizer.from_arrays(arrays, meta, "ngrams"),
                   {k: v for k, v in meta.items() if not k.startswith("ngrams.")})
