"""Thin commands over the analysis library: ``label``, ``analyze``, ``train``, ``evaluate``.

``register(app)`` adds them to the main ``heartline`` Typer app.  Each command
parses its arguments, calls one library function and prints; failures are one
line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import typer

from heartline.analysis.corpus import CORPUS_DIR, CorpusError
from heartline.analysis.encoder import EncoderError
from heartline.analysis.evaluation import EvaluationError
from heartline.analysis.heads import ArtefactError
from heartline.analysis.pipeline import ARTEFACTS, AnalysisError
from heartline.analysis.training import TrainingError

REPO = Path(__file__).resolve().parents[3]
DEFAULT_GOEMOTIONS = REPO.parent / "shared" / "eval" / "goemotions"
FORMATS = ("auto", "jsonl", "contact-lens", "ccai", "genesys")
CHUNK = 256
F = TypeVar("F", bound=Callable[..., Any])


def _errors_are_one_line(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except (AnalysisError, ArtefactError, CorpusError, EncoderError, EvaluationError,
                TrainingError, OSError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _emit(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")
    sys.stdout.buffer.flush()


def _analyzer(threads: int):  # type: ignore[no-untyped-def]
    from heartline.analysis.encoder import Encoder
    from heartline.analysis.pipeline import Analyzer

    return Analyzer(encoder=Encoder(threads=threads))


def _label_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, record) or (line number, error message) for every non-blank line."""
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield n, f"not valid JSON ({exc})"
                continue
            if not isinstance(obj, dict):
                yield n, "expected a JSON object"
                continue
            if obj.get("speaker") not in ("agent", "customer"):
                yield n, "field 'speaker' must be 'agent' or 'customer'"
                continue
            if not isinstance(obj.get("text"), str):
                yield n, "field 'text' must be a string"
                continue
            ctx = obj.get("context")
            if ctx is not None and not isinstance(ctx, str):
                yield n, "field 'context' must be a string or absent"
                continue
            if "id" not in obj:
                yield n, "field 'id' is missing"
                continue
            yield n, obj


@_errors_are_one_line
def label(
    file: Annotated[Path, typer.Argument(help="JSONL: {id, speaker: agent|customer, text, context?}")],
    threads: Annotated[int, typer.Option(help="CPU threads for the encoder.")] = 1,
) -> None:
    """Label utterances: emotion + intensity for customers, behaviours for agents."""
    if not file.is_file():
        raise AnalysisError(f"{file}: no such file")
    analyzer = _analyzer(threads)
    records: list[dict[str, Any]] = []
    bad = 0
    for n, item in _label_lines(file):
        if isinstance(item, str):
            typer.echo(f"{file}, line {n}: {item}", err=True)
            bad += 1
        else:
            records.append(item)
    for start in range(0, len(records), 1024):
        chunk = records[start : start + 1024]
        cust = [r for r in chunk if r["speaker"] == "customer"]
        agent = [r for r in chunk if r["speaker"] == "agent"]
        c_res = iter(analyzer.label_customer([r["text"] for r in cust],
                                             [r.get("context") for r in cust]))
        a_res = iter(analyzer.label_agent([r["text"] for r in agent],
                                          [r.get("context") for r in agent]))
        for r in chunk:
            if r["speaker"] == "customer":
                res = next(c_res)
                _emit({"id": r["id"], "emotion": res["emotion"],
                       "emotion_intensity": res["emotion_intensity"]})
            else:
                _emit({"id": r["id"], "behaviours": next(a_res)["behaviours"]})
    if bad and not records:
        raise typer.Exit(1)


@_errors_are_one_line
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or globs of interactions.")],
    format: Annotated[str, typer.Option("--format", help="auto|jsonl|contact-lens|ccai|genesys")]
    = "auto",
    threads: Annotated[int, typer.Option(help="CPU threads for the encoder.")] = 1,
) -> None:
    """Analyse interactions: one JSON line per interaction, rejects on stderr."""
    if format not in FORMATS:
        raise AnalysisError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    from heartline.ingest.base import Reject
    from heartline.ingest.pipeline import read_interactions, redact_record

    analyzer = _analyzer(threads)
    batch = []
    seen = 0
    for item in read_interactions([str(p) for p in paths], format):
        if isinstance(item, Reject):
            typer.echo(str(item), err=True)
            continue
        seen += 1
        batch.append(redact_record(item.record))  # evidence quotes words: no PII in them
        if len(batch) >= CHUNK:
            for res in analyzer.analyze_many(batch):
                _emit(res.model_dump(mode="json"))
            batch = []
    for res in analyzer.analyze_many(batch):
        _emit(res.model_dump(mode="json"))
    if not seen:
        typer.echo("error: no interactions found in the input", err=True)
        raise typer.Exit(1)


@_errors_are_one_line
def train(
    artefacts: Annotated[Path, typer.Option(help="Where to write the trained artefacts.")]
    = ARTEFACTS,
    corpus: Annotated[Path, typer.Option(help="Folder of the labelled corpus.")] = CORPUS_DIR,
    threads: Annotated[int, typer.Option(help="CPU threads for the encoder.")] = 1,
    interaction_only: Annotated[bool, typer.Option(
        "--interaction-only",
        help="Refit only the interaction-level parameters on the heads already trained "
             "(after editing conversations only).")] = False,
) -> None:
    """Rebuild the trained artefacts from the labelled corpus (deterministic)."""
    from rich.progress import Progress

    from heartline.analysis.encoder import Encoder
    from heartline.analysis.training import TRAIN_STEPS, train_interaction
    from heartline.analysis.training import train as run_training

    if interaction_only:
        path = train_interaction(artefacts, corpus, Encoder(threads=threads))
        typer.echo(f"interaction parameters refitted: {path}")
        return

    with Progress(transient=False, console=None) as progress:
        task = progress.add_task("training", total=TRAIN_STEPS)

        def step(desc: str, n: int) -> None:
            progress.update(task, advance=n, description=desc)

        report = run_training(artefacts, corpus, Encoder(threads=threads), step)
    typer.echo(
        f"trained on {report.n_customer} customer and {report.n_agent} agent utterances, "
        f"{report.n_conversations} conversations; cv macro-F1 emotion "
        f"{report.cv_emotion_macro_f1:.3f}, behaviours {report.cv_behaviour_macro_f1:.3f}"
    )
    for name, digest in report.files.items():
        typer.echo(f"  {artefacts / name}  sha256 {digest[:16]}")


@_errors_are_one_line
def evaluate(
    goemotions: Annotated[Path, typer.Option(help="GoEmotions folder (outside check).")]
    = DEFAULT_GOEMOTIONS,
    corpus: Annotated[Path, typer.Option(help="Folder of the labelled corpus.")] = CORPUS_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    threads: Annotated[int, typer.Option(help="CPU threads for the encoder.")] = 1,
) -> None:
    """Held-out figures, interaction-level figures and the GoEmotions check beside VADER."""
    from heartline.analysis.evaluation import evaluate as run_evaluation

    report = run_evaluation(_analyzer(threads), corpus, goemotions)
    if as_json:
        _emit(report)
        return
    _render(report)


def _render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for key, title in (("customer_emotion", "Customer emotion (held-out)"),
                       ("agent_behaviours", "Agent behaviours (held-out)")):
        part = report[key]
        table = Table(title=f"{title}: n={part['n']}, macro-F1 {part['macro_f1']:.3f}")
        for col in ("label", "precision", "recall", "F1", "support"):
            table.add_column(col, justify="left" if col == "label" else "right")
        for row in part["per_label"]:
            table.add_row(row["label"], f"{row['precision']:.3f}", f"{row['recall']:.3f}",
                          f"{row['f1']:.3f}", str(row["support"]))
        console.print(table)
        if "confusion" in part:
            labels = part["confusion"]["labels"]
            cm = Table(title="Confusion matrix (rows: gold, columns: predicted)")
            cm.add_column("gold")
            for lab in labels:
                cm.add_column(lab[:6], justify="right")
            for lab, row in zip(labels, part["confusion"]["matrix"], strict=True):
                cm.add_row(lab, *map(str, row))
            console.print(cm)
            console.print(f"intensity MAE {part['intensity_mae']:.3f}")
    held, every = report["conversations_held_out"], report["conversations_all"]
    conv = Table(title=f"Interaction level: {held.get('n', 0)} held-out of {every.get('n', 0)} "
                       "annotated conversations")
    for col in ("figure", "held-out", "right", "95% interval", "all"):
        conv.add_column(col, justify="left" if col == "figure" else "right")
    def fig(v: Any, key: str) -> str:
        return "-" if v is None else f"{v:.1f}" if key.endswith("_mae") else f"{v:.3f}"

    for k, value in every.items():
        if k == "n" or isinstance(value, dict):
            continue
        lo_hi = held.get("interval_95", {}).get(k)
        conv.add_row(k.removesuffix("_accuracy"), fig(held.get(k), k),
                     f"{held['correct'][k]}/{held['n']}" if lo_hi else "",
                     f"{lo_hi[0]:.2f}–{lo_hi[1]:.2f}" if lo_hi else "", fig(value, k))
    console.print(conv)
    if "goemotions" in report:
        g = report["goemotions"]
        ge = Table(title=f"GoEmotions outside check (single-label rows mapped to ours, n={g['n']})")
        ge.add_column("model")
        ge.add_column("7-way macro-F1", justify="right")
        ge.add_column("polarity macro-F1", justify="right")
        ge.add_row("heartline emotion.customer.v1", f"{g['heartline_macro_f1_7way']:.3f}",
                   f"{g['heartline_macro_f1_polarity']:.3f}")
        ge.add_row("VADER (baseline)", f"{g['vader_macro_f1_7way']:.3f}",
                   f"{g['vader_macro_f1_polarity']:.3f}")
        console.print(ge)


def register(app: typer.Typer) -> None:
    """Add the analysis commands to ``app``."""
    app.command("label")(label)
    app.command("analyze")(analyze)
    app.command("train")(train)
    app.command("evaluate")(evaluate)
