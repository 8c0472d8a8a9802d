"""The contract every importer follows.

A format module turns one file into a stream of :class:`Parsed` records and
:class:`Reject` records.  It never stops at the first bad record: it names what
is wrong (file, line or JSON path, field) and goes on, so every good record in
the same file is kept.  Redaction and storage happen later, in
:mod:`heartline.ingest.pipeline`, for every format alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from heartline.domain import Agent, Interaction, Shift, Survey

Payload = Interaction | Survey | Shift | Agent


@dataclass(frozen=True, slots=True)
class Parsed:
    """A valid record and where it came from."""

    record: Payload
    file: str
    location: str  # "line 12" or "$.Transcript[3]" or "row 7"


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not be read, with a message a person can act on."""

    file: str
    location: str
    field: str
    message: str
    raw: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"{self.file}, {self.location}, field {self.field!r}: {self.message}"


class Format(Protocol):
    """One importer module: a name, a sniff test and a parser."""

    name: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when ``head`` (the first few KiB of ``path``) looks like this format."""
        ...

    def parse(self, path: Path) -> Iterator[Parsed | Reject]:
        """Yield every record of the file, good or bad, in file order."""
        ...


def rejects_from_validation(
    exc: ValidationError, *, file: str, location: str, raw: str | None = None, prefix: str = ""
) -> list[Reject]:
    """One :class:`Reject` per pydantic error, naming the field path (``turns.3.speaker``)."""
    out = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "(record)"
        if prefix:
            path = f"{prefix}.{path}" if path != "(record)" else prefix
        msg = err["msg"]
        if err.get("input") is not None and err["type"] not in ("missing",) and not isinstance(
            err.get("input"), (dict, list)
        ):
            shown = str(err["input"])
            msg = f"{msg} (got {shown[:60]!r})"
        out.append(Reject(file=file, location=location, field=path, message=msg, raw=raw))
    return out
