"""JSON helpers shared by the platform importers (Contact Lens, CCAI, Genesys).

Loading with a reject that names line and column, collecting problems by JSON
path and field, time conversions, and turning timed items into turns — so every
platform reports bad input the same way and stores a conversation whole or not
at all.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from heartline.domain import Interaction, Speaker, Turn
from heartline.ingest.base import Parsed, Reject, rejects_from_validation


def parse_object(
    path: Path, build: Callable[[dict[str, Any], str], Iterator[Parsed | Reject]]
) -> Iterator[Parsed | Reject]:
    """Load a file holding one JSON object and build it; anything else is one reject."""
    file = str(path)
    doc, error = load_json(path)
    if error is not None:
        yield error
        return
    if not isinstance(doc, dict):
        yield Reject(file, "$", "(root)", f"expected a JSON object, got {describe(doc)}")
        return
    yield from build(doc, file)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: The last millisecond a datetime can hold (9999-12-31); larger times are errors.
MAX_EPOCH_MS = 253_402_300_799_999

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "text",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def describe(value: Any) -> str:
    """How a JSON value reads in a message: ``a number (42)``, ``an object``."""
    kind = _JSON_TYPES.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)) or value is None:
        return kind
    shown = repr(value)
    return f"{kind} ({shown[:40]}{'…' if len(shown) > 40 else ''})"


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def starts_json(head: bytes, *openers: bytes) -> bool:
    """True when ``head`` starts (after a BOM and white space) with one of ``openers``."""
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return stripped.startswith(openers)


def load_json(path: Path) -> tuple[Any, Reject | None]:
    """The parsed document, or a reject naming the file and the line and column at fault."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Reject(file, "file", "(file)", f"cannot read: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Reject(file, f"byte {exc.start}", "(encoding)", "the file is not UTF-8 text")
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        return None, Reject(file, where, "(json)", f"invalid JSON: {exc.msg}")
    except RecursionError:
        return None, Reject(file, "file", "(json)", "JSON nested too deeply to read")


def content_id(obj: Any) -> str:
    """A stable id from the JSON content itself (key order and spacing do not matter)."""
    canon = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canon.encode()).hexdigest()[:40]


def ms_between(a: datetime, b: datetime) -> int:
    """Whole milliseconds from ``a`` to ``b`` (never negative)."""
    return max(0, round((b - a) / timedelta(milliseconds=1)))


def from_epoch_ms(ms: float) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def parse_time(value: str) -> datetime | None:
    """ISO-8601 / RFC 3339 text to an aware datetime (no zone means UTC); None if unreadable."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass
class Problems:
    """What is wrong with one conversation: JSON path, field and message for each."""

    file: str
    found: list[tuple[str, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, path: str, key: str, message: str) -> None:
        self.found.append((path, key, message))

    def rejects(self, consequence: str) -> Iterator[Reject]:
        for path, key, message in self.found:
            yield Reject(self.file, path, key, f"{message}; {consequence}")

    def _get(self, obj: dict[str, Any], key: str, path: str, required: bool) -> Any:
        value = obj.get(key)
        if value is None and required:
            self.add(path, key, "required field is missing" if key not in obj else "is null")
        return value

    def text(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> str | None:
        value = self._get(obj, key, path, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(path, key, f"expected text, got {describe(value)}")
            return None
        return value

    def array(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> list[Any] | None:
        value = self._get(obj, key, path, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.add(path, key, f"expected an array, got {describe(value)}")
            return None
        return value

    def obj(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> dict[str, Any] | None:
        value = self._get(obj, key, path, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(path, key, f"expected an object, got {describe(value)}")
            return None
        return value

    def millis(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> int | None:
        """A non-negative number of milliseconds (epoch or offset), as an int."""
        value = self._get(obj, key, path, required)
        if value is None:
            return None
        if not is_number(value):
            self.add(path, key, f"expected a number of milliseconds, got {describe(value)}")
            return None
        if value < 0:
            self.add(path, key, f"must not be negative (got {value})")
            return None
        if value > MAX_EPOCH_MS:
            self.add(path, key, f"is out of range (got {value})")
            return None
        return round(value)

    def timestamp(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> datetime | None:
        """An ISO-8601 date-time, or a number of milliseconds since the epoch."""
        value = self._get(obj, key, path, required)
        if value is None:
            return None
        if is_number(value) and 0 <= value <= MAX_EPOCH_MS:
            return from_epoch_ms(value)
        if isinstance(value, str):
            dt = parse_time(value)
            if dt is not None:
                return dt
        self.add(path, key, f"expected an ISO-8601 date-time, got {describe(value)}")
        return None


@dataclass(slots=True)
class TurnItem:
    """One usable transcript item before it becomes a :class:`Turn`."""

    index: int  # position in the source, keeps ties in source order
    path: str  # JSON path of the item, for messages
    speaker: Speaker
    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    at: datetime | None = None  # wall-clock time, when the source gives one


def in_time_order(items: list[TurnItem]) -> list[TurnItem]:
    """Sorted by start time (ties keep source order); in source order if any item is untimed."""
    if any(it.start_ms is None for it in items):
        return sorted(items, key=lambda it: it.index)
    return sorted(items, key=lambda it: (it.start_ms, it.index))


def make_turns(items: list[TurnItem], p: Problems) -> list[Turn]:
    """Validated turns; a turn the domain refuses becomes a problem at its JSON path."""
    turns = []
    for it in items:
        try:
            turns.append(
                Turn(speaker=it.speaker, text=it.text, start_ms=it.start_ms, end_ms=it.end_ms)
            )
        except ValidationError as exc:
            for r in rejects_from_validation(exc, file=p.file, location=""):
                p.add(it.path, r.field, r.message)
    if p:
        raise _NotStored
    return turns


class _NotStored(Exception):
    """Raised inside :func:`finish` when a turn was refused."""


def not_stored(ident: str) -> str:
    return f"interaction {ident} is not stored"


def finish(
    p: Problems, make: Callable[[], Interaction], ident: str, location: str = "$"
) -> Iterator[Parsed | Reject]:
    """Build the interaction with ``make()``; every refusal becomes a reject."""
    if p:
        yield from p.rejects(not_stored(ident))
        return
    try:
        interaction = make()
    except _NotStored:
        yield from p.rejects(not_stored(ident))
        return
    except ValidationError as exc:
        for r in rejects_from_validation(exc, file=p.file, location=location):
            yield Reject(r.file, r.location, r.field, f"{r.message}; {not_stored(ident)}")
        return
    yield Parsed(interaction, p.file, location)
