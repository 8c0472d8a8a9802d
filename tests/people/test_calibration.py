"""Calibration figures against numbers worked out by hand."""

from __future__ import annotations

import pytest

from heartline.people.calibration import (
    CalibrationError,
    Score,
    agreement,
    calibrate,
    cohen_kappa,
    consensus,
)

# Two reviewers on ten interactions, "apologize" present (1) or not (0).
#   agree on 7 of 10 -> p_o = 0.7
#   ANA has six 1s, BEN five 1s -> p_e = 0.6*0.5 + 0.4*0.5 = 0.5
#   kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
ANA = [1, 1, 0, 0, 1, 0, 1, 1, 0, 1]
BEN = [1, 0, 0, 0, 1, 1, 1, 1, 0, 0]


def scores(behaviour: str, rater: str, values: list[int], prefix: str = "i") -> list[Score]:
    return [Score(f"{prefix}{n}", behaviour, rater, v) for n, v in enumerate(values)]


def test_kappa_by_hand() -> None:
    assert cohen_kappa(ANA, BEN) == pytest.approx(0.4)
    assert cohen_kappa(ANA, ANA) == pytest.approx(1.0)


def test_kappa_chance_level_and_undefined() -> None:
    # p_o = 0.5, each rater half and half -> p_e = 0.5 -> kappa 0
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)
    # both raters always say 1: p_e = 1, kappa undefined
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert cohen_kappa([], []) is None


def test_kappa_three_labels_by_hand() -> None:
    # a: x x y z, b: x y y z -> p_o = 3/4
    # p_e = (2*1 + 1*2 + 1*1) / 16 = 5/16 -> kappa = (12/16 - 5/16) / (11/16) = 7/11
    assert cohen_kappa(list("xxyz"), list("xyyz")) == pytest.approx(7 / 11)


def test_agreement_only_on_shared_items() -> None:
    a = {"i1": 1, "i2": 0, "i3": 1}
    b = {"i2": 0, "i3": 0, "i4": 1}
    ag = agreement("a", "b", a, b)
    assert ag.n == 2 and ag.percent == pytest.approx(50.0)
    assert agreement("a", "b", {"i1": 1}, {"i2": 1}).percent is None


def test_consensus_is_strict_majority() -> None:
    assert consensus([1, 1, 0]) == 1
    assert consensus([1, 0]) is None
    assert consensus([]) is None


def test_calibrate_reviewers_and_model() -> None:
    # model agrees with ANA everywhere on apologize
    data = (
        scores("apologize", "ana", ANA)
        + scores("apologize", "ben", BEN)
        + scores("apologize", "model", ANA)
    )
    # explore: three reviewers, model wrong on 2 of the 4 items with a consensus
    data += scores("explore", "ana", [1, 0, 1, 0])
    data += scores("explore", "ben", [1, 0, 0, 0])
    data += scores("explore", "cy", [1, 1, 1, 0])
    #            consensus:           1  0  1  0
    data += scores("explore", "model", [0, 0, 1, 1])
    report = calibrate(data)
    apol = next(b for b in report.behaviours if b.behaviour == "apologize")
    assert apol.reviewers_percent == pytest.approx(70.0)
    assert apol.reviewers_kappa == pytest.approx(0.4)
    vs_ana = next(a for a in apol.model_vs_reviewers if a.b == "ana")
    assert vs_ana.percent == pytest.approx(100.0) and vs_ana.kappa == pytest.approx(1.0)
    # ANA and BEN disagree on i1, i5, i9 -> no consensus there;
    # 7 consensus items, the model is right on all of them
    assert apol.model_vs_consensus is not None and apol.model_vs_consensus.n == 7
    assert apol.model_error_rate == pytest.approx(0.0)

    exp = next(b for b in report.behaviours if b.behaviour == "explore")
    # pairs: ana-ben 3/4, ana-cy 3/4, ben-cy 2/4 -> mean 66.67 %
    assert exp.reviewers_percent == pytest.approx(200 / 3)
    assert exp.model_error_rate == pytest.approx(0.5)
    assert exp.model_errors == ("i0", "i3")
    assert [b.behaviour for b in report.model_worst] == ["explore", "apologize"]
    assert "explore" in report.to_text().splitlines()[1]


def test_behaviour_without_model_scores_goes_last() -> None:
    data = scores("validate", "ana", [1, 0]) + scores("validate", "ben", [1, 1])
    data += (
        scores("blame", "ana", [0, 0])
        + scores("blame", "ben", [0, 0])
        + scores("blame", "model", [1, 0])
    )
    report = calibrate(data)
    assert [b.behaviour for b in report.model_worst] == ["blame", "validate"]
    validate = report.model_worst[-1]
    assert validate.model_vs_consensus is None and validate.model_error_rate is None


def test_duplicate_score_is_refused() -> None:
    data = [Score("i1", "apologize", "ana", 1), Score("i1", "apologize", "ana", 0)]
    with pytest.raises(CalibrationError, match="twice"):
        calibrate(data)
