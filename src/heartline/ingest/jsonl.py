"""Heartline's own JSONL: one interaction per line (see docs/formats.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
from pydantic import ValidationError

from heartline.domain import Interaction
from heartline.ingest.base import Parsed, Reject, rejects_from_validation

name = "jsonl"


def sniff(path: Path, head: bytes) -> bool:
    for raw in head.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith(b"{"):
            return False
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            # The first line may be cut by the head limit, or simply bad: a
            # .jsonl name is still a good enough sign.
            return path.suffix.lower() in (".jsonl", ".ndjson")
        return isinstance(obj, dict) and "id" in obj and (
            "turns" in obj or "channel" in obj or "agent_id" in obj
        )
    return False


def parse(path: Path) -> Iterator[Parsed | Reject]:
    file = str(path)
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line:
                continue
            where = f"line {lineno}"
            text = line.decode("utf-8", errors="replace")
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Reject(file, where, "(json)", f"not valid JSON: {exc}", raw=text)
                continue
            if not isinstance(obj, dict):
                yield Reject(file, where, "(record)", "expected a JSON object", raw=text)
                continue
            try:
                yield Parsed(Interaction.model_validate(obj), file, where)
            except ValidationError as exc:
                yield from rejects_from_validation(exc, file=file, location=where, raw=text)


class _Format:
    name = name
    sniff = staticmethod(sniff)
    parse = staticmethod(parse)


FORMAT = _Format()
