"""From paths to stored records: expand → detect format → parse → redact → store.

Every importer yields :class:`Parsed` and :class:`Reject` records; this module
runs them all the same way.  PII is redacted here, before anything reaches the
store or a log.
"""

from __future__ import annotations

import glob
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from sqlalchemy import Engine

from heartline.domain import Interaction, Survey
from heartline.ingest.base import Format, Parsed, Reject

#: Format name → module holding its ``FORMAT``.  Detection tries them in this order.
FORMAT_MODULES: dict[str, str] = {
    "contact-lens": "heartline.ingest.contact_lens",
    "genesys": "heartline.ingest.genesys",
    "ccai": "heartline.ingest.ccai",
    "jsonl": "heartline.ingest.jsonl",
    "csv": "heartline.ingest.csv_formats",
}
FORMAT_NAMES: tuple[str, ...] = ("auto", *FORMAT_MODULES)
SUFFIXES = {".json", ".jsonl", ".ndjson", ".csv"}
HEAD_BYTES = 64 * 1024


class IngestError(ValueError):
    """Input that cannot be read at all (no such path, unknown format name)."""


def get_format(name: str) -> Format:
    if name not in FORMAT_MODULES:
        raise IngestError(f"unknown format {name!r}; choose one of {', '.join(FORMAT_NAMES)}")
    return importlib.import_module(FORMAT_MODULES[name]).FORMAT  # type: ignore[no-any-return]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files, folders (searched recursively for known suffixes) and globs, in a stable order."""
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_file():
            out.append(p)
        elif p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            )
        else:
            matches = sorted(glob.glob(str(item), recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                raise IngestError(f"{item}: no such file, folder or matching glob")
            out.extend(files)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def detect_format(path: Path) -> Format | None:
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    for name in FORMAT_MODULES:
        fmt = get_format(name)
        if fmt.sniff(path, head):
            return fmt
    return None


def read_records(paths: Iterable[str | Path], fmt: str = "auto") -> Iterator[Parsed | Reject]:
    """Every record of every file, good or bad, in order.  Raises only for unusable paths."""
    forced = None if fmt == "auto" else get_format(fmt)
    for path in expand_paths(paths):
        chosen = forced or detect_format(path)
        if chosen is None:
            yield Reject(
                str(path),
                "file",
                "(format)",
                "could not tell the format from the content; pass --format "
                f"({', '.join(FORMAT_MODULES)})",
            )
            continue
        try:
            yield from chosen.parse(path)
        except (OSError, UnicodeDecodeError) as exc:
            yield Reject(str(path), "file", "(file)", f"cannot read: {exc}")


def read_interactions(
    paths: Iterable[str | Path], fmt: str = "auto"
) -> Iterator[Parsed | Reject]:
    """Like :func:`read_records`, keeping interactions only (used by ``heartline analyze``)."""
    for item in read_records(paths, fmt):
        if isinstance(item, Reject) or isinstance(item.record, Interaction):
            yield item


def redact_record(record: object) -> object:
    """The record with PII replaced by typed tokens; the original text is not kept."""
    from heartline.ingest.redact import redact, redact_interaction

    if isinstance(record, Interaction):
        return redact_interaction(record)
    if isinstance(record, Survey) and record.comment:
        return record.model_copy(update={"comment": redact(record.comment)})
    return record


def sanitise_reject(item: Reject) -> Reject:
    """Rejects are shown and written to files, so they get the same redaction as records."""
    from heartline.ingest.redact import redact

    return Reject(
        item.file,
        item.location,
        item.field,
        redact(item.message),
        redact(item.raw) if item.raw is not None else None,
    )


@dataclass
class IngestReport:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    stored_by_kind: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    files: int = 0

    def add_stored(self, kind: str, n: int = 1) -> None:
        self.stored += n
        self.stored_by_kind[kind] = self.stored_by_kind.get(kind, 0) + n


def store_records(
    engine: Engine,
    items: Iterable[Parsed | Reject],
    *,
    report: IngestReport | None = None,
    batch_size: int = 500,
    on_progress: Callable[[int], None] | None = None,
    rejects_path: Path | None = None,
) -> IngestReport:
    """Redact and store a stream of parsed records; rejects are counted and kept, never raised."""
    from heartline.store.writes import store_batch

    report = report or IngestReport()
    batch: list[Parsed] = []
    reject_fh = rejects_path.open("wb") if rejects_path else None
    rejected_locations: set[tuple[str, str]] = set()

    def flush() -> None:
        if not batch:
            return
        store_batch(engine, batch, report)
        if on_progress:
            on_progress(len(batch))
        batch.clear()

    try:
        for item in items:
            if isinstance(item, Reject):
                item = sanitise_reject(item)
                report.rejects.append(item)
                key = (item.file, item.location)
                if key not in rejected_locations:
                    rejected_locations.add(key)
                    report.rejected += 1
                    if on_progress:
                        on_progress(1)
                if reject_fh:
                    reject_fh.write(
                        orjson.dumps(
                            {
                                "file": item.file,
                                "location": item.location,
                                "field": item.field,
                                "message": item.message,
                                "raw": item.raw,
                            }
                        )
                        + b"\n"
                    )
                continue
            batch.append(Parsed(redact_record(item.record), item.file, item.location))  # type: ignore[arg-type]
            if len(batch) >= batch_size:
                flush()
        flush()
    finally:
        if reject_fh:
            reject_fh.close()
    return report


def ingest(
    engine: Engine,
    paths: Sequence[str | Path],
    *,
    fmt: str = "auto",
    batch_size: int = 500,
    on_progress: Callable[[int], None] | None = None,
    rejects_path: Path | None = None,
) -> IngestReport:
    """Import files into the store.  Good records are kept whatever the bad ones do."""
    files = expand_paths(paths)
    report = IngestReport(files=len(files))
    return store_records(
        engine,
        read_records(files, fmt),
        report=report,
        batch_size=batch_size,
        on_progress=on_progress,
        rejects_path=rejects_path,
    )
