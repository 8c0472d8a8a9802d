"""One contract for every detector, and the registry they join.

A detector is built from a config, ``fit`` on a batch of items (utterances or
interactions) returns the detector itself, ``transform`` maps a batch to one
result dict per item (``None`` where its ``selector`` does not apply), and
``score`` does the same for a single item.  Results carry exactly the keys the
detector declares in ``outputs``.  Built-in detectors register through
:func:`register` exactly as a plugin would, under versioned names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One turn to label: its words, who said it and the turn before it (context)."""

    text: str
    speaker: str
    context: str | None = None


class Detector(Generic[Item]):
    """Base class of every detector.  Subclasses set ``name`` and ``outputs``."""

    name: ClassVar[str]
    outputs: ClassVar[tuple[str, ...]]

    def selector(self, item: Item) -> bool:
        """Whether this detector applies to ``item`` (e.g. customer turns only)."""
        return True

    def fit(self, items: Sequence[Item], labels: Sequence[Any] | None = None) -> Detector[Item]:
        """Learn from labelled items; rule-based detectors have nothing to learn."""
        return self

    def transform(self, items: Sequence[Item]) -> list[dict[str, Any] | None]:
        chosen = [i for i, item in enumerate(items) if self.selector(item)]
        results = self._run([items[i] for i in chosen]) if chosen else []
        out: list[dict[str, Any] | None] = [None] * len(items)
        for i, res in zip(chosen, results, strict=True):
            out[i] = res
        return out

    def score(self, item: Item) -> dict[str, Any] | None:
        return self.transform([item])[0]

    def _run(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        raise NotImplementedError


@dataclass(frozen=True)
class Component:
    name: str
    outputs: tuple[str, ...]
    factory: Callable[..., Detector[Any]]
    default_config: dict[str, Any] = field(default_factory=dict)
    applies_to: str = "utterance"  # "utterance" | "interaction"


REGISTRY: dict[str, Component] = {}


def register(
    name: str, *, applies_to: str = "utterance", **default_config: Any
) -> Callable[[type[Detector[Any]]], type[Detector[Any]]]:
    """Class decorator: add a detector class to the registry under its versioned name."""

    def deco(cls: type[Detector[Any]]) -> type[Detector[Any]]:
        if name in REGISTRY:
            raise ValueError(f"a detector named {name!r} is already registered")
        if getattr(cls, "name", None) != name:
            raise ValueError(f"{cls.__name__}.name is {getattr(cls, 'name', None)!r}, not {name!r}")
        REGISTRY[name] = Component(name, cls.outputs, cls, dict(default_config), applies_to)
        return cls

    return deco


def create(name: str, **config: Any) -> Detector[Any]:
    """Build a registered detector with its default config, overridden by ``config``."""
    _load_builtins()
    if name not in REGISTRY:
        raise KeyError(f"no detector named {name!r}; known: {', '.join(sorted(REGISTRY))}")
    comp = REGISTRY[name]
    return comp.factory(**{**comp.default_config, **config})


def components() -> dict[str, Component]:
    _load_builtins()
    return dict(REGISTRY)


def _load_builtins() -> None:
    from heartline.analysis import behaviour, emotion, friction, listening  # noqa: F401
