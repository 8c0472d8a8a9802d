"""CSV files of interaction metadata, surveys, shifts/adherence and agents.

The header decides what a file holds (see docs/formats.md).  Empty cells are
missing values.  Every row is validated on its own, so one bad row never costs
the others.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from heartline.domain import Agent, Interaction, Shift, Survey
from heartline.ingest.base import Parsed, Reject, rejects_from_validation

name = "csv"

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}


def kind_of(header: list[str]) -> type[BaseModel] | None:
    cols = {c.strip().lower() for c in header}
    if {"agent_id", "start", "end"} <= cols:
        return Shift
    if "interaction_id" in cols and cols & {"csat", "resolved", "comment"}:
        return Survey
    if "id" in cols and cols & {"channel", "agent_id", "started_at", "handle_seconds"}:
        return Interaction
    if {"id", "name"} <= cols:
        return Agent
    return None


def sniff(path: Path, head: bytes) -> bool:
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
    if "," not in first or first.startswith(("{", "[")):
        return False
    header = next(csv.reader(io.StringIO(first)))
    return kind_of(header) is not None


def _clean(row: dict[str, str | None], model: type[BaseModel]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in row.items():
        if key is None:
            continue
        key = key.strip().lower()
        if value is None:
            continue
        value = value.strip()
        if value == "":
            continue
        if key == "resolved":
            low = value.lower()
            if low in _TRUE:
                out[key] = True
                continue
            if low in _FALSE:
                out[key] = False
                continue
        out[key] = value
    return out


def parse(path: Path) -> Iterator[Parsed | Reject]:
    file = str(path)
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        model = kind_of(list(header))
        if model is None:
            yield Reject(
                file,
                "line 1",
                "(header)",
                "cannot tell what this CSV holds from its header "
                f"{','.join(header)!r}; see docs/formats.md for the columns",
            )
            return
        start_line = 2
        for row in reader:
            where = f"line {start_line}"
            start_line = reader.line_num + 1
            if None in row:
                yield Reject(file, where, "(row)", "more cells than header columns")
                continue
            raw = ",".join(v or "" for v in row.values())
            try:
                yield Parsed(model.model_validate(_clean(row, model)), file, where)
            except ValidationError as exc:
                yield from rejects_from_validation(exc, file=file, location=where, raw=raw)


class _Format:
    name = name
    sniff = staticmethod(sniff)
    parse = staticmethod(parse)


FORMAT = _Format()
