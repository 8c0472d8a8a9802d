"""Ingest throughput into SQLite: parse + validate + redact + store (no analysis).

    python bench/bench_ingest.py [--interactions 5000] [--repeat 3]

Writes the demo organisation's interactions as Heartline JSONL, then imports
the file into a fresh SQLite database several times and prints the figures.
Target (issue 2): >= 2,000 interactions/s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import orjson

from heartline.demo import generate, iter_jsonl
from heartline.ingest.pipeline import ingest
from heartline.settings import Settings
from heartline.store.engine import make_engine, migrate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--interactions", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo.jsonl"
        org = generate(seed=7, end=date(2026, 11, 20), interactions=args.interactions)
        with src.open("wb") as fh:
            for row in iter_jsonl(org):
                fh.write(orjson.dumps(row) + b"\n")
        turns = sum(len(i.turns) for i in org.interactions)
        size_mb = src.stat().st_size / 1e6
        print(f"input: {len(org.interactions)} interactions, {turns} turns, {size_mb:.1f} MB JSONL")
        rates = []
        for n in range(args.repeat):
            settings = Settings(data_dir=Path(tmp) / f"run{n}", environment="test")
            engine = make_engine(settings)
            migrate(engine)
            t0 = time.perf_counter()
            report = ingest(engine, [src], batch_size=settings.ingest_batch_size)
            elapsed = time.perf_counter() - t0
            engine.dispose()
            assert report.stored_by_kind["interaction"] == len(org.interactions), report
            rates.append(len(org.interactions) / elapsed)
            print(
                f"run {n + 1}: {elapsed:.2f} s, {rates[-1]:,.0f} interactions/s, "
                f"{turns / elapsed:,.0f} turns/s"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"ingest throughput (median of {args.repeat}): {statistics.median(rates):,.0f} "
            f"interactions/s; peak RSS {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
