"""Speed and memory of the analysis engine (prints figures; not a pass/fail test).

    python bench/bench_analysis.py [--sample 150] [--limit N]

Interactions come from the demo organisation (``heartline.demo.generate(seed=7,
end=date(2026, 11, 20))``); where that is unavailable, from the annotated
conversations of the corpus.  Three measurements:

1. full analysis of every interaction, streamed in chunks of 500, with 1 and 2
   encoder workers (each a single-threaded onnxruntime session; the fast path
   does not load torch), each with a cold embedding cache (the quantized ONNX
   graph is cached on disk);
2. the naive path on a sample: every utterance encoded with sentence-transformers
   (torch threads = 1), one by one, interaction by interaction, then the same
   heads; and the fast
   path on the same sample, cold, side by side;
3. peak resident memory (``resource.getrusage``), read after the fast path and
   again after the naive one (which loads torch).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from heartline.analysis.encoder import DIM, Encoder, load_sentence_transformer
from heartline.analysis.pipeline import Analyzer
from heartline.domain import Interaction


class NaiveEncoder:
    """sentence-transformers, one text per call, no cache, no dedup: the baseline."""

    def __init__(self, threads: int) -> None:
        self.model = load_sentence_transformer(threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            if t:
                out[i] = self.model.encode([t], normalize_embeddings=True)[0]
        return out


def interactions(limit: int | None) -> tuple[list[Interaction], str]:
    try:
        from heartline.demo import generate

        xs = list(generate(seed=7, end=date(2026, 11, 20)).interactions)
        source = "demo generate(seed=7, end=2026-11-20)"
    except (ImportError, AttributeError, TypeError, ValueError) as exc:  # demo is optional
        from heartline.analysis.corpus import load_conversations
        from heartline.analysis.pipeline import conversation_interaction

        xs = [conversation_interaction(c) for c in load_conversations()]
        source = f"corpus conversations (demo unavailable: {exc})"
    return (xs[:limit] if limit else xs), source


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def set_torch_threads(n: int) -> None:
    import torch

    torch.set_num_threads(n)


def fast(xs: list[Interaction], threads: int, chunk: int = 500) -> float:
    """The fast path runs on onnxruntime (``threads`` parallel sessions); torch is not loaded."""
    analyzer = Analyzer(encoder=Encoder(threads=threads))
    analyzer.analyze(Interaction(id="warm-up", turns=[]))  # load heads (not the cache)
    analyzer.label_customer(["warm up the encoder"])
    analyzer.encoder._cache.clear()
    t = time.perf_counter()
    for start in range(0, len(xs), chunk):  # streamed in chunks, as `heartline analyze` does
        analyzer.analyze_many(xs[start : start + chunk])
    return time.perf_counter() - t


def naive(xs: list[Interaction], threads: int) -> float:
    set_torch_threads(threads)
    analyzer = Analyzer(encoder=NaiveEncoder(threads))  # type: ignore[arg-type]
    analyzer.label_customer(["warm up the encoder"])
    t = time.perf_counter()
    for x in xs:
        analyzer.analyze(x)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=150, help="interactions for the naive path")
    ap.add_argument("--limit", type=int, default=None, help="analyse only the first N")
    args = ap.parse_args()

    xs, source = interactions(args.limit)
    turns = sum(len(x.turns) for x in xs)
    unique = len({t.text for x in xs for t in x.turns})
    print(f"interactions: {len(xs)} from {source}; {turns} turns, {unique} distinct lines")
    for threads in (1, 2):
        secs = fast(xs, threads)
        rate = len(xs) / secs
        print(f"fast path, threads={threads}: {secs:.1f} s, {rate:.1f} interactions/s, "
              f"{rate / threads:.1f} per core")
    print(f"peak memory after the fast path: {peak_mb():.0f} MB")

    sample = xs[: args.sample]
    t_fast = fast(sample, 1)
    t_naive = naive(sample, 1)
    print(f"side by side on {len(sample)} interactions, threads=1: fast {t_fast:.2f} s "
          f"({len(sample) / t_fast:.1f}/s), naive {t_naive:.2f} s "
          f"({len(sample) / t_naive:.1f}/s): {t_naive / t_fast:.1f}x faster")
    print(f"peak memory after the naive path too: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
