"""The labelled corpus in ``analysis/corpus/`` and its fixed train/test split.

An example is held out for testing when ``int(sha1(id), 16) % 4 == 0`` (about a
quarter).  The split depends on the id alone, so it never moves as the corpus
grows, and the test part is never used for training or tuning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import orjson

from heartline.domain import BEHAVIOURS, EMOTIONS

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


class CorpusError(ValueError):
    """A corpus line that cannot be used; the message names the file and line."""


def is_test(example_id: str) -> bool:
    return int(hashlib.sha1(example_id.encode("utf-8")).hexdigest(), 16) % 4 == 0


@dataclass(frozen=True, slots=True)
class CustomerExample:
    id: str
    text: str
    context: str | None
    emotion: str
    intensity: float


@dataclass(frozen=True, slots=True)
class AgentExample:
    id: str
    text: str
    context: str | None
    behaviours: tuple[str, ...]
    # the first and second (blind) annotations and any third vote, when recorded
    annotations: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(slots=True)
class Conversation:
    id: str
    turns: list[dict]
    deescalated: bool
    robotic: bool
    difficulty: float
    difficulty_band: str
    missed_emotion_turns: list[int]
    extra: dict = field(default_factory=dict)


T = TypeVar("T", CustomerExample, AgentExample, Conversation)


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise CorpusError(f"{path.name}, line {n}: not JSON ({exc})") from exc
            if not isinstance(obj, dict):
                raise CorpusError(f"{path.name}, line {n}: expected an object")
            yield n, obj


def _files(directory: Path, prefix: str) -> list[Path]:
    return sorted(directory.glob(f"{prefix}_*.jsonl"))


def load_customer(directory: Path = CORPUS_DIR) -> list[CustomerExample]:
    out: list[CustomerExample] = []
    seen: set[str] = set()
    for path in _files(directory, "customer"):
        for n, o in _lines(path):
            try:
                ex = CustomerExample(
                    id=str(o["id"]),
                    text=str(o["text"]).strip(),
                    context=(str(o["context"]).strip() or None) if o.get("context") else None,
                    emotion=str(o["emotion"]),
                    intensity=float(o.get("intensity", 0.5)),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise CorpusError(f"{path.name}, line {n}: missing or bad field {exc}") from exc
            if ex.emotion not in EMOTIONS:
                raise CorpusError(f"{path.name}, line {n}: unknown emotion {ex.emotion!r}")
            if ex.id in seen or not ex.text:
                continue
            seen.add(ex.id)
            out.append(ex)
    return out


def load_agent(directory: Path = CORPUS_DIR) -> list[AgentExample]:
    out: list[AgentExample] = []
    seen: set[str] = set()
    for path in _files(directory, "agent"):
        for n, o in _lines(path):
            try:
                labels = tuple(sorted(set(o.get("behaviours") or [])))
                ex = AgentExample(
                    id=str(o["id"]),
                    text=str(o["text"]).strip(),
                    context=(str(o["context"]).strip() or None) if o.get("context") else None,
                    behaviours=labels,
                    annotations=dict(o.get("annotations") or {}),
                )
            except (KeyError, TypeError) as exc:
                raise CorpusError(f"{path.name}, line {n}: missing or bad field {exc}") from exc
            unknown = set(ex.behaviours) - set(BEHAVIOURS)
            if unknown:
                raise CorpusError(f"{path.name}, line {n}: unknown behaviours {sorted(unknown)}")
            if ex.id in seen or not ex.text:
                continue
            seen.add(ex.id)
            out.append(ex)
    return out


def load_conversations(directory: Path = CORPUS_DIR) -> list[Conversation]:
    out: list[Conversation] = []
    seen: set[str] = set()
    for path in _files(directory, "conversations"):
        for n, o in _lines(path):
            try:
                turns = [
                    {"speaker": str(t["speaker"]), "text": str(t["text"]), **{
                        k: t[k] for k in ("start_ms", "end_ms") if t.get(k) is not None
                    }}
                    for t in o["turns"]
                ]
                conv = Conversation(
                    id=str(o["id"]),
                    turns=turns,
                    deescalated=bool(o["deescalated"]),
                    robotic=bool(o["robotic"]),
                    difficulty=float(o["difficulty"]),
                    difficulty_band=str(o["difficulty_band"]),
                    missed_emotion_turns=sorted(int(i) for i in o.get("missed_emotion_turns", [])),
                    extra={k: v for k, v in o.items() if k not in {"turns"}},
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise CorpusError(f"{path.name}, line {n}: missing or bad field {exc}") from exc
            if conv.id in seen:
                continue
            seen.add(conv.id)
            out.append(conv)
    return out


def split(items: list[T]) -> tuple[list[T], list[T]]:
    """(train, test) by the fixed id hash."""
    train = [x for x in items if not is_test(x.id)]
    test = [x for x in items if is_test(x.id)]
    return train, test
