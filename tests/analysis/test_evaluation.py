"""Interaction-level figures carry their counts and an honest interval."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from heartline.analysis import Analyzer
from heartline.analysis.corpus import load_conversations, split
from heartline.analysis.evaluation import conversation_figures, wilson_interval
from heartline.analysis.pipeline import conversation_interaction

ACCURACIES = ("deescalated_accuracy", "robotic_accuracy", "difficulty_high_accuracy",
              "difficulty_low_accuracy", "difficulty_band_accuracy")


def test_wilson_interval_known_values() -> None:
    # 31 of 37: the interval a textbook Wilson calculation gives
    assert wilson_interval(31, 37) == (0.689, 0.923)  # 0.6886 and 0.9235 by hand
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_estimate_and_narrows(kn: tuple[int, int]) -> None:
    k, n = kn
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= round(k / n, 3) <= hi <= 1.0
    lo4, hi4 = wilson_interval(4 * k, 4 * n)
    assert hi4 - lo4 <= hi - lo + 0.001


def test_conversation_figures_count_what_they_score(analyzer: Analyzer) -> None:
    _, held = split(load_conversations())
    convs = held[:12]
    res = analyzer.analyze_many([conversation_interaction(c) for c in convs])
    figs = conversation_figures(convs, res)
    assert set(figs["correct"]) == set(ACCURACIES) == set(figs["interval_95"])
    high = sum((c.difficulty_band == "high") == (a.difficulty_band == "high")
               for c, a in zip(convs, res, strict=True))
    assert figs["correct"]["difficulty_high_accuracy"] == high
    for name in ACCURACIES:
        k = figs["correct"][name]
        assert figs[name] == round(k / len(convs), 3)
        assert list(wilson_interval(k, len(convs))) == figs["interval_95"][name]
