"""``heartline reframe``: the feedback reframer on the command line.

``register(app)`` adds one command to a Typer app::

    heartline reframe "TEXT" [--evidence JSON]   one JSON object
    heartline reframe --file FILE.jsonl          one JSON line per input line {"id", "text"}
    heartline reframe --evaluate                 held-out figures of the style model
    heartline reframe --train                    rebuild the style model artefact

Output objects are ``{"style", "flags": [{"kind", "span", "text"}], "suggestion"}``
(plus ``"id"`` in file mode).  A bad input line is reported as one line on
stderr naming the file and line; the other lines are still processed and the
exit code is 1.  The command only parses arguments and calls
:mod:`heartline.people.reframe`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _parse_line(raw: str) -> tuple[str | int, str, dict[str, Any] | None]:
    """(id, text, evidence) from one input line, or ValueError saying which field is wrong.

    The id is echoed back as given (string or integer)."""
    try:
        d = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(d, dict):
        raise ValueError('expected a JSON object with "id" and "text"')
    if "id" not in d or d["id"] is None or (isinstance(d["id"], str) and not d["id"].strip()):
        raise ValueError('field "id" is missing or empty')
    if not isinstance(d["id"], str | int) or isinstance(d["id"], bool):
        raise ValueError('field "id" must be a string or an integer')
    text = d.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('field "text" is missing, empty or not a string')
    evidence = d.get("evidence")
    if evidence is not None and not isinstance(evidence, dict):
        raise ValueError('field "evidence" must be an object')
    return d["id"], text, evidence


def run_file(path: Path) -> int:
    """Reframe every good line of ``path``; returns the number of bad lines."""
    from heartline.people.reframe import reframe_many

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    good: list[tuple[int, str | int, str, dict[str, Any] | None]] = []
    bad: dict[int, str] = {}
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            good.append((n, *_parse_line(raw)))
        except ValueError as exc:
            bad[n] = str(exc)
    results = reframe_many([g[2] for g in good], [g[3] for g in good]) if good else []
    by_line = {g[0]: (g[1], r) for g, r in zip(good, results, strict=True)}
    for n in sorted({*by_line, *bad}):
        if n in bad:
            _error(f"{path}:{n}: {bad[n]}")
        else:
            mid, r = by_line[n]
            typer.echo(_dump({"id": mid, **r.to_dict()}))
    return len(bad)


def register(app: typer.Typer) -> None:
    """Add the ``reframe`` command to ``app``."""

    @app.command("reframe")
    def reframe_command(
        text: Annotated[
            str | None, typer.Argument(help="The draft feedback to check.", show_default=False)
        ] = None,
        file: Annotated[
            Path | None,
            typer.Option(
                "--file", help='JSONL file of {"id", "text"} lines; one JSON line out per line.'
            ),
        ] = None,
        evidence: Annotated[
            str | None,
            typer.Option(
                "--evidence",
                help=(
                    "The moment the feedback is about, as JSON: "
                    '{"interaction_id", "turn", "reason", "evidence"}.'
                ),
            ),
        ] = None,
        evaluate: Annotated[
            bool,
            typer.Option(
                "--evaluate", help="Print held-out accuracy, per-class P/R/F1 and confusion."
            ),
        ] = False,
        train: Annotated[
            bool,
            typer.Option("--train", help="Rebuild the style model from the labelled messages."),
        ] = False,
    ) -> None:
        """Flag corrective patterns in feedback and suggest a coaching reframe (JSON)."""
        from heartline.people import reframe as rf

        modes = sum([text is not None, file is not None, evaluate, train])
        if modes != 1:
            _error("give exactly one of TEXT, --file, --evaluate or --train")
            raise typer.Exit(2)
        if evidence is not None and text is None:
            _error("--evidence goes with TEXT")
            raise typer.Exit(2)
        try:
            if train:
                head = rf.train()
                typer.echo(
                    f"wrote {rf.ARTEFACT_PATH} (trained on {head.meta['n_train']} messages, "
                    f"C={head.meta['c']}, embedding weight {head.meta['embedding_weight']})"
                )
                return
            if evaluate:
                typer.echo(rf.format_evaluation(rf.evaluate()))
                return
            if file is not None:
                if run_file(file):
                    raise typer.Exit(1)
                return
            ev = None
            if evidence is not None:
                try:
                    ev = json.loads(evidence)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"--evidence is not valid JSON ({exc.msg})") from None
                if not isinstance(ev, dict):
                    raise ValueError("--evidence must be a JSON object")
            assert text is not None
            typer.echo(_dump(rf.reframe(text, evidence=ev).to_dict()))
        except (ValueError, rf.ReframeError) as exc:
            _error(str(exc))
            raise typer.Exit(2) from None
        finally:
            sys.stdout.flush()
