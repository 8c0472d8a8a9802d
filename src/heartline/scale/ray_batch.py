"""Score many interactions on a Ray cluster (a local one by default).

Each actor builds one :class:`~heartline.analysis.Analyzer` and scores batches
of interactions sent to it as plain JSON dicts; results come back as the same
JSON dicts ``Analyzer.analyze_many`` gives locally, in input order.  A test
proves the two agree exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from heartline.domain import Interaction


def _batches(items: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def score_on_ray(
    interactions: Iterable[Interaction],
    *,
    num_actors: int = 2,
    batch_size: int = 64,
    address: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Analyse ``interactions`` on Ray and return their analyses as JSON dicts, in order.

    ``address`` joins an existing cluster; ``None`` starts a local one sized to this
    machine (and shuts it down afterwards).
    """
    import ray
    from ray.util import ActorPool

    payload = [i.model_dump(mode="json") for i in interactions]
    if not payload:
        return []
    started_here = False
    if not ray.is_initialized():
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            num_cpus=None if address else num_actors,
        )
        started_here = True
    try:

        @ray.remote(num_cpus=1)
        class Scorer:
            def __init__(self) -> None:
                import torch

                from heartline.analysis import Analyzer

                torch.set_num_threads(1)
                self.analyzer = Analyzer()

            def score(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
                items = [Interaction.model_validate(d) for d in batch]
                return [a.model_dump(mode="json") for a in self.analyzer.analyze_many(items)]

        pool = ActorPool([Scorer.remote() for _ in range(num_actors)])  # type: ignore[attr-defined]
        out: list[dict[str, Any]] = []
        for result in pool.map(lambda actor, b: actor.score.remote(b), _batches(payload, batch_size)):
            out.extend(result)
            if on_progress:
                on_progress(len(result))
        return out
    finally:
        if started_here:
            ray.shutdown()
