"""Cross-validated interaction-level figures on the *training* conversations only.

The held-out conversations are never read here.  The utterance heads stay as
trained; the interaction-level parameters (missed-cue and de-escalation models,
difficulty regression and band cuts) are refitted on k-1 folds and scored on the
remaining fold, so changes to the interaction reading can be compared without
touching the test split.  The in-conversation heads (``cue_strength`` on customer
turns, ``ack_strength`` and ``miss_strength`` on replies, and the words head's
de-escalation reading of each call) are learnt from conversations too, so they
are refitted inside each fold as well: the held fold gets values from heads
fitted on the other folds, and the fitting folds get out-of-fold values of their
own, exactly as ``heartline train`` does.

    .venv/bin/python bench/cv_interaction.py [--folds 5] [--repeats 3] [--first-repeat 0]
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from collections.abc import Iterator

from heartline.analysis.corpus import load_conversations, split
from heartline.analysis.evaluation import conversation_figures
from heartline.analysis.pipeline import (
    DEFAULT_PARAMS,
    Analyzer,
    fit_interaction_params,
    fit_turn_heads,
    label_conversations,
    out_of_fold_strengths,
    read_interaction,
    with_turn_heads,
)
from heartline.analysis.words import WordsHead, out_of_fold_words, words_inputs, words_targets

FIGURES = ("deescalated_accuracy", "robotic_accuracy", "difficulty_high_accuracy",
           "difficulty_low_accuracy", "difficulty_band_accuracy", "difficulty_mae",
           "missed_cue_precision", "missed_cue_recall", "missed_cue_f1")


def cv_folds(train: list, xs: list, labels: list, analyzer: Analyzer, folds: int, repeats: int,
             fraction: float = 1.0, first_repeat: int = 0
             ) -> Iterator[tuple[int, list[int], list[int], dict, list, list, list[float]]]:
    """Each fold of each repeat:
    ``(repeat, fit, held, params, fit_labels, held_labels, held_words)``.

    ``params`` are the interaction parameters fitted on the ``fit`` conversations;
    ``fit_labels`` carry out-of-fold ``cue_strength``, ``ack_strength`` and
    ``miss_strength`` values and ``held_labels`` values from heads fitted on ``fit``
    alone, as ``heartline train`` does.
    The words head is treated the same way: ``params`` are fitted on its out-of-fold
    values, and ``held_words`` come from a head fitted on ``fit`` alone.
    ``fraction`` < 1 fits on that share of each fold's fitting conversations
    (a learning curve); the held conversations stay the same.  Repeat ``r`` shuffles
    with seed ``r``; ``first_repeat`` > 0 gives fresh shuffles unseen by earlier runs.
    """
    inputs = words_inputs(analyzer.encoder, xs)
    for rep in range(first_repeat, first_repeat + repeats):
        order = list(range(len(train)))
        random.Random(rep).shuffle(order)
        for k in range(folds):
            held = set(order[k::folds])
            fit = [i for i in order if i not in held]
            fit = fit[: round(len(fit) * fraction)]
            f_convs, f_xs = [train[i] for i in fit], [xs[i] for i in fit]
            f_plain = [labels[i] for i in fit]
            f_labels = out_of_fold_strengths(analyzer, f_convs, f_xs, f_plain)
            params = fit_interaction_params(f_convs, f_xs, f_labels,
                                            out_of_fold_words(f_convs, inputs[fit]))
            heads = fit_turn_heads(analyzer, f_convs, f_xs, f_plain)
            h = sorted(held)
            h_labels = with_turn_heads(analyzer, heads, [xs[i] for i in h],
                                       [labels[i] for i in h])
            words = WordsHead.fit(inputs[fit], words_targets(f_convs))
            h_words = (words.predict(inputs[h]).tolist() if words is not None
                       else [0.0] * len(h))
            yield rep, fit, h, params, f_labels, h_labels, h_words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--first-repeat", type=int, default=0,
                    help="seed of the first shuffle (3 gives fresh shuffles after the default)")
    ap.add_argument("--show", type=int, default=25, help="how many of the most frequent errors")
    args = ap.parse_args()
    train, _ = split(load_conversations())
    analyzer = Analyzer(params=DEFAULT_PARAMS)
    xs, labels = label_conversations(train, analyzer)
    totals: dict[str, list[float]] = defaultdict(list)
    wrong: dict[str, int] = defaultdict(int)
    by_rep: dict[int, dict[int, object]] = defaultdict(dict)
    for rep, _fit, h, params, _f_labels, h_labels, h_words in cv_folds(
            train, xs, labels, analyzer, args.folds, args.repeats,
            first_repeat=args.first_repeat):
        for i, lab, w in zip(h, h_labels, h_words, strict=True):
            by_rep[rep][i] = read_interaction(xs[i], lab, {}, {}, params, words=w)
    for rep in sorted(by_rep):
        preds = by_rep[rep]
        res = [preds[i] for i in range(len(train))]
        figs = conversation_figures(train, res)  # type: ignore[arg-type]
        for f in FIGURES:
            totals[f].append(figs[f])
        for c, a in zip(train, res, strict=True):
            if c.deescalated != a.deescalated:  # type: ignore[attr-defined]
                wrong[f"deescalated {c.id}"] += 1
            if c.difficulty_band != a.difficulty_band:  # type: ignore[attr-defined]
                wrong[f"band {c.id} gold {c.difficulty_band} ({c.difficulty:.0f}) "
                      f"pred {a.difficulty_band} ({a.difficulty:.0f})"] += 1  # type: ignore[attr-defined]
            gold, pred = set(c.missed_emotion_turns), set(a.missed_emotion_turns)  # type: ignore[attr-defined]
            for t in sorted(gold - pred):
                wrong[f"missed-cue FN {c.id} turn {t}"] += 1
            for t in sorted(pred - gold):
                wrong[f"missed-cue FP {c.id} turn {t}"] += 1
    print(f"{len(train)} training conversations, {args.folds}-fold CV x {args.repeats}")
    for f in FIGURES:
        vals = totals[f]
        print(f"  {f:26s} {sum(vals) / len(vals):.3f}  ({', '.join(f'{v:.3f}' for v in vals)})")
    print("most often wrong:")
    for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])[: args.show]:
        print(f"  {v}x {k}")


if __name__ == "__main__":
    main()
