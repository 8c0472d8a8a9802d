"""``heartline evaluate``: measured figures on data the heads never saw.

* held-out split of the utterance corpus: per-label precision / recall / F1,
  macro-F1 and a confusion matrix (emotions) or per-label counts (behaviours);
* the annotated conversations: de-escalation, robotic, difficulty band and
  missed-cue figures, on the held-out conversations and on all of them;
* GoEmotions (an outside check, never training data): 7-way macro-F1 on its
  single-label rows, side by side with VADER as a baseline peer.

VADER gives a polarity only, so it is mapped as: compound >= 0.05 →
``satisfaction``; compound <= -0.05 → ``anger`` when <= -0.6, else
``frustration``; otherwise ``neutral``.  A 3-way polarity macro-F1
(negative / neutral / satisfaction) is reported too, where VADER is on home
ground.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heartline.analysis import corpus as corpus_mod
from heartline.analysis.pipeline import Analyzer, InteractionAnalysis, conversation_interaction
from heartline.domain import BEHAVIOURS, EMOTIONS

GOEMOTIONS_MAP = {
    "anger": "anger",
    "annoyance": "frustration",
    "confusion": "confusion",
    "nervousness": "worry",
    "fear": "worry",
    "sadness": "sadness",
    "grief": "sadness",
    "disappointment": "sadness",
    "gratitude": "satisfaction",
    "relief": "satisfaction",
    "joy": "satisfaction",
    "neutral": "neutral",
}
POLARITY = {e: ("neutral" if e == "neutral" else "satisfaction" if e == "satisfaction"
                else "negative") for e in EMOTIONS}


class EvaluationError(ValueError):
    """Evaluation data that cannot be read; the message names the file."""


@dataclass
class LabelScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def per_label(gold: Sequence[set[str]], pred: Sequence[set[str]], labels: Sequence[str]
              ) -> tuple[list[LabelScores], float]:
    """Per-label scores and the macro-F1 over labels that occur in gold or predictions."""
    rows = []
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if lab in g and lab in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if lab not in g and lab in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if lab in g and lab not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        rows.append(LabelScores(lab, round(prec, 3), round(rec, 3), round(f1, 3), tp + fn))
        if tp + fp + fn:
            f1s.append(f1)
    return rows, round(sum(f1s) / len(f1s), 3) if f1s else 0.0


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    idx = {lab: i for i, lab in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        m[idx[g]][idx[p]] += 1
    return m


def vader_label(compound: float) -> str:
    if compound >= 0.05:
        return "satisfaction"
    if compound <= -0.05:
        return "anger" if compound <= -0.6 else "frustration"
    return "neutral"


def load_goemotions(directory: Path) -> list[tuple[str, str]]:
    """(text, Heartline emotion) for the single-label rows whose label maps to ours."""
    labels_file, data_file = directory / "labels.txt", directory / "test.tsv"
    for f in (labels_file, data_file):
        if not f.is_file():
            raise EvaluationError(f"GoEmotions file {f} not found; pass --goemotions DIR")
    names = [n.strip() for n in labels_file.read_text(encoding="utf-8").splitlines() if n.strip()]
    out = []
    for n, line in enumerate(data_file.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if len(parts) < 2:
            raise EvaluationError(f"{data_file}, line {n}: expected text<TAB>labels<TAB>id")
        ids = [p for p in parts[1].split(",") if p.strip()]
        if len(ids) != 1:
            continue
        try:
            name = names[int(ids[0])]
        except (ValueError, IndexError) as exc:
            raise EvaluationError(f"{data_file}, line {n}: bad label id {ids[0]!r}") from exc
        if name in GOEMOTIONS_MAP:
            out.append((parts[0], GOEMOTIONS_MAP[name]))
    return out


def evaluate_customer(analyzer: Analyzer, examples: Sequence[corpus_mod.CustomerExample]
                      ) -> dict[str, Any]:
    res = analyzer.label_customer([e.text for e in examples], [e.context for e in examples])
    gold = [e.emotion for e in examples]
    pred = [r["emotion"] for r in res]
    rows, macro = per_label([{g} for g in gold], [{p} for p in pred], EMOTIONS)
    mae = (sum(abs(r["emotion_intensity"] - e.intensity) for r, e in zip(res, examples,
                                                                        strict=True))
           / len(examples)) if examples else 0.0
    return {"n": len(examples), "per_label": [r.__dict__ for r in rows], "macro_f1": macro,
            "confusion": {"labels": list(EMOTIONS), "matrix": confusion(gold, pred, EMOTIONS)},
            "intensity_mae": round(mae, 3)}


def evaluate_agent(analyzer: Analyzer, examples: Sequence[corpus_mod.AgentExample]
                   ) -> dict[str, Any]:
    res = analyzer.label_agent([e.text for e in examples], [e.context for e in examples])
    gold = [set(e.behaviours) for e in examples]
    pred = [set(r["behaviours"]) for r in res]
    rows, macro = per_label(gold, pred, BEHAVIOURS)
    exact = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(examples) if examples else 0
    return {"n": len(examples), "per_label": [r.__dict__ for r in rows], "macro_f1": macro,
            "exact_match": round(exact, 3)}


def evaluate_conversations(analyzer: Analyzer, convs: Sequence[corpus_mod.Conversation]
                           ) -> dict[str, Any]:
    if not convs:
        return {"n": 0}
    return conversation_figures(convs, analyzer.analyze_many(
        [conversation_interaction(c) for c in convs]))


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n (sound for small n and for 0 or n)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3))


#: interaction-level accuracies: name -> does the analysis agree with the annotation?
ACCURACIES: dict[str, Any] = {
    "deescalated_accuracy": lambda c, a: c.deescalated == a.deescalated,
    "robotic_accuracy": lambda c, a: c.robotic == a.robotic,
    "difficulty_high_accuracy":
        lambda c, a: (c.difficulty_band == "high") == (a.difficulty_band == "high"),
    "difficulty_low_accuracy":
        lambda c, a: (c.difficulty_band == "low") == (a.difficulty_band == "low"),
    "difficulty_band_accuracy": lambda c, a: c.difficulty_band == a.difficulty_band,
}


def conversation_figures(convs: Sequence[corpus_mod.Conversation],
                         res: Sequence[InteractionAnalysis]) -> dict[str, Any]:
    """Interaction-level figures of analyses against the annotated conversations.

    Each accuracy also gets its count right (``correct``) and a 95% Wilson interval
    (``interval_95``): with a few dozen conversations one call moves a figure by
    several points, and a reader should see how far the figure could be off.
    """
    n = len(convs)
    if not n:
        return {"n": 0}
    pairs = list(zip(convs, res, strict=True))
    correct = {name: sum(1 for c, a in pairs if agrees(c, a)) for name, agrees in ACCURACIES.items()}
    tp = fp = fn = 0
    for c, a in pairs:
        g, p = set(c.missed_emotion_turns), set(a.missed_emotion_turns)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    return {
        "n": n,
        **{name: round(k / n, 3) for name, k in correct.items()},
        "difficulty_mae": round(sum(abs(c.difficulty - a.difficulty) for c, a in pairs) / n, 1),
        "missed_cue_precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "missed_cue_recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "missed_cue_f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0,
        "correct": correct,
        "interval_95": {name: list(wilson_interval(k, n)) for name, k in correct.items()},
    }


def evaluate_goemotions(analyzer: Analyzer, directory: Path) -> dict[str, Any]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows = load_goemotions(directory)
    texts = [t for t, _ in rows]
    gold = [g for _, g in rows]
    ours = [r["emotion"] for r in analyzer.label_customer(texts)]
    vader = SentimentIntensityAnalyzer()
    theirs = [vader_label(vader.polarity_scores(t)["compound"]) for t in texts]
    _, ours7 = per_label([{g} for g in gold], [{p} for p in ours], EMOTIONS)
    _, vader7 = per_label([{g} for g in gold], [{p} for p in theirs], EMOTIONS)
    pol = ("negative", "neutral", "satisfaction")
    _, ours3 = per_label([{POLARITY[g]} for g in gold], [{POLARITY[p]} for p in ours], pol)
    _, vader3 = per_label([{POLARITY[g]} for g in gold], [{POLARITY[p]} for p in theirs], pol)
    return {"n": len(rows), "heartline_macro_f1_7way": ours7, "vader_macro_f1_7way": vader7,
            "heartline_macro_f1_polarity": ours3, "vader_macro_f1_polarity": vader3}


def evaluate(analyzer: Analyzer, corpus_dir: Path = corpus_mod.CORPUS_DIR,
             goemotions_dir: Path | None = None) -> dict[str, Any]:
    _, cust_test = corpus_mod.split(corpus_mod.load_customer(corpus_dir))
    _, agent_test = corpus_mod.split(corpus_mod.load_agent(corpus_dir))
    convs = corpus_mod.load_conversations(corpus_dir)
    _, conv_test = corpus_mod.split(convs)
    report: dict[str, Any] = {
        "customer_emotion": evaluate_customer(analyzer, cust_test),
        "agent_behaviours": evaluate_agent(analyzer, agent_test),
        "conversations_held_out": evaluate_conversations(analyzer, conv_test),
        "conversations_all": evaluate_conversations(analyzer, convs),
    }
    if goemotions_dir is not None:
        report["goemotions"] = evaluate_goemotions(analyzer, goemotions_dir)
    return report
