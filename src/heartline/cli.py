"""The ``heartline`` command: thin wrappers over the library.

Commands parse arguments, build Settings, call one library function and print
its result.  Failures are one clear line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from heartline.settings import Settings, SettingsError

app = typer.Typer(
    name="heartline",
    help="Heartline: lead contact centers with empathy, not surveillance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Fail(Exception):
    """A failure to report as one line and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except (ValidationError, SettingsError) as exc:
        raise Fail(f"bad settings: {exc}".splitlines()[0] if isinstance(exc, SettingsError) else _first_error(exc), 2) from exc


def _first_error(exc: ValidationError) -> str:
    e = exc.errors()[0]
    field = ".".join(str(p) for p in e["loc"])
    return f"bad setting HEARTLINE_{field.upper()}: {e['msg']}"


@contextmanager
def failures() -> Iterator[None]:
    """Turn library errors into one line on stderr."""
    from heartline.ingest.pipeline import IngestError
    from heartline.store.engine import StoreError

    try:
        yield
    except Fail as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(exc.code) from None
    except (IngestError, StoreError, FileNotFoundError, PermissionError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        try:
            debug = Settings().debug
        except (ValidationError, SettingsError):
            debug = False
        if debug:
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        err.print(
            f"error: unexpected {exc.__class__.__name__}: {first} "
            "(set HEARTLINE_DEBUG=1 to see the traceback)",
            markup=False,
        )
        raise typer.Exit(1) from None


def progress(console: Console | None = None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console or err,
        transient=False,
        disable=not (console or err).is_terminal,
    )


class IngestFormat(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    csv = "csv"
    contact_lens = "contact-lens"
    ccai = "ccai"
    genesys = "genesys"


DatabaseOpt = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides HEARTLINE_DATABASE_URL.", show_default=False),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Overrides HEARTLINE_DATA_DIR.", show_default=False),
]


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs to import.")],
    fmt: Annotated[IngestFormat, typer.Option("--format", help="Input format.")] = IngestFormat.auto,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write rejected records (redacted) to this JSONL file."),
    ] = None,
    show: Annotated[int, typer.Option(help="How many reject messages to print.")] = 50,
    database_url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Import interactions, surveys, shifts and agents; PII is redacted before storing."""
    from heartline.ingest.pipeline import expand_paths
    from heartline.ingest.pipeline import ingest as run_ingest
    from heartline.store.engine import open_store

    with failures():
        settings = load_settings(database_url=database_url, data_dir=data_dir)
        files = expand_paths(paths)
        if not files:
            raise Fail("nothing to import: no files matched", 2)
        with open_store(settings) as engine, progress() as bar:
            task = bar.add_task("importing", total=None)
            report = run_ingest(
                engine,
                files,
                fmt=fmt.value,
                batch_size=settings.ingest_batch_size,
                on_progress=lambda n: bar.advance(task, n),
                rejects_path=rejects,
            )
        for r in report.rejects[:show]:
            err.print(f"rejected: {r}", markup=False)
        if len(report.rejects) > show:
            err.print(f"… and {len(report.rejects) - show} more reject messages", markup=False)
        kinds = ", ".join(f"{n} {k}s" for k, n in sorted(report.stored_by_kind.items()))
        out.print(
            f"{len(files)} file(s): stored {report.stored}"
            + (f" ({kinds})" if kinds else "")
            + f", duplicates {report.duplicates}, rejected {report.rejected}",
            markup=False,
        )
        if rejects:
            out.print(f"rejects written to {rejects}", markup=False)
        if report.rejected:
            raise typer.Exit(1)


@app.command()
def demo(
    seed: Annotated[int | None, typer.Option(help="Generator seed (HEARTLINE_DEMO_SEED).")] = None,
    end: Annotated[
        str | None, typer.Option(help="Last day of the demo period, YYYY-MM-DD (default today).")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="Days of history.")] = 60,
    interactions: Annotated[int, typer.Option(min=1, help="Number of interactions.")] = 5000,
    agents: Annotated[int, typer.Option(min=3, help="Number of agents.")] = 30,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write Heartline JSONL here instead of storing it."),
    ] = None,
    reset: Annotated[bool, typer.Option(help="Empty the database first.")] = False,
    if_empty: Annotated[
        bool, typer.Option(help="Do nothing when the database already holds interactions.")
    ] = False,
    analyze: Annotated[
        bool, typer.Option(help="Analyse the interactions so every page has its human KPIs.")
    ] = True,
    database_url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Build the demo organisation (3 teams, ~30 agents, 60 days), analyse and store it."""
    from heartline.demo import generate, iter_jsonl
    from heartline.store.demo_load import load_organisation
    from heartline.store.engine import open_store
    from heartline.web.accounts import ensure_demo_accounts

    with failures():
        settings = load_settings(database_url=database_url, data_dir=data_dir)
        if if_empty and not out_file:
            from heartline.store.queries import counts

            with open_store(settings) as engine:
                existing = counts(engine).interactions
                if existing:
                    if analyze:
                        analyse_store(engine, settings=settings)
                    accounts = ensure_demo_accounts(engine, None)
            if existing:
                out.print(
                    f"{existing} interactions already in {settings.resolved_database_url}; "
                    "keeping them (use --reset to rebuild)",
                    markup=False,
                )
                print_logins(accounts)
                return
        try:
            end_day = date.fromisoformat(end) if end else datetime.now(UTC).date()
        except ValueError:
            raise Fail(f"--end {end!r} is not a date like 2026-11-20", 2) from None
        org = generate(
            seed=settings.demo_seed if seed is None else seed,
            end=end_day,
            days=days,
            interactions=interactions,
            agents=agents,
        )
        if out_file:
            with out_file.open("wb") as fh:
                for line in iter_jsonl(org):
                    fh.write(orjson.dumps(line) + b"\n")
            out.print(f"wrote {len(org.interactions)} interactions to {out_file}", markup=False)
            return
        with open_store(settings) as engine:
            with progress() as bar:
                task = bar.add_task(
                    "storing demo", total=len(org.agents) + len(org.interactions) + len(org.shifts)
                )
                report = load_organisation(
                    engine, org, reset=reset, on_progress=lambda n: bar.advance(task, n)
                )
            out.print(
                f"demo organisation: {len(org.teams)} teams, {len(org.agents)} agents, "
                f"{report.stored_by_kind.get('interaction', 0)} new interactions, "
                f"{report.stored_by_kind.get('survey', 0)} surveys, "
                f"{report.stored_by_kind.get('shift', 0)} shifts "
                f"({report.duplicates} already there) in {settings.resolved_database_url}",
                markup=False,
            )
            if analyze:
                analysed = analyse_store(engine, settings=settings)
                out.print(f"analysed {analysed} interactions", markup=False)
            accounts = ensure_demo_accounts(engine, org)
            seed_features(engine, org)
        print_logins(accounts)


def seed_features(engine: object, org: object) -> None:
    """Believable demo records for the people features (coaching, wellbeing, voice, recognition)."""
    from heartline.insights.wellbeing_store import seed_demo as seed_wellbeing
    from heartline.web.routes.coaching import seed_demo as seed_coaching
    from heartline.web.routes.recognition import seed_demo as seed_recognition
    from heartline.web.routes.voice import seed_demo as seed_voice

    for seed in (seed_coaching, seed_wellbeing, seed_voice, seed_recognition):
        seed(engine, org)  # type: ignore[arg-type]


def analyse_store(engine: object, *, settings: Settings, batch_size: int = 256) -> int:
    """Analyse every stored interaction without a current analysis; dashboards follow batch by batch.

    After each batch the KPI pre-aggregates are refreshed and the wellbeing rules
    (resilience breaks after hard calls, WFM events) run on the new analyses.
    """
    from heartline.analysis import Analyzer
    from heartline.insights.aggregate import refresh
    from heartline.insights.wellbeing_store import on_analysed
    from heartline.store.analyses import analyse_pending, pending_count

    def after_batch(ids: list[int]) -> None:
        refresh(engine, ids)  # type: ignore[arg-type]
        on_analysed(engine, ids, settings)  # type: ignore[arg-type]

    analyzer = Analyzer()
    todo = pending_count(engine, model_version=analyzer.version)  # type: ignore[arg-type]
    if not todo:
        return 0
    with progress() as bar:
        task = bar.add_task("analysing", total=todo)
        return analyse_pending(
            engine,  # type: ignore[arg-type]
            analyzer,
            model_version=analyzer.version,
            batch_size=batch_size,
            on_batch=after_batch,
            on_progress=lambda n: bar.advance(task, n),
        )


@app.command()
def score(
    batch_size: Annotated[int, typer.Option(min=1, help="Interactions per committed batch.")] = 128,
    database_url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Analyse stored interactions that have no current analysis (resumable at any point)."""
    from heartline.store.engine import open_store

    with failures():
        settings = load_settings(database_url=database_url, data_dir=data_dir)
        with open_store(settings) as engine:
            done = analyse_store(engine, settings=settings, batch_size=batch_size)
        out.print(f"analysed {done} interactions", markup=False)


def print_logins(accounts: list) -> None:  # type: ignore[type-arg]
    table = Table(title="Demo logins (demo only: change or remove before real use)")
    for col in ("login", "password", "role", "who"):
        table.add_column(col)
    for a in accounts:
        table.add_row(a.login, a.password, a.role, a.who)
    out.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (HEARTLINE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (HEARTLINE_PORT).")] = None,
    database_url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Serve the web app."""
    import uvicorn

    from heartline.web.app import create_app

    with failures():
        settings = load_settings(host=host, port=port, database_url=database_url, data_dir=data_dir)
        web = create_app(settings)
        out.print(f"Heartline on http://{settings.host}:{settings.port}", markup=False)
        uvicorn.run(web, host=settings.host, port=settings.port, log_level="warning")


class ExportWhat(StrEnum):
    interactions = "interactions"
    analyses = "analyses"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


INTERACTION_CSV_COLUMNS = [
    "id", "source", "channel", "queue", "topic", "agent_id", "agent_name", "team",
    "started_at", "ended_at", "handle_seconds", "talk_seconds", "hold_seconds",
    "acw_seconds", "transfers", "disposition", "turns",
]  # fmt: skip


@app.command()
def export(
    what: Annotated[ExportWhat, typer.Argument(help="What to export.")] = ExportWhat.interactions,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.jsonl,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: standard output).")
    ] = None,
    database_url: DatabaseOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Export stored interactions (Heartline JSONL or CSV) or their analyses."""
    from heartline.store.engine import is_migrated, make_engine
    from heartline.store.export import iter_export_rows

    with failures():
        settings = load_settings(database_url=database_url, data_dir=data_dir)
        engine = make_engine(settings)
        try:
            if not is_migrated(engine):
                raise Fail(
                    f"no Heartline data in {settings.resolved_database_url}; "
                    "run `heartline demo` or `heartline ingest` first"
                )
            fh = out_file.open("w", newline="", encoding="utf-8") if out_file else sys.stdout
            try:
                n = 0
                writer = None
                for row in iter_export_rows(engine, what.value):
                    if fmt is ExportFormat.jsonl:
                        fh.write(orjson.dumps(row).decode() + "\n")
                    else:
                        flat = {k: (orjson.dumps(v).decode() if isinstance(v, (list, dict)) else v) for k, v in row.items()}
                        if writer is None:
                            writer = csv.DictWriter(fh, fieldnames=list(flat), extrasaction="ignore")
                            writer.writeheader()
                        writer.writerow(flat)
                    n += 1
            finally:
                if out_file:
                    fh.close()
            if out_file:
                out.print(f"exported {n} {what.value} to {out_file}", markup=False)
        finally:
            engine.dispose()


def _register_feature_commands() -> None:
    """Commands that live beside their library: each module adds its own."""
    from heartline.analysis.cli import register as analysis_commands
    from heartline.insights.wfm import register as wellbeing_commands
    from heartline.people.praise import register as praise_commands
    from heartline.people.reframe_cli import register as reframe_commands
    from heartline.people.themes import register as theme_commands

    analysis_commands(app)  # label, analyze, train, evaluate
    wellbeing_commands(app)  # wellbeing breaks
    praise_commands(app)  # praise train|evaluate|classify
    theme_commands(app)  # barrier-themes, barrier-themes-eval
    reframe_commands(app)  # reframe "TEXT" | --file | --evaluate | --train


_register_feature_commands()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover - `python -m heartline.cli`
    app()
